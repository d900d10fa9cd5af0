"""Every real export in ../shared/corpus imports without an error a user could not read."""
from __future__ import annotations

from pathlib import Path

import pytest

from netjournal.formats.importing import import_path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in (".vcf", ".csv")) \
    if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_imports(db, path, today):
    r = import_path(db, path, today=today)
    assert r.added >= 1 or r.touches_added >= 1
    assert r.bad_records == []
    for p in r.problems:
        assert "\n" not in p.reason and "Traceback" not in p.reason
    again = import_path(db, path, today=today)
    assert (again.added, again.merged, again.touches_added) == (0, 0, 0)

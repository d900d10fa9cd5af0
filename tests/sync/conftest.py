"""What the sync tests share: the fixture address book (a vdir), a fresh copy of it per test,
and the CLI's sync as a user runs it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netjournal.cli import main

BOOK = Path(__file__).parents[1] / "fixtures" / "vdir" / "book"
MIRA = "mira.vcf"


@pytest.fixture
def book(tmp_path):
    dest = tmp_path / "book"
    shutil.copytree(BOOK, dest)
    return dest


def sync(url, book, *extra):
    return main(["--db", url, "sync", "vdir", str(book), *extra])

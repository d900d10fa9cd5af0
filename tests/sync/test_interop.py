"""The synced folder with the real tools: khard lists, shows and edits it (and its edits come back
into the journal); vdirsyncer's own storage and vCard parser read every file netjournal writes.

Both tools are in the ``test`` extra; without them these tests are skipped with the reason."""
from __future__ import annotations

import asyncio
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.store import api
from netjournal.store.db import open_database

from tests.sync.conftest import BOOK


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


@pytest.fixture
def synced(tmp_path):
    """A journal with three contacts of its own, synced with a copy of the fixture folder, after
    the journal edited one of the cards it got from the folder."""
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    url = "sqlite:///" + str(tmp_path / "j.db")
    db = open_database(url)
    try:
        api.add_contact(db, name="Ada Lovelace", handles=[("email", "ada@example.org"), ("phone", "+44 20 7946 0000")],
                        tags=["math", "engines"], dates=[("birthday", 12, 10, 1815), ("anniversary", 7, 8, None)],
                        company="Analytical, Engines; Ltd", role="Countess", about="Line one\nLine two: ok")
        api.add_contact(db, name="Grace Hopper", given_name="Grace", family_name="Hopper", nickname="Amazing Grace")
        api.add_contact(db, name="Plato")
        assert main(["--db", url, "sync", "vdir", str(book)]) == 0
        mira = next(c for c in api.list_contacts(db) if c.name == "Mira Okafor")
        api.save_contact(db, mira.id, fields={"role": "CTO"}, handles=[("email", "mira@harbour.example"),
                                                                        ("phone", "+1 555 0100")])
    finally:
        db.dispose()
    assert main(["--db", url, "sync", "vdir", str(book)]) == 0
    return url, book


def _khard(tmp_path: Path, book: Path, *args: str) -> subprocess.CompletedProcess:
    conf = tmp_path / "khard.conf"
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"#!{sys.executable}\n"
        "import re, sys\n"
        "p = sys.argv[-1]\n"
        "s = open(p).read()\n"
        "s = re.sub(r'(?m)^Title\\s*:.*$', 'Title: Mathematician', s)\n"
        "s = re.sub(r'(?m)^Nickname\\s*:.*$', 'Nickname: Enchantress of Numbers', s)\n"
        "open(p, 'w').write(s)\n")
    editor.chmod(0o755)
    conf.write_text(f"[addressbooks]\n[[book]]\npath = {book}\n[general]\neditor = {editor}\n"
                    f"merge_editor = {editor}\n")
    return subprocess.run([sys.executable, "-c", "import sys; from khard.khard import main; sys.exit(main())",
                           "-c", str(conf), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)


def test_khard_lists_shows_and_its_edits_come_back(synced, tmp_path):
    _need("khard")
    url, book = synced
    p = _khard(tmp_path, book, "list")
    assert p.returncode == 0, p.stderr
    for name in ("Ada Lovelace", "Grace Hopper", "Plato", "Mira Okafor", "Jonas Maria Weber"):
        assert name in p.stdout
    p = _khard(tmp_path, book, "show", "Ada Lovelace")
    assert p.returncode == 0, p.stderr
    for text in ("ada@example.org", "+44 20 7946 0000", "Countess", "Birthday:", "Line two: ok", "math"):
        assert text in p.stdout
    p = _khard(tmp_path, book, "show", "Mira")
    assert p.returncode == 0 and "+1 555 0100" in p.stdout and "CTO" in p.stdout
    # edit in khard (its editor is a script here), then sync: the journal has the edit
    p = _khard(tmp_path, book, "edit", "Ada Lovelace")
    assert p.returncode == 0, p.stderr
    assert main(["--db", url, "sync", "vdir", str(book)]) == 0
    db = open_database(url)
    try:
        ada = api.get_contact(db, next(c.id for c in api.list_contacts(db) if c.name == "Ada Lovelace"))
    finally:
        db.dispose()
    assert (ada.role, ada.nickname) == ("Mathematician", "Enchantress of Numbers")
    assert ada.company == "Analytical, Engines; Ltd" and ada.about == "Line one\nLine two: ok"
    assert {h.value for h in ada.handles} == {"ada@example.org", "+44 20 7946 0000"}


def test_vdirsyncer_reads_every_file_we_write(synced):
    _need("vdirsyncer")
    from vdirsyncer.storage.filesystem import FilesystemStorage
    from vdirsyncer.vobject import _Component

    url, book = synced
    ours = {p.name for p in book.iterdir()} - {p.name for p in BOOK.iterdir()} | {"mira.vcf"}
    assert len(ours) == 4   # three new cards and one patched card

    async def read_all():
        storage = FilesystemStorage(str(book), ".vcf")
        got = {}
        async for href, etag in storage.list():
            item, _etag = await storage.get(href)
            got[href] = item
        return got

    items = asyncio.run(read_all())
    assert ours <= set(items)
    for name in ours:
        item = items[name]
        card = _Component.parse(item.raw)            # vdirsyncer's own parser
        assert card.name == "VCARD"
        assert item.uid and item.uid == card["UID"]
        assert card["FN"] and card["N"] and card["REV"]
        assert item.hash
    ada = next(_Component.parse(i.raw) for i in items.values() if "FN:Ada Lovelace" in i.raw)
    assert ada["N"] == "Lovelace;Ada;;;"
    assert ada["ORG"] == "Analytical\\, Engines\\; Ltd"

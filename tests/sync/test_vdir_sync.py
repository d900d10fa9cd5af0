"""`netjournal sync vdir PATH`: two-way sync with a folder of .vcf files, through the CLI.

The fixture folder (tests/fixtures/vdir/book) carries the quirks of real address-book folders:
Sabre cards with empty ADR/TEL and a REV with parameters, an Apple card with an ``item1.``
group, X-ABLabel and CRLF endings, an iCloud group card, a vCard 4.0 card with a folded NOTE
and a year-less birthday.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import stat
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.formats import vdir as V
from netjournal.store import api
from netjournal.store.db import open_database

from tests.sync.conftest import BOOK, MIRA, sync  # noqa: F401  (book: the conftest fixture)


@pytest.fixture
def url(db_url):
    return db_url


def contacts(url):
    db = open_database(url)
    try:
        return {c.name: api.get_contact(db, c.id) for c in api.list_contacts(db, include_archived=True)}
    finally:
        db.dispose()


def snapshot(book: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(book.iterdir())}


def with_db(url, fn):
    db = open_database(url)
    try:
        return fn(db)
    finally:
        db.dispose()


def edit_card(path: Path, old: str, new: str) -> None:
    data = path.read_bytes().decode()
    assert old in data
    path.write_bytes(data.replace(old, new).encode())


def new_cards(book: Path) -> list[Path]:
    return [p for p in book.iterdir() if p.name not in {x.name for x in BOOK.iterdir()}]


# ----------------------------------------------------------------------------- the round trip

def test_first_sync_both_ways_then_nothing_changes(url, book, capsys):
    with_db(url, lambda db: api.add_contact(db, name="Ada King Lovelace", handles=[("email", "ada@example.org")],
                                            tags=["math"], dates=[("birthday", 12, 10, 1815)]))
    assert sync(url, book) == 0
    o = capsys.readouterr()
    assert "3 new contact(s), 1 new card(s)" in o.out and "1 group card(s) left alone" in o.out
    cs = contacts(url)
    assert set(cs) == {"Ada King Lovelace", "Mira Okafor", "Northwind Traders", "Jonas Weber"}
    mira = cs["Mira Okafor"]
    assert (mira.company, mira.role, mira.tags) == ("Harbour Labs", "Lead engineer", ("book club", "climbing"))
    assert [h.value for h in mira.handles] == ["mira@harbour.example"]
    d = cs["Jonas Weber"].dates[0]
    assert (d.kind, d.month, d.day, d.year) == ("birthday", 4, 15, None)
    assert "Ask for Tomas." in cs["Northwind Traders"].about
    # the journal's contact became a new card: atomic (no temp file left), private, complete
    (card,) = new_cards(book)
    assert stat.S_IMODE(card.stat().st_mode) == 0o600
    text = card.read_text()
    uid = card.name.removesuffix(".vcf")
    for line in ("N:Lovelace;Ada King;;;", "FN:Ada King Lovelace", f"UID:{uid}", "EMAIL:ada@example.org",
                 "CATEGORIES:math", "BDAY:1815-12-10"):
        assert line in text.splitlines()
    assert any(x.startswith("REV:") for x in text.splitlines())
    assert not [p for p in book.iterdir() if p.name.startswith(".")]
    # every card we did not need to change is byte-for-byte what it was
    for p in BOOK.iterdir():
        assert (book / p.name).read_bytes() == p.read_bytes()
    before = snapshot(book)
    assert sync(url, book) == 0
    o = capsys.readouterr()
    assert "0 new contact(s), 0 new card(s), 0 contact(s) updated, 0 card(s) updated" in o.out
    assert snapshot(book) == before and len(contacts(url)) == 4


def test_edits_in_the_folder_come_back_and_unknown_properties_survive(url, book, capsys):
    assert sync(url, book) == 0
    edit_card(book / MIRA, "EMAIL;TYPE=HOME:mira@harbour.example\n",
              "EMAIL;TYPE=HOME:mira@harbour.example\nEMAIL;TYPE=WORK:mira@work.example\n")
    edit_card(book / MIRA, "TITLE:Lead engineer", "TITLE:CTO")
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    assert mira.role == "CTO"
    assert sorted(h.value for h in mira.handles) == ["mira@harbour.example", "mira@work.example"]
    # now the journal edits: the card is patched in place, everything else kept as it was
    with_db(url, lambda db: api.save_contact(db, mira.id, fields={"company": "Tidewater", "name": "Mira A. Okafor"},
                                             tags=["climbing", "mentor"]))
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 card(s) updated" in capsys.readouterr().out
    lines = (book / MIRA).read_text().splitlines()
    for keep in ("PHOTO;VALUE=uri:http://localhost/mira.jpg", "X-CUSTOM-THING;X-PARAM=1:keep me",
                 "ADR;TYPE=HOME:;;;;;;", 'TEL;TYPE="HOME,VOICE":', "EMAIL;TYPE=HOME:mira@harbour.example",
                 "EMAIL;TYPE=WORK:mira@work.example", "N:Okafor;Mira;;;", "UID:5b0f2c1e-7d1a-4c8e-9a55-0c2b8e4f1a01",
                 "TITLE:CTO", "PRODID:-//Sabre//Sabre VObject 4.3.0//EN"):
        assert keep in lines
    assert "FN:Mira A. Okafor" in lines
    assert "ORG:Tidewater;Research" in lines            # the unit after the company is kept
    assert "CATEGORIES:climbing,mentor" in lines
    assert sum(x.startswith("REV") for x in lines) == 1 and "REV;VALUE=DATE-AND-OR-TIME:20201227T103400Z" not in lines


def test_apple_card_keeps_groups_labels_and_crlf(url, book):
    assert sync(url, book) == 0
    nw = contacts(url)["Northwind Traders"]
    with_db(url, lambda db: api.save_contact(db, nw.id, fields={"role": "Supplier"}))
    assert sync(url, book) == 0
    raw = (book / "northwind.vcf").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")     # still CRLF throughout
    text = raw.decode()
    for keep in ("ITEM1.EMAIL;TYPE=WORK:orders@northwind.example\r\nITEM1.X-ABLABEL:Orders desk",
                 "X-ABSHOWAS:COMPANY", "ADR;TYPE=WORK:;;12 Quay Street;Bristol;;BS1 4DJ;United Kingdom",
                 "NOTE:Ships on Tuesdays\\, not Fridays.\\nAsk for Tomas.", "TITLE:Supplier"):
        assert keep in text


def test_conflict_journal_wins_and_the_other_value_is_kept_as_a_note(url, book, capsys):
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    with_db(url, lambda db: api.save_contact(db, mira.id, fields={"role": "Head of research"}))
    edit_card(book / MIRA, "TITLE:Lead engineer", "TITLE:Principal engineer")
    capsys.readouterr()
    assert sync(url, book) == 0
    o = capsys.readouterr().out
    assert "1 conflict(s)" in o and "conflict: Mira Okafor: role changed on both sides" in o
    mira = contacts(url)["Mira Okafor"]
    assert mira.role == "Head of research"
    assert "'Principal engineer'" in mira.about                 # nothing typed is lost
    lines = (book / MIRA).read_text().splitlines()
    assert "TITLE:Head of research" in lines
    assert V.parse_card((book / MIRA).read_text()).fields["about"] == mira.about
    # both sides agree now: the next sync has nothing to do
    before = snapshot(book)
    assert sync(url, book) == 0
    assert snapshot(book) == before


def test_prefer_vdir_flips_the_winner(url, book, capsys):
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    with_db(url, lambda db: api.save_contact(db, mira.id, fields={"role": "Head of research"}))
    edit_card(book / MIRA, "TITLE:Lead engineer", "TITLE:Principal engineer")
    assert sync(url, book, "--prefer", "vdir") == 0
    mira = contacts(url)["Mira Okafor"]
    assert mira.role == "Principal engineer" and "'Head of research'" in mira.about
    assert "TITLE:Principal engineer" in (book / MIRA).read_text().splitlines()


def test_list_fields_merge_item_by_item(url, book):
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    with_db(url, lambda db: api.save_contact(db, mira.id, handles=[("email", "mira@harbour.example"),
                                                                    ("email", "m@journal.example")]))
    edit_card(book / MIRA, "CATEGORIES:Climbing,Book Club", "CATEGORIES:Climbing,Book Club,Chess")
    edit_card(book / MIRA, "EMAIL;TYPE=HOME:mira@harbour.example\n",
              "EMAIL;TYPE=HOME:mira@harbour.example\nEMAIL:m@phone.example\n")
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    assert sorted(h.value for h in mira.handles) == ["m@journal.example", "m@phone.example", "mira@harbour.example"]
    assert mira.tags == ("book club", "chess", "climbing")
    fields = V.parse_card((book / MIRA).read_text()).fields
    assert fields["emails"] == ["m@journal.example", "m@phone.example", "mira@harbour.example"]


def test_card_deleted_in_the_folder_archives_the_contact_and_keeps_touches(url, book, capsys):
    from datetime import date

    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    with_db(url, lambda db: api.log_touch(db, contact_ids=[mira.id], channel="call", day=date(2026, 11, 20)))
    (book / MIRA).unlink()
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 archived" in capsys.readouterr().out
    mira = contacts(url)["Mira Okafor"]
    assert mira.archived and mira.touch_count == 1
    assert with_db(url, lambda db: len(api.list_touches(db, contact_id=mira.id))) == 1
    assert not (book / MIRA).exists()                      # not written back
    assert sync(url, book) == 0 and not (book / MIRA).exists()


def test_contact_deleted_in_netjournal_deletes_the_file_only_with_delete(url, book, capsys):
    assert sync(url, book) == 0
    mira = contacts(url)["Mira Okafor"]
    with_db(url, lambda db: api.delete_contact(db, mira.id))
    capsys.readouterr()
    assert sync(url, book) == 0
    o = capsys.readouterr().out
    assert "deleted in netjournal" in o and "--delete" in o
    assert (book / MIRA).exists() and "Mira Okafor" not in contacts(url)
    assert sync(url, book, "--delete") == 0
    assert not (book / MIRA).exists() and "Mira Okafor" not in contacts(url)


def test_dry_run_writes_nothing(url, book, capsys):
    with_db(url, lambda db: api.add_contact(db, name="Ada Lovelace"))
    before = snapshot(book)
    assert sync(url, book, "--dry-run") == 0
    o = capsys.readouterr().out
    assert o.startswith("would sync") and "new contact: Mira Okafor" in o and "new card: Ada Lovelace" in o
    assert snapshot(book) == before and set(contacts(url)) == {"Ada Lovelace"}


def test_plain_sync_uses_the_config(url, book, tmp_path, capsys):
    cfg = tmp_path / "config" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    assert main(["--db", url, "sync"]) == 2
    assert "[sync] vdir" in capsys.readouterr().err
    cfg.write_text(f'[sync]\nvdir = "{book}"\n')
    assert main(["--db", url, "sync", "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("would sync")
    assert main(["--db", url, "sync"]) == 0
    assert "Mira Okafor" in contacts(url)


def test_bad_sync_config_is_one_line(tmp_path, capsys):
    cfg = tmp_path / "config" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("[sync]\nvdir = 3\n")
    assert main(["--db", str(tmp_path / "j.db"), "sync"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[sync] vdir must be a folder name" in err


# ----------------------------------------------------------------------------- bad input

def test_broken_and_duplicate_cards_are_left_alone_and_nothing_is_lost(url, book, capsys):
    assert sync(url, book) == 0
    before = set(contacts(url))
    # Mira's card is cut short, Jonas's card is not UTF-8, a copy of Northwind's card duplicates its UID
    (book / MIRA).write_bytes((book / MIRA).read_bytes().replace(b"END:VCARD\n", b""))
    (book / "jonas.vcf").write_bytes((book / "jonas.vcf").read_bytes().replace(b"Jonas Weber", b"J\xf6nas"))
    shutil.copy(book / "northwind.vcf", book / "northwind-copy.vcf")
    (book / "empty.vcf").write_bytes(b"")
    broken = snapshot(book)
    capsys.readouterr()
    assert sync(url, book) == 0
    o = capsys.readouterr()
    err = o.err.splitlines()
    assert any(x.startswith(f"skipped {MIRA}: no END:VCARD") for x in err)
    assert any(x.startswith("skipped jonas.vcf: not UTF-8") for x in err)
    assert any("duplicate UID" in x and "northwind-copy.vcf" in x and "northwind.vcf" in x for x in err)
    assert any(x.startswith("skipped empty.vcf: no BEGIN:VCARD") for x in err)
    assert len(err) == 4
    cs = contacts(url)
    assert set(cs) == before and not any(c.archived for c in cs.values())   # nothing archived, nothing lost
    assert snapshot(book) == broken                                       # and nothing rewritten
    # fixed again: the sync carries on where it was
    (book / "northwind-copy.vcf").unlink()
    shutil.copy(BOOK / MIRA, book / MIRA)
    assert sync(url, book) == 0
    assert not contacts(url)["Mira Okafor"].archived


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every file whatever its mode")
def test_unreadable_card_and_unwritable_folder(url, book, capsys):
    assert sync(url, book) == 0
    (book / MIRA).chmod(0)
    try:
        assert sync(url, book) == 0
        err = capsys.readouterr().err.splitlines()
        assert err == [f"skipped {MIRA}: cannot read (Permission denied); left alone"]
        assert not contacts(url)["Mira Okafor"].archived
    finally:
        (book / MIRA).chmod(0o644)
    with_db(url, lambda db: api.add_contact(db, name="Ada Lovelace"))
    book.chmod(0o555)
    try:
        assert sync(url, book) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot write to" in err
    finally:
        book.chmod(0o755)


def test_a_folder_that_is_not_there(tmp_path, capsys):
    assert sync(str(tmp_path / "j.db"), tmp_path / "nope") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err


def test_two_syncs_at_once_the_second_waits_for_nothing_and_says_so(url, book, capsys):
    from netjournal import paths
    from netjournal.store.sync import lock_path

    path = lock_path(book.resolve(), paths.data_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        assert sync(url, book) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "another sync" in err
    assert snapshot(book) == snapshot(BOOK) and contacts(url) == {}
    assert sync(url, book) == 0                      # the lock is gone with its holder


def test_control_bytes_in_a_card_never_reach_the_terminal(url, book, capsys):
    edit_card(book / MIRA, "FN:Mira Okafor", "FN:Mira \\n\x1b[31mOkafor")
    assert sync(url, book, "-v") == 0
    assert "\x1b" not in capsys.readouterr().out


def test_unreadable_card_and_unwritable_folder_as_any_user(url, book, capsys, monkeypatch):
    """The same rules where chmod cannot show them (root): the system says no, we say so in one line."""
    import builtins

    assert sync(url, book) == 0
    capsys.readouterr()
    real_open, real_access = builtins.open, os.access

    def deny_open(path, *a, **kw):
        if str(path).endswith(MIRA):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(builtins, "open", deny_open)
    assert sync(url, book) == 0
    assert capsys.readouterr().err.splitlines() == [f"skipped {MIRA}: cannot read (Permission denied); left alone"]
    monkeypatch.setattr(builtins, "open", real_open)
    assert not contacts(url)["Mira Okafor"].archived
    with_db(url, lambda db: api.add_contact(db, name="Ada Lovelace"))
    before = snapshot(book)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == book.resolve() else real_access(p, mode))
    assert sync(url, book) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write to" in err and snapshot(book) == before

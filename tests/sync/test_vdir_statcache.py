"""The sync's stat cache: an unchanged card is not read again, and a changed one is always found.

The rule (netjournal.store.sync.StatCache): a card's recorded content hash is trusted without
reading the file only if its device, inode, size, mtime and ctime (to the nanosecond) are all as
recorded and its last change was at least RACY_NS before the scan that hashed it began.
Otherwise the card is read and hashed. These tests shrink RACY_NS to 0 where they need the
cache to be trusted at once (a real sync would re-read any card changed in the last 3 s).
"""
from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from netjournal import paths
from netjournal.store import api
from netjournal.store import sync as S
from netjournal.store.db import open_database

from tests.sync.conftest import BOOK, MIRA, sync  # noqa: F401  (book: the conftest fixture)


@pytest.fixture
def url(tmp_path):
    return "sqlite:///" + str(tmp_path / "data" / "journal.db")


def emails(url, name):
    db = open_database(url)
    try:
        c = next(c for c in api.list_contacts(db, include_archived=True) if c.name == name)
        return sorted(h.value for h in api.get_contact(db, c.id).handles if h.kind == "email")
    finally:
        db.dispose()


class CountOpens:
    """Counts the card files the sync opens (the module's ``open``)."""

    def __init__(self):
        self.names: list[str] = []

    def __call__(self, file, *a, **k):
        if str(file).endswith(".vcf"):
            self.names.append(Path(file).name)
        return builtins.open(file, *a, **k)


def test_an_unchanged_card_is_not_read_again(url, book, monkeypatch, capsys):
    monkeypatch.setattr(S, "RACY_NS", 0)
    assert sync(url, book) == 0
    assert sync(url, book) == 0          # records every card written by the first sync
    opens = CountOpens()
    monkeypatch.setattr(S, "open", opens, raising=False)
    capsys.readouterr()
    assert sync(url, book) == 0
    out = capsys.readouterr().out
    assert "0 contact(s) updated, 0 card(s) updated" in out
    linked = [p.name for p in book.iterdir() if p.suffix == ".vcf"]
    # only cards that are not linked (the group card) are read again
    assert MIRA not in opens.names
    assert len(opens.names) < len(linked)


def _rewrite_same_size_same_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes().decode()
    assert old in data
    with open(path, "r+b") as fh:       # in place: same inode, same size
        fh.write(data.replace(old, new).encode())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))   # mtime set back: only ctime moves
    st2 = path.stat()
    assert (st2.st_ino, st2.st_size, st2.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)


def test_a_card_rewritten_with_the_same_size_and_mtime_is_found(url, book, monkeypatch, capsys):
    monkeypatch.setattr(S, "RACY_NS", 0)     # the cache is trusted at once
    assert sync(url, book) == 0
    assert sync(url, book) == 0
    assert emails(url, "Mira Okafor") == ["mira@harbour.example"]
    _rewrite_same_size_same_mtime(book / MIRA, "mira@harbour", "miro@harbour")
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 contact(s) updated" in capsys.readouterr().out
    assert emails(url, "Mira Okafor") == ["miro@harbour.example"]


def test_a_card_rewritten_in_the_same_tick_as_the_sync_is_found(url, book, capsys):
    """The real window: a card synced and then rewritten at once (same size, mtime set back,
    within one second) is read again, whatever the file system's timestamp granularity."""
    assert sync(url, book) == 0
    assert sync(url, book) == 0
    _rewrite_same_size_same_mtime(book / MIRA, "mira@harbour", "mina@harbour")
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 contact(s) updated" in capsys.readouterr().out
    assert emails(url, "Mira Okafor") == ["mina@harbour.example"]


def _stat(ino=1, size=10, mtime=0, ctime=0, dev=7):
    return os.stat_result((0o100600, ino, dev, 1, 0, 0, size, 0, 0, 0, 0, 0, 0, 0, mtime, ctime))


@pytest.mark.parametrize("change", ["ino", "size", "mtime", "ctime", "dev"])
def test_the_cache_rule_any_stat_difference_means_read(tmp_path, change):
    cache = S.StatCache(None)
    base = dict(ino=1, size=10, mtime=1_000, ctime=1_000, dev=7)
    at = 1_000 + S.RACY_NS
    cache.record("a.vcf", _stat(**base), at, "h")
    cache.files = cache.fresh
    assert cache.lookup("a.vcf", _stat(**base)) == "h"
    assert cache.lookup("a.vcf", _stat(**{**base, change: base[change] + 1})) is None
    assert cache.lookup("b.vcf", _stat(**base)) is None


def test_the_cache_rule_a_change_close_to_the_hash_time_means_read():
    cache = S.StatCache(None)
    st = _stat(mtime=5_000, ctime=5_000)
    cache.record("a.vcf", st, 5_000 + S.RACY_NS - 1, "h")     # changed 3 s minus 1 ns before the scan
    cache.files = cache.fresh
    assert cache.lookup("a.vcf", st) is None
    cache.record("a.vcf", st, 5_000 + S.RACY_NS, "h")
    cache.files = cache.fresh
    assert cache.lookup("a.vcf", st) == "h"


def test_a_damaged_or_missing_cache_only_costs_speed(url, book, monkeypatch, capsys):
    monkeypatch.setattr(S, "RACY_NS", 0)
    assert sync(url, book) == 0
    assert sync(url, book) == 0
    cache = S.stat_cache_path(book.resolve(), paths.data_dir())
    assert cache.exists() and oct(cache.stat().st_mode & 0o777) == "0o600"
    cache.write_text('{"v": 1, "files": {"mira.vcf": [1, 2, "x"]}, ')
    (book / MIRA).write_text((book / MIRA).read_text().replace("Lead engineer", "Chief engineer"))
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 contact(s) updated" in capsys.readouterr().out
    cache.unlink()
    assert sync(url, book) == 0
    assert "0 contact(s) updated, 0 card(s) updated" in capsys.readouterr().out


def test_a_no_change_sync_does_not_rewrite_the_cache(url, book, capsys):
    assert sync(url, book) == 0
    assert sync(url, book) == 0
    cache = S.stat_cache_path(book.resolve(), paths.data_dir())
    before = cache.stat()
    assert sync(url, book) == 0            # cards still too fresh to trust: read, same records
    after = cache.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_journal_edit_patches_a_card_the_sync_did_not_read(url, book, monkeypatch, capsys):
    monkeypatch.setattr(S, "RACY_NS", 0)
    assert sync(url, book) == 0
    assert sync(url, book) == 0
    db = open_database(url)
    try:
        c = next(c for c in api.list_contacts(db) if c.name == "Mira Okafor")
        api.update_contact(db, c.id, role="Chief engineer")
    finally:
        db.dispose()
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 card(s) updated" in capsys.readouterr().out
    text = (book / MIRA).read_text()
    assert "TITLE:Chief engineer" in text and "X-CUSTOM-THING;X-PARAM=1:keep me" in text


@pytest.mark.parametrize("plant", ["nested", "fifo", "symlink_to_dev_zero"])
def test_a_hostile_cache_file_neither_hangs_nor_breaks_the_sync(url, book, capsys, plant):
    """Found by an adversarial pass: a deeply nested JSON cache gave 'internal error:
    RecursionError'; a FIFO or a link to /dev/zero in its place made the sync hang."""
    assert sync(url, book) == 0
    cache = S.stat_cache_path(book.resolve(), paths.data_dir())
    cache.unlink()
    if plant == "nested":
        cache.write_text("[" * 200_000 + "]" * 200_000)
    elif plant == "fifo":
        os.mkfifo(cache)
    else:
        cache.symlink_to("/dev/zero")
    (book / MIRA).write_text((book / MIRA).read_text().replace("Lead engineer", "Chief engineer"))
    capsys.readouterr()
    assert sync(url, book) == 0
    assert "1 contact(s) updated" in capsys.readouterr().out

"""`netjournal doctor`: finds a broken search index, missing or stale search entries, orphans
and a damaged file; repairs what it safely can (the search index) and says what it cannot
(exit 1), never with a traceback."""
from __future__ import annotations

import shutil
import sqlite3

from tests.robustness.helpers import assert_one_line_error, integrity, snapshot


def _seed(nj):
    """In-process (fast); the checks below run the real entry point."""
    from netjournal.cli import main

    for argv in (["add", "Grace", "Doctor", "--about", "likes compilers"], ["add", "Alan", "Doctor"],
                 *[["log", "grace", "-c", "call", "--no-stdin", f"talked about quokka{i}"] for i in range(3)],
                 ["followup", "add", "alan", "send", "the", "paper", "--due", "2026-12-01"],
                 ["journal", "met @grace about zebrafish"]):
        assert main(argv) == 0, argv


def _exec(path, *stmts):
    con = sqlite3.connect(path)
    try:
        for s in stmts:
            con.execute(s)
        con.commit()
    finally:
        con.close()


def _found(nj, word) -> int:
    r = nj("search", "--json", word)
    assert r.code == 0, r.err
    return len(r.json())


def test_healthy_journal_is_all_good(nj, journal):
    _seed(nj)
    r = nj("doctor")
    assert r.code == 0 and "all good" in r.out and "BAD" not in r.out, r.out
    r = nj("doctor", "--json")
    assert r.code == 0 and r.json()["ok"] is True


def test_emptied_fts_index_is_reported_and_rebuilt(nj, journal):
    _seed(nj)
    assert _found(nj, "quokka0") == 1
    _exec(journal, "INSERT INTO search_fts(search_fts) VALUES('delete-all')")
    r = nj("search", "--json", "quokka0")     # the damage is real: nothing found, or a pointer to doctor
    assert (r.code == 0 and r.json() == []) or (r.code == 2 and "netjournal doctor" in r.err), r
    before = snapshot(journal)
    r = nj("doctor", "--no-repair")
    assert r.code == 1 and "[BAD] search index" in r.out, r.out
    assert snapshot(journal) == before          # --no-repair repairs nothing
    r = nj("doctor")
    assert r.code == 0 and "[fix] search index" in r.out and "rebuilt" in r.out, r.out
    assert _found(nj, "quokka0") == 1 and _found(nj, "zebrafish") == 1 and _found(nj, "compilers") == 1
    assert nj("doctor").code == 0


def test_lost_search_entries_are_rebuilt(nj, journal):
    _seed(nj)
    _exec(journal, "DELETE FROM search_doc WHERE kind IN ('touch', 'journal')",
          "INSERT INTO search_doc(kind, ref_id, contact_id, day, title, body) "
          "VALUES ('touch', 9999, NULL, NULL, 'ghost', 'ghostly')")
    r = nj("doctor")
    assert r.code == 0, r.out
    assert "records missing from search" in r.out and "search entries for missing records" in r.out
    assert _found(nj, "quokka1") == 1 and _found(nj, "zebrafish") == 1 and _found(nj, "ghostly") == 0


def test_orphans_are_reported_and_left_alone(nj, journal):
    _seed(nj)
    _exec(journal, "DELETE FROM touch_contact WHERE touch_id = 1")
    before = snapshot(journal)
    r = nj("doctor")
    assert r.code == 1, r.out
    assert "[BAD] touches without a contact: 1" in r.out and "left in place" in r.out, r.out
    assert "problems remain" in r.out
    assert snapshot(journal)["touch"] == before["touch"]   # your notes are not deleted
    r = nj("doctor", "--json")
    assert r.code == 1 and r.json()["ok"] is False


def _damage(src, dst, at: float, nbytes: int = 4096):
    shutil.copy(src, dst)
    data = bytearray(dst.read_bytes())
    i = int(len(data) * at)
    data[i:i + nbytes] = b"\xa5" * min(nbytes, len(data) - i)
    dst.write_bytes(bytes(data))


def test_damaged_file_is_reported_never_a_traceback(nj, journal, tmp_path):
    _seed(nj)
    for at in (0.0, 0.4, 0.8):
        bad = tmp_path / f"damaged-{at}.db"
        _damage(journal, bad, at)
        for argv in (["doctor"], ["list"], ["log", "grace", "-c", "call", "--no-stdin", "x"]):
            r = nj("--db", str(bad), *argv)
            assert "Traceback" not in r.err and "internal error" not in r.err, (at, argv, r.err)
            if argv == ["doctor"] and r.code == 1 and "BAD" in r.out:
                # a report: it says it cannot repair and points to a restore
                assert "restore" in r.out or "cannot" in r.out, (at, r.out)
            elif r.code != 0:
                assert_one_line_error(r)
    # the original was never touched
    assert integrity(journal) == ["ok"]


def test_not_a_journal_at_all(nj, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database\n" * 500)
    for argv in (["doctor"], ["list"]):
        r = nj("--db", str(junk), *argv)
        assert_one_line_error(r)
        assert "damaged" in r.err or "not a" in r.err, r.err
    assert junk.read_bytes() == b"this is not a database\n" * 500
    other = tmp_path / "other.db"
    _exec(other, "CREATE TABLE notes (x)")
    r = nj("--db", str(other), "doctor")
    assert_one_line_error(r)
    assert "not a netjournal journal" in r.err


def test_newer_schema_is_refused_clearly(nj, journal):
    _seed(nj)
    _exec(journal, "UPDATE alembic_version SET version_num = '9999'")
    before = snapshot(journal)
    for argv in (["doctor"], ["list"], ["log", "grace", "-c", "call", "--no-stdin", "x"]):
        r = nj(*argv)
        assert_one_line_error(r)
        assert "newer netjournal" in r.err, r.err
    assert snapshot(journal) == before


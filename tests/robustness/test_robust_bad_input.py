"""Bad input everywhere: property tests over every CLI command not covered by
tests/cli/test_cli_properties.py. Whatever is typed: exit 0, or exit 2 with exactly one line
on stderr (never a traceback) and the journal byte-for-byte unchanged (every row of every
table compared). Read-only commands never change the journal at all."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from tests.robustness.helpers import integrity, snapshot
from netjournal.cli import main

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

NASTY = [
    "", " ", "-", "--", "\x00", "a\x00b", "\x1b[31mred\x1b[0m", "\x07\x08\x7f", "\t\n\r", "\u202eevil\u202c",
    "\u05e9\u05dc\u05d5\u05dd", "مرحبا بالعالم", "👩‍👩‍👧", "🏳️‍🌈" * 20, "\ufeff", "\u200b", "Ａｄａ",
    "[bold]x[/]", "[red]unclosed", "<script>alert(1)</script>", "**md** _x_ `y`", "$(rm -rf /)", "%s%n%x",
    "'; DROP TABLE contact; --", "\" OR 1=1 --", "NEAR(a b)", "a* OR b", "\"unbalanced",
    "31 feb", "2026-02-31", "31 February 2026", "2026-02-29", "2024-02-29", "0000-01-01", "0001-01-01",
    "9999-12-31", "10000-01-01", "-0001-01-01", "--02-30", "--13-01", "00:00", "25:61", "yesterday 24:00",
    "in 99999999999d", "99999999999d ago", "-1", "0", "1e9", "nan", "inf", "99999999999999999999",
    "#0", "#-1", "#1", "#99999999999999999999", "@", ",", ",,,", "#", "a" * 250, "b" * 5000,
]
wild = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(NASTY)
maybe = st.none() | wild


@pytest.fixture
def store(tmp_path, monkeypatch, capsys):
    """A journal with a contact (#1), a touch and an open follow-up (#1); cwd and stdin safe."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr("sys.stdin", io.StringIO("text from standard input"))
    db = tmp_path / "data" / "journal.db"
    assert main(["add", "Base", "Person", "--email", "base@example.com"]) == 0
    assert main(["add", "Other", "Human"]) == 0
    assert main(["log", "#1", "-c", "call", "--no-stdin", "first", "call"]) == 0
    assert main(["followup", "add", "#1", "coffee", "--due", "2026-12-01", "--kind", "meet"]) == 0
    capsys.readouterr()
    return db


def check(capsys, db: Path, argv: list[str], *, read_only: bool = False, ok_codes=(0, 2)) -> int:
    before = snapshot(db)
    code = main(argv)
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and "Traceback" not in cap.out, (argv, cap.err)
    assert code in ok_codes, (argv, code, cap.err)
    if code == 2:
        assert cap.err.count("\n") == 1 and cap.err.startswith("netjournal"), (argv, cap.err)
        assert "internal error" not in cap.err, (argv, cap.err)
    if code == 2 or read_only:
        assert snapshot(db) == before, argv
    return code


def opt(name: str, value: str | None) -> list[str]:
    return [] if value is None else [f"{name}={value}"]


EDIT_OPTS = ["--nickname", "--company", "--role", "--location", "--met-how", "--met-on", "--tier", "--stage",
             "--target", "--why", "--offer", "--rhythm", "--about", "--interests", "--ask", "--email", "--phone",
             "--handle", "--tag", "--birthday", "--anniversary", "--name", "--untag"]


@SETTINGS
@given(ref=st.sampled_from(["#1", "base", "Base Person"]) | wild,
       edits=st.lists(st.tuples(st.sampled_from(EDIT_OPTS), wild), max_size=4))
def test_edit(store, capsys, ref, edits):
    argv = ["edit", "--", ref] if not edits else ["edit", *[f"{k}={v}" for k, v in edits], "--", ref]
    check(capsys, store, argv)


@SETTINGS
@given(tag=maybe, tier=maybe, stage=maybe, archived=st.booleans(), as_json=st.booleans())
def test_list(store, capsys, tag, tier, stage, archived, as_json):
    argv = ["list", *opt("--tag", tag), *opt("--tier", tier), *opt("--stage", stage)]
    argv += ["--archived"] * archived + ["--json"] * as_json
    check(capsys, store, argv, read_only=True)


@SETTINGS
@given(contact=st.sampled_from(["#1", "base"]) | wild, title=wild, kind=maybe, due=maybe, place=maybe, agenda=maybe,
       also=maybe, from_touch=st.none() | st.sampled_from(["1", "0", "-1", "999999", "x", "1.5", "99999999999999999999"]))
def test_followup_add(store, capsys, contact, title, kind, due, place, agenda, also, from_touch):
    argv = ["followup", "add", *opt("--kind", kind), *opt("--due", due), *opt("--place", place),
            *opt("--agenda", agenda), *opt("--also", also), *opt("--from-touch", from_touch), "--", contact, title]
    check(capsys, store, argv)


@SETTINGS
@given(contact=maybe, status=maybe, every=st.booleans())
def test_followup_list(store, capsys, contact, status, every):
    argv = ["followup", "list", *opt("--contact", contact), *opt("--status", status), *["--all"] * every, "--json"]
    check(capsys, store, argv, read_only=True)


@SETTINGS
@given(fid=st.sampled_from(["NEW", "1", "0", "-1", "999999", "abc", "", "1e3", "99999999999999999999"]) | wild,
       notes=maybe, outcome=maybe, nxt=st.lists(wild, max_size=3), when=maybe, channel=maybe, no_log=st.booleans())
def test_followup_done(store, capsys, fid, notes, outcome, nxt, when, channel, no_log):
    if fid == "NEW":
        assert main(["followup", "add", "#1", "a", "call", "--kind", "call", "--json"]) == 0
        import json
        fid = str(json.loads(capsys.readouterr().out)["id"])
    argv = ["followup", "done", *opt("--notes", notes), *opt("--outcome", outcome), *[f"--next={n}" for n in nxt],
            *opt("--when", when), *opt("--channel", channel), *["--no-log"] * no_log, "--", fid]
    check(capsys, store, argv)


@SETTINGS
@given(fid=st.sampled_from(["1", "2", "0", "-1", "999999", "x", "99999999999999999999"]) | wild)
def test_followup_cancel(store, capsys, fid):
    check(capsys, store, ["followup", "cancel", "--", fid])


@SETTINGS
@given(text=st.lists(wild, max_size=3), day=maybe, mention=st.booleans())
def test_journal(store, capsys, text, day, mention):
    words = [*text, "@base"] if mention else text
    check(capsys, store, ["journal", *opt("--day", day), "--", *words], read_only=not any(words))


@SETTINGS
@given(limit=st.none() | st.sampled_from(["0", "-1", "1", "x", "99999999999999999999"]) | wild,
       every=st.booleans(), why=st.booleans())
def test_due(store, capsys, limit, every, why):
    argv = ["due", *opt("--limit", limit), *["--all"] * every, *["--why"] * why]
    check(capsys, store, argv, read_only=True)


@SETTINGS
@example(contact="#9223372036854775808", until=None, kind=None)
@given(contact=st.sampled_from(["#1", "base"]) | wild, until=maybe, kind=maybe)
def test_snooze(store, capsys, contact, until, kind):
    check(capsys, store, ["snooze", *opt("--until", until), *opt("--kind", kind), "--", contact])


@SETTINGS
@given(contact=st.sampled_from(["#1", "base"]) | wild,
       kind=st.sampled_from(["followup", "reply", "date", "rhythm", "silence", "one-sided", "stage"]) | wild)
def test_dismiss(store, capsys, contact, kind):
    check(capsys, store, ["dismiss", f"--kind={kind}", "--", contact])


GARBAGE_NAMES = ["x.vcf", "x.csv", "Connections.csv", "messages.csv", "x.txt", "x", "x.json"]


@SETTINGS
@given(content=st.binary(max_size=2000) | st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass"))
       | st.sampled_from([b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x00\r\n", b"BEGIN:VCARD\nN:;;;;\nEND:VCARD\n",
                          b"\xff\xfe\x00\x00", b"First Name,Last Name\n" + b"\"" * 100, b"BEGIN:VCARD\n" * 200,
                          b"\x00" * 1000, b"First Name,Last Name,Email Address\nA,B,c\xff@x\n"]),
       name=st.sampled_from(GARBAGE_NAMES),
       fmt=st.none() | st.sampled_from(["vcard", "linkedin-connections", "linkedin-messages", "google-csv", "outlook-csv"]),
       strict=st.booleans(), dry=st.booleans())
def test_import_garbage(store, capsys, tmp_path, content, name, fmt, strict, dry):
    f = tmp_path / name
    f.write_bytes(content)
    check(capsys, store, ["import", str(f), *opt("--format", fmt), *["--strict"] * strict,
                          *["--dry-run"] * dry, "--json"], read_only=dry)
    assert integrity(store) == ["ok"]


def test_import_missing_and_directory(store, capsys, tmp_path):
    check(capsys, store, ["import", str(tmp_path / "nope.vcf")])
    empty = tmp_path / "emptydir"
    empty.mkdir()
    assert check(capsys, store, ["import", str(empty)]) == 2
    assert check(capsys, store, ["import", str(empty), "--format", "google-csv"]) == 2


@SETTINGS
@given(fmt=st.sampled_from(["vcard", "vcard3", "vcard4", "ical", "json", "markdown"]), contact=maybe,
       since=maybe, until=maybe)
def test_export(store, capsys, tmp_path, fmt, contact, since, until):
    out = tmp_path / "exports" / f"out.{fmt}"
    code = check(capsys, store, ["export", fmt, "-o", str(out), *opt("--contact", contact), *opt("--since", since),
                                 *opt("--until", until)], read_only=True)
    if code == 0:
        assert out.exists() and (out.stat().st_mode & 0o777) == 0o600


def test_export_to_impossible_places(store, capsys, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for dest in (str(afile / "under-a-file.json"), str(tmp_path), "/proc/version/x.json"):
        assert check(capsys, store, ["export", "json", "-o", dest], read_only=True) == 2, dest


@SETTINGS
@given(keep=st.none() | st.sampled_from(["0", "-1", "1", "x", "99999999999999999999", "1.5"]),
       where=st.sampled_from([None, "FILE", "UNDER_FILE", "NEW", "NUL"]))
def test_backup(store, capsys, tmp_path, keep, where):
    afile = tmp_path / "afile"
    afile.write_text("x")
    d = {None: None, "FILE": str(afile), "UNDER_FILE": str(afile / "sub"), "NEW": str(tmp_path / "new" / "dir"),
         "NUL": "bad\x00dir"}[where]
    check(capsys, store, ["backup", *opt("--dir", d), *opt("--keep", keep)], read_only=True)


@SETTINGS
@given(content=st.binary(max_size=3000) | st.sampled_from([
    b"", b"{}", b"[]", b"null", b'{"format": "netjournal-backup"}',
    b'{"format": "netjournal-backup", "version": 1, "schema": "0002", "tables": {"contact": [{"id": "x"}]}}',
    b'{"format": "netjournal-backup", "version": 999, "tables": {}}',
    b'{"format": "netjournal-backup", "version": 1, "schema": "0002", "tables": {"contact": "nope"}}',
    b'{"format": "netjournal-backup", "version": 1, "schema": "0002", "tables": {"touch": [{"id": 1, "occurred_on": "2026-02-31"}]}}',
    b"SQLite format 3\x00" + b"\x00" * 200]),
    force=st.booleans())
def test_restore_garbage(store, capsys, tmp_path, content, force):
    f = tmp_path / "garbage.backup"
    f.write_bytes(content)
    assert check(capsys, store, ["restore", *["--force"] * force, str(f)]) == 2
    assert integrity(store) == ["ok"]


@SETTINGS
@given(contacts=st.sampled_from(["0", "-1", "1000001", "x", "", "1.5", "99999999999999999999", "nan"]) | wild,
       touches=st.sampled_from(["-1", "20000001", "x", "5"]), seed=st.sampled_from(["1", "-5", "x", "99999999999999999999"]))
def test_demo_bad_numbers(tmp_path, capsys, contacts, touches, seed):
    import uuid

    db = tmp_path / f"demo-{uuid.uuid4().hex}.db"  # one journal per example (tmp_path is shared by them)
    url = "sqlite:///" + str(db)
    main(["--db", url, "list"])  # create the (empty) journal
    capsys.readouterr()
    code = main(["--db", url, "demo", f"--contacts={contacts}", f"--touches={touches}", f"--seed={seed}"])
    err = capsys.readouterr().err
    if code == 0:  # the wild text drew three good numbers ("2", "５"…): a demo was rightly made
        for v in (contacts, touches, seed):
            int(v)
        return
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert snapshot(db)["contact"] == []


def test_demo_into_a_full_journal_is_refused(store, capsys):
    assert check(capsys, store, ["demo", "--contacts", "3", "--touches", "5"]) == 2


@SETTINGS
@given(repair=st.booleans())
def test_doctor_on_a_healthy_journal(store, capsys, repair):
    check(capsys, store, ["doctor", *["--no-repair"] * (not repair)], read_only=True, ok_codes=(0,))


@SETTINGS
@given(content=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode) | st.sampled_from([
    b"a b 1\n", b"a b 1\nb a 2\n", b"a b notanumber\n", b"a b -1\n", b"a b 99999999999999999999\n",
    b"a\n", b"\n\n", b"a b 1 extra\n", b"\xff\xfe", b"a b 1.5\n", b"a b nan\n", b"a b 1e308\n"]),
    ego=st.sampled_from(["a", "b", "zz"]) | wild, budget=st.none() | st.sampled_from(["0", "-1", "x", "3"]),
    setting=st.none() | st.sampled_from(["min_silence_days=7", "nope=1", "budget=x", "=", "x", "budget=-1",
                                         "min_silence_days=\"7\""]))
@example(content=b"a b 1e20\n", ego="a", budget=None, setting=None)  # a timestamp in the year 3e12
def test_replay_garbage(tmp_path, capsys, content, ego, budget, setting):
    f = tmp_path / "events.txt"
    f.write_bytes(content)
    code = main(["replay", f"--ego={ego}", *opt("--budget", budget), *opt("--set", setting), str(f)])
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and code in (0, 2), (code, cap.err)
    if code == 2:
        assert cap.err.count("\n") == 1, cap.err


def test_one_megabyte_of_text_everywhere(store, capsys):
    """A 1 MB note is either stored intact or refused with one line; the journal stays whole."""
    big = ("Zeile mit Umlauten äöü, שלום, 👩‍👩‍👧 and [markup]\n" * 30000)[:1_000_000]
    for argv in (["log", "#1", "-c", "call", "--no-stdin", f"--notes={big}", "big notes"],
                 ["edit", "#1", f"--about={big}"],
                 ["followup", "add", "#1", "big agenda", f"--agenda={big}"],
                 ["journal", "--", big],
                 ["add", "--", big],
                 ["search", "--", big],
                 ["show", "--", big]):
        check(capsys, store, argv)
    assert integrity(store) == ["ok"]


def test_nothing_is_left_in_cwd(store, capsys, tmp_path):
    """Bad input never makes stray files where the user stands."""
    for argv in (["export", "json", "-o", ""], ["backup", "--dir", ""], ["import", ""], ["restore", ""]):
        check(capsys, store, argv)
    assert list(Path(os.getcwd()).iterdir()) == []

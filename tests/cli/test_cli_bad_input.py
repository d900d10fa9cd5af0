"""Bad input through the CLI entry point (issue 13): every one is a single clear line on stderr,
exit 2, nothing written, never "internal error"."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from netjournal.cli import main

EXE = shutil.which("netjournal")


def _journal() -> Path:
    return Path(os.environ["NETJOURNAL_DATA_DIR"]) / "journal.db"


def _touches() -> int:
    con = sqlite3.connect(_journal())
    try:
        return con.execute("SELECT count(*) FROM touch").fetchone()[0]
    finally:
        con.close()


def _one_line(code: int, err: str, expect: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("netjournal: "), err
    assert "internal error" not in err and expect in err, err


@pytest.fixture
def ada(capsys):
    assert main(["add", "Ada", "Lovelace"]) == 0
    capsys.readouterr()


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))


def test_non_utf8_notes_on_stdin(ada, capsys, monkeypatch):
    _stdin(monkeypatch, b"caf\xe9 notes in latin-1")
    code = main(["log", "Ada", "-n", "-", "coffee"])
    _one_line(code, capsys.readouterr().err, "standard input is not UTF-8")
    assert _touches() == 0


def test_non_utf8_journal_text_on_stdin(ada, capsys, monkeypatch):
    _stdin(monkeypatch, b"\xff\xfe")
    _one_line(main(["journal", "-"]), capsys.readouterr().err, "standard input is not UTF-8")


def test_non_utf8_argument(ada, capsys):
    bad = os.fsdecode(b"caf\xe9")  # what Python makes of such a byte in argv
    _one_line(main(["log", "Ada", "--no-stdin", bad]), capsys.readouterr().err, "not UTF-8")
    _one_line(main(["log", "Ada", "--no-stdin", "-n", bad, "x"]), capsys.readouterr().err, "--notes is not UTF-8")
    _one_line(main(["add", bad]), capsys.readouterr().err, "not UTF-8")
    assert _touches() == 0


@pytest.mark.skipif(EXE is None, reason="the netjournal console script is not installed")
def test_non_utf8_bytes_through_the_real_process(ada):
    env = dict(os.environ)
    p = subprocess.run([EXE, "log", "Ada"], input=b"\xff\xfe bad", capture_output=True, env=env)  # notes from the pipe
    _one_line(p.returncode, p.stderr.decode(), "standard input is not UTF-8")
    p = subprocess.run([EXE.encode(), b"log", b"Ada", b"--no-stdin", b"caf\xe9"], capture_output=True, env=env)
    _one_line(p.returncode, p.stderr.decode(), "not UTF-8")
    # a batch line that is not UTF-8 is refused on its own; the good line is logged
    p = subprocess.run([EXE, "log", "--batch", "-"], capture_output=True, env=env,
                       input=b'{"contact": "Ada", "summary": "caf\xe9"}\n{"contact": "Ada", "summary": "ok"}\n')
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [x["ok"] for x in lines] == [False, True] and "not UTF-8" in lines[0]["error"]
    assert p.returncode == 2 and "Traceback" not in p.stderr.decode()
    assert _touches() == 1


@pytest.mark.parametrize("argv", [
    ["log", "Ada", "--no-stdin", "-w", "in 10000 years", "x"],
    ["log", "Ada", "--no-stdin", "-w", "99999y ago", "x"],
    ["add", "Bob", "--met-on", "in 10000 years"],
    ["edit", "Ada", "--met-on", "in 9000 years"],
])
def test_dates_past_the_calendar(ada, capsys, argv):
    _one_line(main(argv), capsys.readouterr().err, "too far")
    assert _touches() == 0


@pytest.mark.parametrize("toml, expect", [
    ("[engine.date_lead_days]\nbirthday = 1e11\n", "too large"),
    ("[engine.weights]\noverdue = nan\n", "finite"),
    ("[engine.weights]\noverdue = inf\n", "finite"),
    ("[engine]\nkin_factor = -inf\n", "finite"),
    ("[engine]\nbudget = 1e300\n", "too large"),
])
def test_config_numbers_that_are_not_numbers(ada, capsys, toml, expect):
    cfg = Path(os.environ["NETJOURNAL_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text(toml, encoding="utf-8")
    _one_line(main(["due", "--json"]), capsys.readouterr().err, expect)


def test_due_json_is_always_json(ada, capsys):
    assert main(["log", "Ada", "--no-stdin", "-w", "200d ago", "long ago"]) == 0
    capsys.readouterr()
    assert main(["due", "--all", "--json"]) == 0
    out = capsys.readouterr().out
    json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in due --json"))


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
any_text = st.text(max_size=40)  # surrogates included: what undecodable argv bytes become


@SETTINGS
@given(summary=any_text, notes=any_text, when=st.sampled_from(["", "today", "in 10000 years", "99999d ago",
                                                              "9999-12-31", "0001-01-01", "1e11"]))
def test_any_text_in_argv_is_stored_or_refused_in_one_line(tmp_path, capsys, summary, notes, when):
    url = "sqlite:///" + str(tmp_path / "prop.db")
    main(["--db", url, "add", "Base", "Person"])
    capsys.readouterr()
    code = main(["--db", url, "log", "#1", "--no-stdin", "-w", when or "today", "-n", notes, "--", summary or "x"])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert err.count("\n") == 1 and "internal error" not in err, err


# ------------------------------------------------------------------ --db (issue 13, break 8)

def test_db_in_a_missing_folder_is_refused_without_create(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    _one_line(main(["--db", str(target), "add", "Ada"]), capsys.readouterr().err, "--create")
    assert not (tmp_path / "no").exists()
    assert main(["--db", str(target), "--create", "add", "Ada"]) == 0
    assert target.exists()
    # the default place is still made on first use
    assert main(["add", "Bo"]) == 0 and _journal().exists()


@pytest.mark.parametrize("value", ["file:{p}?mode=ro", "file:{p}", "sqlite:///file:{p}?mode=ro&uri=true"])
def test_db_sqlite_uri_filenames_do_not_make_a_file_tree(tmp_path, capsys, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    assert main(["add", "Ada"]) == 0
    capsys.readouterr()
    _one_line(main(["--db", value.format(p=_journal()), "list"]), capsys.readouterr().err, "file:")
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.startswith("file")) == []


# ------------------------------------------------------------------ small ones (issue 13, break 8)

def test_log_to_several_ids(capsys):
    for n in ("Eve", "Fay", "Gus"):
        assert main(["add", n, "Group"]) == 0
    capsys.readouterr()
    assert main(["log", "#1,#2", "--no-stdin", "--json", "pair"]) == 0
    assert {c["name"] for c in json.loads(capsys.readouterr().out)["contacts"]} == {"Eve Group", "Fay Group"}
    assert main(["log", "#3, Eve Group", "--no-stdin", "--json", "mixed"]) == 0
    assert {c["name"] for c in json.loads(capsys.readouterr().out)["contacts"]} == {"Gus Group", "Eve Group"}


@pytest.mark.skipif(EXE is None or shutil.which("bash") is None, reason="needs the console script and bash")
def test_a_while_read_loop_logs_every_name(tmp_path):
    env = dict(os.environ)
    for n in ("Ada", "Bo", "Cy"):
        assert subprocess.run([EXE, "add", n, "Loop"], env=env, capture_output=True).returncode == 0
    names = tmp_path / "names.txt"
    names.write_text("Ada Loop\nBo Loop\nCy Loop\n", encoding="utf-8")
    script = f'while read -r n; do "{EXE}" log "$n" -c call "quarterly check-in" || exit 9; done < "{names}"'
    p = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(_journal())
    try:
        rows = con.execute("SELECT c.name, t.notes FROM touch t JOIN touch_contact tc ON tc.touch_id = t.id "
                           "JOIN contact c ON c.id = tc.contact_id ORDER BY t.id").fetchall()
    finally:
        con.close()
    assert rows == [("Ada Loop", ""), ("Bo Loop", ""), ("Cy Loop", "")]
    # with no summary, piped input is still the notes; with -n - always
    p = subprocess.run([EXE, "log", "Ada Loop", "--json"], input="piped notes", env=env, capture_output=True, text=True)
    assert p.returncode == 0 and json.loads(p.stdout)["notes"] == "piped notes", p.stderr
    p = subprocess.run([EXE, "log", "Bo Loop", "-n", "-", "--json", "a summary"], input="dash notes", env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0 and json.loads(p.stdout)["notes"] == "dash notes", p.stderr


@pytest.mark.parametrize("argv, expect", [
    (["add", "\u200b"], "visible"),
    (["add", "\u200b\u200d\ufeff \u2060"], "visible"),
    (["add", "Ada", "--email", "not-an-email"], "not an email address"),
    (["add", "Ada", "--email", "ada@"], "not an email address"),
    (["add", "Ada", "--email", "a@b.org", "--email", "A@B.org"], "given twice"),
])
def test_names_and_emails_that_cannot_be_right(capsys, argv, expect):
    _one_line(main(argv), capsys.readouterr().err, expect)
    assert main(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_edit_refuses_an_email_the_contact_has_and_an_invisible_name(capsys):
    assert main(["add", "Ada", "--email", "ada@example.org"]) == 0
    capsys.readouterr()
    _one_line(main(["edit", "Ada", "--email", "ADA@example.org"]), capsys.readouterr().err, "already has")
    _one_line(main(["edit", "Ada", "--name", "\u200b"]), capsys.readouterr().err, "visible")
    assert main(["edit", "Ada", "--email", "ada@work.example"]) == 0

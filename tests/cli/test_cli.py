"""The CLI end to end through its entry point, in a temporary data directory."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.cli import main


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def journal_file() -> Path:
    return Path(os.environ["NETJOURNAL_DATA_DIR"]) / "journal.db"


def count(table: str) -> int:
    f = journal_file()
    if not f.exists():
        return 0
    con = sqlite3.connect(f)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_entry_point_is_installed_and_works(tmp_path):
    exe = shutil.which("netjournal")
    assert exe, "the netjournal console script is installed"
    env = dict(os.environ)
    p = subprocess.run([exe, "add", "Ada", "Lovelace", "--json"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["name"] == "Ada Lovelace"
    p = subprocess.run([exe, "log", "ada", "-c", "zzz"], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "unknown channel" in p.stderr
    assert "Traceback" not in p.stderr


def test_capture_flow(capsys):
    assert run(capsys, "add", "Alice", "Smith", "--company", "Acme", "--email", "alice@example.com",
               "--birthday=--04-15", "--tag", "work", "--tier", "close")[0] == 0
    assert run(capsys, "add", "Bob", "Jones")[0] == 0
    code, out, err = run(capsys, "log", "alice", "-c", "coffee", "-w", "yesterday 23:30", "talked", "about", "the", "move")
    assert code == 0, err
    assert "in person with Alice Smith on 2026-11-23" in out
    code, out, _ = run(capsys, "log", "alice,bob", "-c", "v", "--in", "--json", "group", "call")
    t = json.loads(out)
    assert {c["name"] for c in t["contacts"]} == {"Alice Smith", "Bob Jones"} and t["channel"] == "video"
    assert t["direction"] == "in"
    code, out, _ = run(capsys, "show", "alice", "--json")
    shown = json.loads(out)
    assert shown["contact"]["tier"] == "close" and len(shown["timeline"]) == 2
    assert shown["contact"]["dates"][0]["year"] is None
    code, out, _ = run(capsys, "search", "move", "--json")
    assert json.loads(out)[0]["kind"] == "touch"
    code, out, _ = run(capsys, "search", "move")
    assert "talked about the move" in out


def test_followups_and_journal(capsys):
    run(capsys, "add", "Grace Hopper")
    code, out, err = run(capsys, "followup", "add", "grace", "Coffee", "at", "the", "yard", "--kind", "meet",
                         "--due", "friday 10:00", "--place", "Navy Yard", "--json")
    assert code == 0, err
    f = json.loads(out)
    assert f["due_on"] == "2026-11-27" and f["due_time"] == "10:00:00"
    code, out, _ = run(capsys, "followup", "list")
    assert "Coffee at the yard" in out
    code, out, err = run(capsys, "followup", "done", str(f["id"]), "--notes", "she is hiring",
                         "--next", "send CV@in 3d", "--json")
    assert code == 0, err
    done = json.loads(out)
    assert done["status"] == "done" and done["done_touch_id"]
    code, out, _ = run(capsys, "followup", "list", "--json")
    nxt = json.loads(out)
    assert [x["title"] for x in nxt] == ["send CV"] and nxt[0]["due_on"] == "2026-11-27"
    code, out, err = run(capsys, "journal", "Met", "@Grace", "today")
    assert code == 0 and "Grace Hopper" in out
    code, out, _ = run(capsys, "journal", "--json")
    assert json.loads(out)["mentions"][0]["name"] == "Grace Hopper"


def test_due_snooze_dismiss(capsys):
    run(capsys, "add", "Owed", "Person", "--tier", "close")
    run(capsys, "log", "owed", "--in", "-w", "2026-11-10", "-c", "message")
    code, out, _ = run(capsys, "due", "--json")
    items = json.loads(out)
    assert any(i["kind"] == "reply" and i["contact_name"] == "Owed Person" for i in items)
    assert all(i["reason"] for i in items)
    code, out, _ = run(capsys, "due", "--why")
    assert "Owed Person" in out
    assert run(capsys, "dismiss", "owed", "--kind", "reply")[0] == 0
    code, out, _ = run(capsys, "due", "--json")
    assert not any(i["kind"] == "reply" and i["contact_name"] == "Owed Person" for i in json.loads(out))
    assert run(capsys, "snooze", "owed", "--until", "in 2w")[0] == 0


def test_demo_doctor_upgrade(capsys):
    code, out, err = run(capsys, "demo", "--contacts", "60", "--touches", "900", "--seed", "3", "--json")
    assert code == 0, err
    n = json.loads(out)
    assert n["contacts"] == 60 and 850 <= n["touches"] <= 950
    assert count("contact") == 60
    code, out, err = run(capsys, "demo", "--contacts", "5")
    assert code == 2 and "already has" in err
    code, out, _ = run(capsys, "doctor", "--json")
    rep = json.loads(out)
    assert code == 0 and rep["ok"] and rep["counts"]["contacts"] + rep["counts"]["archived"] == 60
    assert run(capsys, "db", "upgrade")[0] == 0


def test_demo_is_deterministic(tmp_path, capsys):
    dumps = []
    for i in range(2):
        url = "sqlite:///" + str(tmp_path / f"d{i}.db")
        assert run(capsys, "--db", url, "demo", "--contacts", "40", "--touches", "500", "--seed", "9")[0] == 0
        code, out, _ = run(capsys, "--db", url, "list", "--json")
        dumps.append([(c["name"], c["tier"], c["last_touch_on"], c["touch_count"]) for c in json.loads(out)])
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("argv, needle", [
    (["add", ""], "name cannot be empty"),
    (["add", "x" * 300], "too long"),
    (["log", "nobody"], "no contact matches"),
    (["log", "al"], "matches several"),
    (["log", "alice smith", "-w", "31 feb"], "no such date"),
    (["log", "alice smith", "-c", "pigeon"], "unknown channel"),
    (["log", "alice smith", "x" * 600], "too long"),
    (["edit", "alice smith", "--tier", "bff"], "unknown tier"),
    (["add", "Zed", "--birthday", "30 feb"], "no such date"),
    (["followup", "done", "999"], "no follow-up"),
    (["--db", "postgresql://", "list"], ""),
    (["--db", "mysql://u@h/db", "list"], "unsupported database"),
    (["--db", "sqlite://", "list"], "needs a file"),
    (["frobnicate"], "invalid choice"),
    (["log"], "which contact"),
])
def test_bad_input_one_line_exit_2_nothing_written(capsys, argv, needle):
    run(capsys, "add", "Alice", "Smith")
    run(capsys, "add", "Alan", "Turing")
    before = (count("contact"), count("touch"), count("followup"))
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert needle in err
    assert (count("contact"), count("touch"), count("followup")) == before


def test_unwritable_data_directory(tmp_path, monkeypatch, capsys):
    if os.geteuid() == 0:
        # root ignores permissions: point the data directory below a regular file instead
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(blocker / "data"))
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(ro / "data"))
    code, out, err = run(capsys, "add", "Ada")
    assert code == 2 and err.count("\n") == 1 and "journal" in err


def test_postgres_url_unreachable_is_one_line(capsys):
    code, out, err = run(capsys, "--db", "postgresql://nobody@127.0.0.1:1/nothing", "list")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_notes_from_stdin(tmp_path):
    exe = shutil.which("netjournal")
    env = dict(os.environ)
    subprocess.run([exe, "add", "Ada"], check=True, capture_output=True, env=env)
    p = subprocess.run([exe, "log", "ada", "-c", "call", "--json"], input="line one\nline two\n",
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["notes"] == "line one\nline two\n"


def test_unquoted_multi_word_names(capsys):
    run(capsys, "add", "Test", "Person")
    run(capsys, "add", "Testa", "Rossa")
    code, out, err = run(capsys, "log", "test", "person", "-c", "call", "--no-stdin", "swept", "the", "floor", "--json")
    assert code == 0, err
    t = json.loads(out)
    assert t["contacts"][0]["name"] == "Test Person" and t["summary"] == "swept the floor"
    code, out, err = run(capsys, "followup", "add", "test", "person", "Coffee", "soon", "--json")
    assert code == 0 and json.loads(out)["title"] == "Coffee soon"
    code, out, err = run(capsys, "show", "test", "person", "--json")
    assert code == 0 and json.loads(out)["contact"]["name"] == "Test Person"
    code, out, err = run(capsys, "edit", "test", "person", "--tier", "close")
    assert code == 0 and "Test Person" in out


def test_config_file_settings_and_errors(capsys, tmp_path):
    cfg = Path(os.environ["NETJOURNAL_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text("[engine]\nbudget = 1\n[engine.tier_prior_days]\nclose = 21\n")
    run(capsys, "add", "Close", "Friend", "--tier", "close")
    code, out, _ = run(capsys, "show", "close", "friend", "--json")
    assert code == 0 and json.loads(out)["contact"]["rhythm"] == 21
    (cfg / "config.toml").write_text("[engine]\nbudgett = 3\n")
    code, out, err = run(capsys, "due")
    assert code == 2 and err.count("\n") == 1 and "unknown key 'budgett'" in err
    (cfg / "config.toml").write_text("[engine\n")
    code, out, err = run(capsys, "due")
    assert code == 2 and err.count("\n") == 1 and "config.toml" in err


@pytest.mark.parametrize("argv", [
    ["backup", "--dir", "a\x00b"], ["--db", "x\x00.db", "list"], ["import", "a\x00"],
    ["export", "json", "-o", "a\x00b"], ["restore", "a\x00"], ["log", "--batch", "a\x00"],
    ["replay", "a\x00", "--ego", "1"],
])
def test_nul_in_a_file_name_is_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and "internal error" not in err


def test_list_takes_the_contacts_screens_filter(capsys):
    """`list` filters with the TUI's syntax: fuzzy words, tier:/stage: prefixes, #tag; the
    --tier/--stage/--tag options still work and fill what the text leaves open."""
    run(capsys, "add", "Maria Lopez", "--tier", "close", "--tag", "work")
    run(capsys, "add", "Mark Twain", "--tier", "friend")
    run(capsys, "add", "Ann Lee", "--tier", "close")

    def names(*argv):
        code, out, err = run(capsys, "list", *argv, "--json")
        assert code == 0, err
        return [c["name"] for c in json.loads(out)]

    assert names() == ["Ann Lee", "Maria Lopez", "Mark Twain"]
    assert names("mar") == ["Maria Lopez", "Mark Twain"]
    assert names("tier:clo") == ["Ann Lee", "Maria Lopez"]
    assert names("mar", "#work") == ["Maria Lopez"]
    assert names("--tier", "close", "--tag", "#WORK") == ["Maria Lopez"]
    assert names("marai", "lopes") == ["Maria Lopez"]  # a typo
    assert names("--tier", "friend", "ann") == []


def test_show_and_followup_list_mark_a_done_followup_as_done(capsys):
    assert run(capsys, "add", "Ada", "Lovelace")[0] == 0
    assert run(capsys, "followup", "add", "ada", "Coffee", "--kind", "meet", "--due", "friday")[0] == 0
    assert run(capsys, "followup", "add", "ada", "Send the notes", "--due", "friday")[0] == 0
    assert run(capsys, "followup", "done", "1")[0] == 0
    _, shown, _ = run(capsys, "show", "ada")
    assert "☑ follow-up [done] Coffee" in shown and "☐ follow-up [open] Send the notes" in shown
    _, listed, _ = run(capsys, "followup", "list", "--all")
    assert "☑ #1" in listed and "☐ #2" in listed

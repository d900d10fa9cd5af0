"""The CLI on PostgreSQL: the same commands, and a journal moved between the two databases."""
from __future__ import annotations

import json

import pytest

from netjournal.cli import main

pytestmark = pytest.mark.postgres


def run(capsys, *argv):
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_cli_on_postgres_and_back_to_sqlite(pg_url, tmp_path, capsys):
    code, out, err = run(capsys, "--db", pg_url, "demo", "--contacts", "50", "--touches", "600", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "--db", pg_url, "add", "Grace", "Hopper", "--email", "grace@navy.mil")
    assert code == 0, err  # ids continue after the demo's explicit ones
    code, out, err = run(capsys, "--db", pg_url, "log", "grace", "hopper", "-c", "call", "--no-stdin", "compilers", "chat", "--json")
    assert code == 0, err
    touch_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "--db", pg_url, "search", "compilers", "--json")
    hits = json.loads(out)
    assert hits[0]["kind"] == "touch" and hits[0]["ref_id"] == touch_id and "\x02" in hits[0]["snippet"] + "\x02"
    code, out, _ = run(capsys, "--db", pg_url, "due", "--json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = run(capsys, "--db", pg_url, "doctor", "--json")
    assert code == 0 and json.loads(out)["ok"]
    backup = tmp_path / "pg.json"
    assert run(capsys, "--db", pg_url, "export", "json", "-o", str(backup))[0] == 0
    lite = "sqlite:///" + str(tmp_path / "moved.db")
    code, out, err = run(capsys, "--db", lite, "restore", str(backup), "--json")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", lite, "show", "grace", "--json")
    shown = json.loads(out)
    assert shown["contact"]["handles"][0]["value"] == "grace@navy.mil"
    assert shown["timeline"][0]["title"] == "compilers chat"
    code, out, _ = run(capsys, "--db", lite, "doctor", "--json")
    assert code == 0 and json.loads(out)["ok"]

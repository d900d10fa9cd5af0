"""`demo --force` while another process writes (issue 13, break 7): the demo planned its ids
from a read before the write lock, so a `log` landing in between made it fail on
UNIQUE(touch.id). The race is made to happen on purpose, not by timing: the other writer runs
at the exact moment the demo has read its starting ids (a hook on its planning step) and
before it takes the write lock."""
from __future__ import annotations


import pytest

from netjournal.cli import main
from tests.robustness.helpers import integrity, sql


@pytest.fixture
def journal_url(tmp_path):
    return str(tmp_path / "race.db")


def _race(monkeypatch, url, writer) -> dict:
    """Run `demo --force` with ``writer()`` called once, after its ids were planned."""
    from netjournal.store import demo

    real = demo._tier_counts
    fired = []

    def planning(n):
        if not fired:
            fired.append(True)
            writer()
        return real(n)

    monkeypatch.setattr(demo, "_tier_counts", planning)
    return fired


def test_demo_force_with_a_log_between_its_plan_and_its_write(monkeypatch, capsys, journal_url, tmp_path):
    assert main(["--db", journal_url, "add", "Ada", "Racer"]) == 0
    assert main(["--db", journal_url, "log", "Ada Racer", "--no-stdin", "-c", "call", "first"]) == 0

    def writer():  # another process's `log` and `add`, through the CLI, on its own connection
        assert main(["--db", journal_url, "log", "Ada Racer", "--no-stdin", "-c", "call", "in the gap"]) == 0
        assert main(["--db", journal_url, "add", "Bo", "Racer"]) == 0
        assert main(["--db", journal_url, "followup", "add", "Bo Racer", "call back"]) == 0

    fired = _race(monkeypatch, journal_url, writer)
    capsys.readouterr()
    code = main(["--db", journal_url, "demo", "--force", "--contacts", "20", "--touches", "200"])
    cap = capsys.readouterr()
    assert fired and code == 0, cap.err
    assert cap.err.count("\n") <= 1 and "UNIQUE" not in cap.err
    from pathlib import Path

    f = Path(journal_url)
    assert integrity(f) == ["ok"]
    summaries = [r[0] for r in sql(f, "SELECT summary FROM touch WHERE summary IN ('first', 'in the gap')")]
    assert sorted(summaries) == ["first", "in the gap"]
    assert sql(f, "SELECT count(*) FROM contact")[0][0] == 2 + 20
    # every touch still has its contact, every link points at a real row
    assert sql(f, "PRAGMA foreign_key_check") == []
    assert main(["--db", journal_url, "show", "Bo Racer", "--json"]) == 0
    assert "Bo Racer" in capsys.readouterr().out

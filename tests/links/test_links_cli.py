"""link, unlink, introduce, graph, links suggest and show, through the CLI entry point."""
from __future__ import annotations

import json

import pytest

from netjournal.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def people(capsys):
    ok(capsys, "add", "Ada", "Lovelace", "--tier", "close")
    ok(capsys, "add", "Byron", "--tier", "network")
    ok(capsys, "add", "Charles", "Babbage", "--company", "Analytical Engines")
    ok(capsys, "add", "Mary", "Somerville", "--company", "analytical engines", "--tier", "friend")


def _links(capsys) -> list:
    return json.loads(ok(capsys, "graph", "--format", "json"))["edges"]


def test_link_show_and_inverse(capsys, people):
    out = ok(capsys, "link", "byron", "ada", "--as", "parent", "--since", "1815-12-10")
    assert "linked: Byron — parent of Ada Lovelace since 1815-12-10" in out
    shown = ok(capsys, "show", "ada")
    assert "People:" in shown and "child of Byron since 1815-12-10" in shown
    data = json.loads(ok(capsys, "show", "ada", "--json"))
    assert data["links"][0]["words"] == "child of" and data["links"][0]["other"]["name"] == "Byron"
    row = json.loads(ok(capsys, "link", "ada", "charles", "--as", "colleague", "--company", "Analytical Engines", "--json"))
    assert row["company"] == "Analytical Engines" and row["other"]["name"] == "Charles Babbage"
    assert "colleague of Ada Lovelace at Analytical Engines" in ok(capsys, "links", "list", "charles")


@pytest.mark.parametrize("argv, msg", [
    (("link", "ada", "ada", "--as", "friend"), "themselves"),
    (("link", "ada", "byron", "--as", "nemesis"), "unknown link type"),
    (("link", "ada", "nobody-at-all", "--as", "friend"), "nobody-at-all"),
    (("link", "ada", "byron", "--as", "custom"), "needs a label"),
    (("link", "ada", "byron", "--as", "friend", "--touch", "77"), "no touch #77"),
    (("link", "ada", "byron", "--as", "friend", "--since", "not a date"), ""),
])
def test_bad_links_one_line_exit_2_nothing_written(capsys, people, argv, msg):
    code, out, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and msg in err and "Traceback" not in err
    assert _links(capsys) == []


def test_duplicate_and_cycle(capsys, people):
    ok(capsys, "link", "ada", "byron", "--as", "friend")
    code, _, err = run(capsys, "link", "byron", "ada", "--as", "friend")
    assert code == 2 and "already linked" in err and err.count("\n") == 1
    ok(capsys, "link", "ada", "charles", "--as", "reports-to")
    ok(capsys, "link", "charles", "mary", "--as", "reports-to")
    code, _, err = run(capsys, "link", "mary", "ada", "--as", "reports-to")
    assert code == 2 and "cannot report to" in err
    assert len(_links(capsys)) == 3


def test_unlink_says_how_to_undo(capsys, people):
    ok(capsys, "link", "byron", "ada", "--as", "parent")
    ok(capsys, "link", "byron", "ada", "--as", "friend")
    code, _, err = run(capsys, "unlink", "ada", "byron")
    assert code == 2 and "--as" in err
    out = ok(capsys, "unlink", "ada", "byron", "--as", "child")
    assert "unlinked: Ada Lovelace — child of Byron" in out
    undo = out.splitlines()[-1].removeprefix("undo: netjournal ")
    import shlex

    ok(capsys, *shlex.split(undo))
    assert {e["kind"] for e in _links(capsys)} == {"parent", "friend"}
    assert "child of Byron" in ok(capsys, "show", "ada")


def test_introduce_ranks_says_why_and_plans(capsys, people):
    ok(capsys, "link", "ada", "charles", "--as", "colleague")
    ok(capsys, "log", "ada", "-c", "call", "--in", "catch", "up")
    out = ok(capsys, "introduce", "charles")
    lines = out.splitlines()
    assert lines[0] == "Who can introduce you to Charles Babbage:"
    assert "Ada Lovelace" in lines[1] and "colleague of Charles Babbage" in lines[1]
    assert "close tier" in lines[2] and "last touch today" in lines[2]
    assert "Mary Somerville" in out and "works at Analytical Engines" in out
    data = json.loads(ok(capsys, "introduce", "charles", "--plan", "--due", "tomorrow", "--json"))
    assert data["introducers"][0]["contact"]["name"] == "Ada Lovelace"
    assert data["followup"]["kind"] == "introduce"
    assert data["followup"]["title"] == "Ask Ada Lovelace to introduce you to Charles Babbage"
    fus = json.loads(ok(capsys, "followup", "list", "--json"))
    assert [f["kind"] for f in fus] == ["introduce"]
    assert "nobody in your journal" in ok(capsys, "introduce", "byron")
    code, _, err = run(capsys, "introduce", "byron", "--plan")
    assert code == 2 and "nobody" in err


def test_graph_dot_and_neighbourhood(capsys, people):
    ok(capsys, "link", "ada", "charles", "--as", "colleague")
    ok(capsys, "link", "byron", "ada", "--as", "parent")
    ok(capsys, "link", "mary", "byron", "--as", "introduced-by")
    dot = ok(capsys, "graph")
    assert dot.startswith("digraph netjournal {") and dot.rstrip().endswith("}")
    assert dot.count("->") == 3 and '"parent of"' in dot
    near = json.loads(ok(capsys, "graph", "--contact", "charles", "--json"))
    assert {n["name"] for n in near["nodes"]} == {"Ada Lovelace", "Charles Babbage"}


def test_control_bytes_are_neutralised(capsys):
    ok(capsys, "add", "Evil\x1b[31mName")
    ok(capsys, "add", "Plain")
    out = ok(capsys, "link", "plain", "#1", "--as", "friend")
    assert "\x1b" not in out
    assert "\x1b" not in ok(capsys, "show", "plain")
    assert "\x1b" not in ok(capsys, "graph")


def test_suggest_and_accept(capsys, people):
    for _ in range(3):
        ok(capsys, "log", "ada,byron", "-c", "meeting", "board")
    out = ok(capsys, "links", "suggest")
    assert "1. Ada Lovelace and Byron seem to know each other (together in 3" in out
    ok(capsys, "links", "suggest", "--accept", "1", "--as", "friend")
    assert [e["kind"] for e in _links(capsys)] == ["friend"]
    assert "no suggestions" in ok(capsys, "links", "suggest")
    code, _, err = run(capsys, "links", "suggest", "--accept", "1")
    assert code == 2 and "no suggestion #1" in err


def test_demo_has_plausible_links(capsys):
    ok(capsys, "demo", "--contacts", "300", "--touches", "3000", "--seed", "7")
    g = json.loads(ok(capsys, "graph", "--format", "json"))
    kinds = {e["kind"] for e in g["edges"]}
    assert {"colleague", "introduced_by", "partner"} <= kinds
    names = {n["id"]: n for n in g["nodes"]}
    for e in g["edges"]:
        if e["kind"] == "colleague":  # colleagues share the company they are linked at
            assert names[e["source"]]["company"] == names[e["target"]]["company"] == e["company"]
    colleague = next(e for e in g["edges"] if e["kind"] == "colleague")
    out = ok(capsys, "introduce", f"#{colleague['target']}")
    assert out.startswith("Who can introduce you to")


def test_due_nudges_an_introduction_to_a_target(capsys, people):
    ok(capsys, "edit", "charles", "--target", "1", "--why", "builds engines")
    ok(capsys, "link", "ada", "charles", "--as", "colleague")
    ok(capsys, "log", "ada", "--in", "-w", "2026-11-10", "-c", "message")  # a reply owed: Ada is due
    out = ok(capsys, "due", "--all")
    lines = out.splitlines()
    i = next(n for n, ln in enumerate(lines) if "Ada Lovelace —" in ln)
    assert "while you're at it: ask them to introduce you to Charles Babbage (target #1)" in "\n".join(lines[i:i + 3])
    # once you are in touch with the target, no introduction is needed
    ok(capsys, "log", "charles", "-c", "email", "hello")
    assert "introduce you to" not in ok(capsys, "due", "--all")

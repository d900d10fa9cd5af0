"""Property tests: whatever a user types, the CLI answers with success or one clear line
(exit 2) and never a traceback; a refused command changes nothing."""
from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings, strategies as st

from netjournal.cli import main

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
wild_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["", " ", "[bold]x[/]", "'; DROP TABLE contact; --", "\u202eevil", "\x00", "31 feb", "0000-01-01",
     "9999-12-31", "👩‍👩‍👧", "a" * 250])


def _counts(path):
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("contact", "touch", "followup"))
    finally:
        con.close()


@SETTINGS
@given(name=wild_text, when=wild_text, channel=wild_text, summary=wild_text)
def test_add_and_log_never_crash(tmp_path, capsys, name, when, channel, summary):
    url = "sqlite:///" + str(tmp_path / "prop.db")
    main(["--db", url, "add", "Base", "Person"])
    capsys.readouterr()
    before = _counts(tmp_path / "prop.db")
    code = main(["--db", url, "add", "--", name])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and _counts(tmp_path / "prop.db") == before
    before = _counts(tmp_path / "prop.db")
    code = main(["--db", url, "log", "#1", "-w", when, "-c", channel, "--no-stdin", "--", summary])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and _counts(tmp_path / "prop.db") == before


@SETTINGS
@given(query=wild_text)
def test_search_and_show_never_crash(tmp_path, capsys, query):
    url = "sqlite:///" + str(tmp_path / "prop2.db")
    main(["--db", url, "add", "Searchable", "Person", "--about", "likes climbing"])
    capsys.readouterr()
    code = main(["--db", url, "search", "--", query or "x"])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    code = main(["--db", url, "show", "--", query])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err

"""LinkedIn, Google and Outlook CSV imports, duplicates and dry runs."""
from __future__ import annotations

from netjournal.formats.importing import detect_format, import_path
from netjournal.store import api


def _by_name(db):
    return {c.name: api.get_contact(db, c.id) for c in api.list_contacts(db, include_archived=True)}


def test_detection(fixtures):
    assert detect_format(fixtures / "linkedin-connections.csv") == "linkedin-connections"
    assert detect_format(fixtures / "linkedin-connections-old.csv") == "linkedin-connections"
    assert detect_format(fixtures / "linkedin-messages.csv") == "linkedin-messages"
    assert detect_format(fixtures / "google-contacts.csv") == "google-csv"
    assert detect_format(fixtures / "outlook-cp1252.csv") == "outlook-csv"
    assert detect_format(fixtures / "outlook-utf8-bom.csv") == "outlook-csv"
    assert detect_format(fixtures / "gmail-several.vcf") == "vcard"


def test_unknown_format_is_one_line_user_error(tmp_path):
    import pytest

    from netjournal.errors import UserError

    f = tmp_path / "x.txt"
    f.write_text("hello world\n")
    with pytest.raises(UserError) as e:
        detect_format(f)
    assert "\n" not in str(e.value)


def test_linkedin_connections_preamble_and_quotes(db, fixtures, today):
    r = import_path(db, fixtures / "linkedin-connections.csv", today=today)
    assert (r.added, r.problems) == (3, [])
    people = _by_name(db)
    ana = people["Ana López García"]
    assert (ana.company, ana.role, ana.met_on.isoformat()) == ("Acme, Inc.", "Head of Partnerships", "2021-03-07")
    assert {(h.kind, h.value) for h in ana.handles} == {
        ("linkedin", "https://www.linkedin.com/in/ana-lopez-garcia"), ("email", "ana.lopez@example.org")}
    assert people["Mary-Jane O'Neil"].company == '"Quoted" Labs'
    assert people["Sam"].role == "Designer, illustrator"
    assert people["Sam"].met_on.isoformat() == "2024-02-29"


def test_linkedin_connections_old_layout(db, fixtures, today):
    r = import_path(db, fixtures / "linkedin-connections-old.csv", today=today)
    assert r.added == 2
    assert _by_name(db)["Zoë Ångström"].company == "Ångström & Co"


def test_same_file_twice_adds_nothing(db, fixtures, today):
    for name in ("linkedin-connections.csv", "google-contacts.csv", "outlook-cp1252.csv", "gmail-several.vcf",
                 "iphone-crcrlf.vcf", "outlook-21-qp.vcf"):
        import_path(db, fixtures / name, today=today)
        before = api.list_contacts(db)
        r = import_path(db, fixtures / name, today=today)
        assert (r.added, r.merged) == (0, 0), (name, r.details)
        assert r.skipped >= 1
        assert api.list_contacts(db) == before


def test_merge_fills_empty_fields_and_reports_conflicts(db, fixtures, today):
    import_path(db, fixtures / "linkedin-connections.csv", today=today)
    r = import_path(db, fixtures / "google-contacts.csv", today=today)
    assert r.merged == 1  # Ana matched by email / profile URL
    ana = _by_name(db)["Ana López García"]
    assert ana.about.startswith("Met at PyCon.\nLoves climbing.")
    assert ("email", "ana@home.example") in {(h.kind, h.value) for h in ana.handles}
    assert {"work", "starred"} <= set(ana.tags)
    assert {(d.kind, d.month, d.day, d.year) for d in ana.dates} == {("birthday", 4, 15, 1988),
                                                                        ("anniversary", 6, 20, 2015)}
    # a conflicting value is reported, never overwritten
    api.update_contact(db, ana.id, role="Chief Partnerships Officer")
    r2 = import_path(db, fixtures / "linkedin-connections.csv", today=today)
    assert any("role kept" in c for c in r2.conflicts)
    assert _by_name(db)["Ana López García"].role == "Chief Partnerships Officer"


def test_match_by_exact_name(db, fixtures, today):
    c = api.add_contact(db, name="ana lópez garcía")
    r = import_path(db, fixtures / "linkedin-connections.csv", today=today)
    assert r.merged == 1 and r.added == 2
    assert len(api.get_contact(db, c.id).handles) == 2


def test_dry_run_shows_and_writes_nothing(db, fixtures, today):
    api.add_contact(db, name="Tom Hughes", handles=[("email", "TOM@example.com")])
    r = import_path(db, fixtures / "linkedin-connections-old.csv", today=today, dry_run=True)
    assert r.dry_run and (r.added, r.merged) == (1, 1)
    assert any(d.startswith("add") and "Zoë" in d for d in r.details)
    assert any(d.startswith("merge") and "Tom Hughes" in d for d in r.details)
    assert [c.name for c in api.list_contacts(db)] == ["Tom Hughes"]


def test_google_csv_quirks(db, fixtures, today):
    r = import_path(db, fixtures / "google-contacts.csv", today=today)
    assert r.added == 4 and r.bad_records == []
    people = _by_name(db)
    assert [(d.month, d.day, d.year) for d in people["Björn Ødegård"].dates] == [(2, 29, None)]
    assert people["DJ"].nickname == "DJ" and people["DJ"].tags == ("music",)
    assert "[bold]Mallory[/] <script>" in people
    ana = people["Ana López García"]
    assert ("address", "Calle Mayor 1, Madrid", "Home") in {(h.kind, h.value, h.label) for h in ana.handles}
    assert ("linkedin", "https://www.linkedin.com/in/ana-lopez-garcia") in {(h.kind, h.value) for h in ana.handles}


def test_outlook_cp1252_and_utf8_bom_read_the_same(db, fixtures, today):
    r = import_path(db, fixtures / "outlook-cp1252.csv", today=today)
    assert r.added == 2
    g = _by_name(db)["Dr. Grace B. Hopper"]
    assert "Café" in g.about and '"nanoseconds"' in g.about
    assert [(d.kind, d.month, d.day, d.year) for d in g.dates] == [("birthday", 12, 9, 1906)]
    assert set(g.tags) == {"mentors", "tech"}
    r2 = import_path(db, fixtures / "outlook-utf8-bom.csv", today=today)
    assert (r2.added, r2.merged) == (0, 0)


def test_linkedin_messages_touches(db, fixtures, today):
    import_path(db, fixtures / "linkedin-connections.csv", today=today)
    r = import_path(db, fixtures / "linkedin-messages.csv", today=today)
    assert r.owner == "Pat Example"
    assert (r.touches_added, r.touches_skipped) == (3, 0)
    people = _by_name(db)
    assert "Pat Example" not in people
    ana = people["Ana López García"]
    ts = api.list_touches(db, contact_id=ana.id)
    assert len(ts) == 1  # two messages on one day: one touch
    assert ts[0].direction == "mutual" and ts[0].channel == "message" and ts[0].platform == "linkedin"
    assert "Tuesday works." in ts[0].notes
    assert ana.touch_count == 1 and ana.last_touch_on.isoformat() == "2025-05-01"
    ravi = api.list_touches(db, contact_id=people["Ravi Shankar"].id)
    assert ravi[0].direction == "in" and ravi[0].summary == "Intro"
    group = api.list_touches(db, contact_id=people["Sam"].id)
    assert group[0].direction == "out" and {r.name for r in group[0].contacts} == {"Sam", "Björn Ødegård"}
    again = import_path(db, fixtures / "linkedin-messages.csv", today=today)
    assert (again.touches_added, again.touches_skipped, again.added) == (0, 3, 0)


# ----------------------------------------------------------------- damaged files (issue 13)

def test_an_unterminated_quote_mid_file_is_reported_and_the_rows_after_it_read(db, fixtures, today):
    # Gus's company cell opens a quote that never closes; the next row has a quoted note that
    # closes it much later, so the quote is not open at the end of the file
    r = import_path(db, fixtures / "google-unterminated-quote.csv", today=today)
    people = _by_name(db)
    assert set(people) == {"Priya Raman", "Lena Fischer", "Marco Rossi"}
    assert people["Priya Raman"].about == "Met at the climate hack.\nFollow up about the grant."  # a real multi-line cell
    assert {(h.kind, h.value) for h in people["Lena Fischer"].handles} == {
        ("email", "lena@fischer.example"), ("phone", "+49 30 555 0113")}
    assert people["Marco Rossi"].about == 'Loves "old" cameras'
    assert [(p.line, "never closed" in p.reason) for p in r.bad_records] == [(4, True)]
    assert all(len(name) < 40 for name in people)


def test_a_quote_open_to_the_end_of_the_file_does_not_make_one_contact_of_the_rest(db, fixtures, today):
    r = import_path(db, fixtures / "linkedin-unterminated-quote.csv", today=today)
    people = _by_name(db)
    assert set(people) == {"Dana Park", "Fay Nguyen", "Gil Ortiz"}
    assert people["Gil Ortiz"].company == "Ortiz Legal"
    assert [(p.line, "never closed" in p.reason) for p in r.bad_records] == [(6, True)]


def test_strict_refuses_a_csv_with_an_unterminated_quote(env, fixtures, capsys):
    import json

    from netjournal.cli import main

    db = str(env / "strict.db")
    assert main(["--db", db, "import", "--strict", str(fixtures / "linkedin-unterminated-quote.csv")]) == 2
    err = capsys.readouterr().err
    assert ":6: a quote" in err and "nothing imported (--strict)" in err
    assert main(["--db", db, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

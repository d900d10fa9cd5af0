"""vCard import: each device quirk of real exports, reproduced in tests/fixtures/formats."""
from __future__ import annotations

import json

import sqlalchemy as sa

from netjournal.formats.importing import detect_format, import_path
from netjournal.store import api


def _by_name(db):
    return {c.name: api.get_contact(db, c.id) for c in api.list_contacts(db, include_archived=True)}


def _handles(c, kind=None):
    return {(h.kind, h.value, h.label) for h in c.handles if kind is None or h.kind == kind}


def test_iphone_crcrlf_groups_labels_and_omit_year(db, fixtures, today):
    r = import_path(db, fixtures / "iphone-crcrlf.vcf", today=today)
    assert (r.added, r.bad_records) == (1, [])
    c = _by_name(db)["Thao Nguyen"]
    assert (c.given_name, c.family_name, c.nickname, c.company, c.role) == (
        "Thao", "Nguyen", "Tee", "Lumen Labs", "Staff Scientist")
    assert ("email", "thao@lumen.example", "other") in _handles(c)
    assert ("phone", "+1 415 555 0199", "Studio") in _handles(c)
    assert ("phone", "+1 (415) 555-0142", "cell") in _handles(c)
    assert ("linkedin", "https://www.linkedin.com/in/thao-nguyen", "homepage") in _handles(c)
    assert ("x", "https://twitter.com/thaon", "") in _handles(c)
    assert [(d.kind, d.month, d.day, d.year) for d in c.dates] == [("birthday", 4, 15, None)]
    assert "Department: Research" in c.about


def test_mac_two_space_folds_and_mixed_endings(db, fixtures, today):
    import_path(db, fixtures / "mac-mixed-endings.vcf", today=today)
    c = _by_name(db)["Chidi Okafor"]
    assert "folds onto the next line" in " ".join(c.about.split())
    assert _handles(c, "email") == {("email", "chidi@okafor.example", "work")}
    assert [(d.month, d.day, d.year) for d in c.dates] == [(11, 2, 1990)]


def test_gmail_comma_in_fn_abdate_several_cards(db, fixtures, today):
    r = import_path(db, fixtures / "gmail-several.vcf", today=today)
    assert r.added == 3
    people = _by_name(db)
    c = people["Dr. Amara Diallo, PhD"]  # text after the unescaped comma is kept
    assert ("website", "http://diallo.example", "work") in _handles(c)
    assert ("anniversary", 9, 8, 2012) in {(d.kind, d.month, d.day, d.year) for d in c.dates}
    assert "Spouse: Moussa" in c.about and "Prefers mornings, tea not coffee, and long walks." in c.about
    assert set(people["Kenji Sato"].tags) == {"climbing", "tokyo"}


def test_outlook_21_lowercase_qp_soft_breaks_bday(db, fixtures, today):
    r = import_path(db, fixtures / "outlook-21-qp.vcf", today=today)
    assert r.bad_records == []
    c = _by_name(db)["Oskar Brandt"]
    assert c.about.startswith("First line of the note\nSecond line continues after a soft break\nThird line.")
    assert c.company == "Brandt & Söhne"
    assert {(d.kind, d.month, d.day, d.year) for d in c.dates} == {("birthday", 3, 22, 1980), ("anniversary", 1, 13, 2011)}
    assert ("phone", "(030) 555-1234", "work") in _handles(c)
    addr = _handles(c, "address")
    assert len(addr) == 1 and "Hafenstraße 5" in next(iter(addr))[1]


def test_android_utf8_split_across_soft_break_and_email_only(db, fixtures, today):
    r = import_path(db, fixtures / "android-21-utf8-split.vcf", today=today)
    assert r.added == 2
    people = _by_name(db)
    assert "only.email@android.example" in people
    c = people["José Ñúñez"]
    assert c.about == "Mañana café con José"
    assert (c.given_name, c.family_name) == ("José", "Ñúñez")
    assert people["only.email@android.example"].tags == ("my contacts",)


def test_blackberry_long_photo_line_and_empty_note(db, fixtures, today):
    r = import_path(db, fixtures / "blackberry-photo-empty-note.vcf", today=today)
    assert (r.added, r.problems) == (1, [])
    c = _by_name(db)["Priya Raman"]
    assert c.about == "" and c.company == "Acme Solutions"


def test_evolution_quoted_parameters(db, fixtures, today):
    import_path(db, fixtures / "evolution-quoted-params.vcf", today=today)
    c = _by_name(db)["Élise Moreau"]
    assert ("email", "elise@moreau.example", "work") in _handles(c)
    assert ("phone", "+33 7 00 00 00 01", "cell") in _handles(c)
    assert "Spouse: Hugo" in c.about and c.tags == ("vip",)


def test_lotus_odd_properties_and_escaped_nickname(db, fixtures, today):
    r = import_path(db, fixtures / "lotus-odd-properties.vcf", today=today)
    assert r.bad_records == []
    c = _by_name(db)["Ivan Petrov"]
    assert c.nickname == "Vanya,Ivo"


def test_thunderbird_escaped_commas_in_categories(db, fixtures, today):
    import_path(db, fixtures / "thunderbird-categories.vcf", today=today)
    c = _by_name(db)["Anna Kowalski"]
    assert set(c.tags) == {"family", "friends", "book club"}
    assert c.about == "Line one.\nLine two; with a semicolon."


def test_yearless_birthdays_v4_and_several_org_title(db, fixtures, today):
    import_path(db, fixtures / "rfc-yearless-and-v4.vcf", today=today)
    people = _by_name(db)
    s = people["Simone Perreault"]
    assert {(d.kind, d.month, d.day, d.year) for d in s.dates} == {("birthday", 2, 3, None), ("anniversary", 8, 8, 2009)}
    assert (s.company, s.role) == ("Viagenie", "Title One")
    assert "Organization: Second Org, Dept Two" in s.about and "Title: Title Two" in s.about
    assert ("phone", "+1-418-656-9254", "work") in _handles(s)
    leap = people["Leap Day Person"]
    assert [(d.month, d.day, d.year) for d in leap.dates] == [(2, 29, None)]
    assert _handles(leap, "address") == {("address", "6544 Battleford Drive, Raleigh, NC, 27613-3502, U.S.A.", "work")}
    assert len(people["Double Birthday"].dates) == 1


def test_bad_records_listed_with_lines_rest_imported(db, fixtures, today):
    r = import_path(db, fixtures / "bad-records.vcf", today=today)
    names = set(_by_name(db))
    assert {"Good Before", "Good After", "Odd Birthday", "Cut Short"} <= names
    fatal = r.bad_records
    assert [(p.line, "empty card" in p.reason) for p in fatal] == [(6, True)]
    warnings = [p for p in r.problems if not p.fatal]
    assert any(p.line == 12 and "sometime in spring" in p.reason for p in warnings)
    assert "Bday: sometime in spring" in _by_name(db)["Odd Birthday"].about or \
        "Birthday: sometime in spring" in _by_name(db)["Odd Birthday"].about


def test_strict_writes_nothing_when_a_record_is_bad(db, fixtures, today):
    r = import_path(db, fixtures / "bad-records.vcf", today=today, strict=True)
    assert not r.written and r.bad_records and r.added == 0
    assert api.list_contacts(db) == []


def test_folder_of_vcf_and_detection(db, fixtures, today, tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    for name in ("gmail-several.vcf", "iphone-crcrlf.vcf"):
        (folder / name).write_bytes((fixtures / name).read_bytes())
    assert detect_format(folder) == "vcard"
    r = import_path(db, folder, today=today)
    assert r.added == 4


def test_search_docs_written_for_imported_contacts(db, fixtures, today):
    from netjournal.store import search

    import_path(db, fixtures / "gmail-several.vcf", today=today)
    hits = search.search(db, "Kenji")
    assert [h.title for h in hits if h.kind == "contact"] == ["Kenji Sato"]
    with db.read() as s:
        n = s.execute(sa.text("SELECT count(*) FROM search_doc WHERE kind='contact'")).scalar()
    assert n == 3


# ----------------------------------------------------------------- damaged files (issue 13)

def test_a_card_missing_end_vcard_does_not_swallow_the_next_ones(db, fixtures, today):
    r = import_path(db, fixtures / "missing-end.vcf", today=today)
    people = _by_name(db)
    # the card after the damaged one, the AGENT card's parent and the last card are all there
    assert {"Chidi Okafor", "Omar Haddad", "Ana Ferreira", "Petra Novak"} <= set(people)
    assert "Ana Assistant" not in people  # an embedded 2.1 AGENT card stays embedded
    assert _handles(people["Ana Ferreira"], "email") == {("email", "ana@ferreira.example", "")}
    assert _handles(people["Omar Haddad"], "phone") == {("phone", "+961 1 555 0103", "work")}
    # the damaged card is reported with its line, not silently merged into its neighbour
    assert [(p.line, "no END:VCARD" in p.reason) for p in r.bad_records] == [(8, True)]
    assert "line 13" in r.bad_records[0].reason


def test_strict_refuses_a_file_with_a_card_missing_end_vcard(env, fixtures, capsys):
    from netjournal.cli import main

    db = str(env / "strict.db")
    assert main(["--db", db, "import", "--strict", str(fixtures / "missing-end.vcf")]) == 2
    err = capsys.readouterr().err
    assert "no END:VCARD" in err and "nothing imported (--strict)" in err
    assert main(["--db", db, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_quoted_printable_ending_in_a_soft_break_stops_at_the_next_property(db, fixtures, today):
    r = import_path(db, fixtures / "qp-trailing-equals.vcf", today=today)
    people = _by_name(db)
    assert {"Jonas Brandt", "Claire Moreau", "Tomas Berg"} == set(people)
    assert people["Jonas Brandt"].about.strip() == "Met at the Hamburg meetup"
    claire = people["Claire Moreau"]
    assert claire.about == "Café owner, knows everyone on the street"
    assert _handles(claire) == {("phone", "+33 6 55 01 02 03", "cell"), ("email", "claire@moreau.example", "")}
    assert r.bad_records == []


def test_tab_folds_inside_parameters_keep_every_phone_and_email(db, fixtures, today):
    r = import_path(db, fixtures / "tab-folded-params.vcf", today=today)
    assert r.bad_records == []
    people = _by_name(db)
    h = people["Harriet Whitfield"]
    assert _handles(h, "phone") == {("phone", "+44 7700 900123", "cell"), ("phone", "+44 20 7946 0958", "work")}
    assert _handles(h, "email") == {("email", "harriet@whitfield.example", "")}
    (addr,) = _handles(h, "address")
    assert addr[1].endswith("United Kingdom") and "TEL" not in addr[1]
    assert h.about == "Prefers calls after 6pm"
    assert _handles(people["Ren Ito"], "phone") == {("phone", "+81 90 5555 0107", "cell")}

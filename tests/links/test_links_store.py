"""Links between contacts through the store API, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from netjournal.errors import NotFound, UserError
from netjournal.store import api, links

TODAY = date(2026, 11, 30)


def _people(db, *names, **fields):
    return [api.add_contact(db, name=n, **fields).id for n in names]


def _count(db) -> int:
    return len(links.all_links(db))


def test_inverse_is_shown_from_the_other_side(db):
    ada, byron = _people(db, "Ada", "Byron")
    row = links.add_link(db, byron, ada, "parent")
    assert row.describe() == "parent of Ada"
    assert [r.describe() for r in links.list_links(db, ada)] == ["child of Byron"]
    # "child" is stored the other way round: the same link
    with pytest.raises(UserError, match="already linked"):
        links.add_link(db, ada, byron, "child")


def test_symmetric_kinds_have_one_row_whatever_the_order(db):
    a, b = _people(db, "Ann", "Bob")
    links.add_link(db, b, a, "colleague", company="Acme")
    with pytest.raises(UserError, match="already linked"):
        links.add_link(db, a, b, "colleague")
    assert [r.describe() for r in links.list_links(db, a)] == ["colleague of Bob at Acme"]
    assert [r.describe() for r in links.list_links(db, b)] == ["colleague of Ann at Acme"]
    assert _count(db) == 1


def test_directional_kinds_and_their_inverses(db):
    a, b, c = _people(db, "Ann", "Bob", "Cat")
    links.add_link(db, a, b, "reports-to")
    links.add_link(db, c, a, "manages")
    links.add_link(db, c, b, "introduced-by", since=date(2025, 3, 1))
    assert {r.describe() for r in links.list_links(db, a)} == {"reports to Bob", "reports to Cat"}
    assert {r.describe() for r in links.list_links(db, b)} == {"manages Ann", "introduced you to Cat since 2025-03-01"}


@pytest.mark.parametrize("case", ["self", "unknown", "custom-without-label", "company-not-colleague", "no-contact"])
def test_bad_links_write_nothing(db, case):
    a, b = _people(db, "Ann", "Bob")
    args = {"self": (a, a, "friend", {}), "unknown": (a, b, "frenemy", {}),
            "custom-without-label": (a, b, "custom", {}),
            "company-not-colleague": (a, b, "friend", {"company": "Acme"}),
            "no-contact": (a, 999_999, "friend", {})}[case]
    with pytest.raises(UserError) as e:
        links.add_link(db, args[0], args[1], args[2], **args[3])
    assert "\n" not in str(e.value)
    assert _count(db) == 0


def test_reports_to_cycle_is_refused(db):
    a, b, c = _people(db, "Ann", "Bob", "Cat")
    links.add_link(db, a, b, "reports-to")
    links.add_link(db, b, c, "reports-to")
    with pytest.raises(UserError, match="cannot report to"):
        links.add_link(db, c, a, "reports-to")
    with pytest.raises(UserError, match="cannot report to"):
        links.add_link(db, c, a, "reports_to")
    assert _count(db) == 2


def test_custom_label_and_unknown_touch(db):
    a, b = _people(db, "Ann", "Bob")
    with pytest.raises(NotFound):
        links.add_link(db, a, b, "introduced-by", touch_id=424242)
    row = links.add_link(db, a, b, "custom", label="godparent of")
    assert row.describe() == "godparent of Bob"
    assert _count(db) == 1


def test_deleting_a_contact_deletes_their_links_not_shared_touches(db):
    a, b, c = _people(db, "Ann", "Bob", "Cat")
    t = api.log_touch(db, contact_ids=[a, b, c], channel="meeting", day=TODAY)
    links.add_link(db, a, b, "introduced-by", touch_id=t.id)
    links.add_link(db, b, c, "friend")
    api.delete_contact(db, a)
    assert [r.describe() for r in links.list_links(db, b)] == ["friend of Cat"]
    assert api.get_touch(db, t.id).id == t.id
    # deleting the touch keeps a link that points at it
    links.add_link(db, b, c, "introduced-by", touch_id=t.id)
    api.delete_touch(db, t.id)
    assert {r.kind for r in links.list_links(db, c)} == {"friend", "introduced_by"}


def test_remove_and_restore(db):
    a, b = _people(db, "Ann", "Bob")
    row = links.add_link(db, b, a, "parent")
    gone = links.remove_link(db, row.id)
    assert links.list_links(db, a) == []
    links.restore_link(db, gone)
    assert [r.describe() for r in links.list_links(db, a)] == ["child of Bob"]
    intro = links.add_link(db, a, b, "introduced-by")
    links.restore_link(db, links.remove_link(db, intro.id))
    assert {r.describe() for r in links.list_links(db, b)} == {"parent of Ann", "introduced you to Ann"}
    with pytest.raises(NotFound):
        links.remove_link(db, 987654)


def test_introducers_ranked_by_the_users_own_relationship(db):
    x = api.add_contact(db, name="Xena Target", company="Globex").id
    close = api.add_contact(db, name="Close Colleague", tier="close").id
    distant = api.add_contact(db, name="Distant Friend", tier="acquaintance").id
    insider = api.add_contact(db, name="Globex Insider", company="globex", tier="network").id
    api.add_contact(db, name="Stranger", tier="inner")
    links.add_link(db, close, x, "colleague")
    links.add_link(db, distant, x, "friend")
    for i in range(6):
        api.log_touch(db, contact_ids=[close], channel="call", direction="in", day=TODAY - timedelta(days=10 * i))
    api.log_touch(db, contact_ids=[distant], channel="email", day=TODAY - timedelta(days=400))
    rows = links.introducers(db, x, today=TODAY)
    assert [r.contact.name for r in rows] == ["Close Colleague", "Globex Insider", "Distant Friend"]
    top = rows[0]
    assert top.via == "colleague of Xena Target"
    assert any("close tier" in w for w in top.reasons)
    assert any("100%" in w for w in top.reasons)
    assert next(r for r in rows if r.contact.id == insider).via == "works at Globex"
    f = links.plan_introduction(db, top.contact.id, x)
    assert f.kind == "introduce" and {r.id for r in f.contacts} == {close, x}


def test_suggestions_from_group_touches(db):
    a, b, c = _people(db, "Ann", "Bob", "Cat")
    for i in range(3):
        api.log_touch(db, contact_ids=[a, b], channel="meeting", day=TODAY - timedelta(days=i))
    api.add_followup(db, contact_ids=[a, c], title="dinner")
    api.log_touch(db, contact_ids=[a, c], channel="meeting", day=TODAY)
    sugg = links.suggestions(db)
    assert [(s.a.name, s.b.name, s.together) for s in sugg] == [("Ann", "Bob", 3)]
    row = links.accept_suggestion(db, 1)
    assert row.words == "knows"
    assert links.suggestions(db) == []
    with pytest.raises(UserError, match="no suggestion #1"):
        links.accept_suggestion(db, 1)


def test_graph_and_insights(db):
    a, b, c, d = _people(db, "Ann", "Bob", "Cat", "Dan")
    links.add_link(db, a, b, "introduced-by")
    links.add_link(db, c, b, "introduced-by")
    links.add_link(db, c, d, "friend")
    g = links.graph(db, a)
    assert {n["name"] for n in g["nodes"]} == {"Ann", "Bob"}
    whole = links.graph(db)
    assert len(whole["edges"]) == 3
    dot = links.to_dot(whole)
    assert dot.startswith("digraph") and "dir=none" in dot and '"introduced by"' in dot
    assert links.top_introducers(db)[0].contact.name == "Bob"
    top = links.most_connected(db, limit=2)
    assert {r.contact.name for r in top} == {"Bob", "Cat"} and top[0].count == 2


def test_top_few_equal_the_head_of_the_full_ranking(sqlite_db):
    import random

    db = sqlite_db
    rng = random.Random(5)
    x = api.add_contact(db, name="Target", company="Initech").id
    tiers = ("inner", "close", "friend", "network", "acquaintance")
    for i in range(30):
        c = api.add_contact(db, name=f"P{i:02d}", company="Initech" if i % 2 else "", tier=rng.choice(tiers)).id
        if i % 2 == 0:
            links.add_link(db, c, x, rng.choice(("friend", "colleague", "introduced-by", "sibling")))
        for _ in range(rng.randrange(0, 6)):
            api.log_touch(db, contact_ids=[c], channel=rng.choice(("call", "email", "coffee")),
                          direction=rng.choice(("in", "out", "mutual")), day=TODAY - timedelta(days=rng.randrange(400)))
    full = links.introducers(db, x, today=TODAY, limit=100)
    assert len(full) == 30
    assert [r.score for r in full] == sorted((r.score for r in full), reverse=True)
    for k in (1, 3, 7):
        assert links.introducers(db, x, today=TODAY, limit=k) == full[:k]


def test_introduction_nudges_for_due_contacts(db):
    b, x, y, z = _people(db, "Bea", "Xena", "Yuri", "Zed")
    api.update_contact(db, x, target_priority=2)
    api.update_contact(db, y, target_priority=1)
    links.add_link(db, b, x, "friend")
    links.add_link(db, y, b, "colleague")
    links.add_link(db, z, b, "friend")
    assert links.introduction_nudges(db, [b, z]) == {b: "ask them to introduce you to Yuri (target #1)"}
    api.log_touch(db, contact_ids=[y], channel="email", day=TODAY)
    assert links.introduction_nudges(db, [b]) == {b: "ask them to introduce you to Xena (target #2)"}
    assert links.introduction_nudges(db, []) == {}


def test_suggestions_for_one_contact(db):
    ann, bob, cat, dan = _people(db, "Ann", "Bob", "Cat", "Dan")
    for d in range(3):
        api.log_touch(db, contact_ids=[ann, bob, cat], channel="event", day=TODAY - timedelta(days=d))
    api.log_touch(db, contact_ids=[ann, dan], channel="event", day=TODAY)
    api.add_followup(db, contact_ids=[ann, bob], title="dinner")
    got = links.suggestions_for(db, ann)
    assert [(s.a.name, s.b.name, s.together) for s in got] == [("Ann", "Bob", 4), ("Ann", "Cat", 3)]
    links.add_link(db, cat, ann, "friend")
    assert [s.b.name for s in links.suggestions_for(db, ann)] == ["Bob"]
    assert links.suggestions_for(db, dan) == []
    with pytest.raises(NotFound):
        links.suggestions_for(db, 999_999)

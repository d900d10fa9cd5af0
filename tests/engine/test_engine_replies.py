"""Replies owed: only for messages that expect an answer, ranked by closeness."""
from datetime import date, datetime, timedelta

from netjournal.engine import ContactInput, EngineConfig, RelationshipState, build_queue, contact_items
from netjournal.vocab import TIERS

D = date(2026, 11, 1)


def contact(cid, tier, history, **kw):
    return ContactInput(id=cid, name=f"C{cid}", tier=tier, state=RelationshipState.from_history(history), **kw)


def test_a_call_or_meeting_they_started_owes_no_reply():
    for ch in ("call", "video", "in_person", "event"):
        c = contact(1, "close", [(D, "message", "in"), (D + timedelta(days=1), ch, "in")])
        assert not [i for i in contact_items(c, D + timedelta(days=5), EngineConfig()) if i.kind == "reply"], ch
    c = contact(1, "close", [(D, "email", "in")])
    assert [i.kind for i in contact_items(c, D + timedelta(days=5), EngineConfig()) if i.kind == "reply"] == ["reply"]


def test_inner_circle_reply_ranks_above_acquaintance_and_waiting_is_capped():
    old_acq = contact(1, "acquaintance", [(D, "email", "in")])
    new_inner = contact(2, "inner", [(D + timedelta(days=20), "message", "in")])
    every_tier = EngineConfig.from_mapping({"reply_tiers": list(TIERS)})
    q = [i for i in build_queue([old_acq, new_inner], datetime(2026, 11, 25, 9), every_tier) if i.kind == "reply"]
    assert [i.contact_id for i in q] == [2, 1]
    # by default an acquaintance's reply owed is held back (counted), and shows under --all
    dq = build_queue([old_acq, new_inner], datetime(2026, 11, 25, 9))
    assert [i.contact_id for i in dq if i.kind == "reply"] == [2] and dq.held == {"reply": 1}
    aq = build_queue([old_acq, new_inner], datetime(2026, 11, 25, 9), everything=True)
    assert [i.contact_id for i in aq if i.kind == "reply"] == [2, 1]
    waited = dict(q[1].terms)
    assert max(v for k, v in waited.items() if k.startswith("waiting")) <= EngineConfig().weights["reply_cap"]
    assert abs(sum(v for _, v in q[0].terms) - q[0].score) < 1e-9


def test_many_states_parse_like_one_by_one():
    a = RelationshipState.from_history([(D, "call", "out"), (D + timedelta(days=9), "email", "in")])
    texts = [a.to_json(), None, "{}", RelationshipState().to_json()]
    many = RelationshipState.many_from_json(texts)
    assert many == [RelationshipState.from_json(t) for t in texts]
    assert many[0].last_day == D + timedelta(days=9) and many[1].last_day is None

"""Seen, not admitted: an item's show window counts only the days the queue was shown."""
from __future__ import annotations

from datetime import date, timedelta

from netjournal.engine import BUDGETED_KINDS, ContactInput, EngineConfig, RelationshipState, build_queue

D0 = date(2024, 1, 1)
NOPRIOR = EngineConfig.from_mapping({"prior_strength": 0, "silence_factor": 10})


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def overdue(n: int, tier="friend", start=0):
    """Contacts touched every 7 days, last on day 28: past their rhythm from day 39."""
    st = RelationshipState.from_history([(day(i * 7), "message", "mutual") for i in range(5)])
    return [ContactInput(start + i, f"C{start + i}", tier, state=st) for i in range(n)]


def kit(q):
    return sorted(it.contact_id for it in q if it.kind in BUDGETED_KINDS)


def test_an_item_never_retires_unseen():
    # the 18-days-silent inner contact of the issue: due long ago, the app never opened since
    inner = [ContactInput(1, "Inner", "inner", state=RelationshipState.from_history(
        [(day(i * 2), "message", "mutual") for i in range(10)]))]
    today = day(18 + 18)
    # looked at every day (the old rule): admitted on its due day, retired 7 days later
    assert kit(build_queue(inner, today)) == []
    # never seen: it shows today, first
    assert kit(build_queue(inner, today, seen=[])) == [1]
    # seen on 6 days since it came due: still shown (today is the 7th); after the 7th it retires
    first = build_queue(inner, day(30), seen=[])[0]
    six = [day(30 + k) for k in range(6)]
    assert kit(build_queue(inner, day(40), seen=six)) == [1]
    assert build_queue(inner, day(40), seen=six)[0].shown_since == first.shown_since == day(30)
    assert kit(build_queue(inner, day(40), seen=six + [day(37)])) == []


def test_back_after_days_away_a_budgeted_catch_up_most_important_first():
    cs = overdue(20) + [ContactInput(99, "Inner", "inner", rhythm_days=11, state=overdue(1)[0].state)]
    cfg = EngineConfig.from_mapping({"prior_strength": 0, "silence_factor": 10, "budget": 2, "catch_up": 3})
    # seen every day until day 35, away 20 days, back on day 55: budget 2 + catch-up 3 (one per
    # day away, at most 3), never the whole pile of 21, and the inner contact first
    seen = [day(n) for n in range(30, 36)]
    q = build_queue(cs, day(55), cfg, seen=seen)
    new = [it for it in q if it.kind in BUDGETED_KINDS]
    assert len(new) == 5 and new[0].contact_id == 99
    assert all(it.shown_since == day(55) for it in new)
    # the next day (seen the day before): the daily budget again, the first five still shown
    q2 = build_queue(cs, day(56), cfg, seen=seen + [day(55)])
    assert len(kit(q2)) == 7 and set(kit(q)) <= set(kit(q2))
    # everything (due --all): all 21
    assert len(kit(build_queue(cs, day(55), cfg, seen=seen, everything=True))) == 21
    assert build_queue(cs, day(55), cfg, seen=seen).held["keep-in-touch"] == 16


def test_seen_every_day_is_the_default():
    cs = overdue(8)
    for n in (39, 40, 44, 46, 47):
        every = [day(k) for k in range(n)]
        assert build_queue(cs, day(n), NOPRIOR, budget=3) == build_queue(cs, day(n), NOPRIOR, budget=3, seen=every)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from netjournal.vocab import TIERS  # noqa: E402


@st.composite
def journals(draw):
    cs = []
    for i in range(draw(st.integers(1, 12))):
        gaps = draw(st.lists(st.integers(1, 20), min_size=1, max_size=8))
        d, days = 0, [0]
        for g in gaps:
            d += g
            days.append(d)
        st_ = RelationshipState.from_history([(day(x), "message", "mutual") for x in days])
        cs.append(ContactInput(i, f"C{i}", draw(st.sampled_from(TIERS)), state=st_))
    return cs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals(), st.lists(st.integers(200, 260), max_size=25), st.integers(0, 3), st.integers(1, 4))
def test_nothing_retires_unseen(cs, looks, budget, show):
    """A keep-in-touch candidate missing from today's queue is either still waiting for a day's
    budget (counted in held) or was on the queue on at least show_days of the days it was seen."""
    cfg = EngineConfig.from_mapping({"budget": budget, "show_days": show, "catch_up": 1})
    seen = sorted({day(n) for n in looks})
    today = day(261)
    q = build_queue(cs, today, cfg, seen=seen)
    on_queue = {(it.contact_id, it.kind) for it in q if it.kind in BUDGETED_KINDS}
    everything = [it for it in build_queue(cs, today, cfg, seen=seen, everything=True) if it.kind in BUDGETED_KINDS]
    waiting = 0
    for it in everything:
        if (it.contact_id, it.kind) in on_queue:
            continue
        shown_on = [s for s in seen if s >= it.since and any(
            (x.contact_id, x.kind, x.since) == (it.contact_id, it.kind, it.since)
            for x in build_queue(cs, s, cfg, seen=[p for p in seen if p < s]))]
        if shown_on:
            assert len(shown_on) >= show, (it, shown_on)
        else:
            waiting += 1
    assert waiting == q.held.get("keep-in-touch", 0)

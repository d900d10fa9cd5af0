"""Property tests (hypothesis) of the reminder engine."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.engine import (BUDGETED_KINDS, ContactInput, DateInput, DismissInput, EngineConfig,
                               FollowupInput, QueueCache, RelationshipState, SnoozeInput, apply_budget,
                               build_queue, contact_items)
from netjournal.vocab import CHANNELS, DIRECTIONS, REMINDER_KINDS, STAGES, TIERS

D0 = date(2024, 1, 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

touch = st.tuples(st.integers(0, 400), st.sampled_from(CHANNELS), st.sampled_from(DIRECTIONS))
kinds_or_none = st.one_of(st.none(), st.sampled_from(REMINDER_KINDS))


@st.composite
def contacts(draw, cid=0):
    touches = draw(st.lists(touch, max_size=40))
    state = RelationshipState.from_history([(D0 + timedelta(days=d), ch, dr) for d, ch, dr in touches])
    snoozes = tuple(SnoozeInput(draw(kinds_or_none), D0 + timedelta(days=draw(st.integers(0, 500))),
                                D0 + timedelta(days=draw(st.integers(0, 500))))
                    for _ in range(draw(st.integers(0, 3))))
    dismissals = tuple(DismissInput(draw(st.sampled_from(REMINDER_KINDS)), D0 + timedelta(days=draw(st.integers(0, 500))))
                       for _ in range(draw(st.integers(0, 2))))
    followups = tuple(FollowupInput(i, "call", f"f{i}", draw(st.one_of(st.none(), st.builds(
        lambda n: D0 + timedelta(days=n), st.integers(0, 500))))) for i in range(draw(st.integers(0, 2))))
    dates = tuple(DateInput("birthday", draw(st.integers(1, 12)), draw(st.integers(1, 28)))
                  for _ in range(draw(st.integers(0, 1))))
    return ContactInput(cid, f"C{cid}", draw(st.sampled_from(TIERS)), kin=draw(st.booleans()),
                        rhythm_days=draw(st.one_of(st.none(), st.integers(1, 120))),
                        stage=draw(st.sampled_from(STAGES)), archived=draw(st.integers(0, 9)) == 0,
                        state=state, followups=followups, dates=dates, snoozes=snoozes, dismissals=dismissals)


@st.composite
def journals(draw):
    n = draw(st.integers(1, 25))
    return [draw(contacts(cid=i)) for i in range(n)]


today_st = st.integers(0, 520).map(lambda n: D0 + timedelta(days=n))


def keep_in_touch_score(c, today, cfg=None):
    return max((it.score for it in contact_items(c, today, cfg) if it.kind in BUDGETED_KINDS), default=0.0)


@SETTINGS
@given(contacts(), today_st, st.sampled_from(CHANNELS))
def test_new_outbound_touch_never_raises_keep_in_touch_score(c, today, channel):
    last = c.state.last_day
    if last is not None and last > today:
        return  # the journal is in the future of "today": not a real situation
    before = keep_in_touch_score(c, today)
    st2 = c.state.copy()
    st2.observe(today, channel, "out")
    after = keep_in_touch_score(replace(c, state=st2), today)
    assert after <= before + 1e-9


@SETTINGS
@given(journals(), today_st, st.integers(0, 6))
def test_snoozed_items_never_appear_before_their_date(cs, today, budget):
    q = build_queue(cs, datetime.combine(today, datetime.min.time()), budget=budget)
    by_id = {c.id: c for c in cs}
    for it in q:
        for s in by_id[it.contact_id].snoozes:
            if s.kind == it.kind or (s.kind is None and it.kind in BUDGETED_KINDS):
                assert today >= s.until, (it, s)


@SETTINGS
@given(journals(), today_st, st.integers(0, 6))
def test_budget_is_never_exceeded(cs, today, budget):
    cfg = EngineConfig()
    q = build_queue(cs, today, cfg, budget=budget)
    new_today = [it for it in q if it.kind in BUDGETED_KINDS and it.shown_since == today]
    assert len(new_today) <= budget
    # and across the days still on the queue: at most `budget` let in on each of them
    per_day: dict[date, int] = {}
    for it in q:
        if it.kind in BUDGETED_KINDS:
            per_day[it.shown_since] = per_day.get(it.shown_since, 0) + 1
            assert it.since <= it.shown_since <= today
    assert all(v <= budget for v in per_day.values())
    assert sum(1 for it in q if it.kind in BUDGETED_KINDS) <= budget * cfg.show_days
    # follow-ups, replies and dates show within their caps; what a cap holds back is counted,
    # follow-ups due today always show, and --all (everything) shows every one of them
    key = lambda it: (it.contact_id, it.kind, it.followup_id or 0, it.due or D0)  # noqa: E731
    always = sorted(key(it) for c in cs for it in contact_items(c, today, cfg) if it.kind not in BUDGETED_KINDS)
    shown = sorted(key(it) for it in q if it.kind not in BUDGETED_KINDS)
    assert set(shown) <= set(always)
    assert len(always) == len(shown) + sum(n for k, n in q.held.items() if k not in BUDGETED_KINDS and k != "keep-in-touch")
    assert sum(1 for it in q if it.kind == "reply") <= cfg.reply_limit
    assert sum(1 for it in q if it.kind == "date") <= cfg.date_limit
    assert sum(1 for it in q if it.kind == "followup" and it.due != today) <= cfg.followup_limit
    assert {k for k in always if k[1] == "followup" and k[3] == today} <= set(shown)
    everything = build_queue(cs, today, cfg, everything=True)
    assert always == sorted(key(it) for it in everything if it.kind not in BUDGETED_KINDS)


@SETTINGS
@given(journals(), today_st, st.randoms(use_true_random=False))
def test_queue_is_deterministic(cs, today, rnd):
    now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    q1 = build_queue(cs, now)
    shuffled = list(cs)
    rnd.shuffle(shuffled)
    # fresh states from JSON: no cache may change the answer
    fresh = [replace(c, state=RelationshipState.from_json(c.state.to_json())) for c in shuffled]
    assert build_queue(fresh, now) == q1
    assert apply_budget([it for c in shuffled for it in contact_items(c, now)], today=today) == q1
    assert QueueCache(shuffled, now).queue() == q1
    for it in q1:
        assert abs(sum(v for _, v in it.terms) - it.score) < 1e-6
        assert it.kind in REMINDER_KINDS


def test_budget_over_many_days_lets_in_at_most_n_new_a_day():
    rng = random.Random(7)
    cs = []
    for i in range(60):
        days = sorted(rng.sample(range(0, 200), rng.randint(2, 12)))
        st = RelationshipState.from_history([(D0 + timedelta(days=d), "message", "mutual") for d in days])
        cs.append(ContactInput(i, f"C{i}", rng.choice(TIERS), state=st))
    seen: dict[tuple, date] = {}
    for n in range(150, 400):
        today = D0 + timedelta(days=n)
        q = build_queue(cs, today, budget=3)
        new = [it for it in q if it.kind in BUDGETED_KINDS and (it.contact_id, it.kind, it.since) not in seen]
        assert len(new) <= 3
        for it in q:
            if it.kind in BUDGETED_KINDS:
                seen.setdefault((it.contact_id, it.kind, it.since), today)

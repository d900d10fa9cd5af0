"""Reasons that add up: each kind's sentence against its own terms (property tests)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.engine import (KINDS, REGISTRY, ContactInput, DateInput, EngineConfig, FollowupInput,
                               RelationshipState, contact_items)
from netjournal.engine.config import DEFAULT_WEIGHTS
from netjournal.engine.rhythm import channel_weight, due_days, lapse_days, learned_rhythm
from netjournal.vocab import CHANNEL_LABELS, CHANNELS, DIRECTIONS, REMINDER_KINDS, STAGES, TIERS

D0 = date(2024, 1, 1)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
touch = st.tuples(st.integers(0, 300), st.sampled_from(CHANNELS), st.sampled_from(DIRECTIONS))
# a number in a sentence is followed by its unit (or is a date, a time, a factor, an age, a title)
UNITLESS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(?!\s*(?:days?\b|years?\b|of the last|touches\b|\u00d7|"
                      r"[A-Z][a-z]+|:\d|gaps?\b|\)|,))")


@st.composite
def contacts(draw):
    touches = draw(st.lists(touch, min_size=1, max_size=30))
    state = RelationshipState.from_history([(D0 + timedelta(days=d), ch, dr) for d, ch, dr in touches])
    return ContactInput(1, "Ada", draw(st.sampled_from(TIERS)), kin=draw(st.booleans()),
                        rhythm_days=draw(st.one_of(st.none(), st.integers(1, 120))),
                        stage=draw(st.sampled_from(STAGES)), state=state,
                        followups=(FollowupInput(1, "call", "call back", D0 + timedelta(days=draw(st.integers(0, 400)))),),
                        dates=(DateInput("birthday", 3, 9, 1990),))


cfgs = st.builds(lambda g, s, p, f: EngineConfig.from_mapping(
    {"rhythm_grace": g, "silence_factor": max(g, s), "prior_strength": p, "min_silence_days": f}),
    st.floats(1, 3), st.floats(1, 4), st.sampled_from([0, 0.5, 2]), st.integers(0, 14))


@SETTINGS
@given(contacts(), st.integers(0, 700), cfgs)
def test_every_reason_follows_its_terms(c, n, cfg):
    today = D0 + timedelta(days=n)
    if c.state.last_day > today:
        return
    # lapse_days inlines channel_weight and due_days: they agree
    lp = lapse_days(c, cfg)
    r, src = learned_rhythm(c, cfg)
    assert (lp.rhythm, lp.source) == (r, src)
    assert (lp.due_rhythm, lp.due_silence) == due_days(r, src, channel_weight(c, cfg), cfg)
    for it in contact_items(c, today, cfg):
        assert abs(sum(v for _, v in it.terms) - it.score) < 1e-6
        assert " 1 days" not in it.reason and "every 1 " not in it.reason and "every 1 days" not in it.reason
        assert not UNITLESS.search(it.reason.replace(it.contact_name, "")), it.reason
        label = it.terms[0][0]
        if it.kind in ("rhythm", "silence"):
            f = dict(it.facts)
            e, r, w, g = f["elapsed"], f["rhythm"], f["weight"], f["grace"]
            assert it.reason.startswith(f"{e} day{'s' if e != 1 else ''} since you last talked; ")
            if it.kind == "rhythm":
                assert label == "past its rhythm"
                assert f["due_rhythm"] <= e < f["due_silence"]
                assert e >= g * r * w - 1e-9 and e >= f["floor"]
                # below rhythm x grace only through the channel weight, and then it is said
                if e < g * r - 1e-9:
                    assert w < 1 and f["channel_said"] and "counts for less" in it.reason
            else:
                assert label == "long silence"
                assert e >= f["due_silence"] >= cfg.silence_factor * r * w - 1e-9
                assert f"a long silence (beyond {f['due_silence']} day" in it.reason
                if e < cfg.silence_factor * r - 1e-9:
                    assert f["channel_said"] and "counts for less" in it.reason
            if f["channel_said"]:
                label_ch = CHANNEL_LABELS[c.state.last_channels[0]]
                assert f"the last touch ({label_ch})" in it.reason
            if f["prior_said"]:
                assert f"usual for {'an' if c.tier == 'inner' or c.tier == 'acquaintance' else 'a'} {c.tier} contact" in it.reason
        elif it.kind == "followup":
            late = dict(it.facts)["late"]
            assert label == "follow-up due"
            assert ("due today" in it.reason) == (late == 0)
        elif it.kind == "date":
            until = dict(it.facts)["until"]
            assert label == "birthday"
            assert ("is today" in it.reason) == (until == 0) and ("is tomorrow" in it.reason) == (until == 1)
            if until > 1:
                assert f"is in {until} days" in it.reason
        elif it.kind == "reply":
            waited = dict(it.facts)["waited"]
            assert label == "reply owed" and cfg.reply_days <= waited < cfg.reply_window_days
            assert f" {waited} day{'s' if waited != 1 else ''} ago and you have not answered" in it.reason
            assert it.terms[1][0] == f"waiting {waited} day{'s' if waited != 1 else ''}"
        elif it.kind == "stage":
            assert label == "never met offline" and f"is at {c.stage} and you have never met offline" in it.reason
            assert c.state.offline_touches == 0
        elif it.kind == "one-sided":
            side, k, n = dict(it.facts)["share"]
            assert label == "one-sided" and side == "in" and k >= cfg.one_sided_share * max(n, cfg.one_sided_min_touches) - 1e-9
            assert it.reason == f"Ada started {k} of the last {n} touches"


def test_the_kinds_are_the_registry():
    assert REMINDER_KINDS == tuple(k.name for k in REGISTRY) == tuple(KINDS)
    for k in REGISTRY:
        assert k.label and k.template and set(k.weights) <= set(DEFAULT_WEIGHTS)
        assert k.limit_key is None or hasattr(EngineConfig(), k.limit_key)
    from netjournal.tui.screens.today import KIND_LABELS
    assert KIND_LABELS == {k.name: k.label for k in REGISTRY}


def test_a_new_kind_is_one_object(monkeypatch):
    """A kind registered in one line is found, rendered and ranked like the others."""
    from netjournal.engine import core, kinds
    from netjournal.engine.kinds.base import Candidate, ReminderKind, make_item

    class Note(ReminderKind):
        name = "note"
        label = "note"
        order = 9
        template = "A note for {name}"

        def find(self, c, today, cfg, sig=None):
            return [Candidate("note", today.toordinal(), 0.0, c.id, None)]

        def render(self, c, cand, today, cfg):
            return make_item(c, "note", [("note", 1.0)], f"A note for {c.name}", "read it", None, today)

    note = Note()
    monkeypatch.setitem(kinds.KINDS, "note", note)
    monkeypatch.setattr(core, "ALWAYS", core.ALWAYS + (note,))
    c = ContactInput(1, "Ada", "friend")
    q = core.build_queue([c], D0)
    assert [(it.kind, it.reason) for it in q] == [("note", "A note for Ada")]

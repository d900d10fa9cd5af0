"""The queue's hot path (rhythm.lapse_days, kinds.base.Signals, ContactInput) inlines the plain
functions it is made of: for any history and any configuration they give the same answers."""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.engine import ContactInput, EngineConfig, RelationshipState
from netjournal.engine.kinds.base import Signals, one_sided
from netjournal.engine.rhythm import channel_weight, due_days, lapse_days, learned_rhythm
from netjournal.vocab import CHANNELS, DIRECTIONS, TIERS

D0 = date(2024, 1, 1)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
touch = st.tuples(st.integers(0, 400), st.sampled_from(CHANNELS), st.sampled_from(DIRECTIONS))


@st.composite
def contacts(draw):
    touches = draw(st.lists(touch, min_size=1, max_size=50))
    state = RelationshipState.from_history([(D0 + timedelta(days=d), ch, dr) for d, ch, dr in touches])
    return ContactInput(7, "Ada", draw(st.sampled_from(TIERS)), kin=draw(st.booleans()),
                        rhythm_days=draw(st.one_of(st.none(), st.none(), st.integers(1, 120))), state=state)


@st.composite
def configs(draw):
    g = draw(st.floats(1, 3))
    return EngineConfig.from_mapping({
        "rhythm_grace": g, "silence_factor": max(g, draw(st.floats(1, 4))),
        "prior_strength": draw(st.sampled_from([0, 0.5, 2])), "min_silence_days": draw(st.integers(0, 14)),
        "gap_window": draw(st.integers(1, 40)), "recency_half_life": draw(st.sampled_from([2.0, 8.0, 20.0])),
        "fade_cap": draw(st.sampled_from([1.0, 1.25, 3.0])), "kin_factor": draw(st.sampled_from([1.0, 1.5, 3.0])),
        "tier_prior_days": {"inner": draw(st.floats(1, 30)), "acquaintance": draw(st.floats(100, 800))},
        "channel_weights": {"social": draw(st.floats(0.2, 1.0)), "in_person": draw(st.floats(1.0, 3.0))},
        "one_sided_window": draw(st.integers(1, 25)), "one_sided_share": draw(st.floats(0.51, 1.0)),
        "one_sided_min_touches": draw(st.integers(0, 12)),
        "lapse_model": draw(st.sampled_from(["median", "median", "survival"])),
    })


@SETTINGS
@given(contacts(), configs(), st.integers(0, 800))
def test_lapse_days_and_signals_agree_with_the_plain_functions(c, cfg, n):
    lp = lapse_days(c, cfg)
    r, src = learned_rhythm(c, cfg)
    w = channel_weight(c, cfg)
    assert lp.weight == w and lp.source == src
    if cfg.lapse_model == "median" or src != "learned":
        assert lp.rhythm == r
        assert (lp.due_rhythm, lp.due_silence) == due_days(r, src, w, cfg)
    else:  # survival: its own due days, never before the floor, silence never before rhythm
        assert lp.floor <= lp.due_rhythm <= lp.due_silence
    t = c.state.last_ordinal + n
    sig = Signals(c, t, cfg)
    assert sig.one == one_sided(c.state, cfg)
    assert sig.elapsed == n and sig.lapse == lp
    assert sig.lapsed == (None if n < lp.due_rhythm else "silence" if n >= lp.due_silence else "rhythm")


def test_contact_input_keeps_its_dataclass_behaviour():
    a, b = ContactInput(1, "Ada", "inner"), ContactInput(1, "Ada", "inner")
    assert a == b and a.state is not b.state  # a fresh state each (as the default_factory gave)
    assert (a.kin, a.rhythm_days, a.archived, a.followups, a.dismissals) == (False, None, False, (), ())
    c = dataclasses.replace(a, tier="close", rhythm_days=14)
    assert (c.tier, c.rhythm_days, c.name, c.state) == ("close", 14, "Ada", a.state)
    assert [f.name for f in dataclasses.fields(ContactInput)][:3] == ["id", "name", "tier"]
    try:
        a.tier = "close"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("ContactInput must stay frozen")

"""The survival lapse model: due days from the pair's own gap distribution (opt-in)."""
from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from netjournal.engine import ContactInput, EngineConfig, RelationshipState, contact_items, lapse_days
from netjournal.engine.rhythm import survival_params

D0 = date(2024, 1, 1)
SURV = EngineConfig.from_mapping({"lapse_model": "survival", "prior_strength": 0, "sigma_strength": 0})


def contact(gaps, tier="friend"):
    days = [0]
    for g in gaps:
        days.append(days[-1] + g)
    st = RelationshipState.from_history([(D0 + timedelta(days=d), "message", "mutual") for d in days])
    return ContactInput(1, "Ada", tier, state=st)


def test_regular_pair_is_due_soon_after_its_rhythm_a_bursty_one_much_later():
    regular = contact([10, 11, 9, 10, 10, 11, 9, 10])
    bursty = contact([1, 1, 2, 25, 1, 1, 30, 2])
    lr, lb = lapse_days(regular, SURV), lapse_days(bursty, SURV)
    assert 10 <= lr.due_rhythm <= 12           # a narrow distribution: due just past 10 days
    assert lb.grace > 3 * lr.grace            # a heavy tail: a wide grace
    # the numbers are those of a log-normal fitted to the gaps
    mu, sigma, n = survival_params(bursty, SURV)
    logs = [math.log(g) for g in (1, 1, 2, 25, 1, 1, 30, 2)]
    assert n == 8 and math.isclose(mu, sum(logs) / 8)
    assert math.isclose(lb.grace, math.exp(sigma * 1.2815515655446004), rel_tol=1e-9)
    # and the label follows them: past its rhythm exactly from the due day
    last = regular.state.last_day
    assert contact_items(regular, last + timedelta(days=lr.due_rhythm - 1), SURV) == []
    [it] = contact_items(regular, last + timedelta(days=lr.due_rhythm), SURV)
    assert it.kind == "rhythm" and it.terms[0][0] == "past its rhythm"


def test_shrinkage_toward_the_tier_and_the_population():
    one_gap = contact([3], tier="close")
    cfg = EngineConfig.from_mapping({"lapse_model": "survival"})
    mu, sigma, _ = survival_params(one_gap, cfg)
    # one gap of 3 days, half a pseudo-gap at the close prior (30 days)
    assert math.isclose(mu, (math.log(3) + 0.5 * math.log(30)) / 1.5)
    assert math.isclose(sigma, cfg.population_sigma)  # no spread seen yet: the population's


@pytest.mark.parametrize("bad", [{"lapse_model": "magic"}, {"lapse_survival": 0.6},
                                 {"lapse_survival": 0.05, "silence_survival": 0.1}])
def test_survival_settings_are_checked(bad):
    with pytest.raises(ValueError):
        EngineConfig.from_mapping(bad)

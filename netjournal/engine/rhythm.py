"""A contact's rhythm and the days its keep-in-touch nudges come due (pure, ``cfg`` required)."""
from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from statistics import NormalDist
from typing import NamedTuple

from netjournal.vocab import TIERS

from .model import ContactInput, DateInput


class Lapse(NamedTuple):
    """When a contact's silence becomes a nudge, counted in days after the last touch."""
    due_rhythm: int       # "past its rhythm" from this many silent days
    due_silence: int      # "long silence" from this many
    rhythm: float         # the rhythm R in days
    source: str           # "set" | "learned" | "tier prior"
    weight: float         # the last touch day's strongest channel weight
    floor: int            # the min_silence_days floor (learned rhythms only; 0 for set)
    grace: float          # rhythm_grace (learned) or 1 (set)


def tier_prior(c: ContactInput, cfg) -> float:
    p = cfg.tier_prior_days.get(c.tier, cfg.tier_prior_days["network"])
    return p * cfg.kin_factor if c.kin else p


def learned_rhythm(c: ContactInput, cfg, *, prior: bool = True) -> tuple[float, str]:
    """(days, "set" | "learned" | "tier prior"): the contact's rhythm, for the UI header.

    ``prior=False``: the pair's own learned gap, not shrunk toward the tier prior (to tell
    whether the prior changed an outcome).
    """
    if c.rhythm_days:
        return float(c.rhythm_days), "set"
    tp = cfg.tier_prior_days  # tier_prior(), inlined: this runs for every contact on every queue
    pr = tp.get(c.tier, tp["network"])
    if c.kin:
        pr *= cfg.kin_factor
    st = c.state
    n = st.gap_count
    if n == 0:
        return pr, "tier prior"
    if n > cfg.gap_window:
        n = cfg.gap_window
    raw = st.learned_gap_for(cfg.recency_half_life, cfg.gap_window, cfg.fade_cap)
    k = cfg.prior_strength
    if k <= 0 or not prior:
        return raw, "learned"
    return math.exp((n * math.log(max(raw, 0.5)) + k * math.log(pr)) / (n + k)), "learned"


def channel_weight(c: ContactInput, cfg) -> float:
    """The weight of the last touch day's strongest channel (1 with no touch)."""
    return c.state.strongest_weight(cfg.channel_weights)


def due_days(r: float, src: str, w: float, cfg) -> tuple[int, int]:
    """(rhythm due, silence due) in whole silent days for rhythm ``r`` and channel weight ``w``."""
    if src == "set":
        due_r = r * w
        due_s = cfg.silence_factor * r * w
    else:
        floor = cfg.min_silence_days
        due_r = max(cfg.rhythm_grace * r * w, floor)
        due_s = max(cfg.silence_factor * r * w, floor)
    return max(1, math.ceil(due_r - 1e-9)), max(1, math.ceil(due_s - 1e-9))


def lapse_days(c: ContactInput, cfg) -> Lapse:
    """When the contact's silence becomes "past its rhythm" and a "long silence".

    Runs for every contact on every queue: :func:`learned_rhythm`, :func:`channel_weight` and the
    arithmetic of :func:`due_days` are inlined here (same results; a property test checks they
    agree).
    """
    st = c.state
    # channel_weight(c, cfg), inlined
    chans = st._chans
    if chans:
        cw = cfg.channel_weights
        w = cw.get(chans[0], 1.0)
        if len(chans) > 1:
            for ch in chans[1:]:
                x = cw.get(ch, 1.0)
                if x > w:
                    w = x
    else:
        w = 1.0
    rd = c.rhythm_days
    if rd:  # learned_rhythm: "set"
        r = float(rd)
        due_r = r * w
        due_s = cfg.silence_factor * due_r
        dr = _ceil(due_r - 1e-9)
        ds = _ceil(due_s - 1e-9)
        return _new(Lapse, (dr if dr > 1 else 1, ds if ds > 1 else 1, r, "set", w, 0, 1.0))
    # learned_rhythm: "tier prior" / "learned"
    tp = cfg.tier_prior_days
    pr = tp.get(c.tier)
    if pr is None:
        pr = tp["network"]
    if c.kin:
        pr *= cfg.kin_factor
    n = len(st._gaps)
    if n == 0:
        r, src = pr, "tier prior"
    else:
        if cfg.lapse_model == "survival":
            return _survival_lapse(c, cfg, w)
        win = cfg.gap_window
        if n > win:
            n = win
        key = (cfg.recency_half_life, win, cfg.fade_cap)
        raw = st._lg if key == st._lg_key else st.learned_gap_for(*key)
        k = cfg.prior_strength
        if k <= 0:
            r = raw
        else:
            r = _exp((n * _log(raw if raw > 0.5 else 0.5) + k * _log(pr)) / (n + k))
        src = "learned"
    floor, grace = cfg.min_silence_days, cfg.rhythm_grace
    due_r = grace * r * w
    due_s = cfg.silence_factor * r * w
    if due_r < floor:
        due_r = floor
    if due_s < floor:
        due_s = floor
    dr = _ceil(due_r - 1e-9)
    ds = _ceil(due_s - 1e-9)
    return _new(Lapse, (dr if dr > 1 else 1, ds if ds > 1 else 1, r, src, w, floor, grace))


_exp = math.exp
_log = math.log
_ceil = math.ceil
_new = tuple.__new__


@lru_cache(maxsize=32)
def _z(survival: float) -> float:
    """The standard normal quantile with ``survival`` of the mass above it."""
    return NormalDist().inv_cdf(1.0 - survival)


def survival_params(c: ContactInput, cfg) -> tuple[float, float, int]:
    """(mu, sigma, n): the pair's log-normal gap model, shrunk toward its tier and the population.

    mu: the mean log gap of its last ``gap_window`` gaps, with ``prior_strength`` pseudo-gaps at
    the log of the tier prior; sigma: their spread (bursty pairs: a heavy tail), with
    ``sigma_strength`` pseudo-observations at ``population_sigma``.
    """
    n, mean, var = c.state.log_gap_stats(cfg.gap_window)
    k = cfg.prior_strength
    mu = (n * mean + k * math.log(tier_prior(c, cfg))) / (n + k) if n + k > 0 else mean
    dof = max(n - 1, 0)
    ks = cfg.sigma_strength
    s2 = (dof * var + ks * cfg.population_sigma ** 2) / (dof + ks) if dof + ks > 0 else var
    return mu, math.sqrt(s2), n


def _survival_lapse(c: ContactInput, cfg, w: float) -> Lapse:
    """Due days from the pair's own gap distribution: "past its rhythm" once a silence this long
    had at most ``lapse_survival`` chance under the pair's model (its hazard of lapse is high),
    "long silence" at ``silence_survival``. R is the typical (geometric mean) gap; the grace is
    exp(sigma z): wide for a bursty pair, narrow for a regular one."""
    mu, sigma, _ = survival_params(c, cfg)
    r = math.exp(mu)
    grace = math.exp(sigma * _z(cfg.lapse_survival))
    floor = cfg.min_silence_days
    due_r = max(r * grace * w, floor)
    due_s = max(r * math.exp(sigma * _z(cfg.silence_survival)) * w, floor, due_r)
    dr = max(1, _ceil(due_r - 1e-9))
    ds = max(1, _ceil(due_s - 1e-9))
    return _new(Lapse, (dr, ds, r, "learned", w, floor, grace))


def lapse_kind(elapsed: int, dr: int, ds: int) -> str | None:
    """"silence", "rhythm" or None for ``elapsed`` silent days and the two due days."""
    if elapsed < dr:
        return None
    return "silence" if elapsed >= ds else "rhythm"


def lower_tier(tier: str) -> str | None:
    i = TIERS.index(tier) if tier in TIERS else len(TIERS) - 1
    return TIERS[i + 1] if i + 1 < len(TIERS) else None


# -- dates -------------------------------------------------------------------------------
def occurrence(d: DateInput, year: int) -> date:
    """The date in ``year``; 29 February falls on 28 February in non-leap years."""
    try:
        return date(year, d.month, d.day)
    except ValueError:
        if d.month == 2 and d.day == 29:
            return date(year, 2, 28)
        raise


def next_occurrence(d: DateInput, today: date) -> date:
    occ = occurrence(d, today.year)
    if occ < today:
        occ = occurrence(d, today.year + 1)
    return occ

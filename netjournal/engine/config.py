"""Engine configuration: every weight, prior, lead time and the daily budget.

Read from the ``[engine]`` table of the TOML config with :meth:`EngineConfig.from_mapping`.
Unknown keys and values of the wrong type are refused with a one-line ``ValueError``.

Documented defaults (``[engine]`` keys)
=======================================

==========================  ===========================================  ==========================
key                         default                                      meaning
==========================  ===========================================  ==========================
budget                      5                                            new keep-in-touch items a
                                                                         day (rhythm, silence,
                                                                         one-sided, stage);
                                                                         follow-ups, replies and
                                                                         dates always show
show_days                   7                                            days the queue must have
                                                                         been *seen* (``due`` run,
                                                                         the app's Today painted)
                                                                         with a keep-in-touch item
                                                                         on it before it retires
                                                                         until something new
                                                                         happens (a touch)
catch_up                    5                                            back after days away: at
                                                                         most this many extra new
                                                                         keep-in-touch items that
                                                                         day (one per day away)
followup_limit              3                                            overdue follow-ups shown
                                                                         one by one (due today:
                                                                         all); the rest grouped
reply_limit                 3                                            replies owed shown a day
reply_tiers                 inner, close, friend                         tiers a reply owed shows
                                                                         for (kin: always)
date_limit                  2                                            dates shown a day
date_tiers                  inner, close, friend                         tiers a date shows for
                                                                         (kin: always)
tier_prior_days             inner 7, close 30, friend 90, network 180,   rhythm prior per tier
                            acquaintance 365
kin_factor                  1.5                                          kin: prior x this
prior_strength              0.5                                          the prior counts as this
                                                                         many observed gaps
recency_half_life           8.0                                          gaps: weight halves every
                                                                         this many gaps back
gap_window                  32                                           last gaps kept per contact
fade_cap                    1.25                                         learned rhythm <= this x
                                                                         the long-run median gap
rhythm_grace                1.5                                          "past its rhythm" after
                                                                         this x a learned rhythm
silence_factor              2.0                                          "long silence" beyond this
                                                                         x the rhythm
lapse_model                 median                                       "survival": due days from
                                                                         the pair's log-normal gap
                                                                         model (see rhythm.py)
lapse_survival              0.1                                          survival: "past its
                                                                         rhythm" once a silence
                                                                         this long had this chance
silence_survival            0.02                                         survival: "long silence"
population_sigma            0.8                                          survival: spread of log
                                                                         gaps a pair is shrunk to
sigma_strength              2.0                                          survival: ... with this
                                                                         many pseudo-gaps
min_silence_days            8                                            no keep-in-touch nudge for
                                                                         a learned rhythm before
                                                                         this many silent days
channel_weights             in_person 2.0, event 1.6, video 1.5,         how long a touch carries:
                            call 1.4, letter 1.3, gift 1.3, email 1.0,   the due day is pushed by
                            message 1.0, other 1.0, social 0.6           this factor (last day's
                                                                         strongest touch)
reply_days                  2                                            reply owed after this many
                                                                         days unanswered
reply_window_days           30                                           ... and shown until this
                                                                         many days (then stale)
date_lead_days              birthday 7, anniversary 7, custom 3          days before a date it shows
one_sided_window            10                                           last touches looked at
one_sided_share             0.8                                          share started by one side
one_sided_min_touches       6                                            fewer touches: never
                                                                         one-sided
snooze_streak               3                                            snoozes in a row before
                                                                         suggesting a lower tier
dismiss_stage_days          90                                           a dismissed stage nudge
                                                                         stays hidden this long
weights                     see ``DEFAULT_WEIGHTS``                      score terms (below)
==========================  ===========================================  ==========================

Score weights (``[engine.weights]``): ``followup`` 10, ``followup_per_day`` 0.5 (cap
``followup_cap`` 10), ``reply`` 8, ``reply_per_day`` 0.25, ``reply_cap`` 2, ``date`` 6, ``date_per_day``
0.5, ``rhythm`` 4, ``silence`` 4.5, ``overdue`` 0.5 (per rhythm past due, cap 4 rhythms),
``one_sided`` 1, ``stage`` 2, ``kin`` 0.5, and tier terms ``tier_inner`` 2,
``tier_close`` 1.5, ``tier_friend`` 1, ``tier_network`` 0.5, ``tier_acquaintance`` 0.25.
"""
from __future__ import annotations

import math

from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from netjournal.vocab import CHANNELS, DATE_KINDS, TIERS

from .kinds import default_weights

DEFAULT_TIER_PRIOR_DAYS: dict[str, float] = {
    "inner": 7.0, "close": 30.0, "friend": 90.0, "network": 180.0, "acquaintance": 365.0,
}
DEFAULT_CHANNEL_WEIGHTS: dict[str, float] = {
    "in_person": 2.0, "event": 1.6, "video": 1.5, "call": 1.4, "letter": 1.3, "gift": 1.3,
    "email": 1.0, "message": 1.0, "other": 1.0, "social": 0.6,
}
DEFAULT_DATE_LEAD_DAYS: dict[str, int] = {"birthday": 7, "anniversary": 7, "custom": 3}
# Each kind's own weights come from its object (engine/kinds); closeness terms are shared.
DEFAULT_WEIGHTS: dict[str, float] = {
    **default_weights(),
    "kin": 0.5,
    "tier_inner": 2.0, "tier_close": 1.5, "tier_friend": 1.0, "tier_network": 0.5,
    "tier_acquaintance": 0.25,
}
DEFAULT_MATTER_TIERS: tuple[str, ...] = ("inner", "close", "friend")


MAX_SETTING = 100_000


def _num(key: str, v: Any, *, integer: bool = False, minimum: float | None = 0.0) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"engine config: '{key}' must be a number, got {v!r}")
    if not math.isfinite(v):  # nan / inf would reach the scores (and `due --json` cannot print NaN)
        raise ValueError(f"engine config: '{key}' must be a finite number, got {v!r}")
    if abs(v) > MAX_SETTING:  # no setting means anything this large; dates would overflow
        raise ValueError(f"engine config: '{key}' is too large ({v!r}; at most {MAX_SETTING:,})")
    if integer and not float(v).is_integer():
        raise ValueError(f"engine config: '{key}' must be a whole number, got {v!r}")
    if minimum is not None and v < minimum:
        raise ValueError(f"engine config: '{key}' must be >= {minimum:g}, got {v!r}")
    return int(v) if integer else float(v)


def _table(key: str, v: Any, defaults: Mapping[str, Any], allowed: tuple[str, ...] | None = None,
           *, integer: bool = False) -> dict:
    if not isinstance(v, Mapping):
        raise ValueError(f"engine config: '{key}' must be a table")
    out = dict(defaults)
    names = allowed if allowed is not None else tuple(defaults)
    for k, x in v.items():
        if k not in names:
            raise ValueError(f"engine config: unknown key '{key}.{k}' (expected one of: {', '.join(names)})")
        out[k] = _num(f"{key}.{k}", x, integer=integer)
    return out


@dataclass
class EngineConfig:
    budget: int = 5
    show_days: int = 7
    catch_up: int = 5
    followup_limit: int = 3
    reply_limit: int = 3
    reply_tiers: tuple[str, ...] = DEFAULT_MATTER_TIERS
    date_limit: int = 2
    date_tiers: tuple[str, ...] = DEFAULT_MATTER_TIERS
    tier_prior_days: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_TIER_PRIOR_DAYS))
    kin_factor: float = 1.5
    prior_strength: float = 0.5
    recency_half_life: float = 8.0
    gap_window: int = 32
    fade_cap: float = 1.25
    rhythm_grace: float = 1.5
    silence_factor: float = 2.0
    lapse_model: str = "median"
    lapse_survival: float = 0.1
    silence_survival: float = 0.02
    population_sigma: float = 0.8
    sigma_strength: float = 2.0
    min_silence_days: int = 8
    channel_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CHANNEL_WEIGHTS))
    reply_days: int = 2
    reply_window_days: int = 30
    date_lead_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DATE_LEAD_DAYS))
    one_sided_window: int = 10
    one_sided_share: float = 0.8
    one_sided_min_touches: int = 6
    snooze_streak: int = 3
    dismiss_stage_days: int = 90
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    _INT_KEYS = ("budget", "show_days", "catch_up", "followup_limit", "reply_limit", "date_limit", "gap_window", "min_silence_days", "reply_days",
                 "reply_window_days", "one_sided_window", "one_sided_min_touches", "snooze_streak",
                 "dismiss_stage_days")

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any] | None) -> "EngineConfig":
        cfg = cls()
        if not m:
            return cfg
        if not isinstance(m, Mapping):
            raise ValueError("engine config: [engine] must be a table")
        names = [f.name for f in fields(cls)]
        for key, v in m.items():
            if key not in names:
                raise ValueError(f"engine config: unknown key '{key}' (expected one of: {', '.join(names)})")
            if key == "tier_prior_days":
                val: Any = _table(key, v, DEFAULT_TIER_PRIOR_DAYS, TIERS)
                if any(x <= 0 for x in val.values()):
                    raise ValueError("engine config: 'tier_prior_days' values must be > 0")
            elif key == "channel_weights":
                val = _table(key, v, DEFAULT_CHANNEL_WEIGHTS, CHANNELS)
                if any(x <= 0 for x in val.values()):
                    raise ValueError("engine config: 'channel_weights' values must be > 0")
            elif key == "date_lead_days":
                val = _table(key, v, DEFAULT_DATE_LEAD_DAYS, DATE_KINDS, integer=True)
            elif key == "weights":
                val = _weights(v)
            elif key == "lapse_model":
                if v not in ("median", "survival"):
                    raise ValueError(f"engine config: 'lapse_model' must be 'median' or 'survival', got {v!r}")
                val = v
            elif key in ("reply_tiers", "date_tiers"):
                if not isinstance(v, (list, tuple)) or any(x not in TIERS for x in v):
                    raise ValueError(f"engine config: '{key}' must be a list of tiers ({', '.join(TIERS)}), got {v!r}")
                val = tuple(v)
            elif key in cls._INT_KEYS:
                val = _num(key, v, integer=True)
            else:
                val = _num(key, v)
            setattr(cfg, key, val)
        cfg.validate()
        return cfg

    def validate(self) -> None:
        if self.show_days < 1:
            raise ValueError("engine config: 'show_days' must be >= 1")
        if self.gap_window < 1:
            raise ValueError("engine config: 'gap_window' must be >= 1")
        if self.recency_half_life <= 0:
            raise ValueError("engine config: 'recency_half_life' must be > 0")
        if self.fade_cap < 1:
            raise ValueError("engine config: 'fade_cap' must be >= 1")
        if self.rhythm_grace < 1 or self.silence_factor < 1:
            raise ValueError("engine config: 'rhythm_grace' and 'silence_factor' must be >= 1")
        if not 0 < self.silence_survival <= self.lapse_survival < 0.5:
            raise ValueError("engine config: need 0 < 'silence_survival' <= 'lapse_survival' < 0.5")
        if not 0.5 < self.one_sided_share <= 1:
            raise ValueError("engine config: 'one_sided_share' must be in (0.5, 1]")
        if self.one_sided_window < 1 or self.snooze_streak < 1:
            raise ValueError("engine config: 'one_sided_window' and 'snooze_streak' must be >= 1")


def _weights(v: Any) -> dict[str, float]:
    if not isinstance(v, Mapping):
        raise ValueError("engine config: 'weights' must be a table")
    out = dict(DEFAULT_WEIGHTS)
    for k, x in v.items():
        if k not in DEFAULT_WEIGHTS:
            raise ValueError(f"engine config: unknown key 'weights.{k}' (expected one of: {', '.join(DEFAULT_WEIGHTS)})")
        out[k] = _num(f"weights.{k}", x, minimum=None)
    return out

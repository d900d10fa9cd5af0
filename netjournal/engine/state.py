"""RelationshipState: the per-contact summary of a touch history, kept current on write.

The store keeps one of these per contact (as JSON) and calls :meth:`observe` when a touch is
logged, so the engine never reads the raw history. Everything the engine needs is here:

* first/last touch day, number of touch days and touches;
* the last ``MAX_GAPS`` gaps between touch *days* (a burst of messages on one day is one
  touch day, so bursts do not shrink the rhythm);
* the learned gap, precomputed on each new gap (recency-weighted median, capped at
  ``fade_cap`` x the long-run median so a fading relationship does not stretch it);
* the channels of the last touch day (their weight tells how long that touch carries);
* the initiators of the last ``MAX_DIRS`` touches (one-sided), the first unanswered inbound
  day on a channel that expects an answer (reply owed; a call or meeting they started is a
  conversation, so it owes nothing), and offline touches (stage nudge).

Days are stored as proleptic ordinals; the public properties return ``date`` objects.
"""
from __future__ import annotations

import json
import math
from datetime import date
from typing import Iterable

from netjournal.vocab import CHANNELS, DIRECTIONS, LIVE_CHANNELS, OFFLINE_CHANNELS

MAX_GAPS = 32
MAX_DIRS = 20
_DIR_CODE = {"out": "o", "in": "i", "mutual": "m"}
_CHANNELS = frozenset(CHANNELS)

# Defaults of the learned-gap parameters; the precomputed value is cached for these.
DEFAULT_HALF_LIFE = 8.0
DEFAULT_WINDOW = MAX_GAPS
DEFAULT_FADE_CAP = 1.25
_DEFAULT_LG_KEY = (DEFAULT_HALF_LIFE, DEFAULT_WINDOW, DEFAULT_FADE_CAP)


def learned_gap(gaps: list[int], half_life: float = DEFAULT_HALF_LIFE,
                window: int = DEFAULT_WINDOW, fade_cap: float = DEFAULT_FADE_CAP) -> float | None:
    """Recency-weighted median of ``gaps`` (oldest first), capped at fade_cap x their median."""
    g = gaps[-window:]
    m = len(g)
    if m == 0:
        return None
    if m == 1:
        return float(g[0])
    decay = 0.5 ** (1.0 / half_life)
    # weights: newest gap 1, then decay, decay^2, ...
    pairs = sorted((g[i], decay ** (m - 1 - i)) for i in range(m))
    half = sum(w for _, w in pairs) / 2.0
    acc = 0.0
    wmed = float(pairs[-1][0])
    for v, w in pairs:
        acc += w
        if acc >= half:
            wmed = float(v)
            break
    s = sorted(g)
    med = s[m // 2] if m % 2 else (s[m // 2 - 1] + s[m // 2]) / 2.0
    return min(wmed, fade_cap * med)


class RelationshipState:
    """Summary of one contact's touches; feed touches in day order with :meth:`observe`."""

    __slots__ = ("_first", "_last", "_days", "_n", "_gaps", "_chans", "_dirs", "_owed",
                 "_last_in", "_in_ch", "_offline_last", "_offline_n", "_lg", "_lg_key", "_ls")

    def __init__(self) -> None:
        self._first: int | None = None
        self._last: int | None = None
        self._days = 0
        self._n = 0
        self._gaps: list[int] = []
        self._chans: list[str] = []
        self._dirs = ""
        self._owed: int | None = None
        self._last_in: int | None = None
        self._in_ch: str | None = None
        self._offline_last: int | None = None
        self._offline_n = 0
        self._lg: float | None = None       # learned gap for _lg_key parameters
        self._lg_key: tuple = (DEFAULT_HALF_LIFE, DEFAULT_WINDOW, DEFAULT_FADE_CAP)
        self._ls: tuple | None = None       # (window, n, mean, variance) of the log gaps

    # -- writing -----------------------------------------------------------------------
    def observe(self, day: date, channel: str, direction: str) -> None:
        """Add one touch. Touches must come in day order; several on one day are fine."""
        if channel not in _CHANNELS:
            raise ValueError(f"unknown channel {channel!r} (expected one of: {', '.join(CHANNELS)})")
        code = _DIR_CODE.get(direction)
        if code is None:
            raise ValueError(f"unknown direction {direction!r} (expected one of: {', '.join(DIRECTIONS)})")
        d = day.toordinal()
        last = self._last
        if last is None:
            self._first = d
            self._last = d
            self._days = 1
            self._chans = [channel]
        elif d > last:
            self._gaps.append(d - last)
            if len(self._gaps) > MAX_GAPS:
                del self._gaps[0]
            self._last = d
            self._days += 1
            self._chans = [channel]
            self._lg = learned_gap(self._gaps, *self._lg_key)
            self._ls = None
        elif d == last:
            if channel not in self._chans:
                self._chans.append(channel)
        else:
            raise ValueError(
                f"touch on {day.isoformat()} is before the last one ({date.fromordinal(last).isoformat()}): "
                "rebuild with RelationshipState.from_history")
        self._n += 1
        self._dirs = (self._dirs + code)[-MAX_DIRS:]
        if code == "i":
            if channel in LIVE_CHANNELS:
                self._owed = None  # they called or met you: you talked, nothing is owed
            elif self._owed is None:
                self._owed = d
            self._last_in = d
            self._in_ch = channel
        else:
            self._owed = None
        if channel in OFFLINE_CHANNELS:
            self._offline_last = d
            self._offline_n += 1

    @classmethod
    def from_history(cls, touches: Iterable[tuple[date, str, str]]) -> "RelationshipState":
        st = cls()
        # stable sort by day keeps the given order within a day
        for day, channel, direction in sorted(touches, key=lambda t: t[0]):
            st.observe(day, channel, direction)
        return st

    # -- serialisation -----------------------------------------------------------------
    def to_json(self) -> str:
        if self._last is None:
            return "{}"
        lg = learned_gap(self._gaps) if self._lg_key != (DEFAULT_HALF_LIFE, DEFAULT_WINDOW, DEFAULT_FADE_CAP) else self._lg
        return json.dumps([1, self._first, self._last, self._days, self._n, self._gaps, self._chans,
                           self._dirs, self._owed, self._last_in, self._in_ch, self._offline_last,
                           self._offline_n, lg], separators=(",", ":"))

    @classmethod
    def from_json(cls, s: str | None) -> "RelationshipState":
        if not s:
            return cls()
        try:
            v = json.loads(s)
        except ValueError as exc:
            raise ValueError(f"relationship state is not valid JSON: {exc}") from None
        return cls.from_values(v)

    @classmethod
    def from_values(cls, v: list | dict | None) -> "RelationshipState":
        """From the decoded JSON of :meth:`to_json` (see :meth:`many_from_json`)."""
        if not v:
            return cls()
        if not isinstance(v, list) or len(v) != 14 or v[0] != 1:
            raise ValueError("relationship state has an unknown layout")
        st = cls.__new__(cls)  # every slot is set right here: no __init__ defaults to overwrite
        (_, st._first, st._last, st._days, st._n, st._gaps, st._chans, st._dirs, st._owed,
         st._last_in, st._in_ch, st._offline_last, st._offline_n, st._lg) = v
        st._lg_key = _DEFAULT_LG_KEY
        st._ls = None
        return st

    @classmethod
    def many_from_json(cls, texts: list[str | None]) -> list["RelationshipState"]:
        """Many states at once: one JSON parse for all of them (the queue's load of 10,000)."""
        try:
            values = json.loads("[" + ",".join(t or "null" for t in texts) + "]")
        except ValueError:
            return [cls.from_json(t) for t in texts]  # find and name the bad one
        return [cls.from_values(v) for v in values]

    def copy(self) -> "RelationshipState":
        st = RelationshipState.__new__(RelationshipState)
        for k in self.__slots__:
            setattr(st, k, getattr(self, k))
        st._gaps = list(self._gaps)
        st._chans = list(self._chans)
        return st

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RelationshipState):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"RelationshipState(last_day={self.last_day}, touch_days={self._days}, gaps={self._gaps[-5:]}...)"

    # -- reading -----------------------------------------------------------------------
    def learned_gap_for(self, half_life: float, window: int, fade_cap: float) -> float | None:
        key = (half_life, window, fade_cap)
        if key != self._lg_key:
            self._lg_key = key
            self._lg = learned_gap(self._gaps, *key)
        return self._lg

    @property
    def first_day(self) -> date | None:
        return None if self._first is None else date.fromordinal(self._first)

    @property
    def last_day(self) -> date | None:
        return None if self._last is None else date.fromordinal(self._last)

    @property
    def touch_days(self) -> int:
        return self._days

    @property
    def touches(self) -> int:
        return self._n

    @property
    def gaps(self) -> tuple[int, ...]:
        """The last gaps between touch days, oldest first."""
        return tuple(self._gaps)

    @property
    def learned_gap(self) -> float | None:
        """The learned gap with the default parameters (before shrinking toward the tier prior)."""
        return self.learned_gap_for(DEFAULT_HALF_LIFE, DEFAULT_WINDOW, DEFAULT_FADE_CAP)

    @property
    def last_channels(self) -> tuple[str, ...]:
        return tuple(self._chans)

    @property
    def recent_directions(self) -> tuple[str, ...]:
        """Initiators of the last touches, oldest first ("out" / "in" / "mutual")."""
        inv = {"o": "out", "i": "in", "m": "mutual"}
        return tuple(inv[c] for c in self._dirs)

    @property
    def owed_since(self) -> date | None:
        """Day of the first inbound touch not answered since (None: nothing owed)."""
        return None if self._owed is None else date.fromordinal(self._owed)

    @property
    def last_inbound_day(self) -> date | None:
        return None if self._last_in is None else date.fromordinal(self._last_in)

    @property
    def last_offline_day(self) -> date | None:
        return None if self._offline_last is None else date.fromordinal(self._offline_last)

    @property
    def offline_touches(self) -> int:
        return self._offline_n

    def log_gap_stats(self, window: int = DEFAULT_WINDOW) -> tuple[int, float, float]:
        """(n, mean, variance) of the natural log of the last ``window`` gaps (variance with n - 1;
        0 for fewer than two gaps). The shape of the pair's gap distribution: a bursty pair has a
        large variance (a heavy tail). Cached until the next gap."""
        ls = self._ls
        if ls is not None and ls[0] == window:
            return ls[1], ls[2], ls[3]
        g = self._gaps[-window:]
        n = len(g)
        if n == 0:
            out = (0, 0.0, 0.0)
        else:
            logs = [math.log(x if x > 0.5 else 0.5) for x in g]
            mean = sum(logs) / n
            var = sum((v - mean) ** 2 for v in logs) / (n - 1) if n > 1 else 0.0
            out = (n, mean, var)
        self._ls = (window, *out)
        return out

    def strongest_weight(self, weights: dict[str, float]) -> float:
        """The largest of ``weights`` over the last touch day's channels (1 for a channel not in
        it, or with no touch): how long that day's touch carries."""
        chans = self._chans
        if not chans:
            return 1.0
        w = weights.get(chans[0], 1.0)
        for ch in chans[1:]:
            x = weights.get(ch, 1.0)
            if x > w:
                w = x
        return w

    # -- the same as day ordinals, for the engine's hot loops (no date objects) ------------
    @property
    def gap_count(self) -> int:
        """How many gaps are kept (``len(gaps)`` without building the tuple)."""
        return len(self._gaps)

    @property
    def last_ordinal(self) -> int | None:
        return self._last

    @property
    def owed_ordinal(self) -> int | None:
        return self._owed

    @property
    def last_inbound_ordinal(self) -> int | None:
        return self._last_in

    @property
    def last_inbound_channel(self) -> str | None:
        """The channel of their last touch (what a reply owed answers)."""
        return self._in_ch

    @property
    def direction_codes(self) -> str:
        """Initiators of the last touches as one letter each, oldest first: o(ut), i(n), m(utual)."""
        return self._dirs

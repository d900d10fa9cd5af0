"""Past its rhythm and long silence: the two lapse kinds (one template, two thresholds).

* **past its rhythm** once the silence reaches ``rhythm_grace`` x R (a learned rhythm is a
  typical gap, not a deadline; an explicit rhythm is due at R itself) and ``min_silence_days``;
* **long silence** from ``silence_factor`` x R;

both stretched by the weight of the last touch day's strongest channel. The sentence names
the channel when its weight changed the outcome, and the tier prior when it did.
"""
from __future__ import annotations

from datetime import date

from netjournal.vocab import CHANNEL_LABELS, TIERS

from ..rhythm import due_days, lapse_kind, learned_rhythm
from ..text import days, every, plural, times
from .base import (Candidate, ReminderKind, Signals, make_item, one_sided_text, suggestion,
                   woke_since)

_LAPSE = ("rhythm", "silence")


class _Lapse(ReminderKind):
    budgeted = True
    template = ("{N days} since you last talked; {you usually talk | you wanted to talk | about} every "
                "{R days}[; channel / tier prior, when they changed the outcome][; one-sided]"
                "[ \u2014 a long silence (beyond {N days}): try a richer channel than a message]")

    def find(self, c, today, cfg, sig: Signals | None = None):
        if sig.lapsed != self.name:
            return None
        lp = sig.lapse
        last = c.state.last_ordinal
        if c.dismissals and any(x.kind in _LAPSE and x.on.toordinal() >= last for x in c.dismissals):
            return None
        since = last + (lp.due_silence if self.name == "silence" else lp.due_rhythm)
        since = woke_since(c, self.name, sig.t, since)
        if since is None:
            return None
        wt = cfg.weights
        prio = (wt[self.name] + sig.base + (wt["one_sided"] if sig.one else 0.0)
                + (wt["stage"] if sig.stage_nudge else 0.0))
        return Candidate(self.name, since, prio, c.id, sig)

    def render(self, c, cand, today: date, cfg):
        from . import BUDGETED_KINDS

        sig: Signals = cand.signals
        kind = self.name
        elapsed, lp, one, stage_nudge = sig.elapsed, sig.lapse, sig.one, sig.stage_nudge
        r, src, w = lp.rhythm, lp.source, lp.weight
        due = lp.due_silence if kind == "silence" else lp.due_rhythm
        wt = cfg.weights
        chans = c.state.last_channels
        last_ch = chans[0] if chans else "message"
        terms: list[tuple[str, float]] = [(self.term, wt[kind]), (f"tier {c.tier}", wt.get(f"tier_{c.tier}", 0.0))]
        if c.kin:
            terms.append(("kin", wt["kin"]))
        if one:
            terms.append(("one-sided", wt["one_sided"]))
        if stage_nudge:
            terms.append(("never met offline", wt["stage"]))
        over = min((elapsed - due) / r, wt["overdue_cap"]) * wt["overdue"] if r > 0 else 0.0
        if over > 0:
            terms.append((f"{times(elapsed / r)} the rhythm", round(over, 6)))
        rtxt = {"learned": f"you usually talk {every(r)}",
                "set": f"you wanted to talk {every(r)}",
                "tier prior": f"about {every(r)} for {_a(c.tier)} contact"}[src]
        reason = f"{plural(elapsed, 'day')} since you last talked; {rtxt}"
        notes = []
        # the channel, said when its weight changed the outcome
        chan_said = False
        if w != 1.0 and chans:
            label = CHANNEL_LABELS.get(chans[0], chans[0])
            plain_kind = lapse_kind(elapsed, *due_days(r, src, 1.0, cfg))
            if plain_kind != kind:
                chan_said = True
                if w < 1:
                    notes.append(f"the last touch ({label}) counts for less ({times(w)}), "
                                 f"so it is due after {days(due)}")
                else:
                    notes.append(f"the last touch ({label}) carries longer ({times(w)}), "
                                 f"so it is due only after {days(due)}")
            else:
                reason += f" (last touch: {label})"
        # the tier prior, said when shrinking toward it changed the outcome
        prior_said = False
        if src == "learned" and cfg.prior_strength > 0:
            raw, _ = learned_rhythm(c, cfg, prior=False)
            if lapse_kind(elapsed, *due_days(raw, src, w, cfg)) != kind:
                prior_said = True
                n = min(c.state.gap_count, cfg.gap_window)
                notes.append(f"your {plural(n, 'gap')} so far say {every(raw)}, leaning toward "
                             f"the {days(_prior(c, cfg))} usual for {_a(c.tier)} contact")
        if one:
            notes.append(one_sided_text(one, c))
        if notes:
            reason += "; " + "; ".join(notes)
        if kind == "silence" or stage_nudge:
            if stage_nudge or last_ch in ("call", "video") or (c.tier in TIERS and TIERS.index(c.tier) <= 2):
                action, channel = "meet offline", "in_person"
            else:
                action, channel = "call", "call"
            if kind == "silence":
                reason += (f" \u2014 a long silence (beyond {days(lp.due_silence)}): "
                           "try a richer channel than a message")
        else:
            action, channel = "reach out", last_ch
        facts = (("elapsed", elapsed), ("rhythm", r), ("source", src), ("weight", w),
                 ("due_rhythm", lp.due_rhythm), ("due_silence", lp.due_silence), ("grace", lp.grace),
                 ("floor", lp.floor), ("channel_said", chan_said), ("prior_said", prior_said))
        return make_item(c, kind, terms, reason, action, channel, today, facts=facts,
                         since=date.fromordinal(cand.since), priority=cand.priority,
                         suggestion=suggestion(c, cfg, BUDGETED_KINDS))


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _prior(c, cfg) -> float:
    from ..rhythm import tier_prior

    return tier_prior(c, cfg)


class Silence(_Lapse):
    name = "silence"
    label = "silence"
    term = "long silence"
    order = 3
    precedence = 0
    weights = {"silence": 4.5, "overdue": 0.5, "overdue_cap": 4.0}


class Rhythm(_Lapse):
    name = "rhythm"
    label = "rhythm"
    term = "past its rhythm"
    order = 4
    precedence = 1
    weights = {"rhythm": 4.0}


SILENCE = Silence()
RHYTHM = Rhythm()

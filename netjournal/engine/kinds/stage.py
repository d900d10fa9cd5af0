"""Stage: affinity or further along and never met offline — suggest meeting."""
from __future__ import annotations

from datetime import date

from .base import Candidate, ReminderKind, Signals, make_item, one_sided_text, suggestion, woke_since


class Stage(ReminderKind):
    name = "stage"
    label = "stage"
    budgeted = True
    order = 5
    precedence = 2
    weights = {"stage": 2.0}
    template = "{name} is at {stage} and you have never met offline[; one-sided]"

    def find(self, c, today, cfg, sig: Signals | None = None):
        # never reset by a dismissal until dismiss_stage_days have passed
        if not sig.stage_nudge:
            return None
        t = sig.t
        if c.dismissals and any(x.kind == "stage" and t - x.on.toordinal() < cfg.dismiss_stage_days
                                for x in c.dismissals):
            return None
        since = woke_since(c, "stage", t, c.state.last_ordinal)
        if since is None:
            return None
        ins = sig.one is not None and sig.one[0] == "in"
        wt = cfg.weights
        return Candidate("stage", since, wt["stage"] + sig.base + (wt["one_sided"] if ins else 0.0), c.id, sig)

    def render(self, c, cand, today: date, cfg):
        from . import BUDGETED_KINDS

        sig: Signals = cand.signals
        one = sig.one if sig.one is not None and sig.one[0] == "in" else None
        wt = cfg.weights
        terms = [("never met offline", wt["stage"]), (f"tier {c.tier}", wt.get(f"tier_{c.tier}", 0.0))]
        if c.kin:
            terms.append(("kin", wt["kin"]))
        reason = f"{c.name} is at {c.stage} and you have never met offline"
        if one:
            terms.append(("one-sided", wt["one_sided"]))
            reason += "; " + one_sided_text(one, c)
        return make_item(c, "stage", terms, reason, "meet offline", "in_person", today,
                         facts=(("elapsed", sig.elapsed),), since=date.fromordinal(cand.since),
                         priority=cand.priority, suggestion=suggestion(c, cfg, BUDGETED_KINDS))


KIND = Stage()

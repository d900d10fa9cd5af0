"""One-sided, they always start: a standalone nudge to reach out first, new after their touch.

(You always start: said on the lapse items only, never right after your own touch.)
"""
from __future__ import annotations

from datetime import date

from .base import Candidate, ReminderKind, Signals, make_item, one_sided_text, suggestion, woke_since


class OneSided(ReminderKind):
    name = "one-sided"
    label = "one-sided"
    budgeted = True
    order = 6
    precedence = 3
    weights = {"one_sided": 1.0}
    template = "{Name | You} started {k} of the last {n} touches"

    def find(self, c, today, cfg, sig: Signals | None = None):
        one = sig.one
        li = c.state.last_inbound_ordinal
        if one is None or one[0] != "in" or li is None:
            return None
        if c.dismissals and any(x.kind == "one-sided" and x.on.toordinal() >= li for x in c.dismissals):
            return None
        since = woke_since(c, "one-sided", sig.t, li)
        if since is None:
            return None
        return Candidate("one-sided", since, cfg.weights["one_sided"] + sig.base, c.id, sig)

    def render(self, c, cand, today: date, cfg):
        from . import BUDGETED_KINDS

        sig: Signals = cand.signals
        one = sig.one
        wt = cfg.weights
        terms = [("one-sided", wt["one_sided"]), (f"tier {c.tier}", wt.get(f"tier_{c.tier}", 0.0))]
        if c.kin:
            terms.append(("kin", wt["kin"]))
        txt = one_sided_text(one, c)
        action = "ask them something they will want to answer" if one[0] == "out" else "reach out first"
        chans = c.state.last_channels
        return make_item(c, "one-sided", terms, txt[0].upper() + txt[1:], action, chans[0] if chans else None,
                         today, facts=(("share", one),), since=date.fromordinal(cand.since),
                         priority=cand.priority, suggestion=suggestion(c, cfg, BUDGETED_KINDS))


KIND = OneSided()

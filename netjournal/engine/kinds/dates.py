"""Important date: a birthday, anniversary or custom date coming within its lead days."""
from __future__ import annotations

from datetime import timedelta

from netjournal.vocab import TIERS

from ..rhythm import next_occurrence
from ..text import plural
from .base import Candidate, ReminderKind, make_item, snoozed, tier_terms


class Date(ReminderKind):
    name = "date"
    label = "date"
    order = 2
    weights = {"date": 6.0, "date_per_day": 0.5}
    limit_key = "date_limit"
    tiers_key = "date_tiers"
    template = "{name}'s {what} is {today | tomorrow | in N days}{ (turns N) | (N years)}, {DD Month}"

    def applies(self, c) -> bool:
        return bool(c.dates)

    def find(self, c, today, cfg, sig=None) -> list[Candidate]:
        out = []
        for d in c.dates:
            occ = next_occurrence(d, today)
            until = (occ - today).days
            lead = cfg.date_lead_days.get(d.kind, 3)
            if until > lead:
                continue
            start = occ - timedelta(days=lead)
            if any(x.kind == "date" and start <= x.on <= occ for x in c.dismissals):
                continue
            if c.snoozes and snoozed(c, "date", today, False)[0]:
                continue
            out.append(Candidate("date", start.toordinal(), 0.0, c.id, (d, occ, until, lead)))
        return out

    def render(self, c, cand, today, cfg):
        d, occ, until, lead = cand.signals
        wt = cfg.weights
        what = d.label or {"birthday": "birthday", "anniversary": "anniversary"}.get(d.kind, "date")
        when = "today" if until == 0 else "tomorrow" if until == 1 else f"in {plural(until, 'day')}"
        extra = ""
        if d.kind == "birthday" and d.year:
            extra = f" (turns {occ.year - d.year})"
        elif d.kind == "anniversary" and d.year:
            extra = f" ({plural(occ.year - d.year, 'year')})"
        terms = [(what, wt["date"])]
        if lead - until:
            terms.append(("coming soon", (lead - until) * wt["date_per_day"]))
        terms += tier_terms(c, wt)
        close = TIERS.index(c.tier) <= 1 if c.tier in TIERS else False
        action = f"send a {what} message" if d.kind != "custom" else f"mark the {what}"
        return make_item(c, "date", terms, f"{c.name}'s {what} is {when}{extra}, {occ.strftime('%d %B')}",
                         ("call for the " + what) if close and d.kind != "custom" else action,
                         "call" if close else "message", today, facts=(("until", until),), due=occ)


KIND = Date()

"""Follow-up: one the user planned, due today or overdue. Always shown; many overdue are grouped."""
from __future__ import annotations

from datetime import date

from ..text import plural
from .base import Candidate, ReminderKind, make_item, snoozed

_ACTION = {
    "meet": ("meet offline", "in_person"), "call": ("call", "call"), "send": ("send it", None),
    "reply": ("reply", None), "introduce": ("make the introduction", "email"),
    "other": ("follow up", None),
}


class Followup(ReminderKind):
    name = "followup"
    label = "follow-up"
    order = 0
    weights = {"followup": 10.0, "followup_per_day": 0.5, "followup_cap": 10.0}
    limit_key = "followup_limit"
    template = "Follow-up \u201c{title}\u201d {due today | due today at HH:MM | overdue by N days}"

    def applies(self, c) -> bool:
        return bool(c.followups)

    def find(self, c, today: date, cfg, sig=None) -> list[Candidate]:
        out = []
        for f in c.followups:
            if f.due is None or f.due > today:
                continue
            if any(d.kind == "followup" and d.on >= f.due for d in c.dismissals):
                continue
            if c.snoozes and snoozed(c, "followup", today, False)[0]:
                continue
            out.append(Candidate("followup", today.toordinal(), 0.0, c.id, f))
        return out

    def render(self, c, cand, today, cfg):
        f = cand.signals
        wt = cfg.weights
        late = today.toordinal() - f.due.toordinal()
        terms = [("follow-up due", wt["followup"])]
        if late:
            terms.append((f"{plural(late, 'day')} overdue", min(late * wt["followup_per_day"], wt["followup_cap"])))
        when = "due today" if late == 0 else f"overdue by {plural(late, 'day')}"
        if f.due_time is not None and late == 0:
            when = f"due today at {f.due_time.strftime('%H:%M')}"
        action, channel = _ACTION.get(f.kind, ("follow up", None))
        return make_item(c, "followup", terms, f"Follow-up \u201c{f.title}\u201d {when}", action, channel,
                         today, facts=(("late", late),), followup_id=f.id, due=f.due)

    def limit(self, items, cfg):
        """Every follow-up due today shows; of the overdue ones the ``followup_limit`` most
        important show one by one and the rest are grouped ("12 more overdue follow-ups")."""
        today = [it for it in items if it.day is not None and it.due == it.day]
        late = [it for it in items if not (it.day is not None and it.due == it.day)]
        n = cfg.followup_limit
        kept = today + late[:n]
        kept_ids = {id(it) for it in kept}
        return [it for it in items if id(it) in kept_ids], max(0, len(late) - n)


KIND = Followup()

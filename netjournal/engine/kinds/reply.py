"""Reply owed: their touch, on a channel that expects an answer, unanswered for a few days."""
from __future__ import annotations

from netjournal.vocab import CHANNEL_LABELS

from ..text import plural
from .base import Candidate, ReminderKind, make_item, snoozed, tier_terms


class Reply(ReminderKind):
    name = "reply"
    label = "reply"
    order = 1
    weights = {"reply": 8.0, "reply_per_day": 0.25, "reply_cap": 2.0}
    limit_key = "reply_limit"
    tiers_key = "reply_tiers"
    template = "{name} reached out ({channel}) {N days} ago and you have not answered"

    def applies(self, c) -> bool:
        return c.state.owed_ordinal is not None

    def find(self, c, today, cfg, sig=None) -> list[Candidate]:
        if c.archived:
            return []
        st = c.state
        owed = st.owed_ordinal
        if owed is None:
            return []
        waited = today.toordinal() - owed
        if not cfg.reply_days <= waited < cfg.reply_window_days:
            return []
        li = st.last_inbound_ordinal
        if any(x.kind == "reply" and x.on.toordinal() >= li for x in c.dismissals):
            return []
        if c.snoozes and snoozed(c, "reply", today, False)[0]:
            return []
        return [Candidate("reply", owed, 0.0, c.id, waited)]

    def render(self, c, cand, today, cfg):
        waited = cand.signals
        wt = cfg.weights
        terms = [("reply owed", wt["reply"]),
                 (f"waiting {plural(waited, 'day')}", min(waited * wt["reply_per_day"], wt["reply_cap"]))]
        terms += tier_terms(c, wt)
        ch = c.state.last_inbound_channel
        label = CHANNEL_LABELS.get(ch, ch) if ch else "touch"
        return make_item(c, "reply", terms,
                         f"{c.name} reached out ({label}) {plural(waited, 'day')} ago and you have not answered",
                         "reply", ch, today, facts=(("waited", waited),))


KIND = Reply()

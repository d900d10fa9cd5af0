"""Command palette (ctrl+p): the app's actions and every contact (open, log a touch)."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from netjournal.tui import actions


def _plain_highlight(matcher, candidate: str) -> Content:
    """Like Matcher.highlight, but the candidate is user text: never parsed as markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _screen_under(app):
    """The screen the palette was opened over (the one whose keys apply)."""
    for s in reversed(app.screen_stack):
        if getattr(s, "SCOPE", ""):
            return s
    return None


class NetjournalCommands(Provider):
    def _actions(self):
        """(action, runner): the app's palette actions, then every action of the screen below."""
        out = [(a, partial(self.app.run_action, a.action)) for a in actions.ACTIONS if a.palette]
        screen = _screen_under(self.app)
        if screen is not None:
            out += [(a, partial(screen.run_action, a.action)) for a in actions.ACTIONS
                    if a.scope == screen.SCOPE]
        return out

    async def discover(self) -> Hits:
        for a, run in self._actions():
            yield DiscoveryHit(a.description, run, help=a.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a, run in self._actions():
            score = matcher.match(a.description)
            if score > 0:
                yield Hit(score, matcher.highlight(a.description), run, text=a.description, help=a.help)
        app = self.app
        if getattr(app, "db", None) is None or not query.strip():
            return
        for cid, name, _nick in app.names_index.filter(query, limit=12):
            display = _plain_highlight(matcher, name)
            yield Hit(0.9, display, partial(app.open_contact, cid), text=name, help="open contact")
            yield Hit(0.5, Content("Log touch with ") + Content(name),
                      partial(_log_with, app, cid),
                      text=f"Log touch with {name}", help="log a touch")


def _log_with(app, contact_id: int) -> None:
    from netjournal.tui.dialogs.log_touch import LogTouchModal

    app.push_screen(LogTouchModal([contact_id]), app._after_log)

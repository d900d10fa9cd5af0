"""Command palette (ctrl+p): the app's actions and every contact (open, log a touch)."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

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
            yield DiscoveryHit(a.description, run, help=escape(a.help))
        yield DiscoveryHit(SYNC, partial(sync_address_book, self.app), help=escape(SYNC_HELP))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a, run in self._actions():
            score = matcher.match(a.description)
            if score > 0:
                yield Hit(score, matcher.highlight(a.description), run, text=a.description, help=escape(a.help))
        if (score := matcher.match(SYNC)) > 0:
            yield Hit(score, matcher.highlight(SYNC), partial(sync_address_book, self.app), text=SYNC, help=escape(SYNC_HELP))
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


# ------------------------------------------------------------------ address-book sync (issue 15)
SYNC = "Sync address book"
SYNC_HELP = "two-way sync with the vdir folder set as [sync] vdir in config.toml"


def sync_address_book(app) -> None:
    """`netjournal sync` in a worker thread; the result comes back as a notification."""
    folder = app.config.sync.get("vdir") if getattr(app, "db", None) is not None else None
    if not folder:
        app.notify('Set [sync] vdir = "PATH" in config.toml to sync an address book', severity="warning",
                   markup=False)
        return

    def work() -> None:
        from pathlib import Path

        from netjournal import clock
        from netjournal.cli.sync import _safe, run_sync
        from netjournal.errors import UserError

        try:
            rep = run_sync(app.db, Path(folder).expanduser(), today=clock.today())
        except UserError as exc:
            app.call_from_thread(app.notify, _safe(str(exc)), severity="error", markup=False)
            return
        app.call_from_thread(app.notify, _safe(rep.summary()) + "".join(
            f"\n{_safe(x)}" for x in (rep.conflicts + rep.problems)[:5]), markup=False, timeout=15)
        app.call_from_thread(app.data_changed, names=True)

    app.run_worker(work, thread=True, exclusive=True, group="sync", exit_on_error=False)

"""One follow-up: the agenda before, the meeting notes, outcome and next steps after.

Long text is kept as a draft while typed; ctrl+o edits the focused text in $EDITOR (through
App.suspend); ctrl+g completes it (api.complete_followup logs the in-person touch and turns
next steps into new follow-ups).
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Static, TextArea

from netjournal import clock, vocab
from netjournal.tui import drafts
from netjournal.errors import UserError
from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.widgets.editor import DraftArea
from netjournal.tui.widgets.keybar import KeyBar
from netjournal.when import parse_when

TEXTS = ("agenda", "meeting_notes", "outcome")


def parse_next_steps(text: str, today) -> list[tuple[str, object]]:
    """One step per line; ``title; when`` gives it a due date ("send deck; friday")."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip().lstrip("-*").strip()
        if not line:
            continue
        title, _, when = line.partition(";")
        due = None
        if when.strip():
            try:
                due, _ = parse_when(when, today, future=True)
            except UserError as exc:
                raise UserError(f"next step {n}: {exc}") from None
        out.append((title.strip(), due))
    return out


class FollowupScreen(BaseScreen):
    AUTO_FOCUS = None
    SCOPE = "followup"
    BINDINGS = actions.bindings("followup")

    def __init__(self, followup_id: int) -> None:
        super().__init__()
        self.followup_id = followup_id
        self.followup = None
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="followup"):
            yield Static("Loading…", id="fu-header", markup=False)
            with Horizontal(classes="field"):
                yield Label("Title", classes="field-label")
                yield Input(id="title", max_length=vocab.MAX_SHORT)
            with Horizontal(classes="field"):
                yield Label("Due", classes="field-label")
                yield Input(id="due", placeholder="friday · in 2w · 3 dec 10:00")
                yield Label("Place", classes="field-label")
                yield Input(id="place", max_length=vocab.MAX_SHORT)
            yield Label("", id="fields-error", classes="error")
            yield Label("Agenda", classes="pane-title")
            yield DraftArea("", id="agenda", classes="short-text", placeholder="what to talk about")
            yield Label("Meeting notes (Markdown · ctrl+o opens $EDITOR)", classes="pane-title")
            yield DraftArea("", id="meeting_notes", classes="long-text", placeholder="what was said")
            yield Label("Outcome", classes="pane-title")
            yield DraftArea("", id="outcome", classes="short-text", placeholder="how it went, what was agreed")
            yield Label("Next steps — one per line; '; friday' gives a due date", classes="pane-title")
            yield TextArea("", id="next", soft_wrap=True, tab_behavior="focus", classes="short-text",
                           placeholder="send the deck; friday")
            yield Label("", id="save-error", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Follow-up"

    def reload(self) -> None:
        if self.followup is None:
            from netjournal.store import api

            self.fetch("followup", api.get_followup, self.db, self.followup_id)

    def got_followup(self, f) -> None:
        self.followup = f
        self._show_header(f)
        self.query_one("#title", Input).value = f.title
        due = f.due_on.isoformat() if f.due_on else ""
        if f.due_on and f.due_time:
            due += f.due_time.strftime(" %H:%M")
        self.query_one("#due", Input).value = due
        self.query_one("#place", Input).value = f.place
        for name in TEXTS:
            self.query_one(f"#{name}", DraftArea).load(getattr(f, name), drafts.key_for("followup", f.id, name))
        target = "#meeting_notes" if f.agenda or f.meeting_notes else "#agenda"
        # focus (and scroll it into view) once the texts just loaded are laid out: scrolled
        # before, the screen stopped where the old heights put it
        self.call_after_refresh(self.query_one(target).focus)

    def _show_header(self, f) -> None:
        t = Text()
        t.append(f.title, style="bold")
        t.append(f"   {f.kind}", style="dim")
        t.append(f"   {f.status}", style="bold green" if f.status == "done" else "bold")
        t.append("\nWith ")
        t.append(", ".join(r.name for r in f.contacts), style="bold")
        if f.due_on:
            t.append(f"   due {f.due_on:%a %d %b %Y}")
        if f.place:
            t.append("   at " + f.place)
        # two lines, always (the CSS crops with an ellipsis): a header that grew when the data came
        # moved everything below it after the focus had scrolled, so where the screen stopped
        # depended on which came first
        self.query_one("#fu-header", Static).update(t)

    def on_draft_area_draft_found(self, event: DraftArea.DraftFound) -> None:
        from netjournal.tui.dialogs.common import offer_draft

        offer_draft(self, event.area, event.draft)

    # ------------------------------------------------------------------ saving
    def _fields(self) -> dict | None:
        err = self.query_one("#fields-error", Label)
        err.update("")
        fields: dict = {"title": self.query_one("#title", Input).value,
                        "place": self.query_one("#place", Input).value}
        due = self.query_one("#due", Input).value
        try:
            if due.strip():
                fields["due_on"], fields["due_time"] = parse_when(due, clock.today(), future=False
                                                                  if _looks_iso(due) else True)
            else:
                fields["due_on"], fields["due_time"] = None, None
        except UserError as exc:
            err.update(Text(str(exc)))
            self.query_one("#due").focus()
            return None
        if not fields["title"].strip():
            err.update("the title cannot be empty")
            self.query_one("#title").focus()
            return None
        for name in TEXTS:
            fields[name] = self.query_one(f"#{name}", DraftArea).text
        return fields

    def action_save(self) -> None:
        fields = self._fields()
        if fields is None or self.followup is None:
            return
        from netjournal.store import api

        self.fetch("saved", api.update_followup, self.db, self.followup_id, **fields, exclusive=False)

    def got_saved(self, f) -> None:
        self.followup = f
        self._mark_saved(f)
        self._show_header(f)
        if self._leaving:
            self.app.pop_screen()
        else:
            self.notify("Saved", timeout=2)

    def failed_saved(self, error: str) -> bool:
        self._leaving = False
        self.query_one("#save-error", Label).update(Text(error))
        return False

    def _mark_saved(self, f) -> None:
        for name in TEXTS:
            self.query_one(f"#{name}", DraftArea).mark_saved(getattr(f, name))

    def action_complete(self) -> None:
        f = self.followup
        if f is None:
            return
        if f.status != "open":
            self.notify(f"This follow-up is already {f.status}.", markup=False)
            return
        fields = self._fields()
        if fields is None:
            return
        try:
            steps = parse_next_steps(self.query_one("#next", TextArea).text, clock.today())
        except UserError as exc:
            self.query_one("#save-error", Label).update(Text(str(exc)))
            return
        from netjournal.store import api

        notes, outcome = fields.pop("meeting_notes"), fields.pop("outcome")
        today = clock.today()

        def complete():
            api.update_followup(self.db, self.followup_id, **fields)
            return api.complete_followup(self.db, self.followup_id, day=today, meeting_notes=notes,
                                         outcome=outcome, next_steps=steps)

        self.fetch("completed", complete, exclusive=False)

    def got_completed(self, f) -> None:
        self.followup = f
        self._mark_saved(f)
        self.query_one("#next", TextArea).load_text("")
        self._show_header(f)
        logged = " and logged the touch" if f.done_touch_id else ""
        self.notify(f"Done: {f.title}{logged}", markup=False)
        self.app.data_changed([r.id for r in f.contacts])

    def action_back(self) -> None:
        dirty = any(self.query_one(f"#{n}", DraftArea).dirty for n in TEXTS)
        if dirty and self.followup is not None and self._fields() is not None:
            self._leaving = True
            self.action_save()
            return
        self.app.pop_screen()

    # ------------------------------------------------------------------ $EDITOR
    def action_external_editor(self) -> None:
        area = self.focused if isinstance(self.focused, TextArea) else self.query_one("#meeting_notes", DraftArea)
        if isinstance(area, DraftArea):
            area.flush_draft()
        from netjournal.tui.external_editor import edit_text

        try:
            with self.app.suspend():
                text = edit_text(area.text)
        except Exception as exc:  # noqa: BLE001 - SuspendNotSupported, editor missing
            self.notify(f"cannot open $EDITOR: {exc}", severity="error", markup=False)
            return
        if text != area.text:
            area.load_text(text)
        self.refresh()


def _looks_iso(text: str) -> bool:
    return bool(text.strip()[:4].isdigit() and "-" in text)

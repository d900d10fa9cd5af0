"""Log a touch in a few keystrokes: who → channel (one key) → direction (one key) → details.

A practised path: ``l``, a name, ``enter`` (add), ``enter`` (next), ``c`` (call), ``enter``
(I reached out), ``enter`` (today), a summary, ``enter`` (save): 7 keys plus the text typed.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from netjournal import clock, vocab
from netjournal.errors import UserError
from netjournal.store.read import Ref
from netjournal.tui.dialogs.future_date import needs_asking
from netjournal.tui.screens.base import BaseModal
from netjournal.tui.widgets.vtable import Column, VirtualTable
from netjournal.when import parse_when

DIRECTION_KEYS = {"o": "out", "i": "in", "m": "mutual"}
STEPS = ("who", "channel", "direction", "details")


class KeyCatcher(Static, can_focus=True):
    """Holds focus while a single key is expected (channel, direction)."""


class LogTouchModal(BaseModal):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="log_cancel"),
        Binding("ctrl+s", "save", "Save", id="log_save", priority=True),
        Binding("ctrl+f", "toggle_plan", "Plan follow-up", id="log_plan", priority=True),
        Binding("ctrl+b", "back_step", "Back a step", id="log_back_step", priority=True),
    ]

    def __init__(self, contact_ids: list[int] | None = None, *, edit=None) -> None:
        """``edit``: a TouchRow to change (the dialog opens on its details, prefilled)."""
        super().__init__()
        self.edit = edit
        self.pre = list(contact_ids or [])
        self.chosen: list[Ref] = list(edit.contacts) if edit is not None else []
        self.step = "who"
        self.channel: str | None = edit.channel if edit is not None else None
        self.direction = edit.direction if edit is not None else "out"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="log"):
            yield Static("Edit the touch" if self.edit is not None else "Log a touch", classes="dialog-title")
            yield Static("", id="chosen")
            yield Input(placeholder="Who? type a name — enter adds, enter again goes on", id="who")
            yield VirtualTable([Column("Name")], lambda r: [r[1] + (f"  ({r[2]})" if r[2] else "")],
                               key=lambda r: r[0], show_header=False, empty="No contact by that name.",
                               id="matches")
            keys = Text()
            for k, ch in vocab.CHANNEL_KEYS.items():
                keys.append(f" {k} ", style="bold reverse")
                keys.append(f" {vocab.CHANNEL_LABELS[ch]}   ")
            yield KeyCatcher(keys, id="channel-keys")
            dirs = Text()
            for k, d in DIRECTION_KEYS.items():
                dirs.append(f" {k} ", style="bold reverse")
                dirs.append(f" {vocab.DIRECTION_LABELS[d]}   ")
            dirs.append("(enter: I reached out)", style="dim")
            yield KeyCatcher(dirs, id="direction-keys")
            with Vertical(id="details"):
                yield Input(placeholder="when: today · yesterday · 3d ago · last fri 14:30", id="when")
                yield Label("", id="when-error", classes="error")
                yield Input(placeholder="summary (what you talked about)", id="summary",
                            max_length=vocab.MAX_SHORT)
                yield Input(placeholder="value given: an intro, an article, help (optional)", id="value")
                yield TextArea("", id="notes", soft_wrap=True, tab_behavior="focus", placeholder="notes (optional)")
                yield Checkbox("Plan a follow-up next (ctrl+f)", id="plan")
                yield Label("", id="save-error", classes="error")
            yield Static("", id="hint", classes="hint")

    def on_mount(self) -> None:
        if self.edit is not None:
            t = self.edit
            when = t.occurred_on.isoformat() + (f" {t.occurred_time:%H:%M}" if t.occurred_time else "")
            self.query_one("#when", Input).value = when
            self.query_one("#summary", Input).value = t.summary
            self.query_one("#value", Input).value = t.value_given
            self.query_one("#notes", TextArea).text = t.notes
            self._filter("")
            self._go("details")
            return
        names = {r[0]: r[1] for r in self.app.names}
        self.chosen = [Ref(i, names[i]) for i in self.pre if i in names]
        self._show_chosen()
        self._filter("")
        self._go("who")

    def action_back_step(self) -> None:
        """ctrl+b: back to the previous step (change who, the channel or the direction)."""
        i = STEPS.index(self.step)
        if i > 0:
            self._go(STEPS[i - 1])

    # ------------------------------------------------------------------ steps
    def _go(self, step: str) -> None:
        self.step = step
        self.query_one("#who").display = step == "who"
        self.query_one("#matches").display = step == "who"
        self.query_one("#channel-keys").display = step == "channel"
        self.query_one("#direction-keys").display = step == "direction"
        self.query_one("#details").display = step == "details"
        hint = self.query_one("#hint", Static)
        if step == "who":
            self.query_one("#who", Input).focus()
            hint.update("enter add · enter on empty: next · backspace on empty: remove last · esc cancel")
        elif step == "channel":
            self.query_one("#channel-keys").focus()
            hint.update("one key picks the channel · esc cancel")
        elif step == "direction":
            self.query_one("#direction-keys").focus()
            hint.update("o / i / m, or enter for 'I reached out' · esc cancel")
        else:
            self.query_one("#when", Input).focus()
            hint.update("enter next field · enter on summary saves · ctrl+s save · ctrl+f plan a follow-up · "
                        "ctrl+b back a step · esc cancel")
        self._show_chosen()

    def _show_chosen(self) -> None:
        t = Text("With: ", style="bold")
        if not self.chosen:
            t.append("nobody yet", style="dim")
        for i, r in enumerate(self.chosen):
            if i:
                t.append(", ")
            t.append(r.name, style="bold")
        if self.channel:
            t.append("   · " + vocab.CHANNEL_LABELS.get(self.channel, self.channel))
        if self.step == "details":
            t.append("   · " + vocab.DIRECTION_LABELS[self.direction])
        self.query_one("#chosen", Static).update(t)

    def _filter(self, text: str) -> None:
        picked = {r.id for r in self.chosen}
        rows = [r for r in self.app.names_index.filter(text, limit=40) if r[0] not in picked][:8]
        self.query_one("#matches", VirtualTable).set_rows(rows, keep=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "who":
            self._filter(event.value)
        elif event.input.id == "when":
            self.query_one("#when-error", Label).update("")
            self._future_ok = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        iid = event.input.id
        if iid == "who":
            row = self.query_one("#matches", VirtualTable).current
            if event.value.strip() and row is not None:
                self.chosen.append(Ref(row[0], row[1]))
                event.input.value = ""
                self._show_chosen()
                self._filter("")
            elif not event.value.strip() and self.chosen:
                self._go("channel")
        elif iid == "when":
            if self._parse_when() is not None:
                self.query_one("#summary", Input).focus()
        elif iid in ("summary", "value"):
            self.action_save()

    def on_key(self, event) -> None:
        key = event.key
        if self.step == "who" and self.focused is self.query_one("#who"):
            table = self.query_one("#matches", VirtualTable)
            if key in ("down", "up"):
                table.action_move(1 if key == "down" else -1)
                event.stop()
            elif key == "backspace" and not self.query_one("#who", Input).value and self.chosen:
                self.chosen.pop()
                self._show_chosen()
                self._filter("")
                event.stop()
        elif self.step == "channel":
            ch = vocab.CHANNEL_KEYS.get(key)
            if ch:
                event.stop()
                self.channel = ch
                self._go("direction")
            elif key == "backspace":
                event.stop()
                self._go("who")
        elif self.step == "direction":
            if key in DIRECTION_KEYS or key == "enter":
                event.stop()
                self.direction = DIRECTION_KEYS.get(key, "out")
                self._go("details")
            elif key == "backspace":
                event.stop()
                self._go("channel")

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.chosen.append(Ref(event.row[0], event.row[1]))
        self.query_one("#who", Input).value = ""
        self._show_chosen()
        self._filter("")
        self.query_one("#who", Input).focus()

    # ------------------------------------------------------------------ saving
    def _parse_when(self):
        try:
            return parse_when(self.query_one("#when", Input).value, clock.today())
        except UserError as exc:
            self.query_one("#when-error", Label).update(Text(str(exc)))
            self.query_one("#when", Input).focus()
            return None

    def action_toggle_plan(self) -> None:
        if self.step == "details":
            self.query_one("#plan", Checkbox).toggle()

    def action_save(self) -> None:
        self.after_typing(self._save)

    def _save(self) -> None:
        if self.step != "details":
            return
        when = self._parse_when()
        if when is None:
            return
        day, at = when
        if not self.chosen:
            self.query_one("#save-error", Label).update("a touch needs at least one contact (ctrl+b: who)")
            return
        today = clock.today()
        # issue 12: a date the store would refuse (after tomorrow: a typo?) is asked about
        if needs_asking(day, today) and self._future_ok != day:
            self._ask_future(day, today)
            return
        from netjournal.store import api

        fields = dict(contact_ids=[r.id for r in self.chosen], channel=self.channel, day=day, at=at,
                      direction=self.direction, summary=self.query_one("#summary", Input).value,
                      notes=self.query_one("#notes", TextArea).text,
                      value_given=self.query_one("#value", Input).value)
        # the store's own rule (after tomorrow: refused unless allowed), with the answer given
        allow = self._future_ok == day
        if self.edit is not None:
            self.fetch("saved", api.update_touch, self.db, self.edit.id, today=today, allow_future=allow, **fields)
        else:
            self.fetch("saved", api.log_touch, self.db, today=today, allow_future=allow, **fields)

    _future_ok = None  # the future day the user said yes to (changing the date forgets it)
    _asking = False

    def _ask_future(self, day, today) -> None:
        if self._asking:
            return
        self._asking = True
        from netjournal.tui.dialogs.future_date import ask_future

        def answer(yes: bool) -> None:
            self._asking = False
            if yes:
                self._future_ok = day
                self._save()
            else:
                self.query_one("#when-error", Label).update("Not saved: change the date (it is in the future)")
                self.query_one("#when", Input).focus()

        ask_future(self.app, day, today, answer)

    def got_saved(self, touch) -> None:
        self.dismiss((touch, self.query_one("#plan", Checkbox).value))

    def failed_saved(self, error: str) -> bool:
        self.query_one("#save-error", Label).update(Text(error))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------- edit / delete a touch

def touch_label(t) -> str:
    who = ", ".join(r.name for r in t.contacts)
    what = t.summary or vocab.CHANNEL_LABELS.get(t.channel, t.channel)
    return f"{t.occurred_on:%a %d %b %Y} · {vocab.CHANNEL_LABELS.get(t.channel, t.channel)} with {who}: {what}"


def edit_touch(app, touch) -> None:
    """Open the log-touch dialog on ``touch`` (a TouchRow); saves with update_touch."""
    if touch is None or app.db is None:
        return

    def done(result) -> None:
        if result is None:
            return
        new, plan = result
        app.notify(f"Saved: {new.summary or vocab.CHANNEL_LABELS.get(new.channel, new.channel)}", markup=False)
        app.data_changed({r.id for r in touch.contacts} | {r.id for r in new.contacts})
        if plan:
            from netjournal.tui.dialogs.followup import PlanFollowupModal

            app.push_screen(PlanFollowupModal(list(new.contacts), from_touch_id=new.id),
                            lambda f: f and app.data_changed([r.id for r in f.contacts]))

    app.push_screen(LogTouchModal(edit=touch), done)


def delete_touch(app, touch) -> None:
    """Ask, then delete ``touch`` (a TouchRow)."""
    if touch is None or app.db is None:
        return
    from netjournal.store import undo
    from netjournal.tui.app import UndoStep
    from netjournal.tui.dialogs.common import ConfirmWriteModal

    ids = [r.id for r in touch.contacts]

    def done(saved) -> None:
        if saved is not None:
            app.data_changed(ids)
            app.remember(UndoStep(f"Deleted the touch “{touch_label(touch)}”", undo.restore, (saved,), ids))

    app.push_screen(ConfirmWriteModal(f"Delete this touch?\n\n{touch_label(touch)}\n\n(u undoes it)",
                                      undo.delete_touch, app.db, touch.id), done)

"""Contact detail: who they are, the timeline (touches, follow-ups, journal mentions), notes."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Label, Static

from netjournal import vocab
from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.days import ago
from netjournal.tui.text import channel_label, mention_text, one_line, plain
from netjournal.tui.widgets.keybar import KeyBar
from netjournal.tui.widgets.people import PeopleKeys, PeoplePanel  # issue 16
from netjournal.tui.widgets.vtable import Column, VirtualTable

TIMELINE_LIMIT = 5000
DIR_ARROWS = {"out": "→", "in": "←", "mutual": "↔"}


def _timeline_row(e) -> list:
    if e.kind == "touch":
        kind = f"{DIR_ARROWS.get(e.direction, '')} {channel_label(e.channel)}"
    elif e.kind == "followup":
        kind = f"follow-up ({e.status})"
    else:
        kind = "journal"
    return [plain(e.day.isoformat() if e.day else ""), plain(kind, "dim" if e.kind != "touch" else ""),
            mention_text(one_line(e.title)), mention_text(one_line(e.detail)[:200], "dim")]


def load_contact(db, contact_id: int, cfg=None):
    """The contact and its timeline (newest first), read in a worker."""
    from netjournal.store import api

    return api.get_contact(db, contact_id, cfg=cfg), api.timeline(db, contact_id, limit=TIMELINE_LIMIT)


def header_text(c, today) -> Text:
    t = Text()
    t.append(c.name, style="bold")
    if c.nickname:
        t.append(f" ({c.nickname})")
    if c.kin:
        t.append("  family", style="italic")
    if c.archived:
        t.append("  archived", style="italic red")
    t.append("\n")
    job = " at ".join(p for p in (c.role, c.company) if p)
    if job:
        t.append(job + "\n")
    if c.location:
        t.append(c.location + "\n", style="dim")
    t.append("Tier ", style="dim")
    t.append(c.tier, style="bold")
    t.append("   Stage ", style="dim")
    for i, st in enumerate(vocab.STAGES):
        if i:
            t.append(" → ", style="dim")
        t.append(st.capitalize(), style="bold reverse" if st == c.stage else "dim")
    t.append("\n")
    t.append("Rhythm ", style="dim")
    if c.rhythm:
        from netjournal.engine.text import every  # issue 12: "every day", "every 5 days", never "every 1 days"
        t.append(every(c.rhythm))
        t.append(f" ({c.rhythm_source})", style="dim")
    else:
        t.append("—")
    t.append("   Last touch ", style="dim")
    t.append(ago(c.last_touch_on, today))
    t.append(f"   Touches {c.touch_count}", style="dim")
    bday = c.birthday
    if bday is not None:
        t.append("   Birthday ", style="dim")
        t.append(bday.display())
    t.append("\n")
    for h in c.handles:
        t.append(f"{h.kind} ", style="dim")
        t.append(h.value)
        if h.label:
            t.append(f" ({h.label})", style="dim")
        t.append("   ")
    if c.tags:
        t.append("\n" + " ".join("#" + x for x in c.tags), style="italic")
    return t


def notes_text(c) -> Text:
    t = Text()
    for label, value in (("About", c.about), ("Interests", c.interests), ("Ask about next time", c.ask_next),
                         ("Why (target)", c.target_why), ("Offer (target)", c.target_offer),
                         ("Met", " ".join(p for p in (c.met_how, c.met_on.isoformat() if c.met_on else "") if p))):
        if value:
            t.append(label + "\n", style="bold")
            t.append(value.strip() + "\n\n")
    if c.target_priority:
        t.append(f"Target priority {c.target_priority}\n", style="bold")
    for d in c.dates:
        if d.kind != "birthday":
            t.append(f"{d.label or d.kind}: {d.display()}\n")
    if not t.plain:
        t.append("No notes yet. e edits: about, interests, what to ask next time.", style="dim italic")
    return t


class ContactScreen(PeopleKeys, BaseScreen):
    AUTO_FOCUS = "#timeline"
    SCOPE = "contact"
    BINDINGS = actions.bindings("contact")

    def __init__(self, contact_id: int, preloaded=None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact = None
        self._preloaded = preloaded

    @classmethod
    def show(cls, app, contact_id: int, preloaded) -> None:
        """Push the contact's screen. One instance is kept installed and refilled: composing
        and styling a fresh screen each time was most of what opening a contact cost. A second
        instance is made only when the kept one is already in some screen stack."""
        cached = getattr(app, "_nj_contact_screen", None)
        if cached is not None and any(cached in stack for stack in app._screen_stacks.values()):
            app.push_screen(cls(contact_id, preloaded=preloaded))
            return
        if cached is None:
            cached = cls(contact_id, preloaded=preloaded)
            app._nj_contact_screen = cached
            app.install_screen(cached, name="nj-contact")
        else:
            cached.contact_id, cached._preloaded = contact_id, preloaded
        app.push_screen(cached)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="contact"):
            with Vertical(id="contact-main"):
                yield Static("Loading…", id="contact-header", markup=False)
                yield Label("Timeline", id="timeline-title", classes="pane-title")
                yield VirtualTable([Column("Day", 10, min=10), Column("What", 18, min=10), Column("Title", weight=2),
                                    Column("Notes", weight=3, hide_below=60)],
                                   _timeline_row, key=lambda e: (e.kind, e.ref_id),
                                   empty=f"No touches yet: {actions.key_of('log_touch', self.app.config.keys)} logs the first one.",
                                   id="timeline")
                yield Static("", id="entry-detail", markup=False)
            with VerticalScroll(id="contact-notes"):
                yield Static("", id="notes", markup=False)
                yield PeoplePanel(id="people")  # issue 16
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Contact"
        self.query_one("#timeline").focus()

    def reload(self) -> None:
        if self._preloaded is not None:
            data, self._preloaded = self._preloaded, None
            self.got_contact(data)
            return
        self.fetch("contact", load_contact, self.db, self.contact_id, self.app.engine_cfg)

    def failed_archived(self, error: str) -> bool:
        return False

    def got_contact(self, result) -> None:
        c, timeline = result
        same = self.contact is not None and self.contact.id == c.id
        self.contact = c
        self.sub_title = c.name
        self.query_one("#contact-header", Static).update(header_text(c, self.today))
        self.query_one("#notes", Static).update(notes_text(c))
        self.query_one(PeoplePanel).show_contact(c.id)  # issue 16
        self.query_one("#timeline-title", Label).update(f"Timeline ({len(timeline):,}, newest first)")
        table = self.query_one("#timeline", VirtualTable)
        if not same:  # a (re)used screen showing someone else: start at the top
            self.query_one("#entry-detail", Static).update("")
            table.scroll_to(y=0, animate=False, immediate=True)
            table.cursor = 0
        table.set_rows(timeline, keep=same)
        if not same:
            table.focus()
        self.loaded = True

    def failed_contact(self, error: str) -> bool:
        self.query_one("#contact-header", Static).update(Text(error, style="bold red"))
        return False

    @on(VirtualTable.Highlighted, "#timeline")
    def _detail(self, event: VirtualTable.Highlighted) -> None:
        e = event.row
        t = Text()
        t.append(f"{e.day} ", style="dim")
        t.append_text(mention_text(e.title, "bold"))
        if e.detail:
            t.append("\n")
            t.append_text(mention_text(e.detail.strip()[:2000], wrap=True))
        self.query_one("#entry-detail", Static).update(t)

    def context_contacts(self) -> list[int]:
        return [self.contact_id]

    # ------------------------------------------------------------------ actions
    def action_stage(self, step: int) -> None:
        if self.contact is None:
            return
        i = vocab.STAGES.index(self.contact.stage) if self.contact.stage in vocab.STAGES else 0
        j = max(0, min(len(vocab.STAGES) - 1, i + step))
        if i == j:
            self.notify("Already at " + vocab.STAGES[i].capitalize())
            return
        from netjournal.store import api

        self._old_stage = self.contact.stage
        self.fetch("stage", api.update_contact, self.db, self.contact_id, stage=vocab.STAGES[j], exclusive=False,
                   undoable=True)

    def got_stage(self, c) -> None:
        from netjournal.tui.app import UndoStep

        old = self._old_stage
        self.app.data_changed([c.id])
        self.app.remember(UndoStep(f"{c.name}: stage {old.capitalize()} → {c.stage.capitalize()}",
                                   _update, (c.id, {"stage": old}), [c.id]))

    def action_edit_contact(self) -> None:
        if self.contact is None:
            return
        from netjournal.tui.dialogs.contact_form import ContactFormModal

        self.app.push_screen(ContactFormModal(self.contact), self.app._after_contact_form)

    def action_plan_followup(self) -> None:
        if self.contact is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.followup import PlanFollowupModal

        self.app.push_screen(PlanFollowupModal([Ref(self.contact.id, self.contact.name)]),
                             lambda f: f and self.app.data_changed([r.id for r in f.contacts]))

    def action_open_item(self) -> None:
        e = self.query_one("#timeline", VirtualTable).current
        if e is not None:
            self._open(e)

    @on(VirtualTable.Selected, "#timeline")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self._open(event.row)

    def _open(self, e) -> None:
        if e.kind == "touch":
            from netjournal.store import api

            self.fetch("touch_to_edit", api.get_touch, self.db, e.ref_id)
        elif e.kind == "followup":
            self.app.open_followup(e.ref_id)
        elif e.kind == "journal" and e.day:
            self.app.open_journal_day(e.day)

    def got_touch_to_edit(self, touch) -> None:
        from netjournal.tui.dialogs.log_touch import edit_touch

        edit_touch(self.app, touch)

    def action_delete_touch(self) -> None:
        e = self.query_one("#timeline", VirtualTable).current
        if e is None or e.kind != "touch":
            self.notify("Select a touch in the timeline first", markup=False)
            return
        from netjournal.store import api

        self.fetch("touch_to_delete", api.get_touch, self.db, e.ref_id)

    def got_touch_to_delete(self, touch) -> None:
        from netjournal.tui.dialogs.log_touch import delete_touch

        delete_touch(self.app, touch)

    def action_archive(self) -> None:
        if self.contact is None:
            return
        from netjournal.store import api

        self.fetch("archived", api.update_contact, self.db, self.contact_id, archived=not self.contact.archived,
                   exclusive=False, undoable=True)

    def got_archived(self, c) -> None:
        from netjournal.tui.app import UndoStep

        self.app.data_changed([c.id], names=True)
        label = f"Archived {c.name}" if c.archived else f"Unarchived {c.name}"
        self.app.remember(UndoStep(label, _update, (c.id, {"archived": not c.archived}), [c.id], names=True),
                          label + (": out of the lists and the queue" if c.archived else ""))

    def action_delete_contact(self) -> None:
        if self.contact is not None:
            from netjournal.store.api import delete_counts

            self.fetch("delete_counts", delete_counts, self.db, self.contact_id)

    def got_delete_counts(self, counts) -> None:
        from netjournal.store import undo
        from netjournal.tui.app import UndoStep
        from netjournal.tui.dialogs.common import ConfirmWriteModal

        c = self.contact
        touches, shared, followups = counts.solo_touches, counts.shared_touches, counts.solo_followups
        parts = [f"{touches:,} touch{'es' if touches != 1 else ''} with nobody else",
                 f"{followups:,} follow-up{'s' if followups != 1 else ''} with nobody else"]
        if c.handles:
            parts.append(f"{len(c.handles)} handle{'s' if len(c.handles) != 1 else ''}")
        if c.dates:
            parts.append(f"{len(c.dates)} date{'s' if len(c.dates) != 1 else ''}")
        if c.tags:
            parts.append(f"{len(c.tags)} tag{'s' if len(c.tags) != 1 else ''}")
        n_links = len(self.query_one(PeoplePanel).rows)  # issue 16: their links go with them
        if n_links:
            parts.append(f"{n_links} link{'s' if n_links != 1 else ''} to people they know")
        parts.append("their notes, snoozes and dismissals")
        question = (f"Delete {c.name}?\n\nGoes with them: " + ", ".join(parts) + "."
                    + (f"\nStays: {shared:,} group touch{'es' if shared != 1 else ''} (without them) "
                       "and journal entries (the mention stays as text)." if shared else
                       "\nJournal entries stay (the mention stays as text).")
                    + "\n\nu undoes it until you quit. To keep the history, archive instead (A).")

        def done(saved) -> None:
            if saved is None:
                return
            if self.is_current:
                self.app.pop_screen()
            self.app.data_changed([c.id], names=True)
            self.app.remember(UndoStep(f"Deleted {c.name}", undo.restore, (saved,), [c.id], names=True))

        self.app.push_screen(ConfirmWriteModal(question, undo.delete_contact, self.db, c.id), done)

    def action_back(self) -> None:
        self.app.pop_screen()


def _update(db, contact_id: int, fields: dict) -> None:
    from netjournal.store import api

    api.update_contact(db, contact_id, **fields)

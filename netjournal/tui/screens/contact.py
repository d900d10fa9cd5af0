"""Contact detail: who they are, the timeline (touches, follow-ups, journal mentions), notes."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from netjournal import vocab
from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import ago, channel_label, one_line, plain
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
            plain(one_line(e.title)), plain(one_line(e.detail)[:200], "dim")]


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
        t.append(f"every {c.rhythm:.0f} days")
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


class ContactScreen(BaseScreen):
    AUTO_FOCUS = "#timeline"
    SCOPE = "contact"
    BINDINGS = actions.bindings("contact")

    def __init__(self, contact_id: int, preloaded=None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact = None
        self._preloaded = preloaded

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="contact"):
            with Vertical(id="contact-main"):
                yield Static("Loading…", id="contact-header", markup=False)
                yield Label("Timeline", id="timeline-title", classes="pane-title")
                yield VirtualTable([Column("Day", 10), Column("What", 18), Column("Title"), Column("Notes")],
                                   _timeline_row, key=lambda e: (e.kind, e.ref_id),
                                   empty="No touches yet: l logs the first one.", id="timeline")
                yield Static("", id="entry-detail", markup=False)
            with VerticalScroll(id="contact-notes"):
                yield Static("", id="notes", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Contact"
        self.query_one("#timeline").focus()

    def reload(self) -> None:
        if self._preloaded is not None:
            data, self._preloaded = self._preloaded, None
            self.got_contact(data)
            return
        self.fetch("contact", load_contact, self.db, self.contact_id, self.app.engine_cfg)

    def got_contact(self, result) -> None:
        c, timeline = result
        self.contact = c
        self.sub_title = c.name
        self.query_one("#contact-header", Static).update(header_text(c, self.today))
        self.query_one("#notes", Static).update(notes_text(c))
        self.query_one("#timeline-title", Label).update(f"Timeline ({len(timeline)})")
        self.query_one("#timeline", VirtualTable).set_rows(timeline)
        self.loaded = True

    def failed_contact(self, error: str) -> bool:
        self.query_one("#contact-header", Static).update(Text(error, style="bold red"))
        return False

    @on(VirtualTable.Highlighted, "#timeline")
    def _detail(self, event: VirtualTable.Highlighted) -> None:
        e = event.row
        t = Text()
        t.append(f"{e.day} ", style="dim")
        t.append(e.title, style="bold")
        if e.detail:
            t.append("\n" + e.detail.strip()[:2000])
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

        self.fetch("stage", api.update_contact, self.db, self.contact_id, stage=vocab.STAGES[j], exclusive=False)

    def got_stage(self, c) -> None:
        self.notify(f"{c.name}: stage {c.stage.capitalize()}", markup=False)
        self.app.data_changed([c.id])

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
        if e.kind == "followup":
            self.app.open_followup(e.ref_id)
        elif e.kind == "journal" and e.day:
            self.app.open_journal_day(e.day)

    def action_back(self) -> None:
        self.app.pop_screen()

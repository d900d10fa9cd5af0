"""Add or edit a contact. Each field is checked as it is left; the problem shows beside it.

Handles are lines ``kind: value`` (``email: ada@example.org``; a line without a known kind gets
one guessed from the value), tags are words (``#`` optional), birthday and anniversary take
``1984-04-15``, ``--04-15`` or ``15 apr``. Nothing is written until every field is right.
"""
from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from netjournal.tui.widgets.flowselect import FlowSelect

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.tui.screens.base import BaseModal
from netjournal.when import parse_month_day

# field id, label, placeholder, multiline
FIELDS = (
    ("name", "Name", "the only required field", False),
    ("nickname", "Nickname", "", False),
    ("company", "Company", "", False),
    ("role", "Role", "", False),
    ("location", "Location", "city, country", False),
    ("met_how", "Met how", "at PyCon 2025, through Ana…", False),
    ("tags", "Tags", "words: python berlin climbing", False),
    ("birthday", "Birthday", "15 apr · 1984-04-15 · --04-15 · 29 feb", False),
    ("anniversary", "Anniversary", "15 apr · 2010-06-12 · --06-12", False),
    ("handles", "Handles", "one a line, kind: value — email: ada@example.org · phone: +44 20 7946 0000", True),
    ("rhythm_days", "Rhythm (days)", "empty: learned from your touches", False),
    ("target_priority", "Target priority", "1 = top; empty: not a target", False),
    ("target_why", "Target: why", "what's in it for you", True),
    ("target_offer", "Target: offer", "what you can give them", True),
    ("about", "About", "family, work, what they care about", True),
    ("interests", "Interests", "", True),
    ("ask_next", "Ask next time", "", True),
)
DATE_FIELDS = ("birthday", "anniversary")
_HANDLE_LINE = re.compile(r"\s*([A-Za-z/]+)\s*:\s*(.*)$", re.S)
STORE_FIELDS = {"name", "nickname", "company", "role", "location", "met_how", "rhythm_days",
                "target_priority", "target_why", "target_offer", "about", "interests", "ask_next"}


class ContactFormModal(BaseModal):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form_cancel"),
        Binding("ctrl+s", "save", "Save", id="form_save", priority=True),
    ]

    def __init__(self, contact=None) -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        c = self.contact
        with Vertical(classes="dialog wide", id="contact-form"):
            yield Static("Edit contact" if c else "Add a contact", classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                for fid, label, placeholder, multi in FIELDS:
                    value = self._initial(fid)
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label")
                        with Vertical(classes="field-input"):
                            if multi:
                                yield TextArea(value, id=fid, soft_wrap=True, tab_behavior="focus",
                                               placeholder=placeholder,
                                               classes="field-text" + (" handles" if fid == "handles" else ""))
                            else:
                                yield Input(value, placeholder=placeholder, id=fid)
                            yield Label("", id=f"{fid}-error", classes="error")
                            if fid == "name":
                                yield Label("", id="name-warning", classes="warning")
                    if fid == "name":
                        with Horizontal(classes="field"):
                            yield Label("Tier", classes="field-label")
                            yield FlowSelect([(t, t) for t in vocab.TIERS], value=c.tier if c else vocab.DEFAULT_TIER,
                                         allow_blank=False, id="tier")
                        with Horizontal(classes="field"):
                            yield Label("Stage", classes="field-label")
                            yield FlowSelect([(s.capitalize(), s) for s in vocab.STAGES],
                                         value=c.stage if c else vocab.DEFAULT_STAGE, allow_blank=False, id="stage")
            yield Label("", id="save-error", classes="error")
            yield Static("enter/tab next field · space opens a choice · ctrl+s save · esc cancel", classes="hint")

    def _initial(self, fid: str) -> str:
        c = self.contact
        if c is None:
            return ""
        if fid == "tags":
            return " ".join(c.tags)
        if fid == "handles":
            return "\n".join(f"{h.kind}: {h.value}" for h in c.handles)
        if fid in DATE_FIELDS:
            d = next((d for d in c.dates if d.kind == fid), None)
            return d.display() if d else ""
        value = getattr(c, fid, "")
        return "" if value is None else str(value)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # ------------------------------------------------------------------ checking
    def _value(self, fid: str) -> str:
        w = self.query_one(f"#{fid}")
        return w.text if isinstance(w, TextArea) else w.value

    def _check(self, fid: str):
        """The cleaned value of one field; raises UserError with what is wrong."""
        from netjournal.store import api
        from netjournal.store import validate

        raw = self._value(fid)
        if fid in STORE_FIELDS:
            return api.clean_contact_fields({fid: raw})[fid]
        if fid == "tags":
            validate.text(raw, "tags", max_len=vocab.MAX_TEXT)
            return sorted({validate.tag(t) for t in re.split(r"[\s,]+", raw) if t.strip().lstrip("#")})
        if fid in DATE_FIELDS:
            if "\x00" in raw:
                raise UserError(f"{fid} contains a NUL character")
            return parse_month_day(raw) if raw.strip() else None
        if fid == "handles":
            return parse_handles(raw)
        return raw

    def _show(self, fid: str, error: str) -> None:
        try:
            self.query_one(f"#{fid}-error", Label).update(Text(error))
        except Exception:  # noqa: BLE001 - fields without an error label
            pass

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._show(event.input.id, "")
        if event.input.id == "name":
            self._same_name(event.value)

    def _same_name(self, name: str) -> None:
        """Warn (without stopping anyone) when the name is taken, as the CLI does."""
        key = " ".join(name.split()).casefold()
        same = [n for i, n, _nick in getattr(self.app, "names", [])
                if n.casefold() == key and (self.contact is None or i != self.contact.id)] if key else []
        warn = ""
        if same:
            warn = (f"There is already a contact named {same[0]}" + (f" ({len(same)} of them)" if len(same) > 1 else "")
                    + " — ctrl+s adds another one.")
        self.query_one("#name-warning", Label).update(Text(warn))

    def on_descendant_blur(self, event) -> None:
        fid = getattr(event.widget, "id", None)
        if fid and any(fid == f[0] for f in FIELDS):
            try:
                self._check(fid)
                self._show(fid, "")
            except UserError as exc:
                self._show(fid, str(exc))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # ------------------------------------------------------------------ saving
    def action_save(self) -> None:
        self.after_typing(self._save)

    def _save(self) -> None:
        values: dict = {}
        bad = None
        for fid, *_ in FIELDS:
            try:
                values[fid] = self._check(fid)
                self._show(fid, "")
            except UserError as exc:
                self._show(fid, str(exc))
                bad = bad or fid
        if bad:
            field = self.query_one(f"#{bad}")
            field.focus()
            self.query_one("#form-fields").scroll_to_widget(field, animate=False)
            self.query_one("#save-error", Label).update("Fix the fields marked in red, then ctrl+s.")
            return
        self.query_one("#save-error", Label).update("")
        fields = {k: v for k, v in values.items() if k in STORE_FIELDS}
        fields["tier"] = self.query_one("#tier", Select).value
        fields["stage"] = self.query_one("#stage", Select).value
        tags = values.get("tags", [])
        from netjournal.store import api

        handles = values.get("handles", [])
        dates = {k: values.get(k) for k in DATE_FIELDS}
        if self.contact is None:
            name = fields.pop("name")
            self.fetch("saved", api.add_contact, self.db, name=name, handles=handles, tags=tags,
                       dates=[(k, *md) for k, md in dates.items() if md], **fields)
        else:
            self.fetch("saved", save_existing, self.db, self.contact, fields, tags, handles, dates)

    def got_saved(self, contact) -> None:
        self.dismiss(contact)

    def failed_saved(self, error: str) -> bool:
        self.query_one("#save-error", Label).update(Text(error))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_handles(raw: str) -> list[tuple[str, str]]:
    """Lines ``kind: value`` -> [(kind, value)]; raises UserError naming the line."""
    from netjournal.store import api

    out: list[tuple[str, str]] = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        m = _HANDLE_LINE.match(line)
        kind, value = None, line
        if m and m.group(1).lower() in vocab.HANDLE_KINDS + ("twitter", "web", "mail", "tel"):
            kind = {"twitter": "x", "web": "website", "mail": "email", "tel": "phone"}.get(
                m.group(1).lower(), m.group(1).lower())
            value = m.group(2)
        try:
            kind, value, _label = api.clean_handle(kind, value)
        except UserError as exc:
            raise UserError(f"line {n}: {exc}") from None
        if (kind, value) not in out:
            out.append((kind, value))
    return out


def save_existing(db, old, fields: dict, tags: list[str], handles: list[tuple[str, str]], dates: dict):
    """Write an edited contact (in a worker), all of it in one transaction."""
    from netjournal.store import api

    return api.save_contact(db, old.id, fields=fields, tags=tags, handles=handles, dates=dates)

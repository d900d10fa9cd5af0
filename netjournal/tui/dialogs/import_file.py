"""Import contacts from a file or folder, with a preview and a progress bar.

Step 1: the path (`~` expanded; the format is detected from the content, or chosen).
Step 2: a dry run shows what would be added, merged and skipped, and the records that cannot
be read. When a chat (or mail/calendar) has names that match no contact and were never decided,
"Who is who?" (:mod:`import_names`) asks once for each; the preview runs again with the choices,
which the import remembers. Step 3: the import itself, in one transaction, with a progress bar fed from the
worker through ``call_from_thread``.
"""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from netjournal import clock
from netjournal.textsafe import neutralise
from netjournal.tui.screens.base import BaseModal

from netjournal.formats import registry  # noqa: E402 - the format list comes from the registry

FORMATS = [("detect from the content", "")] + [(r.label, r.name) for r in registry.readers()]


class ImportModal(BaseModal):
    """Returns the import report (None if cancelled or nothing was written)."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="import_cancel")]
    DEFAULT_CSS = """
    ImportModal > Vertical { width: 90; height: auto; max-height: 90%; }
    ImportModal #import-preview { height: auto; max-height: 16; }
    ImportModal ProgressBar { margin: 1 0; }
    """

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial = path
        self.report = None      # the dry run's report
        self.busy = False
        self.choices: dict = {}  # "who is who?" answers: key -> contact id | new | skip | me
        self.asked: set = set()  # keys already offered (not asked twice in one dialog)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Import contacts, mail, calendars, chats", style="bold"))
            yield Input(value=self.initial, placeholder="~/Downloads/contacts.vcf or a folder", id="import-path")
            yield Select(FORMATS, value="", allow_blank=False, id="import-format")
            yield Label("", id="import-error", classes="error")
            with VerticalScroll(id="import-preview"):
                yield Static("", id="import-summary")
            yield ProgressBar(total=None, show_eta=False, id="import-progress")
            with Horizontal(classes="buttons"):
                yield Button("Preview (enter)", id="preview", variant="primary")
                yield Button("Import", id="import", disabled=True)
                yield Button("Close (esc)", id="close")
            yield Static("enter preview · the import runs in one transaction: all or nothing", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-path", Input).focus()

    # -- steps ---------------------------------------------------------------------------------
    def _path(self) -> Path | None:
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self._error("which file or folder?")
            return None
        p = Path(raw).expanduser()
        if not p.exists():
            self._error(f"no such file or folder: {raw}")
            return None
        return p

    def _format(self) -> str | None:
        value = self.query_one("#import-format", Select).value
        return value or None

    def _error(self, msg: str) -> None:
        self.query_one("#import-error", Label).update(Text(msg))

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#preview")
    def preview(self) -> None:
        if self.busy:
            return
        path = self._path()
        if path is None:
            return
        self._error("")
        if self.report is not None and str(path) != getattr(self, "_previewed", None):
            self.choices, self.asked = {}, set()
        self._previewed = str(path)
        self.query_one("#import-summary", Static).update(Text("Reading…", style="dim"))
        self.query_one("#import", Button).disabled = True
        self.busy = True
        self.fetch("preview", self._run, path, self._format(), True)

    @on(Button.Pressed, "#import")
    def do_import(self) -> None:
        if self.busy or self.report is None:
            return
        path = self._path()
        if path is None:
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.busy = True
        self.query_one("#import", Button).disabled = True
        self.fetch("imported", self._run, path, self._format(), False)

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    # -- worker side ---------------------------------------------------------------------------
    def _run(self, path: Path, fmt: str | None, dry_run: bool):
        from netjournal.formats.importing import import_path

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        me = self.app.config.me   # [me] as the app read it at start (config.toml is not read again)
        return import_path(self.db, path, fmt=fmt, dry_run=dry_run, today=clock.today(),
                           progress=None if dry_run else progress, me_emails=list(me.emails),
                           me_names=list(me.names), names=dict(self.choices))

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=max(total, 1), progress=done)

    # -- results (UI thread) ---------------------------------------------------------------------
    def got_preview(self, report) -> None:
        self.busy = False
        self.report = report
        self.query_one("#import-summary", Static).update(self._describe(report, preview=True))
        can = report.changes > 0   # contacts, touches, or follow-ups added, moved or cancelled
        self.query_one("#import", Button).disabled = not can
        ask = [u for u in getattr(report, "unknown", []) if u["key"] not in self.asked]
        if ask:
            from netjournal.tui.dialogs.import_names import MAX_ASKED, WhoIsWhoModal

            self.asked.update(u["key"] for u in ask[:MAX_ASKED])
            self.app.push_screen(WhoIsWhoModal(ask), self._after_names)
            return
        if can:
            self.query_one("#import", Button).focus()

    def _after_names(self, choices) -> None:
        if choices:
            self.choices.update(choices)
            self.preview()   # again, with the choices: the counts show who is who
        elif not self.query_one("#import", Button).disabled:
            self.query_one("#import", Button).focus()

    def failed_preview(self, error: str) -> bool:
        self.busy = False
        self._error(error)
        self.query_one("#import-summary", Static).update("")
        return True

    def got_imported(self, report) -> None:
        self.busy = False
        self.query_one("#import-progress", ProgressBar).update(total=1, progress=1)
        self.query_one("#import-summary", Static).update(self._describe(report, preview=False))
        self.app.notify(f"Imported {report.format}: {report.summary()}", markup=False)
        self.dismiss(report)

    def failed_imported(self, error: str) -> bool:
        self.busy = False
        self.query_one("#import-progress", ProgressBar).display = False
        self._error(f"{error} — nothing was written")
        return True

    @staticmethod
    def _describe(report, *, preview: bool) -> Text:
        t = Text()
        t.append(f"{report.format}", style="bold")
        if getattr(report, "owner", ""):
            t.append(f" (export of {report.owner})")
        t.append(": " + report.summary() + "\n")
        for note in getattr(report, "notes", []):
            t.append(f"  note: {neutralise(note, keep='')}\n", style="dim")
        if getattr(report, "skipped_why", None):
            t.append("  not imported: " + "; ".join(f"{n} {why}" for why, n in sorted(report.skipped_why.items()))
                     + "\n", style="dim")
        unknown = getattr(report, "unknown", [])
        if unknown:
            t.append(f"  {len(unknown)} name(s) match no contact and were not imported: "
                     + ", ".join(u["name"] for u in unknown[:8]) + (" …" if len(unknown) > 8 else "") + "\n",
                     style="yellow")
        for line in report.details[:200] if preview else []:
            t.append(f"  {line}\n")
        for c in report.conflicts[:50]:
            t.append(f"  conflict: {c}\n", style="yellow")
        for p in report.problems[:50]:
            where = f"{p.source}:{p.line}" if p.line else p.source
            t.append(f"  {'skipped' if p.fatal else 'note'} {where}: {p.reason}\n",
                     style="red" if p.fatal else "dim")
        return t

"""Text areas for long text: drafts saved as you type, @mentions completed from contacts."""
from __future__ import annotations

import re
from functools import partial

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from netjournal.tui import actions, drafts

DRAFT_DELAY = 1.0  # seconds without typing before the draft is written
# "@" and up to four words before the cursor: "@Maya Ru" completes to Maya Ruiz
_MENTION = re.compile(r"(?:^|[\s(])@([\w.'-]{1,40}(?: [\w.'-]{1,40}){0,3})$", re.UNICODE)


class DraftArea(TextArea):
    """A TextArea whose unsaved text is kept as a draft file (see ``netjournal.tui.drafts``)."""

    BINDINGS = [Binding("tab", "complete", "Complete @name", show=False)]

    class DraftFound(Message):
        """An unsaved draft newer than the saved text exists: offer it back."""

        def __init__(self, area: "DraftArea", draft: drafts.Draft) -> None:
            super().__init__()
            self.area, self.draft = area, draft

        @property
        def control(self) -> "DraftArea":
            return self.area

    class Suggestions(Message):
        def __init__(self, area: "DraftArea", prefix: str, names: list[str]) -> None:
            super().__init__()
            self.area, self.prefix, self.names = area, prefix, names

        @property
        def control(self) -> "DraftArea":
            return self.area

    def __init__(self, text: str = "", *, mentions: bool = False, id: str | None = None,
                 classes: str | None = None, placeholder: str = "") -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         id=id, classes=classes, placeholder=placeholder)
        self.mentions = mentions
        self.draft_key: str | None = None
        self.saved_text = text
        self._timer: Timer | None = None
        self._suggest: list[str] = []
        self._prefix = ""
        self._offered: tuple | None = None

    # ------------------------------------------------------------------ drafts
    def load(self, text: str, draft_key: str | None, saved_at=None) -> None:
        """Show the saved ``text``; if a newer unsaved draft exists, announce it."""
        self.flush_draft()
        self.draft_key = draft_key
        self.saved_text = text
        self.load_text(text)
        if draft_key:
            d = drafts.pending(draft_key, text, saved_at)
            if d is not None and (d.key, d.saved_at) != self._offered:
                self._offered = (d.key, d.saved_at)
                self.post_message(self.DraftFound(self, d))

    def restore(self, draft: drafts.Draft) -> None:
        self.load_text(draft.text)

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    def mark_saved(self, text: str) -> None:
        """The store has ``text``: the draft is no longer needed."""
        self.saved_text = text
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.draft_key and self.text == text:
            drafts.discard(self.draft_key)

    def flush_draft(self) -> None:
        """Write the draft now (on leaving, quitting, before an external editor)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.draft_key and self.dirty:
            try:
                drafts.save(self.draft_key, self.text)
            except OSError as exc:
                self.app.notify(f"could not save the draft: {exc}", severity="error", markup=False)

    def _write_draft(self) -> None:
        self._timer = None
        if not (self.draft_key and self.dirty):
            return
        self.run_worker(partial(drafts.save, self.draft_key, self.text), thread=True, group="draft",
                        exclusive=True, exit_on_error=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is not self:
            return
        if self.draft_key and self.dirty:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.set_timer(DRAFT_DELAY, self._write_draft)
        if self.mentions:
            self._update_suggestions()

    def on_unmount(self) -> None:
        self.flush_draft()

    # ------------------------------------------------------------------ @mentions
    def _build_highlight_map(self) -> None:
        """(TextArea's hook for syntax highlighting) mentions shown styled: the name as a link,
        the brackets of ``@[Full Name]`` dimmed. Offsets are UTF-8 bytes, as TextArea wants."""
        super()._build_highlight_map()
        if not getattr(self, "mentions", False):  # (called from TextArea.__init__ too)
            return
        from netjournal.mentions import MENTION

        highlights = self._highlights
        for row, line in enumerate(self.document.lines):
            if "@" not in line:
                continue
            for m in MENTION.finditer(line):
                start = len(line[:m.start()].encode())
                end = start + len(m.group(0).encode())
                if m.group(1) is not None:
                    highlights[row].append((start, start + 2, "punctuation.bracket"))
                    highlights[row].append((start + 2, end - 1, "link.label"))
                    highlights[row].append((end - 1, end, "punctuation.bracket"))
                else:
                    highlights[row].append((start, end, "link.label"))

    def _update_suggestions(self) -> None:
        """The names the @word before the cursor may complete to. Called on every change, and
        again by tab itself: in a burst of keys tab can arrive before the change messages of the
        characters typed just before it."""
        row, col = self.cursor_location
        line = self.document.get_line(row)[:col]
        m = _MENTION.search(line)
        names: list[str] = []
        prefix = ""
        if m:
            prefix = m.group(1)
            index = getattr(self.app, "names_index", None)
            if index is not None:
                names = [n for _i, n, _nick in index.filter(prefix.replace("_", " "), limit=5, typo_fallback=False)]
        if names != self._suggest or prefix != self._prefix:
            self._suggest, self._prefix = names, prefix
            self.post_message(self.Suggestions(self, prefix, names))

    async def _on_key(self, event) -> None:
        # tab completes here, in the key's own turn: a binding runs only after the key bubbles
        # up, by which time the keys typed after it (a burst, tmux) are already in the text
        if event.key == "tab" and self.mentions:
            self._update_suggestions()
            if self._suggest:
                event.stop()
                event.prevent_default()
                self.action_complete()
                return
        await super()._on_key(event)

    def _next_stop(self):
        """The widget tab would focus next, or None."""
        chain = self.screen.focus_chain
        if self not in chain or len(chain) < 2:
            return None
        return chain[(chain.index(self) + 1) % len(chain)]

    def action_complete(self) -> None:
        if self.mentions:
            self._update_suggestions()
        if not self._suggest:
            # on to the next field (a dialog; a form of fields like the follow-up screen); never
            # onto keys that act (Today's journal is followed by lists): then say what tab does
            if self.screen.is_modal or actions.is_typing(self._next_stop()):
                self.screen.focus_next()
            else:
                self.app.notify(("tab completes an @name · " if self.mentions else "")
                                + "esc leaves the editor · ctrl+s saves", timeout=3, markup=False)
            return
        name = self._suggest[0]
        token = f"@[{name}]" if (" " in name or not re.fullmatch(r"[\w.'-]+", name)) else f"@{name}"
        row, col = self.cursor_location
        start = (row, col - len(self._prefix) - 1)
        following = self.document.get_line(row)[col:col + 1]
        self.replace(token + ("" if following[:1].isspace() else " "), start, (row, col))
        if following[:1].isspace():  # step over the space that was already there
            self.move_cursor((row, start[1] + len(token) + 1))
        self._suggest, self._prefix = [], ""
        self.post_message(self.Suggestions(self, "", []))


class JournalEditor(Vertical):
    """A day's journal entry with @mention suggestions; saves on ctrl+s and on leaving."""

    DEFAULT_CSS = """
    JournalEditor { height: 1fr; }
    JournalEditor DraftArea { height: 1fr; }
    JournalEditor #suggest { height: 1; color: $text-muted; padding: 0 1; }
    """

    class SaveRequested(Message):
        def __init__(self, editor: "JournalEditor", text: str) -> None:
            super().__init__()
            self.editor, self.text = editor, text

        @property
        def control(self) -> "JournalEditor":
            return self.editor

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id)
        self.placeholder = placeholder

    def compose(self):
        yield DraftArea("", mentions=True, id="entry", placeholder=self.placeholder)
        yield Static("", id="suggest", markup=False)

    @property
    def area(self) -> DraftArea:
        return self.query_one(DraftArea)

    def on_draft_area_suggestions(self, event: DraftArea.Suggestions) -> None:
        s = self.query_one("#suggest", Static)
        if event.names:
            t = Text("tab → ", style="bold")
            t.append(event.names[0], style="bold")
            if len(event.names) > 1:
                t.append("   also: " + ", ".join(event.names[1:]))
            s.update(t)
        else:
            s.update("Type @ and a name to mention a contact." if self.area.has_focus else "")

    def on_descendant_blur(self, event) -> None:
        if self.area.dirty:
            self.post_message(self.SaveRequested(self, self.area.text))

    def on_descendant_focus(self, event) -> None:
        self.query_one("#suggest", Static).update("Type @ and a name to mention a contact.")

    def request_save(self) -> bool:
        """Ask the screen to save (False: nothing unsaved)."""
        if self.area.dirty:
            self.post_message(self.SaveRequested(self, self.area.text))
            return True
        return False

    def edit_at_end(self) -> None:
        """Focus the text with the cursor after its last character: what is typed is appended."""
        area = self.area
        # now, not on the next turn as ``focus()`` does: keys already queued behind the one that
        # called this (a burst, a paste) go into the text, not to the screen as commands
        self.screen.set_focus(area)
        area.move_cursor(area.document.end)

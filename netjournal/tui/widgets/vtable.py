"""A virtual table: rows are plain Python objects, formatted only when a line is painted.

Swapping 10,000 rows costs a list assignment (no per-row widget or cell objects), so a filter
can repaint on every keystroke. Rows that are :class:`Group` instances render as section
headings and are skipped by the cursor. Cells are ``str`` (shown literally, never markup) or
rich ``Text``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None   # None: share the remaining width
    justify: str = "left"
    min: int = 0               # a fixed column gives up room down to this when the table is narrow
    weight: int = 1            # a flexible column's share of the remaining width
    hide_below: int = 0        # left out when the table is narrower than this (side information)


@dataclass(frozen=True)
class Group:
    label: str
    key: Hashable = None


class VirtualTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; overflow-x: hidden; background: $surface; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-muted; background: $panel; }
    VirtualTable > .vtable--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .vtable--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable > .vtable--group { text-style: bold; color: $accent; }
    VirtualTable > .vtable--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {"vtable--header", "vtable--cursor", "vtable--group", "vtable--empty"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: "VirtualTable", index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> "VirtualTable":
            return self.table

    class Selected(Message):
        def __init__(self, table: "VirtualTable", index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> "VirtualTable":
            return self.table

    def __init__(self, columns: Sequence[Column], format_row: Callable[[Any], Sequence[str | Text]],
                 *, key: Callable[[Any], Hashable] | None = None, empty: str = "Nothing here.",
                 show_header: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.format_row = format_row
        self.key = key or (lambda row: id_of(row))
        self.rows: list[Any] = []
        self.empty = empty
        self.show_header = show_header

    # ------------------------------------------------------------------ data
    @property
    def header_lines(self) -> int:
        return 1 if self.show_header else 0

    def set_rows(self, rows: Sequence[Any], *, keep: bool = True) -> None:
        old = self.current_key if keep else None
        self.rows = list(rows)
        self.virtual_size = Size(0, len(self.rows) + self.header_lines)
        idx = 0
        if old is not None:
            for i, r in enumerate(self.rows):
                if not isinstance(r, Group) and self.key(r) == old:
                    idx = i
                    break
            else:
                idx = min(self.cursor, max(len(self.rows) - 1, 0))
        self.cursor = self._selectable(idx, 1)
        self.refresh()

    @property
    def current(self) -> Any:
        if 0 <= self.cursor < len(self.rows) and not isinstance(self.rows[self.cursor], Group):
            return self.rows[self.cursor]
        return None

    @property
    def current_key(self) -> Hashable | None:
        row = self.current
        return None if row is None else self.key(row)

    def _selectable(self, idx: int, step: int) -> int:
        n = len(self.rows)
        if n == 0:
            return 0
        idx = max(0, min(idx, n - 1))
        i = idx
        while 0 <= i < n and isinstance(self.rows[i], Group):
            i += step
        if 0 <= i < n:
            return i
        i = idx
        while 0 <= i < n and isinstance(self.rows[i], Group):
            i -= step
        return i if 0 <= i < n else idx

    # ------------------------------------------------------------------ cursor
    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self.current is not None:
            self.post_message(self.Highlighted(self, value, self.current))

    def _scroll_to_cursor(self) -> None:
        h = self.scrollable_content_region.height - self.header_lines
        if h <= 0:
            return
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor > top + h - 1:
            self.scroll_to(y=self.cursor - h + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = self._selectable(self.cursor + step, step)

    def action_page(self, step: int) -> None:
        h = max(1, self.scrollable_content_region.height - self.header_lines - 1)
        if self.rows:
            self.cursor = self._selectable(self.cursor + step * h, step)

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = self._selectable(0 if where == 0 else len(self.rows) - 1, 1 if where == 0 else -1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.cursor, self.current))

    def on_key(self, event) -> None:
        if event.key == "enter" and self.current is not None:
            event.stop()
            event.prevent_default()
            self.action_select()

    def on_click(self, event: Click) -> None:
        y = event.y - self.header_lines
        if y < 0:
            return
        idx = y + round(self.scroll_offset.y)
        if 0 <= idx < len(self.rows) and not isinstance(self.rows[idx], Group):
            self.cursor = idx
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows) + self.header_lines)

    # ------------------------------------------------------------------ painting
    GAP = 2  # cells between two columns: no two fields touch

    def _widths(self, width: int) -> list[int]:
        """Each column's width (0: left out at this width)."""
        shown = [c for c in self.columns if not c.hide_below or width >= c.hide_below]
        widths = iter(self._shown_widths(shown, width))
        return [next(widths) if (not c.hide_below or width >= c.hide_below) else 0 for c in self.columns]

    def _shown_widths(self, columns: list[Column], width: int) -> list[int]:
        """Fixed columns keep their width while the flexible ones get at least
        half the room (then the fixed ones shrink toward their ``min``); flexible columns share the rest
        by weight, so text columns grow with the terminal."""
        gaps = max(len(columns) - 1, 0) * self.GAP
        avail = max(width - gaps - 1, 0)
        flex = [c for c in columns if c.width is None]
        fixed_w = [c.width for c in columns if c.width is not None]
        want = sum(fixed_w)
        floor = avail // 2 if flex else 0
        if want > avail - floor:  # shrink the fixed columns, in proportion, not below min
            over = want - max(avail - floor, 0)
            room = [max(c.width - max(c.min, min(c.width, len(c.label))), 0)
                    for c in columns if c.width is not None]
            total_room = sum(room) or 1
            cut = [min(r, -(-over * r // total_room)) for r in room]
            fixed_w = [w - k for w, k in zip(fixed_w, cut)]
        rest = max(avail - sum(fixed_w), 0)
        weights = sum(c.weight for c in flex) or 1
        out, it, given = [], iter(fixed_w), 0
        flex_seen = 0
        for c in columns:
            if c.width is not None:
                out.append(next(it))
            else:
                flex_seen += 1
                share = rest - given if flex_seen == len(flex) else rest * c.weight // weights
                given += share
                out.append(share)
        return out

    def _line(self, cells: Sequence[str | Text], widths: list[int]) -> Text:
        line = Text(" ", no_wrap=True, end="")
        last = max((i for i, w in enumerate(widths) if w), default=-1)
        for i, (cell, w) in enumerate(zip(cells, widths)):
            if not w:
                continue
            t = cell.copy() if isinstance(cell, Text) else Text(str(cell) if cell is not None else "", end="")
            t.no_wrap = True
            t.end = ""
            t.truncate(w, overflow="ellipsis", pad=False)
            if self.columns[i].justify == "right":
                t.pad_left(w - t.cell_len)
            else:
                t.pad_right(w - t.cell_len)
            line.append_text(t)
            if i < last:
                line.append(" " * self.GAP)
        return line

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        console = self.app.console
        segments = [Segment(s.text, style + s.style if s.style else style, s.control)
                    for s in text.render(console) if s.text]
        return Strip(segments).adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        widths = self._widths(width)
        if self.show_header and y == 0:
            style = base + self.get_component_rich_style("vtable--header")
            return self._strip(self._line([c.label for c in self.columns], widths), width, style)
        idx = y - self.header_lines + round(self.scroll_offset.y)
        if not self.rows and y == self.header_lines:
            style = base + self.get_component_rich_style("vtable--empty")
            return self._strip(Text(" " + self.empty, end=""), width, style)
        if not 0 <= idx < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[idx]
        if isinstance(row, Group):
            style = base + self.get_component_rich_style("vtable--group")
            return self._strip(Text(" " + row.label, end=""), width, style)
        try:
            cells = self.format_row(row)
        except Exception as exc:  # a formatting bug must not take the screen down
            cells = [f"⚠ {exc}"]
        line = self._line(cells, widths)
        style = base
        if idx == self.cursor:
            cursor = self.get_component_rich_style("vtable--cursor")
            style = base + cursor
            return self._strip(line, width, style)
        return self._strip(line, width, style)


def id_of(row: Any) -> Hashable:
    rid = getattr(row, "id", None)
    if rid is not None:
        return rid
    return getattr(row, "contact_id", None) or id(row)

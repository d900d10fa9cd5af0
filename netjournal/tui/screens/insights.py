"""Insights: the stage funnel, tier fill, touches per week, offline share, one-sided, fading."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Header, Label, Sparkline, Static

from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import bar
from netjournal.tui.widgets.keybar import KeyBar

BAR = 28


def funnel_text(ins, width: int = BAR + 17) -> Text:
    """The funnel, each line within ``width`` cells (the bar takes what the label and number leave)."""
    t = Text(no_wrap=True, overflow="ellipsis")
    w = max(4, min(BAR * 2, width - 17))
    top = max((n for _, n in ins.funnel), default=0) or 1
    for stage, n in ins.funnel:
        t.append(f"{stage.capitalize():<11}", style="bold")
        t.append(bar(n, top, w), style="green")
        t.append(f" {n:>5}\n")
    return t


def tiers_text(ins, width: int = BAR + 32) -> Text:
    t = Text(no_wrap=True, overflow="ellipsis")
    w = max(4, min(BAR * 2, width - 32))
    for tier, n, size in ins.tiers:
        t.append(f"{tier:<13}", style="bold")
        t.append(bar(min(n, size), size, w), style="yellow" if n <= size else "red")
        t.append(f" {n:>5} / {size}")
        if n > size:
            t.append("  over", style="red")
        t.append("\n")
    return t


def weeks_text(ins) -> Text:
    counts = [n for _, n in ins.weeks]
    total = sum(counts)
    t = Text()
    if ins.weeks:
        t.append(f"{ins.weeks[0][0]:%d %b %Y} → {ins.weeks[-1][0]:%d %b %Y}", style="dim")
        t.append(f"   {total:,} touches in these {len(counts)} weeks, {total / max(len(counts), 1):.1f} a week, "
                 f"busiest {max(counts, default=0)}")
    return t


def offline_text(ins, width: int = BAR * 3) -> Text:
    t = Text()
    share = ins.offline_share
    t.append(bar(share, 1.0, max(4, min(BAR, width // 3))), style="cyan")
    t.append(f" {share:.0%}", style="bold")
    t.append(f"  ({ins.offline_year} of {ins.touches_year} touches in the last year were in person or at events)")
    return t


def people_table(rows, cols, fmt) -> Table:
    table = Table(box=None, show_header=True, header_style="bold dim", expand=True, pad_edge=False)
    for c in cols:
        table.add_column(c, no_wrap=True, overflow="ellipsis")
    for r in rows:
        table.add_row(*fmt(r))
    return table


class InsightsScreen(BaseScreen):
    AUTO_FOCUS = None
    SCOPE = "insights"
    BINDINGS = actions.bindings("insights")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="insights"):
            yield Label("Loading…", id="insights-title", classes="pane-title")
            with Grid(id="insights-grid"):
                with Vertical(classes="card"):
                    yield Label("Stage funnel", classes="card-title")
                    yield Static("", id="funnel", markup=False)
                with Vertical(classes="card"):
                    yield Label("Tiers against the usual layer sizes", classes="card-title")
                    yield Static("", id="tiers", markup=False)
                with Vertical(classes="card wide-card"):
                    yield Label("Touches per week, last year", classes="card-title")
                    yield Sparkline([], id="weeks-chart")
                    yield Static("", id="weeks", markup=False)
                with Vertical(classes="card wide-card"):
                    yield Label("Offline share", classes="card-title")
                    yield Static("", id="offline", markup=False)
                with Vertical(classes="card"):
                    yield Label("One-sided", classes="card-title")
                    yield Static("", id="one-sided", markup=False)
                with Vertical(classes="card"):
                    yield Label("Fading (closest tiers first, then furthest past their rhythm)", classes="card-title")
                    yield Static("", id="fading", markup=False)
                with Vertical(classes="card wide-card"):  # issue 16: people know each other
                    yield Label("Most connected · Top introducers", classes="card-title")
                    yield Static("", id="network", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Insights"

    _ins = None

    def on_resize(self) -> None:
        self._paint_bars()

    def _paint_bars(self) -> None:
        """The bars take the width there is (a half-width card each, 4 cells of border and padding)."""
        ins = self._ins
        if ins is None:
            return
        half = max(20, (self.size.width - 3) // 2 - 5)  # (grid gutter, scrollbar)
        self.query_one("#funnel", Static).update(funnel_text(ins, half))
        self.query_one("#tiers", Static).update(tiers_text(ins, half))
        self.query_one("#offline", Static).update(offline_text(ins, self.size.width - 8))

    def reload(self) -> None:
        from netjournal.store import insights

        self.fetch("insights", insights.insights, self.db, self.today, cfg=self.app.engine_cfg)
        from netjournal.store.links import network_insights  # issue 16
        self.fetch("network", network_insights, self.db)

    def got_network(self, result) -> None:
        from netjournal.tui.widgets.people import network_table
        self.query_one("#network", Static).update(network_table(*result))

    def got_insights(self, ins) -> None:
        self.query_one("#insights-title", Label).update(
            f"{ins.contacts:,} contacts · {ins.touches_year:,} touches in the last year")
        self._ins = ins
        self._paint_bars()
        self.query_one("#weeks-chart", Sparkline).data = [n for _, n in ins.weeks]
        self.query_one("#weeks", Static).update(weeks_text(ins))

        if ins.one_sided:
            self.query_one("#one-sided", Static).update(people_table(
                ins.one_sided, ("Who", "Initiates", "Out/In"),
                lambda o: (Text(o.name), "you, always" if o.who == "you" else "they, always", f"{o.outs}/{o.ins}")))
        else:
            self.query_one("#one-sided", Static).update(Text("No one-sided relationships. Good.", style="dim"))
        if ins.fading:
            self.query_one("#fading", Static).update(people_table(
                ins.fading, ("Who", "Tier", "Silent", "Rhythm"),
                lambda f: (Text(f.name), f.tier, f"{f.days_since}d", f"{f.rhythm:.0f}d")))
        else:
            self.query_one("#fading", Static).update(Text("No one is fading.", style="dim"))

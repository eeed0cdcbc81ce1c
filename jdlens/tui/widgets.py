"""Widgets that show one ScoreResult: the verdict gauge, the highlighted posting, the
evidence table and the breakdown / signals / questions panel."""
from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Static, TextArea

from ..render import FARM_RGB, HUNT_RGB, _blend, signals_text
from ..result import ACCOUNT_MANAGER, HUNTER, LABEL_WORDS, NOT_SALES, ScoreResult, display_percent

HUNT = _blend(HUNT_RGB, 1.0)
FARM = _blend(FARM_RGB, 1.0)


def gauge(hunter_score: float, width: int, dark: bool = True) -> Text:
    """`Account manager ━━━━━━●━━ Hunter` fitted to `width` cells."""
    left, right = ("Account manager ", " Hunter") if width >= 44 else ("AM ", " Hunter")
    n = max(10, width - len(left) - len(right))
    pos = min(n - 1, max(0, round(hunter_score * (n - 1))))
    base = (0, 0, 0) if dark else (255, 255, 255)
    t = Text(left, style=Style(color=FARM, bold=True))
    for i in range(n):
        frac = i / (n - 1)
        rgb, a = (HUNT_RGB, 0.35 + 0.65 * (frac - 0.5) * 2) if frac >= 0.5 else (FARM_RGB, 0.35 + 0.65 * (0.5 - frac) * 2)
        if i == pos:
            t.append("\u2503" if not dark else "\u2588", style=Style(color="white" if dark else "black", bold=True))
        else:
            t.append("\u2501", style=Style(color=_blend(rgb, a, base)))
    t.append(right, style=Style(color=HUNT, bold=True))
    return t


class PostingEditor(TextArea):
    """The posting editor. While it shows the built-in example, a paste replaces the example."""

    def __init__(self, text: str, *, example: bool = False, **kw) -> None:
        super().__init__(text, **kw)
        self.example = example

    # Textual calls these before TextArea's own handlers (it walks the MRO), so no super().
    async def _on_paste(self, event: events.Paste) -> None:
        if self.example:
            self.example = False
            self.select_all()

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            self.example = False


class VerdictPanel(Widget):
    """Label, gauge, plain-words verdict, sales-role check and the explanation."""

    DEFAULT_CSS = "VerdictPanel { height: auto; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.result: ScoreResult | None = None
        self.message: str = "Loading the model\u2026"

    def show(self, result: ScoreResult | None, message: str = "") -> None:
        self.result = result
        self.message = message
        self.refresh()   # fixed height (see jdlens.tcss): no layout pass on every keystroke

    def render(self) -> Text:
        r = self.result
        width = max(20, self.content_region.width or self.size.width or 60)
        dark = self.app.current_theme.dark
        if r is None:
            return Text(self.message or "Paste a posting to score it.", style="italic")
        t = Text()
        label_style = Style(bold=True, reverse=True,
                            color=HUNT if r.label == HUNTER else FARM if r.label == ACCOUNT_MANAGER else None)
        t.append(f" {LABEL_WORDS[r.label]} ", style=label_style)
        pct = f"  {display_percent(r.hunter_score)}% hunting"
        t.append(pct, style="bold")
        t.append("\n")
        t.append_text(gauge(r.hunter_score, width, dark))
        t.append("\n")
        t.append(r.verdict, style="bold")
        t.append("\n")
        if r.label == NOT_SALES:
            t.append("\u26a0 Not a sales role: the split above is for reference only.",
                     style="bold red" if dark else "bold dark_red")
        else:
            t.append(f"\u2713 Reads like a sales role (sales score {display_percent(r.sales_score)}%).", style="dim")
        return t


class SummaryText(Static):
    """The one-paragraph explanation."""


def legend(dark: bool = True) -> Text:
    base = (0, 0, 0) if dark else (255, 255, 255)
    fg = "white" if dark else "black"
    t = Text("Legend: ")
    t.append(" hunting (new customers) ", style=Style(bgcolor=_blend(HUNT_RGB, 0.9, base), color=fg))
    t.append(" ")
    t.append(" account management ", style=Style(bgcolor=_blend(FARM_RGB, 0.9, base), color=fg))
    t.append("  stronger shade = more weight", style="dim")
    return t


def wrap_lines(text: Text | None, width: int) -> list[Text]:
    """The highlighted posting wrapped to `width` cells (safe to call from a worker thread)."""
    if text is None or width <= 0:
        return []
    from rich.console import Console
    console = Console(width=width, color_system=None, file=None, legacy_windows=False)
    return list(text.wrap(console, width, justify="left", overflow="fold"))


class HighlightView(ScrollView, can_focus=True):
    """The posting with hunting and farming words shaded; renders only the visible lines,
    so a 50 KB posting costs no more to repaint than a short one."""

    DEFAULT_CSS = "HighlightView { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.text: Text | None = None
        self.lines: list[Text] = []
        self.wrap_width = 0
        self._cache: LRUCache[int, Strip] = LRUCache(1024)

    def content_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def show(self, text: Text | None, lines: list[Text] | None = None, width: int = 0) -> None:
        """Show `text`; `lines` may be pre-wrapped (in a worker) to `width`."""
        self.text = text
        if lines is None or width != self.content_width():
            width = self.content_width()
            lines = wrap_lines(text, width)
        self.lines, self.wrap_width = lines, width
        self._cache.clear()
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def on_resize(self) -> None:
        if self.text is not None and self.content_width() != self.wrap_width:
            self.show(self.text)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        strip = self._cache.get(index)
        if strip is None:
            line = self.lines[index].copy()
            line.stylize_before(style)
            strip = Strip(line.render(self.app.console), line.cell_len)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_offsets(scroll_x, index)


def evidence_rows(result: ScoreResult, per_side: int = 100) -> list:
    """The strongest phrases of both sides, strongest first (bounded for huge postings)."""
    ev = result.top_evidence(per_side, HUNTER) + result.top_evidence(per_side, ACCOUNT_MANAGER)
    ev.sort(key=lambda e: -abs(e.contribution))
    return ev


class EvidenceTable(DataTable):
    """phrase | contribution | side | count; choosing a row jumps to the phrase."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        # fixed widths: auto widths did not grow when rows arrived while the tab was hidden
        self.add_column("phrase", key="phrase", width=22)
        self.add_column("contribution", key="contribution", width=12)
        self.add_column("side", key="side", width=12)
        self.add_column("count", key="count", width=5)
        self.evidence: list = []

    def show(self, evidence: list) -> None:
        self.evidence = evidence
        self.clear()
        rows = []
        for e in evidence:
            color = HUNT if e.contribution > 0 else FARM
            phrase = " ".join(e.phrase.split())
            if len(phrase) > 22:
                phrase = phrase[:21] + "\u2026"
            rows.append((Text(phrase, style=color), Text(f"{e.contribution:+.3f}", justify="right"),
                         Text("hunting" if e.contribution > 0 else "account mgmt", style=color),
                         Text(str(e.count), justify="right")))
        self.add_rows(rows)


def breakdown_bar(result: ScoreResult, width: int) -> Text:
    b = result.breakdown
    width = max(10, width)
    n_h = round(b.hunting * width)
    n_f = round(b.farming * width)
    n_n = max(0, width - n_h - n_f)
    t = Text()
    t.append("\u2588" * n_h, style=HUNT)
    t.append("\u2588" * n_f, style=FARM)
    t.append("\u2591" * n_n, style="grey50")
    t.append("\n")
    t.append("\u25a0 ", style=HUNT)
    t.append(f"hunting {b.hunting:.0%}   ")
    t.append("\u25a0 ", style=FARM)
    t.append(f"farming {b.farming:.0%}   ")
    t.append("\u2591 ", style="grey50")
    t.append(f"neutral {b.neutral:.0%}")
    return t


class DetailsPanel(Widget):
    """Text split bar, pay-plan / handoff / quota signals, interview questions."""

    DEFAULT_CSS = "DetailsPanel { height: auto; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.result: ScoreResult | None = None
        self.show_summary = False

    def show(self, result: ScoreResult | None) -> None:
        self.result = result
        self.refresh(layout=True)

    def render(self):
        r = self.result
        if r is None:
            return Text("Nothing scored yet.", style="italic")
        width = max(20, (self.content_region.width or 60))
        parts = []
        if self.show_summary:
            parts += [Text("Why", style="bold underline"), Text(r.summary()), Text("")]
        parts += [Text("How the text splits", style="bold underline"), breakdown_bar(r, width), Text(""),
                  Text("Pay plan, handoff and quota", style="bold underline"), signals_text(r), Text(""),
                  Text("Ask in the interview", style="bold underline")]
        qs = Table.grid(padding=(0, 1))
        qs.add_column(no_wrap=True)
        qs.add_column()
        for q in r.questions:
            qs.add_row("\u2022", q)
        parts.append(qs if r.questions else Text("(none)", style="italic"))
        return Group(*parts)

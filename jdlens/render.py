"""Rich renderables for the terminal: highlighted posting, score bar, evidence, breakdown.

Used by `jdlens explain` and `jdlens evaluate`; the Textual app reuses `highlight_text`.
The core never imports this module (it needs rich).
"""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .result import ACCOUNT_MANAGER, HUNTER, LABEL_WORDS, ScoreResult, display_percent

HUNT_RGB = (230, 120, 20)     # orange: new business
FARM_RGB = (40, 140, 230)     # blue: existing customers


def _blend(rgb: tuple[int, int, int], alpha: float, base=(0, 0, 0)) -> str:
    r, g, b = (int(base[i] + (rgb[i] - base[i]) * alpha) for i in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def _compact(text: str) -> tuple[str, list[int]]:
    """Text with runs of blank lines and line-leading spaces squeezed, and for every kept
    character its index in `text` (so highlight spans can be carried over)."""
    keep: list[int] = []
    out: list[str] = []
    newlines = 0
    line_start = True
    for i, c in enumerate(text):
        if c == "\n":
            newlines += 1
            line_start = True
            if newlines <= 2 and out:
                out.append(c)
                keep.append(i)
            continue
        if line_start and c in " \t":
            continue
        newlines = 0
        line_start = False
        out.append(c)
        keep.append(i)
    while out and out[-1] == "\n":
        out.pop()
        keep.pop()
    return "".join(out), keep


def highlight_text(result: ScoreResult, *, dark: bool = True, min_alpha: float = 0.25,
                   clean: bool | None = None) -> Text:
    """The posting with each weighted word shaded: orange hunts, blue farms.

    Intensity is |weight| / max |weight| of this posting; the faintest visible shade is
    `min_alpha` so light evidence still shows. HTML postings are shown as their plain text
    (`clean`, on by default for HTML) so readers see words, not tags.
    """
    if clean is None:
        from .text import looks_like_html
        clean = looks_like_html(result.text)
    if clean:
        import bisect
        plain, keep = _compact(result.norm.text)
        text = Text(plain)
        tw = []
        for s, e, w in result.plain_token_weights:
            a = bisect.bisect_left(keep, s)
            b = bisect.bisect_left(keep, e)
            if b > a:
                tw.append((a, b, w))
    else:
        text = Text(result.text)
        tw = result.token_weights
    if not tw:
        return text
    peak = max(abs(w) for _, _, w in tw) or 1.0
    base = (0, 0, 0) if dark else (255, 255, 255)
    for s, e, w in tw:
        a = abs(w) / peak
        if a < 0.08:
            continue
        alpha = min_alpha + (1 - min_alpha) * a
        rgb = HUNT_RGB if w > 0 else FARM_RGB
        text.stylize(Style(bgcolor=_blend(rgb, alpha, base), color="white" if dark else "black"), s, e)
    return text


def score_bar(hunter_score: float, width: int = 40) -> Text:
    """Account manager |----o-----| Hunter, with the percentage."""
    pos = min(width - 1, max(0, round(hunter_score * (width - 1))))
    bar = Text("Account manager ", style="bold")
    for i in range(width):
        frac = i / (width - 1)
        color = _blend(HUNT_RGB, frac) if frac >= 0.5 else _blend(FARM_RGB, 1 - frac)
        bar.append("\u25cf" if i == pos else "\u2501", style=Style(color="white" if i == pos else color, bold=i == pos))
    bar.append(" Hunter", style="bold")
    bar.append(f"   {display_percent(hunter_score)}% hunting", style="bold")
    return bar


def evidence_table(result: ScoreResult, top: int = 8) -> Table:
    t = Table(title="Top evidence", expand=False, show_lines=False)
    t.add_column("hunting phrase", style=_blend(HUNT_RGB, 1.0))
    t.add_column("weight", justify="right")
    t.add_column("farming phrase", style=_blend(FARM_RGB, 1.0))
    t.add_column("weight", justify="right")
    h = result.top_evidence(top, HUNTER)
    f = result.top_evidence(top, ACCOUNT_MANAGER)
    for i in range(max(len(h), len(f))):
        a = h[i] if i < len(h) else None
        b = f[i] if i < len(f) else None
        t.add_row(_phrase(a), f"{a.contribution:+.3f}" if a else "", _phrase(b), f"{b.contribution:+.3f}" if b else "")
    return t


def _phrase(e) -> str:
    if e is None:
        return ""
    p = " ".join(e.phrase.split())
    return p + (f" \u00d7{e.count}" if e.count > 1 else "")


def breakdown_bar(result: ScoreResult, width: int = 40) -> Text:
    b = result.breakdown
    n_h = round(b.hunting * width)
    n_f = round(b.farming * width)
    n_n = max(0, width - n_h - n_f)
    t = Text("Text split  ")
    t.append("\u2588" * n_h, style=_blend(HUNT_RGB, 1.0))
    t.append("\u2588" * n_f, style=_blend(FARM_RGB, 1.0))
    t.append("\u2591" * n_n, style="grey50")
    t.append(f"  hunting {b.hunting:.0%} \u00b7 farming {b.farming:.0%} \u00b7 neutral {b.neutral:.0%}")
    return t


def signals_text(result: ScoreResult) -> Text:
    t = Text()
    if not result.signals:
        t.append("No pay-plan, handoff or quota details found.", style="italic")
        return t
    for s in result.signals:
        lean = {"hunter": "\u2192 hunting", "account_manager": "\u2192 account management"}.get(s.leans, "")
        t.append(f"\u2022 {s.kind.replace('_', ' ')}: ", style="bold")
        t.append(f"{s.detail} ")
        t.append(f"\u201c{' '.join(s.text.split())}\u201d ", style="italic")
        t.append(lean + "\n", style="dim")
    t.rstrip()
    return t


def explain_renderable(result: ScoreResult, *, top: int = 8, show_text: bool = True) -> Group:
    head = Text()
    head.append(LABEL_WORDS[result.label], style="bold reverse")
    head.append("  " + result.verdict)
    parts = [head, score_bar(result.hunter_score), Text(f"Sales role score: {display_percent(result.sales_score)}%"), Text("")]
    if show_text:
        parts.append(Panel(highlight_text(result), title="Posting  (orange: hunting, blue: account management)",
                           title_align="left"))
    parts += [evidence_table(result, top), breakdown_bar(result), Text(""),
              Panel(signals_text(result), title="Signals", title_align="left"),
              Panel(Text("\n".join(f"\u2022 {q}" for q in result.questions)), title="Ask in the interview",
                    title_align="left"),
              Text(result.summary(), style="dim")]
    return Group(*parts)


def histogram_text(title: str, counts: list[int], width: int = 30) -> Text:
    """A horizontal histogram of hunter scores in 10 bins."""
    peak = max(counts) or 1
    t = Text(f"{title}\n", style="bold")
    for i, c in enumerate(counts):
        lo, hi = i / len(counts), (i + 1) / len(counts)
        color = _blend(HUNT_RGB, 1.0) if lo >= 0.5 else _blend(FARM_RGB, 1.0)
        t.append(f"  {lo:.1f}-{hi:.1f} ")
        t.append("\u2588" * round(c / peak * width), style=color)
        t.append(f" {c}\n")
    return t

"""Reports of one scored posting as Markdown, HTML or JSON.

One module serves the app's export dialog and any command line that wants a report. Core
module: no UI imports (no rich, no textual). The JSON report is exactly `result.to_dict()`,
the shape shared with `jdlens explain --format json` (see DESIGN.md).
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

from .errors import JdlensError
from .result import ACCOUNT_MANAGER, HUNTER, LABEL_WORDS, NOT_SALES, ScoreResult, display_percent

FORMATS = {"markdown": ".md", "html": ".html", "json": ".json"}
_EXT_TO_FORMAT = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}
HUNT_HEX, FARM_HEX = "#e67814", "#288ce6"   # the app's orange (hunting) and blue (farming)


class ExportError(JdlensError):
    title = "Export failed"


def format_for_path(path: str | os.PathLike, default: str = "markdown") -> str:
    """The report format implied by a file name's extension."""
    return _EXT_TO_FORMAT.get(Path(path).suffix.lower(), default)


def default_filename(fmt: str, directory: str | os.PathLike = ".", stem: str = "jdlens-report") -> Path:
    """`jdlens-report.md` in `directory`, or `jdlens-report-2.md`... if that name is taken."""
    ext = FORMATS[fmt]
    d = Path(directory)
    p = d / f"{stem}{ext}"
    n = 2
    while p.exists():
        p = d / f"{stem}-{n}{ext}"
        n += 1
    return p


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _pct(x: float) -> str:
    return f"{x:.0%}"


# -- Markdown ------------------------------------------------------------------------------
def _md_cell(s: str) -> str:
    return _one_line(s).replace("|", "\\|")


def to_markdown(result: ScoreResult, *, top: int = 10) -> str:
    r = result
    b = r.breakdown
    lines = ["# jdlens report", ""]
    if r.id:
        lines += [f"Posting: `{r.id}`", ""]
    lines += [
        f"**{LABEL_WORDS[r.label]}.** {r.verdict}", "",
        f"- Hunter score: {r.hunter_score:.4f} ({display_percent(r.hunter_score)}% new business)",
        f"- Sales role score: {r.sales_score:.4f}"
        + (" (does not read like a sales role)" if r.label == NOT_SALES else ""),
        f"- Text split: hunting {_pct(b.hunting)}, farming {_pct(b.farming)}, neutral {_pct(b.neutral)}",
        "", "## Why", "", r.summary(), "",
    ]
    for side, title in ((HUNTER, "Hunting phrases (new customers)"),
                        (ACCOUNT_MANAGER, "Account-management phrases (existing customers)")):
        ev = r.top_evidence(top, side)
        lines += [f"## {title}", ""]
        if not ev:
            lines += ["None found.", ""]
            continue
        lines += ["| phrase | contribution | count |", "|---|---:|---:|"]
        lines += [f"| {_md_cell(e.phrase)} | {e.contribution:+.3f} | {e.count} |" for e in ev]
        lines.append("")
    lines += ["## Signals", ""]
    if r.signals:
        for s in r.signals:
            lean = {"hunter": "leans hunting", "account_manager": "leans account management"}.get(s.leans, "neutral")
            lines.append(f"- **{s.kind.replace('_', ' ')}**: {_one_line(s.detail)} "
                         f"(\u201c{_one_line(s.text)}\u201d, {lean})")
    else:
        lines.append("No pay-plan, handoff or quota details found.")
    lines += ["", "## Ask in the interview", ""]
    lines += [f"- {q}" for q in r.questions] or ["- (none)"]
    lines.append("")
    return "\n".join(lines)


# -- HTML ----------------------------------------------------------------------------------
def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:.2f})"


def highlighted_html(result: ScoreResult, min_alpha: float = 0.25) -> str:
    """The original posting, HTML-escaped, each weighted word shaded by side and size."""
    text = result.text
    tw = result.token_weights
    peak = max((abs(w) for _, _, w in tw), default=0.0) or 1.0
    out, pos = [], 0
    for s, e, w in sorted(tw):
        a = abs(w) / peak
        if a < 0.08 or s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        color = HUNT_HEX if w > 0 else FARM_HEX
        side = "hunting" if w > 0 else "farming"
        out.append(f'<mark class="{side}" title="{w:+.3f}" style="background:{_rgba(color, min_alpha + (1 - min_alpha) * a)}">'
                   f"{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def to_html(result: ScoreResult, *, top: int = 10) -> str:
    r = result
    b = r.breakdown
    esc = html.escape
    rows = []
    for side in (HUNTER, ACCOUNT_MANAGER):
        for e in r.top_evidence(top, side):
            rows.append(f"<tr class=\"{'hunting' if side == HUNTER else 'farming'}\"><td>{esc(_one_line(e.phrase))}</td>"
                        f"<td>{e.contribution:+.3f}</td><td>{'hunting' if side == HUNTER else 'account management'}</td>"
                        f"<td>{e.count}</td></tr>")
    sig = "".join(f"<li><b>{esc(s.kind.replace('_', ' '))}</b>: {esc(_one_line(s.detail))} "
                  f"(&ldquo;{esc(_one_line(s.text))}&rdquo;)</li>" for s in r.signals)
    qs = "".join(f"<li>{esc(q)}</li>" for q in r.questions)
    h, f = b.hunting * 100, b.farming * 100
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jdlens report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}
.gauge {{ position: relative; height: .9rem; border-radius: .45rem; background: linear-gradient(90deg, {FARM_HEX}, #ddd, {HUNT_HEX}); }}
.gauge span {{ position: absolute; top: -.25rem; width: .3rem; height: 1.4rem; background: #000; left: calc({r.hunter_score * 100:.1f}% - .15rem); }}
.ends {{ display: flex; justify-content: space-between; font-size: .85rem; }}
.split {{ display: flex; height: .9rem; }} .split div {{ height: 100%; }}
pre {{ white-space: pre-wrap; background: #fafafa; padding: 1rem; border: 1px solid #ddd; }}
mark {{ color: inherit; border-radius: 2px; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }}
.hunting td:first-child {{ color: {HUNT_HEX}; }} .farming td:first-child {{ color: {FARM_HEX}; }}
</style></head><body>
<h1>jdlens report</h1>
<p><strong>{esc(LABEL_WORDS[r.label])}.</strong> {esc(r.verdict)}</p>
<div class="gauge" role="img" aria-label="{display_percent(r.hunter_score)}% hunting"><span></span></div>
<div class="ends"><span>Account manager</span><span>{display_percent(r.hunter_score)}% hunting</span><span>Hunter</span></div>
<p>Sales role score: {display_percent(r.sales_score)}%{' &mdash; this does not read like a sales role' if r.label == NOT_SALES else ''}</p>
<h2>Why</h2><p>{esc(r.summary())}</p>
<h2>Text split</h2>
<div class="split"><div style="width:{h:.1f}%;background:{HUNT_HEX}"></div><div style="width:{f:.1f}%;background:{FARM_HEX}"></div><div style="flex:1;background:#ddd"></div></div>
<p>hunting {_pct(b.hunting)} &middot; farming {_pct(b.farming)} &middot; neutral {_pct(b.neutral)}</p>
<h2>Evidence</h2>
<table><thead><tr><th>phrase</th><th>contribution</th><th>side</th><th>count</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<h2>Signals</h2>{f'<ul>{sig}</ul>' if sig else '<p>No pay-plan, handoff or quota details found.</p>'}
<h2>Ask in the interview</h2><ul>{qs}</ul>
<h2>The posting</h2>
<p><mark style="background:{_rgba(HUNT_HEX, .6)}">hunting</mark> <mark style="background:{_rgba(FARM_HEX, .6)}">account management</mark></p>
<pre>{highlighted_html(r)}</pre>
</body></html>
"""


# -- JSON ----------------------------------------------------------------------------------
def to_json(result: ScoreResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_report(result: ScoreResult, fmt: str) -> str:
    if fmt == "markdown":
        return to_markdown(result)
    if fmt == "html":
        return to_html(result)
    if fmt == "json":
        return to_json(result)
    raise ExportError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_report(result: ScoreResult, path: str | os.PathLike, fmt: str | None = None, *,
                 overwrite: bool = False) -> Path:
    """Write the report; refuses to replace an existing file unless `overwrite`."""
    p = Path(path).expanduser()
    fmt = fmt or format_for_path(p)
    data = render_report(result, fmt).encode("utf-8")
    if p.is_dir():
        raise ExportError(f"{p}: is a folder; give a file name")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(p, flags, 0o644)
    except FileExistsError:
        raise ExportError(f"{p}: already exists; choose another name or confirm overwriting") from None
    except FileNotFoundError:
        raise ExportError(f"{p.parent}: no such folder") from None
    except OSError as e:
        raise ExportError(f"{p}: cannot write ({e.strerror})") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return p

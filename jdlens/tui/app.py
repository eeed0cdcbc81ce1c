"""The jdlens terminal app: paste a posting, see how much is hunting vs account management.

Layout: the editor (left, or top when narrow) and the results: the verdict gauge with its
explanation, then tabs for the highlighted posting, the evidence table and the details
(text split, signals, interview questions). Scoring runs in a thread worker, debounced and
exclusive, so typing never waits for it. The model loads in a worker too, after the first
frame, so the app is ready for input quickly.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane, TextArea
from textual.widgets.text_area import Selection
from textual.worker import get_current_worker

from ..errors import EmptyPostingError, JdlensError
from .commands import JdlensCommands
from .example import EXAMPLE
from .widgets import (DetailsPanel, EvidenceTable, HighlightView, PostingEditor, SummaryText, VerdictPanel,
                      evidence_rows, legend, wrap_lines)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
BIG_POSTING = 20_000   # characters; above this the debounce grows so fast typing stays smooth


def default_corpus_dir() -> Path:
    """./corpus if it exists, else the corpus next to the package."""
    here = Path.cwd() / "corpus"
    if here.is_dir():
        return here
    beside = PACKAGE_ROOT / "corpus"
    return beside if beside.is_dir() else here


def keymap_path() -> Path:
    home = os.environ.get("JDLENS_HOME")
    return Path(home) / "keymap.json" if home else Path.home() / ".config" / "jdlens" / "keymap.json"


def guess_format(text: str) -> tuple[str, str]:
    """(index format, file extension) of a posting: html, markdown or text."""
    head = text[:4000]
    low = head.lower()
    if "<p" in low or "<li" in low or "<div" in low or "<br" in low or "<h" in low and "</" in low:
        return "html", ".html"
    if any(line.startswith(("# ", "## ", "- ", "* ")) or "**" in line for line in head.splitlines()):
        return "markdown", ".md"
    return "text", ".txt"


class JdlensApp(App[int]):
    TITLE = "jdlens"
    SUB_TITLE = "hunting vs account management"
    CSS_PATH = "jdlens.tcss"
    COMMANDS = App.COMMANDS | {JdlensCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+o", "open", "Open", id="open", priority=True, tooltip="Open a posting file"),
        Binding("ctrl+s", "export", "Export", id="export", priority=True,
                tooltip="Export a report as Markdown, HTML or JSON"),
        Binding("ctrl+l", "label", "Label", id="label", priority=True,
                tooltip="Label this posting and save it into the corpus"),
        Binding("ctrl+r", "retrain", "Retrain", id="retrain", priority=True,
                tooltip="Retrain the model from the corpus"),
        Binding("f1", "help", "Help", id="help", priority=True, tooltip="List every key"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme", priority=True, tooltip="Light or dark theme"),
        Binding("f2", "show_tab('highlights')", "Highlights", id="tab.highlights", show=False,
                tooltip="Show the highlighted posting"),
        Binding("f3", "show_tab('evidence')", "Evidence", id="tab.evidence", show=False,
                tooltip="Show the evidence table"),
        Binding("f4", "show_tab('details')", "Details", id="tab.details", show=False,
                tooltip="Show the split, signals and interview questions"),
        Binding("f6", "focus_editor", "Editor", id="focus.editor", show=False, tooltip="Focus the editor"),
        Binding("ctrl+n", "clear", "Clear", id="clear", show=False, priority=True,
                tooltip="Clear the editor to paste a new posting"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit"),
    ]

    def __init__(self, text: str | None = None, *, source: str | None = None, model_path=None,
                 corpus_dir=None, startup_error: JdlensError | None = None, debounce: float = 0.005,
                 train_settings=None) -> None:
        super().__init__()
        self.initial_text = text
        self.source = source
        self.model_path = Path(model_path) if model_path else None
        self.corpus_dir = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        self.startup_error = startup_error
        self.debounce = debounce
        self.train_settings = train_settings   # jdlens.train.Settings for retraining; None = defaults
        self.model = None
        self.result = None
        self.generation = 0          # bumped on every edit
        self.shown_generation = -1   # the generation whose result is on screen
        self.last_update = 0.0       # perf_counter when results were last applied
        self.last_edit = 0.0         # perf_counter of the last edit in the editor
        self._summary = ""
        self._stale_tabs: set[str] = set()
        self._evidence: list = []
        self.ready_at: float | None = None
        self._load_keymap()

    def _load_keymap(self) -> None:
        p = keymap_path()
        try:
            if p.exists():
                km = json.loads(p.read_text(encoding="utf-8"))
                if isinstance(km, dict):
                    self.set_keymap({str(k): str(v) for k, v in km.items()})
        except (OSError, ValueError) as e:
            self.startup_error = self.startup_error or JdlensError(f"{p}: ignored ({e})", title="Bad keymap")

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="\u25c9")
        with Vertical(id="main"):
            with Vertical(id="editor-pane"):
                editor = PostingEditor(self.initial_text if self.initial_text is not None else EXAMPLE,
                                       example=self.initial_text is None, id="editor", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
                editor.border_title = self._editor_title()
                editor.border_subtitle = "Ctrl+V paste \u00b7 Ctrl+N clear \u00b7 Ctrl+O open"
                yield editor
            with Vertical(id="results"):
                yield VerdictPanel(id="verdict")
                yield SummaryText("", id="summary")
                with TabbedContent(id="tabs"):
                    with TabPane("Highlights", id="highlights"):
                        yield Static(legend(), id="legend")
                        yield HighlightView(id="highlighted")
                    with TabPane("Evidence", id="evidence"):
                        yield EvidenceTable(id="evidence-table")
                    with TabPane("Details", id="details"):
                        with VerticalScroll(id="details-scroll"):
                            yield DetailsPanel(id="details-panel")
        yield Footer()

    def _editor_title(self) -> str:
        if self.source:
            return f"Posting: {Path(self.source).name if self.source != '<stdin>' else 'from stdin'}"
        return "Posting" if self.initial_text is not None else "Example posting: paste yours"

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def on_mount(self) -> None:
        self.theme = self.theme or "textual-dark"
        if self.is_headless:
            self.editor.cursor_blink = False
        self.editor.focus()
        self.theme_changed_signal.subscribe(self, lambda _theme: self._rerender())
        self.load_model()
        if self.startup_error is not None:
            self.show_error(self.startup_error)
        self.call_after_refresh(self._mark_ready)

    def _mark_ready(self) -> None:
        if self.ready_at is None:
            self.ready_at = time.perf_counter()

    # -- model -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="model")
    def load_model(self) -> None:
        from ..model import load_model
        try:
            model = load_model(self.model_path)
        except JdlensError as e:
            self.call_from_thread(self._model_failed, e)
            return
        self.call_from_thread(self._model_loaded, model)

    def _model_loaded(self, model) -> None:
        self.model = model
        if self.model_path is None:
            self.model_path = getattr(model, "path", None)
        self.rescore(immediate=True)

    def _model_failed(self, error: JdlensError) -> None:
        self.model = None
        self.query_one(VerdictPanel).show(None, f"No model: {error}. Fix it, then retrain with Ctrl+R.")
        self.show_error(error)

    # -- scoring ---------------------------------------------------------------------------
    @on(TextArea.Changed, "#editor")
    def _edited(self) -> None:
        self.last_edit = time.perf_counter()
        self.rescore()

    def rescore(self, immediate: bool = False) -> None:
        self.generation += 1
        if self.model is None:
            return
        text = self.editor.text
        delay = 0.0 if immediate else (self.debounce if len(text) < BIG_POSTING else 0.05)
        width = self.query_one(HighlightView).content_width()
        self._score(self.model, text, self.generation, delay, self.current_theme.dark, width)

    @work(thread=True, exclusive=True, group="score")
    def _score(self, model, text: str, gen: int, delay: float, dark: bool, width: int) -> None:
        worker = get_current_worker()
        if delay:
            time.sleep(delay)
        if worker.is_cancelled or gen != self.generation:
            return
        try:
            result = model.score(text)
        except EmptyPostingError:
            result = None
        if worker.is_cancelled or gen != self.generation:
            return
        hl = ev = None
        lines: list = []
        if result is not None:
            from ..render import highlight_text
            hl = highlight_text(result, dark=dark)
            lines = wrap_lines(hl, width)
            ev = evidence_rows(result)
            _ = result.breakdown, result.signals, result.questions   # warm the cached parts here
            summary = result.summary()
        else:
            summary = ""
        if worker.is_cancelled or gen != self.generation:
            return
        self.call_from_thread(self._apply, gen, result, hl, lines, width, ev, summary)

    def _apply(self, gen: int, result, hl, lines, width: int, ev, summary: str) -> None:
        if gen != self.generation:
            return
        self.result = result
        self.query_one(VerdictPanel).show(result, "" if result else
                                          "Paste a posting (Ctrl+V) or open a file (Ctrl+O) to score it.")
        summary_widget = self.query_one("#summary", SummaryText)
        if summary != self._summary:
            self._summary = summary
            summary_widget.update(summary)
        self.query_one(HighlightView).show(hl, lines, width)
        # the evidence table and the details change layout: update them only when visible
        self._stale_tabs = {"evidence", "details"}
        self._evidence = ev or []
        self._refresh_tab(self.query_one(TabbedContent).active)
        self.shown_generation = gen
        self.last_update = time.perf_counter()

    def _refresh_tab(self, tab: str) -> None:
        if tab not in self._stale_tabs:
            return
        self._stale_tabs.discard(tab)
        if tab == "evidence":
            self.query_one(EvidenceTable).show(self._evidence)
        elif tab == "details":
            details = self.query_one(DetailsPanel)
            details.show_summary = self.size.width < 100
            details.show(self.result)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_tab(event.pane.id or "")

    def _rerender(self) -> None:
        """Colors depend on the theme: redraw the legend and highlights."""
        dark = self.current_theme.dark
        self.query_one("#legend", Static).update(legend(dark))
        if self.result is not None:
            from ..render import highlight_text
            self.query_one(HighlightView).show(highlight_text(self.result, dark=dark))
        self.query_one(VerdictPanel).refresh()

    def on_resize(self) -> None:
        details = self.query_one(DetailsPanel)
        details.show_summary = self.size.width < 100
        details.refresh(layout=True)

    # -- jump to evidence ------------------------------------------------------------------
    @on(DataTable.RowSelected, "#evidence-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        table = self.query_one(EvidenceTable)
        if 0 <= event.cursor_row < len(table.evidence):
            self.jump_to(table.evidence[event.cursor_row])

    def jump_to(self, ev) -> None:
        editor = self.editor
        doc = editor.document
        n = len(editor.text)
        start, end = min(ev.start, n), min(ev.end, n)
        editor.selection = Selection(doc.get_location_from_index(start), doc.get_location_from_index(end))
        editor.focus()
        editor.scroll_cursor_visible(center=True)
        self.call_after_refresh(editor.scroll_cursor_visible, True)

    # -- actions ---------------------------------------------------------------------------
    def show_error(self, error: BaseException, title: str | None = None) -> None:
        from .dialogs import ErrorDialog
        self.push_screen(ErrorDialog(title or getattr(error, "title", "Error"), str(error)))

    def action_reload_model(self) -> None:
        self.load_model()

    def action_focus_editor(self) -> None:
        self.editor.focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "evidence":
            self.query_one(EvidenceTable).focus()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        from .screens import HelpScreen
        self.push_screen(HelpScreen())

    def action_clear(self) -> None:
        self.editor.example = False
        self.editor.clear()
        self.source = None
        self.editor.border_title = "Posting"
        self.editor.focus()

    def action_example(self) -> None:
        self.load_text(EXAMPLE, None)
        self.editor.example = True
        self.editor.border_title = "Example posting: paste yours"

    def load_text(self, text: str, source: str | None) -> None:
        self.source = source
        self.editor.example = False
        self.editor.load_text(text)
        self.editor.border_title = self._editor_title()
        self.editor.focus()
        self.rescore(immediate=True)

    def action_open(self) -> None:
        from .dialogs import OpenDialog
        self.push_screen(OpenDialog(), self.open_path)

    def open_path(self, path: str | None) -> None:
        if not path:
            return
        from ..cli import read_posting_arg
        try:
            text, name = read_posting_arg(str(path))
        except JdlensError as e:
            self.show_error(e, "Cannot open the file")
            return
        self.load_text(text, name)
        self.notify(f"Opened {name}", timeout=3)

    def _need_result(self, what: str) -> bool:
        if self.result is None:
            msg = ("The model is not loaded." if self.model is None else "The editor is empty.")
            self.show_error(JdlensError(f"{msg} Nothing to {what}.", title=f"Cannot {what}"))
            return False
        return True

    def action_export(self) -> None:
        if not self._need_result("export"):
            return
        from .dialogs import ExportDialog
        self.push_screen(ExportDialog(), self._export_chosen)

    def _export_chosen(self, choice) -> None:
        if not choice:
            return
        path, fmt = choice
        if path.exists():
            from .dialogs import ConfirmDialog

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.export_to(path, fmt, overwrite=True)
            self.push_screen(ConfirmDialog("File exists", f"{path} already exists. Replace it?", "Replace"), confirmed)
            return
        self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str, overwrite: bool = False) -> Path | None:
        from ..export import write_report
        try:
            out = write_report(self.result, path, fmt, overwrite=overwrite)
        except JdlensError as e:
            self.show_error(e)
            return None
        self.notify(f"Report saved to {out}", title="Exported", timeout=4)
        return out

    def action_label(self) -> None:
        if not self.editor.text.strip():
            self.show_error(JdlensError("Paste a posting first.", title="Nothing to label"))
            return
        from .dialogs import LabelDialog
        suggested = self.result.label if self.result is not None else None
        self.push_screen(LabelDialog(self.corpus_dir, suggested), self.save_labeled)

    def save_labeled(self, label: str | None) -> Path | None:
        if not label:
            return None
        from ..corpus import add_posting
        text = self.editor.text
        fmt, ext = guess_format(text)
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:80]
        meta = {"format": fmt, "title": title.lstrip("#* ").strip()}
        try:
            path = add_posting(self.corpus_dir, label, text, meta, ext=ext)
        except (JdlensError, OSError) as e:
            self.show_error(e, getattr(e, "title", "Cannot save to the corpus"))
            return None
        self.notify(f"Saved {path}. Retrain (Ctrl+R) to learn from it.", title="Labeled", timeout=5)
        return path

    def action_retrain(self) -> None:
        from ..model import default_model_path
        from .screens import RetrainScreen
        out = self.model_path or default_model_path()
        if not self.corpus_dir.is_dir():
            self.show_error(JdlensError(f"{self.corpus_dir}: no corpus folder here; label a posting first "
                                        "(Ctrl+L) or run jdlens from the folder that holds corpus/.",
                                        title="No corpus"))
            return
        self.push_screen(RetrainScreen(self.corpus_dir, out, self.train_settings), self._retrained)

    def _retrained(self, ok: bool | None) -> None:
        if ok:
            self.notify("Model retrained; reloading it.", timeout=3)
            self.load_model()


def _read_piped_stdin() -> tuple[str | None, JdlensError | None]:
    """Read a piped posting fully, then reopen the terminal on fd 0 so the app reads keys."""
    data = sys.stdin.buffer.read()
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise JdlensError("no terminal to run the app in; use `jdlens explain -` for piped input") from None
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, "r", closefd=False)  # noqa: SIM115 - fd 0 is the terminal now
    if not data.strip():
        return None, None
    if b"\x00" in data[:8192]:
        return None, JdlensError("the piped input looks like a binary file, not a posting", title="Bad input")
    return data.decode("utf-8-sig", errors="replace"), None


def run(file=None, model_path=None) -> int:
    text = source = error = None
    if file and str(file) != "-":
        from ..cli import read_posting_arg
        try:
            text, source = read_posting_arg(str(file))
        except JdlensError as e:
            error = e
            error.title = "Cannot open the file"
    elif str(file) == "-" or not sys.stdin.isatty():
        text, error = _read_piped_stdin()
        source = "<stdin>" if text else None
    app = JdlensApp(text, source=source, model_path=model_path, startup_error=error)
    rc = app.run()
    return rc if isinstance(rc, int) else 0

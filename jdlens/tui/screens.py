"""Screens: the key help and the retraining progress."""
from __future__ import annotations

import re
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Log, ProgressBar, Static

EDITOR_KEYS = [
    ("ctrl+v / paste", "paste a posting into the editor"),
    ("ctrl+z / ctrl+y", "undo / redo in the editor"),
    ("ctrl+c / ctrl+x", "copy / cut the selection"),
    ("tab / shift+tab", "move between the editor, tabs and table"),
    ("enter (in table)", "jump to the chosen phrase in the posting"),
    ("ctrl+p", "command palette (every action as \u201cgroup: verb\u201d)"),
    ("escape", "close a dialog"),
]


def key_table(app) -> Table:
    """Every app binding with its current key (after keymap remapping) and its id."""
    t = Table(expand=True, box=None, padding=(0, 2))
    t.add_column("key", style="bold", no_wrap=True)
    t.add_column("does")
    t.add_column("id", style="dim", no_wrap=True)
    keymap = getattr(app, "_keymap", {}) or {}
    seen = set()
    for b in app.BINDINGS:
        if not isinstance(b, Binding) or b.id in seen:
            continue
        seen.add(b.id)
        key = keymap.get(b.id, b.key) if b.id else b.key
        t.add_row(app.get_key_display(Binding(key, b.action)) if "," not in key else key,
                  b.tooltip or b.description, b.id or "")
    for key, what in EDITOR_KEYS:
        t.add_row(key, what, "")
    return t


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label("jdlens keys  (Esc closes)", classes="dialog-title")
            with VerticalScroll():
                yield Static(Text.from_markup(
                    "Paste or type a sales job posting on the left; the verdict updates as you type. "
                    "[#e67814]Orange[/] phrases pull toward hunting (new customers), "
                    "[#288ce6]blue[/] toward account management (existing customers). "
                    "Remap keys by id in $JDLENS_HOME/keymap.json or ~/.config/jdlens/keymap.json, "
                    "e.g. {\"export\": \"f5\"}.\n", overflow="fold"))
                yield Static(key_table(self.app))


_FOLD = re.compile(r"fold (\d+)/(\d+)")


class RetrainScreen(ModalScreen[bool]):
    """Runs jdlens.train.train in a thread worker and shows its progress."""

    BINDINGS = [Binding("escape", "close", "Close", id="retrain.close")]

    def __init__(self, corpus_dir: Path, model_out: Path, settings=None) -> None:
        super().__init__()
        self.settings = settings
        self.corpus_dir = Path(corpus_dir)
        self.model_out = Path(model_out)
        self.done = False
        self.ok = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog retrain"):
            yield Label("Retraining the model", classes="dialog-title")
            yield Static(f"corpus {self.corpus_dir}\nmodel  {self.model_out}", classes="dialog-hint", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Log(id="log", auto_scroll=True)
            with Horizontal(classes="buttons"):
                yield Button("Working\u2026", id="close", disabled=True)

    def on_mount(self) -> None:
        self.train()

    @work(thread=True, exclusive=True, group="train")
    def train(self) -> None:
        from ..errors import JdlensError
        try:
            from ..train import Settings, train
            self.app.call_from_thread(self._say, "loading scikit-learn (a few seconds)\u2026")
            card = train(self.corpus_dir, self.model_out, self.settings or Settings(),
                         progress=lambda msg: self.app.call_from_thread(self._say, msg))
        except JdlensError as e:
            self.app.call_from_thread(self._finish, False, f"{e.title}: {e}")
        except Exception as e:  # noqa: BLE001 - shown in the dialog, never as a traceback
            self.app.call_from_thread(self._finish, False, f"Training failed: {type(e).__name__}: {e}")
        else:
            m = card.get("metrics", {}) if isinstance(card, dict) else {}
            extra = ", ".join(f"{k} {v:.3f}" for k, v in m.items() if isinstance(v, float))[:200]
            self.app.call_from_thread(self._finish, True, "done" + (f": {extra}" if extra else ""))

    def _say(self, msg: str) -> None:
        self.query_one("#log", Log).write_line(msg)
        bar = self.query_one("#progress", ProgressBar)
        m = _FOLD.search(msg)
        if m:
            k, n = int(m.group(1)), int(m.group(2))
            bar.update(total=n + 2, progress=k)
        elif msg.startswith("fitting the final") and bar.total:
            bar.update(progress=bar.total - 1)

    def _finish(self, ok: bool, msg: str) -> None:
        self.done, self.ok = True, ok
        self.query_one("#log", Log).write_line(msg)
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=1, progress=1 if ok else 0)
        btn = self.query_one("#close", Button)
        btn.label = "Close" if ok else "Close (model unchanged)"
        btn.disabled = False
        btn.variant = "success" if ok else "error"
        btn.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if self.done:
            self.dismiss(self.ok)
        else:
            self.app.notify("Training is still running; it finishes on its own.", timeout=3)

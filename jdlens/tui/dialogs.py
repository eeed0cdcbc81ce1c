"""Modal dialogs: errors, confirmation, open a file, export a report, label the posting."""
from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from ..result import LABEL_WORDS, LABELS


class Dialog(ModalScreen):
    """A centered box; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class ErrorDialog(Dialog):
    """An error with its title and message; never a traceback."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, classes="dialog-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog):
    def __init__(self, title: str, message: str, yes: str = "Yes") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text, self.message, self.yes = title, message, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, classes="dialog-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="warning", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class PathSuggester(Suggester):
    """Completes file and folder names relative to the current directory (or ~)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        head, prefix = os.path.split(os.path.expanduser(value))
        base = Path(head) if head else Path(".")
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return None
        hidden = prefix.startswith(".")
        for name in names:
            if name.startswith(prefix) and name != prefix and (hidden or not name.startswith(".")):
                suffix = name[len(prefix):]
                if (base / name).is_dir():
                    suffix += os.sep
                return value + suffix
        return None


class OpenDialog(Dialog):
    """Ask for a posting file; Tab or Right accepts the completion."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, id="open.complete", priority=True)]

    def __init__(self, start: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Open a posting", classes="dialog-title")
            yield Static("Text, Markdown or HTML file. Tab completes the name.", classes="dialog-hint")
            yield Input(self.start, placeholder="path/to/posting.txt", suggester=PathSuggester(), id="path")
            with Horizontal(classes="buttons"):
                yield Button("Open", variant="primary", id="open")
                yield Button("Cancel", id="cancel")

    def action_complete(self) -> None:
        inp = self.query_one("#path", Input)
        if inp.has_focus and inp._suggestion:
            inp.value = inp._suggestion
            inp.cursor_position = len(inp.value)
        else:
            self.focus_next()

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _submit(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        self.dismiss(os.path.expanduser(value) if value else None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


FORMAT_NAMES = {"markdown": "Markdown (.md)", "html": "HTML (.html)", "json": "JSON (.json)"}


class ExportDialog(Dialog):
    """Choose a format and a file name; returns (path, format) or None."""

    def __init__(self, directory: str | os.PathLike = ".") -> None:
        super().__init__(classes="dialog-screen")
        self.directory = Path(directory)
        self.fmt = "markdown"

    def _default(self, fmt: str) -> str:
        from ..export import default_filename
        p = default_filename(fmt, self.directory)
        return str(p if self.directory != Path(".") else p.name)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export a report", classes="dialog-title")
            with RadioSet(id="format"):
                for key, name in FORMAT_NAMES.items():
                    yield RadioButton(name, value=key == "markdown", id=f"fmt-{key}")
            yield Input(self._default("markdown"), id="path", suggester=PathSuggester())
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        inp = self.query_one("#path", Input)
        inp.focus()
        inp.cursor_position = len(inp.value)

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        old_default = self._default(self.fmt)
        self.fmt = event.pressed.id.removeprefix("fmt-")
        inp = self.query_one("#path", Input)
        from ..export import FORMATS
        if inp.value == old_default or not inp.value.strip():
            inp.value = self._default(self.fmt)
        else:
            p = Path(inp.value)
            if p.suffix.lower() in (".md", ".html", ".json", ".htm", ".markdown"):
                inp.value = str(p.with_suffix(FORMATS[self.fmt]))

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        if value:
            self.dismiss((Path(os.path.expanduser(value)), self.fmt))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


LABEL_KEYS = {"hunter": "h", "hybrid": "y", "account_manager": "a", "not_sales": "n"}


class LabelDialog(Dialog):
    """Pick the posting's true label; it is saved as a new corpus file."""

    BINDINGS = [Binding(k, f"pick('{label}')", show=False, id=f"label.{label}") for label, k in LABEL_KEYS.items()]

    def __init__(self, corpus_dir: Path, suggested: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.corpus_dir = corpus_dir
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        order = ("hunter", "hybrid", "account_manager", "not_sales")
        assert set(order) == set(LABELS)
        with Vertical(classes="dialog"):
            yield Label("Label this posting", classes="dialog-title")
            yield Static(f"It is saved as a new file in {self.corpus_dir}/<label>/ with a row in index.csv. "
                         "Retrain (Ctrl+R) to learn from it.", classes="dialog-hint", markup=False)
            with Vertical(classes="label-buttons"):
                for label in order:
                    yield Button(f"{LABEL_WORDS[label]}  ({LABEL_KEYS[label]})", id=f"label-{label}",
                                 variant="primary" if label == self.suggested else "default")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        target = f"#label-{self.suggested}" if self.suggested else "#label-hunter"
        self.query_one(target, Button).focus()

    def action_pick(self, label: str) -> None:
        self.dismiss(label)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        self.dismiss(bid.removeprefix("label-") if bid.startswith("label-") else None)

"""Command palette provider: every app action named "group: verb"."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (name, action, help)
COMMANDS = [
    ("file: open", "open", "Open a posting file (text, Markdown or HTML)"),
    ("report: export", "export", "Save a report of this posting as Markdown, HTML or JSON"),
    ("corpus: label and save", "label", "Label this posting and save it as a new corpus file"),
    ("model: retrain", "retrain", "Retrain the model from the corpus, then reload it"),
    ("model: reload", "reload_model", "Load the model file again"),
    ("posting: clear", "clear", "Empty the editor to paste a new posting"),
    ("posting: load example", "example", "Show the built-in example posting"),
    ("view: highlights", "show_tab('highlights')", "The posting with hunting and farming phrases colored"),
    ("view: evidence", "show_tab('evidence')", "The table of phrases and their weights"),
    ("view: details", "show_tab('details')", "Text split, pay-plan/handoff/quota signals, interview questions"),
    ("view: toggle light/dark", "toggle_theme", "Switch between the light and dark theme"),
    ("help: keys", "help", "List every key"),
]


class JdlensCommands(Provider):
    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)

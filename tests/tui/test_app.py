"""Behaviour of the app, driven with Pilot on the deterministic mini model."""
from __future__ import annotations

import csv
import io
from pathlib import Path
import json

import pytest
from rich.console import Console
from textual import events
from textual.worker import WorkerCancelled

from jdlens.tui.app import JdlensApp, guess_format
from jdlens.tui.dialogs import ConfirmDialog, ErrorDialog, ExportDialog, LabelDialog, OpenDialog
from jdlens.tui.example import EXAMPLE
from jdlens.tui.screens import HelpScreen, key_table
from jdlens.tui.widgets import EvidenceTable, HighlightView, VerdictPanel

FARMING = """Account Manager, Enterprise
Own a book of existing customers. Drive renewals, retention and expansion.
Run quarterly business reviews, grow net revenue retention, and partner with
Customer Success to reduce churn. Upsell and cross-sell into your assigned accounts.
"""


async def settle(pilot) -> None:
    """Wait until the model load and the latest scoring worker are done."""
    for _ in range(500):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:   # a superseded scoring run
            await pilot.pause(0.005)
            continue
        break
    await pilot.pause()


def make_app(mini_model_path, tmp_path, text=None, **kw) -> JdlensApp:
    kw.setdefault("corpus_dir", tmp_path / "corpus")
    return JdlensApp(text, model_path=mini_model_path, **kw)


def highlighted(app) -> str:
    return "\n".join(line.plain for line in app.query_one(HighlightView).lines)


async def test_example_is_scored_at_startup(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.editor.text == EXAMPLE
        assert app.result is not None and app.result.text == EXAMPLE
        assert app.shown_generation == app.generation
        assert app.query_one(VerdictPanel).result is app.result
        assert "Account Executive" in highlighted(app)


async def test_paste_changes_score_and_highlights(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.result.hunter_score
        spans_before = app.result.token_weights
        # the example is replaced by a paste
        app.post_message(events.Paste(FARMING))
        await pilot.pause()
        await settle(pilot)
        assert app.editor.text == FARMING
        assert app.result.text == FARMING
        assert app.result.hunter_score < before
        assert app.result.token_weights != spans_before
        assert "book of existing customers" in highlighted(app)
        await pilot.press("f3")
        assert app.query_one(EvidenceTable).row_count > 0


async def test_typing_updates_live(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path, text=FARMING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.result.hunter_score
        app.editor.move_cursor(app.editor.document.end)
        await pilot.press(*"cold call new logos")
        await settle(pilot)
        assert app.result.text.endswith("cold call new logos")
        assert app.result.hunter_score > before


async def test_clear_shows_hint_and_no_result(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.editor.text == ""
        assert app.result is None
        assert "Paste a posting" in str(app.query_one(VerdictPanel).render())


async def test_row_choice_moves_cursor_to_phrase(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path, text=FARMING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        table = app.query_one(EvidenceTable)
        assert app.focused is table
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        ev = table.evidence[2]
        assert app.focused is app.editor
        assert app.editor.selected_text == ev.phrase == FARMING[ev.start:ev.end]
        doc = app.editor.document
        assert app.editor.selection.start == doc.get_location_from_index(ev.start)
        assert app.editor.selection.end == doc.get_location_from_index(ev.end)


async def test_label_writes_exactly_one_new_corpus_file(mini_model_path, tmp_path):
    corpus = tmp_path / "corpus"
    app = make_app(mini_model_path, tmp_path, text=FARMING, corpus_dir=corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LabelDialog)
        await pilot.press("a")
        await pilot.pause()
        files = [p for p in corpus.rglob("*") if p.is_file() and p.name != "index.csv"]
        assert len(files) == 1
        assert files[0].parent.name == "account_manager"
        assert files[0].read_text(encoding="utf-8") == FARMING
        rows = list(csv.DictReader((corpus / "index.csv").open(encoding="utf-8")))
        assert [r["path"] for r in rows] == [files[0].relative_to(corpus).as_posix()]
        assert rows[0]["label"] == "account_manager"
        # labeling again never overwrites: a second, distinct file
        await pilot.press("ctrl+l", "h")
        await pilot.pause()
        files2 = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "index.csv")
        assert len(files2) == 2 and files[0] in files2
        assert files[0].read_text(encoding="utf-8") == FARMING


async def test_label_cancel_writes_nothing(mini_model_path, tmp_path):
    corpus = tmp_path / "corpus"
    app = make_app(mini_model_path, tmp_path, corpus_dir=corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "escape")
        await pilot.pause()
        assert not corpus.exists()


@pytest.mark.parametrize("fmt,ext", [("markdown", ".md"), ("html", ".html"), ("json", ".json")])
async def test_export_writes_chosen_format(mini_model_path, tmp_path, monkeypatch, fmt, ext):
    monkeypatch.chdir(tmp_path)
    app = make_app(mini_model_path, tmp_path, text=FARMING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExportDialog)
        await pilot.click(f"#fmt-{fmt}")
        await pilot.click("#save")
        await pilot.pause()
        out = tmp_path / f"jdlens-report{ext}"
        assert out.exists()
        body = out.read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(body) == json.loads(json.dumps(app.result.to_dict()))
        elif fmt == "html":
            assert body.startswith("<!doctype html>") and "<mark class=\"farming\"" in body
        else:
            assert body.startswith("# jdlens report") and app.result.verdict in body


async def test_export_never_overwrites_silently(mini_model_path, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(mini_model_path, tmp_path, text=FARMING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._export_chosen((target, "markdown"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        app._export_chosen((target, "markdown"))
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# jdlens report")


async def test_export_default_name_is_free(mini_model_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jdlens-report.md").write_text("old", encoding="utf-8")
    app = make_app(mini_model_path, tmp_path, text=FARMING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s", "enter")
        await pilot.pause()
        assert (tmp_path / "jdlens-report.md").read_text() == "old"
        assert (tmp_path / "jdlens-report-2.md").exists()


async def test_open_bad_file_shows_dialog(mini_model_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, OpenDialog)
        await pilot.press(*"nope.txt", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert "no such file" in app.screen.message
        await pilot.press("enter")
        await pilot.pause()
        binary = tmp_path / "bin.txt"
        binary.write_bytes(b"\x00\x01\x02")
        app.open_path(str(binary))
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert app.editor.text == EXAMPLE


async def test_open_good_file_loads_and_scores(mini_model_path, tmp_path):
    f = tmp_path / "posting.md"
    f.write_text(FARMING, encoding="utf-8")
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_path(str(f))
        await settle(pilot)
        assert app.editor.text == FARMING
        assert app.result.text == FARMING
        assert "posting.md" in app.editor.border_title


async def test_missing_model_opens_with_error_dialog(tmp_path):
    app = JdlensApp(None, model_path=tmp_path / "nope.joblib", corpus_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "nope.joblib" in app.screen.message
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is None
        await pilot.press(*"still typing")   # the editor works without a model
        assert "still typing" in app.editor.text
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ErrorDialog)


async def test_startup_file_error_is_a_dialog(mini_model_path, tmp_path):
    from jdlens.errors import JdlensError
    app = make_app(mini_model_path, tmp_path, startup_error=JdlensError("x.txt: no such file", title="Cannot open"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.screen.title_text == "Cannot open"


async def test_help_lists_every_binding(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(key_table(app))
        text = console.export_text()
        for b in JdlensApp.BINDINGS:
            assert b.id and b.id in text


async def test_bindings_have_ids_and_can_be_remapped(mini_model_path, tmp_path, monkeypatch):
    assert all(b.id for b in JdlensApp.BINDINGS)
    home = tmp_path / "home"
    home.mkdir()
    (home / "keymap.json").write_text('{"help": "f9"}', encoding="utf-8")
    monkeypatch.setenv("JDLENS_HOME", str(home))
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f9")
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_provider_names(mini_model_path, tmp_path):
    from jdlens.tui.commands import COMMANDS, JdlensCommands
    assert all(": " in name for name, _, _ in COMMANDS)
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = JdlensCommands(app.screen)
        names = [str(h.text) async for h in provider.search("export")]
        assert "report: export" in names
        hits = [h async for h in provider.search("toggle light")]
        await hits[0].command()
        await pilot.pause()
        assert app.current_theme.dark is False


async def test_theme_toggle_rerenders(mini_model_path, tmp_path):
    app = make_app(mini_model_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.current_theme.dark


async def test_big_posting_stays_responsive(mini_model_path, tmp_path):
    big = (FARMING + EXAMPLE) * 55   # about 50 KB
    assert len(big) > 45_000
    app = make_app(mini_model_path, tmp_path, text=big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.result is not None and len(app.result.text) == len(big)
        await pilot.press("x")
        await settle(pilot)
        assert app.result.text.startswith("x")


def test_guess_format():
    assert guess_format("<p>Hello</p>")[0] == "html"
    assert guess_format("# Title\n- item")[0] == "markdown"
    assert guess_format("Plain posting text.")[0] == "text"


async def test_retrain_shows_progress_and_reloads(mini_model_path, tmp_path):
    import shutil

    from jdlens.tui.screens import RetrainScreen
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "mini_corpus", corpus)
    model = tmp_path / "m.joblib"
    shutil.copy(mini_model_path, model)
    shutil.copy(mini_model_path.with_suffix(".card.json"), model.with_suffix(".card.json"))
    from jdlens.train import Settings
    app = JdlensApp(FARMING, model_path=model, corpus_dir=corpus,
                    train_settings=Settings(folds=2, min_df=1, max_df=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        old_model = app.model
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RetrainScreen)
        for _ in range(600):
            if screen.done:
                break
            await pilot.pause(0.05)
        assert screen.ok, [str(line) for line in screen.query_one("#log").lines]
        assert any("fold" in line for line in screen.query_one("#log").lines)
        await pilot.press("enter")
        await settle(pilot)
        assert app.model is not old_model
        assert app.result is not None

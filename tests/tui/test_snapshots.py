"""SVG snapshots at 80x24 and 120x40 on the deterministic mini model.

Regenerate with `pytest tests/tui --snapshot-update` and look at the SVGs before committing.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from jdlens.tui.app import JdlensApp

FARMING = """Account Manager, Enterprise
Own a book of existing customers. Drive renewals, retention and expansion.
Run quarterly business reviews, grow net revenue retention, and partner with
Customer Success to reduce churn. Upsell and cross-sell into your assigned accounts.
Compensation: 70/30 base and variable with a renewal bonus.
"""

NOT_SALES = """Payroll Specialist
Process bi-weekly payroll for 1,200 employees, reconcile benefits deductions,
answer employee questions and prepare quarterly tax filings.
"""


async def settle(pilot) -> None:
    for _ in range(500):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            await pilot.pause(0.005)
            continue
        break
    await pilot.pause()


@pytest.fixture
def app_factory(mini_model_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # the export dialog proposes a free name in the current folder

    def make(text=None):
        # a relative corpus path keeps the label dialog's text the same on every run
        return JdlensApp(text, model_path=mini_model_path, corpus_dir=Path("corpus"))
    return make


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_example(snap_compare, app_factory, size):
    assert snap_compare(app_factory(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_evidence_tab(snap_compare, app_factory, size):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("f3")
    assert snap_compare(app_factory(FARMING), terminal_size=size, run_before=before)


def test_details_tab(snap_compare, app_factory):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("f4")
    assert snap_compare(app_factory(FARMING), terminal_size=(120, 40), run_before=before)


def test_not_sales_light_theme(snap_compare, app_factory):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
    assert snap_compare(app_factory(NOT_SALES), terminal_size=(120, 40), run_before=before)


def test_export_dialog(snap_compare, app_factory):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert snap_compare(app_factory(FARMING), terminal_size=(80, 24), run_before=before)


def test_label_dialog(snap_compare, app_factory):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
    assert snap_compare(app_factory(FARMING), terminal_size=(80, 24), run_before=before)


def test_help(snap_compare, app_factory):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
    assert snap_compare(app_factory(), terminal_size=(120, 40), run_before=before)

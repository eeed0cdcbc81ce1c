"""Reports of a scored posting (jdlens/export.py): formats, file safety, no UI imports."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jdlens.export import (ExportError, default_filename, format_for_path, render_report, to_html, to_json,
                           to_markdown, write_report)

POSTING = """Account Executive
Prospect and close new logos; cold call and build pipeline. After 90 days accounts are handed
off to an account manager for renewals. Pay: 50/50 base and variable, commission on new business.
<b>Bold & brave</b>
"""


@pytest.fixture(scope="module")
def result(mini_model):
    return mini_model.score(POSTING, id="p1")


def test_json_is_to_dict(result):
    assert json.loads(to_json(result)) == json.loads(json.dumps(result.to_dict()))


def test_markdown_has_the_parts(result):
    md = to_markdown(result)
    assert md.startswith("# jdlens report")
    assert result.verdict in md
    for heading in ("## Why", "## Signals", "## Ask in the interview"):
        assert heading in md
    for q in result.questions:
        assert q in md
    top = result.top_evidence(1, "hunter") or result.top_evidence(1, "account_manager")
    assert " ".join(top[0].phrase.split()) in md


def test_html_is_escaped_and_highlighted(result):
    page = to_html(result)
    assert page.startswith("<!doctype html>")
    assert "<b>Bold" not in page and "&lt;b&gt;" in page
    assert "<mark" in page
    assert result.verdict.replace("'", "&#x27;") in page


def test_format_for_path_and_unknown_format(result):
    assert format_for_path("a.md") == "markdown"
    assert format_for_path("a.HTML") == "html"
    assert format_for_path("a.json") == "json"
    with pytest.raises(ExportError):
        render_report(result, "pdf")


def test_write_never_overwrites_unless_asked(result, tmp_path):
    p = tmp_path / "r.json"
    assert write_report(result, p) == p
    assert json.loads(p.read_text())["id"] == "p1"
    p.write_text("mine")
    with pytest.raises(ExportError, match="already exists"):
        write_report(result, p)
    assert p.read_text() == "mine"
    write_report(result, p, "markdown", overwrite=True)
    assert p.read_text().startswith("# jdlens report")


def test_write_errors_are_jdlens_errors(result, tmp_path):
    with pytest.raises(ExportError, match="no such folder"):
        write_report(result, tmp_path / "missing" / "r.md")
    with pytest.raises(ExportError, match="folder"):
        write_report(result, tmp_path)


def test_default_filename_skips_taken_names(tmp_path):
    assert default_filename("html", tmp_path).name == "jdlens-report.html"
    (tmp_path / "jdlens-report.html").write_text("x")
    assert default_filename("html", tmp_path).name == "jdlens-report-2.html"


def test_export_imports_no_ui():
    code = "import sys, jdlens.export; print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_reports_show_the_same_1_to_99_percent_as_the_verdict(mini_model):
    from jdlens.export import to_html, to_markdown
    r = mini_model.score("Cold call new prospects. " * 50)
    r.hunter_score = 0.999  # as an extreme real posting would score
    assert "(99% new business)" in to_markdown(r)
    assert "99% hunting" in to_html(r) and "100% hunting" not in to_html(r)

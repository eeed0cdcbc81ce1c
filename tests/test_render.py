"""Terminal rendering: HTML postings are shown as words, with the shading on the right words."""
from jdlens.render import explain_renderable, highlight_text


def test_html_posting_is_highlighted_as_plain_text(mini_model):
    html = "<h2>Account Executive</h2>\n<p>Prospect &amp; <b>cold call</b> new customers.</p><ul><li>Renew contracts</li></ul>"
    r = mini_model.score(html)
    t = highlight_text(r)
    assert "<" not in t.plain and "&amp;" not in t.plain
    assert "Prospect & cold call new customers." in t.plain
    shaded = {t.plain[s.start:s.end] for s in t.spans}
    assert shaded and all(w.strip() and "<" not in w for w in shaded)
    assert shaded <= {t.plain[a:b] for a, b in _words(t.plain)}


def test_plain_posting_keeps_its_original_text(mini_model):
    s = "Cold call   prospects\n\n\n\nand renew contracts"
    t = highlight_text(mini_model.score(s))
    assert t.plain == s


def test_explain_renderable_builds(mini_model):
    from rich.console import Console
    con = Console(width=80, record=True, file=open("/dev/null", "w"))
    con.print(explain_renderable(mini_model.score("Cold call new prospects. Renew existing accounts.")))
    out = con.export_text()
    assert "Top evidence" in out and "Ask in the interview" in out


def _words(s):
    import re
    return [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:[/'.][^\W_]+)*%?", s)]


def test_percentages_for_people_stay_between_1_and_99():
    from jdlens.result import display_percent
    assert [display_percent(x) for x in (0.0, 0.004, 0.5, 0.996, 1.0)] == [1, 1, 50, 99, 99]

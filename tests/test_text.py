"""Normalization keeps a faithful map from plain text back to the original characters."""
from hypothesis import given, settings
from hypothesis import strategies as st

from jdlens.text import looks_like_html, normalize, sentence_spans, token_spans, tokenize


def spans_of(original):
    n = normalize(original)
    toks, starts, ends = token_spans(n.text)
    return n, [(t, *n.to_original(a, b)) for t, a, b in zip(toks, starts, ends)]


def test_plain_text_passes_through_unchanged():
    s = "Prospect new logos.\nRenew contracts."
    n = normalize(s)
    assert n.text == s
    assert n.to_original(9, 18) == (9, 18)


def test_html_tags_entities_and_lists_map_back_to_original():
    s = "<p>Win <b>new&nbsp;logos</b> &amp; grow&rsquo;s</p><ul><li>Cold call</li></ul>"
    n, spans = spans_of(s)
    assert looks_like_html(s)
    assert "new logos & grow's" in n.text
    words = {t: s[a:b] for t, a, b in spans}
    assert words["new"] == "new" and words["logos"] == "logos"
    assert words["grow's"] == "grow&rsquo;s"   # the entity is covered whole
    assert words["cold"] == "Cold"
    # list items become separate sentences
    assert [n.text[a:b] for a, b in sentence_spans(n.text)][-1] == "Cold call"


def test_script_style_and_comments_are_invisible():
    n = normalize("<div>Hunt<script>var x = 'renewals';</script><!-- farm --><style>p{}</style> deals</div>")
    assert tokenize(n.text) == ["hunt", "deals"]


def test_markdown_link_keeps_label_not_url():
    s = "See [our careers page](https://example.com/jobs) and **apply**"
    n, spans = spans_of(s)
    assert "example" not in tokenize(n.text)
    assert [s[a:b] for t, a, b in spans if t == "careers"] == ["careers"]


def test_unicode_lowercasing_that_changes_length_keeps_offsets():
    s = "İstanbul ﬁnance ＡＢＣ team"
    n, spans = spans_of(s)
    got = {t: s[a:b] for t, a, b in spans}
    assert got["finance"] == "ﬁnance"
    assert got["abc"] == "ＡＢＣ"
    assert s[spans[0][1]:spans[0][2]] == "İstanbul"


def test_plain_text_with_angle_brackets_is_not_treated_as_html():
    s = "Quota < 5 accounts > 3 regions"
    assert normalize(s).text == s


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400) | st.lists(st.sampled_from(
    ["<p>", "</p>", "<li>", "&amp;", "&nbsp;", "&#8217;", "&bogus;", "<b>", "new", "logos", " ", "\n",
     "İ", "ﬁ", "’", "[x](y)", "<br/>", "<!--", "-->", "<script>", "é", "\u200b"]), max_size=80).map("".join))
def test_every_token_span_lies_inside_the_text_and_covers_its_word(s):
    n = normalize(s)
    toks, starts, ends = token_spans(n.text)
    for t, a, b in zip(toks, starts, ends):
        oa, ob = n.to_original(a, b)
        assert 0 <= oa < ob <= len(s)
        # the span covers every character the word was read from, and starts and ends on them
        inner = [n.to_original(i, i + 1) for i in range(a, b)]
        assert all(oa <= x0 and x1 <= ob for x0, x1 in inner)
        assert inner[0][0] == oa and inner[-1][1] == ob

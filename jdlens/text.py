"""Normalize a posting (plain text, Markdown or HTML) to plain text, keeping a map back
to the characters of the ORIGINAL text so every highlighted span points at what the user gave.

The map is a list of segments. A segment is either a verbatim run (normalized character k
comes from original character o + k) or a replacement (an HTML tag, an entity, a Markdown
link, a typographic character): every character it emits maps to the whole original run
[orig_start, orig_end), so a span that touches it covers the full tag or entity.
"""
from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# Tags that break a line: they end a sentence or a list item.
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "dt", "dd", "dl", "hr", "pre",
}
_CELL_TAGS = {"td", "th"}
_LOOKS_HTML = re.compile(
    r"<(?:p|div|br|ul|ol|li|h[1-6]|strong|b|em|i|span|table|tr|td|a|section|font|u)\b[^<>]{0,400}?/?>"
    r"|</(?:p|div|ul|ol|li|h[1-6]|strong|b|em|span|a)\s*>",
    re.IGNORECASE,
)
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"                                  # comment
    r"|<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)"         # invisible blocks
    r"|</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>"                # tag
    r"|<![^<>]*>"                                         # doctype and the like
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?",  # entity
    re.DOTALL | re.IGNORECASE,
)
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,300})\]\(([^()\s]{0,500})\)")
# Typographic characters folded to ASCII so "you’ll" and "you'll" are one word.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2022": "*", "\u25cf": "*", "\u25aa": "*", "\u2023": "*", "\u2043": "*", "\u00b7": "*",
    "\u2026": "...", "\u2028": "\n", "\u2029": "\n",
}
_FOLD_SAME_RE = re.compile("[" + "".join(k for k, v in _FOLD.items() if len(v) == 1) + "]")
_FOLD_OTHER_RE = re.compile("[" + "".join(k for k, v in _FOLD.items() if len(v) != 1) + "\uff01-\uff5e\ufb00-\ufb06]")


def _fold_same(m: re.Match) -> str:
    return _FOLD[m.group()]


@dataclass(frozen=True)
class Normalized:
    """Plain text for the model, plus the map back to the original."""

    original: str
    text: str
    # parallel lists, one entry per segment, sorted by norm_start
    norm_start: list[int]
    orig_start: list[int]
    orig_end: list[int]
    verbatim: list[bool]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span [start, end) of the normalized text to a span of the original."""
        if end <= start:
            o = self._orig_index(start, at_end=False) if start < len(self.text) else len(self.original)
            return o, o
        return self._orig_index(start, at_end=False), self._orig_index(end - 1, at_end=True)

    def to_original_many(self, starts, ends):
        """Vectorized `to_original` for non-empty spans: two numpy arrays of original offsets."""
        import numpy as np
        ns = np.asarray(self.norm_start)
        os_ = np.asarray(self.orig_start)
        oe = np.asarray(self.orig_end)
        vb = np.asarray(self.verbatim)
        starts = np.asarray(starts)
        last = np.asarray(ends) - 1
        ks = np.searchsorted(ns, starts, side="right") - 1
        ke = np.searchsorted(ns, last, side="right") - 1
        a = np.where(vb[ks], os_[ks] + (starts - ns[ks]), os_[ks])
        b = np.where(vb[ke], os_[ke] + (last - ns[ke]) + 1, oe[ke])
        return a, b

    def _orig_index(self, i: int, *, at_end: bool) -> int:
        k = bisect_right(self.norm_start, i) - 1
        if self.verbatim[k]:
            o = self.orig_start[k] + (i - self.norm_start[k])
            return o + 1 if at_end else o
        return self.orig_end[k] if at_end else self.orig_start[k]


def looks_like_html(text: str) -> bool:
    return _LOOKS_HTML.search(text) is not None


def normalize(original: str) -> Normalized:
    """HTML or Markdown to plain text with an offset map; plain ASCII text passes through."""
    if not isinstance(original, str):
        raise TypeError(f"a posting must be str, not {type(original).__name__}")
    out: list[str] = []
    norm_start: list[int] = []
    orig_start: list[int] = []
    orig_end: list[int] = []
    verbatim: list[bool] = []
    pos = 0  # length of normalized text so far

    def emit(s: str, o0: int, o1: int, is_verbatim: bool) -> None:
        if not s:
            return
        if not is_verbatim:
            emit_raw(s, o0, o1, False)
            return
        # one-for-one folds keep positions, so the run stays verbatim
        if not s.isascii():
            s = _FOLD_SAME_RE.sub(_fold_same, s)
        last = 0
        for m in _FOLD_OTHER_RE.finditer(s):
            if m.start() > last:
                emit_raw(s[last:m.start()], o0 + last, o0 + m.start(), True)
            c = m.group()
            rep = _FOLD.get(c)
            if rep is None:
                rep = unicodedata.normalize("NFKC", c)
            emit_raw(rep, o0 + m.start(), o0 + m.end(), rep == c)
            last = m.end()
        if last < len(s):
            emit_raw(s[last:], o0 + last, o1, True)

    def emit_raw(s: str, o0: int, o1: int, is_verbatim: bool) -> None:
        nonlocal pos
        if not s:
            return
        out.append(s)
        norm_start.append(pos)
        orig_start.append(o0)
        orig_end.append(o1)
        verbatim.append(is_verbatim)
        pos += len(s)

    if looks_like_html(original):
        last = 0
        for m in _HTML_TOKEN.finditer(original):
            if m.start() > last:
                _emit_markdown(original, last, m.start(), emit)
            tok = m.group()
            if tok.startswith("&"):
                rep = html.unescape(tok)
                if rep == tok:  # not a known entity: keep as text
                    emit(tok, m.start(), m.end(), True)
                else:
                    emit(_FOLD.get(rep, rep) if len(rep) == 1 else rep, m.start(), m.end(), False)
            else:
                name = (m.group(2) or m.group(1) or "").lower()
                if name in _BLOCK_TAGS:
                    emit("\n", m.start(), m.end(), False)
                elif name in _CELL_TAGS:
                    emit(" ", m.start(), m.end(), False)
                # inline tags, comments, scripts: emit nothing
            last = m.end()
        if last < len(original):
            _emit_markdown(original, last, len(original), emit)
    else:
        _emit_markdown(original, 0, len(original), emit)

    if not norm_start:  # empty text: one empty verbatim segment keeps lookups valid
        norm_start, orig_start, orig_end, verbatim = [0], [len(original)], [len(original)], [True]
    return Normalized(original, "".join(out), norm_start, orig_start, orig_end, verbatim)


def _emit_markdown(original: str, a: int, b: int, emit) -> None:
    """Copy original[a:b], replacing Markdown links [text](url) by their text."""
    chunk = original[a:b]
    if "](" not in chunk:
        emit(chunk, a, b, True)
        return
    last = 0
    for m in _MD_LINK.finditer(chunk):
        if m.start() > last:
            emit(chunk[last:m.start()], a + last, a + m.start(), True)
        label_start = m.start(1)
        # the visible label is verbatim; brackets and the url vanish
        emit(m.group(1), a + label_start, a + m.end(1), True)
        last = m.end()
    if last < len(chunk):
        emit(chunk[last:], a + last, b, True)


# Words, numbers and joined forms such as "70/30", "b2b", "don't", "e.g", "50%".
TOKEN_RE = re.compile(r"[^\W_]+(?:[/'.][^\W_]+)*%?")
_ASCII_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[/'.][a-z0-9]+)*%?")  # the same, on lowercased ASCII


def _lower_same_length(text: str) -> str | None:
    """text.lower() when it keeps every character in place, else None.

    Lowercasing never shortens a character, so an unchanged total length means a one-to-one
    map ("İ" becomes two characters: then tokens are lowercased one by one instead)."""
    low = text.lower()
    return low if len(low) == len(text) else None


def tokenize(text: str) -> list[str]:
    """The model's tokenizer (scikit-learn training uses this same function): lowercased word
    tokens of normalized text, in the same count and order as `token_spans`."""
    if text.isascii():
        return _ASCII_TOKEN_RE.findall(text.lower())
    low = _lower_same_length(text)
    if low is not None:
        return TOKEN_RE.findall(low)
    return [t.lower() for t in TOKEN_RE.findall(text)]


def token_offsets(text: str):
    """[start, end) offsets of the `tokenize` tokens in `text`, as an (n, 2) numpy array."""
    import numpy as np
    low = _lower_same_length(text)
    spans = [m.span() for m in TOKEN_RE.finditer(low if low is not None else text)]
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """Tokens of normalized text with their [start, end) offsets in that text."""
    off = token_offsets(text)
    return tokenize(text), off[:, 0].tolist(), off[:, 1].tolist()


def model_text(original: str) -> str:
    """The text the vectorizer sees (the scikit-learn preprocessor)."""
    return normalize(original).text


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences and list items of normalized text, as [start, end) spans, blanks dropped."""
    spans = []
    last = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > last:
            spans.append((last, m.start()))
        last = m.end()
    if last < len(text):
        spans.append((last, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]

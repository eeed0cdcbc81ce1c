"""The result of scoring one posting, with exact evidence computed on demand.

Evidence weights: every feature (word or two-word phrase) present contributes
coef * tfidf to the logit. A feature seen several times shares its contribution equally
between its occurrences, and an occurrence of a two-word phrase shares its part equally
between its two words. So each word of the text gets a weight, overlapping phrases add up,
and the weights of all words plus the intercept equal the logit exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .signals import Signal, find_signals, interview_questions
from .text import Normalized, sentence_spans, token_offsets

HUNTER, ACCOUNT_MANAGER, HYBRID, NOT_SALES = "hunter", "account_manager", "hybrid", "not_sales"
LABELS = (HUNTER, ACCOUNT_MANAGER, HYBRID, NOT_SALES)
LABEL_WORDS = {
    HUNTER: "Hunter (new business)",
    ACCOUNT_MANAGER: "Account manager (existing customers)",
    HYBRID: "Hybrid (both)",
    NOT_SALES: "Not a sales role",
}


# Words that carry weight in the model but mean nothing to a reader on their own. Phrases made
# only of these are left out of the "top phrases" lists (never out of `evidence`, which stays
# complete so that contributions still add up to the logit).
_FILLER = frozenset("""a an the and or of to in on at for with by from as is are be will you your we our us
it its this that these those who which what when where how if not no can may have has had do does
all any each more most some such than then there their they them he she his her i me my am was were
been being into about over under per via up out so also just own etc e.g i.e""".split())


def is_informative(term: str) -> bool:
    """False for phrases made only of filler words or numbers ("for our", "a", "18")."""
    return any(t not in _FILLER and not t.replace("/", "").replace(".", "").replace("%", "").isdigit()
               for t in term.split(" "))


def display_percent(score: float) -> int:
    """A score as a whole percentage for people, kept within 1..99: a reading aid is never certain."""
    return min(99, max(1, round(score * 100)))


def label_for(hunter_score: float, sales_score: float, bands: dict) -> str:
    """Label from the two scores and the model's bands (recorded in the model card)."""
    if sales_score < bands["sales_min"]:
        return NOT_SALES
    if hunter_score >= bands["hunter_min"]:
        return HUNTER
    if hunter_score <= bands["account_manager_max"]:
        return ACCOUNT_MANAGER
    return HYBRID


@dataclass(frozen=True)
class Evidence:
    phrase: str            # original[start:end] of the first occurrence
    term: str              # the model's feature, e.g. "new logos"
    start: int             # first occurrence, offsets into the ORIGINAL text
    end: int
    contribution: float    # total signed contribution to the logit (all occurrences)
    count: int
    spans: tuple[tuple[int, int], ...]   # every occurrence

    @property
    def side(self) -> str:
        return HUNTER if self.contribution > 0 else ACCOUNT_MANAGER

    def to_dict(self) -> dict:
        return {"phrase": self.phrase, "start": self.start, "end": self.end,
                "contribution": round(self.contribution, 6), "side": self.side,
                "term": self.term, "count": self.count}


@dataclass(frozen=True)
class SignalHit:
    kind: str
    detail: str
    leans: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "detail": self.detail, "leans": self.leans}


@dataclass(frozen=True)
class Breakdown:
    hunting: float
    farming: float
    neutral: float

    def to_dict(self) -> dict:
        return {"hunting": round(self.hunting, 4), "farming": round(self.farming, 4),
                "neutral": round(self.neutral, 4)}


@dataclass(frozen=True)
class Sentence:
    start: int   # original offsets
    end: int
    weight: float
    side: str    # hunting, farming or neutral


class ScoreResult:
    """Scores plus lazily built evidence, breakdown, signals and questions."""

    def __init__(self, *, model, norm: Normalized, id, hunter_score, sales_score, label, logit,
                 intercept, sales_logit, feats, counts, x, contrib, n_tok, occ_feat, occ_tok, occ_len):
        self.model = model
        self.norm = norm
        self.text = norm.original
        self.id = id
        self.hunter_score = hunter_score
        self.sales_score = sales_score
        self.label = label
        self.logit = logit
        self.intercept = intercept
        self.sales_logit = sales_logit
        self._feats, self._counts, self._x, self._contrib = feats, counts, x, contrib
        self._n_tok = n_tok
        self._occ_feat, self._occ_tok, self._occ_len = occ_feat, occ_tok, occ_len

    def __repr__(self) -> str:
        return f"<ScoreResult {self.label} hunter={self.hunter_score:.3f} sales={self.sales_score:.3f}>"

    # -- evidence --------------------------------------------------------------------------
    @cached_property
    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Token offsets in the normalized text, computed only when evidence is asked for."""
        off = token_offsets(self.norm.text)
        assert len(off) == self._n_tok, "tokenizers disagree"
        return off[:, 0].copy(), off[:, 1].copy()

    @property
    def _tok_starts(self) -> np.ndarray:
        return self._spans[0]

    @property
    def _tok_ends(self) -> np.ndarray:
        return self._spans[1]

    @cached_property
    def _occurrence_spans(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Original-text spans of every feature occurrence, grouped by feature: (starts, ends,
        group boundaries), where the occurrences of the k-th feature present are
        [bounds[k], bounds[k + 1]), in reading order."""
        order = np.lexsort((self._occ_tok, self._occ_feat))
        tok = self._occ_tok[order]
        last = tok + self._occ_len[order] - 1
        a, b = self.norm.to_original_many(self._tok_starts[tok], self._tok_ends[last])
        bounds = np.concatenate([[0], np.cumsum(self._counts)])
        return a, b, bounds

    @cached_property
    def _evidence_lists(self) -> tuple[list, list, list, list, list, list]:
        """Plain-list views of the spans and per-feature arrays (fast to index one by one)."""
        a, b, bounds = self._occurrence_spans
        return (a.tolist(), b.tolist(), bounds.tolist(), self._feats.tolist(),
                self._contrib.tolist(), self._counts.tolist())

    def _evidence_for(self, k: int) -> Evidence:
        """The Evidence of the k-th feature present."""
        a, b, bounds, feats, contrib, counts = self._evidence_lists
        i0, i1 = bounds[k], bounds[k + 1]
        spans = tuple(zip(a[i0:i1], b[i0:i1]))
        s, e = spans[0]
        return Evidence(self.text[s:e], self.model.feature_names[feats[k]], s, e, contrib[k], counts[k], spans)

    @cached_property
    def evidence(self) -> list[Evidence]:
        """Every feature present, strongest first; contributions + intercept == logit."""
        return [self._evidence_for(k) for k in np.argsort(-np.abs(self._contrib), kind="stable").tolist()]

    def _top_indices(self, n: int, side: str) -> list[int]:
        """Indices (into the features present) of the n strongest informative phrases for `side`."""
        sign = 1.0 if side == HUNTER else -1.0
        c = self._contrib * sign
        idx = np.nonzero((c > 0) & self.model.informative[self._feats])[0]
        if n < len(idx) // 2:
            idx = idx[np.argpartition(-c[idx], n)[: n + 1]]
        idx = idx[np.argsort(-c[idx], kind="stable")]
        return [int(k) for k in idx[:n]]

    def top_evidence(self, n: int, side: str) -> list[Evidence]:
        """The n strongest phrases pulling toward `side` (hunter or account_manager), filler left out."""
        return [self._evidence_for(k) for k in self._top_indices(n, side)]

    def top_phrases(self, n: int, side: str) -> list[str]:
        """Like top_evidence, but only the model's terms (cheap: no spans), for batch output."""
        names = self.model.feature_names
        return [names[int(self._feats[k])] for k in self._top_indices(n, side)]

    @cached_property
    def token_weights(self) -> list[tuple[int, int, float]]:
        """(start, end, weight) in the original text for every word that carries weight."""
        w = self._word_weights
        idx = np.nonzero(w)[0]
        a, b = self.norm.to_original_many(self._tok_starts[idx], self._tok_ends[idx])
        return list(zip(a.tolist(), b.tolist(), w[idx].tolist()))

    @cached_property
    def plain_token_weights(self) -> list[tuple[int, int, float]]:
        """Like token_weights, but in the normalized plain text (`self.norm.text`): what the
        app and `explain` show for HTML postings, so readers see words, not tags."""
        w = self._word_weights
        return [(int(self._tok_starts[i]), int(self._tok_ends[i]), float(w[i])) for i in np.nonzero(w)[0]]

    @cached_property
    def _word_weights(self) -> np.ndarray:
        w = np.zeros(self._n_tok, dtype=np.float64)
        if not len(self._occ_feat):
            return w
        # contribution per occurrence: feature's total / its count
        pos = np.searchsorted(self._feats, self._occ_feat)
        per_occ = self._contrib[pos] / self._counts[pos]
        share = per_occ / self._occ_len
        np.add.at(w, self._occ_tok, share)
        two = self._occ_len == 2
        np.add.at(w, self._occ_tok[two] + 1, share[two])
        return w

    # -- breakdown -------------------------------------------------------------------------
    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences and list items with their weight and side.

        A sentence leans one way when its words' weight exceeds a quarter of the mean absolute
        sentence weight of this posting; the rest (company blurb, benefits) is neutral.
        """
        text = self.norm.text
        spans = sentence_spans(text)
        if not spans:
            return []
        w = self._word_weights
        starts = self._tok_starts
        sw = []
        for a, b in spans:
            i0, i1 = np.searchsorted(starts, a), np.searchsorted(starts, b)
            sw.append(float(w[i0:i1].sum()))
        arr = np.abs(np.asarray(sw))
        tau = 0.25 * float(arr.mean()) if len(arr) else 0.0
        out = []
        for (a, b), weight in zip(spans, sw):
            side = "hunting" if weight > tau and weight > 0 else "farming" if weight < -tau and weight < 0 else "neutral"
            s, e = self.norm.to_original(a, b)
            out.append(Sentence(s, e, weight, side))
        return out

    @cached_property
    def breakdown(self) -> Breakdown:
        """Shares of the text (by non-space characters) in hunting, farming and neutral sentences."""
        totals = {"hunting": 0, "farming": 0, "neutral": 0}
        for s in self.sentences:
            totals[s.side] += len("".join(self.text[s.start:s.end].split()))
        total = sum(totals.values())
        if total == 0:
            return Breakdown(0.0, 0.0, 1.0)
        h, f = totals["hunting"] / total, totals["farming"] / total
        return Breakdown(h, f, 1.0 - h - f)

    # -- signals and questions --------------------------------------------------------------
    @cached_property
    def signals(self) -> list[SignalHit]:
        out = []
        for s in find_signals(self.norm.text):
            a, b = self.norm.to_original(s.start, s.end)
            out.append(SignalHit(s.kind, s.detail, s.leans, self.text[a:b], a, b))
        return out

    @cached_property
    def questions(self) -> list[str]:
        sig = [Signal(s.kind, s.detail, s.leans, s.start, s.end) for s in self.signals]
        return interview_questions(self.label, self.hunter_score, sig)

    # -- plain words -----------------------------------------------------------------------
    @property
    def verdict(self) -> str:
        """One line a job seeker understands."""
        pct = display_percent(self.hunter_score)
        if self.label == NOT_SALES:
            return f"This does not read like a sales role (sales score {display_percent(self.sales_score)}%)."
        if self.label == HUNTER:
            return f"Mostly hunting: {pct}% of the selling is new business."
        if self.label == ACCOUNT_MANAGER:
            return f"Mostly account management: {100 - pct}% of the selling is existing customers."
        return f"A hybrid role: about {pct}% new business, {100 - pct}% existing customers."

    def summary(self) -> str:
        """A short paragraph explaining the verdict."""
        hunt = [" ".join(e.phrase.split()) for e in self.top_evidence(3, HUNTER)]
        farm = [" ".join(e.phrase.split()) for e in self.top_evidence(3, ACCOUNT_MANAGER)]
        parts = [self.verdict]
        if self.label == NOT_SALES:
            parts.append("The duties read like a support, operations or non-selling job; "
                         "the hunting/farming split below is shown for reference only.")
        if hunt:
            parts.append("New-business language: " + ", ".join(f"\u201c{p}\u201d" for p in hunt) + ".")
        if farm:
            parts.append("Existing-customer language: " + ", ".join(f"\u201c{p}\u201d" for p in farm) + ".")
        b = self.breakdown
        parts.append(f"Of the text, {b.hunting:.0%} reads as hunting, {b.farming:.0%} as account management "
                     f"and {b.neutral:.0%} as neither (company blurb, benefits, requirements).")
        return " ".join(parts)

    def to_dict(self, top: int | None = None) -> dict:
        """The shared JSON shape (see DESIGN.md). `top` keeps the n strongest phrases per side."""
        if top is None:
            ev = self.evidence
        else:
            ev = self.top_evidence(top, HUNTER) + self.top_evidence(top, ACCOUNT_MANAGER)
        return {
            "id": self.id,
            "hunter_score": round(self.hunter_score, 4),
            "label": self.label,
            "sales_score": round(self.sales_score, 4),
            "evidence": [e.to_dict() for e in ev],
            "breakdown": self.breakdown.to_dict(),
            "signals": [s.to_dict() for s in self.signals],
            "questions": list(self.questions),
            "verdict": self.verdict,
            "logit": self.logit,
            "intercept": self.intercept,
        }

"""Measure a model on labeled data: a corpus-layout folder or JSON Lines."""
from __future__ import annotations

import json
from pathlib import Path

from .batch import join_title
from .errors import EmptyPostingError, JdlensError
from .metrics import evaluate
from .result import LABELS, NOT_SALES


def read_labeled(data: str | Path, warn) -> tuple[list[str], list[str], list]:
    """(texts, labels, shares in [0, 1] or None). Bad rows are reported through `warn` and skipped."""
    data = Path(data)
    texts, labels, shares = [], [], []
    if data.is_dir():
        from .corpus import load_corpus
        for p in load_corpus(data, warn=warn):
            texts.append(p.text)
            labels.append(p.label)
            shares.append(p.hunter_share)
        return texts, labels, shares
    if not data.exists():
        raise JdlensError(f"{data}: no such file or folder")
    with data.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                warn(f"{data} line {n}: malformed JSON ({e.msg})")
                continue
            label = row.get("label")
            text = row.get("text") or row.get("description")
            if label not in LABELS:
                warn(f"{data} line {n}: label {label!r} is not one of {', '.join(LABELS)}")
                continue
            if not isinstance(text, str) or not text.strip():
                warn(f"{data} line {n}: no text")
                continue
            text = join_title(row.get("title"), text)
            share = row.get("hunter_share")
            texts.append(text)
            labels.append(label)
            shares.append(None if share is None or label == NOT_SALES else float(share) / 100.0)
    return texts, labels, shares


def evaluate_data(model, data, warn) -> tuple[dict, int]:
    """Score every labeled posting and compute the training metrics. Returns (metrics, problems)."""
    problems = 0

    def w(msg):
        nonlocal problems
        problems += 1
        warn(msg)

    texts, labels, shares = read_labeled(data, w)
    if not texts:
        raise JdlensError(f"{data}: no labeled postings to evaluate")
    hunter, sales, predicted = [], [], []
    keep_labels, keep_shares = [], []
    for t, l, s in zip(texts, labels, shares):
        try:
            r = model.score(t)
        except EmptyPostingError:
            w("skipped an empty posting")
            continue
        hunter.append(r.hunter_score)
        sales.append(r.sales_score)
        predicted.append(r.label)
        keep_labels.append(l)
        keep_shares.append(s)
    return evaluate(keep_labels, keep_shares, hunter, sales, predicted, model.bands), problems

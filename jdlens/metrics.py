"""Evaluation measures in plain numpy, shared by `train` (cross-validated) and `evaluate`."""
from __future__ import annotations

import numpy as np

from .result import ACCOUNT_MANAGER, HUNTER, HYBRID, LABELS, NOT_SALES

# Default hunter share of a sales posting when the data gives none: the middle of its band.
LABEL_SHARE = {HUNTER: 0.85, HYBRID: 0.5, ACCOUNT_MANAGER: 0.15}


def rankdata(a: np.ndarray) -> np.ndarray:
    """Ranks starting at 1, ties given their average rank."""
    a = np.asarray(a, dtype=np.float64)
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    ranks = np.empty(len(a), dtype=np.float64)
    i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and sorted_a[j + 1] == sorted_a[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def roc_auc(positive: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney), None when one class is missing."""
    positive = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    r = rankdata(scores)
    return float((r[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 3:
        return None
    rx, ry = rankdata(x), rankdata(y)
    rx -= rx.mean()
    ry -= ry.mean()
    d = np.sqrt((rx * rx).sum() * (ry * ry).sum())
    return float((rx * ry).sum() / d) if d > 0 else None


def band(score: float, bands: dict) -> str:
    if score >= bands["hunter_min"]:
        return HUNTER
    if score <= bands["account_manager_max"]:
        return ACCOUNT_MANAGER
    return HYBRID


def calibration_error(scores: np.ndarray, targets: np.ndarray, bins: int = 10) -> float | None:
    """Expected calibration error: mean |score - target| per score bin, weighted by bin size."""
    if len(scores) == 0:
        return None
    idx = np.minimum((np.asarray(scores) * bins).astype(int), bins - 1)
    err = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            err += m.sum() * abs(float(np.mean(scores[m]) - np.mean(targets[m])))
    return err / len(scores)


def target_shares(labels: list[str], shares: list[float | None]) -> np.ndarray:
    """Hybrid-aware target in [0, 1]: the given hunter share, else the middle of the label's band."""
    return np.array([
        (s if s is not None else LABEL_SHARE.get(l, np.nan)) for l, s in zip(labels, shares)
    ], dtype=np.float64)


def histogram(scores: np.ndarray, bins: int = 10) -> list[int]:
    idx = np.minimum((np.asarray(scores, dtype=np.float64) * bins).astype(int), bins - 1)
    return [int((idx == b).sum()) for b in range(bins)]


def evaluate(labels: list[str], shares: list[float | None], hunter: np.ndarray, sales: np.ndarray,
             predicted: list[str], bands: dict) -> dict:
    """All measures reported by `train` and `evaluate`.

    `shares` are hunter shares in [0, 1] or None; `predicted` are the model's 4-way labels.
    """
    labels = list(labels)
    hunter = np.asarray(hunter, dtype=np.float64)
    sales = np.asarray(sales, dtype=np.float64)
    lab = np.array(labels)
    is_sales = lab != NOT_SALES
    ha = (lab == HUNTER) | (lab == ACCOUNT_MANAGER)
    target = target_shares(labels, shares)
    out: dict = {"n": len(labels), "counts": {l: int((lab == l).sum()) for l in LABELS}}
    out["roc_auc_hunter_vs_account_manager"] = roc_auc(lab[ha] == HUNTER, hunter[ha])
    out["spearman_hunter_share"] = spearman(hunter[is_sales], target[is_sales])
    bands_pred = [band(s, bands) for s in hunter[is_sales]]
    out["band_accuracy"] = (float(np.mean([p == l for p, l in zip(bands_pred, lab[is_sales])]))
                            if is_sales.any() else None)
    out["label_accuracy"] = float(np.mean([p == l for p, l in zip(predicted, labels)])) if labels else None
    out["roc_auc_sales_vs_not_sales"] = roc_auc(is_sales, sales)
    out["calibration_error"] = calibration_error(hunter[is_sales], target[is_sales])
    per = {}
    for l in LABELS:
        tp = sum(1 for p, t in zip(predicted, labels) if p == l and t == l)
        pp = sum(1 for p in predicted if p == l)
        tt = sum(1 for t in labels if t == l)
        per[l] = {"precision": tp / pp if pp else None, "recall": tp / tt if tt else None, "support": tt}
    out["per_label"] = per
    out["confusion"] = {"labels": list(LABELS), "rows_true_cols_predicted": [
        [sum(1 for p, t in zip(predicted, labels) if t == tl and p == pl) for pl in LABELS] for tl in LABELS]}
    out["histograms"] = {l: histogram(hunter[lab == l]) for l in LABELS if (lab == l).any()}
    return out


def format_metrics(m: dict) -> str:
    """Metrics as an aligned plain-text report."""
    def f(v):
        return "n/a" if v is None else f"{v:.3f}"
    lines = [
        f"postings: {m['n']}  (" + ", ".join(f"{k} {v}" for k, v in m["counts"].items()) + ")",
        f"ROC-AUC hunter vs account manager : {f(m['roc_auc_hunter_vs_account_manager'])}",
        f"Spearman with hunter share        : {f(m['spearman_hunter_share'])}",
        f"band accuracy (sales postings)    : {f(m['band_accuracy'])}",
        f"label accuracy (4 labels)         : {f(m['label_accuracy'])}",
        f"ROC-AUC sales vs not sales        : {f(m['roc_auc_sales_vs_not_sales'])}",
        f"calibration error (ECE, 10 bins)  : {f(m['calibration_error'])}",
        "",
        f"{'label':<16}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for l, d in m["per_label"].items():
        lines.append(f"{l:<16}{f(d['precision']):>10}{f(d['recall']):>8}{d['support']:>9}")
    lines += ["", "confusion (rows: true, columns: predicted)",
              " " * 16 + "".join(f"{l[:9]:>10}" for l in m["confusion"]["labels"])]
    for l, row in zip(m["confusion"]["labels"], m["confusion"]["rows_true_cols_predicted"]):
        lines.append(f"{l:<16}" + "".join(f"{v:>10}" for v in row))
    return "\n".join(lines)

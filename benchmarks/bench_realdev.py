"""Generalization to real postings: score ../shared/realdev/postings.jsonl (never trained on) with
the shipped model and print the four measures from its README, against the targets.

Usage: python benchmarks/bench_realdev.py [--model PATH] [--data PATH] [--misses]
"""
import argparse
import json
from pathlib import Path

from _common import ROOT

TARGETS = {"roc_auc_hunter_vs_account_manager": 0.97, "spearman_hunter_share": 0.85,
           "band_accuracy": 0.75, "roc_auc_sales_vs_not_sales": 0.95}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "realdev" / "postings.jsonl"))
    ap.add_argument("--misses", action="store_true", help="list ids of postings in the wrong band (no text)")
    a = ap.parse_args()
    from jdlens import load_model
    from jdlens.evaluate import evaluate_data
    data = Path(a.data)
    if not data.exists():
        raise SystemExit(f"{data}: not found (realdev lives in ../shared/realdev)")
    model = load_model(a.model)
    m, problems = evaluate_data(model, data, warn=print)
    print(f"realdev: {m['n']} postings " + str(m["counts"]))
    for k, target in TARGETS.items():
        v = m[k]
        print(f"{k:<36} {v:6.3f}   target >= {target:.2f}   {'ok' if v >= target else 'BELOW'}")
    print(f"{'label_accuracy (4 labels)':<36} {m['label_accuracy']:6.3f}")
    print(f"{'calibration_error':<36} {m['calibration_error']:6.3f}")
    if a.misses:
        from jdlens.batch import join_title
        from jdlens.metrics import band
        for line in data.open(encoding="utf-8"):
            row = json.loads(line)
            r = model.score(join_title(row.get("title"), row["text"]))
            want = row["label"]
            got = band(r.hunter_score, model.bands) if want != "not_sales" else r.label
            if r.label == "not_sales" and want != "not_sales":
                got = "not_sales"
            if got != want:
                print(f"  miss {row['id']}: want {want} (share {row.get('hunter_share')}), got {got} "
                      f"(hunter {r.hunter_score:.2f}, sales {r.sales_score:.2f})")


if __name__ == "__main__":
    main()

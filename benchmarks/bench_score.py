"""Batch throughput: `jdlens score --jobs 1` and `--jobs 2` on 20,000 postings of about 3 KB
(stitched from corpus paragraphs), versus the same model as a scikit-learn pipeline calling
predict_proba on the whole list and picking the top phrases with sparse matrix operations.
Targets: jobs 1 >= 1.5x the baseline; jobs 2 >= 1.8x jobs 1 (on 2 cores).

Usage: python benchmarks/bench_score.py [N]
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import realistic_postings, sklearn_pipeline_file


def baseline(texts, pipe_path, top=5):
    import joblib
    t = time.perf_counter()
    pipe = joblib.load(pipe_path)
    vec, clf = pipe.named_steps["tfidf"], pipe.named_steps["clf"]
    names = vec.get_feature_names_out()
    x = vec.transform(texts)
    p = clf.predict_proba(x)[:, 1]
    contrib = x.multiply(clf.coef_[0]).tocsr()
    out = []
    for i in range(x.shape[0]):
        row = contrib.getrow(i)
        order = np.argsort(row.data)
        out.append((p[i], [names[row.indices[j]] for j in order[::-1][:top]],
                    [names[row.indices[j]] for j in order[:top]]))
    return time.perf_counter() - t


def ours(path, jobs):
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jdlens", "score", str(path), "--jobs", str(jobs), "--quiet",
                    "--format", "jsonl", "-o", str(path.with_suffix(f".out{jobs}.jsonl"))], check=True)
    return time.perf_counter() - t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    texts = realistic_postings(n, seed=2)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        path = d / "postings.jsonl"
        with path.open("w") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": i, "text": t}) + "\n")
        pipe = sklearn_pipeline_file(d)
        import gc
        import statistics
        b = baseline(texts, pipe)
        gc.collect()
        runs = {1: [], 2: []}
        for _ in range(3):  # interleaved, median of 3: the machine's pace drifts
            for j in (1, 2):
                runs[j].append(ours(path, j))
        j1, j2 = statistics.median(runs[1]), statistics.median(runs[2])
    mb = sum(len(t.encode()) for t in texts) / n
    print(f"{n:,} postings, mean {mb:,.0f} bytes")
    print(f"scikit-learn pipeline (load + predict_proba + top phrases): {n / b:8,.0f} postings/s")
    print(f"jdlens score --jobs 1 (whole command, JSON Lines out)      : {n / j1:8,.0f} postings/s")
    print(f"jdlens score --jobs 2                                       : {n / j2:8,.0f} postings/s")
    print(f"jobs 1 / baseline : {b / j1:5.2f}x   (target >= 1.5x)")
    print(f"jobs 2 / jobs 1   : {j1 / j2:5.2f}x   (target >= 1.8x)")


if __name__ == "__main__":
    main()

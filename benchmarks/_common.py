"""Helpers shared by the benchmark scripts (run them from the repository root)."""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_texts() -> list[str]:
    from jdlens.corpus import load_corpus
    return [p.text for p in load_corpus(ROOT / "corpus")]


def realistic_postings(n: int, seed: int = 0, target_bytes: int = 3000) -> list[str]:
    """n postings of about `target_bytes`, each stitched from paragraphs of different corpus postings."""
    rng = random.Random(seed)
    paras = [p for t in corpus_texts() for p in t.split("\n\n") if len(p.strip()) > 40]
    out = []
    for _ in range(n):
        parts, size = [], 0
        while size < target_bytes:
            p = rng.choice(paras)
            parts.append(p)
            size += len(p) + 2
        out.append("\n\n".join(parts))
    return out


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of fn() over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def sklearn_pipeline_file(tmpdir: Path) -> Path:
    """Fit the same model as scikit-learn objects and save the pipeline with joblib (the baseline)."""
    import joblib

    from jdlens.corpus import load_corpus
    from jdlens.train import Settings, fit
    posts = load_corpus(ROOT / "corpus")
    f = fit([p.text for p in posts], [p.label for p in posts], [p.hunter_share for p in posts], Settings())
    path = tmpdir / "sklearn_pipeline.joblib"
    joblib.dump(f.hunter_pipeline(), path)
    return path

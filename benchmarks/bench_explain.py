"""Explanation speed: jdlens' exact explanation versus LIME's text explainer (5,000 samples) on the
same posting and the same model. Target: at least 500x faster. Needs `pip install lime`."""
import tempfile
import time
from pathlib import Path

from _common import realistic_postings, sklearn_pipeline_file


def main():
    try:
        from lime.lime_text import LimeTextExplainer
    except ImportError:
        raise SystemExit("this benchmark needs LIME: pip install -e '.[bench]'")
    import joblib

    from jdlens import load_model
    posting = realistic_postings(1, seed=1)[0]
    model = load_model()
    with tempfile.TemporaryDirectory() as d:
        pipe = joblib.load(sklearn_pipeline_file(Path(d)))
    runs = 200
    t = time.perf_counter()
    for _ in range(runs):
        r = model.score(posting)
        r.evidence, r.token_weights, r.breakdown
    ours = (time.perf_counter() - t) / runs
    t = time.perf_counter()
    LimeTextExplainer(class_names=["account_manager", "hunter"], random_state=0).explain_instance(
        posting, pipe.predict_proba, num_features=10, num_samples=5000)
    lime = time.perf_counter() - t
    exact = abs(r.intercept + sum(e.contribution for e in r.evidence) - r.logit)
    print(f"jdlens exact explanation : {ours * 1000:9.2f} ms per posting (mean of {runs}); |sum - logit| = {exact:.1e}")
    print(f"LIME, 5,000 samples      : {lime * 1000:9.0f} ms")
    print(f"speed-up                 : {lime / ours:9.0f}x   (target >= 500x)")


if __name__ == "__main__":
    main()

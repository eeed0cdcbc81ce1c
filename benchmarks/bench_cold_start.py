"""Cold start: `jdlens explain one-posting.txt --format json` versus a script that loads the
equivalent scikit-learn pipeline with joblib and scores the same posting. Target: ratio <= 0.2."""
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, realistic_postings, sklearn_pipeline_file

RUNS = 7


def wall(cmd) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main():
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        posting = d / "one-posting.txt"
        posting.write_text(realistic_postings(1)[0])
        pipe = sklearn_pipeline_file(d)
        base_script = d / "baseline.py"
        base_script.write_text(
            "import sys, json, joblib\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            f"p = joblib.load({str(pipe)!r})\n"
            f"t = open({str(posting)!r}).read()\n"
            "print(json.dumps({'hunter_score': float(p.predict_proba([t])[0, 1])}))\n")
        ours = [sys.executable, "-m", "jdlens", "explain", str(posting), "--format", "json"]
        base = [sys.executable, str(base_script)]
        wall(ours), wall(base)  # warm the file cache
        a = statistics.median(wall(ours) for _ in range(RUNS))
        b = statistics.median(wall(base) for _ in range(RUNS))
    print(f"jdlens explain --format json : {a * 1000:7.0f} ms (median of {RUNS})")
    print(f"joblib + sklearn pipeline    : {b * 1000:7.0f} ms (median of {RUNS})")
    print(f"ratio jdlens / baseline      : {a / b:7.3f}   (target <= 0.200)")


if __name__ == "__main__":
    main()

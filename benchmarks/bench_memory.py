"""Peak memory of `jdlens score` on one JSON Lines file of N postings (default 200,000), against
the same command on N/10 postings: flat memory means the two peaks are close. Target < 250 MB.

Usage: python benchmarks/bench_memory.py [N]
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import realistic_postings


def peak_mb(path: Path, jobs: int) -> float:
    code = ("import resource, subprocess, sys; "
            f"subprocess.run([sys.executable, '-m', 'jdlens', 'score', {str(path)!r}, '--jobs', '{jobs}', '--quiet', "
            f"'-o', {str(path.with_suffix('.out.jsonl'))!r}], check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def write(path: Path, n: int, pool: list[str]) -> None:
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": pool[i % len(pool)] + f" ref {i}"}) + "\n")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    pool = realistic_postings(2000, seed=3)
    with tempfile.TemporaryDirectory() as d:
        small, big = Path(d) / "small.jsonl", Path(d) / "big.jsonl"
        write(small, n // 10, pool)
        write(big, n, pool)
        size = big.stat().st_size / 1e6
        for jobs in (1, 2):
            a, b = peak_mb(small, jobs), peak_mb(big, jobs)
            print(f"--jobs {jobs}: peak RSS {a:6.1f} MB on {n // 10:,} postings, {b:6.1f} MB on {n:,} ({size:,.0f} MB file); "
                  f"ratio {b / a:4.2f} (flat = 1.0), target < 250 MB")


if __name__ == "__main__":
    main()

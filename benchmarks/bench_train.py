"""Training time with 5-fold cross-validation on the full corpus (target < 60 s) and model size
(target < 5 MB). Writes to a temporary folder; the shipped model is not touched."""
import tempfile
import time
from pathlib import Path

from _common import ROOT


def main():
    from jdlens.train import Settings, train
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "m.joblib"
        t = time.perf_counter()
        card = train(ROOT / "corpus", out, Settings())
        el = time.perf_counter() - t
        size = out.stat().st_size
    print(f"postings                     : {card['corpus']['postings']}")
    print(f"train + 5-fold CV wall time  : {el:6.1f} s   (target < 60 s; ratio to target {el / 60:.2f})")
    print(f"model file size              : {size / 1e6:6.2f} MB (target < 5 MB; ratio to target {size / 5e6:.2f})")


if __name__ == "__main__":
    main()

"""Shared fixtures. `mini_model_path` is a model trained on a 16-posting fixture corpus, so tests
that pin exact output (snapshots, exports) do not change when the shipped model is retrained."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_CORPUS = FIXTURES / "mini_corpus"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def mini_model_path(tmp_path_factory) -> Path:
    from jdlens.train import Settings, train
    out = tmp_path_factory.mktemp("mini_model") / "mini.joblib"
    # settings pinned, so snapshots do not move when the shipped defaults are tuned
    train(MINI_CORPUS, out, Settings(folds=2, min_df=1, max_df=1.0, hunter_c=8.0, sales_c=4.0,
                                     cue_boost=3.0, temperature=2.5, sales_model="logistic",
                                     sales_class_weight="balanced"))
    return out


@pytest.fixture(scope="session")
def mini_model(mini_model_path):
    from jdlens import load_model
    return load_model(mini_model_path)


@pytest.fixture(scope="session")
def shipped_model():
    from jdlens import load_model
    return load_model(ROOT / "models" / "default.joblib")


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch, tmp_path):
    """Tests never read the user's settings or model override."""
    monkeypatch.delenv("JDLENS_MODEL", raising=False)
    monkeypatch.setenv("JDLENS_HOME", str(tmp_path / "jdlens-home"))

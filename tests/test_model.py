"""The lean scorer is the scikit-learn model, exactly; explanations add up; loading is safe."""
import json
import shutil
import subprocess
import sys

import joblib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jdlens
from jdlens import EmptyPostingError, ModelError, load_model
from jdlens.corpus import load_corpus
from jdlens.model import LeanModel, card_path_for, dump_bundle, from_plain
from jdlens.train import Settings, compile_bundle, fit

from .conftest import CORPUS, MINI_CORPUS, ROOT


@pytest.fixture(scope="module")
def corpus_fit():
    """scikit-learn pipelines and the compiled lean model, fitted on the real corpus."""
    posts = load_corpus(CORPUS)
    s = Settings()
    f = fit([p.text for p in posts], [p.label for p in posts], [p.hunter_share for p in posts], s)
    return posts, f, LeanModel.from_bundle(compile_bundle(f, s))


def test_lean_scorer_equals_sklearn_pipeline_on_every_corpus_posting(corpus_fit):
    posts, f, lean = corpus_fit
    texts = [p.text for p in posts]
    hunter_logit = f.hunter_pipeline().decision_function(texts)
    sales_logit = f.sales_logit(texts)
    hunter_p = f.hunter_pipeline().predict_proba(texts)[:, 1]
    for i, t in enumerate(texts):
        r = lean.score(t)
        assert abs(r.logit - hunter_logit[i]) < 1e-9, posts[i].path
        assert abs(r.sales_logit - sales_logit[i]) < 1e-9, posts[i].path
        assert abs(r.hunter_score - hunter_p[i]) < 1e-9, posts[i].path


def test_contributions_plus_intercept_equal_logit_on_every_corpus_posting(corpus_fit):
    posts, _, lean = corpus_fit
    for p in posts:
        r = lean.score(p.text)
        assert abs(r.intercept + sum(e.contribution for e in r.evidence) - r.logit) < 1e-9, p.path
        assert abs(r.intercept + sum(w for _, _, w in r.token_weights) - r.logit) < 1e-9, p.path


def test_evidence_spans_name_their_phrase_on_the_corpus(corpus_fit):
    posts, _, lean = corpus_fit
    for p in posts[::7]:
        r = lean.score(p.text)
        for e in r.evidence[:40]:
            assert p.text[e.start:e.end] == e.phrase
            assert (e.start, e.end) in e.spans and len(e.spans) == e.count


_words = st.sampled_from(["new", "logos", "renewals", "cold", "call", "accounts", "existing", "<p>", "</li>",
                          "&amp;", "quota", "\n", " ", "İ", "ﬁ", "客户", "😀", "50/50", "churn", "hunt"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(min_size=1, max_size=300), st.lists(_words, min_size=1, max_size=200).map(" ".join)))
def test_exact_explanations_on_random_text(shipped_model, s):
    try:
        r = shipped_model.score(s)
    except EmptyPostingError:
        assert not jdlens.text.normalize(s).text.strip()
        return
    assert 0.0 <= r.hunter_score <= 1.0 and 0.0 <= r.sales_score <= 1.0
    assert abs(r.intercept + sum(e.contribution for e in r.evidence) - r.logit) < 1e-9
    for e in r.evidence:
        assert 0 <= e.start < e.end <= len(s) and s[e.start:e.end] == e.phrase
    b = r.breakdown
    assert abs(b.hunting + b.farming + b.neutral - 1.0) < 1e-9
    for sig in r.signals:
        assert s[sig.start:sig.end] == sig.text


def test_huge_and_tiny_postings(shipped_model):
    assert shipped_model.score("a").label in jdlens.LABELS
    big = ("Prospect new logos and cold call. Renew contracts for existing clients. " * 3000)
    r = shipped_model.score(big)
    assert abs(r.intercept + sum(e.contribution for e in r.evidence) - r.logit) < 1e-9


@pytest.mark.parametrize("text", ["", "   \n\t ", "<p> </p><br>"])
def test_empty_text_is_an_error_not_a_score(shipped_model, text):
    with pytest.raises(EmptyPostingError):
        shipped_model.score(text)


def test_score_many_streams_lazily(mini_model):
    def gen():
        yield "Cold call prospects and open new accounts"
        raise RuntimeError("consumed too far")
    it = mini_model.score_many(gen())
    assert next(it).hunter_score > 0


def test_same_corpus_and_seed_give_same_scores(tmp_path):
    s = Settings(folds=2, min_df=1, max_df=1.0)
    from jdlens.train import train
    a = train(MINI_CORPUS, tmp_path / "a.joblib", s)
    b = train(MINI_CORPUS, tmp_path / "b.joblib", s)
    assert a["metrics_cross_validated"] == b["metrics_cross_validated"]
    ma, mb = load_model(tmp_path / "a.joblib"), load_model(tmp_path / "b.joblib")
    for t in ["Win new customers", "Renew and upsell existing accounts", "Fix support tickets"]:
        assert ma.score(t).logit == mb.score(t).logit


def test_core_imports_neither_sklearn_nor_ui(tmp_path):
    code = ("import sys, jdlens; m = jdlens.load_model(); r = m.score('Prospect new logos'); "
            "r.evidence; r.breakdown; r.signals; r.questions; r.to_dict(); "
            "bad = [x for x in ('sklearn', 'textual', 'rich') if x in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == "[]"


# -- loading safety ----------------------------------------------------------------------------
@pytest.fixture
def model_copy(tmp_path, mini_model_path):
    dst = tmp_path / "m.joblib"
    shutil.copy(mini_model_path, dst)
    shutil.copy(card_path_for(mini_model_path), card_path_for(dst))
    return dst


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no model file"):
        load_model(tmp_path / "nope.joblib")


def test_truncated_model_is_refused_before_unpickling(model_copy):
    data = model_copy.read_bytes()
    model_copy.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="checksum"):
        load_model(model_copy)


def test_corrupted_model_is_refused_and_warns_about_pickle(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[100] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="run code when loaded"):
        load_model(model_copy)


def test_model_file_that_references_code_is_refused(model_copy):
    import os
    import pickle
    import zlib
    evil = zlib.compress(pickle.dumps({"x": os.getcwd}))  # a global reference, even a harmless one
    model_copy.write_bytes(evil)
    card = json.loads(card_path_for(model_copy).read_text())
    from jdlens.model import sha256_bytes
    card["model"]["sha256"] = sha256_bytes(evil)
    card_path_for(model_copy).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="may not reference"):
        load_model(model_copy)


def test_missing_card_is_refused(model_copy):
    card_path_for(model_copy).unlink()
    with pytest.raises(ModelError, match="model card missing"):
        load_model(model_copy)


def test_incompatible_schema_is_refused(model_copy):
    bundle = from_plain(joblib.load(model_copy))  # the file is a standard joblib file
    bundle["schema"] = 999
    model_copy.write_bytes(dump_bundle(bundle))
    card = json.loads(card_path_for(model_copy).read_text())
    from jdlens.model import sha256_bytes
    card["model"]["sha256"] = sha256_bytes(model_copy.read_bytes())
    card_path_for(model_copy).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="schema 999"):
        load_model(model_copy)


def test_shipped_model_card_matches_and_model_is_small():
    card = json.loads((ROOT / "models" / "default.card.json").read_text())
    assert (ROOT / "models" / "default.joblib").stat().st_size < 5_000_000
    assert card["model"]["bytes"] == (ROOT / "models" / "default.joblib").stat().st_size
    for key in ("corpus", "settings", "metrics_cross_validated", "versions", "bands", "intended_use", "limitations"):
        assert key in card


@pytest.mark.parametrize("sales_model", ["nb", "logistic"])
def test_both_sales_models_compile_exactly(sales_model):
    posts = load_corpus(MINI_CORPUS)
    texts = [p.text for p in posts]
    s = Settings(min_df=1, max_df=1.0, sales_model=sales_model)
    f = fit(texts, [p.label for p in posts], [p.hunter_share for p in posts], s)
    lean = LeanModel.from_bundle(compile_bundle(f, s))
    expected = f.sales_logit(texts)
    for t, z in zip(texts, expected):
        assert abs(lean.score(t).sales_logit - z) < 1e-9

"""Training: fit scikit-learn models on the corpus, cross-validate honestly, compile a lean bundle.

This is the only module that imports scikit-learn; scoring never does.
Two logistic regressions share one tf-idf vocabulary:
- hunter: fitted on sales postings with a soft target (the hunter share), by giving each
  posting two weighted rows (target 1 with weight s, target 0 with weight 1 - s). Its
  probability is then an estimate of the share of new business, not only a class guess.
- sales: sales postings versus not_sales, a multinomial naive Bayes model on the same
  features (linear too: its log-odds are an intercept plus one weight per phrase). On real
  postings it separated sales from near-miss roles better than logistic regression
  (realdev ROC-AUC 0.95 vs 0.93), and keeps the corpus' share of sales postings as its prior.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import signal
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .corpus import atomic_write_bytes, corpus_hash, load_corpus
from .errors import JdlensError
from .metrics import LABEL_SHARE, evaluate
from .model import MODEL_FORMAT, SCHEMA_VERSION, TRUST_NOTE, LeanModel, card_path_for, dump_bundle, sha256_bytes
from .result import NOT_SALES, is_informative
from .text import model_text, tokenize

DEFAULT_BANDS = {"hunter_min": 0.65, "account_manager_max": 0.35, "sales_min": 0.5}


@dataclass(frozen=True)
class Settings:
    ngram_max: int = 2
    min_df: int = 2
    max_df: float = 0.9
    sublinear_tf: bool = True
    hunter_c: float = 8.0
    sales_c: float = 4.0
    cue_boost: float = 3.0   # scale of cue-phrase features before fitting (lexicon.py); 1 = no prior
    temperature: float = 3.0  # hunter logit multiplier after fitting (see `fit`)
    sales_model: str = "nb"  # "nb" (multinomial naive Bayes) or "logistic"
    sales_alpha: float = 0.03  # naive Bayes smoothing
    sales_class_weight: str | None = None  # logistic only; None keeps the corpus' share of sales postings
    folds: int = 5
    seed: int = 0


def make_vectorizer(s: Settings):
    from sklearn.feature_extraction.text import TfidfVectorizer
    return TfidfVectorizer(preprocessor=model_text, tokenizer=tokenize, token_pattern=None,
                           lowercase=False, ngram_range=(1, s.ngram_max), min_df=s.min_df,
                           max_df=s.max_df, sublinear_tf=s.sublinear_tf, norm="l2", dtype=np.float64)


def scale_columns(x, scale):
    """Multiply each feature column by its prior scale (a pipeline step; picklable)."""
    import scipy.sparse as sp
    return x @ sp.diags(scale)


@dataclass
class Fitted:
    """The scikit-learn side of a trained model: one vectorizer, a column scale, two classifiers."""
    vectorizer: object
    scale: np.ndarray
    hunter: object
    sales: object

    def _pipeline(self, clf):
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer
        scaler = FunctionTransformer(scale_columns, kw_args={"scale": self.scale}, accept_sparse=True)
        return Pipeline([("tfidf", self.vectorizer), ("prior", scaler), ("clf", clf)])

    def hunter_pipeline(self):
        return self._pipeline(self.hunter)

    def sales_pipeline(self):
        return self._pipeline(self.sales)

    def sales_logit(self, texts) -> np.ndarray:
        """The sales model's log-odds through the scikit-learn pipeline (to check the lean scorer)."""
        pipe = self.sales_pipeline()
        if hasattr(self.sales, "predict_joint_log_proba"):
            jll = self.sales.predict_joint_log_proba(pipe[:-1].transform(texts))
            return jll[:, 1] - jll[:, 0]
        return pipe.decision_function(texts)


def soft_targets(labels, shares) -> np.ndarray:
    return np.array([s if s is not None else LABEL_SHARE[l] for l, s in zip(labels, shares)], dtype=np.float64)


def fit(texts: list[str], labels: list[str], shares: list, s: Settings) -> Fitted:
    """Fit the vectorizer and both classifiers on the given postings (deterministic)."""
    from sklearn.linear_model import LogisticRegression
    vec = make_vectorizer(s)
    x = vec.fit_transform(texts)
    from .lexicon import is_cue
    scale = np.array([s.cue_boost if is_cue(t) else 1.0 for t in vec.get_feature_names_out()])
    x = scale_columns(x, scale).tocsr()
    lab = np.array(labels)
    is_sales = lab != NOT_SALES
    xs = x[np.nonzero(is_sales)[0]]
    t = soft_targets(lab[is_sales], [sh for sh, m in zip(shares, is_sales) if m])
    import scipy.sparse as sp
    xx = sp.vstack([xs, xs]).tocsr()
    yy = np.r_[np.ones(xs.shape[0]), np.zeros(xs.shape[0])]
    ww = np.r_[t, 1.0 - t]
    hunter = LogisticRegression(C=s.hunter_c, max_iter=5000, tol=1e-8)
    hunter.fit(xx, yy, sample_weight=ww)
    # Temperature: the corpus states each side plainly, real postings bury it, so a model fitted
    # here is too timid on real text (its scores bunch around the middle). Multiplying the
    # fitted logit by a constant keeps every ranking and every explanation exact.
    hunter.coef_ = hunter.coef_ * s.temperature
    hunter.intercept_ = hunter.intercept_ * s.temperature
    if s.sales_model == "nb":
        from sklearn.naive_bayes import MultinomialNB
        sales = MultinomialNB(alpha=s.sales_alpha)
    elif s.sales_model == "logistic":
        sales = LogisticRegression(C=s.sales_c, max_iter=5000, tol=1e-8, class_weight=s.sales_class_weight)
    else:
        raise JdlensError(f"unknown sales model {s.sales_model!r}; use nb or logistic")
    sales.fit(x, is_sales.astype(int))
    return Fitted(vec, scale, hunter, sales)


def compile_bundle(f: Fitted, s: Settings, extra: dict | None = None) -> dict:
    """Turn fitted scikit-learn objects into plain arrays the lean scorer reads."""
    vocab: dict[str, int] = f.vectorizer.vocabulary_
    n_feat = len(vocab)
    names = [""] * n_feat
    for term, j in vocab.items():
        names[j] = term
    tokens = sorted({tok for term in vocab for tok in term.split(" ")})
    tindex = {t: i for i, t in enumerate(tokens)}
    unigram = np.full(len(tokens), -1, dtype=np.int32)
    keys, feats = [], []
    for term, j in vocab.items():
        parts = term.split(" ")
        if len(parts) == 1:
            unigram[tindex[parts[0]]] = j
        elif len(parts) == 2:
            keys.append(tindex[parts[0]] * len(tokens) + tindex[parts[1]])
            feats.append(j)
        else:
            raise JdlensError(f"the lean scorer reads 1-2 grams; got {term!r}")
    order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
    if hasattr(f.sales, "feature_log_prob_"):  # naive Bayes: log-odds = prior + x . (log p1 - log p0)
        sales_coef = f.sales.feature_log_prob_[1] - f.sales.feature_log_prob_[0]
        sales_intercept = f.sales.class_log_prior_[1] - f.sales.class_log_prior_[0]
    else:
        sales_coef, sales_intercept = f.sales.coef_[0], f.sales.intercept_[0]
    import joblib
    import scipy
    import sklearn
    return {
        "format": MODEL_FORMAT,
        "schema": SCHEMA_VERSION,
        "tokens": tokens,
        "unigram_feature": unigram,
        "bigram_keys": np.array(keys, dtype=np.int64)[order],
        "bigram_feature": np.array(feats, dtype=np.int32)[order],
        "feature_names": names,
        "informative": np.array([is_informative(n) for n in names], dtype=bool),
        "idf": np.asarray(f.vectorizer.idf_, dtype=np.float64),
        # the column scale is folded into the coefficients: coef * (scale * x) == (coef * scale) * x
        "hunter_coef": np.asarray(f.hunter.coef_[0] * f.scale, dtype=np.float64),
        "hunter_intercept": float(f.hunter.intercept_[0]),
        "sales_coef": np.asarray(sales_coef * f.scale, dtype=np.float64),
        "sales_intercept": float(sales_intercept),
        "bands": dict(DEFAULT_BANDS),
        "settings": asdict(s),
        "versions": {"jdlens": __version__, "python": platform.python_version(), "numpy": np.__version__,
                     "scipy": scipy.__version__, "scikit-learn": sklearn.__version__, "joblib": joblib.__version__},
        **(extra or {}),
    }


def cross_validate(texts, labels, shares, s: Settings, progress=None) -> tuple[dict, np.ndarray, np.ndarray]:
    """Out-of-fold scores for every posting: each is scored by a model that never saw it."""
    from sklearn.model_selection import StratifiedKFold
    lab = np.array(labels)
    hunter = np.zeros(len(texts))
    sales = np.zeros(len(texts))
    folds = StratifiedKFold(n_splits=s.folds, shuffle=True, random_state=s.seed)
    for k, (tr, te) in enumerate(folds.split(texts, lab), start=1):
        if progress:
            progress(f"fold {k}/{s.folds}: fitting on {len(tr)}, scoring {len(te)}")
        f = fit([texts[i] for i in tr], list(lab[tr]), [shares[i] for i in tr], s)
        m = LeanModel.from_bundle(compile_bundle(f, s))
        for i in te:
            r = m.score(texts[i])
            hunter[i], sales[i] = r.hunter_score, r.sales_score
    from .result import label_for
    predicted = [label_for(h, q, DEFAULT_BANDS) for h, q in zip(hunter, sales)]
    return evaluate(labels, shares, hunter, sales, predicted, DEFAULT_BANDS), hunter, sales


def check_trainable(labels: list[str], folds: int, where) -> None:
    """Refuse, in plain words, a corpus the two models cannot learn from or cross-validate."""
    from collections import Counter

    from .errors import CorpusError
    from .result import LABELS
    counts = Counter(labels)
    if not any(counts[l] for l in LABELS if l != NOT_SALES) or not counts[NOT_SALES]:
        raise CorpusError(f"{where}: training needs sales postings and not_sales postings; found "
                          + ", ".join(f"{l} {counts[l]}" for l in LABELS))
    thin = [f"{l} has {counts[l]}" for l in LABELS if 0 < counts[l] < folds]
    if thin:
        raise CorpusError(f"{where}: {folds}-fold cross-validation needs at least {folds} postings of each label "
                          f"present, but {', '.join(thin)}; add postings or lower --folds")


INTENDED_USE = (
    "Estimate how much of a sales job posting is about winning new customers (hunting) versus "
    "keeping and growing existing ones (account management), and point at the phrases that say so. "
    "For job seekers reading a posting and recruiters sorting many; a reading aid, not a hiring decision."
)
LIMITATIONS = [
    "Trained on postings written by the jdlens team, in English; other languages get unreliable scores.",
    "It reads wording only: a posting that hides the real pay plan or territory cannot be read correctly.",
    "The hunter score is an estimate of the share of new business, calibrated on the corpus' hand-set shares.",
    "Sales leaders are scored by what the posting asks the team to do, which postings often leave vague.",
    "Scores are not probabilities of a hiring outcome and must not be used to judge people.",
]


def make_card(bundle: dict, model_bytes: bytes, model_file: str, corpus_dir: Path, postings, metrics: dict,
              seconds: float) -> dict:
    from collections import Counter
    return {
        "name": "jdlens hunter/account-manager model",
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "model": {"file": model_file, "sha256": sha256_bytes(model_bytes), "bytes": len(model_bytes),
                  "format": MODEL_FORMAT, "schema": SCHEMA_VERSION, "features": len(bundle["feature_names"])},
        "corpus": {"path": str(corpus_dir), "sha256": corpus_hash(corpus_dir), "postings": len(postings),
                   "labels": dict(Counter(p.label for p in postings))},
        "settings": bundle["settings"],
        "bands": bundle["bands"],
        "metrics_cross_validated": metrics,
        "training_seconds": round(seconds, 1),
        "versions": bundle["versions"],
        "intended_use": INTENDED_USE,
        "limitations": LIMITATIONS,
        "security": TRUST_NOTE,
    }


def card_markdown(card: dict) -> str:
    from .metrics import format_metrics
    m = card["metrics_cross_validated"]
    b = card["bands"]
    lines = [
        f"# Model card: {card['name']}", "",
        f"Created {card['created']} with jdlens {card['versions']['jdlens']}.", "",
        "## Intended use", "", card["intended_use"], "",
        "## Labels and bands", "",
        f"- `hunter`: hunter score >= {b['hunter_min']}",
        f"- `account_manager`: hunter score <= {b['account_manager_max']}",
        "- `hybrid`: in between",
        f"- `not_sales`: sales score < {b['sales_min']} (a separate classifier)", "",
        "## Data", "",
        f"- corpus: `{card['corpus']['path']}`, {card['corpus']['postings']} postings "
        + "(" + ", ".join(f"{k} {v}" for k, v in sorted(card['corpus']['labels'].items())) + ")",
        f"- corpus sha256: `{card['corpus']['sha256']}`", "",
        "## Settings", "", "```", json.dumps(card["settings"], indent=2), "```", "",
        f"## Cross-validated metrics ({card['settings']['folds']}-fold, seed {card['settings']['seed']})", "",
        "```", format_metrics(m), "```", "",
        *([f"## Development-set metrics (`{card['metrics_dev']['data']}`, never trained on)", "",
           "```", format_metrics(card["metrics_dev"]), "```", ""] if "metrics_dev" in card else []),
        "## Model file", "",
        f"- `{card['model']['file']}`: {card['model']['bytes']:,} bytes, {card['model']['features']:,} features",
        f"- sha256 `{card['model']['sha256']}`", "",
        "## Library versions", "",
        *[f"- {k} {v}" for k, v in card["versions"].items()], "",
        "## Limitations", "", *[f"- {x}" for x in card["limitations"]], "",
        "## Security", "", card["security"], "",
    ]
    return "\n".join(lines)


def train(corpus_dir: str | os.PathLike, out: str | os.PathLike, settings: Settings = Settings(),
          progress=None, dev: str | os.PathLike | None = None) -> dict:
    """Cross-validate, fit on everything, and write model + card atomically. Returns the card."""
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    out = Path(out)
    if out.suffix != ".joblib":
        raise JdlensError(f"{out}: model files end in .joblib")
    say(f"reading {corpus_dir}")
    postings = load_corpus(corpus_dir, warn=lambda m: say("warning: " + m))
    texts = [p.text for p in postings]
    labels = [p.label for p in postings]
    shares = [p.hunter_share for p in postings]
    say(f"{len(postings)} postings")
    check_trainable(labels, settings.folds, corpus_dir)
    metrics, _, _ = cross_validate(texts, labels, shares, settings, say)
    say("fitting the final model on all postings")
    fitted = fit(texts, labels, shares, settings)
    bundle = compile_bundle(fitted, settings)
    data = dump_bundle(bundle)
    card = make_card(bundle, data, out.name, corpus_dir, postings, metrics, time.perf_counter() - t0)
    if dev is not None:
        from .evaluate import evaluate_data
        say(f"measuring on the development set {dev} (never trained on)")
        dev_metrics, _ = evaluate_data(LeanModel.from_bundle(bundle), dev, warn=lambda m: say("warning: " + m))
        card["metrics_dev"] = {"data": str(dev), **dev_metrics}
    say(f"writing {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    card_json = (json.dumps(card, indent=2) + "\n").encode()
    card_md = card_markdown(card).encode()
    # model then its cards, with Ctrl-C held back so the pair is never left half-replaced
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if hasattr(signal, "pthread_sigmask") else None
    try:
        atomic_write_bytes(out, data)
        atomic_write_bytes(card_path_for(out), card_json)
        atomic_write_bytes(out.with_suffix(".card.md"), card_md)
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return card

"""The lean scorer: a trained model compiled to plain arrays, scored without scikit-learn.

Score of a posting (all exact, no sampling):
    x       = l2-normalized sublinear tf-idf of the word 1-2 grams of the normalized text
    logit   = intercept + sum_f coef[f] * x[f]          (each term is one feature's contribution)
    hunter  = 1 / (1 + exp(-logit))                       (already calibrated at training time)
    sales   = same, with the sales coefficients
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import pickle
import zlib
from itertools import repeat
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .errors import EmptyPostingError, ModelError
from .result import ScoreResult, is_informative, label_for
from .text import normalize, tokenize

MODEL_FORMAT = "jdlens-lean-model"
SCHEMA_VERSION = 1
TRUST_NOTE = (
    "Model files are joblib (pickle) files, which run code when loaded: "
    "load only models you made or trust."
)


def default_model_path() -> Path:
    """`$JDLENS_MODEL`, else the model shipped in the repository's or package's `models/`."""
    env = os.environ.get("JDLENS_MODEL")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "models" / "default.joblib", here / "models" / "default.joblib"):
        if candidate.exists():
            return candidate
    return here.parent / "models" / "default.joblib"


def card_path_for(model_path: Path) -> Path:
    """The JSON model card written beside a model: `default.joblib` -> `default.card.json`."""
    return model_path.with_suffix(".card.json")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LeanModel:
    """A compiled jdlens model. Build one with `load_model`, or `from_bundle` after training."""

    def __init__(self, bundle: dict, card: dict | None = None, path: Path | None = None):
        self.bundle = bundle
        self.card = card or {}
        self.path = path
        self.tokens: list[str] = bundle["tokens"]
        self.token_index = {t: i for i, t in enumerate(self.tokens)}
        self.n_tokens = len(self.tokens)
        self.unigram_feature = np.asarray(bundle["unigram_feature"], dtype=np.int64)
        self.bigram_keys = np.asarray(bundle["bigram_keys"], dtype=np.int64)
        self.bigram_feature = np.asarray(bundle["bigram_feature"], dtype=np.int64)
        self.feature_names: list[str] = bundle["feature_names"]
        self.idf = np.asarray(bundle["idf"], dtype=np.float64)
        self.hunter_coef = np.asarray(bundle["hunter_coef"], dtype=np.float64)
        self.hunter_intercept = float(bundle["hunter_intercept"])
        self.sales_coef = np.asarray(bundle["sales_coef"], dtype=np.float64)
        self.sales_intercept = float(bundle["sales_intercept"])
        self.bands: dict = dict(bundle["bands"])
        informative = bundle.get("informative")
        self._informative = np.asarray(informative, dtype=bool) if informative is not None else None

    @classmethod
    def from_bundle(cls, bundle: dict, card: dict | None = None) -> "LeanModel":
        _check_bundle(bundle, "<in memory>")
        return cls(bundle, card)

    # -- features ---------------------------------------------------------------------------
    def features(self, text: str):
        """Feature occurrences of normalized `text`.

        Returns (number of tokens, occurrence feature ids, occurrence first-token index,
        occurrence n-gram length). Unknown words simply have no feature. Token offsets are
        not needed to score, so they are computed later, only if evidence is asked for.
        """
        toks = tokenize(text)
        ids = np.fromiter(map(self.token_index.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
        known = ids >= 0
        uni = np.full(len(ids), -1, dtype=np.int64)
        uni[known] = self.unigram_feature[ids[known]]
        if len(ids) > 1 and len(self.bigram_keys):
            a, b = ids[:-1], ids[1:]
            valid = np.nonzero((a >= 0) & (b >= 0))[0]
            keys = a[valid] * self.n_tokens + b[valid]
            pos = np.searchsorted(self.bigram_keys, keys)
            pos[pos >= len(self.bigram_keys)] = 0
            match = self.bigram_keys[pos] == keys
            bi = np.full(len(ids) - 1, -1, dtype=np.int64)
            bi[valid[match]] = self.bigram_feature[pos[match]]
        else:
            bi = np.empty(0, dtype=np.int64)
        ui = np.nonzero(uni >= 0)[0]
        bidx = np.nonzero(bi >= 0)[0]
        occ_feat = np.concatenate([uni[ui], bi[bidx]])
        occ_tok = np.concatenate([ui, bidx])
        occ_len = np.concatenate([np.ones(len(ui), np.int64), np.full(len(bidx), 2, np.int64)])
        return len(toks), occ_feat, occ_tok, occ_len

    def vectorize(self, occ_feat: np.ndarray):
        """Unique features present and their tf-idf values (same as the training vectorizer)."""
        feats, counts = np.unique(occ_feat, return_counts=True)
        x = (1.0 + np.log(counts)) * self.idf[feats]
        norm = math.sqrt(float(np.dot(x, x)))
        if norm > 0:
            x = x / norm
        return feats, counts, x

    # -- scoring ----------------------------------------------------------------------------
    def score(self, text: str, *, id: str | None = None) -> ScoreResult:
        """Score one posting. Raises EmptyPostingError for empty or whitespace-only text."""
        if not isinstance(text, str):
            raise TypeError(f"a posting must be str, not {type(text).__name__}")
        norm = normalize(text)
        if not norm.text.strip():
            raise EmptyPostingError("the posting is empty (nothing but whitespace or markup)")
        n_tok, occ_feat, occ_tok, occ_len = self.features(norm.text)
        feats, counts, x = self.vectorize(occ_feat)
        contrib = self.hunter_coef[feats] * x
        logit = self.hunter_intercept + float(np.dot(self.hunter_coef[feats], x))
        sales_logit = self.sales_intercept + float(np.dot(self.sales_coef[feats], x))
        hunter = _sigmoid(logit)
        sales = _sigmoid(sales_logit)
        return ScoreResult(
            model=self, norm=norm, id=id, hunter_score=hunter, sales_score=sales,
            label=label_for(hunter, sales, self.bands), logit=logit,
            intercept=self.hunter_intercept, sales_logit=sales_logit,
            feats=feats, counts=counts, x=x, contrib=contrib,
            n_tok=n_tok, occ_feat=occ_feat, occ_tok=occ_tok, occ_len=occ_len,
        )

    def score_many(self, texts: Iterable[str]) -> Iterator[ScoreResult]:
        """Score postings lazily, one at a time, in order (memory stays flat)."""
        for t in texts:
            yield self.score(t)

    @property
    def informative(self) -> np.ndarray:
        """Which features are worth showing a reader (see result.is_informative); stored in the
        model at training time, computed here once for models that lack it."""
        if self._informative is None:
            self._informative = np.array([is_informative(n) for n in self.feature_names], dtype=bool)
        return self._informative

    def info(self) -> dict:
        return self.card


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _check_bundle(bundle, where: str) -> None:
    if not isinstance(bundle, dict) or bundle.get("format") != MODEL_FORMAT:
        raise ModelError(f"{where}: not a jdlens model file")
    if bundle.get("schema") != SCHEMA_VERSION:
        raise ModelError(
            f"{where}: model schema {bundle.get('schema')} but this jdlens reads schema {SCHEMA_VERSION}; "
            "retrain with `jdlens train`")
    made_np = str(bundle.get("versions", {}).get("numpy", "0")).split(".")[0]
    if made_np != np.__version__.split(".")[0]:
        raise ModelError(
            f"{where}: made with numpy {bundle['versions']['numpy']}, running numpy {np.__version__}; "
            "retrain with `jdlens train` or install a matching numpy")


# -- file format ------------------------------------------------------------------------------
# A model file is written by joblib.dump with zlib compression, and the bundle inside holds only
# builtins: numpy arrays are stored as {"__ndarray__": dtype, "shape": ..., "data": bytes}.
# So joblib.load can read it, and so can the fast path below (zlib + a pickle reader that
# refuses every global), which skips importing joblib (~70 ms) and runs no code from the file.
class _BuiltinsOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"model files may not reference {module}.{name}")


def to_plain(bundle: dict) -> dict:
    """Replace numpy arrays by plain dicts of bytes, so the pickle needs no imports."""
    out = {}
    for k, v in bundle.items():
        if isinstance(v, np.ndarray):
            a = np.ascontiguousarray(v)
            out[k] = {"__ndarray__": a.dtype.str, "shape": list(a.shape), "data": a.tobytes()}
        else:
            out[k] = v
    return out


def from_plain(bundle: dict) -> dict:
    out = {}
    for k, v in bundle.items():
        if isinstance(v, dict) and "__ndarray__" in v:
            out[k] = np.frombuffer(v["data"], dtype=np.dtype(v["__ndarray__"])).reshape(v["shape"])
        else:
            out[k] = v
    return out


def dump_bundle(bundle: dict) -> bytes:
    """The bytes of a model file (joblib, zlib-compressed)."""
    import joblib
    buf = io.BytesIO()
    joblib.dump(to_plain(bundle), buf, compress=("zlib", 3))
    return buf.getvalue()


def parse_bundle(data: bytes, where: str) -> dict:
    try:
        raw = zlib.decompress(data)
        plain = _BuiltinsOnlyUnpickler(io.BytesIO(raw)).load()
    except Exception as e:  # noqa: BLE001 - any failure here means a bad or foreign file
        raise ModelError(f"{where}: cannot unpack model ({type(e).__name__}: {e}); {TRUST_NOTE}") from None
    if not isinstance(plain, dict):
        raise ModelError(f"{where}: not a jdlens model file")
    return from_plain(plain)


def read_card(model_path: Path) -> dict:
    cp = card_path_for(model_path)
    try:
        return json.loads(cp.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{cp}: model card missing; it holds the checksum that proves {model_path.name} is intact") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelError(f"{cp}: unreadable model card ({e})") from None


def load_model(path: str | os.PathLike | None = None) -> LeanModel:
    """Load the shipped model (or the one at `path`), verifying its checksum first.

    The checksum is checked BEFORE unpacking, so a truncated or altered file is refused, and
    the unpacker accepts only builtins. Still: """ + TRUST_NOTE
    p = Path(path) if path is not None else default_model_path()
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{p}: no model file here; train one with `jdlens train` or pass --model") from None
    except OSError as e:
        raise ModelError(f"{p}: cannot read model ({e.strerror})") from None
    card = read_card(p)
    expected = card.get("model", {}).get("sha256")
    if expected != sha256_bytes(data):
        raise ModelError(
            f"{p}: checksum does not match its model card (truncated, corrupted or replaced); "
            f"retrain with `jdlens train` or restore the file. {TRUST_NOTE}")
    bundle = parse_bundle(data, str(p))
    _check_bundle(bundle, str(p))
    return LeanModel(bundle, card, p)

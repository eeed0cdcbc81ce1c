"""The labeled corpus: reading it for training and checking it before it is trusted.

Layout: `<root>/<label>/<name>.(txt|md|html)`, one posting per file, plus `<root>/index.csv`
with one metadata row per file (see corpus/README.md).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .result import LABELS, NOT_SALES
from .text import normalize

EXTENSIONS = (".txt", ".md", ".html")
INDEX_COLUMNS = ["path", "label", "hunter_share", "industry", "region", "seniority", "format", "twist", "title"]
NEAR_DUPLICATE_THRESHOLD = 0.5


@dataclass
class CorpusPosting:
    path: str                 # relative to the corpus root, with forward slashes
    label: str
    text: str
    hunter_share: float | None = None   # in [0, 1]
    meta: dict = field(default_factory=dict)


def _rel(p: Path, root: Path) -> str:
    return p.relative_to(root).as_posix()


def posting_files(root: Path) -> list[Path]:
    """Every posting file under the label folders, sorted for determinism."""
    return sorted(p for label in LABELS if (root / label).is_dir()
                  for p in (root / label).rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)


def read_index(root: Path) -> dict[str, dict]:
    """index.csv rows keyed by path; {} if the file is absent."""
    p = root / "index.csv"
    if not p.exists():
        return {}
    with p.open(encoding="utf-8-sig", newline="") as fh:
        return {row["path"].strip(): row for row in csv.DictReader(fh) if row.get("path")}


def parse_share(raw: str | None, where: str) -> float | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        v = float(raw)
    except ValueError:
        raise CorpusError(f"{where}: hunter_share {raw!r} is not a number") from None
    if not 0 <= v <= 100:
        raise CorpusError(f"{where}: hunter_share {v} is outside 0-100")
    return v / 100.0


def load_corpus(root: str | os.PathLike, *, warn=None) -> list[CorpusPosting]:
    """Read every posting; unreadable files are reported through `warn` and skipped."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"{root}: no such corpus folder")
    index = read_index(root)
    out = []
    for p in posting_files(root):
        rel = _rel(p, root)
        label = rel.split("/", 1)[0]
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as e:
            if warn:
                warn(f"{p}: skipped, cannot read as UTF-8 ({e.__class__.__name__})")
            continue
        if not text.strip():
            if warn:
                warn(f"{p}: skipped, empty file")
            continue
        row = index.get(rel, {})
        try:
            share = parse_share(row.get("hunter_share"), f"{root / 'index.csv'} row {rel}")
        except CorpusError as e:
            if warn:
                warn(str(e))
            share = None
        if label == NOT_SALES:
            share = None
        out.append(CorpusPosting(rel, label, text, share, row))
    if not out:
        raise CorpusError(f"{root}: no postings found under {', '.join(LABELS)}")
    return out


def corpus_hash(root: str | os.PathLike) -> str:
    """SHA-256 over every posting's path and bytes, and index.csv: what the model learned from."""
    root = Path(root)
    h = hashlib.sha256()
    files = posting_files(root) + ([root / "index.csv"] if (root / "index.csv").exists() else [])
    for p in files:
        h.update(_rel(p, root).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# -- check ---------------------------------------------------------------------------------
@dataclass
class CheckReport:
    errors: list[str]
    summary: dict

    @property
    def ok(self) -> bool:
        return not self.errors


def near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE_THRESHOLD
                    ) -> tuple[list[tuple[int, int, float]], tuple[int, int, float] | None]:
    """Pairs (i, j, cosine) of TF-IDF word 1-2 gram vectors above `threshold`, most similar
    first, and the most similar pair of all (to show the margin), or None."""
    if len(texts) < 2:
        return [], None
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer  # maintainer command only

    from .text import tokenize
    vec = TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, ngram_range=(1, 2))
    x = vec.fit_transform(texts)
    sim = (x @ x.T).tocoo()
    upper = sim.row < sim.col
    closest = None
    if upper.any():
        k = int(np.argmax(np.where(upper, sim.data, -1.0)))
        closest = (int(sim.row[k]), int(sim.col[k]), float(sim.data[k]))
    pairs = [(int(i), int(j), float(v)) for i, j, v in zip(sim.row, sim.col, sim.data) if i < j and v > threshold]
    return sorted(pairs, key=lambda t: -t[2]), closest


def check_corpus(root: str | os.PathLike, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> CheckReport:
    """Validate layout, files, index and near-duplicates; never stops at the first problem."""
    root = Path(root)
    errors: list[str] = []
    if not root.is_dir():
        return CheckReport([f"{root}: no such corpus folder"], {})
    for d in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if d.name not in LABELS:
            errors.append(f"{d}: unknown label folder (expected one of {', '.join(LABELS)})")
    for label in LABELS:
        if (root / label).is_dir():
            for p in sorted((root / label).rglob("*")):
                if p.is_file() and p.suffix.lower() not in EXTENSIONS and not p.name.startswith("."):
                    errors.append(f"{p}: unsupported file type (use {', '.join(EXTENSIONS)})")
    index_path = root / "index.csv"
    index: dict[str, dict] = {}
    if not index_path.exists():
        errors.append(f"{index_path}: missing")
    else:
        with index_path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing_cols = [c for c in ("path", "label") if c not in (reader.fieldnames or [])]
            if missing_cols:
                errors.append(f"{index_path}: missing column(s) {', '.join(missing_cols)}")
            else:
                for n, row in enumerate(reader, start=2):
                    path = (row.get("path") or "").strip()
                    if path in index:
                        errors.append(f"{index_path} line {n}: {path} listed twice")
                    index[path] = row
                    if row.get("label") and path.split("/", 1)[0] != row["label"]:
                        errors.append(f"{index_path} line {n}: label {row['label']!r} but file is in {path.split('/', 1)[0]}/")
                    try:
                        parse_share(row.get("hunter_share"), f"{index_path} line {n}")
                    except CorpusError as e:
                        errors.append(str(e))
    files = posting_files(root)
    rels = [_rel(p, root) for p in files]
    texts, kept = [], []
    words: list[int] = []
    for p, rel in zip(files, rels):
        try:
            raw = p.read_bytes()
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{p}: not UTF-8 (byte {e.start})")
            continue
        if not text.strip() or not normalize(text).text.strip():
            errors.append(f"{p}: empty")
            continue
        if "\x00" in text:
            errors.append(f"{p}: binary content (NUL bytes)")
            continue
        plain = normalize(text).text
        texts.append(plain)
        kept.append(rel)
        words.append(len(plain.split()))
    if index_path.exists():
        for rel in rels:
            if rel not in index:
                errors.append(f"{root / rel}: not listed in index.csv")
        for rel in sorted(set(index) - set(rels)):
            errors.append(f"{index_path}: lists {rel}, which does not exist")
    pairs, closest = near_duplicates(texts, threshold)
    for i, j, v in pairs:
        errors.append(f"{root / kept[i]}: near-duplicate of {kept[j]} (cosine {v:.2f} > {threshold})")
    summary = _summary(rels, kept, words, index)
    if closest:
        i, j, v = closest
        summary["closest_pair"] = {"cosine": round(v, 3), "a": kept[i], "b": kept[j], "threshold": threshold}
    return CheckReport(errors, summary)


def _summary(rels: list[str], kept: list[str], words: list[int], index: dict) -> dict:
    from collections import Counter

    import numpy as np
    counts = Counter(r.split("/", 1)[0] for r in rels)
    s: dict = {"files": len(rels), "labels": {l: counts.get(l, 0) for l in LABELS}}
    for col in ("industry", "region", "seniority", "format"):
        s[col] = dict(Counter((index.get(r, {}).get(col) or "?").strip() for r in rels).most_common())
    twists = Counter()
    for r in rels:
        for t in (index.get(r, {}).get("twist") or "").split(";"):
            if t.strip() and t.strip() != "none":
                twists[t.strip()] += 1
    s["twist"] = dict(twists.most_common())
    if words:
        pct = np.percentile(words, [0, 10, 50, 90, 100])
        s["words_percentiles"] = {k: int(v) for k, v in zip(("min", "p10", "median", "p90", "max"), pct)}
    return s


def format_summary(s: dict) -> str:
    lines = [f"{s.get('files', 0)} postings: " + ", ".join(f"{k} {v}" for k, v in s.get("labels", {}).items())]
    for col in ("industry", "region", "seniority", "format", "twist"):
        d = s.get(col, {})
        lines.append(f"{col} ({len(d)}): " + ", ".join(f"{k} {v}" for k, v in d.items()))
    if "closest_pair" in s:
        c = s["closest_pair"]
        lines.append(f"most similar pair: cosine {c['cosine']:.2f} ({c['a']}, {c['b']}); near-duplicate above {c['threshold']}")
    if "words_percentiles" in s:
        lines.append("length in words: " + ", ".join(f"{k} {v}" for k, v in s["words_percentiles"].items()))
    return "\n".join(lines)


# -- adding postings -------------------------------------------------------------------------
def add_posting(root: str | os.PathLike, label: str, text: str, meta: dict | None = None,
                *, stem: str = "user", ext: str = ".txt") -> Path:
    """Save a labeled posting as a NEW file and append its index.csv row; never overwrites.

    The file is created with O_EXCL and index.csv is rewritten atomically (temp file + rename).
    """
    if label not in LABELS:
        raise CorpusError(f"unknown label {label!r}; use one of {', '.join(LABELS)}")
    if not text.strip():
        raise CorpusError("refusing to save an empty posting")
    root = Path(root)
    folder = root / label
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / f"{stem}-{n:04d}{ext}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            n += 1
            continue
        break
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    rel = _rel(path, root)
    row = {c: "" for c in INDEX_COLUMNS}
    row.update({k: str(v).replace(",", " ") for k, v in (meta or {}).items() if k in INDEX_COLUMNS})
    row["path"], row["label"] = rel, label
    index_path = root / "index.csv"
    existing = index_path.read_text(encoding="utf-8-sig") if index_path.exists() else ""
    buf = io.StringIO()
    if not existing:
        csv.writer(buf, lineterminator="\n").writerow(INDEX_COLUMNS)
        header = INDEX_COLUMNS
    else:
        header = next(csv.reader(io.StringIO(existing)))
        buf.write(existing if existing.endswith("\n") else existing + "\n")
    csv.writer(buf, lineterminator="\n").writerow([row.get(c, "") for c in header])
    atomic_write_bytes(index_path, buf.getvalue().encode("utf-8"))
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it: all or nothing."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

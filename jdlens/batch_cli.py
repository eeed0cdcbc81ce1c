"""`jdlens score`: the command-line layer over jdlens.batch (options, output formats, progress, summary)."""
from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from .batch import (DEFAULT_MAX_CHARS, EXPLAIN_FIELDS, FIELDS, FORMATS, Options, Problem, Progress, expand_inputs,
                    read_items, record_line, score_stream)
from .errors import InputError
from .result import LABELS

OUT_FORMATS = ("table", "csv", "tsv", "jsonl", "json")


def add_score_parser(sub) -> None:
    sp = sub.add_parser(
        "score", help="score many postings from files, folders, CSV or JSON Lines",
        description="Score postings in batch. INPUT is a file, folder (recursive), glob pattern, or - for stdin; "
                    "text/Markdown/HTML files hold one posting, CSV/TSV one per row, JSON Lines one per line.")
    sp.add_argument("inputs", nargs="+", metavar="INPUT")
    sp.add_argument("--format", choices=OUT_FORMATS, default=None,
                    help="output format (default: table on a terminal, jsonl when piped)")
    sp.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    sp.add_argument("--input-format", choices=FORMATS, default="auto", help="force the input format (default: sniff)")
    sp.add_argument("--encoding", default="utf-8-sig", help="input encoding (default utf-8-sig)")
    sp.add_argument("--text-column", "--text-field", dest="text_column", metavar="NAME",
                    help="CSV column or JSON field holding the posting (default: description, text, ...)")
    sp.add_argument("--id-column", "--id-field", dest="id_column", metavar="NAME", help="column or field used as id")
    sp.add_argument("--explain", action="store_true", help="add evidence with offsets, breakdown, signals, questions")
    sp.add_argument("--top", type=int, default=5, metavar="N", help="phrases per side (default 5)")
    sp.add_argument("--label", action="append", metavar="LABEL",
                    help="keep only these labels (repeat or comma-separate): " + ", ".join(LABELS))
    sp.add_argument("--min-score", type=float, metavar="X", help="keep hunter_score >= X")
    sp.add_argument("--max-score", type=float, metavar="X", help="keep hunter_score <= X")
    sp.add_argument("--sort", choices=["hunter", "account_manager"],
                    help="rank output: most hunter first, or most account manager first (holds results, not texts, in memory)")
    sp.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    sp.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="skip postings longer than this")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary on stderr")
    sp.add_argument("--model", metavar="PATH", help="model file (default: the shipped model, or $JDLENS_MODEL)")
    sp.set_defaults(func=cmd_score)


def _usage(msg: str) -> int:
    print(f"jdlens score: {msg}", file=sys.stderr)
    return 2


def cmd_score(a) -> int:
    labels = None
    if a.label:
        labels = {x.strip() for v in a.label for x in v.split(",") if x.strip()}
        unknown = labels - set(LABELS)
        if unknown:
            return _usage(f"unknown label(s) {', '.join(sorted(unknown))}; use {', '.join(LABELS)}")
    if a.min_score is not None and a.max_score is not None and a.min_score > a.max_score:
        return _usage(f"--min-score {a.min_score} is above --max-score {a.max_score}")
    if a.top < 0 or a.jobs < 1 or a.max_chars < 1:
        return _usage("--top must be >= 0, --jobs and --max-chars >= 1")
    import codecs
    try:
        codecs.lookup(a.encoding)
    except LookupError:
        return _usage(f"unknown encoding {a.encoding!r}")
    if a.inputs.count("-") > 1:
        return _usage("stdin (-) can be read only once")
    try:
        paths = expand_inputs(a.inputs)
    except InputError as e:
        return _usage(str(e))
    out_path = Path(a.output) if a.output else None
    if out_path is not None:
        resolved = {Path(p).resolve() for p in paths if p != "-"}
        if out_path.resolve() in resolved:
            return _usage(f"-o {a.output} is one of the inputs; refusing to overwrite it")
        if out_path.is_dir():
            return _usage(f"-o {a.output} is a folder")
    fmt = a.format or (_guess_format(out_path) if out_path else ("table" if sys.stdout.isatty() else "jsonl"))

    from .model import load_model
    model = load_model(a.model)
    opt = Options(a.input_format, a.encoding, a.text_column, a.id_column, a.max_chars)
    real_files = [p for p in paths if p != "-"]
    progress = Progress(sum(os.path.getsize(p) for p in real_files)) if real_files else None
    show_progress = bool(progress) and not a.quiet and sys.stderr.isatty()
    jobs = min(a.jobs, 64)
    stream = score_stream(read_items(paths, opt, progress, defer=jobs > 1), model, top=a.top, explain=a.explain,
                          jobs=jobs, fmt=fmt if fmt in ("jsonl", "csv", "tsv") and not a.sort else None,
                          keep_record=fmt in ("table", "json") or bool(a.sort))

    counts: Counter = Counter()
    skipped: Counter = Counter()
    scores: list[float] = []
    t0 = time.perf_counter()
    bar = _Bar(progress, t0) if show_progress else None

    def kept(x) -> bool:
        if labels and x.label not in labels:
            return False
        if a.min_score is not None and x.hunter_score < a.min_score:
            return False
        if a.max_score is not None and x.hunter_score > a.max_score:
            return False
        return True

    def records():
        n = 0
        for x in stream:
            n += 1
            if isinstance(x, Problem):
                skipped[x.reason] += 1
                if bar:
                    bar.clear()
                print(x.message, file=sys.stderr)
            else:
                counts[x.label] += 1
                scores.append(x.hunter_score)
                if kept(x):
                    yield x
            if bar and n % 50 == 0:
                bar.draw(n)

    recs = records()
    if a.sort:
        recs = iter(sorted(recs, key=lambda x: x.hunter_score, reverse=a.sort == "hunter"))
    writer = _Writer(fmt, a.explain)
    try:
        if out_path:
            import tempfile
            fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent or ".")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    writer.write_all(recs, fh)
                os.replace(tmp, out_path)
            except BaseException:
                os.unlink(tmp)
                raise
        else:
            writer.write_all(recs, sys.stdout)
            sys.stdout.flush()
    finally:
        if bar:
            bar.clear()
    elapsed = time.perf_counter() - t0
    if not a.quiet:
        _summary(sum(counts.values()), skipped, counts, scores, elapsed, sys.stderr.isatty())
    return 1 if skipped else 0


def _guess_format(p: Path) -> str:
    return {".csv": "csv", ".tsv": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(p.suffix.lower(), "jsonl")


class _Writer:
    """Streams records in one of the output formats."""

    def __init__(self, fmt: str, explain: bool):
        self.fmt, self.explain = fmt, explain

    def write_all(self, scored, fh) -> None:
        getattr(self, f"_{self.fmt}")(scored, fh)

    def _lines(self, scored, fh):
        """Line formats: use the line a worker already wrote, else write it here."""
        for x in scored:
            fh.write(x.line if x.line is not None else record_line(x.record, self.fmt, self.explain))

    def _jsonl(self, scored, fh):
        self._lines(scored, fh)

    def _json(self, scored, fh):
        fh.write("[")
        for i, x in enumerate(scored):
            fh.write(("," if i else "") + "\n  " + json.dumps(x.record, ensure_ascii=False))
        fh.write("\n]\n")

    def _csv(self, scored, fh, delimiter=","):
        extra = list(EXPLAIN_FIELDS) if self.explain else []
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerow(list(FIELDS) + extra)
        self._lines(scored, fh)

    def _tsv(self, scored, fh):
        self._csv(scored, fh, "\t")

    def _table(self, scored, fh):
        width = os.get_terminal_size(fh.fileno()).columns if fh.isatty() else 120
        phrase_w = max(12, (width - 62) // 2)
        fh.write(f"{'id':<28} {'hunter':>6} {'label':<15} {'sales':>5}  {'top hunting phrases':<{phrase_w}} {'top account phrases':<{phrase_w}}\n")
        fh.write("-" * min(width, 62 + 2 * phrase_w) + "\n")
        for x in scored:
            r = x.record
            rid = str(r["id"])
            rid = rid if len(rid) <= 28 else "\u2026" + rid[-27:]
            h = ", ".join(r["top_hunter_phrases"][:3])[:phrase_w]
            f = ", ".join(r["top_account_phrases"][:3])[:phrase_w]
            fh.write(f"{rid:<28} {r['hunter_score']:>6.2f} {r['label']:<15} {r['sales_score']:>5.2f}  {h:<{phrase_w}} {f:<{phrase_w}}\n")
            fh.flush()


class _Bar:
    """A one-line progress bar on stderr: postings done, rate, and time left by bytes read."""

    def __init__(self, progress: Progress, t0: float):
        self.p, self.t0, self.shown = progress, t0, False

    def draw(self, n: int) -> None:
        el = time.perf_counter() - self.t0
        frac = min(1.0, self.p.done / self.p.total) if self.p.total else 0.0
        rate = n / el if el > 0 else 0.0
        left = (el / frac - el) if frac > 0.01 else None
        filled = int(frac * 24)
        eta = f"{left:,.0f}s left" if left is not None else "estimating"
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (24 - filled)}] {frac:4.0%}  {n:,} postings  {rate:,.0f}/s  {eta}   ")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


def _summary(scored: int, skipped: Counter, counts: Counter, scores: list[float], elapsed: float, tty: bool) -> None:
    err = sys.stderr
    rate = scored / elapsed if elapsed > 0 else 0.0
    err.write(f"scored {scored:,} in {elapsed:.1f}s ({rate:,.0f}/s)")
    err.write(f"; skipped {sum(skipped.values()):,} (" + ", ".join(f"{k} {v}" for k, v in skipped.most_common()) + ")"
              if skipped else "; skipped 0")
    err.write("\n")
    if counts:
        err.write("labels: " + ", ".join(f"{l} {counts[l]:,}" for l in LABELS if counts[l]) + "\n")
    if tty and scores:
        from .metrics import histogram
        h = histogram(scores)
        peak = max(h) or 1
        err.write("hunter score histogram:\n")
        for i, c in enumerate(h):
            err.write(f"  {i / 10:.1f}-{(i + 1) / 10:.1f} {'#' * round(c / peak * 30)} {c:,}\n")

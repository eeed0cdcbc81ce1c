"""Batch scoring: read postings from files, folders, globs, CSV/TSV, JSON Lines or JSON arrays,
score them in order with bounded memory (optionally over several processes), and write records.

No UI imports: the `jdlens score` command (batch_cli.py) is a thin layer over this module.
Every input problem becomes a `Problem` carrying a one-line message that names the file and
row or line; the run goes on.
"""
from __future__ import annotations

import csv
import glob
import io
import json
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import EmptyPostingError, InputError

TEXT_EXTS = {".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", ".html": "text", ".htm": "text"}
DATA_EXTS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
FORMATS = ("auto", "text", "csv", "tsv", "jsonl", "json")
TEXT_NAMES = ("description", "text", "job_description", "jobdescription", "posting", "body", "content",
              "job_text", "description_text", "details")
ID_NAMES = ("id", "job_id", "jobid", "posting_id", "uid", "key")
TITLE_NAMES = ("title", "job_title", "jobtitle", "position")
DEFAULT_MAX_CHARS = 1_000_000
FIELDS = ("id", "hunter_score", "label", "sales_score", "top_hunter_phrases", "top_account_phrases", "source")


@dataclass
class Item:
    id: str
    text: str
    source: str


@dataclass
class Problem:
    source: str
    reason: str      # short key for the summary: "undecodable", "malformed JSON", ...
    message: str     # the one line shown on stderr


@dataclass
class Options:
    input_format: str = "auto"
    encoding: str = "utf-8-sig"
    text_column: str | None = None
    id_column: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS


class Progress:
    """Bytes read so far out of the known total, over all input files (one reader writes, the
    progress bar reads)."""

    def __init__(self, total_bytes: int):
        self.total = total_bytes
        self.done = 0
        self._finished = 0   # bytes of the files already read to the end

    def at(self, fh) -> None:
        """The reader is at fh.tell() within the current file."""
        try:
            self.done = self._finished + fh.tell()
        except (OSError, ValueError):
            pass

    def file_done(self, size: int) -> None:
        self._finished += size
        self.done = self._finished


# -- discovering inputs ---------------------------------------------------------------------------
def expand_inputs(args: list[str]) -> list[str]:
    """Paths, folders (recursive, by extension), globs and `-`, in the order given.

    Raises InputError (misuse) for a path that matches nothing."""
    out: list[str] = []
    for a in args:
        if a == "-":
            out.append(a)
            continue
        p = Path(a)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in {**TEXT_EXTS, **DATA_EXTS}
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            out.extend(found)
        elif p.exists():
            out.append(a)
        elif any(c in a for c in "*?["):
            matches = sorted(m for m in glob.glob(a, recursive=True) if Path(m).is_file())
            if not matches:
                raise InputError(f"{a}: the pattern matches no file")
            out.extend(matches)
        else:
            raise InputError(f"{a}: no such file or folder")
    return out


def sniff_format(name: str, head: bytes) -> str:
    """Format from the extension, else from the first bytes."""
    ext = Path(name).suffix.lower() if name != "-" else ""
    if ext in TEXT_EXTS:
        return "text"
    if ext in DATA_EXTS:
        return DATA_EXTS[ext]
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"["):
        return "json"
    if s.startswith(b"{"):
        return "jsonl"
    first = s.split(b"\n", 1)[0].lower()
    if b"<" not in first:
        for sep, fmt in ((b"\t", "tsv"), (b",", "csv")):
            cols = [c.strip(b' "') for c in first.split(sep)]
            if len(cols) > 1 and any(c.decode("latin-1") in TEXT_NAMES for c in cols):
                return fmt
    return "text"


def _pick(columns: list[str], wanted: str | None, names: tuple[str, ...]) -> str | None:
    if wanted is not None:
        return wanted if wanted in columns else None
    lower = {c.lower().strip(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


# -- reading ---------------------------------------------------------------------------------------
def read_items(paths: list[str], opt: Options, progress: Progress | None = None,
               stdin: io.BufferedReader | None = None, defer: bool = False) -> Iterator[Item | Problem]:
    """Every posting of every input, in order, as Items or Problems; never raises on bad data.

    With `defer`, JSON Lines come as RawLine objects, to be parsed where they are scored."""
    for name in paths:
        yield from _read_one(name, opt, progress, stdin, defer)


def _read_one(name: str, opt: Options, progress, stdin, defer: bool = False) -> Iterator[Item | Problem]:
    label = "<stdin>" if name == "-" else name
    if name == "-":
        progress = None  # its size is unknown
    try:
        fh = (stdin or sys.stdin.buffer) if name == "-" else open(name, "rb")
    except OSError as e:
        yield Problem(label, "unreadable", f"{label}: cannot open ({e.strerror})")
        return
    try:
        head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
        fmt = opt.input_format if opt.input_format != "auto" else sniff_format(name, head)
        if fmt == "text":
            yield from _read_text(fh, label, opt)
        elif fmt in ("csv", "tsv"):
            yield from _read_csv(fh, label, opt, "\t" if fmt == "tsv" else ",", progress)
        elif fmt == "jsonl":
            yield from _read_jsonl(fh, label, opt, progress, defer)
        else:
            yield from _read_json(fh, label, opt)
    finally:
        if name != "-":
            fh.close()
            if progress is not None:
                progress.file_done(os.path.getsize(name))


def _check_text(text, where: str, opt: Options) -> Problem | None:
    if not isinstance(text, str):
        return Problem(where, "no text", f"{where}: text is {type(text).__name__}, not a string")
    if not text.strip():
        return Problem(where, "empty text", f"{where}: empty text")
    if len(text) > opt.max_chars:
        return Problem(where, "too long", f"{where}: {len(text):,} characters, over the limit of {opt.max_chars:,} (see --max-chars)")
    return None


def decode_posting(data: bytes, where: str, encoding: str) -> str:
    """Bytes of one posting file as text; InputError (with `.reason`) for binary or undecodable data.

    Shared by `explain` and `score`, so both name the same problems the same way."""
    if b"\x00" in data[:8192]:
        err = InputError(f"{where}: binary file, not a posting")
        err.reason = "binary file"
        raise err
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        err = InputError(f"{where}: not valid {encoding} at byte {e.start}; pass --encoding (e.g. latin-1)")
        err.reason = "undecodable"
        raise err from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None


def _decode(data: bytes, where: str, opt: Options) -> str | Problem:
    try:
        return decode_posting(data, where, opt.encoding)
    except InputError as e:
        return Problem(where, getattr(e, "reason", "undecodable"), str(e))


def _read_text(fh, label: str, opt: Options) -> Iterator[Item | Problem]:
    data = fh.read(opt.max_chars * 4 + 1)
    text = _decode(data, label, opt)
    if isinstance(text, Problem):
        yield text
        return
    bad = _check_text(text, label, opt)
    yield bad if bad else Item(label, text, label)


def _text_stream(fh, label: str, opt: Options):
    """Decode lazily; a decoding error surfaces at the line where it happens."""
    return io.TextIOWrapper(fh, encoding=opt.encoding, errors="strict", newline="")


def join_title(title, text: str) -> str:
    """The text that is scored for a posting with a title: title, blank line, text."""
    if isinstance(title, str) and title.strip():
        return title.strip() + "\n\n" + text
    return text


def _read_csv(fh, label: str, opt: Options, delimiter: str, progress) -> Iterator[Item | Problem]:
    csv.field_size_limit(max(opt.max_chars * 4, 1 << 20))
    stream = _text_stream(fh, label, opt)
    try:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(label, "empty file", f"{label}: empty file, no header row")
            return
        text_col = _pick(header, opt.text_column, TEXT_NAMES)
        if text_col is None:
            want = f"column {opt.text_column!r}" if opt.text_column else "a text column (" + ", ".join(TEXT_NAMES[:4]) + ", ...)"
            yield Problem(label, "missing column", f"{label}: no {want} in header {header}; name it with --text-column")
            return
        id_col = _pick(header, opt.id_column, ID_NAMES)
        if opt.id_column and id_col is None:
            yield Problem(label, "missing column", f"{label}: no id column {opt.id_column!r} in header {header}")
            return
        title_col = _pick(header, None, TITLE_NAMES)
        ti, ii = header.index(text_col), (header.index(id_col) if id_col else None)
        tt = header.index(title_col) if title_col else None
        row_no = 1
        while True:
            row_no += 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as e:
                yield Problem(f"{label} row {row_no}", "undecodable",
                              f"{label} row {row_no}: not valid {opt.encoding} ({e.reason}); try --encoding latin-1; "
                              "the rest of this file is skipped")
                return
            except csv.Error as e:
                yield Problem(f"{label} row {row_no}", "malformed row", f"{label} row {row_no}: {e}")
                continue
            if progress is not None:
                progress.at(fh)
            if not row:
                continue
            where = f"{label} row {row_no}"
            if ti >= len(row):
                yield Problem(where, "missing column", f"{where}: only {len(row)} fields, no {text_col!r}")
                continue
            text = join_title(row[tt] if tt is not None and tt < len(row) else None, row[ti])
            bad = _check_text(row[ti], where, opt) or _check_text(text, where, opt)
            if bad:
                yield bad
                continue
            rid = row[ii] if ii is not None and ii < len(row) and row[ii] else f"{label}:{row_no}"
            yield Item(rid, text, where)
    finally:
        stream.detach()


@dataclass
class RawLine:
    """A JSON Lines line not parsed yet: with --jobs, workers parse it, not the reader."""
    label: str
    line_no: int
    raw: bytes
    opt: Options

    def parse(self) -> Item | Problem:
        where = f"{self.label} line {self.line_no}"
        if b"\x00" in self.raw:
            return Problem(where, "binary data", f"{where}: binary data, not JSON")
        enc = self.opt.encoding if self.line_no == 1 else self.opt.encoding.replace("-sig", "")
        try:
            s = self.raw.decode(enc)
        except UnicodeDecodeError as e:
            return Problem(where, "undecodable", f"{where}: not valid {self.opt.encoding} at byte {e.start}; try --encoding")
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as e:
            return Problem(where, "malformed JSON", f"{where}: malformed JSON ({e.msg} at column {e.colno})")
        return _from_object(obj, where, self.label, self.line_no, self.opt)


def _read_jsonl(fh, label: str, opt: Options, progress, defer: bool = False) -> Iterator[Item | Problem | RawLine]:
    line_no = 0
    for raw in fh:
        line_no += 1
        if progress is not None and line_no % 64 == 0:
            progress.at(fh)
        if not raw.strip():
            continue
        line = RawLine(label, line_no, raw, opt)
        yield line if defer else line.parse()


def _read_json(fh, label: str, opt: Options) -> Iterator[Item | Problem]:
    data = fh.read()
    try:
        arr = json.loads(data.decode(opt.encoding))
    except UnicodeDecodeError as e:
        yield Problem(label, "undecodable", f"{label}: not valid {opt.encoding} at byte {e.start}; try --encoding")
        return
    except json.JSONDecodeError as e:
        yield Problem(label, "malformed JSON", f"{label}: malformed JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return
    if isinstance(arr, dict):
        arr = [arr]
    if not isinstance(arr, list):
        yield Problem(label, "malformed JSON", f"{label}: expected a JSON array of objects")
        return
    for i, obj in enumerate(arr):
        yield _from_object(obj, f"{label} item {i}", label, i, opt)


def _from_object(obj, where: str, label: str, n: int, opt: Options) -> Item | Problem:
    if isinstance(obj, str):
        obj = {"text": obj}
    if not isinstance(obj, dict):
        return Problem(where, "malformed JSON", f"{where}: expected an object, got {type(obj).__name__}")
    key = _pick(list(obj), opt.text_column, TEXT_NAMES)
    if key is None:
        want = repr(opt.text_column) if opt.text_column else "text, description, ..."
        return Problem(where, "missing field", f"{where}: no text field ({want}); name it with --text-field")
    text = obj[key]
    bad = _check_text(text, where, opt)
    if bad:
        return bad
    id_key = _pick(list(obj), opt.id_column, ID_NAMES)
    rid = obj.get(id_key) if id_key else None
    return Item(str(rid) if rid is not None else f"{label}:{n}", join_title(obj.get(_pick(list(obj), None, TITLE_NAMES) or ""), text), where)


# -- scoring -----------------------------------------------------------------------------------
@dataclass
class Scored:
    """One scored posting: its label and score, the record already written out as a line of
    the output format when that format is line-based (so worker processes do that work too),
    and the record itself unless the caller said it needs only the line."""
    label: str
    hunter_score: float
    line: str | None = None
    record: dict | None = None


def record_line(rec: dict, fmt: str, explain: bool) -> str | None:
    """The record as one line of JSON Lines, CSV or TSV output (None for other formats)."""
    if fmt == "jsonl":
        return json.dumps(rec, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        row = [rec[f] if not isinstance(rec[f], list) else "; ".join(rec[f]) for f in FIELDS]
        if explain:
            row += [json.dumps(rec[k], ensure_ascii=False) for k in EXPLAIN_FIELDS]
        csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n").writerow(row)
        return buf.getvalue()
    return None


EXPLAIN_FIELDS = ("evidence", "breakdown", "signals", "questions")


def make_record(model, item: Item, top: int, explain: bool) -> dict:
    """One output record (DESIGN.md batch contract), raising EmptyPostingError for empty text."""
    r = model.score(item.text, id=item.id)
    rec = {
        "id": item.id,
        "hunter_score": round(r.hunter_score, 4),
        "label": r.label,
        "sales_score": round(r.sales_score, 4),
        "top_hunter_phrases": r.top_phrases(top, "hunter"),
        "top_account_phrases": r.top_phrases(top, "account_manager"),
        "source": item.source,
    }
    if explain:
        rec["evidence"] = [e.to_dict() for e in r.top_evidence(top, "hunter") + r.top_evidence(top, "account_manager")]
        rec["breakdown"] = r.breakdown.to_dict()
        rec["signals"] = [s.to_dict() for s in r.signals]
        rec["questions"] = list(r.questions)
    return rec


def _score_one(model, x, top: int, explain: bool, fmt: str | None, keep_record: bool = True):
    """A Problem, or a plain tuple of Scored's fields (tuples cross process boundaries cheaply)."""
    if isinstance(x, RawLine):
        x = x.parse()
    if isinstance(x, Problem):
        return x
    try:
        rec = make_record(model, x, top, explain)
    except EmptyPostingError:
        return Problem(x.source, "empty text", f"{x.source}: empty text (nothing left after removing markup)")
    line = record_line(rec, fmt, explain) if fmt else None
    return (rec["label"], rec["hunter_score"], line, rec if keep_record or line is None else None)


_WORKER_MODEL = None


def _init_worker(model_path):
    global _WORKER_MODEL
    from .model import load_model
    _WORKER_MODEL = load_model(model_path)


def _score_chunk(args):
    chunk, top, explain, fmt, keep_record = args
    return [_score_one(_WORKER_MODEL, x, top, explain, fmt, keep_record) for x in chunk]


def _as_scored(x):
    return x if isinstance(x, Problem) else Scored(*x)


def score_stream(stream: Iterable[Item | Problem], model, *, top: int = 5, explain: bool = False, jobs: int = 1,
                 chunk: int = 256, fmt: str | None = None, keep_record: bool = True) -> Iterator[Scored | Problem]:
    """Scored postings and Problems in input order. With jobs > 1 the work (parsing JSON lines,
    scoring, writing the output line in format `fmt`) is spread over processes, with at most a
    few chunks per process in flight so memory stays flat. `keep_record=False` drops the
    record where the line says it all, which saves copying it between processes."""
    if jobs <= 1:
        for x in stream:
            yield _as_scored(_score_one(model, x, top, explain, fmt, keep_record))
        return
    import multiprocessing as mp
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    in_flight = threading.BoundedSemaphore(jobs * 4)

    def chunks():
        buf: list = []
        for x in stream:
            buf.append(x)
            if len(buf) >= chunk:
                in_flight.acquire()
                yield buf
                buf = []
        if buf:
            in_flight.acquire()
            yield buf

    with ctx.Pool(jobs, initializer=_init_worker, initargs=(str(model.path),)) as pool:
        # Problems ride along in their chunk, so output order is input order
        for res in pool.imap(_score_chunk, ((c, top, explain, fmt, keep_record) for c in chunks())):
            in_flight.release()
            for x in res:
                yield _as_scored(x)

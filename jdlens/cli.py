"""The `jdlens` command. A bare `jdlens` opens the app; subcommands do the rest.

Exit codes: 0 success, 1 some input could not be used (each named on stderr), 2 misuse.
Heavy imports (rich, textual, scikit-learn) happen inside the commands that need them,
so `jdlens explain --format json` starts fast.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import JdlensError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _err(msg: str) -> None:
    print(f"jdlens: {msg}", file=sys.stderr)


def read_posting_arg(arg: str, encoding: str = "utf-8-sig") -> tuple[str, str]:
    """Text of FILE or `-` (stdin), and a name for messages. Raises JdlensError with one line."""
    if arg == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(arg)
        if p.is_dir():
            raise JdlensError(f"{arg}: is a folder; give one posting file (or use `jdlens score` for many)")
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise JdlensError(f"{arg}: no such file") from None
        except OSError as e:
            raise JdlensError(f"{arg}: cannot read ({e.strerror})") from None
        name = arg
    from .batch import decode_posting
    return decode_posting(data, name, encoding), name


def _load(model_path):
    from .model import load_model
    return load_model(model_path)


# -- commands --------------------------------------------------------------------------------
def cmd_explain(a) -> int:
    text, name = read_posting_arg(a.file, a.encoding)
    model = _load(a.model)
    r = model.score(text, id=name)
    if a.format == "json":
        sys.stdout.write(json.dumps(r.to_dict(top=a.top), ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    from rich.console import Console

    from .render import explain_renderable
    Console().print(explain_renderable(r, top=a.top or 8, show_text=not a.no_text))
    return EXIT_OK


def cmd_train(a) -> int:
    import time

    from .metrics import format_metrics
    from .train import Settings, train
    t0 = time.perf_counter()

    def progress(msg: str) -> None:
        if not a.quiet:
            print(f"[{time.perf_counter() - t0:5.1f}s] {msg}", file=sys.stderr, flush=True)

    s = Settings(folds=a.folds, seed=a.seed, hunter_c=a.hunter_c, sales_c=a.sales_c, min_df=a.min_df,
                 cue_boost=a.cue_boost, temperature=a.temperature, sales_model=a.sales_model,
                 sales_alpha=a.sales_alpha)
    if a.folds < 2:
        raise JdlensError("--folds must be at least 2")
    card = train(a.corpus, a.out, s, progress=progress, dev=a.dev)
    print(format_metrics(card["metrics_cross_validated"]))
    print(f"\nwrote {a.out} ({card['model']['bytes']:,} bytes) and its model card "
          f"{Path(a.out).with_suffix('.card.md')} in {card['training_seconds']} s")
    return EXIT_OK


def cmd_evaluate(a) -> int:
    from .evaluate import evaluate_data
    model = _load(a.model)
    metrics, problems = evaluate_data(model, a.data, warn=_err)
    if a.format == "json":
        print(json.dumps(metrics, indent=2))
    else:
        from rich.console import Console
        from rich.text import Text

        from .metrics import format_metrics
        from .render import histogram_text
        con = Console()
        con.print(Text(format_metrics(metrics)))
        con.print()
        for label, counts in metrics["histograms"].items():
            con.print(histogram_text(f"hunter score of {label} postings", counts))
    return EXIT_DATA if problems else EXIT_OK


def cmd_model_info(a) -> int:
    from .model import card_path_for, default_model_path, read_card
    p = Path(a.model) if a.model else default_model_path()
    if not p.exists():
        raise JdlensError(f"{p}: no model file here; train one with `jdlens train` or pass --model")
    if a.format == "json":
        print(json.dumps(read_card(p), indent=2))
        return EXIT_OK
    md = p.with_suffix(".card.md")
    if md.exists():
        sys.stdout.write(md.read_text(encoding="utf-8"))
    else:
        read_card(p)  # raises a clear error when the JSON card is missing too
        from .train import card_markdown
        sys.stdout.write(card_markdown(read_card(p)))
    if a.verify:
        _load(p)
        print(f"\n{p}: checksum verified against {card_path_for(p).name}; model loads.")
    return EXIT_OK


def cmd_corpus_check(a) -> int:
    from .corpus import check_corpus, format_summary
    rep = check_corpus(a.dir, threshold=a.threshold)
    print(format_summary(rep.summary))
    for e in rep.errors:
        _err(e)
    if rep.errors:
        _err(f"{len(rep.errors)} problem(s) in {a.dir}")
        return EXIT_DATA
    print(f"corpus OK: {a.dir}")
    return EXIT_OK


def cmd_app(a) -> int:
    from .tui import run_app
    return run_app(file=getattr(a, "file", None), model_path=a.model)


# -- parser ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jdlens",
        description="Tell how much of a sales job posting is hunting (new customers) versus "
                    "account management (existing ones). With no command, opens the app.")
    p.add_argument("--version", action="version", version=f"jdlens {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def model_opt(sp):
        sp.add_argument("--model", metavar="PATH", help="model file (default: the shipped model, or $JDLENS_MODEL)")

    sp = sub.add_parser("app", help="open the terminal app (the default)",
                        description="Open the terminal app, optionally with a posting loaded.")
    sp.add_argument("file", nargs="?", help="posting to open (text, Markdown or HTML)")
    model_opt(sp)
    sp.set_defaults(func=cmd_app)

    sp = sub.add_parser("explain", help="score one posting and show why",
                        description="Score one posting and print it with hunting and farming phrases highlighted.")
    sp.add_argument("file", metavar="FILE", help="posting file, or - for standard input")
    sp.add_argument("--format", choices=["text", "json"], default="text", help="text for people, json for machines")
    sp.add_argument("--top", type=int, default=None, metavar="N", help="phrases per side (default: 8 in text, all in json)")
    sp.add_argument("--no-text", action="store_true", help="leave out the highlighted posting")
    sp.add_argument("--encoding", default="utf-8-sig", help="input encoding (default utf-8-sig)")
    model_opt(sp)
    sp.set_defaults(func=cmd_explain)

    sp = sub.add_parser("train", help="retrain the model from a labeled corpus",
                        description="Cross-validate on the corpus, fit on all of it, write the model and its card.")
    sp.add_argument("--corpus", default="corpus", help="corpus folder (default: corpus)")
    sp.add_argument("--out", default="models/default.joblib", help="model file to write (default: models/default.joblib)")
    sp.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    sp.add_argument("--seed", type=int, default=0, help="random seed for the folds (default 0)")
    sp.add_argument("--hunter-c", type=float, default=8.0, help="inverse regularization of the hunter model")
    sp.add_argument("--sales-c", type=float, default=4.0, help="inverse regularization of the sales model")
    sp.add_argument("--min-df", type=int, default=2, help="keep phrases seen in at least this many postings")
    sp.add_argument("--cue-boost", type=float, default=3.0,
                    help="weaker penalty for the guide's new-vs-existing cue phrases (1 = none; default 3)")
    sp.add_argument("--temperature", type=float, default=3.0,
                    help="multiplier of the hunter logit after fitting (default 3; see README)")
    sp.add_argument("--sales-model", choices=["nb", "logistic"], default="nb",
                    help="sales vs not-sales model: naive Bayes (default) or logistic regression")
    sp.add_argument("--sales-alpha", type=float, default=0.03, help="naive Bayes smoothing (default 0.03)")
    sp.add_argument("--dev", metavar="DATA", help="also measure the final model on this labeled JSON Lines or "
                    "corpus folder (never trained on) and record it in the model card")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    sp.set_defaults(func=cmd_train)

    sp = sub.add_parser("evaluate", help="measure a model on labeled data",
                        description="Score a labeled corpus folder, or JSON Lines with text, label and "
                                    "optional hunter_share (0-100), and print the training metrics.")
    sp.add_argument("data", metavar="DATA", help="corpus-layout folder or .jsonl file")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    model_opt(sp)
    sp.set_defaults(func=cmd_evaluate)

    sp = sub.add_parser("model", help="about the model", description="Model commands.")
    msub = sp.add_subparsers(dest="model_command", metavar="COMMAND", required=True)
    mi = msub.add_parser("info", help="print the model card", description="Print the model card.")
    mi.add_argument("--format", choices=["markdown", "json"], default="markdown")
    mi.add_argument("--verify", action="store_true", help="also verify the checksum and load the model")
    model_opt(mi)
    mi.set_defaults(func=cmd_model_info)

    sp = sub.add_parser("corpus", help="work with the labeled corpus", description="Corpus commands.")
    csub = sp.add_subparsers(dest="corpus_command", metavar="COMMAND", required=True)
    cc = csub.add_parser("check", help="validate a corpus and summarize it",
                         description="Validate layout, index.csv and near-duplicates; print a summary.")
    cc.add_argument("dir", nargs="?", default="corpus", metavar="DIR")
    from .corpus import NEAR_DUPLICATE_THRESHOLD
    cc.add_argument("--threshold", type=float, default=NEAR_DUPLICATE_THRESHOLD,
                    help=f"near-duplicate cosine threshold (default {NEAR_DUPLICATE_THRESHOLD})")
    cc.set_defaults(func=cmd_corpus_check)

    try:
        from .batch_cli import add_score_parser
    except ImportError:
        pass
    else:
        add_score_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    commands = {"app", "explain", "train", "evaluate", "model", "corpus", "score"}
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        argv = ["app", *argv]  # bare `jdlens` or `jdlens FILE` opens the app
    a = parser.parse_args(argv)
    try:
        return a.func(a)
    except JdlensError as e:
        _err(str(e))
        return EXIT_DATA
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""The `jdlens` commands, run as a user runs them (in a subprocess)."""
import csv
import json
import shutil
import subprocess
import sys

import pytest

from .conftest import MINI_CORPUS, ROOT


def run(*args, input=None, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "jdlens", *args], input=input, capture_output=True,
                          text=True, cwd=cwd, env=env)


@pytest.fixture
def posting(tmp_path):
    p = tmp_path / "job.html"
    p.write_text("<h2>Account Executive</h2><p>Prospect &amp; cold call companies that have never bought "
                 "from us. Close new logos. Commission on new business, 50/50 split.</p>", encoding="utf-8")
    return p


def test_every_command_has_help():
    for args in [[], ["explain"], ["train"], ["evaluate"], ["model", "info"], ["corpus", "check"], ["app"]]:
        out = run(*args, "--help")
        assert out.returncode == 0 and "usage:" in out.stdout and len(out.stdout) > 100, args


def test_explain_json_offsets_point_into_the_original(posting):
    out = run("explain", str(posting), "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    text = posting.read_text(encoding="utf-8")
    assert list(d)[:8] == ["id", "hunter_score", "label", "sales_score", "evidence", "breakdown", "signals", "questions"]
    for e in d["evidence"]:
        assert text[e["start"]:e["end"]] == e["phrase"]
        assert e["side"] in ("hunter", "account_manager")
    for s in d["signals"]:
        assert text[s["start"]:s["end"]] == s["text"]
    assert abs(sum(d["breakdown"].values()) - 1) < 1e-3


def test_explain_reads_stdin_and_prints_highlights(posting):
    out = run("explain", "-", input=posting.read_text())
    assert out.returncode == 0, out.stderr
    assert "hunting" in out.stdout and "Ask in the interview" in out.stdout


def test_explain_errors_are_one_line(tmp_path):
    out = run("explain", str(tmp_path / "missing.txt"))
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "missing.txt: no such file" in out.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    out = run("explain", str(empty))
    assert out.returncode == 1 and "empty" in out.stderr and "Traceback" not in out.stderr
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 sales".encode("latin-1"))
    out = run("explain", str(bad))
    assert out.returncode == 1 and "--encoding" in out.stderr
    assert run("explain", str(bad), "--encoding", "latin-1", "--format", "json").returncode == 0


def test_unknown_flag_is_misuse(posting):
    out = run("explain", str(posting), "--bogus")
    assert out.returncode == 2


def test_train_writes_model_and_card_and_keeps_old_model_on_failure(tmp_path):
    out_model = tmp_path / "models" / "m.joblib"
    r = run("train", "--corpus", str(MINI_CORPUS), "--out", str(out_model), "--folds", "2", "--min-df", "1")
    assert r.returncode == 0, r.stderr
    assert "fold 1/2" in r.stderr and "ROC-AUC" in r.stdout
    before = out_model.read_bytes()
    assert json.loads(out_model.with_suffix(".card.json").read_text())["corpus"]["postings"] == 16
    assert out_model.with_suffix(".card.md").exists()
    # a failing run (no such corpus) leaves the previous model untouched
    r = run("train", "--corpus", str(tmp_path / "nowhere"), "--out", str(out_model))
    assert r.returncode == 1 and "no such corpus" in r.stderr
    assert out_model.read_bytes() == before
    assert not list(out_model.parent.glob("*.tmp"))
    # and the model it wrote is usable
    r = run("model", "info", "--model", str(out_model), "--verify")
    assert r.returncode == 0 and "checksum verified" in r.stdout and "Intended use" in r.stdout


def test_train_records_development_set_metrics_in_the_card(tmp_path):
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(json.dumps(r) for r in [
        {"title": "SDR", "text": "Cold call prospects and book first meetings", "label": "hunter", "hunter_share": 90},
        {"text": "Renew contracts with our current clients", "label": "account_manager", "hunter_share": 10},
        {"text": "Answer support tickets", "label": "not_sales"}]))
    out_model = tmp_path / "m.joblib"
    r = run("train", "--corpus", str(MINI_CORPUS), "--out", str(out_model), "--folds", "2", "--min-df", "1",
            "--dev", str(dev))
    assert r.returncode == 0, r.stderr
    card = json.loads(out_model.with_suffix(".card.json").read_text())
    assert card["metrics_dev"]["n"] == 3 and card["metrics_dev"]["data"] == str(dev)
    assert "Development-set metrics" in out_model.with_suffix(".card.md").read_text()


def test_train_refuses_a_corpus_too_thin_for_its_folds(tmp_path):
    r = run("train", "--corpus", str(MINI_CORPUS), "--out", str(tmp_path / "m.joblib"), "--folds", "5")
    assert r.returncode == 1 and "needs at least 5 postings of each label" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "m.joblib").exists()


def test_model_info_of_the_shipped_model():
    r = run("model", "info")
    assert r.returncode == 0 and "Cross-validated metrics" in r.stdout
    d = json.loads(run("model", "info", "--format", "json").stdout)
    assert d["model"]["file"] == "default.joblib"


def test_evaluate_on_folder_and_jsonl(tmp_path, mini_model_path):
    r = run("evaluate", str(MINI_CORPUS), "--model", str(mini_model_path))
    assert r.returncode == 0, r.stderr
    assert "ROC-AUC hunter vs account manager" in r.stdout and "hunter score of hunter postings" in r.stdout
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join([
        json.dumps({"text": "Cold call and open new accounts", "label": "hunter", "hunter_share": 90}),
        json.dumps({"text": "Renew contracts with current clients", "label": "account_manager", "hunter_share": 10}),
        "{not json",
        json.dumps({"text": "Answer support tickets", "label": "not_sales"}),
    ]))
    r = run("evaluate", str(data), "--model", str(mini_model_path), "--format", "json")
    assert r.returncode == 1  # one malformed line, reported
    assert "line 3" in r.stderr
    m = json.loads(r.stdout)
    assert m["n"] == 3 and m["counts"]["hunter"] == 1


def _copy_corpus(tmp_path):
    dst = tmp_path / "c"
    shutil.copytree(MINI_CORPUS, dst)
    return dst


def test_corpus_check_passes_on_good_corpus(tmp_path):
    r = run("corpus", "check", str(_copy_corpus(tmp_path)))
    assert r.returncode == 0, r.stderr
    assert "16 postings" in r.stdout and "hunter 4" in r.stdout


def test_corpus_check_names_every_offending_file(tmp_path):
    c = _copy_corpus(tmp_path)
    (c / "farmers").mkdir()
    (c / "hunter" / "empty.txt").write_text("   ")
    (c / "hunter" / "latin.txt").write_bytes(b"caf\xe9")
    (c / "hybrid" / "unlisted.txt").write_text("A totally different posting about selling boats to marinas.")
    with (c / "index.csv").open("a", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["hunter/ghost.txt", "hunter", "80", "", "", "", "", "", ""])
    dup = (c / "hunter" / "h1.txt").read_text()
    (c / "account_manager" / "copy.txt").write_text(dup.replace("Territory", "Regional"))
    r = run("corpus", "check", str(c))
    assert r.returncode == 1
    err = r.stderr
    assert "farmers: unknown label folder" in err
    assert "empty.txt: empty" in err
    assert "latin.txt: not UTF-8" in err
    assert "unlisted.txt: not listed in index.csv" in err
    assert "lists hunter/ghost.txt, which does not exist" in err
    assert "near-duplicate" in err and "copy.txt" in err


def test_shipped_corpus_passes_check():
    r = run("corpus", "check", str(ROOT / "corpus"))
    assert r.returncode == 0, r.stderr[-2000:]

"""`jdlens score` through the real command: every input format, output format and error case."""
import csv
import io
import json
import subprocess
import sys

import pytest

HUNT = "Prospect and cold call companies that have never bought from us; close new logos."
FARM = "Renew contracts and upsell a book of existing accounts; keep churn low."


def score(*args, input=None, model=None, cwd=None):
    cmd = [sys.executable, "-m", "jdlens", "score", *args]
    if model:
        cmd += ["--model", str(model)]
    return subprocess.run(cmd, input=input, capture_output=True, text=True, cwd=cwd)


def jsonl(out):
    return [json.loads(l) for l in out.splitlines() if l.strip()]


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(HUNT)
    (d / "sub" / "b.md").write_text("## Role\n- " + FARM)
    (d / "sub" / "c.html").write_text(f"<p>{HUNT}</p>")
    (d / "ignored.bin").write_bytes(b"\x00\x01")
    return d


def test_text_markdown_html_files_and_folders(files, mini_model_path):
    r = score(str(files), "--format", "jsonl", model=mini_model_path)
    assert r.returncode == 0, r.stderr
    recs = jsonl(r.stdout)
    assert [x["source"].split("/")[-1] for x in recs] == ["a.txt", "b.md", "c.html"]
    for x in recs:
        assert list(x) == ["id", "hunter_score", "label", "sales_score", "top_hunter_phrases", "top_account_phrases", "source"]
        assert 0 <= x["hunter_score"] <= 1
    assert recs[0]["hunter_score"] > recs[1]["hunter_score"]


def test_glob_pattern_and_stdin(files, mini_model_path):
    r = score(str(files / "**" / "*.md"), "-", input=HUNT, model=mini_model_path)
    recs = jsonl(r.stdout)  # piped: JSON Lines by default
    assert r.returncode == 0, r.stderr
    assert [x["source"] for x in recs] == [str(files / "sub" / "b.md"), "<stdin>"]


def test_csv_with_detected_columns_and_title(tmp_path, mini_model_path):
    p = tmp_path / "jobs.csv"
    with p.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["job_id", "title", "description"])
        w.writerow(["j1", "New Business Manager", HUNT])
        w.writerow(["j2", "Account Manager", FARM])
        w.writerow(["j3", "Empty", "   "])
    r = score(str(p), "--format", "csv", model=mini_model_path)
    assert r.returncode == 1  # one row skipped
    assert f"{p} row 4: empty text" in r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["id"] for x in rows] == ["j1", "j2"]
    assert rows[0]["source"] == f"{p} row 2"
    assert "; " in rows[0]["top_hunter_phrases"] or rows[0]["top_hunter_phrases"]


def test_tsv_with_named_columns(tmp_path, mini_model_path):
    p = tmp_path / "jobs.tsv"
    p.write_text(f"ref\tbody_text\nx1\t{HUNT}\n")
    r = score(str(p), "--text-column", "body_text", "--id-column", "ref", "--format", "tsv", model=mini_model_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "hunter_score", "label"] and lines[1].startswith("x1\t")


def test_csv_missing_column_is_named(tmp_path, mini_model_path):
    p = tmp_path / "jobs.csv"
    p.write_text("a,b\n1,2\n")
    r = score(str(p), model=mini_model_path)
    assert r.returncode == 1 and "no a text column" in r.stderr and "--text-column" in r.stderr


def test_jsonl_keeps_user_id_and_reports_bad_lines(tmp_path, mini_model_path):
    p = tmp_path / "jobs.jsonl"
    p.write_text("\n".join([json.dumps({"uid": 7, "text": HUNT}), "{oops", json.dumps({"other": 1}),
                            json.dumps({"uid": 9, "text": FARM, "title": "Key Account Manager"})]) + "\n")
    r = score(str(p), "--id-field", "uid", model=mini_model_path)
    assert r.returncode == 1
    assert f"{p} line 2: malformed JSON" in r.stderr and f"{p} line 3: no text field" in r.stderr
    assert [x["id"] for x in jsonl(r.stdout)] == ["7", "9"]
    assert "skipped 2" in r.stderr


def test_json_array_and_forced_format(tmp_path, mini_model_path):
    p = tmp_path / "jobs.data"
    p.write_text(json.dumps([{"id": "a", "description": HUNT}, {"id": "b", "description": FARM}]))
    r = score(str(p), "--input-format", "json", "--format", "json", model=mini_model_path)
    assert r.returncode == 0, r.stderr
    assert [x["id"] for x in json.loads(r.stdout)] == ["a", "b"]


def test_undecodable_binary_and_oversized_files_are_skipped_not_fatal(tmp_path, mini_model_path):
    (tmp_path / "bad.txt").write_bytes("caf\xe9 ".encode("latin-1") * 3)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "big.txt").write_text(HUNT * 100)
    (tmp_path / "ok.txt").write_text(HUNT)
    r = score(str(tmp_path), "--max-chars", "2000", model=mini_model_path)
    assert r.returncode == 1
    assert "bad.txt: not valid utf-8-sig" in r.stderr and "--encoding" in r.stderr
    assert "bin.txt: binary file" in r.stderr and "big.txt:" in r.stderr and "over the limit" in r.stderr
    assert [x["source"].split("/")[-1] for x in jsonl(r.stdout)] == ["ok.txt"]
    r = score(str(tmp_path / "bad.txt"), "--encoding", "latin-1", model=mini_model_path)
    assert r.returncode == 0


def test_explain_adds_offsets_into_the_scored_text(tmp_path, mini_model_path):
    p = tmp_path / "a.html"
    p.write_text(f"<p>{HUNT}</p>")
    r = score(str(p), "--explain", "--top", "3", model=mini_model_path)
    rec = jsonl(r.stdout)[0]
    text = p.read_text()
    assert 0 < len(rec["evidence"]) <= 6
    for e in rec["evidence"]:
        assert text[e["start"]:e["end"]] == e["phrase"]
    assert set(rec["breakdown"]) == {"hunting", "farming", "neutral"}


def test_filters_and_sort(tmp_path, mini_model_path):
    p = tmp_path / "jobs.jsonl"
    p.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate([FARM, HUNT, FARM + " " + HUNT])))
    all_ = jsonl(score(str(p), model=mini_model_path).stdout)
    ranked = jsonl(score(str(p), "--sort", "hunter", model=mini_model_path).stdout)
    assert [x["hunter_score"] for x in ranked] == sorted((x["hunter_score"] for x in all_), reverse=True)
    mid = sorted(x["hunter_score"] for x in all_)[1]
    kept = jsonl(score(str(p), "--min-score", str(mid), model=mini_model_path).stdout)
    assert all(x["hunter_score"] >= mid for x in kept) and len(kept) == 2
    lab = all_[0]["label"]
    assert all(x["label"] == lab for x in jsonl(score(str(p), "--label", lab, model=mini_model_path).stdout))


def test_jobs_give_the_same_records_in_the_same_order(tmp_path, mini_model_path):
    p = tmp_path / "jobs.jsonl"
    p.write_text("\n".join(json.dumps({"id": i, "text": (HUNT if i % 3 else FARM) + f" {i}"}) for i in range(300))
                 + "\n{bad\n")
    one = score(str(p), "--jobs", "1", model=mini_model_path)
    two = score(str(p), "--jobs", "2", model=mini_model_path)
    assert one.stdout == two.stdout and one.returncode == two.returncode == 1
    assert len(jsonl(one.stdout)) == 300


def test_output_file_is_written_atomically_and_never_over_an_input(tmp_path, mini_model_path):
    p = tmp_path / "a.txt"
    p.write_text(HUNT)
    out = tmp_path / "out.csv"
    r = score(str(p), "-o", str(out), model=mini_model_path)
    assert r.returncode == 0 and out.read_text().startswith("id,hunter_score")  # format from the extension
    r = score(str(p), "-o", str(p), model=mini_model_path)
    assert r.returncode == 2 and "refusing to overwrite" in r.stderr and p.read_text() == HUNT


@pytest.mark.parametrize("args,msg", [
    (["nowhere.txt"], "no such file"),
    (["x.txt", "--min-score", "0.9", "--max-score", "0.1"], "above --max-score"),
    (["x.txt", "--label", "farmer"], "unknown label"),
    (["x.txt", "--bogus"], "unrecognized arguments"),
    (["x.txt", "--encoding", "klingon"], "unknown encoding"),
])
def test_misuse_exits_2_with_a_message(tmp_path, mini_model_path, args, msg):
    (tmp_path / "x.txt").write_text(HUNT)
    r = score(*args, model=mini_model_path, cwd=tmp_path)
    assert r.returncode == 2 and msg in r.stderr


def test_progress_counts_bytes_over_all_input_files(tmp_path):
    import os

    from jdlens.batch import Options, Progress, read_items
    paths = []
    for name in ("a.jsonl", "b.csv"):
        p = tmp_path / name
        rows = [json.dumps({"text": f"{HUNT} {i}"}) for i in range(300)] if name.endswith("jsonl") \
            else ["description"] + [f'"{FARM} {i}"' for i in range(300)]
        p.write_text("\n".join(rows) + "\n")
        paths.append(str(p))
    prog = Progress(sum(os.path.getsize(p) for p in paths))
    seen = [prog.done for _ in read_items(paths, Options(), prog)]
    assert seen == sorted(seen)                      # never goes back when the second file starts
    assert prog.done == prog.total
    assert seen[len(seen) * 3 // 4] > prog.total / 2  # the second file counts on top of the first

"""The instructor's autograder: sandbox, notebook repair, LMS import, and the whole flow."""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest

pytest.importorskip("nbgrader")

from adversarial.helpers import base_notebooks, fresh_course

from autograder import notebooks as nbs
from autograder import samples
from autograder.__main__ import main as cli
from autograder.course import student_from_name
from autograder.sandbox import EventOrder, Limits, run_worker, sandbox_available


# ----------------------------------------------------------------------------- sandbox
def test_sandbox_runs_cells_hides_files_and_returns_only_numbers(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden tests")
    cells = [
        {"index": 0, "source": "def f(x):\n    return 2 * x\nprint('hello')"},
        {"index": 1, "source": f"open({str(secret)!r}).read()"},
        {"index": 2, "source": "1 / 0"},
        {"index": 3, "source": "%matplotlib inline\n!pip install nothing\n40 + 2"},
    ]
    hidden = {
        "source": "from autograder.hidden import Case\n"
        "CASES = {'t': [Case('double', 1, lambda ns, rng: {'y': ns['f'](rng.normal(size=3))})]}",
        "tasks": {"t": [0]},
        "seed": 7,
    }
    run = run_worker(cells, hidden, limits=Limits(cell_timeout=5))
    assert run.status == "ok", run.error
    recs = run.report["cells"]
    assert recs[0]["outputs"][0]["text"] == "hello\n"
    assert recs[2]["ename"] == "ZeroDivisionError"
    assert recs[2]["outputs"][-1]["output_type"] == "error"
    assert recs[3]["outputs"][-1]["data"]["text/plain"] == "42"
    assert any("pip" in n for n in recs[3]["notes"]), "installs are refused with a note"
    if sandbox_available()[0]:
        assert recs[1]["status"] == "error", "files outside the sandbox must be invisible"
    assert set(run.probes) == {"t|0|y"}
    assert run.probes["t|0|y"].shape == (3,)


def test_rlimits_only_mode_still_limits_and_warns(tmp_path, monkeypatch, capsys):
    from autograder import sandbox

    monkeypatch.setenv(sandbox.SANDBOX_ENV, "none")
    sandbox.sandbox_available.cache_clear()
    monkeypatch.setattr(sandbox, "_WARNED", False)
    try:
        with pytest.warns(sandbox.SandboxWarning):
            sandbox.warn_if_unsandboxed()
        assert "WITHOUT a sandbox" in capsys.readouterr().err
        cells = [
            {"index": 0, "source": "import numpy as np\nx = np.empty(2**40)"},
            {"index": 1, "source": "y = 1"},
        ]
        run = run_worker(cells, None, limits=Limits(memory_mb=1024, cell_timeout=5))
        assert run.isolation == "rlimits-only"
        assert run.report["cells"][0]["ename"] == "MemoryError"
        assert run.report["cells"][1]["status"] == "ok"
    finally:
        sandbox.sandbox_available.cache_clear()


def test_control_channel_order_is_enforced():
    order = EventOrder([0, 2], [("t", 0), ("t", 1)])
    assert order.feed("cell 0") == ""
    assert "control channel" in order.feed("cells-done")  # cell 2 has not run yet
    order = EventOrder([0], [("t", 0)])
    for event in ("cell 0", "cells-done", "case t 0", "done"):
        assert order.feed(event) == ""
    assert order.feed("done")


# ----------------------------------------------------------------------------- notebooks
@pytest.fixture(scope="module")
def mini_source(tmp_path_factory):
    folder = samples.write_mini_source(tmp_path_factory.mktemp("mini"))
    return nbformat.read(folder / f"{samples.MINI_NOTEBOOK}.ipynb", as_version=4)


def test_prepare_restores_locked_cells_and_strips_hidden_tests(mini_source):
    sub = samples.reference_submission(mini_source)
    for cell in sub.cells:
        if nbs.is_test_cell(cell):
            cell.source = "pass"
    prepared = nbs.prepare(mini_source, sub)
    tests = [c for c in prepared.nb.cells if nbs.is_test_cell(c)]
    assert tests and all("check_" in c.source and "HIDDEN" not in c.source for c in tests)
    assert any("restored from the original" in n for n in prepared.notes)


def test_prepare_handles_deleted_duplicated_and_retyped_cells(mini_source):
    sub = samples.reference_submission(mini_source)
    gids = [nbs.grade_id(c) for c in sub.cells]
    i = gids.index("a1_relu_forward")
    sub.cells.insert(i + 1, copy.deepcopy(sub.cells[i]))  # duplicate (metadata kept)
    sub.cells = [c for c in sub.cells if nbs.grade_id(c) != "a1_affine_forward_test"]  # delete
    j = [nbs.grade_id(c) for c in sub.cells].index("a1_affine_forward")
    md = nbformat.v4.new_markdown_cell(sub.cells[j].source)
    md.metadata = copy.deepcopy(sub.cells[j].metadata)
    sub.cells[j] = md  # retype
    prepared = nbs.prepare(mini_source, sub)
    out_ids = [nbs.grade_id(c) for c in prepared.nb.cells]
    assert out_ids.count("a1_relu_forward") == 1
    assert "a1_affine_forward_test" in out_ids
    assert prepared.nb.cells[out_ids.index("a1_affine_forward")].cell_type == "code"
    text = " ".join(prepared.notes)
    assert "duplicated" in text and "put back" in text and "turned back to code" in text
    nbformat.validate(prepared.nb)


def test_unreadable_and_renamed_files_are_matched_or_explained(tmp_path, mini_source):
    good = tmp_path / "Copy of two_layer_net (2).ipynb"
    nbformat.write(samples.reference_submission(mini_source), good)
    matched, _ = nbs.match_files([good], {samples.MINI_NOTEBOOK: mini_source})
    assert matched[samples.MINI_NOTEBOOK][0] == good
    bad = tmp_path / "two_layer_net.ipynb"
    bad.write_text('{"cells": [')
    nb, problem = nbs.read_notebook_file(bad)
    assert nb is None and "not valid notebook JSON" in problem
    (tmp_path / "empty.ipynb").write_text("")
    assert "empty" in nbs.read_notebook_file(tmp_path / "empty.ipynb")[1]


@pytest.mark.parametrize(
    ("name", "student"),
    [
        ("lovelaceada_LATE_12345_67890_two_layer_net.ipynb", "lovelaceada"),
        ("turingalan_12345_67890_two_layer_net-1.ipynb", "turingalan"),
        ("Assignment1_jdoe_attempt_2026-11-20-10-00-00_two_layer_net.ipynb", "jdoe"),
        ("Ada Lovelace_4242_assignsubmission_file_", "Ada_Lovelace_4242"),
        ("bob-two_layer_net.ipynb", "bob"),
    ],
)
def test_student_ids_are_inferred_from_lms_names(name, student):
    assert student_from_name(name, ["two_layer_net"])[0] == student


def test_cli_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli(["--help"])
    out = capsys.readouterr().out
    for command in (
        "init",
        "release",
        "import",
        "autograde",
        "feedback",
        "export",
        "regrade",
        "status",
        "gradescope",
        "demo",
    ):
        assert command in out


# ----------------------------------------------------------------------------- end to end
@pytest.mark.slow
def test_end_to_end_flow_through_the_cli(tmp_path):
    course = fresh_course(tmp_path)
    root = str(course.root)
    src, rel = base_notebooks(course)
    ref = samples.reference_submission(src)
    # a folder in nbgrader's submitted layout ...
    folder = tmp_path / "collected"
    samples.write_notebook(ref, folder / "alice" / "assignment1" / "two_layer_net.ipynb")
    samples.write_notebook(
        samples.stub_submission(rel), folder / "bob" / "assignment1" / "two_layer_net.ipynb"
    )
    assert cli(["--course", root, "import", "assignment1", str(folder)]) == 0
    # ... and an LMS bulk download zip with Canvas-style names
    upload = tmp_path / "canvas.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        zf.writestr(
            "carol_11_22_two_layer_net.ipynb", nbformat.writes(samples.wrong_submission(src, rel))
        )
        zf.writestr("carol_11_22_notes.txt", "my notes")
    assert cli(["--course", root, "import", "assignment1", str(upload)]) == 0
    assert sorted(course.students("assignment1")) == ["alice", "bob", "carol"]
    assert (course.root / "submitted" / "carol" / "assignment1" / "notes.txt").is_file()

    assert cli(["--course", root, "autograde", "assignment1", "--jobs", "2"]) == 0
    scores = {s: r.score for s, r in course.results("assignment1").items()}
    assert scores == {"alice": 3.0, "bob": 0.0, "carol": 1.0}
    assert "pending=0" in course.status()

    assert cli(["--course", root, "feedback", "assignment1"]) == 0
    html = (course.root / "feedback" / "bob" / "assignment1" / "two_layer_net.html").read_text()
    assert "not implemented yet" in html
    assert (
        "BEGIN HIDDEN TESTS" not in html and "grade_hidden" not in html and "_relu_rect" not in html
    )

    out = tmp_path / "grades.csv"
    assert cli(["--course", root, "export", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 3 * 3  # 3 students x (2 autograded questions + 1 manual)
    by = {(r["student"], r["question"]): r for r in rows}
    assert float(by[("alice", "a1_affine_forward_test")]["score"]) == 2.0
    assert by[("alice", "two_layer_net_q1")]["status"] == "needs manual grade"

    # bob hands in again: the old submission is kept, and a regrade picks the new one up
    samples.write_notebook(ref, tmp_path / "again" / "bob" / "two_layer_net.ipynb")
    assert cli(["--course", root, "import", "assignment1", str(tmp_path / "again")]) == 0
    assert list((course.root / "submitted_history" / "bob" / "assignment1").iterdir())
    assert "stale 1" in course.status() or "pending=1" in course.status()
    assert cli(["--course", root, "regrade", "assignment1", "bob"]) == 0
    assert course.results("assignment1")["bob"].score == 3.0
    assert cli(["--course", root, "status"]) == 0

    # nbgrader's own export uses our per-question plugin through nbgrader_config.py
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", "--to", "nb.csv"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "question" in (course.root / "nb.csv").read_text().splitlines()[0]


@pytest.mark.slow
def test_gradescope_bundle_run_autograder_locally(tmp_path):
    from autograder.gradescope import build_bundle

    course = fresh_course(tmp_path)
    src, rel = base_notebooks(course)
    bundle = build_bundle(course, "assignment1", tmp_path / "bundle.zip")
    results = {}
    for name, nb in {
        "ref": samples.reference_submission(src),
        "cheat": samples.cheating_submission(rel),
    }.items():
        gs = tmp_path / f"gs-{name}"
        (gs / "source").mkdir(parents=True)
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(gs / "source")
            names = set(zf.namelist())
        assert {"setup.sh", "run_autograder"} <= names
        samples.write_notebook(nb, gs / "submission" / "Copy of two_layer_net.ipynb")
        env = dict(os.environ, CS231N_GRADESCOPE_ROOT=str(gs), PYTHON=sys.executable)
        proc = subprocess.run(
            ["bash", str(gs / "source" / "run_autograder")],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        results[name] = json.loads((gs / "results" / "results.json").read_text())
    ref, cheat = results["ref"], results["cheat"]
    assert ref["score"] == 3.0 and cheat["score"] == 0
    assert {t["max_score"] for t in ref["tests"]} == {1.0, 2.0}
    assert all(
        t["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        for t in ref["tests"]
    )
    assert "not implemented yet" in cheat["tests"][0]["output"]
    assert "_relu_rect" not in json.dumps(cheat)


# ----------------------------------------------------------------------------- judging
def test_tolerance_comes_from_the_reference_and_reasons_carry_no_student_values():
    import numpy as np

    from autograder.hidden import Case, compare_results

    case = Case("c", 1, None)
    expected = {"out": np.linspace(1.0, 2.0, 5)}
    assert compare_results({"out": expected["out"].copy()}, expected, case) is None
    wrong16 = {"out": (expected["out"] * 1.005).astype(np.float16)}
    assert "float16" in compare_results(wrong16, expected, case)
    wrong = {"out": expected["out"] * (1 + 1e-5) + 123.456}
    reason = compare_results(wrong, expected, case)
    assert "rtol=1e-07" in reason and "123" not in reason
    assert "expected (5,)" in compare_results({"out": np.zeros(7)}, expected, case)
    loose = Case("c", 1, None, rtol=1e-2)
    assert compare_results({"out": expected["out"] * 1.005}, expected, loose) is None


def test_submission_seeds_differ_between_students_and_files():
    from autograder.grading import Assignment

    a = Assignment("a1", {}, None, None, seed=5)
    seeds = {a.submission_seed(s, "nb", d) for s in ("ann", "bob") for d in ("x", "y")}
    assert len(seeds) == 4
    assert a.submission_seed("ann", "nb", "x") == a.submission_seed("ann", "nb", "x")


def test_probe_phase_errors_show_only_a_builtin_class_name(tmp_path):
    from autograder.grading import Assignment, judge_case
    from autograder.hidden import Case

    a = Assignment("a1", {}, None, None)
    a.reference = lambda *args, **kw: ({"out": 1.0}, None)
    case = Case("c", 1, None)
    secret = {"status": "error", "ename": "ValueError", "message": "the hidden source is ..."}
    res = judge_case(a, "nb", "t", 0, case, secret, {})
    assert "ValueError" in res.reason and "hidden source" not in res.reason
    forged = {"status": "error", "ename": "Leak_def_probe", "message": "x"}
    assert "Leak" not in judge_case(a, "nb", "t", 0, case, forged, {}).reason
    trusted = {"status": "crashed", "message": "LEAK", "trusted": False}
    assert "LEAK" not in judge_case(a, "nb", "t", 0, case, trusted, {}).reason


def test_rich_outputs_are_checked_again_on_the_trusted_side():
    import base64

    from autograder.grading import _clean_bundle

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 64).decode()
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    data = {"image/png": png, "image/jpeg": fake, "text/html": "<b>x</b>", "application/js": "x"}
    assert set(_clean_bundle(data, Limits())) == {"image/png", "text/html"}


def test_student_html_is_sanitized_before_it_reaches_feedback():
    from autograder.grading import _rich_outputs, _sanitized

    rec = {
        "outputs": [
            {
                "output_type": "display_data",
                "data": {"text/html": "<b>ok</b><script>alert(1)</script>", "text/plain": "p"},
                "metadata": {},
            }
        ]
    }
    html = _sanitized(_rich_outputs(rec, 1, Limits()))[0].data["text/html"]
    assert "<b>ok</b>" in html and "<script>" not in html


def test_script_in_a_students_markdown_is_sanitized():
    import nbformat as nbf

    from autograder import notebooks as nbs_
    from autograder.grading import NotebookResult, _attach_outputs

    nb = nbf.v4.new_notebook()
    nb.cells = [nbf.v4.new_markdown_cell("x < 3 <script>alert(1)</script> *fine*")]
    prepared = nbs_.Prepared(nb=nb, kinds={0: "student"})
    out = _attach_outputs(prepared, [], {}, NotebookResult("n"))
    assert "<script>" not in out.cells[0].source and "fine" in out.cells[0].source

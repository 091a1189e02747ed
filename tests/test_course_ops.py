"""Running a course: deadlines, extensions, late policy, exports, re-flagged written answers,
the Colab one-cell install from a URL, and commands that need no activated venv."""

from __future__ import annotations

import csv
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader")

from adversarial.helpers import base_notebooks, fresh_course

from autograder import late, samples
from autograder.__main__ import main as cli

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- deadlines
def test_due_dates_need_a_zone():
    assert late.parse_due("2026-12-01T17:00-08:00") == datetime(2026, 12, 2, 1, tzinfo=timezone.utc)
    assert late.parse_due("2026-12-01T17:00Z").hour == 17
    with pytest.raises(ValueError, match="no time zone"):
        late.parse_due("2026-12-01T17:00")
    with pytest.raises(ValueError, match="ISO 8601"):
        late.parse_due("next friday")
    assert late.parse_duration("2d") == timedelta(days=2)
    assert late.parse_duration("36") == timedelta(hours=36)
    with pytest.raises(ValueError, match="36h"):
        late.parse_duration("soon")


def test_late_policies():
    day = 86400
    per_day = late.LatePolicy("per_day", percent=10, max_percent=30)
    assert per_day.fraction(0) == 0
    assert per_day.fraction(1) == pytest.approx(0.1)  # a part of a day counts as a day
    assert per_day.fraction(day + 1) == pytest.approx(0.2)
    assert per_day.fraction(10 * day) == pytest.approx(0.3)
    assert late.LatePolicy("cutoff").fraction(1) == 1.0
    assert late.LatePolicy("cutoff", grace_minutes=5).fraction(299) == 0.0
    assert late.LatePolicy("none").fraction(10 * day) == 0.0
    with pytest.raises(ValueError, match="expected one of"):
        late.LatePolicy("half")
    plugin = late.KitLatePolicy()
    plugin.policy = per_day
    assert plugin.late_submission_penalty("s", 3.0, 1.0) == pytest.approx(0.3)


def _stamp(course, student: str, when: str) -> None:
    path = course.root / "submitted" / student / "assignment1" / "timestamp.txt"
    if path.exists():
        path.chmod(0o644)
    path.write_text(when)


@pytest.mark.slow
def test_deadline_extension_penalty_exports_and_written_answers(tmp_path, capsys):
    course = fresh_course(tmp_path)
    root = str(course.root)
    src, _ = base_notebooks(course)
    ref = samples.reference_submission(src)
    folder = tmp_path / "collected"
    for s in ("alice", "bob", "carol"):
        samples.write_notebook(ref, folder / s / "assignment1" / "two_layer_net.ipynb")
    assert cli(["--course", root, "due", "assignment1", "2026-11-20T17:00-08:00"]) == 0
    assert cli(["--course", root, "late-policy", "per_day", "--percent", "10"]) == 0
    assert cli(["--course", root, "import", "assignment1", str(folder)]) == 0
    _stamp(course, "alice", "2026-11-21 00:30:00.000000 UTC")  # 30 min early
    _stamp(course, "bob", "2026-11-22 02:00:00.000000 UTC")  # 25 h late: 2 days, 20 %
    _stamp(course, "carol", "2026-11-22 07:00:00.000000 UTC")  # 30 h late, 48 h extension
    ext = tmp_path / "extensions.csv"
    ext.write_text("student,assignment,extension\ncarol,assignment1,2d\n")
    assert cli(["--course", root, "extend", "assignment1", "--csv", str(ext)]) == 0
    assert cli(["--course", root, "autograde", "assignment1", "--jobs", "2"]) == 0

    status = course.status()
    assert "due 2026-11-21T01:00:00+00:00" in status and "10% off per day" in status
    info = {s: late.lateness(course, "assignment1", s) for s in ("alice", "bob", "carol")}
    assert info["alice"]["seconds_late"] == 0 and info["carol"]["seconds_late"] == 0
    assert info["bob"]["seconds_late"] == 25 * 3600
    assert info["bob"]["penalty"] == pytest.approx(0.6)  # 20 % of 3 autograded points
    assert "1 day 1 h late: 20% off" in info["bob"]["text"]
    with course.gradebook() as gb:
        assert gb.find_submission("assignment1", "carol").extension == timedelta(days=2)
        assert gb.find_assignment("assignment1").duedate == datetime(2026, 11, 21, 1, 0)
        gb.update_or_create_student("alice", first_name="Ada", last_name="Lovelace")
        gb.update_or_create_student("alice", lms_user_id="1001")
        gb.update_or_create_student("bob", lms_user_id="1002")

    # long: the penalty is a row of its own, and the score column sums to the final score
    out = tmp_path / "long.csv"
    assert cli(["--course", root, "export", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    bob = [r for r in rows if r["student"] == "bob"]
    assert [r["question"] for r in bob][-1] == "late_penalty"
    assert sum(float(r["score"]) for r in bob) == pytest.approx(2.4)
    assert not [r for r in rows if r["student"] != "bob" and r["question"] == "late_penalty"]

    # canvas: Canvas's identity columns, a Points Possible row, the LMS id as ID
    out = tmp_path / "canvas.csv"
    assert cli(["--course", root, "export", "--format", "canvas", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "carol" in err and "no LMS id" in err
    lines = out.read_text().splitlines()
    table = list(csv.reader(lines))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "assignment1"]
    assert table[1][0].strip() == "Points Possible" and float(table[1][5]) == 4.0
    by_id = {r[0]: r for r in table[2:]}
    assert by_id["Lovelace, Ada"][1] == "1001" and float(by_id["Lovelace, Ada"][5]) == 3.0
    assert by_id["bob"][1] == "1002" and float(by_id["bob"][5]) == pytest.approx(2.4)
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "canvas_export.csv").write_text(out.read_text())

    # wide: one row per student, filtered by assignment
    out = tmp_path / "wide.csv"
    args = ["export", "--format", "wide", "--assignment", "assignment1", "--out", str(out)]
    assert cli(["--course", root, *args]) == 0
    wide = list(csv.DictReader(out.open()))
    assert [r["student"] for r in wide] == ["(max points)", "alice", "bob", "carol"]
    assert float(wide[2]["assignment1/late_penalty"]) == pytest.approx(0.6)
    assert float(wide[1]["assignment1/two_layer_net/a1_affine_forward_test"]) == 2.0
    assert cli(["--course", root, "export", "--assignment", "nope", "--out", str(out)]) == 2

    # the student's feedback shows the penalty (nbgrader's feedback template)
    assert cli(["--course", root, "feedback", "assignment1", "--student", "bob"]) == 0
    html = (course.root / "feedback" / "bob" / "assignment1" / "two_layer_net.html").read_text()
    assert "Late submission penalty" in html and "-0.6" in html

    # a TA grades the written answers; bob then edits his, alice hands in the same again
    with course.gradebook() as gb:
        for s in ("alice", "bob"):
            g = gb.find_grade("two_layer_net_q1", "two_layer_net", "assignment1", s)
            g.manual_score = 1.0
            g.needs_manual_grade = False
        gb.db.commit()
    edited = samples.reference_submission(src)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "two_layer_net_q1":
            cell.source = "**Your answer:**\nIts gradient is 1 for every positive input."
    samples.write_notebook(edited, tmp_path / "again" / "bob" / "two_layer_net.ipynb")
    samples.write_notebook(ref, tmp_path / "again" / "alice" / "two_layer_net.ipynb")
    assert cli(["--course", root, "import", "assignment1", str(tmp_path / "again")]) == 0
    assert cli(["--course", root, "autograde", "assignment1", "--force", "--jobs", "2"]) == 0
    with course.gradebook() as gb:
        a = gb.find_grade("two_layer_net_q1", "two_layer_net", "assignment1", "alice")
        b = gb.find_grade("two_layer_net_q1", "two_layer_net", "assignment1", "bob")
        assert a.manual_score == 1.0 and not a.needs_manual_grade
        assert b.manual_score is None and b.needs_manual_grade
    report = json.loads(
        (course.root / "autograded" / "bob" / "assignment1" / "grading.json").read_text()
    )
    assert report["written_answers_changed"] == ["two_layer_net/two_layer_net_q1"]


# ----------------------------------------------------------------------------- release
def _source_with_setup_cell(folder: Path) -> Path:
    """The mini source assignment with the Colab setup cell as its first code cell."""
    from autograder.authoring import cells

    src = samples.write_mini_source(folder)
    path = src / f"{samples.MINI_NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    setup = cells.setup_cell()
    setup.metadata["nbgrader"]["grade_id"] = f"{samples.MINI_NOTEBOOK}_setup"
    nb.cells.insert(1, setup)
    nbformat.write(nb, path)
    return src


@pytest.mark.slow
def test_release_without_an_activated_venv_bakes_the_wheel_url(tmp_path):
    src = _source_with_setup_cell(tmp_path / "src")
    course = tmp_path / "course"
    # PATH without the venv's bin: nbgrader's `alembic` must still be found
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    env["PYTHONPATH"] = str(REPO)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "autograder", "--course", str(course), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    proc = run("init", str(course))
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = run("release", "assignment1", "--source", str(src), "--due", "2026-12-01T17:00")
    assert proc.returncode == 2 and "no time zone" in proc.stderr, proc.stderr[-2000:]
    base = "http://127.0.0.1:8/course/a1"
    proc = run(
        "release", "assignment1", "--source", str(src), "--due", "2026-12-01T17:00Z", "--url", base
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    rel = course / "release" / "assignment1"
    info = json.loads((rel / "RELEASE.json").read_text())
    wheel = rel / info["wheel"]
    assert info["version"].startswith("0.1.0+assignment1.")
    assert wheel.name == f"cs231n_kit-{info['version']}-py3-none-any.whl"
    assert info["wheel_url"] == f"{base}/{info['wheel'].replace('+', '%2B')}"
    assert info["wheel_sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert (
        f"publish {info['wheel']}" in proc.stdout and "due 2026-12-01T17:00:00+00:00" in proc.stdout
    )
    nb = nbformat.read(rel / f"{samples.MINI_NOTEBOOK}.ipynb", as_version=4)
    setup = nb.cells[1].source
    assert info["wheel_url"] in setup and info["wheel_sha256"] in setup
    from nbgrader.utils import compute_checksum

    assert nb.cells[1].metadata["nbgrader"]["checksum"] == compute_checksum(nb.cells[1])
    # the source keeps the plain cell: the grader restores locked cells from the source
    assert (
        "_WHEEL_URL" not in (course / "source" / "assignment1" / "two_layer_net.ipynb").read_text()
    )


# ----------------------------------------------------------------------------- Colab, one cell
FAKE_COLAB = {"google/__init__.py": "", "google/colab/__init__.py": "CALLS = []\n"}

RUN_CELL = """\
import sys
sys.path.insert(0, sys.argv[2])
source = open(sys.argv[1], encoding="utf-8").read()
try:
    exec(compile(source, "setup-cell", "exec"), {"__name__": "__main__"})
except Exception as exc:
    print(f"ERROR {type(exc).__name__}: {exc}")
    sys.exit(3)
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Two releases' wheels of a tiny package, served on a loopback port."""
    from autograder.authoring.release import build_wheel, release_version

    root = tmp_path_factory.mktemp("served")
    pkg = root / "pkg" / "cs231n"
    pkg.mkdir(parents=True)
    site = root / "site"
    site.mkdir()
    wheels = []
    for stamp in ("20261201T120000", "20261202T090000"):
        (pkg / "__init__.py").write_text(f'__version__ = "0.1.0"\nRELEASE = "{stamp}"\n')
        wheels.append(build_wheel(pkg, site, version=release_version("assignment1", stamp)))
    handler = lambda *a, **k: _Quiet(*a, directory=str(site), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    tools = root / "tools"
    for rel, text in FAKE_COLAB.items():
        (tools / rel).parent.mkdir(parents=True, exist_ok=True)
        (tools / rel).write_text(text)
    (tools / "run_cell.py").write_text(RUN_CELL)
    yield {
        "base": f"http://127.0.0.1:{server.server_address[1]}",
        "wheels": wheels,
        "python": venv / "bin" / "python",
        "tools": tools,
    }
    server.shutdown()


def _run_setup(served, source: str, folder: Path) -> subprocess.CompletedProcess:
    folder.mkdir(parents=True, exist_ok=True)
    cell = folder / "cell.py"
    cell.write_text(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(
        PIP_NO_DEPS="1",  # the tiny test wheel's dependencies are not the point here
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    return subprocess.run(
        [
            str(served["python"]),
            str(served["tools"] / "run_cell.py"),
            str(cell),
            str(served["tools"]),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _installed(served) -> str:
    proc = subprocess.run(
        [str(served["python"]), "-c", "import cs231n; print(cs231n.RELEASE)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )
    return proc.stdout.strip()


@pytest.mark.slow
def test_colab_setup_cell_downloads_checks_and_falls_back(served, tmp_path):
    from autograder.authoring.release import wheel_url
    from autograder.authoring.setup_cell import SETUP_SOURCE, baked_setup_source

    def baked(wheel, sha=None):
        sha = sha or hashlib.sha256(wheel.read_bytes()).hexdigest()
        return baked_setup_source(wheel_url(served["base"], wheel.name), sha)

    first, second = served["wheels"]
    # the student runs the first cell and nothing else: the wheel comes from the URL
    proc = _run_setup(served, baked(first), tmp_path / "content")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cs231n installed from" in proc.stdout and _installed(served) == "20261201T120000"
    # a new release (new version) installs over the old one in the same runtime
    proc = _run_setup(served, baked(second), tmp_path / "content")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _installed(served) == "20261202T090000"
    # a checksum mismatch is a clear error, and nothing is installed
    proc = _run_setup(served, baked(first, sha="0" * 64), tmp_path / "content")
    assert proc.returncode == 3
    assert "expected sha256 " + "0" * 64 in proc.stdout and "upload the .whl" in proc.stdout
    assert _installed(served) == "20261202T090000"
    # no network: an uploaded wheel is the fallback ...
    dead = baked_setup_source("http://127.0.0.1:9/" + first.name, "1" * 64)
    upload = tmp_path / "uploaded"
    upload.mkdir()
    (upload / first.name).write_bytes(first.read_bytes())
    proc = _run_setup(served, dead, upload)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "could not download" in proc.stdout and _installed(served) == "20261201T120000"
    # ... and without one the error says what to do
    proc = _run_setup(served, dead, tmp_path / "empty")
    assert proc.returncode == 3 and "upload the .whl file" in proc.stdout
    # outside Colab the cell does nothing (no google.colab importable)
    env_cell = tmp_path / "plain.py"
    env_cell.write_text(baked(first))
    proc = subprocess.run(
        [str(served["python"]), str(env_cell)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout == ""
    assert SETUP_SOURCE.count("_WHEEL_URL") == 0  # the plain cell stays upload-only
    with pytest.raises(ValueError, match="http"):
        baked_setup_source("ftp://x/y.whl", "0" * 64)


# ----------------------------------------------------------------------------- Gradescope
@pytest.mark.slow
def test_written_answers_per_student_for_gradescope(tmp_path):
    import re

    from autograder.gradescope import chromium_path

    course = fresh_course(tmp_path)
    src, rel = base_notebooks(course)
    answered = samples.reference_submission(src)
    for cell in answered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "two_layer_net_q1":
            cell.source = "**Your answer:**\nIt keeps gradients alive. <script>alert(1)</script>"
    folder = tmp_path / "collected"
    samples.write_notebook(answered, folder / "alice" / "assignment1" / "two_layer_net.ipynb")
    samples.write_notebook(rel, folder / "bob" / "assignment1" / "two_layer_net.ipynb")
    assert cli(["--course", str(course.root), "import", "assignment1", str(folder)]) == 0
    out = tmp_path / "written"
    assert cli(["--course", str(course.root), "written", "assignment1", "--out", str(out)]) == 0
    alice = (out / "alice.html").read_text()
    assert "It keeps gradients alive." in alice and "Why does ReLU help?" in alice
    assert "<script>" not in alice and "&lt;script&gt;" in alice
    assert "(no answer)" in (out / "bob.html").read_text()
    index = list(csv.DictReader((out / "index.csv").open()))
    assert [r["student"] for r in index] == ["alice", "bob"] and index[0]["pages"] == "2"
    if chromium_path() is None:
        pytest.skip("no chromium: HTML checked, PDF not")
    for s in ("alice", "bob"):
        data = (out / f"{s}.pdf").read_bytes()
        assert data.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 2  # cover + one question
    artifacts = REPO / "test-artifacts" / "written"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "alice.pdf").write_bytes((out / "alice.pdf").read_bytes())


@pytest.mark.slow
def test_canvas_download_to_canvas_gradebook(tmp_path):
    """A Canvas bulk download in, Canvas's gradebook CSV out: LMS ids and LMS times kept."""
    import zipfile

    course = fresh_course(tmp_path)
    root = str(course.root)
    src, _ = base_notebooks(course)
    upload = tmp_path / "submissions.zip"
    text = nbformat.writes(samples.reference_submission(src))
    with zipfile.ZipFile(upload, "w") as zf:  # Canvas names: login[_LATE]_userid_subid_file
        zf.writestr(
            zipfile.ZipInfo(
                "lovelaceada_LATE_12345_67890_two_layer_net.ipynb", (2026, 11, 22, 3, 0, 0)
            ),
            text,
        )
        zf.writestr(
            zipfile.ZipInfo("turingalan_22222_67891_two_layer_net.ipynb", (2026, 11, 20, 3, 0, 0)),
            text,
        )
    assert cli(["--course", root, "due", "assignment1", "2026-11-21T00:00Z"]) == 0
    assert cli(["--course", root, "late-policy", "per_day", "--percent", "10"]) == 0
    assert cli(["--course", root, "import", "assignment1", str(upload)]) == 0
    assert cli(["--course", root, "autograde", "assignment1", "--jobs", "2"]) == 0
    out = tmp_path / "canvas.csv"
    assert cli(["--course", root, "export", "--format", "canvas", "--out", str(out)]) == 0
    table = list(csv.reader(out.read_text().splitlines()))
    assert table[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    rows = {r[0]: r for r in table[2:]}
    assert rows["lovelaceada"][1] == "12345" and float(rows["lovelaceada"][5]) == pytest.approx(2.4)
    assert rows["turingalan"][1] == "22222" and float(rows["turingalan"][5]) == 3.0
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "canvas_from_canvas_download.csv").write_text(out.read_text())


@pytest.mark.slow
def test_plain_nbgrader_autograde_uses_the_same_late_policy(tmp_path):
    """The course's nbgrader_config.py selects KitLatePolicy for `nbgrader autograde` too."""
    course = fresh_course(tmp_path)
    root = str(course.root)
    src, _ = base_notebooks(course)
    assert cli(["--course", root, "due", "assignment1", "2026-11-21T00:00Z"]) == 0
    assert cli(["--course", root, "late-policy", "per_day", "--percent", "25"]) == 0
    folder = course.root / "submitted" / "alice" / "assignment1"
    samples.write_notebook(samples.reference_submission(src), folder / "two_layer_net.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-21 05:00:00.000000 UTC")  # 5 h late
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "assignment1", "--force"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Late submission penalty: 0.75" in proc.stderr
    with course.gradebook() as gb:
        sub = gb.find_submission("assignment1", "alice")
        assert sub.total_seconds_late == 5 * 3600
        assert sub.late_submission_penalty == pytest.approx(0.75)  # 25 % of 3 points

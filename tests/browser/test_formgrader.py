"""A TA grades a written answer in nbgrader's formgrader (JupyterLab 4), driven by Chromium.

The test makes a course with the kit (the sample assignment), imports one submission with
a written answer and a figure of the student's, grades it with ``python -m autograder
autograde``, starts JupyterLab in the course directory (nbgrader's formgrader server
extension and lab extension), and runs ``drive_formgrader.js`` (playwright-core with the
system Chromium): JupyterLab's Nbgrader > Formgrader panel, the notebook's submission
list, the student's graded notebook, where it types a score for the written answer and
leaves the box, as a TA does.  Then ``python -m autograder export`` must carry that score.

Screenshots go to ``test-artifacts/formgrader/``.  Needs chromium, node,
``node_modules/playwright-core`` and jupyterlab; skips with the reason otherwise.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from test_jupyterlab import _chromium, _free_port, _lab_settings, _pids_with_marker, _stop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HERE = Path(__file__).parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts" / "formgrader"
MARKER = "CS231N_BROWSER_TEST"

FIGURE_CELL = """\
import matplotlib.pyplot as plt

plt.figure(figsize=(3, 2))
plt.plot([0, 1, 2, 3], [2.3, 1.1, 0.7, 0.5])
plt.title("my loss curve")
plt.show()
"""
ANSWER = "**Your answer:**\nReLU does not saturate for x > 0, so its gradient stays 1 there."


def _requirements() -> dict:
    missing = []
    chromium = _chromium()
    if not chromium:
        missing.append("chromium (apt-get install chromium)")
    node = shutil.which("node")
    if not node:
        missing.append("node")
    if not (REPO / "node_modules" / "playwright-core").is_dir():
        missing.append("node_modules/playwright-core (npm install --no-save playwright-core)")
    for mod in ("jupyterlab", "nbgrader.server_extensions.formgrader", "nbformat"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(f"python package {mod}")
    if missing:
        pytest.skip("formgrader test needs " + ", ".join(missing))
    return {"chromium": chromium, "node": node}


def test_ta_grades_a_written_answer_in_formgrader(tmp_path):
    req = _requirements()
    import nbformat
    from adversarial.helpers import base_notebooks, fresh_course

    from autograder import notebooks as nbs
    from autograder import samples
    from autograder.__main__ import main as cli

    course = fresh_course(tmp_path)
    root = str(course.root)
    src, _ = base_notebooks(course)
    sub = samples.reference_submission(src)
    at = next(i for i, c in enumerate(sub.cells) if nbs.grade_id(c) == "two_layer_net_q1")
    sub.cells[at].source = ANSWER
    sub.cells.insert(at - 1, nbformat.v4.new_code_cell(FIGURE_CELL))
    folder = tmp_path / "collected"
    samples.write_notebook(sub, folder / "alice" / "two_layer_net.ipynb")
    assert cli(["--course", root, "import", "assignment1", str(folder)]) == 0
    assert cli(["--course", root, "autograde", "assignment1", "--jobs", "1"]) == 0
    graded = nbformat.read(
        course.root / "autograded" / "alice" / "assignment1" / "two_layer_net.ipynb", as_version=4
    )
    figures_kept = sum(
        1
        for c in graded.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    )

    marker = secrets.token_hex(8)
    token = secrets.token_hex(16)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    env.update(_lab_settings(tmp_path))
    env.update({MARKER: marker, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)})
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    log = open(tmp_path / "jupyterlab.log", "wb")
    lab = None
    try:
        lab = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--port-retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={course.root}",
                "--ServerApp.open_browser=False",
            ],
            cwd=course.root,  # formgrader reads the course's nbgrader_config.py from here
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if lab.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "jupyterlab.log").read_text()[-3000:]
                    )
                time.sleep(0.5)
        config = {
            "base": base,
            "token": token,
            "chromium": req["chromium"],
            "userDataDir": str(tmp_path / "chromium-profile"),
            "screenshotDir": str(ARTIFACTS),
            "assignment": "assignment1",
            "notebook": samples.MINI_NOTEBOOK,
            "student": "alice",
            "gradeId": "two_layer_net_q1",
            "score": "1",
        }
        (tmp_path / "drive.json").write_text(json.dumps(config))
        run = subprocess.run(
            [req["node"], str(HERE / "drive_formgrader.js"), str(tmp_path / "drive.json")],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            start_new_session=True,
        )
        assert run.returncode == 0, (
            f"browser driver failed:\n{run.stderr[-4000:]}\n"
            + (tmp_path / "jupyterlab.log").read_text()[-3000:]
        )
        result = json.loads(run.stdout)
        result["figures_in_graded_notebook"] = figures_kept
        (ARTIFACTS / "result.json").write_text(json.dumps(result, indent=2))
    finally:
        _stop(lab, marker, base, token)
        log.close()

    page = result["grading_page"]
    assert "ReLU does not saturate" in page["answer_text"], page
    assert page["needs_manual_class"] is True, "formgrader did not flag the answer as ungraded"
    assert result["save_status"] == 200, result
    assert json.loads(result["save_body"])["manual_score"] == 1.0
    # the graded notebook keeps the student's figure, and formgrader shows it
    assert figures_kept >= 1, "the graded notebook lost the student's figure"
    assert page["images"] >= figures_kept, page
    for name in ("fg_01_submissions", "fg_02_grading_page", "fg_03_answer_graded"):
        assert (ARTIFACTS / f"{name}.png").is_file()
    assert not _pids_with_marker(marker), "processes of the test were left running"

    out = tmp_path / "grades.csv"
    assert cli(["--course", root, "export", "--out", str(out)]) == 0
    rows = {r["question"]: r for r in csv.DictReader(out.open()) if r["student"] == "alice"}
    q1 = rows["two_layer_net_q1"]
    assert float(q1["score"]) == 1.0 and float(q1["manual_score"]) == 1.0, q1
    assert q1["status"] != "needs manual grade", q1
    assert sum(float(r["score"]) for r in rows.values()) == 4.0

"""A student release notebook in a real JupyterLab, driven by headless Chromium.

The test builds the assignment1 student release, copies one notebook with its stripped
package to a temp folder, pre-fills ONE solution cell with the reference solution, and
inserts a few "student experience" cells after the first two tasks (a widget, a short
Solver run with its tqdm bar, the loss/accuracy curves, the self-check).  JupyterLab is
started on 127.0.0.1 with a token; ``drive_notebook.js`` (playwright-core with the system
Chromium, no browser download) runs the cells one by one and reports what the page shows.
Screenshots go to ``test-artifacts/browser/``.

Needs: chromium (Debian package), node, ``npm install --no-save playwright-core`` at the
repo root, jupyterlab + ipywidgets in this Python.  Skips with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import student_release as sr

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HERE = Path(__file__).parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser"
NOTEBOOK_PREFERENCE = ("two_layer_net", "knn", "svm", "softmax", "backprop")
MARKER = "CS231N_BROWSER_TEST"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


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
    for mod in ("jupyterlab", "ipywidgets", "ipykernel", "nbformat"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(f"python package {mod}")
    if sr.release_builder() is None:
        missing.append("autograder.authoring.release.build_student_release")
    elif not any((REPO / "assignments" / "assignment1").glob("*.ipynb")):
        missing.append("the assignment1 source notebooks")
    if missing:
        pytest.skip("browser test needs " + ", ".join(missing))
    return {"chromium": chromium, "node": node}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pids_with_marker(value: str) -> list[int]:
    """Processes whose environment carries our marker: the server, kernels, the browser."""
    needle = f"{MARKER}={value}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _stop(proc: subprocess.Popen | None, marker: str, base_url: str | None, token: str) -> None:
    """Stop JupyterLab (API shutdown, then its process group) and anything left of ours."""
    if proc is not None and proc.poll() is None and base_url:
        try:
            req = urllib.request.Request(
                f"{base_url}/api/shutdown",
                method="POST",
                headers={"Authorization": f"token {token}"},
            )
            urllib.request.urlopen(req, timeout=5).read()
            proc.wait(timeout=15)
        except Exception:  # fall through to signals
            pass
    if proc is not None and proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=wait)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
    for pid in _pids_with_marker(marker):  # kernels run in sessions of their own
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _experience_cells(first_task: str, second_task: str) -> list:
    from nbformat.v4 import new_code_cell

    return [
        new_code_cell(
            "import cs231n\n"
            "import ipywidgets as widgets\n"
            'print("student package:", cs231n.__file__)\n'
            'widgets.FloatLogSlider(value=1e-3, base=10, min=-6, max=-1, description="learning rate")'
        ),
        new_code_cell(
            sr.TINY_MODEL + "\n\n\n"
            "from cs231n.solver import Solver\n\n"
            "solver = Solver(TinySoftmax(20, 3, delay=0.01), tiny_blobs(), update_rule='sgd',\n"
            "                optim_config={'learning_rate': 0.1}, batch_size=30, num_epochs=15,\n"
            "                print_every=10000, seed=0)\n"
            "solver.train()\n"
            "print('best val acc', solver.best_val_acc)"
        ),
        new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "from cs231n.vis_utils import plot_history\n\n"
            "plt.figure(figsize=(4, 2))\n"
            "plt.plot(solver.loss_history)\n"
            "plt.title('loss (pyplot)')\n"
            "plt.show()\n"
            "plot_history(solver)"
        ),
        new_code_cell(
            "from cs231n.course.self_check import self_check\n\n"
            "report = self_check()\n"
            f"print({first_task!r}, report.by_id()[{first_task!r}].status)\n"
            f"print({second_task!r}, report.by_id()[{second_task!r}].status)"
        ),
    ]


def _prepare(tmp: Path) -> dict:
    import nbformat

    release = sr.cached_release("assignment1")
    notebooks = {p.stem: p for p in release.glob("*.ipynb")}
    name = next((n for n in NOTEBOOK_PREFERENCE if n in notebooks), None)
    assert name, f"no assignment1 notebook in the release: {sorted(notebooks)}"
    work = tmp / "student"
    work.mkdir()
    shutil.copytree(release / "cs231n", work / "cs231n")
    nb = nbformat.read(notebooks[name], as_version=4)
    tasks = sr.task_cells(nb)
    assert len(tasks) >= 2, f"{name}: expected two task cells, got {tasks}"
    (first, _, _), (second, _, second_test) = tasks[0], tasks[1]
    sr.fill_solution(nb, second, "assignment1", name)
    # insert the experience cells right after the second test cell
    test_cell = sr.code_cells(nb)[second_test]
    at = nb.cells.index(test_cell) + 1
    extra = _experience_cells(first, second)
    nb.cells[at:at] = extra
    nbformat.write(nb, work / f"{name}.ipynb")
    n_run = second_test + 1 + len(extra)
    return {
        "dir": work,
        "notebook": f"{name}.ipynb",
        "first": first,
        "second": second,
        "tasks": tasks,
        "cells": list(range(n_run)),
        "first_test": tasks[0][2],
        "second_test": second_test,
        "widget_cell": second_test + 1,
        "train_cell": second_test + 2,
        "plot_cell": second_test + 3,
        "self_check_cell": second_test + 4,
    }


def _lab_settings(root: Path) -> dict:
    """Private JupyterLab settings: no windowing (all cells in the DOM), no news, no updates."""
    settings = root / "lab-settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    ).write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return {
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }


def test_release_notebook_in_jupyterlab(tmp_path):
    req = _requirements()
    plan = _prepare(tmp_path)
    marker = secrets.token_hex(8)
    token = secrets.token_hex(16)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    env.update(_lab_settings(tmp_path))
    env.update({MARKER: marker, "PYTHONPATH": str(plan["dir"]), "PYTHONDONTWRITEBYTECODE": "1"})
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
                f"--ServerApp.root_dir={plan['dir']}",
                "--ServerApp.open_browser=False",
            ],
            cwd=plan["dir"],
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
            "url": f"{base}/lab/tree/{plan['notebook']}?token={token}",
            "chromium": req["chromium"],
            "userDataDir": str(tmp_path / "chromium-profile"),
            "screenshotDir": str(ARTIFACTS),
            "cells": plan["cells"],
            "screenshotCells": {
                str(plan["first_test"]): "01_stub_fails",
                str(plan["second_test"]): "02_implemented_passes",
                str(plan["widget_cell"]): "03_widget",
                str(plan["train_cell"]): "04_training_progress",
                str(plan["plot_cell"]): "05_curves",
                str(plan["self_check_cell"]): "06_self_check",
            },
            "watchProgressCell": plan["train_cell"],
            "cellTimeoutMs": 120000,
        }
        (tmp_path / "drive.json").write_text(json.dumps(config))
        run = subprocess.run(
            [req["node"], str(HERE / "drive_notebook.js"), str(tmp_path / "drive.json")],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=420,
            start_new_session=True,
        )
        assert run.returncode == 0, f"browser driver failed:\n{run.stderr[-4000:]}"
        result = json.loads(run.stdout)
        (ARTIFACTS / "result.json").write_text(json.dumps(result, indent=2))
    finally:
        _stop(lab, marker, base, token)
        log.close()

    cells = {int(k): v for k, v in result["cells"].items()}
    stub = cells[plan["first_test"]]
    assert "NotImplementedError" in stub["text"] and plan["first"] in stub["text"], stub
    assert stub["errors"] >= 1
    done = cells[plan["second_test"]]
    assert done["errors"] == 0, done
    assert "passed" in done["text"], done
    widget = cells[plan["widget_cell"]]
    assert str(plan["dir"]) in widget["text"], "the kernel did not import the student package"
    assert widget["sliders"] >= 1 and widget["widgets"] >= 1, widget
    train = cells[plan["train_cell"]]
    assert train["errors"] == 0, train
    assert train["progress"] >= 1, f"no tqdm progress widget rendered: {train}"
    assert result["watched"]["progress_while_running"] >= 1, result["watched"]
    plot = cells[plan["plot_cell"]]
    assert plot["images"] >= 2, f"the pyplot figure and plot_history's did not both render: {plot}"
    check = cells[plan["self_check_cell"]]
    assert check["self_check"] == 1 and check["html_tables"] >= 1, check
    assert f"{plan['second']} passed" in check["text"], check["text"]
    assert f"{plan['first']} not attempted" in check["text"], check["text"]
    assert "hidden tests" in check["text"]
    for name in ("01_stub_fails", "02_implemented_passes", "03_widget", "05_curves", "99_end"):
        assert (ARTIFACTS / f"{name}.png").is_file()
    assert not _pids_with_marker(marker), "processes of the test were left running"

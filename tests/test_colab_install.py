"""A fresh, Colab-like install of a student release, on every Python the machine has.

For each Python version (3.10 - 3.13, skipped with the reason where the interpreter is
missing) the test

1. builds the assignment1 student release (the first assignment that has notebooks) (notebooks + stripped package + wheel);
2. creates a NEW virtual environment, runs everything from a temp folder with
   PYTHONPATH unset, so nothing of the repo is importable;
3. pre-installs only the wheel's *dependencies* (numpy, matplotlib, ...) from a local
   wheel cache (``~/.cache/cs231n-kit/colab-wheels`` or ``$CS231N_WHEEL_CACHE``, filled
   from PyPI on a miss), two versions at a time and without bytecode compilation;
4. copies one release notebook, with every solution cell filled with the reference
   solution, and the wheel into a folder, and runs the notebook's code cells there in
   the venv's Python (an IPython shell, so magics work) with a simulated ``google.colab``
   package on ``sys.path``: the setup cell's Colab branch must install the kit from the
   wheel (pip offline: ``PIP_NO_INDEX``, a dead proxy) and set ``CS231N_DATA_DIR``;
5. asserts every cell ran, every visible check printed its success line, and
   ``self_check()`` reports every task passed.

Without the fake ``google.colab`` the setup cell must do nothing (checked too).
Results per version go to ``test-artifacts/colab/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import student_release as sr

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
# a wheel cache outside the clone, so that CI runs on the same machine reuse it
CACHE = Path(
    os.environ.get("CS231N_WHEEL_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "cs231n-kit"
    / "colab-wheels"
)
ARTIFACTS = REPO / "test-artifacts" / "colab"
VERSIONS = ("3.10", "3.11", "3.12", "3.13")
# fastest notebooks first: one notebook per version keeps the test well under two minutes
NOTEBOOK_PREFERENCE = ("backprop", "knn", "softmax", "svm", "two_layer_net", "HyperparameterSearch")

RUNNER = r'''
"""Run a notebook's code cells in this interpreter, like a kernel would, and report."""
import contextlib, io, json, os, sys, time, traceback

nb_path, out_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, "")  # the notebook's folder, as in a kernel
if os.environ.get("FAKE_COLAB_DIR"):
    sys.path.insert(0, os.environ["FAKE_COLAB_DIR"])
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
with open(nb_path, encoding="utf-8") as f:
    nb = json.load(f)
cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
if mode == "setup-only":
    cells = cells[:1]
elif mode == "checks":  # through the last test cell: every check, not the closing demos
    gids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "") for c in cells]
    last = max((i for i, g in enumerate(gids) if g.endswith("_test")), default=len(cells) - 1)
    cells = cells[: last + 1]
report = {"python": sys.version.split()[0], "cells": [], "error": None}
start = time.perf_counter()
for i, cell in enumerate(cells):
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
    buf = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        res = shell.run_cell(src, store_history=True)
    err = res.error_before_exec or res.error_in_exec
    report["cells"].append({"index": i, "grade_id": gid, "ok": err is None,
                            "seconds": round(time.perf_counter() - t0, 2),
                            "output": buf.getvalue()[-3000:]})
    if err is not None:
        report["error"] = f"cell {i} ({gid}): {type(err).__name__}: {err}"
        break
report["seconds"] = round(time.perf_counter() - start, 2)
if mode in ("full", "checks") and report["error"] is None:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        shell.run_cell("from cs231n.course.self_check import self_check as _sc\n_rep = _sc(show=False)")
    rep = shell.user_ns.get("_rep")
    report["self_check"] = {r.task_id: r.status for r in rep.results} if rep else buf.getvalue()
    report["self_check_notebook"] = rep.notebook if rep else None
try:
    import cs231n
    report["cs231n_file"] = cs231n.__file__
except ImportError as exc:
    report["cs231n_file"] = None
    report["import_error"] = str(exc)
import numpy
report["numpy"] = numpy.__version__
report["CS231N_DATA_DIR"] = os.environ.get("CS231N_DATA_DIR")
report["colab_log"] = sys.modules["google.colab"].CALLS if "google.colab" in sys.modules else None
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(report, f, indent=1)
'''

FAKE_COLAB = {
    "google/__init__.py": "",
    "google/colab/__init__.py": (
        '"""A stand-in for Colab\'s google.colab package: records what the notebook uses."""\n'
        "CALLS = ['import google.colab']\n"
        "from google.colab import drive, files, output  # noqa: E402,F401\n"
    ),
    "google/colab/drive.py": (
        "from google.colab import CALLS\n\n\n"
        "def mount(mountpoint, force_remount=False, timeout_ms=120000, readonly=False):\n"
        "    CALLS.append(f'drive.mount({mountpoint!r})')\n\n\n"
        "def flush_and_unmount(timeout_ms=None):\n"
        "    CALLS.append('drive.flush_and_unmount()')\n"
    ),
    "google/colab/files.py": (
        "from google.colab import CALLS\n\n\n"
        "def download(filename):\n"
        "    CALLS.append(f'files.download({filename!r})')\n\n\n"
        "def upload():\n"
        "    CALLS.append('files.upload()')\n"
        "    return {}\n"
    ),
    "google/colab/output.py": (
        "from google.colab import CALLS\n\n\n"
        "def enable_custom_widget_manager():\n"
        "    CALLS.append('output.enable_custom_widget_manager()')\n"
    ),
}


# ---------------------------------------------------------------------- interpreters
def _version_of(cmd: list[str], env=None) -> str | None:
    try:
        out = subprocess.run(
            [*cmd, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def find_python(version: str) -> str | None:
    """An interpreter of ``version``: ``pythonX.Y`` on PATH, else a pyenv-installed one."""
    if _version_of([sys.executable]) == version:
        return sys.executable
    exe = shutil.which(f"python{version}")
    if exe and _version_of([exe]) == version:
        return exe
    pyenv = shutil.which("pyenv")
    if pyenv:
        out = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True)
        found = [v for v in out.stdout.split() if re.fullmatch(rf"{re.escape(version)}\.\d+", v)]
        for v in sorted(found, key=lambda s: int(s.rsplit(".", 1)[1]), reverse=True):
            prefix = subprocess.run([pyenv, "prefix", v], capture_output=True, text=True)
            exe = str(Path(prefix.stdout.strip()) / "bin" / f"python{version}")
            if prefix.returncode == 0 and _version_of([exe]) == version:
                return exe
    return None


def _clean_env(**extra) -> dict:
    """The environment of a student's machine: nothing of the repo, no test settings."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CS231N_DATA_DIR", "MPLBACKEND", "PIP_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    env.update(extra)
    return env


def _wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(meta).decode()
    reqs = [
        ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("Requires-Dist:")
    ]
    return [r for r in reqs if "extra ==" not in r]


def _pip(venv_python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run this interpreter's pip against the venv (``pip --python``): no pip bootstrap."""
    cmd = [sys.executable, "-m", "pip", "--python", str(venv_python), *args]
    return subprocess.run(
        cmd, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=600
    )


def _cache(version: str) -> Path:
    return CACHE / f"py{version}"  # one folder per version: concurrent downloads never collide


def _install_dependencies(venv_python: Path, version: str, reqs: list[str], cwd: Path) -> None:
    """pip and the kit's dependencies into the venv: from the local cache, PyPI on a miss."""
    cache = _cache(version)
    cache.mkdir(parents=True, exist_ok=True)
    install = ["install", "-q", "--no-compile", "--no-index", "--find-links", str(cache)]
    res = _pip(venv_python, *install, "pip", *reqs, cwd=cwd)
    if res.returncode != 0:  # cache miss: fill the cache from the registry, then retry
        dl = _pip(venv_python, "download", "-q", "-d", str(cache), "pip", *reqs, cwd=cwd)
        assert dl.returncode == 0, f"pip download failed:\n{dl.stderr[-3000:]}"
        res = _pip(venv_python, *install, "pip", *reqs, cwd=cwd)
    assert res.returncode == 0, f"installing the dependencies failed:\n{res.stderr[-3000:]}"


# ---------------------------------------------------------------------- the release
@pytest.fixture(scope="module")
def release(tmp_path_factory):
    if sr.release_builder() is None:
        pytest.skip("needs autograder.authoring.release.build_student_release")
    assignments = sr.assignments_with_notebooks()
    if not assignments:
        pytest.skip("needs source notebooks in assignments/")
    import nbformat

    assignment = assignments[0]
    out = tmp_path_factory.mktemp("release")
    path = sr.cached_release(assignment)
    wheels = sorted(path.glob("cs231n_kit-*.whl"))
    assert wheels, f"the release has no cs231n_kit-*.whl: {sorted(p.name for p in path.iterdir())}"
    notebooks = {p.stem: p for p in path.glob("*.ipynb")}
    name = next((n for n in NOTEBOOK_PREFERENCE if n in notebooks), sorted(notebooks)[0])
    nb = nbformat.read(notebooks[name], as_version=4)
    tasks = sr.task_cells(nb)
    assert tasks, f"{name}: no task cells in the release notebook"
    for task_id, _, _ in tasks:
        sr.fill_solution(nb, task_id, assignment, name)
    solved = out / f"{name}.solved.ipynb"
    nbformat.write(nb, solved)
    tools = out / "tools"
    fake = tools / "fake_colab"
    for rel, text in FAKE_COLAB.items():
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text(text)
    runner = tools / "run_notebook.py"
    runner.write_text(RUNNER)
    return {
        "wheel": wheels[-1],
        "notebook": name,
        "solved": solved,
        "tasks": [t for t, _, _ in tasks],
        "fake_colab": fake,
        "runner": runner,
    }


def _make_venv(version: str, root: Path, reqs: list[str]) -> dict:
    """A new venv of ``version`` with the kit's dependencies (not the kit), or a skip reason."""
    exe = find_python(version)
    if exe is None:
        return {
            "skip": f"no Python {version} interpreter on this machine (pythonX.Y on PATH or pyenv)"
        }
    t0 = time.perf_counter()
    folder = root / f"py{version}"
    folder.mkdir()
    venv = folder / "venv"
    res = subprocess.run(
        [exe, "-m", "venv", "--without-pip", str(venv)],
        cwd=folder,
        env=_clean_env(),
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        return {"error": f"venv failed: {res.stderr}"}
    try:
        _install_dependencies(venv / "bin" / "python", version, reqs, cwd=folder)
    except AssertionError as exc:
        return {"error": str(exc)}
    return {"venv": venv, "folder": folder, "seconds": round(time.perf_counter() - t0, 1)}


@pytest.fixture(scope="module")
def venvs(release, tmp_path_factory):
    """One venv per Python version, prepared two at a time (pip is mostly waiting on I/O)."""
    from concurrent.futures import ThreadPoolExecutor

    root = tmp_path_factory.mktemp("venvs")
    reqs = _wheel_requirements(release["wheel"])
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {v: pool.submit(_make_venv, v, root, reqs) for v in VERSIONS}
        return {v: f.result() for v, f in futures.items()}


def _run(
    venv_python: Path, version: str, release: dict, folder: Path, mode: str, fake: bool
) -> dict:
    out = folder / f"report-{mode}.json"
    env = _clean_env(
        MPLBACKEND="Agg",
        PIP_NO_INDEX="1",  # the Colab branch's pip must not reach the network
        PIP_FIND_LINKS=str(_cache(version)),
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
    )
    if fake:
        env["FAKE_COLAB_DIR"] = str(release["fake_colab"])
    nb = folder / f"{release['notebook']}.ipynb"
    res = subprocess.run(
        [str(venv_python), str(release["runner"]), str(nb), str(out), mode],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0 and out.is_file(), (
        f"runner failed:\n{res.stdout[-2000:]}\n{res.stderr[-3000:]}"
    )
    return json.loads(out.read_text())


@pytest.mark.parametrize("version", VERSIONS)
def test_fresh_colab_like_install(version, release, venvs, tmp_path):
    content_existed = Path("/content").exists()
    env = venvs[version]
    if "skip" in env:
        pytest.skip(env["skip"])
    assert "error" not in env, env.get("error")
    venv = env["venv"]
    py = venv / "bin" / "python"
    t0 = time.perf_counter()
    # the full notebook on this interpreter's version, every check on the others
    mode = "full" if version == f"{sys.version_info[0]}.{sys.version_info[1]}" else "checks"

    folder = tmp_path / "content"  # the notebook's own folder, as uploaded to Colab
    folder.mkdir()
    shutil.copy(release["solved"], folder / f"{release['notebook']}.ipynb")
    shutil.copy(release["wheel"], folder / release["wheel"].name)

    # Outside Colab the setup cell does nothing: the kit is not installed afterwards.
    local = _run(py, version, release, folder, "setup-only", fake=False)
    assert local["error"] is None, local
    assert local["cs231n_file"] is None, f"the setup cell installed the kit outside Colab: {local}"
    assert local["colab_log"] is None and local["CS231N_DATA_DIR"] is None

    # Inside (simulated) Colab: the setup cell installs the wheel, then the notebook runs.
    colab = _run(py, version, release, folder, mode, fake=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    colab["mode"] = mode
    colab["venv_seconds"] = env["seconds"]
    colab["run_seconds"] = round(time.perf_counter() - t0, 1)
    (ARTIFACTS / f"python{version}.json").write_text(json.dumps(colab, indent=1))

    assert colab["python"].startswith(version + ".")
    assert colab["error"] is None, colab["error"] + "\n" + colab["cells"][-1]["output"]
    setup_out = colab["cells"][0]["output"]
    assert "cs231n installed from" in setup_out, setup_out
    assert colab["colab_log"] and colab["colab_log"][0] == "import google.colab"
    assert colab["CS231N_DATA_DIR"] == "/content/cs231n_data"
    site = Path(colab["cs231n_file"]).resolve()
    assert venv.resolve() in site.parents, f"cs231n imported from {site}, not the venv"
    assert REPO not in site.parents
    test_cells = [c for c in colab["cells"] if c["grade_id"].endswith("_test")]
    assert len(test_cells) == len(release["tasks"])
    for cell in test_cells:
        assert cell["ok"] and "passed" in cell["output"], cell
    assert colab["self_check_notebook"] == release["notebook"]
    assert colab["self_check"] == {t: "passed" for t in release["tasks"]}, colab["self_check"]
    # the simulation wrote nothing at Colab's absolute paths on this machine
    assert Path("/content").exists() == content_existed

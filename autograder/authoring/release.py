"""Build a student release of one assignment.

:func:`build_student_release` produces, in ``out_dir/<assignment>/``:

* the student notebooks, made by nbgrader's ``generate_assignment`` (solutions cleared
  to a stub that raises ``NotImplementedError`` naming the task, hidden tests removed);
* ``cs231n/``: the student package, with the solution of every task of this assignment
  and of later ones replaced by a stub (:mod:`autograder.authoring.strip`);
* ``cs231n_kit-<version>-py3-none-any.whl``: the same package as a wheel, which the
  notebooks' Colab setup cell installs (downloaded from ``--url`` when one is given,
  else uploaded by the student); the version names the assignment and the release;
* ``RELEASE.json``: what was built.

It never copies ``hidden/``, ``_build/``, the ``autograder`` package or solutions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

from autograder.authoring.source import ASSIGNMENTS_DIR, REPO_ROOT
from autograder.authoring.strip import strip_package
from cs231n.course.tasks import ASSIGNMENTS, get_task

#: What nbgrader writes in place of each solution region of a notebook (then made
#: task-specific by :func:`_name_stubs`).
NOTEBOOK_STUB = 'raise NotImplementedError("not implemented yet: write your code here")'
DIST_NAME = "cs231n_kit"

NBGRADER_CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "cs231n"
c.GenerateAssignment.create_assignment = True
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True
"""


def _version() -> str:
    text = (REPO_ROOT / "cs231n" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    return match.group(1) if match else "0.0.0"


def _requirements() -> list[str]:
    path = REPO_ROOT / "requirements.txt"
    if not path.is_file():
        return ["numpy"]
    lines = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]
    return [ln for ln in lines if ln]


def build_wheel(package_dir: Path, out_dir: Path, version: str | None = None) -> Path:
    """Write a pure-Python wheel of ``package_dir`` (a ``cs231n`` folder) into ``out_dir``.

    The wheel is assembled directly (it is only a zip with metadata), so no build
    backend, network or compiler is needed.
    """
    version = version or _version()
    package_dir = Path(package_dir)
    dist_info = f"{DIST_NAME}-{version}.dist-info"
    wheel_path = Path(out_dir) / f"{DIST_NAME}-{version}-py3-none-any.whl"
    metadata = [
        "Metadata-Version: 2.1",
        "Name: cs231n-kit",
        f"Version: {version}",
        "Summary: cs231n teaching kit (student release: solutions removed)",
        "License: MIT",
        "Requires-Python: >=3.10",
        *[f"Requires-Dist: {r}" for r in _requirements()],
        "",
    ]
    files: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}"] = (
                path.read_bytes()
            )
    files[f"{dist_info}/METADATA"] = "\n".join(metadata).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: cs231n-kit release\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = f"{package_dir.name}\n".encode()
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return wheel_path


def _enclosing_def(lines: list[str], index: int) -> str | None:
    for i in range(index, -1, -1):
        m = re.match(r"(?:def|class)\s+([A-Za-z_]\w*)", lines[i])
        if m:
            return m.group(1)
    return None


def _name_stubs(nb) -> int:
    """Make each notebook stub say which task and object it belongs to."""
    from nbgrader.utils import compute_checksum

    changed = 0
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution") or NOTEBOOK_STUB not in cell.source:
            continue
        try:
            task = get_task(meta.get("grade_id", ""))
        except KeyError:
            continue
        lines = cell.source.split("\n")
        for i, line in enumerate(lines):
            if line.strip() == NOTEBOOK_STUB:
                name = _enclosing_def(lines, i) or task.names[0]
                indent = line[: len(line) - len(line.lstrip())]
                lines[i] = (
                    f'{indent}raise NotImplementedError("{task.id}: {name} is not implemented yet - '
                    'write it in this cell, then run the check below")'
                )
        cell.source = "\n".join(lines)
        if "checksum" in meta:
            meta["checksum"] = compute_checksum(cell)
        changed += 1
    return changed


def generate_student_notebooks(assignment: str, notebooks: list[Path], out_dir: Path) -> list[Path]:
    """Run ``nbgrader generate_assignment`` on ``notebooks`` in a temporary course dir."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="cs231n-release-") as tmp:
        root = Path(tmp)
        src = root / "source" / assignment
        src.mkdir(parents=True)
        for nb in notebooks:
            shutil.copy2(nb, src / nb.name)
        (root / "nbgrader_config.py").write_text(
            NBGRADER_CONFIG.format(root=str(root), stub=NOTEBOOK_STUB)
        )
        from autograder._env import tool_env

        env = tool_env()  # nbgrader runs `alembic` by name: the venv needs no activation
        env.pop("JUPYTER_CONFIG_DIR", None)
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        released = root / "release" / assignment
        if proc.returncode != 0 or not released.is_dir():
            raise RuntimeError(
                f"nbgrader generate_assignment {assignment} failed (exit {proc.returncode}):\n"
                + proc.stdout[-3000:]
                + proc.stderr[-3000:]
            )
        out = []
        for nb_path in sorted(released.glob("*.ipynb")):
            nb = nbformat.read(nb_path, as_version=4)
            _name_stubs(nb)
            target = out_dir / nb_path.name
            nbformat.write(nb, target)
            out.append(target)
    return out


def release_version(assignment: str, stamp: str | None = None) -> str:
    """The wheel version of one release: ``<kit version>+<assignment>.<UTC stamp>``.

    For example ``0.1.0+assignment1.20261201T120000``: every release gets a new version,
    so re-running the setup cell in a Colab runtime that has an older wheel installs
    the new one instead of reporting "already satisfied".
    """
    from datetime import datetime, timezone

    stamp = stamp or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    local = ".".join(p for p in re.split(r"[^A-Za-z0-9]+", f"{assignment}.{stamp}") if p)
    return f"{_version()}+{local}"


def wheel_url(base_url: str, wheel_name: str) -> str:
    """``base_url`` joined with the wheel's file name (``+`` quoted as ``%2B``)."""
    from urllib.parse import quote

    return base_url.rstrip("/") + "/" + quote(wheel_name)


def build_student_release(
    assignment: str,
    out_dir,
    *,
    source_dir: Path | None = None,
    version: str | None = None,
    base_url: str | None = None,
) -> Path:
    """Build the student release of ``assignment`` into ``out_dir/<assignment>`` and return it.

    Parameters
    ----------
    assignment : str
        An assignment of ``cs231n.course.tasks.ASSIGNMENTS`` (``"assignment1"``).
    out_dir : path
        Parent folder; ``out_dir/<assignment>`` is replaced if it exists.
    source_dir : path, optional
        Folder of the source notebooks (default ``assignments/<assignment>``).
    version : str, optional
        The wheel's version (default :func:`release_version`: names the assignment and
        the release time).
    base_url : str, optional
        Where the instructor will publish the wheel (``https://host/course/a1``).  The
        notebooks' Colab setup cell then downloads ``<base_url>/<wheel name>`` and checks
        its sha256 (:func:`autograder.authoring.setup_cell.bake_notebook`).

    Returns
    -------
    Path
        ``out_dir/<assignment>``, holding the student notebooks, ``cs231n/``, the wheel
        and ``RELEASE.json``.
    """
    if assignment not in ASSIGNMENTS:
        raise KeyError(f"unknown assignment {assignment!r}: expected one of {list(ASSIGNMENTS)}")
    source_dir = Path(source_dir or ASSIGNMENTS_DIR / assignment)
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{assignment}: no source notebooks in {source_dir}")
    target = Path(out_dir) / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    written = generate_student_notebooks(assignment, notebooks, target)
    report = strip_package(assignment, target)
    version = version or release_version(assignment)
    wheel = build_wheel(target / "cs231n", target, version=version)
    url = sha256 = None
    if base_url:
        from autograder.authoring.setup_cell import bake_notebook

        url = wheel_url(base_url, wheel.name)
        sha256 = hashlib.sha256(wheel.read_bytes()).hexdigest()
        for path in written:
            nb = nbformat.read(path, as_version=4)
            if bake_notebook(nb, url, sha256):
                nbformat.write(nb, path)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    info = {
        "assignment": assignment,
        "version": version,
        "commit": commit,
        "notebooks": [p.name for p in written],
        "wheel": wheel.name,
        "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "wheel_url": url,
        "stripped_tasks": report["stripped"],
        "tasks_without_solution_region": report["missing"],
    }
    (target / "RELEASE.json").write_text(json.dumps(info, indent=2) + "\n")
    return target


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring.release", description=__doc__.split("\n")[0]
    )
    parser.add_argument("assignment")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--url", help="base URL the wheel will be published at")
    args = parser.parse_args(argv)
    path = build_student_release(args.assignment, args.out_dir, base_url=args.url)
    print(f"student release written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

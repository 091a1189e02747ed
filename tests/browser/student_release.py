"""Helpers shared by the student-experience tests: build a student release, fill a solution.

Used by ``tests/browser/test_jupyterlab.py`` and ``tests/test_colab_install.py``.
"""

from __future__ import annotations

import atexit
import inspect
import json
import shutil
import tempfile
import textwrap
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]


def release_builder():
    """The release builder, or None while it is not available."""
    try:
        from autograder.authoring.release import build_student_release
    except ImportError:
        return None
    return build_student_release


_BUILT: dict[str, Path] = {}


def assignments_with_notebooks() -> list[str]:
    """Assignments whose source notebooks exist, in course order."""
    from cs231n.course.tasks import ASSIGNMENTS

    return [a for a in ASSIGNMENTS if any((REPO / "assignments" / a).glob("*.ipynb"))]


def cached_release(assignment: str) -> Path:
    """The release of ``assignment``, built once per test process (nbgrader takes ~30 s).

    Callers copy what they need out of it and never write into it.
    """
    if assignment not in _BUILT:
        out = Path(tempfile.mkdtemp(prefix=f"cs231n-release-{assignment}-"))
        atexit.register(shutil.rmtree, out, ignore_errors=True)
        _BUILT[assignment] = build_release(assignment, out)
    return _BUILT[assignment]


def build_release(assignment: str, out_dir: Path) -> Path:
    """Build the student release of ``assignment`` under ``out_dir``; return its folder."""
    build = release_builder()
    if build is None:
        raise RuntimeError("autograder.authoring.release.build_student_release is not available")
    path = build(assignment, str(out_dir))
    path = Path(path) if path else Path(out_dir) / assignment
    if not (path / "cs231n" / "__init__.py").is_file():
        found = sorted(Path(out_dir).rglob("cs231n/__init__.py"))
        if not found:
            raise RuntimeError(f"no student package cs231n/ found under {out_dir}")
        path = found[0].parent.parent
    return path


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def source_notebook(assignment: str, notebook: str) -> Path:
    return REPO / "assignments" / assignment / f"{notebook}.ipynb"


def reference_solution(task_id: str, assignment: str, notebook: str) -> str:
    """The solution cell's source with the solution: from the source notebook, else the package."""
    src = source_notebook(assignment, notebook)
    if src.is_file():
        for cell in nbformat.read(src, as_version=4).cells:
            if grade_id(cell) == task_id:
                return cell.source
    from cs231n.course.tasks import get_task

    return "\n\n\n".join(inspect.getsource(obj) for obj in get_task(task_id).resolve())


def fill_solution(nb, task_id: str, assignment: str, notebook: str) -> None:
    """Replace the stubbed solution cell of ``task_id`` with the reference solution."""
    for cell in nb.cells:
        if grade_id(cell) == task_id:
            cell.source = reference_solution(task_id, assignment, notebook)
            return
    raise KeyError(f"no solution cell with grade_id {task_id!r}")


def task_cells(nb) -> list[tuple[str, int, int]]:
    """(task id, code index of the solution cell, code index of its test cell), in order."""
    cells = code_cells(nb)
    ids = [grade_id(c) for c in cells]
    out = []
    for i, gid in enumerate(ids):
        if gid and f"{gid}_test" in ids:
            out.append((gid, i, ids.index(f"{gid}_test")))
    return out


def release_info(release: Path) -> dict:
    info = release / "RELEASE.json"
    return json.loads(info.read_text()) if info.is_file() else {}


TINY_MODEL = textwrap.dedent(
    '''
    class TinySoftmax:
        """A linear softmax classifier written inline, so it needs no student code."""

        def __init__(self, input_dim, num_classes, seed=0, delay=0.0):
            rng = np.random.default_rng(seed)
            self.params = {
                "W": 1e-3 * rng.standard_normal((input_dim, num_classes)),
                "b": np.zeros(num_classes),
            }
            self.delay = delay

        def loss(self, X, y=None):
            import time

            time.sleep(self.delay)  # a slow model, so that the progress bar is visible
            X2 = X.reshape(len(X), -1)
            scores = X2 @ self.params["W"] + self.params["b"]
            if y is None:
                return scores
            shifted = scores - scores.max(axis=1, keepdims=True)
            probs = np.exp(shifted)
            probs /= probs.sum(axis=1, keepdims=True)
            n = len(y)
            loss = -np.log(probs[np.arange(n), y]).mean()
            dscores = probs.copy()
            dscores[np.arange(n), y] -= 1
            dscores /= n
            return loss, {"W": X2.T @ dscores, "b": dscores.sum(axis=0)}


    def tiny_blobs(n=600, dim=20, classes=3, seed=0):
        """Separable Gaussian blobs, split into train / val / test."""
        rng = np.random.default_rng(seed)
        centres = 0.35 * rng.standard_normal((classes, dim))
        y = rng.integers(0, classes, size=n)
        X = centres[y] + rng.standard_normal((n, dim))
        a, b = n // 2, 3 * n // 4
        return {
            "X_train": X[:a], "y_train": y[:a], "X_val": X[a:b], "y_val": y[a:b],
            "X_test": X[b:], "y_test": y[b:],
        }
    '''
).strip()

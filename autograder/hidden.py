"""Hidden test cases: the format, and the in-process runner used by source notebooks.

Hidden tests live outside the notebooks, in ``assignments/<assignment>/hidden/<notebook>.py``,
which defines ``CASES = {task_id: [Case(...), ...]}``.  A case's ``probe(ns, rng)`` calls
the objects of a namespace (the student's, or the reference package's) on fresh inputs
and returns plain arrays; the grader compares the two results outside the student's
process.  :func:`grade_hidden` is the in-process fallback that a source notebook's test
cell calls, so instructors can run the source notebooks top to bottom.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Case:
    """One hidden test case of a task.

    Parameters
    ----------
    name : str
        Short description shown in feedback ("rectangular 7x13 input").
    points : float
        Points this case is worth.
    probe : callable
        ``probe(ns, rng) -> dict[str, ndarray | float | int]``.
    rtol, atol : float
        Tolerances; ``rtol=None`` means the dtype-aware default.
    hint : str
        Shown in feedback when the case fails.
    """

    name: str
    points: float
    probe: Callable
    rtol: float | None = None
    atol: float = 0.0
    hint: str = ""


def hidden_dir_candidates(assignment: str | None = None) -> list[Path]:
    """Folders where hidden case files may be: $CS231N_HIDDEN_DIR, ./hidden, the repo's."""
    out = []
    if os.environ.get("CS231N_HIDDEN_DIR"):
        out.append(Path(os.environ["CS231N_HIDDEN_DIR"]))
    out.append(Path.cwd() / "hidden")
    if assignment:
        out.append(Path(__file__).resolve().parents[1] / "assignments" / assignment / "hidden")
    return out


def load_cases(path: Path) -> dict[str, list[Case]]:
    """Import a hidden case file and return its ``CASES`` dict."""
    spec = importlib.util.spec_from_file_location(f"_hidden_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


def reference_namespace(task_id: str) -> dict:
    """Namespace with the reference objects of a task (plus numpy as ``np``)."""
    from cs231n.course.tasks import get_task

    task = get_task(task_id)
    return {"np": np, **dict(zip(task.names, task.resolve()))}


def compare_results(got: dict, expected: dict, case: Case) -> str | None:
    """Compare probe results; return None when they agree, else a reason."""
    from cs231n.course.testing import default_rtol

    if not isinstance(got, dict) or set(got) != set(expected):
        return f"returned keys {sorted(got) if isinstance(got, dict) else type(got).__name__}, expected {sorted(expected)}"
    for key in expected:
        g = np.asarray(got[key])
        e = np.asarray(expected[key])
        if g.shape != e.shape:
            return f"{key}: shape {g.shape}, expected {e.shape}"
        if g.dtype.kind in "OUSV" or e.dtype.kind in "OUSV":
            if not np.array_equal(g, e):
                return f"{key}: wrong value"
            continue
        rtol = default_rtol(g, e) if case.rtol is None else case.rtol
        if not np.allclose(g.astype(np.float64), e.astype(np.float64), rtol=rtol, atol=case.atol):
            return f"{key}: values differ beyond rtol={rtol:g}, atol={case.atol:g}"
    return None


def find_cases(task_id: str) -> list[Case]:
    """Locate and load the hidden cases of ``task_id``."""
    from cs231n.course.tasks import get_task

    task = get_task(task_id)
    for folder in hidden_dir_candidates(task.assignment):
        path = folder / f"{task.notebook}.py"
        if path.is_file():
            return load_cases(path).get(task_id, [])
    raise FileNotFoundError(
        f"hidden tests of {task_id}: expected {task.notebook}.py in one of "
        + ", ".join(str(p) for p in hidden_dir_candidates(task.assignment))
        + ". Fix: run the source notebook from assignments/<assignment>/ or set CS231N_HIDDEN_DIR."
    )


def grade_hidden(task_id: str, namespace: dict, seed: int = 1234) -> None:
    """Run the hidden cases of ``task_id`` in this process; raise AssertionError on a failure.

    This is the in-kernel path used when a *source* notebook runs top to bottom. The
    autograder never trusts it: it runs the same probes in a sandbox and decides outside.
    It prints a one-line summary and returns None: a number as the last value of a test
    cell would be read by plain ``nbgrader autograde`` as partial credit (and one above
    the cell's points is an error there).
    """
    cases = find_cases(task_id)
    ref_ns = reference_namespace(task_id)
    failures = []
    score = 0.0
    for i, case in enumerate(cases):
        exp = case.probe(ref_ns, np.random.default_rng(seed + i))
        got = case.probe(namespace, np.random.default_rng(seed + i))
        reason = compare_results(got, exp, case)
        if reason is None:
            score += case.points
        else:
            failures.append(f"{case.name}: {reason}" + (f" ({case.hint})" if case.hint else ""))
    if failures:
        raise AssertionError(f"{task_id}: hidden tests failed: " + "; ".join(failures))
    print(f"{task_id}: {len(cases)} hidden cases passed ({score:g} points)")

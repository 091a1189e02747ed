"""Hidden test cases: the format, and the in-process runner used by source notebooks.

Hidden tests live outside the notebooks, in ``assignments/<assignment>/hidden/<notebook>.py``,
which defines ``CASES = {task_id: [Case(...), ...]}``.  A case's ``probe(ns, rng)`` calls
the objects of a namespace (the student's, or the reference package's) on fresh inputs
and returns plain arrays; the grader compares the two results outside the student's
process.  :func:`grade_hidden` is the in-process fallback that a source notebook's test
cell calls, so instructors can run the source notebooks top to bottom.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from autograder._cases import Case, load_module

__all__ = [
    "Case",
    "compare_results",
    "find_cases",
    "grade_hidden",
    "load_cases",
    "load_module",
    "reference_namespace",
]


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
    """Load a hidden case file and return its ``CASES`` dict (see :mod:`autograder._cases`)."""
    return load_module(path).CASES


def reference_namespace(task_id: str) -> dict:
    """Namespace with the reference objects of a task (plus numpy as ``np``)."""
    from cs231n.course.tasks import get_task

    task = get_task(task_id)
    return {"np": np, **dict(zip(task.names, task.resolve()))}


_KINDS = {"b": "booleans", "i": "integers", "u": "integers", "f": "floats", "c": "complex numbers"}


def compare_results(got: dict, expected: dict, case: Case) -> str | None:
    """Compare a student's probe results with the reference's; None when they agree.

    The decision is :func:`cs231n.course.testing.compare`'s, with the case's tolerances
    or the default of the *reference's* dtype, never of what the student returned.  A
    different shape, a non-number, or a float less precise than the reference's (float16
    where float64 is expected) fails with its own reason.  The reason is made of the
    reference's facts and fixed words, never of the student's values, so nothing
    computed while the hidden probes ran can carry text into feedback.
    """
    from cs231n.course.testing import compare

    if not isinstance(got, dict) or set(got) != set(expected):
        return f"returned a different set of results (expected {sorted(expected)})"
    for key in sorted(expected):
        g = np.asarray(got[key])
        e = np.asarray(expected[key])
        if g.shape != e.shape:
            return f"{key}: wrong shape (expected {e.shape})"
        if e.dtype.kind not in "biuf" or g.dtype.kind not in "biuf":
            if g.dtype.kind != e.dtype.kind or not np.array_equal(g, e):
                gk = _KINDS.get(g.dtype.kind, "something other than numbers")
                return f"{key}: wrong value (returned {gk}, expected {_KINDS.get(e.dtype.kind, e.dtype.name)})"
            continue
        if e.dtype.kind == "f" and g.dtype.kind == "f" and g.dtype.itemsize < e.dtype.itemsize:
            return (
                f"{key}: returned {g.dtype.name} values, expected {e.dtype.name} "
                "(a less precise dtype loses the accuracy the reference has)"
            )
        if compare(g, e, rtol=case.rtol, atol=case.atol or None, name=key) is not None:
            from cs231n.course.testing import default_rtol

            rtol = default_rtol(e) if case.rtol is None else float(case.rtol)
            return (
                f"{key}: values differ from the reference beyond "
                f"rtol={rtol:g}, atol={float(case.atol or 0.0):g}"
            )
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
            from autograder.authoring.mistakes import hidden_case_cause

            cause = hidden_case_cause(task_id, case, got, seed + i, exp)
            hint = "; ".join(x for x in (f"likely cause: {cause}" if cause else "", case.hint) if x)
            failures.append(f"{case.name}: {reason}" + (f" ({hint})" if hint else ""))
    if failures:
        raise AssertionError(f"{task_id}: hidden tests failed: " + "; ".join(failures))
    print(f"{task_id}: {len(cases)} hidden cases passed ({score:g} points)")

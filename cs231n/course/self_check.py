"""A student's self-check: run this notebook's visible checks and show a summary.

In any notebook, local or Colab, one call is enough::

    import cs231n
    cs231n.self_check()

It finds the student's current functions and classes in the notebook's namespace,
runs the visible check of every task the notebook teaches (``cs231n.checks.REGISTRY``)
and shows one row per question: passed, failed (with the check's hint), or not yet
attempted.  It needs neither nbgrader nor the ``.ipynb`` file: the notebook is the
argument, or it is inferred from which task names the namespace defines.

Only the *visible* checks run here.  The grader also runs hidden tests (other shapes,
seeds and edge cases), so a task that passes here can still lose points there.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import io
import pkgutil
import re
import sys
import textwrap
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath

from cs231n.course.tasks import ASSIGNMENTS, Task, tasks_for

__all__ = ["SelfCheckReport", "TaskResult", "infer_notebook", "self_check"]

PASSED = "passed"
FAILED = "failed"
NOT_ATTEMPTED = "not attempted"
BLOCKED = "waiting"
NO_CHECK = "no visible check"

_ICONS = {
    PASSED: "\u2714",
    FAILED: "\u2718",
    NOT_ATTEMPTED: "\u2026",
    BLOCKED: "\u23f8",
    NO_CHECK: "-",
}
_COLOURS = {
    PASSED: "#1a7f37",
    FAILED: "#cf222e",
    NOT_ATTEMPTED: "#6e7781",
    BLOCKED: "#9a6700",
    NO_CHECK: "#6e7781",
}
HIDDEN_TESTS_NOTE = (
    "These are the visible checks only. Passing them does not guarantee full marks: "
    "the grader also runs hidden tests (other shapes, seeds and edge cases), which may still fail."
)
_LEFT = "text-align:left;vertical-align:top;"
_TASK_ID_IN_MESSAGE = re.compile(r"\b(a\d+_[A-Za-z0-9_]+?):")


@dataclass
class TaskResult:
    """The outcome of one task's visible check."""

    task_id: str
    title: str
    status: str
    message: str = ""
    output: str = ""
    points: int = 0
    seconds: float = 0.0
    likely_cause: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass
class SelfCheckReport:
    """Per-question summary of a self-check; shows itself as HTML in Jupyter, text elsewhere."""

    notebook: str
    assignment: str
    results: list[TaskResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _suppress_next_display: bool = field(default=False, repr=False, compare=False)

    # ------------------------------------------------------------------ queries
    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def all_passed(self) -> bool:
        """True when every task that has a visible check passed it."""
        graded = [r for r in self.results if r.status != NO_CHECK]
        return bool(graded) and all(r.passed for r in graded)

    def by_id(self) -> dict[str, TaskResult]:
        return {r.task_id: r for r in self.results}

    def summary_line(self) -> str:
        parts = [f"{self.count(PASSED)} passed", f"{self.count(FAILED)} failed"]
        parts.append(f"{self.count(NOT_ATTEMPTED)} not yet attempted")
        if self.count(BLOCKED):
            parts.append(f"{self.count(BLOCKED)} waiting for another task")
        if self.count(NO_CHECK):
            parts.append(f"{self.count(NO_CHECK)} without a visible check")
        return f"Self-check of {self.notebook} ({self.assignment}): " + ", ".join(parts) + "."

    # ------------------------------------------------------------------ rendering
    def to_text(self, width: int = 100) -> str:
        """Plain-text table for terminals and logs."""
        id_w = max([len(r.task_id) for r in self.results] + [4])
        st_w = max(len(s) for s in _ICONS)
        lines = [self.summary_line(), ""]
        lines.append(f"  {'task':<{id_w}}  {'status':<{st_w}}  question")
        for r in self.results:
            lines.append(f"{_ICONS[r.status]} {r.task_id:<{id_w}}  {r.status:<{st_w}}  {r.title}")
            if r.message:
                indent = " " * (id_w + 4)
                for para in r.message.splitlines() or [""]:
                    lines.extend(
                        textwrap.wrap(para, width, initial_indent=indent, subsequent_indent=indent)
                        or [indent]
                    )
        for note in self.notes:
            lines += ["", textwrap.fill("Note: " + note, width)]
        lines += ["", textwrap.fill(HIDDEN_TESTS_NOTE, width)]
        return "\n".join(lines)

    def to_html(self) -> str:
        """HTML table for Jupyter and Colab (inline styles only, no scripts)."""
        esc = html.escape
        rows = []
        for r in self.results:
            colour = _COLOURS[r.status]
            msg = esc(r.message) if r.message else ""
            rows.append(
                "<tr>"
                f'<td style="{_LEFT}color:{colour};font-weight:bold;white-space:nowrap">'
                f"{_ICONS[r.status]} {esc(r.status)}</td>"
                f'<td style="{_LEFT}"><code>{esc(r.task_id)}</code></td>'
                f'<td style="{_LEFT}">{esc(r.title)}</td>'
                f'<td style="{_LEFT}white-space:pre-wrap">{msg}</td>'
                "</tr>"
            )
        notes = "".join(f"<p><b>Note:</b> {esc(n)}</p>" for n in self.notes)
        return (
            '<div class="cs231n-self-check">'
            f"<p><b>{esc(self.summary_line())}</b></p>"
            '<table style="border-collapse:collapse;text-align:left">'
            "<thead><tr>"
            + "".join(
                f'<th style="{_LEFT}">{h}</th>' for h in ("status", "task", "question", "hint")
            )
            + "</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{notes}"
            f'<p style="color:#9a6700"><b>\u26a0 {esc(HIDDEN_TESTS_NOTE)}</b></p></div>'
        )

    def show(self) -> None:
        """Display the report: HTML in Jupyter/Colab, text in a terminal."""
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            display({"text/plain": self.to_text(), "text/html": self.to_html()}, raw=True)
        else:
            print(self.to_text())

    def _ipython_display_(self) -> None:
        # self_check() already showed the report; a bare ``cs231n.self_check()`` as the
        # last line of a cell must not show it twice.  Later displays show it again.
        if self._suppress_next_display:
            self._suppress_next_display = False
            return
        self.show()

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<SelfCheckReport {self.summary_line()}>"


# ---------------------------------------------------------------------- namespace
def _caller_namespace(depth: int) -> dict:
    """The IPython user namespace when running in IPython, else the caller's globals."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover
        shell = None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(depth + 1).f_globals


def _is_package_object(obj) -> bool:
    """True for objects that come from the installed ``cs231n`` package (e.g. a stub)."""
    mod_name = getattr(obj, "__module__", None) or ""
    if mod_name != "cs231n" and not mod_name.startswith("cs231n."):
        return False
    mod = sys.modules.get(mod_name)
    return not getattr(mod, "__cs231n_notebook__", False)


def _notebook_key(name: str) -> str:
    return PurePath(str(name)).stem.lower()


def _all_notebooks() -> dict[str, tuple[str, str]]:
    """lower-case notebook name -> (notebook, assignment)."""
    return {nb.lower(): (nb, a) for a, nbs in ASSIGNMENTS.items() for nb in nbs}


def infer_notebook(namespace: dict) -> str:
    """Guess which notebook ``namespace`` belongs to from the task names it defines.

    Objects the notebook itself defines (not imported from ``cs231n``) count first;
    the notebook's file name (``__session__``, set by Jupyter and VS Code) breaks ties.

    Raises
    ------
    LookupError
        When no notebook (or more than one, equally) matches, with the fix.
    """
    known = _all_notebooks()
    own = {}
    for nb, _ in known.values():
        names = [n for t in tasks_for(notebook=nb) for n in t.names]
        own[nb] = sum(n in namespace and not _is_package_object(namespace[n]) for n in names)
    session = namespace.get("__session__") or namespace.get("__vsc_ipynb_file__") or ""
    from_file = known.get(_notebook_key(session), (None,))[0] if session else None
    best = max(own.values())
    top = [nb for nb, s in own.items() if s == best and best > 0]
    if len(top) == 1:
        return top[0]
    if from_file and (not top or from_file in top):
        return from_file
    choices = ", ".join(repr(nb) for nb, _ in known.values())
    if top:
        raise LookupError(
            "self_check: expected the functions of one notebook, got functions of "
            f"{', '.join(top)} defined equally. Fix: name the notebook, e.g. "
            f"cs231n.self_check({top[0]!r})."
        )
    raise LookupError(
        "self_check: expected to find this notebook's functions (run the cells that define "
        "them first), got none of them. Fix: run the notebook's cells from the top, or name the "
        f"notebook, e.g. cs231n.self_check('knn'); notebooks: {choices}."
    )


def _resolve_notebook(notebook: str) -> tuple[str, str, tuple[Task, ...]]:
    """Notebook (or assignment) name -> (label, assignment, tasks)."""
    key = _notebook_key(notebook)
    if key in {a.lower() for a in ASSIGNMENTS}:
        assignment = next(a for a in ASSIGNMENTS if a.lower() == key)
        return assignment, assignment, tasks_for(assignment=assignment)
    known = _all_notebooks()
    if key not in known:
        import difflib

        close = difflib.get_close_matches(key, list(known), n=1)
        hint = f" Did you mean {known[close[0]][0]!r}?" if close else ""
        raise ValueError(
            f"self_check: expected a notebook name such as 'knn' or 'two_layer_net', got "
            f"{notebook!r}.{hint}"
        )
    nb, assignment = known[key]
    return nb, assignment, tasks_for(notebook=nb)


# ---------------------------------------------------------------------- running
def _load_checks(notes: list[str]) -> dict:
    """Import every module of ``cs231n.checks`` so that all checks are registered."""
    checks = importlib.import_module("cs231n.checks")
    for info in pkgutil.iter_modules(checks.__path__):
        if info.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"cs231n.checks.{info.name}")
        except Exception as exc:  # reported to the student, not hidden
            notes.append(f"the checks in cs231n.checks.{info.name} could not be loaded ({exc!r}).")
    return checks.REGISTRY


def _short_error(exc: BaseException) -> str:
    """``Type: message`` plus the last line of the student's own code, if any."""
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith("<") or "ipykernel" in f.filename]
    if own:
        f = own[-1]
        if f.line:
            text += f"\n  in {f.name}: {f.line.strip()}"
    return text


def _run_one(task: Task, check, namespace: dict) -> TaskResult:
    result = TaskResult(task.id, task.title, NOT_ATTEMPTED, points=task.points)
    if check is None:
        result.status = NO_CHECK
        return result
    missing = [n for n in check.names if n not in namespace]
    if missing:
        result.message = (
            f"{', '.join(missing)} is not defined yet: run the cell that defines it."
            if len(missing) == 1
            else f"{', '.join(missing)} are not defined yet: run the cells that define them."
        )
        return result
    objects = [namespace[n] for n in check.names]
    from_package = [n for n, o in zip(check.names, objects) if _is_package_object(o)]
    if from_package:
        result.message = (
            f"{', '.join(from_package)} still comes from the cs231n package: write your own in "
            "the notebook's solution cell and run that cell."
        )
        return result

    from cs231n.checks import CheckFailed, CheckResult

    out = io.StringIO()
    start = time.perf_counter()
    found: CheckResult | None = None
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
            warnings.catch_warnings(record=True),
        ):
            warnings.simplefilter("always")
            found = check.func(*objects)
    except CheckFailed as exc:  # the check's structured result
        found = exc.result
    except NotImplementedError as exc:  # a stub: the check attached its result
        found = getattr(exc, "result", None)
        if not isinstance(found, CheckResult):
            found = CheckResult(task.id, "not_attempted", str(exc))
    except Exception as exc:  # a check that does not wrap the student's code
        result.status = FAILED
        result.message = _short_error(exc)
    if isinstance(found, CheckResult):
        if found.status == "passed":
            result.status = PASSED
        elif found.status == "not_attempted":
            msg = found.message
            named = _TASK_ID_IN_MESSAGE.search(msg)
            if named and named.group(1) != task.id:
                result.status = BLOCKED
                result.message = f"needs {named.group(1)} first: {msg}"
            else:
                result.message = msg or "not implemented yet (the stub raises NotImplementedError)."
        else:  # failed (a wrong answer) or error (the student's code raised)
            result.status = FAILED
            result.message = str(found)
            result.likely_cause = found.likely_cause
    elif found is None and result.status == NOT_ATTEMPTED and not result.message:
        result.status = PASSED  # an unregistered check that returns nothing
    result.seconds = time.perf_counter() - start
    result.output = out.getvalue()
    return result


def self_check(notebook: str | None = None, *, namespace: dict | None = None, show: bool = True):
    """Run this notebook's visible checks on your current code and show a summary.

    Parameters
    ----------
    notebook : str, optional
        Notebook name (``"knn"``, ``"two_layer_net.ipynb"``, ...) or assignment name
        (``"assignment1"``).  By default it is inferred from the functions your notebook
        defines.
    namespace : dict, optional
        Where your functions live.  Defaults to the notebook's namespace (IPython's user
        namespace), or the caller's globals outside IPython.
    show : bool
        Display the summary (HTML in Jupyter and Colab, text elsewhere).

    Returns
    -------
    report : SelfCheckReport
        One :class:`TaskResult` per task, in teaching order.

    Notes
    -----
    Each row is *passed*, *failed* (with the check's hint), *not attempted* (the
    function is missing, still the stub, or raises ``NotImplementedError``) or
    *waiting* (your code calls another task that is still a stub).  Only visible checks
    run: hidden tests may still fail.
    """
    ns = namespace if namespace is not None else _caller_namespace(1)
    label = notebook if notebook is not None else infer_notebook(ns)
    label, assignment, tasks = _resolve_notebook(label)
    report = SelfCheckReport(label, assignment)
    registry = _load_checks(report.notes)
    for task in tasks:
        report.results.append(_run_one(task, registry.get(task.id), ns))
    if show:
        report.show()
        report._suppress_next_display = True
    return report

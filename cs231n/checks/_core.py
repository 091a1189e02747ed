"""Core of the visible checks: results, failures, the registry and the student-call wrapper.

This module imports nothing else from :mod:`cs231n.checks` (the other modules import it),
so the package has no import cycle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

PASSED = "passed"
FAILED = "failed"
NOT_ATTEMPTED = "not_attempted"
ERROR = "error"
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, ERROR)


@dataclass
class CheckResult:
    """What one visible check found.

    Attributes
    ----------
    task : str
        Task id, e.g. ``"a2_dropout_forward"`` (empty for an unregistered check).
    status : str
        ``"passed"``, ``"failed"`` (a wrong answer), ``"not_attempted"`` (the stub still
        raises NotImplementedError) or ``"error"`` (the student's code raised).
    message : str
        The line a student reads: what differs and where, or which operation failed.
    likely_cause : str
        The mistake that explains it, when the check is sure; otherwise ``""``.
    """

    task: str
    status: str
    message: str = ""
    likely_cause: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __str__(self) -> str:
        if self.likely_cause and self.likely_cause not in self.message:
            return f"{self.message} Likely cause: {self.likely_cause}"
        return self.message

    def _ipython_display_(self) -> None:
        # the check printed its line already; a result as a cell's last value shows nothing
        # (and is never read as a score by nbgrader)
        return None


class CheckFailed(AssertionError):
    """A visible check found a wrong answer or the student's code raised.

    ``result`` is the :class:`CheckResult` (status ``"failed"`` or ``"error"``).
    """

    def __init__(self, message="", result: CheckResult | None = None):
        if result is None:
            text = str(message)
            cause = text.split(" Likely cause: ", 1)[1] if " Likely cause: " in text else ""
            result = CheckResult("", FAILED, text, cause)
        super().__init__(str(result))
        self.result = result


class NotAttempted(NotImplementedError):
    """The student's function is still the stub (it raised NotImplementedError)."""

    def __init__(self, message="", result: CheckResult | None = None):
        result = result or CheckResult("", NOT_ATTEMPTED, str(message))
        super().__init__(result.message)
        self.result = result


@dataclass
class Check:
    """A registered visible check for one task.

    ``func(*objects)`` runs it: it prints one success line and returns a passed
    :class:`CheckResult`, or raises :class:`CheckFailed` / :class:`NotAttempted` carrying
    the result. ``names`` are the notebook names of the objects it takes, in order.
    """

    task_id: str
    func: Callable
    names: tuple[str, ...] = field(default_factory=tuple)

    def run(self, *objects) -> CheckResult:
        """Run the check and return its result without raising."""
        try:
            return self.func(*objects)
        except (CheckFailed, NotImplementedError) as exc:
            found = getattr(exc, "result", None)
            if isinstance(found, CheckResult):
                return found
            return CheckResult(self.task_id, NOT_ATTEMPTED, str(exc))


REGISTRY: dict[str, Check] = {}


def register(task_id: str, *names: str):
    """Decorator: register ``func`` as the visible check of ``task_id``.

    ``names`` are the notebook names of the objects the check takes, in order
    (defaults to the task's objects). The registered function is wrapped by
    :func:`run_check`: it returns a :class:`CheckResult` and turns an exception raised
    inside the student's code into a hint.
    """

    def deco(func):
        from cs231n.course.tasks import get_task

        task = get_task(task_id)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return run_check(task_id, func, *args, **kwargs)

        REGISTRY[task_id] = Check(task_id, wrapper, tuple(names) or task.names)
        return wrapper

    return deco


def checked(func):
    """Decorator for a check that belongs to no single task (it is not registered).

    It runs under :func:`run_check` like the registered checks, with ``task == ""``.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return run_check("", func, *args, **kwargs)

    return wrapper


def run_check(task_id: str, func: Callable, *args, **kwargs) -> CheckResult:
    """The one wrapper that runs a check and every student function it calls.

    A wrong answer raises :class:`CheckFailed` (status ``"failed"``). A
    NotImplementedError from a stub propagates unchanged with a ``.result`` attribute
    (status ``"not_attempted"``). Any other exception
    raised inside the student's code becomes :class:`CheckFailed` with status
    ``"error"``, whose message says which operation failed, on which line of the
    student's code, and (when the kit is sure) the usual cause; the original exception
    is chained as ``__cause__``.
    """
    from cs231n.checks._fingerprints import CURRENT_TASK, cause_for_message
    from cs231n.checks._hints import explain_exception

    token = CURRENT_TASK.set(task_id)
    try:
        func(*args, **kwargs)
    except CheckFailed as exc:
        if not exc.result.task:
            exc.result.task = task_id
        if exc.result.status == FAILED and not exc.result.likely_cause:
            cause = cause_for_message(exc.result.task, exc.result.message)
            if cause:
                exc.result.likely_cause = cause
                exc.args = (str(exc.result),)
        raise
    except NotAttempted as exc:
        exc.result.task = exc.result.task or task_id
        raise
    except NotImplementedError as exc:
        # The stub's own exception propagates unchanged (the notebook shows the stub's
        # NotImplementedError, as the notebook tests expect), carrying the result.
        result = CheckResult(
            task_id, NOT_ATTEMPTED, str(exc) or "not implemented yet (the stub raises)."
        )
        try:
            exc.result = result
        except AttributeError:  # an exception class that refuses attributes
            raise NotAttempted(result=result) from exc
        raise
    except (NameError, ImportError, OSError, KeyboardInterrupt):
        raise  # the kit's own problem (or the student's environment), not an answer
    except Exception as exc:  # the student's code may raise anything
        message, cause = explain_exception(exc)
        raise CheckFailed(result=CheckResult(task_id, ERROR, message, cause)) from exc
    finally:
        CURRENT_TASK.reset(token)
    return CheckResult(task_id, PASSED, "passed")


def passed(name: str, detail: str = "") -> None:
    """Print the one-line success message of a check."""
    print(f"\u2714 {name} passed" + (f" ({detail})" if detail else ""))

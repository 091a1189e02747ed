"""Core of the visible checks: the failure type, comparisons, and the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


class CheckFailed(AssertionError):
    """A visible check found a wrong answer; the message says where and why."""


class NotAttempted(Exception):
    """The student's function is still the stub (it raised NotImplementedError)."""


@dataclass
class Check:
    """A registered visible check for one task."""

    task_id: str
    func: Callable
    names: tuple[str, ...] = field(default_factory=tuple)


REGISTRY: dict[str, Check] = {}


def register(task_id: str, *names: str):
    """Decorator: register ``func`` as the visible check of ``task_id``.

    ``names`` are the notebook names of the objects the check takes, in order
    (defaults to the task's objects).
    """

    def deco(func):
        from cs231n.course.tasks import get_task

        task = get_task(task_id)
        REGISTRY[task_id] = Check(task_id, func, tuple(names) or task.names)
        return func

    return deco


def first_mismatch(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> tuple | None:
    """Index of the worst element outside tolerance, or None when all are close."""
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=False)
    if not bad.any():
        return None
    err = np.where(bad, np.abs(got - expected), -np.inf)
    return np.unravel_index(int(np.argmax(err)), got.shape)


def compare(
    name: str,
    got,
    expected,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    hints: list[tuple[np.ndarray, str]] | None = None,
) -> None:
    """Raise :class:`CheckFailed` unless ``got`` matches ``expected``.

    Parameters
    ----------
    name : str
        What is compared, e.g. ``"affine_forward output"``.
    got, expected : array_like
        The student's value and the expected one.
    rtol, atol : float
        Tolerances; ``rtol`` defaults to the dtype-aware
        :func:`cs231n.course.testing.default_rtol`.
    hints : list of (array, str)
        Fingerprints of known-wrong answers: if ``got`` matches one of these arrays,
        its message names the likely cause.

    This is :func:`cs231n.checks.common.check_close` without its extra hints.
    """
    from cs231n.checks.common import check_close

    check_close(name, got, expected, rtol=rtol, atol=atol, hints=hints or ())


def passed(name: str, detail: str = "") -> None:
    """Print the one-line success message of a check."""
    print(f"\u2714 {name} passed" + (f" ({detail})" if detail else ""))

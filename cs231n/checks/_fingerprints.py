"""Build-time fingerprints of known mistakes, read when a check fails without a hint.

At build time (``python -m autograder.authoring build``) every known mistake of a task (a
one-line change to the reference, listed in the never-released
``assignments/<assignment>/hidden/_mistakes.py``) is run through the task's own visible
check while :func:`recording` is active. What the check saw at the comparison that
failed (its label and the wrong value) and the failure message are stored in
``expected/<notebook>.npz`` as ``fp/<task>/<i>/label``, ``.../got``, ``.../message`` and
``.../cause``. A release therefore carries the fingerprints, never the wrong code.

When a student's answer fails a comparison and no hand-written hint explains it,
:func:`cause_for` looks for stored fingerprints of the same task and comparison whose
value matches the answer (or, for a failure that compares no array, whose message is
identical). It names a cause only when every match names the same one: a hint never
guesses between two mistakes.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

import numpy as np

from cs231n.checks._store import OVERRIDES, notebook_of, store

__all__ = [
    "CURRENT_TASK",
    "OVERRIDES",
    "cause_for",
    "cause_for_message",
    "reasoning_allowed",
    "record",
    "recording",
]

#: the task whose check is running (set by ``run_check``)
CURRENT_TASK: contextvars.ContextVar[str] = contextvars.ContextVar("cs231n_check_task", default="")
#: a list that failing comparisons append ``(label, got)`` to, at build time only
_RECORDER: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "cs231n_check_recorder", default=None
)


@contextmanager
def recording():
    """Collect ``(label, got)`` of every failing comparison inside the block (build time)."""
    found: list = []
    token = _RECORDER.set(found)
    try:
        yield found
    finally:
        _RECORDER.reset(token)


def reasoning_allowed() -> bool:
    """False while the build records fingerprints: a known mistake is then stored with its
    own cause, which a check prefers to the general reasoning (shapes, sign, scale)."""
    return _RECORDER.get() is None


def record(label: str, got) -> None:
    found = _RECORDER.get()
    if found is not None:
        found.append((label, np.array(got, dtype=np.float64, copy=True)))


def _entries(task: str) -> list[dict]:
    if not task:
        return []
    data = store(notebook_of(task))
    prefix = f"fp/{task}/"
    out: dict[str, dict] = {}
    for key in data:
        if key.startswith(prefix):
            idx, field = key[len(prefix) :].split("/", 1)
            out.setdefault(idx, {})[field] = data[key]
    return list(out.values())


def _same(got, stored, rtol=1e-6, atol=1e-10) -> bool:
    g = np.asarray(got, dtype=np.float64)
    s = np.asarray(stored)
    if s.dtype.kind not in "biufb" or g.shape != s.shape:
        return False
    s = s.astype(np.float64)
    if not (
        np.all(np.isfinite(g) == np.isfinite(s))
        and np.array_equal(g[~np.isfinite(g)], s[~np.isfinite(s)], equal_nan=True)
    ):
        return False
    fin = np.isfinite(g)
    return bool(np.allclose(g[fin], s[fin], rtol=rtol, atol=atol))


def _unique(causes: list[str]) -> str:
    """One cause; two (mistakes that give the same result here) joined; else nothing."""
    causes = list(dict.fromkeys(causes))
    if len(causes) == 1:
        return causes[0]
    if len(causes) == 2:
        return f"one of two mistakes that give exactly this result: {causes[0]} Or: {causes[1]}"
    return ""


def cause_for(label: str, got) -> str:
    """The one cause whose stored fingerprint matches ``got`` at comparison ``label``."""
    try:
        entries = _entries(CURRENT_TASK.get())
        causes = [
            str(e["cause"])
            for e in entries
            if "got" in e and str(e.get("label", "")) == label and _same(got, e["got"])
        ]
        return _unique(causes)
    except Exception:  # a damaged store must never hide the failure itself
        return ""


def cause_for_message(task: str, message: str) -> str:
    """The one cause of a stored fingerprint whose failure message is ``message``."""
    try:
        token = CURRENT_TASK.set(task)
        try:
            entries = _entries(task)
        finally:
            CURRENT_TASK.reset(token)
        return _unique([str(e["cause"]) for e in entries if str(e.get("message", "")) == message])
    except Exception:
        return ""

"""The one hidden-test format and its one loader, shared by the grader and the worker.

This module needs only the standard library and numpy, so the sandboxed worker loads it
from a read-only bind (by path, without the rest of the kit) and the trusted grader
imports it as :mod:`autograder._cases` (re-exported by :mod:`autograder.hidden`).  Both
sides therefore read a hidden test file the same way and get the same :class:`Case`.

A hidden test file (``assignments/<assignment>/hidden/<notebook>.py``) defines
``CASES = {task_id: [Case(...), ...]}`` and may define ``REFERENCE = {task_id: namespace}``
(a custom reference namespace); it imports ``Case`` with
``from autograder.hidden import Case``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Case", "load_module", "load_source"]


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
        Tolerances; ``rtol=None`` means the default of the *reference's* dtype.
    hint : str
        Shown in feedback when the case fails.
    """

    name: str
    points: float
    probe: Callable
    rtol: float | None = None
    atol: float = 0.0
    hint: str = ""


def _alias_modules(standalone: bool) -> None:
    """Make ``from autograder.hidden import Case`` work; ``standalone``: without the kit."""
    if not standalone:
        import autograder.hidden  # noqa: F401  (the grader: the real module re-exports Case)

        return
    shim = types.ModuleType("autograder.hidden")
    shim.Case = Case
    pkg = sys.modules.get("autograder") or types.ModuleType("autograder")
    pkg.__path__ = getattr(pkg, "__path__", [])
    pkg.hidden = shim
    sys.modules.setdefault("autograder", pkg)
    sys.modules["autograder.hidden"] = shim


def load_source(
    source: str, name: str = "_hidden_cases", *, standalone: bool = False
) -> types.ModuleType:
    """Run the text of a hidden test file into a new module and return it.

    The file's name is never attached to the code (``co_filename`` is ``<hidden tests>``)
    and the module is not registered in ``sys.modules``, so ``inspect.getsource`` finds
    nothing to show.  ``standalone=True`` (the sandboxed worker) answers
    ``autograder.hidden`` with a stand-in module holding this :class:`Case` instead of
    importing the kit.
    """
    _alias_modules(standalone)
    module = types.ModuleType(name)
    exec(compile(source, "<hidden tests>", "exec"), module.__dict__)
    cases = getattr(module, "CASES", None)
    if not isinstance(cases, dict):
        raise TypeError(f"{name}: a hidden test file must define CASES = {{task_id: [Case, ...]}}")
    return module


def load_module(path, name: str | None = None) -> types.ModuleType:
    """Load a hidden test file from ``path`` (see :func:`load_source`)."""
    from pathlib import Path

    path = Path(path)
    return load_source(path.read_text(encoding="utf-8"), name or f"_hidden_{path.stem}")

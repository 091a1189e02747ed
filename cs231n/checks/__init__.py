"""Visible checks that notebooks run on the student's code.

Layout
    One module per notebook, ``cs231n/checks/<notebook>.py`` (``knn``, ``svm``,
    ``softmax``, ``backprop``, ``two_layer_net``, ``FullyConnectedNets``, ...), built on
    :mod:`cs231n.checks.common` (the expected-value store, the comparisons) and
    :mod:`cs231n.checks._core` (results, registry, the student-call wrapper). Expected
    values are ``expected/<notebook>.npz``, generated at build time, so a student release
    needs no reference code. Notebooks import the checks from here:
    ``from cs231n.checks import check_affine_forward``.

One comparison, one gradient rule
    Every value is compared by :func:`cs231n.course.testing.compare` (tolerance from the
    expected value's dtype or the check, never from the answer's) and every gradient by
    :func:`cs231n.course.testing.compare_gradient` against a centred-difference gradient
    of the student's own function. The hidden tests, ``layer_checks`` and the grader use
    the same two functions.

Results
    ``check_<task>(*objects)`` prints one success line and returns a
    :class:`CheckResult` with ``status == "passed"``. On a wrong answer it raises
    :class:`CheckFailed`, an ``AssertionError`` (so a notebook cell fails visibly) whose
    ``.result`` is the :class:`CheckResult`: ``task``, ``status`` (``"failed"`` for a
    wrong answer, ``"error"`` when the student's code raised), ``message`` (what differs
    and where, or which operation failed on which of the student's lines) and
    ``likely_cause`` (the mistake, when the check is sure; else ``""``). A stub's
    ``NotImplementedError`` propagates unchanged, with a ``.result`` whose status is
    ``"not_attempted"`` (:class:`NotAttempted` is the same for checks that raise it). ``REGISTRY[task_id]`` is the :class:`Check` of a task: ``.func``,
    ``.names`` (the notebook names of the objects it takes, from which the notebooks'
    test cells are generated) and ``.run(*objects)``, which returns the result without
    raising. ``self_check`` and the grader read these results, never printed text.

An exception raised inside the student's code (a ``KeyError``, a broadcasting
``ValueError``, a ``TypeError`` from ``None``) is turned into a hint by one wrapper,
:func:`cs231n.checks._core.run_check`, which every registered check runs under.

Naming the mistake
    A wrong answer's ``likely_cause`` comes from, in this order: a hand-written hint of
    the check (the answer equals a stored wrong variant); the build-time fingerprints of
    the known mistakes (:mod:`cs231n.checks._fingerprints`: what the check saw when a
    one-line change to the reference ran through it); the reasoning every comparison
    does (:func:`~cs231n.checks.common.explain_shape` for padding left on or summed
    axes, :func:`~cs231n.checks.common.explain_gradient` for a gradient that is the right
    one negated or scaled). A cause is named only when the evidence is unambiguous;
    otherwise the message says what differs and where.
"""

import pkgutil
from importlib import import_module

from cs231n.checks._core import (
    REGISTRY,
    Check,
    CheckFailed,
    CheckResult,
    NotAttempted,
    register,
    run_check,
)
from cs231n.checks.common import report_accuracy

__all__ = [
    "REGISTRY",
    "Check",
    "CheckFailed",
    "CheckResult",
    "NotAttempted",
    "register",
    "report_accuracy",
    "run_check",
]

#: modules of this package that hold no notebook's checks
_NOT_NOTEBOOKS = {"common"}


def notebook_modules() -> list[str]:
    """Names of the per-notebook check modules present in this installation."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name not in _NOT_NOTEBOOKS
    )


for _name in notebook_modules():
    _mod = import_module(f"cs231n.checks.{_name}")
    for _attr in getattr(_mod, "__all__", None) or dir(_mod):
        if _attr.startswith("check_") and callable(getattr(_mod, _attr)):
            globals()[_attr] = getattr(_mod, _attr)
            __all__.append(_attr)
del _name, _mod, _attr

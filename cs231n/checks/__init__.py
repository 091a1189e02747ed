"""Visible checks that notebooks run on the student's code.

Each check is ``check_<task id without the aN_ prefix>(*student_objects)``: it runs the
student's function on fixed inputs, compares with expected values that were generated
at build time (``expected/*.npz``, so a student release needs no reference code), and
either prints one success line or raises :class:`CheckFailed`, whose message names the
element, the expected and the received value, and, for common mistakes, the likely
cause.  ``REGISTRY`` maps task ids to checks; it feeds the self-check.

Notebooks import the checks from here: ``from cs231n.checks import check_affine_forward``.
"""

from importlib import import_module
from importlib.util import find_spec

from cs231n.checks._core import REGISTRY, CheckFailed, NotAttempted, register
from cs231n.checks.common import report_accuracy

__all__ = ["REGISTRY", "CheckFailed", "NotAttempted", "register", "report_accuracy"]

for _name in ("assignment1", "assignment2"):
    if find_spec(f"cs231n.checks.{_name}") is not None:
        _mod = import_module(f"cs231n.checks.{_name}")
        for _attr in dir(_mod):
            if _attr.startswith("check_") and callable(getattr(_mod, _attr)):
                globals()[_attr] = getattr(_mod, _attr)
                __all__.append(_attr)
del _name

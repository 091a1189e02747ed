"""Visible checks that notebooks run on the student's code.

Each check is ``check_<task id without the aN_ prefix>(*student_objects)``: it runs the
student's function on fixed inputs, compares with expected values that were generated
at build time (``expected/*.npz``, so a student release needs no reference code), and
either prints one success line or raises :class:`CheckFailed`, whose message names the
element, the expected and the received value, and, for common mistakes, the likely
cause.  ``REGISTRY`` maps task ids to checks; it feeds the self-check.
"""

from cs231n.checks._core import REGISTRY, CheckFailed, NotAttempted, register

__all__ = ["REGISTRY", "CheckFailed", "NotAttempted", "register"]

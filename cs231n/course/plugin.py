"""Plug a student's own functions into the reference package, explicitly.

A notebook that trains a model with the student's layer writes, in plain sight::

    plug_in(affine_forward, affine_backward)

After that call every part of ``cs231n`` that used the reference ``affine_forward``
(the sandwich layers, the models, ...) uses the student's instead.  ``unplug()`` puts
the references back.  Functions are matched to the package by name through the task
registry, so only functions a notebook teaches can be plugged in.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

_PLUGGED: dict[str, tuple[object, object]] = {}  # name -> (reference, student)


def _reference_by_name() -> dict[str, tuple[str, str]]:
    from cs231n.course.tasks import TASKS

    out = {}
    for task in TASKS:
        for spec in task.objects:
            module, name = spec.split(":")
            out[name] = (module, task.id)
    return out


def _modules():
    for name, mod in list(sys.modules.items()):
        if isinstance(mod, types.ModuleType) and (
            name == "cs231n"
            or name.startswith("cs231n.")
            or getattr(mod, "__cs231n_notebook__", False)
        ):
            yield mod


def _rebind(old: object, new: object) -> int:
    count = 0
    for mod in _modules():
        for attr, value in list(vars(mod).items()):
            if value is old:
                setattr(mod, attr, new)
                count += 1
    return count


def plug_in(*functions: Callable, verbose: bool = True) -> list[str]:
    """Use the student's ``functions`` everywhere in ``cs231n`` in place of the references.

    Parameters
    ----------
    *functions : callable
        Functions or classes defined in the notebook, with the same names as the
        package objects they replace (``affine_forward``, ``batchnorm_forward``, ...).
    verbose : bool
        Print one line naming what was plugged in.

    Returns
    -------
    names : list of str
        The names that were plugged in.
    """
    from importlib import import_module

    known = _reference_by_name()
    names = []
    for fn in functions:
        name = getattr(fn, "__name__", None)
        if name not in known:
            raise ValueError(
                f"plug_in: expected a function or class the notebooks teach (such as affine_forward), "
                f"got {name or type(fn).__name__!r}. Fix: pass the object itself, e.g. plug_in(affine_forward), "
                f"not its result or a string."
            )
        module, _ = known[name]
        current = getattr(import_module(module), name)
        reference = _PLUGGED[name][0] if name in _PLUGGED else current
        _rebind(current, fn)
        _PLUGGED[name] = (reference, fn)
        names.append(name)
    if verbose and names:
        print("cs231n now uses your " + ", ".join(names) + ".")
    return names


def unplug(*names: str) -> None:
    """Restore the reference objects (all of them when no name is given)."""
    for name in list(names or _PLUGGED):
        if name in _PLUGGED:
            reference, student = _PLUGGED.pop(name)
            _rebind(student, reference)


def plugged() -> dict[str, Callable]:
    """The student objects currently plugged in, by name."""
    return {name: student for name, (_, student) in _PLUGGED.items()}

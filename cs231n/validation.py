"""Input validation with messages that say what was expected, what came, and the fix.

Every public function validates at its boundary with these helpers and raises; nothing
in the package uses ``assert`` for validation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np


class ShapeError(ValueError):
    """An array has the wrong number of dimensions or the wrong shape."""


class ConfigError(ValueError):
    """A configuration value (mode, hyperparameter, option name) is invalid."""


def error_message(what: str, expected: str, got: str, fix: str | None = None) -> str:
    """Format the kit's standard error message.

    Examples
    --------
    >>> error_message("x", "a 2-D array of shape (N, D)", "shape (3,)", "reshape it")
    'x: expected a 2-D array of shape (N, D), got shape (3,). Fix: reshape it.'
    """
    msg = f"{what}: expected {expected}, got {got}."
    if fix:
        msg += f" Fix: {fix.rstrip('.')}."
    return msg


def fail(what: str, expected: str, got: str, fix: str | None = None, cls=ValueError):
    """Raise ``cls`` with the standard expected/got/fix message."""
    raise cls(error_message(what, expected, got, fix))


def describe(x: Any) -> str:
    """Short description of a value for error messages: type, shape and dtype."""
    if isinstance(x, np.ndarray):
        return f"an ndarray of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"{type(x).__name__} {x!r}"[:200]


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | Iterable[int] | None = None,
    shape: tuple | None = None,
    dims: str | None = None,
    floating: bool = False,
    integer: bool = False,
) -> np.ndarray:
    """Check that ``x`` is an ndarray with the given dimensions and return it.

    Parameters
    ----------
    x : object
        The value to check.  It is *not* converted: layers want real arrays.
    name : str
        Name used in the message, e.g. ``"affine_forward: x"``.
    ndim : int or iterable of int, optional
        Allowed numbers of dimensions.
    shape : tuple, optional
        Required shape; ``None`` entries match any size.
    dims : str, optional
        Glossary letters for the message, e.g. ``"(N, C, H, W)"``.
    floating, integer : bool
        Require a floating-point or an integer dtype.
    """
    expected = f"an ndarray of shape {dims}" if dims else "an ndarray"
    if not isinstance(x, np.ndarray):
        fail(
            name,
            expected,
            describe(x),
            "convert it with np.asarray(...) first",
            TypeError,
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in allowed:
            nd = " or ".join(str(a) for a in allowed)
            fail(
                name,
                f"{expected} ({nd} dimensions)",
                f"{x.ndim} dimensions, shape {x.shape}",
                "check the order of the arguments and reshape the array",
                ShapeError,
            )
    if shape is not None:
        ok = x.ndim == len(shape) and all(s is None or s == t for s, t in zip(shape, x.shape))
        if not ok:
            want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            fail(
                name,
                f"{expected} = {want}",
                f"shape {x.shape}",
                "make the shapes of the arguments agree",
                ShapeError,
            )
    if floating and not np.issubdtype(x.dtype, np.floating):
        fail(
            name,
            "a floating-point array (float32 or float64)",
            f"dtype {x.dtype}",
            "convert it with x.astype(np.float64)",
            TypeError,
        )
    if integer and not np.issubdtype(x.dtype, np.integer):
        fail(
            name, "an integer array", f"dtype {x.dtype}", "convert it with y.astype(int)", TypeError
        )
    return x


def check_labels(y: Any, name: str, n: int, num_classes: int | None = None) -> np.ndarray:
    """Check a label vector of shape (N,) with integer entries in [0, C)."""
    check_array(y, name, ndim=1, dims="(N,)", integer=True)
    if y.shape[0] != n:
        fail(
            name,
            f"{n} labels, one per sample",
            f"{y.shape[0]} labels",
            "pass the labels of the same minibatch",
            ShapeError,
        )
    if num_classes is not None and y.size and (y.min() < 0 or y.max() >= num_classes):
        fail(
            name,
            f"labels in [0, {num_classes})",
            f"labels from {y.min()} to {y.max()}",
            "labels index the columns of the scores",
        )
    return y


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        fail(name, "one of " + ", ".join(repr(c) for c in choices), repr(value), None, ConfigError)
    return value


def check_keys(
    options: Mapping[str, Any], name: str, allowed: Iterable[str], hint: str | None = None
) -> None:
    """Reject unknown keys in an option dict or keyword arguments."""
    allowed = sorted(allowed)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        fail(
            name,
            "options among " + ", ".join(allowed),
            "unknown option(s) " + ", ".join(repr(u) for u in unknown),
            hint or "check the spelling",
            ConfigError,
        )


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> Any:
    """Check that a number is positive (or non-negative)."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and (
        value >= 0 if allow_zero else value > 0
    )
    if not ok:
        fail(
            name,
            "a non-negative number" if allow_zero else "a positive number",
            repr(value),
            None,
            ConfigError,
        )
    return value

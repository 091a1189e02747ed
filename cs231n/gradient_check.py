"""Numerical gradients by centred differences, and readable comparisons with analytic ones.

The centred difference ``(f(x + h) - f(x - h)) / (2 h)`` has an error of order ``h**2``,
so with ``h = 1e-5`` in float64 a correct analytic gradient typically agrees to a
relative error of 1e-7 or better.  In float32 the rounding error of ``f`` itself
dominates (about ``1e-7 / h = 1e-2``), so always check gradients in float64.

Every function here perturbs ``x`` in place, one element at a time, and puts the
original value back before moving on (also when ``f`` raises), so ``x`` is unchanged
when the function returns.  This in-place perturbation is what lets the CS231n idiom
``f = lambda _: layer_forward(x, w)[0]``, whose ``f`` ignores its argument, work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cs231n.course.testing import rel_error, relative_errors
from cs231n.initializers import make_rng
from cs231n.validation import ConfigError, ShapeError, check_array, describe, fail

__all__ = [
    "GradientReport",
    "eval_numerical_gradient",
    "eval_numerical_gradient_array",
    "grad_check_sparse",
    "gradient_report",
    "rel_error",
]

#: Denominator floor of the relative error, so two zero gradients compare as equal.
EPS = 1e-8


def _check_common(f, x, h, name):
    if not callable(f):
        fail(
            f"{name}: f",
            "a callable f(x)",
            describe(f),
            "pass a function, e.g. lambda x: loss(x)",
            TypeError,
        )
    check_array(x, f"{name}: x", floating=True)
    if not (isinstance(h, (int, float, np.floating)) and np.isfinite(h) and h > 0):
        fail(f"{name}: h", "a small positive step such as 1e-5", repr(h), None, ConfigError)
    if not x.flags.writeable:
        fail(
            f"{name}: x",
            "a writeable array (it is perturbed in place and restored)",
            "a read-only array",
            "pass a copy, x.copy()",
        )


def _scalar(value, name):
    try:
        return float(np.asarray(value).item())
    except (TypeError, ValueError):
        fail(
            f"{name}: f(x)",
            "a scalar (a float or an array with one element)",
            describe(value),
            "return the loss only, e.g. lambda x: softmax_loss(x, y)[0]",
            TypeError,
        )


def eval_numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, verbose: bool = True, h: float = 1e-5
) -> np.ndarray:
    """Numerical gradient of a scalar function at ``x``, one centred difference per element.

    Like CS231n's, it prints one line per element by default (``verbose=True``); pass
    ``verbose=False`` for a quiet call, as the kit's own checks and tests do.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, e.g. a loss.
    x : ndarray of any shape, floating
        The point; perturbed in place and restored.  Use float64: float32 is computed in
        float32 and is only good to about 1e-2.
    verbose : bool
        Print each index and its gradient (the default, as in CS231n); False is silent.
    h : float
        Step of the centred difference.

    Returns
    -------
    grad : ndarray of the shape and dtype of x
    """
    _check_common(f, x, h, "eval_numerical_gradient")
    grad = np.zeros_like(x)
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        try:
            x[ix] = old + h
            fxph = _scalar(f(x), "eval_numerical_gradient")
            x[ix] = old - h
            fxmh = _scalar(f(x), "eval_numerical_gradient")
        finally:
            x[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            print(ix, grad[ix])
    return grad


def eval_numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, df: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Numerical gradient of ``sum(f(x) * df)`` at ``x``: backpropagate ``df`` through ``f``.

    This is what a layer's backward computes for its input ``x`` when the upstream
    gradient is ``df``.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` of the shape of ``df``, e.g. ``lambda x: relu_forward(x)[0]``.
    x : ndarray of any shape, floating
        The point; perturbed in place and restored.
    df : ndarray of the shape of f(x)
        Upstream gradient.
    h : float
        Step of the centred difference.

    Returns
    -------
    grad : ndarray of the shape and dtype of x
    """
    name = "eval_numerical_gradient_array"
    _check_common(f, x, h, name)
    df = np.asarray(df)
    grad = np.zeros_like(x)
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        try:
            x[ix] = old + h
            pos = np.array(f(x), copy=True)
            x[ix] = old - h
            neg = np.array(f(x), copy=True)
        finally:
            x[ix] = old
        if pos.shape != df.shape:
            fail(
                f"{name}: df",
                f"the shape of f(x), {pos.shape}",
                f"shape {df.shape}",
                "pass an upstream gradient shaped like the layer's output",
                ShapeError,
            )
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
    return grad


def grad_check_sparse(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic_grad: np.ndarray,
    num_checks: int = 10,
    h: float = 1e-5,
    seed: int | None = 0,
    verbose: bool = True,
) -> np.ndarray:
    """Compare ``analytic_grad`` with centred differences at ``num_checks`` random elements.

    Like CS231n's, it prints one line per element by default (numerical, analytic,
    relative error); ``verbose=False`` only returns the errors.  Unlike CS231n's, the
    elements are drawn with ``np.random.default_rng(seed)`` (``seed=0`` by default), so
    the same call checks the same elements every run; ``seed=None`` draws them from
    numpy's global state (``np.random.seed``).  Where both gradients are zero the
    relative error is 0 (not NaN).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray, floating
        The point; perturbed in place and restored.
    analytic_grad : ndarray of the shape of x
        The gradient to check.
    num_checks : int
        How many elements to check (with replacement, like CS231n).
    h : float
        Step of the centred difference.
    seed : int or None
        Seed of the element choice; None draws from numpy's global state.
    verbose : bool
        Print one line per element: numerical, analytic, relative error (the default);
        False is silent.

    Returns
    -------
    rel_errors : ndarray of shape (num_checks,)
        ``|a - n| / max(1e-8, |a| + |n|)`` per checked element.
    """
    name = "grad_check_sparse"
    _check_common(f, x, h, name)
    check_array(analytic_grad, f"{name}: analytic_grad", shape=x.shape, dims="of x")
    if not (isinstance(num_checks, (int, np.integer)) and num_checks > 0):
        fail(f"{name}: num_checks", "a positive integer", repr(num_checks), None, ConfigError)
    if x.size == 0:
        fail(f"{name}: x", "a non-empty array", f"shape {x.shape}", None, ShapeError)
    rng = make_rng(seed)  # seed=None: numpy's global state, so np.random.seed repeats it
    errors = np.empty(num_checks)
    for k in range(num_checks):
        ix = tuple(int(rng.integers(n)) for n in x.shape)
        old = x[ix]
        try:
            x[ix] = old + h
            fxph = _scalar(f(x), name)
            x[ix] = old - h
            fxmh = _scalar(f(x), name)
        finally:
            x[ix] = old
        numeric = (fxph - fxmh) / (2 * h)
        analytic = float(analytic_grad[ix])
        errors[k] = abs(numeric - analytic) / max(EPS, abs(numeric) + abs(analytic))
        if verbose:
            print(f"numerical: {numeric:f} analytic: {analytic:f}, relative error: {errors[k]:e}")
    return errors


@dataclass(frozen=True)
class GradientReport:
    """Outcome of comparing an analytic gradient with a numerical one.

    Attributes
    ----------
    name : str
        What was compared, e.g. ``"dx"``.
    max_rel_error : float
        CS231n's relative error: the maximum over elements of
        ``|a - n| / max(1e-8, |a| + |n|)``.
    index : tuple of int
        Index of the element with the largest relative error.
    analytic, numeric : float
        The two gradients at that element.
    max_abs_error : float
        Largest absolute difference over all elements.
    """

    name: str
    max_rel_error: float
    index: tuple
    analytic: float
    numeric: float
    max_abs_error: float

    def ok(self, tol: float = 1e-7) -> bool:
        """Whether the relative error is at most ``tol``."""
        return self.max_rel_error <= tol

    def __str__(self) -> str:
        return (
            f"{self.name}: max relative error {self.max_rel_error:.2e} at element {self.index} "
            f"(analytic {self.analytic:.6g}, numerical {self.numeric:.6g}); "
            f"max absolute error {self.max_abs_error:.2e}"
        )


def gradient_report(analytic, numeric, name: str = "dx") -> GradientReport:
    """Compare two gradients and name the worst element.

    Parameters
    ----------
    analytic, numeric : array_like of the same shape
        The gradient from backward and the numerical one.
    name : str
        Label used in the report, e.g. ``"dw"``.

    Returns
    -------
    report : GradientReport
        ``print(report)`` gives one line; ``report.ok(1e-7)`` tests it.

    Examples
    --------
    >>> r = gradient_report(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 2e-7]), "db")
    >>> r.index, r.ok(1e-7)
    ((1,), True)
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        fail(
            f"gradient_report: {name}",
            f"analytic and numerical gradients of the same shape, analytic {a.shape}",
            f"numerical {n.shape}",
            "the gradient of an input has the shape of that input",
            ShapeError,
        )
    if a.size == 0:
        return GradientReport(name, 0.0, (), 0.0, 0.0, 0.0)
    diff = np.abs(a - n)
    rel = relative_errors(a, n)  # NaN in a gradient counts as the worst possible error
    flat = int(np.argmax(rel))
    index = tuple(int(i) for i in np.unravel_index(flat, a.shape))
    return GradientReport(
        name=name,
        max_rel_error=float(rel.flat[flat]),
        index=index,
        analytic=float(a[index]),
        numeric=float(n[index]),
        max_abs_error=float(np.nanmax(diff)) if not np.all(np.isnan(diff)) else float("nan"),
    )

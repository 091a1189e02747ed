"""The one comparison of the kit, shared by the tests, the notebook checks and the grader.

There is one tolerance policy (:func:`default_rtol`), one comparison (:func:`compare`) and
one gradient rule (:func:`compare_gradient`, which is :func:`compare` with tolerances set
from the numerical gradient). :func:`assert_allclose` is :func:`compare` raising
``AssertionError`` for the test-suite.

The tolerance policy
    The relative tolerance comes from the dtype of the *expected* value (float64 1e-7,
    float32 1e-4, float16 1e-2, integers and booleans exactly) or from the caller, never
    from the value being checked: a float16 answer to a float64 question is held to the
    float64 tolerance, so returning a less precise dtype cannot widen it.  ``atol``
    defaults to 0: set it deliberately where values near zero are expected.

The gradient rule
    An analytic gradient ``a`` agrees with the centred-difference gradient ``n`` when every
    element satisfies ``|a - n| <= tol * |n| + max(tol * max|n|, atol)``: a relative error
    per element, plus an absolute floor proportional to the largest gradient element,
    because centred differences carry rounding noise of about ``1e-16 * |f| / h`` that a
    gradient which is zero in theory never gets below.  ``tol`` is 1e-6 for the visible
    checks' float64 inputs (CS231n's notebooks call a relative error below 1e-7 to 1e-6
    correct); ``atol`` (default 1e-8) covers gradients that are zero everywhere.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "GRAD_ATOL",
    "GRAD_TOL",
    "assert_allclose",
    "compare",
    "compare_gradient",
    "default_rtol",
    "fmt",
    "rel_error",
    "relative_errors",
]

#: default relative tolerance of the gradient rule (float64 inputs)
GRAD_TOL = 1e-6
#: default absolute floor of the gradient rule
GRAD_ATOL = 1e-8


def default_rtol(*arrays) -> float:
    """Relative tolerance for the least precise floating dtype among ``arrays``.

    float64 gets 1e-7, float32 gets 1e-4, float16 gets 1e-2; integers compare exactly.
    :func:`compare` calls it with the expected value only.
    """
    rtol = 0.0
    for a in arrays:
        dt = np.asarray(a).dtype
        if dt == np.float16:
            rtol = max(rtol, 1e-2)
        elif dt == np.float32:
            rtol = max(rtol, 1e-4)
        elif np.issubdtype(dt, np.floating):
            rtol = max(rtol, 1e-7)
    return rtol


def relative_errors(x, y) -> np.ndarray:
    """Per-element relative error ``|x - y| / max(1e-8, |x| + |y|)`` (CS231n's measure).

    A measure to print, not a decision: the kit decides with :func:`compare` and
    :func:`compare_gradient`. NaN anywhere gives ``inf`` there (the worst error).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(
            f"rel_error: expected arrays of the same shape, got {x.shape} and {y.shape}."
        )
    with np.errstate(invalid="ignore"):
        rel = np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))
    return np.where(np.isnan(rel), np.inf, rel)


def rel_error(x, y) -> float:
    """Maximum relative error ``max |x - y| / max(1e-8, |x| + |y|)`` (CS231n's measure)."""
    rel = relative_errors(x, y)
    return float(np.max(rel)) if rel.size else 0.0


def fmt(value) -> str:
    """A number as a student reads it: ``0.25``, ``3``, ``1.2345678e-09`` (no ``np.float64(...)``)."""
    value = np.asarray(value)
    if value.dtype.kind in "biu":
        return str(int(value))
    if value.dtype.kind == "f":
        return repr(float(value))
    return repr(value.tolist())


def _plain(value) -> np.ndarray | None:
    """``value`` as a plain ndarray (subclasses dropped), or None when it is not array-like."""
    try:
        arr = np.asarray(value)
    except Exception:  # a hostile or odd object: treat it as "not numbers"
        return None
    if type(arr) is not np.ndarray:
        arr = arr.view(np.ndarray)
    return arr


_NUMERIC = "biuf"


def compare(got, expected, *, rtol=None, atol=None, name: str = "value") -> str | None:
    """Compare ``got`` with ``expected``; None when they match, else a one-line reason.

    Parameters
    ----------
    got : array_like
        The value to check (a student's answer; untrusted).
    expected : array_like
        The reference value. Its dtype sets the default tolerance.
    rtol : float, optional
        Relative tolerance; default :func:`default_rtol` of ``expected`` alone.
    atol : float, optional
        Absolute tolerance; default 0.
    name : str
        What is compared, used at the start of the reason.

    Returns
    -------
    reason : str or None
        None when every element satisfies ``|got - expected| <= atol + rtol * |expected|``
        (NaN matches only NaN; integers and booleans with ``rtol=atol=0`` compare
        exactly). Otherwise one line: a wrong shape, a non-numeric dtype, a non-finite
        element, or the worst element with both values, e.g.
        ``"dx: element (0, 3) is -0.2367, expected 0.0401."``.

    Examples
    --------
    >>> compare(np.float32([1.0, 2.0]), np.float32([1.0, 2.00001])) is None
    True
    >>> compare(np.float16([1.0, 2.0]), np.array([1.0, 2.001]), name="out")
    'out: element (1,) is 2.0, expected 2.001.'
    """
    if got is None:
        return f"{name}: got None. Did you forget to assign it (or to return it)?"
    want = _plain(expected)
    if want is None:
        raise TypeError(f"compare: the expected {name} is not array-like")
    arr = _plain(got)
    if arr is None:
        return f"{name}: expected numbers, got {type(got).__name__}."
    if arr.shape != want.shape:
        if want.ndim == 0 and arr.size != 1:
            return f"{name}: expected a single number, got an array of shape {arr.shape}."
        return f"{name}: expected shape {want.shape}, got shape {arr.shape}."
    if want.dtype.kind not in _NUMERIC:
        # labels, strings: exact equality
        if arr.dtype.kind != want.dtype.kind or not np.array_equal(arr, want):
            shown = repr(want.tolist())
            return f"{name}: expected {shown[:60]}, got {repr(arr.tolist())[:60]}."
        return None
    if arr.dtype.kind not in _NUMERIC:
        return f"{name}: expected numbers, got an array of dtype {arr.dtype}."
    rtol = default_rtol(want) if rtol is None else float(rtol)
    atol = 0.0 if atol is None else float(atol)
    g = arr.astype(np.float64)
    e = want.astype(np.float64)
    nan_both = np.isnan(g) & np.isnan(e)
    bad_finite = ~np.isfinite(g) & ~nan_both & ~(g == e)
    if bad_finite.any():
        where = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        return _at(name, where, arr, want, " (a finite number)" if np.isfinite(e[where]) else "")
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(g - e)
        bad = ~(diff <= atol + rtol * np.abs(e)) & ~nan_both & ~(g == e)
    if not bad.any():
        return None
    err = np.where(bad, np.nan_to_num(diff, nan=np.inf, posinf=np.inf), -np.inf)
    where = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), arr.shape))
    return _at(name, where, arr, want)


def _at(name, where, got, want, suffix="") -> str:
    place = f"element {where}" if where else "the value"
    return f"{name}: {place} is {fmt(got[where])}, expected {fmt(want[where])}{suffix}."


def gradient_tolerance(numeric, tol: float = GRAD_TOL, atol: float = GRAD_ATOL):
    """``(rtol, atol)`` of the gradient rule for a numerical gradient (see the module doc)."""
    n = np.asarray(numeric, dtype=np.float64)
    scale = float(np.max(np.abs(n))) if n.size and np.all(np.isfinite(n)) else 0.0
    return tol, max(tol * scale, atol)


def compare_gradient(
    analytic, numeric, *, tol: float = GRAD_TOL, atol: float = GRAD_ATOL, name: str = "gradient"
) -> str | None:
    """The kit's one gradient rule: :func:`compare` with :func:`gradient_tolerance`.

    ``numeric`` is a centred-difference gradient (the reference); ``analytic`` is the
    gradient under test. Returns None or a one-line reason.
    """
    rtol, atol = gradient_tolerance(numeric, tol, atol)
    return compare(analytic, numeric, rtol=rtol, atol=atol, name=name)


def assert_allclose(actual, desired, rtol=None, atol=0.0, err_msg="") -> None:
    """:func:`compare` for the test-suite: raise ``AssertionError`` with its reason.

    ``rtol`` defaults to :func:`default_rtol` of *both* arrays (a test comparing a float32
    computation with a float64 reference means the float32 tolerance); ``atol`` defaults
    to 0, so set it deliberately when values near zero are expected. Shapes must match
    exactly (no broadcasting).
    """
    if rtol is None:
        rtol = default_rtol(actual, desired)
    reason = compare(actual, desired, rtol=rtol, atol=atol, name=err_msg or "value")
    if reason is not None:
        if reason.startswith(f"{err_msg or 'value'}: expected shape"):
            reason += f" (shape mismatch: got {np.shape(actual)}, expected {np.shape(desired)})"
        raise AssertionError(reason)

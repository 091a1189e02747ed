"""Testing helpers shared by the test-suite, the notebook checks and the autograder.

There is exactly one tolerance policy (:func:`default_rtol`) and one comparison
(:func:`assert_allclose`) in the kit.
"""

from __future__ import annotations

import numpy as np


def default_rtol(*arrays) -> float:
    """Relative tolerance for the least precise floating dtype among ``arrays``.

    float64 gets 1e-7, float32 gets 1e-4, float16 gets 1e-2; integers compare exactly.
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


def rel_error(x, y) -> float:
    """Maximum relative error ``max |x - y| / max(1e-8, |x| + |y|)`` (CS231n's measure)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(
            f"rel_error: expected arrays of the same shape, got {x.shape} and {y.shape}."
        )
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def assert_allclose(actual, desired, rtol=None, atol=0.0, err_msg="") -> None:
    """Dtype-aware ``np.testing.assert_allclose``.

    ``rtol`` defaults to :func:`default_rtol` of both arrays; ``atol`` defaults to 0, so
    set it deliberately when values near zero are expected.  Shapes must match exactly
    (no broadcasting).
    """
    actual = np.asarray(actual)
    desired = np.asarray(desired)
    if actual.shape != desired.shape:
        raise AssertionError(
            f"{err_msg}\nshape mismatch: got {actual.shape}, expected {desired.shape}".strip()
        )
    if rtol is None:
        rtol = default_rtol(actual, desired)
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=err_msg)

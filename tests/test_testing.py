"""The one dtype-aware comparison of the kit."""

import numpy as np
import pytest

from cs231n.course.testing import assert_allclose, default_rtol, rel_error


def test_default_rtol_follows_the_least_precise_dtype():
    assert default_rtol(np.zeros(1)) == 1e-7
    assert default_rtol(np.zeros(1, np.float32), np.zeros(1)) == 1e-4
    assert default_rtol(np.zeros(1, int)) == 0.0


def test_assert_allclose_is_dtype_aware():
    a = np.float32([1.0, 2.0])
    assert_allclose(a * (1 + 5e-5), a)
    with pytest.raises(AssertionError):
        assert_allclose(a.astype(np.float64) * (1 + 5e-5), a.astype(np.float64))


def test_assert_allclose_refuses_broadcasting():
    with pytest.raises(AssertionError, match="shape mismatch"):
        assert_allclose(np.zeros((2, 1)), np.zeros(2))


def test_rel_error():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error([1.0], [1.0 + 1e-6]) == pytest.approx(5e-7, rel=1e-3)
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


# ------------------------------------------------------------------ compare
from cs231n.course.testing import compare, compare_gradient, gradient_tolerance  # noqa: E402


def test_compare_accepts_a_match_and_names_the_worst_element():
    want = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert compare(want.copy(), want) is None
    got = want.copy()
    got[1, 0] = 3.5
    got[0, 1] = 2.1
    assert compare(got, want, name="dx") == "dx: element (1, 0) is 3.5, expected 3.0."
    assert compare(np.float64(2.5), np.float64(2.0), name="loss") == (
        "loss: the value is 2.5, expected 2.0."
    )


def test_compare_tolerance_comes_from_the_expected_dtype_only():
    want64 = np.array([1.0, 2.0])
    # a float16 answer to a float64 question is held to the float64 tolerance
    want = np.array([0.1, 0.3])
    got16 = want.astype(np.float16)  # within float16's 1e-2, far outside float64's 1e-7
    assert compare(got16, want, rtol=1e-2) is None
    assert compare(got16, want) is not None
    assert compare(want64.astype(np.float16), want64) is None  # exactly representable
    # a float32 reference gets the float32 tolerance whatever the answer's dtype
    want32 = np.float32([1.0, 2.0])
    assert compare(want32.astype(np.float64) * (1 + 5e-5), want32) is None
    assert compare(want64 * (1 + 5e-5), want64) is not None
    # the caller's tolerance wins
    assert compare(want64 * (1 + 5e-5), want64, rtol=1e-4) is None
    assert compare(np.zeros(2) + 1e-9, np.zeros(2)) is not None
    assert compare(np.zeros(2) + 1e-9, np.zeros(2), atol=1e-8) is None


def test_compare_integers_exactly():
    assert compare(np.array([1, 2]), np.array([1, 2])) is None
    assert compare(np.array([1, 3]), np.array([1, 2]), name="labels") == (
        "labels: element (1,) is 3, expected 2."
    )
    assert compare(np.array([1.0, 2.0]), np.array([1, 2])) is None


def test_compare_fails_wrong_shapes_and_dtypes_with_a_reason():
    assert compare(np.zeros((2, 1)), np.zeros(2)) == (
        "value: expected shape (2,), got shape (2, 1)."
    )
    assert "single number" in compare(np.zeros(3), np.float64(0.0))
    assert "dtype <U1" in compare(np.array(["a", "b"]), np.zeros(2))
    assert "dtype object" in compare(np.array([None, 1], dtype=object), np.zeros(2))
    assert "complex" in compare(np.zeros(2, complex), np.zeros(2))
    assert "got None" in compare(None, np.zeros(2))
    assert "expected numbers" in compare(object(), np.zeros(()))
    assert compare(np.array(["a"]), np.array(["a"])) is None
    assert compare(np.array(["b"]), np.array(["a"])) is not None


def test_compare_non_finite_values():
    assert "(a finite number)" in compare(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert "(a finite number)" in compare(np.array([np.inf, 1.0]), np.array([1.0, 1.0]))
    assert compare(np.array([np.nan, np.inf]), np.array([np.nan, np.inf])) is None
    assert compare(np.array([1.0, 2.0]), np.array([1.0, np.nan])) is not None


def test_compare_ignores_ndarray_subclasses():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)

    got = np.array([5.0, 6.0]).view(Liar)
    assert compare(got, np.array([1.0, 2.0])) is not None


def test_the_gradient_rule():
    num = np.array([1.0, -2.0, 0.0, 1e-12])
    assert gradient_tolerance(num) == (1e-6, 2e-6)
    # rounding noise far below the largest element passes
    assert compare_gradient(num + np.array([1e-7, 0, 1e-9, 0]), num) is None
    # an error of 1e-5 relative to the largest element fails
    msg = compare_gradient(num + np.array([0, 0, 3e-5, 0]), num, name="dx")
    assert msg == "dx: element (2,) is 3e-05, expected 0.0."
    # a gradient that is zero everywhere has an absolute floor of 1e-8
    assert compare_gradient(np.full(3, 5e-9), np.zeros(3)) is None
    assert compare_gradient(np.full(3, 5e-7), np.zeros(3)) is not None

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

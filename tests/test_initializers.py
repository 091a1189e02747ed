"""Initialisers: fans, statistics on large shapes, seeding and dtype."""

import math

import numpy as np
import pytest

from cs231n.initializers import fans, he_init, small_random_init, xavier_init
from cs231n.validation import ShapeError


def test_fans():
    assert fans((300, 100)) == (300, 100)
    assert fans((32, 3, 5, 5)) == (3 * 25, 32 * 25)
    with pytest.raises(ShapeError, match="biases"):
        fans((10,))


@pytest.mark.a2_xavier_init
@pytest.mark.parametrize("shape", [(1000, 500), (64, 32, 5, 5)])
def test_xavier_std(shape):
    fan_in, fan_out = fans(shape)
    w = xavier_init(shape, rng=0)
    expected = math.sqrt(2.0 / (fan_in + fan_out))
    assert w.shape == shape
    assert abs(w.std() - expected) < 0.1 * expected
    assert abs(w.mean()) < 0.1 * expected


@pytest.mark.a2_he_init
@pytest.mark.parametrize("shape", [(1000, 500), (64, 32, 5, 5)])
def test_he_std(shape):
    fan_in, _ = fans(shape)
    w = he_init(shape, rng=0)
    expected = math.sqrt(2.0 / fan_in)
    assert abs(w.std() - expected) < 0.1 * expected
    assert abs(w.mean()) < 0.1 * expected


def test_small_random_std():
    w = small_random_init((500, 400), scale=0.05, rng=1)
    assert abs(w.std() - 0.05) < 0.005


@pytest.mark.parametrize("init", [xavier_init, he_init, small_random_init])
def test_seeding_and_dtype(init):
    a = init((20, 30), rng=7, dtype=np.float32)
    b = init((20, 30), rng=np.random.default_rng(7), dtype=np.float32)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(init((20, 30), rng=8), init((20, 30), rng=7))

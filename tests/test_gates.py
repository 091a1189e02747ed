"""Gates: forward values, backward against centred differences, perceptron logic."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n import gates
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import eval_numerical_gradient_array
from cs231n.validation import ConfigError, ShapeError

rng = np.random.default_rng(0)


def _numeric_pair(forward, x, y, dout):
    dx = eval_numerical_gradient_array(lambda a: forward(a, y)[0], x.copy(), dout)
    dy = eval_numerical_gradient_array(lambda b: forward(x, b)[0], y.copy(), dout)
    return dx, dy


@pytest.mark.a1_gate_add
def test_add_gate():
    out, cache = gates.add_gate_forward(2.0, -3.0)
    assert out == -1.0
    assert gates.add_gate_backward(5.0, cache) == (5.0, 5.0)
    x, y, dout = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((3, 4)),
        rng.standard_normal((3, 4)),
    )
    dx, dy = gates.add_gate_backward(dout, gates.add_gate_forward(x, y)[1])
    ndx, ndy = _numeric_pair(gates.add_gate_forward, x, y, dout)
    assert_allclose(dx, ndx, rtol=1e-6)
    assert_allclose(dy, ndy, rtol=1e-6)


@pytest.mark.a1_gate_multiply
def test_multiply_gate():
    out, cache = gates.multiply_gate_forward(-2.0, 3.0)
    assert out == -6.0
    # dx = dout * y = 2 * 3, dy = dout * x = 2 * -2
    assert gates.multiply_gate_backward(2.0, cache) == (6.0, -4.0)
    x, y, dout = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((3, 4)),
        rng.standard_normal((3, 4)),
    )
    dx, dy = gates.multiply_gate_backward(dout, gates.multiply_gate_forward(x, y)[1])
    ndx, ndy = _numeric_pair(gates.multiply_gate_forward, x, y, dout)
    assert_allclose(dx, ndx, rtol=1e-6)
    assert_allclose(dy, ndy, rtol=1e-6)


@pytest.mark.a1_gate_max
def test_max_gate_routes_to_the_larger_and_ties_to_x():
    out, cache = gates.max_gate_forward(4.0, 1.0)
    assert out == 4.0
    assert gates.max_gate_backward(3.0, cache) == (3.0, 0.0)
    assert gates.max_gate_backward(3.0, gates.max_gate_forward(1.0, 4.0)[1]) == (0.0, 3.0)
    assert gates.max_gate_backward(3.0, gates.max_gate_forward(2.0, 2.0)[1]) == (3.0, 0.0)
    x = np.array([1.0, 5.0, 2.0])
    y = np.array([3.0, 0.0, 2.0])
    dx, dy = gates.max_gate_backward(np.ones(3), gates.max_gate_forward(x, y)[1])
    assert_allclose(dx, np.array([0.0, 1.0, 1.0]))
    assert_allclose(dy, np.array([1.0, 0.0, 0.0]))


@pytest.mark.a1_gate_max
def test_max_gate_numeric_gradient_away_from_ties():
    x, y = rng.standard_normal(6), rng.standard_normal(6) + 0.5
    dout = rng.standard_normal(6)
    dx, dy = gates.max_gate_backward(dout, gates.max_gate_forward(x, y)[1])
    ndx, ndy = _numeric_pair(gates.max_gate_forward, x, y, dout)
    assert_allclose(dx, ndx, rtol=1e-6, atol=1e-10)
    assert_allclose(dy, ndy, rtol=1e-6, atol=1e-10)


@pytest.mark.a1_gate_sigmoid
def test_sigmoid_gate():
    out, cache = gates.sigmoid_gate_forward(0.0)
    assert out == 0.5
    assert gates.sigmoid_gate_backward(1.0, cache) == 0.25
    x, dout = rng.standard_normal((2, 5)), rng.standard_normal((2, 5))
    dx = gates.sigmoid_gate_backward(dout, gates.sigmoid_gate_forward(x)[1])
    ndx = eval_numerical_gradient_array(lambda a: gates.sigmoid_gate_forward(a)[0], x.copy(), dout)
    assert_allclose(dx, ndx, rtol=1e-6)


@pytest.mark.a1_gate_multiply
@given(x=st.floats(-10, 10), y=st.floats(-10, 10), dout=st.floats(-10, 10))
def test_multiply_then_add_chain_rule(x, y, dout):
    # f = (x * y) + x : df/dx = y + 1, df/dy = x
    prod, c1 = gates.multiply_gate_forward(x, y)
    _, c2 = gates.add_gate_forward(prod, x)
    dprod, dx_add = gates.add_gate_backward(dout, c2)
    dx_mul, dy = gates.multiply_gate_backward(dprod, c1)
    assert dx_mul + dx_add == pytest.approx(dout * (y + 1), abs=1e-9)
    assert dy == pytest.approx(dout * x, abs=1e-9)


INPUTS = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)


@pytest.mark.a1_perceptron
@pytest.mark.parametrize(
    "name, table",
    [("and", [0, 0, 0, 1]), ("nand", [1, 1, 1, 0]), ("or", [0, 1, 1, 1])],
)
def test_logic_gates(name, table):
    w, b = gates.logic_gate_weights(name)
    out = gates.perceptron_forward(INPUTS, w, b)
    assert np.issubdtype(out.dtype, np.integer)
    np.testing.assert_array_equal(out, table)


@pytest.mark.a1_perceptron
def test_xor():
    np.testing.assert_array_equal(gates.xor_forward(INPUTS), [0, 1, 1, 0])


@pytest.mark.a1_perceptron
def test_perceptron_step_is_strict():
    out = gates.perceptron_forward(np.array([[1.0, 1.0]]), np.array([1.0, -1.0]), 0.0)
    np.testing.assert_array_equal(out, [0])


def test_gate_errors():
    with pytest.raises(ConfigError, match="nand"):
        gates.logic_gate_weights("xor")
    with pytest.raises(ShapeError):
        gates.perceptron_forward(np.zeros((4, 3)), np.zeros(2), 0.0)
    with pytest.raises(ShapeError):
        gates.xor_forward(np.zeros((4, 3)))

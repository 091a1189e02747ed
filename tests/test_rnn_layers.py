"""Recurrent layers: float64 centred-difference gradient checks, masks, dtypes, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n.gradient_check import eval_numerical_gradient_array
from cs231n.rnn_layers import (
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
    sigmoid,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
    word_embedding_backward,
    word_embedding_forward,
)
from cs231n.validation import ShapeError

N, T, D, H, V = 3, 4, 5, 6, 7
TOL = 1e-8  # error of a float64 centred difference (h = 1e-5) relative to the largest entry


def grad_error(analytic, numeric):
    """Largest absolute difference over the largest magnitude (robust to tiny entries)."""
    scale = max(np.max(np.abs(analytic)), np.max(np.abs(numeric)), 1e-12)
    return float(np.max(np.abs(analytic - numeric)) / scale)


def num_grads(f, args, dout):
    """Numerical gradient of sum(f(*args) * dout) w.r.t. every array in ``args``."""
    out = []
    for k in range(len(args)):

        def fk(a, k=k):
            new = list(args)
            new[k] = a
            return f(*new)

        out.append(eval_numerical_gradient_array(fk, args[k], dout))
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(231)


def test_sigmoid_is_stable_and_exact():
    x = np.array([-1000.0, -30.0, 0.0, 2.0, 1000.0])
    with np.errstate(all="raise"):
        s = sigmoid(x)
    assert np.max(np.abs(s[1:4] - 1 / (1 + np.exp(-x[1:4])))) < 1e-15
    assert s[0] == 0.0 and s[-1] == 1.0
    assert sigmoid(x.astype(np.float32)).dtype == np.float32


@pytest.mark.a3_rnn_step_forward
def test_rnn_step_forward_matches_formula(rng):
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
    next_h, _ = rnn_step_forward(x, h, Wx, Wh, b)
    assert np.allclose(next_h, np.tanh(x @ Wx + h @ Wh + b))


@pytest.mark.a3_rnn_step_backward
def test_rnn_step_backward_gradient_check(rng):
    args = [
        rng.standard_normal((N, D)),
        rng.standard_normal((N, H)),
        rng.standard_normal((D, H)),
        rng.standard_normal((H, H)),
        rng.standard_normal(H),
    ]
    dout = rng.standard_normal((N, H))
    _, cache = rnn_step_forward(*args)
    grads = rnn_step_backward(dout, cache)
    nums = num_grads(lambda *a: rnn_step_forward(*a)[0], args, dout)
    for g, n in zip(grads, nums):
        assert grad_error(g, n) < TOL


@pytest.mark.a3_rnn_forward
def test_rnn_forward_equals_steps(rng):
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
    h, _ = rnn_forward(x, h0, Wx, Wh, b)
    prev = h0
    for t in range(T):
        prev, _ = rnn_step_forward(x[:, t], prev, Wx, Wh, b)
        assert np.allclose(h[:, t], prev)


@pytest.mark.a3_rnn_backward
def test_rnn_backward_gradient_check(rng):
    args = [
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        0.5 * rng.standard_normal((D, H)),
        0.5 * rng.standard_normal((H, H)),
        rng.standard_normal(H),
    ]
    dout = rng.standard_normal((N, T, H))
    _, cache = rnn_forward(*args)
    grads = rnn_backward(dout, cache)
    nums = num_grads(lambda *a: rnn_forward(*a)[0], args, dout)
    for g, n in zip(grads, nums):
        assert grad_error(g, n) < TOL


@pytest.mark.a3_lstm_step_forward
@pytest.mark.a3_lstm_step_backward
def test_lstm_step_backward_gradient_check(rng):
    args = [
        rng.standard_normal((N, D)),
        rng.standard_normal((N, H)),
        rng.standard_normal((N, H)),
        0.5 * rng.standard_normal((D, 4 * H)),
        0.5 * rng.standard_normal((H, 4 * H)),
        rng.standard_normal(4 * H),
    ]
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    _, _, cache = lstm_step_forward(*args)
    dx, dprev_h, dprev_c, dWx, dWh, db = lstm_step_backward(dh, dc, cache)

    def joint(*a):  # both outputs, so one upstream gradient (dh, dc) covers them
        nh, nc, _ = lstm_step_forward(*a)
        return np.concatenate([nh, nc], axis=1)

    nums = num_grads(joint, args, np.concatenate([dh, dc], axis=1))
    for g, n in zip((dx, dprev_h, dprev_c, dWx, dWh, db), nums):
        assert grad_error(g, n) < TOL


@pytest.mark.a3_lstm_forward
def test_lstm_forward_equals_steps(rng):
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh = rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H))
    b = rng.standard_normal(4 * H)
    h, _ = lstm_forward(x, h0, Wx, Wh, b)
    ph, pc = h0, np.zeros_like(h0)
    for t in range(T):
        ph, pc, _ = lstm_step_forward(x[:, t], ph, pc, Wx, Wh, b)
        assert np.allclose(h[:, t], ph)


@pytest.mark.a3_lstm_backward
def test_lstm_backward_gradient_check(rng):
    args = [
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        0.5 * rng.standard_normal((D, 4 * H)),
        0.5 * rng.standard_normal((H, 4 * H)),
        rng.standard_normal(4 * H),
    ]
    dout = rng.standard_normal((N, T, H))
    _, cache = lstm_forward(*args)
    grads = lstm_backward(dout, cache)
    nums = num_grads(lambda *a: lstm_forward(*a)[0], args, dout)
    for g, n in zip(grads, nums):
        assert grad_error(g, n) < TOL


@pytest.mark.a3_rnn_forward
@pytest.mark.a3_lstm_forward
@pytest.mark.parametrize("forward", [rnn_forward, lstm_forward])
def test_float32_stays_float32(rng, forward):
    gates = 4 if forward is lstm_forward else 1
    x = rng.standard_normal((N, T, D)).astype(np.float32)
    h0 = rng.standard_normal((N, H)).astype(np.float32)
    Wx = rng.standard_normal((D, gates * H)).astype(np.float32)
    Wh = rng.standard_normal((H, gates * H)).astype(np.float32)
    b = np.zeros(gates * H, np.float32)
    h, cache = forward(x, h0, Wx, Wh, b)
    backward = lstm_backward if forward is lstm_forward else rnn_backward
    grads = backward(np.ones_like(h), cache)
    assert h.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)


@pytest.mark.a3_rnn_forward
@pytest.mark.a3_lstm_forward
@pytest.mark.parametrize("forward", [rnn_forward, lstm_forward])
def test_inputs_are_not_modified(rng, forward):
    gates = 4 if forward is lstm_forward else 1
    args = [
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        rng.standard_normal((D, gates * H)),
        rng.standard_normal((H, gates * H)),
        rng.standard_normal(gates * H),
    ]
    copies = [a.copy() for a in args]
    h, cache = forward(*args)
    dh = rng.standard_normal(h.shape)
    dh_copy = dh.copy()
    (lstm_backward if forward is lstm_forward else rnn_backward)(dh, cache)
    assert all(np.array_equal(a, c) for a, c in zip(args, copies))
    assert np.array_equal(dh, dh_copy)


def test_future_inputs_do_not_change_earlier_states(rng):
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh = rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H))
    b = rng.standard_normal(4 * H)
    h, _ = lstm_forward(x, h0, Wx, Wh, b)
    x2 = x.copy()
    x2[:, 2:] = rng.standard_normal((N, T - 2, D))
    h2, _ = lstm_forward(x2, h0, Wx, Wh, b)
    assert np.array_equal(h[:, :2], h2[:, :2]) and not np.allclose(h[:, 2:], h2[:, 2:])


@pytest.mark.a3_word_embedding_forward
@pytest.mark.a3_word_embedding_backward
def test_word_embedding_forward_and_repeated_words(rng):
    W = rng.standard_normal((V, D))
    x = np.array([[0, 3, 1], [2, 3, 3]])
    out, cache = word_embedding_forward(x, W)
    assert out.shape == (2, 3, D) and np.array_equal(out[1, 2], W[3])
    dout = rng.standard_normal(out.shape)
    dW = word_embedding_backward(dout, cache)
    num = eval_numerical_gradient_array(lambda W: word_embedding_forward(x, W)[0], W, dout)
    assert grad_error(dW, num) < TOL
    assert np.allclose(dW[3], dout[0, 1] + dout[1, 1] + dout[1, 2])
    assert np.all(dW[4:] == 0)


@pytest.mark.a3_word_embedding_forward
def test_word_embedding_rejects_out_of_range():
    with pytest.raises(ValueError, match=r"indices in \[0, 7\)"):
        word_embedding_forward(np.array([[7]]), np.zeros((V, D)))
    with pytest.raises(TypeError, match="integer"):
        word_embedding_forward(np.array([[1.0]]), np.zeros((V, D)))


@pytest.mark.a3_temporal_affine
def test_temporal_affine_gradient_check(rng):
    args = [rng.standard_normal((N, T, D)), rng.standard_normal((D, V)), rng.standard_normal(V)]
    out, cache = temporal_affine_forward(*args)
    assert np.allclose(out[:, 2], args[0][:, 2] @ args[1] + args[2])
    dout = rng.standard_normal(out.shape)
    grads = temporal_affine_backward(dout, cache)
    nums = num_grads(lambda *a: temporal_affine_forward(*a)[0], args, dout)
    for g, n in zip(grads, nums):
        assert grad_error(g, n) < TOL


@pytest.mark.a3_temporal_softmax_loss
def test_temporal_softmax_loss_cs231n_sanity_values():
    rng = np.random.default_rng(0)
    # Small random scores: the loss of one token is about log(V).
    for n, t, p, expected in ((100, 1, 1.0, 2.3), (100, 10, 1.0, 23.0), (5000, 10, 0.1, 2.3)):
        x = 0.001 * rng.standard_normal((n, t, 10))
        y = rng.integers(0, 10, size=(n, t))
        mask = rng.random((n, t)) <= p
        loss, _ = temporal_softmax_loss(x, y, mask)
        assert loss == pytest.approx(expected, rel=0.02)


@pytest.mark.a3_temporal_softmax_loss
def test_temporal_softmax_loss_gradient_check(rng):
    x = rng.standard_normal((N, T, V))
    y = rng.integers(0, V, size=(N, T))
    mask = rng.random((N, T)) > 0.4
    _, dx = temporal_softmax_loss(x, y, mask)
    num = eval_numerical_gradient_array(
        lambda x: np.array(temporal_softmax_loss(x, y, mask)[0]), x, np.array(1.0)
    )
    assert grad_error(dx, num) < TOL


@pytest.mark.a3_temporal_softmax_loss
@given(st.integers(0, 2**31 - 1))
def test_masked_positions_count_for_nothing(seed):
    """Changing the scores or targets where mask is False changes neither loss nor dx."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, V))
    y = rng.integers(0, V, size=(N, T))
    mask = rng.random((N, T)) > 0.5
    loss, dx = temporal_softmax_loss(x, y, mask)
    x2, y2 = x.copy(), y.copy()
    x2[~mask] = 100 * rng.standard_normal((int((~mask).sum()), V))
    y2[~mask] = rng.integers(0, V, size=int((~mask).sum()))
    loss2, dx2 = temporal_softmax_loss(x2, y2, mask)
    assert loss2 == pytest.approx(loss, rel=1e-12, abs=1e-12)
    assert np.array_equal(dx[mask], dx2[mask]) and np.all(dx2[~mask] == 0)


@pytest.mark.a3_temporal_softmax_loss
def test_temporal_softmax_loss_rejects_integer_mask():
    with pytest.raises(TypeError, match="boolean"):
        temporal_softmax_loss(np.zeros((1, 2, 3)), np.zeros((1, 2), int), np.ones((1, 2), int))


def test_shape_errors_say_what_was_expected(rng):
    with pytest.raises(ShapeError, match=r"\(D, H\)"):
        rnn_step_forward(
            np.zeros((N, D)), np.zeros((N, H)), np.zeros((D + 1, H)), np.zeros((H, H)), np.zeros(H)
        )
    with pytest.raises(ShapeError, match="initial hidden state"):
        lstm_forward(
            np.zeros((N, T, D)),
            np.zeros((N + 1, H)),
            np.zeros((D, 4 * H)),
            np.zeros((H, 4 * H)),
            np.zeros(4 * H),
        )

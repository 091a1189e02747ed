"""Assignment 3's visible checks: the reference passes, and usual mistakes are named."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n import rnn_layers as R
from cs231n import transformer_layers as T
from cs231n.checks import REGISTRY
from cs231n.course.tasks import get_task, tasks_for


@pytest.mark.parametrize("task", [t.id for t in tasks_for("assignment3")])
def test_reference_passes(task, capsys):
    check = REGISTRY[task]
    objects = dict(zip(get_task(task).names, get_task(task).resolve()))
    for name in check.names:  # a backward's check also takes the forward of its notebook
        if name not in objects:
            objects[name] = getattr(R, name, None) or getattr(T, name)
    assert check.run(*[objects[n] for n in check.names]).passed
    assert "passed" in capsys.readouterr().out


def _cause(task, *objects):
    result = REGISTRY[task].run(*objects)
    assert result.status == "failed", result
    return str(result)


def test_rnn_step_without_tanh():
    def wrong(x, prev_h, Wx, Wh, b):
        return x @ Wx + prev_h @ Wh + b, None

    assert "tanh is missing" in _cause("a3_rnn_step_forward", wrong)


def test_rnn_backward_without_the_carried_gradient():
    def wrong(dh, cache):
        x, h0, Wx, Wh, h = cache
        N, T_, H = h.shape
        da = dh * (1 - h**2)
        hp = np.concatenate([h0[:, None], h[:, :-1]], axis=1).reshape(N * T_, H)
        d2 = da.reshape(N * T_, H)
        return (
            (d2 @ Wx.T).reshape(x.shape),
            da[:, 0] @ Wh.T,
            x.reshape(N * T_, -1).T @ d2,
            hp.T @ d2,
            d2.sum(0),
        )

    assert "dprev_h" in _cause("a3_rnn_backward", R.rnn_forward, wrong)


def test_embedding_backward_losing_repeated_words():
    def wrong(dout, cache):
        x, shape, _ = cache
        dW = np.zeros(shape)
        dW[x.ravel()] += dout.reshape(-1, shape[1])
        return dW

    assert "np.add.at" in _cause("a3_word_embedding_backward", R.word_embedding_forward, wrong)


@pytest.mark.parametrize(
    ("scale", "cause"), [("tokens", "number of kept tokens"), ("ignore", "padded positions")]
)
def test_softmax_loss_mistakes(scale, cause):
    def wrong(x, y, mask):
        if scale == "ignore":
            return R.temporal_softmax_loss(x, y, np.ones_like(mask))
        loss, dx = R.temporal_softmax_loss(x, y, mask)
        k = x.shape[0] / mask.sum()
        return loss * k, dx * k

    assert cause in _cause("a3_temporal_softmax_loss", wrong)


def test_lstm_gates_in_another_order():
    def wrong(x, prev_h, prev_c, Wx, Wh, b):
        H = prev_h.shape[1]
        a = x @ Wx + prev_h @ Wh + b
        f, i, o = (R.sigmoid(a[:, k * H : (k + 1) * H]) for k in range(3))
        c = f * prev_c + i * np.tanh(a[:, 3 * H :])
        return o * np.tanh(c), c, None

    assert "i, f, o, g" in _cause("a3_lstm_step_forward", wrong)


def test_attention_without_the_scale():
    def wrong(q, k, v, mask=None):
        s = q @ np.swapaxes(k, -1, -2)
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        m = np.max(s, axis=-1, keepdims=True)
        w = np.exp(s - np.where(np.isfinite(m), m, 0))
        w = w / np.maximum(w.sum(-1, keepdims=True), 1e-300)
        return w @ v, None

    assert "sqrt(d)" in _cause(
        "a3_scaled_dot_product_attention", wrong, T.scaled_dot_product_attention_backward
    )


def test_positional_encoding_with_sines_and_cosines_swapped():
    def wrong(T_, E, dtype=np.float64):
        pe = T.positional_encoding(T_, E)
        out = np.empty_like(pe)
        ang = np.arange(T_)[:, None] * 10000.0 ** (-np.arange(0, E, 2) / E)
        out[:, 0::2] = np.cos(ang)
        out[:, 1::2] = np.sin(ang[:, : E // 2])
        return out

    assert "EVEN columns" in _cause("a3_positional_encoding", wrong)


def test_captioning_rnn_without_the_mask():
    from cs231n.classifiers.rnn import CaptioningRNN

    class Wrong(CaptioningRNN):
        def loss(self, features, captions):
            null = self._null
            self._null = -1  # no target is <NULL>: padding counted
            try:
                return super().loss(features, captions)
            finally:
                self._null = null

    assert "<NULL> targets were counted" in _cause("a3_captioning_rnn", Wrong)

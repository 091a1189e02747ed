"""Hidden test cases of LSTM_Captioning.ipynb (never released), and its expected values.

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).  A
backward probe uses the namespace's own forward pass when it has one.
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import LSTM_Captioning as A

_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n import rnn_layers

    return getattr(rnn_layers, name)


def _step_inputs(rng, N, D, H, dtype=np.float64):
    shapes = ((N, D), (N, H), (N, H), (D, 4 * H), (H, 4 * H), (4 * H,))
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def _step_forward_probe(N, D, H, dtype=np.float64):
    def probe(ns, rng):
        h, c, _ = ns["lstm_step_forward"](*_step_inputs(rng, N, D, H, dtype))
        return {"next_h": np.asarray(h), "next_c": np.asarray(c)}

    return probe


def _step_backward_probe(N, D, H, zero_dc=False):
    def probe(ns, rng):
        _, _, cache = _get(ns, "lstm_step_forward")(*_step_inputs(rng, N, D, H))
        dh = rng.standard_normal((N, H))
        dc = np.zeros((N, H)) if zero_dc else rng.standard_normal((N, H))
        g = ns["lstm_step_backward"](dh, dc, cache)
        keys = ("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db")
        return dict(zip(keys, map(np.asarray, g)))

    return probe


def _seq_inputs(rng, N, T, D, H):
    return (
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        0.5 * rng.standard_normal((D, 4 * H)),
        0.5 * rng.standard_normal((H, 4 * H)),
        0.2 * rng.standard_normal(4 * H),
    )


def _forward_probe(N, T, D, H):
    def probe(ns, rng):
        h, _ = ns["lstm_forward"](*_seq_inputs(rng, N, T, D, H))
        return {"h": np.asarray(h)}

    return probe


def _backward_probe(N, T, D, H, last_only=False):
    def probe(ns, rng):
        _, cache = _get(ns, "lstm_forward")(*_seq_inputs(rng, N, T, D, H))
        dh = rng.standard_normal((N, T, H))
        if last_only:
            dh[:, :-1] = 0
        g = ns["lstm_backward"](dh, cache)
        return dict(zip(("dx", "dh0", "dWx", "dWh", "db"), map(np.asarray, g)))

    return probe


CASES = {
    "a3_lstm_step_forward": [
        Case("random N=4, D=6, H=5", 1.4, _step_forward_probe(4, 6, 5), **_TOL),
        Case("float32 inputs", 0.6, _step_forward_probe(3, 2, 7, np.float32), rtol=1e-4, atol=1e-5),
    ],
    "a3_lstm_step_backward": [
        Case("random N=4, D=6, H=5", 2.0, _step_backward_probe(4, 6, 5), **_TOL),
        Case(
            "dnext_c = 0 (the gradient comes through next_h only)",
            1.0,
            _step_backward_probe(3, 3, 4, zero_dc=True),
            **_TOL,
            hint="next_c gets gradient through next_h = o * tanh(next_c)",
        ),
    ],
    "a3_lstm_forward": [
        Case("N=3, T=5, D=4, H=6", 1.4, _forward_probe(3, 5, 4, 6), **_TOL),
        Case("a single step", 0.6, _forward_probe(2, 1, 3, 4), **_TOL),
    ],
    "a3_lstm_backward": [
        Case("N=3, T=5, D=4, H=6", 1.5, _backward_probe(3, 5, 4, 6), **_TOL),
        Case(
            "loss on the last state only",
            1.5,
            _backward_probe(2, 8, 3, 4, last_only=True),
            **_TOL,
            hint="carry dprev_h and dprev_c from every step to the one before",
        ),
    ],
}


# ============================================================================ expected values
def _sig(a):
    return 1 / (1 + np.exp(-a))


def _step(x, h, c, Wx, Wh, b, order=(0, 1, 2, 3), g_sigmoid=False, h_tanh=True):
    H = h.shape[1]
    a = x @ Wx + h @ Wh + b
    blocks = [a[:, k * H : (k + 1) * H] for k in order]
    i, f, o = (_sig(z) for z in blocks[:3])
    g = _sig(blocks[3]) if g_sigmoid else np.tanh(blocks[3])
    nc = f * c + i * g
    return (o * np.tanh(nc) if h_tanh else o * nc), nc


def _seq(x, h0, Wx, Wh, b, c_reset=False, c0_h0=False):
    h, c = h0, (h0 if c0_h0 else np.zeros_like(h0))
    out = []
    for t in range(x.shape[1]):
        h, c = _step(x[:, t], h, np.zeros_like(h0) if c_reset else c, Wx, Wh, b)
        out.append(h)
    return np.stack(out, axis=1)


def build_expected() -> dict:
    from cs231n import rnn_layers as R

    out = {}
    s = A.inputs_lstm_step()
    args = [s[k] for k in ("x", "prev_h", "prev_c", "Wx", "Wh", "b")]
    nh, nc, cache = R.lstm_step_forward(*args)
    out["step.next_h"], out["step.next_c"] = nh, nc
    for tag, kw in (
        ("gate_order", {"order": (1, 0, 2, 3)}),
        ("g_sigmoid", {"g_sigmoid": True}),
        ("h_without_tanh", {"h_tanh": False}),
    ):
        wh, wc = _step(*args, **kw)
        out[f"step.next_h.wrong_{tag}"] = wh
        if tag != "h_without_tanh":
            out[f"step.next_c.wrong_{tag}"] = wc
    names = ("x", "prev_h", "prev_c", "Wx", "Wh", "b")
    for name, g in zip(names, R.lstm_step_backward(s["dnext_h"], s["dnext_c"], cache)):
        out[f"step.d{name}"] = g
    # wrong: dnext_c alone, without the path through next_h
    x, h, c, Wx, Wh, b = args
    _, _, _, _, _, i, f, o, g, tanh_c = cache
    dc = s["dnext_c"]
    da = np.concatenate(
        [
            dc * g * i * (1 - i),
            dc * c * f * (1 - f),
            s["dnext_h"] * tanh_c * o * (1 - o),
            dc * i * (1 - g * g),
        ],
        axis=1,
    )
    wrong = (da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, h.T @ da, da.sum(0))
    for name, w in zip(names, wrong):
        out[f"step.d{name}.wrong_no_c_through_h"] = w
    q = A.inputs_lstm()
    args = [q[k] for k in ("x", "h0", "Wx", "Wh", "b")]
    hs, cache = R.lstm_forward(*args)
    out["seq.h"] = hs
    out["seq.h.wrong_c_reset"] = _seq(*args, c_reset=True)
    out["seq.h.wrong_c0_h0"] = _seq(*args, c0_h0=True)
    for name, g in zip(("x", "h0", "Wx", "Wh", "b"), R.lstm_backward(q["dh"], cache)):
        out[f"seq.d{name}"] = g
    # wrong: no carry between steps: each step back-propagates only its own dh[:, t]
    x, h0, Wx, Wh, b = args
    T = x.shape[1]
    hprev, cprev = h0, np.zeros_like(h0)
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in range(T):
        hprev, cprev, step_cache = R.lstm_step_forward(x[:, t], hprev, cprev, Wx, Wh, b)
        g = R.lstm_step_backward(q["dh"][:, t], np.zeros_like(cprev), step_cache)
        dx[:, t] = g[0]
        dWx, dWh, db = dWx + g[3], dWh + g[4], db + g[5]
    acc = [dx, None, dWx, dWh, db]
    for name, w in zip(("x", "Wx", "Wh", "b"), (acc[0], acc[2], acc[3], acc[4])):
        out[f"seq.d{name}.wrong_no_carry"] = w
    return {k: np.asarray(v) for k, v in out.items()}

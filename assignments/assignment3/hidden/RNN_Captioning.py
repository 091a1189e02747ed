"""Hidden test cases of RNN_Captioning.ipynb (never released), and its expected values.

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).  A
backward probe uses the namespace's own forward pass when it has one (the student's),
else the package's, so a backward is graded on the cache its own forward builds.
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import RNN_Captioning as A


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n import rnn_layers

    return getattr(rnn_layers, name)


_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _step_inputs(rng, N, D, H, dtype=np.float64):
    return [rng.standard_normal(s).astype(dtype) for s in ((N, D), (N, H), (D, H), (H, H), (H,))]


def _step_forward_probe(N, D, H, dtype=np.float64):
    def probe(ns, rng):
        x, h, Wx, Wh, b = _step_inputs(rng, N, D, H, dtype)
        out, _ = ns["rnn_step_forward"](x, h, 0.3 * Wx, 0.3 * Wh, b)
        return {"next_h": np.asarray(out)}

    return probe


def _step_backward_probe(N, D, H):
    def probe(ns, rng):
        x, h, Wx, Wh, b = _step_inputs(rng, N, D, H)
        _, cache = _get(ns, "rnn_step_forward")(x, h, 0.3 * Wx, 0.3 * Wh, b)
        g = ns["rnn_step_backward"](rng.standard_normal((N, H)), cache)
        return dict(zip(("dx", "dprev_h", "dWx", "dWh", "db"), map(np.asarray, g)))

    return probe


def _seq_inputs(rng, N, T, D, H):
    return (
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        0.4 * rng.standard_normal((D, H)),
        0.4 * rng.standard_normal((H, H)),
        0.1 * rng.standard_normal(H),
    )


def _rnn_forward_probe(N, T, D, H):
    def probe(ns, rng):
        h, _ = ns["rnn_forward"](*_seq_inputs(rng, N, T, D, H))
        return {"h": np.asarray(h)}

    return probe


def _rnn_backward_probe(N, T, D, H, last_only=False):
    def probe(ns, rng):
        args = _seq_inputs(rng, N, T, D, H)
        _, cache = _get(ns, "rnn_forward")(*args)
        dh = rng.standard_normal((N, T, H))
        if last_only:  # a loss on the last state only: everything flows back through time
            dh[:, :-1] = 0
        g = ns["rnn_backward"](dh, cache)
        return dict(zip(("dx", "dh0", "dWx", "dWh", "db"), map(np.asarray, g)))

    return probe


def _embed_forward_probe(N, T, V, D):
    def probe(ns, rng):
        x = rng.integers(V, size=(N, T))
        out, _ = ns["word_embedding_forward"](x, rng.standard_normal((V, D)))
        return {"out": np.asarray(out)}

    return probe


def _embed_backward_probe(N, T, V, D):
    def probe(ns, rng):
        x = rng.integers(V, size=(N, T))  # V small: words repeat
        W = rng.standard_normal((V, D))
        _, cache = _get(ns, "word_embedding_forward")(x, W)
        dW = ns["word_embedding_backward"](rng.standard_normal((N, T, D)), cache)
        return {"dW": np.asarray(dW)}

    return probe


def _taffine_probe(N, T, D, M):
    def probe(ns, rng):
        x, w, b = (
            rng.standard_normal((N, T, D)),
            rng.standard_normal((D, M)),
            rng.standard_normal(M),
        )
        out, cache = ns["temporal_affine_forward"](x, w, b)
        dx, dw, db = ns["temporal_affine_backward"](rng.standard_normal((N, T, M)), cache)
        return {
            "out": np.asarray(out),
            "dx": np.asarray(dx),
            "dw": np.asarray(dw),
            "db": np.asarray(db),
        }

    return probe


def _tloss_probe(N, T, V, p_keep):
    def probe(ns, rng):
        x = 2.0 * rng.standard_normal((N, T, V))
        y = rng.integers(V, size=(N, T))
        mask = rng.random((N, T)) < p_keep
        loss, dx = ns["temporal_softmax_loss"](x, y, mask)
        return {"loss": float(loss), "dx": np.asarray(dx)}

    return probe


def _model(ns, rng):
    inp = A.inputs_captioning_rnn()
    D, W, H = inp["sizes"]
    model = ns["CaptioningRNN"](
        inp["word_to_idx"],
        input_dim=D,
        wordvec_dim=W,
        hidden_dim=H,
        cell_type="rnn",
        dtype=np.float64,
        seed=int(rng.integers(100)),
    )
    return inp, model


_PARAMS = ("W_proj", "b_proj", "W_embed", "Wx", "Wh", "b", "W_vocab", "b_vocab")


def _model_init_probe(ns, rng):
    _, model = _model(ns, rng)
    params = model.params
    shapes = [tuple(np.shape(params[k])) if k in params else () for k in _PARAMS]
    return {
        "names_match": int(sorted(params) == sorted(_PARAMS)),
        "shapes": np.array([s + (0,) * (2 - len(s)) for s in shapes]),
        "zero_biases": int(
            all(k in params and not np.any(params[k]) for k in ("b", "b_proj", "b_vocab"))
        ),
    }


def _model_loss_probe(ns, rng):
    inp, model = _model(ns, rng)
    for k in sorted(model.params):
        model.params[k] = 0.5 * rng.standard_normal(model.params[k].shape)
    N = 3
    features = rng.standard_normal((N, inp["sizes"][0]))
    V = len(inp["word_to_idx"])
    captions = np.concatenate(
        [np.ones((N, 1), int), rng.integers(3, V, size=(N, 4)), np.full((N, 1), 2)], axis=1
    )
    captions[0, 3:] = [2, 0, 0]  # a short caption padded with <NULL>
    loss, grads = model.loss(features, captions)
    out = {"loss": float(loss)}
    out.update({f"d{k}": np.asarray(grads[k]) for k in sorted(model.params)})
    return out


def _model_sample_probe(ns, rng):
    inp, model = _model(ns, rng)
    for k in sorted(model.params):
        model.params[k] = rng.standard_normal(model.params[k].shape)
    features = rng.standard_normal((4, inp["sizes"][0]))
    greedy = model.sample(features, max_length=7)
    again = model.sample(features, max_length=7, temperature=0.7, seed=5)
    same = model.sample(features, max_length=7, temperature=0.7, seed=5)
    return {
        "greedy": np.asarray(greedy),
        "seeded_is_deterministic": int(np.array_equal(again, same)),
    }


CASES = {
    "a3_rnn_step_forward": [
        Case("random N=4, D=7, H=5", 0.7, _step_forward_probe(4, 7, 5), **_TOL),
        Case("float32 inputs", 0.3, _step_forward_probe(3, 4, 6, np.float32), rtol=1e-4, atol=1e-5),
    ],
    "a3_rnn_step_backward": [
        Case("random N=4, D=7, H=5", 1.2, _step_backward_probe(4, 7, 5), **_TOL),
        Case("batch of 1", 0.8, _step_backward_probe(1, 3, 8), **_TOL),
    ],
    "a3_rnn_forward": [
        Case("N=3, T=6, D=4, H=5", 1.2, _rnn_forward_probe(3, 6, 4, 5), **_TOL),
        Case(
            "a single step (T=1)",
            0.8,
            _rnn_forward_probe(2, 1, 3, 4),
            **_TOL,
            hint="h[:, 0] is the state after the first input",
        ),
    ],
    "a3_rnn_backward": [
        Case("N=3, T=6, D=4, H=5", 1.5, _rnn_backward_probe(3, 6, 4, 5), **_TOL),
        Case(
            "loss on the last state only",
            1.0,
            _rnn_backward_probe(2, 7, 3, 4, last_only=True),
            **_TOL,
            hint="the gradient of every earlier state flows back from the step after it",
        ),
        Case("a single step (T=1)", 0.5, _rnn_backward_probe(2, 1, 3, 4), **_TOL),
    ],
    "a3_word_embedding_forward": [
        Case("N=4, T=5, V=9, D=3", 1.0, _embed_forward_probe(4, 5, 9, 3), rtol=0),
    ],
    "a3_word_embedding_backward": [
        Case(
            "words repeat (V=4, 20 words)",
            1.5,
            _embed_backward_probe(4, 5, 4, 3),
            **_TOL,
            hint="np.add.at adds once per occurrence",
        ),
        Case("larger vocabulary", 0.5, _embed_backward_probe(2, 3, 30, 6), **_TOL),
    ],
    "a3_temporal_affine": [
        Case("N=3, T=4, D=5, M=6", 1.0, _taffine_probe(3, 4, 5, 6), **_TOL),
    ],
    "a3_temporal_softmax_loss": [
        Case("no padding", 0.6, _tloss_probe(4, 5, 7, 1.1), **_TOL),
        Case(
            "random padding",
            1.0,
            _tloss_probe(5, 6, 8, 0.6),
            **_TOL,
            hint="masked positions add nothing, and the sum is divided by N",
        ),
        Case("everything padded", 0.4, _tloss_probe(2, 3, 4, -1.0), **_TOL),
    ],
    "a3_captioning_rnn": [
        Case("parameter names, shapes, zero biases", 1.0, _model_init_probe),
        Case("loss and every gradient with padding", 2.0, _model_loss_probe, **_TOL),
        Case("greedy captions; seeded sampling is deterministic", 1.0, _model_sample_probe),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/RNN_Captioning.npz from the REFERENCE package: the
# outputs the visible checks compare with, and the outputs of deliberately wrong
# variants that let a check name the likely mistake.


def _rnn_step(x, h, Wx, Wh, b):
    return np.tanh(x @ Wx + h @ Wh + b)


def build_expected() -> dict:
    from cs231n import rnn_layers as R
    from cs231n.classifiers.rnn import CaptioningRNN

    out = {}
    # ---- one step
    s = A.inputs_rnn_step()
    args = [s[k] for k in ("x", "prev_h", "Wx", "Wh", "b")]
    x, h, Wx, Wh, b = args
    nh, cache = R.rnn_step_forward(*args)
    out["rnn_step.next_h"] = nh
    out["rnn_step.next_h.wrong_no_tanh"] = x @ Wx + h @ Wh + b
    out["rnn_step.next_h.wrong_no_bias"] = np.tanh(x @ Wx + h @ Wh)
    out["rnn_step.next_h.wrong_sigmoid"] = 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b)))
    grads = R.rnn_step_backward(s["dnext_h"], cache)
    for name, g in zip(("x", "prev_h", "Wx", "Wh", "b"), grads):
        out[f"rnn_step.d{name}"] = g
    d = s["dnext_h"]
    for tag, da in (
        ("no_tanh_grad", d),
        ("tanh_grad_of_input", d * (1 - (x @ Wx + h @ Wh + b) ** 2)),
    ):
        wrong = (da @ Wx.T, da @ Wh.T, x.T @ da, h.T @ da, da.sum(0))
        for name, g in zip(("x", "prev_h", "Wx", "Wh", "b"), wrong):
            out[f"rnn_step.d{name}.wrong_{tag}"] = g
    # ---- sequences
    q = A.inputs_rnn()
    args = [q[k] for k in ("x", "h0", "Wx", "Wh", "b")]
    x, h0, Wx, Wh, b = args
    hs, cache = R.rnn_forward(*args)
    out["rnn.h"] = hs
    out["rnn.h.wrong_h0_every_step"] = np.stack(
        [_rnn_step(x[:, t], h0, Wx, Wh, b) for t in range(x.shape[1])], axis=1
    )
    out["rnn.h.wrong_shifted"] = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    for name, g in zip(("x", "h0", "Wx", "Wh", "b"), R.rnn_backward(q["dh"], cache)):
        out[f"rnn.d{name}"] = g
    N, T, H = hs.shape
    hprev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    for tag in ("no_carry", "last_only"):
        if tag == "no_carry":
            da = q["dh"] * (1 - hs**2)
        else:
            dh_last = np.zeros_like(q["dh"])
            dh_last[:, -1] = q["dh"][:, -1]
            da = R.rnn_backward(dh_last, cache)
        if tag == "last_only":
            wrong = da
        else:
            da2 = da.reshape(N * T, H)
            wrong = (
                (da2 @ Wx.T).reshape(x.shape),
                da[:, 0] @ Wh.T,
                x.reshape(N * T, -1).T @ da2,
                hprev.reshape(N * T, H).T @ da2,
                da2.sum(0),
            )
        for name, g in zip(("x", "h0", "Wx", "Wh", "b"), wrong):
            out[f"rnn.d{name}.wrong_{tag}"] = g
    # ---- words
    e = A.inputs_embedding()
    o, _ = R.word_embedding_forward(e["x"], e["W"])
    out["embed.out"] = o
    out["embed.out.wrong_columns"] = e["W"][:, e["x"] % e["W"].shape[1]].transpose(1, 2, 0)
    for key in ("x", "x_repeat"):
        _, c = R.word_embedding_forward(e[key], e["W"])
        out[f"embed.dW_{key}"] = R.word_embedding_backward(e["dout"], c)
        wrong = np.zeros_like(e["W"])
        wrong[e[key].ravel()] += e["dout"].reshape(-1, e["W"].shape[1])
        out[f"embed.dW_{key}.wrong_no_accumulate"] = wrong
    t = A.inputs_temporal_affine()
    out["taffine.out"] = R.temporal_affine_forward(t["x"], t["w"], t["b"])[0]
    # ---- the masked loss
    s = A.inputs_softmax_loss()
    for key in ("mask_all", "mask"):
        mask = s[key]
        loss, dx = R.temporal_softmax_loss(s["x"], s["y"], mask)
        out[f"tloss.{key}.loss"] = loss
        out[f"tloss.{key}.dx"] = dx
        N = s["x"].shape[0]
        full_loss, full_dx = R.temporal_softmax_loss(s["x"], s["y"], np.ones_like(mask))
        n_tok, n_all = mask.sum(), mask.size
        if key == "mask":
            out[f"tloss.{key}.loss.wrong_mask_ignored"] = full_loss
            out[f"tloss.{key}.dx.wrong_mask_ignored"] = full_dx
        out[f"tloss.{key}.loss.wrong_mean_tokens"] = loss * N / n_tok
        out[f"tloss.{key}.dx.wrong_mean_tokens"] = dx * N / n_tok
        out[f"tloss.{key}.loss.wrong_mean_all"] = loss * N / n_all
        out[f"tloss.{key}.dx.wrong_mean_all"] = dx * N / n_all
    # ---- the model
    m = A.inputs_captioning_rnn()
    D, W, H = m["sizes"]
    model = CaptioningRNN(
        m["word_to_idx"], input_dim=D, wordvec_dim=W, hidden_dim=H, dtype=np.float64, seed=0
    )
    A.captioning_params(model)
    out["model.loss"] = model.loss(m["features"], m["captions"])[0]
    caps = m["captions"]
    # wrong: <NULL> targets counted
    from cs231n.rnn_layers import (
        temporal_affine_forward,
        temporal_softmax_loss,
        word_embedding_forward,
    )

    p = model.params
    h0 = m["features"] @ p["W_proj"] + p["b_proj"]

    def scores_of(cin):
        xw, _ = word_embedding_forward(cin, p["W_embed"])
        hh, _ = R.rnn_forward(xw, h0, p["Wx"], p["Wh"], p["b"])
        return temporal_affine_forward(hh, p["W_vocab"], p["b_vocab"])[0]

    sc = scores_of(caps[:, :-1])
    out["model.loss.wrong_no_mask"] = temporal_softmax_loss(
        sc, caps[:, 1:], np.ones(caps[:, 1:].shape, bool)
    )[0]
    sc = scores_of(caps)
    out["model.loss.wrong_unshifted"] = temporal_softmax_loss(sc, caps, caps != 0)[0]
    greedy = model.sample(m["features"], max_length=6)
    out["model.greedy"] = greedy
    out["model.greedy.wrong_with_start"] = np.concatenate(
        [np.ones((greedy.shape[0], 1), greedy.dtype), greedy[:, :-1]], axis=1
    )
    return {k: np.asarray(v) for k, v in out.items()}

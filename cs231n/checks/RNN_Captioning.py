"""Visible checks of RNN_Captioning.ipynb: RNN steps and sequences, words, the masked loss.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/RNN_Captioning.npz`` (built from the reference package by
the builder in ``assignments/assignment3/hidden/RNN_Captioning.py``, never released),
through the kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`).
Every backward pass is also compared with a centred-difference gradient of the
student's OWN forward pass, so a wrong backward is told apart from a wrong forward.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    check_unchanged,
    get,
    hints,
    lin,
    numeric_gradient,
    passed,
    unpack,
)

NOTEBOOK = "RNN_Captioning"
_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _exp(key: str) -> np.ndarray:
    return get(NOTEBOOK, key)


def _hints(prefix: str, pairs) -> list:
    return hints(NOTEBOOK, prefix, pairs)


def _num(f, x, df=None):
    """Centred-difference gradient of ``sum(f(x) * df)`` (or of scalar ``f``) at a float64 copy."""
    return numeric_gradient(f, np.array(x, dtype=np.float64, copy=True), df)


# ------------------------------------------------------------------------------ inputs
def inputs_rnn_step():
    """N=3, D=10, H=4: the ramps CS231n's notebook uses for its first RNN check."""
    N, D, H = 3, 10, 4
    return {
        "x": lin((N, D), -0.4, 0.7),
        "prev_h": lin((N, H), -0.2, 0.5),
        "Wx": lin((D, H), -0.1, 0.9),
        "Wh": lin((H, H), -0.3, 0.7),
        "b": lin((H,), -0.2, 0.4),
        "dnext_h": lin((N, H), -1.0, 0.8),
    }


def inputs_rnn():
    """N=2, T=3, D=4, H=5, with a gradient on every hidden state."""
    N, T, D, H = 2, 3, 4, 5
    return {
        "x": lin((N, T, D), -0.1, 0.3),
        "h0": lin((N, H), -0.3, 0.1),
        "Wx": lin((D, H), -0.2, 0.4),
        "Wh": lin((H, H), -0.4, 0.1),
        "b": lin((H,), -0.7, 0.1),
        "dh": np.cos(np.arange(N * T * H, dtype=np.float64)).reshape(N, T, H),
    }


def inputs_embedding():
    """V=5, D=3, and captions in which words repeat."""
    return {
        "x": np.array([[0, 3, 1, 2], [2, 1, 0, 3]]),
        "x_repeat": np.array([[1, 1, 4, 1], [4, 0, 1, 4]]),
        "W": lin((5, 3), 0.0, 1.0),
        "dout": np.sin(np.arange(2 * 4 * 3, dtype=np.float64)).reshape(2, 4, 3),
    }


def inputs_temporal_affine():
    N, T, D, M = 2, 3, 4, 5
    return {
        "x": lin((N, T, D), -1.0, 1.0),
        "w": lin((D, M), -0.5, 0.5),
        "b": lin((M,), 0.1, 0.3),
        "dout": np.cos(np.arange(N * T * M, dtype=np.float64)).reshape(N, T, M),
    }


def inputs_softmax_loss():
    """N=3, T=4, V=6 with two masks: everything kept, and padding at the ends."""
    N, T, V = 3, 4, 6
    k = np.arange(N * T * V, dtype=np.float64).reshape(N, T, V)
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    return {
        "x": 2.0 * np.sin(0.37 * k),
        "y": np.array([[1, 4, 2, 0], [5, 2, 0, 0], [3, 3, 1, 2]]),
        "mask": mask,
        "mask_all": np.ones((N, T), dtype=bool),
    }


#: the small model of the CaptioningRNN check: vocabulary, sizes, fixed features/captions
CAPTION_WORDS = ["<NULL>", "<START>", "<END>", "cat", "dog", "bag"]


def inputs_captioning_rnn():
    word_to_idx = {w: i for i, w in enumerate(CAPTION_WORDS)}
    N, D, W, H = 2, 5, 4, 6
    return {
        "word_to_idx": word_to_idx,
        "sizes": (D, W, H),
        "features": lin((N, D), -1.5, 0.3),
        "captions": np.array([[1, 3, 4, 2, 0], [1, 5, 2, 0, 0]]),
    }


def captioning_params(model):
    """Set every parameter of ``model`` to a fixed ramp (the check's known weights)."""
    for i, k in enumerate(sorted(model.params)):
        v = model.params[k]
        model.params[k] = lin(v.shape, -1.4 + 0.1 * i, 1.3 - 0.05 * i).astype(np.float64)


# ------------------------------------------------------------------------------ checks
@register("a3_rnn_step_forward")
def check_rnn_step_forward(rnn_step_forward):
    """One step: next_h = tanh(x @ Wx + prev_h @ Wh + b)."""
    inp = inputs_rnn_step()
    args = [inp[k] for k in ("x", "prev_h", "Wx", "Wh", "b")]
    before = [a.copy() for a in args]
    next_h, _ = unpack(rnn_step_forward(*args), 2, "rnn_step_forward", "(next_h, cache)")
    for name, b, a in zip(("x", "prev_h", "Wx", "Wh", "b"), before, args):
        check_unchanged("rnn_step_forward", b, a, name)
    check_close(
        "rnn_step_forward: next_h",
        next_h,
        _exp("rnn_step.next_h"),
        **_TOL,
        hints=_hints(
            "rnn_step.next_h",
            [
                ("no_tanh", "the tanh is missing: next_h = tanh(x @ Wx + prev_h @ Wh + b)."),
                ("no_bias", "the bias b is missing inside the tanh."),
                ("sigmoid", "that is a sigmoid; the vanilla RNN uses tanh."),
            ],
        ),
    )
    passed("rnn_step_forward", "next_h matches to 1e-6")


@register("a3_rnn_step_backward", "rnn_step_forward", "rnn_step_backward")
def check_rnn_step_backward(rnn_step_forward, rnn_step_backward):
    """All five gradients of one step, against numerical gradients of your forward."""
    inp = inputs_rnn_step()
    names = ("x", "prev_h", "Wx", "Wh", "b")
    args = [inp[k] for k in names]
    dnext = inp["dnext_h"]
    _, cache = rnn_step_forward(*args)
    d0 = dnext.copy()
    grads = unpack(
        rnn_step_backward(dnext, cache), 5, "rnn_step_backward", "(dx, dprev_h, dWx, dWh, db)"
    )
    check_unchanged("rnn_step_backward", d0, dnext, "dnext_h")
    worst = 0.0
    for i, (name, g) in enumerate(zip(names, grads)):

        def f(z, i=i):
            a = list(args)
            a[i] = z
            return rnn_step_forward(*a)[0]

        hint = _hints(
            f"rnn_step.d{name}",
            [
                (
                    "no_tanh_grad",
                    "the gradient must go through tanh first: multiply dnext_h by (1 - next_h**2).",
                ),
                (
                    "tanh_grad_of_input",
                    "tanh's derivative is 1 - next_h**2 with next_h the OUTPUT of the step, not 1 - x**2 of an input.",
                ),
            ],
        )
        worst = max(
            worst,
            check_gradient(f"rnn_step_backward: d{name}", g, _num(f, args[i], dnext), hints=hint),
        )
        check_close(f"rnn_step_backward: d{name}", g, _exp(f"rnn_step.d{name}"), **_TOL)
    passed("rnn_step_backward", f"worst relative error {worst:.1e}")


@register("a3_rnn_forward")
def check_rnn_forward(rnn_forward):
    """The hidden states of all T steps."""
    inp = inputs_rnn()
    args = [inp[k] for k in ("x", "h0", "Wx", "Wh", "b")]
    before = [a.copy() for a in args]
    h, _ = unpack(rnn_forward(*args), 2, "rnn_forward", "(h, cache)")
    for name, b, a in zip(("x", "h0", "Wx", "Wh", "b"), before, args):
        check_unchanged("rnn_forward", b, a, name)
    want = _exp("rnn.h")
    got = np.asarray(h)
    if got.shape == (want.shape[1], want.shape[0], want.shape[2]):
        raise CheckFailed(
            f"rnn_forward: h has shape {got.shape}, expected {want.shape} (N, T, H). "
            "Likely cause: the states were stacked time-first; the kit's sequences are "
            "batch-first, h[:, t] is step t (np.stack(states, axis=1))."
        )
    check_close(
        "rnn_forward: h",
        h,
        want,
        **_TOL,
        hints=_hints(
            "rnn.h",
            [
                (
                    "h0_every_step",
                    "every step started from h0: feed each step the state of the step before.",
                ),
                ("shifted", "h[:, t] must be the state AFTER input t (the first row is not h0)."),
            ],
        ),
    )
    passed("rnn_forward", "all hidden states match")


@register("a3_rnn_backward", "rnn_forward", "rnn_backward")
def check_rnn_backward(rnn_forward, rnn_backward):
    """Backpropagation through time: dx, dh0, dWx, dWh, db."""
    inp = inputs_rnn()
    names = ("x", "h0", "Wx", "Wh", "b")
    args = [inp[k] for k in names]
    dh = inp["dh"]
    _, cache = rnn_forward(*args)
    d0 = dh.copy()
    grads = unpack(rnn_backward(dh, cache), 5, "rnn_backward", "(dx, dh0, dWx, dWh, db)")
    check_unchanged("rnn_backward", d0, dh, "dh")
    worst = 0.0
    for i, (name, g) in enumerate(zip(names, grads)):

        def f(z, i=i):
            a = list(args)
            a[i] = z
            return rnn_forward(*a)[0]

        hint = _hints(
            f"rnn.d{name}",
            [
                (
                    "no_carry",
                    "each step used only dh[:, t]; the state h[:, t] also feeds step t + 1, "
                    "so add the gradient dprev_h that flows back from that step.",
                ),
                (
                    "last_only",
                    "only dh[:, -1] was used; every step's state has its own upstream gradient dh[:, t].",
                ),
            ],
        )
        worst = max(
            worst, check_gradient(f"rnn_backward: d{name}", g, _num(f, args[i], dh), hints=hint)
        )
        check_close(f"rnn_backward: d{name}", g, _exp(f"rnn.d{name}"), **_TOL)
    passed("rnn_backward", f"worst relative error {worst:.1e}")


@register("a3_word_embedding_forward")
def check_word_embedding_forward(word_embedding_forward):
    """out[n, t] = W[x[n, t]]."""
    inp = inputs_embedding()
    x, W = inp["x"], inp["W"]
    x0, W0 = x.copy(), W.copy()
    out, _ = unpack(word_embedding_forward(x, W), 2, "word_embedding_forward", "(out, cache)")
    check_unchanged("word_embedding_forward", x0, x, "x")
    check_unchanged("word_embedding_forward", W0, W, "W")
    check_close(
        "word_embedding_forward: out",
        out,
        _exp("embed.out"),
        rtol=0,
        atol=0,
        hints=_hints(
            "embed.out", [("columns", "the words index the ROWS of W (W[x]), not its columns.")]
        ),
        shape_hint="out has shape (N, T, D): one word vector per word of every caption.",
    )
    passed("word_embedding_forward", "every word got its row of W")


@register("a3_word_embedding_backward", "word_embedding_forward", "word_embedding_backward")
def check_word_embedding_backward(word_embedding_forward, word_embedding_backward):
    """dW, with words that occur more than once."""
    inp = inputs_embedding()
    W, dout = inp["W"], inp["dout"]
    worst = 0.0
    for key in ("x", "x_repeat"):
        x = inp[key]
        _, cache = word_embedding_forward(x, W)
        d0 = dout.copy()
        dW = word_embedding_backward(dout, cache)
        check_unchanged("word_embedding_backward", d0, dout, "dout")
        label = (
            f"word_embedding_backward: dW ({'repeated words' if key == 'x_repeat' else 'captions'})"
        )
        num = _num(lambda z, x=x: word_embedding_forward(x, z)[0], W, dout)
        cause = [
            (
                "no_accumulate",
                "a word that occurs several times got the gradient of only one occurrence: "
                "dW[x] += dout keeps one value per repeated index; use np.add.at(dW, x, dout).",
            )
        ]
        worst = max(worst, check_gradient(label, dW, num, hints=_hints(f"embed.dW_{key}", cause)))
        check_close(
            label, dW, _exp(f"embed.dW_{key}"), **_TOL, hints=_hints(f"embed.dW_{key}", cause)
        )
    passed(
        "word_embedding_backward", f"repeated words accumulate; worst relative error {worst:.1e}"
    )


@register("a3_temporal_affine")
def check_temporal_affine(temporal_affine_forward, temporal_affine_backward):
    """The same affine map at every step, and its three gradients."""
    inp = inputs_temporal_affine()
    x, w, b, dout = inp["x"], inp["w"], inp["b"], inp["dout"]
    out, cache = unpack(
        temporal_affine_forward(x, w, b), 2, "temporal_affine_forward", "(out, cache)"
    )
    check_close(
        "temporal_affine_forward: out",
        out,
        _exp("taffine.out"),
        **_TOL,
        shape_hint="out has shape (N, T, M): fold T into the batch, multiply, and reshape back.",
    )
    d0 = dout.copy()
    grads = unpack(
        temporal_affine_backward(dout, cache), 3, "temporal_affine_backward", "(dx, dw, db)"
    )
    check_unchanged("temporal_affine_backward", d0, dout, "dout")
    args = [x, w, b]
    worst = 0.0
    for i, (name, g) in enumerate(zip(("x", "w", "b"), grads)):

        def f(z, i=i):
            a = list(args)
            a[i] = z
            return temporal_affine_forward(*a)[0]

        worst = max(
            worst, check_gradient(f"temporal_affine_backward: d{name}", g, _num(f, args[i], dout))
        )
    passed("temporal_affine", f"worst relative error {worst:.1e}")


@register("a3_temporal_softmax_loss")
def check_temporal_softmax_loss(temporal_softmax_loss):
    """The loss with and without padding, its gradient, and <NULL> positions left out."""
    inp = inputs_softmax_loss()
    x, y = inp["x"], inp["y"]
    for key in ("mask_all", "mask"):
        mask = inp[key]
        x0 = x.copy()
        loss, dx = unpack(
            temporal_softmax_loss(x, y, mask), 2, "temporal_softmax_loss", "(loss, dx)"
        )
        check_unchanged("temporal_softmax_loss", x0, x, "x")
        what = "no padding" if key == "mask_all" else "with padding"
        causes = [
            (
                "mask_ignored",
                "the padded positions (mask False) were counted: weight every row by its mask.",
            ),
            (
                "mean_tokens",
                "the sum was divided by the number of kept tokens; as in CS231n, divide by N (the captions).",
            ),
            ("mean_all", "the sum was divided by N * T; as in CS231n, divide by N (the captions)."),
        ]
        check_scalar(
            f"temporal_softmax_loss ({what}): loss",
            loss,
            float(_exp(f"tloss.{key}.loss")),
            rtol=1e-7,
            hints=[(float(w), c) for w, c in _hints(f"tloss.{key}.loss", causes)],
        )
        check_close(
            f"temporal_softmax_loss ({what}): dx",
            dx,
            _exp(f"tloss.{key}.dx"),
            **_TOL,
            hints=_hints(f"tloss.{key}.dx", causes),
        )
        if key == "mask" and np.any(np.asarray(dx)[~mask] != 0):
            raise CheckFailed(
                "temporal_softmax_loss: dx is not zero at padded positions (mask False). "
                "Likely cause: multiply each row of the gradient by its mask, too."
            )
        num = _num(lambda z, mask=mask: temporal_softmax_loss(z, y, mask)[0], x)
        check_gradient(f"temporal_softmax_loss ({what}): dx", dx, num)
    passed("temporal_softmax_loss", "padding is left out of the loss and the gradient")


@register("a3_captioning_rnn")
def check_captioning_rnn(CaptioningRNN):
    """Parameter shapes, the loss and every gradient on known weights, greedy captions."""
    inp = inputs_captioning_rnn()
    D, W, H = inp["sizes"]
    V = len(inp["word_to_idx"])
    model = CaptioningRNN(
        inp["word_to_idx"],
        input_dim=D,
        wordvec_dim=W,
        hidden_dim=H,
        cell_type="rnn",
        dtype=np.float64,
        seed=0,
    )
    shapes = {
        "W_proj": (D, H),
        "b_proj": (H,),
        "W_embed": (V, W),
        "Wx": (W, H),
        "Wh": (H, H),
        "b": (H,),
        "W_vocab": (H, V),
        "b_vocab": (V,),
    }
    missing = sorted(set(shapes) - set(model.params))
    if missing:
        raise CheckFailed(
            f"CaptioningRNN.__init__: params has no {', '.join(missing)}. Create every "
            "parameter listed in the class docstring, under those names."
        )
    for k, shape in shapes.items():
        if np.shape(model.params[k]) != shape:
            raise CheckFailed(
                f"CaptioningRNN.__init__: params[{k!r}] has shape {np.shape(model.params[k])}, expected {shape}."
            )
    for k in ("b_proj", "b", "b_vocab"):
        if np.any(model.params[k] != 0):
            raise CheckFailed(f"CaptioningRNN.__init__: the bias {k} should start at zero.")
    captioning_params(model)
    features, captions = inp["features"], inp["captions"]
    f0, c0 = features.copy(), captions.copy()
    loss, grads = unpack(model.loss(features, captions), 2, "CaptioningRNN.loss", "(loss, grads)")
    check_unchanged("CaptioningRNN.loss", f0, features, "features")
    check_unchanged("CaptioningRNN.loss", c0, captions, "captions")
    check_scalar(
        "CaptioningRNN.loss",
        loss,
        float(_exp("model.loss")),
        rtol=1e-7,
        hints=[
            (float(w), c)
            for w, c in _hints(
                "model.loss",
                [
                    (
                        "no_mask",
                        "<NULL> targets were counted: mask = captions_out != <NULL> index.",
                    ),
                    (
                        "unshifted",
                        "input and target must be shifted by one word: captions[:, :-1] in, captions[:, 1:] out.",
                    ),
                ],
            )
        ],
    )
    worst = 0.0
    for k in sorted(shapes):
        if k not in grads:
            raise CheckFailed(
                f"CaptioningRNN.loss: grads has no {k!r}; return a gradient for every parameter."
            )

        def f(_z, k=k):
            return model.loss(features, captions)[0]

        num = numeric_gradient(f, model.params[k])
        worst = max(worst, check_gradient(f"CaptioningRNN.loss: grads[{k!r}]", grads[k], num))
    sampled = model.sample(features, max_length=6)
    check_close(
        "CaptioningRNN.sample (greedy)",
        np.asarray(sampled),
        _exp("model.greedy"),
        rtol=0,
        atol=0,
        hints=_hints(
            "model.greedy",
            [
                (
                    "with_start",
                    "the sampled captions start with the first GENERATED word, not <START>.",
                ),
                (
                    "no_null_after_end",
                    "after a caption's <END> the rest of its row must be <NULL>.",
                ),
            ],
        ),
    )
    a = model.sample(features, max_length=6, temperature=1.0, seed=3)
    b = model.sample(features, max_length=6, temperature=1.0, seed=3)
    if not np.array_equal(a, b):
        raise CheckFailed(
            "CaptioningRNN.sample: two calls with the same seed gave different captions. "
            "Likely cause: draw the words from rng = make_rng(seed) (through sample_words), "
            "not from np.random."
        )
    passed(
        "CaptioningRNN", f"loss, gradients (worst relative error {worst:.1e}) and greedy captions"
    )

"""Visible checks of Transformer_Captioning.ipynb: attention, positions, blocks, the captioner.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/Transformer_Captioning.npz`` (built from the reference
package by the builder in ``assignments/assignment3/hidden/Transformer_Captioning.py``,
never released).  Every backward pass is also compared with a centred-difference
gradient of the student's OWN forward pass.
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

NOTEBOOK = "Transformer_Captioning"
_TOL = {"rtol": 1e-6, "atol": 1e-9}
ATTENTION_KEYS = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")


def _exp(key: str) -> np.ndarray:
    return get(NOTEBOOK, key)


def _hints(prefix: str, pairs) -> list:
    return hints(NOTEBOOK, prefix, pairs)


def _num(f, x, df):
    return numeric_gradient(f, np.array(x, dtype=np.float64, copy=True), df)


def _grad_of_param(f, params, key, df):
    """Numerical gradient of ``sum(f() * df)`` with respect to ``params[key]`` (in place)."""

    def g(_):
        return f()

    return numeric_gradient(g, params[key], df)


# ------------------------------------------------------------------------------ inputs
def inputs_attention():
    """N=2 batches, S=3 queries, T=4 keys, d=5, dv=3."""
    k = np.arange(2 * 4 * 5, dtype=np.float64).reshape(2, 4, 5)
    return {
        "q": lin((2, 3, 5), -1.0, 1.2),
        "k": np.sin(0.7 * k),
        "v": lin((2, 4, 3), -0.5, 0.9),
        "mask": np.array(
            [[True, False, False, False], [True, True, False, True], [False, False, False, False]]
        ),
        "dout": np.cos(np.arange(2 * 3 * 3, dtype=np.float64)).reshape(2, 3, 3),
    }


def attention_params(E, shift=0.0):
    p = {}
    for i, key in enumerate(ATTENTION_KEYS):
        shape = (E, E) if key[0] == "W" else (E,)
        p[key] = lin(shape, -0.6 + 0.05 * i + shift, 0.5 - 0.03 * i)
    return p


def inputs_multihead():
    """N=2, S=3, T=4, E=6, 2 heads."""
    return {
        "query": lin((2, 3, 6), -1.0, 1.0),
        "key": np.sin(np.arange(2 * 4 * 6, dtype=np.float64)).reshape(2, 4, 6),
        "value": lin((2, 4, 6), 0.7, -0.4),
        "params": attention_params(6),
        "num_heads": 2,
        "dout": np.cos(0.3 * np.arange(2 * 3 * 6, dtype=np.float64)).reshape(2, 3, 6),
        "self_dout": np.cos(0.4 * np.arange(2 * 4 * 6, dtype=np.float64)).reshape(2, 4, 6),
    }


def block_params(E, hidden, norms, prefixes):
    p = {}
    for i in range(1, norms + 1):
        p[f"ln{i}_gamma"] = lin((E,), 0.8, 1.3) + 0.01 * i
        p[f"ln{i}_beta"] = lin((E,), -0.1, 0.2) - 0.01 * i
    for j, prefix in enumerate(prefixes):
        for k, v in attention_params(E, 0.02 * j).items():
            p[prefix + k] = v
    p["mlp_W1"] = lin((E, hidden), -0.5, 0.6)
    p["mlp_b1"] = lin((hidden,), -0.2, 0.2)
    p["mlp_W2"] = lin((hidden, E), 0.4, -0.5)
    p["mlp_b2"] = lin((E,), -0.1, 0.1)
    return p


def inputs_blocks():
    """E=4, 2 heads, MLP width 6; decoder: N=2, S=3 words over T=2 memory tokens."""
    E = 4
    return {
        "x": lin((2, 3, E), -1.0, 1.5),
        "memory": np.sin(np.arange(2 * 2 * E, dtype=np.float64)).reshape(2, 2, E),
        "enc": block_params(E, 6, 2, ["attn_"]),
        "dec": block_params(E, 6, 3, ["self_", "cross_"]),
        "num_heads": 2,
        "dout": np.cos(0.5 * np.arange(2 * 3 * E, dtype=np.float64)).reshape(2, 3, E),
    }


CAPTION_WORDS = ["<NULL>", "<START>", "<END>", "cat", "dog", "bag"]


def inputs_captioner():
    word_to_idx = {w: i for i, w in enumerate(CAPTION_WORDS)}
    return {
        "word_to_idx": word_to_idx,
        "kwargs": dict(
            input_dim=8,
            wordvec_dim=4,
            num_heads=2,
            num_layers=1,
            num_regions=2,
            mlp_ratio=1,
            max_length=8,
        ),
        "features": lin((2, 8), -1.2, 0.9),
        "captions": np.array([[1, 3, 4, 2, 0], [1, 5, 2, 0, 0]]),
    }


def captioner_params(model):
    for i, k in enumerate(sorted(model.params)):
        v = model.params[k]
        model.params[k] = (lin(v.shape, -0.9 + 0.01 * i, 1.0 - 0.02 * i)).astype(np.float64)


def causal(T):
    return np.tril(np.ones((T, T), dtype=bool))


# ------------------------------------------------------------------------------ checks
@register("a3_scaled_dot_product_attention")
def check_scaled_dot_product_attention(
    scaled_dot_product_attention_forward, scaled_dot_product_attention_backward
):
    """Output and weights without and with a mask; all three gradients."""
    inp = inputs_attention()
    q, k, v, dout = inp["q"], inp["k"], inp["v"], inp["dout"]
    causes = [
        ("no_scale", "the scores must be divided by sqrt(d) (d = q.shape[-1]) before the softmax."),
        (
            "key_axis",
            "the softmax runs over the KEYS (the last axis): each query's weights sum to 1.",
        ),
        (
            "mask_after",
            "masked scores must become -inf BEFORE the softmax; zeroing weights after it leaves "
            "rows that no longer sum to 1.",
        ),
    ]
    for key in ("none", "mask"):
        mask = inp["mask"] if key == "mask" else None
        before = [a.copy() for a in (q, k, v)]
        out, cache = unpack(
            scaled_dot_product_attention_forward(q, k, v, mask),
            2,
            "scaled_dot_product_attention_forward",
            "(out, cache)",
        )
        for name, b, a in zip("qkv", before, (q, k, v)):
            check_unchanged("scaled_dot_product_attention_forward", b, a, name)
        what = "with a mask" if mask is not None else "no mask"
        with np.errstate(all="ignore"):
            check_close(
                f"scaled_dot_product_attention_forward ({what}): out",
                out,
                _exp(f"sdpa.{key}.out"),
                **_TOL,
                hints=_hints(f"sdpa.{key}.out", causes),
                nonfinite_hint=(
                    "a query whose keys are ALL masked has a row of -inf scores; give it zero "
                    "weights (and a zero output) instead of exp(-inf) / 0."
                ),
            )
        d0 = dout.copy()
        grads = unpack(
            scaled_dot_product_attention_backward(dout, cache),
            3,
            "scaled_dot_product_attention_backward",
            "(dq, dk, dv)",
        )
        check_unchanged("scaled_dot_product_attention_backward", d0, dout, "dout")
        args = [q, k, v]
        for i, (name, g) in enumerate(zip("qkv", grads)):

            def f(z, i=i, mask=mask, args=args):
                a = list(args)
                a[i] = z
                return scaled_dot_product_attention_forward(*a, mask)[0]

            label = f"scaled_dot_product_attention_backward ({what}): d{name}"
            check_gradient(label, g, _num(f, args[i], dout))
            check_close(label, g, _exp(f"sdpa.{key}.d{name}"), **_TOL)
    passed("scaled dot-product attention", "outputs, masked rows and gradients")


@register("a3_multihead_attention")
def check_multihead_attention(
    multihead_attention_forward,
    multihead_attention_backward,
    multihead_self_attention_forward,
    multihead_self_attention_backward,
):
    """Cross-attention forward/backward; self-attention equals attention(x, x, x)."""
    inp = inputs_multihead()
    query, key, value, p, h = (
        inp["query"],
        inp["key"],
        inp["value"],
        inp["params"],
        inp["num_heads"],
    )
    out, cache = unpack(
        multihead_attention_forward(query, key, value, p, h),
        2,
        "multihead_attention_forward",
        "(out, cache)",
    )
    check_close(
        "multihead_attention_forward: out",
        out,
        _exp("mha.out"),
        **_TOL,
        hints=_hints(
            "mha.out",
            [
                (
                    "heads_no_transpose",
                    "the heads were split with a reshape alone: reshape to (N, S, h, E // h), "
                    "then transpose to (N, h, S, E // h) (and back before merging).",
                ),
                ("one_head", "the heads were not split: attention ran once over all E features."),
            ],
        ),
    )
    dout = inp["dout"]
    dq, dk, dv, dp = unpack(
        multihead_attention_backward(dout, cache),
        4,
        "multihead_attention_backward",
        "(dquery, dkey, dvalue, dparams)",
    )
    args = [query, key, value]
    for i, (name, g) in enumerate(zip(("query", "key", "value"), (dq, dk, dv))):

        def f(z, i=i):
            a = list(args)
            a[i] = z
            return multihead_attention_forward(*a, p, h)[0]

        check_gradient(f"multihead_attention_backward: d{name}", g, _num(f, args[i], dout))
    for k in ATTENTION_KEYS:
        if k not in dp:
            raise CheckFailed(f"multihead_attention_backward: dparams has no {k!r}.")
        num = _grad_of_param(
            lambda: multihead_attention_forward(query, key, value, p, h)[0], p, k, dout
        )
        check_gradient(f"multihead_attention_backward: dparams[{k!r}]", dp[k], num)
    # self-attention: the same function of x, and its gradient
    x = key
    sout, scache = unpack(
        multihead_self_attention_forward(x, p, h),
        2,
        "multihead_self_attention_forward",
        "(out, cache)",
    )
    check_close(
        "multihead_self_attention_forward: out (vs multihead_attention_forward(x, x, x))",
        sout,
        _exp("mha.self_out"),
        **_TOL,
    )
    sd = inp["self_dout"]
    dx, sdp = unpack(
        multihead_self_attention_backward(sd, scache),
        2,
        "multihead_self_attention_backward",
        "(dx, dparams)",
    )
    check_gradient(
        "multihead_self_attention_backward: dx",
        dx,
        _num(lambda z: multihead_self_attention_forward(z, p, h)[0], x, sd),
        hints=_hints(
            "mha.self_dx",
            [("q_only", "x is the queries, the keys AND the values: add the three gradients.")],
        ),
    )
    for k in ATTENTION_KEYS:
        if k not in sdp:
            raise CheckFailed(f"multihead_self_attention_backward: dparams has no {k!r}.")
        num = _grad_of_param(lambda: multihead_self_attention_forward(x, p, h)[0], p, k, sd)
        check_gradient(f"multihead_self_attention_backward: dparams[{k!r}]", sdp[k], num)
    passed("multi-head attention", "cross- and self-attention, forward and backward")


@register("a3_positional_encoding")
def check_positional_encoding(positional_encoding):
    """The sinusoidal encoding for an even and an odd width."""
    for T, E in ((6, 8), (5, 7)):
        pe = positional_encoding(T, E)
        check_close(
            f"positional_encoding({T}, {E})",
            pe,
            _exp(f"pe.{T}x{E}"),
            rtol=1e-7,
            atol=1e-10,
            hints=_hints(
                f"pe.{T}x{E}",
                [
                    (
                        "swapped",
                        "sines go in the EVEN columns (0, 2, ...) and cosines in the odd ones.",
                    ),
                    (
                        "exponent_i",
                        "the frequency of column pair i is 10000 ** (-2i / E): the exponent uses "
                        "the even column index 2i, not i.",
                    ),
                ],
            ),
        )
    passed("positional_encoding", "even and odd E")


@register("a3_transformer_block")
def check_transformer_block(
    transformer_encoder_block_forward,
    transformer_encoder_block_backward,
    transformer_decoder_block_forward,
    transformer_decoder_block_backward,
):
    """Pre-norm encoder and decoder blocks: outputs and every gradient."""
    inp = inputs_blocks()
    x, memory, h, dout = inp["x"], inp["memory"], inp["num_heads"], inp["dout"]
    block_causes = [
        (
            "post_norm",
            "that is a POST-norm block (layernorm(x + sublayer(x))); here the sub-layer sees "
            "layernorm(x) and its output is added to x: x + sublayer(layernorm(x)).",
        ),
        ("no_residual", "a residual connection is missing: x = x + sublayer(layernorm(x))."),
    ]
    pe = inp["enc"]
    out, cache = unpack(
        transformer_encoder_block_forward(x, pe, h),
        2,
        "transformer_encoder_block_forward",
        "(out, cache)",
    )
    check_close(
        "transformer_encoder_block_forward: out",
        out,
        _exp("enc.out"),
        **_TOL,
        hints=_hints("enc.out", block_causes),
    )
    dx, dp = unpack(
        transformer_encoder_block_backward(dout, cache),
        2,
        "transformer_encoder_block_backward",
        "(dx, dparams)",
    )
    check_gradient(
        "transformer_encoder_block_backward: dx",
        dx,
        _num(lambda z: transformer_encoder_block_forward(z, pe, h)[0], x, dout),
    )
    for k in sorted(pe):
        if k not in dp:
            raise CheckFailed(f"transformer_encoder_block_backward: dparams has no {k!r}.")
        num = _grad_of_param(lambda: transformer_encoder_block_forward(x, pe, h)[0], pe, k, dout)
        check_gradient(f"transformer_encoder_block_backward: dparams[{k!r}]", dp[k], num)
    pd = inp["dec"]
    mask = causal(x.shape[1])
    out, cache = unpack(
        transformer_decoder_block_forward(x, memory, pd, h, self_mask=mask),
        2,
        "transformer_decoder_block_forward",
        "(out, cache)",
    )
    check_close(
        "transformer_decoder_block_forward: out",
        out,
        _exp("dec.out"),
        **_TOL,
        hints=_hints(
            "dec.out", [*block_causes, ("no_mask", "the self-attention must use self_mask.")]
        ),
    )
    dx, dmem, dp = unpack(
        transformer_decoder_block_backward(dout, cache),
        3,
        "transformer_decoder_block_backward",
        "(dx, dmemory, dparams)",
    )

    def fwd(xx=None, mm=None):
        return transformer_decoder_block_forward(
            x if xx is None else xx, memory if mm is None else mm, pd, h, self_mask=mask
        )[0]

    check_gradient("transformer_decoder_block_backward: dx", dx, _num(lambda z: fwd(xx=z), x, dout))
    check_gradient(
        "transformer_decoder_block_backward: dmemory",
        dmem,
        _num(lambda z: fwd(mm=z), memory, dout),
    )
    for k in sorted(pd):
        if k not in dp:
            raise CheckFailed(f"transformer_decoder_block_backward: dparams has no {k!r}.")
        check_gradient(
            f"transformer_decoder_block_backward: dparams[{k!r}]",
            dp[k],
            _grad_of_param(fwd, pd, k, dout),
        )
    passed("Transformer blocks", "encoder and decoder, every gradient")


@register("a3_captioning_transformer")
def check_captioning_transformer(CaptioningTransformer):
    """Loss and every gradient on known weights, greedy captions, causality."""
    inp = inputs_captioner()
    model = CaptioningTransformer(inp["word_to_idx"], dtype=np.float64, seed=0, **inp["kwargs"])
    names = ["W_embed", "W_proj", "b_proj", "W_region", "ln_gamma", "ln_beta", "W_vocab", "b_vocab"]
    missing = [
        k for k in [*names, "dec0_self_Wq", "dec0_cross_Wq", "dec0_mlp_W1"] if k not in model.params
    ]
    if missing:
        raise CheckFailed(
            f"CaptioningTransformer.__init__: params has no {', '.join(missing)}; create every "
            "parameter listed in the class docstring, under those names."
        )
    captioner_params(model)
    features, captions = inp["features"], inp["captions"]
    loss, grads = unpack(
        model.loss(features, captions), 2, "CaptioningTransformer.loss", "(loss, grads)"
    )
    check_scalar(
        "CaptioningTransformer.loss",
        loss,
        float(_exp("cap.loss")),
        rtol=1e-7,
        hints=[
            (float(w), c)
            for w, c in _hints(
                "cap.loss",
                [
                    (
                        "no_causal",
                        "the decoder saw later words: self-attention needs the causal mask.",
                    ),
                    ("no_positions", "the word embeddings need their positional encoding added."),
                ],
            )
        ],
    )
    for k in sorted(model.params):
        if k not in grads:
            raise CheckFailed(f"CaptioningTransformer.loss: grads has no {k!r}.")
        num = numeric_gradient(lambda _z: model.loss(features, captions)[0], model.params[k])
        check_gradient(f"CaptioningTransformer.loss: grads[{k!r}]", grads[k], num)
    sampled = model.sample(features, max_length=6)
    check_close(
        "CaptioningTransformer.sample (greedy)",
        np.asarray(sampled),
        _exp("cap.greedy"),
        rtol=0,
        atol=0,
    )
    a = model.sample(features, max_length=6, temperature=1.0, seed=2)
    b = model.sample(features, max_length=6, temperature=1.0, seed=2)
    if not np.array_equal(a, b):
        raise CheckFailed(
            "CaptioningTransformer.sample: the same seed gave different captions. Likely cause: "
            "draw from rng = make_rng(seed) through sample_words, not from np.random."
        )
    passed("CaptioningTransformer", "loss, every gradient, greedy and seeded captions")

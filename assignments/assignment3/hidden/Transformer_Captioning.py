"""Hidden test cases of Transformer_Captioning.ipynb (never released), and its expected values.

Probes call the namespace's objects on fresh inputs and return plain arrays; the grader
compares the student's results with the reference's (see autograder/hidden.py).
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import Transformer_Captioning as A

_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n import transformer_layers

    return getattr(transformer_layers, name)


def _attn_params(rng, E):
    return {k: 0.5 * rng.standard_normal((E, E) if k[0] == "W" else E) for k in A.ATTENTION_KEYS}


def _sdpa_probe(mask_kind):
    def probe(ns, rng):
        q, k = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 6, 5))
        v = rng.standard_normal((2, 3, 6, 2))
        mask = None
        if mask_kind == "causal":
            mask = np.tril(np.ones((4, 6), dtype=bool))
        elif mask_kind == "padding":
            mask = rng.random((2, 1, 1, 6)) < 0.6
            mask[0, ..., :] = False  # a sample whose keys are all padding
        out, cache = ns["scaled_dot_product_attention_forward"](q, k, v, mask)
        dq, dk, dv = ns["scaled_dot_product_attention_backward"](
            rng.standard_normal(out.shape), cache
        )
        return {
            "out": np.asarray(out),
            "dq": np.asarray(dq),
            "dk": np.asarray(dk),
            "dv": np.asarray(dv),
        }

    return probe


def _mha_probe(N, S, T, E, h):
    def probe(ns, rng):
        query, key = rng.standard_normal((N, S, E)), rng.standard_normal((N, T, E))
        value = rng.standard_normal((N, T, E))
        p = _attn_params(rng, E)
        out, cache = ns["multihead_attention_forward"](query, key, value, p, h)
        dq, dk, dv, dp = ns["multihead_attention_backward"](rng.standard_normal(out.shape), cache)
        res = {
            "out": np.asarray(out),
            "dq": np.asarray(dq),
            "dk": np.asarray(dk),
            "dv": np.asarray(dv),
        }
        res.update({f"d{k}": np.asarray(dp[k]) for k in A.ATTENTION_KEYS})
        return res

    return probe


def _self_probe(N, T, E, h):
    def probe(ns, rng):
        x = rng.standard_normal((N, T, E))
        p = _attn_params(rng, E)
        mask = np.tril(np.ones((T, T), dtype=bool))
        out, cache = ns["multihead_self_attention_forward"](x, p, h, mask)
        dx, dp = ns["multihead_self_attention_backward"](rng.standard_normal(out.shape), cache)
        res = {"out": np.asarray(out), "dx": np.asarray(dx)}
        res.update({f"d{k}": np.asarray(dp[k]) for k in A.ATTENTION_KEYS})
        return res

    return probe


def _pe_probe(T, E):
    def probe(ns, rng):
        return {"pe": np.asarray(ns["positional_encoding"](T, E))}

    return probe


def _block_params(rng, E, hidden, norms, prefixes):
    p = {}
    for i in range(1, norms + 1):
        p[f"ln{i}_gamma"] = 1 + 0.2 * rng.standard_normal(E)
        p[f"ln{i}_beta"] = 0.2 * rng.standard_normal(E)
    for prefix in prefixes:
        p.update({prefix + k: v for k, v in _attn_params(rng, E).items()})
    p["mlp_W1"], p["mlp_b1"] = (
        rng.standard_normal((E, hidden)) / 2,
        0.1 * rng.standard_normal(hidden),
    )
    p["mlp_W2"], p["mlp_b2"] = rng.standard_normal((hidden, E)) / 2, 0.1 * rng.standard_normal(E)
    return p


def _encoder_probe(ns, rng):
    E = 6
    p = _block_params(rng, E, 12, 2, ["attn_"])
    x = rng.standard_normal((2, 5, E))
    out, cache = ns["transformer_encoder_block_forward"](x, p, 3)
    dx, dp = ns["transformer_encoder_block_backward"](rng.standard_normal(out.shape), cache)
    res = {"out": np.asarray(out), "dx": np.asarray(dx)}
    res.update({f"d_{k}": np.asarray(dp[k]) for k in sorted(p)})
    return res


def _decoder_probe(ns, rng):
    E = 6
    p = _block_params(rng, E, 12, 3, ["self_", "cross_"])
    x, memory = rng.standard_normal((2, 4, E)), rng.standard_normal((2, 3, E))
    mask = np.tril(np.ones((4, 4), dtype=bool))
    out, cache = ns["transformer_decoder_block_forward"](x, memory, p, 2, self_mask=mask)
    dx, dmem, dp = ns["transformer_decoder_block_backward"](rng.standard_normal(out.shape), cache)
    res = {"out": np.asarray(out), "dx": np.asarray(dx), "dmemory": np.asarray(dmem)}
    res.update({f"d_{k}": np.asarray(dp[k]) for k in sorted(p)})
    return res


def _captioner(ns, rng):
    inp = A.inputs_captioner()
    model = ns["CaptioningTransformer"](
        inp["word_to_idx"], dtype=np.float64, seed=int(rng.integers(100)), **inp["kwargs"]
    )
    return inp, model


def _cap_init_probe(ns, rng):
    _, model = _captioner(ns, rng)
    ref = sorted(model.params)
    return {
        "num_params": len(ref),
        "sizes": np.array([np.size(model.params[k]) for k in ref]),
    }


def _cap_loss_probe(ns, rng):
    inp, model = _captioner(ns, rng)
    for k in sorted(model.params):
        model.params[k] = model.params[k] + 0.3 * rng.standard_normal(model.params[k].shape)
    V = len(inp["word_to_idx"])
    N = 3
    captions = np.concatenate(
        [np.ones((N, 1), int), rng.integers(3, V, size=(N, 4)), np.full((N, 1), 2)], axis=1
    )
    captions[1, 2:] = [2, 0, 0, 0]
    loss, grads = model.loss(rng.standard_normal((N, 8)), captions)
    out = {"loss": float(loss)}
    out.update({f"d_{k}": np.asarray(grads[k]) for k in sorted(model.params)})
    return out


def _cap_sample_probe(ns, rng):
    _, model = _captioner(ns, rng)
    for k in sorted(model.params):
        model.params[k] = model.params[k] + rng.standard_normal(model.params[k].shape)
    f = rng.standard_normal((4, 8))
    a = model.sample(f, max_length=6, temperature=0.8, seed=1)
    b = model.sample(f, max_length=6, temperature=0.8, seed=1)
    return {
        "greedy": np.asarray(model.sample(f, max_length=6)),
        "deterministic": int(np.array_equal(a, b)),
    }


CASES = {
    "a3_scaled_dot_product_attention": [
        Case("4-D (batch, heads), no mask", 1.0, _sdpa_probe(None), **_TOL),
        Case("causal mask, S != T", 1.0, _sdpa_probe("causal"), **_TOL),
        Case(
            "padding mask with a fully masked sample",
            1.0,
            _sdpa_probe("padding"),
            **_TOL,
            hint="a query with no allowed key gets zero weights and a zero output",
        ),
    ],
    "a3_multihead_attention": [
        Case("cross-attention N=2, S=3, T=5, E=8, 4 heads", 2.0, _mha_probe(2, 3, 5, 8, 4), **_TOL),
        Case("self-attention with a causal mask, 2 heads", 2.0, _self_probe(2, 4, 6, 2), **_TOL),
    ],
    "a3_positional_encoding": [
        Case("T=20, E=16", 0.5, _pe_probe(20, 16), rtol=1e-7, atol=1e-10),
        Case("odd E=9", 0.5, _pe_probe(7, 9), rtol=1e-7, atol=1e-10),
    ],
    "a3_transformer_block": [
        Case("encoder block, 3 heads", 2.0, _encoder_probe, **_TOL),
        Case("decoder block, causal self-attention", 2.0, _decoder_probe, **_TOL),
    ],
    "a3_captioning_transformer": [
        Case("parameters", 1.0, _cap_init_probe),
        Case("loss and every gradient, with padding", 2.0, _cap_loss_probe, **_TOL),
        Case("greedy captions; seeded sampling is deterministic", 1.0, _cap_sample_probe),
    ],
}


# ============================================================================ expected values
def _softmax(s, axis=-1):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def build_expected() -> dict:
    from cs231n import transformer_layers as T
    from cs231n.classifiers import transformer as CT
    from cs231n.classifiers.transformer import CaptioningTransformer

    out = {}
    a = A.inputs_attention()
    q, k, v, dout = a["q"], a["k"], a["v"], a["dout"]
    scale = 1 / np.sqrt(q.shape[-1])
    for key, mask in (("none", None), ("mask", a["mask"])):
        o, cache = T.scaled_dot_product_attention_forward(q, k, v, mask)
        out[f"sdpa.{key}.out"] = o
        for name, g in zip("qkv", T.scaled_dot_product_attention_backward(dout, cache)):
            out[f"sdpa.{key}.d{name}"] = g
        s = q @ np.swapaxes(k, -1, -2)
        if mask is None:
            out["sdpa.none.out.wrong_no_scale"] = _softmax(s) @ v
            out["sdpa.none.out.wrong_key_axis"] = _softmax(s * scale, axis=-2) @ v
        else:
            w = _softmax(s * scale) * mask
            out["sdpa.mask.out.wrong_mask_after"] = w @ v
    m = A.inputs_multihead()
    query, key_, value, p, h = m["query"], m["key"], m["value"], m["params"], m["num_heads"]
    out["mha.out"] = T.multihead_attention_forward(query, key_, value, p, h)[0]
    N, S, E = query.shape
    Tk = key_.shape[1]
    qq = (query @ p["Wq"] + p["bq"]).reshape(N, h, S, E // h)
    kk = (key_ @ p["Wk"] + p["bk"]).reshape(N, h, Tk, E // h)
    vv = (value @ p["Wv"] + p["bv"]).reshape(N, h, Tk, E // h)
    ctx = T.scaled_dot_product_attention_forward(qq, kk, vv)[0].reshape(N, S, E)
    out["mha.out.wrong_heads_no_transpose"] = ctx @ p["Wo"] + p["bo"]
    out["mha.out.wrong_one_head"] = T.multihead_attention_forward(query, key_, value, p, 1)[0]
    out["mha.self_out"] = T.multihead_attention_forward(key_, key_, key_, p, h)[0]
    _, c = T.multihead_attention_forward(key_, key_, key_, p, h)
    dq, _, _, _ = T.multihead_attention_backward(m["self_dout"], c)
    out["mha.self_dx.wrong_q_only"] = dq
    for Tn, En in ((6, 8), (5, 7)):
        pe = T.positional_encoding(Tn, En)
        out[f"pe.{Tn}x{En}"] = pe
        sw = np.empty_like(pe)
        ang = np.arange(Tn)[:, None] * 10000.0 ** (-np.arange(0, En, 2) / En)
        sw[:, 0::2] = np.cos(ang)
        sw[:, 1::2] = np.sin(ang[:, : En // 2])
        out[f"pe.{Tn}x{En}.wrong_swapped"] = sw
        ang_i = np.arange(Tn)[:, None] * 10000.0 ** (-np.arange((En + 1) // 2) / En)
        wi = np.empty_like(pe)
        wi[:, 0::2] = np.sin(ang_i)
        wi[:, 1::2] = np.cos(ang_i[:, : En // 2])
        out[f"pe.{Tn}x{En}.wrong_exponent_i"] = wi
    b = A.inputs_blocks()
    x, memory, h = b["x"], b["memory"], b["num_heads"]
    pe_, pd = b["enc"], b["dec"]
    out["enc.out"] = T.transformer_encoder_block_forward(x, pe_, h)[0]
    mask = A.causal(x.shape[1])
    out["dec.out"] = T.transformer_decoder_block_forward(x, memory, pd, h, self_mask=mask)[0]
    # wrong variants of the blocks
    att = T.multihead_self_attention_forward
    ln = T._ln_forward
    mlp = T._mlp_forward
    sa = T.subdict(pe_, "attn_")
    x1 = ln(x + att(x, sa, h)[0], pe_, 1)[0]
    out["enc.out.wrong_post_norm"] = ln(x1 + mlp(x1, pe_)[0], pe_, 2)[0]
    x1 = att(ln(x, pe_, 1)[0], sa, h)[0]
    out["enc.out.wrong_no_residual"] = x1 + mlp(ln(x1, pe_, 2)[0], pe_)[0]
    out["dec.out.wrong_no_mask"] = T.transformer_decoder_block_forward(x, memory, pd, h)[0]
    # the captioner
    ci = A.inputs_captioner()
    model = CaptioningTransformer(ci["word_to_idx"], dtype=np.float64, seed=0, **ci["kwargs"])
    A.captioner_params(model)
    f, caps = ci["features"], ci["captions"]
    out["cap.loss"] = model.loss(f, caps)[0]
    out["cap.greedy"] = model.sample(f, max_length=6)
    saved = CT.causal_mask
    try:
        CT.causal_mask = lambda n: np.ones((n, n), dtype=bool)
        out["cap.loss.wrong_no_causal"] = model.loss(f, caps)[0]
    finally:
        CT.causal_mask = saved
    pe_saved = model.pe
    try:
        model.pe = np.zeros_like(pe_saved)
        out["cap.loss.wrong_no_positions"] = model.loss(f, caps)[0]
    finally:
        model.pe = pe_saved
    return {k: np.asarray(v) for k, v in out.items()}

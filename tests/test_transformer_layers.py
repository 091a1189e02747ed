"""Attention and Transformer layers: gradient checks, what the masks hide, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n.gradient_check import eval_numerical_gradient_array
from cs231n.transformer_layers import (
    causal_mask,
    init_attention,
    init_decoder_block,
    init_encoder_block,
    multihead_attention_backward,
    multihead_attention_forward,
    multihead_self_attention_backward,
    multihead_self_attention_forward,
    padding_mask,
    positional_encoding,
    scaled_dot_product_attention_backward,
    scaled_dot_product_attention_forward,
    transformer_decoder_block_backward,
    transformer_decoder_block_forward,
    transformer_encoder_block_backward,
    transformer_encoder_block_forward,
)
from cs231n.validation import ConfigError, ShapeError

N, S, T, E, HEADS = 2, 3, 4, 8, 2
TOL = 1e-8


def grad_error(analytic, numeric):
    """Largest difference over the largest magnitude, or over 1 for a gradient near 0.

    (The gradient of the key bias ``bk`` is exactly 0: adding the same number to every
    score of a row leaves its softmax unchanged.)
    """
    scale = max(np.max(np.abs(analytic)), np.max(np.abs(numeric)), 1.0)
    return float(np.max(np.abs(analytic - numeric)) / scale)


def check_param_grads(forward, params, dparams, dout):
    for name, value in params.items():
        num = eval_numerical_gradient_array(lambda _: forward(), value, dout)
        assert grad_error(dparams[name], num) < TOL, name


def perturbed(params, rng, scale=0.3):
    """Non-trivial values for every parameter (biases and layer-norm gains included)."""
    return {k: v + scale * rng.standard_normal(v.shape) for k, v in params.items()}


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ------------------------------------------------------------------------------ core attention
@pytest.mark.a3_scaled_dot_product_attention
def test_attention_matches_a_direct_computation(rng):
    q, k, v = rng.standard_normal((S, 5)), rng.standard_normal((T, 5)), rng.standard_normal((T, 3))
    out, cache = scaled_dot_product_attention_forward(q, k, v)
    s = q @ k.T / np.sqrt(5)
    w = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    assert np.allclose(out, w @ v) and np.allclose(cache[3].sum(axis=-1), 1)


@pytest.mark.a3_scaled_dot_product_attention
@pytest.mark.parametrize("masked", [False, True])
def test_attention_gradient_check(rng, masked):
    q = rng.standard_normal((N, HEADS, S, 5))
    k = rng.standard_normal((N, HEADS, T, 5))
    v = rng.standard_normal((N, HEADS, T, 3))
    mask = rng.random((N, 1, S, T)) > 0.3 if masked else None
    if masked:
        mask[..., 0] = True
    dout = rng.standard_normal((N, HEADS, S, 3))
    _, cache = scaled_dot_product_attention_forward(q, k, v, mask)
    grads = scaled_dot_product_attention_backward(dout, cache)
    for i, x in enumerate((q, k, v)):

        def f(_):
            return scaled_dot_product_attention_forward(q, k, v, mask)[0]

        assert grad_error(grads[i], eval_numerical_gradient_array(f, x, dout)) < TOL


@pytest.mark.a3_scaled_dot_product_attention
def test_fully_masked_row_gives_zeros(rng):
    q, k, v = (rng.standard_normal((2, 3)) for _ in range(3))
    mask = np.array([[False, False], [True, False]])
    out, cache = scaled_dot_product_attention_forward(q, k, v, mask)
    assert np.all(out[0] == 0) and np.allclose(out[1], v[0])
    dq, _, _ = scaled_dot_product_attention_backward(np.ones((2, 3)), cache)
    assert np.all(np.isfinite(dq)) and np.all(dq[0] == 0)


@pytest.mark.a3_scaled_dot_product_attention
def test_mask_must_be_boolean(rng):
    q = rng.standard_normal((2, 3))
    with pytest.raises(TypeError, match="boolean"):
        scaled_dot_product_attention_forward(q, q, q, np.ones((2, 2)))


# ------------------------------------------------------------------------------ masks
def test_causal_mask_shape():
    m = causal_mask(3)
    assert m.dtype == bool and np.array_equal(m, [[1, 0, 0], [1, 1, 0], [1, 1, 1]])


@pytest.mark.a3_multihead_attention
@given(st.integers(0, 2**31 - 1))
def test_causal_self_attention_ignores_the_future(seed):
    """Changing tokens after position t changes no output at positions <= t."""
    rng = np.random.default_rng(seed)
    params = perturbed(init_attention(E, rng), rng)
    x = rng.standard_normal((N, T, E))
    t = int(rng.integers(0, T - 1))
    out, _ = multihead_self_attention_forward(x, params, HEADS, causal_mask(T))
    x2 = x.copy()
    x2[:, t + 1 :] = rng.standard_normal((N, T - t - 1, E))
    out2, _ = multihead_self_attention_forward(x2, params, HEADS, causal_mask(T))
    assert np.allclose(out[:, : t + 1], out2[:, : t + 1], rtol=1e-12, atol=1e-12)
    assert not np.allclose(out[:, t + 1 :], out2[:, t + 1 :])


@pytest.mark.a3_multihead_attention
@given(st.integers(0, 2**31 - 1))
def test_padding_positions_are_never_attended(seed):
    rng = np.random.default_rng(seed)
    params = perturbed(init_attention(E, rng), rng)
    tokens = rng.integers(1, 5, size=(N, T))
    tokens[0, 2:] = 0  # padding
    tokens[1, 3] = 0
    mask = padding_mask(tokens)
    x = rng.standard_normal((N, T, E))
    out, cache = multihead_self_attention_forward(x, params, HEADS, mask)
    attn = cache[-1][3]  # (N, h, T, T)
    assert np.all(attn[0, :, :, 2:] == 0) and np.all(attn[1, :, :, 3] == 0)
    x2 = x.copy()
    x2[tokens == 0] = 100 * rng.standard_normal((int((tokens == 0).sum()), E))
    out2, _ = multihead_self_attention_forward(x2, params, HEADS, mask)
    keep = tokens != 0
    assert np.allclose(out[keep], out2[keep], rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------------------ multi-head
@pytest.mark.a3_multihead_attention
def test_multihead_attention_gradient_check(rng):
    params = perturbed(init_attention(E, rng), rng)
    query = rng.standard_normal((N, S, E))
    key = rng.standard_normal((N, T, E))
    value = rng.standard_normal((N, T, E))
    mask = padding_mask(np.array([[1, 2, 3, 0], [4, 0, 1, 1]]))
    dout = rng.standard_normal((N, S, E))
    _, cache = multihead_attention_forward(query, key, value, params, HEADS, mask)
    dq, dk, dv, dp = multihead_attention_backward(dout, cache)

    def f():
        return multihead_attention_forward(query, key, value, params, HEADS, mask)[0]

    for x, d in ((query, dq), (key, dk), (value, dv)):
        assert grad_error(d, eval_numerical_gradient_array(lambda _: f(), x, dout)) < TOL
    check_param_grads(f, params, dp, dout)


@pytest.mark.a3_multihead_attention
def test_self_attention_equals_general_attention_and_its_gradients(rng):
    params = perturbed(init_attention(E, rng), rng)
    x = rng.standard_normal((N, T, E))
    dout = rng.standard_normal((N, T, E))
    mask = causal_mask(T)
    out, cache = multihead_self_attention_forward(x, params, HEADS, mask)
    out2, cache2 = multihead_attention_forward(x, x, x, params, HEADS, mask)
    assert np.allclose(out, out2, rtol=1e-13, atol=1e-13)
    dx, dp = multihead_self_attention_backward(dout, cache)
    dq, dk, dv, dp2 = multihead_attention_backward(dout, cache2)
    assert np.allclose(dx, dq + dk + dv)
    for k in dp:
        assert np.allclose(dp[k], dp2[k]), k
    num = eval_numerical_gradient_array(
        lambda _: multihead_self_attention_forward(x, params, HEADS, mask)[0], x, dout
    )
    assert grad_error(dx, num) < TOL


@pytest.mark.a3_multihead_attention
def test_one_head_of_full_width_is_plain_attention(rng):
    params = init_attention(E, rng)
    for k in ("Wq", "Wk", "Wv", "Wo"):
        params[k] = np.eye(E)
    x = rng.standard_normal((1, T, E))
    out, _ = multihead_self_attention_forward(x, params, 1)
    ref, _ = scaled_dot_product_attention_forward(x[0], x[0], x[0])
    assert np.allclose(out[0], ref)


@pytest.mark.a3_multihead_attention
def test_float32_attention_stays_float32(rng):
    params = {k: v.astype(np.float32) for k, v in init_attention(E, rng).items()}
    x = rng.standard_normal((N, T, E)).astype(np.float32)
    out, cache = multihead_self_attention_forward(x, params, HEADS, causal_mask(T))
    dx, dp = multihead_self_attention_backward(np.ones_like(out), cache)
    assert out.dtype == dx.dtype == np.float32
    assert all(v.dtype == np.float32 for v in dp.values())


def test_attention_errors(rng):
    params = init_attention(E, rng)
    x = rng.standard_normal((N, T, E))
    with pytest.raises(ConfigError, match="divides E = 8"):
        multihead_self_attention_forward(x, params, 3)
    with pytest.raises(ConfigError, match="init_attention"):
        multihead_self_attention_forward(x, {"Wq": params["Wq"]}, 2)
    with pytest.raises(ShapeError):
        multihead_attention_forward(x, rng.standard_normal((N + 1, T, E)), x, params, 2)


# ------------------------------------------------------------------------------ positions
@pytest.mark.a3_positional_encoding
def test_positional_encoding_values():
    pe = positional_encoding(50, 16)
    assert pe.shape == (50, 16)
    assert np.allclose(pe[0, 0::2], 0) and np.allclose(pe[0, 1::2], 1)
    assert np.allclose(pe[:, 0], np.sin(np.arange(50)))
    assert np.allclose(pe[:, 15], np.cos(np.arange(50) / 10000 ** (14 / 16)))
    assert np.allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1)
    assert positional_encoding(3, 5, np.float32).dtype == np.float32
    assert positional_encoding(3, 5).shape == (3, 5)


@pytest.mark.a3_positional_encoding
def test_positional_encoding_shift_is_a_rotation():
    """pe[t + k] is the same rotation of pe[t] in every column pair, whatever t."""
    pe = positional_encoding(30, 8)
    k = 3
    a, b = pe[:-k].reshape(-1, 4, 2), pe[k:].reshape(-1, 4, 2)
    # the angle between pe[t] and pe[t + k] in each pair does not depend on t
    angle = np.arctan2(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0], (a * b).sum(-1))
    assert np.allclose(angle, angle[0])


# ------------------------------------------------------------------------------ blocks
@pytest.mark.a3_transformer_block
def test_encoder_block_gradient_check(rng):
    params = perturbed(init_encoder_block(E, 12, rng), rng)
    x = rng.standard_normal((N, T, E))
    dout = rng.standard_normal((N, T, E))
    _, cache = transformer_encoder_block_forward(x, params, HEADS)
    dx, dp = transformer_encoder_block_backward(dout, cache)
    assert set(dp) == set(params)

    def f():
        return transformer_encoder_block_forward(x, params, HEADS)[0]

    assert grad_error(dx, eval_numerical_gradient_array(lambda _: f(), x, dout)) < TOL
    check_param_grads(f, params, dp, dout)


@pytest.mark.a3_transformer_block
def test_decoder_block_gradient_check(rng):
    params = perturbed(init_decoder_block(E, 12, rng), rng)
    x = rng.standard_normal((N, S, E))
    memory = rng.standard_normal((N, T, E))
    dout = rng.standard_normal((N, S, E))
    mask = causal_mask(S)
    _, cache = transformer_decoder_block_forward(x, memory, params, HEADS, self_mask=mask)
    dx, dmem, dp = transformer_decoder_block_backward(dout, cache)
    assert set(dp) == set(params)

    def f():
        return transformer_decoder_block_forward(x, memory, params, HEADS, self_mask=mask)[0]

    assert grad_error(dx, eval_numerical_gradient_array(lambda _: f(), x, dout)) < TOL
    assert grad_error(dmem, eval_numerical_gradient_array(lambda _: f(), memory, dout)) < TOL
    check_param_grads(f, params, dp, dout)


@pytest.mark.a3_transformer_block
def test_decoder_block_is_causal(rng):
    params = perturbed(init_decoder_block(E, 12, rng), rng)
    x = rng.standard_normal((N, T, E))
    memory = rng.standard_normal((N, 3, E))
    out, _ = transformer_decoder_block_forward(x, memory, params, HEADS, causal_mask(T))
    x2 = x.copy()
    x2[:, -1] += 1.0
    out2, _ = transformer_decoder_block_forward(x2, memory, params, HEADS, causal_mask(T))
    assert np.allclose(out[:, :-1], out2[:, :-1], rtol=1e-12, atol=1e-12)


@pytest.mark.a3_transformer_block
def test_blocks_do_not_modify_their_inputs(rng):
    params = init_decoder_block(E, 12, rng)
    copies = {k: v.copy() for k, v in params.items()}
    x, memory = rng.standard_normal((N, T, E)), rng.standard_normal((N, 3, E))
    xc, mc = x.copy(), memory.copy()
    out, cache = transformer_decoder_block_forward(x, memory, params, HEADS, causal_mask(T))
    dout = rng.standard_normal(out.shape)
    dc = dout.copy()
    transformer_decoder_block_backward(dout, cache)
    assert np.array_equal(x, xc) and np.array_equal(memory, mc) and np.array_equal(dout, dc)
    assert all(np.array_equal(params[k], copies[k]) for k in params)


@pytest.mark.a3_multihead_attention
@given(st.integers(0, 2**31 - 1))
def test_unmasked_self_attention_is_permutation_equivariant(seed):
    """Without masks or positions, reordering the tokens reorders the outputs the same way."""
    rng = np.random.default_rng(seed)
    params = perturbed(init_attention(E, rng), rng)
    x = rng.standard_normal((N, T, E))
    perm = rng.permutation(T)
    out, cache = multihead_self_attention_forward(x, params, HEADS)
    out_p, _ = multihead_self_attention_forward(x[:, perm], params, HEADS)
    assert np.allclose(out_p, out[:, perm], rtol=1e-10, atol=1e-12)
    assert np.allclose(cache[-1][3].sum(axis=-1), 1)  # every row of weights sums to 1

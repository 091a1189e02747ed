"""Known mistakes of assignment3, fingerprinted at build time (never released).

Each is a one-line change to the reference; ``python -m autograder.authoring build`` runs
it through the task's visible check and stores what the check saw, so the check can
name the cause when a student's answer matches (see autograder/authoring/mistakes.py).
"""

from autograder.authoring.mistakes import Mistake as M

_TANH = "the tanh derivative is 1 - tanh**2: multiply by (1 - next_h * next_h), not (1 - next_h)."
_DWH = (
    "dWh must use the state that went into the step (prev_h, h[:, t - 1] with h0 first), "
    "not the state it produced."
)
_DC_NEXT = (
    "the cell state's gradient from the next step is missing: dc = dnext_c + dnext_h * o * "
    "(1 - tanh(c)**2)."
)
_DPREV_C = "dprev_c = dc * f: the cell state reaches the next one through the forget gate f."
_SOFTMAX_AXIS = (
    "the softmax runs over the wrong axis: normalise each query's row of scores over the "
    "keys (axis=-1)."
)

MISTAKES = [
    # RNN_Captioning
    M(
        "a3_rnn_step_forward",
        "rnn_step_forward",
        "np.tanh(x @ Wx + prev_h @ Wh + b)",
        "np.tanh(x @ Wx + prev_h @ Wh.T + b)",
        "Wh is transposed: the hidden term is prev_h @ Wh, with Wh of shape (H, H).",
    ),
    M(
        "a3_rnn_step_backward",
        "rnn_step_backward",
        "da = dnext_h * (1 - next_h * next_h)",
        "da = dnext_h * (1 - next_h)",
        _TANH,
    ),
    M(
        "a3_rnn_step_backward",
        "rnn_step_backward",
        "dWh = prev_h.T @ da",
        "dWh = next_h.T @ da",
        _DWH,
    ),
    M(
        "a3_rnn_step_backward",
        "rnn_step_backward",
        "dprev_h = da @ Wh.T",
        "dprev_h = da @ Wh",
        "dprev_h = da @ Wh.T: the forward multiplied prev_h @ Wh, so the backward uses Wh.T.",
    ),
    M(
        "a3_rnn_forward",
        "rnn_forward",
        "xw = (x.reshape(N * T, -1) @ Wx + b)",
        "xw = (x.reshape(N * T, -1) @ Wx)",
        "the bias b is missing inside the tanh of every step.",
    ),
    M(
        "a3_rnn_backward",
        "rnn_backward",
        "dWh = h_prev.reshape(N * T, H).T @ da2",
        "dWh = h.reshape(N * T, H).T @ da2",
        _DWH,
    ),
    M(
        "a3_rnn_backward",
        "rnn_backward",
        "* (1 - h[:, t] * h[:, t])",
        "* (1 - h[:, t])",
        _TANH,
    ),
    M(
        "a3_temporal_affine",
        "temporal_affine_forward",
        "@ w + b)",
        "@ w)",
        "the bias b is missing: out = x @ w + b at every step.",
    ),
    M(
        "a3_temporal_softmax_loss",
        "temporal_softmax_loss",
        "dx[rows, y2] -= 1",
        "dx[rows, y2] -= 0",
        "the softmax gradient is probs minus the one-hot target: subtract 1 at the correct "
        "word of every row.",
    ),
    M(
        "a3_captioning_rnn",
        "CaptioningRNN",
        'h0 = features @ p["W_proj"] + p["b_proj"]',
        'h0 = features @ p["W_proj"]',
        "the bias b_proj is missing from the initial hidden state h0 = features @ W_proj + b_proj.",
    ),
    # LSTM_Captioning
    M(
        "a3_lstm_step_forward",
        "lstm_step_forward",
        "ifo = sigmoid(a[:, : 3 * H])",
        "ifo = np.tanh(a[:, : 3 * H])",
        "the gates i, f and o use the sigmoid (values in (0, 1)), not tanh.",
    ),
    M(
        "a3_lstm_step_backward",
        "lstm_step_backward",
        "dc = dnext_c + dnext_h * o * (1 - tanh_c * tanh_c)",
        "dc = dnext_h * o * (1 - tanh_c * tanh_c)",
        _DC_NEXT,
    ),
    M(
        "a3_lstm_step_backward",
        "lstm_step_backward",
        "dc = dnext_c + dnext_h * o * (1 - tanh_c * tanh_c)",
        "dc = dnext_c + dnext_h * o",
        "the tanh of the cell state is skipped in the backward pass: dc gets "
        "dnext_h * o * (1 - tanh(c)**2).",
    ),
    M("a3_lstm_step_backward", "lstm_step_backward", "dprev_c = dc * f", "dprev_c = dc", _DPREV_C),
    M(
        "a3_lstm_step_backward",
        "lstm_step_backward",
        "dg * (1 - g * g)]",
        "dg * g * (1 - g)]",
        "g is a tanh, not a sigmoid: its derivative is 1 - g**2.",
    ),
    M(
        "a3_lstm_step_backward",
        "lstm_step_backward",
        "df = dc * prev_c",
        "df = dc * f",
        "df = dc * prev_c: the forget gate multiplies the previous cell state.",
    ),
    M(
        "a3_lstm_forward",
        "lstm_forward",
        "ct += i * g",
        "ct += f * g",
        "the gates are mixed up: next_c = f * prev_c + i * g, with i, f, o, g in this order.",
    ),
    M(
        "a3_lstm_backward",
        "lstm_backward",
        "dc += dprev_c  # ... and from the next step",
        "pass",
        "the cell state's gradient from step t + 1 is missing: add dprev_c to dc at every step.",
    ),
    M(
        "a3_lstm_backward",
        "lstm_backward",
        "dnext_h = dh[:, t] + dprev_h",
        "dnext_h = dh[:, t]",
        "each step used only dh[:, t]; h[:, t] also feeds step t + 1, so add the dprev_h that "
        "flows back from it.",
    ),
    M("a3_lstm_backward", "lstm_backward", "dprev_c = dc * f", "dprev_c = dc", _DPREV_C),
    M(
        "a3_lstm_backward",
        "lstm_backward",
        "dWh = h_prev.reshape(N * T, H).T @ da2",
        "dWh = h.reshape(N * T, H).T @ da2",
        _DWH,
    ),
    # Transformer_Captioning
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "scale = 1.0 / np.sqrt(q.shape[-1])",
        "scale = 1.0 / q.shape[-1]",
        "the scores were divided by d; the scale is 1 / sqrt(d).",
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "scores = np.where(mask, scores, -np.inf)",
        "scores = np.where(mask, scores, 0.0)",
        "masked scores were set to 0, which the softmax still weighs: set them to -inf.",
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "scores = np.where(mask, scores, -np.inf)",
        "scores = scores",
        "the mask is not applied: scores where mask is False must become -inf.",
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "scores = np.where(mask, scores, -np.inf)",
        "scores = np.where(~mask, scores, -np.inf)",
        "the mask is inverted: True means the key may be attended to (keep its score).",
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "total = attn.sum(axis=-1, keepdims=True)",
        "total = attn.sum(axis=-2, keepdims=True)",
        _SOFTMAX_AXIS,
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_backward",
        "dscores = dattn - (dattn * attn).sum(axis=-1, keepdims=True)",
        "dscores = dattn",
        "the softmax backward lacks its second term: dscores = attn * (dattn - "
        "sum(dattn * attn, axis=-1)).",
    ),
    M(
        "a3_multihead_attention",
        "multihead_attention_forward",
        'out = (ctx2 @ p["Wo"] + p["bo"]).reshape(N, S, E)',
        "out = ctx2.reshape(N, S, E)",
        "the output projection is missing: out = merged heads @ Wo + bo.",
    ),
    M(
        "a3_multihead_attention",
        "multihead_self_attention_forward",
        "qkv = qkv.transpose(2, 0, 3, 1, 4)",
        "qkv = qkv.transpose(2, 0, 1, 3, 4).reshape(3, N, num_heads, T, E // num_heads)",
        "the heads were split with a reshape instead of a transpose: (N, T, h, d) becomes "
        "(N, h, T, d) by swapping axes 1 and 2.",
    ),
    M(
        "a3_positional_encoding",
        "positional_encoding",
        "pe[:, 0::2] = np.sin(angles)",
        "pe[:, 0::2] = np.cos(angles)",
        "sin and cos are swapped: even columns get sin, odd columns cos.",
    ),
    M(
        "a3_positional_encoding",
        "positional_encoding",
        "freqs = 10000.0 ** (-np.arange(0, E, 2) / E)",
        "freqs = 10000.0 ** (np.arange(0, E, 2) / E)",
        "the frequency exponent lost its minus sign: freqs = 10000 ** (-2i / E).",
    ),
    M(
        "a3_positional_encoding",
        "positional_encoding",
        "positions = np.arange(T)[:, None]",
        "positions = np.arange(1, T + 1)[:, None]",
        "positions start at 0: row t of the encoding is position t = 0, ..., T - 1.",
    ),
    M(
        "a3_transformer_block",
        "transformer_encoder_block_forward",
        "out = x1 + y",
        "out = y",
        "the MLP's residual connection is missing: out = x + mlp(layernorm(x)).",
    ),
    M(
        "a3_transformer_block",
        "transformer_encoder_block_forward",
        "m, c_ln2 = _ln_forward(x1, params, 2)\n    y, c_mlp = _mlp_forward(m, params)",
        "m, c_ln2 = _ln_forward(x1, params, 2)\n    y, c_mlp = _mlp_forward(x1, params)",
        "the layer norm before the MLP is skipped (pre-norm: mlp(layernorm2(x))).",
    ),
    M(
        "a3_transformer_block",
        "transformer_encoder_block_backward",
        "dx = dx1 + _ln_backward(da, c_ln1, grads, 1)",
        "dx = _ln_backward(da, c_ln1, grads, 1)",
        "the residual's gradient is missing: dx = dx1 + the branch's gradient.",
    ),
    M(
        "a3_transformer_block",
        "transformer_decoder_block_backward",
        "return dx, dkey + dvalue, grads",
        "return dx, dvalue, grads",
        "the memory is both keys and values: its gradient is dkey + dvalue.",
    ),
    M(
        "a3_transformer_block",
        "transformer_decoder_block_forward",
        "x2 = x1 + cross",
        "x2 = x1",
        "the cross-attention's output is never added: x = x + cross_attention(...).",
    ),
    # VisionTransformer
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'x = np.concatenate([cls, emb], axis=1) + p["pos_embed"]',
        'x = np.concatenate([emb, cls], axis=1) + p["pos_embed"]',
        "the class token goes in front of the patches (position 0), not after them.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'y, c_ln = layernorm_forward(x[:, 0], p["ln_gamma"], p["ln_beta"], {})',
        'y, c_ln = layernorm_forward(x[:, -1], p["ln_gamma"], p["ln_beta"], {})',
        "the head reads the class token, x[:, 0], not the last patch.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'grads["cls"] = dx[:, 0].sum(axis=0)',
        'grads["cls"] = dx[:, 0].mean(axis=0)',
        "the class token is shared by the N images: its gradient is the sum over the batch, "
        "not the mean.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'grads["pos_embed"] = dx.sum(axis=0)',
        'grads["pos_embed"] = dx.mean(axis=0)',
        "the position embeddings are shared by the N images: sum their gradient over the "
        "batch, not the mean.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'x = np.concatenate([cls, emb], axis=1) + p["pos_embed"]',
        "x = np.concatenate([cls, emb], axis=1)",
        "the position embeddings pos_embed are never added to the tokens.",
    ),
    M(
        "a3_rnn_step_forward",
        "rnn_step_forward",
        "np.tanh(x @ Wx + prev_h @ Wh + b)",
        "np.maximum(0, x @ Wx + prev_h @ Wh + b)",
        "the vanilla RNN's nonlinearity is tanh, not ReLU.",
    ),
    M(
        "a3_positional_encoding",
        "positional_encoding",
        "pe[:, 1::2] = np.cos(angles[:, : E // 2])",
        "pe[:, 1::2] = np.sin(angles[:, : E // 2])",
        "the odd columns got sin: even columns get sin, odd columns cos.",
    ),
    M(
        "a3_scaled_dot_product_attention",
        "scaled_dot_product_attention_forward",
        "row_max = scores.max(axis=-1, keepdims=True)",
        "row_max = scores.max(axis=-2, keepdims=True)",
        "the max subtracted before exp runs over the wrong axis: subtract each query row's own "
        "max over the keys (axis=-1).",
    ),
    M(
        "a3_captioning_transformer",
        "CaptioningTransformer",
        "mask = causal_mask(T) & padding_mask(words, self._null)",
        "mask = causal_mask(T).T & padding_mask(words, self._null)",
        "the causal mask is transposed: position t may attend to positions 0..t (lower "
        "triangle), not to the later ones.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        '_, grads["W_patch"], grads["b_patch"] = temporal_affine_backward(dx[:, 1:], c_patch)',
        '_, grads["W_patch"], grads["b_patch"] = temporal_affine_backward(dx[:, :-1], c_patch)',
        "the patch embedding's gradient comes from the patch tokens dx[:, 1:]; position 0 is "
        "the class token.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        "dx[:, 0] = dcls_row",
        "dx[:, -1] = dcls_row",
        "the head's gradient goes back to the class token, position 0: dx[:, 0].",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'y, c_ln = layernorm_forward(x[:, 0], p["ln_gamma"], p["ln_beta"], {})',
        'y, c_ln = layernorm_forward(x.mean(axis=1), p["ln_gamma"], p["ln_beta"], {})',
        "the head reads the class token x[:, 0] after the blocks, not the mean of all tokens.",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'scores = y @ p["W_head"] + p["b_head"]',
        'scores = x[:, 0] @ p["W_head"] + p["b_head"]',
        "the final layer norm is skipped: the head reads layernorm(x[:, 0]).",
    ),
    M(
        "a3_vision_transformer",
        "VisionTransformer",
        'grads["cls"] = dx[:, 0].sum(axis=0)',
        'grads["cls"] = dx.sum(axis=(0, 1))',
        "the class token sits at position 0 only: its gradient is dx[:, 0] summed over the "
        "batch, not over every token.",
    ),
]

"""Visible checks of VisionTransformer.ipynb: the ViT classifier.

``check_vision_transformer`` builds a tiny model, sets known weights, and compares the
scores and the loss with ``expected/VisionTransformer.npz`` (built from the reference
package by ``assignments/assignment3/hidden/VisionTransformer.py``, never released), and
every gradient with a centred-difference gradient of the student's own loss.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import CheckFailed, register
from cs231n.checks.common import (
    check_close,
    check_gradient,
    check_scalar,
    get,
    hints,
    lin,
    numeric_gradient,
    passed,
    unpack,
)

NOTEBOOK = "VisionTransformer"
_TOL = {"rtol": 1e-6, "atol": 1e-9}
KWARGS = dict(
    input_dim=(1, 8, 8),
    patch_size=4,
    embed_dim=4,
    num_heads=2,
    num_layers=1,
    mlp_ratio=1,
    num_classes=3,
)


def _exp(key: str) -> np.ndarray:
    return get(NOTEBOOK, key)


def inputs_vit():
    k = np.arange(2 * 64, dtype=np.float64).reshape(2, 1, 8, 8)
    return {"X": np.sin(0.37 * k) + 0.1 * np.cos(k), "y": np.array([2, 0])}


def vit_params(model):
    """Known weights: a ramp per parameter with a sine bump.

    A bare ramp makes the class token's row (cls + pos_embed[0]) a ramp, which layer norm
    maps to the same output whatever its offset and slope: its gradient is then ~1e-8 and
    a wrong one (summed over every token, say) would pass. The bump keeps it ~1e-2.
    """
    for i, k in enumerate(sorted(model.params)):
        s = np.shape(model.params[k])
        bump = 0.3 * np.sin(1.3 * np.arange(int(np.prod(s))) + i).reshape(s)
        model.params[k] = (lin(s, -0.8 + 0.02 * i, 0.9 - 0.01 * i) + bump).astype(np.float64)


PARAM_NAMES = ("W_patch", "b_patch", "cls", "pos_embed", "ln_gamma", "ln_beta", "W_head", "b_head")


@register("a3_vision_transformer")
def check_vision_transformer(VisionTransformer):
    """Parameter names and shapes, scores, the loss and every gradient on known weights."""
    model = VisionTransformer(dtype=np.float64, seed=0, **KWARGS)
    E, P = KWARGS["embed_dim"], 4
    shapes = {
        "W_patch": (16, E),
        "b_patch": (E,),
        "cls": (E,),
        "pos_embed": (1 + P, E),
        "ln_gamma": (E,),
        "ln_beta": (E,),
        "W_head": (E, 3),
        "b_head": (3,),
    }
    for k, shape in shapes.items():
        if k not in model.params:
            raise CheckFailed(
                f"VisionTransformer.__init__: params has no {k!r} (see the class docstring)."
            )
        if np.shape(model.params[k]) != shape:
            raise CheckFailed(
                f"VisionTransformer.__init__: params[{k!r}] has shape {np.shape(model.params[k])}, "
                f"expected {shape}."
                + (
                    " Likely cause: the class token needs its own position: 1 + P rows."
                    if k == "pos_embed"
                    else ""
                )
            )
    if "enc0_attn_Wq" not in model.params:
        raise CheckFailed(
            "VisionTransformer.__init__: no encoder-block parameters 'enc0_*' (init_encoder_block)."
        )
    vit_params(model)
    inp = inputs_vit()
    X, y = inp["X"], inp["y"]
    scores = model.loss(X)
    check_close(
        "VisionTransformer.loss(X) scores",
        scores,
        _exp("vit.scores"),
        **_TOL,
        hints=hints(
            NOTEBOOK,
            "vit.scores",
            [
                (
                    "mean_pool",
                    "the head reads the CLASS TOKEN (position 0) after the blocks, not the mean of all tokens.",
                ),
                (
                    "no_pos",
                    "the learned positions pos_embed must be added to the tokens (class token included).",
                ),
            ],
        ),
    )
    loss, grads = unpack(model.loss(X, y), 2, "VisionTransformer.loss(X, y)", "(loss, grads)")
    check_scalar("VisionTransformer.loss", loss, float(_exp("vit.loss")), rtol=1e-7)
    for k in sorted(model.params):
        if k not in grads:
            raise CheckFailed(f"VisionTransformer.loss: grads has no {k!r}.")
        num = numeric_gradient(lambda _z: model.loss(X, y)[0], model.params[k])
        check_gradient(f"VisionTransformer.loss: grads[{k!r}]", grads[k], num)
    passed("VisionTransformer", "scores, loss and every gradient")

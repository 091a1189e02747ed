"""Hidden test cases of VisionTransformer.ipynb (never released), and its expected values."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import VisionTransformer as A

_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _model(ns, rng, **kw):
    args = dict(A.KWARGS, **kw)
    return ns["VisionTransformer"](dtype=np.float64, seed=int(rng.integers(100)), **args)


def _init_probe(ns, rng):
    model = _model(ns, rng, embed_dim=6, num_heads=3, num_layers=2)
    keys = sorted(model.params)
    return {"num_params": len(keys), "sizes": np.array([np.size(model.params[k]) for k in keys])}


def _loss_probe(ns, rng):
    model = _model(ns, rng, input_dim=(2, 8, 8), num_layers=2)
    for k in sorted(model.params):
        model.params[k] = model.params[k] + 0.3 * rng.standard_normal(model.params[k].shape)
    X = rng.standard_normal((3, 2, 8, 8))
    y = rng.integers(3, size=3)
    scores = model.loss(X)
    loss, grads = model.loss(X, y)
    out = {"scores": np.asarray(scores), "loss": float(loss)}
    out.update({f"d_{k}": np.asarray(grads[k]) for k in sorted(model.params)})
    return out


CASES = {
    "a3_vision_transformer": [
        Case("parameters (2 blocks, 3 heads)", 1.0, _init_probe),
        Case("scores, loss and every gradient (2 channels, 2 blocks)", 3.0, _loss_probe, **_TOL),
    ],
}


def build_expected() -> dict:
    from cs231n.classifiers.vit import VisionTransformer

    out = {}
    model = VisionTransformer(dtype=np.float64, seed=0, **A.KWARGS)
    A.vit_params(model)
    inp = A.inputs_vit()
    out["vit.scores"] = model.loss(inp["X"])
    out["vit.loss"] = model.loss(inp["X"], inp["y"])[0]
    pos = model.params["pos_embed"].copy()
    model.params["pos_embed"] = np.zeros_like(pos)
    out["vit.scores.wrong_no_pos"] = model.loss(inp["X"])
    model.params["pos_embed"] = pos
    return {k: np.asarray(v) for k, v in out.items()}

"""Hidden test cases of Dropout.ipynb (never released).

Dropout is random, so most probes return statistics (compared with a tolerance) and
exact identities (0/1 flags) rather than raw masks.
"""

import numpy as np

from autograder.hidden import Case
from cs231n.checks import Dropout as A


def _get(ns, name):
    if name in ns:
        return ns[name]
    from cs231n.layers import dropout

    return getattr(dropout, name)


def _forward_stats_probe(keep_prob, shape=(300, 400)):
    def probe(ns, rng):
        x = 5.0 + rng.random(shape)
        seed = int(rng.integers(10_000))
        out, _ = ns["dropout_forward"](x, {"mode": "train", "keep_prob": keep_prob, "seed": seed})
        out = np.asarray(out)
        kept = out != 0
        again, _ = ns["dropout_forward"](x, {"mode": "train", "keep_prob": keep_prob, "seed": seed})
        return {
            "shape": np.array(out.shape),
            "kept_fraction": float(kept.mean()),
            "kept_scaled_by_1_over_keep_prob": int(np.allclose(out[kept], x[kept] / keep_prob)),
            "mean_ratio": float(out.mean() / x.mean()),
            "same_seed_same_mask": int(np.array_equal(np.asarray(again), out)),
        }

    return probe


def _forward_modes_probe(ns, rng):
    x = rng.standard_normal((7, 3, 4)).astype(np.float32)
    test_out, _ = ns["dropout_forward"](x, {"mode": "test", "keep_prob": 0.3})
    one, _ = ns["dropout_forward"](x, {"mode": "train", "keep_prob": 1.0, "seed": 3})
    return {
        "test_is_identity": np.asarray(test_out, dtype=np.float64),
        "keep_prob_1_is_identity": np.asarray(one, dtype=np.float64),
        "float32_kept": int(np.asarray(test_out).dtype == np.float32),
        "input_unchanged": np.asarray(x, dtype=np.float64),
    }


def _backward_probe(keep_prob, mode):
    def probe(ns, rng):
        x = rng.standard_normal((20, 30)) + 3.0
        dout = rng.standard_normal((20, 30))
        param = {"mode": mode, "keep_prob": keep_prob, "seed": int(rng.integers(10_000))}
        out, cache = _get(ns, "dropout_forward")(x, param)
        dx = np.asarray(ns["dropout_backward"](dout, cache))
        out = np.asarray(out)
        expected = dout * (out / x) if mode == "train" else dout
        return {
            "shape": np.array(dx.shape),
            "matches_forward_mask_and_scale": int(np.allclose(dx, expected)),
            "dout_unchanged": int(np.isfinite(dout).all()),
        }

    return probe


def _l1_probe(shape, reg, dtype=np.float64):
    def probe(ns, rng):
        W = rng.standard_normal(shape).astype(dtype)
        W[rng.random(shape) < 0.2] = 0.0
        loss, dW = ns["l1_penalty"](W, reg)
        return {
            "loss": np.float64(loss),
            "dW": np.asarray(dW),
            "dtype_kept": np.asarray(np.asarray(dW).dtype == dtype),
        }

    return probe


def _flip_probe(seed, shape):
    def probe(ns, rng):
        del rng
        f = A.flip_facts(ns["random_flip"], seed, shape)
        return {
            "ok": np.asarray([f["shape_ok"], f["unchanged"], f["each_ok"], f["repeatable"]]),
            "about_half": np.asarray(0.35 <= f["fraction"] <= 0.65),
        }

    return probe


def _crop_probe(seed, pad, shape):
    def probe(ns, rng):
        del rng
        f = A.crop_facts(ns["random_crop"], seed, pad, shape)
        return {
            "ok": np.asarray([f["shape_ok"], f["unchanged"], f["each_ok"], f["corners_seen"]]),
            "many_offsets": np.asarray(f["n_offsets"] >= min(10, (2 * pad + 1) ** 2)),
        }

    return probe


CASES = {
    "a2_l1_penalty": [
        Case("W of shape (6, 4) with zeros, reg 0.7", 0.5, _l1_probe((6, 4), 0.7), rtol=1e-10),
        Case(
            "4-D float32 W, reg 2.0",
            0.5,
            _l1_probe((3, 2, 3, 3), 2.0, np.float32),
            rtol=1e-5,
            atol=1e-6,
            hint="keep W's dtype",
        ),
    ],
    "a2_random_flip_crop": [
        Case("flip: 300 RGB images of 4x5", 0.5, _flip_probe(4, (300, 3, 4, 5))),
        Case("flip: 200 images of 1x6x6", 0.5, _flip_probe(5, (200, 1, 6, 6))),
        Case("crop: pad 3 on 1x8x7 images", 0.5, _crop_probe(6, 3, (250, 1, 8, 7))),
        Case("crop: pad 1 on 3x4x4 images", 0.5, _crop_probe(7, 1, (120, 3, 4, 4))),
    ],
    "a2_dropout_forward": [
        Case(
            "keep_prob 0.3: fraction kept, 1/keep_prob scale, mean kept, seeding",
            0.8,
            _forward_stats_probe(0.3),
            rtol=0.0,
            atol=0.015,
            hint="keep a unit when rand < keep_prob, divide by keep_prob",
        ),
        Case("keep_prob 0.85", 0.6, _forward_stats_probe(0.85), rtol=0.0, atol=0.015),
        Case(
            "test mode and keep_prob 1 are the identity; dtype kept",
            0.6,
            _forward_modes_probe,
            rtol=1e-6,
            atol=1e-7,
        ),
    ],
    "a2_dropout_backward": [
        Case(
            "train mode, keep_prob 0.4",
            1.0,
            _backward_probe(0.4, "train"),
            hint="reuse the mask (already divided by keep_prob) of the forward pass",
        ),
        Case("train mode, keep_prob 0.9", 0.5, _backward_probe(0.9, "train")),
        Case("test mode", 0.5, _backward_probe(0.5, "test"), hint="in test mode dx = dout"),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/Dropout.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/Dropout.py, the reference outputs, and the outputs of
# deliberately wrong variants). Like the hidden cases, this is never released.


def build_expected() -> dict:
    """Expected values of the Dropout checks (the L1 penalty), as plain numeric arrays."""
    from cs231n.regularization import l1_penalty

    W, reg = A.l1_inputs()
    loss, dW = l1_penalty(W, reg)
    return {
        "l1.loss": np.float64(loss),
        "l1.dW": dW,
        "l1.loss.wrong_l2": np.float64(0.5 * reg * np.sum(W * W)),
        "l1.dW.wrong_l2": reg * W,
        "l1.dW.wrong_no_reg": np.sign(W),
    }

"""Hidden test cases of Dropout.ipynb (never released).

Dropout is random, so most probes return statistics (compared with a tolerance) and
exact identities (0/1 flags) rather than raw masks.
"""

import numpy as np

from autograder.hidden import Case


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


CASES = {
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

"""Hidden test cases of knn.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case
from cs231n.checks.knn import _CV_KS, _PREDICT_KS


def _dist_probe(name, shape_test, shape_train, scale=1.0):
    def probe(ns, rng):
        X = scale * rng.normal(size=shape_test)
        X_train = scale * rng.normal(size=shape_train)
        return {"dists": np.asarray(ns[name](X, X_train), dtype=np.float64)}

    return probe


def _dist_cases(name, points):
    return [
        Case(
            "rectangular images (3, 3, 5, 2) vs (11, 3, 5, 2)",
            points / 2,
            _dist_probe(name, (3, 3, 5, 2), (11, 3, 5, 2)),
            rtol=1e-6,
            atol=1e-8,
        ),
        Case(
            "flat rows, one test sample, large values",
            points / 2,
            _dist_probe(name, (1, 40), (6, 40), scale=100.0),
            rtol=1e-6,
            atol=1e-6,
        ),
    ]


def _predict_probe(k, num_train=15, num_classes=4, integer_dists=True):
    def probe(ns, rng):
        dists = rng.uniform(0, 5, size=(8, num_train))
        if integer_dists:
            dists = np.round(dists)
        y_train = rng.integers(0, num_classes, size=num_train)
        return {"y_pred": np.asarray(ns["predict_labels"](dists, y_train, k=k))}

    return probe


def _cv_probe(ns, rng):
    centers = rng.normal(scale=2.0, size=(4, 6))
    y = rng.integers(0, 4, size=30)
    X = centers[y] + rng.normal(size=(30, 6))
    res = ns["cross_validate_k"](X, y, [1, 2, 7], num_folds=3)
    return {"acc": np.array([res[k] for k in (1, 2, 7)], dtype=np.float64)}


def _cv_probe_images(ns, rng):
    X = rng.normal(size=(13, 1, 3, 3))
    y = rng.integers(0, 3, size=13)
    res = ns["cross_validate_k"](X, y, [3], num_folds=5)
    return {"acc": np.array(res[3], dtype=np.float64)}


CASES = {
    "a1_knn_two_loops": _dist_cases("compute_distances_two_loops", 2),
    "a1_knn_one_loop": _dist_cases("compute_distances_one_loop", 2),
    "a1_knn_no_loops": _dist_cases("compute_distances_no_loops", 3),
    "a1_knn_predict": [
        Case("k=1", 0.5, _predict_probe(1)),
        Case(
            "k=4 with ties in votes and distances",
            1.0,
            _predict_probe(4),
            hint="ties go to the smaller label",
        ),
        Case(
            "k = num_train",
            0.5,
            _predict_probe(15, integer_dists=False),
            hint="k may be as large as the training set",
        ),
    ],
    "a1_knn_cross_validation": [
        Case("3 folds, k in [1, 2, 7]", 1.0, _cv_probe, rtol=1e-9),
        Case(
            "5 uneven folds of images",
            1.0,
            _cv_probe_images,
            rtol=1e-9,
            hint="np.array_split makes folds of unequal size",
        ),
    ],
}


# ============================================================================ expected values
# Build-time only: ``python -m autograder.authoring build`` calls ``build_expected()`` to
# write cs231n/checks/expected/knn.npz from the REFERENCE package (the inputs of the
# visible checks in cs231n/checks/knn.py, the reference outputs, and the outputs of
# deliberately wrong variants that let a check name the likely mistake). Like the hidden
# cases, this is never released.


def _l1(a, b):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    return np.abs(a[:, None, :] - b[None, :, :]).sum(axis=2)


def _vote(dists, y_train, k, *, larger_ties=False, farthest=False, nearest_ties=False):
    """A deliberately configurable vote, used only to fingerprint wrong answers."""
    preds = []
    for row in dists:
        order = np.argsort(-row if farthest else row, kind="stable")[:k]
        counts = np.bincount(y_train[order], minlength=int(y_train.max()) + 1)
        best = np.flatnonzero(counts == counts.max())
        if nearest_ties:  # the tied label met first among the sorted neighbours
            preds.append(next(lab for lab in y_train[order] if lab in best))
        else:
            preds.append(best[-1] if larger_ties else best[0])
    return np.array(preds)


def knn():
    from cs231n.classifiers.k_nearest_neighbor import (
        compute_distances_two_loops,
        cross_validate_k,
        predict_labels,
    )

    rng = np.random.default_rng(231)
    X = rng.normal(size=(4, 3, 2, 2))
    X_train = rng.normal(size=(7, 3, 2, 2))
    dists = compute_distances_two_loops(X, X_train)
    out = {
        "dists/X": X,
        "dists/X_train": X_train,
        "dists/out": dists,
        "dists/wrong_squared": dists**2,
        "dists/wrong_l1": _l1(X, X_train),
    }
    # predict: rounded distances make ties among neighbours and among votes
    pd = np.round(rng.uniform(0, 4, size=(6, 9)), 0)
    y_train = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0])
    out["predict/dists"] = pd
    out["predict/y_train"] = y_train
    for k in _PREDICT_KS:
        out[f"predict/k{k}"] = predict_labels(pd, y_train, k=k)
        out[f"predict/wrong_ties_k{k}"] = _vote(pd, y_train, k, larger_ties=True)
        out[f"predict/wrong_far_k{k}"] = _vote(pd, y_train, k, farthest=True)
        out[f"predict/wrong_nearest_ties_k{k}"] = _vote(pd, y_train, k, nearest_ties=True)
    # cross-validation: three noisy clusters
    centers = rng.normal(scale=2.0, size=(3, 5))
    y = rng.integers(0, 3, size=24)
    Xcv = centers[y] + rng.normal(scale=1.5, size=(24, 5))
    acc = cross_validate_k(Xcv, y, _CV_KS, num_folds=4)
    out["cv/X"] = Xcv
    out["cv/y"] = y
    out["cv/acc"] = np.array([acc[k] for k in _CV_KS])
    # wrong: the held-out fold kept in the training set
    wrong = []
    for k in _CV_KS:
        accs = []
        for f, idx in enumerate(np.array_split(np.arange(24), 4)):
            del f
            d = np.sqrt(((Xcv[idx][:, None] - Xcv[None]) ** 2).sum(-1))
            accs.append(float(np.mean(_vote(d, y, k) == y[idx])))
        wrong.append(accs)
    out["cv/wrong_leak"] = np.array(wrong)
    return out


def build_expected() -> dict:
    """Expected values of the knn checks, as plain numeric arrays."""
    return {k: np.asarray(v) for k, v in knn().items()}

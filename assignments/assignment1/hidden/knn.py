"""Hidden test cases of knn.ipynb (never released)."""

import numpy as np

from autograder.hidden import Case


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

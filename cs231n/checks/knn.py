"""Visible checks of knn.ipynb: k-nearest neighbours: distances, vote, cross-validation.

Each ``check_<task>`` runs the student's objects on fixed inputs and compares with the
expected values in ``expected/knn.npz`` (built from the reference package by the
builder in ``assignments/<assignment>/hidden/knn.py``, never released), through the
kit's one comparison and one gradient rule (:mod:`cs231n.checks.common`). See
:mod:`cs231n.checks` for the result API.
"""

from __future__ import annotations

import numpy as np

from cs231n.checks._core import register
from cs231n.checks.common import (
    check_close,
    check_unchanged,
    fail,
    get,
    passed,
)

NOTEBOOK = "knn"


_PREDICT_KS = (1, 2, 3, 5)
_CV_KS = (1, 3, 5)


def _check_dists(fn, label):
    X = get("knn", "dists/X")
    X_train = get("knn", "dists/X_train")
    X0, Xt0 = X.copy(), X_train.copy()
    want = get("knn", "dists/out")
    got = fn(X, X_train)
    check_unchanged(f"{label}: X", X0, X)
    check_unchanged(f"{label}: X_train", Xt0, X_train)
    check_close(
        f"{label}(X, X_train)",
        got,
        want,
        rtol=1e-6,
        atol=1e-9,
        hints=[
            (
                get("knn", "dists/wrong_squared"),
                "these are squared distances: take the square root (np.sqrt).",
            ),
            (
                get("knn", "dists/wrong_l1"),
                "this is the L1 distance (sum of |differences|); we want L2, the square root of the sum of squares.",
            ),
            (want.T, "dists is transposed: row i is test sample i, column j training sample j."),
        ],
        shape_hint="dists must have shape (num_test, num_train).",
    )
    passed(label, f"{want.shape[0]}x{want.shape[1]} distance matrix matches")


@register("a1_knn_two_loops")
def check_knn_two_loops(compute_distances_two_loops):
    """Check ``compute_distances_two_loops`` on fixed images."""
    _check_dists(compute_distances_two_loops, "compute_distances_two_loops")


@register("a1_knn_one_loop")
def check_knn_one_loop(compute_distances_one_loop):
    """Check ``compute_distances_one_loop`` on fixed images."""
    _check_dists(compute_distances_one_loop, "compute_distances_one_loop")


@register("a1_knn_no_loops")
def check_knn_no_loops(compute_distances_no_loops):
    """Check ``compute_distances_no_loops``, including a case where rounding bites."""
    _check_dists(compute_distances_no_loops, "compute_distances_no_loops")
    same = 1e3 + np.random.default_rng(1).normal(size=(30, 20))
    with np.errstate(invalid="ignore"):
        d = np.asarray(compute_distances_no_loops(same, same))
    if not np.all(np.isfinite(d)):
        fail(
            "compute_distances_no_loops: the distance between identical samples is nan. "
            "Likely cause: rounding made a squared distance slightly negative; clip it at 0 "
            "(np.maximum(sq, 0)) before np.sqrt."
        )
    if np.max(np.abs(np.diag(d))) > 1e-3:
        fail("compute_distances_no_loops: the distance of a sample to itself is far from 0.")


@register("a1_knn_predict")
def check_knn_predict(predict_labels):
    """Check the majority vote, with ties between distances and between votes."""
    dists = get("knn", "predict/dists")
    y_train = get("knn", "predict/y_train")
    answers = {}
    for k in _PREDICT_KS:
        try:
            answers[k] = np.asarray(predict_labels(dists.copy(), y_train.copy(), k=k))
        except Exception:  # the loop below calls it again and reports the exception
            answers[k] = None
    k1 = get("knn", "predict/k1")
    ties_cause = (
        "a tie between labels went to the label of the NEAREST neighbour among them: "
        "ties go to the SMALLER label (np.argmax of np.bincount does that)."
    )

    def _matches(k, key):
        a = answers.get(k)
        return (
            a is not None
            and a.shape == get("knn", key).shape
            and np.array_equal(a, get("knn", key))
        )

    for k in _PREDICT_KS:
        got = predict_labels(dists.copy(), y_train.copy(), k=k)
        nearest_ties = get("knn", f"predict/wrong_nearest_ties_k{k}")
        k_hint = f"k is ignored: vote among the k = {k} nearest, not only the nearest."
        if np.array_equal(k1, nearest_ties):
            # here the two mistakes give the same labels: the other k tell them apart
            others = [j for j in _PREDICT_KS if j != k]
            ties = [_matches(j, f"predict/wrong_nearest_ties_k{j}") for j in others]
            ignored = [_matches(j, "predict/k1") for j in others]
            if all(ties) and not all(ignored):
                k_hint = ties_cause
            elif not (all(ignored) and not all(ties)):
                k_hint = (
                    f"either k is ignored (only the nearest neighbour votes; vote among the "
                    f"k = {k} nearest), or {ties_cause}"
                )
        check_close(
            f"predict_labels(dists, y_train, k={k})",
            got,
            get("knn", f"predict/k{k}"),
            rtol=0,
            hints=[
                (
                    get("knn", f"predict/wrong_ties_k{k}"),
                    "a tie between labels must go to the SMALLER label (np.argmax of np.bincount does that).",
                ),
                (
                    get("knn", f"predict/wrong_far_k{k}"),
                    "these are the k FARTHEST neighbours: sort distances in increasing order.",
                ),
                (k1, k_hint),
                (nearest_ties, ties_cause),
            ],
        )
    passed("predict_labels", f"k in {list(_PREDICT_KS)}, with ties")


@register("a1_knn_cross_validation")
def check_knn_cross_validation(cross_validate_k):
    """Check the fold accuracies of ``cross_validate_k`` on three noisy clusters."""
    X = get("knn", "cv/X")
    y = get("knn", "cv/y")
    want = get("knn", "cv/acc")
    res = cross_validate_k(X, y, list(_CV_KS), num_folds=4)
    if not isinstance(res, dict) or sorted(res) != list(_CV_KS):
        got = sorted(res) if isinstance(res, dict) else type(res).__name__
        fail(f"cross_validate_k: expected a dict with keys {list(_CV_KS)}, got {got}.")
    for i, k in enumerate(_CV_KS):
        if len(res[k]) != 4:
            fail(
                f"cross_validate_k: k={k} has {len(res[k])} accuracies, expected one per fold (4)."
            )
        check_close(
            f"cross_validate_k accuracies for k={k}",
            np.asarray(res[k], dtype=float),
            want[i],
            rtol=1e-9,
            hints=[
                (want[i] * 100, "accuracies are percentages; return fractions in [0, 1]."),
                (
                    get("knn", "cv/wrong_leak")[i],
                    "the held-out fold is also in the training set: train on the OTHER folds only.",
                ),
            ],
        )
    passed("cross_validate_k", "4 folds, k in [1, 3, 5]")

"""kNN: the three distance functions agree, voting, cross-validation, the class, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cs231n
from cs231n.classifiers import KNearestNeighbor
from cs231n.classifiers import k_nearest_neighbor as knn
from cs231n.course.testing import assert_allclose
from cs231n.validation import ConfigError, ShapeError

rng = np.random.default_rng(0)
X_TRAIN = rng.standard_normal((40, 3, 4, 4)).astype(np.float32)
X_TEST = rng.standard_normal((9, 3, 4, 4)).astype(np.float32)


def _reference(X, Xt):
    X = X.reshape(len(X), -1).astype(np.float64)
    Xt = Xt.reshape(len(Xt), -1).astype(np.float64)
    return np.sqrt(((X[:, None, :] - Xt[None, :, :]) ** 2).sum(-1))


@pytest.mark.a1_knn_two_loops
def test_two_loops_matches_reference():
    d = knn.compute_distances_two_loops(X_TEST, X_TRAIN)
    assert d.shape == (9, 40)
    assert_allclose(d, _reference(X_TEST, X_TRAIN), rtol=1e-12)


@pytest.mark.a1_knn_one_loop
def test_one_loop_matches_two_loops():
    assert_allclose(
        knn.compute_distances_one_loop(X_TEST, X_TRAIN),
        knn.compute_distances_two_loops(X_TEST, X_TRAIN),
        rtol=1e-12,
    )


@pytest.mark.a1_knn_no_loops
def test_no_loops_matches_two_loops_and_flat_input():
    d2 = knn.compute_distances_two_loops(X_TEST, X_TRAIN)
    d0 = knn.compute_distances_no_loops(X_TEST.reshape(9, -1), X_TRAIN.reshape(40, -1))
    assert np.linalg.norm(d2 - d0, "fro") < 1e-9


@pytest.mark.a1_knn_no_loops
def test_no_loops_clips_negative_squares():
    X = np.full((3, 50), 1e4) + rng.standard_normal((3, 50)) * 1e-9
    d = knn.compute_distances_no_loops(X, X)
    assert np.all(np.isfinite(d)) and np.all(d >= 0)


@pytest.mark.a1_knn_no_loops
@given(n=st.integers(1, 5), m=st.integers(1, 5), d=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_distance_variants_agree(n, m, d, seed):
    r = np.random.default_rng(seed)
    X, Xt = r.standard_normal((n, d)), r.standard_normal((m, d))
    d2 = knn.compute_distances_two_loops(X, Xt)
    assert_allclose(knn.compute_distances_one_loop(X, Xt), d2, rtol=1e-10, atol=1e-12)
    assert_allclose(knn.compute_distances_no_loops(X, Xt), d2, rtol=1e-6, atol=1e-6)


@pytest.mark.a1_knn_predict
def test_predict_labels_majority_and_ties():
    y_train = np.array([2, 1, 1, 0, 2])
    dists = np.array(
        [
            [0.0, 1.0, 2.0, 3.0, 4.0],  # nearest: label 2
            [5.0, 1.0, 2.0, 0.5, 9.0],  # k=3 -> labels 0, 1, 1 -> 1
            [0.1, 9.0, 9.0, 0.2, 9.0],  # k=2 -> labels 2, 0 -> tie -> 0
        ]
    )
    np.testing.assert_array_equal(knn.predict_labels(dists, y_train, k=1), [2, 0, 2])
    np.testing.assert_array_equal(knn.predict_labels(dists, y_train, k=3)[1], 1)
    np.testing.assert_array_equal(knn.predict_labels(dists, y_train, k=2)[2], 0)


@pytest.mark.a1_knn_predict
def test_predict_labels_k_equals_n_is_the_majority_of_all():
    y_train = np.array([3, 1, 3, 1, 3])
    out = knn.predict_labels(rng.random((4, 5)), y_train, k=5)
    np.testing.assert_array_equal(out, [3, 3, 3, 3])


@pytest.mark.a1_knn_cross_validation
def test_cross_validate_k():
    X = np.concatenate([rng.standard_normal((20, 4)) - 3, rng.standard_normal((20, 4)) + 3])
    y = np.repeat([0, 1], 20)
    order = rng.permutation(40)
    result = knn.cross_validate_k(X[order], y[order], [1, 3, 5], num_folds=4)
    assert sorted(result) == [1, 3, 5]
    for accs in result.values():
        assert len(accs) == 4
        assert all(a == 1.0 for a in accs)
    loops = knn.cross_validate_k(X[order], y[order], [1, 3], num_folds=4, num_loops=2)
    assert loops == {k: result[k] for k in (1, 3)}


def test_class_delegates_and_predicts():
    clf = KNearestNeighbor().train(X_TRAIN, np.arange(40) % 3)
    assert_allclose(
        clf.compute_distances_no_loops(X_TEST), knn.compute_distances_no_loops(X_TEST, X_TRAIN)
    )
    pred = clf.predict(X_TEST, k=1, num_loops=1)
    np.testing.assert_array_equal(pred, clf.predict(X_TEST, k=1, num_loops=0))
    np.testing.assert_array_equal(clf.predict(X_TRAIN, k=1), np.arange(40) % 3)


def test_class_uses_plugged_in_functions():
    calls = []

    def compute_distances_no_loops(X, X_train):
        calls.append(1)
        return knn.compute_distances_two_loops(X, X_train)

    clf = KNearestNeighbor().train(X_TRAIN, np.arange(40) % 3)
    cs231n.plug_in(compute_distances_no_loops, verbose=False)
    try:
        clf.predict(X_TEST)
    finally:
        cs231n.unplug()
    assert calls == [1]
    assert knn.compute_distances_no_loops.__module__ == "cs231n.classifiers.k_nearest_neighbor"


def test_errors():
    with pytest.raises(ShapeError, match="features"):
        knn.compute_distances_no_loops(np.zeros((2, 5)), np.zeros((3, 4)))
    with pytest.raises(ShapeError):
        knn.compute_distances_two_loops(np.zeros(5), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="between 1 and"):
        knn.predict_labels(np.zeros((2, 3)), np.zeros(3, dtype=int), k=4)
    with pytest.raises(ConfigError):
        knn.cross_validate_k(np.zeros((10, 2)), np.zeros(10, dtype=int), [1], num_loops=3)
    with pytest.raises(RuntimeError, match="train"):
        KNearestNeighbor().predict(X_TEST)

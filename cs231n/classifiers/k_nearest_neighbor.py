"""k-nearest-neighbour classification with L2 distances.

The module functions do the work; :class:`KNearestNeighbor` is a thin wrapper that
remembers the training set.  Its methods look the functions up in this module at call
time, so after ``cs231n.plug_in(compute_distances_no_loops)`` the class uses yours.

Inputs are images of shape (N, C, H, W) or already-flattened rows of shape (N, D); both
are compared as rows of D = C*H*W numbers.  Distances are computed in float64 (the
no-loop expansion loses too many digits in float32).
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ShapeError, check_array, check_choice, check_labels, fail

__all__ = [
    "KNearestNeighbor",
    "as_rows",
    "compute_distances_no_loops",
    "compute_distances_one_loop",
    "compute_distances_two_loops",
    "cross_validate_inputs",
    "cross_validate_k",
    "predict_labels",
    "predict_labels_inputs",
]


def as_rows(X, X_train, name):
    """Validate a test and a training set and return both as float64 rows.

    Parameters
    ----------
    X : ndarray of shape (num_test, D) or (num_test, C, H, W)
    X_train : ndarray of shape (num_train, D) or (num_train, C, H, W)
    name : str
        The calling function, for error messages.

    Returns
    -------
    X, X_train : ndarray of shape (num_test, D) and (num_train, D), float64
    """
    check_array(X, f"{name}: X", ndim=(2, 4), dims="(num_test, D) or (num_test, C, H, W)")
    check_array(
        X_train, f"{name}: X_train", ndim=(2, 4), dims="(num_train, D) or (num_train, C, H, W)"
    )
    X = X.reshape(X.shape[0], -1).astype(np.float64, copy=False)
    X_train = X_train.reshape(X_train.shape[0], -1).astype(np.float64, copy=False)
    if X.shape[1] != X_train.shape[1]:
        fail(
            f"{name}: X",
            f"{X_train.shape[1]} features per sample, like X_train",
            f"{X.shape[1]}",
            "preprocess the test set exactly like the training set",
            ShapeError,
        )
    return X, X_train


def compute_distances_two_loops(X, X_train):
    """L2 distance between every test and every training sample, with two loops.

    Parameters
    ----------
    X : ndarray of shape (num_test, D) or (num_test, C, H, W)
        Test samples.
    X_train : ndarray of shape (num_train, D) or (num_train, C, H, W)
        Training samples.

    Returns
    -------
    dists : ndarray of shape (num_test, num_train)
        ``dists[i, j]`` is the Euclidean distance between test i and training sample j.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_two_loops")
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    # TODO(a1_knn_two_loops): for every pair (i, j) store the L2 distance between X[i] and
    # X_train[j] in dists[i, j]. No loop over the D features, and no np.linalg.norm.
    ### BEGIN SOLUTION
    for i in range(num_test):
        for j in range(num_train):
            diff = X[i] - X_train[j]
            dists[i, j] = np.sqrt(np.sum(diff * diff))
    ### END SOLUTION
    return dists


def compute_distances_one_loop(X, X_train):
    """L2 distances with one loop over the test samples (broadcasting inside).

    Parameters and return value as in :func:`compute_distances_two_loops`.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_one_loop")
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    # TODO(a1_knn_one_loop): for each test sample i, fill the whole row dists[i, :] at once
    # by broadcasting X[i] against X_train. No np.linalg.norm.
    ### BEGIN SOLUTION
    for i in range(num_test):
        diff = X_train - X[i]
        dists[i, :] = np.sqrt(np.sum(diff * diff, axis=1))
    ### END SOLUTION
    return dists


def compute_distances_no_loops(X, X_train):
    """L2 distances with no Python loop.

    Expand ``||x - t||^2 = ||x||^2 - 2 x.t + ||t||^2``: two vectors of squared norms and
    one matrix product.  Rounding can make a squared distance slightly negative; clip it
    at 0 before the square root.

    Parameters and return value as in :func:`compute_distances_two_loops`.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_no_loops")
    # TODO(a1_knn_no_loops): fill dists (num_test, num_train) with L2 distances using only
    # array operations: expand the squared distance into terms that broadcast, one of them
    # a single matrix product. Rounding can make a squared distance slightly negative.
    # No loops and no np.linalg.norm.
    ### BEGIN SOLUTION
    test_sq = np.sum(X * X, axis=1, keepdims=True)  # (num_test, 1)
    train_sq = np.sum(X_train * X_train, axis=1)  # (num_train,)
    sq = test_sq - 2.0 * (X @ X_train.T) + train_sq
    dists = np.sqrt(np.maximum(sq, 0.0))
    ### END SOLUTION
    return dists


def predict_labels_inputs(dists, y_train, k):
    """Check the arguments of :func:`predict_labels`.

    Parameters
    ----------
    dists, y_train, k
        As in :func:`predict_labels`.

    Raises
    ------
    ShapeError, ValueError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(dists, "predict_labels: dists", ndim=2, dims="(num_test, num_train)")
    check_labels(y_train, "predict_labels: y_train", dists.shape[1])
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= dists.shape[1]:
        fail(
            "predict_labels: k",
            f"an integer between 1 and num_train = {dists.shape[1]}",
            repr(k),
        )


def predict_labels(dists, y_train, k=1):
    """Majority vote among the k nearest training samples of each test sample.

    Parameters
    ----------
    dists : ndarray of shape (num_test, num_train)
        Distances, as from :func:`compute_distances_no_loops`.
    y_train : ndarray of shape (num_train,), int
        Training labels.
    k : int
        Number of neighbours that vote (1 <= k <= num_train).

    Returns
    -------
    y_pred : ndarray of shape (num_test,), int
        The most common label among the k nearest; a tie goes to the smaller label.
        Neighbours at equal distance are ranked by their index in the training set.
    """
    predict_labels_inputs(dists, y_train, k)
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    # TODO(a1_knn_predict): for each test sample i, the labels of its k nearest training
    # samples (equal distances ranked by training index), and their most common label in
    # y_pred[i] (num_test,); a tie between labels goes to the smaller label.
    ### BEGIN SOLUTION
    for i in range(num_test):
        nearest = np.argsort(dists[i], kind="stable")[:k]
        closest_y = y_train[nearest]
        y_pred[i] = np.argmax(np.bincount(closest_y))
    ### END SOLUTION
    return y_pred


def cross_validate_inputs(X, y, num_folds, num_loops):
    """Check the arguments of :func:`cross_validate_k`.

    Parameters
    ----------
    X, y, num_folds, num_loops
        As in :func:`cross_validate_k`.

    Raises
    ------
    ShapeError, ValueError, ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(X, "cross_validate_k: X", ndim=(2, 4), dims="(N, D) or (N, C, H, W)")
    check_labels(y, "cross_validate_k: y", X.shape[0])
    check_choice(num_loops, "cross_validate_k: num_loops", (0, 1, 2))
    if not isinstance(num_folds, (int, np.integer)) or not 2 <= num_folds <= X.shape[0]:
        fail(
            "cross_validate_k: num_folds",
            f"an integer between 2 and N = {X.shape[0]}",
            repr(num_folds),
        )


def cross_validate_k(X, y, k_choices, num_folds=5, num_loops=0):
    """k-fold cross-validation of the number of neighbours k.

    The data are split, in order, into ``num_folds`` nearly equal folds
    (``np.array_split``).  Each fold in turn is the validation set and the others are
    the training set; the distances are computed once per fold and reused for every k.

    Parameters
    ----------
    X : ndarray of shape (N, D) or (N, C, H, W)
        Training samples.
    y : ndarray of shape (N,), int
        Their labels.
    k_choices : iterable of int
        Values of k to try.
    num_folds : int
        Number of folds (2 <= num_folds <= N).
    num_loops : {0, 1, 2}
        Which distance function to use (no loops by default).

    Returns
    -------
    k_to_accuracies : dict
        ``k -> list of num_folds validation accuracies`` (floats in [0, 1]).
    """
    cross_validate_inputs(X, y, num_folds, num_loops)
    k_choices = list(k_choices)
    k_to_accuracies = {k: [] for k in k_choices}
    # TODO(a1_knn_cross_validation): split X and y into num_folds folds (np.array_split).
    # For each fold: train on the other folds (np.concatenate), compute the distances from
    # the held-out fold with the function num_loops selects, then for every k predict and
    # append the accuracy (fraction correct) to k_to_accuracies[k].
    ### BEGIN SOLUTION
    distance_fn = {
        0: compute_distances_no_loops,
        1: compute_distances_one_loop,
        2: compute_distances_two_loops,
    }[num_loops]
    X_folds = np.array_split(X, num_folds)
    y_folds = np.array_split(y, num_folds)
    for f in range(num_folds):
        X_tr = np.concatenate(X_folds[:f] + X_folds[f + 1 :])
        y_tr = np.concatenate(y_folds[:f] + y_folds[f + 1 :])
        dists = distance_fn(X_folds[f], X_tr)
        for k in k_choices:
            y_pred = predict_labels(dists, y_tr, k=k)
            k_to_accuracies[k].append(float(np.mean(y_pred == y_folds[f])))
    ### END SOLUTION
    return k_to_accuracies


class KNearestNeighbor:
    """A kNN classifier with L2 distance.

    ``train`` only memorises the data; all the work happens in ``predict``.

    Examples
    --------
    >>> knn = KNearestNeighbor()
    >>> knn.train(X_train, y_train)  # doctest: +SKIP
    >>> y_pred = knn.predict(X_test, k=5)  # doctest: +SKIP
    """

    def __init__(self):
        self.X_train = None
        self.y_train = None

    def train(self, X, y):
        """Memorise the training data.

        Parameters
        ----------
        X : ndarray of shape (num_train, D) or (num_train, C, H, W)
        y : ndarray of shape (num_train,), int
        """
        check_array(
            X,
            "KNearestNeighbor.train: X",
            ndim=(2, 4),
            dims="(num_train, D) or (num_train, C, H, W)",
        )
        check_labels(y, "KNearestNeighbor.train: y", X.shape[0])
        self.X_train = X
        self.y_train = y
        return self

    def _trained(self):
        if self.X_train is None:
            fail(
                "KNearestNeighbor",
                "a trained classifier",
                "no training data",
                "call knn.train(X_train, y_train) first",
                RuntimeError,
            )

    def compute_distances_two_loops(self, X):
        """Distances from ``X`` to the training set; see the module function."""
        self._trained()
        return compute_distances_two_loops(X, self.X_train)

    def compute_distances_one_loop(self, X):
        """Distances from ``X`` to the training set; see the module function."""
        self._trained()
        return compute_distances_one_loop(X, self.X_train)

    def compute_distances_no_loops(self, X):
        """Distances from ``X`` to the training set; see the module function."""
        self._trained()
        return compute_distances_no_loops(X, self.X_train)

    def predict_labels(self, dists, k=1):
        """Majority vote of the k nearest; see the module function."""
        self._trained()
        return predict_labels(dists, self.y_train, k=k)

    def predict(self, X, k=1, num_loops=0):
        """Predict labels for test data.

        Parameters
        ----------
        X : ndarray of shape (num_test, D) or (num_test, C, H, W)
        k : int
            Number of neighbours that vote.
        num_loops : {0, 1, 2}
            Which distance implementation to use.

        Returns
        -------
        y_pred : ndarray of shape (num_test,), int
        """
        check_choice(num_loops, "KNearestNeighbor.predict: num_loops", (0, 1, 2))
        if num_loops == 0:
            dists = self.compute_distances_no_loops(X)
        elif num_loops == 1:
            dists = self.compute_distances_one_loop(X)
        else:
            dists = self.compute_distances_two_loops(X)
        return self.predict_labels(dists, k=k)

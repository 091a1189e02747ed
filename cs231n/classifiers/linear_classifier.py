"""Linear classifiers trained with minibatch stochastic gradient descent.

``LinearSVM`` and ``Softmax`` differ only in their loss (``svm_loss_vectorized`` or
``softmax_loss_vectorized``, looked up in this module at call time so a plugged-in
student function is used).  Regularization is ``0.5 * reg * sum(W**2)``, the kit's one
convention (CS231n's linear classifiers used ``reg * sum(W**2)``: their ``reg`` is half
of ours for the same penalty).
"""

from __future__ import annotations

import numpy as np

from cs231n.classifiers.linear_svm import svm_loss_vectorized
from cs231n.classifiers.softmax import softmax_loss_vectorized
from cs231n.initializers import make_rng
from cs231n.validation import check_array, check_labels, check_positive, fail

__all__ = [
    "LinearClassifier",
    "LinearSVM",
    "Softmax",
    "minibatch_sgd",
    "tune_linear_classifier",
]


def minibatch_sgd(loss_fn, W, X, y, learning_rate, reg, num_iters, batch_size, rng, verbose=False):
    """Minibatch stochastic gradient descent on the weights of a linear classifier.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(W, X_batch, y_batch, reg) -> (loss, dW)``: the minibatch loss and its
        gradient of shape (D, C).
    W : ndarray of shape (D, C)
        Initial weights; not modified.
    X : ndarray of shape (N, D)
        Training data.
    y : ndarray of shape (N,), int
        Labels.
    learning_rate : float
        Step size.
    reg : float
        Regularization strength, passed on to ``loss_fn``.
    num_iters : int
        Number of steps.
    batch_size : int
        Samples per step, drawn with replacement from the N training samples.
    rng : numpy.random.Generator
        The source of every random draw (the minibatch indices).
    verbose : bool
        Print the loss every 100 steps.

    Returns
    -------
    W : ndarray of shape (D, C)
        The weights after ``num_iters`` steps.
    loss_history : list of float
        The minibatch loss of every step, computed before that step's update.
    """
    num_train = X.shape[0]
    loss_history = []
    # TODO(a1_linear_sgd): num_iters times: draw batch_size sample indices from rng, get the
    # loss and dW of that minibatch from loss_fn, record the loss, step W against dW.
    # Build a new W rather than changing the caller's array in place.
    ### BEGIN SOLUTION
    for it in range(num_iters):
        idx = rng.choice(num_train, batch_size, replace=True)
        loss, dW = loss_fn(W, X[idx], y[idx], reg)
        loss_history.append(float(loss))
        W = W - learning_rate * dW
        if verbose and it % 100 == 0:
            print(f"iteration {it} / {num_iters}: loss {loss:f}")
    ### END SOLUTION
    return W, loss_history


def tune_linear_classifier(
    model_class,
    X_train,
    y_train,
    X_val,
    y_val,
    learning_rates,
    regularization_strengths,
    num_iters,
    batch_size=200,
    seed=0,
):
    """Grid search over learning rates and regularization strengths, judged on validation data.

    Parameters
    ----------
    model_class : type
        A classifier class such as :class:`LinearSVM`: ``model_class()`` makes a fresh
        model with ``train(X, y, learning_rate=, reg=, num_iters=, batch_size=, seed=)``
        and ``predict(X) -> labels``.
    X_train, y_train : ndarray of shape (N, D) and (N,)
        Training data.
    X_val, y_val : ndarray of shape (M, D) and (M,)
        Validation data.
    learning_rates, regularization_strengths : sequence of float
        The grid: every pair is tried once.
    num_iters, batch_size, seed : int
        Passed to every ``train`` call.

    Returns
    -------
    results : dict
        ``(learning_rate, reg) -> (train_accuracy, val_accuracy)`` for every pair of the
        grid, accuracies as floats in [0, 1].
    best_setting : tuple
        The ``(learning_rate, reg)`` with the highest validation accuracy (the first one
        in grid order when several tie).
    best_model : object
        The model trained with ``best_setting``.
    """
    results = {}
    # TODO(a1_tune_linear): train one fresh model per (learning_rate, reg) pair, record its
    # training and validation accuracy in results, and keep the model with the best
    # validation accuracy.
    ### BEGIN SOLUTION
    best_setting, best_model, best_val = None, None, -1.0
    for lr in learning_rates:
        for reg in regularization_strengths:
            model = model_class()
            model.train(
                X_train,
                y_train,
                learning_rate=lr,
                reg=reg,
                num_iters=num_iters,
                batch_size=batch_size,
                seed=seed,
            )
            train_acc = float(np.mean(model.predict(X_train) == y_train))
            val_acc = float(np.mean(model.predict(X_val) == y_val))
            results[(lr, reg)] = (train_acc, val_acc)
            if val_acc > best_val:
                best_setting, best_model, best_val = (lr, reg), model, val_acc
    ### END SOLUTION
    return results, best_setting, best_model


class LinearClassifier:
    """Base class: scores ``X @ W``, weights learned by minibatch SGD.

    Attributes
    ----------
    W : ndarray of shape (D, C) or None
        Weights; created by the first call to :meth:`train` as ``0.001 * randn(D, C)``
        in X's dtype, with C = max(y) + 1.
    """

    def __init__(self):
        self.W = None

    def loss(self, X_batch, y_batch, reg):
        """Loss and gradient on a minibatch; subclasses override it.

        Returns
        -------
        loss : float
        dW : ndarray of shape (D, C)
        """
        raise NotImplementedError(
            "LinearClassifier.loss: use a subclass (LinearSVM or Softmax) that defines the loss."
        )

    def train(
        self,
        X,
        y,
        learning_rate=1e-3,
        reg=1e-5,
        num_iters=100,
        batch_size=200,
        verbose=False,
        seed=None,
    ):
        """Train with minibatch stochastic gradient descent.

        Parameters
        ----------
        X : ndarray of shape (N, D) or (N, C, H, W)
            Training data (images are flattened).
        y : ndarray of shape (N,), int
            Labels in [0, C).
        learning_rate : float
            Step size.
        reg : float
            Regularization strength.
        num_iters : int
            Number of SGD steps.
        batch_size : int
            Samples per step, drawn with replacement.
        verbose : bool
            Print the loss every 100 iterations.
        seed : int, optional
            Seeds both the initial W and the minibatches with an independent stream;
            without it both come from numpy's global state (``np.random.seed``).

        Returns
        -------
        loss_history : list of float
            The loss at every iteration.
        """
        check_array(X, "train: X", ndim=(2, 4), dims="(N, D) or (N, C, H, W)", floating=True)
        X = X.reshape(X.shape[0], -1)
        check_labels(y, "train: y", X.shape[0])
        check_positive(learning_rate, "train: learning_rate")
        check_positive(reg, "train: reg", allow_zero=True)
        check_positive(num_iters, "train: num_iters", allow_zero=True)
        check_positive(batch_size, "train: batch_size")
        dim = X.shape[1]
        num_classes = int(np.max(y)) + 1
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        if self.W is None:
            self.W = (0.001 * rng.standard_normal((dim, num_classes))).astype(X.dtype)
        elif self.W.shape[0] != dim or self.W.shape[1] < num_classes:
            fail(
                "train",
                f"data matching the existing W of shape {self.W.shape}",
                f"{dim} features and {num_classes} classes",
                "set clf.W = None to start from scratch",
            )

        def loss_fn(W, X_batch, y_batch, reg):
            self.W = W  # subclasses compute the loss of self.W
            return self.loss(X_batch, y_batch, reg)

        # looked up in this module at call time, so a plugged-in student loop is used
        W, loss_history = minibatch_sgd(
            loss_fn, self.W, X, y, learning_rate, reg, int(num_iters), int(batch_size), rng, verbose
        )
        self.W = W
        return loss_history

    def predict(self, X):
        """Predict labels: the class with the highest score.

        Parameters
        ----------
        X : ndarray of shape (N, D) or (N, C, H, W)

        Returns
        -------
        y_pred : ndarray of shape (N,), int
        """
        if self.W is None:
            fail(
                "predict",
                "a trained classifier",
                "W = None",
                "call train(X, y) first",
                RuntimeError,
            )
        check_array(X, "predict: X", ndim=(2, 4), dims="(N, D) or (N, C, H, W)")
        X = X.reshape(X.shape[0], -1)
        if X.shape[1] != self.W.shape[0]:
            fail("predict: X", f"{self.W.shape[0]} features per sample", f"{X.shape[1]}")
        return np.argmax(X @ self.W, axis=1)

    def save(self, path):
        """Save W to ``path`` with ``np.save`` (no pickle)."""
        if self.W is None:
            fail("save", "a trained classifier", "W = None", "call train(X, y) first", RuntimeError)
        np.save(path, self.W, allow_pickle=False)

    def load(self, path):
        """Load W saved by :meth:`save`; returns self."""
        self.W = np.load(path, allow_pickle=False)
        return self


class LinearSVM(LinearClassifier):
    """Linear classifier with the multiclass SVM (hinge) loss."""

    def loss(self, X_batch, y_batch, reg):
        """Hinge loss and gradient (``svm_loss_vectorized``)."""
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class Softmax(LinearClassifier):
    """Linear classifier with the softmax (cross-entropy) loss."""

    def loss(self, X_batch, y_batch, reg):
        """Softmax loss and gradient (``softmax_loss_vectorized``)."""
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)

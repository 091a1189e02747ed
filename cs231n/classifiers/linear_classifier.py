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

__all__ = ["LinearClassifier", "LinearSVM", "Softmax"]


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
        num_train, dim = X.shape
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
        loss_history = []
        for it in range(int(num_iters)):
            idx = rng.choice(num_train, int(batch_size), replace=True)
            loss, grad = self.loss(X[idx], y[idx], reg)
            loss_history.append(loss)
            self.W = self.W - learning_rate * grad
            if verbose and it % 100 == 0:
                print(f"iteration {it} / {num_iters}: loss {loss:f}")
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

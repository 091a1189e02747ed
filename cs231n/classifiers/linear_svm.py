"""Multiclass SVM (hinge) loss of a linear classifier, with loops and vectorized.

Scores are ``X @ W``; the loss of sample i is ``sum_{j != y_i} max(0, s_j - s_{y_i} + 1)``
(margin 1), averaged over the N samples, plus the regularization
``0.5 * reg * sum(W**2)``, whose gradient is ``reg * W``.

This is the kit's one regularization convention, shared with the neural nets.  CS231n's
linear classifiers used ``reg * sum(W**2)`` (gradient ``2 * reg * W``), so a CS231n
``reg`` corresponds to twice ours.  With the bias trick (a column of ones appended to X)
the bias row of W is regularized too.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_labels

__all__ = ["svm_loss_naive", "svm_loss_vectorized"]


def svm_loss_naive(W, X, y, reg):
    """Multiclass SVM loss and its gradient, with explicit loops.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        A minibatch of data.
    y : ndarray of shape (N,), int
        Labels; ``y[i] = c`` means X[i] has label c, 0 <= c < C.
    reg : float
        Regularization strength (the loss adds ``0.5 * reg * sum(W**2)``).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
        Gradient of the loss with respect to W.
    """
    check_array(W, "svm_loss_naive: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "svm_loss_naive: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "svm_loss_naive: y", X.shape[0], W.shape[1])
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO(a1_svm_naive): loop over samples i and wrong classes j; add every positive
    # margin to the loss, and work out which two columns of dW (D, C) that margin moves
    # and by what. Average over the N samples, then add the regularization term of the
    # docstring to the loss and its gradient to dW.
    ### BEGIN SOLUTION
    for i in range(num_train):
        scores = X[i] @ W
        correct = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct + 1.0
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss /= num_train
    dW /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    dW += reg * W
    ### END SOLUTION
    return float(loss), dW


def svm_loss_vectorized(W, X, y, reg):
    """Multiclass SVM loss and gradient, without loops.

    Parameters and return values as in :func:`svm_loss_naive`.
    """
    check_array(W, "svm_loss_vectorized: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "svm_loss_vectorized: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "svm_loss_vectorized: y", X.shape[0], W.shape[1])
    num_train = X.shape[0]
    # TODO(a1_svm_vectorized): all scores at once (N, C), the margins (N, C) with the
    # correct class zeroed, the loss; then an (N, C) matrix of how often each X[i] enters
    # each column of dW (with its sign), and one product with X.T for dW (D, C).
    ### BEGIN SOLUTION
    rows = np.arange(num_train)
    scores = X @ W  # (N, C)
    correct = scores[rows, y][:, None]  # (N, 1)
    margins = np.maximum(0.0, scores - correct + 1.0)
    margins[rows, y] = 0.0
    loss = np.sum(margins) / num_train + 0.5 * reg * np.sum(W * W)
    coeff = (margins > 0).astype(W.dtype)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    dW = X.T @ coeff / num_train + reg * W
    ### END SOLUTION
    return float(loss), dW

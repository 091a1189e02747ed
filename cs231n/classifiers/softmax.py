"""Softmax (cross-entropy) loss of a linear classifier, with loops and vectorized.

Scores are ``X @ W``; the loss of sample i is ``-log(exp(s_{y_i}) / sum_j exp(s_j))``,
averaged over the N samples, plus the regularization ``0.5 * reg * sum(W**2)``, whose
gradient is ``reg * W`` (the kit's one convention; CS231n's linear classifiers used
``reg * sum(W**2)``).

Subtracting each row's maximum score before ``exp`` changes no probability and keeps
``exp`` from overflowing.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_labels

__all__ = ["softmax_loss_naive", "softmax_loss_vectorized"]


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and its gradient, with explicit loops.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        A minibatch of data.
    y : ndarray of shape (N,), int
        Labels in [0, C).
    reg : float
        Regularization strength (the loss adds ``0.5 * reg * sum(W**2)``).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
        Gradient of the loss with respect to W.
    """
    check_array(W, "softmax_loss_naive: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "softmax_loss_naive: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "softmax_loss_naive: y", X.shape[0], W.shape[1])
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO(a1_softmax_naive): for each sample, its C scores (shifted by their max for
    # stability) become probabilities; add its cross-entropy to the loss and its gradient
    # to every column of dW (D, C). Average over the N samples, then add the
    # regularization term of the docstring to the loss and its gradient to dW.
    ### BEGIN SOLUTION
    for i in range(num_train):
        scores = X[i] @ W
        scores = scores - np.max(scores)
        exp_scores = np.exp(scores)
        probs = exp_scores / np.sum(exp_scores)
        loss -= np.log(probs[y[i]])
        for j in range(num_classes):
            dW[:, j] += (probs[j] - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    dW += reg * W
    ### END SOLUTION
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and gradient, without loops, numerically stable.

    Parameters and return values as in :func:`softmax_loss_naive`.
    """
    check_array(W, "softmax_loss_vectorized: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "softmax_loss_vectorized: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "softmax_loss_vectorized: y", X.shape[0], W.shape[1])
    num_train = X.shape[0]
    # TODO(a1_softmax_vectorized): the same loss and dW (D, C) as the naive version, from
    # the (N, C) score matrix and (N, C) probabilities, without Python loops; keep the
    # exponentials from overflowing.
    ### BEGIN SOLUTION
    rows = np.arange(num_train)
    scores = X @ W
    scores = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.mean(log_probs[rows, y]) + 0.5 * reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    dW = X.T @ dscores / num_train + reg * W
    ### END SOLUTION
    return float(loss), dW

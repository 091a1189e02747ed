"""Losses on scores: softmax (cross-entropy), multiclass SVM (hinge), mean squared error.

All three take scores ``x`` of shape (N, C) and integer labels ``y`` of shape (N,), average
the loss over the N samples, and return ``(loss, dx)``.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_labels

__all__ = ["mse_loss", "softmax_loss", "svm_loss"]


def softmax_loss(x, y):
    """Softmax (cross-entropy) loss and its gradient.

    ``loss = mean_i( -log( exp(x[i, y[i]]) / sum_j exp(x[i, j]) ) )``.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores; ``x[i, j]`` is the score of class j for sample i.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to ``x``.
    """
    check_array(x, "softmax_loss: x", ndim=2, dims="(N, C)", floating=True)
    check_labels(y, "softmax_loss: y", x.shape[0], x.shape[1])
    # TODO(a1_softmax_loss): subtract each row's max before exponentiating (the softmax is
    # unchanged, nothing overflows); work with log-probabilities; average over N.
    ### BEGIN SOLUTION
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    dx /= N
    ### END SOLUTION
    return float(loss), dx


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss with margin 1, and its gradient.

    ``loss = mean_i( sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1) )``.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to ``x`` (at a kink, the margin counts only
        when strictly positive).
    """
    check_array(x, "svm_loss: x", ndim=2, dims="(N, C)", floating=True)
    check_labels(y, "svm_loss: y", x.shape[0], x.shape[1])
    # TODO(a1_svm_loss): margins against the correct-class score (zero the correct class);
    # every positive margin adds +1 to its class and -1 to the correct class.
    ### BEGIN SOLUTION
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]  # (N, 1)
    margins = np.maximum(0, x - correct + 1)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(x.dtype)
    dx[np.arange(N), y] = -dx.sum(axis=1)
    dx /= N
    ### END SOLUTION
    return float(loss), dx


def mse_loss(x, y):
    """Mean squared error between the scores and the one-hot labels, and its gradient.

    ``loss = mean_i( 0.5 * sum_j (x[i, j] - t[i, j])**2 )`` with ``t[i, j] = 1`` when
    ``j == y[i]`` and 0 otherwise: summed over the C classes, averaged over the N samples.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to ``x``.
    """
    check_array(x, "mse_loss: x", ndim=2, dims="(N, C)", floating=True)
    check_labels(y, "mse_loss: y", x.shape[0], x.shape[1])
    # TODO(a1_mse_loss): build the (N, C) one-hot targets from y, then the loss (squared
    # differences, halved, summed over classes, averaged over samples) and dx of shape (N, C).
    ### BEGIN SOLUTION
    N = x.shape[0]
    targets = np.zeros_like(x)
    targets[np.arange(N), y] = 1
    diff = x - targets
    loss = 0.5 * np.sum(diff * diff) / N
    dx = diff / N
    ### END SOLUTION
    return float(loss), dx

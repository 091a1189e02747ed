"""Weight penalties: L2 (weight decay) and L1 (sparsity), as ``(loss, dW)`` pairs.

Each takes a weight array and a strength ``reg`` and returns the penalty and its
gradient with respect to the weights, to be added to a data loss and its gradient. The
kit's L2 convention is ``0.5 * reg * sum(W**2)`` everywhere.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_positive

__all__ = ["l1_penalty", "l2_penalty"]


def l2_penalty(W, reg):
    """L2 penalty ``0.5 * reg * sum(W**2)`` and its gradient ``reg * W``.

    Parameters
    ----------
    W : ndarray of any shape
        Weights.
    reg : float
        Strength, >= 0.

    Returns
    -------
    loss : float
    dW : ndarray of W's shape
    """
    check_array(W, "l2_penalty: W", floating=True)
    check_positive(reg, "l2_penalty: reg", allow_zero=True)
    return float(0.5 * reg * np.sum(W * W)), reg * W


def l1_penalty(W, reg):
    """L1 penalty ``reg * sum(|W|)`` and its (sub)gradient.

    At ``W == 0``, where ``|w|`` has a kink, the gradient is 0.

    Parameters
    ----------
    W : ndarray of any shape
        Weights.
    reg : float
        Strength, >= 0.

    Returns
    -------
    loss : float
    dW : ndarray of W's shape and dtype
    """
    check_array(W, "l1_penalty: W", floating=True)
    check_positive(reg, "l1_penalty: reg", allow_zero=True)
    # TODO(a2_l1_penalty): the penalty is a float; dW has W's shape and dtype and is 0
    # where W is exactly 0.
    ### BEGIN SOLUTION
    loss = reg * np.sum(np.abs(W))
    dW = (reg * np.sign(W)).astype(W.dtype, copy=False)
    ### END SOLUTION
    return float(loss), dW

"""Data augmentation for image batches: random horizontal flips and random crops.

Both take a batch ``x`` of shape (N, C, H, W) and a ``numpy.random.Generator`` that
supplies every random draw, and return a new batch of the same shape (the input is
never modified). Apply them to training minibatches only, never to validation or test
data.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import check_array, check_positive

__all__ = ["random_crop", "random_flip"]


def random_flip(x, rng):
    """Flip each image left-right with probability 1/2, independently.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Images.
    rng : numpy.random.Generator
        The source of the random choices.

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
        A new array: ``out[i]`` is ``x[i]`` or ``x[i]`` mirrored along the width.
    """
    check_array(x, "random_flip: x", ndim=4, dims="(N, C, H, W)")
    # TODO(a2_random_flip_crop): choose for every image whether to flip it (probability
    # 1/2, from rng); a flip reverses the width axis. Return a new (N, C, H, W) array.
    ### BEGIN SOLUTION
    flip = rng.random(x.shape[0]) < 0.5
    out = x.copy()
    out[flip] = x[flip, :, :, ::-1]
    ### END SOLUTION
    return out


def random_crop(x, pad, rng):
    """Pad each image with ``pad`` zeros on every side, then crop a random H x W window.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Images.
    pad : int
        Zeros added on each side; the window's top-left corner is drawn uniformly from
        the ``(2 * pad + 1) ** 2`` positions, independently for every image.
    rng : numpy.random.Generator
        The source of the random offsets.

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
        A new array: ``x[i]`` shifted by up to ``pad`` pixels along each axis, with zeros
        where it was shifted in from outside.
    """
    check_array(x, "random_crop: x", ndim=4, dims="(N, C, H, W)")
    check_positive(pad, "random_crop: pad", allow_zero=True)
    # TODO(a2_random_flip_crop): zero-pad H and W by pad on both sides (np.pad), draw a
    # row and a column offset in [0, 2 * pad] for every image from rng, and copy out the
    # H x W window at that offset. Return a new (N, C, H, W) array.
    ### BEGIN SOLUTION
    N, _, H, W = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    rows = rng.integers(0, 2 * pad + 1, size=N)
    cols = rng.integers(0, 2 * pad + 1, size=N)
    out = np.empty_like(x)
    for i in range(N):
        out[i] = padded[i, :, rows[i] : rows[i] + H, cols[i] : cols[i] + W]
    ### END SOLUTION
    return out

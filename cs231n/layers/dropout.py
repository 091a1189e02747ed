"""Inverted dropout, parametrised by ``keep_prob``, the probability of KEEPING a unit.

At train time each unit is kept with probability ``keep_prob`` and the kept units are
divided by ``keep_prob``, so the expected output equals the input and test time needs
no rescaling: the layer is then the identity.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ConfigError, ShapeError, check_array, check_choice, check_keys, fail

__all__ = ["dropout_backward", "dropout_backward_inputs", "dropout_forward", "dropout_inputs"]


def dropout_inputs(x, dropout_param):
    """Check the inputs of :func:`dropout_forward` and read its options.

    Parameters
    ----------
    x : ndarray of any shape
    dropout_param : dict
        As in :func:`dropout_forward`.

    Returns
    -------
    keep_prob : float
        In (0, 1].
    mode : {"train", "test"}
    rng : numpy.random.Generator or the numpy.random module
        ``np.random.default_rng(seed)`` when ``dropout_param`` has a seed, else
        ``np.random`` (the global state); both have ``.random(shape)``.

    Raises
    ------
    ConfigError, ShapeError
        Saying what was expected, what was passed, and how to fix it (for instance
        CS231n's old key ``p``).
    """
    check_array(x, "dropout_forward: x", floating=True)
    for old in ("p", "dropout_keep_ratio"):
        if old in dropout_param:
            fail(
                "dropout_forward: dropout_param",
                "the key 'keep_prob' (the probability of KEEPING a unit)",
                f"the key {old!r}",
                f"rename it: dropout_param = {{'keep_prob': {dropout_param[old]!r}, ...}}",
                ConfigError,
            )
    check_keys(dropout_param, "dropout_forward: dropout_param", ("keep_prob", "mode", "seed"))
    keep_prob = dropout_param.get("keep_prob")
    if not isinstance(keep_prob, (int, float, np.floating, np.integer)) or not 0 < keep_prob <= 1:
        fail(
            "dropout_forward: dropout_param['keep_prob']",
            "a probability of keeping a unit, 0 < keep_prob <= 1",
            repr(keep_prob),
            "use 1.0 for no dropout",
            ConfigError,
        )
    mode = check_choice(
        dropout_param.get("mode"), "dropout_forward: dropout_param['mode']", ("train", "test")
    )
    seed = dropout_param.get("seed")
    rng = np.random.default_rng(seed) if seed is not None else np.random
    return keep_prob, mode, rng


def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    dropout_param : dict
        ``"keep_prob"`` (required): probability of keeping each unit, in (0, 1];
        ``"mode"`` (required): ``"train"`` or ``"test"``;
        ``"seed"`` (optional int): when given, the mask is drawn from
        ``np.random.default_rng(seed)`` and is the same at every call (for gradient
        checks); without it, from numpy's global generator (``np.random.seed``).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(dropout_param, mask)``: a copy of the dict and, in train mode, the mask of
        shape of x with entries 0 or 1 / keep_prob (None in test mode).
    """
    keep_prob, mode, rng = dropout_inputs(x, dropout_param)
    # TODO(a2_dropout_forward): in train mode, draw rng.random(x.shape), keep the units where
    # it is below keep_prob and divide the kept ones by keep_prob (one mask does both; give
    # it x's dtype).  In test mode the layer is the identity and mask = None.
    ### BEGIN SOLUTION
    if mode == "train":
        mask = ((rng.random(x.shape) < keep_prob) / keep_prob).astype(x.dtype)
        out = x * mask
    else:
        mask = None
        out = x.copy()
    ### END SOLUTION
    cache = (dict(dropout_param), mask)
    return out, cache


def dropout_backward_inputs(dout, cache):
    """Check the arguments of :func:`dropout_backward`; return its cache.

    Parameters
    ----------
    dout, cache
        As in :func:`dropout_backward`.

    Raises
    ------
    ShapeError
        Saying what was expected, what was passed, and how to fix it.
    """
    dropout_param, mask = cache
    check_array(dout, "dropout_backward: dout")
    if mask is not None and dout.shape != mask.shape:
        fail(
            "dropout_backward: dout",
            f"shape {mask.shape}, that of x",
            f"shape {dout.shape}",
            None,
            ShapeError,
        )
    return dropout_param, mask


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(dropout_param, mask)`` from :func:`dropout_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    dropout_param, mask = dropout_backward_inputs(dout, cache)
    # TODO(a2_dropout_backward): the gradient flows only through the kept units, scaled like
    # them; in test mode it passes unchanged.
    ### BEGIN SOLUTION
    if dropout_param["mode"] == "train":
        dx = dout * mask
    else:
        dx = dout.copy()
    ### END SOLUTION
    return dx

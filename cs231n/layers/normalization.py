"""Normalization layers: batch, layer, spatial batch and spatial group normalization.

All of them compute ``x_hat = (x - mean) / sqrt(var + eps)`` over some axes and return
``gamma * x_hat + beta``.  They differ in the axes:

==========================  ====================  ============================
layer                       normalizes over       gamma, beta
==========================  ====================  ============================
batchnorm (N, D)            the batch, per D      (D,)
layernorm (N, D)            the features, per N   (D,)
spatial batchnorm (NCHW)    N, H, W, per channel  (C,)
spatial groupnorm (NCHW)    C/G channels x H x W  (1, C, 1, 1)
==========================  ====================  ============================

Batch normalization behaves differently at test time: it then uses running averages
of the batch statistics, kept in ``bn_param`` with the exponential update
``running = momentum * running + (1 - momentum) * batch``.  Writing them back into
``bn_param`` is the one documented mutation of the layers package.  Variances are the
biased (1/N) batch variances, as in the forward pass.
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import (
    ConfigError,
    check_array,
    check_choice,
    check_keys,
    fail,
)

__all__ = [
    "batchnorm_backward",
    "batchnorm_backward_alt",
    "batchnorm_forward",
    "batchnorm_inputs",
    "groupnorm_inputs",
    "layernorm_backward",
    "layernorm_forward",
    "layernorm_inputs",
    "spatial_batchnorm_backward",
    "spatial_batchnorm_forward",
    "spatial_groupnorm_backward",
    "spatial_groupnorm_forward",
    "train_mode_cache",
]


def batchnorm_inputs(x, gamma, beta, bn_param, where="batchnorm_forward"):
    """Check the inputs of a batchnorm forward pass and read its options.

    Shared by :func:`batchnorm_forward` (x of shape (N, D)) and
    :func:`spatial_batchnorm_forward` (x of shape (N, C, H, W)), so that their bodies
    show only the computation.

    Parameters
    ----------
    x : ndarray of shape (N, D) or (N, C, H, W)
        Inputs: 2-D for ``where="batchnorm_forward"``, 4-D otherwise.
    gamma, beta : ndarray of shape (D,) or (C,)
    bn_param : dict
        As in :func:`batchnorm_forward`.
    where : str
        The calling layer's name, used in error messages.

    Returns
    -------
    mode : {"train", "test"}
    eps : float
    momentum : float
    running_mean, running_var : ndarray of shape (D,) or (C,)
        From ``bn_param``, or zeros of ``x.dtype`` when missing.

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    spatial = where != "batchnorm_forward"
    dims, per = ("(N, C, H, W)", "(C,)") if spatial else ("(N, D)", "(D,)")
    check_array(x, f"{where}: x", ndim=4 if spatial else 2, dims=dims, floating=True)
    D = x.shape[1]
    check_array(gamma, f"{where}: gamma", shape=(D,), dims=per)
    check_array(beta, f"{where}: beta", shape=(D,), dims=per)
    check_keys(
        bn_param, f"{where}: bn_param", ("mode", "eps", "momentum", "running_mean", "running_var")
    )
    mode = check_choice(bn_param.get("mode"), f"{where}: bn_param['mode']", ("train", "test"))
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    check_array(running_mean, f"{where}: bn_param['running_mean']", shape=(D,), dims=per)
    check_array(running_var, f"{where}: bn_param['running_var']", shape=(D,), dims=per)
    return mode, eps, momentum, running_mean, running_var


def train_mode_cache(dout, cache, where):
    """Check the arguments of a batchnorm backward pass; return the cache.

    Parameters
    ----------
    dout : ndarray of the shape of x_hat, the cache's first entry
    cache : tuple or None
        From a forward pass; None when that pass ran in test mode.
    where : str
        The calling layer's name, used in error messages.

    Returns
    -------
    cache : tuple

    Raises
    ------
    ConfigError, ShapeError
        Saying what was expected, what was passed, and how to fix it.
    """
    if cache is None:
        fail(
            f"{where}: cache",
            "the cache of a train-mode forward pass",
            "None (test mode keeps no cache)",
            "backpropagate only through forward passes in 'train' mode",
            ConfigError,
        )
    x_hat = cache[0]
    dims = "(N, D)" if x_hat.ndim == 2 else "(N, C, H, W)"
    check_array(dout, f"{where}: dout", shape=x_hat.shape, dims=dims)
    return cache


def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalization over a minibatch of feature vectors.

    In ``"train"`` mode each feature is normalized with the mean and (biased)
    variance of the minibatch, and the running averages are updated.  In ``"test"``
    mode the running averages are used instead and nothing is updated.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs.
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    bn_param : dict
        ``"mode"`` (required): ``"train"`` or ``"test"``; ``"eps"`` (default 1e-5);
        ``"momentum"`` (default 0.9); ``"running_mean"``, ``"running_var"``: arrays of
        shape (D,), created as zeros of ``x.dtype`` when missing.  The updated running
        averages are written back into ``bn_param``.

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : tuple or None
        ``(x_hat, xc, std, gamma)`` in train mode (``xc = x - mean``,
        ``std = sqrt(var + eps)``, both per feature); None in test mode.
    """
    mode, eps, momentum, running_mean, running_var = batchnorm_inputs(x, gamma, beta, bn_param)
    # TODO(a2_batchnorm_forward): in train mode, normalize with the batch mean and variance
    # in small named steps (the backward pass reuses them), then update the running
    # averages as momentum * running + (1 - momentum) * batch.  In test mode, normalize with
    # the running averages and set cache = None.
    ### BEGIN SOLUTION
    if mode == "train":
        mu = x.mean(axis=0)  # (D,)
        xc = x - mu  # (N, D)
        var = (xc**2).mean(axis=0)  # (D,)
        std = np.sqrt(var + eps)
        x_hat = xc / std
        out = gamma * x_hat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        cache = (x_hat, xc, std, gamma)
    else:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_hat + beta
        cache = None
    ### END SOLUTION

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization, step by step through the computational graph.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, xc, std, gamma)`` from a train-mode :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    x_hat, xc, std, gamma = train_mode_cache(dout, cache, "batchnorm_backward")
    # TODO(a2_batchnorm_backward): walk the forward steps in reverse: out -> x_hat -> (xc,
    # std) -> var -> mean -> x.  xc reaches x along three paths (directly, through the mean
    # and through the variance): add up their contributions.
    ### BEGIN SOLUTION
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # x_hat = xc / std
    dxc = dx_hat / std
    dstd = -(dx_hat * xc).sum(axis=0) / std**2
    # std = sqrt(var + eps)
    dvar = dstd / (2 * std)
    # var = mean(xc ** 2)
    dxc = dxc + 2 * xc * dvar / N
    # xc = x - mu, mu = mean(x)
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / N
    ### END SOLUTION
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalization from the simplified closed form.

    Gives the same result as :func:`batchnorm_backward`, with fewer operations:
    ``dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std``, with the
    means over the batch and ``dx_hat = dout * gamma``.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, xc, std, gamma)`` from a train-mode :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    x_hat, _, std, gamma = train_mode_cache(dout, cache, "batchnorm_backward_alt")
    # TODO(a2_batchnorm_backward_alt): derive dx on paper in terms of dx_hat = dout * gamma,
    # x_hat and std only; the result fits on one line with two means over the batch axis.
    ### BEGIN SOLUTION
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


def layernorm_inputs(x, gamma, beta, ln_param, where="layernorm_forward"):
    """Check the inputs of a layer-norm forward pass; return its ``eps``.

    Parameters
    ----------
    x, gamma, beta, ln_param
        As in :func:`layernorm_forward`.
    where : str
        The calling layer's name, used in error messages.

    Returns
    -------
    eps : float
        ``ln_param["eps"]``, 1e-5 when absent.

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_array(x, f"{where}: x", ndim=2, dims="(N, D)", floating=True)
    D = x.shape[1]
    check_array(gamma, f"{where}: gamma", shape=(D,), dims="(D,)")
    check_array(beta, f"{where}: beta", shape=(D,), dims="(D,)")
    check_keys(ln_param, f"{where}: ln_param", ("eps", "mode"))
    return ln_param.get("eps", 1e-5)


def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalization: each sample is normalized over its features.

    The same computation at train and test time, so there are no running averages.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs.
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    ln_param : dict
        ``"eps"`` (default 1e-5).  A ``"mode"`` key is accepted and ignored, so a model
        may hand the same kind of dict to every normalization layer.

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : tuple
        ``(x_hat, std, gamma)``, with ``std`` of shape (N, 1).
    """
    eps = layernorm_inputs(x, gamma, beta, ln_param)
    # TODO(a2_layernorm_forward): normalize each sample (each row of x) over its own D
    # features, then scale by gamma and shift by beta; out is (N, D), and the per-sample
    # statistics are (N, 1) columns.
    ### BEGIN SOLUTION
    mu = x.mean(axis=1, keepdims=True)  # (N, 1)
    xc = x - mu
    var = (xc**2).mean(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma)
    ### END SOLUTION
    return out, cache


def layernorm_backward(dout, cache):
    """Backward pass of layer normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma)`` from :func:`layernorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    x_hat, std, gamma = cache
    check_array(dout, "layernorm_backward: dout", shape=x_hat.shape, dims="(N, D)")
    # TODO(a2_layernorm_backward): gamma and beta still sum over the batch; dx is the
    # batchnorm closed form with the means taken over the features instead.
    ### BEGIN SOLUTION
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (
        dx_hat
        - dx_hat.mean(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).mean(axis=1, keepdims=True)
    ) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of spatial batch normalization: one mean and variance per channel.

    Every channel is normalized over all N x H x W of its positions in the minibatch.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    gamma : ndarray of shape (C,)
        Scale, per channel.
    beta : ndarray of shape (C,)
        Shift, per channel.
    bn_param : dict
        As in :func:`batchnorm_forward`, with running averages of shape (C,).

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : tuple or None
        ``(x_hat, std, gamma)`` in train mode, ``std`` of shape (1, C, 1, 1); None in
        test mode.
    """
    mode, eps, momentum, running_mean, running_var = batchnorm_inputs(
        x, gamma, beta, bn_param, where="spatial_batchnorm_forward"
    )
    C = x.shape[1]
    # TODO(a2_spatial_batchnorm): batchnorm where the statistics of channel c are taken over
    # axes (0, 2, 3); keepdims=True gives (1, C, 1, 1) arrays that broadcast against x.
    # Reshape gamma, beta and the running averages to (1, C, 1, 1) the same way.
    ### BEGIN SOLUTION
    axes = (0, 2, 3)
    g = gamma.reshape(1, C, 1, 1)
    b = beta.reshape(1, C, 1, 1)
    if mode == "train":
        mu = x.mean(axis=axes, keepdims=True)  # (1, C, 1, 1)
        xc = x - mu
        var = (xc**2).mean(axis=axes, keepdims=True)
        std = np.sqrt(var + eps)
        x_hat = xc / std
        out = g * x_hat + b
        running_mean = momentum * running_mean + (1 - momentum) * mu.reshape(C)
        running_var = momentum * running_var + (1 - momentum) * var.reshape(C)
        cache = (x_hat, std, gamma)
    else:
        mu = running_mean.reshape(1, C, 1, 1)
        std = np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
        out = g * ((x - mu) / std) + b
        cache = None
    ### END SOLUTION

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma)`` from a train-mode :func:`spatial_batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (C,)
    dbeta : ndarray of shape (C,)
    """
    x_hat, std, gamma = train_mode_cache(dout, cache, "spatial_batchnorm_backward")
    # TODO(a2_spatial_batchnorm): the batchnorm closed form, with every sum and mean over the
    # axes (0, 2, 3) of the N x H x W positions of each channel.
    ### BEGIN SOLUTION
    axes = (0, 2, 3)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    dx = (
        dx_hat
        - dx_hat.mean(axis=axes, keepdims=True)
        - x_hat * (dx_hat * x_hat).mean(axis=axes, keepdims=True)
    ) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


def groupnorm_inputs(x, gamma, beta, G, gn_param):
    """Check the inputs of :func:`spatial_groupnorm_forward`; return its ``eps``.

    Parameters
    ----------
    x, gamma, beta, G, gn_param
        As in :func:`spatial_groupnorm_forward`.

    Returns
    -------
    eps : float

    Raises
    ------
    ShapeError, ConfigError
        Saying what was expected, what was passed, and how to fix it (for a G that does
        not divide C, the numbers of groups that do).
    """
    check_array(x, "spatial_groupnorm_forward: x", ndim=4, dims="(N, C, H, W)", floating=True)
    C = x.shape[1]
    check_array(gamma, "spatial_groupnorm_forward: gamma", shape=(1, C, 1, 1), dims="(1, C, 1, 1)")
    check_array(beta, "spatial_groupnorm_forward: beta", shape=(1, C, 1, 1), dims="(1, C, 1, 1)")
    if not isinstance(G, (int, np.integer)) or G < 1 or C % G != 0:
        divisors = [g for g in range(1, C + 1) if C % g == 0]
        fail(
            "spatial_groupnorm_forward: G",
            f"a number of groups that divides C = {C}",
            repr(G),
            "use one of " + ", ".join(map(str, divisors)),
            ConfigError,
        )
    check_keys(gn_param, "spatial_groupnorm_forward: gn_param", ("eps", "mode"))
    eps = gn_param.get("eps", 1e-5)
    return eps


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Forward pass of spatial group normalization.

    The C channels of each sample are split into G groups of C // G consecutive
    channels; each group is normalized over its (C // G) x H x W values.  G = 1 is layer
    normalization over (C, H, W), G = C is instance normalization.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    gamma : ndarray of shape (1, C, 1, 1)
        Scale, per channel.
    beta : ndarray of shape (1, C, 1, 1)
        Shift, per channel.
    G : int
        Number of groups; must divide C.
    gn_param : dict
        ``"eps"`` (default 1e-5).  A ``"mode"`` key is accepted and ignored.

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : tuple
        ``(x_hat, std, gamma, G)``, ``x_hat`` of shape (N, C, H, W) and ``std`` of shape
        (N, G, 1, 1, 1).
    """
    eps = groupnorm_inputs(x, gamma, beta, G, gn_param)
    N, C, H, W = x.shape
    # TODO(a2_spatial_groupnorm): reshape x to (N, G, C // G, H, W) so that each group has
    # its own axis, normalize over the last three axes, reshape back, then scale and shift.
    ### BEGIN SOLUTION
    xg = x.reshape(N, G, C // G, H, W)
    axes = (2, 3, 4)
    mu = xg.mean(axis=axes, keepdims=True)  # (N, G, 1, 1, 1)
    xc = xg - mu
    var = (xc**2).mean(axis=axes, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (xc / std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma, G)
    ### END SOLUTION
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of spatial group normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma, G)`` from :func:`spatial_groupnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (1, C, 1, 1)
    dbeta : ndarray of shape (1, C, 1, 1)
    """
    x_hat, std, gamma, G = cache
    check_array(dout, "spatial_groupnorm_backward: dout", shape=x_hat.shape, dims="(N, C, H, W)")
    # TODO(a2_spatial_groupnorm): dgamma and dbeta sum over axes (0, 2, 3) with keepdims;
    # for dx, use the layernorm closed form inside each group, in the (N, G, C // G, H, W)
    # view.
    ### BEGIN SOLUTION
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    axes = (2, 3, 4)
    dxh = (dout * gamma).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    dx = (
        dxh - dxh.mean(axis=axes, keepdims=True) - xh * (dxh * xh).mean(axis=axes, keepdims=True)
    ) / std
    dx = dx.reshape(N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta

"""First-order update rules, written as pure functions.

Every rule has the signature::

    next_w, config = rule(w, dw, config=None)

Parameters
----------
w : ndarray
    The current weights (any shape).
dw : ndarray of the same shape as ``w``
    The gradient of the loss with respect to ``w``.
config : dict, optional
    Hyperparameters (``learning_rate``, ``momentum``, ...) and the rule's state
    (``velocity``, ``cache``, ``m``, ``v``, ``t``).  Missing hyperparameters get the
    defaults below; missing state starts at zero.  The dict is updated with the new
    state and returned, so pass the returned config to the next call.

Rules never modify ``w``, ``dw`` or a state array in place: they return new arrays.
An unknown key in ``config`` raises :class:`cs231n.validation.ConfigError` naming the
closest valid key.

=============  =====================================================  ==============
rule           defaults                                               state
=============  =====================================================  ==============
sgd            learning_rate 1e-2                                     (none)
sgd_momentum   learning_rate 1e-2, momentum 0.9                       velocity
nesterov       learning_rate 1e-2, momentum 0.9                       velocity
adagrad        learning_rate 1e-2, epsilon 1e-8                       cache
rmsprop        learning_rate 1e-2, decay_rate 0.99, epsilon 1e-8      cache
adam           learning_rate 1e-3, beta1 0.9, beta2 0.999,            m, v, t
               epsilon 1e-8
=============  =====================================================  ==============
"""

from __future__ import annotations

import difflib

import numpy as np

from cs231n.validation import ConfigError, ShapeError, check_array, fail

__all__ = [
    "RULES",
    "adagrad",
    "adam",
    "nesterov",
    "prepare_config",
    "rmsprop",
    "sgd",
    "sgd_momentum",
]


def prepare_config(rule, w, dw, config, defaults, state=()):
    """Validate the arguments of an update rule and fill in its default hyperparameters.

    Parameters
    ----------
    rule : str
        Name of the rule, used in error messages.
    w, dw : ndarray
        Weights and gradient; they must be floating arrays of the same shape.
    config : dict or None
        The caller's config.  ``None`` starts a new one.
    defaults : dict
        Hyperparameter names and their default values.
    state : tuple of str
        Names of the state entries the rule keeps in ``config``.

    Returns
    -------
    config : dict
        The same dict (or a new one), with every default filled in.
    """
    check_array(w, f"{rule}: w", floating=True)
    check_array(dw, f"{rule}: dw", floating=True)
    if dw.shape != w.shape:
        fail(
            f"{rule}: dw",
            f"the shape of w, {w.shape}",
            f"shape {dw.shape}",
            "pass the gradient of this very parameter",
            ShapeError,
        )
    if config is None:
        config = {}
    if not isinstance(config, dict):
        fail(f"{rule}: config", "a dict or None", type(config).__name__, None, TypeError)
    allowed = [*defaults, *state]
    for key in config:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "remove it"
            fail(
                f"{rule}: config",
                "keys among " + ", ".join(allowed),
                f"unknown key {key!r}",
                hint,
                ConfigError,
            )
    for key, value in defaults.items():
        config.setdefault(key, value)
    return config


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: ``w - learning_rate * dw``.

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` (default 1e-2).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config, defaults filled in.
    """
    config = prepare_config("sgd", w, dw, config, {"learning_rate": 1e-2})
    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum.

    .. math::

        v \\leftarrow \\mu v - \\alpha\\, dw, \\qquad w \\leftarrow w + v

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` alpha (default 1e-2), ``momentum`` mu in [0, 1) (default 0.9)
        and the state ``velocity`` v (default zeros like ``w``).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config with the new ``velocity``.
    """
    config = prepare_config(
        "sgd_momentum", w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",)
    )
    v = config["velocity"] if "velocity" in config else np.zeros_like(w)
    # TODO(a2_sgd_momentum): a new velocity v (same shape as w) from the old one, momentum,
    # learning_rate and dw; next_w is w moved by v. Store v in config["velocity"].
    ### BEGIN SOLUTION
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    ### END SOLUTION
    return next_w, config


def nesterov(w, dw, config=None):
    """Nesterov momentum in the "v_prev" form of the CS231n notes.

    The gradient ``dw`` is taken at the current ``w``; the look-ahead is folded into
    the update, so the rule needs no second gradient evaluation:

    .. math::

        v_{prev} = v, \\qquad v \\leftarrow \\mu v - \\alpha\\, dw, \\qquad
        w \\leftarrow w - \\mu\\, v_{prev} + (1 + \\mu)\\, v

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` alpha (default 1e-2), ``momentum`` mu (default 0.9) and the
        state ``velocity`` v (default zeros like ``w``).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config with the new ``velocity``.
    """
    config = prepare_config(
        "nesterov", w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",)
    )
    v = config["velocity"] if "velocity" in config else np.zeros_like(w)
    # TODO(a2_nesterov): keep the old velocity, compute the new one (same shape as w) as for
    # momentum, then next_w from w and both velocities (the rule in the docstring above).
    # Store the new velocity in config["velocity"].
    ### BEGIN SOLUTION
    mu = config["momentum"]
    v_prev = v
    v = mu * v - config["learning_rate"] * dw
    next_w = w - mu * v_prev + (1 + mu) * v
    config["velocity"] = v
    ### END SOLUTION
    return next_w, config


def adagrad(w, dw, config=None):
    """AdaGrad: per-parameter step sizes from the running sum of squared gradients.

    .. math::

        c \\leftarrow c + dw^2, \\qquad w \\leftarrow w - \\alpha\\, dw / (\\sqrt{c} + \\epsilon)

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` alpha (default 1e-2), ``epsilon`` (default 1e-8) and the
        state ``cache`` c (default zeros like ``w``).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config with the new ``cache``.
    """
    config = prepare_config(
        "adagrad", w, dw, config, {"learning_rate": 1e-2, "epsilon": 1e-8}, ("cache",)
    )
    cache = config["cache"] if "cache" in config else np.zeros_like(w)
    # TODO(a2_adagrad): accumulate the elementwise squared gradient into the cache (same
    # shape as w), then a step whose size per element is set by the cache and epsilon.
    # Store the cache in config["cache"].
    ### BEGIN SOLUTION
    cache = cache + dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    ### END SOLUTION
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp: AdaGrad with a leaky (exponentially decaying) cache.

    .. math::

        c \\leftarrow \\rho c + (1 - \\rho)\\, dw^2, \\qquad
        w \\leftarrow w - \\alpha\\, dw / (\\sqrt{c} + \\epsilon)

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` alpha (default 1e-2), ``decay_rate`` rho (default 0.99),
        ``epsilon`` (default 1e-8) and the state ``cache`` c (default zeros like ``w``).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config with the new ``cache``.
    """
    config = prepare_config(
        "rmsprop",
        w,
        dw,
        config,
        {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
        ("cache",),
    )
    cache = config["cache"] if "cache" in config else np.zeros_like(w)
    # TODO(a2_rmsprop): as AdaGrad, but the cache (same shape as w) is a leaky average with
    # weight decay_rate on the old cache. Store it in config["cache"].
    ### BEGIN SOLUTION
    rho = config["decay_rate"]
    cache = rho * cache + (1 - rho) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    ### END SOLUTION
    return next_w, config


def adam(w, dw, config=None):
    """Adam: momentum on the gradient and RMSProp scaling, both bias-corrected.

    The step counter ``t`` is incremented *before* it is used, so the first update
    uses t = 1:

    .. math::

        t &\\leftarrow t + 1 \\\\
        m &\\leftarrow \\beta_1 m + (1 - \\beta_1)\\, dw, \\qquad
        v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, dw^2 \\\\
        \\hat m &= m / (1 - \\beta_1^t), \\qquad \\hat v = v / (1 - \\beta_2^t) \\\\
        w &\\leftarrow w - \\alpha\\, \\hat m / (\\sqrt{\\hat v} + \\epsilon)

    Parameters
    ----------
    w : ndarray
        Weights.
    dw : ndarray of the same shape as ``w``
        Gradient of the loss with respect to ``w``.
    config : dict, optional
        ``learning_rate`` alpha (default 1e-3), ``beta1`` (0.9), ``beta2`` (0.999),
        ``epsilon`` (1e-8) and the state ``m``, ``v`` (zeros like ``w``) and ``t`` (0).

    Returns
    -------
    next_w : ndarray
        Updated weights (a new array).
    config : dict
        The config with the new ``m``, ``v`` and ``t``.
    """
    config = prepare_config(
        "adam",
        w,
        dw,
        config,
        {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        ("m", "v", "t"),
    )
    m = config["m"] if "m" in config else np.zeros_like(w)
    v = config["v"] if "v" in config else np.zeros_like(w)
    t = config.get("t", 0)
    # TODO(a2_adam): increment t first; update the two moving averages m and v (same shape
    # as w), bias-correct both for step t, then step w. Store m, v and t in config.
    ### BEGIN SOLUTION
    beta1, beta2 = config["beta1"], config["beta2"]
    t = t + 1
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    ### END SOLUTION
    return next_w, config


#: The update rules by name, as ``Solver(update_rule="adam")`` resolves them.
RULES = ("sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam")

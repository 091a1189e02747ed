"""Weight initialisers.

Each takes a ``shape``, a random source ``rng`` and a ``dtype`` and returns a new array
drawn from a zero-mean normal distribution whose standard deviation depends on the
*fans* of the layer (see :func:`fans`):

================  ==============================  ===================================
initialiser       standard deviation              use with
================  ==============================  ===================================
small_random      ``scale`` (default 1e-2)        shallow nets (CS231n's default)
xavier_init       ``sqrt(2 / (fan_in + fan_out))``  tanh / sigmoid (Glorot & Bengio 2010)
he_init           ``sqrt(2 / fan_in)``            ReLU (He et al. 2015)
================  ==============================  ===================================

``rng`` is a :class:`numpy.random.Generator`, an int seed, or None: numpy's global
state, so ``np.random.seed(231)`` repeats the draw as in CS231n (see :func:`make_rng`).
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ShapeError, fail

__all__ = [
    "GLOBAL_RANDOM",
    "GlobalRandom",
    "fans",
    "he_init",
    "make_rng",
    "small_random_init",
    "xavier_init",
]


class GlobalRandom:
    """numpy's global random state, seen through the Generator methods the kit uses.

    ``standard_normal(shape)`` draws what ``np.random.randn(*shape)`` draws, ``random``,
    ``permutation`` and ``choice`` are the legacy functions of the same names, and
    ``integers(low, high, size)`` is ``np.random.randint``; so after
    ``np.random.seed(231)`` a model built without ``seed=`` gets the same numbers as
    CS231n's code.  Copies (``copy.deepcopy(model)``) and pickles share the one global
    state instead of failing on a module.
    """

    def standard_normal(self, size=None):
        return np.random.standard_normal(size)  # noqa: NPY002

    def random(self, size=None):
        return np.random.random_sample(size)  # noqa: NPY002

    def permutation(self, x):
        return np.random.permutation(x)  # noqa: NPY002

    def choice(self, a, size=None, replace=True, p=None):
        return np.random.choice(a, size, replace, p)  # noqa: NPY002

    def integers(self, low, high=None, size=None):
        return np.random.randint(low, high, size)  # noqa: NPY002

    def __getattr__(self, name):
        return getattr(np.random, name)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __reduce__(self):
        return "GLOBAL_RANDOM"

    def __repr__(self):
        return "GLOBAL_RANDOM (numpy's global state, np.random.seed)"


#: The one :class:`GlobalRandom`; ``make_rng(None)`` returns it.
GLOBAL_RANDOM = GlobalRandom()


def make_rng(seed=None):
    """The random source of a model, a Solver or an initialiser.

    Parameters
    ----------
    seed : None, int, numpy.random.Generator or numpy.random.RandomState
        None gives numpy's global state (:data:`GLOBAL_RANDOM`), so that
        ``np.random.seed(231)`` reproduces a run as students expect from CS231n.
        An int gives ``np.random.default_rng(seed)``: an independent, reproducible stream
        that nothing else in the process disturbs.  A Generator, a RandomState or
        :data:`GLOBAL_RANDOM` is returned unchanged.

    Returns
    -------
    rng : numpy.random.Generator, numpy.random.RandomState or GlobalRandom
        Each provides ``standard_normal(shape)``, ``random``, ``permutation`` and
        ``choice``.
    """
    if seed is None:
        return GLOBAL_RANDOM
    if isinstance(seed, (np.random.Generator, np.random.RandomState, GlobalRandom)):
        return seed
    return np.random.default_rng(seed)


def fans(shape):
    """Fan-in and fan-out of a weight of the given shape.

    Parameters
    ----------
    shape : tuple of int
        ``(D, M)`` for an affine weight, or ``(F, C, HH, WW)`` for a conv filter bank.

    Returns
    -------
    fan_in, fan_out : int
        ``(D, M)`` for an affine weight; ``(C * HH * WW, F * HH * WW)`` for a conv weight
        (each output unit sees C*HH*WW inputs; each input feeds F*HH*WW outputs).
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 4:
        f, c, hh, ww = shape
        return c * hh * ww, f * hh * ww
    fail(
        "fans: shape",
        "a 2-D affine shape (D, M) or a 4-D conv shape (F, C, HH, WW)",
        f"{shape}",
        "biases are initialised to zero, not with an initialiser",
        ShapeError,
    )


def small_random_init(shape, scale=1e-2, rng=None, dtype=np.float64):
    """Normal weights with a fixed standard deviation ``scale`` (CS231n's ``weight_scale``).

    Parameters
    ----------
    shape : tuple of int
        Shape of the weight.
    scale : float
        Standard deviation (default 1e-2).
    rng : numpy.random.Generator or int or None
        Random source (None: numpy's global state; see :func:`make_rng`).
    dtype : numpy dtype
        dtype of the result (default float64).

    Returns
    -------
    w : ndarray of shape ``shape``
    """
    rng = make_rng(rng)
    return (scale * rng.standard_normal(shape)).astype(dtype)


def xavier_init(shape, rng=None, dtype=np.float64):
    """Xavier/Glorot normal initialisation: std ``sqrt(2 / (fan_in + fan_out))``.

    Keeps the variance of activations and of gradients roughly constant through layers
    with a symmetric, unit-slope activation such as tanh.

    Parameters
    ----------
    shape : tuple of int
        ``(D, M)`` or ``(F, C, HH, WW)``; see :func:`fans`.
    rng : numpy.random.Generator or int or None
        Random source (None: numpy's global state; see :func:`make_rng`).
    dtype : numpy dtype
        dtype of the result (default float64).

    Returns
    -------
    w : ndarray of shape ``shape``
    """
    fan_in, fan_out = fans(shape)
    rng = make_rng(rng)
    # TODO(a2_xavier_init): an array of `shape` drawn from rng.standard_normal, scaled to
    # the Xavier standard deviation (a function of fan_in and fan_out), as dtype.
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / (fan_in + fan_out))
    w = (std * rng.standard_normal(shape)).astype(dtype)
    ### END SOLUTION
    return w


def he_init(shape, rng=None, dtype=np.float64):
    """He/Kaiming normal initialisation: std ``sqrt(2 / fan_in)``.

    Keeps the scale of the activations roughly constant through layers of ReLU units
    (InitAndActivations asks why the factor is 2).

    Parameters
    ----------
    shape : tuple of int
        ``(D, M)`` or ``(F, C, HH, WW)``; see :func:`fans`.
    rng : numpy.random.Generator or int or None
        Random source (None: numpy's global state; see :func:`make_rng`).
    dtype : numpy dtype
        dtype of the result (default float64).

    Returns
    -------
    w : ndarray of shape ``shape``
    """
    fan_in, _ = fans(shape)
    rng = make_rng(rng)
    # TODO(a2_he_init): an array of `shape` drawn from rng.standard_normal, scaled to the
    # He standard deviation (a function of fan_in only), as dtype.
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / fan_in)
    w = (std * rng.standard_normal(shape)).astype(dtype)
    ### END SOLUTION
    return w

"""A three-layer convolutional network.

::

    conv (F filters HH x HH, stride 1, size-preserving padding) - relu - 2x2 max pool
    - affine (hidden_dim) - relu - affine (num_classes) - softmax

The conv-relu-pool block comes from :mod:`cs231n.layer_utils`, built on the fast layers,
so the net trains in reasonable time in pure numpy.  Regularization is
``0.5 * reg * sum(W**2)`` over W1, W2, W3.  Inputs are images (N, C, H, W) with C = 1 or 3
and even H and W; they are cast to the model's dtype.
"""

from __future__ import annotations

import numbers

import numpy as np

from cs231n.classifiers.model_io import SavableModel
from cs231n.initializers import make_rng
from cs231n.layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from cs231n.layers.affine import affine_backward, affine_forward
from cs231n.layers.losses import softmax_loss
from cs231n.validation import (
    ConfigError,
    ShapeError,
    check_array,
    check_labels,
    check_positive,
    fail,
)

__all__ = ["ThreeLayerConvNet", "convnet_loss_inputs", "three_layer_convnet_inputs"]


def convnet_loss_inputs(X, y, input_dim, dtype, num_classes):
    """Check a minibatch of :meth:`ThreeLayerConvNet.loss`; return X in the net's dtype.

    Parameters
    ----------
    X : ndarray of shape (N, C, H, W)
        Images shaped like ``input_dim``.
    y : ndarray of shape (N,), int, or None
        Labels in [0, num_classes).
    input_dim : tuple (C, H, W)
        The net's image shape.
    dtype : numpy dtype
        The net's dtype.
    num_classes : int
        Number of classes.

    Returns
    -------
    X : ndarray of shape (N, C, H, W), dtype ``dtype``
    """
    check_array(X, "ThreeLayerConvNet.loss: X", ndim=4, dims="(N, C, H, W)", floating=True)
    if X.shape[1:] != tuple(input_dim):
        fail(
            "ThreeLayerConvNet.loss: X",
            f"images of shape (N, {', '.join(map(str, input_dim))})",
            f"shape {X.shape}",
            "build the net with input_dim = X.shape[1:]",
            ShapeError,
        )
    if y is not None:
        check_labels(y, "ThreeLayerConvNet.loss: y", X.shape[0], num_classes)
    return X.astype(dtype, copy=False)


def three_layer_convnet_inputs(
    input_dim, num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg
):
    """Check the arguments of :class:`ThreeLayerConvNet`; return the image size.

    Parameters
    ----------
    input_dim, num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg
        As in :class:`ThreeLayerConvNet`.

    Returns
    -------
    C, H, W : int
        The shape of an input image.

    Raises
    ------
    ConfigError, ShapeError
        Saying which argument is wrong, what it should be, and what was passed.
    """
    if not (
        isinstance(input_dim, (tuple, list))
        and len(input_dim) == 3
        and all(isinstance(d, numbers.Integral) and d > 0 for d in input_dim)
    ):
        fail(
            "ThreeLayerConvNet: input_dim",
            "a tuple (C, H, W) of positive ints",
            repr(input_dim),
            None,
            ConfigError,
        )
    C, H, W = (int(d) for d in input_dim)
    if H % 2 or W % 2:
        fail(
            "ThreeLayerConvNet: input_dim",
            "even H and W, so that the 2x2 stride-2 pool tiles the image",
            f"H={H}, W={W}",
            "crop or pad the images by one pixel",
            ShapeError,
        )
    if not isinstance(filter_size, numbers.Integral) or filter_size < 1 or filter_size % 2 == 0:
        fail(
            "ThreeLayerConvNet: filter_size",
            "an odd positive int, so that padding (filter_size - 1) // 2 preserves H and W",
            repr(filter_size),
            "use 3, 5 or 7",
            ConfigError,
        )
    check_positive(num_filters, "ThreeLayerConvNet: num_filters")
    check_positive(hidden_dim, "ThreeLayerConvNet: hidden_dim")
    check_positive(num_classes, "ThreeLayerConvNet: num_classes")
    check_positive(weight_scale, "ThreeLayerConvNet: weight_scale")
    check_positive(reg, "ThreeLayerConvNet: reg", allow_zero=True)
    return C, H, W


class ThreeLayerConvNet(SavableModel):
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax.

    Parameters
    ----------
    input_dim : tuple (C, H, W)
        Shape of one input image; C is 1 or 3, H and W are even.
    num_filters : int
        F, the number of conv filters.
    filter_size : int
        HH = WW, the (odd) width and height of the filters.
    hidden_dim : int
        Width of the hidden affine layer.
    num_classes : int
        Number of classes.
    weight_scale : float
        Standard deviation of the normal initial weights (biases start at 0).
    reg : float
        Regularization strength.
    dtype : numpy dtype
        dtype of the parameters and of the computation (float32 to train, float64 for
        gradient checks).
    seed : int, optional
        Seed of the initial weights: an independent, reproducible stream.  Without it
        the weights come from numpy's global state (``np.random.seed``).

    Attributes
    ----------
    params : dict
        ``W1`` (F, C, HH, HH), ``b1`` (F,), ``W2`` (F*H/2*W/2, hidden_dim),
        ``b2`` (hidden_dim,), ``W3`` (hidden_dim, num_classes), ``b3`` (num_classes,).
    """

    def __init__(
        self,
        input_dim=(3, 32, 32),
        num_filters=32,
        filter_size=7,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float32,
        seed=None,
    ):
        C, H, W = three_layer_convnet_inputs(
            input_dim, num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg
        )
        self.input_dim = (C, H, W)
        self.num_classes = int(num_classes)
        self.filter_size = int(filter_size)
        self.reg = reg
        self.dtype = dtype
        self.params = {}
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        # TODO(a2_three_layer_convnet): W1 (num_filters, C, filter_size, filter_size),
        # W2 (num_filters * H//2 * W//2, hidden_dim) and W3 (hidden_dim, num_classes), drawn
        # from rng's normal distribution with standard deviation weight_scale; zero biases.
        ### BEGIN SOLUTION
        F, HH = num_filters, filter_size
        self.params["W1"] = weight_scale * rng.standard_normal((F, C, HH, HH))
        self.params["b1"] = np.zeros(F)
        self.params["W2"] = weight_scale * rng.standard_normal(
            (F * (H // 2) * (W // 2), hidden_dim)
        )
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * rng.standard_normal((hidden_dim, num_classes))
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION
        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients, on a minibatch of images.

        Parameters
        ----------
        X : ndarray of shape (N, C, H, W)
            Images shaped like ``input_dim``.
        y : ndarray of shape (N,), int, optional
            Labels.

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            When ``y`` is None.
        loss, grads : float, dict
            Otherwise.
        """
        X = convnet_loss_inputs(X, y, self.input_dim, self.dtype, self.num_classes)
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        conv_param = {"stride": 1, "pad": (self.filter_size - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        scores = None
        # TODO(a2_three_layer_convnet): forward pass with conv_relu_pool_forward(X, W1, b1,
        # conv_param, pool_param), affine_relu_forward and affine_forward; keep the caches.
        ### BEGIN SOLUTION
        pooled, cache1 = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        hidden, cache2 = affine_relu_forward(pooled, W2, b2)
        scores, cache3 = affine_forward(hidden, W3, b3)
        ### END SOLUTION
        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO(a2_three_layer_convnet): softmax_loss plus 0.5 * reg * sum(W**2) for W1, W2,
        # W3; backward through the three blocks; add reg * W to each weight gradient.
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, cache3)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, cache2)
        # The input images need no gradient: skip it (a quarter of the backward pass).
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, cache1, need_dx=False)
        for k, W in (("W1", W1), ("W2", W2), ("W3", W3)):
            grads[k] += self.reg * W
        ### END SOLUTION
        return float(loss), grads

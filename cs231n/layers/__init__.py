"""Layers as free functions: ``*_forward(...) -> (out, cache)``, ``*_backward(dout, cache)``.

``from cs231n.layers import *`` brings every layer into scope, as in CS231n's
``layers.py``.  The functions live in one module per concept:

* :mod:`cs231n.layers.affine` -- fully connected layer;
* :mod:`cs231n.layers.activations` -- ReLU, leaky ReLU, sigmoid, tanh, ELU, SiLU;
* :mod:`cs231n.layers.losses` -- softmax and SVM losses;
* :mod:`cs231n.layers.normalization` -- batch, layer, spatial batch and group norm;
* :mod:`cs231n.layers.dropout` -- inverted dropout (``keep_prob``);
* :mod:`cs231n.layers.conv` -- naive convolution and max pooling.

No layer mutates its inputs or ``dout``; the one documented side effect is that
batch normalization writes its running averages back into ``bn_param``.
"""

from cs231n.layers.activations import (
    elu_backward,
    elu_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    silu_backward,
    silu_forward,
    tanh_backward,
    tanh_forward,
)
from cs231n.layers.affine import affine_backward, affine_forward
from cs231n.layers.losses import softmax_loss, svm_loss

__all__ = [
    "affine_backward",
    "affine_forward",
    "elu_backward",
    "elu_forward",
    "leaky_relu_backward",
    "leaky_relu_forward",
    "relu_backward",
    "relu_forward",
    "sigmoid_backward",
    "sigmoid_forward",
    "silu_backward",
    "silu_forward",
    "softmax_loss",
    "svm_loss",
    "tanh_backward",
    "tanh_forward",
]

"""Layers as free functions: ``*_forward(...) -> (out, cache)``, ``*_backward(dout, cache)``.

``from cs231n.layers import *`` brings every layer into scope, as in CS231n's
``layers.py``.  The functions live in one module per concept:

* :mod:`cs231n.layers.affine` -- fully connected layer;
* :mod:`cs231n.layers.activations` -- ReLU, leaky ReLU, sigmoid, tanh, ELU, SiLU;
* :mod:`cs231n.layers.losses` -- softmax, SVM and mean squared error losses;
* :mod:`cs231n.layers.normalization` -- batch, layer, spatial batch and group norm;
* :mod:`cs231n.layers.dropout` -- inverted dropout (``keep_prob``);
* :mod:`cs231n.layers.conv` -- naive convolution, max and average pooling.

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
from cs231n.layers.conv import (
    avg_pool_backward_naive,
    avg_pool_forward_naive,
    conv_backward_naive,
    conv_forward_naive,
    conv_output_shape,
    max_pool_backward_naive,
    max_pool_forward_naive,
    pool_output_shape,
)
from cs231n.layers.dropout import dropout_backward, dropout_forward
from cs231n.layers.losses import mse_loss, softmax_loss, svm_loss
from cs231n.layers.normalization import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)

__all__ = [
    "affine_backward",
    "affine_forward",
    "avg_pool_backward_naive",
    "avg_pool_forward_naive",
    "batchnorm_backward",
    "batchnorm_backward_alt",
    "batchnorm_forward",
    "conv_backward_naive",
    "conv_forward_naive",
    "conv_output_shape",
    "dropout_backward",
    "dropout_forward",
    "elu_backward",
    "elu_forward",
    "layernorm_backward",
    "layernorm_forward",
    "leaky_relu_backward",
    "leaky_relu_forward",
    "max_pool_backward_naive",
    "max_pool_forward_naive",
    "mse_loss",
    "pool_output_shape",
    "relu_backward",
    "relu_forward",
    "sigmoid_backward",
    "sigmoid_forward",
    "silu_backward",
    "silu_forward",
    "softmax_loss",
    "spatial_batchnorm_backward",
    "spatial_batchnorm_forward",
    "spatial_groupnorm_backward",
    "spatial_groupnorm_forward",
    "svm_loss",
    "tanh_backward",
    "tanh_forward",
]

"""Compatibility module: assignment 2's checks now live in one module per notebook.

``from cs231n.checks.assignment2 import check_fc_net_normalization`` keeps working; new
code imports ``from cs231n.checks import ...`` or the notebook's module
(``cs231n.checks.FullyConnectedNets``).
"""

from cs231n.checks import (
    BatchNormalization,
    ConvolutionalNetworks,
    Dropout,
    FullyConnectedNets,
    HyperparameterSearch,
    InitAndActivations,
)

for _mod in (
    FullyConnectedNets,
    InitAndActivations,
    HyperparameterSearch,
    BatchNormalization,
    Dropout,
    ConvolutionalNetworks,
):
    globals().update({k: v for k, v in vars(_mod).items() if not k.startswith("__")})
del _mod

from cs231n.checks.common import EXPECTED_DIR, _load  # noqa: E402,F401  (the builder's paths)

#: which notebook's expected values each key prefix belongs to (the build step reads it)
EXPECTED_KEYS = {
    "FullyConnectedNets": ("fc_net", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam"),
    "InitAndActivations": ("leaky_relu", "sigmoid", "tanh", "elu", "silu"),
    "HyperparameterSearch": ("step_decay", "cosine_decay", "linear_warmup"),
    "BatchNormalization": ("batchnorm", "layernorm"),
    "Dropout": (),
    "ConvolutionalNetworks": (
        "conv",
        "max_pool",
        "three_layer_convnet",
        "spatial_batchnorm",
        "spatial_groupnorm",
    ),
}

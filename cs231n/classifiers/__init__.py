"""Classifiers and models: kNN, linear classifiers, fully connected and convolutional nets.

``from cs231n.classifiers import TwoLayerNet`` works as in CS231n.  The neural-network
models are imported on first use, so the kNN and linear notebooks never import the
layer modules.

Built without ``seed=``, every model draws from numpy's global state, so
``np.random.seed(231)`` reproduces it as in CS231n.  ``TwoLayerNet``,
``FullyConnectedNet`` and ``ThreeLayerConvNet`` have ``save(path)`` / ``load(path)``
(``.npz``, no pickle; see :mod:`cs231n.classifiers.model_io`).
"""

from cs231n.classifiers.k_nearest_neighbor import KNearestNeighbor
from cs231n.classifiers.linear_classifier import LinearClassifier, LinearSVM, Softmax

__all__ = [
    "FullyConnectedNet",
    "KNearestNeighbor",
    "LinearClassifier",
    "LinearSVM",
    "Softmax",
    "ThreeLayerConvNet",
    "TwoLayerNet",
]

_LAZY = {
    "TwoLayerNet": "cs231n.classifiers.fc_net",
    "FullyConnectedNet": "cs231n.classifiers.fc_net",
    "ThreeLayerConvNet": "cs231n.classifiers.cnn",
}


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cs231n.classifiers' has no attribute {name!r}")

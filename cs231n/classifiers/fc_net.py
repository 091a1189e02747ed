"""Fully connected networks: the two-layer net and a net of any depth.

Both models follow the Solver's model contract:

* ``model.params``: dict name -> ndarray (``W1, b1, W2, b2, ...``; ``gamma1, beta1,
  ...`` with normalization);
* ``model.loss(X, y=None)``: scores of shape (N, C) when ``y`` is None, else
  ``(loss, grads)`` with ``grads`` keyed like ``params``.

Inputs may be rows (N, D) or images (N, C, H, W) with C*H*W = D (1 or 3 channels).
They are cast to the model's ``dtype`` (float32 by default for ``FullyConnectedNet``,
float64 for ``TwoLayerNet``): a float32 model computes in float32 throughout.

Regularization is ``0.5 * reg * sum(W**2)`` over the weight matrices (not the biases,
not gamma/beta), so its gradient is ``reg * W``.

The layers are called through the names imported at the top of this module, so
``cs231n.plug_in(affine_forward)`` makes the models use a student's layer.
"""

from __future__ import annotations

import numbers
import zlib

import numpy as np

from cs231n import layer_utils as _layer_utils
from cs231n import layers as _layers
from cs231n.classifiers.model_io import SavableModel
from cs231n.initializers import he_init, make_rng, small_random_init, xavier_init
from cs231n.layer_utils import *  # noqa: F403  (CS231n's fc_net re-exports the layers)
from cs231n.layer_utils import affine_relu_backward, affine_relu_forward
from cs231n.layers import *  # noqa: F403
from cs231n.layers.activations import relu_backward, relu_forward
from cs231n.layers.affine import affine_backward, affine_forward
from cs231n.layers.dropout import dropout_backward, dropout_forward
from cs231n.layers.losses import softmax_loss
from cs231n.layers.normalization import (
    batchnorm_backward,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
)
from cs231n.validation import (
    ConfigError,
    ShapeError,
    check_array,
    check_choice,
    check_labels,
    check_positive,
    fail,
)

# As in CS231n, ``from cs231n.classifiers.fc_net import *`` also brings every layer
# (affine_*, relu_*, svm_loss, softmax_loss, batchnorm_*, layernorm_*, dropout_*, conv and
# pool layers) and the sandwich layers of cs231n.layer_utils.
__all__ = [
    "FullyConnectedNet",
    "TwoLayerNet",
    "check_model_input",
    "fc_net_inputs",
    "two_layer_net_inputs",
    *_layers.__all__,
    *_layer_utils.__all__,
]


def check_model_input(X, y, input_dim, dtype, num_classes, name):
    """Validate a model's minibatch and cast X to the model's dtype.

    Parameters
    ----------
    X : ndarray of shape (N, D) or (N, C, H, W)
        Inputs, with D (or C*H*W) equal to ``input_dim``.
    y : ndarray of shape (N,), int, or None
        Labels in [0, num_classes).
    input_dim : int
        Features per sample the model expects.
    dtype : numpy dtype
        The model's dtype.
    num_classes : int
        Number of classes.
    name : str
        The calling model, for error messages.

    Returns
    -------
    X : ndarray of the same shape, dtype ``dtype``
    """
    check_array(X, f"{name}.loss: X", dims="(N, D) or (N, C, H, W)", floating=True)
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != input_dim:
        fail(
            f"{name}.loss: X",
            f"samples of D = {input_dim} features, shape (N, {input_dim}) or (N, C, H, W)",
            f"shape {X.shape}",
            "build the model with input_dim matching your data",
            ShapeError,
        )
    if y is not None:
        check_labels(y, f"{name}.loss: y", X.shape[0], num_classes)
    return X.astype(dtype, copy=False)


# Names CS231n used for dropout, and what to write instead.
RENAMED_OPTIONS = {
    "dropout_keep_ratio": "keep_prob",
    "dropout": "keep_prob (the probability of KEEPING a unit: keep_prob = 1 - dropout)",
    "p": "keep_prob",
    "use_batchnorm": 'normalization="batchnorm"',
}


def two_layer_net_inputs(input_dim, hidden_dim, num_classes, weight_scale, reg):
    """Check the arguments of :class:`TwoLayerNet`; return ``input_dim`` as an int.

    Parameters
    ----------
    input_dim, hidden_dim, num_classes, weight_scale, reg
        As in :class:`TwoLayerNet` (``input_dim`` may be an image shape (C, H, W)).

    Returns
    -------
    input_dim : int
        D, the size of an input.

    Raises
    ------
    ConfigError
        Saying which argument is wrong, what it should be, and what was passed.
    """
    if isinstance(input_dim, (tuple, list)):
        input_dim = int(np.prod(input_dim))
    check_positive(input_dim, "TwoLayerNet: input_dim")
    check_positive(hidden_dim, "TwoLayerNet: hidden_dim")
    check_positive(num_classes, "TwoLayerNet: num_classes")
    check_positive(weight_scale, "TwoLayerNet: weight_scale")
    check_positive(reg, "TwoLayerNet: reg", allow_zero=True)
    return int(input_dim)


def fc_net_inputs(hidden_dims, keep_prob, normalization, reg, weight_scale, dtype, seed, unknown):
    """Check the arguments of :class:`FullyConnectedNet`; return ``hidden_dims`` as a list.

    Parameters
    ----------
    hidden_dims, keep_prob, normalization, reg, weight_scale, dtype, seed
        As in :class:`FullyConnectedNet` (``hidden_dims`` may be a single int).
    unknown : dict
        The keyword arguments the model does not take (CS231n's option names among them).

    Returns
    -------
    hidden_dims : list of int

    Raises
    ------
    ConfigError
        Saying which argument is wrong, what it should be, and what was passed (for an
        option CS231n spelled differently, the name to use).
    """
    if unknown:
        name = sorted(unknown)[0]
        fail(
            "FullyConnectedNet",
            "keyword arguments among hidden_dims, input_dim, num_classes, keep_prob, "
            "normalization, reg, weight_scale, dtype, seed",
            f"unknown argument {name!r}",
            f"use {RENAMED_OPTIONS[name]}" if name in RENAMED_OPTIONS else "check the spelling",
            ConfigError,
        )
    if isinstance(hidden_dims, numbers.Integral):
        hidden_dims = [hidden_dims]
    hidden_dims = list(hidden_dims)
    if not all(isinstance(h, numbers.Integral) and h > 0 for h in hidden_dims):
        fail(
            "FullyConnectedNet: hidden_dims",
            "a list of positive ints",
            repr(hidden_dims),
            None,
            ConfigError,
        )
    check_choice(
        normalization, "FullyConnectedNet: normalization", (None, "batchnorm", "layernorm")
    )
    if not isinstance(keep_prob, numbers.Real) or not 0 < keep_prob <= 1:
        fail(
            "FullyConnectedNet: keep_prob",
            "the probability of keeping a unit, in (0, 1]",
            repr(keep_prob),
            "use keep_prob=1.0 for no dropout",
            ConfigError,
        )
    if isinstance(weight_scale, str):
        check_choice(weight_scale, "FullyConnectedNet: weight_scale", ("xavier", "he"))
    else:
        check_positive(weight_scale, "FullyConnectedNet: weight_scale")
    check_positive(reg, "FullyConnectedNet: reg", allow_zero=True)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        fail("FullyConnectedNet: seed", "an int or None", repr(seed), None, ConfigError)
    if not np.issubdtype(np.dtype(dtype), np.floating):
        fail("FullyConnectedNet: dtype", "a floating dtype", repr(dtype), None, ConfigError)
    return hidden_dims


class TwoLayerNet(SavableModel):
    """Two-layer fully connected net: affine - relu - affine - softmax.

    Parameters
    ----------
    input_dim : int or tuple
        D, the size of an input (e.g. 3*32*32, or 1*28*28 for the default dataset); a
        shape (C, H, W) is accepted too.
    hidden_dim : int
        M, the width of the hidden layer.
    num_classes : int
        C, the number of classes.
    weight_scale : float
        Standard deviation of the normal initial weights (biases start at 0).
    reg : float
        Regularization strength (``0.5 * reg * sum(W**2)``).
    dtype : numpy dtype
        dtype of the parameters and of the computation (default float64).
    seed : int, optional
        Seed of the initial weights: an independent, reproducible stream.  Without it
        the weights come from numpy's global state, so ``np.random.seed(231)`` before
        building the net reproduces it (and CS231n's ``np.random.randn`` numbers).

    Attributes
    ----------
    params : dict
        ``W1`` (D, M), ``b1`` (M,), ``W2`` (M, C), ``b2`` (C,).
    """

    def __init__(
        self,
        input_dim=3 * 32 * 32,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float64,
        seed=None,
    ):
        input_dim = two_layer_net_inputs(input_dim, hidden_dim, num_classes, weight_scale, reg)
        self.input_dim, self.num_classes = int(input_dim), int(num_classes)
        self.reg = reg
        self.dtype = dtype
        self.params = {}
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        # TODO(a1_two_layer_net): in self.params, W1 (input_dim, hidden_dim) and W2
        # (hidden_dim, num_classes) drawn from rng's normal distribution with standard
        # deviation weight_scale, and zero biases b1 (hidden_dim,) and b2 (num_classes,).
        ### BEGIN SOLUTION
        self.params["W1"] = weight_scale * rng.standard_normal((input_dim, hidden_dim))
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * rng.standard_normal((hidden_dim, num_classes))
        self.params["b2"] = np.zeros(num_classes)
        ### END SOLUTION
        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients, on a minibatch.

        Parameters
        ----------
        X : ndarray of shape (N, D) or (N, C, H, W)
            Inputs.
        y : ndarray of shape (N,), int, optional
            Labels.

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            When ``y`` is None.
        loss, grads : float, dict
            Otherwise: the softmax loss plus ``0.5 * reg * (sum(W1**2) + sum(W2**2))``,
            and the gradients keyed like ``params``.
        """
        X = check_model_input(X, y, self.input_dim, self.dtype, self.num_classes, "TwoLayerNet")
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        scores = None
        # TODO(a1_two_layer_net): forward pass: affine_relu_forward, then affine_forward;
        # keep both caches.
        ### BEGIN SOLUTION
        hidden, cache1 = affine_relu_forward(X, W1, b1)
        scores, cache2 = affine_forward(hidden, W2, b2)
        ### END SOLUTION
        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO(a1_two_layer_net): softmax_loss on the scores, plus 0.5 * reg * sum(W**2) for
        # W1 and W2; backward through both layers; add reg * W to dW1 and dW2.
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dhidden, grads["W2"], grads["b2"] = affine_backward(dscores, cache2)
        _, grads["W1"], grads["b1"] = affine_relu_backward(dhidden, cache1)
        grads["W2"] += self.reg * W2
        grads["W1"] += self.reg * W1
        ### END SOLUTION
        return float(loss), grads


class FullyConnectedNet(SavableModel):
    """A fully connected net of any depth, with optional normalization and dropout.

    Architecture, for L = len(hidden_dims) + 1 layers::

        {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    Parameters
    ----------
    hidden_dims : list of int
        Widths of the hidden layers.
    input_dim : int or tuple
        D, the size of an input, or the shape (C, H, W) of an input image.
    num_classes : int
        C, the number of classes.
    keep_prob : float
        Probability of *keeping* a unit in dropout, in (0, 1]; 1 means no dropout.
    normalization : {None, "batchnorm", "layernorm"}
        Normalization after each hidden affine layer (never after the last layer).
    reg : float
        Regularization strength (``0.5 * reg * sum(W**2)`` over all weights).
    weight_scale : float or {"xavier", "he"}
        Standard deviation of the normal initial weights, or the name of an initialiser
        of :mod:`cs231n.initializers`.  Biases start at 0, gamma at 1, beta at 0.
    dtype : numpy dtype
        dtype of the parameters and of the computation: float32 to train, float64 for
        gradient checks.
    seed : int, optional
        Makes the initial weights and the dropout masks deterministic, independently of
        numpy's global state.  The mask of a forward pass is then drawn from the seed
        and the minibatch's content, so it is the same for repeated passes on the same X
        (as gradient checks need) and different from one minibatch to the next.  Without
        a seed, weights and masks come from numpy's global state, so ``np.random.seed``
        reproduces a run as in CS231n.

    Attributes
    ----------
    params : dict
        ``W1..WL``, ``b1..bL``, and ``gamma1..``, ``beta1..`` for the hidden layers with
        normalization.
    bn_params : list of dict
        One dict per normalization layer (running averages, mode).
    dropout_param : dict
        ``{"keep_prob", "mode"}`` (plus ``"seed"`` with a seed) when dropout is on.
    """

    def __init__(
        self,
        hidden_dims,
        input_dim=3 * 32 * 32,
        num_classes=10,
        keep_prob=1.0,
        normalization=None,
        reg=0.0,
        weight_scale=1e-2,
        dtype=np.float32,
        seed=None,
        **unknown,
    ):
        hidden_dims = fc_net_inputs(
            hidden_dims, keep_prob, normalization, reg, weight_scale, dtype, seed, unknown
        )
        self.input_dim = int(np.prod(input_dim))
        self.num_classes = int(num_classes)
        self.normalization = normalization
        self.use_dropout = keep_prob != 1
        self.reg = reg
        self.num_layers = 1 + len(hidden_dims)
        self.dtype = dtype
        self.seed = seed
        self.params = {}
        self.rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        # TODO(a2_fc_net): for each layer i = 1..L create W{i} with
        # self.init_weight((fan_in, fan_out), weight_scale) and a zero bias b{i}; with
        # normalization, also gamma{i} (ones) and beta{i} (zeros) for every hidden layer.
        ### BEGIN SOLUTION
        dims = [self.input_dim, *hidden_dims, self.num_classes]
        for i in range(1, self.num_layers + 1):
            self.params[f"W{i}"] = self.init_weight((dims[i - 1], dims[i]), weight_scale)
            self.params[f"b{i}"] = np.zeros(dims[i])
            if normalization is not None and i < self.num_layers:
                self.params[f"gamma{i}"] = np.ones(dims[i])
                self.params[f"beta{i}"] = np.zeros(dims[i])
        ### END SOLUTION

        # One dict per normalization layer, and one shared dropout dict; loss() sets
        # their mode. Batchnorm keeps its running averages in its dict.
        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "keep_prob": float(keep_prob)}
        self.bn_params = []
        if normalization is not None:
            self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def init_weight(self, shape, weight_scale):
        """A new weight of ``shape``: ``weight_scale * randn``, or Xavier / He by name."""
        if weight_scale == "xavier":
            return xavier_init(shape, rng=self.rng, dtype=self.dtype)
        if weight_scale == "he":
            return he_init(shape, rng=self.rng, dtype=self.dtype)
        return small_random_init(shape, scale=weight_scale, rng=self.rng, dtype=self.dtype)

    def _dropout_seed(self, X):
        """Seed of this pass's dropout masks: from the model seed and the batch content."""
        return (self.seed * 1_000_003 + zlib.crc32(X.tobytes())) % (2**31)

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients, on a minibatch.

        Parameters
        ----------
        X : ndarray of shape (N, D) or (N, C, H, W)
            Inputs.
        y : ndarray of shape (N,), int, optional
            Labels.  None runs the net in test mode (no dropout, running batchnorm
            statistics) and returns the scores.

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            When ``y`` is None.
        loss, grads : float, dict
            Otherwise.
        """
        X = check_model_input(
            X, y, self.input_dim, self.dtype, self.num_classes, "FullyConnectedNet"
        )
        mode = "test" if y is None else "train"
        if self.use_dropout:
            self.dropout_param["mode"] = mode
            if self.seed is not None:
                self.dropout_param["seed"] = self._dropout_seed(X)
        for bn_param in self.bn_params:
            bn_param["mode"] = mode
        scores = None
        # TODO(a2_fc_net): forward pass. For each hidden layer i: affine_forward, then
        # batchnorm_forward / layernorm_forward with gamma{i}, beta{i}, self.bn_params[i-1]
        # (if normalization), relu_forward, then dropout_forward with self.dropout_param
        # (if self.use_dropout). The last layer is a plain affine_forward. Keep every cache.
        ### BEGIN SOLUTION
        caches = []
        out = X
        for i in range(1, self.num_layers):
            layer = {}
            out, layer["affine"] = affine_forward(out, self.params[f"W{i}"], self.params[f"b{i}"])
            if self.normalization == "batchnorm":
                out, layer["norm"] = batchnorm_forward(
                    out, self.params[f"gamma{i}"], self.params[f"beta{i}"], self.bn_params[i - 1]
                )
            elif self.normalization == "layernorm":
                out, layer["norm"] = layernorm_forward(
                    out, self.params[f"gamma{i}"], self.params[f"beta{i}"], self.bn_params[i - 1]
                )
            out, layer["relu"] = relu_forward(out)
            if self.use_dropout:
                out, layer["dropout"] = dropout_forward(out, self.dropout_param)
            caches.append(layer)
        L = self.num_layers
        scores, last_cache = affine_forward(out, self.params[f"W{L}"], self.params[f"b{L}"])
        ### END SOLUTION
        if mode == "test":
            return scores

        loss, grads = 0.0, {}
        # TODO(a2_fc_net): softmax_loss plus 0.5 * reg * sum(W**2) over every W{i}; then the
        # backward pass in reverse order, filling grads like self.params (add reg * W{i}).
        ### BEGIN SOLUTION
        loss, dout = softmax_loss(scores, y)
        for i in range(1, L + 1):
            W = self.params[f"W{i}"]
            loss += 0.5 * self.reg * np.sum(W * W)
        dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dout, last_cache)
        for i in range(L - 1, 0, -1):
            layer = caches[i - 1]
            if self.use_dropout:
                dout = dropout_backward(dout, layer["dropout"])
            dout = relu_backward(dout, layer["relu"])
            if self.normalization == "batchnorm":
                dout, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward(
                    dout, layer["norm"]
                )
            elif self.normalization == "layernorm":
                dout, grads[f"gamma{i}"], grads[f"beta{i}"] = layernorm_backward(
                    dout, layer["norm"]
                )
            if i > 1:
                dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, layer["affine"])
            else:
                # The input X needs no gradient: skip dx = dout @ W1.T, the widest product
                # of the backward pass, and compute only dW1 and db1.
                X_rows = X.reshape(X.shape[0], -1)
                grads["W1"], grads["b1"] = X_rows.T @ dout, dout.sum(axis=0)
        for i in range(1, L + 1):
            grads[f"W{i}"] += self.reg * self.params[f"W{i}"]
        ### END SOLUTION
        return float(loss), grads

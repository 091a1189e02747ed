# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fully connected networks of any depth, and better optimizers
#
# In assignment 1 you built a two-layer network from modular layers: every layer is a pair
# `layer_forward(x, ...) -> (out, cache)` and `layer_backward(dout, cache) -> grads`, and a
# model chains them. Here you generalise that to a network of **any depth**, then replace
# plain SGD with the update rules that make deep networks train in practice: momentum,
# Nesterov momentum, AdaGrad, RMSProp and Adam.
#
# The layers (`affine_forward`, `relu_forward`, `softmax_loss`, ...) come from the reference
# package, so a mistake in assignment 1 cannot cost you points here. `batchnorm_forward`
# and `dropout_forward` appear in the model too: they are the subjects of the
# BatchNormalization and Dropout notebooks, where you will use the model you write here.
#
# Every `check_...` cell **asserts**: it prints one line when your code is right and
# raises an error that names the wrong element, the expected value and, for common
# mistakes, the likely cause when it is not.

# %% role="setup"
# Setup. In Google Colab this installs the kit; on your own machine it does nothing.
import os
import sys

try:
    import google.colab  # noqa: F401

    IN_COLAB = True
except ImportError:
    IN_COLAB = False

if IN_COLAB:
    import glob
    import importlib
    import subprocess

    # The release zip holds a wheel, cs231n_kit-<version>-py3-none-any.whl. Upload it
    # (Files panel) next to this notebook, or keep it anywhere under /content.
    _wheels = sorted(
        glob.glob("cs231n_kit-*.whl")
        + glob.glob("/content/cs231n_kit-*.whl")
        + glob.glob("/content/*/cs231n_kit-*.whl")
        + glob.glob("/content/*/*/cs231n_kit-*.whl")
        + glob.glob("/content/drive/MyDrive/**/cs231n_kit-*.whl", recursive=True)
    )
    if not _wheels:
        raise FileNotFoundError(
            "Setup: no cs231n_kit-*.whl found in this folder or under /content. "
            "Fix: upload the .whl file from the assignment's release zip with the Files "
            "panel (left), then run this cell again."
        )
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", _wheels[-1]], check=True)
    importlib.invalidate_caches()
    os.environ.setdefault("CS231N_DATA_DIR", "/content/cs231n_data")
    print("cs231n installed from", _wheels[-1])

# %% role="imports"
# Imports (generated from the package by autograder.authoring.sync).
import matplotlib.pyplot as plt
import numpy as np

from cs231n import plug_in, unplug
from cs231n.checks import report_accuracy
from cs231n.data import load_dataset

# Names the code you write may use:
import numbers
import zlib
from cs231n.classifiers.fc_net import RENAMED_OPTIONS, check_model_input
from cs231n.initializers import he_init, make_rng, small_random_init, xavier_init
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
from cs231n.optim import prepare_config
from cs231n.validation import ConfigError, check_choice, check_positive, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_fc_net,
    check_sgd_momentum,
    check_nesterov,
    check_adagrad,
    check_rmsprop,
    check_adam,
)

# --- notebook imports ---
from cs231n.gradient_check import eval_numerical_gradient
from cs231n.optim import sgd
from cs231n.solver import Solver
from cs231n.course.testing import rel_error
from cs231n.vis_utils import plot_history

# %% [markdown]
# ## Data
#
# `load_dataset()` returns the embedded Fashion-MNIST subset (10 000 training images of
# 1x28x28 clothes, 10 classes, the mean image already subtracted), which works offline.
# If you have downloaded CIFAR-10 (`python -m cs231n.data fetch cifar10`), set
# `DATASET = "cifar10"` to use it instead. We divide the pixels by their standard deviation
# so that the inputs have unit variance, which makes the learning rates below transfer
# between datasets.
#
# **Targets.** The best model at the end of this notebook should reach a validation
# accuracy of at least **84%** on the default dataset (**50%** on CIFAR-10).

# %%
DATASET = "default"  # or "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
for key in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
    print(f"{key}: {data[key].shape}")
print("classes:", data["class_names"])


# %% [markdown]
# ## 1. A fully connected network of any depth
#
# `FullyConnectedNet(hidden_dims, ...)` has `L = len(hidden_dims) + 1` layers:
#
# $$\{\text{affine} - [\text{norm}] - \text{ReLU} - [\text{dropout}]\} \times (L-1) - \text{affine} - \text{softmax}$$
#
# * Parameters live in `self.params` with keys `W1, b1, ..., WL, bL` (layers are numbered
#   from 1); with normalization also `gamma1, beta1, ...` for every **hidden** layer.
#   Weights come from `self.init_weight(shape, weight_scale)` (provided: `weight_scale`
#   times a standard normal, or Xavier / He by name), biases start at zero.
# * `loss(X)` (no labels) returns the scores `(N, C)`; `loss(X, y)` returns the loss and a
#   dict of gradients with the same keys as `self.params`.
# * Regularization is `0.5 * reg * sum(W**2)` summed over **every** weight matrix (never
#   the biases), so its gradient is `reg * W`.
# * Use the layer functions the imports cell provides (`affine_forward`, `relu_forward`,
#   `batchnorm_forward`, `layernorm_forward`, `dropout_forward`, `softmax_loss` and their
#   backward passes). Keep each layer's cache: the backward pass consumes them in reverse
#   order.
#
# The normalization and dropout branches are short; write them now (the check below only
# tests the plain network), they are checked in the BatchNormalization and Dropout
# notebooks.

# %% role="solution" task="a2_fc_net"
class FullyConnectedNet:
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


# %% role="test" task="a2_fc_net"
check_fc_net(FullyConnectedNet)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_fc_net", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Sanity checks
#
# With small random weights the scores are all close to 0, so the softmax is close to
# uniform and the initial loss should be close to $\log C = \log 10 \approx 2.303$.
# Regularization makes it larger. A numerical gradient check of a small net (in float64,
# where the centred difference is accurate) should give relative errors of 1e-6 or less.

# %% tags=["skip-grading"]
rng = np.random.default_rng(0)
N, D, H1, H2, C = 2, 15, 20, 30, 10
X = rng.standard_normal((N, D))
y = rng.integers(C, size=N)
for reg in (0.0, 3.14):
    model = FullyConnectedNet([H1, H2], input_dim=D, num_classes=C, reg=reg, weight_scale=5e-2, dtype=np.float64, seed=0)
    loss, grads = model.loss(X, y)
    print(f"reg = {reg}: initial loss {loss:.4f}")
    for name in sorted(grads):
        f = lambda _: model.loss(X, y)[0]
        grad_num = eval_numerical_gradient(f, model.params[name], verbose=False, h=1e-5)
        print(f"    {name} relative error: {rel_error(grad_num, grads[name]):.2e}")

# %% [markdown]
# ### Overfitting 50 images
#
# A model that can represent the data should be able to memorise a tiny training set. This
# is the first thing to try with a new model: if it cannot reach 100% training accuracy on
# 50 images, something is broken (or the learning rate or initial scale is off). We use
# the `Solver` from assignment 1 with plain SGD; `learning_rate` and `weight_scale` are
# the knobs.

# %% tags=["skip-grading"]
small_data = {
    "X_train": data["X_train"][:50],
    "y_train": data["y_train"][:50],
    "X_val": data["X_val"],
    "y_val": data["y_val"],
}
overfit = {}
for hidden_dims in ([100, 100], [100, 100, 100, 100]):
    learning_rate, weight_scale = 1e-1, 1e-1  # try other values!
    model = FullyConnectedNet(hidden_dims, input_dim=input_dim, weight_scale=weight_scale, seed=0)
    solver = Solver(model, small_data, update_rule="sgd", optim_config={"learning_rate": learning_rate},
                    batch_size=25, num_epochs=20, print_every=10, verbose=False, seed=0)
    solver.train()
    name = f"{len(hidden_dims) + 1} layers"
    overfit[name] = solver
    report_accuracy(f"overfit 50 images, {name}, training", solver.train_acc_history[-1], {"default": 0.96, "cifar10": 0.96}, DATASET)
plot_history(overfit)


# %% [markdown]
# **Inline question 1.** Try a few values of `weight_scale` (e.g. 1e-2, 3e-2, 1e-1, 2e-1) for the 3-layer and the 5-layer net above. Which network is more sensitive to the initialisation scale, and why?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# The 5-layer network. The scale of the signal is multiplied by roughly weight_scale * sqrt(fan_in) (halved by each ReLU) at every layer, so with more layers a too-small scale makes the scores and the gradients vanish (the loss stays at log C) and a too-large one makes them explode (NaN); the range of scales that trains is much narrower for the deeper net.
# ### END SOLUTION

# %% [markdown]
# ## 2. Update rules
#
# Plain SGD steps against the gradient, `w -= learning_rate * dw`. It is slow in ravines
# (directions where the loss is steep across and shallow along) and treats every parameter
# alike. Each rule below is a pure function
#
# ```python
# next_w, config = rule(w, dw, config)
# ```
#
# that returns a **new** array (never `w -= ...`: that would modify the caller's array) and
# keeps its state (velocity, cache, moments, step count) in `config`, which the `Solver`
# passes back in at the next step. When a state entry is missing from `config` it starts at
# zero. The checks test one step from a mid-training state and two steps from the defaults.

# %% [markdown]
# ### SGD with momentum
#
# A ball rolling downhill: the velocity `v` accumulates past gradients, so consistent
# directions speed up and oscillating ones cancel out.
#
# $$v \leftarrow \mu v - \alpha\, dw, \qquad w \leftarrow w + v$$
#
# with momentum $\mu$ (typically 0.9) and learning rate $\alpha$.

# %% role="solution" task="a2_sgd_momentum"
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
    # TODO(a2_sgd_momentum): update the velocity v = momentum * v - learning_rate * dw, then
    # step next_w = w + v; store the new velocity in config["velocity"].
    ### BEGIN SOLUTION
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    ### END SOLUTION
    return next_w, config


# %% role="test" task="a2_sgd_momentum"
check_sgd_momentum(sgd_momentum)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_sgd_momentum", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Nesterov momentum
#
# Nesterov evaluates the gradient at the *look-ahead* point $w + \mu v$. With the change of
# variables used by most libraries the update needs only the gradient at the current `w`:
#
# $$v_\text{prev} = v, \qquad v \leftarrow \mu v - \alpha\, dw, \qquad w \leftarrow w - \mu v_\text{prev} + (1 + \mu) v$$

# %% role="solution" task="a2_nesterov"
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
    # TODO(a2_nesterov): keep v_prev = v, update v = momentum * v - learning_rate * dw, then
    # next_w = w - momentum * v_prev + (1 + momentum) * v; store v in config["velocity"].
    ### BEGIN SOLUTION
    mu = config["momentum"]
    v_prev = v
    v = mu * v - config["learning_rate"] * dw
    next_w = w - mu * v_prev + (1 + mu) * v
    config["velocity"] = v
    ### END SOLUTION
    return next_w, config


# %% role="test" task="a2_nesterov"
check_nesterov(nesterov)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_nesterov", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### AdaGrad
#
# Per-parameter learning rates: parameters with large past gradients take smaller steps.
#
# $$c \leftarrow c + dw^2, \qquad w \leftarrow w - \alpha\, \frac{dw}{\sqrt{c} + \epsilon}$$
#
# (all operations elementwise).

# %% role="solution" task="a2_adagrad"
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
    # TODO(a2_adagrad): add dw**2 to the cache, then step
    # next_w = w - learning_rate * dw / (sqrt(cache) + epsilon); store the cache in config.
    ### BEGIN SOLUTION
    cache = cache + dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    ### END SOLUTION
    return next_w, config


# %% role="test" task="a2_adagrad"
check_adagrad(adagrad)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_adagrad", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### RMSProp
#
# AdaGrad's cache only grows, so its steps shrink forever. RMSProp uses a leaky average of
# the squared gradients instead:
#
# $$c \leftarrow \rho\, c + (1 - \rho)\, dw^2, \qquad w \leftarrow w - \alpha\, \frac{dw}{\sqrt{c} + \epsilon}$$
#
# with `decay_rate` $\rho$ (typically 0.99).

# %% role="solution" task="a2_rmsprop"
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
    # TODO(a2_rmsprop): cache = decay_rate * cache + (1 - decay_rate) * dw**2, then
    # next_w = w - learning_rate * dw / (sqrt(cache) + epsilon); store the cache in config.
    ### BEGIN SOLUTION
    rho = config["decay_rate"]
    cache = rho * cache + (1 - rho) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    ### END SOLUTION
    return next_w, config


# %% role="test" task="a2_rmsprop"
check_rmsprop(rmsprop)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_rmsprop", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Adam
#
# Momentum (a leaky average $m$ of the gradients) plus RMSProp (a leaky average $v$ of their
# squares), with a **bias correction**: both averages start at 0, so early on they are too
# small by the factors $1 - \beta_1^t$ and $1 - \beta_2^t$. Increment the step count
# **before** using it, so the first update uses $t = 1$:
#
# $$t \leftarrow t + 1, \quad m \leftarrow \beta_1 m + (1 - \beta_1) dw, \quad v \leftarrow \beta_2 v + (1 - \beta_2) dw^2$$
# $$\hat m = \frac{m}{1 - \beta_1^t}, \quad \hat v = \frac{v}{1 - \beta_2^t}, \quad w \leftarrow w - \alpha\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}$$

# %% role="solution" task="a2_adam"
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
    # TODO(a2_adam): increment t first; update m and v (moving averages of dw and dw**2);
    # bias-correct them with 1 - beta**t; step w; store m, v and t in config.
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


# %% role="test" task="a2_adam"
check_adam(adam)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_adam", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 3. The same run with every rule
#
# We train the same 6-layer network (five hidden layers of 100 units, same initial
# weights, same minibatches: everything is seeded) on 4000 images for 5 epochs with each
# rule, **your** implementations passed to the `Solver` as `update_rule`. The learning
# rates are typical starting points for each rule, not tuned.

# %% tags=["skip-grading"]
mid_data = {
    "X_train": data["X_train"][:4000],
    "y_train": data["y_train"][:4000],
    "X_val": data["X_val"],
    "y_val": data["y_val"],
}
rules = {
    "sgd": (sgd, 1e-2),
    "sgd_momentum": (sgd_momentum, 1e-2),
    "nesterov": (nesterov, 1e-2),
    "adagrad": (adagrad, 1e-2),
    "rmsprop": (rmsprop, 1e-3),
    "adam": (adam, 1e-3),
}
solvers = {}
for name, (rule, learning_rate) in rules.items():
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, seed=0)
    solver = Solver(model, mid_data, update_rule=rule, optim_config={"learning_rate": learning_rate},
                    batch_size=100, num_epochs=5, verbose=False, seed=0)
    solver.train()
    solvers[name] = solver
    print(f"{name:>13}: train accuracy {solver.train_acc_history[-1]:.3f}, best validation accuracy {solver.best_val_acc:.3f}")

# %% tags=["skip-grading"]
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4))
for name, solver in solvers.items():
    loss = np.asarray(solver.loss_history)
    smooth = np.convolve(loss, np.ones(10) / 10, mode="valid")
    ax_loss.plot(np.arange(9, len(loss)), smooth, label=name)
    ax_acc.plot(solver.val_acc_history, "-o", ms=3, label=name)
ax_loss.set(title="Training loss (moving average of 10)", xlabel="iteration", ylabel="loss")
ax_acc.set(title="Validation accuracy", xlabel="epoch", ylabel="accuracy")
ax_loss.legend()
ax_acc.legend()
plt.show()

# %% [markdown]
# **Inline question 2.** AdaGrad divides by the square root of the sum of all past squared gradients. What happens to its effective learning rate during a long training run, and how do RMSProp and Adam avoid that?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# The cache only grows, so the effective step learning_rate / sqrt(cache) decreases monotonically and can become too small to make progress long before the model has converged. RMSProp and Adam replace the sum by an exponentially decaying average of the squared gradients, which tracks their recent size instead of growing without bound.
# ### END SOLUTION

# %% [markdown]
# ## 4. Train a good model
#
# Now train the best fully connected network you can. A reasonable start: two hidden layers
# of 200 units, weights drawn with standard deviation 0.05 (`weight_scale=5e-2`, about
# $\sqrt{2/784}$: the He scale you will meet in InitAndActivations), your Adam with learning rate
# 1e-3, a learning-rate decay of 0.9 per epoch, and the whole training set for 8 epochs
# (a few seconds). Then experiment with the width, depth, learning rate and `reg`.
# Targets: validation accuracy **>= 84%** (default dataset), **>= 50%** (CIFAR-10).

# %% tags=["skip-grading"]
best_model = FullyConnectedNet([200, 200], input_dim=input_dim, weight_scale=5e-2, reg=0.0, seed=0)
best_solver = Solver(best_model, data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                     lr_decay=0.9, batch_size=100, num_epochs=8, verbose=False, seed=0)
best_solver.train()
report_accuracy("best FullyConnectedNet, validation", best_solver.best_val_acc, {"default": 0.84, "cifar10": 0.50}, DATASET)
plot_history(best_solver, smooth=20)

# %% [markdown]
# Only once you are done tuning: the test accuracy of the weights with the best validation
# accuracy. The test set is used exactly once, to report a number, never to choose one.

# %% tags=["skip-grading"]
best_model.params = best_solver.best_params
test_acc = best_solver.check_accuracy(data["X_test"], data["y_test"])
val_acc = best_solver.check_accuracy(data["X_val"], data["y_val"])
print(f"validation accuracy {val_acc:.3f}, test accuracy {test_acc:.3f}")

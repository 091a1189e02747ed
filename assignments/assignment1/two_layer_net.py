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
# # A two-layer neural network, built from layers
#
# So far each model had its own loss function with a hand-derived gradient. Networks are
# built differently: from **layers**, each a pair of functions
#
# ```python
# out, cache = layer_forward(x, params...)      # compute, and remember what backward needs
# dx, dparams... = layer_backward(dout, cache)  # chain rule: upstream gradient in, gradients out
# ```
#
# exactly like the gates of the backprop notebook. Stack them and backpropagation is just
# calling the backward functions in reverse order. You will write the affine (fully
# connected) layer, the ReLU, two loss layers, and then a two-layer network
# `affine - ReLU - affine - softmax`, train it with the kit's `Solver`, tune it, and look at
# its first-layer weights.

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
from cs231n.classifiers.fc_net import check_model_input
from cs231n.initializers import make_rng
from cs231n.layer_utils import affine_relu_backward, affine_relu_forward
from cs231n.validation import ShapeError, check_array, check_labels, check_positive, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_affine_forward,
    check_affine_backward,
    check_relu_forward,
    check_relu_backward,
    check_softmax_loss,
    check_svm_loss,
    check_two_layer_net,
)

# --- notebook imports ---
from cs231n.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n.solver import Solver

# %% [markdown]
# ## The data
#
# Images stay images here, of shape `(N, C, H, W)`: the affine layer flattens them
# itself. The training mean image is subtracted. We use 5,000 training images to keep the
# runs short; set `DATASET = "cifar10"` for CIFAR-10 (3x32x32) if you have it.

# %%
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, num_training=5000, seed=0)
for k in ("X_train", "X_val", "X_test"):
    print(k, data[k].shape, data[k].dtype)
print("input_dim:", data["input_dim"])


# %% [markdown]
# ## 1. The affine layer
#
# An affine (fully connected) layer maps each sample to $M$ outputs: $\text{out} = xW + b$
# with $W$ of shape `(D, M)`. A minibatch of images `x` of shape `(N, d_1, ..., d_k)` is
# first flattened to `N` rows of $D = d_1 \cdots d_k$ numbers. Cache `(x, w, b)` for the
# backward pass.

# %% role="solution" task="a1_affine_forward"
def affine_forward(x, w, b):
    """Forward pass of an affine layer.

    Each sample of ``x`` is flattened to a row of D = d_1 * ... * d_k features.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
        A minibatch of N samples.
    w : ndarray of shape (D, M)
        Weights.
    b : ndarray of shape (M,)
        Biases.

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple
        ``(x, w, b)``, for :func:`affine_backward`.
    """
    check_array(x, "affine_forward: x", floating=True, dims="(N, d_1, ..., d_k)")
    if x.ndim < 2:
        fail(
            "affine_forward: x",
            "an ndarray of shape (N, d_1, ..., d_k), at least 2 dimensions",
            f"shape {x.shape}",
            "a single sample needs a batch axis: x[None]",
            ShapeError,
        )
    check_array(w, "affine_forward: w", ndim=2, dims="(D, M)", floating=True)
    check_array(b, "affine_forward: b", shape=(w.shape[1],), dims="(M,)", floating=True)
    if int(np.prod(x.shape[1:])) != w.shape[0]:
        fail(
            "affine_forward: x",
            f"samples of D = {w.shape[0]} features (w has shape {w.shape})",
            f"shape {x.shape}, i.e. {int(np.prod(x.shape[1:]))} features per sample",
            "x's first axis is the batch; the product of the others must equal w.shape[0]",
            ShapeError,
        )
    # TODO(a1_affine_forward): flatten each sample of x into a row, then out = rows @ w + b.
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w, b)
    ### END SOLUTION
    return out, cache


# %% role="test" task="a1_affine_forward"
check_affine_forward(affine_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_affine_forward", globals())
### END HIDDEN TESTS

# %% [markdown]
# **Backward.** With rows $X$ of shape `(N, D)` and upstream `dout` of shape `(N, M)`:
#
# $$dX = \text{dout}\, W^\top \;(N, D), \qquad dW = X^\top \text{dout} \;(D, M), \qquad db = \textstyle\sum_i \text{dout}_i \;(M,).$$
#
# A quick way to remember these: every gradient has the shape of the thing it is the
# gradient of, and there is only one way to multiply the available matrices to get that
# shape. `dx` must come back in the shape of the original `x`.

# %% role="solution" task="a1_affine_backward"
def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
        Upstream gradient.
    cache : tuple
        ``(x, w, b)`` from :func:`affine_forward`.

    Returns
    -------
    dx : ndarray of the shape of x, (N, d_1, ..., d_k)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    x, w, _ = cache
    check_array(dout, "affine_backward: dout", shape=(x.shape[0], w.shape[1]), dims="(N, M)")
    # TODO(a1_affine_backward): use the flattened x for dw, and reshape dx back to x's shape.
    ### BEGIN SOLUTION
    x_rows = x.reshape(x.shape[0], -1)  # (N, D)
    dx = (dout @ w.T).reshape(x.shape)
    dw = x_rows.T @ dout
    db = dout.sum(axis=0)
    ### END SOLUTION
    return dx, dw, db


# %% role="test" task="a1_affine_backward"
check_affine_backward(affine_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_affine_backward", globals())
### END HIDDEN TESTS

# %% [markdown]
# The same comparison by hand, with a numeric gradient of your forward pass:

# %%
rng = np.random.default_rng(0)
x, w, b = rng.normal(size=(10, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5)
dout = rng.normal(size=(10, 5))
_, cache = affine_forward(x, w, b)
dx, dw, db = affine_backward(dout, cache)
dx_num = eval_numerical_gradient_array(lambda x: affine_forward(x, w, b)[0], x, dout)
dw_num = eval_numerical_gradient_array(lambda w: affine_forward(x, w, b)[0], w, dout)
db_num = eval_numerical_gradient_array(lambda b: affine_forward(x, w, b)[0], b, dout)
print(f"relative errors: dx {rel_error(dx, dx_num):.1e}, dw {rel_error(dw, dw_num):.1e}, db {rel_error(db, db_num):.1e}")


# %% [markdown]
# ## 2. ReLU
#
# $\text{ReLU}(x) = \max(0, x)$ elementwise. Its local gradient is 1 where the input
# was positive and 0 elsewhere (at exactly 0 we take 0), so backward lets `dout` through
# only where `x > 0`. Cache the input.

# %% role="solution" task="a1_relu_forward"
def relu_forward(x):
    """Forward pass of a rectified linear unit, ``max(0, x)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
    cache : ndarray
        ``x``, for :func:`relu_backward`.
    """
    check_array(x, "relu_forward: x", floating=True)
    # TODO(a1_relu_forward): keep the positive entries of x and set the others to zero.
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    cache = x
    ### END SOLUTION
    return out, cache


# %% role="test" task="a1_relu_forward"
check_relu_forward(relu_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_relu_forward", globals())
### END HIDDEN TESTS

# %% role="solution" task="a1_relu_backward"
def relu_backward(dout, cache):
    """Backward pass of a ReLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        ``x`` from :func:`relu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
        The gradient flows where ``x > 0`` (at exactly 0 it is taken as 0).
    """
    x = cache
    check_array(dout, "relu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a1_relu_backward): the gradient passes through only where the input was positive.
    ### BEGIN SOLUTION
    dx = dout * (x > 0)
    ### END SOLUTION
    return dx


# %% role="test" task="a1_relu_backward"
check_relu_backward(relu_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_relu_backward", globals())
### END HIDDEN TESTS

# %% [markdown]
# **Inline question 1.** Besides ReLU, sigmoid and leaky ReLU are common activations. Which of them can make the
# gradient flowing back through it (almost) zero, and for which inputs? Give a
# one-dimensional example for each where this happens. Why is that a problem for training?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# Sigmoid: for large |x| (e.g. x = 10 or x = -10) sigma'(x) = sigma(1 - sigma) is about 0
# (saturation). ReLU: for any x < 0 (e.g. x = -3) the gradient is exactly 0; a unit whose
# input is always negative never updates again ("dead ReLU"). Leaky ReLU keeps a small slope
# (0.01) for x < 0, so its gradient is never zero. Gradients of the earlier layers are
# products of these local gradients, so zeros stop learning in everything before them.
# ### END SOLUTION

# %% [markdown]
# ## 3. Loss layers
#
# A loss layer takes the scores `x` of shape `(N, C)` and the labels, and returns the loss
# averaged over the N samples and its gradient with respect to the scores. These are the
# SVM and softmax losses of the previous notebooks, without the weights: the gradients
# flow on into the network through `dx`.

# %% role="solution" task="a1_svm_loss"
def svm_loss(x, y):
    """Multiclass SVM (hinge) loss with margin 1, and its gradient.

    ``loss = mean_i( sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1) )``.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to ``x`` (at a kink, the margin counts only
        when strictly positive).
    """
    check_array(x, "svm_loss: x", ndim=2, dims="(N, C)", floating=True)
    check_labels(y, "svm_loss: y", x.shape[0], x.shape[1])
    # TODO(a1_svm_loss): margins against the correct-class score (zero the correct class);
    # every positive margin adds +1 to its class and -1 to the correct class.
    ### BEGIN SOLUTION
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]  # (N, 1)
    margins = np.maximum(0, x - correct + 1)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(x.dtype)
    dx[np.arange(N), y] = -dx.sum(axis=1)
    dx /= N
    ### END SOLUTION
    return float(loss), dx


# %% role="test" task="a1_svm_loss"
check_svm_loss(svm_loss)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_svm_loss", globals())
### END HIDDEN TESTS

# %% role="solution" task="a1_softmax_loss"
def softmax_loss(x, y):
    """Softmax (cross-entropy) loss and its gradient.

    ``loss = mean_i( -log( exp(x[i, y[i]]) / sum_j exp(x[i, j]) ) )``.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores; ``x[i, j]`` is the score of class j for sample i.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to ``x``.
    """
    check_array(x, "softmax_loss: x", ndim=2, dims="(N, C)", floating=True)
    check_labels(y, "softmax_loss: y", x.shape[0], x.shape[1])
    # TODO(a1_softmax_loss): subtract each row's max before exponentiating (the softmax is
    # unchanged, nothing overflows); work with log-probabilities; average over N.
    ### BEGIN SOLUTION
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    dx /= N
    ### END SOLUTION
    return float(loss), dx


# %% role="test" task="a1_softmax_loss"
check_softmax_loss(softmax_loss)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_softmax_loss", globals())
### END HIDDEN TESTS

# %%
scores = 0.001 * np.random.default_rng(1).normal(size=(50, 10))
labels = np.random.default_rng(2).integers(0, 10, size=50)
print(f"svm loss of tiny scores     {svm_loss(scores, labels)[0]:.3f} (about C - 1 = 9)")
print(f"softmax loss of tiny scores {softmax_loss(scores, labels)[0]:.3f} (about log C = {np.log(10):.3f})")

# %% [markdown]
# ## 4. Using your layers in the kit
#
# The package has a *sandwich* layer `affine_relu_forward` / `affine_relu_backward`
# (affine followed by ReLU), and the Solver and the models call the package's layers.
# `plug_in` makes all of them use **your** functions instead, until `unplug()`:

# %%
plug_in(affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss)


# %% [markdown]
# ## 5. The two-layer network
#
# `TwoLayerNet` is `affine - ReLU - affine - softmax`. Its constructor stores the
# parameters in the dict `self.params` (weights drawn as
# `weight_scale * rng.standard_normal(shape)`, biases zero). Its `loss(X, y=None)` returns
# the scores when `y` is None, and otherwise the loss (with regularization
# $\tfrac12\,\mathrm{reg}\,(\sum W_1^2 + \sum W_2^2)$, biases not regularized) and a dict of
# gradients with the same keys as `params`. Use `affine_relu_forward` for the first layer
# and your `affine_forward` for the second; then backpropagate in reverse order.

# %% role="solution" task="a1_two_layer_net"
class TwoLayerNet:
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
        if isinstance(input_dim, (tuple, list)):
            input_dim = int(np.prod(input_dim))
        check_positive(input_dim, "TwoLayerNet: input_dim")
        check_positive(hidden_dim, "TwoLayerNet: hidden_dim")
        check_positive(num_classes, "TwoLayerNet: num_classes")
        check_positive(weight_scale, "TwoLayerNet: weight_scale")
        check_positive(reg, "TwoLayerNet: reg", allow_zero=True)
        self.input_dim, self.num_classes = int(input_dim), int(num_classes)
        self.reg = reg
        self.dtype = dtype
        self.params = {}
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        # TODO(a1_two_layer_net): create W1 (input_dim, hidden_dim) and W2 (hidden_dim,
        # num_classes) as weight_scale * rng.standard_normal(shape), and zero biases b1, b2,
        # in self.params.
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


# %% role="test" task="a1_two_layer_net"
check_two_layer_net(TwoLayerNet)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_two_layer_net", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Training with the Solver
#
# `Solver` runs minibatch SGD on any model with `params` and `loss`, records the loss and
# the train/validation accuracy per epoch, and keeps the best parameters. The progress
# bar shows where it is.
#
# **Targets** (best validation accuracy of this run, 5,000 training images): default
# dataset 0.80; CIFAR-10 0.36.

# %%
model = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=100, weight_scale=1e-3, reg=0.0, seed=0, dtype=np.float32)
solver = Solver(model, data, optim_config={"learning_rate": 1e-3}, lr_decay=0.95,
                num_epochs=4, batch_size=100, print_every=100, verbose=True, seed=0)
solver.train()
report_accuracy("two-layer net, best validation", solver.best_val_acc, {"default": 0.80, "cifar10": 0.36}, data["name"])

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5))
ax1.plot(solver.loss_history, lw=0.8)
ax1.set_xlabel("iteration")
ax1.set_ylabel("training loss")
ax2.plot(solver.train_acc_history, "o-", label="train")
ax2.plot(solver.val_acc_history, "o-", label="validation")
ax2.set_xlabel("epoch")
ax2.set_ylabel("accuracy")
ax2.legend()
plt.show()

# %% [markdown]
# ## 7. Learning rate and regularization, interactively
#
# Move the sliders to train a small version of the net with other settings. If the
# sliders do not appear, the static figure below shows three learning rates.

# %% tags=["skip-grading"]
# Interactive: a small net (50 hidden units, 2,000 images, 2 epochs) for each setting.
small = {k: data[k][:2000] if k.endswith("train") else data[k] for k in ("X_train", "y_train", "X_val", "y_val")}


def run_small(log10_lr=-3.0, log10_reg=-2.0):
    net = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=50, reg=10**log10_reg, seed=0, dtype=np.float32)
    s = Solver(net, small, optim_config={"learning_rate": 10**log10_lr}, num_epochs=2, batch_size=100, verbose=False, seed=0)
    with np.errstate(all="ignore"):
        s.train()
    return s


def show_run(log10_lr=-3.0, log10_reg=-2.0):
    try:
        s = run_small(log10_lr, log10_reg)
    except NotImplementedError as exc:  # the sliders need your TwoLayerNet first
        print(f"Not yet: {exc}")
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3))
    ax1.plot(s.loss_history)
    ax1.set_xlabel("iteration")
    ax1.set_ylabel("loss")
    ax2.plot(s.train_acc_history, "o-", label="train")
    ax2.plot(s.val_acc_history, "o-", label="val")
    ax2.set_xlabel("epoch")
    ax2.set_ylim(0, 1)
    ax2.legend()
    fig.suptitle(f"lr = 1e{log10_lr:.1f}, reg = 1e{log10_reg:.1f}: best val {s.best_val_acc:.3f}")
    plt.show()


try:
    import ipywidgets as widgets

    widgets.interact(
        show_run,
        log10_lr=widgets.FloatSlider(value=-3.0, min=-6.0, max=-1.0, step=0.5, description="log10 lr", continuous_update=False),
        log10_reg=widgets.FloatSlider(value=-2.0, min=-4.0, max=1.0, step=1.0, description="log10 reg", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing the default setting only.")
    show_run()

# %% tags=["skip-grading"]
# Static version of the same experiment: three learning rates, loss curves side by side.
plt.figure(figsize=(6, 3))
for log10_lr in (-5.0, -3.0, -2.0):
    s = run_small(log10_lr, -2.0)
    plt.plot(s.loss_history, label=f"lr 1e{log10_lr:.0f}: val {s.best_val_acc:.2f}")
plt.xlabel("iteration")
plt.ylabel("loss")
plt.yscale("log")
plt.legend()
plt.title("Too small, about right, too large")
plt.show()

# %% [markdown]
# ## 8. Tuning
#
# Try a few combinations of hidden size, learning rate and regularization, keep the model
# with the best validation accuracy, and evaluate it once on the test set. The search
# below is deliberately tiny; widen it (and train longer) to do better.
#
# **Targets** for the test accuracy of the best model: default dataset 0.80; CIFAR-10
# 0.40 (CS231n reports above 0.48 with longer training on all 49,000 images).

# %% tags=["skip-grading"]
runs = {}
for hidden_dim, lr, reg in [(100, 1e-3, 1e-3), (200, 2e-3, 1e-2)]:
    net = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=hidden_dim, reg=reg, seed=0, dtype=np.float32)
    s = Solver(net, data, optim_config={"learning_rate": lr}, lr_decay=0.95, num_epochs=3,
               batch_size=100, verbose=False, seed=0)
    s.train()
    print(f"hidden {hidden_dim}, lr {lr:.0e}, reg {reg:.0e}: best val {s.best_val_acc:.3f}")
    runs[(hidden_dim, lr, reg)] = (s.best_val_acc, net)
best_val, best_model = max(runs.values(), key=lambda run: run[0])
test_acc = np.mean(np.argmax(best_model.loss(data["X_test"]), axis=1) == data["y_test"])
report_accuracy("two-layer net, test", test_acc, {"default": 0.80, "cifar10": 0.40}, data["name"])

# %% [markdown]
# ## 9. First-layer weights
#
# Each column of $W_1$ is a template over the input pixels, like the linear classifier's,
# but there are 100 of them and the second layer combines them. Smooth, structured
# templates are a sign of a well-trained net; noisy ones suggest too little training or a
# learning rate that is too high.

# %%
W1 = model.params["W1"]
C_, H_, W_ = data["input_dim"]
n = 49
fig, axes = plt.subplots(7, 7, figsize=(6, 6))
for i, ax in enumerate(axes.ravel()):
    img = W1[:, i].reshape(C_, H_, W_).transpose(1, 2, 0)
    img = (img - img.min()) / (img.max() - img.min())
    ax.imshow(img.squeeze(), cmap="gray" if C_ == 1 else None)
    ax.axis("off")
plt.suptitle("First-layer weights (49 of 100 hidden units)")
plt.show()
unplug()  # back to the reference layers

# %% [markdown]
# **Inline question 2.** After training, the training accuracy is often much higher than the test accuracy.
# Name three things you could do to reduce this gap, and say which way each one moves the
# training accuracy.

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# (1) More training data: the gap shrinks; training accuracy usually drops a little.
# (2) Stronger regularization (larger reg, or dropout later): training accuracy drops, test
# accuracy may rise. (3) A smaller model (fewer hidden units) or early stopping: training
# accuracy drops. Adding hidden units usually increases the gap (more capacity to memorise).
# ### END SOLUTION

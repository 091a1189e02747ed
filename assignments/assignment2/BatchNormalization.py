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
# # Batch normalization and layer normalization
#
# Deep networks are hard to train partly because the distribution of every layer's input
# keeps changing as the layers below it learn, and because a poor initial scale compounds
# over depth (you saw both in the previous notebooks). **Batch normalization** (Ioffe and
# Szegedy, 2015) normalises each feature of a layer's input to zero mean and unit variance
# over the minibatch, then lets the network rescale and shift it with learned parameters
# $\gamma$ and $\beta$:
#
# $$\mu_j = \frac1N \sum_i x_{ij}, \qquad \sigma_j^2 = \frac1N \sum_i (x_{ij} - \mu_j)^2, \qquad
# \hat x_{ij} = \frac{x_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \epsilon}}, \qquad y_{ij} = \gamma_j \hat x_{ij} + \beta_j$$
#
# At test time there may be a single example, so the layer uses **running averages** of the
# mean and variance collected during training instead of batch statistics.
#
# In this notebook you implement the forward pass, two backward passes (a step-by-step one
# and a simplified one, and compare their speed) and **layer normalization**, then plug
# them into the `FullyConnectedNet` you wrote in `FullyConnectedNets.ipynb` to see what
# normalization does to training.

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
from cs231n.validation import ConfigError, check_array, check_choice, check_keys, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_batchnorm_forward,
    check_batchnorm_backward,
    check_batchnorm_backward_alt,
    check_layernorm_forward,
    check_layernorm_backward,
)

# --- notebook imports ---
import time

from cs231n.checks.assignment2 import check_fc_net_normalization
from cs231n.course.notebook_import import import_notebook
from cs231n.solver import Solver
from cs231n.course.testing import rel_error
from cs231n.vis_utils import plot_history

# %% [markdown]
# ## Data
#
# The embedded Fashion-MNIST subset by default (`DATASET = "cifar10"` once downloaded), scaled to unit variance; the experiments use 1000 training and 500 validation images so that each run takes a second or two.

# %%
DATASET = "default"  # the embedded Fashion-MNIST subset; "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
small_data = {"X_train": data["X_train"][:1000], "y_train": data["y_train"][:1000],
              "X_val": data["X_val"][:500], "y_val": data["y_val"][:500]}
print({k: v.shape for k, v in small_data.items()})


# %% [markdown]
# ## 1. The forward pass
#
# `batchnorm_forward(x, gamma, beta, bn_param)` with `x` of shape `(N, D)`:
#
# * in **train** mode use the statistics of the batch (the *biased* variance, dividing by
#   N, as `np.var` does), and update the running averages in `bn_param`:
#   `running_mean = momentum * running_mean + (1 - momentum) * sample_mean` (and the same
#   for the variance); the provided code starts them at zeros when they are missing and
#   stores them back in `bn_param`;
# * in **test** mode normalise with `running_mean` and `running_var`;
# * cache what the backward pass needs.
#
# After a train-mode pass each feature of the output should have mean $\beta_j$ and
# standard deviation $\gamma_j$ (up to $\epsilon$).

# %% role="solution" task="a2_batchnorm_forward"
def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalization over a minibatch of feature vectors.

    In ``"train"`` mode each feature is normalized with the mean and (biased)
    variance of the minibatch, and the running averages are updated.  In ``"test"``
    mode the running averages are used instead and nothing is updated.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs.
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    bn_param : dict
        ``"mode"`` (required): ``"train"`` or ``"test"``; ``"eps"`` (default 1e-5);
        ``"momentum"`` (default 0.9); ``"running_mean"``, ``"running_var"``: arrays of
        shape (D,), created as zeros of ``x.dtype`` when missing.  The updated running
        averages are written back into ``bn_param``.

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : tuple or None
        ``(x_hat, xc, std, gamma)`` in train mode (``xc = x - mean``,
        ``std = sqrt(var + eps)``, both per feature); None in test mode.
    """
    check_array(x, "batchnorm_forward: x", ndim=2, dims="(N, D)", floating=True)
    D = x.shape[1]
    check_array(gamma, "batchnorm_forward: gamma", shape=(D,), dims="(D,)")
    check_array(beta, "batchnorm_forward: beta", shape=(D,), dims="(D,)")
    check_keys(
        bn_param,
        "batchnorm_forward: bn_param",
        ("mode", "eps", "momentum", "running_mean", "running_var"),
    )
    mode = check_choice(
        bn_param.get("mode"), "batchnorm_forward: bn_param['mode']", ("train", "test")
    )
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    check_array(
        running_mean, "batchnorm_forward: bn_param['running_mean']", shape=(D,), dims="(D,)"
    )
    check_array(running_var, "batchnorm_forward: bn_param['running_var']", shape=(D,), dims="(D,)")

    # TODO(a2_batchnorm_forward): in train mode, normalize with the batch mean and variance
    # in small named steps (the backward pass reuses them), then update the running
    # averages as momentum * running + (1 - momentum) * batch.  In test mode, normalize with
    # the running averages and set cache = None.
    ### BEGIN SOLUTION
    if mode == "train":
        mu = x.mean(axis=0)  # (D,)
        xc = x - mu  # (N, D)
        var = (xc**2).mean(axis=0)  # (D,)
        std = np.sqrt(var + eps)
        x_hat = xc / std
        out = gamma * x_hat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        cache = (x_hat, xc, std, gamma)
    else:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_hat + beta
        cache = None
    ### END SOLUTION

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


# %% role="test" task="a2_batchnorm_forward"
check_batchnorm_forward(batchnorm_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_batchnorm_forward", globals())
### END HIDDEN TESTS

# %% tags=["skip-grading"]
rng = np.random.default_rng(0)
N, D1, D2, D3 = 200, 50, 60, 3
W1, W2 = rng.standard_normal((D1, D2)), rng.standard_normal((D2, D3))
a = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2  # activations of a small random net
print("before batchnorm: means", np.round(a.mean(axis=0), 2), " stds", np.round(a.std(axis=0), 2))
out, _ = batchnorm_forward(a, np.ones(D3), np.zeros(D3), {"mode": "train"})
print("gamma=1, beta=0:  means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2))
gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0])
out, _ = batchnorm_forward(a, gamma, beta, {"mode": "train"})
print("gamma, beta set:  means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2))

# Test mode after many training passes: the running averages approach the true statistics.
bn_param = {"mode": "train"}
for _ in range(50):
    batch = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
    batchnorm_forward(batch, gamma, beta, bn_param)
bn_param["mode"] = "test"
test_batch = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
out, _ = batchnorm_forward(test_batch, gamma, beta, bn_param)
print("test mode:        means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2), "(close to beta and gamma)")


# %% [markdown]
# ## 2. The backward pass
#
# Draw the computational graph of the forward pass (subtract the mean, square, average,
# add $\epsilon$, square root, divide, scale, shift) and backpropagate through it one node
# at a time. The trap: $x$ reaches the output through three paths, directly, through the
# mean $\mu$ and through the variance $\sigma^2$, and each path contributes to `dx`.
# `dgamma` and `dbeta` sum over the batch axis. The check compares all three gradients
# with numerical ones (computed through your forward pass).

# %% role="solution" task="a2_batchnorm_backward"
def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization, step by step through the computational graph.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, xc, std, gamma)`` from a train-mode :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    if cache is None:
        fail(
            "batchnorm_backward: cache",
            "the cache of a train-mode forward pass",
            "None (test mode keeps no cache)",
            "backpropagate only through forward passes in 'train' mode",
            ConfigError,
        )
    x_hat, xc, std, gamma = cache
    check_array(dout, "batchnorm_backward: dout", shape=x_hat.shape, dims="(N, D)")
    # TODO(a2_batchnorm_backward): walk the forward steps in reverse: out -> x_hat -> (xc,
    # std) -> var -> mean -> x.  xc reaches x along three paths (directly, through the mean
    # and through the variance): add up their contributions.
    ### BEGIN SOLUTION
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # x_hat = xc / std
    dxc = dx_hat / std
    dstd = -(dx_hat * xc).sum(axis=0) / std**2
    # std = sqrt(var + eps)
    dvar = dstd / (2 * std)
    # var = mean(xc ** 2)
    dxc = dxc + 2 * xc * dvar / N
    # xc = x - mu, mu = mean(x)
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / N
    ### END SOLUTION
    return dx, dgamma, dbeta


# %% role="test" task="a2_batchnorm_backward"
check_batchnorm_backward(batchnorm_forward, batchnorm_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_batchnorm_backward", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A simplified backward pass
#
# Working the algebra out on paper collapses the graph into one expression. With
# $d\hat x = \text{dout} \cdot \gamma$ and $\sigma = \sqrt{\sigma^2 + \epsilon}$:
#
# $$dx = \frac{1}{N \sigma}\Big(N\, d\hat x - \sum_i d\hat x_i - \hat x \sum_i d\hat x_i \hat x_i\Big)$$
#
# Derive it (inline question 1) and implement it in a few lines; then compare the speed of
# the two versions.

# %% role="solution" task="a2_batchnorm_backward_alt"
def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalization from the simplified closed form.

    Gives the same result as :func:`batchnorm_backward`, with fewer operations:
    ``dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std``, with the
    means over the batch and ``dx_hat = dout * gamma``.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, xc, std, gamma)`` from a train-mode :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    if cache is None:
        fail(
            "batchnorm_backward_alt: cache",
            "the cache of a train-mode forward pass",
            "None (test mode keeps no cache)",
            "backpropagate only through forward passes in 'train' mode",
            ConfigError,
        )
    x_hat, _, std, gamma = cache
    check_array(dout, "batchnorm_backward_alt: dout", shape=x_hat.shape, dims="(N, D)")
    # TODO(a2_batchnorm_backward_alt): derive dx on paper in terms of dx_hat = dout * gamma,
    # x_hat and std only; the result fits on one line with two means over the batch axis.
    ### BEGIN SOLUTION
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


# %% role="test" task="a2_batchnorm_backward_alt"
check_batchnorm_backward_alt(batchnorm_forward, batchnorm_backward_alt)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_batchnorm_backward_alt", globals())
### END HIDDEN TESTS

# %% tags=["skip-grading"]
rng = np.random.default_rng(1)
N, D = 2000, 500
x = 5 * rng.standard_normal((N, D)) + 10
gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
dout = rng.standard_normal((N, D))
_, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})


def best_time(f, repeats=10):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return min(times), result


t_graph, (dx1, dgamma1, dbeta1) = best_time(lambda: batchnorm_backward(dout, cache))
t_alt, (dx2, dgamma2, dbeta2) = best_time(lambda: batchnorm_backward_alt(dout, cache))
print(f"dx difference: {rel_error(dx1, dx2):.2e}, dgamma difference: {rel_error(dgamma1, dgamma2):.2e}")
print(f"graph version {1e3 * t_graph:.2f} ms, simplified version {1e3 * t_alt:.2f} ms, speed-up {t_graph / t_alt:.2f}x")


# %% [markdown]
# ## 4. Layer normalization
#
# Batchnorm needs a batch: with tiny batches its statistics are noisy, and a recurrent
# network would need separate statistics per time step. **Layer normalization** (Ba, Kiros
# and Hinton, 2016) normalises each **sample** over its own features instead, so it behaves
# the same for any batch size, in training and at test time (no running averages):
#
# $$\mu_i = \frac1D \sum_j x_{ij}, \qquad \sigma_i^2 = \frac1D \sum_j (x_{ij} - \mu_i)^2, \qquad y_{ij} = \gamma_j \frac{x_{ij} - \mu_i}{\sqrt{\sigma_i^2 + \epsilon}} + \beta_j$$
#
# `gamma` and `beta` are still per feature, shape `(D,)`. Only the axis of the statistics
# changes, so your batchnorm code is a good starting point (transposing is one way; mind
# which axis `gamma` and `beta` belong to). `ln_param` holds only `eps`.

# %% role="solution" task="a2_layernorm_forward"
def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalization: each sample is normalized over its features.

    The same computation at train and test time, so there are no running averages.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs.
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    ln_param : dict
        ``"eps"`` (default 1e-5).  A ``"mode"`` key is accepted and ignored, so a model
        may hand the same kind of dict to every normalization layer.

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : tuple
        ``(x_hat, std, gamma)``, with ``std`` of shape (N, 1).
    """
    check_array(x, "layernorm_forward: x", ndim=2, dims="(N, D)", floating=True)
    D = x.shape[1]
    check_array(gamma, "layernorm_forward: gamma", shape=(D,), dims="(D,)")
    check_array(beta, "layernorm_forward: beta", shape=(D,), dims="(D,)")
    check_keys(ln_param, "layernorm_forward: ln_param", ("eps", "mode"))
    eps = ln_param.get("eps", 1e-5)
    # TODO(a2_layernorm_forward): batchnorm with the roles of the axes swapped: statistics
    # over axis 1, kept as (N, 1) columns with keepdims=True so they broadcast.
    ### BEGIN SOLUTION
    mu = x.mean(axis=1, keepdims=True)  # (N, 1)
    xc = x - mu
    var = (xc**2).mean(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma)
    ### END SOLUTION
    return out, cache


# %% role="test" task="a2_layernorm_forward"
check_layernorm_forward(layernorm_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_layernorm_forward", globals())
### END HIDDEN TESTS

# %% role="solution" task="a2_layernorm_backward"
def layernorm_backward(dout, cache):
    """Backward pass of layer normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma)`` from :func:`layernorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    x_hat, std, gamma = cache
    check_array(dout, "layernorm_backward: dout", shape=x_hat.shape, dims="(N, D)")
    # TODO(a2_layernorm_backward): gamma and beta still sum over the batch; dx is the
    # batchnorm closed form with the means taken over the features instead.
    ### BEGIN SOLUTION
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (
        dx_hat
        - dx_hat.mean(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).mean(axis=1, keepdims=True)
    ) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


# %% role="test" task="a2_layernorm_backward"
check_layernorm_backward(layernorm_forward, layernorm_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_layernorm_backward", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Normalization inside your network
#
# Now we use the `FullyConnectedNet` **you** wrote in `FullyConnectedNets.ipynb`.
# `import_notebook` runs that notebook's imports and solution cells (nothing else) into a
# module, and `plug_in` makes every part of the package, and that module, use **your**
# batchnorm and layernorm functions from this notebook. The printed line confirms what was
# plugged in.
#
# First a gradient check of the whole network with normalization: if your network's
# `normalization` branches or your layers are wrong, this tells you before any training.

# %% tags=["skip-grading"]
fcn = import_notebook("FullyConnectedNets.ipynb")
FullyConnectedNet = fcn.FullyConnectedNet
adam = fcn.adam  # your Adam, from the same notebook
plug_in(batchnorm_forward, batchnorm_backward, layernorm_forward, layernorm_backward)
check_fc_net_normalization(FullyConnectedNet, normalization="batchnorm")
check_fc_net_normalization(FullyConnectedNet, normalization="layernorm")

# %% [markdown]
# ### A deep network with and without batchnorm
#
# Six layers, 1000 training images, Adam. With batchnorm the loss falls faster and the
# training accuracy climbs faster.

# %% tags=["skip-grading"]
deep = {}
for norm in (None, "batchnorm"):
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, normalization=norm, seed=0)
    solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                    batch_size=50, num_epochs=8, verbose=False, seed=0)
    solver.train()
    deep[norm or "no normalization"] = solver
    print(f"normalization={norm}: final training accuracy {solver.train_acc_history[-1]:.3f}, best validation accuracy {solver.best_val_acc:.3f}")
report_accuracy("6-layer net with batchnorm, training", deep["batchnorm"].train_acc_history[-1], {"default": 0.95, "cifar10": 0.60}, DATASET)
plot_history(deep, smooth=10)

# %% [markdown]
# ### Sensitivity to the initial weight scale
#
# An 8-layer network trained for 4 epochs from 8 initial weight scales between 1e-3 and 1,
# with and without batchnorm. Without it only a narrow band of scales trains at all; with
# it the network trains over a much wider range of scales, because every hidden layer's
# input is rescaled anyway (very large scales still hurt: see inline question 2).

# %% tags=["skip-grading"]
weight_scales = np.logspace(-3, 0, 8)
results = {None: [], "batchnorm": []}
for norm in results:
    for ws in weight_scales:
        model = FullyConnectedNet([50] * 7, input_dim=input_dim, weight_scale=ws, normalization=norm, seed=0)
        solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                        batch_size=50, num_epochs=4, verbose=False, seed=0)
        with np.errstate(all="ignore"):  # the largest scales overflow without batchnorm
            solver.train()
        results[norm].append((solver.train_acc_history[-1], solver.best_val_acc))
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
for norm, accs in results.items():
    accs = np.array(accs)
    label = "batchnorm" if norm else "no normalization"
    axes[0].semilogx(weight_scales, accs[:, 0], "-o", label=label)
    axes[1].semilogx(weight_scales, accs[:, 1], "-o", label=label)
axes[0].set(title="final training accuracy", xlabel="weight scale")
axes[1].set(title="best validation accuracy", xlabel="weight scale")
for ax in axes:
    ax.axhline(0.1, color="gray", ls=":", lw=1)
    ax.legend()
    ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ### Batch size, and layer norm
#
# Batchnorm estimates the mean and variance from the batch, so the smaller the batch, the
# noisier the estimate, and the larger the mismatch between training (batch statistics)
# and test time (running averages). Layer norm does not depend on the batch at all. We
# train the same 6-layer network with batches of 5, 10 and 50 for the same number of
# epochs. Look at the training accuracies: with batches of 5 the batchnorm network does
# clearly worse than with 50, although it makes ten times as many updates. Layer norm has
# no batch statistics, so the batch size only changes its number of updates.

# %% tags=["skip-grading"]
batch_runs = {}
for norm, batch_size in [("batchnorm", 5), ("batchnorm", 10), ("batchnorm", 50), ("layernorm", 5), (None, 5)]:
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, normalization=norm, seed=0)
    solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                    batch_size=batch_size, num_epochs=4, verbose=False, seed=0)
    solver.train()
    name = f"{norm or 'no normalization'}, batch {batch_size}"
    batch_runs[name] = solver
    print(f"{name:>25}: training accuracy {solver.train_acc_history[-1]:.3f}, validation accuracy {solver.best_val_acc:.3f}")
fig, ax = plt.subplots(figsize=(7, 4))
for name, solver in batch_runs.items():
    ax.plot(solver.val_acc_history, "-o", ms=3, label=name)
ax.set(title="validation accuracy", xlabel="epoch")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
unplug()

# %% [markdown]
# ## Inline questions

# %% [markdown]
# **Inline question 1.** Derive the simplified batchnorm gradient of section 3 from the graph version: write dx as the sum of the three paths (direct, through the mean, through the variance) and simplify. Which sum vanishes, and why?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# With s = sqrt(var + eps): direct path dxhat / s; variance path dvar * 2 (x - mu) / N with dvar = -0.5 * sum(dxhat * (x - mu)) / s^3; mean path dmu / N with dmu = -sum(dxhat) / s + dvar * (-2/N) sum(x - mu). The last term vanishes because sum(x - mu) = 0. Substituting x_hat = (x - mu) / s gives dx = (N dxhat - sum(dxhat) - x_hat * sum(dxhat * x_hat)) / (N s).
# ### END SOLUTION

# %% [markdown]
# **Inline question 2.** In the weight-scale experiment, why does batchnorm make the network almost insensitive to the initial scale? Is there a scale at which batchnorm does not help?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# Batchnorm divides each hidden pre-activation by its batch standard deviation, so multiplying a layer's weights by any constant leaves its output unchanged: vanishing or exploding scales cannot compound over depth. Only the last (un-normalised) affine layer keeps the scale, and extremely large scales can still overflow in float32 or give huge initial losses; tiny scales slow down the first layer's gradient steps.
# ### END SOLUTION

# %% [markdown]
# **Inline question 3.** Why does batchnorm get worse with very small batches, while layer norm does not? Describe a situation where layer norm would also be a poor choice.

# %% [markdown] role="answer" n=3
# **Your answer:**
# ### BEGIN SOLUTION
# With a batch of 5 the mean and variance of each feature are estimated from 5 numbers, so they are noisy: the training signal is perturbed, and the running averages used at test time differ from the batch statistics seen in training. Layer norm's statistics come from the D features of one sample and do not depend on the batch. It is a poor choice when the features of one sample have very different scales or meanings (e.g. few, heterogeneous features), since normalising across them mixes unrelated units.
# ### END SOLUTION

# %% [markdown]
# **Inline question 4.** Batchnorm makes the output for one example depend on the other examples of its batch. Give one consequence for training and one for how you must run the network at test time.

# %% [markdown] role="answer" n=4
# **Your answer:**
# ### BEGIN SOLUTION
# Training: the noise from the other examples acts as a regularizer (a bit like dropout), and shuffling and batch composition matter. Test time: the model must be switched to test mode (running averages) so that a prediction does not depend on what else is in the batch, and the running averages must have been estimated on data like the test data.
# ### END SOLUTION

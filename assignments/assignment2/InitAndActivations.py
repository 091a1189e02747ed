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
# # Initialisation and activation functions
#
# A deep network is a long product: every layer multiplies its input by a weight matrix
# and squashes the result with a nonlinearity. Whether a signal survives ten such layers,
# or dies out or explodes, depends on two choices you make before training even starts:
#
# * the **activation function** (sigmoid, tanh, ReLU, leaky ReLU, ELU, SiLU), and
# * the **scale of the initial weights** (a small constant, Xavier, He).
#
# In this notebook you
#
# 1. implement five activation layers (forward and backward);
# 2. implement Xavier and He initialisation;
# 3. push a batch of real images through a 10-layer network and *look* at the activations
#    of every layer as histograms, to see saturation (sigmoid, tanh) and dead units (ReLU)
#    appear and disappear with the initialisation.
#
# Nothing here is trained: the statistics of a freshly initialised network already tell
# most of the story. Every experiment uses plain numpy loops built from *your* functions.

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
from cs231n.initializers import fans, make_rng
from cs231n.validation import check_array, check_positive

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_leaky_relu,
    check_sigmoid,
    check_tanh,
    check_elu,
    check_silu,
    check_xavier_init,
    check_he_init,
)

# --- notebook imports ---
from IPython.display import display

from cs231n.initializers import fans, small_random_init
from cs231n.layers import relu_backward, relu_forward
from cs231n.vis_utils import activation_histograms

# %%
# The embedded Fashion-MNIST subset (1x28x28 greyscale) works offline.
# With CIFAR-10 downloaded (python -m cs231n.data fetch cifar10) set DATASET = "cifar10".
DATASET = "default"
data = load_dataset(DATASET, num_training=1000, num_validation=100, num_test=100, seed=0)
X = data["X_train"][:500].reshape(500, -1).astype(np.float64)
X = X / X.std()  # zero mean (load_dataset subtracts the mean image) and unit variance
print(DATASET, "batch for the experiments:", X.shape)


# %% [markdown]
# ## 1. Activation functions
#
# Each activation is an elementwise layer with the usual pair of functions:
# `<name>_forward(x) -> (out, cache)` and `<name>_backward(dout, cache) -> dx`, where
# `dx = dout * f'(x)`. Keep in the cache whatever makes the backward pass cheap: for
# sigmoid and tanh the derivative is easiest to write in terms of the **output**.
#
# | activation | $f(x)$ | $f'(x)$ |
# |---|---|---|
# | leaky ReLU | $x$ if $x>0$, else $a x$ (`negative_slope` $a$ = 0.01) | $1$ or $a$ |
# | sigmoid | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)(1-\sigma(x))$ |
# | tanh | $\tanh x$ | $1-\tanh^2 x$ |
# | ELU | $x$ if $x>0$, else $\alpha(e^x-1)$ | $1$ or $\alpha e^x$ |
# | SiLU (swish) | $x\,\sigma(x)$ | $\sigma(x) + x\,\sigma(x)(1-\sigma(x))$ |
#
# For sigmoid, `np.exp(-x)` overflows for large negative `x`: compute it in a way that
# never exponentiates a large positive number (the check tries `x = -1000`). ReLU itself
# (`relu_forward`, `relu_backward`) comes from assignment 1 and is provided.
#
# Each check compares your forward pass with stored values and your backward pass with a
# numerical gradient, so it does not need the solution.

# %% [markdown]
# ### Leaky ReLU
#
# The slope for negative inputs is the argument `negative_slope` (default 0.01).

# %% role="solution" task="a2_leaky_relu"
def leaky_relu_forward(x, negative_slope=0.01):
    """Forward pass of a leaky ReLU: ``x`` where ``x > 0``, else ``negative_slope * x``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    negative_slope : float
        Slope for negative inputs (>= 0).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, negative_slope)``.
    """
    check_array(x, "leaky_relu_forward: x", floating=True)
    negative_slope = float(
        check_positive(negative_slope, "leaky_relu_forward: negative_slope", allow_zero=True)
    )
    # TODO(a2_leaky_relu): like ReLU, but negative inputs are scaled by negative_slope, not zeroed.
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, negative_slope * x)
    cache = (x, negative_slope)
    ### END SOLUTION
    return out, cache


def leaky_relu_backward(dout, cache):
    """Backward pass of a leaky ReLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, negative_slope)`` from :func:`leaky_relu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, negative_slope = cache
    check_array(dout, "leaky_relu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_leaky_relu): the local slope is 1 where x > 0 and negative_slope elsewhere.
    ### BEGIN SOLUTION
    dx = np.where(x > 0, dout, negative_slope * dout)
    ### END SOLUTION
    return dx


# %% role="test" task="a2_leaky_relu"
check_leaky_relu(leaky_relu_forward, leaky_relu_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_leaky_relu", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Sigmoid

# %% role="solution" task="a2_sigmoid"
def sigmoid_forward(x):
    """Forward pass of the logistic sigmoid ``1 / (1 + exp(-x))``, stable for large ``|x|``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
        Values in [0, 1].
    cache : ndarray
        ``out``: the backward pass only needs the output.
    """
    check_array(x, "sigmoid_forward: x", floating=True)
    # TODO(a2_sigmoid): exp(-x) overflows for very negative x; compute z = exp(-|x|), which
    # never overflows, and write the sigmoid in terms of z separately for x >= 0 and x < 0.
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    cache = out
    ### END SOLUTION
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of the sigmoid.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        The forward output ``s``.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    out = cache
    check_array(dout, "sigmoid_backward: dout", shape=out.shape, dims="of x")
    # TODO(a2_sigmoid): the derivative of the sigmoid is expressed through its own output.
    ### BEGIN SOLUTION
    dx = dout * out * (1 - out)
    ### END SOLUTION
    return dx


# %% role="test" task="a2_sigmoid"
check_sigmoid(sigmoid_forward, sigmoid_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_sigmoid", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Tanh
#
# `np.tanh` is fine for the forward pass.

# %% role="solution" task="a2_tanh"
def tanh_forward(x):
    """Forward pass of the hyperbolic tangent.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
        Values in [-1, 1].
    cache : ndarray
        ``out``.
    """
    check_array(x, "tanh_forward: x", floating=True)
    # TODO(a2_tanh): numpy has tanh; cache what the backward pass needs.
    ### BEGIN SOLUTION
    out = np.tanh(x)
    cache = out
    ### END SOLUTION
    return out, cache


def tanh_backward(dout, cache):
    """Backward pass of tanh.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : ndarray
        The forward output ``t``.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    out = cache
    check_array(dout, "tanh_backward: dout", shape=out.shape, dims="of x")
    # TODO(a2_tanh): like the sigmoid, the derivative of tanh is a function of its output.
    ### BEGIN SOLUTION
    dx = dout * (1 - out**2)
    ### END SOLUTION
    return dx


# %% role="test" task="a2_tanh"
check_tanh(tanh_forward, tanh_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_tanh", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### ELU
#
# The check also tries `alpha=1.5`, so do not hard-code `alpha = 1`.

# %% role="solution" task="a2_elu"
def elu_forward(x, alpha=1.0):
    """Forward pass of the exponential linear unit.

    ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    alpha : float
        Saturation value for very negative inputs is ``-alpha`` (>= 0).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, out, alpha)``.
    """
    check_array(x, "elu_forward: x", floating=True)
    alpha = float(check_positive(alpha, "elu_forward: alpha", allow_zero=True))
    # TODO(a2_elu): use np.expm1 on the negative part only (np.minimum(x, 0)), so that large
    # positive x cannot overflow in the branch np.where throws away.
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
    cache = (x, out, alpha)
    ### END SOLUTION
    return out, cache


def elu_backward(dout, cache):
    """Backward pass of the ELU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, out, alpha)`` from :func:`elu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, out, alpha = cache
    check_array(dout, "elu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_elu): for x <= 0 the derivative alpha * exp(x) can be written with the output.
    ### BEGIN SOLUTION
    dx = np.where(x > 0, dout, dout * (out + alpha))
    ### END SOLUTION
    return dx


# %% role="test" task="a2_elu"
check_elu(elu_forward, elu_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_elu", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### SiLU
#
# SiLU (also called swish) is a product, so its derivative needs the product rule.

# %% role="solution" task="a2_silu"
def silu_forward(x):
    """Forward pass of the SiLU (swish), ``x * sigmoid(x)``.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(x, s)`` with ``s = sigmoid(x)``.
    """
    check_array(x, "silu_forward: x", floating=True)
    # TODO(a2_silu): compute a numerically stable sigmoid s of x (as in sigmoid_forward) and
    # multiply; keep s for the backward pass.
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    out = x * s
    cache = (x, s)
    ### END SOLUTION
    return out, cache


def silu_backward(dout, cache):
    """Backward pass of the SiLU.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(x, s)`` from :func:`silu_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    x, s = cache
    check_array(dout, "silu_backward: dout", shape=x.shape, dims="of x")
    # TODO(a2_silu): product rule on x * s(x), with s' = s * (1 - s).
    ### BEGIN SOLUTION
    dx = dout * s * (1 + x * (1 - s))
    ### END SOLUTION
    return dx


# %% role="test" task="a2_silu"
check_silu(silu_forward, silu_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_silu", globals())
### END HIDDEN TESTS

# %% [markdown]
# A picture of what you just wrote: the functions on the left, their derivatives (your backward passes with `dout = 1`) on the right. Note where each derivative is close to 0.

# %% tags=["skip-grading"]
# Your activations and their derivatives, side by side.
z = np.linspace(-5, 5, 401)
layers = {
    "ReLU": (relu_forward, relu_backward),
    "leaky ReLU (0.1)": (lambda x: leaky_relu_forward(x, 0.1), leaky_relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "ELU": (elu_forward, elu_backward),
    "SiLU": (silu_forward, silu_backward),
}
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 3.8))
for name, (fwd, bwd) in layers.items():
    out, cache = fwd(z)
    ax_f.plot(z, out, label=name)
    ax_d.plot(z, bwd(np.ones_like(z), cache), label=name)
ax_f.set(title="f(x)", xlabel="x", ylim=(-2, 5))
ax_d.set(title="f'(x)", xlabel="x", ylim=(-0.2, 1.3))
ax_f.legend(fontsize=8)
ax_f.grid(alpha=0.3)
ax_d.grid(alpha=0.3)
plt.show()


# %% [markdown]
# ## 2. Initialisation
#
# Consider one affine layer $y = x W$ with $D$ = `fan_in` inputs, independent zero-mean
# inputs and weights. Each output is a sum of `fan_in` products, so
#
# $$\mathrm{Var}(y) = \text{fan\_in}\cdot \mathrm{Var}(W)\cdot \mathrm{Var}(x).$$
#
# To keep the variance of the signal the same from layer to layer we need
# $\mathrm{Var}(W) = 1/\text{fan\_in}$. Two refinements are in use:
#
# * **Xavier/Glorot** (for tanh- and sigmoid-like units) balances the forward and the
#   backward pass: $\mathrm{std}(W) = \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}$.
# * **He/Kaiming** (for ReLU) notes that ReLU zeroes half of its inputs, which halves the
#   variance, and compensates with a factor 2: $\mathrm{std}(W) = \sqrt{2 / \text{fan\_in}}$.
#
# `fans(shape)` (provided) gives `(fan_in, fan_out)`: for an affine weight `(D, M)` it is
# `(D, M)`; for a conv filter bank `(F, C, HH, WW)` it is `(C*HH*WW, F*HH*WW)`. The provided
# lines compute the fans and turn `rng` (an int seed, a Generator or None) into a
# Generator; draw `rng.standard_normal(shape)`, scale it, and return it as `dtype`. The CS231n-style baseline, a fixed small standard
# deviation, is provided as `small_random_init(shape, scale=1e-2)`.

# %% role="solution" task="a2_xavier_init"
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
    # TODO(a2_xavier_init): draw standard normals of this shape and scale them by
    # sqrt(2 / (fan_in + fan_out)); return them as dtype.
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / (fan_in + fan_out))
    w = (std * rng.standard_normal(shape)).astype(dtype)
    ### END SOLUTION
    return w


# %% role="test" task="a2_xavier_init"
check_xavier_init(xavier_init)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_xavier_init", globals())
### END HIDDEN TESTS

# %% role="solution" task="a2_he_init"
def he_init(shape, rng=None, dtype=np.float64):
    """He/Kaiming normal initialisation: std ``sqrt(2 / fan_in)``.

    ReLU zeroes half of its inputs on average; the factor 2 makes up for it so that the
    variance of the activations stays constant through the layers.

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
    # TODO(a2_he_init): draw standard normals of this shape and scale them by sqrt(2 / fan_in);
    # return them as dtype.
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / fan_in)
    w = (std * rng.standard_normal(shape)).astype(dtype)
    ### END SOLUTION
    return w


# %% role="test" task="a2_he_init"
check_he_init(he_init)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_he_init", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Activations across depth
#
# Now the experiment. We push the same batch of 500 images through a 10-layer fully
# connected network (width 256, no biases, no training) and record the activations of
# every layer. `forward_stats` is an ordinary numpy loop over your activation and
# initialisation functions:
#
# * **small random** init (std 0.01) shrinks the signal by a factor of about
#   $0.01\sqrt{256} = 0.16$ per layer: after a few layers everything is ~0, and so are the
#   gradients (they are multiplied by the same small weights on the way back);
# * **Xavier** keeps tanh's activations spread out; with ReLU the variance still halves at
#   every layer;
# * **He** keeps ReLU-family activations at a constant scale;
# * **large random** init (std 1) is the opposite mistake: pre-activations of size
#   $\sqrt{256} = 16$ push every sigmoid and tanh unit into its flat tails, and ReLU
#   activations grow by a factor of about 11 per layer.
#
# Two failure modes are worth measuring:
#
# * **saturation**: a sigmoid or tanh unit whose output is within 1% of its asymptote has
#   a derivative close to 0, so it stops learning;
# * **dead units**: a ReLU unit that is 0 for *every* example of the batch passes no
#   gradient at all.

# %% tags=["skip-grading"]
ACTIVATIONS = {
    "sigmoid": sigmoid_forward,
    "tanh": tanh_forward,
    "ReLU": relu_forward,
    "leaky ReLU": leaky_relu_forward,
    "ELU": elu_forward,
    "SiLU": silu_forward,
}
INITS = {
    "small random (0.01)": lambda shape, rng: small_random_init(shape, scale=1e-2, rng=rng),
    "Xavier": xavier_init,
    "He": he_init,
    "large random (1.0)": lambda shape, rng: small_random_init(shape, scale=1.0, rng=rng),
}
DEPTH, WIDTH = 10, 256


def forward_stats(activation, init, X, depth=DEPTH, width=WIDTH, seed=0):
    # Hidden activations of every layer of a freshly initialised plain network.
    rng = np.random.default_rng(seed)
    h, outs = X, []
    for _ in range(depth):
        W = init((h.shape[1], width), rng=rng)
        h, _ = activation(h @ W)
        outs.append(h)
    return outs


def saturated(h, name):
    # Fraction of units within 1% of an asymptote (sigmoid: 0 or 1; tanh: -1 or 1).
    if name == "sigmoid":
        return float(np.mean((h < 0.01) | (h > 0.99)))
    if name == "tanh":
        return float(np.mean(np.abs(h) > 0.99))
    return float("nan")


def dead(h):
    # Fraction of units that are exactly 0 for every example of the batch.
    return float(np.mean(np.all(h == 0, axis=0)))


stats = {
    (a_name, i_name): forward_stats(act, init, X)
    for a_name, act in ACTIVATIONS.items()
    for i_name, init in INITS.items()
}

fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), sharey=True)
for ax, i_name in zip(axes, INITS):
    for a_name in ACTIVATIONS:
        ax.semilogy(range(1, DEPTH + 1), [h.std() + 1e-30 for h in stats[a_name, i_name]], "-o", ms=3, label=a_name)
    ax.set(title=f"init: {i_name}", xlabel="layer")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("std of the activations")
axes[-1].legend(fontsize=8)
plt.show()

# %% [markdown]
# The standard deviation is a one-number summary; the histograms show the whole
# distribution. Every panel of a figure uses the x-axis of layer 1, so shrinking and
# saturation are visible at a glance. Compare tanh with a small init (everything collapses
# to a spike at 0), tanh with Xavier (spread out), tanh with a large init (two spikes at -1
# and +1: saturated), and ReLU with Xavier vs He (the spike at 0 is the half of the units
# that ReLU switches off; with Xavier the rest shrinks layer by layer).

# %% tags=["skip-grading"]
shown = [1, 4, 7, 10]  # layers to show
pairs = [
    ("tanh", "small random (0.01)"),
    ("tanh", "Xavier"),
    ("tanh", "large random (1.0)"),
    ("ReLU", "Xavier"),
    ("ReLU", "He"),
]
for a_name, i_name in pairs:
    outs = stats[a_name, i_name]
    fig = activation_histograms({f"layer {k}": outs[k - 1] for k in shown}, bins=40)
    fig.suptitle(f"{a_name}, {i_name} init (same x-axis in every panel)", fontsize=10)
    lo, hi = outs[0].min(), outs[0].max()
    for ax in fig.axes:
        ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
    display(fig)


# %% [markdown]
# ### Try it yourself
#
# Pick an activation and a weight scale (the standard deviation of the weights, on a log
# scale; the marks show where Xavier and He put it for this width) and watch the signal
# grow, shrink or saturate through the 10 layers. If the sliders do not show, the figures
# above are the static version of the same experiment.

# %% tags=["skip-grading"]
def explore(activation="tanh", log10_std=-1.2):
    std = 10.0**log10_std
    outs = forward_stats(ACTIVATIONS[activation], lambda shape, rng: small_random_init(shape, scale=std, rng=rng), X)
    fig, (ax_std, ax_hist) = plt.subplots(1, 2, figsize=(11, 3.2))
    ax_std.semilogy(range(1, DEPTH + 1), [h.std() + 1e-30 for h in outs], "-o")
    ax_std.set(title=f"{activation}, weight std {std:.3g}", xlabel="layer", ylabel="std of the activations")
    ax_hist.hist(outs[-1].ravel(), bins=50)
    ax_hist.set(title="layer 10 activations")
    plt.show()


print(f"for width {WIDTH}: Xavier std = {np.sqrt(2 / (2 * WIDTH)):.4f} (log10 {np.log10(np.sqrt(1 / WIDTH)):.2f}), "
      f"He std = {np.sqrt(2 / WIDTH):.4f} (log10 {np.log10(np.sqrt(2 / WIDTH)):.2f})")
try:
    import ipywidgets as widgets

    widgets.interact(
        explore,
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="tanh", description="activation"),
        log10_std=widgets.FloatSlider(value=-1.2, min=-3.0, max=0.5, step=0.1, description="log10 std", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing one setting only.")
    explore()

# %% tags=["skip-grading"]
# Saturation (sigmoid, tanh) and dead units (ReLU family) in the LAST layer.
print(f"{'activation':<12}{'init':<22}{'std':>10}{'saturated':>11}{'dead units':>12}")
for (a_name, i_name), outs in stats.items():
    h = outs[-1]
    sat = saturated(h, a_name)
    sat = "-" if np.isnan(sat) else f"{sat:.1%}"
    print(f"{a_name:<12}{i_name:<22}{h.std():>10.3g}{sat:>11}{dead(h):>12.1%}")


# %% [markdown]
# ### Dead units need a push
#
# The table shows that some ReLU units of the last layer are already dead at
# initialisation: deep in the network the inputs of a layer are strongly correlated, so a
# unit can be negative for every example. During training units die in the same way, typically
# after a large update pushes a unit's bias or weights so that its pre-activation is
# negative for every input. We can imitate that by shifting the
# pre-activations down by a constant (think of a bias of -1 times the unit's scale) and
# counting the units that never fire, for ReLU and for its relatives that keep a gradient
# for negative inputs.

# %% tags=["skip-grading"]
def dead_fraction(activation, shift, seed=0):
    rng = np.random.default_rng(seed)
    h = X
    fractions = []
    for _ in range(DEPTH):
        W = he_init((h.shape[1], WIDTH), rng=rng)
        a = h @ W
        a = a - shift * a.std()
        h, cache = activation(a)
        # a unit is "dead" if no example sends any gradient through it
        grad = activation_backward[activation](np.ones_like(h), cache)
        fractions.append(float(np.mean(np.all(grad == 0, axis=0))))
    return fractions


activation_backward = {relu_forward: relu_backward, leaky_relu_forward: leaky_relu_backward, elu_forward: elu_backward}
shifts = [0.0, 1.0, 2.0, 3.0]
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, act in [("ReLU", relu_forward), ("leaky ReLU", leaky_relu_forward), ("ELU", elu_forward)]:
    ax.plot(shifts, [dead_fraction(act, s)[-1] for s in shifts], "-o", label=name)
ax.set(xlabel="downward shift of the pre-activations (in stds)", ylabel="dead units, last layer", title="Dead units (no gradient for any example)")
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ## Inline questions

# %% [markdown]
# **Inline question 1.** Sigmoid activations in the last layer are far from zero-mean even with Xavier initialisation. Why is that a problem for the *next* layer's weight gradients, and which of the six activations avoid it?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# A sigmoid output is always positive (around 0.5), so every input of the next layer is positive. The gradient of a weight row is dout times the input, so all weights of one unit get gradients of the same sign and can only move together (zig-zag updates). Zero-centred activations (tanh, and approximately ELU, SiLU and leaky ReLU near 0) avoid most of it; ReLU is not zero-centred either.
# ### END SOLUTION

# %% [markdown]
# **Inline question 2.** He initialisation has a factor 2 that Xavier (for fan_in = fan_out) does not. Explain where it comes from, and predict what happens to the std of ReLU activations per layer with Xavier init in this 10-layer network. Does the plot agree?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# ReLU zeroes the negative half of a zero-mean symmetric input, so the second moment of its output is half the variance of its input. With Var(W) = 1/fan_in the signal's second moment halves at every layer (std shrinks by 1/sqrt(2) per layer, about 0.7**10 = 0.03 after 10 layers, apart from the first layer whose fan_in differs); He's factor 2 undoes exactly that, keeping the scale constant. The plot shows a straight line down on the log scale for ReLU + Xavier and a flat line for ReLU + He.
# ### END SOLUTION

# %% [markdown]
# **Inline question 3.** Leaky ReLU, ELU and SiLU all pass some gradient for negative inputs. Name one reason to still prefer plain ReLU, and one situation where a leaky variant is worth it.

# %% [markdown] role="answer" n=3
# **Your answer:**
# ### BEGIN SOLUTION
# ReLU is the cheapest, exactly sparse, and works well with He init and batchnorm, which keep units from dying in practice. A leaky variant (or ELU/SiLU) helps when many units die: large learning rates, strong negative biases, no normalisation, or very deep plain networks; ELU and SiLU also have roughly zero-mean outputs.
# ### END SOLUTION

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
# # Backpropagation on computational graphs
#
# Every model in this course computes its loss as a chain of small operations. Drawn as a
# **computational graph**, each node (a *gate*) knows two things:
#
# * **forward**: how to compute its output from its inputs, and what to remember (the
#   *cache*);
# * **backward**: given $\partial L / \partial \text{out}$ (the *upstream gradient*,
#   `dout`), how to compute $\partial L / \partial \text{input}$ for each input, by the
#   chain rule: upstream gradient times the gate's *local* gradient.
#
# Backpropagation is nothing more than calling the backward passes in reverse order. You
# will write four gates, combine them, check them against numeric gradients, and then
# look at the oldest neural unit, the perceptron, and why it cannot compute XOR alone.

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
from cs231n.validation import ShapeError, check_array, check_choice, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_gate_add,
    check_gate_multiply,
    check_gate_max,
    check_gate_sigmoid,
    check_perceptron,
)

# --- notebook imports ---
from cs231n.gradient_check import eval_numerical_gradient

# %% [markdown]
# ## 1. The add gate
#
# $\text{out} = x + y$. Both local gradients are 1, so the add gate **distributes** the
# upstream gradient unchanged to both inputs. It needs nothing from the forward pass
# (return `None` as the cache). The gates work elementwise on numbers or arrays of the
# same shape.

# %% role="solution" task="a1_gate_add"
def add_gate_forward(x, y):
    """Forward pass of ``out = x + y``.

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``x + y``.
    cache : object
        What the backward pass needs (nothing, for an add gate).
    """
    # TODO(a1_gate_add): compute out = x + y; the add gate needs no cache (use None).
    ### BEGIN SOLUTION
    out = x + y
    cache = None
    ### END SOLUTION
    return out, cache


def add_gate_backward(dout, cache):
    """Backward pass of the add gate: it routes ``dout`` unchanged to both inputs.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : object
        From :func:`add_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_add): the local gradients d(x + y)/dx and d(x + y)/dy are both 1.
    ### BEGIN SOLUTION
    dx = 1.0 * dout
    dy = 1.0 * dout
    ### END SOLUTION
    return dx, dy


# %% role="test" task="a1_gate_add"
check_gate_add(add_gate_forward, add_gate_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_gate_add", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 2. The multiply gate
#
# $\text{out} = x \cdot y$: $\partial \text{out}/\partial x = y$ and
# $\partial \text{out}/\partial y = x$. The multiply gate **swaps** its inputs: each
# gets the upstream gradient times the *other* input, which is why it must cache both.

# %% role="solution" task="a1_gate_multiply"
def multiply_gate_forward(x, y):
    """Forward pass of ``out = x * y`` (elementwise).

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``x * y``.
    cache : tuple
        ``(x, y)``.
    """
    # TODO(a1_gate_multiply): compute out = x * y and cache both inputs.
    ### BEGIN SOLUTION
    out = x * y
    cache = (x, y)
    ### END SOLUTION
    return out, cache


def multiply_gate_backward(dout, cache):
    """Backward pass of the multiply gate: each input gets ``dout`` times the *other* input.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : tuple
        ``(x, y)`` from :func:`multiply_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_multiply): d(x * y)/dx = y and d(x * y)/dy = x; multiply by dout.
    ### BEGIN SOLUTION
    x, y = cache
    dx = dout * y
    dy = dout * x
    ### END SOLUTION
    return dx, dy


# %% role="test" task="a1_gate_multiply"
check_gate_multiply(multiply_gate_forward, multiply_gate_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_gate_multiply", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### A first graph: $f(x, y, z) = (x + y)\, z$
#
# With $x = -2, y = 5, z = -4$: forward gives $q = x + y = 3$ and $f = qz = -12$. Backward
# from $\partial f/\partial f = 1$: the multiply gate gives $\partial f/\partial q = z = -4$ and
# $\partial f/\partial z = q = 3$; the add gate passes $-4$ on to both $x$ and $y$.
# Your gates should reproduce this, and the numeric gradient should agree.

# %%
def f_forward(v):
    x, y, z = v
    q, cache_add = add_gate_forward(x, y)
    f, cache_mul = multiply_gate_forward(q, z)
    return f, (cache_add, cache_mul)


def f_backward(cache):
    cache_add, cache_mul = cache
    dq, dz = multiply_gate_backward(1.0, cache_mul)
    dx, dy = add_gate_backward(dq, cache_add)
    return np.array([dx, dy, dz])


v = np.array([-2.0, 5.0, -4.0])
f, cache = f_forward(v)
analytic = f_backward(cache)
numeric = eval_numerical_gradient(lambda v: f_forward(v)[0], v)
print("f =", f)
print("analytic gradient [df/dx, df/dy, df/dz]:", analytic)
print("numeric gradient                        :", numeric)


# %% [markdown]
# ## 3. The max gate
#
# $\text{out} = \max(x, y)$ elementwise. The larger input gets the whole upstream gradient
# and the other gets 0: the max gate **routes**. At a tie ($x = y$) the derivative is not
# defined; we choose to route it to $x$, so that exactly one input gets it.

# %% role="solution" task="a1_gate_max"
def max_gate_forward(x, y):
    """Forward pass of ``out = max(x, y)`` (elementwise).

    Parameters
    ----------
    x, y : float or ndarray of the same shape

    Returns
    -------
    out : float or ndarray
        ``max(x, y)``.
    cache : tuple
        ``(x, y)``.
    """
    # TODO(a1_gate_max): compute the elementwise maximum (np.maximum) and cache both inputs.
    ### BEGIN SOLUTION
    out = np.maximum(x, y)
    cache = (x, y)
    ### END SOLUTION
    return out, cache


def max_gate_backward(dout, cache):
    """Backward pass of the max gate: ``dout`` goes to the larger input only.

    On a tie (``x == y``) the whole gradient goes to ``x``; the max is not
    differentiable there and any split is a valid subgradient, but the kit fixes this one.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : tuple
        ``(x, y)`` from :func:`max_gate_forward`.

    Returns
    -------
    dx, dy : float or ndarray
        dL/dx and dL/dy.
    """
    # TODO(a1_gate_max): route dout to x where x >= y (ties go to x) and to y elsewhere.
    ### BEGIN SOLUTION
    x, y = cache
    x_wins = np.greater_equal(x, y)
    dx = np.where(x_wins, dout, 0.0)
    dy = np.where(x_wins, 0.0, dout)
    if np.ndim(dx) == 0:
        dx, dy = float(dx), float(dy)
    ### END SOLUTION
    return dx, dy


# %% role="test" task="a1_gate_max"
check_gate_max(max_gate_forward, max_gate_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_gate_max", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 4. The sigmoid gate
#
# $\sigma(x) = 1/(1 + e^{-x})$ squashes a number into $(0, 1)$. Its derivative has a neat
# form in terms of its own output: $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$. So cache the
# **output** in the forward pass, and the backward pass needs no exponential at all.

# %% role="solution" task="a1_gate_sigmoid"
def sigmoid_gate_forward(x):
    """Forward pass of the logistic sigmoid ``out = 1 / (1 + exp(-x))``.

    Parameters
    ----------
    x : float or ndarray

    Returns
    -------
    out : float or ndarray
        ``sigmoid(x)``, in (0, 1).
    cache : float or ndarray
        ``out`` itself: the derivative is a function of the output.
    """
    # TODO(a1_gate_sigmoid): compute out = 1 / (1 + exp(-x)) and cache out.
    ### BEGIN SOLUTION
    out = 1.0 / (1.0 + np.exp(-x))
    cache = out
    ### END SOLUTION
    return out, cache


def sigmoid_gate_backward(dout, cache):
    """Backward pass of the sigmoid: ``dx = dout * out * (1 - out)``.

    Parameters
    ----------
    dout : float or ndarray
        Upstream gradient dL/dout.
    cache : float or ndarray
        ``out`` from :func:`sigmoid_gate_forward`.

    Returns
    -------
    dx : float or ndarray
        dL/dx.
    """
    # TODO(a1_gate_sigmoid): use sigma'(x) = sigma(x) * (1 - sigma(x)) with the cached output.
    ### BEGIN SOLUTION
    out = cache
    dx = dout * out * (1.0 - out)
    ### END SOLUTION
    return dx


# %% role="test" task="a1_gate_sigmoid"
check_gate_sigmoid(sigmoid_gate_forward, sigmoid_gate_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_gate_sigmoid", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### A neuron from gates
#
# A neuron with two inputs computes $\sigma(w_0 x_0 + w_1 x_1 + w_2)$. Build it from your
# gates and backpropagate to get the gradient with respect to the weights and the inputs.
# With $w = (2, -3, -3)$ and $x = (-1, -2)$ the output is about 0.73, and the gradient
# with respect to $w$ is about $(-0.2, -0.39, 0.2)$.

# %%
def neuron_forward(params):
    w0, w1, w2, x0, x1 = params
    a, c1 = multiply_gate_forward(w0, x0)
    b, c2 = multiply_gate_forward(w1, x1)
    s, c3 = add_gate_forward(a, b)
    z, c4 = add_gate_forward(s, w2)
    out, c5 = sigmoid_gate_forward(z)
    return out, (c1, c2, c3, c4, c5)


def neuron_backward(cache):
    c1, c2, c3, c4, c5 = cache
    dz = sigmoid_gate_backward(1.0, c5)
    ds, dw2 = add_gate_backward(dz, c4)
    da, db = add_gate_backward(ds, c3)
    dw1, dx1 = multiply_gate_backward(db, c2)
    dw0, dx0 = multiply_gate_backward(da, c1)
    return np.array([dw0, dw1, dw2, dx0, dx1])


params = np.array([2.0, -3.0, -3.0, -1.0, -2.0])
out, cache = neuron_forward(params)
analytic = neuron_backward(cache)
numeric = eval_numerical_gradient(lambda p: neuron_forward(p)[0], params)
print(f"output {out:.4f}")
print("analytic [dw0, dw1, dw2, dx0, dx1]:", np.round(analytic, 5))
print("numeric                           :", np.round(numeric, 5))
rel = np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric))
print(f"largest relative error {rel.max():.1e}")

# %% [markdown]
# ## 5. How good is a numeric gradient?
#
# The centred difference $(f(x + h) - f(x - h)) / 2h$ has two sources of error. A large
# step $h$ gives a **truncation** error of order $h^2$; a tiny step divides the
# **rounding** error of $f$ (about $10^{-16}$ relative in float64) by $h$. The plot shows
# the error of the numeric derivative of the neuron's output with respect to $w_0$ against
# the exact one, for steps from 1 down to $10^{-14}$, in float64 and in float32. In float64
# the best step is near $10^{-5}$ (an error around $10^{-10}$); in float32 the best step is
# near $10^{-2}$, the error there is thousands of times larger, and below $10^{-7}$ the step
# vanishes in rounding altogether.
# This is why every gradient check in the course runs in float64 with $h = 10^{-5}$.

# %%
exact = neuron_backward(neuron_forward(params)[1])[0]
steps = np.logspace(0, -14, 57)
for dtype in (np.float64, np.float32):
    errors = []
    for h in steps:
        p_plus, p_minus = params.astype(dtype), params.astype(dtype)
        p_plus[0] += dtype(h)
        p_minus[0] -= dtype(h)
        num = (neuron_forward(p_plus)[0] - neuron_forward(p_minus)[0]) / (2 * h)
        errors.append(abs(float(num) - exact) / abs(exact) + 1e-17)
    plt.loglog(steps, errors, marker=".", label=np.dtype(dtype).name)
plt.gca().invert_xaxis()
plt.xlabel("step h")
plt.ylabel("relative error of the numeric gradient")
plt.legend()
plt.title("Truncation (left) vs rounding (right)")
plt.show()


# %% [markdown]
# **Inline question 1.** Look at the plot. Why does the error *grow* again when $h$ becomes very small, and why
# does float32 reach its best error at a much larger $h$ than float64?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# For small h the two function values f(x+h) and f(x-h) agree in most of their digits, so
# their difference is dominated by rounding error (about eps * |f|), which is then divided by
# 2h: the error grows like eps / h. The total error ~ h^2 + eps/h is smallest near
# h ~ eps^(1/3): about 1e-5 for float64 (eps 1e-16) and about 1e-2 to 1e-3 for float32
# (eps 1e-7), where the best achievable error is also much larger.
# ### END SOLUTION

# %% [markdown]
# ## 6. The perceptron
#
# Rosenblatt's perceptron (1958) computes a weighted sum and fires when it is positive:
#
# $$\text{out} = \text{step}(x \cdot w + b), \qquad \text{step}(z) = 1 \text{ if } z > 0 \text{ else } 0.$$
#
# Its decision boundary is the line $x \cdot w + b = 0$. With two binary inputs, choosing
# $w$ and $b$ means placing a line that separates the inputs where a logic gate outputs 1
# from those where it outputs 0. Write the perceptron, the weights of AND, NAND and OR, and
# then XOR, which needs **two layers**: $\text{XOR}(x) = \text{AND}(\text{NAND}(x), \text{OR}(x))$.
# (The step has zero gradient almost everywhere, so perceptrons are not trained by
# backpropagation; that is why neural networks use smooth activations like the sigmoid.)

# %% role="solution" task="a1_perceptron"
def perceptron_forward(x, w, b):
    """A layer of one perceptron: ``step(x @ w + b)``, with step(z) = 1 if z > 0 else 0.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        Inputs, one row per sample (for logic gates D = 2 and entries are 0 or 1).
    w : ndarray of shape (D,)
        Weights.
    b : float
        Bias.

    Returns
    -------
    out : ndarray of shape (N,), dtype int
        0 or 1 per sample.
    """
    check_array(x, "perceptron_forward: x", ndim=2, dims="(N, D)")
    check_array(w, "perceptron_forward: w", shape=(x.shape[1],), dims="(D,)")
    # TODO(a1_perceptron): compute z = x @ w + b and return 1 where z > 0, else 0, as ints.
    ### BEGIN SOLUTION
    z = x @ w + b
    out = (z > 0).astype(int)
    ### END SOLUTION
    return out


def logic_gate_weights(name):
    """Weights ``(w, b)`` of a perceptron that computes a two-input logic gate.

    Parameters
    ----------
    name : {"and", "nand", "or"}

    Returns
    -------
    w : ndarray of shape (2,)
    b : float
        Such that ``perceptron_forward(x, w, b)`` is the gate's truth table on the
        four rows of ``x in {0, 1}**2``.
    """
    check_choice(name, "logic_gate_weights: name", ("and", "nand", "or"))
    # TODO(a1_perceptron): pick w and b for each gate; e.g. AND fires only when
    # x1 + x2 exceeds 1.5. Draw the four inputs and the line w . x + b = 0 if unsure.
    ### BEGIN SOLUTION
    table = {
        "and": (np.array([1.0, 1.0]), -1.5),
        "nand": (np.array([-1.0, -1.0]), 1.5),
        "or": (np.array([1.0, 1.0]), -0.5),
    }
    w, b = table[name]
    ### END SOLUTION
    return w, b


def xor_forward(x):
    """XOR of two binary inputs, as a two-layer network of perceptrons.

    ``XOR(x) = AND(NAND(x), OR(x))``: the hidden layer computes NAND and OR, the output
    perceptron ANDs them.

    Parameters
    ----------
    x : ndarray of shape (N, 2)
        Binary inputs.

    Returns
    -------
    out : ndarray of shape (N,), dtype int
    """
    check_array(x, "xor_forward: x", ndim=2, dims="(N, 2)")
    if x.shape[1] != 2:
        fail("xor_forward: x", "an array of shape (N, 2)", f"shape {x.shape}", None, ShapeError)
    # TODO(a1_perceptron): compute NAND(x) and OR(x) with perceptron_forward and
    # logic_gate_weights, stack them as the columns of h (N, 2), and return AND(h).
    ### BEGIN SOLUTION
    h = np.stack(
        [
            perceptron_forward(x, *logic_gate_weights("nand")),
            perceptron_forward(x, *logic_gate_weights("or")),
        ],
        axis=1,
    )
    out = perceptron_forward(h, *logic_gate_weights("and"))
    ### END SOLUTION
    return out


# %% role="test" task="a1_perceptron"
check_perceptron(perceptron_forward, logic_gate_weights, xor_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_perceptron", globals())
### END HIDDEN TESTS

# %% [markdown]
# The decision lines of your three gates on the unit square. Filled markers are inputs
# where the gate outputs 1. For XOR, the two classes sit on opposite corners: no single
# line separates them, but the band between the two lines of the hidden layer (NAND and
# OR, dotted) does.

# %%
inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
fig, axes = plt.subplots(1, 4, figsize=(12, 3))
gx = np.linspace(-0.5, 1.5, 2)
for ax, name in zip(axes, ["and", "nand", "or", "xor"]):
    out = xor_forward(inputs) if name == "xor" else perceptron_forward(inputs, *logic_gate_weights(name))
    for (a, b), o in zip(inputs, out):
        ax.scatter(a, b, s=120, c="C1" if o else "white", edgecolors="k", zorder=3)
    # XOR: the hidden layer's two lines (NAND and OR); XOR is 1 in the band between them
    for gate in ["nand", "or"] if name == "xor" else [name]:
        w, b = logic_gate_weights(gate)
        ax.plot(gx, -(w[0] * gx + b) / w[1], "k--" if name != "xor" else "k:")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_title(name.upper() + (" (two layers)" if name == "xor" else ""))
    ax.set_aspect("equal")
plt.show()

# %% [markdown]
# **Inline question 2.** Explain why no single perceptron computes XOR, and how the hidden layer of
# `xor_forward` gets around it. What does this suggest about networks with a hidden
# layer in general?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# A single perceptron outputs 1 on one side of a straight line. XOR is 1 on (0,1) and (1,0)
# and 0 on (0,0) and (1,1): any line with (0,1) and (1,0) on its positive side also puts their
# midpoint (0.5, 0.5) there, and that is also the midpoint of (0,0) and (1,1), so at least one
# of those would be positive too (XOR is not linearly separable). The hidden layer maps the
# inputs to new features h = (NAND, OR), where (0,0) -> (1,0), (1,1) -> (0,1) and the two XOR
# points -> (1,1), which AND separates with one line. Hidden layers compute new
# representations in which the problem becomes linearly separable; with enough hidden units
# a network can represent any boolean function (and approximate continuous ones).
# ### END SOLUTION

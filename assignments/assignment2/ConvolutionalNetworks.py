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
# # Convolutional networks
#
# A fully connected layer treats an image as an unordered list of pixels. A **convolutional
# layer** uses the structure instead: it slides a small filter (say 3x3 pixels across all
# input channels) over the image and computes one dot product per position, so the same
# few weights detect the same pattern everywhere. **Max pooling** then keeps the strongest
# response in each small window, halving the resolution.
#
# In this notebook you implement
#
# 1. the convolution forward and backward passes, naively, with loops;
# 2. max pooling forward and backward;
# 3. a `ThreeLayerConvNet` (conv - ReLU - pool - affine - ReLU - affine - softmax), which you
#    train and whose filters you look at;
# 4. spatial batch normalization and group normalization for convolutional feature maps.
#
# Fast (vectorised) versions of the conv and pool layers are provided in
# `cs231n.fast_layers`; you will compare them with yours.

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
from cs231n.initializers import make_rng
from cs231n.layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from cs231n.layers.affine import affine_backward, affine_forward
from cs231n.layers.conv import conv_output_shape, pool_output_shape
from cs231n.layers.losses import softmax_loss
from cs231n.validation import (
    ConfigError,
    ShapeError,
    check_array,
    check_choice,
    check_keys,
    check_labels,
    check_positive,
    fail,
)

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_conv_forward_naive,
    check_conv_backward_naive,
    check_max_pool_forward_naive,
    check_max_pool_backward_naive,
    check_three_layer_convnet,
    check_spatial_batchnorm,
    check_spatial_groupnorm,
)

# --- notebook imports ---
import time

from cs231n.data import load_photo
from cs231n.course.notebook_import import import_notebook
from cs231n.fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from cs231n.solver import Solver
from cs231n.vis_utils import plot_history, show_filters

# %% [markdown]
# ## Data
#
# The embedded Fashion-MNIST subset (1x28x28) by default; `DATASET = "cifar10"` once downloaded. Pixels are scaled to unit variance.

# %%
DATASET = "default"  # the embedded Fashion-MNIST subset; "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
C, H, W = data["input_dim"]
print({k: v.shape for k, v in data.items() if hasattr(v, "shape")})


# %% [markdown]
# ## 1. Convolution: the naive forward pass
#
# Input `x` of shape `(N, C, H, W)`, filters `w` of shape `(F, C, HH, WW)`, biases `b` of
# shape `(F,)`, and `conv_param = {"stride": s, "pad": p}`. Zero-pad `x` by `p` pixels on
# each side of H and W (`np.pad`), then for every image `n`, filter `f` and output position
# `(i, j)`:
#
# $$\text{out}[n, f, i, j] = \sum_{c, k, l} x_\text{pad}[n, c, i s + k, j s + l]\; w[f, c, k, l] + b[f]$$
#
# The output has size $H' = 1 + (H + 2p - HH) / s$ and $W' = 1 + (W + 2p - WW) / s$. Note
# that CNNs compute a cross-correlation: the filter is **not** flipped. Loops over the
# output positions are fine here (vectorise over `n` and `f` if you like); speed comes
# later.

# %% role="solution" task="a2_conv_forward_naive"
def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer, with explicit loops.

    Filter f slides over the zero-padded input in steps of ``stride``; at each
    position the output is the sum of the elementwise product of the filter and the
    window (over all C channels) plus ``b[f]``.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        ``"stride"``: step between windows (int >= 1); ``"pad"``: zeros added on each
        side of H and W (int >= 0).

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
        ``H' = 1 + (H + 2 * pad - HH) // stride``, ``W' = 1 + (W + 2 * pad - WW) // stride``.
    cache : tuple
        ``(x, w, b, conv_param)``.
    """
    check_array(x, "conv_forward_naive: x", ndim=4, dims="(N, C, H, W)", floating=True)
    check_array(
        w, "conv_forward_naive: w", shape=(None, x.shape[1], None, None), dims="(F, C, HH, WW)"
    )
    check_array(b, "conv_forward_naive: b", shape=(w.shape[0],), dims="(F,)")
    check_keys(conv_param, "conv_forward_naive: conv_param", ("stride", "pad"))
    H_out, W_out = conv_output_shape(x.shape, w.shape, conv_param, "conv_forward_naive")
    stride, pad = conv_param["stride"], conv_param["pad"]
    # TODO(a2_conv_forward_naive): zero-pad H and W with np.pad, then loop over samples,
    # filters and output positions (i, j); the window of (i, j) starts at row i * stride,
    # column j * stride and spans all channels.
    ### BEGIN SOLUTION
    N, _, _, _ = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    window = xp[n, :, r : r + HH, c : c + WW]  # (C, HH, WW)
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    ### END SOLUTION
    cache = (x, w, b, conv_param)
    return out, cache


# %% role="test" task="a2_conv_forward_naive"
check_conv_forward_naive(conv_forward_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_conv_forward_naive", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Aside: filters on real photos
#
# A convolution with hand-made filters already does image processing. Below, your
# `conv_forward_naive` applies two 3x3x3 filters to two photos: the first turns the colour
# image into a greyscale one (a weighted sum of R, G and B at the centre pixel, plus a
# bias), the second responds to horizontal edges (a Sobel filter on the blue channel).

# %% tags=["skip-grading"]
photos = [load_photo("chelsea"), load_photo("coffee")]
x_photo = np.stack([p[::2, ::2].transpose(2, 0, 1) for p in photos]).astype(np.float64)  # (2, 3, 100, 150)

w_photo = np.zeros((2, 3, 3, 3))
w_photo[0, :, 1, 1] = [0.3, 0.6, 0.1]  # greyscale: weighted sum of R, G, B
w_photo[1, 2] = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]  # horizontal edges in the blue channel
b_photo = np.array([0.0, 128.0])  # shift the edge response to mid-grey

out_photo, _ = conv_forward_naive(x_photo, w_photo, b_photo, {"stride": 1, "pad": 1})

fig, axes = plt.subplots(2, 3, figsize=(11, 5))
for row in range(2):
    axes[row, 0].imshow(x_photo[row].transpose(1, 2, 0).astype(np.uint8))
    axes[row, 1].imshow(out_photo[row, 0], cmap="gray")
    axes[row, 2].imshow(np.clip(out_photo[row, 1], 0, 255), cmap="gray")
for ax, title in zip(axes[0], ("original", "greyscale filter", "edge filter")):
    ax.set_title(title)
for ax in axes.ravel():
    ax.axis("off")
plt.show()


# %% [markdown]
# ## 2. Convolution: the naive backward pass
#
# Every output element is a dot product, so its gradient flows to the input window and the
# filter it touched: for each `(n, f, i, j)`,
#
# * `dw[f] += dout[n, f, i, j] * window` and `db[f] += dout[n, f, i, j]`;
# * `dx_pad[n, :, window] += dout[n, f, i, j] * w[f]`, then crop the padding off `dx_pad`.
#
# The check compares your gradients with numerical ones (it uses your forward pass).

# %% role="solution" task="a2_conv_backward_naive"
def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer, with explicit loops.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
        Upstream gradient.
    cache : tuple
        ``(x, w, b, conv_param)`` from :func:`conv_forward_naive`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    x, w, _, conv_param = cache
    H_out, W_out = conv_output_shape(x.shape, w.shape, conv_param, "conv_backward_naive")
    check_array(
        dout,
        "conv_backward_naive: dout",
        shape=(x.shape[0], w.shape[0], H_out, W_out),
        dims="(N, F, H', W')",
    )
    stride, pad = conv_param["stride"], conv_param["pad"]
    # TODO(a2_conv_backward_naive): repeat the forward loops; each output element spreads
    # dout[n, f, i, j] back to its window: += into dw[f] (times the input window) and into
    # the padded dx (times the filter).  Crop the padding off dx at the end.
    ### BEGIN SOLUTION
    N, _, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    dw[f] += xp[n, :, r : r + HH, c : c + WW] * dout[n, f, i, j]
                    dxp[n, :, r : r + HH, c : c + WW] += w[f] * dout[n, f, i, j]
    dx = dxp[:, :, pad : pad + H, pad : pad + W]
    ### END SOLUTION
    return dx, dw, db


# %% role="test" task="a2_conv_backward_naive"
check_conv_backward_naive(conv_forward_naive, conv_backward_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_conv_backward_naive", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Max pooling
#
# `pool_param = {"pool_height": PH, "pool_width": PW, "stride": s}`; each output is the
# maximum of one `PH x PW` window. In the backward pass the gradient of a window goes to
# the element that was the maximum (the first one if there is a tie), and nowhere else.
#
# When windows **overlap** (stride smaller than the window), one element can be the
# maximum of several windows and must collect the gradient of **all** of them: accumulate
# with `+=`. The check uses overlapping 3x2 windows with stride 2 to catch that.

# %% role="solution" task="a2_max_pool_forward_naive"
def max_pool_forward_naive(x, pool_param):
    """Forward pass of max pooling, with explicit loops (no padding).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    pool_param : dict
        ``"pool_height"``, ``"pool_width"``: window size; ``"stride"``: step between
        windows.  Windows may overlap (stride smaller than the window).

    Returns
    -------
    out : ndarray of shape (N, C, H', W')
        ``H' = 1 + (H - pool_height) // stride``, ``W' = 1 + (W - pool_width) // stride``.
    cache : tuple
        ``(x, pool_param)``.
    """
    check_array(x, "max_pool_forward_naive: x", ndim=4, dims="(N, C, H, W)", floating=True)
    check_keys(
        pool_param, "max_pool_forward_naive: pool_param", ("pool_height", "pool_width", "stride")
    )
    H_out, W_out = pool_output_shape(x.shape, pool_param, "max_pool_forward_naive")
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    # TODO(a2_max_pool_forward_naive): loop over output positions (i, j); the window starts
    # at row i * stride, column j * stride; take its max over axes (2, 3) for all samples
    # and channels at once.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            r, c = i * stride, j * stride
            out[:, :, i, j] = x[:, :, r : r + ph, c : c + pw].max(axis=(2, 3))
    ### END SOLUTION
    cache = (x, pool_param)
    return out, cache


# %% role="test" task="a2_max_pool_forward_naive"
check_max_pool_forward_naive(max_pool_forward_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_max_pool_forward_naive", globals())
### END HIDDEN TESTS

# %% role="solution" task="a2_max_pool_backward_naive"
def max_pool_backward_naive(dout, cache):
    """Backward pass of max pooling, with explicit loops.

    Each window's gradient goes to its maximum; when several elements tie, to the
    first one in row-major order (what ``np.argmax`` returns).  Overlapping windows
    may share a maximum, so the contributions are added up.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H', W')
        Upstream gradient.
    cache : tuple
        ``(x, pool_param)`` from :func:`max_pool_forward_naive`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    """
    x, pool_param = cache
    H_out, W_out = pool_output_shape(x.shape, pool_param, "max_pool_backward_naive")
    check_array(
        dout,
        "max_pool_backward_naive: dout",
        shape=(*x.shape[:2], H_out, W_out),
        dims="(N, C, H', W')",
    )
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    # TODO(a2_max_pool_backward_naive): for each sample, channel and window, find where the
    # max is (np.argmax, np.unravel_index) and ADD dout there with +=: overlapping windows
    # can share a maximum.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for ch in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    window = x[n, ch, r : r + ph, c : c + pw]
                    dr, dc = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, ch, r + dr, c + dc] += dout[n, ch, i, j]
    ### END SOLUTION
    return dx


# %% role="test" task="a2_max_pool_backward_naive"
check_max_pool_backward_naive(max_pool_forward_naive, max_pool_backward_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_max_pool_backward_naive", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Fast layers
#
# `cs231n.fast_layers` (provided) computes the same layers without Python loops: the
# convolution becomes one big matrix multiplication over all windows at once (a strided
# *view* of the padded input, "im2col"), and 2x2 pooling becomes two elementwise maxima.
# Same inputs, same outputs, same cache contract. How much faster?

# %% tags=["skip-grading"]
rng = np.random.default_rng(0)
x_t = rng.standard_normal((10, C, 28, 28))
w_t = rng.standard_normal((16, C, 5, 5))
b_t = rng.standard_normal(16)
conv_param = {"stride": 1, "pad": 2}
pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}


def timed(f, *args):
    start = time.perf_counter()
    result = f(*args)
    return result, time.perf_counter() - start


(out_naive, cache_naive), t_naive = timed(conv_forward_naive, x_t, w_t, b_t, conv_param)
(out_fast, cache_fast), t_fast = timed(conv_forward_fast, x_t, w_t, b_t, conv_param)
print(f"conv forward:  naive {t_naive:.3f} s, fast {t_fast:.4f} s, speed-up {t_naive / t_fast:6.0f}x, "
      f"max difference {np.abs(out_naive - out_fast).max():.1e}")
dout_t = rng.standard_normal(out_naive.shape)
(dx_n, dw_n, db_n), t_naive = timed(conv_backward_naive, dout_t, cache_naive)
(dx_f, dw_f, db_f), t_fast = timed(conv_backward_fast, dout_t, cache_fast)
print(f"conv backward: naive {t_naive:.3f} s, fast {t_fast:.4f} s, speed-up {t_naive / t_fast:6.0f}x, "
      f"max difference {max(np.abs(dx_n - dx_f).max(), np.abs(dw_n - dw_f).max()):.1e}")
(pool_naive, pcache_naive), t_naive = timed(max_pool_forward_naive, out_naive, pool_param)
(pool_fast, pcache_fast), t_fast = timed(max_pool_forward_fast, out_naive, pool_param)
print(f"pool forward:  naive {t_naive:.3f} s, fast {t_fast:.4f} s, speed-up {t_naive / t_fast:6.0f}x, "
      f"max difference {np.abs(pool_naive - pool_fast).max():.1e}")
dpool = rng.standard_normal(pool_naive.shape)
dxp_n, t_naive = timed(max_pool_backward_naive, dpool, pcache_naive)
dxp_f, t_fast = timed(max_pool_backward_fast, dpool, pcache_fast)
print(f"pool backward: naive {t_naive:.3f} s, fast {t_fast:.4f} s, speed-up {t_naive / t_fast:6.0f}x, "
      f"max difference {np.abs(dxp_n - dxp_f).max():.1e}")


# %% [markdown]
# ## 5. A three-layer convolutional network
#
# `ThreeLayerConvNet` is
#
# $$\text{conv} - \text{ReLU} - 2{\times}2\ \text{max pool} - \text{affine} - \text{ReLU} - \text{affine} - \text{softmax}$$
#
# * The conv layer has `num_filters` filters of size `filter_size x filter_size`, stride 1
#   and padding `(filter_size - 1) // 2`, so it keeps H and W; the pool halves them. So
#   `W1` is `(F, C, HH, WW)`, `W2` is `(F * H/2 * W/2, hidden_dim)`, `W3` is
#   `(hidden_dim, num_classes)`.
# * Weights are `weight_scale * rng.standard_normal(shape)` (the provided line makes `rng`
#   from the seed), biases are zero; the provided code converts everything to `dtype`.
# * Use the provided sandwich layers (`conv_relu_pool_forward`, `affine_relu_forward`,
#   `affine_forward`, `softmax_loss` and their backward passes), which are built on the
#   fast layers.
# * Regularization is `0.5 * reg * sum(W**2)` over `W1`, `W2` and `W3`.

# %% role="solution" task="a2_three_layer_convnet"
class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax.

    Parameters
    ----------
    input_dim : tuple (C, H, W)
        Shape of one input image; C is 1 or 3, H and W are even.
    num_filters : int
        F, the number of conv filters.
    filter_size : int
        HH = WW, the (odd) width and height of the filters.
    hidden_dim : int
        Width of the hidden affine layer.
    num_classes : int
        Number of classes.
    weight_scale : float
        Standard deviation of the normal initial weights (biases start at 0).
    reg : float
        Regularization strength.
    dtype : numpy dtype
        dtype of the parameters and of the computation (float32 to train, float64 for
        gradient checks).
    seed : int, optional
        Seed of the initial weights: an independent, reproducible stream.  Without it
        the weights come from numpy's global state (``np.random.seed``).

    Attributes
    ----------
    params : dict
        ``W1`` (F, C, HH, HH), ``b1`` (F,), ``W2`` (F*H/2*W/2, hidden_dim),
        ``b2`` (hidden_dim,), ``W3`` (hidden_dim, num_classes), ``b3`` (num_classes,).
    """

    def __init__(
        self,
        input_dim=(3, 32, 32),
        num_filters=32,
        filter_size=7,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float32,
        seed=None,
    ):
        if not (
            isinstance(input_dim, (tuple, list))
            and len(input_dim) == 3
            and all(isinstance(d, numbers.Integral) and d > 0 for d in input_dim)
        ):
            fail(
                "ThreeLayerConvNet: input_dim",
                "a tuple (C, H, W) of positive ints",
                repr(input_dim),
                None,
                ConfigError,
            )
        C, H, W = (int(d) for d in input_dim)
        if H % 2 or W % 2:
            fail(
                "ThreeLayerConvNet: input_dim",
                "even H and W, so that the 2x2 stride-2 pool tiles the image",
                f"H={H}, W={W}",
                "crop or pad the images by one pixel",
                ShapeError,
            )
        if not isinstance(filter_size, numbers.Integral) or filter_size < 1 or filter_size % 2 == 0:
            fail(
                "ThreeLayerConvNet: filter_size",
                "an odd positive int, so that padding (filter_size - 1) // 2 preserves H and W",
                repr(filter_size),
                "use 3, 5 or 7",
                ConfigError,
            )
        check_positive(num_filters, "ThreeLayerConvNet: num_filters")
        check_positive(hidden_dim, "ThreeLayerConvNet: hidden_dim")
        check_positive(num_classes, "ThreeLayerConvNet: num_classes")
        check_positive(weight_scale, "ThreeLayerConvNet: weight_scale")
        check_positive(reg, "ThreeLayerConvNet: reg", allow_zero=True)
        self.input_dim = (C, H, W)
        self.num_classes = int(num_classes)
        self.filter_size = int(filter_size)
        self.reg = reg
        self.dtype = dtype
        self.params = {}
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        # TODO(a2_three_layer_convnet): W1 of shape (num_filters, C, filter_size, filter_size),
        # W2 of shape (num_filters * H//2 * W//2, hidden_dim), W3 of shape (hidden_dim,
        # num_classes), all weight_scale * rng.standard_normal(shape); zero biases b1, b2, b3.
        ### BEGIN SOLUTION
        F, HH = num_filters, filter_size
        self.params["W1"] = weight_scale * rng.standard_normal((F, C, HH, HH))
        self.params["b1"] = np.zeros(F)
        self.params["W2"] = weight_scale * rng.standard_normal(
            (F * (H // 2) * (W // 2), hidden_dim)
        )
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * rng.standard_normal((hidden_dim, num_classes))
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION
        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Scores, or the loss and its gradients, on a minibatch of images.

        Parameters
        ----------
        X : ndarray of shape (N, C, H, W)
            Images shaped like ``input_dim``.
        y : ndarray of shape (N,), int, optional
            Labels.

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            When ``y`` is None.
        loss, grads : float, dict
            Otherwise.
        """
        check_array(X, "ThreeLayerConvNet.loss: X", ndim=4, dims="(N, C, H, W)", floating=True)
        if X.shape[1:] != self.input_dim:
            fail(
                "ThreeLayerConvNet.loss: X",
                f"images of shape (N, {', '.join(map(str, self.input_dim))})",
                f"shape {X.shape}",
                "build the net with input_dim = X.shape[1:]",
                ShapeError,
            )
        if y is not None:
            check_labels(y, "ThreeLayerConvNet.loss: y", X.shape[0], self.num_classes)
        X = X.astype(self.dtype, copy=False)
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        conv_param = {"stride": 1, "pad": (self.filter_size - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        scores = None
        # TODO(a2_three_layer_convnet): forward pass with conv_relu_pool_forward(X, W1, b1,
        # conv_param, pool_param), affine_relu_forward and affine_forward; keep the caches.
        ### BEGIN SOLUTION
        pooled, cache1 = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        hidden, cache2 = affine_relu_forward(pooled, W2, b2)
        scores, cache3 = affine_forward(hidden, W3, b3)
        ### END SOLUTION
        if y is None:
            return scores

        loss, grads = 0.0, {}
        # TODO(a2_three_layer_convnet): softmax_loss plus 0.5 * reg * sum(W**2) for W1, W2,
        # W3; backward through the three blocks; add reg * W to each weight gradient.
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, cache3)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, cache2)
        # The input images need no gradient: skip it (a quarter of the backward pass).
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, cache1, need_dx=False)
        for k, W in (("W1", W1), ("W2", W2), ("W3", W3)):
            grads[k] += self.reg * W
        ### END SOLUTION
        return float(loss), grads


# %% role="test" task="a2_three_layer_convnet"
check_three_layer_convnet(ThreeLayerConvNet)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_three_layer_convnet", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### Sanity checks and overfitting
#
# With small weights the initial loss is close to $\log 10 \approx 2.303$, and larger with
# regularization. Then, as for the fully connected nets, the model should be able to
# memorise 100 training images (training accuracy above 90% after 15 epochs, validation
# accuracy much lower: that is overfitting).

# %% tags=["skip-grading"]
model = ThreeLayerConvNet(input_dim=(C, H, W), weight_scale=1e-3, seed=0)
X_batch, y_batch = data["X_train"][:50], data["y_train"][:50]
print(f"initial loss (no regularization): {model.loss(X_batch, y_batch)[0]:.4f}")
model.reg = 0.5
print(f"initial loss (reg = 0.5):         {model.loss(X_batch, y_batch)[0]:.4f}")

# Train with your Adam from FullyConnectedNets.ipynb (this release's package stubs it).
adam = import_notebook("FullyConnectedNets.ipynb").adam

small_data = {"X_train": data["X_train"][:100], "y_train": data["y_train"][:100],
              "X_val": data["X_val"][:200], "y_val": data["y_val"][:200]}
model = ThreeLayerConvNet(input_dim=(C, H, W), weight_scale=1e-2, seed=0)
overfit_solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 2e-3},
                        batch_size=50, num_epochs=15, verbose=False, seed=0)
overfit_solver.train()
report_accuracy("overfit 100 images, training", overfit_solver.train_acc_history[-1], {"default": 0.90, "cifar10": 0.80}, DATASET)
plot_history(overfit_solver)

# %% [markdown]
# ### One epoch on 4000 images
#
# A single short run (a few seconds). **Target:** training and validation accuracy of at
# least **70%** on the default dataset (on CIFAR-10, **40%** after one epoch on the full
# training set: set `NUM_TRAIN = 49000`, which takes a few minutes).

# %% tags=["skip-grading"]
NUM_TRAIN = 4000
train_data = {"X_train": data["X_train"][:NUM_TRAIN], "y_train": data["y_train"][:NUM_TRAIN],
              "X_val": data["X_val"], "y_val": data["y_val"]}
cnn = ThreeLayerConvNet(input_dim=(C, H, W), num_filters=32, filter_size=7, hidden_dim=100,
                        weight_scale=1e-2, reg=1e-3, seed=0)
cnn_solver = Solver(cnn, train_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                    batch_size=50, num_epochs=1, verbose=False, seed=0)
cnn_solver.train()
targets = {"default": 0.70, "cifar10": 0.40}
report_accuracy("ThreeLayerConvNet one epoch, training", cnn_solver.train_acc_history[-1], targets, DATASET)
report_accuracy("ThreeLayerConvNet one epoch, validation", cnn_solver.best_val_acc, targets, DATASET)

# %% [markdown]
# ### What the first layer learned
#
# The 32 filters of the first layer, as images (each scaled to the full grey range). After
# one short epoch some already show oriented edges and light/dark blobs, the same kind of
# filter as the edge filter of the photo aside; most are still noisy. Longer training on
# more data sharpens them.

# %% tags=["skip-grading"]
show_filters(cnn.params["W1"], title="first-layer filters after one epoch")


# %% [markdown]
# ## 6. Spatial batch normalization
#
# For a conv layer we want every **channel** normalised, with one `gamma` and `beta` per
# channel, and the statistics shared across the batch **and** all spatial positions: the
# mean and variance of channel `c` are taken over axes `(N, H, W)` of `x` `(N, C, H, W)`.
# Running averages work as in batchnorm (`bn_param` keys `mode`, `eps`, `momentum`,
# `running_mean`, `running_var`).
#
# Implement it directly (this notebook does not use `batchnorm_forward`): either reduce
# over the axes `(0, 2, 3)` with `keepdims=True`, or move `C` last and reshape to
# `(N*H*W, C)`. The backward pass is the batchnorm backward with $M = N H W$ samples per
# channel.

# %% role="solution" task="a2_spatial_batchnorm"
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of spatial batch normalization: one mean and variance per channel.

    Every channel is normalized over all N x H x W of its positions in the minibatch.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    gamma : ndarray of shape (C,)
        Scale, per channel.
    beta : ndarray of shape (C,)
        Shift, per channel.
    bn_param : dict
        As in :func:`batchnorm_forward`, with running averages of shape (C,).

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : tuple or None
        ``(x_hat, std, gamma)`` in train mode, ``std`` of shape (1, C, 1, 1); None in
        test mode.
    """
    check_array(x, "spatial_batchnorm_forward: x", ndim=4, dims="(N, C, H, W)", floating=True)
    C = x.shape[1]
    check_array(gamma, "spatial_batchnorm_forward: gamma", shape=(C,), dims="(C,)")
    check_array(beta, "spatial_batchnorm_forward: beta", shape=(C,), dims="(C,)")
    check_keys(
        bn_param,
        "spatial_batchnorm_forward: bn_param",
        ("mode", "eps", "momentum", "running_mean", "running_var"),
    )
    mode = check_choice(
        bn_param.get("mode"), "spatial_batchnorm_forward: bn_param['mode']", ("train", "test")
    )
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(C, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(C, dtype=x.dtype))
    check_array(
        running_mean, "spatial_batchnorm_forward: bn_param['running_mean']", shape=(C,), dims="(C,)"
    )
    check_array(
        running_var, "spatial_batchnorm_forward: bn_param['running_var']", shape=(C,), dims="(C,)"
    )

    # TODO(a2_spatial_batchnorm): batchnorm where the statistics of channel c are taken over
    # axes (0, 2, 3); keepdims=True gives (1, C, 1, 1) arrays that broadcast against x.
    # Reshape gamma, beta and the running averages to (1, C, 1, 1) the same way.
    ### BEGIN SOLUTION
    axes = (0, 2, 3)
    g = gamma.reshape(1, C, 1, 1)
    b = beta.reshape(1, C, 1, 1)
    if mode == "train":
        mu = x.mean(axis=axes, keepdims=True)  # (1, C, 1, 1)
        xc = x - mu
        var = (xc**2).mean(axis=axes, keepdims=True)
        std = np.sqrt(var + eps)
        x_hat = xc / std
        out = g * x_hat + b
        running_mean = momentum * running_mean + (1 - momentum) * mu.reshape(C)
        running_var = momentum * running_var + (1 - momentum) * var.reshape(C)
        cache = (x_hat, std, gamma)
    else:
        mu = running_mean.reshape(1, C, 1, 1)
        std = np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
        out = g * ((x - mu) / std) + b
        cache = None
    ### END SOLUTION

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma)`` from a train-mode :func:`spatial_batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (C,)
    dbeta : ndarray of shape (C,)
    """
    if cache is None:
        fail(
            "spatial_batchnorm_backward: cache",
            "the cache of a train-mode forward pass",
            "None (test mode keeps no cache)",
            "backpropagate only through forward passes in 'train' mode",
            ConfigError,
        )
    x_hat, std, gamma = cache
    check_array(dout, "spatial_batchnorm_backward: dout", shape=x_hat.shape, dims="(N, C, H, W)")
    # TODO(a2_spatial_batchnorm): the batchnorm closed form, with every sum and mean over the
    # axes (0, 2, 3) of the N x H x W positions of each channel.
    ### BEGIN SOLUTION
    axes = (0, 2, 3)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    dx = (
        dx_hat
        - dx_hat.mean(axis=axes, keepdims=True)
        - x_hat * (dx_hat * x_hat).mean(axis=axes, keepdims=True)
    ) / std
    ### END SOLUTION
    return dx, dgamma, dbeta


# %% role="test" task="a2_spatial_batchnorm"
check_spatial_batchnorm(spatial_batchnorm_forward, spatial_batchnorm_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_spatial_batchnorm", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Spatial group normalization
#
# Batchnorm's statistics get noisy with small batches. **Group normalization** (Wu and He,
# 2018) computes them per **sample** instead: the `C` channels are split into `G` groups of
# `C // G` **consecutive** channels, and each `(sample, group)` is normalised over its
# channels and all positions. `gamma` and `beta` are per channel with shape `(1, C, 1, 1)`.
# `G = 1` is layer norm; `G = C` is instance norm. Nothing depends on the batch, so train
# and test mode are the same.

# %% role="solution" task="a2_spatial_groupnorm"
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Forward pass of spatial group normalization.

    The C channels of each sample are split into G groups of C // G consecutive
    channels; each group is normalized over its (C // G) x H x W values.  G = 1 is layer
    normalization over (C, H, W), G = C is instance normalization.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Inputs.
    gamma : ndarray of shape (1, C, 1, 1)
        Scale, per channel.
    beta : ndarray of shape (1, C, 1, 1)
        Shift, per channel.
    G : int
        Number of groups; must divide C.
    gn_param : dict
        ``"eps"`` (default 1e-5).  A ``"mode"`` key is accepted and ignored.

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : tuple
        ``(x_hat, std, gamma, G)``, ``x_hat`` of shape (N, C, H, W) and ``std`` of shape
        (N, G, 1, 1, 1).
    """
    check_array(x, "spatial_groupnorm_forward: x", ndim=4, dims="(N, C, H, W)", floating=True)
    N, C, H, W = x.shape
    check_array(gamma, "spatial_groupnorm_forward: gamma", shape=(1, C, 1, 1), dims="(1, C, 1, 1)")
    check_array(beta, "spatial_groupnorm_forward: beta", shape=(1, C, 1, 1), dims="(1, C, 1, 1)")
    if not isinstance(G, (int, np.integer)) or G < 1 or C % G != 0:
        divisors = [g for g in range(1, C + 1) if C % g == 0]
        fail(
            "spatial_groupnorm_forward: G",
            f"a number of groups that divides C = {C}",
            repr(G),
            "use one of " + ", ".join(map(str, divisors)),
            ConfigError,
        )
    check_keys(gn_param, "spatial_groupnorm_forward: gn_param", ("eps", "mode"))
    eps = gn_param.get("eps", 1e-5)
    # TODO(a2_spatial_groupnorm): reshape x to (N, G, C // G, H, W) so that each group has
    # its own axis, normalize over the last three axes, reshape back, then scale and shift.
    ### BEGIN SOLUTION
    xg = x.reshape(N, G, C // G, H, W)
    axes = (2, 3, 4)
    mu = xg.mean(axis=axes, keepdims=True)  # (N, G, 1, 1, 1)
    xc = xg - mu
    var = (xc**2).mean(axis=axes, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (xc / std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma, G)
    ### END SOLUTION
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of spatial group normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : tuple
        ``(x_hat, std, gamma, G)`` from :func:`spatial_groupnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (1, C, 1, 1)
    dbeta : ndarray of shape (1, C, 1, 1)
    """
    x_hat, std, gamma, G = cache
    check_array(dout, "spatial_groupnorm_backward: dout", shape=x_hat.shape, dims="(N, C, H, W)")
    # TODO(a2_spatial_groupnorm): dgamma and dbeta sum over axes (0, 2, 3) with keepdims;
    # for dx, use the layernorm closed form inside each group, in the (N, G, C // G, H, W)
    # view.
    ### BEGIN SOLUTION
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    axes = (2, 3, 4)
    dxh = (dout * gamma).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    dx = (
        dxh - dxh.mean(axis=axes, keepdims=True) - xh * (dxh * xh).mean(axis=axes, keepdims=True)
    ) / std
    dx = dx.reshape(N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta


# %% role="test" task="a2_spatial_groupnorm"
check_spatial_groupnorm(spatial_groupnorm_forward, spatial_groupnorm_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_spatial_groupnorm", globals())
### END HIDDEN TESTS

# %% [markdown]
# The difference in one picture: the per-channel means of the output of spatial batchnorm
# are 0 over the batch, while group norm makes each sample's group have mean 0 (and unit
# variance), whatever the rest of the batch looks like.

# %% tags=["skip-grading"]
rng = np.random.default_rng(0)
x_n = 3 + 2 * rng.standard_normal((4, 6, 5, 5)) * np.arange(1, 5).reshape(4, 1, 1, 1)  # samples of different scale
gamma6, beta6 = np.ones(6), np.zeros(6)
bn_out, _ = spatial_batchnorm_forward(x_n, gamma6, beta6, {"mode": "train"})
gn_out, _ = spatial_groupnorm_forward(x_n, gamma6.reshape(1, 6, 1, 1), beta6.reshape(1, 6, 1, 1), 2, {})
print("std of each sample before:         ", np.round(x_n.std(axis=(1, 2, 3)), 2))
print("std of each sample after batchnorm:", np.round(bn_out.std(axis=(1, 2, 3)), 2))
print("std of each sample after groupnorm:", np.round(gn_out.std(axis=(1, 2, 3)), 2))

# %% [markdown]
# ## Inline questions

# %% [markdown]
# **Inline question 1.** A 3x3 conv layer with 64 input and 64 output channels on a 32x32 image: how many parameters does it have, and how many would a fully connected layer mapping the same 64x32x32 input to a 64x32x32 output have?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# Conv: 64 * 64 * 3 * 3 weights + 64 biases = 36 928. Fully connected: (64*32*32)^2 = 65 536^2, about 4.3e9 weights (+ 65 536 biases). Weight sharing across positions and local connectivity make the difference.
# ### END SOLUTION

# %% [markdown]
# **Inline question 2.** Max-pool backward with `=` instead of `+=` passes a test that only uses 2x2 windows with stride 2. Why, and which inputs expose the bug?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# With 2x2 windows and stride 2 the windows do not overlap, so every input element belongs to at most one window and receives at most one gradient: = and += agree. Overlapping windows (stride smaller than the window, e.g. 3x3 with stride 2) let one element be the maximum of two windows, where = drops one of the gradients.
# ### END SOLUTION

# %% [markdown]
# **Inline question 3.** Why does group normalization behave the same at training and test time, while batchnorm needs running averages? When would you prefer group norm?

# %% [markdown] role="answer" n=3
# **Your answer:**
# ### BEGIN SOLUTION
# Group norm's statistics are computed per sample (over a group of channels and all positions), so they never depend on the other samples of the batch and are available at test time for a single image. Batchnorm's statistics are batch statistics, so at test time it needs running averages. Prefer group norm with small or variable batch sizes (detection, segmentation, high-resolution inputs) or when train and test distributions of batches differ.
# ### END SOLUTION

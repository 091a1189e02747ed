"""Build script of ConvolutionalNetworks.ipynb (see autograder/authoring/README.md)."""

from autograder.authoring.nbbuild import (
    code,
    imports_cell,
    md,
    question,
    setup_cell,
    solution_cell,
    test_cell,
)

INTRO = r"""
# Convolutional networks

A fully connected layer treats an image as an unordered list of pixels. A **convolutional
layer** uses the structure instead: it slides a small filter (say 3x3 pixels across all
input channels) over the image and computes one dot product per position, so the same
few weights detect the same pattern everywhere. **Max pooling** then keeps the strongest
response in each small window, halving the resolution.

In this notebook you implement

1. the convolution forward and backward passes, naively, with loops;
2. max pooling forward and backward;
3. a `ThreeLayerConvNet` (conv - ReLU - pool - affine - ReLU - affine - softmax), which you
   train and whose filters you look at;
4. spatial batch normalization and group normalization for convolutional feature maps.

Fast (vectorised) versions of the conv and pool layers are provided in
`cs231n.fast_layers`; you will compare them with yours.
"""

DATA = r"""
DATASET = "default"  # the embedded Fashion-MNIST subset; "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
C, H, W = data["input_dim"]
print({k: v.shape for k, v in data.items() if hasattr(v, "shape")})
"""

CONV_MD = r"""
## 1. Convolution: the naive forward pass

Input `x` of shape `(N, C, H, W)`, filters `w` of shape `(F, C, HH, WW)`, biases `b` of
shape `(F,)`, and `conv_param = {"stride": s, "pad": p}`. Zero-pad `x` by `p` pixels on
each side of H and W (`np.pad`), then for every image `n`, filter `f` and output position
`(i, j)`:

$$\text{out}[n, f, i, j] = \sum_{c, k, l} x_\text{pad}[n, c, i s + k, j s + l]\; w[f, c, k, l] + b[f]$$

The output has size $H' = 1 + (H + 2p - HH) / s$ and $W' = 1 + (W + 2p - WW) / s$. Note
that CNNs compute a cross-correlation: the filter is **not** flipped. Loops over the
output positions are fine here (vectorise over `n` and `f` if you like); speed comes
later.
"""

PHOTO_MD = r"""
### Aside: filters on real photos

A convolution with hand-made filters already does image processing. Below, your
`conv_forward_naive` applies two 3x3x3 filters to two photos: the first turns the colour
image into a greyscale one (a weighted sum of R, G and B at the centre pixel, plus a
bias), the second responds to horizontal edges (a Sobel filter on the blue channel).
"""

PHOTO = r"""
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
"""

CONV_BACK_MD = r"""
## 2. Convolution: the naive backward pass

Every output element is a dot product, so its gradient flows to the input window and the
filter it touched: for each `(n, f, i, j)`,

* `dw[f] += dout[n, f, i, j] * window` and `db[f] += dout[n, f, i, j]`;
* `dx_pad[n, :, window] += dout[n, f, i, j] * w[f]`, then crop the padding off `dx_pad`.

The check compares your gradients with numerical ones (it uses your forward pass).
"""

POOL_MD = r"""
## 3. Max pooling

`pool_param = {"pool_height": PH, "pool_width": PW, "stride": s}`; each output is the
maximum of one `PH x PW` window. In the backward pass the gradient of a window goes to
the element that was the maximum (the first one if there is a tie), and nowhere else.

When windows **overlap** (stride smaller than the window), one element can be the
maximum of several windows and must collect the gradient of **all** of them: accumulate
with `+=`. The check uses overlapping 3x2 windows with stride 2 to catch that.
"""

FAST_MD = r"""
## 4. Fast layers

`cs231n.fast_layers` (provided) computes the same layers without Python loops: the
convolution becomes one big matrix multiplication over all windows at once (a strided
*view* of the padded input, "im2col"), and 2x2 pooling becomes two elementwise maxima.
Same inputs, same outputs, same cache contract. How much faster?
"""

FAST = r"""
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
"""

CNN_MD = r"""
## 5. A three-layer convolutional network

`ThreeLayerConvNet` is

$$\text{conv} - \text{ReLU} - 2{\times}2\ \text{max pool} - \text{affine} - \text{ReLU} - \text{affine} - \text{softmax}$$

* The conv layer has `num_filters` filters of size `filter_size x filter_size`, stride 1
  and padding `(filter_size - 1) // 2`, so it keeps H and W; the pool halves them. So
  `W1` is `(F, C, HH, WW)`, `W2` is `(F * H/2 * W/2, hidden_dim)`, `W3` is
  `(hidden_dim, num_classes)`.
* Weights are `weight_scale * rng.standard_normal(shape)` (the provided line makes `rng`
  from the seed), biases are zero; the provided code converts everything to `dtype`.
* Use the provided sandwich layers (`conv_relu_pool_forward`, `affine_relu_forward`,
  `affine_forward`, `softmax_loss` and their backward passes), which are built on the
  fast layers.
* Regularization is `0.5 * reg * sum(W**2)` over `W1`, `W2` and `W3`.
"""

CNN_SANITY_MD = r"""
### Sanity checks and overfitting

With small weights the initial loss is close to $\log 10 \approx 2.303$, and larger with
regularization. Then, as for the fully connected nets, the model should be able to
memorise 100 training images (training accuracy above 90% after 15 epochs, validation
accuracy much lower: that is overfitting).
"""

CNN_SANITY = r"""
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
"""

TRAIN_MD = r"""
### One epoch on 4000 images

A single short run (a few seconds). **Target:** training and validation accuracy of at
least **70%** on the default dataset (on CIFAR-10, **40%** after one epoch on the full
training set: set `NUM_TRAIN = 49000`, which takes a few minutes).
"""

TRAIN = r"""
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
"""

FILTERS_MD = r"""
### What the first layer learned

The 32 filters of the first layer, as images (each scaled to the full grey range). After
one short epoch some already show oriented edges and light/dark blobs, the same kind of
filter as the edge filter of the photo aside; most are still noisy. Longer training on
more data sharpens them.
"""

FILTERS = r"""
show_filters(cnn.params["W1"], title="first-layer filters after one epoch")
"""

SBN_MD = r"""
## 6. Spatial batch normalization

For a conv layer we want every **channel** normalised, with one `gamma` and `beta` per
channel, and the statistics shared across the batch **and** all spatial positions: the
mean and variance of channel `c` are taken over axes `(N, H, W)` of `x` `(N, C, H, W)`.
Running averages work as in batchnorm (`bn_param` keys `mode`, `eps`, `momentum`,
`running_mean`, `running_var`).

Implement it directly (this notebook does not use `batchnorm_forward`): either reduce
over the axes `(0, 2, 3)` with `keepdims=True`, or move `C` last and reshape to
`(N*H*W, C)`. The backward pass is the batchnorm backward with $M = N H W$ samples per
channel.
"""

SGN_MD = r"""
## 7. Spatial group normalization

Batchnorm's statistics get noisy with small batches. **Group normalization** (Wu and He,
2018) computes them per **sample** instead: the `C` channels are split into `G` groups of
`C // G` **consecutive** channels, and each `(sample, group)` is normalised over its
channels and all positions. `gamma` and `beta` are per channel with shape `(1, C, 1, 1)`.
`G = 1` is layer norm; `G = C` is instance norm. Nothing depends on the batch, so train
and test mode are the same.
"""

SGN_DEMO_MD = r"""
The difference in one picture: the per-channel means of the output of spatial batchnorm
are 0 over the batch, while group norm makes each sample's group have mean 0 (and unit
variance), whatever the rest of the batch looks like.
"""

SGN_DEMO = r"""
rng = np.random.default_rng(0)
x_n = 3 + 2 * rng.standard_normal((4, 6, 5, 5)) * np.arange(1, 5).reshape(4, 1, 1, 1)  # samples of different scale
gamma6, beta6 = np.ones(6), np.zeros(6)
bn_out, _ = spatial_batchnorm_forward(x_n, gamma6, beta6, {"mode": "train"})
gn_out, _ = spatial_groupnorm_forward(x_n, gamma6.reshape(1, 6, 1, 1), beta6.reshape(1, 6, 1, 1), 2, {})
print("std of each sample before:         ", np.round(x_n.std(axis=(1, 2, 3)), 2))
print("std of each sample after batchnorm:", np.round(bn_out.std(axis=(1, 2, 3)), 2))
print("std of each sample after groupnorm:", np.round(gn_out.std(axis=(1, 2, 3)), 2))
"""

Q1 = (
    "A 3x3 conv layer with 64 input and 64 output channels on a 32x32 image: how many "
    "parameters does it have, and how many would a fully connected layer mapping the same "
    "64x32x32 input to a 64x32x32 output have?"
)
A1 = (
    "Conv: 64 * 64 * 3 * 3 weights + 64 biases = 36 928. Fully connected: (64*32*32)^2 = "
    "65 536^2, about 4.3e9 weights (+ 65 536 biases). Weight sharing across positions and "
    "local connectivity make the difference."
)
Q2 = (
    "Max-pool backward with `=` instead of `+=` passes a test that only uses 2x2 windows "
    "with stride 2. Why, and which inputs expose the bug?"
)
A2 = (
    "With 2x2 windows and stride 2 the windows do not overlap, so every input element "
    "belongs to at most one window and receives at most one gradient: = and += agree. "
    "Overlapping windows (stride smaller than the window, e.g. 3x3 with stride 2) let one "
    "element be the maximum of two windows, where = drops one of the gradients."
)
Q3 = (
    "Why does group normalization behave the same at training and test time, while "
    "batchnorm needs running averages? When would you prefer group norm?"
)
A3 = (
    "Group norm's statistics are computed per sample (over a group of channels and all "
    "positions), so they never depend on the other samples of the batch and are available "
    "at test time for a single image. Batchnorm's statistics are batch statistics, so at "
    "test time it needs running averages. Prefer group norm with small or variable batch "
    "sizes (detection, segmentation, high-resolution inputs) or when train and test "
    "distributions of batches differ."
)


def cells():
    return [
        md(INTRO),
        setup_cell(),
        imports_cell(
            extra=(
                "import time\n\n"
                "from cs231n.data import load_photo\n"
                "from cs231n.course.notebook_import import import_notebook\n"
                "from cs231n.fast_layers import (\n"
                "    conv_backward_fast,\n"
                "    conv_forward_fast,\n"
                "    max_pool_backward_fast,\n"
                "    max_pool_forward_fast,\n"
                ")\n"
                "from cs231n.solver import Solver\n"
                "from cs231n.vis_utils import plot_history, show_filters"
            )
        ),
        md(
            "## Data\n\nThe embedded Fashion-MNIST subset (1x28x28) by default; "
            '`DATASET = "cifar10"` once downloaded. Pixels are scaled to unit variance.'
        ),
        code(DATA),
        md(CONV_MD),
        solution_cell("a2_conv_forward_naive"),
        test_cell("a2_conv_forward_naive", "check_conv_forward_naive(conv_forward_naive)"),
        md(PHOTO_MD),
        code(PHOTO, skip_grading=True),
        md(CONV_BACK_MD),
        solution_cell("a2_conv_backward_naive"),
        test_cell(
            "a2_conv_backward_naive", "check_conv_backward_naive(conv_forward_naive, conv_backward_naive)"
        ),
        md(POOL_MD),
        solution_cell("a2_max_pool_forward_naive"),
        test_cell("a2_max_pool_forward_naive", "check_max_pool_forward_naive(max_pool_forward_naive)"),
        solution_cell("a2_max_pool_backward_naive"),
        test_cell(
            "a2_max_pool_backward_naive",
            "check_max_pool_backward_naive(max_pool_forward_naive, max_pool_backward_naive)",
        ),
        md(FAST_MD),
        code(FAST, skip_grading=True),
        md(CNN_MD),
        solution_cell("a2_three_layer_convnet"),
        test_cell("a2_three_layer_convnet", "check_three_layer_convnet(ThreeLayerConvNet)"),
        md(CNN_SANITY_MD),
        code(CNN_SANITY, skip_grading=True),
        md(TRAIN_MD),
        code(TRAIN, skip_grading=True),
        md(FILTERS_MD),
        code(FILTERS, skip_grading=True),
        md(SBN_MD),
        solution_cell("a2_spatial_batchnorm"),
        test_cell(
            "a2_spatial_batchnorm",
            "check_spatial_batchnorm(spatial_batchnorm_forward, spatial_batchnorm_backward)",
        ),
        md(SGN_MD),
        solution_cell("a2_spatial_groupnorm"),
        test_cell(
            "a2_spatial_groupnorm",
            "check_spatial_groupnorm(spatial_groupnorm_forward, spatial_groupnorm_backward)",
        ),
        md(SGN_DEMO_MD),
        code(SGN_DEMO, skip_grading=True),
        md("## Inline questions"),
        *question(1, Q1, A1),
        *question(2, Q2, A2),
        *question(3, Q3, A3),
    ]

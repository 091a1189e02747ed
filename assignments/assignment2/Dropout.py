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
# # Dropout
#
# Dropout (Srivastava et al., 2014) regularises a network by randomly switching off
# hidden units during training: at every forward pass each unit is **kept** with
# probability `keep_prob` and set to zero otherwise. The network cannot rely on any single
# unit, which works a bit like training an ensemble of thinned networks that share
# weights.
#
# At test time we want the *expected* output of that ensemble. **Inverted dropout**
# rescales the kept units by `1 / keep_prob` during training, so the expected value of every
# unit is unchanged and the test-time layer is simply the identity.
#
# Throughout this kit `keep_prob` is the probability of **keeping** a unit (CS231n's `p`
# in recent years; some libraries use the probability of dropping instead, so always check).
#
# You implement the dropout layer, then use it in the `FullyConnectedNet` you wrote in
# `FullyConnectedNets.ipynb` to regularise a network that overfits a small training set.

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
from cs231n.validation import ConfigError, ShapeError, check_array, check_choice, check_keys, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import check_dropout_forward, check_dropout_backward

# --- notebook imports ---
from cs231n.checks.assignment2 import check_fc_net_normalization
from cs231n.course.notebook_import import import_notebook
from cs231n.solver import Solver

# %% [markdown]
# ## Data
#
# The embedded Fashion-MNIST subset by default (`DATASET = "cifar10"` once downloaded), scaled to unit variance.

# %%
DATASET = "default"  # the embedded Fashion-MNIST subset; "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
print({k: v.shape for k, v in data.items() if hasattr(v, "shape")})


# %% [markdown]
# ## 1. The forward pass
#
# `dropout_forward(x, dropout_param)` with `dropout_param = {"keep_prob": ..., "mode":
# "train" | "test", "seed": optional int}`:
#
# * **train**: draw `rng.random(x.shape)` (the provided code sets `rng` from the seed, so a
#   seeded call gives the same mask every time, which gradient checks need), keep the units
#   where it is below `keep_prob` and divide them by `keep_prob`. One mask array, with
#   entries `0` or `1 / keep_prob`, does both and is all the backward pass needs.
# * **test**: return the input unchanged.

# %% role="solution" task="a2_dropout_forward"
def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    Parameters
    ----------
    x : ndarray of any shape
        Inputs.
    dropout_param : dict
        ``"keep_prob"`` (required): probability of keeping each unit, in (0, 1];
        ``"mode"`` (required): ``"train"`` or ``"test"``;
        ``"seed"`` (optional int): when given, the mask is drawn from
        ``np.random.default_rng(seed)`` and is the same at every call (for gradient
        checks); without it, from numpy's global generator (``np.random.seed``).

    Returns
    -------
    out : ndarray of the shape of x
    cache : tuple
        ``(dropout_param, mask)``: a copy of the dict and, in train mode, the mask of
        shape of x with entries 0 or 1 / keep_prob (None in test mode).
    """
    check_array(x, "dropout_forward: x", floating=True)
    for old in ("p", "dropout_keep_ratio"):
        if old in dropout_param:
            fail(
                "dropout_forward: dropout_param",
                "the key 'keep_prob' (the probability of KEEPING a unit)",
                f"the key {old!r}",
                f"rename it: dropout_param = {{'keep_prob': {dropout_param[old]!r}, ...}}",
                ConfigError,
            )
    check_keys(dropout_param, "dropout_forward: dropout_param", ("keep_prob", "mode", "seed"))
    keep_prob = dropout_param.get("keep_prob")
    if not isinstance(keep_prob, (int, float, np.floating, np.integer)) or not 0 < keep_prob <= 1:
        fail(
            "dropout_forward: dropout_param['keep_prob']",
            "a probability of keeping a unit, 0 < keep_prob <= 1",
            repr(keep_prob),
            "use 1.0 for no dropout",
            ConfigError,
        )
    mode = check_choice(
        dropout_param.get("mode"), "dropout_forward: dropout_param['mode']", ("train", "test")
    )
    seed = dropout_param.get("seed")
    rng = np.random.default_rng(seed) if seed is not None else np.random

    # TODO(a2_dropout_forward): in train mode, draw rng.random(x.shape), keep the units where
    # it is below keep_prob and divide the kept ones by keep_prob (one mask does both; give
    # it x's dtype).  In test mode the layer is the identity and mask = None.
    ### BEGIN SOLUTION
    if mode == "train":
        mask = ((rng.random(x.shape) < keep_prob) / keep_prob).astype(x.dtype)
        out = x * mask
    else:
        mask = None
        out = x.copy()
    ### END SOLUTION
    cache = (dict(dropout_param), mask)
    return out, cache


# %% role="test" task="a2_dropout_forward"
check_dropout_forward(dropout_forward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_dropout_forward", globals())
### END HIDDEN TESTS

# %% tags=["skip-grading"]
x = np.random.default_rng(0).standard_normal((500, 500)) + 10
for keep_prob in (0.25, 0.4, 0.7):
    out_train, _ = dropout_forward(x, {"mode": "train", "keep_prob": keep_prob, "seed": 123})
    out_test, _ = dropout_forward(x, {"mode": "test", "keep_prob": keep_prob})
    print(f"keep_prob = {keep_prob}: mean of input {x.mean():.3f}, of train output {out_train.mean():.3f}, "
          f"of test output {out_test.mean():.3f}; fraction kept in train mode {np.mean(out_train != 0):.3f}")


# %% [markdown]
# ## 2. The backward pass
#
# The forward pass multiplies by the mask, so the backward pass does too: in train mode
# `dx = dout * mask`; in test mode `dx = dout`.

# %% role="solution" task="a2_dropout_backward"
def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Parameters
    ----------
    dout : ndarray of the shape of x
        Upstream gradient.
    cache : tuple
        ``(dropout_param, mask)`` from :func:`dropout_forward`.

    Returns
    -------
    dx : ndarray of the shape of x
    """
    dropout_param, mask = cache
    check_array(dout, "dropout_backward: dout")
    if mask is not None and dout.shape != mask.shape:
        fail(
            "dropout_backward: dout",
            f"shape {mask.shape}, that of x",
            f"shape {dout.shape}",
            None,
            ShapeError,
        )
    # TODO(a2_dropout_backward): the gradient flows only through the kept units, scaled like
    # them; in test mode it passes unchanged.
    ### BEGIN SOLUTION
    if dropout_param["mode"] == "train":
        dx = dout * mask
    else:
        dx = dout.copy()
    ### END SOLUTION
    return dx


# %% role="test" task="a2_dropout_backward"
check_dropout_backward(dropout_forward, dropout_backward)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_dropout_backward", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Dropout in your network
#
# As in the BatchNormalization notebook, `import_notebook` loads the `FullyConnectedNet`
# you wrote in `FullyConnectedNets.ipynb`, and `plug_in` makes it use **your** dropout layer.
# With `keep_prob < 1` the network applies dropout after every hidden ReLU. A gradient check
# needs the same mask in every forward pass: the model's `seed` makes the mask a fixed
# function of the seed and the batch. Expect relative errors of 1e-6 or less.

# %% tags=["skip-grading"]
fcn = import_notebook("FullyConnectedNets.ipynb")
FullyConnectedNet = fcn.FullyConnectedNet
adam = fcn.adam  # your Adam, from the same notebook
plug_in(dropout_forward, dropout_backward)
for keep_prob in (1.0, 0.75, 0.5):
    check_fc_net_normalization(FullyConnectedNet, normalization=None, keep_prob=keep_prob)

# %% [markdown]
# ## 4. A regularization experiment
#
# Two hidden layers of 512 units and only **500** training images: without regularization
# the network memorises the training set within a few epochs. We train it with
# `keep_prob` 1 (no dropout), 0.75 and 0.5, everything else equal and seeded, and compare
# training and validation accuracy. **Target:** with dropout the best validation accuracy
# should be at least as high as without it (default dataset: about 78-79%; on CIFAR-10
# expect about 30%).

# %% tags=["skip-grading"]
small_data = {"X_train": data["X_train"][:500], "y_train": data["y_train"][:500],
              "X_val": data["X_val"], "y_val": data["y_val"]}
dropout_solvers = {}
for keep_prob in (1.0, 0.75, 0.5):
    model = FullyConnectedNet([512, 512], input_dim=input_dim, weight_scale=5e-2, keep_prob=keep_prob, seed=0)
    solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 5e-4},
                    batch_size=100, num_epochs=20, verbose=False, seed=0)
    solver.train()
    dropout_solvers[f"keep_prob {keep_prob}"] = solver
    print(f"keep_prob {keep_prob}: final training accuracy {solver.train_acc_history[-1]:.3f}, "
          f"best validation accuracy {solver.best_val_acc:.3f}")
best_dropout = max(dropout_solvers["keep_prob 0.75"].best_val_acc, dropout_solvers["keep_prob 0.5"].best_val_acc)
report_accuracy("best validation with dropout", best_dropout, {"default": 0.77, "cifar10": 0.28}, DATASET)
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for name, solver in dropout_solvers.items():
    axes[0].plot(solver.train_acc_history, "-o", ms=3, label=name)
    axes[1].plot(solver.val_acc_history, "-o", ms=3, label=name)
axes[0].set(title="training accuracy", xlabel="epoch")
axes[1].set(title="validation accuracy", xlabel="epoch")
for ax in axes:
    ax.legend()
    ax.grid(alpha=0.3)
plt.show()
unplug()

# %% [markdown]
# ## Inline questions

# %% [markdown]
# **Inline question 1.** What would go wrong at test time if the forward pass dropped units but did **not** divide the kept ones by keep_prob, and the test-time layer stayed the identity? How did the original (non-inverted) dropout fix that?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# During training each unit's expected output would be keep_prob times its value, so the next layer learns weights for inputs that are smaller on average; at test time every unit is present and the inputs are 1/keep_prob times larger than in training, which shifts all the activations. The original dropout multiplied the activations by keep_prob at test time instead; inverted dropout does the rescaling during training so that inference needs no change.
# ### END SOLUTION

# %% [markdown]
# **Inline question 2.** Compare the training and validation curves of the experiment. Which curve does dropout change most, and why? If you made the hidden layers smaller, would you change keep_prob?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# Dropout mostly lowers (and slows) the training accuracy: the network can no longer memorise the 500 images with fully co-adapted units, so the gap between training and validation accuracy shrinks and the validation accuracy is equal or a bit higher. With smaller hidden layers the network has less spare capacity, so one would drop fewer units (keep_prob closer to 1) to avoid underfitting.
# ### END SOLUTION

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
# # A linear classifier with the softmax loss
#
# The softmax classifier uses the same scores $s = xW$ as the SVM but reads them as
# **unnormalised log-probabilities**:
#
# $$p_j = \frac{e^{s_j}}{\sum_k e^{s_k}}, \qquad L_i = -\log p_{y_i}.$$
#
# The loss is the *cross-entropy*: it is small when the probability of the correct class
# is close to 1. Unlike the hinge loss, it is never exactly zero, so it always wants a
# little more separation.
#
# You will write the loss and its gradient with loops, then vectorised and numerically
# stable, check them, train with SGD, play with the learning rate and the regularization
# with sliders, and look at the learned templates.

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
from cs231n.validation import check_array, check_labels

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import check_softmax_naive, check_softmax_vectorized

# --- notebook imports ---
import time

from cs231n.classifiers.linear_classifier import Softmax
from cs231n.gradient_check import grad_check_sparse

# %% [markdown]
# ## The data
#
# Rows of pixels with the training mean subtracted, plus a constant 1 for the bias (as in
# the SVM notebook), and a development set of 500 images. Set `DATASET = "cifar10"` to
# use CIFAR-10 if you have it.

# %%
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, flatten=True, seed=0)  # mean image subtracted


def with_bias(X):
    # append a constant 1 to every row: the last row of W then acts as the bias
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


X_train, y_train = with_bias(data["X_train"]), data["y_train"]
X_val, y_val = with_bias(data["X_val"]), data["y_val"]
X_test, y_test = with_bias(data["X_test"]), data["y_test"]
dev = np.random.default_rng(0).choice(X_train.shape[0], size=500, replace=False)
X_dev, y_dev = X_train[dev].astype(np.float64), y_train[dev]
C = len(data["class_names"])
print("train", X_train.shape, "val", X_val.shape, "test", X_test.shape, "dev", X_dev.shape)

# Hyperparameters that work for each dataset (the CIFAR-10 values follow CS231n's, converted
# to the kit's 0.5 * reg convention).
SETTINGS = {
    "default": {"learning_rate": 1e-5, "reg": 1e2, "num_iters": 500, "grid_lr": [3e-6, 1e-5], "grid_reg": [1e1, 1e2]},
    "cifar10": {"learning_rate": 1e-7, "reg": 5e4, "num_iters": 1500, "grid_lr": [1e-7, 3e-7], "grid_reg": [2.5e4, 5e4]},
}[data["name"]]


# %% [markdown]
# ## 1. The loss and its gradient, with loops
#
# **Numerical stability.** $e^{s}$ overflows for scores above about 709 (float64) or 88
# (float32). Subtracting the same number from all scores of a sample does not change the
# probabilities ($e^{s_j - m} / \sum_k e^{s_k - m} = p_j$), so subtract the **largest**
# score first: then every exponent is at most 0.
#
# **Gradient.** For one sample, $\partial L_i / \partial s_j = p_j - [j = y_i]$, and since
# $s_j = x_i \cdot W_{:,j}$, column $j$ of the gradient gets $x_i\,(p_j - [j = y_i])$.
# Average over samples and add $\mathrm{reg}\,W$ for the regularization
# $\tfrac12\,\mathrm{reg}\sum W^2$.

# %% role="solution" task="a1_softmax_naive"
def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and its gradient, with explicit loops.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        A minibatch of data.
    y : ndarray of shape (N,), int
        Labels in [0, C).
    reg : float
        Regularization strength (the loss adds ``0.5 * reg * sum(W**2)``).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
        Gradient of the loss with respect to W.
    """
    check_array(W, "softmax_loss_naive: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "softmax_loss_naive: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "softmax_loss_naive: y", X.shape[0], W.shape[1])
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO(a1_softmax_naive): for each sample, shift its scores by their max, turn them into
    # probabilities, add -log(p[y[i]]) to the loss and X[i] * (p[j] - [j == y[i]]) to each
    # column dW[:, j]. Average over samples, then add 0.5 * reg * sum(W**2) and reg * W.
    ### BEGIN SOLUTION
    for i in range(num_train):
        scores = X[i] @ W
        scores = scores - np.max(scores)
        exp_scores = np.exp(scores)
        probs = exp_scores / np.sum(exp_scores)
        loss -= np.log(probs[y[i]])
        for j in range(num_classes):
            dW[:, j] += (probs[j] - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    dW += reg * W
    ### END SOLUTION
    return float(loss), dW


# %% role="test" task="a1_softmax_naive"
check_softmax_naive(softmax_loss_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_softmax_naive", globals())
### END HIDDEN TESTS

# %%
W = 1e-4 * np.random.default_rng(1).standard_normal((X_dev.shape[1], C))
loss, grad = softmax_loss_naive(W, X_dev, y_dev, 0.0)
print(f"loss with small random weights: {loss:.4f};  -log(1/C) = {-np.log(1.0 / C):.4f}")

# %% [markdown]
# **Inline question 1.** Why do we expect the loss with small random weights to be close to $-\log(1/C)$,
# about 2.303 for 10 classes?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# With tiny weights all scores are about 0, so every class gets the same probability
# e^0 / (C e^0) = 1/C. The loss of each sample is then -log(1/C) = log C, and so is their
# mean; the regularization of tiny weights is negligible. A very different initial loss means
# a bug (or weights that are not small).
# ### END SOLUTION

# %%
for reg in (0.0, 1e2):
    loss, grad = softmax_loss_naive(W, X_dev, y_dev, reg)
    errors = grad_check_sparse(lambda w: softmax_loss_naive(w, X_dev, y_dev, reg)[0], W, grad, num_checks=10, seed=0)
    print(f"reg = {reg:g}: largest relative error {errors.max():.2e}")


# %% [markdown]
# ## 2. Vectorised and stable
#
# Compute all scores at once, subtract each row's maximum (`keepdims=True` keeps the
# shape `(N, 1)` for broadcasting), and work with **log-probabilities**
# (log-sum-exp: $\log p_j = s_j - \log \sum_k e^{s_k}$), which never take the log of 0.
# The gradient with respect to the scores is `p` with 1 subtracted at the correct
# classes; then `dW = X.T @ dscores / N + reg * W`.

# %% role="solution" task="a1_softmax_vectorized"
def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and gradient, without loops, numerically stable.

    Parameters and return values as in :func:`softmax_loss_naive`.
    """
    check_array(W, "softmax_loss_vectorized: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "softmax_loss_vectorized: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "softmax_loss_vectorized: y", X.shape[0], W.shape[1])
    num_train = X.shape[0]
    # TODO(a1_softmax_vectorized): scores (N, C) shifted by their row max; log-probabilities
    # via log-sum-exp; loss = mean of -log p[i, y[i]] + 0.5 * reg * sum(W**2);
    # dW = X.T @ (p - one_hot(y)) / N + reg * W.
    ### BEGIN SOLUTION
    rows = np.arange(num_train)
    scores = X @ W
    scores = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.mean(log_probs[rows, y]) + 0.5 * reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    dW = X.T @ dscores / num_train + reg * W
    ### END SOLUTION
    return float(loss), dW


# %% role="test" task="a1_softmax_vectorized"
check_softmax_vectorized(softmax_loss_vectorized)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_softmax_vectorized", globals())
### END HIDDEN TESTS

# %%
tic = time.perf_counter()
loss_naive, grad_naive = softmax_loss_naive(W, X_dev, y_dev, 5e1)
t_naive = time.perf_counter() - tic
tic = time.perf_counter()
loss_vec, grad_vec = softmax_loss_vectorized(W, X_dev, y_dev, 5e1)
t_vec = time.perf_counter() - tic
print(f"naive {t_naive:.4f} s, vectorised {t_vec:.4f} s")
print(f"loss difference {abs(loss_naive - loss_vec):.2e}, gradient difference {np.linalg.norm(grad_naive - grad_vec):.2e}")

# %% [markdown]
# ## 3. Learning rate and regularization, interactively
#
# `Softmax` (provided) trains with minibatch SGD using `softmax_loss_vectorized`. Plug in
# **yours**, so that everything below trains with your code:

# %%
plug_in(softmax_loss_vectorized)

# %% [markdown]
# Move the sliders: a learning rate that is too small barely moves the loss, one that is
# too large makes it explode; strong regularization keeps the weights (and the accuracy)
# small. If the sliders do not show (some viewers do not render widgets), the static
# figure after them shows the same experiment over a grid.

# %% tags=["skip-grading"]
# Interactive: move the sliders and watch training react (about a second per change).
X_small, y_small = X_train[:2000], y_train[:2000]


def train_and_plot(log10_lr=-5.0, log10_reg=2.0):
    lr, reg = 10.0**log10_lr, 10.0**log10_reg
    model = Softmax()
    try:
        with np.errstate(all="ignore"):
            history = model.train(X_small, y_small, learning_rate=lr, reg=reg, num_iters=150, batch_size=100, seed=0)
    except NotImplementedError as exc:  # the sliders need your loss first
        print(f"Not yet: {exc}")
        return
    val_acc = np.mean(model.predict(X_val) == y_val)
    plt.figure(figsize=(6, 3))
    plt.plot(history)
    plt.yscale("log")
    plt.xlabel("iteration")
    plt.ylabel("loss")
    plt.title(f"lr = {lr:.1e}, reg = {reg:.1e}: validation accuracy {val_acc:.3f}")
    plt.show()


try:
    import ipywidgets as widgets

    widgets.interact(
        train_and_plot,
        log10_lr=widgets.FloatSlider(value=-5.0, min=-8.0, max=-3.0, step=0.5, description="log10 lr", continuous_update=False),
        log10_reg=widgets.FloatSlider(value=2.0, min=-1.0, max=5.0, step=0.5, description="log10 reg", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing the default setting only.")
    train_and_plot()

# %% tags=["skip-grading"]
# The same experiment as a static picture: validation accuracy over a grid of settings.
log_lrs = [-7.0, -6.0, -5.0, -4.0]
log_regs = [0.0, 2.0, 4.0]
grid = np.zeros((len(log_regs), len(log_lrs)))
for i, lg_reg in enumerate(log_regs):
    for j, lg_lr in enumerate(log_lrs):
        model = Softmax()
        with np.errstate(all="ignore"):
            model.train(X_small, y_small, learning_rate=10**lg_lr, reg=10**lg_reg, num_iters=100, batch_size=100, seed=0)
        grid[i, j] = np.mean(model.predict(X_val) == y_val)
plt.figure(figsize=(5, 3))
plt.imshow(grid, cmap="viridis", vmin=0, vmax=1)
plt.xticks(range(len(log_lrs)), [f"1e{int(v)}" for v in log_lrs])
plt.yticks(range(len(log_regs)), [f"1e{int(v)}" for v in log_regs])
plt.xlabel("learning rate")
plt.ylabel("regularization")
for i in range(len(log_regs)):
    for j in range(len(log_lrs)):
        plt.text(j, i, f"{grid[i, j]:.2f}", ha="center", va="center", color="w")
plt.colorbar(label="validation accuracy")
plt.title("100 SGD steps on 2,000 images")
plt.show()

# %% [markdown]
# ## 4. Training and tuning
#
# Now a proper run on all training images, and a small search over the two
# hyperparameters using the validation set.
#
# **Targets** (validation accuracy of the best model): default dataset 0.80; CIFAR-10
# 0.35. `SETTINGS` in the data cell holds a starting point for each dataset.

# %%
softmax = Softmax()
loss_history = softmax.train(X_train, y_train, learning_rate=SETTINGS["learning_rate"], reg=SETTINGS["reg"],
                             num_iters=SETTINGS["num_iters"], batch_size=200, seed=0)
plt.plot(loss_history)
plt.xlabel("iteration")
plt.ylabel("loss")
plt.title("softmax training loss")
plt.show()
print(f"validation accuracy {np.mean(softmax.predict(X_val) == y_val):.3f}")

# %%
results, models = {}, {}
for lr in SETTINGS["grid_lr"]:
    for reg in SETTINGS["grid_reg"]:
        model = Softmax()
        model.train(X_train, y_train, learning_rate=lr, reg=reg, num_iters=SETTINGS["num_iters"], batch_size=200, seed=0)
        results[(lr, reg)] = np.mean(model.predict(X_val) == y_val)
        models[(lr, reg)] = model
for (lr, reg), va in sorted(results.items()):
    print(f"lr {lr:.0e} reg {reg:.0e}: val {va:.3f}")
best_setting = max(results, key=results.get)
best_softmax, best_val = models[best_setting], results[best_setting]
report_accuracy("softmax, best validation", best_val, {"default": 0.80, "cifar10": 0.35}, data["name"])
test_acc = np.mean(best_softmax.predict(X_test) == y_test)
report_accuracy("softmax, test", test_acc, {"default": 0.79, "cifar10": 0.34}, data["name"])

# %% [markdown]
# The learned templates, one per class:

# %%
fig, axes = plt.subplots(1, C, figsize=(1.5 * C, 2))
for c, ax in enumerate(axes):
    img = best_softmax.W[:-1, c].reshape(data["input_dim"]).transpose(1, 2, 0)
    img = (img - img.min()) / (img.max() - img.min())
    ax.imshow(img.squeeze(), cmap="gray" if img.shape[2] == 1 else None)
    ax.set_title(data["class_names"][c], fontsize=8)
    ax.axis("off")
plt.show()
unplug()

# %% [markdown]
# **Inline question 2.** Suppose a training set already classified correctly by the current $W$. Adding a new
# training point can leave the total SVM loss unchanged. Can it leave the softmax loss
# unchanged? Explain.

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# For the SVM, yes: a new point whose correct score beats all others by at least the margin 1
# contributes 0. For softmax, no: every point contributes -log p_y > 0 because p_y < 1 for
# finite scores, so the total (before averaging) always grows, and the softmax always wants
# more separation.
# ### END SOLUTION

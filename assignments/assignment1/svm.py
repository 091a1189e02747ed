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
# # A linear classifier with the SVM loss
#
# kNN remembers all training images. A **linear classifier** instead learns one weight
# matrix $W$ of shape `(D, C)` and scores an image $x$ (a row of $D$ numbers) with
# $s = x W$: one score per class, the highest one wins. Learning means choosing $W$ so
# that the correct class gets the highest score, which we express as a **loss** to
# minimise with gradient descent.
#
# In this notebook you write the multiclass SVM (hinge) loss and its gradient, first with
# loops and then vectorised, check the gradient numerically, train with stochastic
# gradient descent (SGD), tune two hyperparameters on a validation set and look at what
# the classifier learned.
#
# Replace each `raise NotImplementedError(...)` in a task cell with your code and run the
# check below it.

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
from cs231n.checks import check_svm_naive, check_svm_vectorized

# --- notebook imports ---
import time

from cs231n.classifiers.linear_classifier import LinearSVM
from cs231n.gradient_check import grad_check_sparse

# %% [markdown]
# ## The data
#
# We use the images as rows (`flatten=True`) with the training mean image subtracted, and
# append a constant 1 to every row (the **bias trick**): then $s = xW$ includes a bias,
# the last row of $W$. A small *development* set of 500 training images makes the loss
# and gradient code fast to try. Set `DATASET = "cifar10"` to use CIFAR-10 if you have it.

# %%
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, flatten=True, seed=0)  # mean image subtracted


def with_bias(X):
    # append a constant 1 to every row: the last row of W then acts as the bias
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


X_train, y_train = with_bias(data["X_train"]), data["y_train"]
X_val, y_val = with_bias(data["X_val"]), data["y_val"]
X_test, y_test = with_bias(data["X_test"]), data["y_test"]
rng = np.random.default_rng(0)
dev = rng.choice(X_train.shape[0], size=500, replace=False)
X_dev, y_dev = X_train[dev].astype(np.float64), y_train[dev]
C = len(data["class_names"])
print("train", X_train.shape, "val", X_val.shape, "test", X_test.shape, "dev", X_dev.shape)

# Hyperparameters that work for each dataset (the CIFAR-10 values follow CS231n's, converted
# to the kit's 0.5 * reg convention).
SETTINGS = {
    "default": {"learning_rate": 1e-6, "reg": 1e3, "num_iters": 500, "grid_lr": [1e-6, 3e-6], "grid_reg": [1e2, 1e3]},
    "cifar10": {"learning_rate": 1e-7, "reg": 5e4, "num_iters": 1500, "grid_lr": [1e-7, 3e-7], "grid_reg": [2.5e4, 5e4]},
}[data["name"]]


# %% [markdown]
# ## 1. The hinge loss, with loops
#
# For one sample $x_i$ with label $y_i$ and scores $s = x_i W$, the multiclass SVM loss
# wants the correct score to beat every other score by a margin of 1:
#
# $$L_i = \sum_{j \ne y_i} \max\left(0,\; s_j - s_{y_i} + 1\right).$$
#
# The full loss averages over the $N$ samples and adds **L2 regularization**, which prefers
# small weights. The kit uses one convention everywhere:
#
# $$L = \frac{1}{N} \sum_i L_i + \tfrac{1}{2}\,\mathrm{reg} \sum W^2, \qquad
# \frac{\partial}{\partial W}\left(\tfrac{1}{2}\,\mathrm{reg} \sum W^2\right) = \mathrm{reg}\, W.$$
#
# **Gradient.** Each positive margin $s_j - s_{y_i} + 1 > 0$ depends on two columns of
# $W$: $\partial/\partial W_{:,j}$ is $+x_i$ and $\partial/\partial W_{:,y_i}$ is
# $-x_i$. Accumulate these while you compute the loss, then average.

# %% role="solution" task="a1_svm_naive"
def svm_loss_naive(W, X, y, reg):
    """Multiclass SVM loss and its gradient, with explicit loops.

    Parameters
    ----------
    W : ndarray of shape (D, C)
        Weights.
    X : ndarray of shape (N, D)
        A minibatch of data.
    y : ndarray of shape (N,), int
        Labels; ``y[i] = c`` means X[i] has label c, 0 <= c < C.
    reg : float
        Regularization strength (the loss adds ``0.5 * reg * sum(W**2)``).

    Returns
    -------
    loss : float
    dW : ndarray of shape (D, C)
        Gradient of the loss with respect to W.
    """
    check_array(W, "svm_loss_naive: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "svm_loss_naive: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "svm_loss_naive: y", X.shape[0], W.shape[1])
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO(a1_svm_naive): loop over samples and classes j != y[i]; every positive margin
    # s_j - s_{y_i} + 1 adds to the loss, adds X[i] to dW[:, j] and subtracts it from
    # dW[:, y[i]]. Average over samples, then add 0.5 * reg * sum(W**2) and reg * W.
    ### BEGIN SOLUTION
    for i in range(num_train):
        scores = X[i] @ W
        correct = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct + 1.0
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss /= num_train
    dW /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    dW += reg * W
    ### END SOLUTION
    return float(loss), dW


# %% role="test" task="a1_svm_naive"
check_svm_naive(svm_loss_naive)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_svm_naive", globals())
### END HIDDEN TESTS

# %% [markdown]
# **Sanity check.** With tiny random weights all scores are about 0, so each of the
# $C - 1$ wrong classes contributes a margin of about 1: the loss should be close to
# $C - 1 = 9$.

# %%
W = 1e-4 * np.random.default_rng(1).standard_normal((X_dev.shape[1], C))
loss, grad = svm_loss_naive(W, X_dev, y_dev, 0.0)
print(f"loss with small random weights: {loss:.3f} (expected about {C - 1})")

# %% [markdown]
# **Gradient check.** A numeric gradient, $(L(W + h) - L(W - h)) / 2h$ one coordinate at a
# time, needs no calculus. `grad_check_sparse` compares it with your analytic gradient at
# 10 random coordinates; relative errors around 1e-8 or smaller mean they agree. We check
# without and with regularization.

# %%
for reg in (0.0, 1e2):
    loss, grad = svm_loss_naive(W, X_dev, y_dev, reg)
    errors = grad_check_sparse(lambda w: svm_loss_naive(w, X_dev, y_dev, reg)[0], W, grad, num_checks=10, seed=0)
    print(f"reg = {reg:g}: largest relative error {errors.max():.2e}")


# %% [markdown]
# **Inline question 1.** Now and then one coordinate of the gradient check does not match exactly. What could
# cause it? Is it a reason for concern? Give a one-dimensional example where the numeric
# gradient of the hinge function $\max(0, x)$ is wrong. How does the margin 1 make it
# rarer?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# The hinge loss is not differentiable where a margin is exactly 0 (a kink). If a margin lies
# within h of 0, the centred difference straddles the kink and averages the two slopes: for
# f(x) = max(0, x) at x = 0 (or |x| < h) the numeric gradient is about 0.5 while the analytic
# one is 0 or 1. This is not a bug. Kinks are rare for random data; the margin 1 shifts them
# away from s_j = s_yi, but with real data and small weights margins near 0 still happen.
# ### END SOLUTION

# %% [markdown]
# ## 2. The vectorised loss
#
# Loops over samples are slow in Python. Compute all scores at once (`X @ W`, shape
# `(N, C)`), pick the correct-class scores with integer-array indexing
# (`scores[np.arange(N), y]`), form the margins matrix with broadcasting and zero its
# correct-class entries. For the gradient build a coefficient matrix of shape `(N, C)`:
# 1 where a margin is positive, and in the correct column minus the number of positive
# margins of that row. Then `dW = X.T @ coeff / N + reg * W`.

# %% role="solution" task="a1_svm_vectorized"
def svm_loss_vectorized(W, X, y, reg):
    """Multiclass SVM loss and gradient, without loops.

    Parameters and return values as in :func:`svm_loss_naive`.
    """
    check_array(W, "svm_loss_vectorized: W", ndim=2, dims="(D, C)", floating=True)
    check_array(X, "svm_loss_vectorized: X", shape=(None, W.shape[0]), dims="(N, D)")
    check_labels(y, "svm_loss_vectorized: y", X.shape[0], W.shape[1])
    num_train = X.shape[0]
    # TODO(a1_svm_vectorized): compute all scores at once, the margins matrix (N, C) with
    # the correct class zeroed, the loss; then a (N, C) coefficient matrix (1 where the
    # margin is positive, minus their count in the correct column) gives dW = X.T @ coeff.
    ### BEGIN SOLUTION
    rows = np.arange(num_train)
    scores = X @ W  # (N, C)
    correct = scores[rows, y][:, None]  # (N, 1)
    margins = np.maximum(0.0, scores - correct + 1.0)
    margins[rows, y] = 0.0
    loss = np.sum(margins) / num_train + 0.5 * reg * np.sum(W * W)
    coeff = (margins > 0).astype(W.dtype)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    dW = X.T @ coeff / num_train + reg * W
    ### END SOLUTION
    return float(loss), dW


# %% role="test" task="a1_svm_vectorized"
check_svm_vectorized(svm_loss_vectorized)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_svm_vectorized", globals())
### END HIDDEN TESTS

# %%
tic = time.perf_counter()
loss_naive, grad_naive = svm_loss_naive(W, X_dev, y_dev, 5e1)
t_naive = time.perf_counter() - tic
tic = time.perf_counter()
loss_vec, grad_vec = svm_loss_vectorized(W, X_dev, y_dev, 5e1)
t_vec = time.perf_counter() - tic
print(f"naive {t_naive:.4f} s, vectorised {t_vec:.4f} s")
print(f"loss difference {abs(loss_naive - loss_vec):.2e}, gradient difference {np.linalg.norm(grad_naive - grad_vec):.2e}")

# %% [markdown]
# ## 3. Training with SGD
#
# `LinearSVM` (provided) trains by minibatch stochastic gradient descent: draw a batch of
# 200 images, compute the loss and gradient, step $W \leftarrow W - \text{lr} \cdot dW$,
# repeat. It computes the loss with the package's `svm_loss_vectorized`. To train with
# **yours**, plug it in; from now on every part of the kit that used the reference uses
# your function:

# %%
plug_in(svm_loss_vectorized)

# %%
svm = LinearSVM()
tic = time.perf_counter()
loss_history = svm.train(X_train, y_train, learning_rate=SETTINGS["learning_rate"], reg=SETTINGS["reg"],
                         num_iters=SETTINGS["num_iters"], batch_size=200, seed=0)
print(f"trained in {time.perf_counter() - tic:.1f} s")

plt.plot(loss_history)
plt.xlabel("iteration")
plt.ylabel("loss")
plt.title("SVM training loss")
plt.show()
print(f"train accuracy {np.mean(svm.predict(X_train) == y_train):.3f}, "
      f"validation accuracy {np.mean(svm.predict(X_val) == y_val):.3f}")

# %% [markdown]
# ## 4. Tuning the learning rate and the regularization
#
# Try a few combinations, keep the one with the best **validation** accuracy, and only
# then look at the test set. The grid below is small on purpose; add values to improve.
#
# **Targets** (validation accuracy of the best model): default dataset 0.79; CIFAR-10
# 0.37. CIFAR-10 images have 3x32x32 = 3072 pixels, so they need a smaller learning rate
# and stronger regularization: `SETTINGS` in the data cell holds a starting point for
# each dataset.

# %%
learning_rates = SETTINGS["grid_lr"]
regularization_strengths = SETTINGS["grid_reg"]
results, models = {}, {}
for lr in learning_rates:
    for reg in regularization_strengths:
        model = LinearSVM()
        model.train(X_train, y_train, learning_rate=lr, reg=reg, num_iters=SETTINGS["num_iters"], batch_size=200, seed=0)
        train_acc = np.mean(model.predict(X_train) == y_train)
        val_acc = np.mean(model.predict(X_val) == y_val)
        results[(lr, reg)] = (train_acc, val_acc)
        models[(lr, reg)] = model
for (lr, reg), (tr, va) in sorted(results.items()):
    print(f"lr {lr:.0e} reg {reg:.0e}: train {tr:.3f} val {va:.3f}")
best_setting = max(results, key=lambda setting: results[setting][1])
best_svm, best_val = models[best_setting], results[best_setting][1]
report_accuracy("linear SVM, best validation", best_val, {"default": 0.79, "cifar10": 0.37}, data["name"])

# %%
test_acc = np.mean(best_svm.predict(X_test) == y_test)
report_accuracy("linear SVM, test", test_acc, {"default": 0.78, "cifar10": 0.36}, data["name"])


# %% [markdown]
# ## 5. What did it learn?
#
# Each column of $W$ (without the bias row) has one weight per pixel, so we can show it
# as an image: a *template* that the class score compares the input with.

# %%
def show_templates(W, image_shape, names):
    fig, axes = plt.subplots(1, len(names), figsize=(1.5 * len(names), 2))
    for c, ax in enumerate(axes):
        img = W[:-1, c].reshape(image_shape).transpose(1, 2, 0)
        img = (img - img.min()) / (img.max() - img.min())
        ax.imshow(img.squeeze(), cmap="gray" if img.shape[2] == 1 else None)
        ax.set_title(names[c], fontsize=8)
        ax.axis("off")
    plt.show()


show_templates(best_svm.W, data["input_dim"], data["class_names"])

# %%
unplug()  # back to the reference implementations

# %% [markdown]
# **Inline question 2.** Describe what the weight images look like and explain why they look that way.

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# Each template looks like a blurry average of its class, a "mean shape" (a trouser has two
# legs, a bag is a broad box, a sandal is sparse; on CIFAR-10 colour blobs such as a green
# background for frogs). The score is a dot product with the image, so training makes each
# column resemble the images of its class and differ from the others. One template per
# class must cover every pose and variant, so it blurs them together.
# ### END SOLUTION

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
# # k-Nearest Neighbours
#
# A k-nearest-neighbour (kNN) classifier does no learning at all. *Training* only stores
# the labelled images. To classify a new image it
#
# 1. measures the distance from the new image to **every** stored training image,
# 2. takes the **k** closest ones, and
# 3. lets them vote: the most common label wins.
#
# In this notebook you write the distance computation three times (with two loops, one
# loop, and none), the vote, and a cross-validation that picks k. Along the way you will
# see why vectorised numpy code matters, and why kNN is a baseline rather than a method
# anyone uses on images.
#
# **How this notebook works.** Each task has a cell with a `TODO(...)` comment: replace
# the line `raise NotImplementedError(...)` with your code. The cell after it runs a
# *check* that fails with an explanation when something is wrong. Run the cells from top
# to bottom. Cells marked **Inline question** ask for a short written answer.

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
from cs231n.classifiers.k_nearest_neighbor import as_rows
from cs231n.validation import check_array, check_choice, check_labels, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_knn_two_loops,
    check_knn_one_loop,
    check_knn_no_loops,
    check_knn_predict,
    check_knn_cross_validation,
)

# --- notebook imports ---
import time

# %% [markdown]
# ## The data
#
# `load_dataset` gives training, validation and test splits. The default dataset is a
# subset of **Fashion-MNIST** that ships inside the kit (28x28 greyscale pictures of
# clothes, 10 classes), so everything works offline. If you have downloaded CIFAR-10
# (`python -m cs231n.data fetch cifar10`), set `DATASET = "cifar10"` and re-run the
# notebook: all the code below works for both.
#
# kNN compares raw pixels, so we keep them as they are (no mean subtraction) and use a
# subset: 5,000 training and 500 test images.

# %%
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, num_training=5000, num_test=500, subtract_mean=False, seed=0)
X_train, y_train = data["X_train"], data["y_train"]
X_test, y_test = data["X_test"], data["y_test"]
class_names = data["class_names"]
print("training images:", X_train.shape, " test images:", X_test.shape)
print("source:", data["source"])


# %% [markdown]
# Seven examples of each class (every column is one class):

# %%
def show_examples(X, y, names, per_class=7):
    C = len(names)
    fig, axes = plt.subplots(per_class, C, figsize=(1.2 * C, 1.2 * per_class))
    for c in range(C):
        idx = np.flatnonzero(y == c)[:per_class]
        for r, i in enumerate(idx):
            img = X[i].transpose(1, 2, 0)  # (H, W, C) for imshow
            ax = axes[r, c]
            ax.imshow(img.squeeze() / 255.0, cmap="gray" if img.shape[2] == 1 else None)
            ax.axis("off")
            if r == 0:
                ax.set_title(names[c], fontsize=8)
    plt.show()


show_examples(X_train, y_train, class_names)


# %% [markdown]
# ## 1. Distances with two loops
#
# We flatten each image into a row of $D = C \cdot H \cdot W$ numbers and use the
# **L2 (Euclidean) distance** between two rows $x$ and $t$:
#
# $$d(x, t) = \sqrt{\sum_{p=1}^{D} (x_p - t_p)^2}.$$
#
# The result for a test set of `num_test` images and a training set of `num_train` images
# is a matrix `dists` of shape `(num_test, num_train)`: row `i` holds the distances from
# test image `i` to all the training images.
#
# Write `compute_distances_two_loops`: a loop over test images, a loop over training
# images, and a vectorised expression for one pair (no loop over the D pixels, and no
# `np.linalg.norm`). The helper `as_rows` (already called for you) flattens both sets into
# float64 rows.

# %% role="solution" task="a1_knn_two_loops"
def compute_distances_two_loops(X, X_train):
    """L2 distance between every test and every training sample, with two loops.

    Parameters
    ----------
    X : ndarray of shape (num_test, D) or (num_test, C, H, W)
        Test samples.
    X_train : ndarray of shape (num_train, D) or (num_train, C, H, W)
        Training samples.

    Returns
    -------
    dists : ndarray of shape (num_test, num_train)
        ``dists[i, j]`` is the Euclidean distance between test i and training sample j.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_two_loops")
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    # TODO(a1_knn_two_loops): for every pair (i, j) store the L2 distance between X[i] and
    # X_train[j] in dists[i, j]. No loop over the D features, and no np.linalg.norm.
    ### BEGIN SOLUTION
    for i in range(num_test):
        for j in range(num_train):
            diff = X[i] - X_train[j]
            dists[i, j] = np.sqrt(np.sum(diff * diff))
    ### END SOLUTION
    return dists


# %% role="test" task="a1_knn_two_loops"
check_knn_two_loops(compute_distances_two_loops)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_knn_two_loops", globals())
### END HIDDEN TESTS

# %% [markdown]
# Two Python loops are slow: 500 x 5,000 pairs would take a while. We use a smaller
# subset to look at the distance matrix. Each row is a test image, each column a training
# image; bright means far.

# %%
X_small, y_small = X_test[:50], y_test[:50]
X_ref, y_ref = X_train[:500], y_train[:500]
tic = time.perf_counter()
dists_small = compute_distances_two_loops(X_small, X_ref)
print(f"two loops on 50 x 500 pairs: {time.perf_counter() - tic:.2f} s")

plt.figure(figsize=(10, 2.5))
plt.imshow(dists_small, interpolation="none", aspect="auto")
plt.xlabel("training image")
plt.ylabel("test image")
plt.colorbar(label="L2 distance")
plt.title("Distance matrix")
plt.show()


# %% [markdown]
# **Inline question 1.** Some **rows** of the distance matrix are bright all the way along, and some
# **columns** are too. What kind of image causes a bright row? A bright column?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# A bright row is a test image that is far from every training image: an unusual picture
# (an atypical item, very bright or very dark overall, or a different background), whose
# pixels differ from most others. A bright column is the same for a training image: an
# outlier in the training set, far from every test image. With raw pixels, overall
# brightness dominates L2 distances, so very light or very dark images make bright lines.
# ### END SOLUTION

# %% [markdown]
# ## 2. The vote
#
# Given the distance matrix, each test image looks at its `k` nearest training images and
# takes the most common label among them. When two labels get the same number of votes,
# we choose the **smaller** label, so everybody's answers agree. Sort with
# `np.argsort(..., kind="stable")` so that equally distant neighbours keep their training
# order, and count votes with `np.bincount`; `np.argmax` returns the first (smallest)
# label among equal counts.

# %% role="solution" task="a1_knn_predict"
def predict_labels(dists, y_train, k=1):
    """Majority vote among the k nearest training samples of each test sample.

    Parameters
    ----------
    dists : ndarray of shape (num_test, num_train)
        Distances, as from :func:`compute_distances_no_loops`.
    y_train : ndarray of shape (num_train,), int
        Training labels.
    k : int
        Number of neighbours that vote (1 <= k <= num_train).

    Returns
    -------
    y_pred : ndarray of shape (num_test,), int
        The most common label among the k nearest; a tie goes to the smaller label.
        Neighbours at equal distance are ranked by their index in the training set.
    """
    check_array(dists, "predict_labels: dists", ndim=2, dims="(num_test, num_train)")
    check_labels(y_train, "predict_labels: y_train", dists.shape[1])
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= dists.shape[1]:
        fail(
            "predict_labels: k",
            f"an integer between 1 and num_train = {dists.shape[1]}",
            repr(k),
        )
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    # TODO(a1_knn_predict): for each test sample, find the labels of its k nearest training
    # samples (np.argsort with kind="stable") and store the most common one in y_pred[i];
    # break ties toward the smaller label (np.bincount + np.argmax does exactly that).
    ### BEGIN SOLUTION
    for i in range(num_test):
        nearest = np.argsort(dists[i], kind="stable")[:k]
        closest_y = y_train[nearest]
        y_pred[i] = np.argmax(np.bincount(closest_y))
    ### END SOLUTION
    return y_pred


# %% role="test" task="a1_knn_predict"
check_knn_predict(predict_labels)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_knn_predict", globals())
### END HIDDEN TESTS

# %%
for k in (1, 5):
    y_pred = predict_labels(dists_small, y_ref, k=k)
    print(f"k = {k}: {np.mean(y_pred == y_small):.2f} accuracy on the 50 test images (500 training images)")


# %% [markdown]
# ## 3. One loop
#
# Numpy can compare one test image with **all** training images at once. `X_train - X[i]`
# *broadcasts*: the row `X[i]` of shape `(D,)` is subtracted from every row of `X_train`
# of shape `(num_train, D)`. Sum the squares along the right axis and you have the whole
# row `dists[i, :]` in one expression.

# %% role="solution" task="a1_knn_one_loop"
def compute_distances_one_loop(X, X_train):
    """L2 distances with one loop over the test samples (broadcasting inside).

    Parameters and return value as in :func:`compute_distances_two_loops`.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_one_loop")
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    # TODO(a1_knn_one_loop): for each test sample i, fill the whole row dists[i, :] at once
    # by broadcasting X[i] against X_train. No np.linalg.norm.
    ### BEGIN SOLUTION
    for i in range(num_test):
        diff = X_train - X[i]
        dists[i, :] = np.sqrt(np.sum(diff * diff, axis=1))
    ### END SOLUTION
    return dists


# %% role="test" task="a1_knn_one_loop"
check_knn_one_loop(compute_distances_one_loop)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_knn_one_loop", globals())
### END HIDDEN TESTS

# %% [markdown]
# ## 4. No loops
#
# Expand the square: $\lVert x - t \rVert^2 = \lVert x \rVert^2 - 2\, x \cdot t + \lVert t \rVert^2$.
# For all pairs at once:
#
# * $\lVert x_i \rVert^2$ for every test row is a column vector of shape `(num_test, 1)`;
# * $\lVert t_j \rVert^2$ for every training row is a row vector of shape `(num_train,)`;
# * all the dot products $x_i \cdot t_j$ are one matrix product, `X @ X_train.T`.
#
# Broadcasting adds the three into a `(num_test, num_train)` matrix. Rounding can make a
# squared distance of two nearly identical images slightly negative, so clip at 0 before
# the square root.

# %% role="solution" task="a1_knn_no_loops"
def compute_distances_no_loops(X, X_train):
    """L2 distances with no Python loop.

    Expand ``||x - t||^2 = ||x||^2 - 2 x.t + ||t||^2``: two vectors of squared norms and
    one matrix product.  Rounding can make a squared distance slightly negative; clip it
    at 0 before the square root.

    Parameters and return value as in :func:`compute_distances_two_loops`.
    """
    X, X_train = as_rows(X, X_train, "compute_distances_no_loops")
    # TODO(a1_knn_no_loops): compute the squared norms of the rows of X (as a column) and of
    # X_train (as a row), subtract 2 * X @ X_train.T, clip at 0 and take the square root.
    # No loops and no np.linalg.norm.
    ### BEGIN SOLUTION
    test_sq = np.sum(X * X, axis=1, keepdims=True)  # (num_test, 1)
    train_sq = np.sum(X_train * X_train, axis=1)  # (num_train,)
    sq = test_sq - 2.0 * (X @ X_train.T) + train_sq
    dists = np.sqrt(np.maximum(sq, 0.0))
    ### END SOLUTION
    return dists


# %% role="test" task="a1_knn_no_loops"
check_knn_no_loops(compute_distances_no_loops)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_knn_no_loops", globals())
### END HIDDEN TESTS

# %% [markdown]
# The three versions agree, and their speeds differ a lot:

# %%
def timed(fn, *args):
    tic = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - tic


d2, t2 = timed(compute_distances_two_loops, X_small, X_ref)
d1, t1 = timed(compute_distances_one_loop, X_small, X_ref)
d0, t0 = timed(compute_distances_no_loops, X_small, X_ref)
print(f"difference one loop vs two loops: {np.linalg.norm(d1 - d2):.2e}")
print(f"difference no loops vs two loops: {np.linalg.norm(d0 - d2):.2e}")
print(f"two loops {t2:.3f} s | one loop {t1:.3f} s | no loops {t0:.4f} s"
      f" | speed-up of no loops over two loops: {t2 / max(t0, 1e-9):.0f}x")

# %% [markdown]
# Now the full test set against all 5,000 training images takes well under a second.
#
# **Targets** (500 test images, 5,000 training images): on the default Fashion-MNIST subset
# k = 1 reaches about 0.80 (target 0.74); on CIFAR-10 about 0.27 (target 0.25).

# %%
dists = compute_distances_no_loops(X_test, X_train)
acc1 = np.mean(predict_labels(dists, y_train, k=1) == y_test)
report_accuracy("kNN k=1, test", acc1, {"default": 0.74, "cifar10": 0.25}, data["name"])


# %% [markdown]
# ## 5. Choosing k by cross-validation
#
# k is a *hyperparameter*: it is not learned from the data, we choose it. Choosing it on
# the test set would make the test accuracy a lie. Instead, **k-fold cross-validation**
# splits the training set into `num_folds` folds; each fold in turn is held out and
# predicted from the others. The mean accuracy over the folds estimates how well each k
# generalises.
#
# Write `cross_validate_k`. Compute the distances of each held-out fold once and reuse
# them for every k.

# %% role="solution" task="a1_knn_cross_validation"
def cross_validate_k(X, y, k_choices, num_folds=5, num_loops=0):
    """k-fold cross-validation of the number of neighbours k.

    The data are split, in order, into ``num_folds`` nearly equal folds
    (``np.array_split``).  Each fold in turn is the validation set and the others are
    the training set; the distances are computed once per fold and reused for every k.

    Parameters
    ----------
    X : ndarray of shape (N, D) or (N, C, H, W)
        Training samples.
    y : ndarray of shape (N,), int
        Their labels.
    k_choices : iterable of int
        Values of k to try.
    num_folds : int
        Number of folds (2 <= num_folds <= N).
    num_loops : {0, 1, 2}
        Which distance function to use (no loops by default).

    Returns
    -------
    k_to_accuracies : dict
        ``k -> list of num_folds validation accuracies`` (floats in [0, 1]).
    """
    check_array(X, "cross_validate_k: X", ndim=(2, 4), dims="(N, D) or (N, C, H, W)")
    check_labels(y, "cross_validate_k: y", X.shape[0])
    check_choice(num_loops, "cross_validate_k: num_loops", (0, 1, 2))
    if not isinstance(num_folds, (int, np.integer)) or not 2 <= num_folds <= X.shape[0]:
        fail(
            "cross_validate_k: num_folds",
            f"an integer between 2 and N = {X.shape[0]}",
            repr(num_folds),
        )
    k_choices = list(k_choices)
    k_to_accuracies = {k: [] for k in k_choices}
    # TODO(a1_knn_cross_validation): split X and y into num_folds folds (np.array_split).
    # For each fold: train on the other folds (np.concatenate), compute the distances from
    # the held-out fold with the function num_loops selects, then for every k predict and
    # append the accuracy (fraction correct) to k_to_accuracies[k].
    ### BEGIN SOLUTION
    distance_fn = {
        0: compute_distances_no_loops,
        1: compute_distances_one_loop,
        2: compute_distances_two_loops,
    }[num_loops]
    X_folds = np.array_split(X, num_folds)
    y_folds = np.array_split(y, num_folds)
    for f in range(num_folds):
        X_tr = np.concatenate(X_folds[:f] + X_folds[f + 1 :])
        y_tr = np.concatenate(y_folds[:f] + y_folds[f + 1 :])
        dists = distance_fn(X_folds[f], X_tr)
        for k in k_choices:
            y_pred = predict_labels(dists, y_tr, k=k)
            k_to_accuracies[k].append(float(np.mean(y_pred == y_folds[f])))
    ### END SOLUTION
    return k_to_accuracies


# %% role="test" task="a1_knn_cross_validation"
check_knn_cross_validation(cross_validate_k)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a1_knn_cross_validation", globals())
### END HIDDEN TESTS

# %% [markdown]
# We cross-validate on the first 2,000 training images to keep it quick.

# %%
k_choices = [1, 3, 5, 8, 12, 20, 50]
k_to_accuracies = cross_validate_k(X_train[:2000], y_train[:2000], k_choices, num_folds=5)

means = np.array([np.mean(k_to_accuracies[k]) for k in k_choices])
stds = np.array([np.std(k_to_accuracies[k]) for k in k_choices])
for k in k_choices:
    plt.scatter([k] * len(k_to_accuracies[k]), k_to_accuracies[k], color="gray", s=10)
plt.errorbar(k_choices, means, yerr=stds, marker="o")
plt.xscale("log")
plt.xlabel("k")
plt.ylabel("cross-validation accuracy")
plt.title("5-fold cross-validation")
plt.show()

best_k = k_choices[int(np.argmax(means))]
print("best k:", best_k)

# %% [markdown]
# Finally, use the best k on the test set, once. **Targets:** default dataset 0.76 or
# more; CIFAR-10 0.28 or more.

# %%
acc_best = np.mean(predict_labels(dists, y_train, k=best_k) == y_test)
report_accuracy(f"kNN best k={best_k}, test", acc_best, {"default": 0.76, "cifar10": 0.28}, data["name"])

# %% [markdown]
# **Inline question 2.** Which of these preprocessing steps leave the predictions of a kNN classifier **with
# L2 distance** unchanged? Explain each. (1) subtracting the mean image of the training
# set from every image; (2) subtracting the mean of all pixels of all images (one number);
# (3) dividing every pixel by the same positive number; (4) rotating the coordinate axes of
# the D-dimensional space.

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# All four leave the predictions unchanged. (1) and (2) shift every image by the same vector,
# and differences x - t do not change. (3) scales every distance by the same factor, so the
# order of the neighbours does not change. (4) a rotation preserves Euclidean lengths. (For
# L1, rotation would change the distances.)
# ### END SOLUTION

# %% [markdown]
# **Inline question 3.** True or false, with one sentence each: (a) the training error of a 1-NN classifier is
# always 0; (b) the time to classify one test image grows with the size of the training
# set; (c) kNN with a larger k always has a lower test error.

# %% [markdown] role="answer" n=3
# **Your answer:**
# ### BEGIN SOLUTION
# (a) True (with distinct training images): each training image is its own nearest
# neighbour at distance 0. (b) True: we compare with every training image, O(N D). (c)
# False: large k over-smooths (k = N predicts the majority class); the cross-validation
# curve above goes down for large k.
# ### END SOLUTION

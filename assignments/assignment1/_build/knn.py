"""Build script of assignment1/knn.ipynb (python -m autograder.authoring.nbbuild assignment1)."""

from autograder.authoring.nbbuild import (
    code,
    imports_cell,
    md,
    question,
    setup_cell,
    solution_cell,
    test_cell,
)


def cells():
    return [
        md(
            r"""
# k-Nearest Neighbours

A k-nearest-neighbour (kNN) classifier does no learning at all. *Training* only stores
the labelled images. To classify a new image it

1. measures the distance from the new image to **every** stored training image,
2. takes the **k** closest ones, and
3. lets them vote: the most common label wins.

In this notebook you write the distance computation three times (with two loops, one
loop, and none), the vote, and a cross-validation that picks k. Along the way you will
see why vectorised numpy code matters, and why kNN is a baseline rather than a method
anyone uses on images.

**How this notebook works.** Each task has a cell with a `TODO(...)` comment: replace
the line `raise NotImplementedError(...)` with your code. The cell after it runs a
*check* that fails with an explanation when something is wrong. Run the cells from top
to bottom. Cells marked **Inline question** ask for a short written answer.
"""
        ),
        setup_cell(),
        imports_cell(extra="import time"),
        md(
            r"""
## The data

`load_dataset` gives training, validation and test splits. The default dataset is a
subset of **Fashion-MNIST** that ships inside the kit (28x28 greyscale pictures of
clothes, 10 classes), so everything works offline. If you have downloaded CIFAR-10
(`python -m cs231n.data fetch cifar10`), set `DATASET = "cifar10"` and re-run the
notebook: all the code below works for both.

kNN compares raw pixels, so we keep them as they are (no mean subtraction) and use a
subset: 5,000 training and 500 test images.
"""
        ),
        code(
            """
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, num_training=5000, num_test=500, subtract_mean=False, seed=0)
X_train, y_train = data["X_train"], data["y_train"]
X_test, y_test = data["X_test"], data["y_test"]
class_names = data["class_names"]
print("training images:", X_train.shape, " test images:", X_test.shape)
print("source:", data["source"])
"""
        ),
        md("Seven examples of each class (every column is one class):"),
        code(
            """
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
"""
        ),
        md(
            r"""
## 1. Distances with two loops

We flatten each image into a row of $D = C \cdot H \cdot W$ numbers and use the
**L2 (Euclidean) distance** between two rows $x$ and $t$:

$$d(x, t) = \sqrt{\sum_{p=1}^{D} (x_p - t_p)^2}.$$

The result for a test set of `num_test` images and a training set of `num_train` images
is a matrix `dists` of shape `(num_test, num_train)`: row `i` holds the distances from
test image `i` to all the training images.

Write `compute_distances_two_loops`: a loop over test images, a loop over training
images, and a vectorised expression for one pair (no loop over the D pixels, and no
`np.linalg.norm`). The helper `as_rows` (already called for you) flattens both sets into
float64 rows.
"""
        ),
        solution_cell("a1_knn_two_loops"),
        test_cell("a1_knn_two_loops", "check_knn_two_loops(compute_distances_two_loops)"),
        md(
            r"""
Two Python loops are slow: 500 x 5,000 pairs would take a while. We use a smaller
subset to look at the distance matrix. Each row is a test image, each column a training
image; bright means far.
"""
        ),
        code(
            """
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
"""
        ),
        *question(
            1,
            """
Some **rows** of the distance matrix are bright all the way along, and some
**columns** are too. What kind of image causes a bright row? A bright column?
""",
            answer="""
A bright row is a test image that is far from every training image: an unusual picture
(an atypical item, very bright or very dark overall, or a different background), whose
pixels differ from most others. A bright column is the same for a training image: an
outlier in the training set, far from every test image. With raw pixels, overall
brightness dominates L2 distances, so very light or very dark images make bright lines.
""",
        ),
        md(
            r"""
## 2. The vote

Given the distance matrix, each test image looks at its `k` nearest training images and
takes the most common label among them. When two labels get the same number of votes,
we choose the **smaller** label, so everybody's answers agree. Sort with
`np.argsort(..., kind="stable")` so that equally distant neighbours keep their training
order, and count votes with `np.bincount`; `np.argmax` returns the first (smallest)
label among equal counts.
"""
        ),
        solution_cell("a1_knn_predict"),
        test_cell("a1_knn_predict", "check_knn_predict(predict_labels)"),
        code(
            """
for k in (1, 5):
    y_pred = predict_labels(dists_small, y_ref, k=k)
    print(f"k = {k}: {np.mean(y_pred == y_small):.2f} accuracy on the 50 test images (500 training images)")
"""
        ),
        md(
            r"""
## 3. One loop

Numpy can compare one test image with **all** training images at once. `X_train - X[i]`
*broadcasts*: the row `X[i]` of shape `(D,)` is subtracted from every row of `X_train`
of shape `(num_train, D)`. Sum the squares along the right axis and you have the whole
row `dists[i, :]` in one expression.
"""
        ),
        solution_cell("a1_knn_one_loop"),
        test_cell("a1_knn_one_loop", "check_knn_one_loop(compute_distances_one_loop)"),
        md(
            r"""
## 4. No loops

Expand the square: $\lVert x - t \rVert^2 = \lVert x \rVert^2 - 2\, x \cdot t + \lVert t \rVert^2$.
For all pairs at once:

* $\lVert x_i \rVert^2$ for every test row is a column vector of shape `(num_test, 1)`;
* $\lVert t_j \rVert^2$ for every training row is a row vector of shape `(num_train,)`;
* all the dot products $x_i \cdot t_j$ are one matrix product, `X @ X_train.T`.

Broadcasting adds the three into a `(num_test, num_train)` matrix. Rounding can make a
squared distance of two nearly identical images slightly negative, so clip at 0 before
the square root.
"""
        ),
        solution_cell("a1_knn_no_loops"),
        test_cell("a1_knn_no_loops", "check_knn_no_loops(compute_distances_no_loops)"),
        md("The three versions agree, and their speeds differ a lot:"),
        code(
            """
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
"""
        ),
        md(
            r"""
Now the full test set against all 5,000 training images takes well under a second.

**Targets** (500 test images, 5,000 training images): on the default Fashion-MNIST subset
k = 1 reaches about 0.80 (target 0.74); on CIFAR-10 about 0.27 (target 0.25).
"""
        ),
        code(
            """
dists = compute_distances_no_loops(X_test, X_train)
acc1 = np.mean(predict_labels(dists, y_train, k=1) == y_test)
report_accuracy("kNN k=1, test", acc1, {"default": 0.74, "cifar10": 0.25}, data["name"])
"""
        ),
        md(
            r"""
## 5. Choosing k by cross-validation

k is a *hyperparameter*: it is not learned from the data, we choose it. Choosing it on
the test set would make the test accuracy a lie. Instead, **k-fold cross-validation**
splits the training set into `num_folds` folds; each fold in turn is held out and
predicted from the others. The mean accuracy over the folds estimates how well each k
generalises.

Write `cross_validate_k`. Compute the distances of each held-out fold once and reuse
them for every k.
"""
        ),
        solution_cell("a1_knn_cross_validation"),
        test_cell("a1_knn_cross_validation", "check_knn_cross_validation(cross_validate_k)"),
        md("We cross-validate on the first 2,000 training images to keep it quick."),
        code(
            """
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
"""
        ),
        md(
            r"""
Finally, use the best k on the test set, once. **Targets:** default dataset 0.76 or
more; CIFAR-10 0.28 or more.
"""
        ),
        code(
            """
acc_best = np.mean(predict_labels(dists, y_train, k=best_k) == y_test)
report_accuracy(f"kNN best k={best_k}, test", acc_best, {"default": 0.76, "cifar10": 0.28}, data["name"])
"""
        ),
        *question(
            2,
            """
Which of these preprocessing steps leave the predictions of a kNN classifier **with
L2 distance** unchanged? Explain each. (1) subtracting the mean image of the training
set from every image; (2) subtracting the mean of all pixels of all images (one number);
(3) dividing every pixel by the same positive number; (4) rotating the coordinate axes of
the D-dimensional space.
""",
            answer="""
All four leave the predictions unchanged. (1) and (2) shift every image by the same vector,
and differences x - t do not change. (3) scales every distance by the same factor, so the
order of the neighbours does not change. (4) a rotation preserves Euclidean lengths. (For
L1, rotation would change the distances.)
""",
        ),
        *question(
            3,
            """
True or false, with one sentence each: (a) the training error of a 1-NN classifier is
always 0; (b) the time to classify one test image grows with the size of the training
set; (c) kNN with a larger k always has a lower test error.
""",
            answer="""
(a) True (with distinct training images): each training image is its own nearest
neighbour at distance 0. (b) True: we compare with every training image, O(N D). (c)
False: large k over-smooths (k = N predicts the majority class); the cross-validation
curve above goes down for large k.
""",
        ),
    ]

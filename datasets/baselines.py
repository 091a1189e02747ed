"""Accuracy baselines of the reference models on the embedded default dataset.

Run from the repository root (a few minutes on 2 cores)::

    python datasets/baselines.py               # all models, prints a Markdown table
    python datasets/baselines.py --only knn softmax
    python datasets/baselines.py --quick       # a smoke run on 1,000 training images

Everything is seeded (data split seed 0, model and minibatch seeds 0), so a run on the
same numpy/BLAS reproduces the numbers up to floating-point summation order.  The
settings printed next to each number are the exact ones used; ``datasets/README.md``
records a run.  The data is ``load_dataset()``: 10,000 train / 1,000 val / 1,000 test
Fashion-MNIST images of shape (1, 28, 28), float32, training-mean subtracted (kNN uses
raw pixels, as CS231n's kNN notebook does).
"""

from __future__ import annotations

import os

# One BLAS thread (set before numpy loads): on a small shared machine OpenBLAS threads
# fighting for cores make the small matrix products of these models 20-50x slower.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from cs231n.data import load_dataset  # noqa: E402


def accuracy(pred, y):
    return float(np.mean(pred == y))


def with_bias(X):
    X = X.reshape(len(X), -1)
    return np.hstack([X, np.ones((len(X), 1), dtype=X.dtype)])


def run_knn(data, raw, quick):
    from cs231n.classifiers import KNearestNeighbor

    knn = KNearestNeighbor().train(raw["X_train"].reshape(len(raw["X_train"]), -1), raw["y_train"])
    Xv = raw["X_val"].reshape(len(raw["X_val"]), -1)
    Xt = raw["X_test"].reshape(len(raw["X_test"]), -1)
    dv, dt = knn.compute_distances_no_loops(Xv), knn.compute_distances_no_loops(Xt)
    best = max((accuracy(knn.predict_labels(dv, k=k), raw["y_val"]), -k) for k in (1, 3, 5, 10, 20))
    k = -best[1]
    test = accuracy(knn.predict_labels(dt, k=k), raw["y_test"])
    return (
        best[0],
        test,
        f"L2 on raw pixels (no mean subtraction), k={k} chosen on val from 1,3,5,10,20",
    )


def run_linear(cls_name, data, quick):
    from cs231n import classifiers

    Xtr, Xv, Xt = (with_bias(data[k]) for k in ("X_train", "X_val", "X_test"))
    results = []
    for lr in (1e-6, 2e-6, 5e-6):
        for reg in (1e2, 1e3):
            clf = getattr(classifiers, cls_name)()
            clf.train(
                Xtr, data["y_train"], learning_rate=lr, reg=reg, num_iters=300 if quick else 1500,
                batch_size=200, seed=0,
            )  # fmt: skip
            results.append((accuracy(clf.predict(Xv), data["y_val"]), lr, reg, clf))
    val, lr, reg, clf = max(results, key=lambda r: r[0])
    test = accuracy(clf.predict(Xt), data["y_test"])
    iters = 300 if quick else 1500
    return (
        val,
        test,
        (
            f"bias column, SGD {iters} iters, batch 200, seed 0; lr={lr:g}, reg={reg:g} "
            f"(best on val of lr 1e-6,2e-6,5e-6 x reg 1e2,1e3)"
        ),
    )


def run_solver(model, data, quick, **kw):
    """Train with the Solver; return (val acc, test acc, a description of the settings)."""
    from cs231n.solver import Solver

    if quick:
        kw["num_epochs"] = 1
    solver = Solver(model, data, verbose=False, seed=0, **kw)
    solver.train()
    val = solver.check_accuracy(data["X_val"], data["y_val"])
    test = solver.check_accuracy(data["X_test"], data["y_test"])
    opt = kw["optim_config"]["learning_rate"]
    decay = f", lr_decay {kw['lr_decay']:g}" if kw.get("lr_decay", 1.0) != 1.0 else ""
    how = (
        f"{kw['update_rule']} lr {opt:g}{decay}, batch {kw['batch_size']}, "
        f"{kw['num_epochs']} epochs, Solver seed 0"
    )
    return float(val), float(test), how


def run_two_layer(data, quick):
    from cs231n.classifiers import TwoLayerNet

    model = TwoLayerNet(
        input_dim=784, hidden_dim=100, weight_scale=1e-3, reg=1e-3, dtype=np.float32, seed=0
    )
    val, test, how = run_solver(
        model, data, quick, update_rule="sgd", optim_config={"learning_rate": 1e-3},
        lr_decay=0.95, batch_size=100, num_epochs=10,
    )  # fmt: skip
    return val, test, f"hidden 100, weight_scale 1e-3, reg 1e-3, float32, seed 0; {how}"


def run_fc_bn(data, quick):
    from cs231n.classifiers import FullyConnectedNet

    model = FullyConnectedNet(
        [100, 100], input_dim=784, normalization="batchnorm", weight_scale="he", reg=1e-3, seed=0
    )
    val, test, how = run_solver(
        model, data, quick, update_rule="adam", optim_config={"learning_rate": 1e-3},
        lr_decay=0.95, batch_size=100, num_epochs=10,
    )  # fmt: skip
    return val, test, f"hidden [100, 100], batchnorm, He init, reg 1e-3, float32, seed 0; {how}"


def run_cnn(data, quick):
    from cs231n.classifiers import ThreeLayerConvNet

    model = ThreeLayerConvNet(
        input_dim=data["input_dim"], num_filters=32, filter_size=7, hidden_dim=100,
        weight_scale=1e-3, reg=1e-3, seed=0,
    )  # fmt: skip
    val, test, how = run_solver(
        model, data, quick, update_rule="adam", optim_config={"learning_rate": 1e-3},
        lr_decay=0.95, batch_size=100, num_epochs=5,
    )  # fmt: skip
    return (
        val,
        test,
        f"32 filters 7x7, hidden 100, weight_scale 1e-3, reg 1e-3, float32, seed 0; {how}",
    )


MODELS = {
    "knn": ("kNN", lambda d, r, q: run_knn(d, r, q)),
    "svm": ("Linear SVM", lambda d, r, q: run_linear("LinearSVM", d, q)),
    "softmax": ("Softmax", lambda d, r, q: run_linear("Softmax", d, q)),
    "two_layer": ("TwoLayerNet", lambda d, r, q: run_two_layer(d, q)),
    "fc_bn": ("FullyConnectedNet + batchnorm", lambda d, r, q: run_fc_bn(d, q)),
    "cnn": ("ThreeLayerConvNet", lambda d, r, q: run_cnn(d, q)),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--quick", action="store_true", help="1,000 training images, short runs")
    args = parser.parse_args(argv)
    n_train = 1000 if args.quick else None
    data = load_dataset(num_training=n_train, seed=0)
    raw = load_dataset(num_training=n_train, seed=0, subtract_mean=False)
    print(f"data: {data['source']}")
    print(
        f"train {len(data['y_train']):,} / val {len(data['y_val']):,} / test "
        f"{len(data['y_test']):,}, input_dim {data['input_dim']}, numpy {np.__version__}\n"
    )
    rows = []
    for key in args.only:
        label, fn = MODELS[key]
        t = time.perf_counter()
        val, test, settings = fn(data, raw, args.quick)
        secs = time.perf_counter() - t
        rows.append((label, val, test, secs, settings))
        print(f"{label}: val {val:.3f}, test {test:.3f} ({secs:.0f} s)", flush=True)
    print("\n| model | val acc | test acc | time (s) | settings |")
    print("|---|---|---|---|---|")
    for label, val, test, secs, settings in rows:
        print(f"| {label} | {val:.3f} | {test:.3f} | {secs:.0f} | {settings} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CS231n habits carry over: its imports, np.random.seed, in-place rules, save/load, printouts.

Each test is written the way CS231n's notebooks use the package (the code is this kit's,
the published numbers are CS231n's), and asserts that it runs and gives the expected
numbers.  The differences that remain are listed in the README ("Differences from
CS231n").
"""

from __future__ import annotations

import pickle
import re
import sys

import numpy as np
import pytest

from cs231n.validation import ConfigError, ShapeError

# CS231n's notebooks call the legacy global functions; so do these tests, on purpose.
# ruff: noqa: NPY002


# --------------------------------------------------------------------------- imports
def test_cs231n_import_lines_work():
    import cs231n.data
    from cs231n.classifiers import KNearestNeighbor, LinearSVM, Softmax  # noqa: F401
    from cs231n.classifiers.cnn import ThreeLayerConvNet  # noqa: F401
    from cs231n.classifiers.fc_net import FullyConnectedNet, TwoLayerNet  # noqa: F401
    from cs231n.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized  # noqa: F401
    from cs231n.classifiers.softmax import softmax_loss_naive  # noqa: F401
    from cs231n.data_utils import (  # noqa: F401
        get_CIFAR10_data,
        load_CIFAR10,
        load_CIFAR_batch,
        load_pickle,
    )
    from cs231n.gradient_check import (  # noqa: F401
        eval_numerical_gradient,
        eval_numerical_gradient_array,
        grad_check_sparse,
    )
    from cs231n.layer_utils import affine_relu_backward, affine_relu_forward  # noqa: F401
    from cs231n.optim import adam, rmsprop, sgd, sgd_momentum  # noqa: F401
    from cs231n.solver import Solver  # noqa: F401

    assert get_CIFAR10_data is cs231n.data.get_CIFAR10_data  # one data API, not two


def test_fc_net_star_import_brings_the_layers_like_cs231n():
    namespace: dict = {}
    exec("from cs231n.classifiers.fc_net import *", namespace)
    for name in (
        "TwoLayerNet",
        "FullyConnectedNet",
        "affine_forward",
        "affine_backward",
        "relu_forward",
        "relu_backward",
        "svm_loss",
        "softmax_loss",
        "batchnorm_forward",
        "batchnorm_backward",
        "batchnorm_backward_alt",
        "layernorm_forward",
        "layernorm_backward",
        "dropout_forward",
        "dropout_backward",
        "affine_relu_forward",
        "affine_relu_backward",
        "conv_relu_pool_forward",
    ):
        assert callable(namespace.get(name)), name
    import cs231n.layers

    assert namespace["affine_forward"] is cs231n.layers.affine_forward


# --------------------------------------------------------------------------- data_utils
def _write_cifar_folder(root, n=4, seed=0):
    """A miniature ``cifar-10-batches-py`` (n images per batch), pickled as CIFAR-10 is."""
    rng = np.random.default_rng(seed)
    folder = root / "cifar-10-batches-py"
    folder.mkdir()
    raw = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=n)]
        raw[name] = (data, labels)
        batch = {"batch_label": name, "labels": labels, "data": data, "filenames": ["a"] * n}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {"label_names": ["airplane", "automobile", "bird", "cat", "deer"] + ["x"] * 5}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return folder, raw


def test_load_cifar10_returns_cs231n_layout(tmp_path):
    from cs231n.data_utils import load_CIFAR10, load_CIFAR_batch

    cifar10_dir, raw = _write_cifar_folder(tmp_path)
    X_train, y_train, X_test, y_test = load_CIFAR10(str(cifar10_dir))
    assert X_train.shape == (20, 32, 32, 3) and X_test.shape == (4, 32, 32, 3)
    assert X_train.dtype == np.float64 and y_train.shape == (20,)
    first, labels = raw["data_batch_1"]
    np.testing.assert_array_equal(X_train[0], first[0].reshape(3, 32, 32).transpose(1, 2, 0))
    np.testing.assert_array_equal(y_train[:4], labels)
    np.testing.assert_array_equal(y_test, raw["test_batch"][1])
    X, y = load_CIFAR_batch(cifar10_dir / "data_batch_2")
    np.testing.assert_array_equal(X, X_train[4:8])
    np.testing.assert_array_equal(y, y_train[4:8])
    # A folder that holds cifar-10-batches-py works too; float32 halves the memory.
    X32 = load_CIFAR10(tmp_path, dtype=np.float32)[0]
    assert X32.dtype == np.float32
    np.testing.assert_array_equal(X32, X_train)


def test_load_cifar10_missing_folder_says_what_to_do(tmp_path):
    from cs231n.data import DatasetNotFoundError
    from cs231n.data_utils import load_CIFAR10

    with pytest.raises(DatasetNotFoundError, match="data_batch_1"):
        load_CIFAR10(tmp_path / "nowhere")


def test_get_cifar10_data_returns_cs231n_dict(tmp_path):
    from cs231n.data_utils import get_CIFAR10_data

    _write_cifar_folder(tmp_path, n=10)
    data = get_CIFAR10_data(num_training=30, num_validation=10, num_test=10, data_dir=tmp_path)
    for split, n in (("train", 30), ("val", 10), ("test", 10)):
        assert data[f"X_{split}"].shape == (n, 3, 32, 32)  # NCHW, as CS231n's
        assert data[f"y_{split}"].shape == (n,)
    np.testing.assert_allclose(data["X_train"].mean(axis=0), 0, atol=1e-3)  # mean subtracted


class _RunsCode:
    def __reduce__(self):
        return (exec, ("import sys; sys.h6_unpickled_code_ran = True",))


def test_load_pickle_reads_data_and_refuses_code(tmp_path):
    from cs231n.data_utils import load_pickle

    good = tmp_path / "good.pkl"
    good.write_bytes(pickle.dumps({"W": np.arange(6.0).reshape(2, 3), "names": ["a"]}, 2))
    with open(good, "rb") as f:  # CS231n passes an open file
        obj = load_pickle(f)
    np.testing.assert_array_equal(obj["W"], np.arange(6.0).reshape(2, 3))
    assert load_pickle(good)["names"] == ["a"]  # a path works too

    bad = tmp_path / "bad.pkl"
    bad.write_bytes(pickle.dumps({"x": _RunsCode()}))
    with pytest.raises(pickle.UnpicklingError, match="refusing"), open(bad, "rb") as f:
        load_pickle(f)
    assert not hasattr(sys, "h6_unpickled_code_ran")


# --------------------------------------------------------------------------- seeding
def test_np_random_seed_reproduces_cs231n_initial_weights():
    from cs231n.classifiers import FullyConnectedNet, ThreeLayerConvNet, TwoLayerNet

    np.random.seed(231)
    model = TwoLayerNet(input_dim=5, hidden_dim=4, num_classes=3, weight_scale=1e-3)
    np.random.seed(231)  # what CS231n's TwoLayerNet draws, in the same order
    np.testing.assert_array_equal(model.params["W1"], 1e-3 * np.random.randn(5, 4))
    np.testing.assert_array_equal(model.params["W2"], 1e-3 * np.random.randn(4, 3))

    np.random.seed(231)
    fc = FullyConnectedNet([6, 5], input_dim=4, num_classes=3, weight_scale=5e-2)
    np.random.seed(231)
    for i, (d_in, d_out) in enumerate([(4, 6), (6, 5), (5, 3)], start=1):
        expected = (np.random.randn(d_in, d_out) * 5e-2).astype(np.float32)
        np.testing.assert_array_equal(fc.params[f"W{i}"], expected)

    np.random.seed(231)
    cnn = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=2, filter_size=3, hidden_dim=5)
    np.random.seed(231)
    for key, shape in (("W1", (2, 3, 3, 3)), ("W2", (2 * 4 * 4, 5)), ("W3", (5, 10))):
        expected = (1e-3 * np.random.randn(*shape)).astype(np.float32)
        np.testing.assert_array_equal(cnn.params[key], expected)


def test_cs231n_fully_connected_initial_losses_reproduced():
    """CS231n's FullyConnectedNets notebook prints these two initial losses."""
    from cs231n.classifiers.fc_net import FullyConnectedNet

    np.random.seed(231)
    N, D, H1, H2, C = 2, 15, 20, 30, 10
    X = np.random.randn(N, D)
    y = np.random.randint(C, size=(N,))
    losses = []
    for reg in [0, 3.14]:
        model = FullyConnectedNet(
            [H1, H2], input_dim=D, num_classes=C, reg=reg, weight_scale=5e-2, dtype=np.float64
        )
        losses.append(model.loss(X, y)[0])
    np.testing.assert_allclose(losses, [2.3004790897684924, 7.052114776533016], rtol=1e-12)


def test_cs231n_dropout_statistics_reproduced():
    """CS231n's Dropout notebook: train-time means and zero fractions at p = 0.25, 0.4, 0.7.

    CS231n's key ``p`` is ``keep_prob`` here (the same meaning: the probability of keeping).
    """
    from cs231n.layers import dropout_forward

    np.random.seed(231)
    x = np.random.randn(500, 500) + 10
    means, zeros = [], []
    for p in [0.25, 0.4, 0.7]:
        out, _ = dropout_forward(x, {"mode": "train", "keep_prob": p})
        out_test, _ = dropout_forward(x, {"mode": "test", "keep_prob": p})
        means.append(out.mean())
        zeros.append((out == 0).mean())
        np.testing.assert_array_equal(out_test, x)
    np.testing.assert_allclose(
        means, [10.014059116977283, 9.977917658761159, 9.987811912159426], rtol=1e-12
    )
    np.testing.assert_allclose(zeros, [0.749784, 0.600796, 0.30074], rtol=0, atol=1e-12)


def test_seed_argument_is_an_independent_reproducible_stream():
    from cs231n.classifiers import TwoLayerNet

    np.random.seed(0)
    a = TwoLayerNet(input_dim=5, hidden_dim=4, num_classes=3, seed=7)
    after_a = np.random.rand()
    np.random.seed(1)
    b = TwoLayerNet(input_dim=5, hidden_dim=4, num_classes=3, seed=7)
    np.testing.assert_array_equal(a.params["W1"], b.params["W1"])
    np.random.seed(0)
    assert np.random.rand() == after_a  # seed= left the global state alone


def test_linear_classifier_train_follows_np_random_seed_like_cs231n():
    from cs231n.classifiers import LinearSVM

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    y = rng.integers(0, 3, size=60)
    np.random.seed(231)
    svm = LinearSVM()
    history = svm.train(X, y, learning_rate=1e-3, reg=1e-2, num_iters=5, batch_size=10)

    # CS231n's train: W = 0.001 * randn(D, C), then np.random.choice per iteration.
    from cs231n.classifiers.linear_svm import svm_loss_vectorized

    np.random.seed(231)
    W = 0.001 * np.random.randn(8, 3)
    expected = []
    for _ in range(5):
        idx = np.random.choice(60, 10)
        loss, grad = svm_loss_vectorized(W, X[idx], y[idx], 1e-2)
        expected.append(loss)
        W = W - 1e-3 * grad
    np.testing.assert_allclose(history, expected, rtol=1e-12)
    np.testing.assert_allclose(svm.W, W, rtol=1e-12)


# --------------------------------------------------------------------------- TwoLayerNet
def test_two_layer_net_cs231n_cells(capsys):
    from cs231n.classifiers.fc_net import TwoLayerNet
    from cs231n.gradient_check import eval_numerical_gradient

    np.random.seed(231)
    N, D, H, C = 3, 5, 50, 7
    std = 1e-3
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=std)
    # CS231n's initialisation assertions (deterministic once seeded).
    assert abs(model.params["W1"].std() - std) < std / 10
    assert np.all(model.params["b1"] == 0)
    assert abs(model.params["W2"].std() - std) < std / 10
    assert np.all(model.params["b2"] == 0)

    model.params["W1"] = np.linspace(-0.7, 0.3, num=D * H).reshape(D, H)
    model.params["b1"] = np.linspace(-0.1, 0.9, num=H)
    model.params["W2"] = np.linspace(-0.3, 0.4, num=H * C).reshape(H, C)
    model.params["b2"] = np.linspace(-0.9, 0.1, num=C)
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    y = np.asarray([0, 5, 1])
    scores = model.loss(X)
    assert scores.shape == (N, C)
    np.testing.assert_allclose(scores[0, :2], [11.53165108, 12.2917344], atol=1e-6)
    assert abs(model.loss(X, y)[0] - 3.4702243556) < 1e-10
    model.reg = 1.0
    assert abs(model.loss(X, y)[0] - 26.5948426952) < 1e-10

    model.reg = 0.7
    _, grads = model.loss(X, y)
    capsys.readouterr()
    for name in sorted(grads):
        f = lambda W: model.loss(X, y)[0]  # noqa: E731 (CS231n's idiom; f ignores W)
        grad_num = eval_numerical_gradient(f, model.params[name], verbose=False)
        err = np.max(
            np.abs(grad_num - grads[name])
            / np.maximum(1e-8, np.abs(grad_num) + np.abs(grads[name]))
        )
        assert err < 1e-6, (name, err)
    assert capsys.readouterr().out == ""  # verbose=False is quiet


# --------------------------------------------------------------------------- printed checks
def test_grad_check_sparse_prints_cs231n_lines(capsys):
    from cs231n.classifiers.softmax import softmax_loss_naive
    from cs231n.gradient_check import grad_check_sparse

    rng = np.random.default_rng(0)
    X_dev = rng.standard_normal((20, 6))
    y_dev = rng.integers(0, 4, size=20)
    W = rng.standard_normal((6, 4)) * 1e-2
    _, grad = softmax_loss_naive(W, X_dev, y_dev, 0.0)
    f = lambda w: softmax_loss_naive(w, X_dev, y_dev, 0.0)[0]  # noqa: E731
    grad_check_sparse(f, W, grad, 10)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10
    pattern = re.compile(r"numerical: (-?\d+\.\d+) analytic: (-?\d+\.\d+), relative error: (\S+)")
    for line in lines:
        m = pattern.fullmatch(line)
        assert m, line
        assert float(m.group(3)) < 1e-6


def test_eval_numerical_gradient_prints_each_element_by_default(capsys):
    from cs231n.gradient_check import eval_numerical_gradient

    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = eval_numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 4 and out[0].startswith("(0, 0)")


# --------------------------------------------------------------------------- optimizers
def cs231n_style_sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def cs231n_style_sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    config["velocity"] = v
    return w, config


def cs231n_style_rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] *= config["decay_rate"]
    config["cache"] += (1 - config["decay_rate"]) * dw**2
    w -= config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return w, config


def cs231n_style_adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    config["m"] *= config["beta1"]
    config["m"] += (1 - config["beta1"]) * dw
    config["v"] *= config["beta2"]
    config["v"] += (1 - config["beta2"]) * dw**2
    m_hat = config["m"] / (1 - config["beta1"] ** config["t"])
    v_hat = config["v"] / (1 - config["beta2"] ** config["t"])
    w -= config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return w, config


def _small_data():
    rng = np.random.default_rng(5)
    centers = rng.standard_normal((3, 10)) * 2
    y = rng.integers(0, 3, size=230)
    X = centers[y] + rng.standard_normal((230, 10))
    return {"X_train": X[:200], "y_train": y[:200], "X_val": X[200:], "y_val": y[200:]}


@pytest.mark.parametrize(
    "in_place, name, lr",
    [
        (cs231n_style_sgd, "sgd", 1e-1),
        (cs231n_style_sgd_momentum, "sgd_momentum", 1e-2),
        (cs231n_style_rmsprop, "rmsprop", 1e-3),
        (cs231n_style_adam, "adam", 1e-3),
    ],
)
def test_in_place_rules_train_through_the_solver_like_the_kits_own(in_place, name, lr):
    from cs231n.classifiers.fc_net import TwoLayerNet
    from cs231n.solver import Solver

    data = _small_data()
    histories = []
    for rule in (in_place, in_place, name):
        np.random.seed(231)  # no seed= anywhere: the global state fixes the run
        model = TwoLayerNet(input_dim=10, hidden_dim=20, num_classes=3, weight_scale=1e-2)
        solver = Solver(
            model,
            data,
            update_rule=rule,
            optim_config={"learning_rate": lr},
            lr_decay=0.95,
            num_epochs=3,
            batch_size=50,
            verbose=False,
        )
        solver.train()
        histories.append((solver.loss_history, solver.best_val_acc))
    assert histories[0] == histories[1]  # np.random.seed reproduces the run exactly
    np.testing.assert_allclose(histories[0][0], histories[2][0], rtol=1e-9)
    assert histories[0][1] == histories[2][1]
    assert histories[0][0][-1] < histories[0][0][0]  # it learns


def test_solver_verbose_prints_cs231n_progress_lines(capsys):
    from cs231n.classifiers.fc_net import TwoLayerNet
    from cs231n.solver import Solver

    np.random.seed(231)
    model = TwoLayerNet(input_dim=10, hidden_dim=20, num_classes=3, weight_scale=1e-2)
    solver = Solver(model, _small_data(), optim_config={"learning_rate": 1e-1}, num_epochs=1)
    solver.train()
    out = capsys.readouterr().out
    assert "(Iteration 1 / 2) loss:" in out
    assert "(Epoch 1 / 1) train acc:" in out


# --------------------------------------------------------------------------- save / load
def test_save_and_load_as_cs231n_2025_notebooks(tmp_path, monkeypatch):
    from cs231n.classifiers.fc_net import FullyConnectedNet, TwoLayerNet

    monkeypatch.chdir(tmp_path)
    np.random.seed(231)
    best_model = TwoLayerNet(input_dim=10, hidden_dim=20, num_classes=3)
    written = best_model.save("best_two_layer_net.npy")
    assert written == "best_two_layer_net.npy.npz"

    model = TwoLayerNet(input_dim=10, hidden_dim=20, num_classes=3)
    assert model.load("best_two_layer_net.npy") is model
    for k, v in best_model.params.items():
        np.testing.assert_array_equal(model.params[k], v)
        assert model.params[k].dtype == v.dtype
    X = np.random.randn(4, 10)
    np.testing.assert_array_equal(model.loss(X), best_model.loss(X))

    # fname= as CS231n spells it; batchnorm's running averages come back too.
    fc = FullyConnectedNet([6, 5], input_dim=10, num_classes=3, normalization="batchnorm")
    fc.loss(np.random.randn(8, 10).astype(np.float32), np.array([0, 1, 2, 0, 1, 2, 0, 1]))
    fc.save(fname="fc.npz")
    fc2 = FullyConnectedNet([6, 5], input_dim=10, num_classes=3, normalization="batchnorm")
    fc2.load(fname="fc.npz")
    np.testing.assert_array_equal(fc2.bn_params[0]["running_mean"], fc.bn_params[0]["running_mean"])
    X32 = np.random.randn(3, 10).astype(np.float32)
    np.testing.assert_array_equal(fc2.loss(X32), fc.loss(X32))

    # The file is plain arrays: numpy reads it without pickle.
    with np.load("fc.npz", allow_pickle=False) as f:
        assert "param/W1" in f.files and "config" in f.files


def test_three_layer_convnet_round_trip_and_solver_checkpoint(tmp_path):
    from cs231n.classifiers.cnn import ThreeLayerConvNet
    from cs231n.solver import Solver

    kw = {"input_dim": (3, 8, 8), "num_filters": 2, "filter_size": 3, "hidden_dim": 5}
    net = ThreeLayerConvNet(**kw, seed=1)
    path = net.save(tmp_path / "cnn")
    other = ThreeLayerConvNet(**kw, seed=2).load(path)
    for k in net.params:
        np.testing.assert_array_equal(other.params[k], net.params[k])

    rng = np.random.default_rng(0)
    data = {
        "X_train": rng.standard_normal((20, 3, 8, 8)),
        "y_train": rng.integers(0, 10, size=20),
        "X_val": rng.standard_normal((5, 3, 8, 8)),
        "y_val": rng.integers(0, 10, size=5),
    }
    solver = Solver(net, data, num_epochs=1, batch_size=10, verbose=False, seed=0)
    solver.train()
    ckpt = solver.save_checkpoint(tmp_path / "ck")
    third = ThreeLayerConvNet(**kw, seed=3).load(ckpt)  # a Solver checkpoint loads too
    for k in net.params:
        np.testing.assert_array_equal(third.params[k], net.params[k])


def test_load_errors_are_clear(tmp_path):
    from cs231n.classifiers.cnn import ThreeLayerConvNet
    from cs231n.classifiers.fc_net import FullyConnectedNet, TwoLayerNet

    path = TwoLayerNet(input_dim=10, hidden_dim=20, num_classes=3, seed=0).save(tmp_path / "m")
    with pytest.raises(ShapeError, match=r"W1: expected shape \(12, 20\), got shape \(10, 20\)"):
        TwoLayerNet(input_dim=12, hidden_dim=20, num_classes=3).load(path)
    with pytest.raises(ConfigError, match="saved by a TwoLayerNet"):
        FullyConnectedNet([20], input_dim=10, num_classes=3).load(path)
    with pytest.raises(ConfigError, match="saved by a TwoLayerNet"):
        ThreeLayerConvNet().load(path)
    with pytest.raises(FileNotFoundError, match="no file"):
        TwoLayerNet().load(tmp_path / "missing.npz")
    np.save(tmp_path / "plain.npy", np.zeros(3))
    with pytest.raises(ConfigError, match=r"plain \.npy array"):
        TwoLayerNet().load(tmp_path / "plain.npy")
    # CS231n 2025 saved a pickled dict with np.save: refused, nothing is unpickled.
    np.save(tmp_path / "pickled.npy", np.array({"W1": _RunsCode()}), allow_pickle=True)
    with pytest.raises(ConfigError, match="cannot be loaded safely"):
        TwoLayerNet().load(tmp_path / "pickled.npy")
    assert not hasattr(sys, "h6_unpickled_code_ran")
    with pytest.raises(ConfigError, match="one file name"):
        TwoLayerNet().save()


def test_models_without_a_seed_copy_and_pickle():
    """``copy.deepcopy(model)`` (CS231n's way to keep the best model) works without seed=."""
    import copy

    from cs231n.classifiers.fc_net import FullyConnectedNet

    model = FullyConnectedNet([5], input_dim=4, num_classes=3, keep_prob=0.5)
    best = copy.deepcopy(model)
    again = pickle.loads(pickle.dumps(model))
    for other in (best, again):
        np.testing.assert_array_equal(other.params["W1"], model.params["W1"])
        assert other.rng is model.rng  # the one global state, not a frozen copy of it


@pytest.mark.parametrize("name", ["load_tiny_imagenet", "load_models", "load_imagenet_val"])
def test_cs231n_loaders_not_provided_say_so(name):
    with pytest.raises(ImportError, match="not provided here"):
        exec(f"from cs231n.data_utils import {name}", {})


class CS231nStyleTwoLayerNet:
    """A TwoLayerNet as CS231n students write it: np.random.randn, no dtype, no seed."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self.reg = reg
        self.params = {
            "W1": weight_scale * np.random.randn(input_dim, hidden_dim),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * np.random.randn(hidden_dim, num_classes),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        from cs231n.layer_utils import affine_relu_backward, affine_relu_forward
        from cs231n.layers import affine_backward, affine_forward, softmax_loss

        p = self.params
        hidden, cache1 = affine_relu_forward(X, p["W1"], p["b1"])
        scores, cache2 = affine_forward(hidden, p["W2"], p["b2"])
        if y is None:
            return scores
        grads = {}
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))
        dhidden, grads["W2"], grads["b2"] = affine_backward(dscores, cache2)
        _, grads["W1"], grads["b1"] = affine_relu_backward(dhidden, cache1)
        grads["W1"] += self.reg * p["W1"]
        grads["W2"] += self.reg * p["W2"]
        return loss, grads


def test_cs231n_style_two_layer_net_passes_the_visible_check_under_any_seed(capsys):
    from cs231n.checks import REGISTRY

    for seed in range(20):
        np.random.seed(seed)
        result = REGISTRY["a1_two_layer_net"].run(CS231nStyleTwoLayerNet)
        assert result.status == "passed", (seed, result.message)
    assert "TwoLayerNet passed" in capsys.readouterr().out

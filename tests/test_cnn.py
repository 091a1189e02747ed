"""ThreeLayerConvNet: gradient check on a tiny net, initial loss, dtype, channels, errors."""

import numpy as np
import pytest

from cs231n.classifiers.cnn import ThreeLayerConvNet
from cs231n.gradient_check import eval_numerical_gradient
from cs231n.solver import Solver
from cs231n.validation import ConfigError, ShapeError


def max_grad_error(model, X, y):
    _, grads = model.loss(X, y)
    worst = 0.0
    for name, p in model.params.items():
        num = eval_numerical_gradient(lambda _: model.loss(X, y)[0], p, verbose=False, h=1e-6)
        scale = max(np.abs(num).max(), np.abs(grads[name]).max(), 1e-6)
        worst = max(worst, np.abs(num - grads[name]).max() / scale)
    return worst


@pytest.mark.a2_three_layer_convnet
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_gradients_on_a_tiny_net(channels, reg):
    rng = np.random.default_rng(channels)
    X = rng.standard_normal((2, channels, 6, 6))
    y = rng.integers(0, 4, 2)
    model = ThreeLayerConvNet(
        input_dim=(channels, 6, 6),
        num_filters=2,
        filter_size=3,
        hidden_dim=5,
        num_classes=4,
        weight_scale=0.3,
        reg=reg,
        dtype=np.float64,
        seed=0,
    )
    for name, p in model.params.items():  # non-zero biases keep ReLUs off their kink
        if name.startswith("b"):
            model.params[name] = 0.1 * rng.standard_normal(p.shape)
    assert max_grad_error(model, X, y) < 1e-5


@pytest.mark.a2_three_layer_convnet
def test_params_shapes_and_initial_loss():
    model = ThreeLayerConvNet(
        input_dim=(1, 28, 28), num_filters=4, filter_size=5, hidden_dim=20, seed=0
    )
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {
        "W1": (4, 1, 5, 5),
        "b1": (4,),
        "W2": (4 * 14 * 14, 20),
        "b2": (20,),
        "W3": (20, 10),
        "b3": (10,),
    }
    assert all(v.dtype == np.float32 for v in model.params.values())
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 1, 28, 28)).astype(np.float32)
    loss, grads = model.loss(X, rng.integers(0, 10, 10))
    assert loss == pytest.approx(np.log(10), abs=1e-3)
    assert all(g.dtype == np.float32 for g in grads.values())
    scores = model.loss(X)
    assert scores.shape == (10, 10) and scores.dtype == np.float32


def test_regularization_convention():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((2, 3, 4, 4)), rng.integers(0, 10, 2)
    kw = dict(
        input_dim=(3, 4, 4), num_filters=2, filter_size=3, hidden_dim=5, dtype=np.float64, seed=0
    )
    m0, m1 = ThreeLayerConvNet(**kw), ThreeLayerConvNet(reg=0.5, **kw)
    penalty = 0.25 * sum(np.sum(m0.params[w] ** 2) for w in ("W1", "W2", "W3"))
    assert m1.loss(X, y)[0] - m0.loss(X, y)[0] == pytest.approx(penalty)


@pytest.mark.slow
def test_overfits_a_small_set():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 1, 8, 8)).astype(np.float32)
    y = rng.integers(0, 10, 20)
    data = {"X_train": X, "y_train": y, "X_val": X[:5], "y_val": y[:5]}
    model = ThreeLayerConvNet(
        input_dim=(1, 8, 8), num_filters=8, filter_size=3, hidden_dim=50, weight_scale=1e-1, seed=0
    )
    solver = Solver(
        model,
        data,
        update_rule="adam",
        optim_config={"learning_rate": 5e-3},
        num_epochs=30,
        batch_size=10,
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.train_acc_history[-1] == 1.0


def test_errors():
    with pytest.raises(ShapeError, match="even"):
        ThreeLayerConvNet(input_dim=(3, 7, 8))
    with pytest.raises(ConfigError, match="odd"):
        ThreeLayerConvNet(input_dim=(3, 8, 8), filter_size=4)
    with pytest.raises(ConfigError, match="input_dim"):
        ThreeLayerConvNet(input_dim=3072)
    model = ThreeLayerConvNet(input_dim=(1, 8, 8), num_filters=2, filter_size=3, hidden_dim=4)
    with pytest.raises(ShapeError, match="input_dim"):
        model.loss(np.zeros((2, 3, 8, 8), dtype=np.float32))
    with pytest.raises(ShapeError):
        model.loss(np.zeros((2, 64), dtype=np.float32))

"""TwoLayerNet and FullyConnectedNet: published numbers, gradient checks, dtype, seeds, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cs231n
from cs231n.classifiers.fc_net import FullyConnectedNet, TwoLayerNet
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import eval_numerical_gradient
from cs231n.initializers import fans
from cs231n.solver import Solver
from cs231n.validation import ConfigError, ShapeError


def randomize_params(model, seed=0):
    """Non-zero, non-symmetric parameters: zero biases put pre-activations exactly on the
    ReLU kink when a whole hidden row is zero (dead or dropped units)."""
    rng = np.random.default_rng(seed)
    for name, p in model.params.items():
        if not name.startswith("W"):
            base = 1.0 if name.startswith("gamma") else 0.0
            model.params[name] = (base + 0.1 * rng.standard_normal(p.shape)).astype(p.dtype)


def max_grad_error(model, X, y):
    """Worst |numeric - analytic| over all params, relative to the largest gradient."""
    _, grads = model.loss(X, y)
    worst = 0.0
    for name, p in model.params.items():
        num = eval_numerical_gradient(lambda _: model.loss(X, y)[0], p, verbose=False, h=1e-5)
        scale = max(np.abs(num).max(), np.abs(grads[name]).max(), 1e-6)
        worst = max(worst, np.abs(num - grads[name]).max() / scale)
    return worst


def cs231n_two_layer_setup():
    N, D, H, C = 3, 5, 50, 7
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    y = np.asarray([0, 5, 1])
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=1e-3)
    model.params["W1"] = np.linspace(-0.7, 0.3, num=D * H).reshape(D, H)
    model.params["b1"] = np.linspace(-0.1, 0.9, num=H)
    model.params["W2"] = np.linspace(-0.3, 0.4, num=H * C).reshape(H, C)
    model.params["b2"] = np.linspace(-0.9, 0.1, num=C)
    return model, X, y


@pytest.mark.a1_two_layer_net
def test_two_layer_init():
    model = TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=1e-3, seed=0)
    assert set(model.params) == {"W1", "b1", "W2", "b2"}
    assert model.params["W1"].shape == (5, 50) and model.params["W2"].shape == (50, 7)
    for w in ("W1", "W2"):
        assert abs(model.params[w].std() - 1e-3) < 1e-3 / 10
    for b in ("b1", "b2"):
        assert np.all(model.params[b] == 0)
    again = TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=1e-3, seed=0)
    np.testing.assert_array_equal(model.params["W1"], again.params["W1"])


@pytest.mark.a1_two_layer_net
def test_two_layer_published_numbers():
    model, X, y = cs231n_two_layer_setup()
    correct_scores = np.array(
        [
            [
                11.53165108,
                12.2917344,
                13.05181771,
                13.81190102,
                14.57198434,
                15.33206765,
                16.09215096,
            ],
            [
                12.05769098,
                12.74614105,
                13.43459113,
                14.1230412,
                14.81149128,
                15.49994135,
                16.18839143,
            ],
            [
                12.58373087,
                13.20054771,
                13.81736455,
                14.43418138,
                15.05099822,
                15.66781506,
                16.2846319,
            ],
        ]
    )
    assert np.abs(model.loss(X) - correct_scores).max() < 1e-6
    assert abs(model.loss(X, y)[0] - 3.4702243556) < 1e-10
    model.reg = 1.0
    assert abs(model.loss(X, y)[0] - 26.5948426952) < 1e-10


@pytest.mark.a1_two_layer_net
@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_two_layer_gradients(reg):
    rng = np.random.default_rng(1)
    model = TwoLayerNet(
        input_dim=5, hidden_dim=10, num_classes=4, weight_scale=1e-1, reg=reg, seed=0
    )
    X, y = rng.standard_normal((3, 5)), rng.integers(0, 4, 3)
    randomize_params(model)
    assert max_grad_error(model, X, y) < 1e-7


@pytest.mark.a2_fc_net
@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
@pytest.mark.parametrize("keep_prob", [1.0, 0.75])
@pytest.mark.parametrize("reg", [0.0, 3.14])
def test_fc_net_gradients(normalization, keep_prob, reg):
    rng = np.random.default_rng(2)
    N, D, C = 6, 5, 4
    X, y = rng.standard_normal((N, D)), rng.integers(0, C, N)
    model = FullyConnectedNet(
        [7, 6],
        input_dim=D,
        num_classes=C,
        keep_prob=keep_prob,
        normalization=normalization,
        reg=reg,
        weight_scale=3e-1,
        dtype=np.float64,
        seed=3,
    )
    randomize_params(model)
    assert max_grad_error(model, X, y) < 1e-6


@pytest.mark.a2_fc_net
@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_params_and_initial_loss(normalization):
    model = FullyConnectedNet(
        [20, 30, 40], input_dim=15, num_classes=10, normalization=normalization, seed=0
    )
    expected = {f"{p}{i}" for p in ("W", "b") for i in (1, 2, 3, 4)}
    if normalization:
        expected |= {f"{p}{i}" for p in ("gamma", "beta") for i in (1, 2, 3)}
        assert np.all(model.params["gamma2"] == 1) and np.all(model.params["beta2"] == 0)
    assert set(model.params) == expected
    assert model.params["W1"].shape == (15, 20) and model.params["W4"].shape == (40, 10)
    assert len(model.bn_params) == (3 if normalization else 0)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 15)), rng.integers(0, 10, 50)
    loss, _ = model.loss(X, y)
    assert loss == pytest.approx(np.log(10), abs=0.05)


@pytest.mark.a2_fc_net
def test_fc_net_regularization_convention():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((4, 6)), rng.integers(0, 3, 4)
    m0 = FullyConnectedNet([5], input_dim=6, num_classes=3, dtype=np.float64, seed=0)
    m1 = FullyConnectedNet([5], input_dim=6, num_classes=3, dtype=np.float64, seed=0, reg=2.0)
    penalty = 0.5 * 2.0 * sum(np.sum(m0.params[w] ** 2) for w in ("W1", "W2"))
    assert m1.loss(X, y)[0] - m0.loss(X, y)[0] == pytest.approx(penalty)


def test_fc_net_dtype_and_image_input():
    rng = np.random.default_rng(0)
    model = FullyConnectedNet([10], input_dim=(1, 4, 4), num_classes=3, seed=0)
    assert all(p.dtype == np.float32 for p in model.params.values())
    X = rng.standard_normal((5, 1, 4, 4)).astype(np.float32)
    scores = model.loss(X)
    assert scores.shape == (5, 3) and scores.dtype == np.float32
    _, grads = model.loss(X, rng.integers(0, 3, 5))
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(grads[k].shape == model.params[k].shape for k in model.params)
    # float64 input to a float32 model is computed in float32
    assert model.loss(X.astype(np.float64)).dtype == np.float32
    rgb = FullyConnectedNet([10], input_dim=3 * 4 * 4, num_classes=3, seed=0)
    assert rgb.loss(rng.standard_normal((2, 3, 4, 4)).astype(np.float32)).shape == (2, 3)


def test_fc_net_seed_fixes_init_and_dropout():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 12)), rng.integers(0, 4, 8)
    kw = dict(input_dim=12, num_classes=4, keep_prob=0.5, dtype=np.float64)
    a, b = FullyConnectedNet([16], seed=7, **kw), FullyConnectedNet([16], seed=7, **kw)
    assert a.loss(X, y)[0] == b.loss(X, y)[0]
    assert a.loss(X, y)[0] == a.loss(X, y)[0]  # same batch, same mask
    # a different batch gets a different mask
    out1 = a.loss(X[:4], y[:4])[0], b.loss(X[:4], y[:4])[0]
    assert out1[0] == out1[1]
    c = FullyConnectedNet([16], seed=8, **kw)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_fc_net_test_mode_turns_dropout_off():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 12))
    model = FullyConnectedNet([16], input_dim=12, num_classes=4, keep_prob=0.3, dtype=np.float64)
    s1, s2 = model.loss(X), model.loss(X)
    np.testing.assert_array_equal(s1, s2)
    assert model.dropout_param["mode"] == "test"
    plain = FullyConnectedNet([16], input_dim=12, num_classes=4, dtype=np.float64)
    plain.params = {k: v.copy() for k, v in model.params.items()}
    assert_allclose(plain.loss(X), s1)


def test_fc_net_batchnorm_uses_running_stats_at_test_time():
    rng = np.random.default_rng(0)
    X, y = 3 + rng.standard_normal((20, 6)), rng.integers(0, 3, 20)
    model = FullyConnectedNet(
        [8], input_dim=6, num_classes=3, normalization="batchnorm", dtype=np.float64, seed=0
    )
    model.loss(X, y)
    assert "running_mean" in model.bn_params[0]
    assert model.bn_params[0]["running_mean"].shape == (8,)
    model.loss(X)
    assert model.bn_params[0]["mode"] == "test"


@pytest.mark.parametrize("scale, rule", [("xavier", "xavier"), ("he", "he")])
def test_fc_net_named_initialisers(scale, rule):
    model = FullyConnectedNet([400], input_dim=800, num_classes=10, weight_scale=scale, seed=0)
    fan_in, fan_out = fans((800, 400))
    std = np.sqrt(2 / (fan_in + fan_out)) if rule == "xavier" else np.sqrt(2 / fan_in)
    assert abs(model.params["W1"].std() - std) < 0.1 * std


def test_fc_net_uses_plugged_in_layers():
    from cs231n.layers.affine import affine_forward as reference

    calls = []

    def affine_forward(x, w, b):
        calls.append(x.shape)
        return reference(x, w, b)

    model = FullyConnectedNet([5], input_dim=4, num_classes=3, seed=0)
    cs231n.plug_in(affine_forward, verbose=False)
    try:
        model.loss(np.zeros((2, 4), dtype=np.float32))
    finally:
        cs231n.unplug()
    assert len(calls) == 2


@pytest.mark.slow
def test_fc_net_overfits_50_samples_of_the_default_dataset():
    data_mod = pytest.importorskip("cs231n.data")
    data = data_mod.load_dataset(num_training=50, num_validation=50)
    model = FullyConnectedNet(
        [100, 100], input_dim=data["X_train"][0].size, weight_scale=5e-2, seed=0
    )
    solver = Solver(
        model,
        data,
        update_rule="adam",
        optim_config={"learning_rate": 1e-3},
        num_epochs=10,
        batch_size=25,
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.train_acc_history[-1] == 1.0


def test_fc_net_errors():
    for old in ("dropout_keep_ratio", "p", "dropout"):
        with pytest.raises(ConfigError, match="keep_prob"):
            FullyConnectedNet([5], **{old: 0.5})
    with pytest.raises(ConfigError, match="normalization"):
        FullyConnectedNet([5], use_batchnorm=True)
    with pytest.raises(ConfigError, match="batchnorm"):
        FullyConnectedNet([5], normalization="batch")
    with pytest.raises(ConfigError, match="keep_prob"):
        FullyConnectedNet([5], keep_prob=0.0)
    with pytest.raises(ConfigError, match="xavier"):
        FullyConnectedNet([5], weight_scale="glorot")
    with pytest.raises(ConfigError, match="hidden_dims"):
        FullyConnectedNet([5, -1])
    model = FullyConnectedNet([5], input_dim=6, num_classes=3)
    with pytest.raises(ShapeError, match="input_dim"):
        model.loss(np.zeros((2, 7), dtype=np.float32))
    with pytest.raises(ValueError, match="labels"):
        model.loss(np.zeros((2, 6), dtype=np.float32), np.array([0, 3]))
    with pytest.raises(TypeError):
        TwoLayerNet(input_dim=6).loss(np.zeros((2, 6), dtype=int))


@given(
    n=st.integers(1, 4),
    seed=st.integers(0, 1000),
    norm=st.sampled_from([None, "batchnorm", "layernorm"]),
)
def test_models_do_not_mutate_inputs_and_grads_match_params(n, seed, norm):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2, 2, 2))
    y = rng.integers(0, 3, n)
    X0, y0 = X.copy(), y.copy()
    for model in (
        TwoLayerNet(input_dim=8, hidden_dim=4, num_classes=3, reg=0.1, seed=seed),
        FullyConnectedNet(
            [4, 5],
            input_dim=8,
            num_classes=3,
            normalization=norm,
            keep_prob=0.8,
            dtype=np.float64,
            seed=seed,
        ),
    ):
        before = {k: v.copy() for k, v in model.params.items()}
        loss, grads = model.loss(X, y)
        assert np.isfinite(loss)
        assert {k: g.shape for k, g in grads.items()} == {
            k: p.shape for k, p in model.params.items()
        }
        for k, v in before.items():
            np.testing.assert_array_equal(model.params[k], v)
        np.testing.assert_array_equal(X, X0)
        np.testing.assert_array_equal(y, y0)

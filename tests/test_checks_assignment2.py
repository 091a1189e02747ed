"""The assignment2 visible checks pass the reference and explain deliberately wrong code."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from cs231n import checks
from cs231n.checks import (
    BatchNormalization,
    CheckFailed,
    ConvolutionalNetworks,
    Dropout,
    FullyConnectedNets,
    HyperparameterSearch,
    InitAndActivations,
)
from cs231n.course.tasks import get_task, tasks_for

A2 = [t.id for t in tasks_for("assignment2")]


def _merged(*modules):
    from types import SimpleNamespace

    out = {}
    for module in modules:
        out.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    return SimpleNamespace(**out)


#: the assignment2 checks' modules as one namespace
A = _merged(
    FullyConnectedNets,
    InitAndActivations,
    HyperparameterSearch,
    BatchNormalization,
    Dropout,
    ConvolutionalNetworks,
)
ROOT = Path(__file__).resolve().parents[1]


def _load_build_expected():
    """The expected-value builders of assignment2 (in its never-released hidden files)."""
    from types import SimpleNamespace

    modules = {}
    for path in sorted((ROOT / "assignments" / "assignment2" / "hidden").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_a2_hidden_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "build_expected"):
            modules[path.stem] = module
    merged = {}
    for module in modules.values():
        merged.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    merged["NOTEBOOKS"] = tuple(modules)
    merged["build"] = lambda nb: modules[nb].build_expected()
    return SimpleNamespace(**merged)


E = _load_build_expected()


def _reference_object(name):
    """A reference object by its notebook name (task objects and the forwards some checks take)."""
    for task in tasks_for():
        if name in task.names:
            return task.resolve()[task.names.index(name)]
    raise KeyError(name)


def _objects(task_id):
    try:
        return [_reference_object(n) for n in checks.REGISTRY[task_id].names]
    except (ImportError, AttributeError) as exc:  # a package piece not written yet
        pytest.skip(f"reference of {task_id} not importable: {exc}")


def _fails(check, *objs, match):
    with pytest.raises(CheckFailed, match=match) as info:
        check(*objs)
    return str(info.value)


@pytest.mark.parametrize("task_id", A2)
def test_every_assignment2_task_has_a_registered_check(task_id):
    check = checks.REGISTRY[task_id]
    assert check.func.__name__ == "check_" + task_id.split("_", 1)[1]
    assert getattr(checks, check.func.__name__) is check.func
    # the task's own objects come last, in order; a backward check may take its forward first
    names = get_task(task_id).names
    assert check.names[-len(names) :] == names


@pytest.mark.slow
@pytest.mark.parametrize("task_id", A2)
def test_reference_passes(task_id, capsys):
    objs = _objects(task_id)
    checks.REGISTRY[task_id].func(*objs)
    assert "passed" in capsys.readouterr().out


def test_expected_files_hold_every_key_the_builder_makes():
    for nb in E.NOTEBOOKS:
        try:
            built = E.build(nb)
        except (ImportError, AttributeError) as exc:
            pytest.skip(f"reference for {nb} not importable: {exc}")
        stored = checks.common._load(nb)
        missing = sorted(set(built) - set(stored))
        assert not missing, f"{nb}.npz is stale; run python -m autograder.authoring.expected"
        for key in built:
            np.testing.assert_allclose(stored[key], built[key], rtol=1e-10, atol=1e-14, err_msg=key)


# ----------------------------------------------------------------------------- optimizers
OPT_CASES = [
    (name, kind, cause)
    for name, variants in E._WRONG_OPT.items()
    for kind in variants
    if (name, kind) != ("adagrad", "eps_inside")  # 1e-8 inside vs outside sqrt: no visible effect
    for cause in [dict(A._OPT_HINTS[name])[kind]]
]


@pytest.mark.parametrize(
    ("name", "kind", "cause"), OPT_CASES, ids=[f"{n}-{k}" for n, k, _ in OPT_CASES]
)
def test_optimizer_fingerprints(name, kind, cause):
    rule = E._WRONG_OPT[name][kind]
    msg = _fails(getattr(A, f"check_{name}"), rule, match="Likely cause")
    assert cause in msg


def _inplace_rules():
    """Correct update rules written CS231n's way: w and the config's arrays in place."""

    def sgd_momentum(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        config.setdefault("momentum", 0.9)
        v = config.setdefault("velocity", np.zeros_like(w))
        v *= config["momentum"]
        v -= config["learning_rate"] * dw
        w += v
        return w, config

    def nesterov(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        config.setdefault("momentum", 0.9)
        v = config.setdefault("velocity", np.zeros_like(w))
        mu = config["momentum"]
        v_prev = v.copy()
        v *= mu
        v -= config["learning_rate"] * dw
        w += -mu * v_prev + (1 + mu) * v
        return w, config

    def adagrad(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        config.setdefault("epsilon", 1e-8)
        cache = config.setdefault("cache", np.zeros_like(w))
        cache += dw**2
        w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
        return w, config

    def rmsprop(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        config.setdefault("decay_rate", 0.99)
        config.setdefault("epsilon", 1e-8)
        cache = config.setdefault("cache", np.zeros_like(w))
        rho = config["decay_rate"]
        cache *= rho
        cache += (1 - rho) * dw**2
        w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
        return w, config

    def adam(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-3)
        config.setdefault("beta1", 0.9)
        config.setdefault("beta2", 0.999)
        config.setdefault("epsilon", 1e-8)
        m = config.setdefault("m", np.zeros_like(w))
        v = config.setdefault("v", np.zeros_like(w))
        config["t"] = config.get("t", 0) + 1
        b1, b2, t = config["beta1"], config["beta2"], config["t"]
        m *= b1
        m += (1 - b1) * dw
        v *= b2
        v += (1 - b2) * dw**2
        mt = m / (1 - b1**t)
        vt = v / (1 - b2**t)
        w -= config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
        return w, config

    return {f.__name__: f for f in (sgd_momentum, nesterov, adagrad, rmsprop, adam)}


@pytest.mark.parametrize("name", ["sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_correct_in_place_update_rules_pass(name, capsys):
    from cs231n import optim

    rule = _inplace_rules()[name]
    # the rule really is in place, and agrees with the pure reference
    w, dw = np.linspace(-1, 1, 6).reshape(2, 3), np.linspace(0.5, -0.5, 6).reshape(2, 3)
    ref_w, _ = getattr(optim, name)(w.copy(), dw, None)
    w_in = w.copy()
    got_w, _ = rule(w_in, dw, None)
    assert got_w is w_in
    np.testing.assert_allclose(got_w, ref_w, rtol=1e-12)
    result = getattr(A, f"check_{name}")(rule)
    assert result.passed and result.task == f"a2_{name}"
    assert "passed" in capsys.readouterr().out


def test_optimizer_that_mutates_dw_is_caught():
    from cs231n.optim import sgd_momentum

    def scales_dw(w, dw, config=None):
        next_w, config = sgd_momentum(w, dw, config)
        dw *= 2
        return next_w, config

    _fails(A.check_sgd_momentum, scales_dw, match="dw was modified in place")


def test_layer_that_mutates_its_input_fails_saying_why():
    from cs231n.layers import relu_forward

    def relu_inplace(x):
        out, cache = relu_forward(x)
        x[x < 0] = 0
        return out, cache

    msg = _fails(
        A.check_leaky_relu,
        lambda x, alpha=0.01: relu_inplace(x),
        lambda d, c: d,
        match="modified in place",
    )
    assert "backward pass" in msg


def test_optimizer_that_forgets_its_state_is_caught():
    from cs231n.optim import adam

    def stateless(w, dw, config=None):
        next_w, config = adam(
            w, dw, {k: v for k, v in (config or {}).items() if k not in ("m", "v", "t")}
        )
        return next_w, config

    _fails(A.check_adam, stateless, match="Likely cause")


# --------------------------------------------------------------------------- activations
def _sig(x):
    return 1 / (1 + np.exp(-x))


def test_leaky_relu_slope_on_the_wrong_side():
    from cs231n.layers import leaky_relu_backward

    def fwd(x, negative_slope=0.01):
        return np.where(x > 0, negative_slope * x, x), (x, negative_slope)

    _fails(A.check_leaky_relu, fwd, leaky_relu_backward, match="slope was applied to the positive")


def test_leaky_relu_backward_like_relu():
    from cs231n.layers import leaky_relu_forward

    def bwd(dout, cache):
        return dout * (A.inputs_activations()["x"] > 0)

    _fails(A.check_leaky_relu, leaky_relu_forward, bwd, match="not 0 \\(that is ReLU\\)")


def test_sigmoid_and_tanh_backward_from_x():
    def sig_fwd(x):
        return _sig(x), x

    def sig_bwd(dout, cache):
        return dout * cache * (1 - cache)

    _fails(A.check_sigmoid, sig_fwd, sig_bwd, match="computed from x")

    def tanh_fwd(x):
        return np.tanh(x), x

    def tanh_bwd(dout, cache):
        return dout * (1 - cache**2)

    _fails(A.check_tanh, tanh_fwd, tanh_bwd, match="1 - x\\*\\*2")


def test_sigmoid_overflow_is_caught():
    from cs231n.layers import sigmoid_backward

    def fwd(x):
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.exp(x) / (1 + np.exp(x))
        return out, out

    _fails(A.check_sigmoid, fwd, sigmoid_backward, match="overflow")


def test_elu_without_alpha_and_silu_missing_product_rule():
    def elu_fwd(x, alpha=1.0):
        return np.where(x > 0, x, np.exp(x) - 1), (x, alpha)

    def elu_bwd(dout, cache):
        x, _ = cache
        return dout * np.where(x > 0, 1.0, np.exp(x))

    _fails(A.check_elu, elu_fwd, elu_bwd, match="alpha must scale")

    def silu_fwd(x):
        return x * _sig(x), x

    def silu_bwd(dout, cache):
        return dout * _sig(cache)

    _fails(A.check_silu, silu_fwd, silu_bwd, match="only the first was used")


# --------------------------------------------------------------------------- initialisers
def test_init_fingerprints():
    from cs231n.initializers import fans

    def lecun(shape, rng=None, dtype=np.float64):
        fan_in, _ = fans(shape)
        return (np.random.default_rng(rng).standard_normal(shape) * math.sqrt(1 / fan_in)).astype(
            dtype
        )

    _fails(A.check_he_init, lecun, match="LeCun")

    def variance_as_std(shape, rng=None, dtype=np.float64):
        fan_in, fan_out = fans(shape)
        return (np.random.default_rng(rng).standard_normal(shape) * 2 / (fan_in + fan_out)).astype(
            dtype
        )

    _fails(
        A.check_xavier_init, variance_as_std, match="variance was used as the standard deviation"
    )

    def unseeded(shape, rng=None, dtype=np.float64):
        return np.random.default_rng().standard_normal(shape).astype(dtype)

    _fails(A.check_he_init, unseeded, match="rng=0 gave different arrays")


# ------------------------------------------------------------------ schedules and search
def test_schedule_fingerprints():
    def step_every_epoch(epoch, base_lr, step_size, gamma=0.1):
        return base_lr * gamma ** math.floor(epoch)

    _fails(A.check_step_decay, step_every_epoch, match="decays every epoch")

    def cosine_no_min(epoch, base_lr, total_epochs, min_lr=0.0):
        e = min(epoch, total_epochs)
        return base_lr * 0.5 * (1 + math.cos(math.pi * e / total_epochs))

    _fails(A.check_cosine_decay, cosine_no_min, match="min_lr was ignored")

    def warmup_unshifted(epoch, base_lr, warmup_epochs, after=None):
        if epoch < warmup_epochs:
            return base_lr * epoch / warmup_epochs
        return after(epoch) if after else base_lr

    _fails(A.check_linear_warmup, warmup_unshifted, match="SINCE the warm-up ended")


def test_log_uniform_sampled_linearly():
    def linear(low, high, size=None, rng=None):
        return np.random.default_rng(rng).uniform(low, high, size=size)

    _fails(A.check_log_uniform, linear, match="sample the EXPONENT")


def test_random_search_with_linear_log_spec():
    from cs231n.hyperparameter_search import SearchResults, run_trial

    def random_search(train_fn, space, num_trials, seed=0):
        rng = np.random.default_rng(seed)
        out = SearchResults()
        for _ in range(num_trials):
            params = {}
            for name, spec in space.items():
                if spec[0] == "choice":
                    params[name] = spec[1][int(rng.integers(len(spec[1])))]
                else:
                    params[name] = float(rng.uniform(spec[1], spec[2]))
            out.append(run_trial(train_fn, params))
        return out

    _fails(A.check_random_search, random_search, match="sampled uniformly")


# ---------------------------------------------------------------------- normalisation
@pytest.fixture
def nm():
    try:
        from cs231n.layers import normalization
    except ImportError as exc:
        pytest.skip(str(exc))
    return normalization


def test_batchnorm_forward_fingerprints(nm):
    def ddof1(x, gamma, beta, bn_param):
        _, cache = nm.batchnorm_forward(x, gamma, beta, bn_param)
        mu, var = x.mean(0), x.var(0, ddof=1)
        return gamma * (x - mu) / np.sqrt(var + 1e-5) + beta, cache

    _fails(A.check_batchnorm_forward, ddof1, match="ddof=1")

    def swapped_momentum(x, gamma, beta, bn_param):
        if bn_param.get("mode") == "train":
            rm, rv = bn_param["running_mean"].copy(), bn_param["running_var"].copy()
            out, cache = nm.batchnorm_forward(x, gamma, beta, bn_param)
            bn_param["running_mean"] = 0.1 * rm + 0.9 * x.mean(0)
            bn_param["running_var"] = 0.1 * rv + 0.9 * x.var(0)
            return out, cache
        return nm.batchnorm_forward(x, gamma, beta, bn_param)

    _fails(A.check_batchnorm_forward, swapped_momentum, match="swapped")

    def batch_stats_at_test(x, gamma, beta, bn_param):
        if bn_param.get("mode") == "test":
            return nm.batchnorm_forward(x, gamma, beta, dict(bn_param, mode="train"))
        return nm.batchnorm_forward(x, gamma, beta, bn_param)

    _fails(A.check_batchnorm_forward, batch_stats_at_test, match="RUNNING mean")


@pytest.mark.parametrize(
    ("kind", "match"),
    [("no_mean_term", "through the MEAN"), ("no_var_term", "through the VARIANCE")],
)
def test_batchnorm_backward_missing_terms(nm, kind, match):
    inp = A.inputs_batchnorm()
    wrong = E._bn_wrong_dx("bn", inp["x"], inp["gamma"], inp["dout"], 1e-5, axis=0)[
        f"bn.dx.wrong_{kind}"
    ]

    def backward(dout, cache):
        _, dgamma, dbeta = nm.batchnorm_backward(dout, cache)
        return wrong, dgamma, dbeta

    _fails(A.check_batchnorm_backward, nm.batchnorm_forward, backward, match=match)
    _fails(A.check_batchnorm_backward_alt, nm.batchnorm_forward, backward, match=match)


def test_batchnorm_backward_wrong_dgamma_shape(nm):
    def backward(dout, cache):
        dx, _, dbeta = nm.batchnorm_backward(dout, cache)
        return dx, np.sum(dout, axis=1), dbeta

    _fails(A.check_batchnorm_backward, nm.batchnorm_forward, backward, match="expected shape")


def test_layernorm_over_the_batch_axis(nm):
    def forward(x, gamma, beta, ln_param):
        return nm.batchnorm_forward(
            x, gamma, beta, {"mode": "train", "eps": ln_param.get("eps", 1e-5)}
        )

    _fails(A.check_layernorm_forward, forward, match="that is batchnorm")


def test_spatial_norm_fingerprints(nm):
    def instance_norm(x, gamma, beta, bn_param):
        _, cache = nm.spatial_batchnorm_forward(x, gamma, beta, bn_param)
        m = x.mean(axis=(2, 3), keepdims=True)
        v = x.var(axis=(2, 3), keepdims=True)
        return gamma.reshape(1, -1, 1, 1) * (x - m) / np.sqrt(v + 1e-5) + beta.reshape(
            1, -1, 1, 1
        ), cache

    _fails(
        A.check_spatial_batchnorm,
        instance_norm,
        nm.spatial_batchnorm_backward,
        match="instance norm",
    )

    def interleaved(x, gamma, beta, G, gn_param):
        _, cache = nm.spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
        N, C, H, W = x.shape
        xi = x.reshape(N, C // G, G, H, W)
        m = xi.mean(axis=(1, 3, 4), keepdims=True)
        v = xi.var(axis=(1, 3, 4), keepdims=True)
        return gamma * ((xi - m) / np.sqrt(v + 1e-5)).reshape(N, C, H, W) + beta, cache

    _fails(
        A.check_spatial_groupnorm, interleaved, nm.spatial_groupnorm_backward, match="CONSECUTIVE"
    )


# ----------------------------------------------------------------------------- dropout
def _dropout_variant(kind):
    def forward(x, dropout_param):
        keep = dropout_param["keep_prob"]
        if dropout_param["mode"] == "test":
            out = x * keep if kind == "rescale_test" else x
            return out, (dropout_param, None)
        rng = np.random.default_rng(dropout_param.get("seed"))
        u = rng.random(x.shape)
        mask = (u >= keep) if kind == "drop_prob" else (u < keep)
        scale = 1.0 if kind == "no_rescale" else 1 / keep
        if kind == "drop_prob":
            scale = 1 / keep
        return x * mask * scale, (dropout_param, mask * scale)

    return forward


@pytest.mark.parametrize(
    ("kind", "match"),
    [
        ("no_rescale", "not rescaled by 1 / keep_prob"),
        ("drop_prob", "DROP probability"),
        ("rescale_test", "rescaled at test time"),
    ],
)
def test_dropout_forward_fingerprints(kind, match):
    _fails(A.check_dropout_forward, _dropout_variant(kind), match=match)


def test_dropout_backward_not_rescaled():
    from cs231n.layers import dropout_backward, dropout_forward

    def backward(dout, cache):
        dx = dropout_backward(dout, cache)
        out_mask = dx != 0
        return dout * out_mask

    _fails(A.check_dropout_backward, dropout_forward, backward, match="rescaled by 1 / keep_prob")


# ------------------------------------------------------------------------ convolutions
@pytest.fixture
def cv():
    try:
        from cs231n.layers import conv
    except ImportError as exc:
        pytest.skip(str(exc))
    return conv


def test_conv_forward_flipped_and_unpadded(cv):
    def flipped(x, w, b, conv_param):
        return E._conv_loop(x, w, b, conv_param["stride"], conv_param["pad"], flip=True), None

    _fails(A.check_conv_forward_naive, flipped, match="flipped")

    def unpadded(x, w, b, conv_param):
        return E._conv_loop(x, w, b, conv_param["stride"], 0), None

    _fails(A.check_conv_forward_naive, unpadded, match="not zero-padded")


def test_max_pool_backward_assign_instead_of_add(cv):
    def backward(dout, cache):
        x, pool_param = cache
        return E._pool_backward_wrong(
            x,
            dout,
            pool_param["pool_height"],
            pool_param["pool_width"],
            pool_param["stride"],
            "assign",
        )

    def forward(x, pool_param):
        out, _ = cv.max_pool_forward_naive(x, pool_param)
        return out, (x, dict(pool_param))

    _fails(A.check_max_pool_backward_naive, forward, backward, match="use \\+= instead of =")


def test_max_pool_forward_average(cv):
    def forward(x, pool_param):
        p = pool_param
        return E._pool_loop(x, p["pool_height"], p["pool_width"], p["stride"], np.mean), None

    _fails(A.check_max_pool_forward_naive, forward, match="average pooling")


# ------------------------------------------------------------------------------ models
def test_fc_net_regularization_without_half():
    try:
        from cs231n.classifiers.fc_net import FullyConnectedNet
    except ImportError as exc:
        pytest.skip(str(exc))

    class NoHalf(FullyConnectedNet):
        def loss(self, X, y=None):
            if y is None:
                return super().loss(X)
            loss, grads = super().loss(X, y)
            for k in self.params:
                if k.startswith("W"):
                    loss += 0.5 * self.reg * np.sum(self.params[k] ** 2)
                    grads[k] = grads[k] + self.reg * self.params[k]
            return loss, grads

    _fails(A.check_fc_net, NoHalf, match="factor 0.5")

    class ReluLast(FullyConnectedNet):
        def loss(self, X, y=None):
            out = super().loss(X, y)
            return np.maximum(out, 0) if y is None else out

    _fails(A.check_fc_net, ReluLast, match="ReLU after the last affine")


@pytest.mark.slow
def test_three_layer_convnet_regularization_without_half():
    try:
        from cs231n.classifiers.cnn import ThreeLayerConvNet
    except ImportError as exc:
        pytest.skip(str(exc))

    class NoHalf(ThreeLayerConvNet):
        def loss(self, X, y=None):
            if y is None:
                return super().loss(X)
            loss, grads = super().loss(X, y)
            for k in ("W1", "W2", "W3"):
                loss += 0.5 * self.reg * np.sum(self.params[k] ** 2)
                grads[k] = grads[k] + self.reg * self.params[k]
            return loss, grads

    _fails(A.check_three_layer_convnet, NoHalf, match="0.5 \\* reg")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("normalization", "keep_prob"),
    [("batchnorm", 1.0), ("layernorm", 1.0), (None, 0.5), (None, 0.3), ("batchnorm", 0.6)],
)
def test_fc_net_normalization_check_passes_the_reference(normalization, keep_prob, capsys):
    from cs231n.classifiers.fc_net import FullyConnectedNet

    A.check_fc_net_normalization(FullyConnectedNet, normalization, keep_prob)
    assert "passed" in capsys.readouterr().out


def test_fc_net_normalization_check_catches_a_wrong_batchnorm_backward():
    import cs231n
    from cs231n.classifiers.fc_net import FullyConnectedNet
    from cs231n.layers import normalization as nm

    reference = nm.batchnorm_backward

    def batchnorm_backward(dout, cache):  # the term through the mean is missing
        dx, dgamma, dbeta = reference(dout, cache)
        return dx + dout.mean(axis=0), dgamma, dbeta

    cs231n.plug_in(batchnorm_backward, verbose=False)
    try:
        _fails(
            A.check_fc_net_normalization,
            FullyConnectedNet,
            "batchnorm",
            match="vs numerical gradient",
        )
    finally:
        cs231n.unplug()


# ------------------------------------------------------------------------ hidden cases
HIDDEN = ROOT / "assignments" / "assignment2" / "hidden"


def _cases(notebook):
    from autograder.hidden import load_cases

    return load_cases(HIDDEN / f"{notebook}.py")


@pytest.mark.parametrize("task_id", A2)
def test_hidden_cases_exist_and_points_add_up(task_id):
    task = get_task(task_id)
    cases = _cases(task.notebook).get(task_id)
    assert cases, f"no hidden cases for {task_id}"
    assert math.isclose(sum(c.points for c in cases), task.points), task_id
    assert len({c.name for c in cases}) == len(cases)


@pytest.mark.slow
@pytest.mark.parametrize("task_id", A2)
def test_hidden_probes_are_deterministic_on_the_reference(task_id):
    from autograder.hidden import compare_results, reference_namespace

    try:
        ns = reference_namespace(task_id)
    except (ImportError, AttributeError) as exc:
        pytest.skip(str(exc))
    for i, case in enumerate(_cases(get_task(task_id).notebook)[task_id]):
        first = case.probe(ns, np.random.default_rng(100 + i))
        second = case.probe(ns, np.random.default_rng(100 + i))
        assert compare_results(second, first, case) is None, case.name
        for value in first.values():
            assert np.asarray(value).dtype != object


def _hidden_score(task_id, ns):
    from autograder.hidden import compare_results, reference_namespace

    ref = reference_namespace(task_id)
    failed = []
    for i, case in enumerate(_cases(get_task(task_id).notebook)[task_id]):
        expected = case.probe(ref, np.random.default_rng(7 + i))
        try:
            got = case.probe(ns, np.random.default_rng(7 + i))
        except Exception as exc:  # a crash fails the case
            failed.append(f"{case.name}: {exc}")
            continue
        if compare_results(got, expected, case) is not None:
            failed.append(case.name)
    return failed


def test_hidden_cases_fail_wrong_implementations():
    from cs231n.initializers import fans

    assert _hidden_score("a2_adam", {"adam": E._WRONG_OPT["adam"]["no_bias_correction"]})
    assert _hidden_score("a2_rmsprop", {"rmsprop": E._WRONG_OPT["rmsprop"]["swapped"]})

    def lecun(shape, rng=None, dtype=np.float64):
        return (
            np.random.default_rng(rng).standard_normal(shape) / math.sqrt(fans(shape)[0])
        ).astype(dtype)

    assert _hidden_score("a2_he_init", {"he_init": lecun})

    def step_every_epoch(epoch, base_lr, step_size, gamma=0.1):
        return base_lr * gamma ** math.floor(epoch)

    assert _hidden_score("a2_step_decay", {"step_decay": step_every_epoch})

    assert _hidden_score("a2_dropout_forward", {"dropout_forward": _dropout_variant("no_rescale")})

    from cs231n.layers import conv

    def pool_backward(dout, cache):
        x, pool_param = cache
        p = pool_param
        return E._pool_backward_wrong(
            x, dout, p["pool_height"], p["pool_width"], p["stride"], "assign"
        )

    def pool_forward(x, pool_param):
        return conv.max_pool_forward_naive(x, pool_param)[0], (x, dict(pool_param))

    failed = _hidden_score(
        "a2_max_pool_backward_naive",
        {"max_pool_forward_naive": pool_forward, "max_pool_backward_naive": pool_backward},
    )
    assert any("overlapping" in f for f in failed) and not any("2x2" in f for f in failed)


def test_hidden_cases_pass_the_reference_under_other_names():
    """A correct student namespace (the reference objects) scores full points."""
    for task_id in ("a2_adam", "a2_batchnorm_backward", "a2_dropout_backward", "a2_random_search"):
        ns = {n: _reference_object(n) for n in checks.REGISTRY[task_id].names}
        assert _hidden_score(task_id, ns) == [], task_id


@pytest.mark.parametrize("notebook", sorted({get_task(t).notebook for t in A2}))
def test_notebook_test_cells_call_the_registered_check(notebook):
    import nbformat

    nb = nbformat.read(ROOT / "assignments" / "assignment2" / f"{notebook}.ipynb", as_version=4)
    seen = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        task_id = meta["grade_id"].removesuffix("_test")
        check = checks.REGISTRY[task_id]
        call = f"{check.func.__name__}({', '.join(check.names)})"
        assert cell.source.splitlines()[0] == call, (task_id, cell.source.splitlines()[0])
        assert f'grade_hidden("{task_id}", globals())' in cell.source
        seen.add(task_id)
    assert seen == {t.id for t in tasks_for("assignment2", notebook)}

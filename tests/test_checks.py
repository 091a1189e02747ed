"""The assignment1 visible checks pass the reference and explain deliberately wrong code."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n import checks
from cs231n.checks import CheckFailed
from cs231n.checks.common import check_close, check_gradient, check_scalar, regularization_hints
from cs231n.course.tasks import get_task, tasks_for

A1 = [t.id for t in tasks_for("assignment1")]


def _reference(task_id):
    return get_task(task_id).resolve()


def _needs(task_id):
    try:
        _reference(task_id)
    except (ImportError, AttributeError) as exc:  # a package piece not written yet
        pytest.skip(f"reference of {task_id} not importable: {exc}")


@pytest.mark.parametrize("task_id", A1)
def test_every_assignment1_task_has_a_registered_check(task_id):
    check = checks.REGISTRY[task_id]
    assert check.func.__name__ == "check_" + task_id.split("_", 1)[1]
    assert check.names == get_task(task_id).names
    assert getattr(checks, check.func.__name__) is check.func


@pytest.mark.parametrize("task_id", A1)
def test_reference_passes(task_id, capsys):
    _needs(task_id)
    checks.REGISTRY[task_id].func(*_reference(task_id))
    assert "passed" in capsys.readouterr().out


def _fails(check, *objs, match):
    with pytest.raises(CheckFailed, match=match) as info:
        check(*objs)
    return str(info.value)


# --------------------------------------------------------------------------- helpers


def test_check_close_names_element_expected_and_got():
    with pytest.raises(CheckFailed, match=r"element \(1,\) is 5\.0, expected 2\.0"):
        check_close("v", np.array([1.0, 5.0]), np.array([1.0, 2.0]))


def test_check_close_fingerprint_and_shape_and_nonfinite_hints():
    want = np.array([1.0, 2.0])
    with pytest.raises(CheckFailed, match="Likely cause: doubled"):
        check_close("v", want * 2, want, hints=[(want * 2, "doubled")])
    with pytest.raises(CheckFailed, match="transposed"):
        check_close("m", np.ones((3, 2)), np.ones((2, 3)), hints=[(np.ones((3, 2)), "transposed")])
    with pytest.raises(CheckFailed, match="Likely cause: overflow"):
        check_close("v", np.array([np.nan, 1.0]), want, nonfinite_hint="overflow")
    with pytest.raises(CheckFailed, match="got None"):
        check_close("v", None, want)


def test_check_scalar_rejects_arrays():
    with pytest.raises(CheckFailed, match="single number"):
        check_scalar("loss", np.ones(3), 1.0)


def test_check_gradient_reports_worst_element_and_hint():
    numeric = np.array([1.0, 2.0, 3.0])
    assert check_gradient("g", numeric + 1e-12, numeric) < 1e-9
    with pytest.raises(CheckFailed, match=r"element \(2,\).*Likely cause: half"):
        check_gradient("g", numeric * [1, 1, 0.5], numeric, hints=[(numeric * [1, 1, 0.5], "half")])


def test_regularization_hints_are_consistent():
    W = np.ones((2, 2))
    loss_h, grad_h = regularization_hints(0.5, W, 3.0, np.zeros((2, 2)), 4)
    assert loss_h[0][0] == pytest.approx(2.0)  # data loss only
    np.testing.assert_allclose(grad_h[0][0], -0.5 * W)


# --------------------------------------------------------------------------- knn


def _two_loops_squared(X, X_train):
    from cs231n.classifiers.k_nearest_neighbor import compute_distances_two_loops

    return compute_distances_two_loops(X, X_train) ** 2


def _l1(X, X_train):
    a, b = X.reshape(len(X), -1), X_train.reshape(len(X_train), -1)
    return np.abs(a[:, None] - b[None]).sum(-1)


def _no_loops_unclipped(X, X_train):
    a, b = X.reshape(len(X), -1), X_train.reshape(len(X_train), -1)
    with np.errstate(invalid="ignore"):
        return np.sqrt((a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1))


def _mutating(X, X_train):
    X -= 0
    X *= 2
    return _l1(X, X_train)


@pytest.mark.a1_knn_two_loops
@pytest.mark.parametrize(
    ("impl", "hint"),
    [(_two_loops_squared, "square root"), (_l1, "L1 distance"), (_mutating, "modified in place")],
)
def test_knn_distance_hints(impl, hint):
    _needs("a1_knn_two_loops")
    _fails(checks.check_knn_two_loops, impl, match=hint)


@pytest.mark.a1_knn_no_loops
def test_knn_no_loops_transposed_and_unclipped():
    _needs("a1_knn_no_loops")
    from cs231n.classifiers.k_nearest_neighbor import compute_distances_no_loops as ref

    _fails(checks.check_knn_no_loops, lambda X, Xt: ref(X, Xt).T, match="transposed")
    _fails(checks.check_knn_no_loops, _no_loops_unclipped, match="clip it at 0")


def _predict(dists, y_train, k=1, larger=False, far=False, ignore_k=False):
    out = []
    for row in dists:
        order = np.argsort(-row if far else row, kind="stable")[: 1 if ignore_k else k]
        counts = np.bincount(y_train[order])
        best = np.flatnonzero(counts == counts.max())
        out.append(best[-1] if larger else best[0])
    return np.array(out)


@pytest.mark.a1_knn_predict
@pytest.mark.parametrize(
    ("kw", "hint"),
    [
        ({"larger": True}, "SMALLER label"),
        ({"far": True}, "FARTHEST"),
        ({"ignore_k": True}, "k is ignored"),
    ],
)
def test_knn_predict_hints(kw, hint):
    _needs("a1_knn_predict")
    _fails(checks.check_knn_predict, lambda d, y, k=1: _predict(d, y, k, **kw), match=hint)


@pytest.mark.a1_knn_cross_validation
def test_knn_cross_validation_hints():
    _needs("a1_knn_cross_validation")
    from cs231n.classifiers.k_nearest_neighbor import cross_validate_k as ref

    def percent(*a, **kw):
        return {k: [100 * v for v in vs] for k, vs in ref(*a, **kw).items()}

    _fails(checks.check_knn_cross_validation, percent, match="percentages")
    _fails(
        checks.check_knn_cross_validation,
        lambda *a, **kw: {1: [0.5]},
        match="expected a dict with keys",
    )


# --------------------------------------------------------------------------- svm / softmax


def _svm_with(include_correct=False, reg_grad=True, reg_factor=0.5):
    def svm(W, X, y, reg):
        N = X.shape[0]
        s = X @ W
        m = np.maximum(0, s - s[np.arange(N), y][:, None] + 1)
        if not include_correct:
            m[np.arange(N), y] = 0
        loss = m.sum() / N + reg_factor * reg * np.sum(W * W)
        c = (m > 0).astype(float)
        c[np.arange(N), y] = 0
        c[np.arange(N), y] = -c.sum(1)
        dW = X.T @ c / N + (reg * W if reg_grad else 0)
        return loss, dW

    return svm


@pytest.mark.a1_svm_naive
@pytest.mark.parametrize(
    ("kw", "hint"),
    [
        ({"include_correct": True}, "correct class is counted"),
        ({"reg_grad": False}, "regularization gradient reg \\* W is missing"),
        ({"reg_factor": 1.0}, "convention is 0.5"),
    ],
)
def test_svm_hints(kw, hint):
    _needs("a1_svm_naive")
    _fails(checks.check_svm_naive, _svm_with(**kw), match=hint)
    _fails(checks.check_svm_vectorized, _svm_with(**kw), match=hint)


def _softmax_unshifted(W, X, y, reg):
    N = X.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(X @ W)
        p = e / e.sum(1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(N), y])) + 0.5 * reg * np.sum(W * W)
    d = p.copy()
    d[np.arange(N), y] -= 1
    return loss, X.T @ d / N + reg * W


def _softmax_no_reg_grad(W, X, y, reg):
    from cs231n.classifiers.softmax import softmax_loss_vectorized

    loss, dW = softmax_loss_vectorized(W, X, y, reg)
    return loss, dW - reg * W


@pytest.mark.a1_softmax_vectorized
def test_softmax_hints():
    _needs("a1_softmax_vectorized")
    _fails(checks.check_softmax_vectorized, _softmax_unshifted, match="no max-shift")
    _fails(checks.check_softmax_naive, _softmax_unshifted, match="no max-shift")
    _fails(checks.check_softmax_naive, _softmax_no_reg_grad, match="regularization gradient")


def test_linear_loss_must_return_a_pair():
    _fails(checks.check_svm_naive, lambda W, X, y, reg: 1.0, match=r"return \(loss, dW\)")


# --------------------------------------------------------------------------- gates


@pytest.mark.a1_gate_multiply
def test_gate_hints():
    _needs("a1_gate_multiply")
    from cs231n import gates

    def mul_back_swapped(dout, cache):
        x, y = cache
        return dout * x, dout * y

    _fails(
        checks.check_gate_multiply,
        gates.multiply_gate_forward,
        mul_back_swapped,
        match="other input",
    )

    def add_back_no_dout(dout, cache):
        return np.ones_like(dout), np.ones_like(dout)

    _fails(
        checks.check_gate_add, gates.add_gate_forward, add_back_no_dout, match="upstream gradient"
    )

    def max_back_both(dout, cache):
        x, y = cache
        return dout * (x >= y), dout * (y >= x)

    _fails(checks.check_gate_max, gates.max_gate_forward, max_back_both, match="not to both")

    def sig_back_twice(dout, cache):
        s = 1 / (1 + np.exp(-cache))
        return dout * s * (1 - s)

    _fails(
        checks.check_gate_sigmoid, gates.sigmoid_gate_forward, sig_back_twice, match="cached OUTPUT"
    )


@pytest.mark.a1_perceptron
def test_perceptron_hints():
    _needs("a1_perceptron")
    from cs231n import gates

    def geq(x, w, b):
        return (x @ w + b >= 0).astype(int)

    _fails(checks.check_perceptron, geq, gates.logic_gate_weights, gates.xor_forward, match="z > 0")

    def bad_weights(name):
        return np.array([1.0, 1.0]), -0.5  # OR for everything

    _fails(
        checks.check_perceptron,
        gates.perceptron_forward,
        bad_weights,
        gates.xor_forward,
        match='"and"',
    )

    def floats(x, w, b):
        return (x @ w + b > 0).astype(float)

    _fails(
        checks.check_perceptron,
        floats,
        gates.logic_gate_weights,
        gates.xor_forward,
        match="integer array",
    )


# --------------------------------------------------------------------------- layers


@pytest.mark.a1_affine_forward
def test_affine_hints():
    _needs("a1_affine_backward")

    def no_reshape(x, w, b):
        return x @ w + b, (x, w, b)

    _fails(checks.check_affine_forward, no_reshape, match="not reshaped")

    def no_bias(x, w, b):
        return x.reshape(len(x), -1) @ w, None

    _fails(checks.check_affine_forward, no_bias, match="bias b is not added")

    def flat_dx(dout, cache):
        x, w, _ = cache
        rows = x.reshape(len(x), -1)
        return dout @ w.T, rows.T @ dout, dout.sum(0)

    _fails(checks.check_affine_backward, flat_dx, match="reshape it back")


@pytest.mark.a1_relu_backward
@pytest.mark.parametrize(
    ("impl", "hint"),
    [
        (lambda dout, x: dout * (x >= 0), "x > 0, not x >= 0"),
        (lambda dout, x: np.maximum(dout, 0), "applied to dout"),
        (lambda dout, x: dout * np.maximum(x, 0), "multiplied by the ReLU output"),
    ],
)
def test_relu_backward_hints(impl, hint):
    _needs("a1_relu_backward")
    _fails(checks.check_relu_backward, impl, match=hint)


@pytest.mark.a1_relu_forward
def test_relu_forward_hint():
    _needs("a1_relu_forward")
    _fails(checks.check_relu_forward, lambda x: (np.abs(x), x), match="absolute value")


@pytest.mark.a1_softmax_loss
def test_softmax_loss_layer_hints():
    _needs("a1_softmax_loss")

    def unshifted(x, y):
        N = len(y)
        with np.errstate(over="ignore", invalid="ignore"):
            p = np.exp(x) / np.exp(x).sum(1, keepdims=True)
        d = p.copy()
        d[np.arange(N), y] -= 1
        return float(-np.mean(np.log(p[np.arange(N), y]))), d / N

    _fails(checks.check_softmax_loss, unshifted, match="no max-shift")

    from cs231n.layers.losses import softmax_loss

    def not_divided(x, y):
        loss, dx = softmax_loss(x, y)
        return loss, dx * len(y)

    _fails(checks.check_softmax_loss, not_divided, match="not divided by N")


@pytest.mark.a1_svm_loss
def test_svm_loss_layer_hint():
    _needs("a1_svm_loss")
    from cs231n.layers.losses import svm_loss

    _fails(
        checks.check_svm_loss,
        lambda x, y: (svm_loss(x, y)[0] + 1.0, svm_loss(x, y)[1]),
        match="correct class is counted",
    )


@pytest.mark.a1_two_layer_net
def test_two_layer_net_hints():
    _needs("a1_two_layer_net")
    from cs231n.classifiers.fc_net import TwoLayerNet

    class NoRegGrad(TwoLayerNet):
        def loss(self, X, y=None):
            out = super().loss(X, y)
            if y is None:
                return out
            loss, grads = out
            return loss, {
                k: (g - self.reg * self.params[k] if k.startswith("W") else g)
                for k, g in grads.items()
            }

    _fails(checks.check_two_layer_net, NoRegGrad, match="regularization gradient reg \\* W")

    class BigInit(TwoLayerNet):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.params["W1"] = self.params["W1"] * 10

    _fails(checks.check_two_layer_net, BigInit, match="standard deviation")


def test_stub_raises_not_implemented_through_the_check():
    def stub(*args):
        raise NotImplementedError("a1_relu_forward: relu_forward is not implemented yet")

    with pytest.raises(NotImplementedError, match="a1_relu_forward"):
        checks.check_relu_forward(stub)


# --------------------------------------------------------------------------- framework
def test_expected_values_are_rebuilt_identically_from_the_hidden_builders():
    from autograder.authoring.expected import build_expected, builders

    assert set(builders()) >= {
        "knn",
        "svm",
        "softmax",
        "backprop",
        "two_layer_net",
        "FullyConnectedNets",
        "InitAndActivations",
        "HyperparameterSearch",
        "BatchNormalization",
        "ConvolutionalNetworks",
    }
    assert build_expected(check=True) == []


def test_checks_import_no_reference_code():
    """The checks ship to students, whose package has no solutions: they import only the
    course machinery and the numerical-gradient utility."""
    import ast
    from pathlib import Path

    allowed = ("cs231n.checks", "cs231n.course.testing", "cs231n.course.tasks")
    allowed += ("cs231n.gradient_check",)
    folder = Path(checks.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            mods = []
            if isinstance(node, ast.ImportFrom) and not node.level:
                mods = [node.module or ""]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            for mod in mods:
                if mod == "cs231n" or mod.startswith("cs231n."):
                    assert mod.startswith(allowed), f"{path.name} imports {mod}"
    assert not (folder.parents[1] / "assignments" / "assignment1" / "_build").exists()


def test_one_registry_names_every_task_with_a_check():
    from cs231n.course.tasks import tasks_for

    for task in tasks_for():
        if task.id in checks.REGISTRY:
            check = checks.REGISTRY[task.id]
            assert check.task_id == task.id and check.names
            module = check.func.__module__.rsplit(".", 1)[1]
            assert module == task.notebook, f"{task.id}'s check is in {module}.py"

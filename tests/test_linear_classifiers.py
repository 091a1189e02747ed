"""Linear SVM and softmax losses (naive == vectorized, gradient checks) and LinearClassifier."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n.classifiers import LinearClassifier, LinearSVM, Softmax
from cs231n.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized
from cs231n.course.testing import assert_allclose
from cs231n.gradient_check import grad_check_sparse
from cs231n.validation import ShapeError

rng = np.random.default_rng(0)
N, D, C = 60, 30, 7
X = rng.standard_normal((N, D))
Y = rng.integers(0, C, N)
W = 1e-2 * rng.standard_normal((D, C))

LOSSES = {
    "svm": (svm_loss_naive, svm_loss_vectorized),
    "softmax": (softmax_loss_naive, softmax_loss_vectorized),
}


def _marks(kind):
    return [getattr(pytest.mark, f"a1_{kind}_naive"), getattr(pytest.mark, f"a1_{kind}_vectorized")]


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_marks(k)) for k in LOSSES])
@pytest.mark.parametrize("reg", [0.0, 5e1])
def test_naive_equals_vectorized(kind, reg):
    naive, vec = LOSSES[kind]
    loss_n, grad_n = naive(W, X, Y, reg)
    loss_v, grad_v = vec(W, X, Y, reg)
    assert loss_n == pytest.approx(loss_v, rel=1e-12)
    assert_allclose(grad_n, grad_v, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_marks(k)) for k in LOSSES])
@pytest.mark.parametrize("reg", [0.0, 5e1])
@pytest.mark.parametrize("which", [0, 1])
def test_sparse_gradient_check(kind, reg, which):
    fn = LOSSES[kind][which]
    W0 = rng.standard_normal((D, C))  # large weights: few hinge kinks near a sample
    _, grad = fn(W0, X, Y, reg)
    errors = grad_check_sparse(
        lambda w: fn(w, X, Y, reg)[0], W0, grad, num_checks=10, seed=1, verbose=False
    )
    assert np.max(errors) < 1e-6


@pytest.mark.a1_svm_naive
def test_svm_initial_loss_is_about_c_minus_one():
    loss, _ = svm_loss_naive(1e-6 * rng.standard_normal((D, C)), X, Y, 0.0)
    assert loss == pytest.approx(C - 1, rel=1e-3)


@pytest.mark.a1_softmax_naive
def test_softmax_initial_loss_is_log_c():
    loss, _ = softmax_loss_naive(1e-6 * rng.standard_normal((D, C)), X, Y, 0.0)
    assert loss == pytest.approx(np.log(C), rel=1e-3)


@pytest.mark.parametrize("kind", list(LOSSES))
def test_regularization_convention_is_half_reg_w_squared(kind):
    _, vec = LOSSES[kind]
    l0, g0 = vec(W, X, Y, 0.0)
    l1, g1 = vec(W, X, Y, 3.0)
    assert l1 - l0 == pytest.approx(0.5 * 3.0 * np.sum(W * W))
    assert_allclose(g1 - g0, 3.0 * W, rtol=1e-9)


@pytest.mark.a1_softmax_vectorized
def test_softmax_vectorized_is_stable_for_huge_scores():
    loss, grad = softmax_loss_vectorized(1e4 * W, X, Y, 0.0)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("kind", list(LOSSES))
@given(n=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_batch_loss_is_mean_of_sample_losses(kind, n, seed):
    r = np.random.default_rng(seed)
    x, y, w = r.standard_normal((n, 4)), r.integers(0, 3, n), r.standard_normal((4, 3))
    _, vec = LOSSES[kind]
    w_before, x_before = w.copy(), x.copy()
    batch, grad = vec(w, x, y, 0.0)
    singles = [vec(w, x[i : i + 1], y[i : i + 1], 0.0)[0] for i in range(n)]
    assert batch == pytest.approx(np.mean(singles), rel=1e-10, abs=1e-12)
    assert grad.shape == w.shape
    np.testing.assert_array_equal(w, w_before)
    np.testing.assert_array_equal(x, x_before)


@pytest.mark.parametrize("kind", list(LOSSES))
def test_loss_errors(kind):
    for fn in LOSSES[kind]:
        with pytest.raises(ShapeError):
            fn(W, X[:, :5], Y, 0.0)
        with pytest.raises(ValueError, match="labels"):
            fn(W, X, Y + C, 0.0)
        with pytest.raises(TypeError):
            fn(W, X, Y.astype(float), 0.0)


def _blobs(seed=0):
    r = np.random.default_rng(seed)
    centres = 3 * r.standard_normal((3, 10))
    y = r.integers(0, 3, 300)
    return centres[y] + r.standard_normal((300, 10)), y


@pytest.mark.parametrize("cls", [LinearSVM, Softmax])
def test_training_learns_and_is_seeded(cls):
    Xb, yb = _blobs()
    clf = cls()
    hist = clf.train(Xb, yb, learning_rate=1e-2, reg=1e-4, num_iters=200, batch_size=50, seed=3)
    assert len(hist) == 200 and hist[-1] < hist[0]
    assert np.mean(clf.predict(Xb) == yb) > 0.9
    again = cls()
    again.train(Xb, yb, learning_rate=1e-2, reg=1e-4, num_iters=200, batch_size=50, seed=3)
    np.testing.assert_array_equal(clf.W, again.W)


def test_linear_classifier_images_dtype_and_save(tmp_path):
    Xb, yb = _blobs()
    X_img = Xb.reshape(300, 1, 2, 5).astype(np.float32)
    clf = Softmax()
    clf.train(X_img, yb, num_iters=5, seed=0)
    assert clf.W.dtype == np.float32 and clf.W.shape == (10, 3)
    assert clf.predict(X_img).shape == (300,)
    clf.save(tmp_path / "w.npy")
    other = Softmax().load(tmp_path / "w.npy")
    np.testing.assert_array_equal(other.W, clf.W)


def test_linear_classifier_errors():
    with pytest.raises(NotImplementedError, match="subclass"):
        LinearClassifier().train(X, Y, num_iters=1)
    with pytest.raises(RuntimeError, match="train"):
        Softmax().predict(X)
    clf = Softmax()
    clf.train(X, Y, num_iters=1, seed=0)
    with pytest.raises(ValueError, match="W = None"):
        clf.train(X[:, :5], Y, num_iters=1)


@pytest.mark.a1_linear_sgd
def test_minibatch_sgd_constant_gradient_and_history():
    from cs231n.classifiers.linear_classifier import minibatch_sgd

    W0 = np.ones((3, 2))
    G = np.array([[1.0, -1.0], [0.5, 0.0], [0.0, 2.0]])
    X, y = np.zeros((10, 3)), np.zeros(10, dtype=int)
    W, hist = minibatch_sgd(
        lambda W, Xb, yb, reg: (float(len(Xb)), G),
        W0,
        X,
        y,
        0.1,
        0.0,
        5,
        4,
        np.random.default_rng(0),
    )
    assert np.allclose(W, W0 - 5 * 0.1 * G) and hist == [4.0] * 5
    assert np.array_equal(W0, np.ones((3, 2)))


@pytest.mark.a1_linear_sgd
def test_minibatch_sgd_passes_the_visible_check_and_train_uses_it():
    from cs231n.checks import REGISTRY
    from cs231n.classifiers.linear_classifier import minibatch_sgd

    assert REGISTRY["a1_linear_sgd"].run(minibatch_sgd).status == "passed"
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int)
    hist = Softmax().train(X, y, learning_rate=0.5, reg=0.0, num_iters=50, batch_size=20, seed=0)
    assert len(hist) == 50 and np.mean(hist[-5:]) < np.mean(hist[:5])


@pytest.mark.a1_tune_linear
def test_tune_linear_classifier_picks_the_best_validation_setting():
    from cs231n.checks import REGISTRY
    from cs231n.classifiers.linear_classifier import tune_linear_classifier

    assert REGISTRY["a1_tune_linear"].run(tune_linear_classifier).status == "passed"
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] > 0).astype(int)
    results, best, model = tune_linear_classifier(
        Softmax, X[:60], y[:60], X[60:], y[60:], [1e-6, 0.5], [0.0], num_iters=40, batch_size=20
    )
    assert set(results) == {(1e-6, 0.0), (0.5, 0.0)} and best == (0.5, 0.0)
    assert results[best][1] == max(v for _, v in results.values()) and isinstance(model, Softmax)

"""Numerical gradients: accuracy, restoration of x, seeding, reports, validation."""

import numpy as np
import pytest

import cs231n.course.testing
from cs231n.gradient_check import (
    GradientReport,
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    grad_check_sparse,
    gradient_report,
    rel_error,
)
from cs231n.validation import ConfigError, ShapeError


def quad(x):
    return float(np.sum(x**3) + 2 * np.sum(x))


def dquad(x):
    return 3 * x**2 + 2


def test_rel_error_is_the_testing_one():
    assert rel_error is cs231n.course.testing.rel_error


def test_full_gradient_matches_analytic_and_restores_x():
    x = np.random.default_rng(0).standard_normal((3, 4))
    before = x.copy()
    grad = eval_numerical_gradient(quad, x)
    assert grad.shape == x.shape and grad.dtype == x.dtype
    assert rel_error(grad, dquad(x)) < 1e-8
    np.testing.assert_array_equal(x, before)


def test_full_gradient_works_when_f_ignores_its_argument():
    x = np.random.default_rng(1).standard_normal(5)
    grad = eval_numerical_gradient(lambda _: quad(x), x)
    assert rel_error(grad, dquad(x)) < 1e-8


def test_full_gradient_verbose_prints(capsys):
    eval_numerical_gradient(quad, np.ones(2), verbose=True)
    assert "(0,)" in capsys.readouterr().out


def test_full_gradient_prints_by_default_like_cs231n_and_quiet_switch(capsys):
    eval_numerical_gradient(quad, np.ones(2))
    assert "(1,)" in capsys.readouterr().out
    eval_numerical_gradient(quad, np.ones(2), verbose=False)
    assert capsys.readouterr().out == ""


def test_float32_is_computed_in_float32():
    x = np.linspace(-1, 1, 6, dtype=np.float32)
    grad = eval_numerical_gradient(quad, x, h=1e-2)
    assert grad.dtype == np.float32
    assert rel_error(grad, dquad(x.astype(np.float64))) < 1e-3


def test_x_restored_even_when_f_raises():
    x = np.arange(4.0)
    calls = []

    def boom(z):
        calls.append(z.copy())
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        eval_numerical_gradient(boom, x)
    np.testing.assert_array_equal(x, np.arange(4.0))
    assert calls[0][0] == pytest.approx(1e-5)


def test_array_gradient_backpropagates_df():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3))
    df = rng.standard_normal((2, 3))
    before = x.copy()
    grad = eval_numerical_gradient_array(np.tanh, x, df)
    np.testing.assert_array_equal(x, before)
    assert rel_error(grad, df * (1 - np.tanh(x) ** 2)) < 1e-8


def test_array_gradient_with_output_of_another_shape():
    x = np.random.default_rng(3).standard_normal((2, 3))
    w = np.random.default_rng(4).standard_normal((3, 5))
    df = np.ones((2, 5))
    grad = eval_numerical_gradient_array(lambda z: z @ w, x, df)
    assert rel_error(grad, df @ w.T) < 1e-8


def test_array_gradient_rejects_df_of_wrong_shape():
    with pytest.raises(ShapeError, match=r"the shape of f\(x\), \(2,\)"):
        eval_numerical_gradient_array(lambda z: z * 2, np.ones(2), np.ones(3))


def test_sparse_check_is_seeded_and_quiet():
    x = np.random.default_rng(5).standard_normal((4, 6))
    errs1 = grad_check_sparse(quad, x, dquad(x), num_checks=7, seed=3)
    errs2 = grad_check_sparse(quad, x, dquad(x), num_checks=7, seed=3)
    assert errs1.shape == (7,)
    np.testing.assert_array_equal(errs1, errs2)
    assert errs1.max() < 1e-8


def test_sparse_check_same_seed_same_elements_wrong_gradient_detected():
    x = np.random.default_rng(6).standard_normal((3, 3))
    bad = dquad(x) * 1.01
    errs = grad_check_sparse(quad, x, bad, num_checks=5)
    assert np.all(errs > 1e-3)


def test_sparse_check_no_nan_when_both_gradients_are_zero():
    x = np.zeros((2, 2))
    errs = grad_check_sparse(lambda z: 0.0, x, np.zeros_like(x))
    assert not np.isnan(errs).any()
    np.testing.assert_array_equal(errs, 0.0)


def test_sparse_check_verbose_prints_lines(capsys):
    x = np.ones(3)
    grad_check_sparse(quad, x, dquad(x), num_checks=2, verbose=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and "relative error" in out[0]


def test_sparse_check_prints_by_default_like_cs231n_and_quiet_switch(capsys):
    x = np.ones(3)
    grad_check_sparse(quad, x, dquad(x), num_checks=3)
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    grad_check_sparse(quad, x, dquad(x), num_checks=3, verbose=False)
    assert capsys.readouterr().out == ""


def test_sparse_check_seed_none_follows_numpys_global_state():
    x = np.random.default_rng(2).standard_normal((4, 5))
    bad = dquad(x) + np.arange(20).reshape(4, 5) * 1e-3
    np.random.seed(231)  # noqa: NPY002 (the global state is what is tested)
    a = grad_check_sparse(quad, x, bad, num_checks=6, seed=None, verbose=False)
    np.random.seed(231)  # noqa: NPY002 (the global state is what is tested)
    b = grad_check_sparse(quad, x, bad, num_checks=6, seed=None, verbose=False)
    np.testing.assert_array_equal(a, b)


def test_report_names_the_worst_element():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    n = a.copy()
    n[1, 0] = 3.3
    r = gradient_report(a, n, "dw")
    assert isinstance(r, GradientReport)
    assert r.index == (1, 0)
    assert r.analytic == 3.0 and r.numeric == pytest.approx(3.3)
    assert r.max_rel_error == pytest.approx(0.3 / 6.3)
    assert not r.ok(1e-7)
    text = str(r)
    assert text.startswith("dw: max relative error") and "(1, 0)" in text


def test_report_zero_gradients_are_not_nan():
    r = gradient_report(np.zeros(3), np.zeros(3))
    assert r.max_rel_error == 0.0 and r.ok()


def test_report_nan_is_worst():
    r = gradient_report(np.array([1.0, np.nan]), np.array([1.0, 1.0]))
    assert r.index == (1,) and r.max_rel_error == np.inf and not r.ok()


def test_report_rejects_shape_mismatch():
    with pytest.raises(ShapeError, match="same shape"):
        gradient_report(np.zeros(3), np.zeros(4))


def test_report_empty():
    assert gradient_report(np.zeros(0), np.zeros(0)).max_rel_error == 0.0


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: eval_numerical_gradient(3, np.ones(2)), TypeError, "a callable"),
        (lambda: eval_numerical_gradient(quad, [1.0, 2.0]), TypeError, "np.asarray"),
        (lambda: eval_numerical_gradient(quad, np.ones(2, dtype=int)), TypeError, "floating"),
        (lambda: eval_numerical_gradient(quad, np.ones(2), h=0), ConfigError, "positive step"),
        (lambda: eval_numerical_gradient(lambda z: z, np.ones(2)), TypeError, "a scalar"),
        (
            lambda: eval_numerical_gradient(quad, np.broadcast_to(np.ones(1), (2,))),
            ValueError,
            "writeable",
        ),
        (lambda: grad_check_sparse(quad, np.ones(2), np.ones(3)), ShapeError, r"\(2\)"),
        (
            lambda: grad_check_sparse(quad, np.ones(2), np.ones(2), num_checks=0),
            ConfigError,
            "positive integer",
        ),
        (lambda: grad_check_sparse(quad, np.ones(0), np.ones(0)), ShapeError, "non-empty"),
    ],
)
def test_validation_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()

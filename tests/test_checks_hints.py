"""Exceptions raised inside a student's code become hints (issue: every exception a hint).

One wrapper, ``cs231n.checks._core.run_check``, runs every registered check; these tests
feed it CS231n-style mistakes and assert the result: status ``"error"``, the failing
line of the student's code, and the likely cause only where it is certain.
"""

from __future__ import annotations

import numpy as np
import pytest

from cs231n import checks
from cs231n.checks import CheckFailed, CheckResult
from cs231n.checks._core import run_check
from cs231n.checks._hints import explain_exception


def _result(check, *objs) -> CheckResult:
    with pytest.raises(CheckFailed) as info:
        check(*objs)
    return info.value.result


def test_a_passing_check_returns_a_passed_result(capsys):
    from cs231n.layers import relu_forward

    result = checks.check_relu_forward(relu_forward)
    assert result == CheckResult("a1_relu_forward", "passed", "passed", "")
    assert "passed" in capsys.readouterr().out
    assert checks.REGISTRY["a1_relu_forward"].run(relu_forward).passed


def test_a_wrong_answer_is_failed_with_its_cause():
    def relu_forward(x):
        return np.abs(x), x

    result = checks.REGISTRY["a1_relu_forward"].run(relu_forward)
    assert result.task == "a1_relu_forward" and result.status == "failed"
    assert "expected" in result.message


def test_dropout_with_cs231n_key_p_names_keep_prob():
    def dropout_forward(x, dropout_param):
        p, mode = dropout_param["p"], dropout_param["mode"]  # noqa: F841  (CS231n's spelling)
        mask = (np.random.rand(*x.shape) < p) / p  # noqa: NPY002
        return x * mask, (dropout_param, mask)

    result = _result(checks.check_dropout_forward, dropout_forward)
    assert result.task == "a2_dropout_forward" and result.status == "error"
    assert "KeyError: 'p'" in result.message
    assert 'p, mode = dropout_param["p"]' in result.message  # the student's line
    assert "dropout_param has no key 'p'; its keys are 'keep_prob', 'mode', 'seed'" in (
        result.message
    )
    assert "keep_prob" in result.likely_cause and "CS231n" in result.likely_cause


def test_a_config_key_error_names_the_expected_keys():
    from cs231n.optim import sgd_momentum

    def rule(w, dw, config=None):
        lr = config["lr"]
        return sgd_momentum(w, dw * lr / config["learning_rate"], config)

    result = _result(checks.check_sgd_momentum, rule)
    assert "config has no key 'lr'; its keys are 'learning_rate', 'momentum', 'velocity'" in (
        result.message
    )
    assert "'learning_rate', not 'lr'" in result.likely_cause


def test_a_cache_entry_never_stored_is_named():
    from cs231n.layers import batchnorm_backward, batchnorm_forward

    def forward(x, gamma, beta, bn_param):
        out, cache = batchnorm_forward(x, gamma, beta, bn_param)
        return out, {"cache": cache}

    def backward(dout, cache):
        xhat = cache["x_hat"]
        return batchnorm_backward(dout, cache["cache"]) if xhat is not None else None

    result = _result(checks.check_batchnorm_backward, forward, backward)
    assert "cache has no key 'x_hat'; its keys are 'cache'" in result.message
    assert "never stored 'x_hat' in its cache" in result.likely_cause


def test_a_mask_never_stored_is_named_even_inside_the_kits_code():
    from cs231n.layers import dropout_backward, dropout_forward

    def forward(x, dropout_param):
        out, (param, _mask) = dropout_forward(x, dropout_param)
        return out, (param, None)

    result = _result(checks.check_dropout_backward, forward, dropout_backward)
    assert result.status == "error" and "TypeError" in result.message
    assert "in the kit's dropout.py" in result.message
    assert "mask is None" in result.message
    assert "never stored it" in result.likely_cause


def test_broadcasting_without_keepdims_is_named():
    def softmax_loss(x, y):
        shifted = x - x.max(axis=1)  # keepdims=True missing
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        return -np.log(p[np.arange(len(y)), y]).mean(), p

    result = _result(checks.check_softmax_loss, softmax_loss)
    assert "could not be broadcast" in result.message
    assert "shifted = x - x.max(axis=1)" in result.message
    assert "keepdims=True" in result.likely_cause


def test_a_cache_unpacked_into_the_wrong_number_of_names_is_named():
    from cs231n.layers import affine_backward

    def backward(dout, cache):
        x, w, b, _extra = cache
        return affine_backward(dout, (x, w, b))

    result = _result(checks.check_affine_backward, backward)
    assert "x, w, b, _extra = cache" in result.message
    assert "cache holds 3 values but the backward pass unpacks 4" in result.likely_cause


def test_a_function_that_returns_nothing_is_named():
    def forward(x):
        x * 2

    def f():
        out, cache = forward(np.ones(2))
        return out, cache

    with pytest.raises(CheckFailed) as info:
        run_check("a1_relu_forward", f)
    assert info.value.result.likely_cause == (
        "forward returned None: is its return statement missing?"
    )


def test_broadcasting_with_padding_mismatch_is_named():
    def f():
        x = np.zeros((2, 3, 5, 5))
        xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        return x + xp

    with pytest.raises(CheckFailed) as info:
        run_check("a2_conv_backward_naive", f)
    assert "padded" in info.value.result.likely_cause


def test_an_unknown_error_says_what_and_where_without_a_guess():
    def relu_forward(x):
        out = x[len(x) + 5]
        return out, x

    result = _result(checks.check_relu_forward, relu_forward)
    assert result.status == "error" and result.message.startswith("IndexError")
    assert "out = x[len(x) + 5]" in result.message
    assert result.likely_cause == ""


def test_a_stub_is_not_attempted():
    def relu_forward(x):
        raise NotImplementedError("a1_relu_forward: write relu_forward")

    with pytest.raises(NotImplementedError) as info:
        checks.check_relu_forward(relu_forward)
    assert type(info.value) is NotImplementedError  # the stub's own exception, shown as is
    assert info.value.result.status == "not_attempted"
    assert checks.REGISTRY["a1_relu_forward"].run(relu_forward).status == "not_attempted"
    assert info.value.result.task == "a1_relu_forward"


def test_a_hostile_exception_cannot_break_the_hint():
    class Nasty(Exception):
        def __str__(self):
            raise RuntimeError("no")

    try:
        raise Nasty()
    except Nasty as exc:
        message, cause = explain_exception(exc)
    assert message.startswith("Nasty") and cause == ""

"""The validation helpers raise errors that say expected / got / fix."""

import numpy as np
import pytest

from cs231n.validation import (
    ConfigError,
    ShapeError,
    check_array,
    check_choice,
    check_keys,
    check_labels,
    check_positive,
    error_message,
)


def test_error_message_format():
    msg = error_message("x", "shape (N, D)", "shape (3,)", "reshape it.")
    assert msg == "x: expected shape (N, D), got shape (3,). Fix: reshape it."


def test_check_array_rejects_lists_with_a_fix():
    with pytest.raises(TypeError, match=r"expected an ndarray.*got a list.*np\.asarray"):
        check_array([1, 2], "f: x")


def test_check_array_ndim_and_shape():
    x = np.zeros((2, 3))
    assert check_array(x, "x", ndim=2) is x
    with pytest.raises(ShapeError, match=r"4 dimensions.*got 2 dimensions"):
        check_array(x, "x", ndim=4, dims="(N, C, H, W)")
    with pytest.raises(ShapeError, match=r"\(\*, 4\).*got shape \(2, 3\)"):
        check_array(x, "x", shape=(None, 4))


def test_check_array_dtypes():
    with pytest.raises(TypeError, match="floating-point"):
        check_array(np.zeros(3, dtype=int), "x", floating=True)
    with pytest.raises(TypeError, match="integer"):
        check_array(np.zeros(3), "y", integer=True)


def test_check_labels():
    with pytest.raises(ShapeError, match="3 labels"):
        check_labels(np.zeros(2, dtype=int), "y", 3)
    with pytest.raises(ValueError, match=r"labels in \[0, 3\)"):
        check_labels(np.array([0, 5]), "y", 2, num_classes=3)


def test_choice_keys_positive():
    with pytest.raises(ConfigError, match="'train', 'test'"):
        check_choice("eval", "mode", ["train", "test"])
    with pytest.raises(ConfigError, match=r"unknown option.*'lr'"):
        check_keys({"lr": 1}, "config", ["learning_rate"])
    with pytest.raises(ConfigError, match="positive"):
        check_positive(0, "stride")
    assert check_positive(0, "pad", allow_zero=True) == 0

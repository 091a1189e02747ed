"""plug_in rebinds a student's function everywhere in the package, and unplug undoes it."""

import numpy as np
import pytest

import cs231n
from cs231n.course.plugin import plugged

layers = pytest.importorskip("cs231n.layers")
layer_utils = pytest.importorskip("cs231n.layer_utils")


def test_plug_in_reaches_the_sandwich_layers_and_unplug_restores():
    reference = layers.affine_forward
    calls = []

    def affine_forward(x, w, b):
        calls.append(x.shape)
        return reference(x, w, b)

    try:
        assert cs231n.plug_in(affine_forward, verbose=False) == ["affine_forward"]
        assert plugged() == {"affine_forward": affine_forward}
        x, w, b = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
        layer_utils.affine_relu_forward(x, w, b)
        assert calls == [(2, 3)]
        assert layers.affine_forward is affine_forward
    finally:
        cs231n.unplug()
    assert layers.affine_forward is reference
    assert layer_utils.affine_forward is reference
    assert plugged() == {}


def test_plug_in_rejects_unknown_names():
    def not_a_task():
        pass

    with pytest.raises(ValueError, match="expected a function or class the notebooks teach"):
        cs231n.plug_in(not_a_task)

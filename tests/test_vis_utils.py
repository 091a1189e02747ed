"""Visualisation helpers return figures, handle 1 and 3 channels, and never use pyplot."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from cs231n.validation import ShapeError
from cs231n.vis_utils import (
    activation_histograms,
    plot_history,
    show_filters,
    show_image_grid,
    visualize_grid,
)

rng = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before


@pytest.mark.parametrize("shape", [(5, 8, 6, 3), (5, 3, 8, 6), (5, 1, 8, 6), (5, 8, 6)])
def test_visualize_grid_layouts(shape):
    grid = visualize_grid(rng.standard_normal(shape), ubound=255.0, padding=1)
    c = 3 if 3 in shape[1:] else 1
    # 5 images -> a 3 x 3 grid of 8 x 6 tiles with 1-pixel padding
    assert grid.shape == (3 * 9 - 1, 3 * 7 - 1, c)
    assert grid.min() >= 0 and grid.max() == pytest.approx(255.0)


def test_visualize_grid_constant_image_and_errors():
    grid = visualize_grid(np.ones((1, 2, 2, 1)))
    assert np.all(grid == 0)
    with pytest.raises(ShapeError):
        visualize_grid(np.zeros((2, 5, 5, 5)))


@pytest.mark.parametrize("channels", [1, 3])
def test_show_image_grid(channels):
    X = rng.standard_normal((6, channels, 8, 8))
    fig = show_image_grid(X, labels=np.arange(6) % 2, class_names=["cat", "dog"])
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[:2] == ["cat", "dog"]


def test_show_filters_conv_and_affine():
    assert isinstance(show_filters(rng.standard_normal((8, 3, 5, 5))), Figure)
    assert isinstance(show_filters(rng.standard_normal((784, 10)), title="W1"), Figure)
    assert isinstance(show_filters(rng.standard_normal((3 * 64, 10))), Figure)
    assert isinstance(show_filters(rng.standard_normal((20, 4)), image_shape=(1, 4, 5)), Figure)
    with pytest.raises(ShapeError, match="image_shape"):
        show_filters(rng.standard_normal((20, 4)))


def test_plot_history_single_and_compare():
    hist = {
        "loss_history": list(np.linspace(2, 1, 50)),
        "train_acc_history": [0.1, 0.5, 0.7],
        "val_acc_history": [0.1, 0.4, 0.5],
    }
    fig = plot_history(hist, smooth=5)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    fig = plot_history({"sgd": hist, "adam": hist})
    assert len(fig.axes[1].get_lines()) == 4
    with pytest.raises(TypeError):
        plot_history(42)


def test_activation_histograms():
    acts = {f"layer {i}": rng.standard_normal(100) * i for i in range(1, 4)}
    fig = activation_histograms(acts)
    assert len(fig.axes) == 3 and "std" in fig.axes[0].get_title()
    assert len(activation_histograms([np.ones(3)]).axes) == 1

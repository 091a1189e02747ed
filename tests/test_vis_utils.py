"""Visualisation helpers return figures, handle 1 and 3 channels, and never use pyplot."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from cs231n.validation import ShapeError
from cs231n.vis_utils import (
    activation_histograms,
    batchnorm_graph,
    conv_windows,
    im2col_columns,
    im2col_diagram,
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


def test_activation_histograms_shared_range_keeps_narrow_bars_visible():
    acts = {"wide": rng.uniform(-1, 1, 500), "narrow": 1e-9 * rng.standard_normal(500)}
    fig = activation_histograms(acts, bins=21, range=(-1.05, 1.05))
    for ax in fig.axes:
        assert all(abs(p.get_width() - 0.1) < 1e-12 for p in ax.patches)  # 2.1 / 21
        assert ax.get_xlim()[0] < -1.05 < 1.05 < ax.get_xlim()[1]
    assert max(p.get_height() for p in fig.axes[1].patches) == 500  # one bar holds them all


def test_teaching_diagrams_are_figures():
    for fig in (batchnorm_graph(), conv_windows(), im2col_diagram()):
        assert isinstance(fig, Figure) and fig.axes
    assert len(conv_windows(positions=[(0, 0), (1, 1)]).axes) == 2
    with pytest.raises(ValueError, match="divisible by stride"):
        conv_windows(H=4, W=4, HH=3, WW=3, stride=2, pad=0)


def test_im2col_columns_make_the_convolution_one_product():
    x = rng.standard_normal((2, 5, 6))
    w = rng.standard_normal((4, 2, 3, 2))
    cols = im2col_columns(x, 3, 2, stride=1)
    assert cols.shape == (2 * 3 * 2, 3 * 5)
    loops = np.array(
        [
            [[np.sum(x[:, i : i + 3, j : j + 2] * w[f]) for j in range(5)] for i in range(3)]
            for f in range(4)
        ]
    )
    np.testing.assert_allclose((w.reshape(4, -1) @ cols).reshape(4, 3, 5), loops)
    strided = im2col_columns(x, 3, 2, stride=2)
    assert strided.shape == (12, 2 * 3)
    np.testing.assert_array_equal(strided[:, 0], x[:, 0:3, 0:2].ravel())

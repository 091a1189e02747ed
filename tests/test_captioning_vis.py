"""Captioning pictures: figures with the right panels, titles and colours; shape errors."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from cs231n.captioning_vis import show_attention, show_captions, show_positional_encoding
from cs231n.data.captioning import load_captioning_data
from cs231n.transformer_layers import positional_encoding
from cs231n.validation import ShapeError


@pytest.fixture(scope="module")
def data():
    return load_captioning_data()


def test_show_captions_titles_and_colours(data):
    refs = data["val_captions"][:6]
    said = refs[:, 1:].astype(np.int64).copy()
    said[1] = 0  # an empty caption for image 1
    fig = show_captions(data["val_images"][:6], said, data["idx_to_word"], refs, ncols=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 6
    titles = [ax.get_title() for ax in fig.axes]
    first = " ".join(data["idx_to_word"][i] for i in refs[0, 1:] if i > 2)
    assert titles[0] == f"{first}\ntrue: {first}"
    assert titles[1].startswith("(empty)\ntrue: ")
    colours = [ax.title.get_color() for ax in fig.axes]
    assert colours[0] == "tab:green" and colours[1] == "tab:red"


def test_show_attention_panels(data):
    att = np.array([[0.7, 0.1, 0.1, 0.1], [0.0, 1.0, 0.0, 0.0]])
    fig = show_attention(data["val_images"][0], att, ["bag", "<END>"])
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "<END>"
    with pytest.raises(ShapeError, match="rows \\* cols"):
        show_attention(data["val_images"][0], att, ["a", "b"], grid=(1, 2))
    with pytest.raises(ShapeError):
        show_attention(data["val_images"][0], att, ["a"])


def test_show_positional_encoding():
    fig = show_positional_encoding(positional_encoding(20, 16))
    assert len(fig.axes) == 3  # heat map, its colour bar, the curves


def test_show_captions_checks_shapes(data):
    with pytest.raises(ShapeError, match="one caption per image"):
        show_captions(data["val_images"][:3], np.zeros((2, 4), int), data["idx_to_word"])

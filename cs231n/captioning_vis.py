"""Pictures for the captioning and attention notebooks.

* :func:`show_captions` -- images with the generated caption above each one, and the
  reference caption below (green when the two agree word for word, red otherwise);
* :func:`show_attention` -- one panel per generated word: the image with each region
  shaded by how much attention the word paid to it;
* :func:`show_positional_encoding` -- the sinusoidal encoding as a heat map, and a few
  of its columns as curves.

Every function returns a matplotlib ``Figure`` (shown by Jupyter; nothing uses pyplot's
global state), like :mod:`cs231n.vis_utils`.
"""

from __future__ import annotations

import numpy as np

from cs231n.data.captioning import decode_captions
from cs231n.validation import ShapeError, check_array, fail
from cs231n.vis_utils import _new_figure

__all__ = ["show_attention", "show_captions", "show_positional_encoding"]


def _gray(image):
    """(C, H, W) or (H, W) image -> (H, W[, 3]) floats in [0, 1] for imshow."""
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 3:
        img = img[0] if img.shape[0] == 1 else img.transpose(1, 2, 0)
    lo, hi = float(img.min()), float(img.max())
    return (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)


def show_captions(images, captions, idx_to_word, references=None, ncols=4, max_images=16):
    """Images with their generated captions (and the references, when given).

    Parameters
    ----------
    images : ndarray of shape (N, C, H, W)
    captions : ndarray of shape (N, T), integer
        Generated word indices (as :meth:`CaptioningRNN.sample` returns them).
    idx_to_word : list of str
    references : ndarray of shape (N, T'), integer, optional
        Reference captions (with ``<START>``), shown on a second line; each title is
        green when the generated caption equals its reference word for word, red
        otherwise.
    ncols : int
    max_images : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_array(images, "show_captions: images", ndim=4, dims="(N, C, H, W)")
    check_array(captions, "show_captions: captions", ndim=2, dims="(N, T)", integer=True)
    if captions.shape[0] != images.shape[0]:
        fail(
            "show_captions: captions",
            f"one caption per image ({images.shape[0]})",
            f"{captions.shape[0]} captions",
            None,
            ShapeError,
        )
    n = min(images.shape[0], max_images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig = _new_figure(figsize=(2.6 * ncols, 2.9 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    said = decode_captions(captions[:n], idx_to_word)
    truth = None if references is None else decode_captions(references[:n], idx_to_word)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(_gray(images[k]), cmap="gray")
        title = said[k] or "(empty)"
        color = "black"
        if truth is not None:
            title += f"\ntrue: {truth[k]}"
            color = "tab:green" if said[k] == truth[k] else "tab:red"
        ax.set_title(title, fontsize=9, color=color)
    return fig


def show_attention(image, attention, words, grid=(2, 2)):
    """Where each generated word looked: one panel per word, regions shaded by attention.

    Parameters
    ----------
    image : ndarray of shape (C, H, W) or (H, W)
    attention : ndarray of shape (T, P)
        ``attention[t, r]``: the weight of region r when word t was predicted (e.g. one
        head of :meth:`CaptioningTransformer.attention_maps`, or their mean); rows sum
        to 1.
    words : list of str
        The T words (labels of the panels).
    grid : (rows, cols)
        How the P = rows * cols regions tile the image, in reading order.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_array(attention, "show_attention: attention", ndim=2, dims="(T, P)")
    T, P = attention.shape
    rows, cols = grid
    if rows * cols != P:
        fail(
            "show_attention: grid",
            f"rows * cols = P = {P} regions",
            f"grid {grid}",
            "pass the grid the features were cut into, e.g. (2, 2)",
            ShapeError,
        )
    if len(words) != T:
        fail(
            "show_attention: words",
            f"{T} words, one per row of attention",
            f"{len(words)}",
            None,
            ShapeError,
        )
    img = _gray(image)
    H, W = img.shape[:2]
    fig = _new_figure(figsize=(2.2 * T, 2.5))
    axes = fig.subplots(1, T, squeeze=False)[0]
    for t, ax in enumerate(axes):
        ax.imshow(img, cmap="gray")
        heat = np.kron(attention[t].reshape(rows, cols), np.ones((H // rows, W // cols)))
        ax.imshow(
            heat,
            cmap="inferno",
            alpha=0.55,
            vmin=0.0,
            vmax=1.0,
            extent=(-0.5, W - 0.5, H - 0.5, -0.5),
        )
        for r in range(P):
            i, j = divmod(r, cols)
            ax.text(
                (j + 0.5) * W / cols,
                (i + 0.5) * H / rows,
                f"{attention[t, r]:.2f}",
                ha="center",
                va="center",
                color="cyan",
                fontsize=8,
            )
        ax.set_title(words[t], fontsize=10)
        ax.axis("off")
    return fig


def show_positional_encoding(pe, columns=(0, 1, 4, 10)):
    """The positional encoding (T, E) as a heat map, and some columns as curves.

    Parameters
    ----------
    pe : ndarray of shape (T, E)
    columns : tuple of int
        Columns drawn as curves (even: sines, odd: cosines; higher: slower).

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_array(pe, "show_positional_encoding: pe", ndim=2, dims="(T, E)")
    T, E = pe.shape
    fig = _new_figure(figsize=(11, 3.5))
    left, right = fig.subplots(1, 2)
    im = left.imshow(pe, aspect="auto", cmap="RdBu", vmin=-1, vmax=1)
    left.set_xlabel("dimension")
    left.set_ylabel("position t")
    left.set_title("positional encoding")
    fig.colorbar(im, ax=left)
    for c in columns:
        if c < E:
            right.plot(np.arange(T), pe[:, c], label=f"column {c}")
    right.set_xlabel("position t")
    right.legend(fontsize=8)
    right.set_title("a few columns")
    return fig

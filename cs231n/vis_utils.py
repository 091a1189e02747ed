"""Visualisation helpers: image and filter grids, training curves, activation histograms.

Every plotting function builds and returns a :class:`matplotlib.figure.Figure` without
going through ``pyplot``: nothing is shown or kept open behind your back.  In a
notebook, make the figure the last expression of a cell (or call ``display(fig)``);
in a script, ``fig.savefig("curves.png")``.

Images may be NCHW (the package's layout) or NHWC, with 1 or 3 channels.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from cs231n.validation import ShapeError, check_array, fail

__all__ = [
    "activation_histograms",
    "plot_history",
    "show_filters",
    "show_image_grid",
    "to_nhwc",
    "visualize_grid",
]


def _new_figure(**kwargs) -> Figure:
    """A pyplot-free Figure that an IPython kernel displays as a picture.

    matplotlib-inline registers its PNG formatter only once pyplot draws its first figure,
    so a Figure returned before that would show as ``<Figure size ...>`` text.  When
    running under IPython without such a formatter, register one.
    """
    fig = Figure(layout="constrained", **kwargs)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to display
        return fig
    shell = get_ipython()
    if shell is not None:
        png = shell.display_formatter.formatters["image/png"]
        try:
            png.lookup_by_type(Figure)
        except KeyError:
            from IPython.core.pylabtools import print_figure

            png.for_type(Figure, lambda f: print_figure(f, "png", bbox_inches="tight"))
    return fig


def to_nhwc(X, name="X"):
    """Return images as (N, H, W, C).

    Accepts (N, H, W) (grayscale), (N, H, W, C) or (N, C, H, W) with C in {1, 3}.  A
    4-D array whose last axis is 1 or 3 is taken as NHWC, otherwise as NCHW.
    """
    X = np.asarray(X)
    if X.ndim == 3:
        return X[..., None]
    if X.ndim != 4:
        fail(
            name,
            "images of shape (N, C, H, W), (N, H, W, C) or (N, H, W)",
            f"shape {X.shape}",
            None,
            ShapeError,
        )
    if X.shape[-1] in (1, 3):
        return X
    if X.shape[1] in (1, 3):
        return X.transpose(0, 2, 3, 1)
    fail(
        name,
        "1 or 3 channels, on axis 1 (NCHW) or axis 3 (NHWC)",
        f"shape {X.shape}",
        "pass images, or reshape weights to (F, C, HH, WW) first",
        ShapeError,
    )


def visualize_grid(Xs, ubound=255.0, padding=1):
    """Tile a batch of images into one image, each rescaled to [0, ubound].

    Parameters
    ----------
    Xs : ndarray of shape (N, H, W, C) or (N, C, H, W)
        Images, with C = 1 or 3.
    ubound : float
        Upper bound of the output range (255 for uint8-like display, 1 for floats).
    padding : int
        Pixels of blank space between neighbouring images.

    Returns
    -------
    grid : ndarray of shape (G*(H+padding)-padding, G*(W+padding)-padding, C)
        With G = ceil(sqrt(N)); each image is min-max scaled on its own.
    """
    Xs = to_nhwc(Xs, "visualize_grid: Xs").astype(np.float64)
    n, h, w, c = Xs.shape
    size = math.ceil(math.sqrt(n))
    grid = np.zeros((size * (h + padding) - padding, size * (w + padding) - padding, c))
    for idx in range(n):
        r, col = divmod(idx, size)
        img = Xs[idx]
        lo, hi = img.min(), img.max()
        scaled = ubound * (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
        y0, x0 = r * (h + padding), col * (w + padding)
        grid[y0 : y0 + h, x0 : x0 + w] = scaled
    return grid


def _imshow(ax, img):
    """Show an (H, W, C) image in [0, 1] on ``ax`` (gray for one channel)."""
    if img.shape[-1] == 1:
        ax.imshow(img[..., 0], cmap="gray", vmin=0.0, vmax=1.0)
    else:
        ax.imshow(np.clip(img, 0.0, 1.0))
    ax.axis("off")


def show_image_grid(X, labels=None, class_names=None, ncols=None, max_images=64):
    """A figure with one panel per image, titled by its label.

    Parameters
    ----------
    X : ndarray of shape (N, C, H, W) or (N, H, W, C)
        Images (any range: each is min-max scaled for display).
    labels : ndarray of shape (N,), optional
        Integer labels used as titles.
    class_names : sequence of str, optional
        Names of the classes, to title panels by name instead of number.
    ncols : int, optional
        Panels per row (default: about square).
    max_images : int
        Show at most this many.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    X = to_nhwc(X, "show_image_grid: X")[:max_images].astype(np.float64)
    n = X.shape[0]
    if labels is not None and len(labels) < n:
        fail("show_image_grid: labels", f"at least {n} labels", f"{len(labels)}", None, ShapeError)
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = max(1, math.ceil(n / ncols))
    fig = _new_figure(figsize=(1.4 * ncols, 1.5 * nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        if i >= n:
            ax.axis("off")
            continue
        img = X[i]
        lo, hi = img.min(), img.max()
        _imshow(ax, (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img))
        if labels is not None:
            lab = int(labels[i])
            title = class_names[lab] if class_names is not None else str(lab)
            ax.set_title(title, fontsize=8)
    return fig


def show_filters(W, image_shape=None, title=None):
    """A figure of a filter bank or of first-layer weights as images.

    Parameters
    ----------
    W : ndarray of shape (F, C, HH, WW) or (D, M)
        Conv filters, or the first affine weight of a net (one column per hidden unit).
    image_shape : tuple (C, H, W), optional
        How to read a column of a 2-D ``W`` as an image.  Default: (1, s, s) if D is a
        square s*s, or (3, s, s) if D = 3*s*s.
    title : str, optional
        Figure title.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    check_array(W, "show_filters: W", ndim=(2, 4), dims="(F, C, HH, WW) or (D, M)")
    if W.ndim == 2:
        d, m = W.shape
        if image_shape is None:
            s1, s3 = math.isqrt(d), math.isqrt(d // 3) if d % 3 == 0 else -1
            if s1 * s1 == d:
                image_shape = (1, s1, s1)
            elif s3 * s3 * 3 == d:
                image_shape = (3, s3, s3)
            else:
                fail(
                    "show_filters: W",
                    "D = s*s or 3*s*s so that a column is a square image",
                    f"D = {d}",
                    "pass image_shape=(C, H, W)",
                    ShapeError,
                )
        if int(np.prod(image_shape)) != d:
            fail(
                "show_filters: image_shape",
                f"C*H*W = D = {d}",
                f"{tuple(image_shape)}",
                None,
                ShapeError,
            )
        W = W.T.reshape(m, *image_shape)
    grid = visualize_grid(W.transpose(0, 2, 3, 1), ubound=1.0, padding=1)
    side = 6.0
    fig = _new_figure(figsize=(side, side * grid.shape[0] / grid.shape[1]))
    ax = fig.add_subplot()
    _imshow(ax, grid)
    if title:
        ax.set_title(title)
    return fig


def _histories(source):
    """(loss_history, train_acc_history, val_acc_history) of a Solver or a dict."""
    keys = ("loss_history", "train_acc_history", "val_acc_history")
    if isinstance(source, dict) and all(k in source for k in keys):
        return tuple(np.asarray(source[k], dtype=float) for k in keys)
    if all(hasattr(source, k) for k in keys):
        return tuple(np.asarray(getattr(source, k), dtype=float) for k in keys)
    fail(
        "plot_history",
        "a Solver, a dict with loss_history, train_acc_history and val_acc_history, "
        "or a dict label -> one of those",
        type(source).__name__,
        None,
        TypeError,
    )


def plot_history(source, smooth=None):
    """Training curves: loss per iteration, train and val accuracy per epoch.

    Parameters
    ----------
    source : Solver or dict
        A trained Solver, a dict of histories (``loss_history``, ``train_acc_history``,
        ``val_acc_history``), or a dict ``label -> Solver`` to compare several runs.
    smooth : int, optional
        Also draw a moving average of the loss over this many iterations.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two panels: loss, and accuracy.
    """
    keys = ("loss_history", "train_acc_history", "val_acc_history")
    if isinstance(source, dict) and not all(k in source for k in keys):
        runs = {str(k): _histories(v) for k, v in source.items()}
    else:
        runs = {"": _histories(source)}
    fig = _new_figure(figsize=(11, 4))
    ax_loss, ax_acc = fig.subplots(1, 2)
    for label, (loss, train_acc, val_acc) in runs.items():
        prefix = f"{label} " if label else ""
        (line,) = ax_loss.plot(loss, ".", markersize=2, alpha=0.5, label=f"{prefix}loss".strip())
        if smooth and len(loss) >= smooth:
            avg = np.convolve(loss, np.ones(smooth) / smooth, mode="valid")
            ax_loss.plot(np.arange(smooth - 1, len(loss)), avg, color=line.get_color())
        epochs = np.arange(len(train_acc))
        ax_acc.plot(epochs, train_acc, "-o", markersize=3, label=f"{prefix}train")
        ax_acc.plot(epochs, val_acc, "--s", markersize=3, label=f"{prefix}val")
    ax_loss.set(title="Training loss", xlabel="iteration", ylabel="loss")
    ax_acc.set(title="Accuracy", xlabel="check (start, then each epoch)", ylabel="accuracy")
    ax_acc.legend(fontsize=8)
    if len(runs) > 1:
        ax_loss.legend(fontsize=8, markerscale=4)
    return fig


def activation_histograms(activations, bins=50, range=None):
    """One histogram per layer of a dict or list of activation arrays.

    Parameters
    ----------
    activations : dict name -> ndarray, or list of ndarray
        E.g. the hidden activations of each layer of a deep net on one batch.
    bins : int
        Histogram bins.
    range : (float, float) or None
        One bin range and x-axis for every panel, so that panels compare at a glance:
        every bar is ``(hi - lo) / bins`` wide, and a distribution much narrower than the
        range still shows as one visible bar.  Values outside it are counted in the end
        bins.  None: each panel bins its own data.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per layer, titled with the mean and standard deviation.
    """
    if isinstance(activations, dict):
        items = list(activations.items())
    elif isinstance(activations, (list, tuple)):
        items = [(f"layer {i + 1}", a) for i, a in enumerate(activations)]
    else:
        fail(
            "activation_histograms",
            "a dict name -> array or a list of arrays",
            type(activations).__name__,
            None,
            TypeError,
        )
    if not items:
        fail("activation_histograms", "at least one array", "none", None, ValueError)
    n = len(items)
    fig = _new_figure(figsize=(2.6 * n, 2.6))
    axes = np.atleast_1d(fig.subplots(1, n, squeeze=False)).ravel()
    for ax, (name, a) in zip(axes, items):
        a = np.asarray(a, dtype=np.float64).ravel()
        if range is None:
            ax.hist(a, bins=bins, color="tab:blue")
        else:
            lo, hi = float(range[0]), float(range[1])
            ax.hist(np.clip(a, lo, hi), bins=bins, range=(lo, hi), color="tab:blue")
            ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
        ax.set_title(f"{name}\nmean {a.mean():.3g}, std {a.std():.3g}", fontsize=8)
        ax.tick_params(labelsize=7)
    return fig

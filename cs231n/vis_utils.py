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
    "batchnorm_graph",
    "conv_windows",
    "im2col_columns",
    "im2col_diagram",
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


# --------------------------------------------------------------------------- teaching diagrams


def _box(ax, xy, text, color="white", fontsize=9, width=1.5, height=0.55):
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.05",
            facecolor=color,
            edgecolor="black",
            lw=1,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, color="black", lw=1.2, rad=0.0, gap=0.8):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle="-|>",
            color=color,
            lw=lw,
            shrinkA=gap,
            shrinkB=gap,
            connectionstyle=f"arc3,rad={rad}",
        ),
    )


def batchnorm_graph():
    """The computational graph of the batchnorm forward pass, one node per step.

    The three ways in which ``x`` reaches ``x_hat`` are coloured: directly (through
    ``x - mu``), through the mean ``mu``, and through the variance.  Where a value feeds
    two nodes (``x`` and ``x - mu``), the backward pass adds the two gradients.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    fig = _new_figure(figsize=(12, 3.6))
    ax = fig.add_subplot()
    nodes = {
        "x": ((0.0, 1.5), "x\n(N, D)"),
        "mu": ((2.0, 2.7), "mu = mean of x\nover the batch (D,)"),
        "xc": ((4.0, 1.5), "xc = x - mu\n(N, D)"),
        "sq": ((5.6, 0.3), "xc ** 2"),
        "var": ((7.4, 0.3), "var = mean\nover the batch (D,)"),
        "std": ((9.2, 0.3), "std =\nsqrt(var + eps)"),
        "xhat": ((9.2, 1.5), "x_hat = xc / std\n(N, D)"),
        "gx": ((11.2, 1.5), "gamma * x_hat"),
        "y": ((13.2, 1.5), "y = ... + beta\n(N, D)"),
        "gamma": ((11.2, 2.7), "gamma (D,)"),
        "beta": ((13.2, 2.7), "beta (D,)"),
    }
    colors = {"x": "#dddddd", "mu": "#cfe2ff", "var": "#ffe0b3", "std": "#ffe0b3", "sq": "#ffe0b3"}
    for key, (xy, text) in nodes.items():
        _box(ax, xy, text, color=colors.get(key, "white"), width=1.55)
    direct, mean_path, var_path = "tab:red", "tab:blue", "tab:orange"
    edges = [
        ("x", "xc", direct),
        ("x", "mu", mean_path),
        ("mu", "xc", mean_path),
        ("xc", "sq", var_path),
        ("sq", "var", var_path),
        ("var", "std", var_path),
        ("std", "xhat", var_path),
        ("xc", "xhat", direct),
        ("xhat", "gx", "black"),
        ("gamma", "gx", "black"),
        ("gx", "y", "black"),
        ("beta", "y", "black"),
    ]
    half_w, half_h = 1.55 / 2 + 0.07, 0.55 / 2 + 0.07  # a box and its rounded padding

    def border(frm, to):  # where the segment from the centre frm to to leaves frm's box
        dx, dy = to[0] - frm[0], to[1] - frm[1]
        t = min(half_w / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf)
        return frm[0] + t * dx, frm[1] + t * dy

    for a, b, color in edges:
        (pa, _), (pb, _) = nodes[a], nodes[b]
        _arrow(ax, border(pa, pb), border(pb, pa), color=color, lw=1.8 if color != "black" else 1.2)
    ax.text(0.0, -0.55, "paths from x to x_hat:", fontsize=9, ha="left")
    for k, (label, color) in enumerate(
        [("direct", direct), ("through the mean", mean_path), ("through the variance", var_path)]
    ):
        ax.text(2.2 + 2.3 * k, -0.55, "--- " + label, color=color, fontsize=9, ha="left")
    ax.text(
        0.0,
        3.45,
        "Forward: left to right. Backward: right to left; x and xc each feed two nodes, "
        "so their gradients are sums of two terms.",
        fontsize=9,
        ha="left",
    )
    ax.set_xlim(-0.9, 14.1)
    ax.set_ylim(-0.9, 3.7)
    ax.axis("off")
    return fig


def _grid(ax, x0, y0, rows, cols, fill=None, labels=None, fontsize=7):
    """A rows x cols grid of unit cells with its top-left corner at (x0, y0), y pointing down."""
    from matplotlib.patches import Rectangle

    for i in range(rows):
        for j in range(cols):
            color = "white" if fill is None else fill(i, j)
            ax.add_patch(
                Rectangle((x0 + j, y0 + i), 1, 1, facecolor=color, edgecolor="gray", lw=0.6)
            )
            if labels is not None:
                ax.text(
                    x0 + j + 0.5,
                    y0 + i + 0.5,
                    labels(i, j),
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                )


def conv_windows(H=5, W=5, HH=3, WW=3, stride=2, pad=1, positions=None):
    """Where a filter's window sits on the padded input for a few output positions.

    Parameters
    ----------
    H, W : int
        Input height and width (before padding).
    HH, WW : int
        Filter height and width.
    stride, pad : int
        As in ``conv_param``.
    positions : list of (i, j), optional
        Output positions to draw (default: the first three of the top row and the last one).

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per output position: the padded input (padding grey) with the window,
        and the output grid with the element that window computes.
    """
    from matplotlib.patches import Rectangle

    Hp, Wp = H + 2 * pad, W + 2 * pad
    if (Hp - HH) % stride or (Wp - WW) % stride:
        fail(
            "conv_windows",
            "sizes with (H + 2 pad - HH) and (W + 2 pad - WW) divisible by stride",
            f"H={H}, W={W}, HH={HH}, WW={WW}, stride={stride}, pad={pad}",
            None,
            ValueError,
        )
    Ho, Wo = 1 + (Hp - HH) // stride, 1 + (Wp - WW) // stride
    if positions is None:
        positions = [(0, j) for j in range(min(Wo, 3))] + [(Ho - 1, Wo - 1)]
    fig = _new_figure(figsize=(3.3 * len(positions), 3.0))
    axes = np.atleast_1d(fig.subplots(1, len(positions), squeeze=False)).ravel()
    for ax, (i, j) in zip(axes, positions):

        def pad_fill(r, c):
            inside = pad <= r < pad + H and pad <= c < pad + W
            return "white" if inside else "#e6e6e6"

        _grid(ax, 0, 0, Hp, Wp, fill=pad_fill)
        ax.add_patch(
            Rectangle((j * stride, i * stride), WW, HH, fill=False, edgecolor="tab:red", lw=2.5)
        )
        x0 = Wp + 1.5
        _grid(
            ax,
            x0,
            (Hp - Ho) / 2,
            Ho,
            Wo,
            fill=lambda r, c, i=i, j=j: "tab:red" if (r, c) == (i, j) else "white",
        )
        ax.annotate(
            "",
            xy=(x0 + j + 0.5, (Hp - Ho) / 2 + i + 0.5),
            xytext=(j * stride + WW, i * stride + HH / 2),
            arrowprops=dict(arrowstyle="->", color="tab:red", lw=1),
        )
        ax.set_title(
            f"out[..., {i}, {j}]: rows {i * stride}-{i * stride + HH - 1}, "
            f"cols {j * stride}-{j * stride + WW - 1}",
            fontsize=8,
        )
        ax.set_xlim(-0.5, x0 + Wo + 0.5)
        ax.set_ylim(Hp + 0.5, -0.5)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.suptitle(
        f"input {H}x{W} padded by {pad} (grey), filter {HH}x{WW}, stride {stride} "
        f"-> output {Ho}x{Wo}",
        fontsize=9,
    )
    return fig


def im2col_columns(x, HH, WW, stride=1):
    """The im2col matrix of one image: one column per window, in row-major window order.

    Parameters
    ----------
    x : ndarray of shape (C, H, W)
        One (already padded) image.
    HH, WW, stride : int
        Window size and stride.

    Returns
    -------
    cols : ndarray of shape (C * HH * WW, H' * W')
        Column ``k`` holds the window of output position ``divmod(k, W')``, flattened in
        the order ``(c, row, col)``, the order of a filter ``w[f].ravel()``.
    """
    check_array(x, "im2col_columns: x", ndim=3, dims="(C, H, W)")
    windows = np.lib.stride_tricks.sliding_window_view(x, (HH, WW), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]  # (C, H', W', HH, WW)
    C, Ho, Wo = windows.shape[:3]
    return windows.transpose(0, 3, 4, 1, 2).reshape(C * HH * WW, Ho * Wo)


def im2col_diagram(C=2, H=3, W=3, HH=2, WW=2, stride=1):
    """im2col on a small example: every window of the input becomes one column.

    The input's elements are numbered; each window has a colour, and its column in the
    matrix has the same colour and the same numbers, so elements shared by overlapping
    windows appear in several columns.  The convolution is then one matrix product of
    the filters, one row ``w[f].ravel()`` per filter, with this matrix.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from matplotlib.patches import Rectangle

    x = np.arange(C * H * W).reshape(C, H, W)
    cols = im2col_columns(x, HH, WW, stride)
    Ho, Wo = 1 + (H - HH) // stride, 1 + (W - WW) // stride
    palette = [
        "tab:red",
        "tab:blue",
        "tab:green",
        "tab:orange",
        "tab:purple",
        "tab:brown",
        "tab:pink",
        "tab:olive",
        "tab:cyan",
    ]
    fig = _new_figure(figsize=(9, 4.4))
    ax = fig.add_subplot()
    for c in range(C):
        x0 = c * (W + 1)
        _grid(ax, x0, 0, H, W, labels=lambda i, j, c=c: str(x[c, i, j]), fontsize=9)
        ax.text(x0 + W / 2, -0.4, f"channel {c}", ha="center", fontsize=9)
        for k in range(Ho * Wo):
            i, j = divmod(k, Wo)
            inset = 0.06 * (k + 1)
            ax.add_patch(
                Rectangle(
                    (x0 + j * stride + inset, i * stride + inset),
                    WW - 2 * inset,
                    HH - 2 * inset,
                    fill=False,
                    edgecolor=palette[k % len(palette)],
                    lw=2,
                )
            )
    x_cols = C * (W + 1) + 2.5
    rows, ncols = cols.shape
    _grid(ax, x_cols, 0, rows, ncols, labels=lambda i, j: str(cols[i, j]), fontsize=9)
    for k in range(ncols):
        ax.add_patch(
            Rectangle(
                (x_cols + k, 0), 1, rows, fill=False, edgecolor=palette[k % len(palette)], lw=2.5
            )
        )
    ax.text(
        x_cols + ncols / 2,
        -0.4,
        f"columns ({rows}, {ncols}) = (C*HH*WW, H'*W')",
        ha="center",
        fontsize=9,
    )
    ax.annotate(
        "",
        xy=(x_cols - 0.3, H / 2),
        xytext=(C * (W + 1) - 0.5, H / 2),
        arrowprops=dict(arrowstyle="-|>", lw=1.5),
    )
    ax.text(
        0,
        max(H, rows) + 1.2,
        f"out[f] = w[f].ravel() @ columns: each filter ({C}*{HH}*{WW} values) times one "
        "column per output position.\n"
        f"{Ho * Wo} windows give {cols.size} entries for {x.size} input values: overlapping "
        "windows repeat them.",
        fontsize=9,
    )
    ax.set_xlim(-0.5, x_cols + ncols + 0.5)
    ax.set_ylim(max(H, rows) + 1.6, -1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig

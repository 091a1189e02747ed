"""A small Vision Transformer (ViT) classifier for images such as Fashion-MNIST.

::

    patches  = image cut into P = (H / p) * (W / p) squares of p x p pixels   (N, P, C*p*p)
    tokens   = [cls ; patches @ W_patch + b_patch] + pos_embed              (N, 1 + P, E)
    tokens   = encoder block (self-attention, MLP; pre-norm) x L
    scores   = layernorm(tokens[:, 0]) @ W_head + b_head                    (N, C)

The model follows the Solver's contract (``params``, ``loss(X, y=None)``), so it trains
with :class:`cs231n.solver.Solver` like the other classifiers.  There is no
regularization term.
"""

from __future__ import annotations

import numbers

import numpy as np

from cs231n.initializers import make_rng
from cs231n.layers.losses import softmax_loss
from cs231n.layers.normalization import layernorm_backward, layernorm_forward
from cs231n.rnn_layers import temporal_affine_backward, temporal_affine_forward
from cs231n.transformer_layers import (
    init_encoder_block,
    subdict,
    transformer_encoder_block_backward,
    transformer_encoder_block_forward,
)
from cs231n.validation import ConfigError, ShapeError, check_array, check_labels, fail

__all__ = ["VisionTransformer", "patchify", "unpatchify", "vision_transformer_inputs"]


def patchify(X, patch_size):
    """Cut images into non-overlapping square patches, in reading order.

    Parameters
    ----------
    X : ndarray of shape (N, C, H, W)
    patch_size : int
        p, a divisor of H and W.

    Returns
    -------
    patches : ndarray of shape (N, (H / p) * (W / p), C * p * p)
    """
    N, C, H, W = X.shape
    p = patch_size
    x = X.reshape(N, C, H // p, p, W // p, p).transpose(0, 2, 4, 1, 3, 5)
    return x.reshape(N, (H // p) * (W // p), C * p * p)


def unpatchify(patches, shape, patch_size):
    """Inverse of :func:`patchify`: patches (N, P, C*p*p) back to images of ``shape``."""
    N, C, H, W = shape
    p = patch_size
    x = patches.reshape(N, H // p, W // p, C, p, p).transpose(0, 3, 1, 4, 2, 5)
    return x.reshape(shape)


def vision_transformer_inputs(
    input_dim, patch_size, embed_dim, num_heads, num_layers, mlp_ratio, num_classes
):
    """Check the arguments of :class:`VisionTransformer`; return the image size.

    Parameters
    ----------
    input_dim, patch_size, embed_dim, num_heads, num_layers, mlp_ratio, num_classes
        As in :class:`VisionTransformer`.

    Returns
    -------
    C, H, W : int
        The shape of an input image.

    Raises
    ------
    ConfigError
        Saying which argument is wrong, what it should be, and what was passed.
    """
    name = "VisionTransformer"
    if not (
        isinstance(input_dim, (tuple, list))
        and len(input_dim) == 3
        and all(isinstance(d, numbers.Integral) and d > 0 for d in input_dim)
    ):
        fail(
            f"{name}: input_dim",
            "a tuple (C, H, W) of positive ints",
            repr(input_dim),
            None,
            ConfigError,
        )
    C, H, W = (int(d) for d in input_dim)
    for value, what in (
        (patch_size, "patch_size"),
        (embed_dim, "embed_dim"),
        (num_heads, "num_heads"),
        (num_layers, "num_layers"),
        (mlp_ratio, "mlp_ratio"),
        (num_classes, "num_classes"),
    ):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            fail(f"{name}: {what}", "a positive int", repr(value), None, ConfigError)
    if H % patch_size or W % patch_size:
        fail(
            f"{name}: patch_size",
            f"a divisor of H = {H} and W = {W}",
            repr(patch_size),
            "use 4, 7 or 14 for 28x28 images",
            ConfigError,
        )
    if embed_dim % num_heads:
        fail(
            f"{name}: num_heads",
            f"a divisor of embed_dim = {embed_dim}",
            repr(num_heads),
            None,
            ConfigError,
        )
    return C, H, W


class VisionTransformer:
    """A Vision Transformer classifier: patch embedding, a class token, encoder blocks.

    Parameters
    ----------
    input_dim : tuple (C, H, W)
    patch_size : int
        p; H and W must be multiples of it.
    embed_dim : int
        E.
    num_heads : int
        A divisor of E.
    num_layers : int
        Encoder blocks.
    mlp_ratio : int
        MLP width as a multiple of E.
    num_classes : int
    dtype : numpy dtype
    seed : int, optional
        Seed of the initial weights (None: numpy's global state, ``np.random.seed``).

    Attributes
    ----------
    params : dict
        ``W_patch`` (C*p*p, E), ``b_patch`` (E,), ``cls`` (E,), ``pos_embed`` (1 + P, E),
        ``enc{i}_*`` per block, ``ln_gamma``, ``ln_beta``, ``W_head`` (E, C),
        ``b_head`` (C,).
    """

    def __init__(
        self,
        input_dim=(1, 28, 28),
        patch_size=7,
        embed_dim=64,
        num_heads=4,
        num_layers=2,
        mlp_ratio=2,
        num_classes=10,
        dtype=np.float32,
        seed=None,
    ):
        C, H, W = vision_transformer_inputs(
            input_dim, patch_size, embed_dim, num_heads, num_layers, mlp_ratio, num_classes
        )
        self.input_dim = (C, H, W)
        self.patch_size = int(patch_size)
        self.num_heads = int(num_heads)
        self.num_layers = int(num_layers)
        self.num_classes = int(num_classes)
        self.dtype = dtype
        P = (H // patch_size) * (W // patch_size)
        E = int(embed_dim)
        K = C * patch_size * patch_size
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        p = {}
        # TODO(a3_vision_transformer): patch embedding, class token, learned positions,
        # one encoder block per layer, final layer norm, classification head.
        ### BEGIN SOLUTION
        p["W_patch"] = rng.standard_normal((K, E)) / np.sqrt(K)
        p["b_patch"] = np.zeros(E)
        p["cls"] = rng.standard_normal(E) * 0.02
        p["pos_embed"] = rng.standard_normal((1 + P, E)) * 0.02
        for i in range(self.num_layers):
            for k, v in init_encoder_block(E, mlp_ratio * E, rng).items():
                p[f"enc{i}_{k}"] = v
        p["ln_gamma"] = np.ones(E)
        p["ln_beta"] = np.zeros(E)
        p["W_head"] = rng.standard_normal((E, num_classes)) / np.sqrt(E)
        p["b_head"] = np.zeros(num_classes)
        ### END SOLUTION
        self.params = {k: v.astype(dtype) for k, v in p.items()}

    def _forward(self, X):
        p = self.params
        # TODO(a3_vision_transformer): patches, their embedding, the class token in front,
        # positions, the encoder blocks, layer norm of the class token, the head.
        ### BEGIN SOLUTION
        patches = patchify(X, self.patch_size)
        emb, c_patch = temporal_affine_forward(patches, p["W_patch"], p["b_patch"])
        N, _, E = emb.shape
        cls = np.broadcast_to(p["cls"], (N, 1, E))
        x = np.concatenate([cls, emb], axis=1) + p["pos_embed"]
        caches = []
        for i in range(self.num_layers):
            x, c = transformer_encoder_block_forward(x, subdict(p, f"enc{i}_"), self.num_heads)
            caches.append(c)
        y, c_ln = layernorm_forward(x[:, 0], p["ln_gamma"], p["ln_beta"], {})
        scores = y @ p["W_head"] + p["b_head"]
        ### END SOLUTION
        return scores, (c_patch, caches, c_ln, y, x.shape)

    def loss(self, X, y=None):
        """Scores, or the softmax loss and its gradients, on a minibatch of images.

        Parameters
        ----------
        X : ndarray of shape (N, C, H, W)
        y : ndarray of shape (N,), int, optional

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            When ``y`` is None.
        loss, grads : float, dict
            Otherwise.
        """
        check_array(X, "VisionTransformer.loss: X", ndim=4, dims="(N, C, H, W)", floating=True)
        if X.shape[1:] != self.input_dim:
            fail(
                "VisionTransformer.loss: X",
                f"images of shape (N, {', '.join(map(str, self.input_dim))})",
                f"shape {X.shape}",
                "build the model with input_dim = X.shape[1:]",
                ShapeError,
            )
        if y is not None:
            check_labels(y, "VisionTransformer.loss: y", X.shape[0], self.num_classes)
        X = X.astype(self.dtype, copy=False)
        # TODO(a3_vision_transformer): forward to the scores; then the softmax loss and
        # every backward; the class token's gradient is the sum over the batch.
        ### BEGIN SOLUTION
        scores, (c_patch, caches, c_ln, ycls, shape) = self._forward(X)
        if y is None:
            return scores
        p = self.params
        loss, dscores = softmax_loss(scores, y)
        grads = {"W_head": ycls.T @ dscores, "b_head": dscores.sum(axis=0)}
        dy = dscores @ p["W_head"].T
        dcls_row, grads["ln_gamma"], grads["ln_beta"] = layernorm_backward(dy, c_ln)
        dx = np.zeros(shape, dtype=dscores.dtype)
        dx[:, 0] = dcls_row
        for i in range(self.num_layers - 1, -1, -1):
            dx, dblock = transformer_encoder_block_backward(dx, caches[i])
            grads.update({f"enc{i}_{k}": v for k, v in dblock.items()})
        grads["pos_embed"] = dx.sum(axis=0)
        grads["cls"] = dx[:, 0].sum(axis=0)
        _, grads["W_patch"], grads["b_patch"] = temporal_affine_backward(dx[:, 1:], c_patch)
        ### END SOLUTION
        return float(loss), {k: grads[k] for k in p}

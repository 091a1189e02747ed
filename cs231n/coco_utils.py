"""CS231n's ``coco_utils`` names, on top of :mod:`cs231n.data.captioning`.

``load_coco_data``, ``decode_captions`` and ``sample_coco_minibatch`` keep CS231n's
signatures, so its captioning code runs unchanged; ``load_coco_data`` reads the real COCO
features (downloaded once, see :mod:`cs231n.data.coco`).  For the offline set use
:func:`cs231n.data.captioning.load_captioning_data`, which returns the same layout.
"""

from __future__ import annotations

import numpy as np

from cs231n.data.captioning import decode_captions, load_captioning_data

__all__ = ["decode_captions", "load_coco_data", "sample_coco_minibatch"]


def load_coco_data(base_dir=None, max_train=None, pca_features=True, seed=0, download=True):
    """CS231n's COCO captioning data (see :func:`cs231n.data.coco.load`).

    Parameters
    ----------
    base_dir : path, optional
        A folder holding ``coco_captioning/`` (or its files); default the kit's data
        cache (``$CS231N_DATA_DIR`` or ``~/.cache/cs231n``).
    max_train : int, optional
        Keep a random subset of this many training captions.
    pca_features : bool
        The 512-dimensional PCA features (True) or the 4,096 fc7 features.
    seed : int
        Seed of the ``max_train`` subset.
    download : bool
        Download the archive (about 1 GB) when it is missing.
    """
    return load_captioning_data(
        "coco",
        data_dir=base_dir,
        max_train=max_train,
        pca_features=pca_features,
        seed=seed,
        download=download,
    )


def sample_coco_minibatch(data, batch_size=100, split="train", rng=None):
    """A random minibatch ``(captions, image_features, urls)``, as in CS231n.

    ``urls`` is None when the data has no image URLs (the offline set has none).
    """
    rng = np.random.default_rng() if rng is None else rng
    n = data[f"{split}_captions"].shape[0]
    mask = rng.choice(n, batch_size)
    captions = data[f"{split}_captions"][mask]
    image_idxs = data[f"{split}_image_idxs"][mask]
    features = data[f"{split}_features"][image_idxs]
    urls = data[f"{split}_urls"][image_idxs] if f"{split}_urls" in data else None
    return captions, features, urls

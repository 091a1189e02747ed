"""Captioning data: an offline set made from the embedded default, and CS231n's COCO features.

``load_captioning_data()`` returns a dict in the layout of CS231n's ``load_coco_data``
(``train_captions``, ``train_image_idxs``, ``train_features``, ``val_*``,
``idx_to_word``, ``word_to_idx``), so the same captioning code runs on both sets.

**The offline set ("default").**  Each image is a 56x56 greyscale canvas cut into four
28x28 cells, read like a page: top-left, top-right, bottom-left, bottom-right.  Two to
four cells hold a Fashion-MNIST item, the others stay black.  The caption names the
items in reading order::

    <START> trouser bag sneaker <END> <NULL>

Everything is derived deterministically (from ``seed``) from the embedded Fashion-MNIST
subset of :func:`cs231n.data.load_dataset`: the training images use only items of its
training split, validation and test images only items of its validation and test
splits, so the three splits never share an item.  Within a split the items are dealt
out in random passes over its pool (each item once per pass), so a larger set shows the
same items again, in other cells and other company.

The image features are what a notebook can explain in two sentences: every cell is
described by its first 32 principal components (PCA fitted on the 10,000 training items
alone, whitened so that each component has unit variance over them), and the four cell
descriptions are concatenated in reading order, giving 4 x 32 = 128 numbers per image.
``features.reshape(N, 4, 32)`` gives one feature vector per cell (a "region"), which is
what an attention model looks at.

**COCO.**  ``load_captioning_data("coco")`` reads CS231n's HDF5 files
(``coco2014_captions.h5``, ``train2014_vgg16_fc7.h5`` / ``..._pca.h5``, vocabulary JSON,
image URLs) from :mod:`cs231n.data.coco`, downloading them once (about 1 GB).
"""

from __future__ import annotations

import numpy as np

from cs231n.validation import ConfigError, fail

__all__ = [
    "CELL",
    "GRID",
    "NUM_PCA",
    "SPECIAL_TOKENS",
    "WORDS",
    "decode_captions",
    "load_captioning_data",
    "make_captioning_set",
    "sample_minibatch",
]

#: Vocabulary of the offline set after the special tokens, one word per class.
WORDS = (
    "tshirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "boot",
)
#: ``<NULL>`` (padding) is always index 0, as in CS231n.
SPECIAL_TOKENS = ("<NULL>", "<START>", "<END>", "<UNK>")
GRID = 2  # cells per side
CELL = 28  # pixels per cell side
NUM_PCA = 32  # principal components per cell
MAX_ITEMS = GRID * GRID
CAPTION_LENGTH = MAX_ITEMS + 2  # <START>, up to four words, <END>
MAX_IMAGES = 100_000

_CACHE: dict = {}
_BASE: dict = {}


def _vocabulary():
    idx_to_word = list(SPECIAL_TOKENS) + list(WORDS)
    return idx_to_word, {w: i for i, w in enumerate(idx_to_word)}


def _pca_basis(items):
    """Mean (784,) and whitened basis (784, NUM_PCA) of the training items in [0, 1]."""
    X = items.reshape(len(items), -1).astype(np.float64) / 255.0
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T @ Xc / len(X)  # (784, 784)
    eigvals, eigvecs = np.linalg.eigh(cov)  # ascending order
    top = np.argsort(eigvals)[::-1][:NUM_PCA]
    vecs = eigvecs[:, top]
    vecs *= np.where(vecs.sum(axis=0) < 0, -1.0, 1.0)  # a fixed sign for each component
    return mean, vecs / np.sqrt(eigvals[top])  # unit variance along each component


def _split(items, labels, num_images, rng, word_to_idx):
    """Compose ``num_images`` canvases from a pool of items.

    The items are dealt out in random passes over the pool: within a pass every item
    appears once, and a larger set reuses the items in new places and company.
    """
    if num_images > MAX_IMAGES:
        fail(
            "load_captioning_data",
            f"at most {MAX_IMAGES:,} images per split",
            f"{num_images:,} images",
            "ask for fewer images",
            ConfigError,
        )
    counts = rng.integers(2, MAX_ITEMS + 1, size=num_images)
    passes = -(-int(counts.sum()) // len(items))
    order = np.concatenate([rng.permutation(len(items)) for _ in range(passes)])
    cells = np.full((num_images, MAX_ITEMS), -1, dtype=np.int64)  # pool index per cell
    start = 0
    for n, k in enumerate(counts):
        where = np.sort(rng.choice(MAX_ITEMS, size=k, replace=False))
        cells[n, where] = order[start : start + k]
        start += k
    images = np.zeros((num_images, 1, GRID * CELL, GRID * CELL), dtype=np.uint8)
    cell_labels = np.where(cells >= 0, labels[np.maximum(cells, 0)], -1)
    for c in range(MAX_ITEMS):
        r, q = divmod(c, GRID)
        filled = cells[:, c] >= 0
        images[filled, 0, r * CELL : (r + 1) * CELL, q * CELL : (q + 1) * CELL] = items[
            cells[filled, c]
        ]
    captions = np.full((num_images, CAPTION_LENGTH), word_to_idx["<NULL>"], dtype=np.int32)
    first_word = len(SPECIAL_TOKENS)
    for n in range(num_images):
        words = [first_word + int(y) for y in cell_labels[n] if y >= 0]
        seq = [word_to_idx["<START>"], *words, word_to_idx["<END>"]]
        captions[n, : len(seq)] = seq
    return images, cell_labels, captions


def _base():
    """The embedded items and the cell PCA, computed once per process."""
    if "base" not in _BASE:
        from cs231n.data.loaders import load_dataset

        base = load_dataset("default", dtype=np.uint8, subtract_mean=False, seed=0)
        _BASE["base"] = (base, *_pca_basis(base["X_train"]))
    return _BASE["base"]


def cell_features(images, mean, basis):
    """The 128 features of each canvas: whitened PCA of each cell, in reading order.

    Parameters
    ----------
    images : ndarray of shape (N, 1, 56, 56), uint8
    mean : ndarray of shape (784,)
    basis : ndarray of shape (784, 32)

    Returns
    -------
    features : ndarray of shape (N, 128), float32
    """
    N = images.shape[0]
    cells = images.reshape(N, GRID, CELL, GRID, CELL).transpose(0, 1, 3, 2, 4)
    cells = cells.reshape(N * MAX_ITEMS, CELL * CELL).astype(np.float32)
    # ((cells / 255) - mean) @ basis, as one product and one subtraction
    feats = cells @ (basis / 255.0).astype(np.float32) - (mean @ basis).astype(np.float32)
    return feats.reshape(N, MAX_ITEMS * NUM_PCA)


def make_captioning_set(num_train=10000, num_val=500, num_test=500, seed=0):
    """Build the offline captioning set (see the module docstring); cached per process.

    Returns
    -------
    dict
        COCO-style keys ``{split}_captions`` (N, 6) int32, ``{split}_image_idxs`` (N,)
        (one caption per image here, so ``arange(N)``), ``{split}_features`` (N, 128)
        float32, plus ``{split}_images`` (N, 1, 56, 56) uint8 and ``{split}_labels``
        (N, 4) int64 (the class in each cell, -1 for an empty cell), for the splits
        ``train``, ``val`` and ``test``; ``idx_to_word`` (list), ``word_to_idx``
        (dict), ``class_names``, ``feature_regions`` (4), ``name`` and ``source``.
    """
    for value, what in ((num_train, "num_train"), (num_val, "num_val"), (num_test, "num_test")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            fail(f"load_captioning_data: {what}", "a positive int", repr(value), None, ConfigError)
    key = (int(num_train), int(num_val), int(num_test), int(seed))
    if key in _CACHE:
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in _CACHE[key].items()}
    base, mean, basis = _base()
    idx_to_word, word_to_idx = _vocabulary()
    rng = np.random.default_rng(seed)
    out: dict = {}
    for split, n in (("train", num_train), ("val", num_val), ("test", num_test)):
        items = base[f"X_{split}"][:, 0]
        images, labels, captions = _split(items, base[f"y_{split}"], n, rng, word_to_idx)
        out[f"{split}_images"] = images
        out[f"{split}_labels"] = labels
        out[f"{split}_captions"] = captions
        out[f"{split}_image_idxs"] = np.arange(n, dtype=np.int64)
        out[f"{split}_features"] = cell_features(images, mean, basis)
    out["idx_to_word"] = idx_to_word
    out["word_to_idx"] = word_to_idx
    out["class_names"] = list(base["class_names"])
    out["feature_regions"] = MAX_ITEMS
    out["name"] = "default"
    out["source"] = (
        f"composed from the embedded Fashion-MNIST subset (seed {seed}); features: whitened "
        f"PCA ({NUM_PCA} components per 28x28 cell) fitted on its 10,000 training items"
    )
    _CACHE.clear()
    _CACHE[key] = out
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in out.items()}


def load_captioning_data(
    name="default",
    *,
    num_train=10000,
    num_val=500,
    num_test=500,
    seed=0,
    max_train=None,
    pca_features=True,
    data_dir=None,
    download=True,
):
    """Load a captioning set: the offline default or CS231n's COCO features.

    Parameters
    ----------
    name : {"default", "coco"}
        ``"default"``: the offline set built from the embedded Fashion-MNIST subset
        (see the module docstring).  ``"coco"``: CS231n's COCO 2014 captions with VGG16
        fc7 features, downloaded once into the data cache (needs ``h5py``).
    num_train, num_val, num_test : int
        Images per split of the offline set.
    seed : int
        Seed of the offline set's composition; for COCO, of the ``max_train`` subsample.
    max_train : int, optional
        COCO only: keep a random subset of this many training captions.
    pca_features : bool
        COCO only: the 512-dimensional PCA of the fc7 features (True, as in CS231n) or
        the raw 4096-dimensional fc7 features.
    data_dir : path, optional
        COCO only: the cache folder (default ``$CS231N_DATA_DIR`` or ``~/.cache/cs231n``).
    download : bool
        COCO only: download the files when they are missing.

    Returns
    -------
    dict
        ``train_captions``, ``train_image_idxs``, ``train_features``, the same for
        ``val`` (and ``test`` for the offline set), ``idx_to_word``, ``word_to_idx``;
        see :func:`make_captioning_set` and :func:`cs231n.data.coco.load`.
    """
    key = str(name).strip().lower() if isinstance(name, str) else name
    if key in ("default", "embedded", "fashion-captions"):
        return make_captioning_set(num_train, num_val, num_test, seed)
    if key in ("coco", "coco_captioning", "coco2014"):
        from cs231n.data import coco

        return coco.load(
            data_dir=data_dir,
            max_train=max_train,
            pca_features=pca_features,
            seed=seed,
            download=download,
        )
    fail(
        "load_captioning_data: name",
        "'default' (offline) or 'coco'",
        repr(name),
        "'default' is built from the embedded Fashion-MNIST subset and works offline",
        ConfigError,
    )


def decode_captions(captions, idx_to_word):
    """Word indices to strings, stopping at ``<END>`` and skipping ``<NULL>``.

    Parameters
    ----------
    captions : ndarray of shape (N, T) or (T,), integer
    idx_to_word : list of str

    Returns
    -------
    list of str, or one str for a single caption
    """
    captions = np.asarray(captions)
    single = captions.ndim == 1
    rows = captions[None] if single else captions
    out = []
    for row in rows:
        words = []
        for idx in row:
            word = idx_to_word[int(idx)]
            if word == "<END>":
                break
            if word not in ("<NULL>", "<START>"):
                words.append(word)
        out.append(" ".join(words))
    return out[0] if single else out


def sample_minibatch(data, batch_size=100, split="train", rng=None):
    """A random minibatch ``(captions, features, image_idxs)`` of a captioning dict.

    Parameters
    ----------
    data : dict
        From :func:`load_captioning_data`.
    batch_size : int
    split : {"train", "val", "test"}
    rng : numpy Generator, optional

    Returns
    -------
    captions : ndarray of shape (batch_size, T)
    features : ndarray of shape (batch_size, D)
    image_idxs : ndarray of shape (batch_size,)
    """
    rng = np.random.default_rng() if rng is None else rng
    n = data[f"{split}_captions"].shape[0]
    mask = rng.choice(n, batch_size)
    captions = data[f"{split}_captions"][mask]
    image_idxs = data[f"{split}_image_idxs"][mask]
    return captions, data[f"{split}_features"][image_idxs], image_idxs

"""``load_dataset``: the kit's one data API, for every dataset."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from cs231n.data import cifar10, embedded, fashion_mnist
from cs231n.data._download import DownloadError, data_home
from cs231n.validation import ConfigError, fail

DATASETS = {
    "default": "embedded Fashion-MNIST subset, 10,000/1,000/1,000 images, 1x28x28, offline",
    "fashion-mnist": "full Fashion-MNIST, 60,000 + 10,000 images, 1x28x28 (Debian copy or download)",
    "cifar10": "CIFAR-10, 50,000 + 10,000 images, 3x32x32 (download, 163 MiB)",
}
_ALIASES = {
    "embedded": "default",
    "fashion_mnist": "fashion-mnist",
    "fashionmnist": "fashion-mnist",
    "cifar-10": "cifar10",
    "cifar_10": "cifar10",
}
OFFLINE_HINT = "or use the offline default: load_dataset('default') (Fashion-MNIST, 1x28x28)"


class DatasetNotFoundError(FileNotFoundError):
    """A dataset is neither on disk nor downloadable right now."""


def canonical_name(name: str, what: str = "load_dataset: name") -> str:
    """``"CIFAR-10"`` -> ``"cifar10"`` etc.; raise ConfigError listing the valid names."""
    if not isinstance(name, str):
        fail(what, "a string", repr(name), None, ConfigError)
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in DATASETS:
        fail(
            what,
            "one of " + ", ".join(repr(k) for k in DATASETS),
            repr(name),
            "'default' is the embedded Fashion-MNIST subset that works offline",
            ConfigError,
        )
    return key


def stratified_indices(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` indices into ``y`` whose class counts are as equal as possible, in random order.

    Classes are visited round-robin in a random order, so the choice stays balanced even
    when ``n`` is not a multiple of the number of classes.
    """
    perm = rng.permutation(len(y))
    yp = y[perm]
    rank = np.empty(len(y), dtype=np.int64)
    for c in np.unique(yp):
        mask = yp == c
        rank[mask] = np.arange(int(mask.sum()))
    chosen = perm[np.argsort(rank, kind="stable")[:n]]
    return rng.permutation(chosen)


def _check_count_type(value, what: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        fail(
            f"load_dataset: {what}",
            "a non-negative integer or None",
            repr(value),
            None,
            ConfigError,
        )


def _check_count(value, what: str, available: int, name: str, default: int) -> int:
    if value is None:
        return default
    _check_count_type(value, what)
    if value > available:
        fail(
            f"load_dataset: {what}",
            f"at most {available:,} for {name!r}",
            f"{value:,}",
            f"ask for {available:,} or fewer"
            + (
                ", or load the full dataset ('fashion-mnist' or 'cifar10')"
                if name == "default"
                else ""
            ),
            ConfigError,
        )
    return int(value)


def _missing(name: str, looked: list[Path], reason: str | None) -> DatasetNotFoundError:
    where = ", ".join(str(p) for p in looked)
    why = (
        f" Downloading failed: {reason}."
        if reason
        else " Downloading was not allowed (download=False)."
    )
    return DatasetNotFoundError(
        f"dataset {name!r} not found: looked in {where}.{why} Fix: run "
        f"`python -m cs231n.data fetch {name}` on a machine with internet (set CS231N_DATA_DIR "
        f"to choose the folder, e.g. a Google Drive folder on Colab), {OFFLINE_HINT}."
    )


def _raw(name: str, data_dir, download: bool):
    """``(pools, class_names, source)`` with pools = {"train"/"val"/"test": (X uint8, y)}.

    A pool "val" of None means: carve the validation split out of "train".
    """
    if name == "default":
        raw = embedded.load_raw()
        meta = embedded.metadata()
        pools = {
            split: (raw[f"X_{split}"][:, None], raw[f"y_{split}"].astype(np.int64))
            for split in ("train", "val", "test")
        }
        source = (
            f"embedded Fashion-MNIST subset shipped with cs231n ({embedded.NPZ.name}, sha256 "
            f"{meta['sha256'][:12]}... verified; seed {meta['seed']}); "
            "Fashion-MNIST (c) 2017 Zalando SE, MIT licence"
        )
        return pools, tuple(raw["class_names"]), source
    if name == "fashion-mnist":
        folder = fashion_mnist.find(data_dir)
        if folder is None:
            if not download:
                raise _missing(name, fashion_mnist.candidate_dirs(data_dir), None)
            try:
                folder = fashion_mnist.fetch(data_dir)
            except DownloadError as err:
                raise _missing(name, fashion_mnist.candidate_dirs(data_dir), str(err)) from err
        X_tr, y_tr, X_te, y_te = fashion_mnist.load_raw(folder)
        pools = {
            "train": (X_tr[:, None], y_tr.astype(np.int64)),
            "val": None,
            "test": (X_te[:, None], y_te.astype(np.int64)),
        }
        source = (
            f"Fashion-MNIST IDX files in {folder} (sha256 verified); "
            "(c) 2017 Zalando SE, MIT licence"
        )
        return pools, fashion_mnist.CLASS_NAMES, source
    # cifar10
    folder = cifar10.find(data_dir)
    if folder is None:
        if not download:
            raise _missing(name, cifar10.folder_candidates(data_dir), None)
        try:
            folder = cifar10.fetch(data_dir)
        except DownloadError as err:
            raise _missing(name, cifar10.folder_candidates(data_dir), str(err)) from err
    X_tr, y_tr, X_te, y_te, names = cifar10.load_raw(folder)
    verified = "archive MD5 verified" if (folder / cifar10.MARKER).is_file() else "no marker"
    source = f"CIFAR-10 python batches in {folder} ({verified}); Krizhevsky 2009, cs.toronto.edu"
    return {"train": (X_tr, y_tr), "val": None, "test": (X_te, y_te)}, names, source


def load_dataset(
    name: str = "default",
    num_training: int | None = None,
    num_validation: int | None = None,
    num_test: int | None = None,
    dtype=np.float32,
    subtract_mean: bool = True,
    flatten: bool = False,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> dict:
    """Load a dataset as train / validation / test splits: the kit's one data API.

    Every notebook, test and benchmark uses this function (CS231n had two incompatible
    ``get_CIFAR10_data``; here :func:`get_CIFAR10_data` is a thin alias of this one).

    Parameters
    ----------
    name : {"default", "fashion-mnist", "cifar10"}
        ``"default"`` is the balanced Fashion-MNIST subset shipped inside the package
        (10,000 train / 1,000 val / 1,000 test, 1x28x28): it always works offline and its
        SHA-256 is verified when a process first loads it.  ``"fashion-mnist"`` is the full set (60,000 +
        10,000): the Debian package ``dataset-fashion-mnist`` is used when installed,
        otherwise the files are downloaded into the cache.  ``"cifar10"`` is CIFAR-10
        (50,000 + 10,000, 3x32x32), downloaded once into the cache (163 MiB).
    num_training, num_validation, num_test : int or None
        Sizes of the splits.  For ``"default"`` the three splits are stored; ``None``
        means all of it (10,000 / 1,000 / 1,000).  For the full datasets the validation
        split is carved out of the official training set (``None``: 1,000, or a tenth
        of a smaller set), training
        gets the rest (``None``: all the remaining images) and test comes from the
        official test set (``None``: all 10,000).  A smaller number takes a class-balanced
        random subset.  Asking for more than exists raises an error that says how many
        there are.
    dtype : numpy dtype
        Floating type of the images (float32 by default: CIFAR-10 in float64 takes 1.5
        GB).  ``np.uint8`` is allowed when ``subtract_mean=False``.
    subtract_mean : bool
        Subtract the mean image of the *training split* from all three splits, and return
        it as ``"mean_image"``.
    flatten : bool
        Return images as rows of shape (N, D) with D = C*H*W instead of (N, C, H, W).
    seed : int
        Seed of the split selection: the same seed gives the same splits, and the three
        splits never share an image.
    data_dir : path, optional
        Cache folder for downloaded datasets.  Default: the environment variable
        ``CS231N_DATA_DIR``, else ``~/.cache/cs231n``.  On Colab, set
        ``os.environ["CS231N_DATA_DIR"] = "/content/drive/MyDrive/cs231n-data"`` (after
        mounting Drive) to keep CIFAR-10 across sessions.  A folder that directly holds
        CS231n's ``cifar-10-batches-py`` files works too.  Ignored by ``"default"``.
    download : bool
        Download a missing dataset (``True``) or fail at once (``False``).

    Returns
    -------
    dict
        ``X_train, X_val, X_test`` : ndarray of shape (N, C, H, W) (or (N, D) with
        ``flatten``), values in [0, 255] before mean subtraction;
        ``y_train, y_val, y_test`` : int64 ndarray of shape (N,) with labels in [0, 10);
        ``class_names`` : list of 10 str; ``name`` : canonical dataset name;
        ``input_dim`` : tuple (C, H, W) to pass to the models; ``source`` : where the
        data came from; ``mean_image`` : ndarray of shape (C, H, W) (or (D,)), only when
        ``subtract_mean``.

    Notes
    -----
    Fashion-MNIST differs from CIFAR-10: images are 28x28 **greyscale**, so C = 1 and
    D = 784 (CIFAR-10: C = 3, D = 3072); the classes are clothing items (T-shirt/top,
    Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot), and the
    same models reach higher accuracies.  Build models from ``data["input_dim"]`` (e.g.
    ``ThreeLayerConvNet(input_dim=data["input_dim"])``, ``input_dim=np.prod(...)`` for
    fully-connected nets) so the same code runs on both.

    Raises
    ------
    ConfigError
        Unknown name (the message lists the valid ones), bad sizes or dtype.
    DatasetNotFoundError
        The dataset is not on disk and cannot be downloaded; the message says where it
        looked and names ``python -m cs231n.data fetch NAME`` and the offline default.
    ChecksumError, CorruptDatasetError
        A file on disk is truncated or damaged; it is never loaded silently.

    Examples
    --------
    >>> data = load_dataset()                                  # doctest: +SKIP
    >>> data["X_train"].shape, data["X_train"].dtype           # doctest: +SKIP
    ((10000, 1, 28, 28), dtype('float32'))
    >>> data = load_dataset("cifar10", num_training=5000, num_test=500, flatten=True)  # doctest: +SKIP
    """
    key = canonical_name(name)
    dt = np.dtype(dtype)
    if not np.issubdtype(dt, np.floating) and not (dt == np.uint8 and not subtract_mean):
        fail(
            "load_dataset: dtype",
            "a floating dtype (np.float32 or np.float64), or np.uint8 with subtract_mean=False",
            str(dt),
            "pass dtype=np.float32",
            ConfigError,
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        fail("load_dataset: seed", "an integer", repr(seed), None, ConfigError)
    for value, what in (
        (num_training, "num_training"),
        (num_validation, "num_validation"),
        (num_test, "num_test"),
    ):
        _check_count_type(value, what)  # before any download

    pools, class_names, source = _raw(key, data_dir, download)
    rng = np.random.default_rng(int(seed))
    X_pool, y_pool = pools["train"]
    if pools["val"] is None:
        n_all = len(y_pool)
        n_val = _check_count(num_validation, "num_validation", n_all, key, min(1000, n_all // 10))
        n_tr = _check_count(num_training, "num_training", n_all - n_val, key, n_all - n_val)
        val_idx = stratified_indices(y_pool, n_val, rng)
        rest = np.setdiff1d(np.arange(n_all), val_idx)
        train_idx = rest[stratified_indices(y_pool[rest], n_tr, rng)]
        picks = {"train": (X_pool, y_pool, train_idx), "val": (X_pool, y_pool, val_idx)}
    else:
        n_tr = _check_count(num_training, "num_training", len(y_pool), key, len(y_pool))
        Xv, yv = pools["val"]
        n_val = _check_count(num_validation, "num_validation", len(yv), key, len(yv))
        picks = {
            "train": (X_pool, y_pool, stratified_indices(y_pool, n_tr, rng)),
            "val": (Xv, yv, stratified_indices(yv, n_val, rng)),
        }
    Xt, yt = pools["test"]
    n_te = _check_count(num_test, "num_test", len(yt), key, len(yt))
    picks["test"] = (Xt, yt, stratified_indices(yt, n_te, rng))

    if subtract_mean and len(picks["train"][2]) == 0:
        fail(
            "load_dataset: num_training",
            "at least 1 training image when subtract_mean=True (the mean comes from it)",
            "0",
            "ask for training images or pass subtract_mean=False",
            ConfigError,
        )
    input_dim = tuple(int(s) for s in X_pool.shape[1:])
    out: dict = {}
    for split in ("train", "val", "test"):
        X, y, idx = picks[split]
        Xs = X[idx].astype(dt)
        out[f"X_{split}"] = Xs.reshape(len(idx), int(np.prod(input_dim))) if flatten else Xs
        out[f"y_{split}"] = y[idx].astype(np.int64)
    if subtract_mean:
        mean = out["X_train"].mean(axis=0, dtype=np.float64).astype(dt)
        for split in ("train", "val", "test"):
            out[f"X_{split}"] -= mean
        out["mean_image"] = mean
    out["class_names"] = list(class_names)
    out["name"] = key
    out["input_dim"] = input_dim
    out["source"] = source
    return out


def get_CIFAR10_data(
    num_training: int = 49000,
    num_validation: int = 1000,
    num_test: int = 1000,
    subtract_mean: bool = True,
    dtype=np.float32,
    flatten: bool = False,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
) -> dict:
    """CIFAR-10 as CS231n's ``get_CIFAR10_data`` returned it, through :func:`load_dataset`.

    A thin alias of ``load_dataset("cifar10", ...)`` with CS231n's sizes (49,000 / 1,000
    / 1,000) and NCHW layout.  Differences from CS231n: float32 by default, and the
    validation images are a seeded, class-balanced draw rather than ``train[49000:]``.
    Downloads CIFAR-10 on first use; offline, use ``load_dataset()`` (the embedded
    default) instead.
    """
    return load_dataset(
        "cifar10",
        num_training=num_training,
        num_validation=num_validation,
        num_test=num_test,
        dtype=dtype,
        subtract_mean=subtract_mean,
        flatten=flatten,
        seed=seed,
        data_dir=data_dir,
    )


def fetch_dataset(
    name: str,
    data_dir: str | os.PathLike | None = None,
    *,
    force: bool = False,
    progress: bool = True,
) -> Path:
    """Make ``name`` available on disk (download, verify, extract) and return where it is.

    The same as ``python -m cs231n.data fetch NAME``.  ``"default"`` is embedded, so this
    only returns the path of its file.  Raises :class:`DownloadError` when the network is
    unavailable (an interrupted download resumes on the next call).
    """
    key = canonical_name(name, "fetch_dataset: name")
    if key == "default":
        return embedded.NPZ
    if key == "fashion-mnist":
        return fashion_mnist.fetch(data_dir, progress=progress)
    return cifar10.fetch(data_dir, force=force, progress=progress)


def _dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def dataset_info(name: str, data_dir: str | os.PathLike | None = None) -> dict:
    """``{name, description, present, location, bytes, looked_in}`` for one dataset."""
    key = canonical_name(name)
    info = {"name": key, "description": DATASETS[key]}
    if key == "default":
        loc = embedded.NPZ if embedded.NPZ.is_file() else None
        looked = [embedded.NPZ]
    elif key == "fashion-mnist":
        loc = fashion_mnist.find(data_dir)
        looked = fashion_mnist.candidate_dirs(data_dir)
    else:
        loc = cifar10.find(data_dir)
        looked = cifar10.folder_candidates(data_dir)
    info["present"] = loc is not None
    info["location"] = str(loc) if loc is not None else None
    if key == "fashion-mnist" and loc is not None:
        info["bytes"] = sum((loc / f).stat().st_size for f in fashion_mnist.FILES)
    elif key == "cifar10" and loc is not None:
        info["bytes"] = sum((loc / f).stat().st_size for f in cifar10.FILES)
    else:
        info["bytes"] = _dir_size(loc) if loc is not None else 0
    info["looked_in"] = [str(p) for p in looked]
    info["cache"] = str(data_home(data_dir))
    return info


def list_datasets(data_dir: str | os.PathLike | None = None) -> list[dict]:
    """:func:`dataset_info` for every dataset."""
    return [dataset_info(k, data_dir) for k in DATASETS]

"""CS231n's import path for data: thin aliases of :mod:`cs231n.data`.

CS231n's notebooks start with ``from cs231n.data_utils import load_CIFAR10`` (or
``get_CIFAR10_data``); those lines work here unchanged.  There is one data API behind
them, :func:`cs231n.data.load_dataset` and its CIFAR-10 loader; this module only adapts
names, arguments and return conventions.

===================  ==============================================================
CS231n name          here
===================  ==============================================================
get_CIFAR10_data     :func:`cs231n.data.get_CIFAR10_data` (the same function): a dict
                     of NCHW splits 49,000 / 1,000 / 1,000, mean image subtracted.
                     Differences: float32 by default (``dtype=np.float64`` for
                     CS231n's), validation and test are seeded class-balanced draws
                     (``seed=0``) rather than ``train[49000:]`` and ``test[:1000]``,
                     and the dict also holds ``mean_image``, ``class_names``,
                     ``input_dim``, ``name`` and ``source``.
load_CIFAR10         ``(X_train, y_train, X_test, y_test)`` as CS231n's: NHWC float64
                     (50000, 32, 32, 3) and (10000, 32, 32, 3), int64 labels.
                     Differences: ``ROOT`` may be omitted (the kit's cache, downloaded
                     with a checksum if missing), a folder holding
                     ``cifar-10-batches-py`` works too, and ``dtype=`` can halve RAM.
load_CIFAR_batch     ``(X, y)`` of one batch file, NHWC float64, as CS231n's.
load_pickle          Unpickles data only (dicts, lists, numbers, strings, numpy
                     arrays); any other object is refused (see its docstring).
===================  ==============================================================

Offline, or for the kit's own notebooks, use ``cs231n.data.load_dataset()`` (the embedded
Fashion-MNIST default) instead.

CS231n's ``load_tiny_imagenet``, ``load_models`` and ``load_imagenet_val`` are not
provided: importing them raises an ImportError that says so.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from cs231n.data import cifar10
from cs231n.data._download import DownloadError
from cs231n.data.loaders import DatasetNotFoundError, _missing, get_CIFAR10_data

__all__ = ["get_CIFAR10_data", "load_CIFAR10", "load_CIFAR_batch", "load_pickle"]


def load_pickle(f):
    """Unpickle a data file such as a CIFAR-10 batch, refusing anything but plain data.

    CS231n's ``load_pickle(f)`` is ``pickle.load(f, encoding="latin1")``, and unpickling
    an untrusted file can run arbitrary code.  This one rebuilds only dicts, lists,
    tuples, sets, numbers, strings, bytes and numpy arrays; a pickle that names any
    other class or function raises ``pickle.UnpicklingError`` before anything runs.
    Even so, do not open files from people you do not trust: share models and arrays as
    ``.npz`` (``model.save(path)``, ``np.savez``), which ``np.load(...,
    allow_pickle=False)`` reads without unpickling.

    Parameters
    ----------
    f : binary file object or path
        An open file (``open(path, "rb")``, as in CS231n) or a path.

    Returns
    -------
    object
        The unpickled data; str keys of Python 2 pickles come back as str (latin1).

    Raises
    ------
    pickle.UnpicklingError
        The file is not a pickle, or it holds something other than plain data.
    """
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return cifar10.load_pickle_restricted(fh)
    return cifar10.load_pickle_restricted(f)


def _nhwc(X: np.ndarray, dtype) -> np.ndarray:
    return np.ascontiguousarray(X.transpose(0, 2, 3, 1), dtype=dtype)


def load_CIFAR_batch(filename, dtype=np.float64):
    """One CIFAR-10 batch file as CS231n's ``load_CIFAR_batch`` returns it.

    Parameters
    ----------
    filename : path
        A batch file, e.g. ``.../cifar-10-batches-py/data_batch_1``.
    dtype : numpy dtype
        dtype of the images (CS231n: float64; np.float32 halves the memory).

    Returns
    -------
    X : ndarray of shape (N, 32, 32, 3)
        Images in NHWC order, values in [0, 255].
    y : int64 ndarray of shape (N,)
        Labels in [0, 10).

    Raises
    ------
    CorruptDatasetError
        The file is truncated, damaged or not a CIFAR-10 batch.
    """
    X, y = cifar10.load_batch(filename)
    return _nhwc(X, dtype), y


def load_CIFAR10(ROOT=None, dtype=np.float64, download=True):
    """All of CIFAR-10 as CS231n's ``load_CIFAR10(ROOT)`` returns it.

    Parameters
    ----------
    ROOT : path, optional
        The ``cifar-10-batches-py`` folder (CS231n's ``cs231n/datasets/cifar-10-batches-py``)
        or a folder holding it.  None: the kit's cache (``$CS231N_DATA_DIR``, default
        ``~/.cache/cs231n``), downloading and verifying the archive when it is missing.
    dtype : numpy dtype
        dtype of the images (CS231n: float64, 1.5 GB for the training set; np.float32
        halves it).
    download : bool
        With ``ROOT=None``, download a missing dataset (True) or fail at once (False).

    Returns
    -------
    X_train : ndarray of shape (50000, 32, 32, 3)
    y_train : int64 ndarray of shape (50000,)
    X_test : ndarray of shape (10000, 32, 32, 3)
    y_test : int64 ndarray of shape (10000,)
        NHWC images with values in [0, 255], in the files' order.

    Raises
    ------
    DatasetNotFoundError
        No complete set of batches in ``ROOT`` (or in the cache when downloading is not
        possible); the message says where it looked and how to fetch the data.
    """
    folder = cifar10.find(ROOT)
    if folder is None:
        looked = cifar10.folder_candidates(ROOT)
        if ROOT is not None:
            raise DatasetNotFoundError(
                f"load_CIFAR10: no complete set of CIFAR-10 batches (data_batch_1..5, "
                f"test_batch, batches.meta) in {', '.join(str(p) for p in looked)}. Fix: pass "
                "the folder that holds them, or call load_CIFAR10() without ROOT to use the "
                "kit's cache (downloaded once, checksum verified)."
            )
        if not download:
            raise _missing("cifar10", looked, None)
        try:
            folder = cifar10.fetch(None)
        except DownloadError as err:
            raise _missing("cifar10", looked, str(err)) from err
    X_tr, y_tr, X_te, y_te, _ = cifar10.load_raw(Path(folder))
    return _nhwc(X_tr, dtype), y_tr, _nhwc(X_te, dtype), y_te


_NOT_PROVIDED = {
    "load_tiny_imagenet": "Tiny ImageNet is not one of the kit's datasets",
    "load_models": "the kit ships no pickled models (pickles can run code)",
    "load_imagenet_val": "the kit ships no ImageNet images (cs231n.data.load_photos() has two demo photos)",
}


def __getattr__(name):
    if name in _NOT_PROVIDED:
        raise ImportError(
            f"cs231n.data_utils.{name} is CS231n's and is not provided here: "
            f"{_NOT_PROVIDED[name]}. The datasets available are listed by "
            "cs231n.data.list_datasets()."
        )
    raise AttributeError(f"module 'cs231n.data_utils' has no attribute {name!r}")

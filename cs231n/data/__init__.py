"""Datasets and demo photos: ``load_dataset`` is the kit's one data API.

>>> from cs231n.data import load_dataset
>>> data = load_dataset()            # embedded Fashion-MNIST subset, offline  # doctest: +SKIP
>>> data = load_dataset("cifar10")   # CIFAR-10, downloaded once into the cache  # doctest: +SKIP

Datasets: ``"default"`` (a balanced Fashion-MNIST subset shipped inside the package:
10,000 / 1,000 / 1,000 images of shape 1x28x28, always offline), ``"fashion-mnist"``
(the full set) and ``"cifar10"`` (3x32x32).  Downloads go to ``$CS231N_DATA_DIR`` (default
``~/.cache/cs231n``).  The command line ``python -m cs231n.data`` (or ``cs231n-data``)
lists, fetches and verifies them and says where each lives.

Photos for the convolution demo: ``load_photo("chelsea")`` (a cat) and
``load_photo("coffee")``, both CC0, as uint8 arrays of shape (H, W, 3).
"""

from cs231n.data._download import ChecksumError, DownloadError, data_home
from cs231n.data.cifar10 import CorruptDatasetError
from cs231n.data.loaders import (
    DATASETS,
    DatasetNotFoundError,
    dataset_info,
    fetch_dataset,
    get_CIFAR10_data,
    list_datasets,
    load_dataset,
)
from cs231n.data.photos import load_photo, load_photos

__all__ = [
    "DATASETS",
    "ChecksumError",
    "CorruptDatasetError",
    "DatasetNotFoundError",
    "DownloadError",
    "data_home",
    "dataset_info",
    "fetch_dataset",
    "get_CIFAR10_data",
    "list_datasets",
    "load_dataset",
    "load_photo",
    "load_photos",
]

"""Full Fashion-MNIST (Zalando SE, MIT licence): IDX reader, lookup and download.

The four original IDX files are looked for, in order, in

1. ``<data home>/fashion-mnist/`` (``CS231N_DATA_DIR`` or ``~/.cache/cs231n``),
2. ``/usr/share/datasets/fashion-mnist/`` (Debian/Ubuntu package ``dataset-fashion-mnist``),

and otherwise downloaded into the first.  Every file is checked against the SHA-256 of
its *decompressed* content, so the Debian files (re-gzipped) and the upstream ones
verify alike.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from cs231n.data._download import ChecksumError, data_home, download

NAME = "fashion-mnist"
CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
SUBDIR = "fashion-mnist"

# Mirrors of the upstream files, tried in order.
BASE_URLS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)

# name -> (decompressed size in bytes, SHA-256 of the decompressed IDX content).
FILES = {
    "train-images-idx3-ubyte.gz": (
        47_040_016,
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train-labels-idx1-ubyte.gz": (
        60_008,
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "t10k-images-idx3-ubyte.gz": (
        7_840_016,
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        10_008,
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}

_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def parse_idx(raw: bytes, what: str = "IDX data") -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into an array."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ChecksumError(f"{what}: not an IDX file (bad magic number {raw[:4].hex()}).")
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int(d) for d in np.frombuffer(raw[4:header], dtype=">u4"))
    count = int(np.prod(shape)) if shape else 1
    if len(raw) != header + count * dtype.itemsize:
        raise ChecksumError(
            f"{what}: the header announces shape {shape} ({header + count * dtype.itemsize:,}"
            f" bytes) but the file has {len(raw):,} bytes (truncated or corrupt)."
        )
    return (
        np.frombuffer(raw, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


def read_idx(path: str | os.PathLike, sha256: str | None = None) -> np.ndarray:
    """Read a ``.gz`` (or plain) IDX file, optionally checking the decompressed SHA-256."""
    path = Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                raw = f.read()
        else:
            raw = path.read_bytes()
    except (EOFError, OSError, zlib.error) as err:
        raise ChecksumError(
            f"{path}: cannot decompress ({err}); the file is truncated or corrupt. "
            f"Fix: delete it and run `python -m cs231n.data fetch {NAME}`."
        ) from err
    if sha256 is not None:
        got = hashlib.sha256(raw).hexdigest()
        if got != sha256:
            raise ChecksumError(
                f"{path}: expected decompressed sha256 {sha256}, got {got} (corrupt file). "
                f"Fix: delete it and run `python -m cs231n.data fetch {NAME}`."
            )
    return parse_idx(raw, str(path))


def candidate_dirs(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Folders searched for the IDX files, in order."""
    home = data_home(data_dir)
    return [home / SUBDIR, home, DEBIAN_DIR]


def find(data_dir: str | os.PathLike | None = None) -> Path | None:
    """First folder that holds all four files, or None."""
    for d in candidate_dirs(data_dir):
        if all((d / name).is_file() for name in FILES):
            return d
    return None


def fetch(
    data_dir: str | os.PathLike | None = None, *, progress: bool = True, retries: int = 3
) -> Path:
    """Make sure the four files are present (Debian copy or download); return their folder."""
    found = find(data_dir)
    if found is not None:
        return found
    target = data_home(data_dir) / SUBDIR
    for name, (_, sha) in FILES.items():
        dest = target / name
        if dest.is_file():
            try:
                read_idx(dest, sha)
                continue
            except ChecksumError:
                dest.unlink()
        urls = [base + name for base in BASE_URLS]
        download(urls, dest, progress=progress, retries=retries)
        try:
            read_idx(dest, sha)
        except ChecksumError:
            dest.unlink(missing_ok=True)
            raise
    return target


def verify(folder: str | os.PathLike) -> dict[str, str]:
    """Check the four files in ``folder``; return ``{name: "ok" | error message}``."""
    report = {}
    for name, (_, sha) in FILES.items():
        path = Path(folder) / name
        if not path.is_file():
            report[name] = "missing"
            continue
        try:
            read_idx(path, sha)
            report[name] = "ok"
        except ChecksumError as err:
            report[name] = str(err)
    return report


def load_raw(folder: str | os.PathLike, verify_checksums: bool = True):
    """Load ``(X_train, y_train, X_test, y_test)`` as uint8 arrays of shape (N, 28, 28)."""
    folder = Path(folder)
    arrays = []
    for name, (_, sha) in FILES.items():
        arrays.append(read_idx(folder / name, sha if verify_checksums else None))
    X_train, y_train, X_test, y_test = arrays
    for X, y, split in ((X_train, y_train, "train"), (X_test, y_test, "t10k")):
        if X.ndim != 3 or y.ndim != 1 or X.shape[0] != y.shape[0]:
            raise ChecksumError(
                f"{folder}: {split} images {X.shape} and labels {y.shape} do not match."
            )
    return X_train, y_train, X_test, y_test

"""CIFAR-10 (Krizhevsky, 2009): download, atomic extraction, and the pickle-batch loader.

The archive comes from the official Toronto address over https and is checked against
its known size and MD5 before it is extracted.  Extraction goes into a temporary folder
next to the target; a completion marker is written last and the folder is then renamed
into place, so a half-extracted ``cifar-10-batches-py/`` never looks complete.

Please cite Alex Krizhevsky, "Learning Multiple Layers of Features from Tiny Images",
2009, when you use CIFAR-10.  The data set has no stated licence; it is downloaded at run
time and never redistributed by this kit.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

import numpy as np

from cs231n.data._download import ChecksumError, check_file, data_home, download, file_hash

NAME = "cifar10"
URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"
SIZE = 170_498_071
ARCHIVE = "cifar-10-python.tar.gz"
FOLDER = "cifar-10-batches-py"
MARKER = ".cs231n-complete.json"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
META = "batches.meta"
FILES = (*TRAIN_BATCHES, TEST_BATCH, META)
CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
FETCH_COMMAND = "python -m cs231n.data fetch cifar10"


class CorruptDatasetError(ValueError):
    """Files are present but cannot be read: truncated or damaged."""


def folder_candidates(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Folders that may hold the batches, in order of preference."""
    home = data_home(data_dir)
    return [home / FOLDER, home]


def find(data_dir: str | os.PathLike | None = None) -> Path | None:
    """Folder with a complete set of batches, or None.

    A folder made by :func:`fetch` carries a completion marker.  A folder without the
    marker (e.g. one extracted by CS231n's ``get_datasets.sh``) is accepted when all
    seven files are there; a damaged file is still caught when it is unpickled.
    """
    candidates = folder_candidates(data_dir)
    for d in candidates:
        if (d / MARKER).is_file() and all((d / f).is_file() for f in FILES):
            return d
    for d in candidates:
        if all((d / f).is_file() for f in FILES):
            return d
    return None


def _safe_members(tf: tarfile.TarFile, root: Path):
    """Members of the archive that extract under ``root`` (no absolute paths, no '..')."""
    base = root.resolve()
    for member in tf.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()):
            continue
        if base != target and base not in target.parents:
            raise CorruptDatasetError(f"unsafe path {member.name!r} in the archive")
        yield member


def extract(archive: str | os.PathLike, home: str | os.PathLike) -> Path:
    """Extract ``archive`` into ``home/cifar-10-batches-py`` atomically; return the folder."""
    archive, home = Path(archive), Path(home)
    home.mkdir(parents=True, exist_ok=True)
    target = home / FOLDER
    tmp = Path(tempfile.mkdtemp(prefix=".cifar10-extract-", dir=home))
    try:
        try:
            with tarfile.open(archive, "r:gz") as tf:
                members = list(_safe_members(tf, tmp))
                for member in members:
                    tf.extract(member, tmp, set_attrs=False, **_filter_kw())
        except (tarfile.TarError, EOFError, zlib.error, OSError) as err:
            raise CorruptDatasetError(
                f"{archive}: cannot extract ({err}); the archive is truncated or corrupt. "
                f"Fix: delete it and run `{FETCH_COMMAND}`."
            ) from err
        src = tmp / FOLDER
        missing = [f for f in FILES if not (src / f).is_file()]
        if missing:
            raise CorruptDatasetError(
                f"{archive}: the archive lacks {', '.join(missing)} under {FOLDER}/. "
                f"Fix: delete it and run `{FETCH_COMMAND}`."
            )
        marker = {
            "archive_md5": file_hash(archive, "md5"),
            "files": {f: (src / f).stat().st_size for f in FILES},
        }
        (src / MARKER).write_text(json.dumps(marker, indent=1) + "\n")  # written last
        if target.exists():  # stale or incomplete folder from an earlier attempt
            stale = Path(tempfile.mkdtemp(prefix=".cifar10-stale-", dir=home))
            os.replace(target, stale / FOLDER)
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(src, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _filter_kw():
    # Python >= 3.12 (and 3.10.12+/3.11.4+) take a safety filter; "data" is the strict one.
    return {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def fetch(
    data_dir: str | os.PathLike | None = None,
    *,
    force: bool = False,
    progress: bool = True,
    retries: int = 3,
) -> Path:
    """Download (resuming a partial file), verify and extract CIFAR-10; return its folder.

    Parameters
    ----------
    data_dir : path, optional
        Cache folder; default ``$CS231N_DATA_DIR`` or ``~/.cache/cs231n``.
    force : bool
        Extract again even when a complete folder exists.
    progress : bool
        Show a progress bar while downloading.
    retries : int
        Retries after a failed or interrupted transfer (each one resumes).
    """
    home = data_home(data_dir)
    if not force:
        found = find(data_dir)
        if found is not None and (found / MARKER).is_file():
            return found
    archive = home / ARCHIVE
    if archive.is_file():
        try:
            check_file(archive, size=SIZE, md5=MD5)
        except ChecksumError:
            # Keep a short file as the partial download to resume; drop a wrong one.
            if archive.stat().st_size < SIZE:
                os.replace(archive, archive.with_name(ARCHIVE + ".part"))
            else:
                archive.unlink()
    if not archive.is_file():
        download(URL, archive, size=SIZE, md5=MD5, progress=progress, retries=retries)
    return extract(archive, home)


def verify(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """Check the archive (size, MD5) and every batch; return ``{item: "ok" | problem}``."""
    home = data_home(data_dir)
    report: dict[str, str] = {}
    archive = home / ARCHIVE
    if archive.is_file():
        try:
            check_file(archive, size=SIZE, md5=MD5)
            report[ARCHIVE] = "ok"
        except ChecksumError as err:
            report[ARCHIVE] = str(err)
    folder = find(data_dir)
    if folder is None:
        report[FOLDER] = "missing"
        return report
    marker = folder / MARKER
    sizes = json.loads(marker.read_text())["files"] if marker.is_file() else {}
    for f in FILES:
        path = folder / f
        if f in sizes and path.stat().st_size != sizes[f]:
            report[f] = f"size {path.stat().st_size:,} instead of {sizes[f]:,} bytes"
            continue
        try:
            if f == META:
                _unpickle(path)
            else:
                load_batch(path)
            report[f] = "ok"
        except CorruptDatasetError as err:
            report[f] = str(err)
    return report


# The only globals a CIFAR-10 batch (or any pickle of dicts, lists and numpy arrays) needs.
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): np.zeros(0).__reduce__()[0],
    ("numpy._core.multiarray", "_reconstruct"): np.zeros(0).__reduce__()[0],
    ("numpy.core.multiarray", "scalar"): np.float64(0).__reduce__()[0],
    ("numpy._core.multiarray", "scalar"): np.float64(0).__reduce__()[0],
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("collections", "OrderedDict"): __import__("collections").OrderedDict,
    ("_codecs", "encode"): __import__("codecs").encode,  # bytes in protocol-2 pickles
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("__builtin__", "set"): set,
    ("__builtin__", "frozenset"): frozenset,
}


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds plain containers, numbers, strings and numpy arrays only.

    Any other global (a class, a function such as ``os.system``) raises
    ``pickle.UnpicklingError`` instead of being imported and called.
    """

    def find_class(self, module, name):
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing to load the global {module}.{name}: only dicts, lists, numbers, "
                "strings and numpy arrays are allowed in a data pickle"
            ) from None


def load_pickle_restricted(f, encoding: str = "latin1"):
    """Unpickle from the binary file object ``f``, allowing only data (see ``_ALLOWED_GLOBALS``).

    ``encoding="latin1"`` reads Python 2 pickles such as the CIFAR-10 batches (their str
    keys come back as str).
    """
    return _ArraysOnlyUnpickler(f, encoding=encoding).load()


def _unpickle(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return load_pickle_restricted(f)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as err:
        raise CorruptDatasetError(
            f"{path}: cannot unpickle ({type(err).__name__}: {err}); the file is truncated "
            f"or corrupt. Fix: delete {path.parent} and run `{FETCH_COMMAND}`."
        ) from err


def load_batch(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """One pickled batch -> ``(X, y)``: uint8 of shape (N, 3, 32, 32) and int64 of shape (N,)."""
    path = Path(path)
    batch = _unpickle(path)
    try:
        data = np.asarray(batch["data"], dtype=np.uint8)
        labels = np.asarray(batch["labels"], dtype=np.int64)
        X = data.reshape(data.shape[0], 3, 32, 32)
    except (KeyError, ValueError, TypeError) as err:
        raise CorruptDatasetError(
            f"{path}: not a CIFAR-10 batch (expected 'data' of shape (N, 3072) and 'labels'): "
            f"{err}. Fix: delete {path.parent} and run `{FETCH_COMMAND}`."
        ) from err
    if labels.shape != (X.shape[0],):
        raise CorruptDatasetError(f"{path}: {X.shape[0]} images but {labels.shape[0]} labels.")
    return X, labels


def load_raw(folder: str | os.PathLike):
    """``(X_train, y_train, X_test, y_test, class_names)`` with uint8 NCHW images."""
    folder = Path(folder)
    parts = [load_batch(folder / b) for b in TRAIN_BATCHES]
    X_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    X_test, y_test = load_batch(folder / TEST_BATCH)
    meta = _unpickle(folder / META)
    names = tuple(meta.get("label_names", CLASS_NAMES))
    return X_train, y_train, X_test, y_test, names

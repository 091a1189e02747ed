"""CS231n's COCO captioning features: download (resumable), atomic extraction, HDF5 loader.

The archive ``coco_captioning.zip`` (about 1 GB) is the one CS231n's
``get_datasets.sh`` fetches.  It holds COCO 2014 captions encoded with a 1,004-word
vocabulary, VGG-16 fc7 features of every image (4,096 numbers) and their 512-dimensional
PCA, and the images' URLs:

==============================  ================================================
file                            contents
==============================  ================================================
``coco2014_captions.h5``        ``train_captions`` (N, 17), ``train_image_idxs``,
                                ``val_captions``, ``val_image_idxs``
``coco2014_vocab.json``         ``idx_to_word``, ``word_to_idx``
``train2014_vgg16_fc7.h5``      ``features`` (82,783, 4096); ``val2014_...`` too
``train2014_vgg16_fc7_pca.h5``  ``features`` (82,783, 512); ``val2014_...`` too
``train2014_urls.txt``          one image URL per line; ``val2014_urls.txt`` too
==============================  ================================================

**Checksums.**  CS231n publishes no checksum for this archive.  The download goes to a
``.part`` file and is resumed with HTTP ``Range`` requests after an interruption (the
kit's downloader, :mod:`cs231n.data._download`); its size is checked against the
server's ``Content-Length``.  After extraction, the SHA-256 of the archive and the size
of every extracted file are written to a completion marker, and :func:`verify` checks
them later ("trust on first download").  Set :data:`SHA256` (or pass ``sha256=`` to
:func:`fetch`) to pin a checksum you know.

Reading the HDF5 files needs ``h5py`` (``pip install h5py``); nothing else in the kit
does.  A folder extracted by CS231n's own script (``coco_captioning/`` with the files
above) is used as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from cs231n.data._download import ChecksumError, check_file, data_home, download, file_hash
from cs231n.data.cifar10 import CorruptDatasetError

NAME = "coco"
URL = "http://cs231n.stanford.edu/coco_captioning.zip"
#: Known size and SHA-256 of the archive, when pinned (CS231n publishes neither).
SIZE: int | None = None
SHA256: str | None = None
ARCHIVE = "coco_captioning.zip"
FOLDER = "coco_captioning"
MARKER = ".cs231n-complete.json"
CAPTIONS = "coco2014_captions.h5"
VOCAB = "coco2014_vocab.json"
FEATURES = {
    (split, pca): f"{split}2014_vgg16_fc7{'_pca' if pca else ''}.h5"
    for split in ("train", "val")
    for pca in (True, False)
}
URLS = {split: f"{split}2014_urls.txt" for split in ("train", "val")}
REQUIRED = (CAPTIONS, VOCAB, *FEATURES.values())
FETCH_COMMAND = "python -m cs231n.data.coco fetch"
H5PY_HINT = (
    "reading CS231n's COCO features needs h5py. Fix: pip install h5py "
    "(or pip install 'cs231n-kit[coco]'), or use the offline set: "
    "load_captioning_data('default')"
)


def find(data_dir: str | os.PathLike | None = None) -> Path | None:
    """The folder holding the extracted files (with or without a marker), or None."""
    home = data_home(data_dir)
    for d in (home / FOLDER, home):
        if all((d / f).is_file() for f in REQUIRED):
            return d
    return None


def _safe_names(zf: zipfile.ZipFile, root: Path) -> list[zipfile.ZipInfo]:
    base = root.resolve()
    members = []
    for info in zf.infolist():
        target = (root / info.filename).resolve()
        if base != target and base not in target.parents:
            raise CorruptDatasetError(f"unsafe path {info.filename!r} in the archive")
        if info.is_dir() or (info.external_attr >> 16) & 0o170000 == 0o120000:
            continue  # folders are made as needed; symbolic links are never extracted
        members.append(info)
    return members


def extract(archive: str | os.PathLike, home: str | os.PathLike) -> Path:
    """Extract ``archive`` into ``home/coco_captioning`` atomically; return the folder.

    Files go to a temporary folder first; the marker (archive SHA-256 and file sizes)
    is written last and the folder is then renamed into place.
    """
    archive, home = Path(archive), Path(home)
    home.mkdir(parents=True, exist_ok=True)
    target = home / FOLDER
    tmp = Path(tempfile.mkdtemp(prefix=".coco-extract-", dir=home))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                for info in _safe_names(zf, tmp):
                    zf.extract(info, tmp)
        except (zipfile.BadZipFile, EOFError, OSError) as err:
            raise CorruptDatasetError(
                f"{archive}: cannot extract ({err}); the archive is truncated or corrupt. "
                f"Fix: delete it and run `{FETCH_COMMAND}`."
            ) from err
        src = tmp / FOLDER
        if not src.is_dir():  # an archive without the top folder
            src = tmp
        missing = [f for f in REQUIRED if not (src / f).is_file()]
        if missing:
            raise CorruptDatasetError(
                f"{archive}: the archive lacks {', '.join(missing)}. "
                f"Fix: delete it and run `{FETCH_COMMAND}`."
            )
        files = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
        marker = {
            "archive_sha256": file_hash(archive, "sha256"),
            "archive_bytes": archive.stat().st_size,
            "files": {f: (src / f).stat().st_size for f in files},
        }
        (src / MARKER).write_text(json.dumps(marker, indent=1) + "\n")  # written last
        if target.exists():
            stale = Path(tempfile.mkdtemp(prefix=".coco-stale-", dir=home))
            os.replace(target, stale / FOLDER)
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(src, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def fetch(
    data_dir: str | os.PathLike | None = None,
    *,
    force: bool = False,
    progress: bool = True,
    retries: int = 3,
    sha256: str | None = None,
    keep_archive: bool = False,
) -> Path:
    """Download (resuming a partial file), check and extract the archive; return the folder.

    Parameters
    ----------
    data_dir : path, optional
        Cache folder; default ``$CS231N_DATA_DIR`` or ``~/.cache/cs231n``.
    force : bool
        Extract again even when a complete folder exists.
    progress : bool
        Show a progress bar.
    retries : int
        Retries after a failed or interrupted transfer (each one resumes).
    sha256 : str, optional
        Expected SHA-256 of the archive (default :data:`SHA256`, unknown).
    keep_archive : bool
        Keep the 1 GB zip after extraction (default: delete it).
    """
    home = data_home(data_dir)
    sha256 = sha256 or SHA256
    if not force:
        found = find(data_dir)
        if found is not None:
            return found
    archive = home / ARCHIVE
    if archive.is_file() and (SIZE is not None or sha256 is not None):
        try:
            check_file(archive, size=SIZE, sha256=sha256)
        except ChecksumError:
            if SIZE is not None and archive.stat().st_size < SIZE:
                os.replace(archive, archive.with_name(ARCHIVE + ".part"))  # resume it
            else:
                archive.unlink()
    if not archive.is_file():
        download(URL, archive, size=SIZE, sha256=sha256, progress=progress, retries=retries)
    folder = extract(archive, home)
    if not keep_archive:
        archive.unlink(missing_ok=True)
    return folder


def verify(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """Check every extracted file against the marker; return ``{file: "ok" | problem}``."""
    folder = find(data_dir)
    if folder is None:
        return {FOLDER: "missing"}
    marker = folder / MARKER
    if not marker.is_file():
        return {f: "ok (no marker: extracted by another tool, sizes not checked)" for f in REQUIRED}
    sizes = json.loads(marker.read_text())["files"]
    report = {}
    for f, size in sizes.items():
        path = folder / f
        if not path.is_file():
            report[f] = "missing"
        elif path.stat().st_size != size:
            report[f] = f"size {path.stat().st_size:,} instead of {size:,} bytes"
        else:
            report[f] = "ok"
    return report


def _h5py():
    try:
        import h5py
    except ImportError as err:
        raise ImportError(H5PY_HINT) from err
    return h5py


def load(
    data_dir: str | os.PathLike | None = None,
    max_train: int | None = None,
    pca_features: bool = True,
    seed: int = 0,
    download: bool = True,
) -> dict:
    """Load CS231n's COCO captioning data (the layout of CS231n's ``load_coco_data``).

    Parameters
    ----------
    data_dir : path, optional
        Cache folder (see :func:`cs231n.data.data_home`).
    max_train : int, optional
        Keep a random subset of this many training captions (without replacement,
        drawn from ``seed``).
    pca_features : bool
        512-dimensional PCA features (True) or the 4,096 fc7 features.
    seed : int
    download : bool
        Download the archive when the files are missing.

    Returns
    -------
    dict
        ``train_captions`` (N, 17) int32, ``train_image_idxs`` (N,), ``train_features``
        (82,783, 512 or 4096) float32, the same for ``val``, ``idx_to_word``,
        ``word_to_idx``, ``train_urls``, ``val_urls`` (arrays of str, when present),
        ``name`` and ``source``.
    """
    h5py = _h5py()
    folder = find(data_dir)
    if folder is None:
        if not download:
            from cs231n.data.loaders import DatasetNotFoundError

            raise DatasetNotFoundError(
                f"COCO captioning files not found in {data_home(data_dir) / FOLDER}. "
                f"Fix: run `{FETCH_COMMAND}` or use load_captioning_data('default')."
            )
        folder = fetch(data_dir)
    data: dict = {}
    try:
        with h5py.File(folder / CAPTIONS, "r") as f:
            for k in ("train_captions", "train_image_idxs", "val_captions", "val_image_idxs"):
                data[k] = np.asarray(f[k])
        for split in ("train", "val"):
            with h5py.File(folder / FEATURES[split, bool(pca_features)], "r") as f:
                data[f"{split}_features"] = np.asarray(f["features"], dtype=np.float32)
    except (OSError, KeyError) as err:
        raise CorruptDatasetError(
            f"{folder}: cannot read the HDF5 files ({err}). Fix: delete the folder and run "
            f"`{FETCH_COMMAND}`."
        ) from err
    vocab = json.loads((folder / VOCAB).read_text(encoding="utf-8"))
    data["idx_to_word"] = list(vocab["idx_to_word"])
    data["word_to_idx"] = {str(k): int(v) for k, v in vocab["word_to_idx"].items()}
    for split, name in URLS.items():
        path = folder / name
        if path.is_file():
            data[f"{split}_urls"] = np.array(path.read_text(encoding="utf-8").split())
    data["train_captions"] = data["train_captions"].astype(np.int32)
    data["val_captions"] = data["val_captions"].astype(np.int32)
    if max_train is not None:
        n = data["train_captions"].shape[0]
        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(n, size=min(int(max_train), n), replace=False))
        data["train_captions"] = data["train_captions"][keep]
        data["train_image_idxs"] = data["train_image_idxs"][keep]
    data["name"] = "coco"
    data["source"] = f"CS231n's COCO 2014 captioning features in {folder}"
    return data


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m cs231n.data.coco", description="CS231n's COCO captioning features"
    )
    parser.add_argument("command", choices=("fetch", "verify", "where"))
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    if args.command == "fetch":
        print(fetch(args.data_dir))
    elif args.command == "where":
        print(
            find(args.data_dir)
            or f"not downloaded (would go to {data_home(args.data_dir) / FOLDER})"
        )
    else:
        report = verify(args.data_dir)
        for k, v in report.items():
            print(f"{k}: {v}")
        return 0 if all(v.startswith("ok") for v in report.values()) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

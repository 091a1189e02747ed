"""Build the embedded Fashion-MNIST subset shipped in ``cs231n/data/``.

Usage (from the repository root)::

    apt-get install -y dataset-fashion-mnist      # Debian/Ubuntu: the original IDX files
    python datasets/make_embedded.py               # or: --source DIR with the four .gz files
    python datasets/make_embedded.py --check       # rebuild in memory, compare with the shipped file

The selection is deterministic (``--seed``, default 231): for each class, a seeded
permutation of the official *training* images gives the training images, then the
validation images (so the two never overlap); a seeded permutation of the official
*test* images gives the test images.  Each split is then shuffled with the same
generator, so any prefix of a split is close to balanced.

The output is ``fashion_mnist_subset.npz`` (uint8 images (N, 28, 28), uint8 labels, and
the uint16 indices of every image in the original files), written as a zip whose
members carry a fixed timestamp so the same input gives the same bytes, plus
``fashion_mnist_subset.json`` with its size, SHA-256, the settings and the class names.
The loader checks the SHA-256 every time it loads the file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cs231n.data import fashion_mnist  # noqa: E402

OUT_DIR = ROOT / "cs231n" / "data"
NPZ_NAME = "fashion_mnist_subset.npz"
JSON_NAME = "fashion_mnist_subset.json"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def select(y_train, y_test, train_per_class, val_per_class, test_per_class, seed):
    """Indices (train, val, test) into the original train and test files."""
    rng = np.random.default_rng(seed)
    classes = np.unique(y_train)
    tr, va, te = [], [], []
    for c in classes:
        pool = rng.permutation(np.flatnonzero(y_train == c))
        if len(pool) < train_per_class + val_per_class:
            raise SystemExit(f"class {c}: only {len(pool)} training images")
        tr.append(pool[:train_per_class])
        va.append(pool[train_per_class : train_per_class + val_per_class])
        pool = rng.permutation(np.flatnonzero(y_test == c))
        if len(pool) < test_per_class:
            raise SystemExit(f"class {c}: only {len(pool)} test images")
        te.append(pool[:test_per_class])
    return tuple(rng.permutation(np.concatenate(parts)) for parts in (tr, va, te))


def deterministic_npz(arrays: dict[str, np.ndarray]) -> bytes:
    """The bytes of an ``np.load``-able .npz with fixed member timestamps (reproducible)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buf.getvalue()


def content_sha256(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over the arrays' names, dtypes, shapes and bytes (independent of zlib)."""
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def build(source: Path, seed: int, train_per_class: int, val_per_class: int, test_per_class: int):
    X_tr, y_tr, X_te, y_te = fashion_mnist.load_raw(source)
    i_tr, i_va, i_te = select(y_tr, y_te, train_per_class, val_per_class, test_per_class, seed)
    arrays = {
        "X_train": X_tr[i_tr],
        "y_train": y_tr[i_tr].astype(np.uint8),
        "X_val": X_tr[i_va],
        "y_val": y_tr[i_va].astype(np.uint8),
        "X_test": X_te[i_te],
        "y_test": y_te[i_te].astype(np.uint8),
        "index_train": i_tr.astype(np.uint16),
        "index_val": i_va.astype(np.uint16),
        "index_test": i_te.astype(np.uint16),
    }
    blob = deterministic_npz(arrays)
    meta = {
        "name": "default",
        "description": "Balanced subset of Fashion-MNIST (Zalando SE, MIT licence)",
        "file": NPZ_NAME,
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "content_sha256": content_sha256(arrays),
        "seed": seed,
        "per_class": {"train": train_per_class, "val": val_per_class, "test": test_per_class},
        "counts": {
            "train": len(i_tr),
            "val": len(i_va),
            "test": len(i_te),
        },
        "origin": {
            "train": "official train-images-idx3-ubyte (60,000 images)",
            "val": "official train-images-idx3-ubyte, disjoint from train",
            "test": "official t10k-images-idx3-ubyte (10,000 images)",
        },
        "source_sha256": {name: sha for name, (_, sha) in fashion_mnist.FILES.items()},
        "class_names": list(fashion_mnist.CLASS_NAMES),
        "shape": [1, 28, 28],
        "licence": "MIT (Expat), Copyright (c) 2017 Zalando SE; see LICENSE-fashion-mnist.txt",
        "built_by": "datasets/make_embedded.py",
    }
    return blob, meta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="folder with the four IDX .gz files (default: Debian copy, cache, or download)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=231)
    parser.add_argument("--train-per-class", type=int, default=1000)
    parser.add_argument("--val-per-class", type=int, default=100)
    parser.add_argument("--test-per-class", type=int, default=100)
    parser.add_argument(
        "--check", action="store_true", help="rebuild in memory and compare with --out"
    )
    args = parser.parse_args(argv)
    source = args.source or fashion_mnist.fetch()
    blob, meta = build(
        source, args.seed, args.train_per_class, args.val_per_class, args.test_per_class
    )
    npz_path, json_path = args.out / NPZ_NAME, args.out / JSON_NAME
    if args.check:
        shipped = json.loads(json_path.read_text())
        same_content = shipped.get("content_sha256") == meta["content_sha256"]
        same_bytes = npz_path.is_file() and npz_path.read_bytes() == blob
        print(f"content identical: {same_content}; file bytes identical: {same_bytes}")
        return 0 if same_content else 1
    args.out.mkdir(parents=True, exist_ok=True)
    npz_path.write_bytes(blob)
    json_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {npz_path} ({len(blob):,} bytes, sha256 {meta['sha256']})")
    print(f"counts: {meta['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The embedded default: a balanced Fashion-MNIST subset shipped inside the package.

10,000 training, 1,000 validation and 1,000 test images (1,000 / 100 / 100 per class),
28x28 greyscale uint8, built by ``datasets/make_embedded.py`` from the original IDX files.
Fashion-MNIST is Copyright (c) 2017 Zalando SE, MIT licence (``LICENSE-fashion-mnist.txt``
next to this file).  It loads with no network at all, and its SHA-256 is checked at the
first load in each process.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from cs231n.data._download import ChecksumError

HERE = Path(__file__).resolve().parent
NPZ = HERE / "fashion_mnist_subset.npz"
META = HERE / "fashion_mnist_subset.json"


def metadata() -> dict:
    """The JSON record written next to the file: size, SHA-256, seed, counts, classes."""
    return json.loads(META.read_text(encoding="utf-8"))


_CACHE: dict = {}


def load_raw(verify: bool = True) -> dict:
    """The stored arrays as uint8 (images (N, 28, 28)), after checking the SHA-256.

    The verified arrays are kept (read-only) for the rest of the process, keyed by the
    file's path, size and modification time, so later calls skip the decompression.
    """
    meta = metadata()
    try:
        st = NPZ.stat()
        key = (str(NPZ), st.st_size, st.st_mtime_ns, meta["sha256"])
    except OSError:
        key = None
    if verify and key in _CACHE:
        return dict(_CACHE[key])
    if not NPZ.is_file():
        raise FileNotFoundError(
            f"the embedded dataset is missing: looked for {NPZ}. Fix: reinstall the package "
            f"(pip install --force-reinstall cs231n-kit) or run datasets/make_embedded.py."
        )
    blob = NPZ.read_bytes()
    if verify:
        got = hashlib.sha256(blob).hexdigest()
        if got != meta["sha256"]:
            raise ChecksumError(
                f"{NPZ}: expected sha256 {meta['sha256']}, got {got} ({len(blob):,} bytes, "
                f"expected {meta['bytes']:,}); the embedded dataset is corrupt. Fix: reinstall "
                f"the package or rebuild it with datasets/make_embedded.py."
            )
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["class_names"] = tuple(meta["class_names"])
    if verify and key is not None:
        for a in arrays.values():
            if isinstance(a, np.ndarray):
                a.flags.writeable = False
        _CACHE.clear()
        _CACHE[key] = arrays
    return dict(arrays)

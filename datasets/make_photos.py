"""Build the demo photos shipped in ``cs231n/data/photos/`` from scikit-image (dev only).

Usage: ``pip install scikit-image && python datasets/make_photos.py``

Both photos are CC0 (no copyright restrictions), as stated in scikit-image's
``skimage.data`` documentation:

* ``chelsea``: Chelsea the cat, photographed by Stefan van der Walt;
* ``coffee``: a cup of coffee, photographed by Rachel Michetti, courtesy of Pikolo
  Espresso Bar.

They are downscaled with anti-aliasing (to keep the package small) and stored as
compressed uint8 arrays of shape (H, W, 3), one ``.npz`` per photo, with fixed zip
timestamps so the output is reproducible.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "datasets"))

from make_embedded import deterministic_npz  # noqa: E402

OUT = ROOT / "cs231n" / "data" / "photos"
# name -> output (height, width)
SIZES = {"chelsea": (200, 300), "coffee": (200, 300)}


def main() -> int:
    import skimage.data
    from skimage.transform import resize

    OUT.mkdir(parents=True, exist_ok=True)
    for name, (h, w) in SIZES.items():
        img = getattr(skimage.data, name)()
        small = resize(img, (h, w), anti_aliasing=True, preserve_range=True)
        small = np.clip(np.rint(small), 0, 255).astype(np.uint8)
        blob = deterministic_npz({"image": small})
        (OUT / f"{name}.npz").write_bytes(blob)
        print(f"{name}: {img.shape} -> {small.shape}, {len(blob):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Real photos for the convolution demo, shipped with the package (CC0).

``chelsea`` (a cat, by Stefan van der Walt) and ``coffee`` (a cup of coffee, by Rachel
Michetti, courtesy of Pikolo Espresso Bar), both from scikit-image's sample data and
dedicated to the public domain (CC0).  See ``photos/CREDITS.txt``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cs231n.validation import ConfigError, fail

PHOTO_DIR = Path(__file__).resolve().parent / "photos"
PHOTOS = ("chelsea", "coffee")
CREDITS = {
    "chelsea": "Chelsea the cat, photo by Stefan van der Walt (CC0), via scikit-image",
    "coffee": "Coffee cup, photo by Rachel Michetti, courtesy of Pikolo Espresso Bar (CC0), "
    "via scikit-image",
}


def load_photo(name: str) -> np.ndarray:
    """One demo photo as a uint8 array of shape (H, W, 3) (200 x 300 pixels).

    Parameters
    ----------
    name : {"chelsea", "coffee"}
        ``"chelsea"`` is a cat (CS231n's kitten), ``"coffee"`` a coffee cup.

    Returns
    -------
    ndarray of shape (H, W, 3), dtype uint8
        A fresh, writable array.  Transpose with ``img.transpose(2, 0, 1)`` for NCHW.
    """
    if name not in PHOTOS:
        fail(
            "load_photo: name",
            "one of " + ", ".join(map(repr, PHOTOS)),
            repr(name),
            None,
            ConfigError,
        )
    path = PHOTO_DIR / f"{name}.npz"
    if not path.is_file():
        raise FileNotFoundError(
            f"load_photo: looked for {path} and it is missing. Fix: reinstall the package "
            f"or run datasets/make_photos.py."
        )
    with np.load(path, allow_pickle=False) as z:
        return np.array(z["image"], dtype=np.uint8)


def load_photos() -> dict[str, np.ndarray]:
    """All demo photos: ``{"chelsea": (H, W, 3) uint8, "coffee": ...}``."""
    return {name: load_photo(name) for name in PHOTOS}

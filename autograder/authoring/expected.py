"""Generate the expected values of the visible checks from the reference package.

::

    python -m autograder.authoring.expected [--check] [notebook ...]

runs the expected-value builders on the REFERENCE package: ``build_expected()`` in
every ``assignments/<assignment>/hidden/<notebook>.py`` (never released: wrong variants
can be close to a solution, and the builder runs reference code). It writes
``cs231n/checks/expected/<notebook>.npz`` (inputs, outputs and the outputs of known-wrong
variants, plus the fingerprints of the known mistakes listed in the hidden
``_mistakes.py`` files, see :mod:`autograder.authoring.mistakes`). A student release ships these files, so its checks need no
reference code. ``--check`` regenerates in memory, compares with the files (rtol 1e-10)
and exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from cs231n.checks.common import EXPECTED_DIR


def builders() -> dict:
    """notebook -> zero-argument function returning its expected values.

    Every ``assignments/<assignment>/hidden/<notebook>.py`` that defines
    ``build_expected()`` contributes one builder (hidden files are never released).
    """
    from autograder.authoring.source import ASSIGNMENTS_DIR, load_module

    out = {}
    for path in sorted(ASSIGNMENTS_DIR.glob("*/hidden/*.py")):
        if path.name.startswith("_") or "def build_expected" not in path.read_text("utf-8"):
            continue
        module = load_module(path)
        out[path.stem] = module.build_expected
    return out


def generate(notebook: str, table: dict | None = None) -> dict[str, np.ndarray]:
    """Run one builder; return its arrays (as ndarrays, no object dtype)."""
    from autograder.authoring.mistakes import fingerprints, known_mistakes

    table = table or builders()
    data = table[notebook]()
    out = {}
    for key, value in data.items():
        arr = np.asarray(value)
        if arr.dtype == object:
            raise TypeError(f"{notebook}: {key} has object dtype; store plain numeric arrays")
        out[key] = arr
    # fingerprints of the known mistakes, as the checks see them on these values
    out.update(fingerprints(notebook, dict(out), known_mistakes()))
    return out


def differences(new: dict, old: dict, rtol: float = 1e-10) -> list[str]:
    """Keys that differ between two expected-value dicts."""
    diffs = [f"missing {k}" for k in sorted(set(new) - set(old))]
    diffs += [f"stale {k}" for k in sorted(set(old) - set(new))]
    for k in sorted(set(new) & set(old)):
        a, b = new[k], old[k]
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            diffs.append(f"{k}: shape/dtype {a.shape} {a.dtype} vs {b.shape} {b.dtype}")
        elif a.dtype.kind in "biuUSb":
            if not np.array_equal(a, b):
                diffs.append(f"{k}: values differ")
        elif not np.allclose(a, b, rtol=rtol, atol=1e-14, equal_nan=True):
            diffs.append(f"{k}: values differ (max |diff| {np.max(np.abs(a - b)):.3g})")
    return diffs


def build_expected(check: bool = False, notebooks=None) -> list[str]:
    """Write (or, with ``check=True``, only compare) the expected-value files.

    Parameters
    ----------
    check : bool
        Regenerate in memory and compare with the files on disk (rtol 1e-10) without
        writing anything.
    notebooks : iterable of str, optional
        Only these notebooks (default: every notebook with a builder).

    Returns
    -------
    paths : list of str
        The files written, or with ``check=True`` the files that are missing or out of
        date (an empty list means up to date). A builder that raises is re-raised as a
        RuntimeError naming the notebook.
    """
    table = builders()
    names = list(notebooks) if notebooks else sorted(table)
    unknown = [nb for nb in names if nb not in table]
    if unknown:
        raise KeyError(
            f"no expected-value builder for {', '.join(unknown)} (known: {', '.join(sorted(table))})"
        )
    out = []
    for nb in names:
        try:
            new = generate(nb, table)
        except Exception as exc:
            raise RuntimeError(
                f"{nb}: expected-value builder failed: {type(exc).__name__}: {exc}"
            ) from exc
        path = EXPECTED_DIR / f"{nb}.npz"
        if check:
            if not path.is_file():
                out.append(str(path))
                continue
            with np.load(path, allow_pickle=False) as f:
                old = {k: f[k] for k in f.files}
            if differences(new, old):
                out.append(str(path))
        else:
            EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, **new)
            out.append(str(path))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring.expected", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "notebooks", nargs="*", help="notebooks (default: every registered generator)"
    )
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    table = builders()
    names = args.notebooks or sorted(table)
    status = 0
    for nb in names:
        if nb not in table:
            print(f"{nb}: no builder (known: {', '.join(sorted(table))})")
            status = 1
            continue
        try:
            new = generate(nb, table)
        except Exception as exc:  # report every notebook, then fail
            print(f"{nb}: generator failed: {type(exc).__name__}: {exc}")
            status = 1
            continue
        path = EXPECTED_DIR / f"{nb}.npz"
        if args.check:
            if not path.is_file():
                print(f"{nb}: {path.name} is missing")
                status = 1
                continue
            with np.load(path, allow_pickle=False) as f:
                old = {k: f[k] for k in f.files}
            diffs = differences(new, old)
            if diffs:
                print(f"{nb}: {path.name} is out of date: " + "; ".join(diffs[:8]))
                status = 1
        else:
            EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, **new)
            print(f"wrote {path.name} ({len(new)} arrays)")
    if status and args.check:
        print("Fix: python -m autograder.authoring.expected")
    return status


if __name__ == "__main__":
    sys.exit(main())

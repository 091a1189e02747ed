"""Sync solution cells (and imports cells) of the source notebooks from the package.

One way only: package -> notebook. ::

    python -m autograder.authoring.sync [--check] [notebook.ipynb ...]

For every cell whose nbgrader ``grade_id`` is a task id, the source becomes the exact
package source of the task's objects (:func:`autograder.authoring.source.solution_cell_source`);
every ``<notebook>_imports`` cell gets its generated part regenerated. ``--check`` writes
nothing, lists drifted cells and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from autograder.authoring.nbbuild import imports_source, split_imports_extra
from autograder.authoring.source import ASSIGNMENTS_DIR, solution_cell_source, task_ids
from cs231n.course.tasks import ASSIGNMENTS


def source_notebooks(root: Path = ASSIGNMENTS_DIR) -> list[Path]:
    """Every source notebook ``assignments/*/*.ipynb``."""
    return sorted(p for p in root.glob("*/*.ipynb") if not p.name.startswith("."))


def _assignment_of(path: Path) -> str | None:
    name = path.parent.name
    return name if name in ASSIGNMENTS else None


def expected_sources(nb, path: Path) -> dict[int, str]:
    """Index -> expected source, for every generated cell of notebook ``nb``."""
    ids = task_ids()
    out = {}
    stem = path.stem
    for i, cell in enumerate(nb.cells):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in ids and cell.cell_type == "code":
            out[i] = solution_cell_source(gid)
        elif gid == f"{stem}_imports":
            extra = split_imports_extra(cell.source)
            out[i] = imports_source(stem, _assignment_of(path), extra)
    return out


def sync_notebook(path: Path, check: bool = False) -> list[str]:
    """Sync one notebook; return the grade ids of drifted cells."""
    nb = nbformat.read(path, as_version=4)
    drifted = []
    for i, src in expected_sources(nb, path).items():
        if nb.cells[i].source != src:
            drifted.append(nb.cells[i].metadata["nbgrader"]["grade_id"])
            nb.cells[i].source = src
    if drifted and not check:
        nbformat.write(nb, path)
    return drifted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring.sync", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks (default: assignments/*/*.ipynb)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any cell drifted"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or source_notebooks()
    any_drift = False
    for path in paths:
        drifted = sync_notebook(path, check=args.check)
        if drifted:
            any_drift = True
            verb = "drifted from the package" if args.check else "updated"
            print(f"{path}: {verb}: {', '.join(drifted)}")
    if any_drift and args.check:
        print("Fix: python -m autograder.authoring.sync (then commit the notebooks).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

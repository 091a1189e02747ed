"""nbgrader cells of a source notebook: the cell kinds, their metadata, and the notebook.

:mod:`autograder.authoring.build` turns each cell of a percent-format source into one of
these; tests and :mod:`autograder.samples` build small notebooks with them directly.
See ``autograder/authoring/README.md`` for the cell kinds and their nbgrader metadata.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.authoring.setup_cell import SETUP_SOURCE
from autograder.authoring.source import (
    BEGIN,
    END,
    check_names,
    from_import,
    needed_imports,
    solution_cell_source,
)
from cs231n.course.tasks import get_task

SKIP_GRADING = "skip-grading"
EXTRA_MARK = "# --- notebook imports ---"
_KIND = "_cs231n_kind"


def _nbgrader(cell, *, grade_id=None, solution=False, grade=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def md(text: str):
    """A read-only markdown cell (explanations, instructions)."""
    return _nbgrader(new_markdown_cell(text.strip("\n")), locked=True)


def code(source: str, *, skip_grading: bool = False, locked: bool = False):
    """A plain code cell; ``skip_grading`` tags it ``skip-grading`` (demo only)."""
    cell = new_code_cell(source.strip("\n"))
    if skip_grading:
        cell.metadata["tags"] = [SKIP_GRADING]
    if locked:
        _nbgrader(cell, locked=True)
    return cell


def setup_cell():
    """The Colab-only first code cell."""
    cell = _nbgrader(new_code_cell(SETUP_SOURCE.rstrip("\n")), locked=True)
    cell.metadata["tags"] = ["setup"]
    cell.metadata[_KIND] = "setup"
    return cell


def imports_cell(extra: str = ""):
    """The generated imports cell; ``extra`` lines are kept after the generated part."""
    cell = _nbgrader(new_code_cell(""), locked=True)
    cell.metadata["tags"] = ["imports"]
    cell.metadata[_KIND] = "imports"
    cell.metadata["_extra"] = extra.strip("\n")
    return cell


def imports_source(notebook: str, assignment: str | None = None, extra: str = "") -> str:
    """Source of a notebook's imports cell: generated part, marker, ``extra``."""
    lines = [
        "# Imports (generated from the package by autograder.authoring.sync).",
        "import matplotlib.pyplot as plt",
        "import numpy as np",
        "",
        "from cs231n import plug_in, unplug",
        "from cs231n.checks import report_accuracy",
        "from cs231n.data import load_dataset",
    ]
    needed = [ln for ln in needed_imports(notebook, assignment) if ln != "import numpy as np"]
    if needed:
        lines += ["", "# Names the code you write may use:", *needed]
    checks = check_names(notebook, assignment)
    if checks:
        lines += ["", "# Visible checks (they assert, and explain what went wrong):"]
        lines += [from_import("cs231n.checks", checks)]
    lines += ["", EXTRA_MARK]
    if extra.strip():
        lines += [extra.strip("\n")]
    return "\n".join(lines)


def split_imports_extra(source: str) -> str:
    """The author's part of an imports cell (what follows the marker line)."""
    if EXTRA_MARK not in source:
        return ""
    return source.split(EXTRA_MARK, 1)[1].strip("\n")


def solution_cell(task_id: str):
    """The autograded answer cell of a task, filled from the package source."""
    get_task(task_id)
    cell = _nbgrader(new_code_cell(solution_cell_source(task_id)), grade_id=task_id, solution=True)
    return cell


def hidden_region(task_id: str) -> str:
    return (
        "### BEGIN HIDDEN TESTS\n"
        "from autograder.hidden import grade_hidden\n\n"
        f'grade_hidden("{task_id}", globals())\n'
        "### END HIDDEN TESTS"
    )


def visible_call(task_id: str) -> str:
    """The visible check call of a task's test cell, from ``cs231n.checks.REGISTRY``.

    ``check_<task id without aN_>(name, ...)`` with the names of
    ``REGISTRY[task_id].names`` (the objects the notebook defines, in order).
    """
    from cs231n.checks import REGISTRY

    check = REGISTRY.get(task_id)
    if check is None:
        raise KeyError(
            f"{task_id}: expected a visible check registered with "
            f'@register("{task_id}") in cs231n/checks/, found none. Fix: write the check.'
        )
    return f"{check.func.__name__}({', '.join(check.names)})"


def test_cell(task_id: str, visible: str | None = None):
    """The locked test cell of a task: visible checks, then the hidden-test region.

    ``visible`` defaults to :func:`visible_call`.
    """
    task = get_task(task_id)
    if visible is None:
        visible = visible_call(task_id)
    src = visible.strip("\n") + "\n" + hidden_region(task_id)
    return _nbgrader(
        new_code_cell(src), grade_id=f"{task_id}_test", grade=True, locked=True, points=task.points
    )


def answer_cell(n: int, source: str, points: int = 1):
    """The manually graded markdown answer cell of inline question ``n``.

    ``source`` holds the reference answer between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION`` (the release replaces it by nbgrader's ``YOUR ANSWER HERE``).
    """
    if BEGIN not in source or END not in source:
        raise ValueError(
            f"answer cell of question {n}: expected the reference answer between {BEGIN!r} "
            f"and {END!r}, got {source[:60]!r}. Fix: write the answer inside the markers."
        )
    cell = _nbgrader(
        new_markdown_cell(source.strip("\n")),
        grade_id=None,
        solution=True,
        grade=True,
        points=points,
    )
    cell.metadata[_KIND] = f"q{n}"
    return cell


def question(n: int, prompt: str, answer: str, points: int = 1) -> list:
    """An inline question: read-only prompt + manually graded markdown answer cell."""
    prompt_cell = md(f"**Inline question {n}.** " + prompt.strip())
    answer_src = f"**Your answer:**\n{BEGIN}\n{answer.strip()}\n{END}"
    return [prompt_cell, answer_cell(n, answer_src, points)]


def finalize(cells: list, notebook: str, assignment: str):
    """Assign grade ids and cell ids, fill generated cells, and return the notebook."""
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    seen = set()
    auto = 0
    for i, cell in enumerate(cells):
        cell = nbformat.from_dict(dict(cell))
        kind = cell.metadata.pop(_KIND, None)
        extra = cell.metadata.pop("_extra", "")
        meta = cell.metadata.get("nbgrader")
        if kind == "setup":
            meta["grade_id"] = f"{notebook}_setup"
        elif kind == "imports":
            meta["grade_id"] = f"{notebook}_imports"
            cell.source = imports_source(notebook, assignment, extra)
        elif kind and kind.startswith("q"):
            meta["grade_id"] = f"{notebook}_{kind}"
        elif meta is not None and meta["grade_id"] is None:
            auto += 1
            meta["grade_id"] = f"{notebook}_c{auto:02d}"
        cell_id = meta["grade_id"] if meta else f"{notebook}-{i:02d}"
        if cell_id in seen:
            raise ValueError(f"{notebook}: duplicate grade id {cell_id!r}")
        seen.add(cell_id)
        cell["id"] = cell_id.replace("_", "-")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def dumps(nb) -> str:
    """The notebook as stored: nbformat's JSON with a final newline."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"

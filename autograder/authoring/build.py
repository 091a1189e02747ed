"""Build everything an author's change needs, from the notebook sources and the package.

::

    python -m autograder.authoring build [--check] [--only NOTEBOOK ...]

The source of each notebook is one jupytext percent-format file,
``assignments/<assignment>/<notebook>.py`` (see ``autograder/authoring/README.md``).
The build

1. rewrites the generated parts of every source: the jupytext header, the setup cell,
   the imports cell (up to its ``# --- notebook imports ---`` line), every solution cell
   (from the package) and the visible check call of every test cell (from
   ``cs231n.checks.REGISTRY``) with its hidden-test region; then ``ruff format``s the
   source (when ruff is installed);
2. writes the nbgrader source notebooks ``assignments/<assignment>/<notebook>.ipynb``
   (no outputs, stable cell ids);
3. writes the expected values of the visible checks (``cs231n/checks/expected/``);
4. checks that a stub can be made for every task: each task's package objects hold a
   solution region that the strip tool replaces by a compiling stub, and each solution
   cell holds one that nbgrader clears.

``--check`` writes nothing, lists every file that differs and exits 1 when one does.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jupytext

from autograder.authoring import cells as C
from autograder.authoring.setup_cell import SETUP_SOURCE
from autograder.authoring.source import (
    ASSIGNMENTS_DIR,
    REPO_ROOT,
    module_file,
    solution_cell_source,
    solution_regions,
)
from cs231n.course.tasks import ASSIGNMENTS, TASKS, get_task, tasks_for

HEADER = """\
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---
"""
ROLES = ("setup", "imports", "solution", "test", "locked", "answer")
CELL_KEYS = {"role", "task", "n", "points", "tags"}
# keys jupytext itself may add when it reads a percent file; they carry no meaning here
JUPYTEXT_KEYS = {"lines_to_next_cell", "cell_marker", "title"}
_CELL_START = re.compile(r"^# %%(?:\s|$)")
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


def source_path(assignment: str, notebook: str, root: Path = ASSIGNMENTS_DIR) -> Path:
    """The percent-format source of a notebook."""
    return root / assignment / f"{notebook}.py"


def notebook_path(assignment: str, notebook: str, root: Path = ASSIGNMENTS_DIR) -> Path:
    return root / assignment / f"{notebook}.ipynb"


def source_paths(root: Path = ASSIGNMENTS_DIR) -> list[Path]:
    """The source of every notebook of the registry that has one."""
    out = []
    for assignment, notebooks in ASSIGNMENTS.items():
        for notebook in notebooks:
            path = source_path(assignment, notebook, root)
            if path.is_file():
                out.append(path)
    return out


# --------------------------------------------------------------------------- reading


@dataclass
class Chunk:
    """One cell of a percent file as text: its ``# %%`` line, body and blank lines after."""

    header: str
    body: list[str]
    blank_after: int


def split_text(text: str, where: str) -> tuple[list[str], list[Chunk]]:
    """Split a percent file into the lines before the first cell and its cells."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts = [i for i, line in enumerate(lines) if _CELL_START.match(line)]
    if not starts:
        raise ValueError(f"{where}: expected cells starting with '# %%', found none")
    chunks = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body = lines[start + 1 : stop]
        blank = 0
        while body and not body[-1].strip():
            body.pop()
            blank += 1
        chunks.append(Chunk(lines[start], body, blank))
    return lines[: starts[0]], chunks


def _cell_meta(cell, where: str) -> dict:
    meta = {k: v for k, v in cell.metadata.items() if k not in JUPYTEXT_KEYS}
    unknown = set(meta) - CELL_KEYS
    if unknown:
        raise ValueError(
            f"{where}: unknown cell option(s) {sorted(unknown)}; expected only "
            f'{sorted(CELL_KEYS)}. Fix: write e.g. \'# %% role="solution" task="a1_x"\'.'
        )
    role = meta.get("role")
    if role is not None and role not in ROLES:
        raise ValueError(f"{where}: role={role!r}; expected one of {list(ROLES)}")
    if role in ("solution", "test"):
        task = meta.get("task")
        try:
            get_task(task)
        except KeyError:
            raise ValueError(
                f"{where}: role={role!r} needs task=<a task id of cs231n.course.tasks>, "
                f"got {task!r}. Fix: add the task's registry row first."
            ) from None
    if role == "answer" and not isinstance(meta.get("n"), int):
        raise ValueError(f"{where}: role='answer' needs n=<question number>")
    if cell.cell_type == "markdown" and role not in (None, "answer"):
        raise ValueError(f"{where}: a markdown cell can only have role='answer', got {role!r}")
    if cell.cell_type == "code" and role == "answer":
        raise ValueError(f"{where}: role='answer' is a markdown cell: '# %% [markdown] role=...'")
    return meta


def read_cells(text: str, where: str = "source") -> list:
    """The cells of a percent-format source, read by jupytext, with their options checked."""
    nb = jupytext.reads(text, fmt="py:percent")
    _, chunks = split_text(text, where)
    if len(nb.cells) != len(chunks):
        raise ValueError(
            f"{where}: jupytext reads {len(nb.cells)} cells but the file has {len(chunks)} "
            "'# %%' lines. Fix: put nothing but the header before the first '# %%'."
        )
    for i, cell in enumerate(nb.cells):
        _cell_meta(cell, f"{where}: cell {i + 1} ({chunks[i].header!r})")
    return nb.cells


# --------------------------------------------------------------------------- generated parts


def split_test_body(source: str, task_id: str) -> list[str]:
    """The author's lines of a test cell: all but the visible call and the hidden region."""
    func = C.visible_call(task_id).split("(", 1)[0]
    out, hidden, depth = [], False, 0
    for line in source.split("\n"):
        if depth > 0:  # a continuation line of the generated call (ruff wraps long calls)
            depth += line.count("(") - line.count(")")
        elif line.strip() == HIDDEN_BEGIN:
            hidden = True
        elif line.strip() == HIDDEN_END:
            hidden = False
        elif not hidden and line.startswith(func + "("):
            depth = line.count("(") - line.count(")")
        elif not hidden:
            out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def test_visible(source: str, task_id: str) -> str:
    """The visible part of a test cell: the registry's call, then the author's lines."""
    return "\n".join([C.visible_call(task_id), *split_test_body(source, task_id)])


def used_names(cells) -> frozenset[str]:
    """Names loaded by the code cells other than the imports cell (solutions regenerated)."""
    names: set[str] = set()
    for cell in cells:
        role = cell.metadata.get("role")
        if cell.cell_type != "code" or role in ("imports", "setup"):
            continue
        source = solution_cell_source(cell.metadata["task"]) if role == "solution" else cell.source
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        names.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    return frozenset(names)


def generated_source(cell, notebook: str, assignment: str, cells=()) -> str | None:
    """The source a generated cell must have (None for a cell the author writes)."""
    role = cell.metadata.get("role")
    if role == "setup":
        return SETUP_SOURCE.rstrip("\n")
    if role == "imports":
        return C.imports_source(
            notebook, assignment, C.split_imports_extra(cell.source), used_names(cells)
        )
    if role == "solution":
        return solution_cell_source(cell.metadata["task"])
    if role == "test":
        task_id = cell.metadata["task"]
        return test_visible(cell.source, task_id) + "\n" + C.hidden_region(task_id)
    return None


def _ends_with_def(source: str) -> bool:
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], (ast.FunctionDef, ast.ClassDef))


def _starts_with_def(body: list[str]) -> bool:
    for line in body:
        if line.strip() and not line.startswith("#"):
            return line.startswith(("def ", "class ", "async def ", "@"))
    return False


def refresh_source(text: str, notebook: str, assignment: str, where: str = "source") -> str:
    """``text`` with its generated parts rewritten (header and generated cells)."""
    cells = read_cells(text, where)
    _, chunks = split_text(text, where)
    generated = set()
    for k, (cell, chunk) in enumerate(zip(cells, chunks)):
        new = generated_source(cell, notebook, assignment, cells)
        if new is not None:
            chunk.body = new.split("\n")
            generated.add(k)
    # ruff format's rule: two blank lines after a def/class and before one (with its comments)
    for k in range(len(chunks) - 1):
        if k in generated or k + 1 in generated:
            two = _ends_with_def("\n".join(chunks[k].body)) or _starts_with_def(chunks[k + 1].body)
            chunks[k].blank_after = 2 if two else 1
    out = [HEADER, "\n"]
    for k, chunk in enumerate(chunks):
        out.append("\n".join([chunk.header, *chunk.body]) + "\n")
        if k + 1 < len(chunks):
            out.append("\n" * chunk.blank_after)
    return "".join(out)


def to_nbgrader(cell, used: frozenset[str] | None = None):
    """The nbgrader cell of one source cell (``used``: see :func:`used_names`)."""
    meta = cell.metadata
    role = meta.get("role")
    tags = list(meta.get("tags", []))
    if cell.cell_type == "markdown":
        if role == "answer":
            return C.answer_cell(meta["n"], cell.source, meta.get("points", 1))
        out = C.md(cell.source)
    elif role == "setup":
        out = C.setup_cell()
    elif role == "imports":
        out = C.imports_cell(extra=C.split_imports_extra(cell.source), used=used)
    elif role == "solution":
        out = C.solution_cell(meta["task"])
    elif role == "test":
        out = C.test_cell(meta["task"], test_visible(cell.source, meta["task"]))
    else:
        out = C.code(cell.source, skip_grading=C.SKIP_GRADING in tags, locked=role == "locked")
    extra_tags = [t for t in tags if t != C.SKIP_GRADING]
    if extra_tags:
        out.metadata["tags"] = [*out.metadata.get("tags", []), *extra_tags]
    return out


def build_notebook(text: str, notebook: str, assignment: str, where: str = "source"):
    """The nbgrader source notebook of a (refreshed) percent source."""
    cells = read_cells(text, where)
    _check_tasks(cells, notebook, assignment, where)
    used = used_names(cells)
    return C.finalize([to_nbgrader(c, used) for c in cells], notebook, assignment)


def _check_tasks(cells, notebook: str, assignment: str, where: str) -> None:
    """Every task of the notebook has one solution cell and one test cell, and no other."""
    wanted = [t.id for t in tasks_for(assignment, notebook)]
    for role in ("solution", "test"):
        got = [c.metadata["task"] for c in cells if c.metadata.get("role") == role]
        missing = [t for t in wanted if t not in got]
        foreign = [t for t in got if t not in wanted]
        twice = sorted({t for t in got if got.count(t) > 1})
        if missing or foreign or twice:
            raise ValueError(
                f"{where}: {role} cells: missing {missing}, not of this notebook {foreign}, "
                f'repeated {twice}. Fix: one \'# %% role="{role}" task="<id>"\' cell per task '
                f"of {assignment}/{notebook} in cs231n/course/tasks.py."
            )


# --------------------------------------------------------------------------- stubs


def check_stubs() -> list[str]:
    """Problems that would stop a stub being made for a task (empty when all is well).

    For every task: each of its package objects holds a ``### BEGIN/END SOLUTION``
    region that :func:`autograder.authoring.strip.strip_source` replaces by a stub, and
    the stripped module still compiles. The solution cells are copies of the same
    objects, so nbgrader's ``ClearSolutions`` finds the same regions.
    """
    from autograder.authoring.strip import module_name, strip_source

    problems = []
    ids = {t.id for t in TASKS}
    files: dict[Path, str] = {}
    for task in TASKS:
        for spec in task.objects:
            files.setdefault(module_file(spec.split(":")[0]), task.id)
    stripped: set[str] = set()
    package_root = REPO_ROOT / "cs231n"
    for path in sorted(files):
        rel = path.relative_to(REPO_ROOT).as_posix()
        try:
            _, done = strip_source(
                path.read_text(encoding="utf-8"), module_name(path, package_root), ids, rel
            )
        except ValueError as exc:
            problems.append(str(exc))
            continue
        stripped.update(done)
    for task in TASKS:
        if task.id not in stripped:
            problems.append(
                f"{task.id}: no '### BEGIN SOLUTION' region in {', '.join(task.objects)}; "
                "a student would get the solution. Fix: mark the solution in the package."
            )
        elif not solution_regions(solution_cell_source(task.id), task.id):
            problems.append(f"{task.id}: its solution cell has no solution region")
    return problems


# --------------------------------------------------------------------------- command


def _expected(check: bool) -> list[str]:
    """Expected values of the visible checks: changed paths, or (check) stale ones."""
    from autograder.authoring.expected import build_expected
    from cs231n.checks.common import EXPECTED_DIR

    before = {p.resolve(): p.read_bytes() for p in EXPECTED_DIR.glob("*.npz")}
    paths = [Path(p).resolve() for p in build_expected(check=check)]
    if not check:  # report only the files whose bytes changed
        paths = [p for p in paths if before.get(p) != (p.read_bytes() if p.is_file() else None)]
    return [
        p.relative_to(REPO_ROOT).as_posix() if p.is_relative_to(REPO_ROOT) else str(p)
        for p in paths
    ]


def _ruff() -> str | None:
    found = shutil.which("ruff")
    beside = Path(sys.executable).with_name("ruff")
    return found or (str(beside) if beside.is_file() else None)


def ruff_format(text: str, rel: str) -> str:
    """``text`` formatted by ``ruff format`` with the repository's settings.

    ``rel`` is the source's path relative to the repository (``pyproject.toml`` applies).

    Returned unchanged when ruff is not installed (``tests/test_authoring.py`` then skips
    its lint test too).
    """
    ruff = _ruff()
    if ruff is None:
        return text
    proc = subprocess.run(
        [ruff, "format", "--stdin-filename", rel, "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    if proc.returncode != 0:
        raise ValueError(f"{rel}: ruff format failed:\n{proc.stderr.strip()}")
    return proc.stdout


def build(
    check: bool = False, only: list[str] | None = None, root: Path = ASSIGNMENTS_DIR
) -> list[str]:
    """Run the build; return the files that differ (``check``) or were written."""
    changed: list[str] = []
    for assignment, notebooks in ASSIGNMENTS.items():
        for notebook in notebooks:
            if only and notebook not in only:
                continue
            src = source_path(assignment, notebook, root)
            rel = src.relative_to(root.parent).as_posix()
            if not src.is_file():
                raise FileNotFoundError(
                    f"{assignment}/{notebook}: expected its source at {rel}. Fix: write it "
                    "(copy a sibling's header and cells; see autograder/authoring/README.md)."
                )
            text = src.read_text(encoding="utf-8")
            fresh = ruff_format(refresh_source(text, notebook, assignment, rel), rel)
            nb_text = C.dumps(build_notebook(fresh, notebook, assignment, rel))
            target = notebook_path(assignment, notebook, root)
            old_nb = target.read_text(encoding="utf-8") if target.is_file() else None
            for path, new, old in ((src, fresh, text), (target, nb_text, old_nb)):
                if new == old:
                    continue
                changed.append(path.relative_to(root.parent).as_posix())
                if not check:
                    path.write_text(new, encoding="utf-8")
    if not only:
        changed += _expected(check)
    problems = check_stubs()
    if problems:
        raise ValueError("stubs cannot be made:\n  " + "\n  ".join(problems))
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring build", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="notebook names (default: all; skips expected values)",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        changed = build(check=args.check, only=args.only)
    except (ValueError, KeyError, FileNotFoundError, RuntimeError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - t0
    if args.check and changed:
        print(
            "out of date (fix: python -m autograder.authoring build, then commit):\n  "
            + "\n  ".join(changed)
        )
        return 1
    for path in changed:
        print(f"wrote {path}")
    print(f"build {'checked' if args.check else 'done'} in {seconds:.1f} s")
    return 0

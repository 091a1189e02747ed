"""Read task objects out of the reference package's source files.

Everything here works on the *text* of the package (via :mod:`ast`), so the notebooks
get the exact source, comments and solution markers included.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import inspect
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from cs231n.course.tasks import TASKS, get_task, tasks_for

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
REPO_ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS_DIR = REPO_ROOT / "assignments"


def module_file(module: str) -> Path:
    """Path of the source file of ``module`` (imported, so it must exist)."""
    mod = importlib.import_module(module)
    return Path(inspect.getsourcefile(mod)).resolve()


def _top_level_node(tree: ast.Module, name: str, where: str):
    for node in tree.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name
        ):
            return node
    raise LookupError(f"{where}: expected a top-level def or class named {name!r}, found none")


def node_span(node) -> tuple[int, int]:
    """1-based (first, last) line of a def/class, decorators included."""
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return first, node.end_lineno


def load_module(path: Path, name: str | None = None) -> types.ModuleType:
    """Run the Python file ``path`` as a module (not registered in ``sys.modules``)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(name or f"_authoring_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def object_source(spec: str) -> str:
    """Exact source text of the top-level object ``"module:name"`` (decorators included)."""
    module, name = spec.split(":")
    path = module_file(module)
    text = path.read_text(encoding="utf-8")
    node = _top_level_node(ast.parse(text), name, f"{module} ({path.name})")
    first, last = node_span(node)
    return "\n".join(text.splitlines()[first - 1 : last])


def solution_cell_source(task_id: str) -> str:
    """Source of a task's solution cell: its objects, separated by two blank lines."""
    task = get_task(task_id)
    return "\n\n\n".join(object_source(spec) for spec in task.objects)


@dataclass(frozen=True)
class Region:
    """One ``### BEGIN/END SOLUTION`` region of a text (0-based line indices)."""

    begin: int  # index of the BEGIN line
    end: int  # index of the END line
    indent: str
    body: tuple[str, ...]


def solution_regions(text: str, where: str = "text") -> list[Region]:
    """All solution regions of ``text``; nested or unterminated regions are errors."""
    lines = text.splitlines()
    out, start = [], None
    for i, line in enumerate(lines):
        s = line.strip()
        if s == BEGIN:
            if start is not None:
                raise ValueError(
                    f"{where}:{i + 1}: nested {BEGIN} (the region opened at line {start + 1} is not closed)"
                )
            start = i
        elif s == END:
            if start is None:
                raise ValueError(f"{where}:{i + 1}: {END} without a matching {BEGIN}")
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            out.append(Region(start, i, indent, tuple(lines[start + 1 : i])))
            start = None
    if start is not None:
        raise ValueError(f"{where}:{start + 1}: {BEGIN} is never closed by {END}")
    return out


def normalise(line: str) -> str:
    """A line without indentation, trailing comments' spacing and repeated blanks."""
    return re.sub(r"\s+", " ", line.strip())


def solution_lines(text: str, where: str = "text", min_len: int = 12) -> set[str]:
    """Normalised, non-trivial lines of every solution region of ``text``.

    Lines shorter than ``min_len`` characters (``else:``, ``return out``), pure comments
    and blank lines are left out: they are too generic to identify a solution.
    """
    out = set()
    for region in solution_regions(text, where):
        for line in region.body:
            n = normalise(line)
            if (
                len(n) >= min_len
                and not n.startswith("#")
                and n not in {"pass", "continue", "break"}
            ):
                out.add(n)
    return out


# --------------------------------------------------------------------------- imports


def _loaded_names(node) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            names.add(sub.id)
    return names


def _import_line(name: str, value, home_module: str) -> str:
    if isinstance(value, types.ModuleType):
        real = value.__name__
        if real == name:
            return f"import {real}"
        if "." in real and real.rsplit(".", 1)[1] == name:
            return f"from {real.rsplit('.', 1)[0]} import {name}"
        return f"import {real} as {name}"
    mod = getattr(value, "__module__", None)
    if mod and mod in sys.modules and getattr(sys.modules[mod], name, None) is value:
        return f"from {mod} import {name}"
    return f"from {home_module} import {name}"


def needed_imports(notebook: str, assignment: str | None = None) -> list[str]:
    """Import lines for every package name that a notebook's task objects use.

    Names defined by the task objects of the same notebook are left out (the notebook
    defines them), and so are builtins.
    """
    tasks = tasks_for(assignment, notebook)
    defined = {n for t in tasks for n in t.names}
    lines: dict[str, None] = {}
    for task in tasks:
        for spec in task.objects:
            module, name = spec.split(":")
            mod = importlib.import_module(module)
            path = module_file(module)
            node = _top_level_node(ast.parse(path.read_text(encoding="utf-8")), name, module)
            for used in sorted(_loaded_names(node)):
                if used in defined or used == name or hasattr(builtins, used):
                    continue
                if used not in vars(mod):
                    continue  # a local variable
                lines[_import_line(used, vars(mod)[used], module)] = None
    plain = sorted(ln for ln in lines if ln.startswith("import "))
    grouped: dict[str, list[str]] = {}
    for ln in lines:
        if ln.startswith("from "):
            mod, name = ln[len("from ") :].split(" import ")
            grouped.setdefault(mod, []).append(name)
    return plain + [from_import(mod, sorted(names)) for mod, names in sorted(grouped.items())]


def from_import(module: str, names: list[str], width: int = 100) -> str:
    """``from module import a, b`` wrapped in parentheses when longer than ``width``."""
    line = f"from {module} import " + ", ".join(names)
    if len(line) <= width:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"


def check_names(notebook: str, assignment: str | None = None) -> list[str]:
    """Names of the visible check functions of a notebook's tasks."""
    return ["check_" + t.id.split("_", 1)[1] for t in tasks_for(assignment, notebook)]


def task_ids() -> set[str]:
    return {t.id for t in TASKS}

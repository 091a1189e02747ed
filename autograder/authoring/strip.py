"""Make the student package: the reference package with solutions replaced by stubs.

::

    python -m autograder.authoring.strip ASSIGNMENT OUT_DIR

copies ``cs231n/`` to ``OUT_DIR/cs231n`` and replaces every ``### BEGIN SOLUTION`` ...
``### END SOLUTION`` region of the objects of ``cs231n.course.tasks.stripped_in(ASSIGNMENT)``
by ``raise NotImplementedError("<task id>: <name> is not implemented yet - write it in
<notebook>.ipynb")`` at the region's indentation. The ``# TODO(<task id>)`` comment above
stays. Regions of tasks of earlier assignments keep their code and lose their markers.
A region outside any task object is an error, and so is a stripped file that no longer
compiles.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import sys
from pathlib import Path

from autograder.authoring.source import REPO_ROOT, node_span, solution_regions
from cs231n.course.tasks import TASKS, stripped_in

PACKAGE = REPO_ROOT / "cs231n"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".pytest_cache", "*.egg-info")


def stub_line(task, name: str, indent: str) -> str:
    return (
        f'{indent}raise NotImplementedError("{task.id}: {name} is not implemented yet - '
        f'write it in {task.notebook}.ipynb")'
    )


def _objects_by_module() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for task in TASKS:
        for spec in task.objects:
            module, name = spec.split(":")
            out.setdefault(module, {})[name] = task
    return out


def module_name(path: Path, package_root: Path) -> str:
    rel = path.relative_to(package_root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def strip_source(
    text: str, module: str, stripped_ids: set[str], where: str = "", owners: dict | None = None
) -> tuple[str, list[str]]:
    """Strip the solution regions of ``text`` that belong to tasks in ``stripped_ids``.

    Returns the new text and the ids stripped. Raises ValueError for a region that is not
    inside a task object of ``module``. ``owners`` (object name -> Task) defaults to the
    task registry's objects of ``module``.
    """
    where = where or module
    regions = solution_regions(text, where)
    if not regions:
        return text, []
    tree = ast.parse(text)
    if owners is None:
        owners = _objects_by_module().get(module, {})
    spans = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first, last = node_span(node)
            spans.append((first - 1, last - 1, node.name))
    lines = text.splitlines()
    done = []
    for region in reversed(regions):
        # the END marker may follow the object's last statement (comments are not in the span)
        owner = next((s for s in spans if s[0] <= region.begin <= s[1]), None)
        if owner is None or owner[2] not in owners:
            what = f"top-level object {owner[2]!r}" if owner else "module level"
            raise ValueError(
                f"{where}:{region.begin + 1}: solution region in {what}, which is not a task object "
                "(cs231n.course.tasks.TASKS). Fix: put markers only in the objects a task lists."
            )
        task = owners[owner[2]]
        if task.id not in stripped_ids:
            # a solution of an earlier assignment stays, without its markers
            lines[region.begin : region.end + 1] = list(region.body)
            continue
        lines[region.begin : region.end + 1] = [stub_line(task, owner[2], region.indent)]
        done.append(task.id)
    new = "\n".join(lines) + ("\n" if text.endswith("\n") else "")
    try:
        compile(new, where, "exec")
    except SyntaxError as exc:  # pragma: no cover - would be a bug in the markers
        raise ValueError(f"{where}: the stripped file does not compile: {exc}") from exc
    return new, sorted(set(done))


def strip_package(assignment: str, out_dir: Path, package: Path = PACKAGE) -> dict:
    """Copy ``package`` into ``out_dir/cs231n`` with the solutions of ``assignment`` stripped.

    Returns ``{"stripped": sorted task ids, "files": {relative path: [task ids]}}``.
    Every task of ``stripped_in(assignment)`` must have been found and stripped.
    """
    out_dir = Path(out_dir)
    target = out_dir / "cs231n"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(package, target, ignore=_IGNORE)
    ids = {t.id for t in stripped_in(assignment)}
    found: dict[str, list[str]] = {}
    for path in sorted(target.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        module = module_name(path, target)
        rel = str(path.relative_to(out_dir))
        new, done = strip_source(text, module, ids, rel)
        if new != text:
            path.write_text(new, encoding="utf-8")
        if done:
            found[rel] = done
    stripped = sorted({i for v in found.values() for i in v})
    missing = sorted(ids - set(stripped))
    # a task whose objects are not written yet (module missing) is reported, not fatal
    return {"stripped": stripped, "files": found, "missing": missing}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring.strip", description=__doc__.split("\n")[0]
    )
    parser.add_argument("assignment")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    report = strip_package(args.assignment, args.out_dir)
    print(
        f"stripped {len(report['stripped'])} tasks in {len(report['files'])} files into {args.out_dir / 'cs231n'}"
    )
    if report["missing"]:
        print("warning: no solution region found for " + ", ".join(report["missing"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

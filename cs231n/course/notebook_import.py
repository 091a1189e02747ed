"""Use code written in a sibling notebook of the same assignment.

A notebook that builds on what the student wrote in another notebook (BatchNormalization
and Dropout use the student's ``FullyConnectedNet``) imports it explicitly::

    from cs231n.course.notebook_import import import_notebook
    fcn = import_notebook("FullyConnectedNets.ipynb")
    model = fcn.FullyConnectedNet([100, 100], ...)

Only the notebook's **imports cell** and its **solution cells** (nbgrader cells with
``"solution": true`` that are code) are executed, in order, into a fresh module; demos,
training runs and checks are not. The module is flagged ``__cs231n_notebook__ = True``
and registered in ``sys.modules``, so :func:`cs231n.plug_in` rebinds names in it too.

Cells are turned into Python by IPython's own transformation (:func:`python_source`),
as the autograder runs them.  While grading, the sibling notebook found next to the one
being graded is the grader's *repaired* copy of the student's file (locked cells
restored, graded cells' metadata back), not the raw upload.
"""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path

__all__ = ["NotebookImportError", "import_notebook", "notebook_code", "python_source"]


class NotebookImportError(ImportError):
    """The sibling notebook is missing, unreadable, or its code failed to run."""


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _is_imports_cell(cell, stem: str) -> bool:
    meta = cell.get("metadata", {})
    grade_id = meta.get("nbgrader", {}).get("grade_id", "")
    return grade_id == f"{stem}_imports" or "imports" in meta.get("tags", [])


def _strip_magics(source: str) -> str:
    """Outside IPython (a plain script): magic and shell lines become ``pass``."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")):
            lines.append(indent + "pass  # " + stripped)
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=\s*[!%]", stripped):
            name = stripped.split("=", 1)[0].strip()
            lines.append(f"{indent}{name} = []  # " + stripped)
        else:
            lines.append(line)
    return "\n".join(lines)


def _shell():
    """The running IPython shell (Jupyter, Colab, the autograder's worker), or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def python_source(source: str, shell=None) -> str:
    """A cell's source as Python, transformed the way IPython runs it.

    Inside IPython this is IPython's own ``TransformerManager`` (``%time x = f()``,
    ``files = !ls``, ``%%capture``, ``obj?`` all become the calls IPython makes), the same
    transformation the autograder's worker runs cells with.  Without a shell, magic and
    shell lines are replaced by ``pass``.
    """
    if shell is None:
        return _strip_magics(source)
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def notebook_code(path, names=None) -> list[tuple[str, str]]:
    """``(label, source)`` of the cells :func:`import_notebook` runs, in order."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if _is_imports_cell(cell, path.stem):
            out.append((f"{path.name}, imports cell", _source(cell)))
        elif nbg.get("solution") and not nbg.get("grade"):
            out.append(
                (f"{path.name}, cell {index} ({nbg.get('grade_id', 'solution')})", _source(cell))
            )
    return out


def _search_path(name: str, base: Path | None) -> list[Path]:
    candidates = []
    if base is not None:
        candidates.append(base / name)
    candidates.append(Path.cwd() / name)
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    if main_file:
        candidates.append(Path(main_file).resolve().parent / name)
    seen, out = set(), []
    for c in candidates:
        key = str(c.resolve()) if c.exists() else str(c)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def import_notebook(path, names=None, *, base_dir=None) -> types.ModuleType:
    """Run a sibling notebook's imports and solution cells into a new module.

    Parameters
    ----------
    path : str or Path
        The notebook, e.g. ``"FullyConnectedNets.ipynb"``; a relative path is looked up
        in ``base_dir``, then in the current folder (the notebook's own folder in
        Jupyter and Colab).
    names : iterable of str, optional
        Check that the notebook defines these names (e.g. ``["FullyConnectedNet"]``).
    base_dir : str or Path, optional
        Folder to look in first.

    Returns
    -------
    module
        A module named ``cs231n_notebook_<stem>``, registered in ``sys.modules``, with
        ``__cs231n_notebook__ = True``.
    """
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".ipynb")
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = _search_path(str(path), Path(base_dir) if base_dir else None)
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        looked = ", ".join(
            str(c.parent.resolve() if c.parent.exists() else c.parent) for c in candidates
        )
        raise NotebookImportError(
            f"import_notebook: expected the notebook {path.name} next to this one, but it is not in "
            f"{looked}. Fix: keep the assignment's notebooks in one folder; in Colab, upload "
            f"{path.name} (with your solutions) next to this notebook using the Files panel, "
            "then run this cell again."
        )
    try:
        cells = notebook_code(found)
    except (OSError, ValueError) as exc:
        raise NotebookImportError(
            f"import_notebook: could not read {found} as a notebook ({exc}). "
            "Fix: make sure it is the .ipynb file saved from Jupyter or Colab."
        ) from exc
    mod_name = "cs231n_notebook_" + "".join(ch if ch.isalnum() else "_" for ch in found.stem)
    module = types.ModuleType(mod_name, f"Solution cells of {found.name}")
    module.__file__ = str(found)
    module.__cs231n_notebook__ = True
    sys.modules[mod_name] = module
    shell = _shell()
    if shell is not None:
        module.get_ipython = lambda: shell
    for label, source in cells:
        try:
            code = compile(python_source(source, shell), f"<{label}>", "exec")
            exec(code, module.__dict__)
        except NotImplementedError:
            raise
        except Exception as exc:
            raise NotebookImportError(
                f"import_notebook: running {label} failed with {type(exc).__name__}: {exc}. "
                f"Fix: open {found.name}, make that cell run without errors, save it, and try again."
            ) from exc
    missing = [n for n in (names or ()) if n not in module.__dict__]
    if missing:
        raise NotebookImportError(
            f"import_notebook: {found.name} does not define {', '.join(missing)}. "
            f"Fix: complete (and save) the cells of {found.name} that define them."
        )
    return module

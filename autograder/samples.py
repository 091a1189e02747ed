"""Sample assignments and submissions for the demo, the tests and the benchmark.

* :func:`write_mini_source` writes a tiny nbgrader source assignment in the format of
  ``assignments/`` (one notebook, ``two_layer_net``, teaching two real tasks of
  assignment1, ``a1_relu_forward`` and ``a1_affine_forward``) with its hidden tests;
* :func:`reference_submission`, :func:`stub_submission`, :func:`wrong_submission` and
  :func:`cheating_submission` make the four kinds of sample student notebooks that the
  demo grades; the adversarial catalogue in ``tests/adversarial`` builds on them.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from autograder import notebooks as nbs

MINI_NOTEBOOK = "two_layer_net"
MINI_TASKS = ("a1_relu_forward", "a1_affine_forward")

MINI_IMPORTS = """\
import numpy as np

from cs231n.validation import check_array
from cs231n.layers.affine import check_affine_inputs
from cs231n.checks import check_affine_forward, check_relu_forward
"""

MINI_HIDDEN = '''\
"""Hidden tests of the mini assignment (never released)."""

import numpy as np

from autograder.hidden import Case


def _relu_rect(ns, rng):
    x = rng.normal(size=(7, 13))
    out, _ = ns["relu_forward"](x)
    return {"out": out}


def _relu_zeros(ns, rng):
    x = rng.normal(size=(2, 3, 4))
    x[0, 0, :] = 0.0
    out, _ = ns["relu_forward"](x)
    return {"out": out}


def _affine_4d(ns, rng):
    x = rng.normal(size=(3, 2, 4, 5))
    w = rng.normal(size=(40, 6))
    b = rng.normal(size=(6,))
    out, _ = ns["affine_forward"](x, w, b)
    return {"out": out}


def _affine_float32(ns, rng):
    x = rng.normal(size=(5, 7)).astype(np.float32)
    w = rng.normal(size=(7, 3)).astype(np.float32)
    b = rng.normal(size=(3,)).astype(np.float32)
    out, _ = ns["affine_forward"](x, w, b)
    return {"out": np.asarray(out, dtype=np.float64)}


CASES = {
    "a1_relu_forward": [
        Case("rectangular 7x13 input", 1, _relu_rect),
        Case("3-D input with exact zeros", 1, _relu_zeros, hint="max(0, x) keeps zeros at zero."),
    ],
    "a1_affine_forward": [
        Case("4-D input flattened per sample", 2, _affine_4d,
             hint="reshape x to (N, D) with x.reshape(x.shape[0], -1)."),
        Case("float32 inputs", 1, _affine_float32, rtol=1e-4),
    ],
}
'''


def write_mini_source(folder, *, demo_seconds: float = 0.0, demo_cell: bool = True) -> Path:
    """Write the mini source assignment into ``folder`` and return it.

    ``folder/two_layer_net.ipynb`` is an nbgrader source notebook (solutions from the
    package, locked test cells with a hidden region, one manually graded question, one
    ``skip-grading`` demo cell); ``folder/hidden/two_layer_net.py`` holds its hidden
    cases.  ``demo_seconds`` adds a cell that sleeps (student code's own run time);
    ``demo_cell=False`` leaves out the ``skip-grading`` cell (plain nbgrader would run it).
    """
    from autograder.authoring import cells as b

    folder = Path(folder)
    (folder / "hidden").mkdir(parents=True, exist_ok=True)
    cells = [
        b.md("# Two tiny layers\n\nA two-task notebook used by the autograder's tests."),
        b.code(MINI_IMPORTS, locked=True),
        b.md("## ReLU\n\nKeep the positive part."),
        b.solution_cell("a1_relu_forward"),
        b.test_cell("a1_relu_forward", "check_relu_forward(relu_forward)"),
        b.md("## Affine\n\nFlatten each sample, then `x @ w + b`."),
        b.solution_cell("a1_affine_forward"),
        b.test_cell("a1_affine_forward", "check_affine_forward(affine_forward)"),
        b.code("import time\ntime.sleep(30)  # a long training run", skip_grading=True),
        *b.question(1, "Why does ReLU help?", answer="It does not saturate for x > 0."),
    ]
    if not demo_cell:
        cells = [c for c in cells if "time.sleep(30)" not in c.source]
    if demo_seconds:
        cells.insert(-2, b.code(f"import time\ntime.sleep({demo_seconds})"))
    nb = b.finalize(cells, MINI_NOTEBOOK, "assignment1")
    nbformat.write(nb, folder / f"{MINI_NOTEBOOK}.ipynb")
    (folder / "hidden" / f"{MINI_NOTEBOOK}.py").write_text(MINI_HIDDEN, encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------- submissions
def reference_submission(source_nb):
    """The reference solution as a student would hand it in (hidden tests removed)."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = nbs.strip_hidden(cell.source)
    return nb


def solution_cells(nb) -> list:
    return [c for c in nb.cells if nbs.nbmeta(c).get("solution") and c.cell_type == "code"]


def replace_in_solution(nb, task_id: str, old: str, new: str):
    """Edit the solution cell of ``task_id`` (a deliberate bug)."""
    for cell in nb.cells:
        if nbs.grade_id(cell) == task_id:
            if old not in cell.source:
                raise ValueError(f"{task_id}: {old!r} not in its solution cell")
            cell.source = cell.source.replace(old, new, 1)
            return nb
    raise KeyError(task_id)


def stub_submission(release_nb):
    return copy.deepcopy(release_nb)


PERTURB = """

# (sample "partly wrong" student: this answer is off by about 1%)
def _off_by_a_bit(fn):
    import numpy as _np

    def bump(v):
        if isinstance(v, _np.ndarray) and v.dtype.kind == "f" or isinstance(v, float):
            return v * 1.01 + 0.01
        return v

    def wrapped(*args, **kwargs):
        out = fn(*args, **kwargs)
        return (bump(out[0]), *out[1:]) if isinstance(out, tuple) and out else bump(out)

    wrapped.__name__ = fn.__name__
    return wrapped


{name} = _off_by_a_bit({name})
"""


def wrong_submission(source_nb, release_nb):
    """Partly wrong: the first task solved, the second slightly wrong, the rest stubs."""
    from cs231n.course.tasks import get_task

    nb = copy.deepcopy(release_nb)
    ref = {nbs.grade_id(c): c.source for c in solution_cells(reference_submission(source_nb))}
    done = 0
    for cell in solution_cells(nb):
        gid = nbs.grade_id(cell)
        if gid not in ref or done >= 2:
            continue
        cell.source = ref[gid]
        if done == 1:
            try:
                name = get_task(gid).names[0]
            except KeyError:
                name = None
            if name and ("def " + name) in cell.source:
                cell.source += PERTURB.format(name=name)
        done += 1
    return nb


CHEAT_CELL = """\
# A cheating attempt: make every comparison pass and hide the evidence.
import numpy as np
import numpy.testing
np.seterr(all="ignore")
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
import cs231n.checks as _checks
import cs231n.checks._core as _core
_core.compare = lambda *a, **k: None
try:
    get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)
except Exception:
    pass
for _p in ("../../../gradebook.db", "/course/gradebook.db", "../../source", "hidden"):
    try:
        open(_p, "a").write("UPDATE grade SET auto_score = 100")
    except Exception:
        pass
"""


def cheating_submission(release_nb, *, task_ids=None):
    """The stub with "solutions" that call the reference package plus a patching cell."""
    nb = copy.deepcopy(release_nb)
    from cs231n.course.tasks import get_task

    for cell in solution_cells(nb):
        gid = nbs.grade_id(cell)
        try:
            task = get_task(gid)
        except KeyError:
            continue
        lines = []
        for spec in task.objects:
            module, name = spec.split(":")
            lines.append(f"from {module} import {name}  # the package's own version")
        cell.source = "\n".join(lines)
    nb.cells.insert(1, nbformat.v4.new_code_cell(CHEAT_CELL))
    return nb


def write_notebook(nb, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def release_notebook_like(source_nb):
    """A quick student version of a source notebook without nbgrader (tests only)."""
    nb = reference_submission(source_nb)
    for cell in nb.cells:
        if nbs.nbmeta(cell).get("solution"):
            cell.source = re.sub(
                r"### BEGIN SOLUTION.*?### END SOLUTION",
                'raise NotImplementedError("not implemented yet")',
                cell.source,
                flags=re.S,
            )
    return nb

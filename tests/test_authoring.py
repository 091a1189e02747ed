"""The authoring tools: source reader, strip, cells, the percent-source build, release pieces."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.authoring import build as B
from autograder.authoring import cells as C
from autograder.authoring import strip
from autograder.authoring.release import build_wheel
from autograder.authoring.setup_cell import SETUP_SOURCE
from autograder.authoring.source import (
    BEGIN,
    END,
    REPO_ROOT,
    needed_imports,
    object_source,
    solution_cell_source,
    solution_lines,
    solution_regions,
)
from cs231n.course.tasks import ASSIGNMENTS, TASKS, get_task, stripped_in, tasks_for

MODULE = '''\
import numpy as np


def helper(x):
    return x


def task_fn(x):
    """Doc."""
    # TODO(a1_relu_forward): do it.
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    ### END SOLUTION
    return out


class Model:
    def __init__(self):
        # TODO(a1_relu_forward): init.
        ### BEGIN SOLUTION
        self.w = 1
        ### END SOLUTION

    def loss(self):
        if True:
            ### BEGIN SOLUTION
            return self.w
            ### END SOLUTION
'''


def test_object_source_is_the_exact_top_level_definition():
    src = object_source("cs231n.layers.affine:affine_forward")
    assert src.startswith("def affine_forward(x, w, b):")
    assert "# TODO(a1_affine_forward)" in src and BEGIN in src and END in src
    assert "def affine_backward" not in src


def test_solution_cell_joins_objects_in_task_order():
    task = get_task("a1_gate_add")
    src = solution_cell_source(task.id)
    assert src.index("def add_gate_forward") < src.index("def add_gate_backward")
    assert "\n\n\ndef add_gate_backward" in src


@pytest.mark.parametrize(
    "task", [t for t in TASKS if t.assignment == "assignment1"], ids=lambda t: t.id
)
def test_every_assignment1_task_object_has_a_todo_and_a_region(task):
    for spec in task.objects:
        src = object_source(spec)
        assert f"# TODO({task.id})" in src, spec
        assert solution_regions(src, spec), spec
        compile(src, spec, "exec")


def test_regions_errors():
    with pytest.raises(ValueError, match="nested"):
        solution_regions(f"{BEGIN}\n{BEGIN}\n{END}\n")
    with pytest.raises(ValueError, match="never closed"):
        solution_regions(f"x\n{BEGIN}\n")
    with pytest.raises(ValueError, match="without a matching"):
        solution_regions(f"{END}\n")


def test_solution_lines_skip_trivial_lines():
    text = f"    {BEGIN}\n    out = np.maximum(x, 0.0)\n    # comment here that is long\n    pass\n    {END}\n"
    assert solution_lines(text) == {"out = np.maximum(x, 0.0)"}


def test_strip_source_replaces_regions_at_their_indentation():
    owners = {"task_fn": get_task("a1_relu_forward"), "Model": get_task("a1_relu_forward")}
    new, done = strip.strip_source(MODULE, "fake_mod", {"a1_relu_forward"}, owners=owners)
    assert done == ["a1_relu_forward"]
    assert BEGIN not in new and "np.maximum(x, 0)" not in new and "self.w = 1" not in new
    assert "    # TODO(a1_relu_forward): do it.\n    raise NotImplementedError(" in new
    assert "        raise NotImplementedError(" in new
    assert "            raise NotImplementedError(" in new
    assert "write it in two_layer_net.ipynb" in new
    compile(new, "stripped", "exec")


def test_strip_source_keeps_earlier_solutions_without_markers():
    owners = {"task_fn": get_task("a1_relu_forward"), "Model": get_task("a1_relu_forward")}
    new, done = strip.strip_source(MODULE, "fake_mod", set(), owners=owners)
    assert done == [] and BEGIN not in new and "out = np.maximum(x, 0)" in new


def test_strip_source_rejects_regions_outside_task_objects():
    text = f"def helper():\n    {BEGIN}\n    x = 1\n    {END}\n"
    with pytest.raises(ValueError, match="not a task object"):
        strip.strip_source(text, "cs231n.layers.affine", {"a1_affine_forward"})
    with pytest.raises(ValueError, match="module level"):
        strip.strip_source(f"{BEGIN}\nx = 1\n{END}\n", "cs231n.layers.affine", set())


def test_strip_package_assignment1(tmp_path):
    report = strip.strip_package("assignment1", tmp_path)
    expected = {t.id for t in stripped_in("assignment1")}
    assert set(report["stripped"]) | set(report["missing"]) == expected
    assert {t.id for t in tasks_for("assignment1")} <= set(report["stripped"])
    text = (tmp_path / "cs231n" / "layers" / "affine.py").read_text()
    assert BEGIN not in text and "# TODO(a1_affine_forward)" in text
    code = (
        "import cs231n.layers.affine as a, numpy as np\n"
        "try:\n    a.affine_forward(np.ones((2, 3)), np.ones((3, 4)), np.ones(4))\n"
        "except NotImplementedError as e:\n    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert (
        "a1_affine_forward: affine_forward is not implemented yet - write it in two_layer_net.ipynb"
        in out.stdout
    ), out.stderr


def test_build_wheel_has_metadata_and_record(tmp_path):
    pkg = tmp_path / "cs231n"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "data.npz").write_bytes(b"\x00\x01")
    wheel = build_wheel(pkg, tmp_path, version="9.9.9")
    assert wheel.name == "cs231n_kit-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        record = zf.read("cs231n_kit-9.9.9.dist-info/RECORD").decode()
        meta = zf.read("cs231n_kit-9.9.9.dist-info/METADATA").decode()
    assert {"cs231n/__init__.py", "cs231n/data.npz", "cs231n_kit-9.9.9.dist-info/WHEEL"} <= names
    assert "cs231n/data.npz,sha256=" in record and "Requires-Dist: numpy" in meta


def test_imports_cell_covers_the_names_task_objects_use():
    lines = needed_imports("two_layer_net", "assignment1")
    joined = "\n".join(lines)
    assert "check_array" in joined and "affine_relu_forward" in joined
    # names the notebook defines itself are not imported
    assert "import affine_forward" not in joined.replace("affine_forward,", "")


def test_builder_cells_have_the_documented_metadata():
    cells = [
        C.md("# T"),
        C.setup_cell(),
        C.imports_cell(extra="import time"),
        C.solution_cell("a1_relu_forward"),
        C.test_cell("a1_relu_forward", "check_relu_forward(relu_forward)"),
        *C.question(1, "Why?", answer="Because."),
        C.code("print(1)", skip_grading=True),
    ]
    nb = C.finalize(cells, "two_layer_net", "assignment1")
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert meta[0]["locked"] and meta[0]["grade_id"] == "two_layer_net_c01"
    assert meta[1]["grade_id"] == "two_layer_net_setup" and "setup" in nb.cells[1].metadata["tags"]
    assert meta[2]["grade_id"] == "two_layer_net_imports" and nb.cells[2].source.endswith(
        "import time"
    )
    assert meta[3] == {
        "grade": False,
        "grade_id": "a1_relu_forward",
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    assert (
        meta[4]["grade"]
        and meta[4]["locked"]
        and meta[4]["points"] == get_task("a1_relu_forward").points
    )
    assert meta[4]["grade_id"] == "a1_relu_forward_test"
    assert 'grade_hidden("a1_relu_forward", globals())' in nb.cells[4].source
    assert meta[6]["solution"] and meta[6]["grade"] and meta[6]["grade_id"] == "two_layer_net_q1"
    assert nb.cells[7].metadata["tags"] == ["skip-grading"]
    assert len({c["id"] for c in nb.cells}) == len(nb.cells)
    nbformat.validate(nb)


PERCENT = """\
# %% [markdown]
# # T
#
# Some *prose*.

# %% role="setup"

# %% role="imports"
# --- notebook imports ---
import time

# %%
x = 1

# %% role="solution" task="a1_relu_forward"
def relu_forward(x):
    return x


# %% role="test" task="a1_relu_forward"
print("an author line")

# %% [markdown]
# **Inline question 1.** Why?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# Because.
# ### END SOLUTION

# %% tags=["skip-grading"]
time.sleep(0)
"""


def test_refresh_fills_generated_parts_of_a_percent_source():
    text = B.refresh_source(PERCENT, "two_layer_net", "assignment1")
    assert text.startswith(B.HEADER + "\n# %% [markdown]\n# # T\n")
    cells = B.read_cells(text)
    src = [c.source for c in cells]
    assert src[1] == SETUP_SOURCE.rstrip("\n")
    assert "import numpy as np" in src[2] and src[2].endswith(
        "# --- notebook imports ---\nimport time"
    )
    assert src[4] == C.solution_cell("a1_relu_forward").source
    assert src[5].split("\n")[:2] == [
        C.visible_call("a1_relu_forward"),
        'print("an author line")',
    ]
    assert 'grade_hidden("a1_relu_forward", globals())' in src[5]
    assert B.refresh_source(text, "two_layer_net", "assignment1") == text  # a fixed point
    # the solution cell keeps two blank lines before the next cell (ruff format's rule)
    assert '    return out, cache\n\n\n# %% role="test"' in text


def test_percent_source_builds_the_documented_cells():
    text = B.refresh_source(PERCENT, "two_layer_net", "assignment1")
    cells = B.read_cells(text)
    nb = C.finalize([B.to_nbgrader(c) for c in cells], "two_layer_net", "assignment1")
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert [m.get("grade_id") for m in meta] == [
        "two_layer_net_c01",
        "two_layer_net_setup",
        "two_layer_net_imports",
        None,
        "a1_relu_forward",
        "a1_relu_forward_test",
        "two_layer_net_c02",
        "two_layer_net_q1",
        None,
    ]
    assert meta[7]["solution"] and meta[7]["grade"] and meta[7]["points"] == 1
    assert nb.cells[8].metadata["tags"] == ["skip-grading"]
    assert nb.cells[6].source == "**Inline question 1.** Why?"


def test_build_rejects_unknown_options_and_tasks():
    with pytest.raises(ValueError, match="unknown cell option"):
        B.read_cells('# %% rol="solution"\nx = 1\n')
    with pytest.raises(ValueError, match="needs task="):
        B.read_cells('# %% role="solution" task="a9_nothing"\nx = 1\n')
    with pytest.raises(ValueError, match="role='answer' needs n="):
        B.read_cells('# %% [markdown] role="answer"\n# x\n')
    with pytest.raises(ValueError, match="missing"):
        B.build_notebook(
            B.refresh_source(PERCENT, "two_layer_net", "assignment1"),
            "two_layer_net",
            "assignment1",
        )


def test_build_check_lists_drift_and_build_fixes_it(tmp_path):
    root = tmp_path / "assignments"
    shutil.copytree(B.ASSIGNMENTS_DIR / "assignment1", root / "assignment1")
    src = root / "assignment1" / "knn.py"
    text = src.read_text(encoding="utf-8")
    assert B.build(check=True, only=["knn"], root=root) == []
    # an edited prose line changes the notebook; a hand-edited solution cell is regenerated
    text = text.replace("# # k-Nearest Neighbours", "# # k-Nearest Neighbors", 1)
    text = text.replace(
        "    ### END SOLUTION", "    dists = dists  # hand edit\n    ### END SOLUTION", 1
    )
    src.write_text(text, encoding="utf-8")
    assert B.build(check=True, only=["knn"], root=root) == [
        "assignments/assignment1/knn.py",
        "assignments/assignment1/knn.ipynb",
    ]
    assert "hand edit" in src.read_text(encoding="utf-8")  # --check wrote nothing
    B.build(only=["knn"], root=root)
    assert "hand edit" not in src.read_text(encoding="utf-8")
    assert "k-Nearest Neighbors" in (root / "assignment1" / "knn.ipynb").read_text()
    assert B.build(check=True, only=["knn"], root=root) == []


def test_every_task_can_be_stubbed():
    assert B.check_stubs() == []


def test_authoring_command_has_only_build(capsys):
    from autograder.authoring.__main__ import main

    with pytest.raises(SystemExit):
        main(["sync"])
    assert "build" in capsys.readouterr().err


def test_notebook_import(tmp_path):
    from cs231n.course.notebook_import import NotebookImportError, import_notebook

    nb = C.finalize(
        [
            C.imports_cell(),
            C.solution_cell("a1_relu_forward"),
            C.code("raise RuntimeError('demo')"),
        ],
        "two_layer_net",
        "assignment1",
    )
    nbformat.write(nb, tmp_path / "two_layer_net.ipynb")
    mod = import_notebook("two_layer_net.ipynb", names=["relu_forward"], base_dir=tmp_path)
    assert mod.__cs231n_notebook__ is True and sys.modules[mod.__name__] is mod
    assert mod.relu_forward.__module__ == mod.__name__
    with pytest.raises(NotebookImportError, match=r"upload FullyConnectedNets\.ipynb"):
        import_notebook("FullyConnectedNets.ipynb", base_dir=tmp_path)
    with pytest.raises(NotebookImportError, match="does not define nothing_here"):
        import_notebook("two_layer_net", names=["nothing_here"], base_dir=tmp_path)


def test_notebook_sources_pass_ruff_check_and_format():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).is_file():
        pytest.skip("ruff is not installed (it comes with pip install -e '.[test]')")
    sources = [str(p.relative_to(REPO_ROOT)) for p in B.source_paths()]
    assert len(sources) == sum(len(v) for v in ASSIGNMENTS.values())
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        proc = subprocess.run(
            [ruff, *args, *sources], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, f"ruff {' '.join(args)}:\n{proc.stdout}{proc.stderr}"


def test_notebook_sources_are_jupytext_percent_files():
    import jupytext

    for path in B.source_paths():
        nb = jupytext.read(path)  # the format comes from the header, as in JupyterLab
        assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
        assert nb.metadata["kernelspec"]["name"] == "python3"


def test_jupyterlab_opens_a_notebook_source_as_a_notebook():
    """What JupyterLab's file browser does (jupytext's contents manager of jupyter_server)."""
    import asyncio

    pytest.importorskip("jupyter_server", reason="JupyterLab is not installed")
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    manager = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(
        root_dir=str(B.ASSIGNMENTS_DIR / "assignment1")
    )
    model = asyncio.run(manager.get("two_layer_net.py", type="notebook"))
    nb = model["content"]
    assert model["type"] == "notebook" and nb["metadata"]["kernelspec"]["name"] == "python3"
    roles = [c["metadata"].get("role") for c in nb["cells"]]
    assert roles[1:3] == ["setup", "imports"] and roles.count("solution") == len(
        tasks_for("assignment1", "two_layer_net")
    )


# --------------------------------------------------------------------------- the guide, followed


TOY = "a1_toy_double"  # the six edits of README section 4, on a toy task of backprop

PACKAGE_FN = '''

def double_gate_forward(x):
    """Forward pass of ``out = 2 x`` (the toy task of the authoring guide's test).

    Parameters
    ----------
    x : float or ndarray

    Returns
    -------
    out : float or ndarray
        ``2 * x``.
    cache : None
    """
    # TODO(a1_toy_double): compute out = 2 * x; the gate needs no cache (use None).
    ### BEGIN SOLUTION
    out = 2 * x
    ### END SOLUTION
    return out, None
'''
REGISTRY_ROW = '    _t("a1_toy_double", "assignment1", "backprop", [f"{_G}:double_gate_forward"], "toy: double gate", 1),\n'
SOURCE_CELLS = """
# %% [markdown]
# ## A toy gate
#
# The double gate multiplies its input by 2.

# %% role="solution" task="a1_toy_double"

# %% role="test" task="a1_toy_double"
"""
CHECK = '''

@register("a1_toy_double")
def check_toy_double(double_gate_forward):
    """Check the toy double gate on a fixed input."""
    x = np.arange(3.0)
    out, _ = unpack(double_gate_forward(x.copy()), 2, "double_gate_forward", "(out, cache)")
    check_close("double_gate_forward out", out, np.array([0.0, 2.0, 4.0]))
    passed("double gate")
'''
HIDDEN = """

def _toy_double_probe(ns, rng):
    out, _ = ns["double_gate_forward"](rng.normal(size=(4, 5)))
    return {"out": np.asarray(out, float)}


CASES["a1_toy_double"] = [Case("doubles a 4x5 input", 1, _toy_double_probe)]
"""
PACKAGE_TEST = """import numpy as np
import pytest

from cs231n.gates import double_gate_forward


@pytest.mark.a1_toy_double
def test_double_gate_forward():
    out, cache = double_gate_forward(np.array([1.0, -2.0]))
    assert np.array_equal(out, [2.0, -4.0]) and cache is None
"""

TOY_AFTER = r"""
import json
import sys
import zipfile
from pathlib import Path

import nbformat

from autograder import samples
from autograder.course import Course
from cs231n.checks import REGISTRY

TOY = "a1_toy_double"
out = {"registry": list(REGISTRY[TOY].names) if TOY in REGISTRY else None}
work = Path(sys.argv[1])
course = Course.init(work / "course")
course.release("assignment1", notebooks=["backprop"])
rel = course.root / "release" / "assignment1"
# nbgrader's source/ copy and the release hold notebooks, never the percent sources
out["source_files"] = sorted(p.name for p in (course.root / "source" / "assignment1").iterdir())
out["release_py"] = sorted(p.name for p in rel.glob("*.py"))
student = nbformat.read(rel / "backprop.ipynb", as_version=4)
cell = next(c for c in student.cells if c.metadata.get("nbgrader", {}).get("grade_id") == TOY)
out["notebook_stub"] = "a1_toy_double: double_gate_forward is not implemented yet" in cell.source
out["notebook_solution"] = "\n    out = 2 * x\n" in cell.source
gates = (rel / "cs231n" / "gates.py").read_text()
out["package_stub"] = (
    "a1_toy_double: double_gate_forward is not implemented yet - write it in backprop.ipynb"
    in gates
)
out["package_solution"] = "\n    out = 2 * x\n" in gates
source = nbformat.read(course.root / "source" / "assignment1" / "backprop.ipynb", as_version=4)
upload = work / "lms.zip"
with zipfile.ZipFile(upload, "w") as zf:
    zf.writestr("reference_100_9000_backprop.ipynb", nbformat.writes(samples.reference_submission(source)))
course.import_submissions("assignment1", upload)
result = course.autograde("assignment1", jobs=1, force=True)["reference"]
toy = [q for nb in result.notebooks for q in nb.questions if q.task == TOY]
out["toy"] = [(q.grade_id, q.score, q.max_score, q.status) for q in toy]
out["total"] = (result.score, result.max_score)
print("RESULT " + json.dumps(out))
"""


def _run_in(repo: Path, *args, timeout=240):
    env = dict(os.environ, PYTHONPATH=str(repo))
    proc = subprocess.run(
        [sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, (
        f"{args}: exit {proc.returncode}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    )
    return proc.stdout


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


@pytest.mark.slow
def test_new_task_by_the_guide(tmp_path):
    """README section 4 on a toy task: six hand-edited files, one command, and then the
    task is in the release (stubs), the checks (REGISTRY) and the grading (its points)."""
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("needs a git checkout (the copy is made from git ls-files)")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    repo = tmp_path / "repo"
    for rel in filter(None, listed):
        src = REPO_ROOT / rel
        if src.is_file() and not src.is_symlink():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    # 1. the package solution
    _append(repo / "cs231n" / "gates.py", PACKAGE_FN)
    # 2. the registry row, after the last backprop task
    tasks = repo / "cs231n" / "course" / "tasks.py"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    at = max(i for i, line in enumerate(lines) if '"assignment1", "backprop"' in line)
    lines.insert(at + 1, REGISTRY_ROW)
    tasks.write_text("".join(lines), encoding="utf-8")
    # 3. the notebook source: a markdown cell and the two header lines
    _append(repo / "assignments" / "assignment1" / "backprop.py", SOURCE_CELLS)
    # 4. its visible check
    _append(repo / "cs231n" / "checks" / "backprop.py", CHECK)
    # 5. its hidden cases
    _append(repo / "assignments" / "assignment1" / "hidden" / "backprop.py", HIDDEN)
    # 6. its package test
    (repo / "tests" / "test_toy_double.py").write_text(PACKAGE_TEST, encoding="utf-8")

    # the one command, after which nothing is out of date
    _run_in(repo, "-m", "autograder.authoring", "build")
    _run_in(repo, "-m", "autograder.authoring", "build", "--check")
    source = (repo / "assignments" / "assignment1" / "backprop.py").read_text(encoding="utf-8")
    assert "check_toy_double(double_gate_forward)" in source and "    out = 2 * x" in source
    _run_in(repo, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_toy_double.py")

    script = tmp_path / "after.py"
    script.write_text(TOY_AFTER, encoding="utf-8")
    stdout = _run_in(repo, str(script), str(tmp_path), timeout=600)
    got = json.loads(stdout.split("RESULT ", 1)[1])
    assert got["registry"] == ["double_gate_forward"]
    assert got["source_files"] == ["backprop.ipynb"] and got["release_py"] == [], got
    assert got["notebook_stub"] and not got["notebook_solution"], got
    assert got["package_stub"] and not got["package_solution"], got
    assert got["toy"] == [["a1_toy_double_test", 1.0, 1.0, "graded"]], got
    assert got["total"][0] == got["total"][1], got

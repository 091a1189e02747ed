"""Catalogue of adversarial and broken submissions, with the score each must get.

Every entry builds one student's submission folder from the sample assignment of
:mod:`autograder.samples` (one notebook, ``two_layer_net``: ``a1_relu_forward`` worth 1
point and ``a1_affine_forward`` worth 2, plus a manually graded question).  ``expected``
is the autograded score out of 3; ``reason`` is a fragment that must appear in the
student's feedback (grader notes, case reasons or cell outputs).  The test
``tests/test_autograder_adversarial.py`` grades them all in one batch and prints the table.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from autograder import notebooks as nbs
from autograder import samples

NB = samples.MINI_NOTEBOOK


@dataclass
class Entry:
    name: str
    what: str
    build: Callable  # build(ctx) -> {file name: str | bytes | notebook}
    expected: float
    reason: str = ""
    status: str = "graded"
    #: only meaningful inside the sandbox (without it, student code can reach the
    #: grader's files, and a fork bomb run as root is not limited): skipped there
    sandbox_only: bool = False
    #: a fragment that must NOT appear in the student's feedback (a leak)
    absent: str = ""
    #: files are written at the top of the upload (LMS names carry the student), not
    #: into a folder named after the entry
    loose: bool = False


@dataclass
class Link:
    """A symbolic link to write instead of a file (``"."`` as a name: the folder itself)."""

    target: object


@dataclass
class HardLink:
    """A hard link to an existing file."""

    target: object


def _code(src: str):
    return nbformat.v4.new_code_cell(src)


def _with_cell(nb, src: str, where: str = "end"):
    nb = copy.deepcopy(nb)
    cell = _code(src)
    if where == "end":
        nb.cells.append(cell)
    elif where == "start":
        nb.cells.insert(1, cell)
    else:  # after the last solution cell
        last = max(
            i
            for i, c in enumerate(nb.cells)
            if nbs.nbmeta(c).get("solution") and c.cell_type == "code"
        )
        nb.cells.insert(last + 1, cell)
    return nb


def _one(nb):
    return {f"{NB}.ipynb": nb}


def _wrong_relu(ctx):
    return samples.replace_in_solution(
        copy.deepcopy(ctx.ref), "a1_relu_forward", "np.maximum(x, 0)", "np.abs(x)"
    )


def _find(nb, gid):
    for i, c in enumerate(nb.cells):
        if nbs.grade_id(c) == gid:
            return i
    raise KeyError(gid)


def _delete_test(ctx):
    nb = copy.deepcopy(ctx.ref)
    del nb.cells[_find(nb, "a1_affine_forward_test")]
    return _one(nb)


def _duplicate_solution(ctx):
    nb = copy.deepcopy(ctx.ref)
    i = _find(nb, "a1_relu_forward")
    dup = copy.deepcopy(nb.cells[i])
    dup["id"] = "pasted-copy"  # JupyterLab gives the copy a new id, and keeps the metadata
    nb.cells.insert(i + 1, dup)
    return _one(nb)


def _duplicate_test(ctx):
    nb = copy.deepcopy(ctx.ref)
    i = _find(nb, "a1_relu_forward_test")
    dup = copy.deepcopy(nb.cells[i])
    dup["id"] = "pasted-test"
    nb.cells.insert(i + 1, dup)
    return _one(nb)


def _retype(ctx):
    nb = copy.deepcopy(ctx.ref)
    i = _find(nb, "a1_affine_forward")
    old = nb.cells[i]
    new = nbformat.v4.new_markdown_cell(old.source)
    new.metadata = copy.deepcopy(old.metadata)
    nb.cells[i] = new
    return _one(nb)


def _edit_locked(ctx):
    nb = copy.deepcopy(ctx.stub)
    for c in nb.cells:
        if nbs.is_test_cell(c):
            c.source = "pass  # tests removed"
        if nbs.grade_id(c) == "a1_relu_forward":
            c.source = c.source.replace("raise NotImplementedError", "out, cache = abs(x), x  #")
    return _one(nb)


def _inflate_points(ctx):
    nb = copy.deepcopy(ctx.stub)
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
        if meta.get("solution") and c.cell_type == "code":
            meta.update(grade=True, points=100)  # a solution cell posing as a test cell
    return _one(nb)


def _rename_ids(ctx):
    nb = copy.deepcopy(ctx.ref)
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution"):
            meta["grade_id"] = "my_" + meta["grade_id"]
    return _one(nb)


def _strip_metadata(ctx):
    nb = copy.deepcopy(ctx.ref)
    for c in nb.cells:
        c.metadata = {}
    return _one(nb)


def _colab(ctx):
    nb = copy.deepcopy(ctx.ref)
    nb.metadata = {
        "colab": {"provenance": []},
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
    }
    for n, c in enumerate(nb.cells):
        c.metadata.pop("deletable", None)
        c.metadata.pop("editable", None)
        c.metadata["id"] = f"colab{n:04d}"
        if c.cell_type == "code":
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran in colab\n")]
            c.execution_count = n + 1
    del nb.cells[_find(nb, "two_layer_net_c01")]  # a locked markdown cell deleted in Colab
    return _one(nb)


def _invalid_json(ctx):
    text = nbformat.writes(ctx.ref)
    return {f"{NB}.ipynb": text[: len(text) // 2]}


def _wrong_name(ctx):
    return {f"Copy of {NB} (1).ipynb": ctx.ref}


def _out_of_order(ctx):
    nb = copy.deepcopy(ctx.ref)
    codes = [c for c in nb.cells if c.cell_type == "code"]
    for n, c in enumerate(codes):
        c.execution_count = len(codes) - n
    return _one(nb)


PATCH_NUMPY = """\
import numpy as np, numpy.testing
np.seterr(all="ignore")
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
"""

PATCH_CHECKS = """\
import cs231n.checks._core as core
import cs231n.checks.two_layer_net as a1checks
core.compare = lambda *a, **k: None
a1checks.check_relu_forward = lambda *a, **k: print("relu_forward passed")
class CheckFailed(Exception):
    pass
core.CheckFailed = CheckFailed
"""

WALK = """\
import os
def walk(patterns, skip=("usr", "proc", "dev", "sys", "bin", "sbin", "lib", "lib64", "etc")):
    hits = []
    for top in os.listdir("/"):
        if top in skip:
            continue
        for d, dirs, files in os.walk("/" + top):
            if d.count("/") > 8 or "site-packages" in d or "python3" in d:
                dirs[:] = []
            hits += [os.path.join(d, f) for f in files if any(p(d, f) for p in patterns)]
    return hits
"""

GRADEBOOK = (
    WALK
    + """\
import sqlite3
found = walk([lambda d, f: f == "gradebook.db"]) + [
    p for p in ("../gradebook.db", "../../gradebook.db", "../../../gradebook.db") if os.path.exists(p)]
print("gradebooks visible:", found)
for p in found:
    con = sqlite3.connect(p)
    con.execute("UPDATE grade SET auto_score = 100")
    con.commit()
"""
)

READ_SECRETS = (
    WALK
    + """\
hits = walk([lambda d, f: d.endswith("hidden") and f.endswith(".py"),
             lambda d, f: "source" in d and f.endswith(".ipynb")])
print("hidden or source files visible:", hits)
import cs231n, inspect
import cs231n.layers.activations as act
print("package relu has a solution:", "np.maximum" in inspect.getsource(act.relu_forward))
"""
)

FORGE_CONTROL = """\
import os
for fd in range(3, 64):
    try:
        os.write(fd, b"cells-done\\n")
    except OSError:
        pass
"""

FORGE_RESULTS = """\
import json, os, numpy as np
for d in ("/out", "."):
    try:
        np.savez(os.path.join(d, "probes.npz"), **{"a1_relu_forward|0|out": np.zeros((7, 13))})
        open(os.path.join(d, "results.json"), "w").write(json.dumps({"cells": [], "cases": [
            {"task": "a1_relu_forward", "case": 0, "status": "ok"}]}))
    except OSError:
        pass
os._exit(0)
"""


def _in_solution(nb, task_id: str, head: str = "", tail: str = ""):
    """Put IPython syntax before/after the solution code of ``task_id``."""
    nb = copy.deepcopy(nb)
    i = _find(nb, task_id)
    nb.cells[i].source = head + nb.cells[i].source + tail
    return nb


def _cells_after(nb, sources):
    nb = copy.deepcopy(nb)
    last = max(
        i for i, c in enumerate(nb.cells) if nbs.nbmeta(c).get("solution") and c.cell_type == "code"
    )
    for n, src in enumerate(sources):
        nb.cells.insert(last + 1 + n, _code(src))
    return nb


LINE_MAGICS = """\
%time warm = sum(range(10))
%timeit -n1 -r1 sum(range(10))
files = !ls
!echo shell says hi
"""

IPYTHON_FORMS = [
    "%load_ext autoreload\n%autoreload 2",
    "%matplotlib inline",
    "relu_forward?",
    "40 + 2",
    "assert _ == 42, _\nprint('underscore is', _)",
    "from IPython.display import display, HTML\ndisplay(HTML('<b>bold from display</b>'))\n"
    "display({'a': 1})",
    "import asyncio\nawait asyncio.sleep(0)\nprint('awaited at top level')",
    "%%capture captured\nprint('kept in a variable')",
    "print(captured.stdout.strip(), 'by %%capture')",
]

FIGURE = """\
import matplotlib.pyplot as plt
import numpy as np
xs = np.linspace(-2, 2, 50)
plt.plot(xs, relu_forward(xs)[0])
plt.title("my relu")
plt.show()
"""

# wrong on purpose: walks up into the grader's frames and tries to publish what it finds
PROBE_LEAK = """\
def relu_forward(x):
    import dis, inspect, io, os, sys
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        found.append(frame.f_code.co_name)
        for key, value in list(frame.f_locals.items()):
            if key in ("spec", "source", "seed", "cases", "task_cases", "rng"):
                found.append(f"{key}={value!r}"[:400])
        try:
            found.append(inspect.getsource(frame.f_code)[:400])
        except Exception:
            buf = io.StringIO()
            dis.dis(frame.f_code, file=buf)
            found.append(buf.getvalue()[:400])
        frame = frame.f_back
    leak = "LEAKED " + " | ".join(found)
    print(leak)
    print(leak, file=sys.stderr)
    os.write(1, leak.encode())
    try:
        from IPython.display import display
        display(leak)
    except Exception:
        pass
    open("leak.txt", "w").write(leak)
    raise ValueError(leak)
"""


def _symlinks_out(c):
    nb = _with_cell(c.ref, "import os\nprint(os.path.exists('passwd.txt'))", "after")
    return {
        f"{NB}.ipynb": nb,
        "passwd.txt": Link("/etc/passwd"),
        "gradebook.db": Link(c.root / "gradebook.db"),
        "shadow_copy.ipynb": Link(c.root / "source" / "assignment1" / f"{NB}.ipynb"),
    }


def _new_entries() -> list[Entry]:
    E = Entry
    return [
        E(
            "line_magics",
            "`%time x = ...`, `%timeit -n1 -r1`, `files = !ls`, `!echo` in a solution cell",
            lambda c: _one(_in_solution(c.ref, "a1_relu_forward", head=LINE_MAGICS)),
            3,
            "shell says hi",
        ),
        E(
            "cell_magic_time",
            "a solution cell that starts with `%%time`",
            lambda c: _one(_in_solution(c.ref, "a1_affine_forward", head="%%time\n")),
            3,
            "Wall time",
        ),
        E(
            "ipython_forms",
            "autoreload, %matplotlib inline, `obj?`, `_`, display(), top-level await, %%capture",
            lambda c: _one(_cells_after(c.ref, IPYTHON_FORMS)),
            3,
            "bold from display",
        ),
        E(
            "figure",
            "draws a matplotlib figure (kept as image/png in the graded notebook)",
            lambda c: _one(_with_cell(c.ref, FIGURE, "after")),
            3,
            "image/png",
        ),
        E(
            "pip_install",
            "`!pip install` and `%pip install` in a solution cell",
            lambda c: _one(
                _in_solution(
                    c.ref, "a1_relu_forward", head="!pip install numpy\n%pip install scipy\n"
                )
            ),
            3,
            "no package installs",
        ),
        E(
            "probe_leak",
            "relu walks up the stack into the grader and prints/raises what it finds",
            lambda c: _one(_with_cell(c.ref, PROBE_LEAK, "after")),
            2,
            "your code raised ValueError",
            absent="_relu_rect",  # the hidden probe's name, seen only in the probe phase
        ),
        E(
            "float16",
            "relu 0.5% wrong, returned as float16 (once widened the tolerance to 1e-2)",
            lambda c: _one(
                samples.replace_in_solution(
                    copy.deepcopy(c.ref),
                    "a1_relu_forward",
                    "out = np.maximum(x, 0)",
                    "out = (np.maximum(x, 0) * 1.005).astype(np.float16)",
                )
            ),
            2,
            "float16",
        ),
        E(
            "symlinks_out",
            "links to /etc/passwd, the gradebook and the source notebook",
            _symlinks_out,
            3,
            "a symbolic link: links are never followed",
            absent="root:x:0",
        ),
        E(
            "symlink_to_source",
            "the notebook is a link to the instructor's source notebook",
            lambda c: {f"{NB}.ipynb": Link(c.root / "source" / "assignment1" / f"{NB}.ipynb")},
            0,
            "a symbolic link",
            "missing",
        ),
        E(
            "linked_folder",
            "the student's folder is a link to source/",
            lambda c: {".": Link(c.root / "source" / "assignment1")},
            0,
            "a symbolic link",
            "missing",
        ),
        E(
            "symlink_into",
            "correct; plus a link to its own notebook",
            lambda c: {**_one(c.ref), "copy.ipynb": Link(f"{NB}.ipynb")},
            3,
            "copy.ipynb (a symbolic link",
        ),
        E(
            "symlink_loop",
            "correct; plus a folder link to itself",
            lambda c: {**_one(c.ref), "loop": Link(".")},
            3,
            "loop (a symbolic link",
        ),
        E(
            "hard_link_out",
            "correct; plus a hard link to the course's hidden tests",
            lambda c: {
                **_one(c.ref),
                "tests.py": HardLink(c.root / "hidden" / "assignment1" / f"{NB}.py"),
            },
            3,
            "course's own files",
            absent="_relu_rect",
        ),
        E(
            "wangwei_1111",
            "Canvas: wangwei (user 1111), correct",
            lambda c: {f"wangwei_1111_2222_{NB}.ipynb": c.ref},
            3,
            loose=True,
        ),
        E(
            "wangwei_3333",
            "Canvas: another wangwei (user 3333), late, the stub",
            lambda c: {f"wangwei_LATE_3333_4444_{NB}.ipynb": c.stub},
            0,
            loose=True,
        ),
    ]


def _ctx_entries() -> list[Entry]:
    E = Entry
    return [
        E("reference", "the reference solution", lambda c: _one(c.ref), 3),
        E("stub", "the untouched release", lambda c: _one(c.stub), 0, "not implemented yet"),
        E(
            "infinite_loop",
            "`while True: pass` after the solutions",
            lambda c: _one(_with_cell(c.ref, "while True:\n    pass")),
            3,
            "interrupted",
        ),
        E(
            "stubborn_loop",
            "a loop that swallows the interrupt",
            lambda c: _one(
                _with_cell(
                    c.ref,
                    "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n        pass",
                )
            ),
            3,
            "skipped and the notebook graded again",
        ),
        E(
            "ignore_alarm",
            "SIGALRM ignored, then a loop",
            lambda c: _one(
                _with_cell(
                    c.ref,
                    "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nsignal.setitimer(signal.ITIMER_REAL, 0)\nwhile True:\n    pass",
                )
            ),
            3,
            "skipped",
        ),
        E(
            "memory_bomb",
            "unbounded allocation",
            lambda c: _one(
                _with_cell(
                    c.ref,
                    "import numpy as np\nhog = []\nwhile True:\n    hog.append(np.empty(2**27))",
                )
            ),
            3,
            "ran out of memory",
        ),
        E(
            "fork_bomb",
            "`while True: os.fork()`",
            lambda c: _one(_with_cell(c.ref, "import os\nwhile True:\n    os.fork()")),
            3,
            "process limit",
            sandbox_only=True,
        ),
        E(
            "print_flood",
            "20 MB of prints",
            lambda c: _one(_with_cell(c.ref, "for i in range(200000):\n    print('x' * 100)")),
            3,
            "dropped by the grader",
        ),
        E(
            "os_exit",
            "os._exit in a cell",
            lambda c: _one(_with_cell(c.ref, "import os\nos._exit(3)")),
            3,
            "skipped",
        ),
        E(
            "stderr_warnings",
            "correct, with numpy RuntimeWarnings and stderr prints",
            lambda c: _one(
                _with_cell(
                    c.ref,
                    "import numpy as np, sys\nnp.log(np.zeros(3))\nprint('warning!', file=sys.stderr)",
                    "after",
                )
            ),
            3,
        ),
        E(
            "system_exit",
            "raise SystemExit in a cell",
            lambda c: _one(_with_cell(c.ref, "raise SystemExit(1)", "start")),
            3,
        ),
        E(
            "deleted_test_cell",
            "a locked test cell deleted",
            _delete_test,
            3,
            "deleted test cells were put back",
        ),
        E(
            "duplicated_solution",
            "a solution cell copy-pasted with its metadata",
            _duplicate_solution,
            3,
            "duplicated",
        ),
        E(
            "duplicated_test",
            "a locked test cell duplicated",
            _duplicate_test,
            3,
            "duplicated locked cells were removed",
        ),
        E(
            "retyped_cell",
            "a solution cell turned into markdown",
            _retype,
            3,
            "turned back to code",
        ),
        E(
            "edited_locked",
            "test cells replaced by `pass`; a wrong relu",
            _edit_locked,
            0,
            "restored from the original",
        ),
        E("metadata_stripped", "every cell's metadata removed", _strip_metadata, 3),
        E(
            "points_inflated",
            "stub; test cells and solution cells set to 100 points",
            _inflate_points,
            0,
        ),
        E("grade_ids_renamed", "solution cells' grade ids renamed", _rename_ids, 3),
        E(
            "colab_edit",
            "edited in Colab: locked flags gone, a locked cell deleted, outputs",
            _colab,
            3,
            "put back",
        ),
        E(
            "invalid_json",
            "a truncated notebook file",
            _invalid_json,
            0,
            "not valid notebook JSON",
            "unreadable",
        ),
        E(
            "empty_file",
            "a 0-byte notebook",
            lambda c: {f"{NB}.ipynb": ""},
            0,
            "empty",
            "unreadable",
        ),
        E(
            "wrong_file_name",
            "saved as 'Copy of two_layer_net (1).ipynb'",
            _wrong_name,
            3,
            "was graded as",
        ),
        E(
            "no_notebook",
            "only a PDF was submitted",
            lambda c: {"report.pdf": b"%PDF-1.4 not a notebook"},
            0,
            "no two_layer_net.ipynb was submitted",
            "missing",
        ),
        E("out_of_order", "cells executed out of order", _out_of_order, 3, "out of order"),
        E(
            "patched_numpy",
            "wrong relu; np.allclose/np.isclose/np.testing patched and np.seterr",
            lambda c: _one(_with_cell(_wrong_relu(c), PATCH_NUMPY, "start")),
            2,
            "replaced np.allclose",
        ),
        E(
            "patched_checks",
            "wrong relu; the check helpers monkeypatched",
            lambda c: _one(_with_cell(_wrong_relu(c), PATCH_CHECKS, "start")),
            2,
            "values differ",
        ),
        E(
            "set_custom_exc",
            "stub; IPython set_custom_exc swallows errors",
            lambda c: _one(
                _with_cell(
                    c.stub,
                    "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)",
                    "start",
                )
            ),
            0,
            "set_custom_exc",
        ),
        E(
            "gradebook_write",
            "stub; tries to UPDATE gradebook.db",
            lambda c: _one(_with_cell(c.stub, GRADEBOOK, "start")),
            0,
            "gradebooks visible: []",
            sandbox_only=True,
        ),
        E(
            "read_secrets",
            "stub; looks for hidden tests, sources, solutions",
            lambda c: _one(_with_cell(c.stub, READ_SECRETS, "start")),
            0,
            "package relu has a solution: False",
            sandbox_only=True,
        ),
        E(
            "calls_reference",
            "solution cells import the package's own functions",
            lambda c: _one(samples.cheating_submission(c.stub)),
            0,
            "not implemented yet",
        ),
        E(
            "forged_control",
            "writes fake 'cells-done' to the grader's control pipe",
            lambda c: _one(_with_cell(c.ref, FORGE_CONTROL)),
            0,
            "control channel",
            "tampered",
        ),
        E(
            "forged_results",
            "writes a fake results.json and exits",
            lambda c: _one(_with_cell(c.stub, FORGE_RESULTS)),
            0,
            "skipped",
        ),
        E(
            "hang_in_probe",
            "relu loops forever when called; affine correct",
            lambda c: _one(
                samples.replace_in_solution(
                    copy.deepcopy(c.ref),
                    "a1_relu_forward",
                    "out = np.maximum(x, 0)",
                    "while True:\n        pass",
                )
            ),
            2,
            "time limit",
        ),
        E(
            "network",
            "correct; tries to reach the network",
            lambda c: _one(
                _with_cell(
                    c.ref,
                    "import urllib.request\nurllib.request.urlopen('http://pypi.org', timeout=2)",
                )
            ),
            3,
        ),
    ]


ENTRIES = _ctx_entries() + _new_entries()
#: entries that link to the course's own files (built only when the context knows it)
_NEEDS_ROOT = {"symlinks_out", "symlink_to_source", "linked_folder", "hard_link_out"}


class Context:
    """The three base notebooks entries are built from (and the course, for links)."""

    def __init__(self, source_nb, release_nb, root=None):
        from pathlib import Path

        self.source = source_nb
        self.ref = samples.reference_submission(source_nb)
        self.stub = samples.stub_submission(release_nb)
        self.root = Path(root) if root is not None else None


def write_all(ctx: Context, folder) -> dict:
    """Write every entry's files under ``folder/<entry name>/``; return ``{name: Entry}``."""
    import os
    from pathlib import Path

    out = {}
    for entry in ENTRIES:
        if ctx.root is None and entry.name in _NEEDS_ROOT:
            continue
        d = Path(folder) if entry.loose else Path(folder) / entry.name
        files = entry.build(ctx)
        if "." in files:
            d.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(files["."].target, d)
            out[entry.name] = entry
            continue
        d.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            target = d / name
            if isinstance(content, Link):
                os.symlink(content.target, target)
            elif isinstance(content, HardLink):
                os.link(content.target, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            elif isinstance(content, str):
                target.write_text(content)
            else:
                target.write_text(json.dumps(content))
        out[entry.name] = entry
    return out

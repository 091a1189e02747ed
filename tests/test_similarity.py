"""``python -m autograder similarity``: renamed, reordered copies rank above independent work."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytest.importorskip("copydetect")
pytest.importorskip("nbgrader")

from autograder import similarity

REPO = Path(__file__).resolve().parents[1]

STUB = '''\
def affine_forward(x, w, b):
    """Forward pass of an affine layer: flatten each sample, then x @ w + b."""
    raise NotImplementedError("a1_affine_forward: affine_forward is not implemented yet")
'''

RELU_STUB = '''\
def relu_forward(x):
    """Forward pass of a rectified linear unit."""
    raise NotImplementedError("a1_relu_forward: relu_forward is not implemented yet")
'''

# alice's own solution
ALICE = '''\
def affine_forward(x, w, b):
    """Forward pass of an affine layer: flatten each sample, then x @ w + b."""
    n_samples = x.shape[0]
    flat = x.reshape(n_samples, -1)
    if flat.shape[1] != w.shape[0]:
        raise ValueError(f"expected {w.shape[0]} features, got {flat.shape[1]}")
    scores = flat.dot(w)
    scores = scores + b[np.newaxis, :]
    cache = (x, w, b)
    return scores, cache
'''

# bob copied it: every variable renamed, statements moved, a comment added
BOB = """\
def affine_forward(inputs, weights, bias):
    # my implementation of the affine layer
    saved = (inputs, weights, bias)
    count = inputs.shape[0]
    rows = inputs.reshape(count, -1)
    if rows.shape[1] != weights.shape[0]:
        raise ValueError(f"expected {weights.shape[0]} features, got {rows.shape[1]}")
    result = rows.dot(weights)
    result = result + bias[np.newaxis, :]
    return result, saved
"""

# carol and dave solved it on their own, correctly
CAROL = """\
def affine_forward(x, w, b):
    out = np.matmul(np.reshape(x, (len(x), np.prod(x.shape[1:]))), w) + b
    return out, (x, w, b)
"""

DAVE = """\
def affine_forward(x, w, b):
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    out = np.zeros((N, w.shape[1]))
    for i in range(N):
        out[i] = x[i].ravel() @ w
    out += b
    return out, (x, w, b)
"""

RELU = {
    "alice": "def relu_forward(x):\n    out = np.maximum(0, x)\n    return out, x\n",
    "bob": "def relu_forward(v):\n    res = np.maximum(0, v)\n    return res, v\n",
    "carol": "def relu_forward(x):\n    return x * (x > 0), x\n",
    "dave": "def relu_forward(x):\n    out = x.copy()\n    out[out < 0] = 0\n    return out, x\n",
}
CODE = {"alice": ALICE, "bob": BOB, "carol": CAROL, "dave": DAVE}


def test_canonical_form_ignores_names_comments_docstrings_and_order():
    a = similarity.canonical(
        "def f(x):\n    'doc'\n    y = x + 1  # one\n    z = 2\n    return y\n"
    )
    b = similarity.canonical("def f(x):\n    z = 2\n    y = x + 1\n    return y\n")
    assert a == b and "doc" not in a and "#" not in a
    assert similarity.canonical("def broken(:\n").strip() == "def broken(:"  # kept as text
    assert similarity.canonical("%timeit f(1)\nx = 1\n") == "x = 1"


def test_renamed_copies_rank_above_independent_solutions():
    subs = {s: {"a1_affine_forward": CODE[s], "a1_relu_forward": RELU[s]} for s in CODE}
    subs["erin"] = {"a1_affine_forward": STUB, "a1_relu_forward": RELU_STUB}  # did nothing
    result = similarity.compare(subs, {"a1_affine_forward": STUB, "a1_relu_forward": RELU_STUB})
    pairs = result["pairs"]
    top = pairs[0]
    assert (top["student_a"], top["student_b"]) == ("alice", "bob")
    score = {(p["student_a"], p["student_b"]): p["similarity"] for p in pairs}
    assert score[("alice", "bob")] > 0.8
    assert score[("carol", "dave")] < 0.5
    others = [v for k, v in score.items() if k != ("alice", "bob")]
    assert score[("alice", "bob")] > max(others) + 0.3
    assert not [p for p in pairs if "erin" in (p["student_a"], p["student_b"])]  # stub only


@pytest.mark.slow
def test_similarity_command_writes_html_and_csv(tmp_path):
    from adversarial.helpers import base_notebooks, fresh_course

    from autograder import notebooks as nbs
    from autograder import samples
    from autograder.__main__ import main as cli

    course = fresh_course(tmp_path)
    _, rel = base_notebooks(course)
    folder = tmp_path / "collected"
    for student, code in CODE.items():
        nb = samples.stub_submission(rel)
        for cell in nb.cells:
            if nbs.grade_id(cell) == "a1_affine_forward":
                cell.source = code
            elif nbs.grade_id(cell) == "a1_relu_forward":
                cell.source = RELU[student]
        samples.write_notebook(nb, folder / student / "assignment1" / "two_layer_net.ipynb")
    assert cli(["--course", str(course.root), "import", "assignment1", str(folder)]) == 0
    refs = tmp_path / "found-online"
    refs.mkdir()
    (refs / "layers.py").write_text(  # where carol's code came from
        "import numpy as np\n\n\ndef affine_forward(x, w, b):\n"
        "    res = np.matmul(np.reshape(x, (len(x), np.prod(x.shape[1:]))), w) + b\n"
        "    return res, (x, w, b)\n\n\ndef unrelated(q):\n    return q\n"
    )
    out = tmp_path / "report"
    args = ["similarity", "assignment1", "--out", str(out), "--references", str(refs)]
    assert cli(["--course", str(course.root), *args]) == 0
    rows = list(csv.DictReader((out / "pairs.csv").open()))
    top2 = {(r["student_a"], r["student_b"]) for r in rows[:2]}
    assert top2 == {("alice", "bob"), ("carol", "ref:layers.py")}, rows[:3]
    assert len(rows) == 10 and rows[0]["rank"] == "1"  # 4 students + 1 reference
    page = (out / "report.html").read_text()
    assert "id='pair1'" in page and "inputs.reshape(count, -1)" in page  # side by side
    assert "n_samples = x.shape[0]" in page
    artifacts = REPO / "test-artifacts" / "similarity"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "pairs.csv").write_text((out / "pairs.csv").read_text())
    (artifacts / "report.html").write_text(page)

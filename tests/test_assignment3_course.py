"""Assignment 3 goes through the same course flow as the others.

* self-check: on the reference package every visible check of each assignment-3
  notebook passes, and on a namespace of stubs every task is "not attempted";
* release (slow): the student release holds the stripped package (stubs for every
  assignment-3 task, no solution) and the notebooks with the generated Colab setup cell;
* grading (slow): a reference submission of the four notebooks gets full marks in the
  sandbox (the later notebooks import the earlier ones with ``import_notebook``).
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import pytest

from cs231n.course.tasks import ASSIGNMENTS, tasks_for

A3 = ASSIGNMENTS.get("assignment3", ())


ASSIGNMENT_DIR = Path(__file__).resolve().parents[1] / "assignments" / "assignment3"


def _reference_names(notebook: str) -> list[str]:
    return [n for task in tasks_for("assignment3", notebook) for n in task.names]


def _notebook_namespace(notebook: str) -> dict:
    """The source notebook's solution cells, run as a student's notebook would define them."""
    from cs231n.course.notebook_import import import_notebook

    return vars(import_notebook(ASSIGNMENT_DIR / f"{notebook}.ipynb"))


@pytest.mark.parametrize("notebook", A3)
def test_self_check_passes_on_the_reference(notebook, capsys):
    from cs231n.course.self_check import self_check

    report = self_check(notebook, namespace=_notebook_namespace(notebook), show=False)
    statuses = {r.task_id: r.status for r in report.results}
    assert statuses and set(statuses.values()) == {"passed"}, statuses


@pytest.mark.parametrize("notebook", A3)
def test_self_check_reports_stubs_as_not_attempted(notebook, capsys):
    from cs231n.course.self_check import self_check

    def stub(*args, **kwargs):
        raise NotImplementedError("a3: not implemented yet")

    ns = {name: stub for name in _reference_names(notebook)}
    report = self_check(notebook, namespace=ns, show=False)
    assert {r.status for r in report.results} <= {"not attempted", "waiting"}


@pytest.mark.slow
def test_release_and_reference_grading(tmp_path):
    pytest.importorskip("nbgrader")
    import nbformat

    from autograder import samples
    from autograder.course import Course

    course = Course.init(tmp_path / "course")
    course.release("assignment3")
    rel = course.root / "release" / "assignment3"
    student = nbformat.read(rel / "RNN_Captioning.ipynb", as_version=4)
    setup = next(c for c in student.cells if "setup" in c.metadata.get("tags", []))
    assert "google.colab" in setup.source and "cs231n_kit-" in setup.source
    for task in tasks_for("assignment3"):
        for spec in task.objects:
            module = spec.split(":")[0]
            text = (rel / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
            assert f"{task.id}: " in text and "is not implemented yet" in text, spec
    rnn_layers = (rel / "cs231n" / "rnn_layers.py").read_text(encoding="utf-8")
    assert "np.add.at(dW" not in rnn_layers  # a solution line of a3_word_embedding_backward
    assert not list(rel.glob("*.py")) and not (rel / "hidden").exists()
    wheels = list(rel.glob("cs231n_kit-*.whl"))
    if wheels:
        with zipfile.ZipFile(wheels[0]) as zf:
            text = zf.read("cs231n/rnn_layers.py").decode()
        assert "np.add.at(dW" not in text
    upload = tmp_path / "lms.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        for notebook in A3:  # the later notebooks import the earlier ones
            source = nbformat.read(
                course.root / "source" / "assignment3" / f"{notebook}.ipynb", as_version=4
            )
            zf.writestr(
                f"reference_100_9000_{notebook}.ipynb",
                nbformat.writes(samples.reference_submission(source)),
            )
    course.import_submissions("assignment3", upload)
    result = course.autograde("assignment3", jobs=1, force=True)["reference"]
    graded = {
        q.task: (q.score, q.max_score) for nb in result.notebooks for q in nb.questions if q.task
    }
    want = {t.id for t in tasks_for("assignment3")}
    assert want <= set(graded), sorted(want - set(graded))
    assert not {k: v for k, v in graded.items() if v[0] != v[1]}, result


def test_assignment3_readme_lists_every_notebook():
    text = Path(__file__).resolve().parents[1] / "assignments" / "assignment3" / "README.md"
    text = text.read_text(encoding="utf-8")
    for notebook in A3:
        assert notebook in text
    importlib.import_module("cs231n.checks")

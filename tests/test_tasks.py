"""The task registry is consistent."""

import pytest

from cs231n.course.tasks import ASSIGNMENTS, TASKS, get_task, stripped_in, tasks_for


def test_ids_are_unique_and_grade_id_safe():
    ids = [t.id for t in TASKS]
    assert len(ids) == len(set(ids))
    for t in TASKS:
        assert t.id.replace("_", "").isalnum(), t.id
        assert t.assignment in ASSIGNMENTS and t.notebook in ASSIGNMENTS[t.assignment]


def test_every_notebook_teaches_something():
    for assignment, notebooks in ASSIGNMENTS.items():
        for nb in notebooks:
            assert tasks_for(assignment, nb), nb


def test_stripped_in_covers_later_assignments():
    a1 = {t.id for t in stripped_in("assignment1")}
    a2 = {t.id for t in stripped_in("assignment2")}
    a3 = {t.id for t in stripped_in("assignment3")}
    assert a3 < a2 < a1
    assert all(t.startswith(("a2_", "a3_")) for t in a2)
    assert a3 and all(t.startswith("a3_") for t in a3)


def test_unknown_task_suggests_close_ids():
    with pytest.raises(KeyError, match="a1_affine_forward"):
        get_task("a1_afine_forward")

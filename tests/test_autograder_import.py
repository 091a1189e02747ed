"""Importing submissions: links refused, LMS identity and times kept, clashes reported."""

from __future__ import annotations

import json
import os
import zipfile

import nbformat
import pytest

pytest.importorskip("nbgrader")

from adversarial.helpers import base_notebooks, fresh_course

from autograder import importing, samples


def _manifest(course, student):
    return json.loads(
        (course.root / "submitted" / student / "assignment1" / "import.json").read_text()
    )


def test_links_are_refused_with_the_reason_and_never_followed(tmp_path):
    course = fresh_course(tmp_path)
    src, _ = base_notebooks(course)
    up = tmp_path / "upload"
    good = up / "alice"
    samples.write_notebook(samples.reference_submission(src), good / "two_layer_net.ipynb")
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor only")
    os.symlink(secret, good / "notes.txt")  # out of the submission
    os.symlink(good / "two_layer_net.ipynb", good / "again.ipynb")  # into it
    os.link(secret, good / "hard.txt")  # a hard link to a file outside
    os.symlink(good, good / "loop")  # a loop
    source_nb = course.root / "source" / "assignment1" / "two_layer_net.ipynb"
    bob = up / "bob"
    bob.mkdir()
    os.symlink(source_nb, bob / "two_layer_net.ipynb")  # the instructor's notebook
    os.symlink(course.root / "source", up / "mallory")  # a whole folder linked to source/
    (up / "eve").mkdir()
    (up / "eve" / "two_layer_net.ipynb").write_bytes(source_nb.read_bytes())  # a copy of it

    imported = course.import_submissions("assignment1", up)
    assert set(imported) == {"alice", "bob", "mallory", "eve"}
    why = {r["name"]: r["why"] for r in _manifest(course, "alice")["refused"]}
    assert set(why) == {"notes.txt", "again.ipynb", "hard.txt", "loop"}
    assert "symbolic link" in why["notes.txt"] and "hard link" in why["hard.txt"]
    alice = course.root / "submitted" / "alice" / "assignment1"
    assert sorted(p.name for p in alice.iterdir()) == [
        "import.json",
        "timestamp.txt",
        "two_layer_net.ipynb",
    ]
    assert "symbolic link" in _manifest(course, "bob")["refused"][0]["why"]
    assert _manifest(course, "mallory")["refused"][0]["name"] == "mallory"
    assert "source notebook" in _manifest(course, "eve")["refused"][0]["why"]
    assert not (course.root / "submitted" / "eve" / "assignment1" / "two_layer_net.ipynb").exists()
    assert course.last_import["refused"].keys() == {"alice", "bob", "mallory", "eve"}


def test_same_name_canvas_students_stay_two_students_with_lms_ids(tmp_path):
    course = fresh_course(tmp_path)
    src, rel = base_notebooks(course)
    upload = tmp_path / "canvas.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        info = zipfile.ZipInfo("wangwei_1111_2222_two_layer_net.ipynb", (2026, 11, 20, 9, 30, 0))
        zf.writestr(info, nbformat.writes(samples.reference_submission(src)))
        info = zipfile.ZipInfo(
            "wangwei_LATE_3333_4444_two_layer_net.ipynb", (2026, 11, 21, 8, 0, 0)
        )
        zf.writestr(info, nbformat.writes(samples.stub_submission(rel)))
    imported = course.import_submissions("assignment1", upload)
    assert set(imported) == {"wangwei_1111", "wangwei_3333"}
    with course.gradebook() as gb:
        ids = {s.id: s.lms_user_id for s in gb.students}
    assert ids["wangwei_1111"] == "1111" and ids["wangwei_3333"] == "3333"
    ts = course.root / "submitted" / "wangwei_1111" / "assignment1" / "timestamp.txt"
    assert ts.read_text() == "2026-11-20 09:30:00.000000 UTC"
    late = _manifest(course, "wangwei_3333")
    assert late["late"] is True and late["lms"] == "canvas" and late["lms_user_id"] == "3333"
    assert late["time_source"] == "zip entry time"
    # a later download with one of them keeps the same student (by LMS id)
    again = tmp_path / "again.zip"
    with zipfile.ZipFile(again, "w") as zf:
        zf.writestr(
            "wangwei_3333_5555_two_layer_net.ipynb",
            nbformat.writes(samples.reference_submission(src)),
        )
    assert set(course.import_submissions("assignment1", again)) == {"wangwei_3333"}


def test_two_files_for_one_student_and_notebook_are_both_kept_and_reported(tmp_path):
    course = fresh_course(tmp_path)
    src, rel = base_notebooks(course)
    upload = tmp_path / "canvas.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        info = zipfile.ZipInfo("ada_7_1_two_layer_net.ipynb", (2026, 11, 20, 9, 0, 0))
        zf.writestr(info, nbformat.writes(samples.stub_submission(rel)))
        info = zipfile.ZipInfo("ada_7_2_two_layer_net.ipynb", (2026, 11, 20, 10, 0, 0))
        zf.writestr(info, nbformat.writes(samples.reference_submission(src)))
    assert set(course.import_submissions("assignment1", upload)) == {"ada"}
    folder = course.root / "submitted" / "ada" / "assignment1"
    assert (folder / "two_layer_net (older 1).ipynb").is_file()
    clash = _manifest(course, "ada")["clashes"][0]
    assert "2 files claim two_layer_net.ipynb" in clash
    # the newest is graded; the clash is in the student's notes
    sub = course.autograde("assignment1", progress=False)["ada"]
    assert sub.score == 3.0
    assert any("2 files claim" in n for n in sub.notebooks[0].notes)


def test_blackboard_and_moodle_names_give_user_ids_and_times():
    info = importing.parse_name("Assignment1_jdoe_attempt_2026-11-20-10-00-00_svm.ipynb", ["svm"])
    assert (info.lms, info.user_id, info.rest) == ("blackboard", "jdoe", "svm.ipynb")
    assert info.time.isoformat() == "2026-11-20T10:00:00+00:00"
    info = importing.parse_name("Ada Lovelace_4242_assignsubmission_file_", ["svm"])
    assert (info.lms, info.user_id, info.student) == ("moodle", "4242", "Ada_Lovelace_4242")


def test_a_lone_student_folder_in_nbgrader_layout_is_that_student(tmp_path):
    nb = tmp_path / "collected" / "alice" / "assignment1" / "x.ipynb"
    nb.parent.mkdir(parents=True)
    nb.write_text("{}")
    groups = importing.group_files(tmp_path / "collected", ["x"], assignment="assignment1")
    assert list(groups) == ["alice"]
    assert [rel for rel, *_ in groups["alice"].files] == ["x.ipynb"]
    # a wrapper folder around student folders is still looked through
    wrapped = tmp_path / "zip" / "submissions" / "bob"
    wrapped.mkdir(parents=True)
    (wrapped / "x.ipynb").write_text("{}")
    assert list(importing.group_files(tmp_path / "zip", ["x"], assignment="assignment1")) == ["bob"]

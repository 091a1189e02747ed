"""Shared helpers of the autograder tests: one released sample course per session."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import nbformat

from autograder import samples
from autograder.course import Course
from autograder.sandbox import Limits

#: Small limits so that loops and bombs cost seconds, not minutes.
TEST_LIMITS = Limits(
    cell_timeout=2.0,
    case_timeout=2.0,
    submission_timeout=60.0,
    memory_mb=1536,
    nproc=48,
    grace=1.0,
)


@lru_cache(maxsize=1)
def released_template() -> Path:
    """A course with the sample assignment released (built once per test process)."""
    root = Path(tempfile.mkdtemp(prefix="cs231n-grader-test-"))
    src = samples.write_mini_source(root / "sample-source")
    course = Course.init(root / "course", limits=TEST_LIMITS)
    course.release("assignment1", source_dir=src)
    return course.root


def fresh_course(tmp_path: Path) -> Course:
    """A private copy of the released sample course."""
    target = Path(tmp_path) / "course"
    shutil.copytree(released_template(), target)
    return Course(target)


def base_notebooks(course: Course):
    src = nbformat.read(
        course.root / "source" / "assignment1" / f"{samples.MINI_NOTEBOOK}.ipynb", as_version=4
    )
    rel = nbformat.read(
        course.root / "release" / "assignment1" / f"{samples.MINI_NOTEBOOK}.ipynb", as_version=4
    )
    return src, rel

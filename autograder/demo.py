"""``python -m autograder demo``: the whole instructor flow on sample submissions.

Offline, on the embedded default dataset: create a course, release assignment1 (or the
notebooks named with ``--notebooks``; the built-in two-task sample when the assignment's
notebooks are not there or ``--mini`` is given), write four sample submissions

* ``reference``: the solutions, as a student would hand them in;
* ``stub``: the untouched student release;
* ``partial``: the first task of each notebook solved, the rest left as stubs;
* ``cheater``: "solutions" that import the package's own functions, plus a cell that
  patches ``np.allclose``, ``np.testing``, the check helpers and IPython, silences numpy
  and tries to write the gradebook;

import them as an LMS-style zip, grade them in parallel sandboxes, write nbgrader
feedback and the per-question CSV, and print a per-student, per-question table.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

import nbformat

from autograder import samples
from autograder.course import Course, print_table
from cs231n.course.tasks import ASSIGNMENTS

#: The assignment1 notebooks the demo grades by default: all of them, as the registry
#: lists them (about a minute on two cores; ``--notebooks`` picks fewer).
DEMO_NOTEBOOKS = tuple(ASSIGNMENTS["assignment1"])
STUDENTS = ("reference", "partial", "stub", "cheater")


def _real_sources(notebooks) -> tuple[Path | None, list[str]]:
    root = Path(__file__).resolve().parents[1] / "assignments" / "assignment1"
    have = sorted(
        p.stem for p in root.glob("*.ipynb") if (root / "hidden" / f"{p.stem}.py").is_file()
    )
    if not have:
        return None, []
    wanted = [n for n in (notebooks or DEMO_NOTEBOOKS) if n in have] or have[:1]
    return root, wanted


def run_demo(folder=None, notebooks=None, jobs=None, mini=False, feedback=True) -> int:
    t0 = time.perf_counter()
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="cs231n-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebooks, str):
        notebooks = [n for n in notebooks.split(",") if n]
    source_dir, names = (None, []) if mini else _real_sources(notebooks)
    if source_dir is None:
        source_dir = samples.write_mini_source(folder / "sample-assignment")
        names = [samples.MINI_NOTEBOOK]
        print("demo: using the built-in two-task sample assignment")
    print(f"demo: course in {folder / 'course'}; assignment1 notebooks: {', '.join(names)}")
    course = Course.init(folder / "course")
    print(
        "demo: building the student release (nbgrader generate_assignment + stripped package) ..."
    )
    zpath = course.release("assignment1", source_dir=source_dir, notebooks=names)
    print(f"demo: release zip {zpath} ({zpath.stat().st_size // 1024} KiB)")
    rel = course.root / "release" / "assignment1"
    src = course.root / "source" / "assignment1"
    upload = folder / "lms-download.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        for name in names:
            source_nb = nbformat.read(src / f"{name}.ipynb", as_version=4)
            release_nb = nbformat.read(rel / f"{name}.ipynb", as_version=4)
            subs = {
                "reference": samples.reference_submission(source_nb),
                "stub": samples.stub_submission(release_nb),
                "partial": samples.wrong_submission(source_nb, release_nb),
                "cheater": samples.cheating_submission(release_nb),
            }
            for i, (student, nb) in enumerate(subs.items()):
                # Canvas-style names: <login>_<id>_<submission id>_<file>
                zf.writestr(f"{student}_{100 + i}_{9000 + i}_{name}.ipynb", nbformat.writes(nb))
    imported = course.import_submissions("assignment1", upload)
    print(
        f"demo: imported {len(imported)} submissions from an LMS-style zip: {', '.join(imported)}"
    )
    results = course.autograde("assignment1", jobs=jobs, force=True)
    if feedback:
        course.feedback("assignment1")
    csv_path = course.export()
    print()
    print_table(results, order=STUDENTS)
    print()
    for student, sub in results.items():
        for nb in sub.notebooks:
            for note in nb.notes:
                print(f"  {student}/{nb.notebook}: {note}")
    print()
    print(f"per-question grades: {csv_path}")
    if feedback:
        print(f"HTML feedback:       {course.root / 'feedback'}")
    print(f"graded notebooks:    {course.root / 'autograded'}")
    print(f"demo finished in {time.perf_counter() - t0:.1f} s")
    ok = (
        results["reference"].score == results["reference"].max_score
        and results["cheater"].score == 0
    )
    if not ok:
        print("demo: UNEXPECTED scores (reference should be full, cheater zero)")
    return 0 if ok else 1

"""The adversarial catalogue (tests/adversarial/catalogue.py): every submission gets its score."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

pytest.importorskip("nbgrader")

from adversarial import catalogue
from adversarial.helpers import base_notebooks, fresh_course


def _feedback_text(course, student) -> str:
    folder = course.root / "autograded" / student / "assignment1"
    parts = []
    for p in folder.glob("*"):
        if p.suffix in (".ipynb", ".json"):
            parts.append(p.read_text(errors="replace"))
    sub = course.root / "submitted" / student / "assignment1" / "import.json"
    if sub.is_file():
        parts.append(sub.read_text())
    return "\n".join(parts)


@pytest.mark.slow
def test_catalogue_scores_reasons_and_export(tmp_path):
    from autograder.sandbox import isolation_mode

    course = fresh_course(tmp_path)
    ctx = catalogue.Context(*base_notebooks(course), root=course.root)
    entries = catalogue.write_all(ctx, tmp_path / "uploads")
    if isolation_mode() != "bubblewrap":
        for name in [n for n, e in entries.items() if e.sandbox_only]:
            print(f"no bubblewrap here: {name} skipped (only meaningful in the sandbox)")
            shutil.rmtree(tmp_path / "uploads" / name)
            del entries[name]
    imported = course.import_submissions("assignment1", tmp_path / "uploads")
    assert set(imported) == set(entries)
    results = course.autograde("assignment1", jobs=2, progress=False)
    assert set(results) == set(entries), "every submission is graded"
    rows = [
        f"isolation: {isolation_mode()}",
        f"{'case':22s} {'expected':>8s} {'actual':>6s}  status",
    ]
    failures = []
    for name, entry in entries.items():
        sub = results[name]
        nb = sub.notebooks[0]
        rows.append(f"{name:22s} {entry.expected:8g} {sub.score:6g}  {nb.status}")
        if abs(sub.score - entry.expected) > 1e-9:
            failures.append(
                f"{name}: expected {entry.expected}, got {sub.score} ({nb.notes}; {[q.reason for q in nb.questions]})"
            )
        if nb.status != entry.status:
            failures.append(f"{name}: status {nb.status}, expected {entry.status}")
        text = _feedback_text(course, name)
        if entry.reason and entry.reason not in text:
            failures.append(f"{name}: feedback lacks {entry.reason!r} (notes: {nb.notes})")
        if entry.absent and entry.absent in text:
            failures.append(f"{name}: feedback shows {entry.absent!r} (a leak)")
    print("\n".join(rows))
    assert not failures, "\n".join(failures)

    # the gradebook was not touched by the submission that tried to write it
    out = course.export(tmp_path / "grades.csv")
    with open(out) as fh:
        table = list(csv.DictReader(fh))
    students = {r["student"] for r in table}
    assert students == set(entries), "one row per submission and question"
    for r in table:
        assert float(r["score"] or 0) <= float(r["max_score"])
    # originals are kept read-only
    originals = list((course.root / "imports").rglob("*.ipynb"))
    assert originals and all(not (p.stat().st_mode & 0o222) for p in originals)
    # re-running is idempotent: nothing pending, and forced regrades give the same scores
    assert course.autograde("assignment1", progress=False) == {}
    again = course.autograde("assignment1", student="patched_numpy", force=True, progress=False)
    assert again["patched_numpy"].score == results["patched_numpy"].score
    report = json.loads(
        (course.root / "autograded" / "forged_control" / "assignment1" / "grading.json").read_text()
    )
    assert report["notebooks"][0]["status"] == "tampered"

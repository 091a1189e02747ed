"""Per-question CSV export from nbgrader's gradebook.

``python -m autograder export`` and ``nbgrader export`` (the course's
``nbgrader_config.py`` selects :class:`PerQuestionExportPlugin`) both write one row per
student, assignment and question, with the score (manual score when a grader set one,
else the autograder's), the maximum, and the grader's status and reason, taken from
``autograded/<student>/<assignment>/grading.json``.  Students without a submission get
rows with score 0 and status ``missing``, so every student appears.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nbgrader.plugins import ExportPlugin

COLUMNS = [
    "assignment",
    "student",
    "notebook",
    "question",
    "task",
    "score",
    "max_score",
    "auto_score",
    "manual_score",
    "needs_manual_grade",
    "status",
    "reason",
    "notes",
]


def _reasons(root: Path | None, assignment: str, student: str) -> dict:
    if root is None:
        return {}
    path = Path(root) / "autograded" / student / assignment / "grading.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return {}
    out = {}
    for nb in data.get("notebooks", []):
        notes = "; ".join(nb.get("notes", []))
        for q in nb.get("questions", []):
            out[(nb["notebook"], q["grade_id"])] = (
                nb.get("status", ""),
                q.get("reason", ""),
                notes,
            )
    return out


def rows(gradebook, root: Path | None = None, assignments=None, students=None):
    """Yield one dict per (assignment, student, question) of the gradebook."""
    from nbgrader.api import MissingEntry

    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            try:
                sub = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                sub = None
            reasons = _reasons(root, assignment.name, student.id) if sub is not None else {}
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    row = dict.fromkeys(COLUMNS, "")
                    row.update(
                        assignment=assignment.name,
                        student=student.id,
                        notebook=notebook.name,
                        question=cell.name,
                        task=cell.name[:-5] if cell.name.endswith("_test") else cell.name,
                        max_score=cell.max_score,
                    )
                    if sub is None:
                        row.update(score=0.0, status="missing", reason="no submission")
                    else:
                        try:
                            grade = gradebook.find_grade(
                                cell.name, notebook.name, assignment.name, student.id
                            )
                        except MissingEntry:
                            grade = None
                        if grade is not None:
                            row.update(
                                score=grade.score,
                                auto_score="" if grade.auto_score is None else grade.auto_score,
                                manual_score=""
                                if grade.manual_score is None
                                else grade.manual_score,
                                needs_manual_grade=bool(grade.needs_manual_grade),
                            )
                        status, reason, notes = reasons.get(
                            (notebook.name, cell.name), ("", "", "")
                        )
                        if grade is not None and grade.needs_manual_grade:
                            status = "needs manual grade"
                        row.update(status=status or "graded", reason=reason, notes=notes)
                    yield row


def write_csv(
    db_url: str, out: Path, root: Path | None = None, assignments=None, students=None
) -> int:
    from nbgrader.api import Gradebook

    n = 0
    with Gradebook(db_url) as gb, open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows(gb, root, assignments, students):
            writer.writerow(row)
            n += 1
    return n


class PerQuestionExportPlugin(ExportPlugin):
    """nbgrader export plugin: one CSV row per student and question (see module doc)."""

    def export(self, gradebook) -> None:
        dest = Path(self.to or "grades.csv")
        root = Path.cwd()
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows(
                gradebook,
                root,
                [str(a) for a in self.assignment] or None,
                [str(s) for s in self.student] or None,
            ):
                writer.writerow(row)
        self.log.info("Exported per-question grades to %s", dest)

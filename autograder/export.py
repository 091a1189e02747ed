"""CSV exports from nbgrader's gradebook: ``long``, ``wide`` and ``canvas``.

``long`` (the default of ``python -m autograder export``, and what ``nbgrader export``
writes through :class:`PerQuestionExportPlugin`): one row per student, assignment and
question, with the score (manual score when a grader set one, else the autograder's),
the maximum, and the grader's status and reason, taken from
``autograded/<student>/<assignment>/grading.json``.  Students without a submission get
rows with score 0 and status ``missing``, so every student appears.  A late notebook
gets one more row, question ``late_penalty``, whose negative score is the penalty, so
the score column still sums to the student's final score.

``wide``: one row per student (name, email, LMS id), a column per question and, per
assignment, the late penalty and the total after it.

``canvas``: what Canvas's gradebook import accepts: its own export's identity columns
(``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``), a ``Points
Possible`` row, and one column per assignment holding the total after the late penalty.
``ID`` is the Canvas user id kept at import (nbgrader's ``Student.lms_user_id``).  A
column is named after the assignment, or after ``canvas_columns`` in
``cs231n_grader.json`` (``{"assignment1": "Assignment 1 (12345)"}`` updates Canvas's
existing column 12345 instead of adding one).  A missing submission is 0 once the due
date has passed, else left blank (Canvas then leaves the grade alone).
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
                if sub is not None:
                    late = _late_row(gradebook, assignment, notebook, student, sub)
                    if late is not None:
                        yield late


def _late_row(gradebook, assignment, notebook, student, sub):
    from nbgrader.api import MissingEntry

    try:
        snb = gradebook.find_submission_notebook(notebook.name, assignment.name, student.id)
    except MissingEntry:
        return None
    penalty = float(snb.late_submission_penalty or 0.0)
    if penalty <= 0:
        return None
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        assignment=assignment.name,
        student=student.id,
        notebook=notebook.name,
        question="late_penalty",
        task="late_penalty",
        score=-penalty,
        max_score=0.0,
        status="late",
        reason=f"submitted {_late_text(sub.total_seconds_late)}",
    )
    return row


def _late_text(seconds) -> str:
    from autograder.late import describe_late

    return describe_late(float(seconds or 0.0))


FORMATS = ("long", "wide", "canvas")
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _totals(gradebook, assignment, student):
    """``(score before penalty, penalty, final score)`` or None without a submission."""
    from nbgrader.api import MissingEntry

    try:
        sub = gradebook.find_submission(assignment.name, student.id)
    except MissingEntry:
        return None
    score = float(sub.score or 0.0)
    penalty = float(sub.late_submission_penalty or 0.0)
    return score, penalty, max(0.0, score - penalty)


def _selected(gradebook, assignments):
    chosen = [a for a in gradebook.assignments if not assignments or a.name in assignments]
    if assignments:
        known = {a.name for a in gradebook.assignments}
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise KeyError(
                f"export: no assignment {unknown} in the gradebook; expected one of {sorted(known)}"
            )
    return chosen


def wide_rows(gradebook, assignments=None):
    """``(header, rows)``: one row per student, one column per question and per total."""
    chosen = _selected(gradebook, assignments)
    header = ["student", "first_name", "last_name", "email", "lms_user_id"]
    cells = []
    for a in chosen:
        for nb in a.notebooks:
            for cell in nb.grade_cells:
                cells.append((a, nb, cell))
                header.append(f"{a.name}/{nb.name}/{cell.name}")
        header += [f"{a.name}/late_penalty", f"{a.name}/total"]
    maxima = ["(max points)", "", "", "", ""]
    for a in chosen:
        maxima += [c.max_score for b, _, c in cells if b is a] + [0.0, a.max_score]
    out = [maxima]
    from nbgrader.api import MissingEntry

    for student in sorted(gradebook.students, key=lambda st: st.id):
        row = [
            student.id,
            student.first_name or "",
            student.last_name or "",
            student.email or "",
            student.lms_user_id or "",
        ]
        for a in chosen:
            totals = _totals(gradebook, a, student)
            for b, nb, cell in cells:
                if b is not a:
                    continue
                if totals is None:
                    row.append(0.0)
                    continue
                try:
                    grade = gradebook.find_grade(cell.name, nb.name, a.name, student.id)
                    row.append(float(grade.score or 0.0))
                except MissingEntry:
                    row.append(0.0)
            row += [0.0, 0.0] if totals is None else [totals[1], totals[2]]
        out.append(row)
    return header, out


def canvas_rows(gradebook, assignments=None, columns=None, now=None):
    """``(header, rows, students without an LMS id)`` in Canvas's gradebook layout."""
    from datetime import datetime, timezone

    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    chosen = _selected(gradebook, assignments)
    columns = columns or {}
    header = CANVAS_IDENTITY + [str(columns.get(a.name) or a.name) for a in chosen]
    out = [["    Points Possible", "", "", "", ""] + [a.max_score for a in chosen]]
    no_lms = []
    for student in sorted(gradebook.students, key=lambda st: st.id):
        first, last = (student.first_name or "").strip(), (student.last_name or "").strip()
        name = f"{last}, {first}" if first and last else (last or first or student.id)
        if not student.lms_user_id:
            no_lms.append(student.id)
        row = [name, student.lms_user_id or "", "", "", ""]
        for a in chosen:
            totals = _totals(gradebook, a, student)
            if totals is None:
                past_due = a.duedate is not None and a.duedate <= now
                row.append(0.0 if past_due else "")
            else:
                row.append(round(totals[2], 4))
        out.append(row)
    return header, out, no_lms


def write(
    db_url: str,
    out: Path,
    root: Path | None = None,
    fmt: str = "long",
    assignments=None,
    canvas_columns=None,
) -> dict:
    """Write ``out`` in ``fmt``; return ``{"rows": n, "no_lms_id": [...], "pending": n}``."""
    import warnings

    from nbgrader.api import Gradebook

    if fmt not in FORMATS:
        raise ValueError(f"export format: expected one of {FORMATS}; got {fmt!r}")
    info = {"rows": 0, "no_lms_id": [], "pending_manual": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy 2.1 noise from nbgrader's api
        with Gradebook(db_url) as gb, open(out, "w", newline="", encoding="utf-8") as fh:
            chosen = _selected(gb, assignments)
            for a in chosen:
                for sub in a.submissions:
                    info["pending_manual"] += int(bool(sub.needs_manual_grade))
            names = [a.name for a in chosen] or None
            writer = csv.writer(fh)
            if fmt == "long":
                writer.writerow(COLUMNS)
                for row in rows(gb, root, names):
                    writer.writerow([row[c] for c in COLUMNS])
                    info["rows"] += 1
            elif fmt == "wide":
                header, body = wide_rows(gb, names)
                writer.writerows([header, *body])
                info["rows"] = len(body) - 1
            else:
                header, body, info["no_lms_id"] = canvas_rows(gb, names, canvas_columns)
                writer.writerows([header, *body])
                info["rows"] = len(body) - 1
    return info


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

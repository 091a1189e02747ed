"""Deadlines, per-student extensions and the late policy, on nbgrader's gradebook.

* The due date is nbgrader's ``Assignment.duedate`` (stored in UTC), set by
  ``python -m autograder release A --due 2026-12-01T17:00-08:00`` or ``due A TIME``.
  A time without a zone is refused: which zone was meant is a guess.
* Extensions are nbgrader's ``SubmittedAssignment.extension``.  One granted before the
  student handed anything in is kept in ``cs231n_grader.json`` (``extensions``) and
  copied into the gradebook when the submission arrives.
* The submission time is nbgrader's ``SubmittedAssignment.timestamp``, read from
  ``submitted/<student>/<assignment>/timestamp.txt`` (the LMS's time when the import
  knows it).
* The late policy (``late_policy`` in ``cs231n_grader.json``) is applied by
  :class:`KitLatePolicy`, an nbgrader ``LateSubmissionPlugin``: ``none``; ``per_day``
  (``percent`` off per day *or part of a day* late, at most ``max_percent``); or
  ``cutoff`` (a late notebook scores 0).  ``grace_minutes`` forgives a short delay.
  The penalty goes into nbgrader's ``SubmittedNotebook.late_submission_penalty``, so
  nbgrader's feedback shows it ("Late submission penalty") and the exports subtract it.
  The course's ``nbgrader_config.py`` selects the same plugin for plain
  ``nbgrader autograde``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

from nbgrader.plugins import LateSubmissionPlugin

SETTINGS = "cs231n_grader.json"
KINDS = ("none", "per_day", "cutoff")


# ---------------------------------------------------------------------- times
def parse_due(text: str) -> datetime:
    """An ISO 8601 time *with* a zone (``2026-12-01T17:00-08:00``, ``...Z``), as UTC."""
    raw = str(text).strip()
    try:
        when = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise ValueError(
            f"due date: expected an ISO 8601 time with a zone such as "
            f"2026-12-01T17:00-08:00 or 2026-12-01T17:00Z; got {raw!r}"
        ) from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(
            f"due date {raw!r} has no time zone, so it is ambiguous. Expected an ISO 8601 "
            f"time with a zone; fix: write it as {raw}Z (UTC) or with an offset such as "
            f"{raw}-08:00"
        )
    return when.astimezone(timezone.utc)


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def parse_duration(text) -> timedelta:
    """``48`` (hours), ``36h``, ``2d``, ``90m`` or ``1w`` as a timedelta."""
    raw = str(text).strip().lower()
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    unit = raw[-1:] if raw[-1:] in units else "h"
    number = raw[:-1] if raw[-1:] in units else raw
    try:
        value = float(number)
    except ValueError:
        raise ValueError(
            f"extension: expected a number of hours or 36h / 2d / 90m / 1w; got {text!r}"
        ) from None
    if value < 0 or not math.isfinite(value):
        raise ValueError(f"extension: expected a duration >= 0; got {text!r}")
    return timedelta(**{units[unit]: value})


def describe_late(seconds: float) -> str:
    """``1 day 3 h late`` style text."""
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts) + " late"


# ---------------------------------------------------------------------- the policy
@dataclasses.dataclass(frozen=True)
class LatePolicy:
    """How much of a late notebook's score is taken off."""

    kind: str = "none"
    percent: float = 10.0
    max_percent: float = 100.0
    grace_minutes: float = 0.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"late policy: expected one of {KINDS}; got {self.kind!r}")
        for name in ("percent", "max_percent", "grace_minutes"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 <= value and math.isfinite(value)):
                raise ValueError(f"late policy {name}: expected a number >= 0; got {value!r}")

    @classmethod
    def from_settings(cls, data: dict | None) -> LatePolicy:
        data = dict(data or {})
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def fraction(self, seconds_late: float) -> float:
        """The fraction of the score taken off for ``seconds_late`` past the deadline."""
        if seconds_late <= self.grace_minutes * 60 or self.kind == "none":
            return 0.0
        if self.kind == "cutoff":
            return 1.0
        days = math.ceil(seconds_late / 86400.0)  # a part of a day counts as a day
        return min(self.max_percent, self.percent * days, 100.0) / 100.0

    def describe(self) -> str:
        if self.kind == "none":
            return "no late penalty"
        grace = f", {self.grace_minutes:g} min grace" if self.grace_minutes else ""
        if self.kind == "cutoff":
            return f"hard cutoff: a late notebook scores 0{grace}"
        return (
            f"{self.percent:g}% off per day or part of a day late, at most "
            f"{self.max_percent:g}%{grace}"
        )


class KitLatePolicy(LateSubmissionPlugin):
    """nbgrader late-penalty plugin reading ``late_policy`` from ``cs231n_grader.json``.

    ``c.AssignLatePenalties.plugin_class = "autograder.late.KitLatePolicy"`` in the
    course's ``nbgrader_config.py`` makes plain ``nbgrader autograde`` use it; our own
    grading calls it through :func:`apply`.
    """

    policy = None  # a LatePolicy; read from the course's settings when None

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        policy = self.policy or load_policy(Path.cwd())
        fraction = policy.fraction(total_seconds_late)
        return None if fraction == 0 else float(score or 0.0) * fraction


# ---------------------------------------------------------------------- settings
def _settings_path(root) -> Path:
    return Path(root) / SETTINGS


def read_settings(root) -> dict:
    path = _settings_path(root)
    return json.loads(path.read_text()) if path.is_file() else {}


def write_settings(root, data: dict) -> None:
    path = _settings_path(root)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


def load_policy(root) -> LatePolicy:
    return LatePolicy.from_settings(read_settings(root).get("late_policy"))


def set_policy(course, policy: LatePolicy) -> LatePolicy:
    """Store ``policy`` in the course settings and re-apply every assignment's penalties."""
    data = read_settings(course.root)
    data["late_policy"] = dataclasses.asdict(policy)
    write_settings(course.root, data)
    for name in _assignment_names(course):
        apply(course, name)
    return policy


def _assignment_names(course) -> list[str]:
    with _quiet(), course.gradebook() as gb:
        return [a.name for a in gb.assignments]


class _quiet(warnings.catch_warnings):
    """SQLAlchemy 2.1 prints "not in session" warnings from nbgrader's api: hide them."""

    def __enter__(self):
        out = super().__enter__()
        warnings.simplefilter("ignore")
        return out


# ---------------------------------------------------------------------- due dates
def set_due(course, assignment: str, due) -> datetime:
    """Set nbgrader's ``Assignment.duedate`` (``due``: ISO text with a zone or aware datetime)."""
    when = parse_due(due) if isinstance(due, str) else due
    if when.tzinfo is None:
        raise ValueError(f"due date {when!r} has no time zone; expected an aware datetime")
    with _quiet(), course.gradebook() as gb:
        gb.update_or_create_assignment(assignment, duedate=_naive_utc(when))
    apply(course, assignment)
    return when.astimezone(timezone.utc)


def due_date(course, assignment: str) -> datetime | None:
    from nbgrader.api import MissingEntry

    with _quiet(), course.gradebook() as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return None if due is None else due.replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------------- extensions
def extensions(course, assignment: str) -> dict[str, timedelta]:
    data = read_settings(course.root).get("extensions", {}).get(assignment, {})
    return {s: timedelta(hours=float(h)) for s, h in data.items()}


def grant_extension(course, assignment: str, student: str, duration) -> timedelta:
    """Give ``student`` ``duration`` more (replacing an earlier extension; 0 removes it)."""
    delta = duration if isinstance(duration, timedelta) else parse_duration(duration)
    if not student or "/" in student or student.startswith("."):
        raise ValueError(f"extension: expected a student id; got {student!r}")
    data = read_settings(course.root)
    per = data.setdefault("extensions", {}).setdefault(assignment, {})
    if delta.total_seconds() == 0:
        per.pop(student, None)
    else:
        per[student] = round(delta.total_seconds() / 3600.0, 6)
    write_settings(course.root, data)
    apply(course, assignment, students=[student])
    return delta


def import_extensions(course, path, assignment: str | None = None) -> list[tuple]:
    """Extensions from a CSV with columns ``student``, ``extension`` and ``assignment``
    (a row's own assignment wins; ``assignment`` fills an empty or missing column).
    ``extension`` is hours or 36h / 2d / 90m / 1w.  Returns the ``(assignment, student,
    timedelta)`` rows granted."""
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = {f.strip().lower(): f for f in reader.fieldnames or []}
        need = ["student", "extension"] + ([] if assignment else ["assignment"])
        per_row = "assignment" in fields
        missing = [f for f in need if f not in fields]
        if missing:
            raise ValueError(
                f"{path}: expected columns {need}; missing {missing} "
                f"(got {list(reader.fieldnames or [])})"
            )
        for n, row in enumerate(reader, start=2):
            student = (row[fields["student"]] or "").strip()
            a = ((row[fields["assignment"]] or "").strip() if per_row else "") or assignment
            if not student or not a:
                raise ValueError(f"{path}, line {n}: expected a student and an assignment")
            try:
                delta = parse_duration(row[fields["extension"]])
            except ValueError as exc:
                raise ValueError(f"{path}, line {n}: {exc}") from None
            rows.append((a, student, delta))
    data = read_settings(course.root)
    for a, student, delta in rows:
        per = data.setdefault("extensions", {}).setdefault(a, {})
        per[student] = round(delta.total_seconds() / 3600.0, 6)
    write_settings(course.root, data)
    for a in sorted({a for a, _, _ in rows}):
        apply(course, a, students=[s for b, s, _ in rows if b == a])
    return rows


# ---------------------------------------------------------------------- applying
def _timestamp(course, assignment: str, student: str) -> datetime | None:
    from nbgrader.utils import parse_utc

    path = Path(course.root) / "submitted" / student / assignment / "timestamp.txt"
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return parse_utc(path.read_text(encoding="utf-8", errors="replace").strip()[:100])
    except (ValueError, OverflowError, TypeError):
        return None


def apply(course, assignment: str, students=None) -> dict:
    """Copy timestamps and extensions into the gradebook and set each notebook's penalty.

    Returns ``{student: {"seconds_late", "fraction", "penalty"}}`` for the submissions
    of ``assignment`` (all, or those of ``students``).
    """
    from nbgrader.api import MissingEntry

    policy = load_policy(course.root)
    plugin = KitLatePolicy()
    plugin.policy = policy
    granted = extensions(course, assignment)
    out = {}
    with _quiet(), course.gradebook() as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            return {}
        for sub in list(a.submissions):
            sid = sub.student.id
            if students is not None and sid not in students:
                continue
            ts = _timestamp(course, assignment, sid)
            if ts is not None:
                sub.timestamp = ts
            sub.extension = granted.get(sid)
            gb.db.commit()
            seconds = float(sub.total_seconds_late or 0.0)
            fraction = policy.fraction(seconds) if a.duedate is not None else 0.0
            total = 0.0
            for nb in sub.notebooks:
                # the same plugin call as nbgrader's AssignLatePenalties, per notebook
                penalty = (
                    plugin.late_submission_penalty(sid, nb.score, seconds) if seconds else None
                )
                penalty = None if penalty is None else min(max(0.0, penalty), nb.score or 0.0)
                nb.late_submission_penalty = penalty
                total += penalty or 0.0
            gb.db.commit()
            out[sid] = {"seconds_late": seconds, "fraction": fraction, "penalty": total}
    return out


def lateness(course, assignment: str, student: str) -> dict | None:
    """``{"seconds_late", "fraction", "penalty", "text"}`` of one submission (None if none)."""
    from nbgrader.api import MissingEntry

    policy = load_policy(course.root)
    with _quiet(), course.gradebook() as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        seconds = float(sub.total_seconds_late or 0.0)
        penalty = float(sub.late_submission_penalty or 0.0)
        fraction = policy.fraction(seconds) if sub.assignment.duedate is not None else 0.0
    text = ""
    if seconds > 0:
        text = f"{describe_late(seconds)}: {fraction * 100:g}% off ({policy.describe()})"
    return {"seconds_late": seconds, "fraction": fraction, "penalty": penalty, "text": text}


__all__ = [
    "KINDS",
    "KitLatePolicy",
    "LatePolicy",
    "apply",
    "describe_late",
    "due_date",
    "extensions",
    "grant_extension",
    "import_extensions",
    "lateness",
    "load_policy",
    "parse_due",
    "parse_duration",
    "set_due",
    "set_policy",
]

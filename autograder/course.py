"""The course directory: nbgrader's layout and gradebook, with our grading plugged in.

Layout (nbgrader's folders, plus three of ours)::

    <course>/nbgrader_config.py      nbgrader configuration (written by ``init``)
    <course>/cs231n_grader.json      our settings: grading seed, limits, parallel jobs
    <course>/gradebook.db            nbgrader's gradebook (SQLite)
    <course>/source/<a>/*.ipynb      source notebooks, with solutions
    <course>/hidden/<a>/*.py         hidden tests: never released, never in a sandbox
    <course>/release/<a>/            student notebooks + student package + wheel
    <course>/release/<a>.zip         the same, as one Colab-ready zip
    <course>/imports/<stamp>-<name>/ every imported original, read-only, never deleted
    <course>/submitted/<s>/<a>/      the current submission of each student
    <course>/submitted_history/<s>/<a>/<stamp>/   earlier submissions that were replaced
    <course>/autograded/<s>/<a>/     graded notebooks (outputs + verdicts) and grading.json
    <course>/feedback/<s>/<a>/*.html nbgrader's HTML feedback

Execution and verdicts are ours (:mod:`autograder.grading`); nbgrader provides the
release (through :func:`autograder.authoring.release.build_student_release` and
``generate_assignment``), the gradebook, the HTML feedback and the student records.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import time
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from autograder import notebooks as nbs
from autograder.grading import Assignment, SubmissionResult, grade_many
from autograder.importing import (  # noqa: F401  (re-exported: the import's public names)
    LMS_PATTERNS,
    group_by_student,
    student_from_name,
)
from autograder.sandbox import Limits, isolation_mode, sandbox_available

SETTINGS = "cs231n_grader.json"
CONFIG_TEMPLATE = '''\
"""nbgrader configuration of this course (written by `python -m autograder init`)."""

import os

c = get_config()  # noqa: F821
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = {course_id!r}
# hidden tests live in <course>/hidden/, outside source/, and are never released
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "hidden", "_build"]
c.GenerateAssignment.create_assignment = True
c.ClearSolutions.code_stub = {{"python": 'raise NotImplementedError("not implemented yet: write your code here")'}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True
# Plain `nbgrader autograde` stays usable (our grader replaces it): sane settings for it.
c.Execute.timeout = 60
c.OverwriteCells.add_missing_cells = True
# `nbgrader export` writes one row per question with our plugin:
c.ExportApp.plugin_class = "autograder.export.PerQuestionExportPlugin"
# late penalties follow `late_policy` in cs231n_grader.json (autograder/late.py)
c.AssignLatePenalties.plugin_class = "autograder.late.KitLatePolicy"
'''


def _now_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _safe_id(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._-")
    return text[:64] or "unknown"


def _make_readonly(path: Path) -> None:
    """Make every file under ``path`` read-only (folders stay writable, as nbgrader does)."""
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        if p.is_symlink() or not p.is_file():
            continue
        mode = p.stat().st_mode
        p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _digest_folder(folder: Path) -> str:
    h = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "timestamp.txt":
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _rmtree(path: Path) -> None:
    if not path.exists():
        return
    for p in [path, *path.rglob("*")]:
        if not p.is_symlink():
            try:
                p.chmod(p.stat().st_mode | stat.S_IWUSR)
            except OSError:
                pass
    shutil.rmtree(path)


class Course:
    """An nbgrader course directory with our grading."""

    def __init__(self, root):
        from autograder._env import ensure_tools_on_path

        self.root = Path(root).resolve()
        ensure_tools_on_path()  # nbgrader runs `alembic` by name: works without an activated venv

    # ------------------------------------------------------------------ paths and settings
    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def settings(self) -> dict:
        path = self.root / SETTINGS
        return json.loads(path.read_text()) if path.is_file() else {}

    def limits(self) -> Limits:
        data = self.settings().get("limits", {})
        base = Limits()
        return Limits(**{k: type(getattr(base, k))(v) for k, v in data.items() if hasattr(base, k)})

    def check(self) -> None:
        if not (self.root / "nbgrader_config.py").is_file():
            raise FileNotFoundError(
                f"{self.root} is not a course directory (no nbgrader_config.py). "
                "Fix: run `python -m autograder init DIR` first, or pass --course DIR."
            )

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url)

    # ------------------------------------------------------------------ init
    @classmethod
    def init(cls, root, course_id: str = "cs231n", limits: Limits | None = None) -> Course:
        """Create the course directory, ``nbgrader_config.py``, settings and gradebook."""
        course = cls(root)
        course.root.mkdir(parents=True, exist_ok=True)
        for sub in (
            "source",
            "hidden",
            "release",
            "submitted",
            "autograded",
            "feedback",
            "imports",
        ):
            (course.root / sub).mkdir(exist_ok=True)
        cfg = course.root / "nbgrader_config.py"
        if not cfg.exists():
            cfg.write_text(CONFIG_TEMPLATE.format(course_id=course_id))
        settings_path = course.root / SETTINGS
        if not settings_path.exists():
            lim = limits or Limits()
            settings = {
                "course_id": course_id,
                "seed": secrets.randbelow(2**31 - 1000),
                "jobs": os.cpu_count() or 2,
                "limits": dataclasses.asdict(lim),
            }
            settings_path.write_text(json.dumps(settings, indent=2) + "\n")
        with course.gradebook():
            pass
        return course

    # ------------------------------------------------------------------ release
    def release(
        self,
        assignment: str,
        source_dir=None,
        notebooks=None,
        hidden_dir=None,
        due=None,
        base_url: str | None = None,
    ) -> Path:
        """Copy the sources in, build the student release and its zip, record it in the gradebook.

        ``due``: ISO 8601 time with a zone (nbgrader's ``Assignment.duedate``);
        ``base_url``: where the wheel will be published (baked into the setup cells).
        """
        from autograder import late
        from autograder.authoring.release import build_student_release

        self.check()
        due = late.parse_due(due) if isinstance(due, str) else due  # refuse before building
        repo_assignments = Path(__file__).resolve().parents[1] / "assignments"
        source_dir = Path(source_dir or repo_assignments / assignment)
        hidden_dir = Path(hidden_dir or source_dir / "hidden")
        wanted = sorted(source_dir.glob("*.ipynb"))
        if notebooks:
            wanted = [p for p in wanted if p.stem in set(notebooks)]
        if not wanted:
            raise FileNotFoundError(f"{assignment}: no source notebooks in {source_dir}")
        src = self.root / "source" / assignment
        hid = self.root / "hidden" / assignment
        for folder in (src, hid):
            _rmtree(folder)
            folder.mkdir(parents=True)
        for nb in wanted:
            shutil.copy2(nb, src / nb.name)
            h = hidden_dir / f"{nb.stem}.py"
            if h.is_file():
                shutil.copy2(h, hid / h.name)
            else:
                print(f"warning: no hidden tests for {nb.stem} ({h} missing)", file=sys.stderr)
        build = self.root / ".release-build"
        _rmtree(build)
        built = build_student_release(assignment, build, source_dir=src, base_url=base_url)
        # nbgrader records the assignment's cells in the gradebook and writes release/<a>
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"nbgrader generate_assignment failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            )
        rel = self.root / "release" / assignment
        for old_wheel in rel.glob("cs231n_kit-*.whl"):  # one wheel per release zip
            old_wheel.unlink()
        for item in built.iterdir():  # the builder's notebooks (task-named stubs) + package + wheel
            target = rel / item.name
            if target.is_dir():
                _rmtree(target)
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
        _rmtree(build)
        zpath = self.root / "release" / f"{assignment}.zip"
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(rel.rglob("*")):
                if p.is_file() and "__pycache__" not in p.parts:
                    zf.write(p, Path(assignment) / p.relative_to(rel))
        if due is not None:
            late.set_due(self, assignment, due)
        return zpath

    def assignment(self, name: str) -> Assignment:
        self.check()
        src = self.root / "source" / name
        rel = self.root / "release" / name
        if not (rel / "cs231n").is_dir():
            raise FileNotFoundError(
                f"{name} was not released yet. Fix: python -m autograder release {name}"
            )
        return Assignment.load(
            name,
            src,
            self.root / "hidden" / name,
            rel,
            seed=int(self.settings().get("seed", 1234)),
            limits=self.limits(),
        )

    # ------------------------------------------------------------------ import
    def import_submissions(self, assignment: str, source, pattern: str | None = None) -> dict:
        """Import a folder or an LMS bulk-download zip; return ``{student: [files]}``.

        Every original is kept, read-only, under ``imports/``.  A student who already had
        a different submission gets the old one moved to ``submitted_history/`` first.
        Links, files linked from outside the submission and copies of the course's own
        files are refused with the reason (``import.json``, then the student's feedback);
        LMS user ids go to the gradebook (see :mod:`autograder.importing`).
        """
        from autograder import importing as imp

        self.check()
        source = Path(source)
        if source.is_symlink():
            raise ValueError(f"{source}: a symbolic link; give the folder or zip itself")
        if not source.exists():
            raise FileNotFoundError(f"{source}: no such file or folder")
        real = source.resolve()
        for sub in ("source", "hidden", "release", "autograded", "feedback"):
            inside = self.root / sub
            if real == inside or inside in real.parents:
                raise ValueError(f"{source}: inside the course's {sub}/ folder; refusing")
        stamp = _now_stamp()
        keep = self.root / "imports" / f"{stamp}-{_safe_id(source.name)}"
        keep.mkdir(parents=True)
        staged = keep / "unpacked"
        refused: list = []
        protected = imp.protected_files(self.root)
        if source.is_dir():
            time_source = "file modification time"
            imp.safe_copy_tree(source, keep / "original", refused, protected)
            shutil.copytree(keep / "original", staged)
        elif zipfile.is_zipfile(source):
            time_source = "zip entry time"
            shutil.copy2(source, keep / source.name)
            imp.safe_extract(source, staged)
        else:
            time_source = "file modification time"
            staged.mkdir()
            shutil.copy2(source, keep / source.name)
            shutil.copy2(source, staged / source.name)
        for inner in list(staged.rglob("*.zip")):
            if zipfile.is_zipfile(inner):
                try:
                    imp.safe_extract(inner, inner.with_suffix(""))
                except (ValueError, OSError, zipfile.BadZipFile) as exc:
                    refused.append({"name": str(inner.relative_to(staged)), "why": str(exc)})
        imp.drop_protected(staged, refused, protected)
        groups = imp.group_files(
            staged, self._notebook_names(assignment), pattern, refused, assignment
        )
        with self.gradebook() as gb:
            known = {s.id: s.lms_user_id for s in gb.students}
        groups = imp.resolve_ids(groups, known)
        imported = {}
        problems = []
        for student, group in sorted(groups.items()):
            try:
                imported[student] = self._import_one(assignment, student, group, stamp, time_source)
            except Exception as exc:  # one bad entry never stops the batch
                problems.append(f"{student}: not imported ({type(exc).__name__}: {exc})")
        _rmtree(self.root / ".incoming")
        _make_readonly(keep)
        with self.gradebook() as gb:
            for student in imported:
                uid = groups[student].info.user_id if groups[student].info else ""
                kwargs = {"lms_user_id": uid} if uid else {}
                gb.update_or_create_student(student, **kwargs)
        for p in problems:
            print("import: " + p, file=sys.stderr)
        self.last_import = {
            "refused": {s: g.refused for s, g in groups.items() if g.refused},
            "clashes": {s: g.clashes for s, g in groups.items() if g.clashes},
            "problems": problems,
        }
        return imported

    def _import_one(self, assignment, student, group, stamp, time_source) -> list:
        from autograder import importing as imp

        dest = self.root / "submitted" / student / assignment
        incoming = self.root / ".incoming" / student
        _rmtree(incoming)
        incoming.mkdir(parents=True)
        when = imp.place_files(group, incoming, time_source)
        sources = {src for _r, _p, _t, src in group.files if src}
        data = imp.manifest(group, when, ", ".join(sorted(sources)) or time_source)
        imp.dump_manifest(incoming, data)
        names = [r for r, *_ in group.files]
        if dest.exists() and _digest_folder(dest) == _digest_folder(incoming):
            _rmtree(incoming)
            return names
        if dest.exists():
            hist = self.root / "submitted_history" / student / assignment / stamp
            hist.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(dest), str(hist))
            _make_readonly(hist)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(incoming), str(dest))
        if when is not None:
            imp.write_timestamp(dest, when)
        return names

    def _notebook_names(self, assignment: str) -> list[str]:
        return sorted(p.stem for p in (self.root / "source" / assignment).glob("*.ipynb"))

    # ------------------------------------------------------------------ autograde
    def students(self, assignment: str) -> list[str]:
        base = self.root / "submitted"
        return (
            sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())
            if base.is_dir()
            else []
        )

    def autograde(
        self,
        assignment: str,
        student: str | None = None,
        jobs: int | None = None,
        force=False,
        progress=True,
    ):
        """Grade pending (or all, with ``force``) submissions in parallel; return results."""
        spec = self.assignment(assignment)
        students = [student] if student else self.students(assignment)
        if student and student not in self.students(assignment):
            raise FileNotFoundError(
                f"no submission of {student} for {assignment} in {self.root / 'submitted'}"
            )
        todo = {}
        for s in students:
            folder = self.root / "submitted" / s / assignment
            report = self.root / "autograded" / s / assignment / "grading.json"
            digest = _digest_folder(folder)
            if not force and report.is_file():
                try:
                    if json.loads(report.read_text()).get("submission_digest") == digest:
                        continue
                except ValueError:
                    pass
            todo[s] = folder
        if not todo:
            return {}
        jobs = jobs or int(self.settings().get("jobs", os.cpu_count() or 2))

        from autograder import late

        # one gradebook connection for the batch, and the late policy applied once at the
        # end: per submission they cost more than grading the notebook
        with self.gradebook() as gb:

            def save(sub: SubmissionResult, notebooks: dict) -> None:
                self._save_result(assignment, sub, notebooks, gb=gb)

            results = grade_many(spec, todo, jobs=jobs, progress=progress, on_result=save)
        late.apply(self, assignment, students=sorted(results))  # timestamp, extension, penalty
        return results

    def _save_result(
        self, assignment: str, sub: SubmissionResult, notebooks: dict, gb=None
    ) -> None:
        import nbformat

        folder = self.root / "submitted" / sub.student / assignment
        out = self.root / "autograded" / sub.student / assignment
        previous = _previous_answers(out / "grading.json")  # written answers last graded
        _rmtree(out)
        out.mkdir(parents=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, out / f"{name}.ipynb")
        ts = folder / "timestamp.txt"
        if ts.is_file():
            shutil.copy2(ts, out / "timestamp.txt")
        data = sub.to_json()
        data["submission_digest"] = _digest_folder(folder)
        data["graded_at"] = datetime.now(timezone.utc).isoformat()
        data["written_answers"] = _answer_digests(self.root / "source" / assignment, notebooks)
        data["written_answers_changed"] = sorted(
            k for k, v in data["written_answers"].items() if k in previous and previous[k] != v
        )
        (out / "grading.json").write_text(json.dumps(data, indent=1) + "\n")
        self._write_gradebook(
            assignment, sub, notebooks, set(data["written_answers_changed"]), gb=gb
        )
        _make_readonly(out)

    def _write_gradebook(
        self, assignment: str, sub: SubmissionResult, notebooks: dict, changed=frozenset(), gb=None
    ) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy 2.1 "not in session" noise from nbgrader
            if gb is not None:
                self._write_gradebook_quiet(assignment, sub, notebooks, changed, gb=gb)
                return
            with self.gradebook() as own:
                self._write_gradebook_quiet(assignment, sub, notebooks, changed, gb=own)
            from autograder import late

            late.apply(self, assignment, students=[sub.student])  # timestamp, extension, penalty

    def _write_gradebook_quiet(
        self, assignment: str, sub: SubmissionResult, notebooks: dict, changed=frozenset(), gb=None
    ) -> None:
        """``changed``: ``notebook/grade_id`` of written answers edited since last graded."""
        from nbgrader.api import MissingEntry

        try:
            gb.find_student(sub.student)
        except MissingEntry:
            gb.update_or_create_student(sub.student)
        try:
            gb.find_submission(assignment, sub.student)
        except MissingEntry:
            ts = self.root / "submitted" / sub.student / assignment / "timestamp.txt"
            kwargs = {}
            if ts.is_file():
                kwargs["timestamp"] = ts.read_text().strip()
            try:
                gb.add_submission(assignment, sub.student, **kwargs)
            except Exception:
                gb.add_submission(assignment, sub.student)
        for nb_res in sub.notebooks:
            for q in nb_res.questions:
                try:
                    grade = gb.find_grade(q.grade_id, nb_res.notebook, assignment, sub.student)
                except MissingEntry:
                    continue
                grade.auto_score = q.score
                grade.needs_manual_grade = grade.manual_score is not None
            nb = notebooks.get(nb_res.notebook)
            answers = {nbs.grade_id(c): c for c in (nb.cells if nb is not None else [])}
            source = self.root / "source" / assignment / f"{nb_res.notebook}.ipynb"
            for cell in _manual_cells(source):
                gid = nbs.grade_id(cell)
                try:
                    grade = gb.find_grade(gid, nb_res.notebook, assignment, sub.student)
                except MissingEntry:
                    continue
                text = answers.get(gid, {}).get("source", "") if gid in answers else ""
                blank = not text.strip() or ("YOUR ANSWER HERE" in text and len(text.strip()) < 40)
                if f"{nb_res.notebook}/{gid}" in changed:
                    grade.manual_score = None  # a resubmitted, edited answer: grade again
                if grade.manual_score is None:
                    grade.auto_score = 0.0 if blank else None
                    grade.needs_manual_grade = not blank
        gb.db.commit()

    # ------------------------------------------------------------------ feedback / export
    def feedback(self, assignment: str, student: str | None = None) -> Path:
        """nbgrader ``generate_feedback`` on our autograded notebooks."""
        from autograder import late

        self.check()
        late.apply(self, assignment)  # penalties follow the current scores (manual ones too)
        cmd = [sys.executable, "-m", "nbgrader", "generate_feedback", assignment, "--force"]
        if student:
            cmd += ["--student", student]
        proc = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=1200)
        if proc.returncode != 0:
            raise RuntimeError(
                f"nbgrader generate_feedback failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
            )
        return self.root / "feedback"

    def export(self, out=None, fmt: str = "long", assignments=None) -> Path:
        """Write grades as ``fmt`` (long, wide, canvas: :mod:`autograder.export`).

        The late penalties are brought up to date first.  What was written (rows,
        students without an LMS id, submissions waiting for manual grading) is left in
        ``self.export_info``.
        """
        from autograder import export, late

        self.check()
        default = "grades.csv" if fmt == "long" else f"grades-{fmt}.csv"
        out = Path(out or self.root / default)
        with self.gradebook() as gb:
            names = [a.name for a in gb.assignments]
        for name in names:
            if not assignments or name in assignments:
                late.apply(self, name)
        self.export_info = export.write(
            self.db_url,
            out,
            self.root,
            fmt=fmt,
            assignments=list(assignments) if assignments else None,
            canvas_columns=self.settings().get("canvas_columns"),
        )
        return out

    def regrade(self, assignment: str, student: str, jobs: int = 1):
        return self.autograde(assignment, student=student, jobs=jobs, force=True, progress=False)

    def status(self) -> str:
        from autograder import late

        self.check()
        ok, why = sandbox_available()
        lines = [f"course: {self.root}", f"sandbox: {'bubblewrap' if ok else 'NONE (' + why + ')'}"]
        for src in sorted((self.root / "source").iterdir()):
            a = src.name
            nbs_ = sorted(p.stem for p in src.glob("*.ipynb"))
            released = (self.root / "release" / f"{a}.zip").is_file()
            subs = self.students(a)
            graded = stale = 0
            for s in subs:
                rep = self.root / "autograded" / s / a / "grading.json"
                if rep.is_file():
                    graded += 1
                    try:
                        if json.loads(rep.read_text()).get("submission_digest") != _digest_folder(
                            self.root / "submitted" / s / a
                        ):
                            stale += 1
                    except ValueError:
                        stale += 1
            fb = sum(1 for s in subs if list((self.root / "feedback" / s / a).glob("*.html")))
            due = late.due_date(self, a)
            lines.append(
                f"{a}: {len(nbs_)} notebooks, released={'yes' if released else 'no'}, "
                f"submissions={len(subs)}, autograded={graded} (stale {stale}), "
                f"pending={len(subs) - graded + stale}, feedback={fb}"
                + (f", due {due.isoformat()}" if due else "")
            )
        lines.append(f"late policy: {late.load_policy(self.root).describe()}")
        return "\n".join(lines)

    def results(self, assignment: str) -> dict:
        out = {}
        for s in self.students(assignment):
            rep = self.root / "autograded" / s / assignment / "grading.json"
            if rep.is_file():
                out[s] = SubmissionResult.from_json(json.loads(rep.read_text()))
        return out


def _answer_digests(source_dir: Path, notebooks: dict) -> dict:
    """``{"notebook/grade_id": sha256}`` of each written (manually graded) answer."""
    out = {}
    for name, nb in notebooks.items():
        answers = {nbs.grade_id(c): c.get("source", "") for c in nb.cells}
        for cell in _manual_cells(Path(source_dir) / f"{name}.ipynb"):
            gid = nbs.grade_id(cell)
            text = answers.get(gid, "")
            text = text if isinstance(text, str) else "".join(text)
            out[f"{name}/{gid}"] = hashlib.sha256(text.strip().encode()).hexdigest()
    return out


def _previous_answers(report: Path) -> dict:
    try:
        data = json.loads(report.read_text()) if report.is_file() else {}
    except (OSError, ValueError):
        return {}
    answers = data.get("written_answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


def _manual_cells(source_path: Path) -> list:
    import nbformat

    if not source_path.is_file():
        return []
    nb = nbformat.read(source_path, as_version=4)
    return [c for c in nb.cells if nbs.nbmeta(c).get("grade") and nbs.nbmeta(c).get("solution")]


def _safe_extract(zpath: Path, dest: Path, max_bytes: int = 2 * 2**30) -> None:
    """Extract a zip without path traversal, links, or unbounded size (see :mod:`autograder.importing`)."""
    from autograder.importing import safe_extract

    safe_extract(zpath, dest, max_bytes)


def print_table(results: dict, stream=None, order=None) -> None:
    """Per-question (rows), per-student (columns) table of scores, with totals."""
    stream = stream or sys.stdout
    if not results:
        print("(no results)", file=stream)
        return
    students = [s for s in (order or []) if s in results] + sorted(
        s for s in results if s not in (order or [])
    )
    first = results[students[0]]
    rows = [(nb.notebook, q.grade_id, q.max_score) for nb in first.notebooks for q in nb.questions]
    labels = [f"{n}/{nbs.task_of(g)} ({m:g})" for n, g, m in rows]
    width = max(len(x) for x in [*labels, "question (points)"])
    cols = [max(7, len(s)) for s in students]
    head = (
        "question (points)".ljust(width)
        + "  "
        + "  ".join(s.rjust(w) for s, w in zip(students, cols))
    )
    print(head, file=stream)
    print("-" * len(head), file=stream)
    scores = {
        s: {(nb.notebook, q.grade_id): q.score for nb in results[s].notebooks for q in nb.questions}
        for s in students
    }
    for (n, g, _), label in zip(rows, labels):
        vals = "  ".join(f"{scores[s].get((n, g), 0):g}".rjust(w) for s, w in zip(students, cols))
        print(label.ljust(width) + "  " + vals, file=stream)
    print("-" * len(head), file=stream)
    total = f"total ({first.max_score:g})".ljust(width)
    print(
        total + "  " + "  ".join(f"{results[s].score:g}".rjust(w) for s, w in zip(students, cols)),
        file=stream,
    )


def write_results_csv(results: dict, path: Path) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "notebook", "question", "score", "max_score", "status", "reason"])
        for student, sub in results.items():
            for nb in sub.notebooks:
                for q in nb.questions:
                    w.writerow(
                        [
                            student,
                            nb.notebook,
                            q.grade_id,
                            q.score,
                            q.max_score,
                            nb.status,
                            q.reason,
                        ]
                    )


__all__ = [
    "Course",
    "group_by_student",
    "isolation_mode",
    "print_table",
    "student_from_name",
    "time",
]

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
LMS_PATTERNS = [
    # Moodle: "Ada Lovelace_12345_assignsubmission_file_/svm.ipynb"
    re.compile(r"^(?P<student>.+?)_(?P<num>\d+)_assignsubmission_(file|onlinetext)_?"),
    # Blackboard: "Assignment1_jdoe_attempt_2026-11-20-10-00-00_svm.ipynb"
    re.compile(r"^.*?_(?P<student>[^_]+)_attempt_[\d-]+_?"),
    # Canvas: "lovelaceada_LATE_12345_67890_svm.ipynb" / "lovelaceada_12345_67890_svm-1.ipynb"
    re.compile(r"^(?P<student>[A-Za-z0-9.-]+?)(?:_LATE)?_\d+_\d+_"),
]


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
        """
        self.check()
        source = Path(source)
        if not source.exists():
            raise FileNotFoundError(f"{source}: no such file or folder")
        stamp = _now_stamp()
        keep = self.root / "imports" / f"{stamp}-{_safe_id(source.name)}"
        keep.mkdir(parents=True)
        staged = keep / "unpacked"
        if source.is_dir():
            shutil.copytree(
                source, keep / "original", symlinks=False, ignore_dangling_symlinks=True
            )
            shutil.copytree(source, staged, symlinks=False, ignore_dangling_symlinks=True)
        elif zipfile.is_zipfile(source):
            shutil.copy2(source, keep / source.name)
            _safe_extract(source, staged)
        else:
            staged.mkdir()
            shutil.copy2(source, keep / source.name)
            shutil.copy2(source, staged / source.name)
        for inner in list(staged.rglob("*.zip")):
            if zipfile.is_zipfile(inner):
                _safe_extract(inner, inner.with_suffix(""))
        groups = group_by_student(staged, self._notebook_names(assignment), pattern)
        imported = {}
        for student, files in sorted(groups.items()):
            dest = self.root / "submitted" / student / assignment
            incoming = self.root / ".incoming" / student
            _rmtree(incoming)
            incoming.mkdir(parents=True)
            for rel_name, path in files:
                target = incoming / rel_name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            if dest.exists() and _digest_folder(dest) == _digest_folder(incoming):
                _rmtree(incoming)
                imported[student] = [r for r, _ in files]
                continue
            if dest.exists():
                hist = self.root / "submitted_history" / student / assignment / stamp
                hist.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(dest), str(hist))
                _make_readonly(hist)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(incoming), str(dest))
            ts = datetime.fromtimestamp(max(p.stat().st_mtime for _, p in files), timezone.utc)
            (dest / "timestamp.txt").write_text(
                ts.strftime("%Y-%m-%d %H:%M:%S.%f %Z").replace("UTC", "UTC")
            )
            imported[student] = [r for r, _ in files]
        _rmtree(self.root / ".incoming")
        _make_readonly(keep)
        with self.gradebook() as gb:
            for student in imported:
                gb.update_or_create_student(student)
        return imported

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

        def save(sub: SubmissionResult, notebooks: dict) -> None:
            self._save_result(assignment, sub, notebooks)

        return grade_many(spec, todo, jobs=jobs, progress=progress, on_result=save)

    def _save_result(self, assignment: str, sub: SubmissionResult, notebooks: dict) -> None:
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
        self._write_gradebook(assignment, sub, notebooks, set(data["written_answers_changed"]))
        _make_readonly(out)

    def _write_gradebook(
        self, assignment: str, sub: SubmissionResult, notebooks: dict, changed=frozenset()
    ) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy 2.1 "not in session" noise from nbgrader
            self._write_gradebook_quiet(assignment, sub, notebooks, changed)

    def _write_gradebook_quiet(
        self, assignment: str, sub: SubmissionResult, notebooks: dict, changed=frozenset()
    ) -> None:
        """``changed``: ``notebook/grade_id`` of written answers edited since last graded."""
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
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
                    blank = not text.strip() or (
                        "YOUR ANSWER HERE" in text and len(text.strip()) < 40
                    )
                    if f"{nb_res.notebook}/{gid}" in changed:
                        grade.manual_score = None  # a resubmitted, edited answer: grade again
                    if grade.manual_score is None:
                        grade.auto_score = 0.0 if blank else None
                        grade.needs_manual_grade = not blank
            gb.db.commit()
        from autograder import late

        late.apply(self, assignment, students=[sub.student])  # timestamp, extension, penalty

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
            lines.append(
                f"{a}: {len(nbs_)} notebooks, released={'yes' if released else 'no'}, "
                f"submissions={len(subs)}, autograded={graded} (stale {stale}), "
                f"pending={len(subs) - graded + stale}, feedback={fb}"
            )
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
    """Extract a zip without path traversal, links, or unbounded size."""
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    with zipfile.ZipFile(zpath) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if not parts or ".." in parts or name.startswith("/") or "__MACOSX" in parts:
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            total += info.file_size
            if total > max_bytes:
                raise ValueError(
                    f"{zpath.name}: more than {max_bytes} bytes uncompressed; refusing"
                )
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)


def student_from_name(
    name: str, notebooks: list[str], pattern: str | None = None
) -> tuple[str, str]:
    """``(student id, file name)`` inferred from an LMS download name."""
    if pattern:
        m = re.search(pattern, name)
        if m and m.groupdict().get("student"):
            return _safe_id(m.group("student")), name[m.end() :] or name
    for rx in LMS_PATTERNS:
        m = rx.match(name)
        if m:
            rest = name[m.end() :] or name
            student = m.group("student")
            if "num" in m.groupdict() and m.group("num"):
                student = f"{student}_{m.group('num')}"
            return _safe_id(student), rest
    stem = Path(name).stem
    for nbname in sorted(notebooks, key=len, reverse=True):
        idx = stem.lower().find(nbname.lower())
        if idx > 0:
            return _safe_id(stem[:idx]), stem[idx:] + Path(name).suffix
    return _safe_id(re.split(r"[-_ .]", stem)[0]), name


def group_by_student(staged: Path, notebooks: list[str], pattern: str | None = None) -> dict:
    """Map an unpacked upload to ``{student: [(relative name, path), ...]}``.

    Top-level folders are students (nbgrader's ``submitted`` layout, Moodle folders,
    Gradescope exports); loose files get their student from their name.
    """
    groups: dict[str, list] = {}
    entries = sorted(staged.iterdir())
    if (
        len(entries) == 1
        and entries[0].is_dir()
        and not any(e.suffix == ".ipynb" for e in entries[0].iterdir())
    ):
        entries = sorted(entries[0].iterdir())  # a zip with one wrapper folder
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            student, _ = student_from_name(entry.name + "_", notebooks, pattern)
            if not any(rx.match(entry.name + "_") for rx in LMS_PATTERNS) and not pattern:
                student = _safe_id(entry.name)
            files = [p for p in sorted(entry.rglob("*")) if p.is_file() and p.suffix != ".zip"]
            # nbgrader layout submitted/<student>/<assignment>/...: flatten one level
            for p in files:
                rel = p.relative_to(entry)
                if len(rel.parts) > 1 and all(
                    q.parent == p.parent for q in files if q.suffix == ".ipynb"
                ):
                    rel = Path(p.name)
                groups.setdefault(student, []).append((str(rel), p))
        elif entry.is_file():
            if entry.suffix == ".zip" and entry.with_suffix("").is_dir():
                continue  # unpacked next to itself; the folder is handled as a student
            student, rest = student_from_name(entry.name, notebooks, pattern)
            groups.setdefault(student, []).append((Path(rest).name or entry.name, entry))
    return {s: files for s, files in groups.items() if files}


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

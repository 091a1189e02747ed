"""Importing submissions: folders and LMS bulk downloads, without trusting any of it.

:meth:`autograder.course.Course.import_submissions` calls :func:`import_submissions`.

* **Nothing but the submission's own regular files is read.**  Symbolic links are never
  followed (into or out of the submission, so a link loop costs nothing), a file with a
  hard link outside the submission is refused, and so is a file whose bytes are one of
  the course's source notebooks.  Devices, pipes and sockets are refused.  Each refusal
  is kept with its reason in the student's ``import.json`` and becomes a note in the
  student's feedback and export row.
* **LMS identity.**  Canvas (``name[_LATE]_<user id>_<file id>_<file>``), Blackboard
  (``<assignment>_<user>_attempt_<time>_<file>``) and Moodle
  (``<Full Name>_<participant id>_assignsubmission_file_/``) names give the LMS user id,
  which is stored in nbgrader's gradebook (``Student.lms_user_id``).  Two students with
  the same name and different user ids stay two students (``name_<user id>``).
* **Time and lateness.**  The submission time comes from the Blackboard file name, else
  the zip entry's time, else the file's modification time; it is written to nbgrader's
  ``timestamp.txt``.  The LMS's own late flag (Canvas ``_LATE_``) and the source of the
  time are kept in ``import.json``.
* **Clashes.**  Two files that claim the same student and file name are both kept (the
  older as ``name (older 1).ipynb``) and the clash is reported.
* **A batch never stops at one bad entry**: a student whose files cannot be imported
  gets the reason in ``import.json`` and the others are imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

MAX_FILES = 20_000
MAX_DEPTH = 16
MAX_FILE_BYTES = 200 * 2**20
MANIFEST = "import.json"

LMS_PATTERNS = [
    # Moodle: "Ada Lovelace_12345_assignsubmission_file_/svm.ipynb"
    (
        "moodle",
        re.compile(r"^(?P<student>.+?)_(?P<uid>\d+)_assignsubmission_(file|onlinetext)_?"),
    ),
    # Blackboard: "Assignment1_jdoe_attempt_2026-11-20-10-00-00_svm.ipynb"
    (
        "blackboard",
        re.compile(r"^.*?_(?P<student>[^_]+)_attempt_(?P<time>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)_?"),
    ),
    # Canvas: "lovelaceada_LATE_12345_67890_svm.ipynb" / "lovelaceada_12345_67890_svm-1.ipynb"
    (
        "canvas",
        re.compile(r"^(?P<student>[A-Za-z0-9.-]+?)(?P<late>_late)?_(?P<uid>\d+)_\d+_", re.I),
    ),
]


@dataclass
class NameInfo:
    """What an LMS file or folder name says."""

    student: str  # the student id before disambiguation (the name part)
    rest: str  # the file name without the LMS prefix
    lms: str = ""
    user_id: str = ""
    late: bool | None = None
    time: datetime | None = None


@dataclass
class StudentFiles:
    files: list = field(default_factory=list)  # (relative name, path, time, source of time)
    info: NameInfo | None = None
    refused: list = field(default_factory=list)  # {"name", "why"}
    clashes: list = field(default_factory=list)


def safe_id(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._-")
    return text[:64] or "unknown"


def parse_name(name: str, notebooks: list[str], pattern: str | None = None) -> NameInfo:
    """The student, LMS, user id, late flag and time an LMS download name carries."""
    if pattern:
        m = re.search(pattern, name)
        if m and m.groupdict().get("student"):
            uid = m.groupdict().get("uid") or ""
            return NameInfo(safe_id(m.group("student")), name[m.end() :] or name, "custom", uid)
    for lms, rx in LMS_PATTERNS:
        m = rx.match(name)
        if not m:
            continue
        rest = name[m.end() :] or name
        groups = m.groupdict()
        student = groups["student"]
        info = NameInfo(safe_id(student), rest, lms)
        if lms == "moodle":
            info.user_id = groups["uid"]
            info.student = safe_id(f"{student}_{groups['uid']}")
        elif lms == "blackboard":
            info.user_id = student
            info.time = datetime.strptime(groups["time"], "%Y-%m-%d-%H-%M-%S").replace(
                tzinfo=timezone.utc
            )
        else:
            info.user_id = groups["uid"]
            info.late = bool(groups.get("late"))
        return info
    stem = Path(name).stem
    for nbname in sorted(notebooks, key=len, reverse=True):
        idx = stem.lower().find(nbname.lower())
        if idx > 0:
            return NameInfo(safe_id(stem[:idx]), stem[idx:] + Path(name).suffix)
    return NameInfo(safe_id(re.split(r"[-_ .]", stem)[0]), name)


def student_from_name(
    name: str, notebooks: list[str], pattern: str | None = None
) -> tuple[str, str]:
    """``(student name, file name)`` inferred from an LMS download name (no user id)."""
    info = parse_name(name, notebooks, pattern)
    return info.student, info.rest


# ----------------------------------------------------------------------------- copying
def _inode_counts(top: Path) -> dict:
    """How many names each (device, inode) has inside ``top`` (links not followed)."""
    counts: dict = {}
    stack = [(top, 0)]
    seen = 0
    while stack:
        folder, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            seen += 1
            if seen > MAX_FILES * 2:
                return counts
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and depth < MAX_DEPTH:
                stack.append((Path(e.path), depth + 1))
            elif stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                counts[key] = counts.get(key, 0) + 1
    return counts


def safe_copy_tree(src: Path, dst: Path, refused: list, protected: set | None = None) -> int:
    """Copy the regular files of ``src`` to ``dst``; return how many were copied.

    Never follows a symbolic link; refuses hard links to files outside ``src``, files
    whose (device, inode) or sha256 is in ``protected`` (the course's own files),
    special files, files over the size limit, and anything past the depth or count
    limit.  Each refusal is appended to ``refused`` as ``{"name", "why"}``.
    """
    src, dst = Path(src), Path(dst)
    protected = protected or set()
    counts = _inode_counts(src)
    dst.mkdir(parents=True, exist_ok=True)
    copied = 0
    stack = [(src, dst, 0)]
    while stack:
        folder, out, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            refused.append(
                {"name": str(folder.relative_to(src)), "why": f"unreadable ({exc.strerror})"}
            )
            continue
        for e in entries:
            rel = str(Path(e.path).relative_to(src))
            try:
                st = e.stat(follow_symlinks=False)
            except OSError as exc:
                refused.append({"name": rel, "why": f"unreadable ({exc.strerror})"})
                continue
            if stat.S_ISLNK(st.st_mode):
                is_dir = os.path.isdir(e.path)  # only to name it; never entered
                refused.append(
                    {
                        "name": rel,
                        "why": "a symbolic link: links are never followed",
                        "dir": is_dir,
                    }
                )
                continue
            if stat.S_ISDIR(st.st_mode):
                if depth >= MAX_DEPTH:
                    refused.append({"name": rel, "why": f"nested deeper than {MAX_DEPTH} folders"})
                    continue
                (out / e.name).mkdir(exist_ok=True)
                stack.append((Path(e.path), out / e.name, depth + 1))
                continue
            if not stat.S_ISREG(st.st_mode):
                refused.append({"name": rel, "why": "not a regular file (device, pipe or socket)"})
                continue
            if copied >= MAX_FILES:
                refused.append({"name": rel, "why": f"more than {MAX_FILES} files"})
                continue
            if st.st_size > MAX_FILE_BYTES:
                refused.append({"name": rel, "why": f"larger than {MAX_FILE_BYTES // 2**20} MB"})
                continue
            key = (st.st_dev, st.st_ino)
            if key in protected:
                refused.append({"name": rel, "why": "it is one of the course's own files"})
                continue
            if st.st_nlink > counts.get(key, 1):
                refused.append({"name": rel, "why": "a hard link to a file outside the submission"})
                continue
            try:
                fd = os.open(e.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError as exc:
                refused.append({"name": rel, "why": f"unreadable ({exc.strerror})"})
                continue
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
            if hashlib.sha256(data).hexdigest() in protected:
                refused.append({"name": rel, "why": "it is a copy of the course's source notebook"})
                continue
            target = out / e.name
            target.write_bytes(data)
            os.utime(target, (st.st_mtime, st.st_mtime))
            copied += 1
    return copied


def safe_extract(zpath: Path, dest: Path, max_bytes: int = 2 * 2**30) -> None:
    """Extract a zip without path traversal, links, or unbounded size; keep entry times."""
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
            try:
                # zip times carry no zone; LMS downloads write UTC
                when = datetime(*info.date_time, tzinfo=timezone.utc).timestamp()
                os.utime(target, (when, when))
            except (ValueError, OverflowError, OSError):
                pass


# ----------------------------------------------------------------------------- grouping
def group_by_student(staged: Path, notebooks: list[str], pattern: str | None = None) -> dict:
    """Map an unpacked upload to ``{student: [(relative name, path), ...]}`` (names only)."""
    return {
        s: [(r, p) for r, p, _t, _src in g.files]
        for s, g in group_files(staged, notebooks, pattern).items()
        if g.files
    }


def _entry_info(name: str, is_dir: bool, notebooks, pattern) -> NameInfo:
    if is_dir:
        info = parse_name(name + "_", notebooks, pattern)
        if info.lms == "" and not pattern:
            info = NameInfo(safe_id(name), name)
        return info
    return parse_name(name, notebooks, pattern)


def group_files(
    staged: Path,
    notebooks: list[str],
    pattern: str | None = None,
    refused: list | None = None,
    assignment: str | None = None,
) -> dict:
    """``{student id: StudentFiles}`` of an unpacked upload.

    Top-level folders are students (nbgrader's ``submitted`` layout, Moodle folders,
    Gradescope exports); loose files get their student from their name.  ``refused``
    (``{"name", "why", "dir"}`` relative to ``staged``) are given to their student.
    A lone top-level folder without notebooks is a wrapper (``submissions/``) and is
    looked through, unless it holds a folder named ``assignment``: then it is one
    student in nbgrader's ``<student>/<assignment>/`` layout.
    """
    groups: dict[tuple, StudentFiles] = {}
    entries = sorted(p for p in staged.iterdir() if not p.is_symlink())
    wrapper = None
    if (
        len(entries) == 1
        and entries[0].is_dir()
        and not any(e.suffix == ".ipynb" for e in entries[0].iterdir())
        and not (assignment and (entries[0] / assignment).is_dir())
    ):
        wrapper = entries[0].name
        entries = sorted(p for p in entries[0].iterdir() if not p.is_symlink())
    for item in refused or []:
        parts = Path(item["name"]).parts
        if wrapper and len(parts) > 1 and parts[0] == wrapper:
            parts = parts[1:]
        if not parts:
            continue
        is_dir = len(parts) > 1 or item.get("dir", False)
        info = _entry_info(parts[0], is_dir, notebooks, pattern)
        group = groups.setdefault((info.student, info.user_id), StudentFiles(info=info))
        shown = Path(*parts[1:]) if len(parts) > 1 else Path(parts[0])
        group.refused.append({"name": str(shown), "why": item["why"]})
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            info = _entry_info(entry.name, True, notebooks, pattern)
            key = (info.student, info.user_id)
            group = groups.setdefault(key, StudentFiles(info=info))
            files = [p for p in sorted(entry.rglob("*")) if p.is_file() and p.suffix != ".zip"]
            for p in files:
                rel = p.relative_to(entry)
                # nbgrader layout submitted/<student>/<assignment>/...: flatten one level
                if len(rel.parts) > 1 and all(
                    q.parent == p.parent for q in files if q.suffix == ".ipynb"
                ):
                    rel = Path(p.name)
                group.files.append((str(rel), p, info.time, "file name" if info.time else ""))
        elif entry.is_file():
            if entry.suffix == ".zip" and entry.with_suffix("").is_dir():
                continue  # unpacked next to itself; the folder is handled as a student
            info = _entry_info(entry.name, False, notebooks, pattern)
            key = (info.student, info.user_id)
            group = groups.setdefault(key, StudentFiles(info=info))
            if info.late:
                group.info.late = True
            name = Path(info.rest).name or entry.name
            group.files.append((name, entry, info.time, "file name" if info.time else ""))
    return _disambiguate(groups)


def _disambiguate(groups: dict) -> dict:
    """``{(name, user id): files}`` to ``{student id: files}``; same names stay apart."""
    by_name: dict[str, list] = {}
    for (name, uid), g in groups.items():
        by_name.setdefault(name, []).append((uid, g))
    out = {}
    for name, items in by_name.items():
        uids = {uid for uid, _ in items}
        for uid, g in items:
            sid = name if len(uids) == 1 or not uid else safe_id(f"{name}_{uid}")
            if sid in out:  # the same id from two sources: merge (clashes reported later)
                out[sid].files += g.files
                out[sid].refused += g.refused
            else:
                out[sid] = g
    return out


def resolve_ids(groups: dict, gradebook_students: dict) -> dict:
    """Use the gradebook's students: a known LMS user id keeps its student id; a name
    already taken by another LMS user id gets the user id appended."""
    by_uid = {uid: sid for sid, uid in gradebook_students.items() if uid}
    out = {}
    for sid, g in groups.items():
        uid = g.info.user_id if g.info else ""
        new = sid
        if uid and uid in by_uid:
            new = by_uid[uid]
        elif uid and gradebook_students.get(sid) not in (None, "", uid):
            new = safe_id(f"{g.info.student}_{uid}")
        if new in out:
            out[new].files += g.files
            out[new].refused += g.refused
        else:
            out[new] = g
    return out


def _file_time(path: Path, when, source: str) -> tuple[datetime, str]:
    if when is not None:
        return when, source or "file name"
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc), ""
    except OSError:
        return datetime.now(timezone.utc), "import time"


def place_files(group: StudentFiles, incoming: Path, time_source: str) -> datetime | None:
    """Copy a student's files into ``incoming``; clashing names are all kept and reported."""
    by_name: dict[str, list] = {}
    latest = None
    for rel, path, when, source in group.files:
        t, src = _file_time(path, when, source)
        by_name.setdefault(rel, []).append((t, src or time_source, path))
        latest = t if latest is None or t > latest else latest
    for rel, items in sorted(by_name.items()):
        items.sort(key=lambda x: (x[0], str(x[2])))
        target = incoming / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        newest = items[-1]
        shutil.copy2(newest[2], target)
        if len(items) > 1:
            older = []
            for n, (_t, _s, path) in enumerate(reversed(items[:-1]), start=1):
                p = Path(rel)
                alt = p.with_name(f"{p.stem} (older {n}){p.suffix}")
                shutil.copy2(path, incoming / alt)
                older.append(str(alt))
            group.clashes.append(
                f"{len(items)} files claim {rel} for this student: all kept "
                f"(the newest as {rel}, the others as {', '.join(older)}); the newest is graded"
            )
    return latest


def manifest(group: StudentFiles, when: datetime | None, time_source: str) -> dict:
    info = group.info or NameInfo("", "")
    return {
        "lms": info.lms,
        "lms_user_id": info.user_id or None,
        "late": info.late,
        "submitted_at": when.isoformat() if when else None,
        "time_source": time_source,
        "refused": group.refused,
        "clashes": group.clashes,
    }


def write_timestamp(dest: Path, when: datetime) -> None:
    """nbgrader's ``timestamp.txt`` (``2026-11-20 10:00:00.000000 UTC``)."""
    (dest / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


def dump_manifest(dest: Path, data: dict) -> None:
    (dest / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def drop_protected(top: Path, refused: list, protected: set) -> None:
    """Delete (and refuse) unpacked files whose bytes are one of the course's files."""
    for p in sorted(top.rglob("*")):
        if p.is_file() and not p.is_symlink():
            if hashlib.sha256(p.read_bytes()).hexdigest() in protected:
                refused.append(
                    {
                        "name": str(p.relative_to(top)),
                        "why": "it is a copy of the course's source notebook",
                    }
                )
                p.unlink()


def protected_files(root: Path) -> set:
    """(device, inode) of the course's own files and sha256 of its source notebooks."""
    out = set()
    for sub in ("source", "hidden", "release", "autograded"):
        folder = Path(root) / sub
        if not folder.is_dir():
            continue
        for p in folder.rglob("*"):
            try:
                st = p.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out.add((st.st_dev, st.st_ino))
                if sub == "source" and p.suffix == ".ipynb":
                    out.add(hashlib.sha256(p.read_bytes()).hexdigest())
    for name in ("gradebook.db", "nbgrader_config.py", "cs231n_grader.json"):
        try:
            st = (Path(root) / name).stat()
            out.add((st.st_dev, st.st_ino))
        except OSError:
            pass
    return out

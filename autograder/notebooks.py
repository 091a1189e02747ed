"""Reading, matching and repairing submitted notebooks against the source notebooks.

Students' notebooks arrive damaged in every way an editor allows: cells deleted,
duplicated (JupyterLab and Colab copy the nbgrader metadata with the cell), retyped
(code to markdown), locked cells edited (Colab ignores the locked flags), metadata
stripped, the file renamed ("Copy of svm.ipynb"), the JSON truncated, the file empty.
Instead of refusing (nbgrader's "old metadata format" error), this module repairs what it
can, following nbgrader's own rule that locked cells come from the trusted source, and
records a plain-English note for the student's feedback about every repair.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HIDDEN_RE = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
SOLUTION_RE = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.S)
SKIP_TAG = "skip-grading"


def nbmeta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    gid = nbmeta(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


def is_locked(cell) -> bool:
    m = nbmeta(cell)
    return bool(m.get("locked")) and not m.get("solution")


def is_test_cell(cell) -> bool:
    m = nbmeta(cell)
    return bool(m.get("grade")) and not m.get("solution") and cell.get("cell_type") == "code"


def strip_hidden(source: str) -> str:
    """A test cell's source without its hidden-test region (what students see)."""
    return HIDDEN_RE.sub("", source).rstrip("\n")


def task_of(test_grade_id: str) -> str:
    return test_grade_id[: -len("_test")] if test_grade_id.endswith("_test") else test_grade_id


def read_notebook_file(path: Path) -> tuple[object | None, str]:
    """Read any file as a v4 notebook; return (notebook or None, problem or '')."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"the file could not be read ({exc.strerror})"
    if not raw.strip():
        return None, "the file is empty (0 bytes of notebook): was it saved before downloading?"
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "the file is not text (is it a notebook at all?)"
    except json.JSONDecodeError as exc:
        return None, (
            f"the file is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may have been truncated or edited by hand"
        )
    if not isinstance(data, dict) or ("cells" not in data and "worksheets" not in data):
        return None, "the file is JSON but not a Jupyter notebook (no cells)"
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # nbformat raises many kinds
        return None, f"the notebook could not be converted to format 4 ({exc})"
    for cell in nb.get("cells", []):
        if not isinstance(cell.get("source", ""), str):
            cell["source"] = "".join(cell.get("source") or [])
        cell.setdefault("metadata", {})
    return nb, ""


def grade_ids_of(nb) -> set[str]:
    return {g for g in (grade_id(c) for c in nb.cells) if g}


def _norm_name(name: str) -> str:
    stem = Path(name).stem.lower()
    stem = re.sub(r"^(copy of |copy_of_)", "", stem)
    stem = re.sub(r"([-_ ]copy\d*|\s*\(\d+\)|-checkpoint)$", "", stem)
    return re.sub(r"[^a-z0-9]", "", stem)


def match_files(files: list[Path], sources: dict[str, object]) -> tuple[dict, list[str]]:
    """Match submitted ``.ipynb`` files to source notebooks.

    Returns ``({notebook: (path, nb or None, problem, note)}, notes)``.  A file counts for
    the notebook whose grade ids it shares most; failing that (unreadable files), for the
    notebook its name resembles; a lone file for a lone notebook matches whatever its name.
    """
    out: dict[str, tuple] = {}
    notes: list[str] = []
    ids = {name: grade_ids_of(nb) for name, nb in sources.items()}
    scored = []
    for path in sorted(files):
        nb, problem = read_notebook_file(path)
        best, overlap = None, 0
        if nb is not None:
            mine = grade_ids_of(nb)
            for name, theirs in ids.items():
                n = len(mine & theirs)
                if n > overlap:
                    best, overlap = name, n
        if best is None:
            for name in sources:
                if _norm_name(name) == _norm_name(path.name):
                    best = name
        if best is None and len(files) == 1 and len(sources) == 1:
            best = next(iter(sources))
        scored.append((best, overlap, path, nb, problem))
    exact = {name: None for name in sources}
    for best, _overlap, path, nb, problem in sorted(
        scored, key=lambda s: (-s[1], s[2].stem != (s[0] or ""))
    ):
        if best is None:
            notes.append(f"{path.name}: not recognised as any notebook of this assignment; ignored")
            continue
        if exact[best] is not None:
            notes.append(
                f"{path.name}: another file was already graded as {best}.ipynb; this one was ignored"
            )
            continue
        note = ""
        if path.name != f"{best}.ipynb":
            note = f"your file {path.name!r} was graded as {best}.ipynb (expected that file name)"
        exact[best] = (path, nb, problem, note)
    for name, hit in exact.items():
        if hit is not None:
            out[name] = hit
    return out, notes


@dataclass
class Prepared:
    """A repaired notebook ready to run, and what was done to it."""

    nb: object
    notes: list[str] = field(default_factory=list)
    # per repaired-notebook cell index: "trusted" | "solution" | "student"
    kinds: dict[int, str] = field(default_factory=dict)


def _release_copy(cell):
    new = copy.deepcopy(cell)
    if new.cell_type == "code":
        new.source = strip_hidden(new.source)
        new.outputs = []
        new.execution_count = None
    return new


def prepare(source_nb, submitted_nb) -> Prepared:
    """Repair ``submitted_nb`` against ``source_nb`` (see the module docstring).

    * locked cells (tests, read-only code and text) come from the source, with hidden
      regions removed; duplicates of them are dropped; missing ones are put back;
    * solution cells keep the student's text, get their source cell type and nbgrader
      metadata back; a duplicate keeps running but loses its grade id;
    * any other cell is the student's own and runs as written.
    """
    src_cells = {grade_id(c): c for c in source_nb.cells if grade_id(c)}
    order = [grade_id(c) for c in source_nb.cells if grade_id(c)]
    notes: list[str] = []
    cells: list = []
    kinds: list[str] = []
    seen: dict[str, int] = {}
    edited, dup_locked, retyped, dup_solution = [], [], [], []
    for cell in submitted_nb.cells:
        gid = grade_id(cell)
        src = src_cells.get(gid) if gid else None
        if src is None:
            new = copy.deepcopy(cell)
            new.metadata.pop("nbgrader", None)
            cells.append(new)
            kinds.append("student")
            continue
        if gid in seen:
            if is_locked(src) or nbmeta(src).get("grade"):
                dup_locked.append(gid)
                continue
            dup_solution.append(gid)
            new = copy.deepcopy(cell)
            new.metadata.pop("nbgrader", None)
            if new.cell_type != src.cell_type:
                new = _retype(new, src.cell_type)
            cells.append(new)
            kinds.append("student")
            continue
        seen[gid] = len(cells)
        if is_locked(src) or (nbmeta(src).get("grade") and not nbmeta(src).get("solution")):
            new = _release_copy(src)
            if cell.get("cell_type") != src.cell_type or (
                cell.get("source", "").strip() != new.source.strip()
            ):
                edited.append(gid)
            cells.append(new)
            kinds.append("trusted")
            continue
        new = copy.deepcopy(cell)
        if new.cell_type != src.cell_type:
            retyped.append(gid)
            new = _retype(new, src.cell_type)
        new.metadata["nbgrader"] = copy.deepcopy(nbmeta(src))
        cells.append(new)
        kinds.append("solution")
    # put back missing source cells after their predecessor
    missing_tests, missing_solutions, missing_other = [], [], []
    for pos, gid in enumerate(order):
        if gid in seen:
            continue
        src = src_cells[gid]
        meta = nbmeta(src)
        if meta.get("solution") and src.cell_type == "code":
            missing_solutions.append(gid)
            new = nbformat.v4.new_markdown_cell(
                f"*(The graded cell `{gid}` was missing from your notebook; code defined "
                "elsewhere in your notebook was still graded.)*"
            )
            kind = "student"
        else:
            new = _release_copy(src)
            if meta.get("solution"):
                new.source = "*(missing from your notebook)*"
            (missing_tests if meta.get("grade") else missing_other).append(gid)
            kind = "trusted"
        after = -1
        for prev in reversed(order[:pos]):
            if prev in seen:
                after = seen[prev]
                break
        insert_at = after + 1
        cells.insert(insert_at, new)
        kinds.insert(insert_at, kind)
        for key, idx in list(seen.items()):
            if idx >= insert_at:
                seen[key] = idx + 1
        seen[gid] = insert_at
    if edited:
        notes.append(
            "locked cells were edited or retyped and were restored from the original: "
            + ", ".join(edited)
        )
    if dup_locked:
        notes.append("duplicated locked cells were removed: " + ", ".join(sorted(set(dup_locked))))
    if dup_solution:
        notes.append(
            "graded cells were duplicated; all copies ran in order, the last definition counts: "
            + ", ".join(sorted(set(dup_solution)))
        )
    if retyped:
        notes.append(
            "graded cells had their type changed and were turned back to code: "
            + ", ".join(retyped)
        )
    if missing_tests:
        notes.append("deleted test cells were put back: " + ", ".join(missing_tests))
    if missing_solutions:
        notes.append("graded answer cells were missing: " + ", ".join(missing_solutions))
    if missing_other:
        notes.append("deleted read-only cells were put back: " + ", ".join(missing_other))
    counts = [c.get("execution_count") for c in submitted_nb.cells if c.get("cell_type") == "code"]
    counts = [c for c in counts if isinstance(c, int)]
    if any(b < a for a, b in itertools.pairwise(counts)):
        notes.append(
            "your cells were run out of order (execution counts go backwards); grading runs "
            "every cell once, top to bottom, in a fresh process"
        )
    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(source_nb.metadata)
    nb.cells = cells
    _fix_ids(nb)
    return Prepared(nb=nb, notes=notes, kinds=dict(enumerate(kinds)))


def _retype(cell, cell_type: str):
    if cell_type == "code":
        new = nbformat.v4.new_code_cell(cell.get("source", ""))
    elif cell_type == "markdown":
        new = nbformat.v4.new_markdown_cell(cell.get("source", ""))
    else:
        new = nbformat.v4.new_raw_cell(cell.get("source", ""))
    new.metadata = copy.deepcopy(cell.get("metadata", {}))
    return new


def _fix_ids(nb) -> None:
    seen = set()
    for cell in nb.cells:
        cid = cell.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cid) or cid in seen:
            cid = uuid.uuid4().hex[:12]
        cell["id"] = cid
        seen.add(cid)
    nb.nbformat, nb.nbformat_minor = 4, 5


def execution_plan(prepared: Prepared) -> list[dict]:
    """The cells the worker runs: every code cell, skip-grading ones marked skipped."""
    plan = []
    for i, cell in enumerate(prepared.nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", []) or []
        skip = SKIP_TAG in tags
        plan.append(
            {
                "index": i,
                "source": cell.source,
                "skip": skip,
                "skip_reason": "tagged skip-grading (demonstration only)" if skip else "",
            }
        )
    return plan


def empty_from_source(source_nb, message: str):
    """A feedback notebook for an unreadable submission: the release plus a note."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(source_nb.metadata)
    head = nbformat.v4.new_markdown_cell(f"**Grader:** {message}")
    nb.cells = [head] + [_release_copy(c) for c in source_nb.cells]
    for cell in nb.cells:
        if nbmeta(cell).get("solution") and cell.cell_type == "code":
            cell.source = SOLUTION_RE.sub("# (no submission)", cell.source)
    _fix_ids(nb)
    return nb

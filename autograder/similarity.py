"""Similarity of students' solution cells: a ranked HTML report and a CSV.

``python -m autograder similarity A`` compares, task by task, the code every student
wrote in the solution cells of assignment ``A`` and ranks the pairs of students.

How a cell is compared:

1. **Canonical form** (:func:`canonical`, with :mod:`ast`; the code is parsed, never
   run): docstrings and comments go, and the statements of every block are sorted by
   their shape, so reordering independent statements changes nothing.
2. **Fingerprints** (`copydetect <https://github.com/blingenf/copydetect>`_): the
   canonical code is tokenised with every identifier replaced by one letter (renamed
   variables change nothing), then winnowed k-gram hashes are compared.
3. **What everyone has is ignored**: the released stub of the cell (its signature,
   docstring, ``raise NotImplementedError``) and fingerprints that more than half of
   the students share (at least 4 of them) are boilerplate, not evidence.

A pair's score is the overlap of their fingerprinted tokens over all tasks both wrote
(Dice: ``2 * overlap / (tokens_a + tokens_b)``), so a long copied function weighs more
than a one-line task that everyone solves alike.  The report lists the pairs, best
first, and shows the top ones' code side by side.  A high score is a reason to read the
code, never a verdict.

Code is taken from the graded notebooks (``autograded/``: cells already matched to the
source by grade id) or, for students not graded yet, from their submitted notebooks.
``--references DIR`` adds outside code (public solutions found online, earlier years)
as ``ref:<file>`` entries compared with every student.
"""

from __future__ import annotations

import ast
import csv
import html
import io
from collections import Counter
from itertools import combinations
from pathlib import Path

from autograder import notebooks as nbs

K = 12  # k-gram length in filtered tokens (one character per token)
WINDOW = 4  # winnowing window: every shared run of K + WINDOW - 1 tokens is found
MIN_TOKENS = 15  # a cell with fewer fingerprinted tokens than this is not compared
MAX_CHARS = 100_000  # longer cells are cut (a hostile submission could be huge)


# ----------------------------------------------------------------------------- canonical form
class _Canonical(ast.NodeTransformer):
    def _body(self, body):
        body = [
            s
            for s in body
            if not (
                isinstance(s, ast.Expr)
                and isinstance(s.value, ast.Constant)
                and isinstance(s.value.value, str)
            )
        ]
        body = [self.visit(s) for s in body]
        body = [s for s in body if s is not None]
        body.sort(key=_shape)
        return body or [ast.Pass()]

    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._body(value))
        return node

    def visit_Module(self, node):
        node.body = self._body(node.body)
        return node


def _shape(stmt) -> str:
    """A statement's text with every identifier replaced: the order key of a block."""
    try:
        text = ast.unparse(stmt)
    except (ValueError, RecursionError):
        return ""
    from copydetect.utils import filter_code

    return filter_code(text, "cell.py", "python")[0]


def canonical(code: str) -> str:
    """``code`` without docstrings or comments and with each block's statements sorted.

    Code that does not parse (or is too deep to) is returned unchanged.
    """
    code = strip_magics(code[:MAX_CHARS])
    try:
        tree = ast.parse(code)
        tree = _Canonical().visit(tree)
        return ast.unparse(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code


def strip_magics(code: str) -> str:
    """Drop IPython ``%`` / ``!`` lines so that the cell parses as Python."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )


def _fingerprint(code: str, boilerplate=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        "cell.py",
        K,
        WINDOW,
        boilerplate=list(boilerplate) if boilerplate is not None else None,
        filter=True,
        language="python",
        fp=io.StringIO(code),
    )


def _all_kgrams(code: str) -> set:
    """Every k-gram hash of ``code`` (not only the winnowed ones): the stub's boilerplate."""
    from copydetect.utils import filter_code, hashed_kgrams

    filtered = filter_code(code, "cell.py", "python")[0]
    return set(hashed_kgrams(filtered, K).tolist()) if len(filtered) >= K else set()


def _tokens(fp) -> int:
    """Fingerprinted tokens of a cell: filtered characters covered by its hashes."""
    return int(fp.token_coverage)


# ----------------------------------------------------------------------------- comparing
def compare(submissions: dict, stubs: dict | None = None) -> dict:
    """Rank pairs of students.

    Parameters
    ----------
    submissions : dict
        ``{student: {task: code}}``.
    stubs : dict, optional
        ``{task: code}``: the released starter code of each task, ignored.

    Returns
    -------
    dict
        ``{"pairs": [...], "tasks": [...]}``; each pair is a dict with ``student_a``,
        ``student_b``, ``similarity`` (0-1), ``overlap``, ``tokens`` and ``per_task``
        (``{task: similarity}``), best first.
    """
    from copydetect import compare_files

    stubs = stubs or {}
    tasks = sorted({t for per in submissions.values() for t in per})
    prints: dict[str, dict[str, object]] = {t: {} for t in tasks}
    for task in tasks:
        stub_hashes = set()
        if stubs.get(task):
            stub_hashes = _all_kgrams(canonical(stubs[task]))
        first = {}
        for student, per in submissions.items():
            code = per.get(task)
            if code and code.strip():
                first[student] = _fingerprint(canonical(code), stub_hashes or None)
        counts = Counter(h for fp in first.values() for h in set(fp.hashes))
        n = len(first)
        common = {h for h, c in counts.items() if n >= 4 and c > n / 2}
        boiler = stub_hashes | common
        for student, per in submissions.items():
            if student not in first:
                continue
            fp = first[student] if not common else _fingerprint(canonical(per[task]), boiler)
            if _tokens(fp) >= MIN_TOKENS:
                prints[task][student] = fp
    pairs = []
    for a, b in combinations(sorted(submissions), 2):
        if a.startswith("ref:") and b.startswith("ref:"):
            continue  # two outside references: not a pair of students
        overlap = tokens = 0
        per_task = {}
        for task in tasks:
            fa, fb = prints[task].get(a), prints[task].get(b)
            if fa is None or fb is None:
                continue
            _, (sim_a, sim_b), _ = compare_files(fa, fb)
            ta, tb = _tokens(fa), _tokens(fb)  # tokens outside the boilerplate
            over_a, over_b = round(sim_a * ta), round(sim_b * tb)
            overlap += over_a + over_b
            tokens += ta + tb
            per_task[task] = round((over_a + over_b) / max(1, ta + tb), 4)
        if per_task:
            pairs.append(
                {
                    "student_a": a,
                    "student_b": b,
                    "similarity": round(overlap / max(1, tokens), 4),
                    "overlap": overlap,
                    "tokens": tokens,
                    "per_task": per_task,
                }
            )
    pairs.sort(key=lambda p: (-p["similarity"], -p["overlap"], p["student_a"], p["student_b"]))
    return {"pairs": pairs, "tasks": tasks}


# ----------------------------------------------------------------------------- course data
def _solution_code(nb) -> dict:
    out = {}
    for cell in nb.cells:
        meta = nbs.nbmeta(cell)
        gid = nbs.grade_id(cell)
        if cell.get("cell_type") != "code" or not gid or not meta.get("solution"):
            continue
        src = cell.get("source", "")
        src = src if isinstance(src, str) else "".join(src)
        out[gid] = out.get(gid, "") + ("\n" if gid in out else "") + src
    return out


def collect(course, assignment: str) -> tuple[dict, dict]:
    """``({student: {task: code}}, {task: released stub})`` of one assignment."""
    source_dir = course.root / "source" / assignment
    release_dir = course.root / "release" / assignment
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(
            f"{assignment}: no source notebooks in {source_dir}. "
            f"Fix: python -m autograder release {assignment}"
        )
    stubs: dict[str, str] = {}
    sources = {}
    for name in names:
        nb, _ = nbs.read_notebook_file(source_dir / f"{name}.ipynb")
        sources[name] = nb
        rel = release_dir / f"{name}.ipynb"
        if rel.is_file():
            rnb, _ = nbs.read_notebook_file(rel)
            if rnb is not None:
                stubs.update(_solution_code(rnb))
    submissions: dict[str, dict[str, str]] = {}
    for student in course.students(assignment):
        per: dict[str, str] = {}
        graded = course.root / "autograded" / student / assignment
        submitted = course.root / "submitted" / student / assignment
        missing = []
        for name in names:
            path = graded / f"{name}.ipynb"
            nb = nbs.read_notebook_file(path)[0] if path.is_file() else None
            if nb is None:
                missing.append(name)
            else:
                per.update(_solution_code(nb))
        if missing:
            files = [p for p in submitted.rglob("*.ipynb") if p.is_file() and not p.is_symlink()]
            matched, _ = nbs.match_files(files, {n: sources[n] for n in missing})
            for entry in matched.values():
                if entry and entry[1] is not None:
                    per.update(_solution_code(entry[1]))
        submissions[student] = per
    return submissions, stubs


def _defs_by_name(code: str) -> dict:
    """``{name: source}`` of the top-level functions and classes of ``code``."""
    try:
        tree = ast.parse(strip_magics(code[: MAX_CHARS * 10]))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            seg = ast.get_source_segment(code, node)
            if seg:
                out[node.name] = seg
    return out


def collect_references(folder, tasks) -> dict:
    """Code from outside the class (say, public solutions found online) per task.

    ``folder`` holds ``.py`` files and notebooks.  A notebook with our grade ids gives its
    solution cells; any other file gives, for each task, its functions or classes named
    like the task's objects (``affine_forward`` for ``a1_affine_forward``).  Returns
    ``{"ref:<file>": {task: code}}``.
    """
    from cs231n.course.tasks import get_task

    names = {}
    for task in tasks:
        try:
            names[task] = get_task(task).names
        except KeyError:
            continue
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or path.is_symlink() or path.suffix not in (".py", ".ipynb"):
            continue
        per: dict[str, str] = {}
        if path.suffix == ".ipynb":
            nb, _ = nbs.read_notebook_file(path)
            if nb is None:
                continue
            per = {t: c for t, c in _solution_code(nb).items() if t in tasks}
            code = "\n\n".join(
                c.get("source", "") if isinstance(c.get("source", ""), str) else ""
                for c in nb.cells
                if c.get("cell_type") == "code"
            )
        else:
            code = path.read_text(encoding="utf-8", errors="replace")
        if not per:
            defs = _defs_by_name(code)
            for task, objs in names.items():
                found = [defs[n] for n in objs if n in defs]
                if found:
                    per[task] = "\n\n".join(found)
        if per:
            out[f"ref:{path.relative_to(folder)}"] = per
    return out


# ----------------------------------------------------------------------------- report
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.pair { margin: 2em 0; border-top: 2px solid #888; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f8f8f8; padding: 8px; overflow-x: auto; font-size: 12px; margin: 0; }
.score { font-weight: bold; }
.note { color: #555; }
"""


def _pre(code: str) -> str:
    return f"<pre>{html.escape(code or '(nothing)')}</pre>"


def write_report(result: dict, submissions: dict, out_dir: Path, assignment: str, top: int):
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "pairs.csv"
    tasks = result["tasks"]
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["rank", "student_a", "student_b", "similarity", "tasks_compared", *tasks])
        for i, p in enumerate(result["pairs"], start=1):
            w.writerow(
                [i, p["student_a"], p["student_b"], p["similarity"], len(p["per_task"])]
                + [p["per_task"].get(t, "") for t in tasks]
            )
    e = html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Similarity: {e(assignment)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Similarity of solution cells: {e(assignment)}</h1>",
        f"<p class='note'>{len(submissions)} students, {len(result['pairs'])} pairs. Identifiers, "
        "comments, docstrings and statement order are ignored, and so are the released stubs "
        "and code most students share. A high score is a reason to read the code, not a "
        "verdict.</p>",
        "<table><tr><th>#</th><th>student</th><th>student</th><th>similarity</th>"
        "<th>most similar tasks</th></tr>",
    ]
    for i, p in enumerate(result["pairs"], start=1):
        best = sorted(p["per_task"].items(), key=lambda kv: -kv[1])[:3]
        link = f"<a href='#pair{i}'>{i}</a>" if i <= top else str(i)
        parts.append(
            f"<tr><td>{link}</td><td>{e(p['student_a'])}</td><td>{e(p['student_b'])}</td>"
            f"<td class='score'>{p['similarity']:.2f}</td><td>"
            + ", ".join(f"{e(t)} {s:.2f}" for t, s in best)
            + "</td></tr>"
        )
    parts.append("</table>")
    for i, p in enumerate(result["pairs"][:top], start=1):
        a, b = p["student_a"], p["student_b"]
        parts.append(
            f"<div class='pair' id='pair{i}'><h2>#{i}: {e(a)} ~ {e(b)} ({p['similarity']:.2f})</h2>"
        )
        for task, score in sorted(p["per_task"].items(), key=lambda kv: -kv[1]):
            parts.append(
                f"<h3>{e(task)}: {score:.2f}</h3><div class='side'><div><b>{e(a)}</b>"
                f"{_pre(submissions[a].get(task, ''))}</div><div><b>{e(b)}</b>"
                f"{_pre(submissions[b].get(task, ''))}</div></div>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    html_path = out_dir / "report.html"
    html_path.write_text("\n".join(parts), encoding="utf-8")
    return html_path, csv_path


def similarity_report(
    course, assignment: str, out_dir=None, top: int = 200, references=None
) -> dict:
    """Compare the students of ``assignment``; write ``report.html`` and ``pairs.csv``.

    ``references``: a folder of outside code (:func:`collect_references`), compared with
    every student as ``ref:<file>``.  Returns ``{"html", "csv", "pairs", "tasks"}``.
    """
    course.check()
    submissions, stubs = collect(course, assignment)
    if references:
        tasks = sorted({t for per in submissions.values() for t in per} | set(stubs))
        submissions.update(collect_references(references, tasks))
    if len(submissions) < 2:
        raise ValueError(
            f"{assignment}: similarity needs at least 2 submissions; got {len(submissions)}"
        )
    result = compare(submissions, stubs)
    out = Path(out_dir or course.root / "similarity" / assignment)
    html_path, csv_path = write_report(result, submissions, out, assignment, top)
    return {"html": html_path, "csv": csv_path, **result}


__all__ = [
    "canonical",
    "collect",
    "collect_references",
    "compare",
    "similarity_report",
    "write_report",
]

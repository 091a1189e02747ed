"""Grade submissions: run each in the sandbox, compare its probe values with references.

Trust boundary.  The student's process (see :mod:`autograder.sandbox` and
``_worker.py``) only *produces numbers*: it runs the notebook's cells, then calls each
hidden case's ``probe`` on its own namespace.  This module, in the trusted process,
computes the reference values of the same probes with the reference package and the
same seeds, and compares.  Patching numpy, the builtins, the check helpers or IPython
inside the notebook therefore changes nothing but the student's own numbers.

Points.  A test cell ``<task id>_test`` is worth its nbgrader ``points``; its score is
``points * (points of the hidden cases passed) / (points of all hidden cases)``.  The
visible checks in the cell are informational (their output is kept for feedback); only
a task without hidden cases falls back to "the test cell ran without an error", which
is flagged in the report because it is decided inside the student's process.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from autograder import _cases
from autograder import hidden as hidden_mod
from autograder import notebooks as nbs
from autograder.sandbox import Limits, RunResult, isolation_mode, run_worker, warn_if_unsandboxed

MAX_ATTEMPTS = 4
DEFAULT_SEED = 1234


# ----------------------------------------------------------------------------- assignment
@dataclass
class Assignment:
    """What grading one assignment needs, all of it on the trusted side."""

    name: str
    sources: dict  # notebook name -> source notebook (with solutions and hidden regions)
    hidden_dir: Path | None
    package_dir: Path | None  # folder holding the STUDENT package (put first on sys.path)
    seed: int = DEFAULT_SEED
    limits: Limits = field(default_factory=Limits)
    _refs: dict = field(default_factory=dict, repr=False)
    _modules: dict = field(default_factory=dict, repr=False)
    _compiled: bool = field(default=False, repr=False)

    @classmethod
    def load(
        cls, name, source_dir, hidden_dir=None, package_dir=None, seed=DEFAULT_SEED, limits=None
    ):
        source_dir = Path(source_dir)
        sources = {}
        for path in sorted(source_dir.glob("*.ipynb")):
            sources[path.stem] = nbformat.read(path, as_version=4)
        if not sources:
            raise FileNotFoundError(f"{name}: no source notebooks in {source_dir}")
        return cls(
            name=name,
            sources=sources,
            hidden_dir=Path(hidden_dir) if hidden_dir else None,
            package_dir=Path(package_dir) if package_dir else None,
            seed=seed,
            limits=limits or Limits(),
        )

    def compile_package(self) -> None:
        """Byte-compile the student package once (the sandbox cannot write ``__pycache__``;
        without it every notebook compiles the package's modules again)."""
        if self.package_dir is None or self._compiled:
            return
        import compileall

        try:
            compileall.compile_dir(str(self.package_dir / "cs231n"), quiet=2, workers=1)
        except (OSError, ValueError):
            pass
        self._compiled = True

    def test_cells(self, notebook: str) -> list[tuple[str, float]]:
        """(grade id, points) of the autograded test cells of a notebook, in order."""
        out = []
        for cell in self.sources[notebook].cells:
            if nbs.is_test_cell(cell):
                out.append((nbs.grade_id(cell), float(nbs.nbmeta(cell).get("points", 0) or 0)))
        return out

    def hidden_path(self, notebook: str) -> Path | None:
        if self.hidden_dir is None:
            return None
        path = self.hidden_dir / f"{notebook}.py"
        return path if path.is_file() else None

    def hidden_module(self, notebook: str):
        """The notebook's hidden test module, loaded by :mod:`autograder._cases` (as the worker does)."""
        if notebook not in self._modules:
            path = self.hidden_path(notebook)
            module = None
            if path is not None:
                module = _cases.load_module(path, f"_hidden_{self.name}_{notebook}")
            self._modules[notebook] = module
        return self._modules[notebook]

    def submission_seed(self, student: str, notebook: str, digest: str = "") -> int:
        """The seed of one submission's hidden inputs.

        Made from the course seed, the assignment, the student, the notebook and the
        submitted file's sha256: a student who reads the seed inside the sandbox learns
        nothing about anybody else's inputs (Gradescope grades every student as the same
        user, so the file's digest keeps them apart), and regrading the same file gives
        the same inputs.
        """
        text = f"{self.seed}|{self.name}|{student}|{notebook}|{digest}".encode()
        return int.from_bytes(hashlib.sha256(text).digest()[:4], "big") % (2**31 - 1000)

    def cases(self, notebook: str, task_id: str) -> list:
        module = self.hidden_module(notebook)
        return list(getattr(module, "CASES", {}).get(task_id, [])) if module else []

    def reference(self, notebook: str, task_id: str, index: int, seed: int | None = None):
        """Reference probe values of one case (cached): ``(dict, None)`` or ``(None, error)``."""
        seed = self.seed if seed is None else int(seed)
        key = (notebook, task_id, index, seed)
        if len(self._refs) > 4096:
            self._refs.clear()
        if key not in self._refs:
            module = self.hidden_module(notebook)
            try:
                custom = getattr(module, "REFERENCE", {}) or {}
                ns = (
                    dict(custom[task_id])
                    if task_id in custom
                    else hidden_mod.reference_namespace(task_id)
                )
                ns.setdefault("np", np)
                case = self.cases(notebook, task_id)[index]
                got = case.probe(ns, np.random.default_rng(seed + index))
                self._refs[key] = ({k: np.asarray(v) for k, v in got.items()}, None)
            except Exception as exc:  # the instructor's side failed
                self._refs[key] = (None, f"{type(exc).__name__}: {exc}")
        return self._refs[key]

    def warm_references(self) -> list[str]:
        """Compute every reference once; return instructor-side problems."""
        problems = []
        for notebook in self.sources:
            for gid, _ in self.test_cells(notebook):
                task = nbs.task_of(gid)
                for i, _case in enumerate(self.cases(notebook, task)):
                    _, err = self.reference(notebook, task, i)
                    if err:
                        problems.append(f"{notebook}/{task} case {i}: reference failed: {err}")
        return problems


# ----------------------------------------------------------------------------- results
@dataclass
class CaseResult:
    name: str
    points: float
    passed: bool
    reason: str = ""
    hint: str = ""


@dataclass
class QuestionResult:
    grade_id: str
    task: str
    max_score: float
    score: float = 0.0
    cases: list = field(default_factory=list)
    status: str = "graded"  # graded | visible-only | not-graded
    reason: str = ""


@dataclass
class NotebookResult:
    notebook: str
    file: str = ""
    status: str = "graded"  # graded | missing | unreadable | timeout | crashed | tampered
    questions: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    student_seconds: float = 0.0
    attempts: int = 0
    isolation: str = ""
    sha256: str = ""

    @property
    def score(self) -> float:
        return round(sum(q.score for q in self.questions), 4)

    @property
    def max_score(self) -> float:
        return round(sum(q.max_score for q in self.questions), 4)


@dataclass
class SubmissionResult:
    student: str
    assignment: str
    notebooks: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(n.score for n in self.notebooks), 4)

    @property
    def max_score(self) -> float:
        return round(sum(n.max_score for n in self.notebooks), 4)

    def to_json(self) -> dict:
        data = asdict(self)
        data["score"], data["max_score"] = self.score, self.max_score
        for nb, obj in zip(data["notebooks"], self.notebooks):
            nb["score"], nb["max_score"] = obj.score, obj.max_score
        return data

    @staticmethod
    def from_json(data: dict) -> SubmissionResult:
        nbr = []
        for nb in data.get("notebooks", []):
            qs = [
                QuestionResult(**{**q, "cases": [CaseResult(**c) for c in q.get("cases", [])]})
                for q in nb.get("questions", [])
            ]
            fields = {k: v for k, v in nb.items() if k not in ("questions", "score", "max_score")}
            nbr.append(NotebookResult(**fields, questions=qs))
        return SubmissionResult(data["student"], data["assignment"], nbr, data.get("notes", []))


# ----------------------------------------------------------------------------- comparing
#: exception names that may appear in feedback for a hidden case (a fixed list: the
#: student's own message or class name never reaches feedback)
_SHOWN_ERRORS = {
    n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException)
} | {"LinAlgError", "AxisError"}


def judge_case(
    assignment: Assignment,
    notebook,
    task,
    index,
    case,
    status: dict | None,
    probes,
    seed: int | None = None,
) -> CaseResult:
    """Decide one hidden case, outside the student's process.

    The reason shown to the student is built from fixed words, the case and the
    reference only: nothing the student's code produced while the probes ran (printed
    text, exception messages, returned values) is copied into it.
    """
    res = CaseResult(
        name=str(case.name), points=float(case.points), passed=False, hint=case.hint or ""
    )
    expected, err = assignment.reference(notebook, task, index, seed)
    if err:
        res.reason = "grader error: the reference could not be computed (tell your instructor)"
        return res
    if status is None:
        res.reason = "not run"
        return res
    kind = status.get("status")
    if kind == "timeout":
        res.reason = (
            f"your code ran past the time limit ({assignment.limits.case_timeout:g} s per case)"
        )
        return res
    if kind in ("killed", "crashed"):
        msg = status.get("message", "")
        # "crashed" statuses are written by the trusted parent (a process it had to stop)
        res.reason = msg if status.get("trusted") else "your code crashed the grading process"
        return res
    if kind == "error":
        ename, msg = str(status.get("ename", "Error")), str(status.get("message", ""))
        if ename == "NotImplementedError":
            res.reason = "not implemented yet (the stub raised NotImplementedError)"
        elif ename == "KeyError" and msg.strip("'\"") in _task_names(task):
            res.reason = (
                f"{msg.strip(chr(39) + chr(34))} is not defined in your notebook "
                "(was its cell deleted or renamed?)"
            )
        else:
            shown = ename if ename in _SHOWN_ERRORS else "an exception of its own class"
            res.reason = (
                f"your code raised {shown} on the hidden input "
                "(run the visible check in the notebook to see the message)"
            )
        return res
    if kind != "ok":
        res.reason = "not graded (the grading process reported a problem)"
        return res
    prefix = f"{task}|{index}|"
    got = {k[len(prefix) :]: v for k, v in probes.items() if k.startswith(prefix)}
    try:
        reason = hidden_mod.compare_results(got, expected, case)
    except Exception as exc:
        reason = f"could not compare ({type(exc).__name__})"
    if reason is None:
        res.passed = True
    else:
        res.reason = reason
        # the visible checks' hints for hidden cases: a known mistake (trusted tables)
        # whose output on this case equals the student's names the likely cause
        from autograder.authoring.mistakes import hidden_case_cause

        s = assignment.seed if seed is None else int(seed)
        cause = hidden_case_cause(task, case, got, s + index, expected)
        if cause:
            res.hint = "; ".join(x for x in (f"likely cause: {cause}", res.hint) if x)
    return res


def _plug_names(tasks) -> list[str]:
    """Names of the package objects the notebook's tasks define (plugged in before probes)."""
    names = []
    for task in tasks:
        names += [n for n in _task_names(task) if n not in names]
    return names


def _task_names(task: str) -> tuple:
    try:
        from cs231n.course.tasks import get_task

        return get_task(task).names
    except Exception:
        return ()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _zero_questions(assignment: Assignment, notebook: str, reason: str) -> list:
    return [
        QuestionResult(gid, nbs.task_of(gid), pts, 0.0, [], "not-graded", reason)
        for gid, pts in assignment.test_cells(notebook)
    ]


def grade_notebook(
    assignment: Assignment,
    notebook: str,
    path: Path | None,
    nb=None,
    problem: str = "",
    note: str = "",
    slot: int = 0,
    files_dir: Path | None = None,
    seed: int | None = None,
    notes: list | None = None,
):
    """Grade one submitted notebook; return ``(NotebookResult, autograded notebook)``.

    ``seed`` is the submission's own seed of the hidden inputs
    (:meth:`Assignment.submission_seed`); by default the course seed.
    """
    seed = assignment.seed if seed is None else int(seed)
    source = assignment.sources[notebook]
    t0 = time.perf_counter()
    result = NotebookResult(
        notebook=notebook, file=path.name if path else "", isolation=isolation_mode()
    )
    result.notes.extend(notes or [])
    if note:
        result.notes.append(note)
    if path is None:
        result.status = "missing"
        reason = f"no {notebook}.ipynb was submitted"
        result.questions = _zero_questions(assignment, notebook, reason)
        result.notes.append(reason)
        return result, nbs.empty_from_source(source, reason + ": every question scores 0.")
    result.sha256 = _file_digest(path)
    if nb is None:
        nb, problem = nbs.read_notebook_file(path)
    if nb is None:
        result.status = "unreadable"
        result.questions = _zero_questions(assignment, notebook, problem)
        result.notes.append(problem)
        return result, nbs.empty_from_source(
            source, f"{path.name}: {problem}. Every question scores 0."
        )
    assignment.compile_package()
    prepared = nbs.prepare(source, nb)
    result.notes.extend(prepared.notes)
    plan = nbs.execution_plan(prepared)
    tests = assignment.test_cells(notebook)
    tasks = {}
    for gid, _ in tests:
        task = nbs.task_of(gid)
        tasks[task] = list(range(len(assignment.cases(notebook, task))))
    hidden_path = assignment.hidden_path(notebook)
    spec = {
        "source": hidden_path.read_text(encoding="utf-8") if hidden_path else "CASES = {}",
        "tasks": {t: idx for t, idx in tasks.items() if idx},
        "seed": seed,
        "plug": _plug_names(tasks),
    }
    forced: dict[tuple, dict] = {}  # (task, i) -> status, for cases that killed the process
    run: RunResult | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result.attempts = attempt
        spec_now = dict(spec)
        spec_now["tasks"] = {
            t: [i for i in idx if (t, i) not in forced] for t, idx in spec["tasks"].items()
        }
        run = run_worker(
            plan,
            spec_now,
            files_dir=files_dir if files_dir is not None else path.parent,
            package_dir=assignment.package_dir,
            limits=assignment.limits,
            slot=slot,
        )
        if run.status == "ok" or run.status == "tampered":
            break
        event = run.last_event
        why = {
            "killed-cell": f"it ran past the time limit ({assignment.limits.cell_timeout:g} s) and ignored the interrupt",
            "killed-case": f"it ran past the time limit ({assignment.limits.case_timeout:g} s) and ignored the interrupt",
            "timeout": f"the whole notebook ran past {assignment.limits.submission_timeout:g} s",
        }.get(run.status, f"the process died ({run.error or 'crashed'}; memory or process limits?)")
        if event.startswith("cell "):
            idx = int(event.split()[1])
            for cell in plan:
                if cell["index"] == idx:
                    cell["skip"] = True
                    cell["skip_reason"] = f"stopped: {why}; grading ran again without this cell"
            result.notes.append(
                f"cell {idx} was stopped: {why}; it was skipped and the notebook graded again"
            )
        elif event.startswith("case "):
            _, task, i = event.split()
            forced[(task, int(i))] = {
                "status": "crashed",
                "message": f"stopped: {why}",
                "trusted": True,
            }
        else:
            result.notes.append(f"grading stopped: {why}")
            break
    result.student_seconds = float((run.report or {}).get("cells_seconds", 0.0)) + float(
        (run.report or {}).get("probes_seconds", 0.0)
    )
    if run.status == "tampered":
        result.status = "tampered"
        reason = "zero: " + run.error + "; all output of this notebook was discarded"
        result.questions = _zero_questions(assignment, notebook, reason)
        result.notes.append(reason)
        out_nb = nbs.empty_from_source(source, reason)
        result.seconds = time.perf_counter() - t0
        return result, out_nb
    report = run.report or {}
    if run.status != "ok" or not report:
        result.status = "timeout" if run.status == "timeout" else "crashed"
    statuses = {
        (s.get("task"), s.get("case")): {k: v for k, v in s.items() if k != "trusted"}
        for s in report.get("cases", [])
        if isinstance(s, dict)
    }
    statuses.update(forced)
    if report.get("tampering"):
        result.notes.append(
            "your notebook replaced "
            + ", ".join(str(t) for t in report["tampering"][:10])
            + "; this cannot change a grade (results are checked outside your notebook)"
        )
    if report.get("probe_error"):
        result.notes.append(report["probe_error"])
    cell_records = {c.get("index"): c for c in report.get("cells", []) if isinstance(c, dict)}
    for rec in cell_records.values():
        err = _error_of(rec)
        if rec.get("status") == "timeout":
            result.notes.append(
                f"cell {rec.get('index')} ran longer than {assignment.limits.cell_timeout:g} s and was "
                "interrupted; grading went on with the next cell"
            )
        elif err.get("ename") == "MemoryError":
            result.notes.append(
                f"cell {rec.get('index')} ran out of memory (limit {assignment.limits.memory_mb} MB) "
                "and was stopped; grading went on with the next cell"
            )
        elif err.get("ename") in ("BlockingIOError", "OSError") and "unavailable" in str(
            err.get("evalue")
        ):
            result.notes.append(
                f"cell {rec.get('index')} hit the process limit ({assignment.limits.nproc}) and was stopped"
            )
    for gid, pts in tests:
        task = nbs.task_of(gid)
        q = QuestionResult(gid, task, pts)
        cases = assignment.cases(notebook, task)
        if not cases:
            rec = _record_for(prepared, cell_records, gid)
            ok = rec is not None and rec.get("status") == "ok"
            q.status = "visible-only"
            if ok and report.get("ipython_tampered"):
                # the check ran in the student's process, whose error reporting was replaced
                ok = False
                q.reason = (
                    "no hidden tests: scored by the visible check, which cannot be trusted "
                    "after your notebook replaced IPython's error handling"
                )
            else:
                q.reason = "no hidden tests: scored by the visible check" + (
                    "" if ok else " (it failed)"
                )
            q.score = pts if ok else 0.0
        else:
            total = sum(float(c.points) for c in cases) or 1.0
            for i, case in enumerate(cases):
                status = statuses.get((task, i))
                if status is None and run.status != "ok":
                    status = {
                        "status": "crashed",
                        "message": f"not run: {run.error or run.status}",
                        "trusted": True,
                    }
                q.cases.append(
                    judge_case(assignment, notebook, task, i, case, status, run.probes, seed)
                )
            got = sum(c.points for c in q.cases if c.passed)
            q.score = round(pts * got / total, 4)
            failed = [c for c in q.cases if not c.passed]
            if failed:
                q.reason = "; ".join(f"{c.name}: {c.reason}" for c in failed)[:1000]
        result.questions.append(q)
    out_nb = _attach_outputs(prepared, plan, cell_records, result, assignment.limits)
    result.seconds = time.perf_counter() - t0
    return result, out_nb


def _record_for(prepared, records, gid):
    for i, cell in enumerate(prepared.nb.cells):
        if nbs.grade_id(cell) == gid:
            return records.get(i)
    return None


def verdict_text(q: QuestionResult) -> str:
    """What a student reads under a test cell (never the hidden test code)."""
    lines = [f"Grader: {q.score:g} / {q.max_score:g} points for {q.task}"]
    if q.status == "visible-only":
        lines.append("  " + q.reason)
    for c in q.cases:
        mark = "\u2714" if c.passed else "\u2718"
        line = f"  {mark} {c.name}"
        if not c.passed:
            line += f": {c.reason}"
            if c.hint and not c.reason.startswith("not implemented"):
                line += f"\n      hint: {c.hint}"
        lines.append(line)
    if q.status == "not-graded":
        lines.append("  " + q.reason)
    return "\n".join(lines) + "\n"


def _error_of(rec: dict) -> dict:
    """The error output of a cell record (``{}`` when it ran without one)."""
    for out in rec.get("outputs", []) or []:
        if isinstance(out, dict) and out.get("output_type") == "error":
            return {"ename": str(out.get("ename", "")), "evalue": str(out.get("evalue", ""))}
    if rec.get("status") == "error":
        return {"ename": str(rec.get("ename", "Error")), "evalue": ""}
    return {}


_IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")


def _clean_bundle(data, limits: Limits) -> dict:
    """The mime bundle of a worker output, checked again on the trusted side."""
    import base64
    import binascii

    out = {}
    if not isinstance(data, dict):
        return out
    for mime, value in data.items():
        if not isinstance(value, str):
            continue
        if mime in _IMAGE_MAGIC:
            if len(value) > limits.figure_kb * 1000:
                continue
            try:
                head = base64.b64decode(value[:64] + "=" * (-len(value[:64]) % 4), validate=False)
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                continue
            if head.startswith(_IMAGE_MAGIC[mime]):
                out[mime] = value
        elif mime in _TEXT_MIMES:
            cap = limits.html_kb * 1000 if mime == "text/html" else limits.output_chars
            if len(value) <= cap:
                out[mime] = value
    return out


def _rich_outputs(rec: dict, count: int, limits: Limits) -> list:
    """nbformat outputs of one cell record: streams, figures, HTML, results, errors."""
    new = nbformat.v4.new_output
    outputs = []
    for out in rec.get("outputs", []) or []:
        if not isinstance(out, dict):
            continue
        kind = out.get("output_type")
        if kind == "stream":
            name = "stderr" if out.get("name") == "stderr" else "stdout"
            outputs.append(new("stream", name=name, text=str(out.get("text", ""))))
        elif kind in ("display_data", "execute_result"):
            data = _clean_bundle(out.get("data"), limits)
            if not data:
                continue
            meta = {}
            raw_meta = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
            for mime in data:
                m = raw_meta.get(mime)
                if isinstance(m, dict):
                    size = {k: v for k, v in m.items() if k in ("width", "height")}
                    size = {k: v for k, v in size.items() if isinstance(v, (int, float))}
                    if size:
                        meta[mime] = size
            if kind == "execute_result":
                outputs.append(new(kind, data=data, metadata=meta, execution_count=count))
            else:
                outputs.append(new(kind, data=data, metadata=meta))
        elif kind == "error":
            tb = out.get("traceback")
            lines = [str(x) for x in tb] if isinstance(tb, list) else str(tb or "").splitlines()
            outputs.append(
                new(
                    "error",
                    ename=str(out.get("ename", "Error"))[:200],
                    evalue=str(out.get("evalue", ""))[:2000],
                    traceback=lines[-60:],
                )
            )
    return outputs


@functools.lru_cache(maxsize=1)
def _sanitizer():
    """nbconvert's HTML sanitizer (bleach): student HTML must not run script in a browser."""
    try:
        from nbconvert.preprocessors.sanitize import SanitizeHTML
    except ImportError:  # pragma: no cover - nbconvert comes with nbgrader
        return None
    return SanitizeHTML()


#: HTML in a student's Markdown that would run in a browser
_ACTIVE_HTML = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|form|svg|base)\b|\bon[a-z]+\s*=|javascript:",
    re.I,
)


def _sanitized(outputs: list) -> list:
    """Outputs with HTML and Markdown cleaned; without a sanitizer they keep text/plain only."""
    sanitizer = _sanitizer()
    if sanitizer is not None:
        outputs = sanitizer.sanitize_code_outputs(outputs)
    else:
        for out in outputs:
            if out.output_type in ("display_data", "execute_result"):
                for mime in ("text/html", "text/markdown"):
                    out.data.pop(mime, None)
    return [o for o in outputs if o.output_type in ("stream", "error") or o.data]


def _attach_outputs(prepared, plan, records, result: NotebookResult, limits: Limits | None = None):
    limits = limits or Limits()
    nb = prepared.nb
    by_gid = {q.grade_id: q for q in result.questions}
    skipped = {c["index"]: c for c in plan if c.get("skip")}
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            if prepared.kinds.get(i) != "trusted" and _ACTIVE_HTML.search(cell.get("source", "")):
                # a student's text with script-like HTML: rendered in the feedback page
                sanitizer = _sanitizer()
                cell.source = sanitizer.sanitize_html_tags(cell.source) if sanitizer else ""
            continue
        cell.outputs = []
        cell.execution_count = None
        rec = records.get(i)
        if i in skipped:
            cell.outputs.append(
                nbformat.v4.new_output(
                    "stream", name="stdout", text=f"[not run: {skipped[i]['skip_reason']}]\n"
                )
            )
        elif rec is not None:
            count += 1
            cell.execution_count = count
            cell.outputs.extend(_rich_outputs(rec, count, limits))
            for note in rec.get("notes", []) or []:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text=f"[grader: {note}]\n")
                )
            cell.outputs = _sanitized(cell.outputs)
        q = by_gid.get(nbs.grade_id(cell))
        if q is not None:
            cell.outputs.append(
                nbformat.v4.new_output("stream", name="stdout", text=verdict_text(q))
            )
    if result.notes:
        nb.cells.insert(
            0,
            nbformat.v4.new_markdown_cell(
                "**Grader notes**\n\n" + "\n".join(f"- {n}" for n in result.notes)
            ),
        )
        nbs._fix_ids(nb)
    return nb


# ----------------------------------------------------------------------------- submissions
#: files the import writes next to a submission (never copied into the sandbox)
IMPORT_FILES = ("timestamp.txt", "import.json")


def import_notes(folder: Path) -> list[str]:
    """What the import refused or found in this submission (``import.json``), as notes."""
    path = Path(folder) / "import.json"
    if not path.is_file() or path.is_symlink():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    notes = [f"not imported: {r['name']} ({r['why']})" for r in data.get("refused", [])]
    notes += [str(c) for c in data.get("clashes", [])]
    return notes


def grade_submission(assignment: Assignment, student: str, folder: Path, slot: int = 0):
    """Grade every notebook of one student's folder; return (SubmissionResult, {nb: notebook})."""
    folder = Path(folder)
    files = (
        sorted(
            p
            for p in folder.rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts and p.is_file() and not p.is_symlink()
        )
        if folder.is_dir()
        else []
    )
    matched, notes = nbs.match_files(files, assignment.sources)
    refused = import_notes(folder)
    sub = SubmissionResult(student=student, assignment=assignment.name, notes=notes)
    out = {}
    with tempfile.TemporaryDirectory(prefix="cs231n-files-") as staging:
        # what the student's notebooks may open: their other files, and every matched
        # notebook under its proper name, REPAIRED (locked cells restored, metadata back):
        # a notebook that imports a sibling gets the code the grader grades
        staging = Path(staging)
        if folder.is_dir():
            for item in folder.iterdir():
                if (
                    item.is_file()
                    and not item.is_symlink()
                    and item.suffix != ".ipynb"
                    and item.name not in IMPORT_FILES
                ):
                    shutil.copy(item, staging / item.name)
        for name, hit in matched.items():
            nb0 = hit[1]
            if nb0 is not None and len(assignment.sources) > 1:
                try:
                    repaired = nbs.prepare(assignment.sources[name], nb0).nb
                    nbformat.write(repaired, staging / f"{name}.ipynb")
                    continue
                except Exception:
                    pass
            shutil.copy(hit[0], staging / f"{name}.ipynb")
        for notebook in assignment.sources:
            hit = matched.get(notebook)
            digest = _file_digest(hit[0]) if hit is not None else ""
            seed = assignment.submission_seed(student, notebook, digest)
            if hit is None:
                res, nb = grade_notebook(
                    assignment, notebook, None, slot=slot, seed=seed, notes=refused
                )
            else:
                path, nb0, problem, note = hit
                res, nb = grade_notebook(
                    assignment,
                    notebook,
                    path,
                    nb0,
                    problem,
                    note,
                    slot=slot,
                    files_dir=staging,
                    seed=seed,
                    notes=refused,
                )
            sub.notebooks.append(res)
            out[notebook] = nb
    return sub, out


def grade_many(
    assignment: Assignment, folders: dict, jobs: int = 2, progress: bool = True, on_result=None
):
    """Grade ``{student: folder}`` with ``jobs`` sandboxes at a time.

    ``on_result(SubmissionResult, notebooks)`` is called in the calling thread as each
    submission finishes (that is where the gradebook is written).  A submission whose
    grading raises is reported as an error and grading goes on.
    """
    warn_if_unsandboxed()
    assignment.compile_package()
    problems = assignment.warm_references()
    for p in problems:
        print("instructor warning: " + p, file=sys.stderr)
    results = {}
    jobs = max(1, int(jobs))
    slots = list(range(jobs))
    import threading

    lock = threading.Lock()

    def work(student, folder):
        with lock:
            slot = slots.pop()
        try:
            return grade_submission(assignment, student, folder, slot=slot)
        finally:
            with lock:
                slots.append(slot)

    bar = None
    if progress:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(folders), desc=f"grading {assignment.name}", unit="sub")
        except ImportError:  # pragma: no cover
            bar = None
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(work, s, f): s for s, f in folders.items()}
        for fut in as_completed(futures):
            student = futures[fut]
            try:
                sub, nbs_out = fut.result()
            except Exception as exc:
                sub = SubmissionResult(student, assignment.name, notes=[f"grader error: {exc!r}"])
                for notebook in assignment.sources:
                    sub.notebooks.append(
                        NotebookResult(
                            notebook,
                            status="grader-error",
                            questions=_zero_questions(
                                assignment, notebook, f"grader error: {exc!r}"
                            ),
                        )
                    )
                nbs_out = {}
            results[student] = sub
            if on_result is not None:
                try:
                    on_result(sub, nbs_out)
                except Exception as exc:
                    print(f"error: could not record {student}'s grades: {exc!r}", file=sys.stderr)
                    sub.notes.append(f"grader error while recording: {exc!r}")
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"{student}: {sub.score:g}/{sub.max_score:g}")
    if bar is not None:
        bar.close()
    return results


def dump_result(sub: SubmissionResult, path: Path) -> None:
    Path(path).write_text(json.dumps(sub.to_json(), indent=1) + "\n", encoding="utf-8")

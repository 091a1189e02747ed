"""Gradescope autograder bundles, graded by the same code as ``python -m autograder``.

``python -m autograder gradescope ASSIGNMENT`` writes ``<course>/gradescope/<a>.zip``
holding ``setup.sh`` (run once when Gradescope builds the image), ``run_autograder``
(run per submission), the grader (``kit/autograder``), the reference package
(``kit/cs231n``: references are computed outside the student's process), the source
notebooks, the hidden tests and the student package of the release.

``run_autograder`` calls ``python3 -m autograder.gradescope run``, which grades
``/autograder/submission`` with :func:`autograder.grading.grade_submission` and always
writes ``/autograder/results/results.json``, with one test per question (score,
max_score, the case-level feedback without hidden code, and a visibility).  Set
``CS231N_GRADESCOPE_ROOT`` to use another folder than ``/autograder`` (tests do).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import traceback
import zipfile
from pathlib import Path

ROOT_ENV = "CS231N_GRADESCOPE_ROOT"

SETUP_SH = """\
#!/usr/bin/env bash
# Run once by Gradescope when it builds the autograder image (Ubuntu, as root).
set -uo pipefail
apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip bubblewrap || true
python3 -m pip install --quiet {requirements} \\
  || python3 -m pip install --quiet --break-system-packages {requirements}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Run by Gradescope for each submission; writes $ROOT/results/results.json.
ROOT="${CS231N_GRADESCOPE_ROOT:-/autograder}"
export PYTHONPATH="$ROOT/source/kit${PYTHONPATH:+:$PYTHONPATH}"
cd "$ROOT/source" || exit 1
# Student code runs as an unprivileged uid (in bubblewrap when the container allows it):
# make the grader, the sources and the hidden tests unreadable to other users.
chmod -R go-rwx "$ROOT/source/kit" "$ROOT/source/assignment/hidden" \
  "$ROOT/source/assignment/source" 2>/dev/null || true
exec "${PYTHON:-python3}" -m autograder.gradescope run --root "$ROOT"
"""


def build_bundle(course, assignment: str, out=None, visibility: str = "after_published") -> Path:
    """Write the bundle zip for a released assignment of ``course``; return its path."""
    import autograder
    import cs231n

    spec = course.assignment(assignment)  # checks it was released
    out = Path(out or course.root / "gradescope" / f"{assignment}.zip")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.with_suffix(".d")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(Path(autograder.__file__).parent, stage / "kit" / "autograder", ignore=ignore)
    shutil.copytree(Path(cs231n.__file__).parent, stage / "kit" / "cs231n", ignore=ignore)
    a = stage / "assignment"
    shutil.copytree(course.root / "source" / assignment, a / "source", ignore=ignore)
    if (course.root / "hidden" / assignment).is_dir():
        shutil.copytree(course.root / "hidden" / assignment, a / "hidden", ignore=ignore)
    shutil.copytree(
        course.root / "release" / assignment / "cs231n", a / "package" / "cs231n", ignore=ignore
    )
    lim = spec.limits
    (stage / "grader.json").write_text(
        json.dumps(
            {
                "assignment": assignment,
                "seed": spec.seed,
                "visibility": visibility,
                "limits": {
                    "cell_timeout": lim.cell_timeout,
                    "case_timeout": lim.case_timeout,
                    "submission_timeout": min(lim.submission_timeout, 1200),
                    "memory_mb": lim.memory_mb,
                    "nproc": lim.nproc,
                },
            },
            indent=2,
        )
    )
    reqs = _requirements()
    (stage / "setup.sh").write_text(SETUP_SH.format(requirements=" ".join(f"'{r}'" for r in reqs)))
    (stage / "run_autograder").write_text(RUN_AUTOGRADER)
    for name in ("setup.sh", "run_autograder"):
        (stage / name).chmod(0o755)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(stage.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo.from_file(p, str(p.relative_to(stage)))
                with open(p, "rb") as fh:
                    zf.writestr(info, fh.read(), zipfile.ZIP_DEFLATED)
    shutil.rmtree(stage)
    return out


def _requirements() -> list[str]:
    reqs = ["numpy>=1.26", "matplotlib>=3.7", "tqdm>=4.62", "pooch>=1.7", "ipywidgets>=8.0"]
    path = Path(__file__).resolve().parents[1] / "requirements.txt"
    if path.is_file():
        reqs = [
            ln.strip()
            for ln in path.read_text().splitlines()
            if ln.strip() and not ln.startswith("#")
        ]
    return [*reqs, "nbformat>=5.9"]


def run(root) -> dict:
    """Grade ``<root>/submission``; write and return ``<root>/results/results.json``."""
    root = Path(root)
    results_path = root / "results" / "results.json"
    results_path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    data: dict
    try:
        data = _grade(root)
    except Exception as exc:  # always write results.json
        data = {
            "score": 0,
            "output": "The autograder failed on this submission; your instructor has been "
            f"notified. ({type(exc).__name__}: {exc})",
            "extra_data": {"traceback": traceback.format_exc()[-4000:]},
            "tests": [],
        }
    data["execution_time"] = round(time.time() - t0, 2)
    results_path.write_text(json.dumps(data, indent=1))
    return data


def _grade(root: Path) -> dict:
    from autograder.grading import Assignment, grade_submission, verdict_text
    from autograder.sandbox import Limits, isolation_mode, sandbox_available

    src = root / "source"
    cfg = json.loads((src / "grader.json").read_text())
    a = src / "assignment"
    limits = Limits(**cfg.get("limits", {}))
    spec = Assignment.load(
        cfg["assignment"], a / "source", a / "hidden", a / "package", int(cfg["seed"]), limits
    )
    spec.warm_references()
    sub, _ = grade_submission(spec, "gradescope", root / "submission")
    vis = cfg.get("visibility", "after_published")
    tests = []
    number = 0
    for nb in sub.notebooks:
        for q in nb.questions:
            number += 1
            text = verdict_text(q)
            if nb.notes:
                text += "\nNotes:\n" + "\n".join(f"- {n}" for n in nb.notes)
            tests.append(
                {
                    "name": f"{nb.notebook}: {q.task}",
                    "number": str(number),
                    "score": q.score,
                    "max_score": q.max_score,
                    "output": text,
                    "tags": [nb.notebook, q.task],
                    "visibility": "visible" if q.status == "not-graded" else vis,
                    "status": "passed" if q.score >= q.max_score else "failed",
                }
            )
    ok, why = sandbox_available()
    summary = [
        f"{nb.notebook}: {nb.score:g}/{nb.max_score:g} ({nb.status})" for nb in sub.notebooks
    ]
    summary += [f"note: {n}" for n in sub.notes]
    return {
        "score": sub.score,
        "output": "\n".join(summary),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"isolation": isolation_mode(), "sandbox": why if not ok else "bubblewrap"},
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.gradescope")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="grade one Gradescope submission")
    r.add_argument("--root", default=os.environ.get(ROOT_ENV, "/autograder"))
    args = p.parse_args(argv)
    data = run(args.root)
    print(f"score {data.get('score')}; {len(data.get('tests', []))} tests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ----------------------------------------------------------------------------- written answers
WRITTEN_STYLE = """
@page { size: Letter; margin: 18mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111; }
.page { page-break-after: always; break-after: page; }
.page:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin: 0 0 6pt 0; }
.prompt { white-space: pre-wrap; color: #333; border-left: 3px solid #999; padding-left: 8pt; }
.answer { white-space: pre-wrap; border: 1px solid #bbb; padding: 8pt; margin-top: 8pt;
          min-height: 40mm; font-family: "DejaVu Sans Mono", monospace; font-size: 10pt;
          overflow-wrap: anywhere; }
.meta { color: #555; font-size: 9pt; }
"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    # no network; student text is escaped and the page's CSP allows no script
    "--proxy-server=127.0.0.1:9",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _questions(source_nb) -> list[dict]:
    """The written questions of a source notebook: grade id, prompt, points."""
    from autograder import notebooks as nbs

    out = []
    previous = ""
    for cell in source_nb.cells:
        meta = nbs.nbmeta(cell)
        if meta.get("grade") and meta.get("solution"):
            out.append(
                {
                    "grade_id": nbs.grade_id(cell),
                    "prompt": previous,
                    "points": float(meta.get("points", 0) or 0),
                }
            )
        if cell.get("cell_type") == "markdown":
            previous = cell.get("source", "")
    return out


def _answers_of(course, assignment: str, student: str, names: list[str], sources: dict):
    """``{notebook: {grade_id: text}}`` from the graded notebooks, else the submitted ones."""
    from autograder import notebooks as nbs

    out: dict[str, dict[str, str]] = {}
    graded = course.root / "autograded" / student / assignment
    missing = []
    for name in names:
        path = graded / f"{name}.ipynb"
        nb = nbs.read_notebook_file(path)[0] if path.is_file() else None
        if nb is None:
            missing.append(name)
        else:
            out[name] = {nbs.grade_id(c): c.get("source", "") for c in nb.cells}
    if missing:
        folder = course.root / "submitted" / student / assignment
        files = [p for p in folder.rglob("*.ipynb") if p.is_file() and not p.is_symlink()]
        matched, _ = nbs.match_files(files, {n: sources[n] for n in missing})
        for name, entry in matched.items():
            if entry and entry[1] is not None:
                out[name] = {nbs.grade_id(c): c.get("source", "") for c in entry[1].cells}
    return out


def _student_html(
    assignment: str, student: str, questions: list, answers: dict, name: str = ""
) -> str:
    import html

    e = html.escape
    pages = [
        "<div class='page'>"
        f"<h1>{e(assignment)}: written answers</h1>"
        f"<p>Name: <b>{e(name or student)}</b></p><p>Student id: <b>{e(student)}</b></p>"
        f"<p class='meta'>{len(questions)} questions, one per page, in the same order for "
        "every student.</p></div>"
    ]
    for n, (notebook, q) in enumerate(questions, start=1):
        text = answers.get(notebook, {}).get(q["grade_id"], "")
        text = text if isinstance(text, str) else "".join(text)
        text = text.replace("**Your answer:**", "").strip()
        if not text or text == "YOUR ANSWER HERE":
            text = "(no answer)"
        pages.append(
            "<div class='page'>"
            f"<h2>Question {n}: {e(notebook)} / {e(q['grade_id'])} ({q['points']:g} pt)</h2>"
            f"<div class='prompt'>{e(q['prompt'].strip())}</div>"
            f"<div class='answer'>{e(text[:20000])}</div></div>"
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{e(student)}</title><style>{WRITTEN_STYLE}</style></head><body>"
        + "".join(pages)
        + "</body></html>"
    )


def _print_pdf(chromium: str, html_path: Path, pdf_path: Path, profile: Path) -> None:
    import subprocess

    proc = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0 or not pdf_path.is_file():
        raise RuntimeError(
            f"chromium could not print {html_path.name} to PDF (exit {proc.returncode}):\n"
            + proc.stderr[-1500:]
        )


def written_answers(course, assignment: str, out=None, pdf: bool = True, jobs: int = 2) -> dict:
    """One HTML (and PDF) per student of every written answer of ``assignment``.

    Each file starts with a page naming the student, then one page per question, in
    the same order for everyone, so a Gradescope "Exam / Quiz" assignment (bulk upload,
    a template with one question per page) or an instructor's per-student upload sends
    the written answers to Gradescope's manual grading, as Otter's PDFs do.  PDFs are
    printed by headless Chromium (no network, no script); without Chromium, or
    with ``pdf=False``, only HTML is written.  Also writes ``index.csv``.
    """
    import csv
    from concurrent.futures import ThreadPoolExecutor

    from autograder import notebooks as nbs

    course.check()
    source_dir = course.root / "source" / assignment
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"{assignment}: no source notebooks in {source_dir}")
    sources = {n: nbs.read_notebook_file(source_dir / f"{n}.ipynb")[0] for n in names}
    questions = [(n, q) for n in names for q in _questions(sources[n])]
    if not questions:
        raise ValueError(f"{assignment}: its notebooks have no written (manually graded) answers")
    folder = Path(out or course.root / "written" / assignment)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    chromium = chromium_path() if pdf else None
    if pdf and chromium is None:
        print("warning: no chromium found: writing HTML only", file=sys.stderr)
    students = course.students(assignment)
    with course.gradebook() as gb:
        known = {st.id: f"{st.first_name or ''} {st.last_name or ''}".strip() for st in gb.students}
    pages = {}
    for student in students:
        answers = _answers_of(course, assignment, student, names, sources)
        page = _student_html(assignment, student, questions, answers, known.get(student) or "")
        (folder / f"{student}.html").write_text(page, encoding="utf-8")
        pages[student] = len(questions) + 1
    if chromium:
        profiles = folder / ".chromium"

        def one(item):
            i, student = item
            _print_pdf(
                chromium,
                folder / f"{student}.html",
                folder / f"{student}.pdf",
                profiles / str(i),
            )
            shutil.rmtree(profiles / str(i), ignore_errors=True)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(one, enumerate(students)))
        shutil.rmtree(profiles, ignore_errors=True)
    with open(folder / "index.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "html", "pdf", "pages"])
        for s in students:
            w.writerow([s, f"{s}.html", f"{s}.pdf" if chromium else "", pages[s]])
    return {
        "folder": folder,
        "students": students,
        "questions": len(questions),
        "kind": "PDF + HTML" if chromium else "HTML",
    }

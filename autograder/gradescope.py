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

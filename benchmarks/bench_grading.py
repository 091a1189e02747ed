"""Grading throughput: plain ``nbgrader autograde`` vs ``python -m autograder autograde``.

Both grade the SAME submissions of the same tiny assignment (the built-in two-task
sample, :mod:`autograder.samples`) in copies of one course directory, each as one
command run the way an instructor runs it (start-up included).  Prints both wall times,
the throughput ratio, and our per-notebook overhead beyond the student code's own run
time (wall time of a notebook's grading minus the time its cells and probes ran,
measured inside the sandbox), serial (``--jobs 1``) and parallel.

    python benchmarks/bench_grading.py [--n 40] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder import samples  # noqa: E402
from autograder.course import Course  # noqa: E402
from autograder.sandbox import isolation_mode  # noqa: E402


def _run(cmd, cwd, env=None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return dt


def _overheads(course: Course) -> tuple[list[float], list[float]]:
    over, student = [], []
    for path in (course.root / "autograded").glob("*/assignment1/grading.json"):
        for nb in json.loads(path.read_text())["notebooks"]:
            over.append(nb["seconds"] - nb["student_seconds"])
            student.append(nb["student_seconds"])
    return over, student


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=40, help="number of submissions")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        print(f"building the sample course in {tmp} ...", flush=True)
        # no skip-grading demo cell: plain nbgrader would run it (30 s) and the
        # comparison would measure that, not the graders
        src = samples.write_mini_source(tmp / "src", demo_cell=False)
        base = Course.init(tmp / "base")
        base.release("assignment1", source_dir=src)
        source_nb = nbformat.read(
            base.root / "source/assignment1/two_layer_net.ipynb", as_version=4
        )
        release_nb = nbformat.read(
            base.root / "release/assignment1/two_layer_net.ipynb", as_version=4
        )
        kinds = [
            samples.reference_submission(source_nb),
            samples.wrong_submission(source_nb, release_nb),
            samples.stub_submission(release_nb),
            samples.reference_submission(source_nb),
        ]
        upload = tmp / "upload"
        for i in range(args.n):
            samples.write_notebook(
                kinds[i % len(kinds)], upload / f"student{i:03d}" / "two_layer_net.ipynb"
            )
        base.import_submissions("assignment1", upload)
        ours_dir, nbg_dir = tmp / "ours", tmp / "nbgrader"
        shutil.copytree(base.root, ours_dir)
        shutil.copytree(base.root, nbg_dir)

        env = dict(os.environ, CS231N_HIDDEN_DIR=str(nbg_dir / "hidden" / "assignment1"))
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        print(f"nbgrader autograde: {args.n} submissions ...", flush=True)
        t_nb = _run(
            [sys.executable, "-m", "nbgrader", "autograde", "assignment1", "--force"], nbg_dir, env
        )
        print(
            f"ours ({isolation_mode()}, --jobs {args.jobs}): {args.n} submissions ...", flush=True
        )
        cmd = [
            sys.executable,
            "-m",
            "autograder",
            "--course",
            str(ours_dir),
            "autograde",
            "assignment1",
            "--force",
        ]
        t_ours = _run([*cmd, "--jobs", str(args.jobs)], REPO, env)
        over_par, stud = _overheads(Course(ours_dir))
        t_serial = _run([*cmd, "--jobs", "1"], REPO, env)
        over_ser, _ = _overheads(Course(ours_dir))

        # same verdicts on the correct submissions?
        nb_scores = {}
        with Course(nbg_dir).gradebook() as gb:
            for s in gb.students:
                try:
                    nb_scores[s.id] = gb.find_submission("assignment1", s.id).score
                except Exception:
                    pass
        ours = {s: r.score for s, r in Course(ours_dir).results("assignment1").items()}

        print()
        print(f"{'':34s} {'wall s':>8s} {'s/notebook':>11s} {'notebooks/s':>12s}")
        for label, t in (
            ("nbgrader autograde (serial)", t_nb),
            (f"ours --jobs {args.jobs}", t_ours),
            ("ours --jobs 1", t_serial),
        ):
            print(f"{label:34s} {t:8.2f} {t / args.n:11.3f} {args.n / t:12.2f}")
        print()
        print(
            f"throughput ratio ours/nbgrader (--jobs {args.jobs}): {t_nb / t_ours:.2f}x (target >= 2x)"
        )
        print(f"throughput ratio ours/nbgrader (--jobs 1):  {t_nb / t_serial:.2f}x")
        print(
            "overhead per notebook beyond the student code (median / max): "
            f"serial {statistics.median(over_ser):.3f} / {max(over_ser):.3f} s, "
            f"parallel {statistics.median(over_par):.3f} / {max(over_par):.3f} s (target <= 0.5 s); "
            f"student code itself: median {statistics.median(stud):.3f} s"
        )
        agree = sum(1 for s, v in ours.items() if s in nb_scores and abs(nb_scores[s] - v) < 1e-9)
        print(f"total scores identical to nbgrader's for {agree}/{len(ours)} submissions")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

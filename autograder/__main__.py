"""``python -m autograder`` (also ``cs231n-grader``): the instructor's command line.

Commands (``--course DIR`` defaults to $CS231N_COURSE or the current folder)::

    demo                          build, grade and tabulate sample submissions (no network)
    init DIR                      create an nbgrader course directory with our config
    release ASSIGNMENT [--due T] [--url BASE]   student notebooks + package, Colab-ready zip
    due ASSIGNMENT TIME           set the due date (ISO 8601 with a zone)
    extend ASSIGNMENT [STUDENT DURATION | --csv FILE]   per-student extensions
    late-policy KIND              none | per_day [--percent P] | cutoff  [--grace-minutes M]
    import ASSIGNMENT SOURCE      submissions from a folder or an LMS bulk-download zip
    autograde ASSIGNMENT          grade pending submissions in parallel, in sandboxes
    feedback ASSIGNMENT           HTML feedback (nbgrader generate_feedback)
    export [--format long|wide|canvas] [--assignment A] [--out FILE]   grades as CSV
    similarity ASSIGNMENT         pairs of students whose solution cells look alike
    regrade ASSIGNMENT STUDENT    grade one student again
    status                        what is released, submitted, graded, pending
    gradescope ASSIGNMENT         a Gradescope autograder bundle (setup.sh, run_autograder)
    written ASSIGNMENT            per-student HTML/PDF of the written answers (Gradescope)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _course(args):
    from autograder.course import Course

    return Course(args.course or os.environ.get("CS231N_COURSE") or Path.cwd())


def cmd_init(args):
    from autograder.course import Course

    course = Course.init(args.dir, course_id=args.course_id)
    print(f"course directory ready: {course.root}")
    print(_course_status(course))
    return 0


def _course_status(course):
    return course.status()


def cmd_release(args):
    course = _course(args)
    zpath = course.release(
        args.assignment,
        source_dir=args.source,
        notebooks=args.notebooks.split(",") if args.notebooks else None,
        due=args.due,
        base_url=args.url,
    )
    print(f"released {args.assignment}: {zpath}")
    if args.due:
        from autograder import late

        print(f"due {late.due_date(course, args.assignment).isoformat()}")
    if args.url:
        import json

        info = json.loads((course.root / "release" / args.assignment / "RELEASE.json").read_text())
        print(f"publish {info['wheel']} at {info['wheel_url']} (sha256 {info['wheel_sha256']})")
    return 0


def cmd_due(args):
    from autograder import late

    course = _course(args)
    course.check()
    when = late.set_due(course, args.assignment, args.time)
    policy = late.load_policy(course.root).describe()
    print(f"{args.assignment} is due {when.isoformat()} ({policy})")
    return 0


def cmd_extend(args):
    from autograder import late

    course = _course(args)
    course.check()
    if args.csv:
        if args.student or args.duration:
            raise ValueError("extend: give either STUDENT DURATION or --csv FILE, not both")
        for a, student, delta in late.import_extensions(course, args.csv, args.assignment):
            print(f"{a}: {student} +{delta}")
        return 0
    if not (args.student and args.duration):
        raise ValueError("extend: expected STUDENT DURATION (48, 36h, 2d) or --csv FILE")
    delta = late.grant_extension(course, args.assignment, args.student, args.duration)
    print(f"{args.assignment}: {args.student} +{delta}" if delta else "extension removed")
    return 0


def cmd_late_policy(args):
    from autograder import late

    course = _course(args)
    course.check()
    policy = late.LatePolicy(
        kind=args.kind,
        percent=args.percent,
        max_percent=args.max_percent,
        grace_minutes=args.grace_minutes,
    )
    late.set_policy(course, policy)
    print(f"late policy: {policy.describe()}")
    return 0


def cmd_import(args):
    course = _course(args)
    imported = course.import_submissions(args.assignment, args.source, pattern=args.pattern)
    for student, files in imported.items():
        print(f"{student}: {', '.join(files)}")
    report = getattr(course, "last_import", {}) or {}
    for student, refused in sorted(report.get("refused", {}).items()):
        for r in refused:
            print(f"{student}: refused {r['name']} ({r['why']})")
    for student, clashes in sorted(report.get("clashes", {}).items()):
        for c in clashes:
            print(f"{student}: {c}")
    print(f"imported {len(imported)} submissions of {args.assignment}")
    return 0


def cmd_autograde(args):
    from autograder.course import print_table

    course = _course(args)
    results = course.autograde(
        args.assignment, student=args.student, jobs=args.jobs, force=args.force
    )
    if not results:
        print("nothing to grade (every submission is already graded; use --force to regrade)")
        return 0
    print_table(results)
    return 0


def cmd_feedback(args):
    course = _course(args)
    out = course.feedback(args.assignment, student=args.student)
    print(f"feedback written under {out}")
    return 0


def cmd_export(args):
    course = _course(args)
    out = course.export(args.out, fmt=args.format, assignments=args.assignment)
    info = course.export_info
    print(f"grades ({args.format}) written to {out}")
    if info.get("no_lms_id"):
        shown = ", ".join(info["no_lms_id"][:10]) + (" ..." if len(info["no_lms_id"]) > 10 else "")
        print(
            f"warning: {len(info['no_lms_id'])} students have no LMS id (Canvas cannot match "
            f"them): {shown}. Fix: import their submissions from the LMS download.",
            file=sys.stderr,
        )
    if info.get("pending_manual"):
        print(
            f"note: {info['pending_manual']} submissions still need manual grading "
            "(formgrader); their totals may rise.",
            file=sys.stderr,
        )
    return 0


def cmd_similarity(args):
    from autograder.similarity import similarity_report

    course = _course(args)
    report = similarity_report(
        course, args.assignment, out_dir=args.out, top=args.top, references=args.references
    )
    print(f"similarity report: {report['html']} (CSV {report['csv']})")
    for pair in report["pairs"][: min(5, len(report["pairs"]))]:
        print(f"  {pair['similarity']:.2f}  {pair['student_a']} ~ {pair['student_b']}")
    return 0


def cmd_written(args):
    from autograder.gradescope import written_answers

    course = _course(args)
    out = written_answers(course, args.assignment, args.out, pdf=not args.no_pdf)
    print(f"written answers: {out['folder']} ({len(out['students'])} students, {out['kind']})")
    return 0


def cmd_regrade(args):
    from autograder.course import print_table

    course = _course(args)
    print_table(course.regrade(args.assignment, args.student))
    return 0


def cmd_status(args):
    print(_course(args).status())
    return 0


def cmd_gradescope(args):
    from autograder.gradescope import build_bundle

    course = _course(args)
    out = build_bundle(course, args.assignment, args.out)
    print(f"Gradescope autograder bundle: {out}")
    return 0


def cmd_demo(args):
    from autograder.demo import run_demo

    return run_demo(args.dir, notebooks=args.notebooks, jobs=args.jobs, mini=args.mini)


def build_parser():
    p = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n")[0])
    p.add_argument(
        "--course", help="course directory (default: $CS231N_COURSE or the current folder)"
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("demo", help="release, grade and tabulate sample submissions")
    s.add_argument("--dir", help="where to build the demo course (default: a temporary folder)")
    s.add_argument("--notebooks", help="comma-separated notebooks of assignment1 to use")
    s.add_argument("--jobs", type=int, default=None)
    s.add_argument(
        "--mini", action="store_true", help="use the built-in two-task sample assignment"
    )
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("init", help="create a course directory")
    s.add_argument("dir")
    s.add_argument("--course-id", default="cs231n")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("release", help="build the student release and its zip")
    s.add_argument("assignment")
    s.add_argument("--source", help="folder of source notebooks (default: assignments/ASSIGNMENT)")
    s.add_argument("--notebooks", help="comma-separated subset of notebooks")
    s.add_argument("--due", help="due date: ISO 8601 with a zone, e.g. 2026-12-01T17:00-08:00")
    s.add_argument(
        "--url", help="base URL where the wheel will be published (baked into the setup cell)"
    )
    s.set_defaults(func=cmd_release)

    s = sub.add_parser("due", help="set an assignment's due date")
    s.add_argument("assignment")
    s.add_argument("time", help="ISO 8601 with a zone, e.g. 2026-12-01T17:00-08:00")
    s.set_defaults(func=cmd_due)

    s = sub.add_parser("extend", help="grant per-student extensions")
    s.add_argument("assignment", help="assignment (for --csv: used when it has no column)")
    s.add_argument("student", nargs="?")
    s.add_argument("duration", nargs="?", help="hours, or 36h / 2d / 90m / 1w; 0 removes")
    s.add_argument("--csv", help="CSV with columns student, extension[, assignment]")
    s.set_defaults(func=cmd_extend)

    s = sub.add_parser("late-policy", help="set how late submissions are penalised")
    s.add_argument("kind", choices=["none", "per_day", "cutoff"])
    s.add_argument("--percent", type=float, default=10.0, help="per_day: percent off per day")
    s.add_argument("--max-percent", type=float, default=100.0)
    s.add_argument("--grace-minutes", type=float, default=0.0)
    s.set_defaults(func=cmd_late_policy)

    s = sub.add_parser("import", help="import submissions from a folder or an LMS zip")
    s.add_argument("assignment")
    s.add_argument("source")
    s.add_argument("--pattern", help="regex with a (?P<student>...) group applied to file names")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("autograde", help="grade submissions in parallel sandboxes")
    s.add_argument("assignment")
    s.add_argument("--student")
    s.add_argument("--jobs", type=int, default=None)
    s.add_argument("--force", action="store_true", help="grade again even if up to date")
    s.set_defaults(func=cmd_autograde)

    s = sub.add_parser("feedback", help="generate HTML feedback")
    s.add_argument("assignment")
    s.add_argument("--student")
    s.set_defaults(func=cmd_feedback)

    s = sub.add_parser("export", help="grades as CSV (per question, per student, Canvas)")
    s.add_argument("--out", default=None)
    s.add_argument("--format", choices=["long", "wide", "canvas"], default="long")
    s.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("similarity", help="rank pairs of similar solutions (HTML + CSV)")
    s.add_argument("assignment")
    s.add_argument("--out", default=None, help="folder (default: <course>/similarity/A)")
    s.add_argument("--top", type=int, default=200, help="pairs shown side by side in the HTML")
    s.add_argument(
        "--references", help="folder of outside code (.py/.ipynb, e.g. public solutions)"
    )
    s.set_defaults(func=cmd_similarity)

    s = sub.add_parser("regrade", help="grade one student again")
    s.add_argument("assignment")
    s.add_argument("student")
    s.set_defaults(func=cmd_regrade)

    s = sub.add_parser("status", help="show the course's state")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("gradescope", help="export a Gradescope autograder bundle")
    s.add_argument("assignment")
    s.add_argument("--out", default=None)
    s.set_defaults(func=cmd_gradescope)

    s = sub.add_parser("written", help="written answers per student, for Gradescope")
    s.add_argument("assignment")
    s.add_argument("--out", default=None, help="folder (default: <course>/written/A)")
    s.add_argument("--no-pdf", action="store_true", help="HTML only (no Chromium needed)")
    s.set_defaults(func=cmd_written)
    return p


def main(argv=None) -> int:
    from autograder._env import ensure_tools_on_path

    ensure_tools_on_path()  # the venv's python run directly, without activating the venv
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, KeyError, RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

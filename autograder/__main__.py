"""``python -m autograder`` (also ``cs231n-grader``): the instructor's command line.

Commands (``--course DIR`` defaults to $CS231N_COURSE or the current folder)::

    demo                          build, grade and tabulate sample submissions (no network)
    init DIR                      create an nbgrader course directory with our config
    release ASSIGNMENT            student notebooks + student package, as a Colab-ready zip
    import ASSIGNMENT SOURCE      submissions from a folder or an LMS bulk-download zip
    autograde ASSIGNMENT          grade pending submissions in parallel, in sandboxes
    feedback ASSIGNMENT           HTML feedback (nbgrader generate_feedback)
    export [--out grades.csv]     one CSV row per student and question
    regrade ASSIGNMENT STUDENT    grade one student again
    status                        what is released, submitted, graded, pending
    gradescope ASSIGNMENT         a Gradescope autograder bundle (setup.sh, run_autograder)
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
    )
    print(f"released {args.assignment}: {zpath}")
    return 0


def cmd_import(args):
    course = _course(args)
    imported = course.import_submissions(args.assignment, args.source, pattern=args.pattern)
    for student, files in imported.items():
        print(f"{student}: {', '.join(files)}")
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
    out = course.export(args.out)
    print(f"grades written to {out}")
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
    s.set_defaults(func=cmd_release)

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

    s = sub.add_parser("export", help="per-question grades as CSV")
    s.add_argument("--out", default=None)
    s.set_defaults(func=cmd_export)

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
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, KeyError, RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

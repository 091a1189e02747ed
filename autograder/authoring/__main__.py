"""``python -m autograder.authoring build [--check]``: the authoring command.

See :mod:`autograder.authoring.build` and ``autograder/authoring/README.md``.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring import build


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "build":
        parser = argparse.ArgumentParser(prog="python -m autograder.authoring")
        parser.add_argument("command", choices=["build"], help="the only command")
        parser.parse_args(argv[:1] or ["--help"])
        return 2
    return build.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

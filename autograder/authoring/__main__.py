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
        parser = argparse.ArgumentParser(
            prog="python -m autograder.authoring",
            description="Authoring: `build [--check]` refreshes sources, notebooks, "
            "expected values and checks the stubs (see autograder/authoring/README.md).",
        )
        parser.add_argument("command", choices=["build"], help="the only command")
        if not argv:
            parser.print_usage(sys.stderr)
            return 2
        parser.parse_args(argv[:1])  # --help exits 0, anything else exits 2
        return 2
    return build.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

"""Placeholder entry point until the autograder's demo lands."""

import sys


def main(argv=None):
    print("autograder: not implemented yet", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m cs231n.data`` (also installed as ``cs231n-data``).

Commands::

    list               every dataset, whether it is present, where it lives, its size
    fetch NAME         download (resuming), verify and extract NAME into the cache
    verify NAME        check NAME's checksums
    where NAME         print the folder (or file) that holds NAME

``--data-dir DIR`` (before the command) overrides ``$CS231N_DATA_DIR`` (default
``~/.cache/cs231n``).

Exit codes: 0 success; 1 the dataset is missing, corrupt or could not be downloaded;
2 bad usage (unknown command or dataset name).
"""

from __future__ import annotations

import argparse
import hashlib
import sys

from cs231n.data import cifar10, embedded, fashion_mnist
from cs231n.data._download import ChecksumError, DownloadError
from cs231n.data.loaders import (
    DATASETS,
    OFFLINE_HINT,
    canonical_name,
    dataset_info,
    fetch_dataset,
)
from cs231n.validation import ConfigError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_list(args) -> int:
    rows = [dataset_info(name, args.data_dir) for name in DATASETS]
    print(f"cache folder: {rows[0]['cache']}  (set CS231N_DATA_DIR or --data-dir to change)")
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        state = "present" if r["present"] else "missing"
        where = r["location"] or "-"
        size = _size(r["bytes"]) if r["present"] else "-"
        print(f"{r['name']:<{width}}  {state:<7}  {size:>9}  {where}")
        print(f"{'':<{width}}  {r['description']}")
    return EXIT_OK


def cmd_where(args) -> int:
    info = dataset_info(args.name, args.data_dir)
    if info["present"]:
        print(info["location"])
        return EXIT_OK
    print(
        f"{info['name']} is not present; looked in: {', '.join(info['looked_in'])}. "
        f"Run `python -m cs231n.data fetch {info['name']}`.",
        file=sys.stderr,
    )
    return EXIT_FAIL


def cmd_fetch(args) -> int:
    name = args.name
    try:
        if name == "default":
            print(f"default is embedded in the package, nothing to fetch: {embedded.NPZ}")
            return EXIT_OK
        folder = fetch_dataset(name, args.data_dir, force=args.force, progress=not args.quiet)
    except DownloadError as err:
        print(
            f"error: could not download {name}: {err}\nCheck the network connection and run "
            f"the command again (an interrupted download resumes), {OFFLINE_HINT}.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    except (ChecksumError, cifar10.CorruptDatasetError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{name} is ready in {folder}")
    return EXIT_OK


def cmd_verify(args) -> int:
    name = args.name
    if name == "default":
        meta = embedded.metadata()
        if not embedded.NPZ.is_file():
            print(f"default: missing, looked for {embedded.NPZ}", file=sys.stderr)
            return EXIT_FAIL
        got = hashlib.sha256(embedded.NPZ.read_bytes()).hexdigest()
        report = {
            embedded.NPZ.name: "ok"
            if got == meta["sha256"]
            else f"sha256 {got} != {meta['sha256']}"
        }
    elif name == "fashion-mnist":
        folder = fashion_mnist.find(args.data_dir)
        if folder is None:
            dirs = ", ".join(str(d) for d in fashion_mnist.candidate_dirs(args.data_dir))
            print(f"fashion-mnist: missing; looked in {dirs}", file=sys.stderr)
            return EXIT_FAIL
        report = fashion_mnist.verify(folder)
    else:
        report = cifar10.verify(args.data_dir)
    bad = {k: v for k, v in report.items() if v != "ok"}
    for item, state in report.items():
        print(f"{item}: {state}")
    if bad:
        print(
            f"{name}: {len(bad)} problem(s). Fix: run `python -m cs231n.data fetch {name}`.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    print(f"{name}: all checksums ok")
    return EXIT_OK


def _name(value: str) -> str:
    try:
        return canonical_name(value, "dataset name")
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cs231n.data",
        description="List, fetch, verify and locate the kit's datasets.",
        epilog="Datasets: " + "; ".join(f"{k}: {v}" for k, v in DATASETS.items()),
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="cache folder (default: $CS231N_DATA_DIR or ~/.cache/cs231n)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="datasets, whether present, where, size").set_defaults(
        func=cmd_list
    )
    p = sub.add_parser("fetch", help="download, verify and extract a dataset")
    p.add_argument("name", type=_name, help=", ".join(DATASETS))
    p.add_argument("--force", action="store_true", help="extract again even if present")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch)
    p = sub.add_parser("verify", help="check a dataset's checksums")
    p.add_argument("name", type=_name, help=", ".join(DATASETS))
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("where", help="print where a dataset lives")
    p.add_argument("name", type=_name, help=", ".join(DATASETS))
    p.set_defaults(func=cmd_where)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

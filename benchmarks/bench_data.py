"""Benchmark data loading: the embedded default, and CIFAR-10's loader on a local fixture.

Run from the repository root::

    python benchmarks/bench_data.py            # 7 rounds
    python benchmarks/bench_data.py --rounds 3 --images 2000

What is measured (median over rounds, one untimed warm-up first):

* ``load_dataset()`` on the embedded default, **cold** (the in-process cache of the
  verified arrays cleared: read, SHA-256, decompress, split, float32, mean subtraction)
  and **warm** (cache kept, as in a notebook that calls it twice), plus its parts;
* ``load_dataset("cifar10")`` on a generated fixture in CIFAR-10's exact pickle layout
  (``--images`` per batch; the real batches have 10,000), next to a CS231n-style loader
  (unpickle, float64, NHWC, then train/val split, mean subtraction and NCHW copy) on the
  same files, side by side in each round; the ratio is the median of per-round ratios.

No network is used.  The fixture is written to a temporary folder and deleted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import pickle
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from cs231n.data import cifar10, embedded, load_dataset


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def write_cifar_fixture(folder: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    out = folder / cifar10.FOLDER
    out.mkdir(parents=True)
    for name in (*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH):
        batch = {
            "batch_label": name,
            "labels": [int(v) for v in rng.integers(0, 10, n)],
            "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
            "filenames": [f"{i}.png" for i in range(n)],
        }
        (out / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {"label_names": list(cifar10.CLASS_NAMES)}
    (out / cifar10.META).write_bytes(pickle.dumps(meta, protocol=2))


def cs231n_style(folder: Path, num_validation: int):
    """The classic approach: float64 NHWC batches, then slicing and an NCHW copy."""
    xs, ys = [], []
    for name in cifar10.TRAIN_BATCHES:
        with open(folder / name, "rb") as f:
            d = pickle.load(f, encoding="latin1")
        xs.append(d["data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float"))
        ys.append(np.array(d["labels"]))
    Xtr, ytr = np.concatenate(xs), np.concatenate(ys)
    with open(folder / cifar10.TEST_BATCH, "rb") as f:
        d = pickle.load(f, encoding="latin1")
    Xte = d["data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
    n_tr = len(Xtr) - num_validation
    X_val, X_train = Xtr[n_tr:], Xtr[:n_tr]
    mean = X_train.mean(axis=0)
    out = [(X - mean).transpose(0, 3, 1, 2).copy() for X in (X_train, X_val, Xte)]
    return out, ytr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--images", type=int, default=5000, help="images per CIFAR fixture batch")
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    meta = embedded.metadata()
    print(
        f"embedded default: {embedded.NPZ.name}, {meta['bytes']:,} bytes "
        f"({meta['bytes'] / 2**20:.2f} MiB), {sum(meta['counts'].values()):,} images"
    )

    blob = embedded.NPZ.read_bytes()

    def cold():
        embedded._CACHE.clear()
        load_dataset()

    def parts_sha():
        hashlib.sha256(embedded.NPZ.read_bytes()).hexdigest()

    def parts_npz():
        with np.load(io.BytesIO(blob)) as z:
            for k in z.files:
                z[k]

    rows = {"load_dataset() cold": cold, "load_dataset() warm": load_dataset}
    rows["  read + sha256 only"] = parts_sha
    rows["  np.load (decompress) only"] = parts_npz
    rows["load_dataset(flatten=True) warm"] = lambda: load_dataset(flatten=True)
    times = {k: [] for k in rows}
    for fn in rows.values():
        fn()  # warm-up
    for r in range(args.rounds):
        keys = list(rows)
        keys = keys[r % len(keys) :] + keys[: r % len(keys)]
        for k in keys:
            times[k].append(timed(rows[k]))
    print(f"\n{'embedded default (median of ' + str(args.rounds) + ')':<40} {'ms':>9}")
    for k, ts in times.items():
        print(f"{k:<40} {1e3 * statistics.median(ts):9.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_cifar_fixture(tmp, args.images)
        folder = tmp / cifar10.FOLDER
        n_total = 5 * args.images
        n_val = min(1000, n_total // 10)
        ours = lambda: load_dataset("cifar10", data_dir=tmp, num_validation=n_val, download=False)  # noqa: E731
        theirs = lambda: cs231n_style(folder, n_val)  # noqa: E731
        ours()
        theirs()
        t_ours, t_theirs, ratios = [], [], []
        for r in range(args.rounds):
            pair = (ours, theirs) if r % 2 == 0 else (theirs, ours)
            a, b = (timed(f) for f in pair)
            to, tt = (a, b) if r % 2 == 0 else (b, a)
            t_ours.append(to)
            t_theirs.append(tt)
            ratios.append(tt / to)
        d = ours()
        mb = sum(d[k].nbytes for k in ("X_train", "X_val", "X_test")) / 2**20
        print(
            f"\nCIFAR-10 fixture: 5 x {args.images:,} train + {args.images:,} test images "
            f"(real batches: 10,000 each)"
        )
        print(f"{'loader':<40} {'ms':>9} {'MiB':>8}")
        print(
            f"{'load_dataset(cifar10) float32 NCHW':<40} {1e3 * statistics.median(t_ours):9.1f} {mb:8.1f}"
        )
        print(
            f"{'CS231n-style float64 (+NCHW copy)':<40} {1e3 * statistics.median(t_theirs):9.1f} {2 * mb:8.1f}"
        )
        print(
            f"ratio CS231n-style / ours (median of per-round ratios): {statistics.median(ratios):.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark the numpy layers: fast vs naive, and (when installed) numpy vs PyTorch.

Run from the repository root::

    python benchmarks/bench_layers.py            # full run (a few minutes on 2 cores)
    python benchmarks/bench_layers.py --quick    # 3 rounds, smaller naive inputs
    python benchmarks/bench_layers.py --rounds 15

Method
------
* BLAS is pinned to ONE thread, for numpy (environment variables set before numpy is
  imported, plus ``threadpoolctl`` when it is installed) and for torch
  (``torch.set_num_threads(1)``), so the figures compare the code, not the thread pools.
* Every ratio is measured side by side: in each round every contender runs once, in an
  order rotated from round to round, and the reported ratio is the median over rounds of
  the per-round ratio.  Times are medians over rounds.  One untimed warm-up round first.
* PyTorch is optional (never a dependency of the package).  Without it, only the
  fast-vs-naive section runs.  Models that are not importable are skipped with a notice.

The targets are floors reached by a careful numpy design on a 2-vCPU machine (numpy time
divided by torch time, 1 thread); see ``benchmarks/README.md``.
"""

from __future__ import annotations

import os

# Pin BLAS to one thread BEFORE numpy is imported (threadpoolctl below makes sure too).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import functools  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

try:
    from threadpoolctl import threadpool_info, threadpool_limits

    _LIMITER = threadpool_limits(limits=1)
except ImportError:  # the environment variables above already pin OpenBLAS/MKL
    threadpool_info = None

try:
    import torch
    import torch.nn.functional as TF

    torch.set_num_threads(1)
except ImportError:
    torch = None

from cs231n.fast_layers import (  # noqa: E402
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)

# name: (x shape, w shape, stride, pad)
CONV_SHAPES = {
    "a": ((50, 3, 32, 32), (32, 3, 7, 7), 1, 3),
    "b": ((100, 3, 31, 31), (25, 3, 3, 3), 2, 1),
    "c": ((128, 64, 16, 16), (64, 64, 3, 3), 1, 1),
}
POOL_SHAPES = {
    "a-pool": (50, 32, 32, 32),
    "demo": (100, 3, 32, 32),
    "c-pool": (128, 64, 16, 16),
}
POOL_2X2 = {"pool_height": 2, "pool_width": 2, "stride": 2}

# Floors (numpy time / torch time) to meet or beat, per (measure, dtype).
TARGETS = {
    ("conv (a) fwd+bwd", "float32"): 1.6,
    ("conv (b) fwd+bwd", "float32"): 1.0,
    ("conv (c) fwd+bwd", "float32"): 3.2,
    ("conv (a) fwd+bwd", "float64"): 0.75,
    ("conv (b) fwd+bwd", "float64"): 0.75,
    ("conv (c) fwd+bwd", "float64"): 0.75,
    ("max-pool 2x2 fwd+bwd (a-pool)", "float32"): 0.6,
    ("ThreeLayerConvNet step", "float32"): 2.0,
    ("ThreeLayerConvNet step", "float64"): 0.8,
    ("FullyConnectedNet step", "float32"): 1.0,
}


# ----------------------------------------------------------------------------------------
# Side-by-side timing
# ----------------------------------------------------------------------------------------


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
CLOCK = CLOCKS["cpu"]


def side_by_side(fns, rounds, warmup=1):
    """Time callables interleaved; return ``{name: [seconds per round]}``.

    Each round runs every function once, starting at a different function each round
    (rotation), so slow drifts of the machine hit all contenders alike.
    """
    names = list(fns)
    times = {name: [] for name in names}
    for r in range(warmup + rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            t0 = CLOCK()
            fns[name]()
            dt = CLOCK() - t0
            if r >= warmup:
                times[name].append(dt)
    return times


def median_ratio(times, num, den, scale=1.0):
    """Median over rounds of ``times[num][r] / times[den][r]`` (times ``scale``)."""
    return statistics.median(a / b * scale for a, b in zip(times[num], times[den]))


def ms(seconds):
    return statistics.median(seconds) * 1e3


# ----------------------------------------------------------------------------------------
# (a) fast vs naive
# ----------------------------------------------------------------------------------------


def bench_fast_vs_naive(rounds, quick):
    print("\n## (a) fast vs naive layers (float64, 1 thread)\n")
    try:
        from cs231n.layers import (
            conv_backward_naive,
            conv_forward_naive,
            max_pool_backward_naive,
            max_pool_forward_naive,
        )
    except ImportError as exc:
        print(f"skipped: the naive layers are not importable ({exc})")
        return []
    rng = np.random.default_rng(0)
    n_naive = 1 if quick else 2
    naive_rounds = max(2, min(rounds, 3 if quick else 5))
    rows = []
    for key, (xs, ws, stride, pad) in CONV_SHAPES.items():
        conv_param = {"stride": stride, "pad": pad}
        x = rng.standard_normal(xs)
        w = rng.standard_normal(ws)
        b = rng.standard_normal(ws[0])
        xn = x[:n_naive].copy()
        out, _ = conv_forward_fast(x, w, b, conv_param)
        dout = rng.standard_normal(out.shape)
        doutn = dout[:n_naive].copy()
        fns = {
            "fast": lambda x=x, w=w, b=b, p=conv_param, d=dout: conv_backward_fast(
                d, conv_forward_fast(x, w, b, p)[1]
            ),
            "naive": lambda x=xn, w=w, b=b, p=conv_param, d=doutn: conv_backward_naive(
                d, conv_forward_naive(x, w, b, p)[1]
            ),
        }
        t = side_by_side(fns, naive_rounds)
        # per image: naive time / n_naive  vs  fast time / N
        speedup = median_ratio(t, "naive", "fast", scale=xs[0] / n_naive)
        rows.append(
            (f"conv ({key}) fwd+bwd", ms(t["naive"]) / n_naive, ms(t["fast"]) / xs[0], speedup)
        )
    for key, xs in (("a-pool", POOL_SHAPES["a-pool"]), ("3x3/2 on (8,16,33,33)", (8, 16, 33, 33))):
        pp = POOL_2X2 if key == "a-pool" else {"pool_height": 3, "pool_width": 3, "stride": 2}
        x = rng.standard_normal(xs)
        xn = x[:n_naive].copy()
        out, _ = max_pool_forward_fast(x, pp)
        dout = rng.standard_normal(out.shape)
        doutn = dout[:n_naive].copy()
        fns = {
            "fast": lambda x=x, p=pp, d=dout: max_pool_backward_fast(
                d, max_pool_forward_fast(x, p)[1]
            ),
            "naive": lambda x=xn, p=pp, d=doutn: max_pool_backward_naive(
                d, max_pool_forward_naive(x, p)[1]
            ),
        }
        t = side_by_side(fns, naive_rounds)
        speedup = median_ratio(t, "naive", "fast", scale=xs[0] / n_naive)
        rows.append(
            (f"max-pool {key} fwd+bwd", ms(t["naive"]) / n_naive, ms(t["fast"]) / xs[0], speedup)
        )
    print(f"naive on N={n_naive} image(s), fast on the full batch; times per image\n")
    print("| layer | naive ms/image | fast ms/image | fast speed-up | target |")
    print("|---|---:|---:|---:|---|")
    for name, tn, tf, s in rows:
        target = ">= 100x" if name.startswith("conv") else ""
        verdict = (" met" if s >= 100 else " MISSED") if target else ""
        print(f"| {name} | {tn:.2f} | {tf:.4f} | {s:.0f}x | {target}{verdict} |")
    return rows


# ----------------------------------------------------------------------------------------
# (b) numpy vs torch
# ----------------------------------------------------------------------------------------


def _torch_conv_step(x, w, b, stride, pad, dout):
    xt = torch.from_numpy(x).requires_grad_()
    wt = torch.from_numpy(w).requires_grad_()
    bt = torch.from_numpy(b).requires_grad_()
    dt = torch.from_numpy(dout)

    def step():
        out = TF.conv2d(xt, wt, bt, stride=stride, padding=pad)
        return torch.autograd.grad(out, (xt, wt, bt), dt)

    return step


def _torch_pool_step(x, dout):
    xt = torch.from_numpy(x).requires_grad_()
    dt = torch.from_numpy(dout)

    def step():
        out = TF.max_pool2d(xt, 2, 2)
        return torch.autograd.grad(out, (xt,), dt)

    return step


def bench_conv_pool_vs_torch(rounds, dtypes, results):
    for dtype in dtypes:
        name = np.dtype(dtype).name
        rng = np.random.default_rng(1)
        for key, (xs, ws, stride, pad) in CONV_SHAPES.items():
            conv_param = {"stride": stride, "pad": pad}
            x = rng.standard_normal(xs).astype(dtype)
            w = (rng.standard_normal(ws) * 0.1).astype(dtype)
            b = rng.standard_normal(ws[0]).astype(dtype)
            out, cache = conv_forward_fast(x, w, b, conv_param)
            dout = rng.standard_normal(out.shape).astype(dtype)
            # correctness against torch before timing
            tstep = _torch_conv_step(x, w, b, stride, pad, dout)
            got = conv_backward_fast(dout, cache)
            want = [g.numpy() for g in tstep()]
            err = max(np.abs(g - h).max() / np.abs(h).max() for g, h in zip(got, want))
            fns = {
                "numpy fwd+bwd": lambda x=x, w=w, b=b, p=conv_param, d=dout: conv_backward_fast(
                    d, conv_forward_fast(x, w, b, p)[1]
                ),
                "torch fwd+bwd": tstep,
                "numpy fwd": lambda x=x, w=w, b=b, p=conv_param: conv_forward_fast(x, w, b, p),
                "torch fwd": lambda x=x, w=w, b=b, s=stride, p=pad: TF.conv2d(
                    torch.from_numpy(x),
                    torch.from_numpy(w),
                    torch.from_numpy(b),
                    stride=s,
                    padding=p,
                ),
            }
            t = side_by_side(fns, rounds)
            results.append(
                (
                    f"conv ({key}) fwd+bwd",
                    name,
                    ms(t["numpy fwd+bwd"]),
                    ms(t["torch fwd+bwd"]),
                    median_ratio(t, "numpy fwd+bwd", "torch fwd+bwd"),
                    f"fwd alone {median_ratio(t, 'numpy fwd', 'torch fwd'):.2f}x; rel.err {err:.0e}",
                )
            )
            print(f"  {results[-1][0]} {name}: {results[-1][4]:.2f}x", flush=True)
        for key, xs in POOL_SHAPES.items():
            x = rng.standard_normal(xs).astype(dtype)
            out, cache = max_pool_forward_fast(x, POOL_2X2)
            dout = rng.standard_normal(out.shape).astype(dtype)
            tstep = _torch_pool_step(x, dout)
            same = np.array_equal(max_pool_backward_fast(dout, cache), tstep()[0].numpy())
            fns = {
                "numpy": lambda x=x, d=dout: max_pool_backward_fast(
                    d, max_pool_forward_fast(x, POOL_2X2)[1]
                ),
                "torch": tstep,
            }
            t = side_by_side(fns, rounds)
            results.append(
                (
                    f"max-pool 2x2 fwd+bwd ({key})",
                    name,
                    ms(t["numpy"]),
                    ms(t["torch"]),
                    median_ratio(t, "numpy", "torch"),
                    f"x{xs}; dx {'==' if same else '!='} torch",
                )
            )
            print(f"  {results[-1][0]} {name}: {results[-1][4]:.2f}x", flush=True)


def _adam_step_numpy(model, configs, X, y, adam):
    loss, grads = model.loss(X, y)
    for k, v in model.params.items():
        model.params[k], configs[k] = adam(v, grads[k], configs[k])
    return loss


def bench_models_vs_torch(rounds, dtypes, results, skipped):
    try:
        from cs231n.optim import adam
    except ImportError as exc:
        skipped.append(f"model steps: cs231n.optim.adam not importable ({exc})")
        return
    rng = np.random.default_rng(2)
    # ThreeLayerConvNet, batch 50, CIFAR-sized input
    try:
        from cs231n.classifiers.cnn import ThreeLayerConvNet
    except ImportError as exc:
        ThreeLayerConvNet = None
        skipped.append(f"ThreeLayerConvNet step: not importable ({exc})")
    if ThreeLayerConvNet is not None:
        variants = [("ThreeLayerConvNet step", None)]
        try:
            import cs231n.layer_utils as layer_utils

            if getattr(layer_utils, "conv_backward_fast", None) is conv_backward_fast:
                variants.append(("ThreeLayerConvNet step, input dx skipped", layer_utils))
        except ImportError:
            pass
        for dtype in dtypes:
            name = np.dtype(dtype).name
            X = rng.standard_normal((50, 3, 32, 32)).astype(dtype)
            y = rng.integers(0, 10, size=50)
            for label, patch_module in variants:
                model = ThreeLayerConvNet(
                    input_dim=(3, 32, 32), weight_scale=1e-2, reg=1e-3, dtype=dtype, seed=0
                )
                configs = {k: {"learning_rate": 1e-3} for k in model.params}
                net = _torch_convnet(model.params, dtype)
                # Diagnostic variant: torch never computes the gradient of the input
                # images; the numpy net does unless its first conv is told not to.
                if patch_module is not None:
                    patch_module.conv_backward_fast = functools.partial(
                        conv_backward_fast, need_dx=False
                    )
                try:
                    _bench_step(
                        label,
                        name,
                        model,
                        configs,
                        net,
                        X,
                        y,
                        adam,
                        rounds,
                        results,
                        reg=1e-3,
                        weights=(net[0].weight, net[4].weight, net[6].weight),
                    )
                finally:
                    if patch_module is not None:
                        patch_module.conv_backward_fast = conv_backward_fast
    # FullyConnectedNet 3072-100-10, batch 200
    try:
        from cs231n.classifiers.fc_net import FullyConnectedNet
    except ImportError as exc:
        skipped.append(f"FullyConnectedNet step: not importable ({exc})")
        return
    for dtype in dtypes:
        name = np.dtype(dtype).name
        X = rng.standard_normal((200, 3, 32, 32)).astype(dtype)
        y = rng.integers(0, 10, size=200)
        model = FullyConnectedNet(
            [100], input_dim=3072, num_classes=10, weight_scale=1e-2, reg=1e-3, dtype=dtype, seed=0
        )
        configs = {k: {"learning_rate": 1e-3} for k in model.params}
        p = model.params
        net = torch.nn.Sequential(
            torch.nn.Flatten(),
            torch.nn.Linear(3072, 100),
            torch.nn.ReLU(),
            torch.nn.Linear(100, 10),
        ).to(torch.float64 if dtype == np.float64 else torch.float32)
        with torch.no_grad():
            net[1].weight.copy_(torch.from_numpy(p["W1"].T.copy()))
            net[1].bias.copy_(torch.from_numpy(p["b1"]))
            net[3].weight.copy_(torch.from_numpy(p["W2"].T.copy()))
            net[3].bias.copy_(torch.from_numpy(p["b2"]))
        _bench_step(
            "FullyConnectedNet step",
            name,
            model,
            configs,
            net,
            X,
            y,
            adam,
            rounds,
            results,
            reg=1e-3,
            weights=(net[1].weight, net[3].weight),
        )


def _torch_convnet(p, dtype):
    """The torch twin of ThreeLayerConvNet, with the same weights."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 32, 7, padding=3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(32 * 16 * 16, 100),
        torch.nn.ReLU(),
        torch.nn.Linear(100, 10),
    ).to(torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        net[0].weight.copy_(torch.from_numpy(p["W1"]))
        net[0].bias.copy_(torch.from_numpy(p["b1"]))
        net[4].weight.copy_(torch.from_numpy(p["W2"].T.copy()))
        net[4].bias.copy_(torch.from_numpy(p["b2"]))
        net[6].weight.copy_(torch.from_numpy(p["W3"].T.copy()))
        net[6].bias.copy_(torch.from_numpy(p["b3"]))
    return net


def _bench_step(label, dtype_name, model, configs, net, X, y, adam, rounds, results, reg, weights):
    """One training step (forward, backward, L2 reg, Adam update) numpy vs torch."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y)

    def torch_step():
        opt.zero_grad()
        loss = TF.cross_entropy(net(Xt), yt)
        loss = loss + 0.5 * reg * sum((w * w).sum() for w in weights)
        loss.backward()
        opt.step()
        return loss

    with torch.no_grad():
        t_loss = float(
            TF.cross_entropy(net(Xt), yt) + 0.5 * reg * sum((w * w).sum() for w in weights)
        )
    n_loss = float(model.loss(X, y)[0])
    fns = {
        "numpy": lambda: _adam_step_numpy(model, configs, X, y, adam),
        "torch": torch_step,
    }
    t = side_by_side(fns, rounds)
    results.append(
        (
            label,
            dtype_name,
            ms(t["numpy"]),
            ms(t["torch"]),
            median_ratio(t, "numpy", "torch"),
            f"first loss numpy {n_loss:.7f} / torch {t_loss:.7f}",
        )
    )
    print(f"  {label} {dtype_name}: {results[-1][4]:.2f}x", flush=True)


def print_torch_table(results):
    print(
        "\n| measure (numpy / torch, 1 thread) | dtype | numpy ms | torch ms | ratio | target | verdict | notes |"
    )
    print("|---|---|---:|---:|---:|---:|---|---|")
    for measure, dtype, tn, tt, ratio, notes in results:
        key = (measure, dtype)
        target = TARGETS.get(key)
        if target is None:
            tgt, verdict = "", ""
        else:
            tgt, verdict = f"<= {target}", "met" if ratio <= target else "MISSED"
        print(
            f"| {measure} | {dtype} | {tn:.2f} | {tt:.2f} | {ratio:.2f} | {tgt} | {verdict} | {notes} |"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, smaller naive inputs")
    parser.add_argument(
        "--rounds", type=int, default=None, help="timed rounds per measure (default 9)"
    )
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: process CPU time (default; with one thread it equals the wall time of an "
        "idle machine, and time stolen by other processes is not counted); wall: elapsed time",
    )
    parser.add_argument(
        "--only",
        choices=("naive", "conv", "models"),
        action="append",
        help="run only these sections (repeatable)",
    )
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = CLOCKS[args.clock]
    only = set(args.only or ("naive", "conv", "models"))
    rounds = args.rounds or (3 if args.quick else 9)

    print("# cs231n layer benchmark")
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; python {platform.python_version()}, "
        f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}; "
        f"{os.cpu_count()} CPUs; {rounds} rounds; 1 thread; clock: {args.clock}"
    )
    if threadpool_info is not None:
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                print(
                    f"numpy BLAS: {info.get('internal_api')} {info.get('version')} "
                    f"(kernels: {info.get('architecture')}), {info.get('num_threads')} thread(s)"
                )
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset: auto-detected)')}")

    if "naive" in only:
        bench_fast_vs_naive(rounds, args.quick)

    if torch is None or args.no_torch:
        print("\n(b) numpy vs torch: skipped (torch is not installed or --no-torch)")
        return
    print("\n## (b) numpy vs torch.nn.functional (1 thread each)\n")
    results, skipped = [], []
    dtypes = (np.float32, np.float64)
    if "conv" in only:
        bench_conv_pool_vs_torch(rounds, dtypes, results)
    if "models" in only:
        bench_models_vs_torch(rounds, dtypes, results, skipped)
    print_torch_table(results)
    for s in skipped:
        print(f"\nskipped: {s}")


if __name__ == "__main__":
    main()

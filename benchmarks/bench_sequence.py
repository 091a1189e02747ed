"""Benchmark the sequence layers against PyTorch: RNN, LSTM, multi-head attention, a ViT step.

Run from the repository root::

    python benchmarks/bench_sequence.py            # 9 rounds, about 3 minutes on 2 cores
    python benchmarks/bench_sequence.py --quick    # 3 rounds
    python benchmarks/bench_sequence.py --rounds 15 --clock wall

Every measure is forward + backward (the gradients of the inputs and of every weight)
of the numpy layer of :mod:`cs231n.rnn_layers` / :mod:`cs231n.transformer_layers` next
to the same computation in ``torch.nn`` (``nn.RNN``, ``nn.LSTM``,
``nn.MultiheadAttention``), on the same weights and inputs, plus one training step
(forward, backward, Adam) of :class:`cs231n.classifiers.vit.VisionTransformer` next to
its ``torch.nn`` twin built from ``nn.TransformerEncoderLayer(norm_first=True)``.

The method is the one of ``bench_layers.py`` (its timing helpers are imported): one
thread for both libraries, contenders interleaved in rotated order, the median over
rounds of the per-round ratio numpy / torch.  Before timing, the outputs and gradients
of the two sides are compared and the largest relative difference is printed next to
the ratio.  torch is optional and never a dependency of the package; without it the
script prints the numpy times alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_layers as bl  # noqa: E402  (pins BLAS and torch to one thread on import)
import numpy as np  # noqa: E402

from cs231n import optim  # noqa: E402
from cs231n.classifiers.vit import VisionTransformer  # noqa: E402
from cs231n.rnn_layers import lstm_backward, lstm_forward, rnn_backward, rnn_forward  # noqa: E402
from cs231n.transformer_layers import (  # noqa: E402
    causal_mask,
    init_attention,
    multihead_self_attention_backward,
    multihead_self_attention_forward,
)

torch = bl.torch

# Targets: numpy time / torch time, float32, one thread.
TARGETS = {
    ("LSTM fwd+bwd", "float32"): 1.5,
    ("multi-head self-attention fwd+bwd", "float32"): 1.5,
}

# N, T, D, H: a captioning-sized recurrent layer.
RNN_SHAPE = (64, 32, 128, 256)
# N, T, E, heads: causal self-attention over a short sequence.
MHA_SHAPE = (32, 64, 256, 8)
# ViT on Fashion-MNIST: batch, embed, heads, layers, patch.
VIT = {"batch": 100, "embed_dim": 64, "num_heads": 4, "num_layers": 2, "patch_size": 7}


def rel_diff(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def _t(x, grad=False):
    t = torch.from_numpy(np.ascontiguousarray(x))
    return t.requires_grad_(grad)


# ------------------------------------------------------------------------------ recurrent
def bench_recurrent(cell, dtype, rounds, results):
    rng = np.random.default_rng(0)
    N, T, D, H = RNN_SHAPE
    gates = 4 if cell == "lstm" else 1
    x = rng.standard_normal((N, T, D)).astype(dtype)
    h0 = rng.standard_normal((N, H)).astype(dtype)
    Wx = (rng.standard_normal((D, gates * H)) / np.sqrt(D)).astype(dtype)
    Wh = (rng.standard_normal((H, gates * H)) / np.sqrt(H)).astype(dtype)
    b = (0.1 * rng.standard_normal(gates * H)).astype(dtype)
    dout = rng.standard_normal((N, T, H)).astype(dtype)
    forward, backward = (
        (lstm_forward, lstm_backward) if cell == "lstm" else (rnn_forward, rnn_backward)
    )

    def numpy_step():
        h, cache = forward(x, h0, Wx, Wh, b)
        return h, backward(dout, cache)

    label = f"{cell.upper()} fwd+bwd"
    if torch is None:
        t = bl.side_by_side({"numpy": numpy_step}, rounds)
        results.append(
            (label, np.dtype(dtype).name, bl.ms(t["numpy"]), float("nan"), float("nan"), "")
        )
        return
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    if cell == "lstm":
        net = torch.nn.LSTM(D, H, batch_first=True).to(tdtype)
        # torch packs the gates as (i, f, g, o); the kit as (i, f, o, g), like CS231n
        order = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]
    else:
        net = torch.nn.RNN(D, H, nonlinearity="tanh", batch_first=True).to(tdtype)
        order = np.arange(H)
    with torch.no_grad():
        net.weight_ih_l0.copy_(_t(Wx[:, order].T))
        net.weight_hh_l0.copy_(_t(Wh[:, order].T))
        net.bias_ih_l0.copy_(_t(b[order]))
        net.bias_hh_l0.zero_()
    xt, h0t, doutt = _t(x, True), _t(h0[None], True), _t(dout)
    weights = [net.weight_ih_l0, net.weight_hh_l0, net.bias_ih_l0]

    def torch_step():
        if cell == "lstm":
            out, _ = net(xt, (h0t, torch.zeros_like(h0t)))
        else:
            out, _ = net(xt, h0t)
        return out, torch.autograd.grad(out, [xt, h0t, *weights], doutt)

    h, (dx, dh0, dWx, dWh, db) = numpy_step()
    out, (tdx, tdh0, tWx, tWh, tb) = torch_step()
    diff = max(
        rel_diff(h, out.detach().numpy()),
        rel_diff(dx, tdx.numpy()),
        rel_diff(dh0, tdh0.numpy()[0]),
        rel_diff(dWx[:, order], tWx.numpy().T),
        rel_diff(dWh[:, order], tWh.numpy().T),
        rel_diff(db[order], tb.numpy()),
    )
    t = bl.side_by_side({"numpy": numpy_step, "torch": torch_step}, rounds)
    results.append(
        (
            label,
            np.dtype(dtype).name,
            bl.ms(t["numpy"]),
            bl.ms(t["torch"]),
            bl.median_ratio(t, "numpy", "torch"),
            f"N={N} T={T} D={D} H={H}; max rel. diff {diff:.0e}",
        )
    )
    print(f"  {label} {np.dtype(dtype).name}: {results[-1][4]:.2f}x", flush=True)


# ------------------------------------------------------------------------------ attention
def bench_attention(dtype, rounds, results):
    rng = np.random.default_rng(1)
    N, T, E, heads = MHA_SHAPE
    params = {k: v.astype(dtype) for k, v in init_attention(E, rng).items()}
    for k in ("bq", "bk", "bv", "bo"):
        params[k] = (0.1 * rng.standard_normal(E)).astype(dtype)
    x = rng.standard_normal((N, T, E)).astype(dtype)
    dout = rng.standard_normal((N, T, E)).astype(dtype)
    mask = causal_mask(T)

    def numpy_step():
        out, cache = multihead_self_attention_forward(x, params, heads, mask)
        return out, multihead_self_attention_backward(dout, cache)

    label = "multi-head self-attention fwd+bwd"
    name = np.dtype(dtype).name
    if torch is None:
        t = bl.side_by_side({"numpy": numpy_step}, rounds)
        results.append((label, name, bl.ms(t["numpy"]), float("nan"), float("nan"), ""))
        return
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    net = torch.nn.MultiheadAttention(E, heads, batch_first=True).to(tdtype)
    with torch.no_grad():
        net.in_proj_weight.copy_(_t(np.concatenate([params[k].T for k in ("Wq", "Wk", "Wv")])))
        net.in_proj_bias.copy_(_t(np.concatenate([params[k] for k in ("bq", "bk", "bv")])))
        net.out_proj.weight.copy_(_t(params["Wo"].T))
        net.out_proj.bias.copy_(_t(params["bo"]))
    xt, doutt = _t(x, True), _t(dout)
    tmask = _t(~mask)  # torch: True where attention is NOT allowed
    weights = [net.in_proj_weight, net.in_proj_bias, net.out_proj.weight, net.out_proj.bias]

    def torch_step():
        out, _ = net(xt, xt, xt, attn_mask=tmask, need_weights=False)
        return out, torch.autograd.grad(out, [xt, *weights], doutt)

    out, (dx, dp) = numpy_step()
    tout, (tdx, tWin, tbin, tWo, tbo) = torch_step()
    dWin = np.concatenate([dp[k].T for k in ("Wq", "Wk", "Wv")])
    diff = max(
        rel_diff(out, tout.detach().numpy()),
        rel_diff(dx, tdx.numpy()),
        rel_diff(dWin, tWin.numpy()),
        rel_diff(np.concatenate([dp[k] for k in ("bq", "bk", "bv")]), tbin.numpy()),
        rel_diff(dp["Wo"].T, tWo.numpy()),
        rel_diff(dp["bo"], tbo.numpy()),
    )
    t = bl.side_by_side({"numpy": numpy_step, "torch": torch_step}, rounds)
    results.append(
        (
            label,
            name,
            bl.ms(t["numpy"]),
            bl.ms(t["torch"]),
            bl.median_ratio(t, "numpy", "torch"),
            f"N={N} T={T} E={E} heads={heads}, causal; max rel. diff {diff:.0e}",
        )
    )
    print(f"  {label} {name}: {results[-1][4]:.2f}x", flush=True)


# ------------------------------------------------------------------------------ ViT step
def _torch_vit(model, dtype):
    """The torch twin of a VisionTransformer, with its weights."""
    p, E = model.params, model.params["cls"].shape[0]

    class Twin(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.patch = torch.nn.Linear(p["W_patch"].shape[0], E)
            self.cls = torch.nn.Parameter(_t(p["cls"]).clone())
            self.pos = torch.nn.Parameter(_t(p["pos_embed"]).clone())
            self.blocks = torch.nn.ModuleList(
                torch.nn.TransformerEncoderLayer(
                    E,
                    model.num_heads,
                    dim_feedforward=p["enc0_mlp_W1"].shape[1],
                    dropout=0.0,
                    activation="relu",
                    layer_norm_eps=1e-5,
                    batch_first=True,
                    norm_first=True,
                )
                for _ in range(model.num_layers)
            )
            self.norm = torch.nn.LayerNorm(E, eps=1e-5)
            self.head = torch.nn.Linear(E, p["W_head"].shape[1])

        def forward(self, X):
            N, C, H, W = X.shape
            s = model.patch_size
            x = X.reshape(N, C, H // s, s, W // s, s).permute(0, 2, 4, 1, 3, 5)
            x = self.patch(x.reshape(N, (H // s) * (W // s), C * s * s))
            x = torch.cat([self.cls.expand(N, 1, E), x], dim=1) + self.pos
            for block in self.blocks:
                x = block(x)
            return self.head(self.norm(x[:, 0]))

    net = Twin().to(torch.float32 if dtype == np.float32 else torch.float64)
    with torch.no_grad():
        net.patch.weight.copy_(_t(p["W_patch"].T))
        net.patch.bias.copy_(_t(p["b_patch"]))
        for i, block in enumerate(net.blocks):
            q = {k[len(f"enc{i}_") :]: v for k, v in p.items() if k.startswith(f"enc{i}_")}
            block.self_attn.in_proj_weight.copy_(
                _t(np.concatenate([q[f"attn_{k}"].T for k in ("Wq", "Wk", "Wv")]))
            )
            block.self_attn.in_proj_bias.copy_(
                _t(np.concatenate([q[f"attn_{k}"] for k in ("bq", "bk", "bv")]))
            )
            block.self_attn.out_proj.weight.copy_(_t(q["attn_Wo"].T))
            block.self_attn.out_proj.bias.copy_(_t(q["attn_bo"]))
            block.linear1.weight.copy_(_t(q["mlp_W1"].T))
            block.linear1.bias.copy_(_t(q["mlp_b1"]))
            block.linear2.weight.copy_(_t(q["mlp_W2"].T))
            block.linear2.bias.copy_(_t(q["mlp_b2"]))
            for j, norm in ((1, block.norm1), (2, block.norm2)):
                norm.weight.copy_(_t(q[f"ln{j}_gamma"]))
                norm.bias.copy_(_t(q[f"ln{j}_beta"]))
        net.norm.weight.copy_(_t(p["ln_gamma"]))
        net.norm.bias.copy_(_t(p["ln_beta"]))
        net.head.weight.copy_(_t(p["W_head"].T))
        net.head.bias.copy_(_t(p["b_head"]))
    return net


def bench_vit_step(dtype, rounds, results):
    rng = np.random.default_rng(2)
    cfg = dict(VIT)
    batch = cfg.pop("batch")
    model = VisionTransformer(input_dim=(1, 28, 28), dtype=dtype, seed=0, **cfg)
    X = rng.standard_normal((batch, 1, 28, 28)).astype(dtype)
    y = rng.integers(0, 10, size=batch)
    configs = {k: {"learning_rate": 1e-3} for k in model.params}
    name = np.dtype(dtype).name
    label = "VisionTransformer training step (Adam)"
    if torch is None:
        t = bl.side_by_side(
            {"numpy": lambda: bl._adam_step_numpy(model, configs, X, y, optim.adam)}, rounds
        )
        results.append((label, name, bl.ms(t["numpy"]), float("nan"), float("nan"), ""))
        return
    net = _torch_vit(model, dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    Xt, yt = _t(X), torch.from_numpy(y)
    with torch.no_grad():
        t_loss = float(bl.TF.cross_entropy(net(Xt), yt))
    n_loss = float(model.loss(X, y)[0])

    def torch_step():
        opt.zero_grad()
        loss = bl.TF.cross_entropy(net(Xt), yt)
        loss.backward()
        opt.step()
        return loss

    fns = {
        "numpy": lambda: bl._adam_step_numpy(model, configs, X, y, optim.adam),
        "torch": torch_step,
    }
    t = bl.side_by_side(fns, rounds)
    results.append(
        (
            label,
            name,
            bl.ms(t["numpy"]),
            bl.ms(t["torch"]),
            bl.median_ratio(t, "numpy", "torch"),
            f"batch {batch}, E={cfg['embed_dim']}, {cfg['num_layers']} blocks, 17 tokens; "
            f"first loss numpy {n_loss:.6f} / torch {t_loss:.6f}",
        )
    )
    print(f"  {label} {name}: {results[-1][4]:.2f}x", flush=True)


def print_table(results):
    print(
        "\n| measure (numpy / torch, 1 thread) | dtype | numpy ms | torch ms | ratio | target | verdict | notes |"
    )
    print("|---|---|---:|---:|---:|---:|---|---|")
    for measure, dtype, tn, tt, ratio, notes in results:
        target = TARGETS.get((measure, dtype))
        tgt = "" if target is None else f"<= {target}"
        verdict = (
            "" if target is None or ratio != ratio else ("met" if ratio <= target else "MISSED")
        )
        print(
            f"| {measure} | {dtype} | {tn:.2f} | {tt:.2f} | {ratio:.2f} | {tgt} | {verdict} | {notes} |"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (default 9)")
    parser.add_argument("--clock", choices=sorted(bl.CLOCKS), default="cpu")
    parser.add_argument(
        "--only",
        choices=("rnn", "lstm", "attention", "vit"),
        action="append",
        help="run only these measures (repeatable)",
    )
    parser.add_argument("--dtype", choices=("float32", "float64"), action="append")
    args = parser.parse_args(argv)
    bl.CLOCK = bl.CLOCKS[args.clock]
    rounds = args.rounds or (3 if args.quick else 9)
    only = set(args.only or ("rnn", "lstm", "attention", "vit"))
    dtypes = [np.dtype(d).type for d in (args.dtype or ("float32", "float64"))]
    print("# cs231n sequence-layer benchmark")
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; python {platform.python_version()}, "
        f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}; "
        f"{os.cpu_count()} CPUs; {rounds} rounds; 1 thread; clock: {args.clock}; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}\n"
    )
    results = []
    for dtype in dtypes:
        if "rnn" in only:
            bench_recurrent("rnn", dtype, rounds, results)
        if "lstm" in only:
            bench_recurrent("lstm", dtype, rounds, results)
        if "attention" in only:
            bench_attention(dtype, rounds, results)
        if "vit" in only:
            bench_vit_step(dtype, rounds, results)
    print_table(results)


if __name__ == "__main__":
    main()

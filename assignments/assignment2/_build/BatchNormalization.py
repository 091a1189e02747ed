"""Build script of BatchNormalization.ipynb (see autograder/authoring/README.md)."""

from autograder.authoring.nbbuild import (
    code,
    imports_cell,
    md,
    question,
    setup_cell,
    solution_cell,
    test_cell,
)

INTRO = r"""
# Batch normalization and layer normalization

Deep networks are hard to train partly because the distribution of every layer's input
keeps changing as the layers below it learn, and because a poor initial scale compounds
over depth (you saw both in the previous notebooks). **Batch normalization** (Ioffe and
Szegedy, 2015) normalises each feature of a layer's input to zero mean and unit variance
over the minibatch, then lets the network rescale and shift it with learned parameters
$\gamma$ and $\beta$:

$$\mu_j = \frac1N \sum_i x_{ij}, \qquad \sigma_j^2 = \frac1N \sum_i (x_{ij} - \mu_j)^2, \qquad
\hat x_{ij} = \frac{x_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \epsilon}}, \qquad y_{ij} = \gamma_j \hat x_{ij} + \beta_j$$

At test time there may be a single example, so the layer uses **running averages** of the
mean and variance collected during training instead of batch statistics.

In this notebook you implement the forward pass, two backward passes (a step-by-step one
and a simplified one, and compare their speed) and **layer normalization**, then plug
them into the `FullyConnectedNet` you wrote in `FullyConnectedNets.ipynb` to see what
normalization does to training.
"""

DATA = r"""
DATASET = "default"  # the embedded Fashion-MNIST subset; "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
small_data = {"X_train": data["X_train"][:1000], "y_train": data["y_train"][:1000],
              "X_val": data["X_val"][:500], "y_val": data["y_val"][:500]}
print({k: v.shape for k, v in small_data.items()})
"""

FWD_MD = r"""
## 1. The forward pass

`batchnorm_forward(x, gamma, beta, bn_param)` with `x` of shape `(N, D)`:

* in **train** mode use the statistics of the batch (the *biased* variance, dividing by
  N, as `np.var` does), and update the running averages in `bn_param`:
  `running_mean = momentum * running_mean + (1 - momentum) * sample_mean` (and the same
  for the variance); the provided code starts them at zeros when they are missing and
  stores them back in `bn_param`;
* in **test** mode normalise with `running_mean` and `running_var`;
* cache what the backward pass needs.

After a train-mode pass each feature of the output should have mean $\beta_j$ and
standard deviation $\gamma_j$ (up to $\epsilon$).
"""

FWD_DEMO = r"""
rng = np.random.default_rng(0)
N, D1, D2, D3 = 200, 50, 60, 3
W1, W2 = rng.standard_normal((D1, D2)), rng.standard_normal((D2, D3))
a = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2  # activations of a small random net
print("before batchnorm: means", np.round(a.mean(axis=0), 2), " stds", np.round(a.std(axis=0), 2))
out, _ = batchnorm_forward(a, np.ones(D3), np.zeros(D3), {"mode": "train"})
print("gamma=1, beta=0:  means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2))
gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0])
out, _ = batchnorm_forward(a, gamma, beta, {"mode": "train"})
print("gamma, beta set:  means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2))

# Test mode after many training passes: the running averages approach the true statistics.
bn_param = {"mode": "train"}
for _ in range(50):
    batch = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
    batchnorm_forward(batch, gamma, beta, bn_param)
bn_param["mode"] = "test"
test_batch = np.maximum(0, rng.standard_normal((N, D1)) @ W1) @ W2
out, _ = batchnorm_forward(test_batch, gamma, beta, bn_param)
print("test mode:        means", np.round(out.mean(axis=0), 2), " stds", np.round(out.std(axis=0), 2), "(close to beta and gamma)")
"""

BWD_MD = r"""
## 2. The backward pass

Draw the computational graph of the forward pass (subtract the mean, square, average,
add $\epsilon$, square root, divide, scale, shift) and backpropagate through it one node
at a time. The trap: $x$ reaches the output through three paths, directly, through the
mean $\mu$ and through the variance $\sigma^2$, and each path contributes to `dx`.
`dgamma` and `dbeta` sum over the batch axis. The check compares all three gradients
with numerical ones (computed through your forward pass).
"""

ALT_MD = r"""
## 3. A simplified backward pass

Working the algebra out on paper collapses the graph into one expression. With
$d\hat x = \text{dout} \cdot \gamma$ and $\sigma = \sqrt{\sigma^2 + \epsilon}$:

$$dx = \frac{1}{N \sigma}\Big(N\, d\hat x - \sum_i d\hat x_i - \hat x \sum_i d\hat x_i \hat x_i\Big)$$

Derive it (inline question 1) and implement it in a few lines; then compare the speed of
the two versions.
"""

SPEED = r"""
rng = np.random.default_rng(1)
N, D = 2000, 500
x = 5 * rng.standard_normal((N, D)) + 10
gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
dout = rng.standard_normal((N, D))
_, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})


def best_time(f, repeats=10):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return min(times), result


t_graph, (dx1, dgamma1, dbeta1) = best_time(lambda: batchnorm_backward(dout, cache))
t_alt, (dx2, dgamma2, dbeta2) = best_time(lambda: batchnorm_backward_alt(dout, cache))
print(f"dx difference: {rel_error(dx1, dx2):.2e}, dgamma difference: {rel_error(dgamma1, dgamma2):.2e}")
print(f"graph version {1e3 * t_graph:.2f} ms, simplified version {1e3 * t_alt:.2f} ms, speed-up {t_graph / t_alt:.2f}x")
"""

LN_MD = r"""
## 4. Layer normalization

Batchnorm needs a batch: with tiny batches its statistics are noisy, and a recurrent
network would need separate statistics per time step. **Layer normalization** (Ba, Kiros
and Hinton, 2016) normalises each **sample** over its own features instead, so it behaves
the same for any batch size, in training and at test time (no running averages):

$$\mu_i = \frac1D \sum_j x_{ij}, \qquad \sigma_i^2 = \frac1D \sum_j (x_{ij} - \mu_i)^2, \qquad y_{ij} = \gamma_j \frac{x_{ij} - \mu_i}{\sqrt{\sigma_i^2 + \epsilon}} + \beta_j$$

`gamma` and `beta` are still per feature, shape `(D,)`. Only the axis of the statistics
changes, so your batchnorm code is a good starting point (transposing is one way; mind
which axis `gamma` and `beta` belong to). `ln_param` holds only `eps`.
"""

PLUGIN_MD = r"""
## 5. Normalization inside your network

Now we use the `FullyConnectedNet` **you** wrote in `FullyConnectedNets.ipynb`.
`import_notebook` runs that notebook's imports and solution cells (nothing else) into a
module, and `plug_in` makes every part of the package, and that module, use **your**
batchnorm and layernorm functions from this notebook. The printed line confirms what was
plugged in.

First a gradient check of the whole network with normalization: if your network's
`normalization` branches or your layers are wrong, this tells you before any training.
"""

PLUGIN = r"""
fcn = import_notebook("FullyConnectedNets.ipynb")
FullyConnectedNet = fcn.FullyConnectedNet
adam = fcn.adam  # your Adam, from the same notebook
plug_in(batchnorm_forward, batchnorm_backward, layernorm_forward, layernorm_backward)
check_fc_net_normalization(FullyConnectedNet, normalization="batchnorm")
check_fc_net_normalization(FullyConnectedNet, normalization="layernorm")
"""

DEEP_MD = r"""
### A deep network with and without batchnorm

Six layers, 1000 training images, Adam. With batchnorm the loss falls faster and the
training accuracy climbs faster.
"""

DEEP = r"""
deep = {}
for norm in (None, "batchnorm"):
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, normalization=norm, seed=0)
    solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                    batch_size=50, num_epochs=8, verbose=False, seed=0)
    solver.train()
    deep[norm or "no normalization"] = solver
    print(f"normalization={norm}: final training accuracy {solver.train_acc_history[-1]:.3f}, best validation accuracy {solver.best_val_acc:.3f}")
report_accuracy("6-layer net with batchnorm, training", deep["batchnorm"].train_acc_history[-1], {"default": 0.95, "cifar10": 0.60}, DATASET)
plot_history(deep, smooth=10)
"""

SCALE_MD = r"""
### Sensitivity to the initial weight scale

An 8-layer network trained for 4 epochs from 8 initial weight scales between 1e-3 and 1,
with and without batchnorm. Without it only a narrow band of scales trains at all; with
it the network trains over a much wider range of scales, because every hidden layer's
input is rescaled anyway (very large scales still hurt: see inline question 2).
"""

SCALE = r"""
weight_scales = np.logspace(-3, 0, 8)
results = {None: [], "batchnorm": []}
for norm in results:
    for ws in weight_scales:
        model = FullyConnectedNet([50] * 7, input_dim=input_dim, weight_scale=ws, normalization=norm, seed=0)
        solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                        batch_size=50, num_epochs=4, verbose=False, seed=0)
        with np.errstate(all="ignore"):  # the largest scales overflow without batchnorm
            solver.train()
        results[norm].append((solver.train_acc_history[-1], solver.best_val_acc))
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
for norm, accs in results.items():
    accs = np.array(accs)
    label = "batchnorm" if norm else "no normalization"
    axes[0].semilogx(weight_scales, accs[:, 0], "-o", label=label)
    axes[1].semilogx(weight_scales, accs[:, 1], "-o", label=label)
axes[0].set(title="final training accuracy", xlabel="weight scale")
axes[1].set(title="best validation accuracy", xlabel="weight scale")
for ax in axes:
    ax.axhline(0.1, color="gray", ls=":", lw=1)
    ax.legend()
    ax.grid(alpha=0.3)
plt.show()
"""

BATCH_MD = r"""
### Batch size, and layer norm

Batchnorm estimates the mean and variance from the batch, so the smaller the batch, the
noisier the estimate, and the larger the mismatch between training (batch statistics)
and test time (running averages). Layer norm does not depend on the batch at all. We
train the same 6-layer network with batches of 5, 10 and 50 for the same number of
epochs. Look at the training accuracies: with batches of 5 the batchnorm network does
clearly worse than with 50, although it makes ten times as many updates. Layer norm has
no batch statistics, so the batch size only changes its number of updates.
"""

BATCH = r"""
batch_runs = {}
for norm, batch_size in [("batchnorm", 5), ("batchnorm", 10), ("batchnorm", 50), ("layernorm", 5), (None, 5)]:
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, normalization=norm, seed=0)
    solver = Solver(model, small_data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                    batch_size=batch_size, num_epochs=4, verbose=False, seed=0)
    solver.train()
    name = f"{norm or 'no normalization'}, batch {batch_size}"
    batch_runs[name] = solver
    print(f"{name:>25}: training accuracy {solver.train_acc_history[-1]:.3f}, validation accuracy {solver.best_val_acc:.3f}")
fig, ax = plt.subplots(figsize=(7, 4))
for name, solver in batch_runs.items():
    ax.plot(solver.val_acc_history, "-o", ms=3, label=name)
ax.set(title="validation accuracy", xlabel="epoch")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
unplug()
"""

Q1 = (
    "Derive the simplified batchnorm gradient of section 3 from the graph version: write "
    "dx as the sum of the three paths (direct, through the mean, through the variance) and "
    "simplify. Which sum vanishes, and why?"
)
A1 = (
    "With s = sqrt(var + eps): direct path dxhat / s; variance path dvar * 2 (x - mu) / N "
    "with dvar = -0.5 * sum(dxhat * (x - mu)) / s^3; mean path dmu / N with dmu = "
    "-sum(dxhat) / s + dvar * (-2/N) sum(x - mu). The last term vanishes because "
    "sum(x - mu) = 0. Substituting x_hat = (x - mu) / s gives dx = (N dxhat - sum(dxhat) - "
    "x_hat * sum(dxhat * x_hat)) / (N s)."
)
Q2 = (
    "In the weight-scale experiment, why does batchnorm make the network almost "
    "insensitive to the initial scale? Is there a scale at which batchnorm does not help?"
)
A2 = (
    "Batchnorm divides each hidden pre-activation by its batch standard deviation, so "
    "multiplying a layer's weights by any constant leaves its output unchanged: vanishing "
    "or exploding scales cannot compound over depth. Only the last (un-normalised) affine "
    "layer keeps the scale, and extremely large scales can still overflow in float32 or give "
    "huge initial losses; tiny scales slow down the first layer's gradient steps."
)
Q3 = (
    "Why does batchnorm get worse with very small batches, while layer norm does not? "
    "Describe a situation where layer norm would also be a poor choice."
)
A3 = (
    "With a batch of 5 the mean and variance of each feature are estimated from 5 numbers, "
    "so they are noisy: the training signal is perturbed, and the running averages used at "
    "test time differ from the batch statistics seen in training. Layer norm's statistics "
    "come from the D features of one sample and do not depend on the batch. It is a poor "
    "choice when the features of one sample have very different scales or meanings (e.g. "
    "few, heterogeneous features), since normalising across them mixes unrelated units."
)
Q4 = (
    "Batchnorm makes the output for one example depend on the other examples of its "
    "batch. Give one consequence for training and one for how you must run the network at "
    "test time."
)
A4 = (
    "Training: the noise from the other examples acts as a regularizer (a bit like "
    "dropout), and shuffling and batch composition matter. Test time: the model must be "
    "switched to test mode (running averages) so that a prediction does not depend on what "
    "else is in the batch, and the running averages must have been estimated on data like "
    "the test data."
)


def cells():
    return [
        md(INTRO),
        setup_cell(),
        imports_cell(
            extra=(
                "import time\n\n"
                "from cs231n.checks.assignment2 import check_fc_net_normalization\n"
                "from cs231n.course.notebook_import import import_notebook\n"
                "from cs231n.solver import Solver\n"
                "from cs231n.course.testing import rel_error\n"
                "from cs231n.vis_utils import plot_history"
            )
        ),
        md(
            "## Data\n\nThe embedded Fashion-MNIST subset by default "
            '(`DATASET = "cifar10"` once downloaded), scaled to unit variance; the experiments '
            "use 1000 training and 500 validation images so that each run takes a second or two."
        ),
        code(DATA),
        md(FWD_MD),
        solution_cell("a2_batchnorm_forward"),
        test_cell("a2_batchnorm_forward", "check_batchnorm_forward(batchnorm_forward)"),
        code(FWD_DEMO, skip_grading=True),
        md(BWD_MD),
        solution_cell("a2_batchnorm_backward"),
        test_cell("a2_batchnorm_backward", "check_batchnorm_backward(batchnorm_forward, batchnorm_backward)"),
        md(ALT_MD),
        solution_cell("a2_batchnorm_backward_alt"),
        test_cell(
            "a2_batchnorm_backward_alt",
            "check_batchnorm_backward_alt(batchnorm_forward, batchnorm_backward_alt)",
        ),
        code(SPEED, skip_grading=True),
        md(LN_MD),
        solution_cell("a2_layernorm_forward"),
        test_cell("a2_layernorm_forward", "check_layernorm_forward(layernorm_forward)"),
        solution_cell("a2_layernorm_backward"),
        test_cell("a2_layernorm_backward", "check_layernorm_backward(layernorm_forward, layernorm_backward)"),
        md(PLUGIN_MD),
        code(PLUGIN, skip_grading=True),
        md(DEEP_MD),
        code(DEEP, skip_grading=True),
        md(SCALE_MD),
        code(SCALE, skip_grading=True),
        md(BATCH_MD),
        code(BATCH, skip_grading=True),
        md("## Inline questions"),
        *question(1, Q1, A1),
        *question(2, Q2, A2),
        *question(3, Q3, A3),
        *question(4, Q4, A4),
    ]

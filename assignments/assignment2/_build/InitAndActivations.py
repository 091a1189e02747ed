"""Build script of InitAndActivations.ipynb (see autograder/authoring/README.md)."""

from autograder.authoring.nbbuild import code, imports_cell, md, question, setup_cell, solution_cell, test_cell

INTRO = r"""
# Initialisation and activation functions

A deep network is a long product: every layer multiplies its input by a weight matrix
and squashes the result with a nonlinearity. Whether a signal survives ten such layers,
or dies out or explodes, depends on two choices you make before training even starts:

* the **activation function** (sigmoid, tanh, ReLU, leaky ReLU, ELU, SiLU), and
* the **scale of the initial weights** (a small constant, Xavier, He).

In this notebook you

1. implement five activation layers (forward and backward);
2. implement Xavier and He initialisation;
3. push a batch of real images through a 10-layer network and *look* at the activations
   of every layer as histograms, to see saturation (sigmoid, tanh) and dead units (ReLU)
   appear and disappear with the initialisation.

Nothing here is trained: the statistics of a freshly initialised network already tell
most of the story. Every experiment uses plain numpy loops built from *your* functions.
"""

DATA = r"""
# The embedded Fashion-MNIST subset (1x28x28 greyscale) works offline.
# With CIFAR-10 downloaded (python -m cs231n.data fetch cifar10) set DATASET = "cifar10".
DATASET = "default"
data = load_dataset(DATASET, num_training=1000, num_validation=100, num_test=100, seed=0)
X = data["X_train"][:500].reshape(500, -1).astype(np.float64)
X = X / X.std()  # zero mean (load_dataset subtracts the mean image) and unit variance
print(DATASET, "batch for the experiments:", X.shape)
"""

ACT_MD = r"""
## 1. Activation functions

Each activation is an elementwise layer with the usual pair of functions:
`<name>_forward(x) -> (out, cache)` and `<name>_backward(dout, cache) -> dx`, where
`dx = dout * f'(x)`. Keep in the cache whatever makes the backward pass cheap: for
sigmoid and tanh the derivative is easiest to write in terms of the **output**.

| activation | $f(x)$ | $f'(x)$ |
|---|---|---|
| leaky ReLU | $x$ if $x>0$, else $a x$ (`negative_slope` $a$ = 0.01) | $1$ or $a$ |
| sigmoid | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)(1-\sigma(x))$ |
| tanh | $\tanh x$ | $1-\tanh^2 x$ |
| ELU | $x$ if $x>0$, else $\alpha(e^x-1)$ | $1$ or $\alpha e^x$ |
| SiLU (swish) | $x\,\sigma(x)$ | $\sigma(x) + x\,\sigma(x)(1-\sigma(x))$ |

For sigmoid, `np.exp(-x)` overflows for large negative `x`: compute it in a way that
never exponentiates a large positive number (the check tries `x = -1000`). ReLU itself
(`relu_forward`, `relu_backward`) comes from assignment 1 and is provided.

Each check compares your forward pass with stored values and your backward pass with a
numerical gradient, so it does not need the solution.
"""

PLOT_ACTS = r"""
# Your activations and their derivatives, side by side.
z = np.linspace(-5, 5, 401)
layers = {
    "ReLU": (relu_forward, relu_backward),
    "leaky ReLU (0.1)": (lambda x: leaky_relu_forward(x, 0.1), leaky_relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "ELU": (elu_forward, elu_backward),
    "SiLU": (silu_forward, silu_backward),
}
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 3.8))
for name, (fwd, bwd) in layers.items():
    out, cache = fwd(z)
    ax_f.plot(z, out, label=name)
    ax_d.plot(z, bwd(np.ones_like(z), cache), label=name)
ax_f.set(title="f(x)", xlabel="x", ylim=(-2, 5))
ax_d.set(title="f'(x)", xlabel="x", ylim=(-0.2, 1.3))
ax_f.legend(fontsize=8)
ax_f.grid(alpha=0.3)
ax_d.grid(alpha=0.3)
plt.show()
"""

INIT_MD = r"""
## 2. Initialisation

Consider one affine layer $y = x W$ with $D$ = `fan_in` inputs, independent zero-mean
inputs and weights. Each output is a sum of `fan_in` products, so

$$\mathrm{Var}(y) = \text{fan\_in}\cdot \mathrm{Var}(W)\cdot \mathrm{Var}(x).$$

To keep the variance of the signal the same from layer to layer we need
$\mathrm{Var}(W) = 1/\text{fan\_in}$. Two refinements are in use:

* **Xavier/Glorot** (for tanh- and sigmoid-like units) balances the forward and the
  backward pass: $\mathrm{std}(W) = \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}$.
* **He/Kaiming** (for ReLU) notes that ReLU zeroes half of its inputs, which halves the
  variance, and compensates with a factor 2: $\mathrm{std}(W) = \sqrt{2 / \text{fan\_in}}$.

`fans(shape)` (provided) gives `(fan_in, fan_out)`: for an affine weight `(D, M)` it is
`(D, M)`; for a conv filter bank `(F, C, HH, WW)` it is `(C*HH*WW, F*HH*WW)`. The provided
lines compute the fans and turn `rng` (an int seed, a Generator or None) into a
Generator; draw `rng.standard_normal(shape)`, scale it, and return it as `dtype`. The CS231n-style baseline, a fixed small standard
deviation, is provided as `small_random_init(shape, scale=1e-2)`.
"""

EXPERIMENT_MD = r"""
## 3. Activations across depth

Now the experiment. We push the same batch of 500 images through a 10-layer fully
connected network (width 256, no biases, no training) and record the activations of
every layer. `forward_stats` is an ordinary numpy loop over your activation and
initialisation functions:

* **small random** init (std 0.01) shrinks the signal by a factor of about
  $0.01\sqrt{256} = 0.16$ per layer: after a few layers everything is ~0, and so are the
  gradients (they are multiplied by the same small weights on the way back);
* **Xavier** keeps tanh's activations spread out; with ReLU the variance still halves at
  every layer;
* **He** keeps ReLU-family activations at a constant scale;
* **large random** init (std 1) is the opposite mistake: pre-activations of size
  $\sqrt{256} = 16$ push every sigmoid and tanh unit into its flat tails, and ReLU
  activations grow by a factor of about 11 per layer.

Two failure modes are worth measuring:

* **saturation**: a sigmoid or tanh unit whose output is within 1% of its asymptote has
  a derivative close to 0, so it stops learning;
* **dead units**: a ReLU unit that is 0 for *every* example of the batch passes no
  gradient at all.
"""

EXPERIMENT = r"""
ACTIVATIONS = {
    "sigmoid": sigmoid_forward,
    "tanh": tanh_forward,
    "ReLU": relu_forward,
    "leaky ReLU": leaky_relu_forward,
    "ELU": elu_forward,
    "SiLU": silu_forward,
}
INITS = {
    "small random (0.01)": lambda shape, rng: small_random_init(shape, scale=1e-2, rng=rng),
    "Xavier": xavier_init,
    "He": he_init,
    "large random (1.0)": lambda shape, rng: small_random_init(shape, scale=1.0, rng=rng),
}
DEPTH, WIDTH = 10, 256


def forward_stats(activation, init, X, depth=DEPTH, width=WIDTH, seed=0):
    # Hidden activations of every layer of a freshly initialised plain network.
    rng = np.random.default_rng(seed)
    h, outs = X, []
    for _ in range(depth):
        W = init((h.shape[1], width), rng=rng)
        h, _ = activation(h @ W)
        outs.append(h)
    return outs


def saturated(h, name):
    # Fraction of units within 1% of an asymptote (sigmoid: 0 or 1; tanh: -1 or 1).
    if name == "sigmoid":
        return float(np.mean((h < 0.01) | (h > 0.99)))
    if name == "tanh":
        return float(np.mean(np.abs(h) > 0.99))
    return float("nan")


def dead(h):
    # Fraction of units that are exactly 0 for every example of the batch.
    return float(np.mean(np.all(h == 0, axis=0)))


stats = {
    (a_name, i_name): forward_stats(act, init, X)
    for a_name, act in ACTIVATIONS.items()
    for i_name, init in INITS.items()
}

fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), sharey=True)
for ax, i_name in zip(axes, INITS):
    for a_name in ACTIVATIONS:
        ax.semilogy(range(1, DEPTH + 1), [h.std() + 1e-30 for h in stats[a_name, i_name]], "-o", ms=3, label=a_name)
    ax.set(title=f"init: {i_name}", xlabel="layer")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("std of the activations")
axes[-1].legend(fontsize=8)
plt.show()
"""

HIST_MD = r"""
The standard deviation is a one-number summary; the histograms show the whole
distribution. Every panel of a figure uses the x-axis of layer 1, so shrinking and
saturation are visible at a glance. Compare tanh with a small init (everything collapses
to a spike at 0), tanh with Xavier (spread out), tanh with a large init (two spikes at -1
and +1: saturated), and ReLU with Xavier vs He (the spike at 0 is the half of the units
that ReLU switches off; with Xavier the rest shrinks layer by layer).
"""

HISTS = r"""
shown = [1, 4, 7, 10]  # layers to show
pairs = [
    ("tanh", "small random (0.01)"),
    ("tanh", "Xavier"),
    ("tanh", "large random (1.0)"),
    ("ReLU", "Xavier"),
    ("ReLU", "He"),
]
for a_name, i_name in pairs:
    outs = stats[a_name, i_name]
    fig = activation_histograms({f"layer {k}": outs[k - 1] for k in shown}, bins=40)
    fig.suptitle(f"{a_name}, {i_name} init (same x-axis in every panel)", fontsize=10)
    lo, hi = outs[0].min(), outs[0].max()
    for ax in fig.axes:
        ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
    display(fig)
"""

WIDGET_MD = r"""
### Try it yourself

Pick an activation and a weight scale (the standard deviation of the weights, on a log
scale; the marks show where Xavier and He put it for this width) and watch the signal
grow, shrink or saturate through the 10 layers. If the sliders do not show, the figures
above are the static version of the same experiment.
"""

WIDGET = r"""
def explore(activation="tanh", log10_std=-1.2):
    std = 10.0**log10_std
    outs = forward_stats(ACTIVATIONS[activation], lambda shape, rng: small_random_init(shape, scale=std, rng=rng), X)
    fig, (ax_std, ax_hist) = plt.subplots(1, 2, figsize=(11, 3.2))
    ax_std.semilogy(range(1, DEPTH + 1), [h.std() + 1e-30 for h in outs], "-o")
    ax_std.set(title=f"{activation}, weight std {std:.3g}", xlabel="layer", ylabel="std of the activations")
    ax_hist.hist(outs[-1].ravel(), bins=50)
    ax_hist.set(title="layer 10 activations")
    plt.show()


print(f"for width {WIDTH}: Xavier std = {np.sqrt(2 / (2 * WIDTH)):.4f} (log10 {np.log10(np.sqrt(1 / WIDTH)):.2f}), "
      f"He std = {np.sqrt(2 / WIDTH):.4f} (log10 {np.log10(np.sqrt(2 / WIDTH)):.2f})")
try:
    import ipywidgets as widgets

    widgets.interact(
        explore,
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="tanh", description="activation"),
        log10_std=widgets.FloatSlider(value=-1.2, min=-3.0, max=0.5, step=0.1, description="log10 std", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing one setting only.")
    explore()
"""

TABLE = r"""
# Saturation (sigmoid, tanh) and dead units (ReLU family) in the LAST layer.
print(f"{'activation':<12}{'init':<22}{'std':>10}{'saturated':>11}{'dead units':>12}")
for (a_name, i_name), outs in stats.items():
    h = outs[-1]
    sat = saturated(h, a_name)
    sat = "-" if np.isnan(sat) else f"{sat:.1%}"
    print(f"{a_name:<12}{i_name:<22}{h.std():>10.3g}{sat:>11}{dead(h):>12.1%}")
"""

BIAS_MD = r"""
### Dead units need a push

The table shows that some ReLU units of the last layer are already dead at
initialisation: deep in the network the inputs of a layer are strongly correlated, so a
unit can be negative for every example. During training units die in the same way, typically
after a large update pushes a unit's bias or weights so that its pre-activation is
negative for every input. We can imitate that by shifting the
pre-activations down by a constant (think of a bias of -1 times the unit's scale) and
counting the units that never fire, for ReLU and for its relatives that keep a gradient
for negative inputs.
"""

BIAS = r"""
def dead_fraction(activation, shift, seed=0):
    rng = np.random.default_rng(seed)
    h = X
    fractions = []
    for _ in range(DEPTH):
        W = he_init((h.shape[1], WIDTH), rng=rng)
        a = h @ W
        a = a - shift * a.std()
        h, cache = activation(a)
        # a unit is "dead" if no example sends any gradient through it
        grad = activation_backward[activation](np.ones_like(h), cache)
        fractions.append(float(np.mean(np.all(grad == 0, axis=0))))
    return fractions


activation_backward = {relu_forward: relu_backward, leaky_relu_forward: leaky_relu_backward, elu_forward: elu_backward}
shifts = [0.0, 1.0, 2.0, 3.0]
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, act in [("ReLU", relu_forward), ("leaky ReLU", leaky_relu_forward), ("ELU", elu_forward)]:
    ax.plot(shifts, [dead_fraction(act, s)[-1] for s in shifts], "-o", label=name)
ax.set(xlabel="downward shift of the pre-activations (in stds)", ylabel="dead units, last layer", title="Dead units (no gradient for any example)")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
"""

Q1 = (
    "Sigmoid activations in the last layer are far from zero-mean even with Xavier "
    "initialisation. Why is that a problem for the *next* layer's weight gradients, and "
    "which of the six activations avoid it?"
)
A1 = (
    "A sigmoid output is always positive (around 0.5), so every input of the next layer is "
    "positive. The gradient of a weight row is dout times the input, so all weights of one "
    "unit get gradients of the same sign and can only move together (zig-zag updates). "
    "Zero-centred activations (tanh, and approximately ELU, SiLU and leaky ReLU near 0) "
    "avoid most of it; ReLU is not zero-centred either."
)
Q2 = (
    "He initialisation has a factor 2 that Xavier (for fan_in = fan_out) does not. Explain "
    "where it comes from, and predict what happens to the std of ReLU activations per layer "
    "with Xavier init in this 10-layer network. Does the plot agree?"
)
A2 = (
    "ReLU zeroes the negative half of a zero-mean symmetric input, so the second moment of "
    "its output is half the variance of its input. With Var(W) = 1/fan_in the signal's "
    "second moment halves at every layer (std shrinks by 1/sqrt(2) per layer, about "
    "0.7**10 = 0.03 after 10 layers, apart from the first layer whose fan_in differs); He's factor 2 undoes exactly that, keeping the "
    "scale constant. The plot shows a straight line down on the log scale for ReLU + "
    "Xavier and a flat line for ReLU + He."
)
Q3 = (
    "Leaky ReLU, ELU and SiLU all pass some gradient for negative inputs. Name one reason "
    "to still prefer plain ReLU, and one situation where a leaky variant is worth it."
)
A3 = (
    "ReLU is the cheapest, exactly sparse, and works well with He init and batchnorm, which "
    "keep units from dying in practice. A leaky variant (or ELU/SiLU) helps when many units "
    "die: large learning rates, strong negative biases, no normalisation, or very deep "
    "plain networks; ELU and SiLU also have roughly zero-mean outputs."
)


def cells():
    return [
        md(INTRO),
        setup_cell(),
        imports_cell(
            extra=(
                "from IPython.display import display\n\n"
                "from cs231n.initializers import fans, small_random_init\n"
                "from cs231n.layers import relu_backward, relu_forward\n"
                "from cs231n.vis_utils import activation_histograms"
            )
        ),
        code(DATA),
        md(ACT_MD),
        md("### Leaky ReLU\n\nThe slope for negative inputs is the argument `negative_slope` (default 0.01)."),
        solution_cell("a2_leaky_relu"),
        test_cell("a2_leaky_relu", "check_leaky_relu(leaky_relu_forward, leaky_relu_backward)"),
        md("### Sigmoid"),
        solution_cell("a2_sigmoid"),
        test_cell("a2_sigmoid", "check_sigmoid(sigmoid_forward, sigmoid_backward)"),
        md("### Tanh\n\n`np.tanh` is fine for the forward pass."),
        solution_cell("a2_tanh"),
        test_cell("a2_tanh", "check_tanh(tanh_forward, tanh_backward)"),
        md("### ELU\n\nThe check also tries `alpha=1.5`, so do not hard-code `alpha = 1`."),
        solution_cell("a2_elu"),
        test_cell("a2_elu", "check_elu(elu_forward, elu_backward)"),
        md("### SiLU\n\nSiLU (also called swish) is a product, so its derivative needs the product rule."),
        solution_cell("a2_silu"),
        test_cell("a2_silu", "check_silu(silu_forward, silu_backward)"),
        md("A picture of what you just wrote: the functions on the left, their derivatives (your backward passes with `dout = 1`) on the right. Note where each derivative is close to 0."),
        code(PLOT_ACTS, skip_grading=True),
        md(INIT_MD),
        solution_cell("a2_xavier_init"),
        test_cell("a2_xavier_init", "check_xavier_init(xavier_init)"),
        solution_cell("a2_he_init"),
        test_cell("a2_he_init", "check_he_init(he_init)"),
        md(EXPERIMENT_MD),
        code(EXPERIMENT, skip_grading=True),
        md(HIST_MD),
        code(HISTS, skip_grading=True),
        md(WIDGET_MD),
        code(WIDGET, skip_grading=True),
        code(TABLE, skip_grading=True),
        md(BIAS_MD),
        code(BIAS, skip_grading=True),
        md("## Inline questions"),
        *question(1, Q1, A1),
        *question(2, Q2, A2),
        *question(3, Q3, A3),
    ]

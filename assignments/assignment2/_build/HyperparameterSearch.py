"""Build script of HyperparameterSearch.ipynb (see autograder/authoring/README.md)."""

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
# Learning-rate schedules and hyperparameter search

A network has two kinds of numbers: the **parameters** the optimizer learns, and the
**hyperparameters** you choose (learning rate and its schedule, regularization, width,
...). This notebook is about choosing the second kind well and cheaply:

1. **schedules**: step decay, cosine decay and linear warm-up, as pure functions
   `lr = schedule(epoch)` that the `Solver` calls before every update;
2. **sampling on a log scale**, for hyperparameters whose useful values span decades;
3. **random search** vs grid search, and **coarse-to-fine** refinement.

The model is the reference `TwoLayerNet` from assignment 1 and the `Solver`; only the
schedules and the search code are yours, so this notebook grades only them.
"""

DATA_MD = r"""
## Data

The embedded Fashion-MNIST subset by default (set `DATASET = "cifar10"` once
downloaded), scaled to unit variance. Searches use 2000 training and 500 validation
images and 3 epochs per trial, so that one trial takes a fraction of a second; the final
model uses everything.

**Target.** The final model should reach a validation accuracy of at least **83%** on the
default dataset (**45%** on CIFAR-10).
"""

DATA = r"""
DATASET = "default"  # or "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
search_data = {
    "X_train": data["X_train"][:2000],
    "y_train": data["y_train"][:2000],
    "X_val": data["X_val"][:500],
    "y_val": data["y_val"][:500],
}
print({k: v.shape for k, v in search_data.items()})
"""

SCHED_MD = r"""
## 1. Learning-rate schedules

A large learning rate makes fast progress early but cannot settle into a narrow minimum;
a small one settles but crawls. Schedules start large and end small. Each schedule here
is a pure function of the (possibly fractional) **epoch**:

* **step decay**: multiply by `gamma` every `step_size` epochs,
  $\text{lr} = \text{base\_lr} \cdot \gamma^{\lfloor \text{epoch} / \text{step\_size} \rfloor}$;
* **cosine decay**: half a cosine from `base_lr` down to `min_lr` at `total_epochs`,
  then flat: $\text{lr} = \text{min\_lr} + (\text{base\_lr} - \text{min\_lr}) \cdot \tfrac12 (1 + \cos(\pi e / T))$
  with $e = \min(\text{epoch}, T)$;
* **linear warm-up**: ramp from 0 to `base_lr` over `warmup_epochs`
  ($\text{lr} = \text{base\_lr} \cdot \text{epoch} / \text{warmup\_epochs}$), then hand
  over to another schedule `after`, which is called with the epochs elapsed **since the
  warm-up ended**: `after(epoch - warmup_epochs)`. Without `after` the rate stays at
  `base_lr`. Warm-up avoids the large, badly aimed first steps of adaptive optimizers
  and of large batches.
"""

SCHED_PLOT_MD = r"""
Here are your three schedules, and a warm-up followed by a cosine decay, over 20 epochs.
`functools.partial` fixes every argument but the epoch, which is the form the `Solver`
expects for `lr_schedule`.
"""

SCHED_PLOT = r"""
epochs = np.linspace(0, 20, 401)
schedules = {
    "step decay (step 5, gamma 0.5)": partial(step_decay, base_lr=0.1, step_size=5, gamma=0.5),
    "cosine (to 0.005 at 20)": partial(cosine_decay, base_lr=0.1, total_epochs=20, min_lr=0.005),
    "warm-up (3) only": partial(linear_warmup, base_lr=0.1, warmup_epochs=3),
    "warm-up (3) + cosine": partial(
        linear_warmup, base_lr=0.1, warmup_epochs=3,
        after=partial(cosine_decay, base_lr=0.1, total_epochs=17, min_lr=0.005),
    ),
}
fig, ax = plt.subplots(figsize=(8, 3.8))
for name, schedule in schedules.items():
    ax.plot(epochs, [schedule(e) for e in epochs], label=name)
ax.set(xlabel="epoch", ylabel="learning rate", title="Your learning-rate schedules")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
"""

SCHED_RUN_MD = r"""
### Schedules in a training run

The schedules only matter through training, so here is one short run of the reference
`TwoLayerNet` (5 epochs on the 2000 search images, SGD with momentum) per schedule. Move
the sliders to try a schedule, a base learning rate and a warm-up length; if the sliders
do not show (some viewers do not render widgets), the static figure after them compares
the four schedules at a base learning rate of 0.1.
"""

SCHED_RUN = r"""
# Your SGD with momentum, from FullyConnectedNets.ipynb (this release's package stubs it).
sgd_momentum = import_notebook("FullyConnectedNets.ipynb").sgd_momentum


def run_with_schedule(name="cosine", log10_lr=-1.0, warmup_epochs=0.0, num_epochs=5):
    lr = 10.0**log10_lr
    rest = num_epochs - warmup_epochs  # epochs after the warm-up
    schedules = {
        "constant": lambda e: lr,
        "step": partial(step_decay, base_lr=lr, step_size=max(rest / 3, 1e-9), gamma=0.3),
        "cosine": partial(cosine_decay, base_lr=lr, total_epochs=max(rest, 1e-9)),
    }
    schedule = partial(linear_warmup, base_lr=lr, warmup_epochs=warmup_epochs, after=schedules[name])
    model = TwoLayerNet(input_dim=input_dim, hidden_dim=64, weight_scale=1e-2, dtype=np.float32, seed=0)
    solver = Solver(model, search_data, update_rule=sgd_momentum, optim_config={"learning_rate": lr},
                    lr_schedule=schedule, batch_size=100, num_epochs=num_epochs, verbose=False, seed=0)
    with np.errstate(all="ignore"):
        solver.train()
    return solver


def show_schedule_run(name="cosine", log10_lr=-1.0, warmup_epochs=0.0):
    solver = run_with_schedule(name, log10_lr, warmup_epochs)
    fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(11, 3.2))
    ax_lr.plot(solver.lr_history)
    ax_lr.set(title="learning rate", xlabel="iteration")
    ax_loss.plot(solver.loss_history)
    ax_loss.set(title=f"loss; best validation accuracy {solver.best_val_acc:.3f}", xlabel="iteration", ylim=(0, 3))
    plt.show()


try:
    import ipywidgets as widgets

    widgets.interact(
        show_schedule_run,
        name=widgets.Dropdown(options=["constant", "step", "cosine"], value="cosine", description="schedule"),
        log10_lr=widgets.FloatSlider(value=-1.0, min=-3.0, max=0.0, step=0.25, description="log10 lr", continuous_update=False),
        warmup_epochs=widgets.FloatSlider(value=0.0, min=0.0, max=3.0, step=0.5, description="warm-up", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing one setting only.")
    show_schedule_run()
"""

SCHED_STATIC = r"""
# The static version: four schedules, same base learning rate 0.1, same seeds.
runs = {
    "constant": run_with_schedule("constant"),
    "step": run_with_schedule("step"),
    "cosine": run_with_schedule("cosine"),
    "warm-up 1 + cosine": run_with_schedule("cosine", warmup_epochs=1.0),
}
fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(12, 3.6))
for name, solver in runs.items():
    ax_lr.plot(solver.lr_history, label=name)
    loss = np.asarray(solver.loss_history)
    ax_loss.plot(np.arange(4, len(loss)), np.convolve(loss, np.ones(5) / 5, mode="valid"),
                 label=f"{name} (val {solver.best_val_acc:.3f})")
ax_lr.set(title="learning rate", xlabel="iteration")
ax_loss.set(title="training loss (moving average of 5)", xlabel="iteration")
ax_lr.legend()
ax_loss.legend()
plt.show()
"""

LOG_MD = r"""
## 2. Sampling on a log scale

Learning rates of 1e-4, 1e-3 and 1e-2 behave very differently, but 0.051 and 0.052 do
not: what matters is the **order of magnitude**. Sampling uniformly between 1e-5 and 1e-1
would put 90% of the samples above 1e-2. Instead sample the exponent uniformly:
$10^{u}$ with $u \sim \mathcal U(\log_{10}\text{low}, \log_{10}\text{high})$, so that every
decade gets the same share. Use `rng = np.random.default_rng(rng)` as the random source
(the line is already there) and `rng.uniform(..., size=size)`.
"""

LOG_PLOT = r"""
rng = np.random.default_rng(0)
samples_log = log_uniform(1e-5, 1e-1, size=2000, rng=rng)
samples_lin = rng.uniform(1e-5, 1e-1, size=2000)
bins = np.logspace(-5, -1, 33)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.hist(samples_lin, bins=bins, alpha=0.6, label="uniform in [1e-5, 1e-1]")
ax.hist(samples_log, bins=bins, alpha=0.6, label="log_uniform(1e-5, 1e-1)")
ax.set_xscale("log")
ax.set(xlabel="value (log scale)", ylabel="count", title="2000 samples")
ax.legend()
plt.show()
"""

SEARCH_MD = r"""
## 3. Random search

A *search space* says how to draw each hyperparameter:

| spec | draws |
|---|---|
| `("log", low, high)` | `log_uniform(low, high, rng=rng)` |
| `("uniform", low, high)` | `rng.uniform(low, high)` |
| `("choice", [a, b, ...])` | one of the values, with `rng.integers` |
| a callable `f(rng)` | `f(rng)` |

`random_search(train_fn, space, num_trials, seed)` draws every hyperparameter of every
trial from its spec (with **one** generator `rng = np.random.default_rng(seed)`, so a
search is reproducible), trains with `run_trial(train_fn, params)` (provided: it calls
`train_fn(**params)` and returns one row holding the hyperparameters and the metrics),
and collects the rows in a `SearchResults` table (provided), which prints sorted by
validation accuracy.
"""

TRAIN_FN_MD = r"""
### One trial

`train_fn` trains the reference `TwoLayerNet` (hidden width 64) with SGD + momentum and
**your cosine schedule** (passed to the `Solver` as `lr_schedule`) for 3 epochs, and
returns the best validation accuracy together with the last training accuracy.
"""

TRAIN_FN = r"""
SEARCH_EPOCHS = 3


def train_fn(learning_rate, reg, hidden_dim=64, num_epochs=SEARCH_EPOCHS, train_data=search_data):
    model = TwoLayerNet(input_dim=input_dim, hidden_dim=hidden_dim, weight_scale=1e-2, reg=reg,
                        dtype=np.float32, seed=0)
    schedule = partial(cosine_decay, base_lr=learning_rate, total_epochs=num_epochs)
    solver = Solver(model, train_data, update_rule=sgd_momentum,
                    optim_config={"learning_rate": learning_rate}, lr_schedule=schedule,
                    batch_size=100, num_epochs=num_epochs, verbose=False, seed=0)
    solver.train()
    return {"val_acc": solver.best_val_acc, "train_acc": solver.train_acc_history[-1]}


print(train_fn(learning_rate=1e-2, reg=1e-4))
"""

GRID_MD = r"""
### Grid vs random

Both searches below get the same budget of 9 trials over about the same ranges. The grid tries
only **3 distinct learning rates**; random search tries 9. When one hyperparameter
matters much more than the other (here the learning rate matters far more than the
regularization for a 3-epoch run), random search explores the important one three times
more densely (Bergstra and Bengio, 2012).
"""

GRID = r"""
grid = {"learning_rate": [1e-3, 1e-2, 1e-1], "reg": [1e-5, 1e-3, 1e-1]}
grid_results = grid_search(train_fn, grid)
space = {"learning_rate": ("log", 1e-3, 0.3), "reg": ("log", 1e-5, 1e-1)}
random_results = random_search(train_fn, space, num_trials=9, seed=0)
random_results
"""

GRID_PLOT = r"""
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for ax, (name, results) in zip(axes, {"grid search": grid_results, "random search": random_results}.items()):
    lr = np.array([r["learning_rate"] for r in results])
    reg = np.array([r["reg"] for r in results])
    acc = np.array([r["val_acc"] for r in results])
    points = ax.scatter(lr, reg, c=acc, s=120, cmap="viridis", vmin=0.1, vmax=0.8)
    ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="reg",
           title=f"{name}\nbest val acc {acc.max():.3f}, {len(set(lr.tolist()))} distinct learning rates")
    ax.set_xlim(5e-4, 0.5)
fig.colorbar(points, ax=axes, label="validation accuracy")
plt.show()
"""

REFINE_MD = r"""
### Coarse to fine

Search wide first, then narrow the ranges around the best trials and search again.
`refine(results, space=space)` (provided) returns a new space whose ranges cover the top 3
trials (and at least half the old width, in log units for `"log"` specs).
"""

REFINE = r"""
coarse = random_search(train_fn, space, num_trials=12, seed=1)
fine_space = refine(coarse, space=space, top_k=3)
print("fine space:", {k: (v[0], f"{v[1]:.3g}", f"{v[2]:.3g}") for k, v in fine_space.items()})
fine = random_search(train_fn, fine_space, num_trials=8, seed=2)
fig, ax = plt.subplots(figsize=(7, 4))
for name, results, marker in (("coarse", coarse, "o"), ("fine", fine, "^")):
    ax.scatter([r["learning_rate"] for r in results], [r["val_acc"] for r in results], marker=marker, s=60, label=name)
ax.set(xscale="log", xlabel="learning rate", ylabel="validation accuracy", title="Coarse-to-fine random search")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
fine
"""

FINAL_MD = r"""
## 4. The final model

Train the best configuration on the whole training set for longer, with a warm-up of
one epoch followed by a cosine decay (your schedules again), and a wider hidden layer.
A learning rate that wins a 3-epoch race is usually too large for a longer run (see
inline question 3), so we start from a third of it.
Target: validation accuracy **>= 83%** (default), **>= 45%** (CIFAR-10).
"""

FINAL = r"""
best = SearchResults(list(coarse) + list(fine)).best
print("best trial:", best)
FINAL_EPOCHS = 8
lr = best["learning_rate"] / 3
schedule = partial(linear_warmup, base_lr=lr, warmup_epochs=1,
                   after=partial(cosine_decay, base_lr=lr, total_epochs=FINAL_EPOCHS - 1))
model = TwoLayerNet(input_dim=input_dim, hidden_dim=200, weight_scale=1e-2, reg=best["reg"], dtype=np.float32, seed=0)
solver = Solver(model, data, update_rule=sgd_momentum, optim_config={"learning_rate": lr},
                lr_schedule=schedule, batch_size=100, num_epochs=FINAL_EPOCHS, verbose=False, seed=0)
solver.train()
report_accuracy("TwoLayerNet after the search, validation", solver.best_val_acc, {"default": 0.83, "cifar10": 0.45}, DATASET)
fig, (ax_lr, ax_acc) = plt.subplots(1, 2, figsize=(12, 3.8))
ax_lr.plot(solver.lr_history)
ax_lr.set(title="learning rate used at each iteration", xlabel="iteration")
ax_acc.plot(solver.train_acc_history, "-o", label="train")
ax_acc.plot(solver.val_acc_history, "-s", label="val")
ax_acc.set(title="accuracy", xlabel="epoch")
ax_acc.legend()
plt.show()
"""

Q1 = (
    "Why is the learning rate sampled on a log scale, but a dropout keep probability "
    "usually on a linear one?"
)
A1 = (
    "The effect of the learning rate (and of reg) is multiplicative: changing it by a "
    "factor of 10 matters about as much anywhere in its range, so every decade deserves "
    "the same number of samples. A keep probability lives in a bounded interval such as "
    "[0.5, 1] where equal differences have roughly equal effects, so uniform sampling fits."
)
Q2 = (
    "With a budget of 16 trials over two hyperparameters of which only one matters, how "
    "many distinct values of the important one does a 4x4 grid test, and how many does "
    "random search test? When would you still prefer a grid?"
)
A2 = (
    "The grid tests 4 values of the important hyperparameter (each 4 times, wasted on the "
    "unimportant one); random search tests 16 distinct values. A grid is still reasonable "
    "for one or two hyperparameters with a few discrete values (e.g. a choice of "
    "optimizer), or when results must be reported on a regular table."
)
Q3 = (
    "Coarse-to-fine narrowed the ranges around the best trials of a 3-epoch search. Name "
    "one way this can mislead you for the final, longer training run."
)
A3 = (
    "Short runs favour large learning rates and weak regularization (they learn fast "
    "early, but may not be best after many epochs, and overfitting has not happened yet), "
    "so the refined range can exclude the best setting for the long run; the best value "
    "can also sit at the edge of the coarse range, which refinement cannot leave."
)


def cells():
    return [
        md(INTRO),
        setup_cell(),
        imports_cell(
            extra=(
                "from functools import partial\n\n"
                "from cs231n.classifiers.fc_net import TwoLayerNet\n"
                "from cs231n.hyperparameter_search import grid_search, refine\n"
                "from cs231n.course.notebook_import import import_notebook\n"
                "from cs231n.solver import Solver"
            )
        ),
        md(DATA_MD),
        code(DATA),
        md(SCHED_MD),
        solution_cell("a2_step_decay"),
        test_cell("a2_step_decay", "check_step_decay(step_decay)"),
        solution_cell("a2_cosine_decay"),
        test_cell("a2_cosine_decay", "check_cosine_decay(cosine_decay)"),
        solution_cell("a2_linear_warmup"),
        test_cell("a2_linear_warmup", "check_linear_warmup(linear_warmup)"),
        md(SCHED_PLOT_MD),
        code(SCHED_PLOT, skip_grading=True),
        md(SCHED_RUN_MD),
        code(SCHED_RUN, skip_grading=True),
        code(SCHED_STATIC, skip_grading=True),
        md(LOG_MD),
        solution_cell("a2_log_uniform"),
        test_cell("a2_log_uniform", "check_log_uniform(log_uniform)"),
        code(LOG_PLOT, skip_grading=True),
        md(SEARCH_MD),
        solution_cell("a2_random_search"),
        test_cell("a2_random_search", "check_random_search(random_search)"),
        md(TRAIN_FN_MD),
        code(TRAIN_FN, skip_grading=True),
        md(GRID_MD),
        code(GRID, skip_grading=True),
        code(GRID_PLOT, skip_grading=True),
        md(REFINE_MD),
        code(REFINE, skip_grading=True),
        md(FINAL_MD),
        code(FINAL, skip_grading=True),
        md("## Inline questions"),
        *question(1, Q1, A1),
        *question(2, Q2, A2),
        *question(3, Q3, A3),
    ]

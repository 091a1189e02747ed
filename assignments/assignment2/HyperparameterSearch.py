# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Learning-rate schedules and hyperparameter search
#
# A network has two kinds of numbers: the **parameters** the optimizer learns, and the
# **hyperparameters** you choose (learning rate and its schedule, regularization, width,
# ...). This notebook is about choosing the second kind well and cheaply:
#
# 1. **schedules**: step decay, cosine decay and linear warm-up, as pure functions
#    `lr = schedule(epoch)` that the `Solver` calls before every update;
# 2. **sampling on a log scale**, for hyperparameters whose useful values span decades;
# 3. **random search** vs grid search, and **coarse-to-fine** refinement.
#
# The model is the reference `TwoLayerNet` from assignment 1 and the `Solver`; only the
# schedules and the search code are yours, so this notebook grades only them.

# %% role="setup"
# Setup. In Google Colab this installs the kit; on your own machine it does nothing.
import os
import sys

try:
    import google.colab  # noqa: F401

    IN_COLAB = True
except ImportError:
    IN_COLAB = False

if IN_COLAB:
    import glob
    import importlib
    import subprocess

    # The release zip holds a wheel, cs231n_kit-<version>-py3-none-any.whl. Upload it
    # (Files panel) next to this notebook, or keep it anywhere under /content.
    _wheels = sorted(
        glob.glob("cs231n_kit-*.whl")
        + glob.glob("/content/cs231n_kit-*.whl")
        + glob.glob("/content/*/cs231n_kit-*.whl")
        + glob.glob("/content/*/*/cs231n_kit-*.whl")
        + glob.glob("/content/drive/MyDrive/**/cs231n_kit-*.whl", recursive=True)
    )
    if not _wheels:
        raise FileNotFoundError(
            "Setup: no cs231n_kit-*.whl found in this folder or under /content. "
            "Fix: upload the .whl file from the assignment's release zip with the Files "
            "panel (left), then run this cell again."
        )
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", _wheels[-1]], check=True)
    importlib.invalidate_caches()
    os.environ.setdefault("CS231N_DATA_DIR", "/content/cs231n_data")
    print("cs231n installed from", _wheels[-1])

# %% role="imports"
# Imports (generated from the package by autograder.authoring.sync).
import matplotlib.pyplot as plt
import numpy as np

from cs231n import plug_in, unplug
from cs231n.checks import report_accuracy
from cs231n.data import load_dataset

# Names the code you write may use:
import math
from cs231n.hyperparameter_search import SearchResults, check_space, run_trial
from cs231n.validation import ConfigError, check_positive, fail

# Visible checks (they assert, and explain what went wrong):
from cs231n.checks import (
    check_step_decay,
    check_cosine_decay,
    check_linear_warmup,
    check_log_uniform,
    check_random_search,
)

# --- notebook imports ---
from functools import partial

from cs231n.classifiers.fc_net import TwoLayerNet
from cs231n.hyperparameter_search import grid_search, refine
from cs231n.course.notebook_import import import_notebook
from cs231n.solver import Solver

# %% [markdown]
# ## Data
#
# The embedded Fashion-MNIST subset by default (set `DATASET = "cifar10"` once
# downloaded), scaled to unit variance. Searches use 2000 training and 500 validation
# images and 3 epochs per trial, so that one trial takes a fraction of a second; the final
# model uses everything.
#
# **Target.** The final model should reach a validation accuracy of at least **83%** on the
# default dataset (**45%** on CIFAR-10).

# %%
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


# %% [markdown]
# ## 1. Learning-rate schedules
#
# A large learning rate makes fast progress early but cannot settle into a narrow minimum;
# a small one settles but crawls. Schedules start large and end small. Each schedule here
# is a pure function of the (possibly fractional) **epoch**:
#
# * **step decay**: multiply by `gamma` every `step_size` epochs,
#   $\text{lr} = \text{base\_lr} \cdot \gamma^{\lfloor \text{epoch} / \text{step\_size} \rfloor}$;
# * **cosine decay**: half a cosine from `base_lr` down to `min_lr` at `total_epochs`,
#   then flat: $\text{lr} = \text{min\_lr} + (\text{base\_lr} - \text{min\_lr}) \cdot \tfrac12 (1 + \cos(\pi e / T))$
#   with $e = \min(\text{epoch}, T)$;
# * **linear warm-up**: ramp from 0 to `base_lr` over `warmup_epochs`
#   ($\text{lr} = \text{base\_lr} \cdot \text{epoch} / \text{warmup\_epochs}$), then hand
#   over to another schedule `after`, which is called with the epochs elapsed **since the
#   warm-up ended**: `after(epoch - warmup_epochs)`. Without `after` the rate stays at
#   `base_lr`. Warm-up avoids the large, badly aimed first steps of adaptive optimizers
#   and of large batches.

# %% role="solution" task="a2_step_decay"
def step_decay(epoch, base_lr, step_size, gamma=0.1):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    ``lr = base_lr * gamma ** floor(epoch / step_size)``

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0, may be fractional).
    base_lr : float
        Learning rate at epoch 0.
    step_size : float
        Epochs between two drops (> 0).
    gamma : float
        Factor of each drop (default 0.1).

    Returns
    -------
    lr : float

    Examples
    --------
    >>> step_decay(0, 1.0, 2), step_decay(1.9, 1.0, 2), step_decay(2, 1.0, 2)
    (1.0, 1.0, 0.1)
    """
    check_positive(epoch, "step_decay: epoch", allow_zero=True)
    check_positive(step_size, "step_decay: step_size")
    # TODO(a2_step_decay): count the drops so far (floor of epoch / step_size) and scale base_lr.
    ### BEGIN SOLUTION
    lr = base_lr * gamma ** math.floor(epoch / step_size)
    ### END SOLUTION
    return float(lr)


# %% role="test" task="a2_step_decay"
check_step_decay(step_decay)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_step_decay", globals())
### END HIDDEN TESTS

# %% role="solution" task="a2_cosine_decay"
def cosine_decay(epoch, base_lr, total_epochs, min_lr=0.0):
    """Half a cosine from ``base_lr`` at epoch 0 down to ``min_lr`` at ``total_epochs``.

    ``lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * e / total_epochs)) / 2`` with
    ``e = min(epoch, total_epochs)``, so the rate stays at ``min_lr`` afterwards.

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0).
    base_lr : float
        Learning rate at epoch 0.
    total_epochs : float
        Length of the decay (> 0).
    min_lr : float
        Final learning rate (default 0).

    Returns
    -------
    lr : float
    """
    check_positive(epoch, "cosine_decay: epoch", allow_zero=True)
    check_positive(total_epochs, "cosine_decay: total_epochs")
    # TODO(a2_cosine_decay): clip epoch to total_epochs, then interpolate between base_lr and
    # min_lr with the factor (1 + cos(pi * epoch / total_epochs)) / 2.
    ### BEGIN SOLUTION
    progress = min(epoch, total_epochs) / total_epochs
    lr = min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
    ### END SOLUTION
    return float(lr)


# %% role="test" task="a2_cosine_decay"
check_cosine_decay(cosine_decay)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_cosine_decay", globals())
### END HIDDEN TESTS

# %% role="solution" task="a2_linear_warmup"
def linear_warmup(epoch, base_lr, warmup_epochs, after=None):
    """Ramp the learning rate linearly from 0 to ``base_lr`` over ``warmup_epochs``.

    ``lr = base_lr * epoch / warmup_epochs`` while ``epoch < warmup_epochs``.  After the
    warm-up the rate is ``base_lr``, or ``after(epoch - warmup_epochs)`` when a schedule
    ``after`` is given: ``after`` sees the epochs elapsed *since the warm-up ended*, so
    ``after(0)`` should be ``base_lr`` for a continuous rate.

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0).
    base_lr : float
        Learning rate reached at the end of the warm-up.
    warmup_epochs : float
        Length of the warm-up (>= 0; 0 means no warm-up).
    after : callable, optional
        Schedule ``f(epoch) -> lr`` used once the warm-up is over.

    Returns
    -------
    lr : float

    Examples
    --------
    >>> linear_warmup(0.5, 1.0, 2), linear_warmup(3, 1.0, 2)
    (0.25, 1.0)
    """
    check_positive(epoch, "linear_warmup: epoch", allow_zero=True)
    check_positive(warmup_epochs, "linear_warmup: warmup_epochs", allow_zero=True)
    if after is not None and not callable(after):
        fail(
            "linear_warmup: after",
            "a schedule f(epoch) -> lr, or None",
            type(after).__name__,
            "pass e.g. functools.partial(cosine_decay, base_lr=1e-3, total_epochs=9)",
            ConfigError,
        )
    # TODO(a2_linear_warmup): during the warm-up scale base_lr by epoch / warmup_epochs;
    # afterwards return base_lr, or after(epoch - warmup_epochs) when after is given.
    ### BEGIN SOLUTION
    if epoch < warmup_epochs:
        lr = base_lr * epoch / warmup_epochs
    elif after is not None:
        lr = after(epoch - warmup_epochs)
    else:
        lr = base_lr
    ### END SOLUTION
    return float(lr)


# %% role="test" task="a2_linear_warmup"
check_linear_warmup(linear_warmup)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_linear_warmup", globals())
### END HIDDEN TESTS

# %% [markdown]
# Here are your three schedules, and a warm-up followed by a cosine decay, over 20 epochs.
# `functools.partial` fixes every argument but the epoch, which is the form the `Solver`
# expects for `lr_schedule`.

# %% tags=["skip-grading"]
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

# %% [markdown]
# ### Schedules in a training run
#
# The schedules only matter through training, so here is one short run of the reference
# `TwoLayerNet` (5 epochs on the 2000 search images, SGD with momentum) per schedule. Move
# the sliders to try a schedule, a base learning rate and a warm-up length; if the sliders
# do not show (some viewers do not render widgets), the static figure after them compares
# the four schedules at a base learning rate of 0.1.

# %% tags=["skip-grading"]
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

# %% tags=["skip-grading"]
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


# %% [markdown]
# ## 2. Sampling on a log scale
#
# Learning rates of 1e-4, 1e-3 and 1e-2 behave very differently, but 0.051 and 0.052 do
# not: what matters is the **order of magnitude**. Sampling uniformly between 1e-5 and 1e-1
# would put 90% of the samples above 1e-2. Instead sample the exponent uniformly:
# $10^{u}$ with $u \sim \mathcal U(\log_{10}\text{low}, \log_{10}\text{high})$, so that every
# decade gets the same share. Use `rng = np.random.default_rng(rng)` as the random source
# (the line is already there) and `rng.uniform(..., size=size)`.

# %% role="solution" task="a2_log_uniform"
def log_uniform(low, high, size=None, rng=None):
    """Sample log-uniformly from ``[low, high]``: ``10 ** uniform(log10 low, log10 high)``.

    Each decade gets the same share of samples, which suits scale parameters such as
    learning rates and regularization strengths.

    Parameters
    ----------
    low, high : float
        Bounds, with ``0 < low <= high``.
    size : int or tuple of int, optional
        Output shape; None returns a single float.
    rng : numpy.random.Generator or int or None
        Random source.

    Returns
    -------
    sample : float or ndarray of shape ``size``
    """
    check_positive(low, "log_uniform: low")
    check_positive(high, "log_uniform: high")
    if high < low:
        fail(
            "log_uniform",
            "low <= high",
            f"low={low!r}, high={high!r}",
            "swap the bounds",
            ConfigError,
        )
    rng = np.random.default_rng(rng)
    # TODO(a2_log_uniform): draw the exponent uniformly between log10(low) and log10(high)
    # (rng.uniform with this size) and return 10 to that power.
    ### BEGIN SOLUTION
    exponent = rng.uniform(np.log10(low), np.log10(high), size=size)
    sample = 10.0**exponent
    ### END SOLUTION
    return float(sample) if size is None else sample


# %% role="test" task="a2_log_uniform"
check_log_uniform(log_uniform)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_log_uniform", globals())
### END HIDDEN TESTS

# %% tags=["skip-grading"]
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


# %% [markdown]
# ## 3. Random search
#
# A *search space* says how to draw each hyperparameter:
#
# | spec | draws |
# |---|---|
# | `("log", low, high)` | `log_uniform(low, high, rng=rng)` |
# | `("uniform", low, high)` | `rng.uniform(low, high)` |
# | `("choice", [a, b, ...])` | one of the values, with `rng.integers` |
# | a callable `f(rng)` | `f(rng)` |
#
# `random_search(train_fn, space, num_trials, seed)` draws every hyperparameter of every
# trial from its spec (with **one** generator `rng = np.random.default_rng(seed)`, so a
# search is reproducible), trains with `run_trial(train_fn, params)` (provided: it calls
# `train_fn(**params)` and returns one row holding the hyperparameters and the metrics),
# and collects the rows in a `SearchResults` table (provided), which prints sorted by
# validation accuracy.

# %% role="solution" task="a2_random_search"
def random_search(train_fn, space, num_trials, seed=0):
    """Random search: try ``num_trials`` independent draws from ``space``.

    Parameters
    ----------
    train_fn : callable
        ``train_fn(**params) -> float or dict with "val_acc"``.
    space : dict
        Name -> spec; see the module docstring.
    num_trials : int
        Number of configurations to try.
    seed : int or numpy.random.Generator
        Seeds the draws, so a search is reproducible.

    Returns
    -------
    results : SearchResults
        One row per trial, in the order tried.
    """
    check_space(space)
    check_positive(num_trials, "random_search: num_trials")
    rng = np.random.default_rng(seed)
    results = SearchResults()
    # TODO(a2_random_search): for each trial draw every hyperparameter from its spec
    # ("log" -> log_uniform(low, high, rng=rng), "uniform" -> rng.uniform(low, high),
    # "choice" -> one of the values via rng.integers, a callable -> spec(rng)), then append
    # run_trial(train_fn, params) to results.
    ### BEGIN SOLUTION
    for _ in range(int(num_trials)):
        params = {}
        for name, spec in space.items():
            if callable(spec):
                params[name] = spec(rng)
            elif spec[0] == "log":
                params[name] = log_uniform(spec[1], spec[2], rng=rng)
            elif spec[0] == "uniform":
                params[name] = float(rng.uniform(spec[1], spec[2]))
            else:
                values = spec[1]
                params[name] = values[int(rng.integers(len(values)))]
        results.append(run_trial(train_fn, params))
    ### END SOLUTION
    return results


# %% role="test" task="a2_random_search"
check_random_search(random_search)
### BEGIN HIDDEN TESTS
from autograder.hidden import grade_hidden

grade_hidden("a2_random_search", globals())
### END HIDDEN TESTS

# %% [markdown]
# ### One trial
#
# `train_fn` trains the reference `TwoLayerNet` (hidden width 64) with SGD + momentum and
# **your cosine schedule** (passed to the `Solver` as `lr_schedule`) for 3 epochs, and
# returns the best validation accuracy together with the last training accuracy.

# %% tags=["skip-grading"]
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

# %% [markdown]
# ### Grid vs random
#
# Both searches below get the same budget of 9 trials over about the same ranges. The grid tries
# only **3 distinct learning rates**; random search tries 9. When one hyperparameter
# matters much more than the other (here the learning rate matters far more than the
# regularization for a 3-epoch run), random search explores the important one three times
# more densely (Bergstra and Bengio, 2012).

# %% tags=["skip-grading"]
grid = {"learning_rate": [1e-3, 1e-2, 1e-1], "reg": [1e-5, 1e-3, 1e-1]}
grid_results = grid_search(train_fn, grid)
space = {"learning_rate": ("log", 1e-3, 0.3), "reg": ("log", 1e-5, 1e-1)}
random_results = random_search(train_fn, space, num_trials=9, seed=0)
random_results

# %% tags=["skip-grading"]
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

# %% [markdown]
# ### Coarse to fine
#
# Search wide first, then narrow the ranges around the best trials and search again.
# `refine(results, space=space)` (provided) returns a new space whose ranges cover the top 3
# trials (and at least half the old width, in log units for `"log"` specs).

# %% tags=["skip-grading"]
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

# %% [markdown]
# ## 4. The final model
#
# Train the best configuration on the whole training set for longer, with a warm-up of
# one epoch followed by a cosine decay (your schedules again), and a wider hidden layer.
# A learning rate that wins a 3-epoch race is usually too large for a longer run (see
# inline question 3), so we start from a third of it.
# Target: validation accuracy **>= 83%** (default), **>= 45%** (CIFAR-10).

# %% tags=["skip-grading"]
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

# %% [markdown]
# ## Inline questions

# %% [markdown]
# **Inline question 1.** Why is the learning rate sampled on a log scale, but a dropout keep probability usually on a linear one?

# %% [markdown] role="answer" n=1
# **Your answer:**
# ### BEGIN SOLUTION
# The effect of the learning rate (and of reg) is multiplicative: changing it by a factor of 10 matters about as much anywhere in its range, so every decade deserves the same number of samples. A keep probability lives in a bounded interval such as [0.5, 1] where equal differences have roughly equal effects, so uniform sampling fits.
# ### END SOLUTION

# %% [markdown]
# **Inline question 2.** With a budget of 16 trials over two hyperparameters of which only one matters, how many distinct values of the important one does a 4x4 grid test, and how many does random search test? When would you still prefer a grid?

# %% [markdown] role="answer" n=2
# **Your answer:**
# ### BEGIN SOLUTION
# The grid tests 4 values of the important hyperparameter (each 4 times, wasted on the unimportant one); random search tests 16 distinct values. A grid is still reasonable for one or two hyperparameters with a few discrete values (e.g. a choice of optimizer), or when results must be reported on a regular table.
# ### END SOLUTION

# %% [markdown]
# **Inline question 3.** Coarse-to-fine narrowed the ranges around the best trials of a 3-epoch search. Name one way this can mislead you for the final, longer training run.

# %% [markdown] role="answer" n=3
# **Your answer:**
# ### BEGIN SOLUTION
# Short runs favour large learning rates and weak regularization (they learn fast early, but may not be best after many epochs, and overfitting has not happened yet), so the refined range can exclude the best setting for the long run; the best value can also sit at the edge of the coarse range, which refinement cannot leave.
# ### END SOLUTION

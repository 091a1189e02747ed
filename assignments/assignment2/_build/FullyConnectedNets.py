"""Build script of FullyConnectedNets.ipynb (see autograder/authoring/README.md)."""

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
# Fully connected networks of any depth, and better optimizers

In assignment 1 you built a two-layer network from modular layers: every layer is a pair
`layer_forward(x, ...) -> (out, cache)` and `layer_backward(dout, cache) -> grads`, and a
model chains them. Here you generalise that to a network of **any depth**, then replace
plain SGD with the update rules that make deep networks train in practice: momentum,
Nesterov momentum, AdaGrad, RMSProp and Adam.

The layers (`affine_forward`, `relu_forward`, `softmax_loss`, ...) come from the reference
package, so a mistake in assignment 1 cannot cost you points here. `batchnorm_forward`
and `dropout_forward` appear in the model too: they are the subjects of the
BatchNormalization and Dropout notebooks, where you will use the model you write here.

Every `check_...` cell **asserts**: it prints one line when your code is right and
raises an error that names the wrong element, the expected value and, for common
mistakes, the likely cause when it is not.
"""

DATA_MD = r"""
## Data

`load_dataset()` returns the embedded Fashion-MNIST subset (10 000 training images of
1x28x28 clothes, 10 classes, the mean image already subtracted), which works offline.
If you have downloaded CIFAR-10 (`python -m cs231n.data fetch cifar10`), set
`DATASET = "cifar10"` to use it instead. We divide the pixels by their standard deviation
so that the inputs have unit variance, which makes the learning rates below transfer
between datasets.

**Targets.** The best model at the end of this notebook should reach a validation
accuracy of at least **84%** on the default dataset (**50%** on CIFAR-10).
"""

DATA = r"""
DATASET = "default"  # or "cifar10" once downloaded
data = load_dataset(DATASET, seed=0)
scale = data["X_train"].std()
for split in ("X_train", "X_val", "X_test"):
    data[split] = data[split] / scale
input_dim = int(np.prod(data["input_dim"]))
for key in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
    print(f"{key}: {data[key].shape}")
print("classes:", data["class_names"])
"""

FC_MD = r"""
## 1. A fully connected network of any depth

`FullyConnectedNet(hidden_dims, ...)` has `L = len(hidden_dims) + 1` layers:

$$\{\text{affine} - [\text{norm}] - \text{ReLU} - [\text{dropout}]\} \times (L-1) - \text{affine} - \text{softmax}$$

* Parameters live in `self.params` with keys `W1, b1, ..., WL, bL` (layers are numbered
  from 1); with normalization also `gamma1, beta1, ...` for every **hidden** layer.
  Weights come from `self.init_weight(shape, weight_scale)` (provided: `weight_scale`
  times a standard normal, or Xavier / He by name), biases start at zero.
* `loss(X)` (no labels) returns the scores `(N, C)`; `loss(X, y)` returns the loss and a
  dict of gradients with the same keys as `self.params`.
* Regularization is `0.5 * reg * sum(W**2)` summed over **every** weight matrix (never
  the biases), so its gradient is `reg * W`.
* Use the layer functions the imports cell provides (`affine_forward`, `relu_forward`,
  `batchnorm_forward`, `layernorm_forward`, `dropout_forward`, `softmax_loss` and their
  backward passes). Keep each layer's cache: the backward pass consumes them in reverse
  order.

The normalization and dropout branches are short; write them now (the check below only
tests the plain network), they are checked in the BatchNormalization and Dropout
notebooks.
"""

INIT_LOSS_MD = r"""
### Sanity checks

With small random weights the scores are all close to 0, so the softmax is close to
uniform and the initial loss should be close to $\log C = \log 10 \approx 2.303$.
Regularization makes it larger. A numerical gradient check of a small net (in float64,
where the centred difference is accurate) should give relative errors of 1e-6 or less.
"""

INIT_LOSS = r"""
rng = np.random.default_rng(0)
N, D, H1, H2, C = 2, 15, 20, 30, 10
X = rng.standard_normal((N, D))
y = rng.integers(C, size=N)
for reg in (0.0, 3.14):
    model = FullyConnectedNet([H1, H2], input_dim=D, num_classes=C, reg=reg, weight_scale=5e-2, dtype=np.float64, seed=0)
    loss, grads = model.loss(X, y)
    print(f"reg = {reg}: initial loss {loss:.4f}")
    for name in sorted(grads):
        f = lambda _: model.loss(X, y)[0]
        grad_num = eval_numerical_gradient(f, model.params[name], verbose=False, h=1e-5)
        print(f"    {name} relative error: {rel_error(grad_num, grads[name]):.2e}")
"""

OVERFIT_MD = r"""
### Overfitting 50 images

A model that can represent the data should be able to memorise a tiny training set. This
is the first thing to try with a new model: if it cannot reach 100% training accuracy on
50 images, something is broken (or the learning rate or initial scale is off). We use
the `Solver` from assignment 1 with plain SGD; `learning_rate` and `weight_scale` are
the knobs.
"""

OVERFIT = r"""
small_data = {
    "X_train": data["X_train"][:50],
    "y_train": data["y_train"][:50],
    "X_val": data["X_val"],
    "y_val": data["y_val"],
}
overfit = {}
for hidden_dims in ([100, 100], [100, 100, 100, 100]):
    learning_rate, weight_scale = 1e-1, 1e-1  # try other values!
    model = FullyConnectedNet(hidden_dims, input_dim=input_dim, weight_scale=weight_scale, seed=0)
    solver = Solver(model, small_data, update_rule="sgd", optim_config={"learning_rate": learning_rate},
                    batch_size=25, num_epochs=20, print_every=10, verbose=False, seed=0)
    solver.train()
    name = f"{len(hidden_dims) + 1} layers"
    overfit[name] = solver
    report_accuracy(f"overfit 50 images, {name}, training", solver.train_acc_history[-1], {"default": 0.96, "cifar10": 0.96}, DATASET)
plot_history(overfit)
"""

Q1 = (
    "Try a few values of `weight_scale` (e.g. 1e-2, 3e-2, 1e-1, 2e-1) for the 3-layer and the "
    "5-layer net above. Which network is more sensitive to the initialisation scale, and why?"
)
A1 = (
    "The 5-layer network. The scale of the signal is multiplied by roughly "
    "weight_scale * sqrt(fan_in) (halved by each ReLU) at every layer, so with more layers a "
    "too-small scale makes the scores and the gradients vanish (the loss stays at log C) and a "
    "too-large one makes them explode (NaN); the range of scales that trains is much narrower "
    "for the deeper net."
)

OPT_MD = r"""
## 2. Update rules

Plain SGD steps against the gradient, `w -= learning_rate * dw`. It is slow in ravines
(directions where the loss is steep across and shallow along) and treats every parameter
alike. Each rule below is a pure function

```python
next_w, config = rule(w, dw, config)
```

that returns a **new** array (never `w -= ...`: that would modify the caller's array) and
keeps its state (velocity, cache, moments, step count) in `config`, which the `Solver`
passes back in at the next step. When a state entry is missing from `config` it starts at
zero. The checks test one step from a mid-training state and two steps from the defaults.
"""

MOMENTUM_MD = r"""
### SGD with momentum

A ball rolling downhill: the velocity `v` accumulates past gradients, so consistent
directions speed up and oscillating ones cancel out.

$$v \leftarrow \mu v - \alpha\, dw, \qquad w \leftarrow w + v$$

with momentum $\mu$ (typically 0.9) and learning rate $\alpha$.
"""

NESTEROV_MD = r"""
### Nesterov momentum

Nesterov evaluates the gradient at the *look-ahead* point $w + \mu v$. With the change of
variables used by most libraries the update needs only the gradient at the current `w`:

$$v_\text{prev} = v, \qquad v \leftarrow \mu v - \alpha\, dw, \qquad w \leftarrow w - \mu v_\text{prev} + (1 + \mu) v$$
"""

ADAGRAD_MD = r"""
### AdaGrad

Per-parameter learning rates: parameters with large past gradients take smaller steps.

$$c \leftarrow c + dw^2, \qquad w \leftarrow w - \alpha\, \frac{dw}{\sqrt{c} + \epsilon}$$

(all operations elementwise).
"""

RMSPROP_MD = r"""
### RMSProp

AdaGrad's cache only grows, so its steps shrink forever. RMSProp uses a leaky average of
the squared gradients instead:

$$c \leftarrow \rho\, c + (1 - \rho)\, dw^2, \qquad w \leftarrow w - \alpha\, \frac{dw}{\sqrt{c} + \epsilon}$$

with `decay_rate` $\rho$ (typically 0.99).
"""

ADAM_MD = r"""
### Adam

Momentum (a leaky average $m$ of the gradients) plus RMSProp (a leaky average $v$ of their
squares), with a **bias correction**: both averages start at 0, so early on they are too
small by the factors $1 - \beta_1^t$ and $1 - \beta_2^t$. Increment the step count
**before** using it, so the first update uses $t = 1$:

$$t \leftarrow t + 1, \quad m \leftarrow \beta_1 m + (1 - \beta_1) dw, \quad v \leftarrow \beta_2 v + (1 - \beta_2) dw^2$$
$$\hat m = \frac{m}{1 - \beta_1^t}, \quad \hat v = \frac{v}{1 - \beta_2^t}, \quad w \leftarrow w - \alpha\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}$$
"""

COMPARE_MD = r"""
## 3. The same run with every rule

We train the same 6-layer network (five hidden layers of 100 units, same initial
weights, same minibatches: everything is seeded) on 4000 images for 5 epochs with each
rule, **your** implementations passed to the `Solver` as `update_rule`. The learning
rates are typical starting points for each rule, not tuned.
"""

COMPARE = r"""
mid_data = {
    "X_train": data["X_train"][:4000],
    "y_train": data["y_train"][:4000],
    "X_val": data["X_val"],
    "y_val": data["y_val"],
}
rules = {
    "sgd": (sgd, 1e-2),
    "sgd_momentum": (sgd_momentum, 1e-2),
    "nesterov": (nesterov, 1e-2),
    "adagrad": (adagrad, 1e-2),
    "rmsprop": (rmsprop, 1e-3),
    "adam": (adam, 1e-3),
}
solvers = {}
for name, (rule, learning_rate) in rules.items():
    model = FullyConnectedNet([100] * 5, input_dim=input_dim, weight_scale=5e-2, seed=0)
    solver = Solver(model, mid_data, update_rule=rule, optim_config={"learning_rate": learning_rate},
                    batch_size=100, num_epochs=5, verbose=False, seed=0)
    solver.train()
    solvers[name] = solver
    print(f"{name:>13}: train accuracy {solver.train_acc_history[-1]:.3f}, best validation accuracy {solver.best_val_acc:.3f}")
"""

COMPARE_PLOT = r"""
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4))
for name, solver in solvers.items():
    loss = np.asarray(solver.loss_history)
    smooth = np.convolve(loss, np.ones(10) / 10, mode="valid")
    ax_loss.plot(np.arange(9, len(loss)), smooth, label=name)
    ax_acc.plot(solver.val_acc_history, "-o", ms=3, label=name)
ax_loss.set(title="Training loss (moving average of 10)", xlabel="iteration", ylabel="loss")
ax_acc.set(title="Validation accuracy", xlabel="epoch", ylabel="accuracy")
ax_loss.legend()
ax_acc.legend()
plt.show()
"""

Q2 = (
    "AdaGrad divides by the square root of the sum of all past squared gradients. What "
    "happens to its effective learning rate during a long training run, and how do RMSProp "
    "and Adam avoid that?"
)
A2 = (
    "The cache only grows, so the effective step learning_rate / sqrt(cache) decreases "
    "monotonically and can become too small to make progress long before the model has "
    "converged. RMSProp and Adam replace the sum by an exponentially decaying average of "
    "the squared gradients, which tracks their recent size instead of growing without bound."
)

BEST_MD = r"""
## 4. Train a good model

Now train the best fully connected network you can. A reasonable start: two hidden layers
of 200 units, weights drawn with standard deviation 0.05 (`weight_scale=5e-2`, about
$\sqrt{2/784}$: the He scale you will meet in InitAndActivations), your Adam with learning rate
1e-3, a learning-rate decay of 0.9 per epoch, and the whole training set for 8 epochs
(a few seconds). Then experiment with the width, depth, learning rate and `reg`.
Targets: validation accuracy **>= 84%** (default dataset), **>= 50%** (CIFAR-10).
"""

BEST = r"""
best_model = FullyConnectedNet([200, 200], input_dim=input_dim, weight_scale=5e-2, reg=0.0, seed=0)
best_solver = Solver(best_model, data, update_rule=adam, optim_config={"learning_rate": 1e-3},
                     lr_decay=0.9, batch_size=100, num_epochs=8, verbose=False, seed=0)
best_solver.train()
report_accuracy("best FullyConnectedNet, validation", best_solver.best_val_acc, {"default": 0.84, "cifar10": 0.50}, DATASET)
plot_history(best_solver, smooth=20)
"""

TEST_MD = r"""
Only once you are done tuning: the test accuracy of the weights with the best validation
accuracy. The test set is used exactly once, to report a number, never to choose one.
"""

TEST = r"""
best_model.params = best_solver.best_params
test_acc = best_solver.check_accuracy(data["X_test"], data["y_test"])
val_acc = best_solver.check_accuracy(data["X_val"], data["y_val"])
print(f"validation accuracy {val_acc:.3f}, test accuracy {test_acc:.3f}")
"""


def cells():
    return [
        md(INTRO),
        setup_cell(),
        imports_cell(
            extra=(
                "from cs231n.gradient_check import eval_numerical_gradient\n"
                "from cs231n.optim import sgd\n"
                "from cs231n.solver import Solver\n"
                "from cs231n.course.testing import rel_error\n"
                "from cs231n.vis_utils import plot_history"
            )
        ),
        md(DATA_MD),
        code(DATA),
        md(FC_MD),
        solution_cell("a2_fc_net"),
        test_cell("a2_fc_net", "check_fc_net(FullyConnectedNet)"),
        md(INIT_LOSS_MD),
        code(INIT_LOSS, skip_grading=True),
        md(OVERFIT_MD),
        code(OVERFIT, skip_grading=True),
        *question(1, Q1, A1),
        md(OPT_MD),
        md(MOMENTUM_MD),
        solution_cell("a2_sgd_momentum"),
        test_cell("a2_sgd_momentum", "check_sgd_momentum(sgd_momentum)"),
        md(NESTEROV_MD),
        solution_cell("a2_nesterov"),
        test_cell("a2_nesterov", "check_nesterov(nesterov)"),
        md(ADAGRAD_MD),
        solution_cell("a2_adagrad"),
        test_cell("a2_adagrad", "check_adagrad(adagrad)"),
        md(RMSPROP_MD),
        solution_cell("a2_rmsprop"),
        test_cell("a2_rmsprop", "check_rmsprop(rmsprop)"),
        md(ADAM_MD),
        solution_cell("a2_adam"),
        test_cell("a2_adam", "check_adam(adam)"),
        md(COMPARE_MD),
        code(COMPARE, skip_grading=True),
        code(COMPARE_PLOT, skip_grading=True),
        *question(2, Q2, A2),
        md(BEST_MD),
        code(BEST, skip_grading=True),
        md(TEST_MD),
        code(TEST, skip_grading=True),
    ]

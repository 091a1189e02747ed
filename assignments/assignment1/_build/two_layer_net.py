"""Build script of assignment1/two_layer_net.ipynb (python -m autograder.authoring.nbbuild assignment1)."""

from autograder.authoring.nbbuild import (
    code,
    imports_cell,
    md,
    question,
    setup_cell,
    solution_cell,
    test_cell,
)

WIDGET_CELL = '''
# Interactive: a small net (50 hidden units, 2,000 images, 2 epochs) for each setting.
small = {k: data[k][:2000] if k.endswith("train") else data[k] for k in ("X_train", "y_train", "X_val", "y_val")}


def run_small(log10_lr=-3.0, log10_reg=-2.0):
    net = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=50, reg=10**log10_reg, seed=0, dtype=np.float32)
    s = Solver(net, small, optim_config={"learning_rate": 10**log10_lr}, num_epochs=2, batch_size=100, verbose=False, seed=0)
    with np.errstate(all="ignore"):
        s.train()
    return s


def show_run(log10_lr=-3.0, log10_reg=-2.0):
    try:
        s = run_small(log10_lr, log10_reg)
    except NotImplementedError as exc:  # the sliders need your TwoLayerNet first
        print(f"Not yet: {exc}")
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3))
    ax1.plot(s.loss_history)
    ax1.set_xlabel("iteration")
    ax1.set_ylabel("loss")
    ax2.plot(s.train_acc_history, "o-", label="train")
    ax2.plot(s.val_acc_history, "o-", label="val")
    ax2.set_xlabel("epoch")
    ax2.set_ylim(0, 1)
    ax2.legend()
    fig.suptitle(f"lr = 1e{log10_lr:.1f}, reg = 1e{log10_reg:.1f}: best val {s.best_val_acc:.3f}")
    plt.show()


try:
    import ipywidgets as widgets

    widgets.interact(
        show_run,
        log10_lr=widgets.FloatSlider(value=-3.0, min=-6.0, max=-1.0, step=0.5, description="log10 lr", continuous_update=False),
        log10_reg=widgets.FloatSlider(value=-2.0, min=-4.0, max=1.0, step=1.0, description="log10 reg", continuous_update=False),
    )
except ImportError:
    print("ipywidgets is not installed: showing the default setting only.")
    show_run()
'''

STATIC_CELL = """
# Static version of the same experiment: three learning rates, loss curves side by side.
plt.figure(figsize=(6, 3))
for log10_lr in (-5.0, -3.0, -2.0):
    s = run_small(log10_lr, -2.0)
    plt.plot(s.loss_history, label=f"lr 1e{log10_lr:.0f}: val {s.best_val_acc:.2f}")
plt.xlabel("iteration")
plt.ylabel("loss")
plt.yscale("log")
plt.legend()
plt.title("Too small, about right, too large")
plt.show()
"""


def cells():
    return [
        md(
            r"""
# A two-layer neural network, built from layers

So far each model had its own loss function with a hand-derived gradient. Networks are
built differently: from **layers**, each a pair of functions

```python
out, cache = layer_forward(x, params...)      # compute, and remember what backward needs
dx, dparams... = layer_backward(dout, cache)  # chain rule: upstream gradient in, gradients out
```

exactly like the gates of the backprop notebook. Stack them and backpropagation is just
calling the backward functions in reverse order. You will write the affine (fully
connected) layer, the ReLU, two loss layers, and then a two-layer network
`affine - ReLU - affine - softmax`, train it with the kit's `Solver`, tune it, and look at
its first-layer weights.
"""
        ),
        setup_cell(),
        imports_cell(
            extra=(
                "from cs231n.gradient_check import eval_numerical_gradient_array, rel_error\n"
                "from cs231n.solver import Solver"
            )
        ),
        md(
            r"""
## The data

Images stay images here, of shape `(N, C, H, W)`: the affine layer flattens them
itself. The training mean image is subtracted. We use 5,000 training images to keep the
runs short; set `DATASET = "cifar10"` for CIFAR-10 (3x32x32) if you have it.
"""
        ),
        code(
            """
DATASET = "default"  # or "cifar10" once it is downloaded
data = load_dataset(DATASET, num_training=5000, seed=0)
for k in ("X_train", "X_val", "X_test"):
    print(k, data[k].shape, data[k].dtype)
print("input_dim:", data["input_dim"])
"""
        ),
        md(
            r"""
## 1. The affine layer

An affine (fully connected) layer maps each sample to $M$ outputs: $\text{out} = xW + b$
with $W$ of shape `(D, M)`. A minibatch of images `x` of shape `(N, d_1, ..., d_k)` is
first flattened to `N` rows of $D = d_1 \cdots d_k$ numbers. Cache `(x, w, b)` for the
backward pass.
"""
        ),
        solution_cell("a1_affine_forward"),
        test_cell("a1_affine_forward", "check_affine_forward(affine_forward)"),
        md(
            r"""
**Backward.** With rows $X$ of shape `(N, D)` and upstream `dout` of shape `(N, M)`:

$$dX = \text{dout}\, W^\top \;(N, D), \qquad dW = X^\top \text{dout} \;(D, M), \qquad db = \textstyle\sum_i \text{dout}_i \;(M,).$$

A quick way to remember these: every gradient has the shape of the thing it is the
gradient of, and there is only one way to multiply the available matrices to get that
shape. `dx` must come back in the shape of the original `x`.
"""
        ),
        solution_cell("a1_affine_backward"),
        test_cell("a1_affine_backward", "check_affine_backward(affine_backward)"),
        md("The same comparison by hand, with a numeric gradient of your forward pass:"),
        code(
            """
rng = np.random.default_rng(0)
x, w, b = rng.normal(size=(10, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5)
dout = rng.normal(size=(10, 5))
_, cache = affine_forward(x, w, b)
dx, dw, db = affine_backward(dout, cache)
dx_num = eval_numerical_gradient_array(lambda x: affine_forward(x, w, b)[0], x, dout)
dw_num = eval_numerical_gradient_array(lambda w: affine_forward(x, w, b)[0], w, dout)
db_num = eval_numerical_gradient_array(lambda b: affine_forward(x, w, b)[0], b, dout)
print(f"relative errors: dx {rel_error(dx, dx_num):.1e}, dw {rel_error(dw, dw_num):.1e}, db {rel_error(db, db_num):.1e}")
"""
        ),
        md(
            r"""
## 2. ReLU

$\text{ReLU}(x) = \max(0, x)$ elementwise. Its local gradient is 1 where the input
was positive and 0 elsewhere (at exactly 0 we take 0), so backward lets `dout` through
only where `x > 0`. Cache the input.
"""
        ),
        solution_cell("a1_relu_forward"),
        test_cell("a1_relu_forward", "check_relu_forward(relu_forward)"),
        solution_cell("a1_relu_backward"),
        test_cell("a1_relu_backward", "check_relu_backward(relu_backward)"),
        *question(
            1,
            """
Besides ReLU, sigmoid and leaky ReLU are common activations. Which of them can make the
gradient flowing back through it (almost) zero, and for which inputs? Give a
one-dimensional example for each where this happens. Why is that a problem for training?
""",
            answer="""
Sigmoid: for large |x| (e.g. x = 10 or x = -10) sigma'(x) = sigma(1 - sigma) is about 0
(saturation). ReLU: for any x < 0 (e.g. x = -3) the gradient is exactly 0; a unit whose
input is always negative never updates again ("dead ReLU"). Leaky ReLU keeps a small slope
(0.01) for x < 0, so its gradient is never zero. Gradients of the earlier layers are
products of these local gradients, so zeros stop learning in everything before them.
""",
        ),
        md(
            r"""
## 3. Loss layers

A loss layer takes the scores `x` of shape `(N, C)` and the labels, and returns the loss
averaged over the N samples and its gradient with respect to the scores. These are the
SVM and softmax losses of the previous notebooks, without the weights: the gradients
flow on into the network through `dx`.
"""
        ),
        solution_cell("a1_svm_loss"),
        test_cell("a1_svm_loss", "check_svm_loss(svm_loss)"),
        solution_cell("a1_softmax_loss"),
        test_cell("a1_softmax_loss", "check_softmax_loss(softmax_loss)"),
        code(
            """
scores = 0.001 * np.random.default_rng(1).normal(size=(50, 10))
labels = np.random.default_rng(2).integers(0, 10, size=50)
print(f"svm loss of tiny scores     {svm_loss(scores, labels)[0]:.3f} (about C - 1 = 9)")
print(f"softmax loss of tiny scores {softmax_loss(scores, labels)[0]:.3f} (about log C = {np.log(10):.3f})")
"""
        ),
        md(
            r"""
## 4. Using your layers in the kit

The package has a *sandwich* layer `affine_relu_forward` / `affine_relu_backward`
(affine followed by ReLU), and the Solver and the models call the package's layers.
`plug_in` makes all of them use **your** functions instead, until `unplug()`:
"""
        ),
        code("plug_in(affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss)"),
        md(
            r"""
## 5. The two-layer network

`TwoLayerNet` is `affine - ReLU - affine - softmax`. Its constructor stores the
parameters in the dict `self.params` (weights drawn as
`weight_scale * rng.standard_normal(shape)`, biases zero). Its `loss(X, y=None)` returns
the scores when `y` is None, and otherwise the loss (with regularization
$\tfrac12\,\mathrm{reg}\,(\sum W_1^2 + \sum W_2^2)$, biases not regularized) and a dict of
gradients with the same keys as `params`. Use `affine_relu_forward` for the first layer
and your `affine_forward` for the second; then backpropagate in reverse order.
"""
        ),
        solution_cell("a1_two_layer_net"),
        test_cell("a1_two_layer_net", "check_two_layer_net(TwoLayerNet)"),
        md(
            r"""
## 6. Training with the Solver

`Solver` runs minibatch SGD on any model with `params` and `loss`, records the loss and
the train/validation accuracy per epoch, and keeps the best parameters. The progress
bar shows where it is.

**Targets** (best validation accuracy of this run, 5,000 training images): default
dataset 0.80; CIFAR-10 0.36.
"""
        ),
        code(
            """
model = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=100, weight_scale=1e-3, reg=0.0, seed=0, dtype=np.float32)
solver = Solver(model, data, optim_config={"learning_rate": 1e-3}, lr_decay=0.95,
                num_epochs=4, batch_size=100, print_every=100, verbose=True, seed=0)
solver.train()
report_accuracy("two-layer net, best validation", solver.best_val_acc, {"default": 0.80, "cifar10": 0.36}, data["name"])
"""
        ),
        code(
            """
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5))
ax1.plot(solver.loss_history, lw=0.8)
ax1.set_xlabel("iteration")
ax1.set_ylabel("training loss")
ax2.plot(solver.train_acc_history, "o-", label="train")
ax2.plot(solver.val_acc_history, "o-", label="validation")
ax2.set_xlabel("epoch")
ax2.set_ylabel("accuracy")
ax2.legend()
plt.show()
"""
        ),
        md(
            r"""
## 7. Learning rate and regularization, interactively

Move the sliders to train a small version of the net with other settings. If the
sliders do not appear, the static figure below shows three learning rates.
"""
        ),
        code(WIDGET_CELL, skip_grading=True),
        code(STATIC_CELL, skip_grading=True),
        md(
            r"""
## 8. Tuning

Try a few combinations of hidden size, learning rate and regularization, keep the model
with the best validation accuracy, and evaluate it once on the test set. The search
below is deliberately tiny; widen it (and train longer) to do better.

**Targets** for the test accuracy of the best model: default dataset 0.80; CIFAR-10
0.40 (CS231n reports above 0.48 with longer training on all 49,000 images).
"""
        ),
        code(
            """
runs = {}
for hidden_dim, lr, reg in [(100, 1e-3, 1e-3), (200, 2e-3, 1e-2)]:
    net = TwoLayerNet(input_dim=data["input_dim"], hidden_dim=hidden_dim, reg=reg, seed=0, dtype=np.float32)
    s = Solver(net, data, optim_config={"learning_rate": lr}, lr_decay=0.95, num_epochs=3,
               batch_size=100, verbose=False, seed=0)
    s.train()
    print(f"hidden {hidden_dim}, lr {lr:.0e}, reg {reg:.0e}: best val {s.best_val_acc:.3f}")
    runs[(hidden_dim, lr, reg)] = (s.best_val_acc, net)
best_val, best_model = max(runs.values(), key=lambda run: run[0])
test_acc = np.mean(np.argmax(best_model.loss(data["X_test"]), axis=1) == data["y_test"])
report_accuracy("two-layer net, test", test_acc, {"default": 0.80, "cifar10": 0.40}, data["name"])
""",
            skip_grading=True,
        ),
        md(
            r"""
## 9. First-layer weights

Each column of $W_1$ is a template over the input pixels, like the linear classifier's,
but there are 100 of them and the second layer combines them. Smooth, structured
templates are a sign of a well-trained net; noisy ones suggest too little training or a
learning rate that is too high.
"""
        ),
        code(
            """
W1 = model.params["W1"]
C_, H_, W_ = data["input_dim"]
n = 49
fig, axes = plt.subplots(7, 7, figsize=(6, 6))
for i, ax in enumerate(axes.ravel()):
    img = W1[:, i].reshape(C_, H_, W_).transpose(1, 2, 0)
    img = (img - img.min()) / (img.max() - img.min())
    ax.imshow(img.squeeze(), cmap="gray" if C_ == 1 else None)
    ax.axis("off")
plt.suptitle("First-layer weights (49 of 100 hidden units)")
plt.show()
unplug()  # back to the reference layers
"""
        ),
        *question(
            2,
            """
After training, the training accuracy is often much higher than the test accuracy.
Name three things you could do to reduce this gap, and say which way each one moves the
training accuracy.
""",
            answer="""
(1) More training data: the gap shrinks; training accuracy usually drops a little.
(2) Stronger regularization (larger reg, or dropout later): training accuracy drops, test
accuracy may rise. (3) A smaller model (fewer hidden units) or early stopping: training
accuracy drops. Adding hidden units usually increases the gap (more capacity to memorise).
""",
        ),
    ]

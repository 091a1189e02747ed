"""The Solver: trains a model with minibatch gradient descent and keeps the best weights.

A model is any object with

* ``model.params``: a dict name -> ndarray of the learnable parameters;
* ``model.loss(X, y=None)``: the scores (N, C) when ``y`` is None, else ``(loss, grads)``
  with ``grads`` keyed like ``params``.

Example::

    data = cs231n.data.load_dataset()          # X_train, y_train, X_val, y_val, ...
    model = TwoLayerNet(input_dim=784, hidden_dim=100)
    solver = Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-3},
                    num_epochs=5, batch_size=100, seed=0)
    solver.train()
    solver.best_val_acc, plot_history(solver)

Each epoch visits every training sample once, in a new random order drawn from
``seed`` (the last partial batch is dropped); with ``seed`` set, training is
reproducible whatever else uses numpy's random numbers.  Without ``seed`` the order
comes from numpy's global state, so ``np.random.seed(231)`` reproduces a run as in
CS231n.  Accuracy is checked after the first iteration, at the end of every epoch
and after the last iteration; at the end the parameters with the best validation
accuracy are put back into ``model.params`` (only ``params``: batchnorm running averages
keep their last values).

Differences from CS231n's Solver: minibatches are epoch permutations rather than draws
with replacement; ``update_rule`` and ``lr_schedule`` may be callables; checkpoints are
``.npz`` files instead of pickles; unknown options, missing data keys and mismatched
lengths fail in the constructor.

Checkpoints are ``.npz`` files (numpy arrays and a JSON string): loading them never
unpickles anything.
"""

from __future__ import annotations

import copy
import difflib
import json
import numbers

import numpy as np
from tqdm.auto import tqdm

from cs231n import optim
from cs231n.initializers import make_rng
from cs231n.validation import ConfigError, ShapeError, check_positive, describe, fail

__all__ = ["Solver"]

_REQUIRED = ("X_train", "y_train", "X_val", "y_val")
_OPTIONS = (
    "update_rule",
    "optim_config",
    "lr_decay",
    "lr_schedule",
    "batch_size",
    "num_epochs",
    "num_train_samples",
    "num_val_samples",
    "checkpoint_name",
    "print_every",
    "verbose",
    "seed",
)
# Hyperparameters people pass to the Solver instead of optim_config.
_OPTIM_KEYS = ("learning_rate", "momentum", "decay_rate", "beta1", "beta2", "epsilon")


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        fail(f"Solver: {name}", f"an integer >= {low}", repr(value), None, ConfigError)
    return int(value)


class Solver:
    """Train a classification model with a first-order update rule.

    Parameters
    ----------
    model : object
        Has ``params`` (dict of ndarrays) and ``loss(X, y=None)``.
    data : dict
        ``X_train, y_train, X_val, y_val`` (other keys, such as the test split of
        ``cs231n.data.load_dataset``, are ignored).  X arrays have N rows (any trailing
        shape), y arrays are integer labels of shape (N,).
    update_rule : str or callable
        A rule of :mod:`cs231n.optim` by name (``"sgd"``, ``"sgd_momentum"``,
        ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``), or any function
        ``rule(w, dw, config) -> (next_w, config)``.  The kit's rules are pure; a rule
        that updates ``w`` and ``config`` in place and returns them (CS231n's style,
        ``w -= lr * dw``) trains the same way.
    optim_config : dict, optional
        Hyperparameters for the rule (e.g. ``{"learning_rate": 1e-3}``).  Each
        parameter gets its own deep copy, which also holds its state.
    lr_decay : float
        Multiply every parameter's ``learning_rate`` by this at the end of each epoch.
    lr_schedule : callable, optional
        ``f(epoch) -> lr`` (see :mod:`cs231n.schedules`), called before every update
        with the fractional epoch ``iteration / iterations_per_epoch``; it sets the
        ``learning_rate`` of every parameter.  Cannot be combined with ``lr_decay``.
    batch_size : int
        Samples per update.
    num_epochs : int
        Passes over the training data.
    num_train_samples : int or None
        Training samples used to measure training accuracy (None: all).
    num_val_samples : int or None
        Validation samples used to measure validation accuracy (None: all).
    checkpoint_name : str, optional
        Save ``{checkpoint_name}_epoch_{e}.npz`` at the end of every epoch.
    print_every : int
        With ``verbose``, print the loss every this many iterations.
    verbose : bool
        Show a progress bar and print progress; False is silent.
    seed : int, optional
        Seeds the minibatch order and the accuracy subsamples with an independent,
        reproducible stream.  Without it they come from numpy's global state, so
        ``np.random.seed(231)`` before training reproduces a run.

    Attributes
    ----------
    loss_history : list of float
        Loss at every iteration.
    train_acc_history, val_acc_history : list of float
        Accuracies at every check.
    lr_history : list of float
        Learning rate of the first parameter at every iteration.
    best_val_acc : float
    best_params : dict
        Copies of the parameters with the best validation accuracy.
    epoch : int
        Epochs completed.
    """

    def __init__(
        self,
        model,
        data,
        update_rule="sgd",
        optim_config=None,
        lr_decay=1.0,
        lr_schedule=None,
        batch_size=100,
        num_epochs=10,
        num_train_samples=1000,
        num_val_samples=None,
        checkpoint_name=None,
        print_every=10,
        verbose=True,
        seed=None,
        **unknown,
    ):
        if unknown:
            self._reject(unknown)
        self._check_model(model)
        self._check_data(data)
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]

        if isinstance(update_rule, str):
            if update_rule not in optim.RULES:
                close = difflib.get_close_matches(update_rule, optim.RULES, n=1)
                fail(
                    "Solver: update_rule",
                    "one of " + ", ".join(optim.RULES) + ", or a callable rule(w, dw, config)",
                    repr(update_rule),
                    f"did you mean {close[0]!r}?" if close else None,
                    ConfigError,
                )
            self.update_rule = getattr(optim, update_rule)
        elif callable(update_rule):
            self.update_rule = update_rule
        else:
            fail(
                "Solver: update_rule",
                "a rule name or a callable",
                describe(update_rule),
                None,
                ConfigError,
            )
        self.update_rule_name = (
            update_rule
            if isinstance(update_rule, str)
            else getattr(update_rule, "__name__", "custom")
        )

        if optim_config is None:
            optim_config = {}
        if not isinstance(optim_config, dict):
            fail(
                "Solver: optim_config",
                "a dict of hyperparameters",
                describe(optim_config),
                None,
                ConfigError,
            )
        if isinstance(update_rule, str):
            # Fail now, not after an epoch, on a misspelt hyperparameter.
            probe = np.zeros(1)
            self.update_rule(probe, probe, copy.deepcopy(optim_config))
        self.optim_config = optim_config

        check_positive(lr_decay, "Solver: lr_decay")
        if lr_schedule is not None:
            if not callable(lr_schedule):
                fail(
                    "Solver: lr_schedule",
                    "a callable f(epoch) -> learning rate",
                    describe(lr_schedule),
                    "pass e.g. functools.partial(cosine_decay, base_lr=1e-3, total_epochs=10)",
                    ConfigError,
                )
            if lr_decay != 1.0:
                fail(
                    "Solver",
                    "either lr_decay or lr_schedule",
                    f"both (lr_decay={lr_decay!r} and a schedule)",
                    "use lr_schedule=partial(exponential_decay, base_lr=..., decay_rate=...) alone",
                    ConfigError,
                )
        self.lr_decay = float(lr_decay)
        self.lr_schedule = lr_schedule
        self.batch_size = _check_int(batch_size, "batch_size", 1)
        self.num_epochs = _check_int(num_epochs, "num_epochs", 1)
        self.num_train_samples = (
            None
            if num_train_samples is None
            else _check_int(num_train_samples, "num_train_samples", 1)
        )
        self.num_val_samples = (
            None if num_val_samples is None else _check_int(num_val_samples, "num_val_samples", 1)
        )
        if checkpoint_name is not None and not isinstance(checkpoint_name, str):
            fail(
                "Solver: checkpoint_name",
                "a str or None",
                describe(checkpoint_name),
                None,
                ConfigError,
            )
        self.checkpoint_name = checkpoint_name
        self.print_every = _check_int(print_every, "print_every", 1)
        self.verbose = bool(verbose)
        self.seed = seed
        self._reset()

    # ------------------------------------------------------------------ validation
    @staticmethod
    def _reject(unknown):
        name = sorted(unknown)[0]
        if name in _OPTIM_KEYS:
            hint = f"put it in optim_config, e.g. optim_config={{{name!r}: {unknown[name]!r}}}"
        elif name in ("p", "dropout", "dropout_keep_ratio", "keep_prob"):
            hint = "dropout belongs to the model: FullyConnectedNet(..., keep_prob=...)"
        elif name in ("reg", "weight_scale", "hidden_dims", "normalization"):
            hint = f"{name} belongs to the model, e.g. FullyConnectedNet(..., {name}=...)"
        else:
            close = difflib.get_close_matches(name, _OPTIONS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
        fail(
            "Solver",
            "options among " + ", ".join(_OPTIONS),
            "unknown option(s) " + ", ".join(repr(u) for u in sorted(unknown)),
            hint,
            ConfigError,
        )

    @staticmethod
    def _check_model(model):
        params = getattr(model, "params", None)
        if not isinstance(params, dict) or not params:
            fail(
                "Solver: model",
                "an object with a non-empty dict `params` of ndarrays",
                f"{type(model).__name__} with params = {describe(params)}",
                "create the parameters in the model's __init__",
                TypeError,
            )
        if not callable(getattr(model, "loss", None)):
            fail(
                "Solver: model",
                "an object with a method loss(X, y=None)",
                f"{type(model).__name__} without one",
                None,
                TypeError,
            )

    @staticmethod
    def _check_data(data):
        if not hasattr(data, "keys") or not hasattr(data, "__getitem__"):
            fail(
                "Solver: data",
                "a dict with keys " + ", ".join(_REQUIRED),
                describe(data),
                None,
                TypeError,
            )
        missing = [k for k in _REQUIRED if k not in data]
        if missing:
            fail(
                "Solver: data",
                "a dict with the keys " + ", ".join(_REQUIRED),
                "missing " + ", ".join(missing),
                "use cs231n.data.load_dataset() or build the dict with these keys",
                ConfigError,
            )
        for split in ("train", "val"):
            X, y = data[f"X_{split}"], data[f"y_{split}"]
            if not isinstance(X, np.ndarray) or X.ndim < 2:
                fail(
                    f"Solver: data['X_{split}']",
                    "an ndarray of shape (N, ...)",
                    describe(X),
                    None,
                    ShapeError,
                )
            if (
                not isinstance(y, np.ndarray)
                or y.ndim != 1
                or not np.issubdtype(y.dtype, np.integer)
            ):
                fail(
                    f"Solver: data['y_{split}']",
                    "an integer ndarray of shape (N,)",
                    describe(y),
                    None,
                    ShapeError,
                )
            if X.shape[0] != y.shape[0]:
                fail(
                    f"Solver: data['X_{split}'] and data['y_{split}']",
                    "the same number of samples",
                    f"{X.shape[0]} images and {y.shape[0]} labels",
                    "slice both arrays with the same indices",
                    ShapeError,
                )
            if X.shape[0] == 0:
                fail(f"Solver: data['X_{split}']", "at least one sample", "none", None, ShapeError)
        if data["X_train"].shape[1:] != data["X_val"].shape[1:]:
            fail(
                "Solver: data['X_val']",
                f"samples shaped like X_train, {data['X_train'].shape[1:]}",
                f"{data['X_val'].shape[1:]}",
                None,
                ShapeError,
            )

    # ------------------------------------------------------------------ training
    def _reset(self):
        """Set up the bookkeeping; called by __init__ (do not call it yourself)."""
        self.epoch = 0
        self.best_val_acc = 0.0
        self.best_params = {}
        self.loss_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        self.lr_history = []
        self.optim_configs = {p: copy.deepcopy(self.optim_config) for p in self.model.params}
        self.rng = make_rng(self.seed)  # seed=None: numpy's global state (np.random.seed)

    def _step(self, idx):
        """One update on the minibatch ``idx``."""
        loss, grads = self.model.loss(self.X_train[idx], self.y_train[idx])
        self.loss_history.append(float(loss))
        missing = [p for p in self.model.params if p not in grads]
        if missing:
            fail(
                "Solver: model.loss",
                "a gradient for every parameter",
                "no gradient for " + ", ".join(missing),
                None,
                KeyError,
            )
        for p, w in self.model.params.items():
            next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
            self.model.params[p] = next_w
            self.optim_configs[p] = next_config

    def _set_learning_rate(self, lr):
        for config in self.optim_configs.values():
            config["learning_rate"] = float(lr)

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        """Accuracy of the model on (a random subsample of) the data.

        Parameters
        ----------
        X : ndarray of shape (N, ...)
        y : ndarray of shape (N,), int
        num_samples : int, optional
            Subsample this many samples first (drawn from the Solver's seed).
        batch_size : int
            Samples per forward pass.

        Returns
        -------
        acc : float
            Fraction of samples classified correctly.
        """
        n = X.shape[0]
        if y.shape[0] != n:
            fail(
                "check_accuracy",
                "as many labels as samples",
                f"{n} samples and {y.shape[0]} labels",
                None,
                ShapeError,
            )
        if num_samples is not None and n > num_samples:
            idx = self.rng.choice(n, num_samples, replace=False)
            X, y = X[idx], y[idx]
            n = num_samples
        correct = 0
        for start in range(0, n, batch_size):
            scores = self.model.loss(X[start : start + batch_size])
            correct += int(np.sum(np.argmax(scores, axis=1) == y[start : start + batch_size]))
        return correct / n

    def train(self):
        """Run the optimisation; returns self so ``Solver(...).train()`` chains."""
        num_train = self.X_train.shape[0]
        iterations_per_epoch = max(num_train // self.batch_size, 1)
        num_iterations = self.num_epochs * iterations_per_epoch
        bar = tqdm(total=num_iterations, disable=not self.verbose, desc="training", unit="it")
        order = None
        try:
            for t in range(num_iterations):
                within = t % iterations_per_epoch
                if within == 0:
                    order = self.rng.permutation(num_train)
                idx = order[within * self.batch_size : (within + 1) * self.batch_size]
                if self.lr_schedule is not None:
                    self._set_learning_rate(self.lr_schedule(t / iterations_per_epoch))
                first = next(iter(self.optim_configs.values()))
                self.lr_history.append(float(first.get("learning_rate", float("nan"))))
                self._step(idx)
                bar.update(1)
                if t % self.print_every == 0:
                    bar.set_postfix(loss=f"{self.loss_history[-1]:.4f}", refresh=False)
                    if self.verbose:
                        tqdm.write(
                            f"(Iteration {t + 1} / {num_iterations}) loss: {self.loss_history[-1]:f}"
                        )

                epoch_end = (t + 1) % iterations_per_epoch == 0
                if epoch_end:
                    self.epoch += 1
                    if self.lr_decay != 1.0:
                        for p, config in self.optim_configs.items():
                            if "learning_rate" not in config:
                                fail(
                                    f"Solver: optim config of {p}",
                                    "a learning_rate for lr_decay to scale",
                                    f"keys {sorted(config)}",
                                    "set optim_config={'learning_rate': ...}",
                                    ConfigError,
                                )
                            config["learning_rate"] *= self.lr_decay
                if t == 0 or epoch_end or t == num_iterations - 1:
                    self._record_accuracy(t, num_iterations, bar)
                if epoch_end and self.checkpoint_name is not None:
                    self.save_checkpoint(f"{self.checkpoint_name}_epoch_{self.epoch}.npz")
        finally:
            bar.close()
        for name, value in self.best_params.items():
            self.model.params[name] = value.copy()
        return self

    def _record_accuracy(self, t, num_iterations, bar):
        train_acc = self.check_accuracy(
            self.X_train, self.y_train, num_samples=self.num_train_samples
        )
        val_acc = self.check_accuracy(self.X_val, self.y_val, num_samples=self.num_val_samples)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        if self.verbose:
            tqdm.write(
                f"(Epoch {self.epoch} / {self.num_epochs}) train acc: {train_acc:f}; val acc: {val_acc:f}"
            )
        bar.set_postfix(
            loss=f"{self.loss_history[-1]:.4f}",
            train_acc=f"{train_acc:.3f}",
            val_acc=f"{val_acc:.3f}",
        )
        if val_acc > self.best_val_acc or not self.best_params:
            self.best_val_acc = val_acc
            self.best_params = {k: v.copy() for k, v in self.model.params.items()}

    # ------------------------------------------------------------------ checkpoints
    def _config_json(self):
        optim_scalars = {}
        for p, config in self.optim_configs.items():
            optim_scalars[p] = {
                k: (v.item() if isinstance(v, np.generic) else v)
                for k, v in config.items()
                if isinstance(v, (numbers.Number, str, bool, np.generic))
            }
        return {
            "update_rule": self.update_rule_name,
            "optim_config": {
                k: v
                for k, v in self.optim_config.items()
                if isinstance(v, (numbers.Number, str, bool))
            },
            "lr_decay": self.lr_decay,
            "batch_size": self.batch_size,
            "num_epochs": self.num_epochs,
            "epoch": self.epoch,
            "best_val_acc": self.best_val_acc,
            "seed": self.seed if isinstance(self.seed, (int, type(None))) else None,
            "optim_scalars": optim_scalars,
        }

    def save_checkpoint(self, path):
        """Save parameters, best parameters, optimizer state and histories to ``path``.

        The file is an ``.npz`` archive of plain arrays plus one JSON string (``config``),
        readable with ``np.load(path, allow_pickle=False)``.

        Returns
        -------
        path : str
            The file written (``.npz`` is appended when missing).
        """
        path = str(path)
        if not path.endswith(".npz"):
            path += ".npz"
        arrays = {f"param/{k}": v for k, v in self.model.params.items()}
        arrays.update({f"best/{k}": v for k, v in self.best_params.items()})
        for p, config in self.optim_configs.items():
            for k, v in config.items():
                if isinstance(v, np.ndarray):
                    arrays[f"optim/{p}/{k}"] = v
        arrays["loss_history"] = np.asarray(self.loss_history, dtype=np.float64)
        arrays["train_acc_history"] = np.asarray(self.train_acc_history, dtype=np.float64)
        arrays["val_acc_history"] = np.asarray(self.val_acc_history, dtype=np.float64)
        arrays["lr_history"] = np.asarray(self.lr_history, dtype=np.float64)
        arrays["config"] = np.array(json.dumps(self._config_json()))
        np.savez(path, **arrays)
        return path

    @staticmethod
    def load_checkpoint(path, model):
        """Load a checkpoint written by :meth:`save_checkpoint` into ``model``.

        The parameters are copied into ``model.params`` (names and shapes must match;
        each keeps the model's dtype).

        Parameters
        ----------
        path : str or path-like
            The ``.npz`` file.
        model : object
            A model with the same parameter names and shapes.

        Returns
        -------
        checkpoint : dict
            ``loss_history``, ``train_acc_history``, ``val_acc_history``,
            ``lr_history`` (lists), ``best_params`` (dict), ``optim_state`` (dict
            param -> dict of arrays and scalars) and ``config`` (dict).  It can be passed
            to :func:`cs231n.vis_utils.plot_history`.
        """
        Solver._check_model(model)
        with np.load(path, allow_pickle=False) as f:
            files = {k: f[k] for k in f.files}
        config = json.loads(str(files.pop("config")))
        params = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("param/")}
        want, got = set(model.params), set(params)
        if want != got:
            fail(
                "load_checkpoint",
                "parameters " + ", ".join(sorted(want)),
                "parameters " + ", ".join(sorted(got)),
                "build the model with the same architecture as the one saved",
                ConfigError,
            )
        for k, v in params.items():
            if v.shape != model.params[k].shape:
                fail(
                    f"load_checkpoint: {k}",
                    f"shape {model.params[k].shape}",
                    f"shape {v.shape}",
                    "build the model with the same sizes as the one saved",
                    ShapeError,
                )
        for k, v in params.items():
            model.params[k] = v.astype(model.params[k].dtype)
        optim_state = {p: dict(s) for p, s in config.get("optim_scalars", {}).items()}
        for k, v in files.items():
            if k.startswith("optim/"):
                _, p, key = k.split("/", 2)
                optim_state.setdefault(p, {})[key] = v
        return {
            "loss_history": files["loss_history"].tolist(),
            "train_acc_history": files["train_acc_history"].tolist(),
            "val_acc_history": files["val_acc_history"].tolist(),
            "lr_history": files.get("lr_history", np.zeros(0)).tolist(),
            "best_params": {
                k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("best/")
            },
            "optim_state": optim_state,
            "config": config,
        }

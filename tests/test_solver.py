"""Solver: overfitting, best weights, schedules, checkpoints, and every validation error."""

from functools import partial

import numpy as np
import pytest

from cs231n import optim
from cs231n.course.testing import assert_allclose
from cs231n.schedules import cosine_decay
from cs231n.solver import Solver
from cs231n.validation import ConfigError, ShapeError


class TinyNet:
    """affine - relu - affine - softmax in plain numpy (independent of cs231n.layers)."""

    def __init__(self, input_dim=12, hidden=40, num_classes=5, seed=0):
        r = np.random.default_rng(seed)
        self.params = {
            "W1": 0.3 * r.standard_normal((input_dim, hidden)),
            "b1": np.zeros(hidden),
            "W2": 0.3 * r.standard_normal((hidden, num_classes)),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        p = self.params
        X = X.reshape(len(X), -1)
        h = np.maximum(0, X @ p["W1"] + p["b1"])
        scores = h @ p["W2"] + p["b2"]
        if y is None:
            return scores
        s = scores - scores.max(1, keepdims=True)
        prob = np.exp(s) / np.exp(s).sum(1, keepdims=True)
        n = len(X)
        loss = -np.log(prob[np.arange(n), y]).mean()
        ds = prob.copy()
        ds[np.arange(n), y] -= 1
        ds /= n
        dh = (ds @ p["W2"].T) * (h > 0)
        grads = {"W2": h.T @ ds, "b2": ds.sum(0), "W1": X.T @ dh, "b1": dh.sum(0)}
        return loss, grads


def make_data(n_train=50, n_val=20, seed=0):
    r = np.random.default_rng(seed)
    return {
        "X_train": r.standard_normal((n_train, 3, 2, 2)),
        "y_train": r.integers(0, 5, n_train),
        "X_val": r.standard_normal((n_val, 3, 2, 2)),
        "y_val": r.integers(0, 5, n_val),
        "X_test": np.zeros((1, 3, 2, 2)),  # extra keys are ignored
        "class_names": ["a", "b", "c", "d", "e"],
    }


def test_overfits_50_samples():
    solver = Solver(
        TinyNet(),
        make_data(),
        update_rule="adam",
        optim_config={"learning_rate": 1e-2},
        num_epochs=30,
        batch_size=25,
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.train_acc_history[-1] == 1.0
    assert len(solver.loss_history) == 60
    assert len(solver.train_acc_history) == 31  # first iteration + 30 epoch ends
    assert solver.epoch == 30


def test_best_params_are_swapped_in():
    data = make_data()
    solver = Solver(
        TinyNet(),
        data,
        optim_config={"learning_rate": 0.5},
        num_epochs=8,
        batch_size=10,
        verbose=False,
        seed=1,
    )
    solver.train()
    assert solver.best_val_acc == max(solver.val_acc_history)
    for k, v in solver.best_params.items():
        np.testing.assert_array_equal(solver.model.params[k], v)
    assert solver.check_accuracy(data["X_val"], data["y_val"]) == solver.best_val_acc


def test_seeded_runs_are_identical():
    runs = [
        Solver(
            TinyNet(),
            make_data(),
            update_rule="sgd_momentum",
            num_epochs=3,
            batch_size=10,
            verbose=False,
            seed=5,
        ).train()
        for _ in range(2)
    ]
    assert runs[0].loss_history == runs[1].loss_history
    other = Solver(
        TinyNet(),
        make_data(),
        update_rule="sgd_momentum",
        num_epochs=3,
        batch_size=10,
        verbose=False,
        seed=6,
    ).train()
    assert other.loss_history != runs[0].loss_history


def test_optim_config_is_deep_copied_per_param():
    cfg = {"learning_rate": 1e-3}
    solver = Solver(
        TinyNet(),
        make_data(),
        update_rule="adam",
        optim_config=cfg,
        num_epochs=1,
        batch_size=50,
        verbose=False,
    )
    solver.train()
    assert cfg == {"learning_rate": 1e-3}
    assert solver.optim_configs["W1"]["m"].shape == (12, 40)
    assert solver.optim_configs["b2"]["m"].shape == (5,)


def test_lr_decay_multiplies_every_epoch():
    solver = Solver(
        TinyNet(),
        make_data(),
        optim_config={"learning_rate": 0.1},
        lr_decay=0.5,
        num_epochs=3,
        batch_size=25,
        verbose=False,
    )
    solver.train()
    for cfg in solver.optim_configs.values():
        assert cfg["learning_rate"] == pytest.approx(0.1 * 0.5**3)
    assert solver.lr_history == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_lr_schedule_is_called_with_the_fractional_epoch():
    schedule = partial(cosine_decay, base_lr=0.1, total_epochs=2)
    solver = Solver(
        TinyNet(), make_data(), lr_schedule=schedule, num_epochs=2, batch_size=25, verbose=False
    )
    solver.train()
    expected = [schedule(t / 2) for t in range(4)]
    assert solver.lr_history == pytest.approx(expected)


def test_callable_update_rule():
    calls = []

    def halve(w, dw, config=None):
        calls.append(1)
        return w * 0.5, config

    model = TinyNet()
    w1 = model.params["W1"].copy()
    Solver(
        model, make_data(), update_rule=halve, num_epochs=1, batch_size=50, verbose=False
    ).train()
    assert len(calls) == 4  # one iteration, four parameters
    assert_allclose(model.params["W1"], 0.5 * w1)


def test_checkpoint_round_trip(tmp_path):
    solver = Solver(
        TinyNet(),
        make_data(),
        update_rule="adam",
        num_epochs=2,
        batch_size=25,
        verbose=False,
        checkpoint_name=str(tmp_path / "run"),
        seed=0,
    )
    solver.train()
    assert (tmp_path / "run_epoch_1.npz").exists() and (tmp_path / "run_epoch_2.npz").exists()
    path = solver.save_checkpoint(tmp_path / "final")
    assert path.endswith("final.npz")
    with np.load(path, allow_pickle=False) as f:  # no object arrays inside
        assert all(f[k].dtype != object for k in f.files)
    fresh = TinyNet(seed=99)
    ck = Solver.load_checkpoint(path, fresh)
    for k, v in solver.model.params.items():
        np.testing.assert_array_equal(fresh.params[k], v)
    assert ck["loss_history"] == solver.loss_history
    assert ck["val_acc_history"] == solver.val_acc_history
    assert ck["config"]["update_rule"] == "adam" and ck["config"]["epoch"] == 2
    assert ck["optim_state"]["W1"]["t"] == 4
    np.testing.assert_array_equal(ck["optim_state"]["W1"]["m"], solver.optim_configs["W1"]["m"])
    assert set(ck["best_params"]) == set(solver.model.params)


def test_load_checkpoint_mismatch(tmp_path):
    solver = Solver(TinyNet(), make_data(), num_epochs=1, verbose=False)
    path = solver.save_checkpoint(tmp_path / "ck.npz")
    with pytest.raises(ShapeError, match="W1"):
        Solver.load_checkpoint(path, TinyNet(hidden=41))
    other = TinyNet()
    other.params["W3"] = np.zeros(2)
    with pytest.raises(ConfigError, match="architecture"):
        Solver.load_checkpoint(path, other)


def test_verbose_false_is_silent(capsys):
    Solver(TinyNet(), make_data(), num_epochs=2, verbose=False).train()
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_verbose_prints_progress(capsys):
    Solver(TinyNet(), make_data(), num_epochs=2, batch_size=25, print_every=1, verbose=True).train()
    out, err = capsys.readouterr()
    assert "(Iteration 1 / 4) loss:" in out + err
    assert "(Epoch 2 / 2) train acc:" in out + err


def test_check_accuracy_subsamples_and_batches():
    data = make_data(n_train=30)
    solver = Solver(TinyNet(), data, verbose=False, seed=0)
    full = solver.check_accuracy(data["X_train"], data["y_train"], batch_size=7)
    scores = solver.model.loss(data["X_train"])
    assert full == np.mean(np.argmax(scores, 1) == data["y_train"])
    sub = solver.check_accuracy(data["X_train"], data["y_train"], num_samples=10)
    assert sub * 10 == round(sub * 10)


# ---------------------------------------------------------------- validation errors
def test_missing_data_keys_are_listed():
    data = make_data()
    del data["y_val"], data["X_val"]
    with pytest.raises(ConfigError, match=r"X_train, y_train, X_val, y_val.*missing X_val, y_val"):
        Solver(TinyNet(), data)


def test_mismatched_lengths():
    data = make_data()
    data["y_train"] = data["y_train"][:-1]
    with pytest.raises(ShapeError, match="50 images and 49 labels"):
        Solver(TinyNet(), data)


def test_bad_label_dtype_and_val_shape():
    data = make_data()
    data["y_val"] = data["y_val"].astype(float)
    with pytest.raises(ShapeError, match="integer"):
        Solver(TinyNet(), data)
    data = make_data()
    data["X_val"] = data["X_val"].reshape(20, -1)
    with pytest.raises(ShapeError, match="X_train"):
        Solver(TinyNet(), data)
    with pytest.raises(TypeError, match="dict"):
        Solver(TinyNet(), [1, 2])


def test_unknown_option_names_the_close_one():
    with pytest.raises(ConfigError, match="num_epochs"):
        Solver(TinyNet(), make_data(), num_epoch=3)
    with pytest.raises(ConfigError, match="optim_config"):
        Solver(TinyNet(), make_data(), learning_rate=1e-3)
    with pytest.raises(ConfigError, match="model"):
        Solver(TinyNet(), make_data(), reg=1e-3)


def test_unknown_update_rule():
    with pytest.raises(ConfigError, match="did you mean 'adam'"):
        Solver(TinyNet(), make_data(), update_rule="adma")
    with pytest.raises(ConfigError):
        Solver(TinyNet(), make_data(), update_rule=3)


def test_misspelt_optim_config_fails_immediately():
    with pytest.raises(ConfigError, match="learning_rate"):
        Solver(TinyNet(), make_data(), update_rule="sgd", optim_config={"learning_rat": 1e-3})


def test_models_without_params_or_loss():
    class NoParams:
        def loss(self, X, y=None):
            return X

    class NoLoss:
        def __init__(self):
            self.params = {"W": np.zeros(2)}

    with pytest.raises(TypeError, match="params"):
        Solver(NoParams(), make_data())
    with pytest.raises(TypeError, match="loss"):
        Solver(NoLoss(), make_data())


def test_schedule_and_decay_together_or_bad_numbers():
    with pytest.raises(ConfigError, match="either lr_decay or lr_schedule"):
        Solver(TinyNet(), make_data(), lr_decay=0.9, lr_schedule=lambda e: 0.1)
    with pytest.raises(ConfigError, match="callable"):
        Solver(TinyNet(), make_data(), lr_schedule=0.1)
    with pytest.raises(ConfigError, match="batch_size"):
        Solver(TinyNet(), make_data(), batch_size=0)
    with pytest.raises(ConfigError, match="num_epochs"):
        Solver(TinyNet(), make_data(), num_epochs=2.5)


def test_missing_gradient_is_reported():
    class Forgetful(TinyNet):
        def loss(self, X, y=None):
            out = super().loss(X, y)
            if y is None:
                return out
            loss, grads = out
            del grads["b2"]
            return loss, grads

    with pytest.raises(KeyError, match="b2"):
        Solver(Forgetful(), make_data(), verbose=False).train()


def test_rule_names_resolve_to_optim():
    for name in optim.RULES:
        assert Solver(TinyNet(), make_data(), update_rule=name).update_rule is getattr(optim, name)


def test_dropout_options_point_to_the_model():
    with pytest.raises(ConfigError, match="keep_prob"):
        Solver(TinyNet(), make_data(), dropout_keep_ratio=0.5)


def test_plugged_in_update_rule_is_used():
    import cs231n

    calls = []

    def adam(w, dw, config=None):
        calls.append(1)
        return w, config

    cs231n.plug_in(adam, verbose=False)
    try:
        Solver(
            TinyNet(), make_data(), update_rule="adam", num_epochs=1, batch_size=50, verbose=False
        ).train()
    finally:
        cs231n.unplug()
    assert len(calls) >= 4
    assert optim.adam.__module__ == "cs231n.optim"

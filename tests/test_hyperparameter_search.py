"""Hyperparameter search: log-uniform sampling, random/grid search, refine, the table."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n.hyperparameter_search import (
    SearchResults,
    grid_search,
    log_uniform,
    random_search,
    refine,
)
from cs231n.validation import ConfigError


@pytest.mark.a2_log_uniform
def test_log_uniform_range_and_decades():
    s = log_uniform(1e-5, 1e-1, size=20_000, rng=0)
    assert s.shape == (20_000,) and s.min() >= 1e-5 and s.max() <= 1e-1
    counts = np.histogram(np.log10(s), bins=4, range=(-5, -1))[0]
    assert np.all(np.abs(counts / 20_000 - 0.25) < 0.02)  # each decade equally likely
    x = log_uniform(1e-3, 1.0, rng=1)
    assert isinstance(x, float)
    assert x == log_uniform(1e-3, 1.0, rng=np.random.default_rng(1))


@pytest.mark.a2_log_uniform
@given(lo=st.floats(1e-8, 1e3), ratio=st.floats(1.0, 1e6), seed=st.integers(0, 1000))
def test_log_uniform_stays_in_bounds(lo, ratio, seed):
    hi = lo * ratio
    x = log_uniform(lo, hi, rng=seed)
    assert lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9)


def test_log_uniform_errors():
    with pytest.raises(ConfigError):
        log_uniform(0.0, 1.0)
    with pytest.raises(ConfigError, match="swap"):
        log_uniform(1.0, 0.1)


def _train(learning_rate, reg=0.0, hidden=10):
    # A fake accuracy peaked at learning_rate = 1e-3, reg small.
    return {"val_acc": 1.0 - abs(np.log10(learning_rate) + 3) / 10 - reg, "train_acc": 0.9}


SPACE = {
    "learning_rate": ("log", 1e-6, 1e-1),
    "reg": ("uniform", 0.0, 0.1),
    "hidden": ("choice", [10, 50, 100]),
}


@pytest.mark.a2_random_search
def test_random_search_is_seeded_and_respects_the_space():
    a = random_search(_train, SPACE, num_trials=15, seed=0)
    b = random_search(_train, SPACE, num_trials=15, seed=0)
    assert isinstance(a, SearchResults) and len(a) == 15
    assert a == b
    assert a != random_search(_train, SPACE, num_trials=15, seed=1)
    for row in a:
        assert 1e-6 <= row["learning_rate"] <= 1e-1
        assert 0.0 <= row["reg"] <= 0.1
        assert row["hidden"] in (10, 50, 100)
        assert set(row) == {"learning_rate", "reg", "hidden", "val_acc", "train_acc"}


@pytest.mark.a2_random_search
def test_random_search_accepts_float_scores_and_callables():
    res = random_search(
        lambda learning_rate: float(learning_rate),
        {"learning_rate": lambda rng: float(rng.choice([1.0, 2.0]))},
        num_trials=5,
    )
    assert all(r["val_acc"] == r["learning_rate"] for r in res)


def test_grid_search_tries_every_combination():
    res = grid_search(_train, {"learning_rate": [1e-4, 1e-3], "hidden": [10, 20, 30]})
    assert len(res) == 6
    assert res.best["learning_rate"] == 1e-3
    assert [(r["learning_rate"], r["hidden"]) for r in res][:3] == [
        (1e-4, 10),
        (1e-4, 20),
        (1e-4, 30),
    ]


def test_results_table():
    res = SearchResults(
        [{"lr": 0.1, "val_acc": 0.3}, {"lr": 0.01, "val_acc": 0.5}, {"lr": 1e-5, "val_acc": 0.4}]
    )
    assert [r["lr"] for r in res.sorted()] == [0.01, 1e-5, 0.1]
    assert [r["lr"] for r in res.sorted("lr", descending=False)] == [1e-5, 0.01, 0.1]
    md = res.to_markdown()
    assert md.splitlines()[0] == "| lr | val_acc |"
    assert md.splitlines()[2] == "| 0.01 | 0.5 |"
    assert "1.000e-05" in md
    assert "3 trials" in repr(res) and "<table>" in res._repr_html_()
    with pytest.raises(ConfigError, match="val_acc"):
        res.sorted("val_ac")
    assert SearchResults().best is None


def test_refine_narrows_around_the_best():
    res = random_search(_train, SPACE, num_trials=40, seed=0)
    new = refine(res, top_k=3, space=SPACE)
    kind, lo, hi = new["learning_rate"]
    assert kind == "log" and 1e-6 <= lo < hi <= 1e-1
    assert np.log10(hi) - np.log10(lo) < 5  # narrower than the 5 decades searched
    assert lo <= 1e-3 <= hi or abs(np.log10(res.best["learning_rate"]) + 3) < 0.5
    best3 = res.sorted()[:3]
    for row in best3:
        assert lo <= row["learning_rate"] <= hi
        assert row["hidden"] in new["hidden"][1]
    assert new["reg"][0] == "uniform"
    # The refined space is a valid space.
    assert len(random_search(_train, new, num_trials=3)) == 3


def test_refine_infers_the_space():
    res = grid_search(_train, {"learning_rate": [1e-5, 1e-4, 1e-3, 1e-2], "hidden": [10, 20]})
    new = refine(res, top_k=2)
    assert new["learning_rate"][0] == "log"
    assert new["hidden"][0] == "choice"


@pytest.mark.parametrize(
    "space",
    [
        {},
        {"lr": ("logg", 1e-3, 1e-1)},
        {"lr": ("log", 0.0, 1.0)},
        {"lr": ("uniform", 2.0, 1.0)},
        {"lr": ("choice", [])},
        {"lr": 0.1},
    ],
)
def test_bad_spaces_raise(space):
    with pytest.raises(ConfigError):
        random_search(_train, space, num_trials=1)


def test_bad_train_fn_results_raise():
    with pytest.raises(ConfigError, match="val_acc"):
        random_search(lambda lr: {"acc": 1.0}, {"lr": ("uniform", 0, 1)}, num_trials=1)
    with pytest.raises(ConfigError):
        random_search(lambda lr: "good", {"lr": ("uniform", 0, 1)}, num_trials=1)
    with pytest.raises(ConfigError, match="list"):
        grid_search(_train, {"learning_rate": 1e-3})

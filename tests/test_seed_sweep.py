"""No visible check depends on luck: every notebook check passes under 200 global seeds.

Models built without ``seed=`` draw from numpy's global state (``np.random.seed``), as in
CS231n, so a check that builds one (``check_two_layer_net`` tests the initial weights'
standard deviation) sees different numbers in every fresh kernel.  CS231n's own
assertion, ``|W.std() - std| < std / 10`` on 250 and 350 weights, fails in about 3.2% of
fresh runs; a check here must never fail for a correct solution.

The sweep runs each registered check on the reference objects of the package:

* a check that does not touch numpy's global state (the state is the same before and
  after it) gives the same result under every global seed, so one run proves it;
* a check that does draw from it runs under 200 different global seeds.

No check may draw fresh entropy (``np.random.default_rng()`` without a seed): that
would make it irreproducible whatever the student seeds.

Measured (``time.process_time``, so other jobs on the machine do not count): the two
checks that draw from the global state, ``a1_two_layer_net`` and
``a2_three_layer_convnet``, take 0.19 s and 0.34 s of CPU a run, so their 200 seeds take
about 110 s; every other check runs once.  The sweep is marked slow.  The fast test runs
every check once (about 1 s).
"""

from __future__ import annotations

import contextlib
import importlib
import io

import numpy as np
import pytest

from cs231n.checks import REGISTRY
from cs231n.course.tasks import TASKS

NUM_SEEDS = 200
CHECK_IDS = sorted(REGISTRY)


def _reference_objects() -> dict:
    """Notebook name -> the package's reference object, for every task object."""
    objects = {}
    for task in TASKS:
        for spec in task.objects:
            module, name = spec.split(":")
            objects[name] = getattr(importlib.import_module(module), name)
    return objects


REFERENCE = _reference_objects()


def _run(task_id: str):
    check = REGISTRY[task_id]
    with contextlib.redirect_stdout(io.StringIO()):
        return check.run(*(REFERENCE[n] for n in check.names))


def _global_state():
    _, keys, pos, has_gauss, cached = np.random.get_state()  # noqa: NPY002
    return keys.copy(), pos, has_gauss, cached


def _same_state(a, b) -> bool:
    return np.array_equal(a[0], b[0]) and a[1:] == b[1:]


@pytest.fixture(autouse=True)
def _restore_global_state():
    saved = np.random.get_state()  # noqa: NPY002
    yield
    np.random.set_state(saved)  # noqa: NPY002


def test_every_check_passes_once_and_draws_no_fresh_entropy(monkeypatch):
    fresh: list[str] = []
    original = np.random.default_rng
    current = [""]

    def spy(seed=None):
        if seed is None:
            fresh.append(current[0])
        return original(seed)

    monkeypatch.setattr(np.random, "default_rng", spy)
    failed = {}
    for task_id in CHECK_IDS:
        current[0] = task_id
        np.random.seed(0)  # noqa: NPY002 (the global state is what is tested)
        result = _run(task_id)
        if result.status != "passed":
            failed[task_id] = result.message
    assert not failed, failed
    assert not fresh, f"checks that draw fresh entropy (unreproducible): {sorted(set(fresh))}"


@pytest.mark.slow
@pytest.mark.parametrize("task_id", CHECK_IDS)
def test_check_passes_under_200_global_seeds(task_id):
    np.random.seed(0)  # noqa: NPY002
    before = _global_state()
    first = _run(task_id)
    assert first.status == "passed", f"global seed 0: {first.message}"
    if _same_state(before, _global_state()):
        return  # never reads the global state: the same result under every seed
    failures = []
    for seed in range(1, NUM_SEEDS):
        np.random.seed(seed)  # noqa: NPY002
        result = _run(task_id)
        if result.status != "passed":
            failures.append((seed, result.message))
    assert not failures, f"{len(failures)} of {NUM_SEEDS} global seeds fail, e.g. {failures[0]}"


def test_cs231n_std_band_would_be_luck_and_ours_is_not():
    """Why the TwoLayerNet check's band is 0.75..1.25 x weight_scale, not CS231n's 0.9..1.1."""
    ratios = []
    for seed in range(NUM_SEEDS):
        np.random.seed(seed)  # noqa: NPY002
        w1 = 1e-3 * np.random.randn(5, 50)  # noqa: NPY002 (CS231n's initialisation)
        w2 = 1e-3 * np.random.randn(50, 7)  # noqa: NPY002
        ratios.append((w1.std() / 1e-3, w2.std() / 1e-3))
    ratios = np.array(ratios)
    cs231n_failures = np.mean(np.any(np.abs(ratios - 1) >= 0.1, axis=1))
    assert 0.005 < cs231n_failures < 0.08  # about 3% of fresh kernels
    assert np.all((ratios > 0.8) & (ratios < 1.2))  # 5.6 sigma inside the check's band

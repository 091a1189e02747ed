"""Every wrong variant of the catalogue is caught by its visible check, and its cause named.

The catalogue (``tests/mistake_catalogue.py``) holds one-line changes to the reference,
each with the cause its hint must name. The figures (caught, named, misleading, per
notebook and in total) are printed at the end of the pytest run (tests/conftest.py).
Required: 100% caught, at least 85% named, and no hint naming a different mistake, both
over all variants and over the held-out ones (at least 90, none spelled as a stored
known mistake: they measure the hints, not the fingerprints against themselves).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pytest
from mistake_catalogue import VARIANTS, Variant

from autograder.authoring.mistakes import reference_object, run_with
from cs231n.checks import REGISTRY
from cs231n.checks import _fingerprints as fp
from cs231n.checks.common import explain_gradient, explain_shape
from cs231n.course.tasks import get_task

NAMED_MIN = 0.85
#: variants spelled differently from every stored known mistake
HELD_OUT_MIN = 90

#: figures of the last catalogue run, printed by tests/conftest.py
SUMMARY: list[str] = []


def _run(variant):
    return run_with(variant.task, {variant.obj: variant.build()})


@pytest.fixture(scope="module")
def results():
    return [(v, _run(v)) for v in VARIANTS]


def test_catalogue_is_large_and_spans_the_notebooks():
    assert len(VARIANTS) >= 150
    assert len({(v.task, v.obj, v.old, v.new) for v in VARIANTS}) == len(VARIANTS)
    tasks = {v.task for v in VARIANTS}
    notebooks = {get_task(t).notebook for t in tasks}
    assert len(tasks) >= 50
    assert len(notebooks) >= 11
    for v in VARIANTS:
        assert v.task in REGISTRY, v.id
        assert v.obj in REGISTRY[v.task].names, v.id


def _known_spellings():
    from autograder.authoring.mistakes import known_mistakes

    return {(m.obj, m.old, m.new) for m in known_mistakes()}


def _figures(results):
    per = defaultdict(lambda: {"n": 0, "caught": 0, "named": 0, "wrong": []})
    missed, unnamed = [], []
    for v, r in results:
        s = per[get_task(v.task).notebook]
        s["n"] += 1
        caught = r.status in ("failed", "error")
        named = caught and bool(r.likely_cause) and re.search(v.cause, r.likely_cause, re.I)
        s["caught"] += caught
        s["named"] += bool(named)
        if not caught:
            missed.append(v.id)
        elif r.likely_cause and not named:
            s["wrong"].append(f"{v.id}: {r.likely_cause}")
        elif not named:
            unnamed.append(v.id)
    return per, missed, unnamed


def _pct(a, n):
    return f"{a / n:7.1%}" if n else f"{'-':>7s}"


def test_every_variant_is_caught_and_its_cause_named(results):
    """All variants, and apart the held-out ones (not spelled as a stored known mistake).

    A variant spelled exactly as one of ``assignments/*/hidden/_mistakes.py`` is named by
    its own fingerprint; the held-out ones measure how far the hints generalise (a
    different spelling of a stored mistake, or a mistake the kit never stored).
    """
    known = _known_spellings()
    held = [(v, r) for v, r in results if (v.obj, v.old, v.new) not in known]
    per, missed, unnamed = _figures(results)
    hper, _, hunnamed = _figures(held)
    SUMMARY.clear()
    SUMMARY.append(
        f"{'notebook':22s} {'all':>5s} {'caught':>7s} {'named':>7s}   "
        f"{'held-out':>8s} {'caught':>7s} {'named':>7s}"
    )
    for nb, s in sorted(per.items()):
        h = hper.get(nb, {"n": 0, "caught": 0, "named": 0})
        SUMMARY.append(
            f"{nb:22s} {s['n']:5d} {_pct(s['caught'], s['n'])} {_pct(s['named'], s['n'])}   "
            f"{h['n']:8d} {_pct(h['caught'], h['n'])} {_pct(h['named'], h['n'])}"
        )
    tot = {k: sum(s[k] for s in per.values()) for k in ("n", "caught", "named")}
    htot = {k: sum(s[k] for s in hper.values()) for k in ("n", "caught", "named")}
    wrong = [w for s in per.values() for w in s["wrong"]]
    SUMMARY.append(
        f"{'total':22s} {tot['n']:5d} {_pct(tot['caught'], tot['n'])} "
        f"{_pct(tot['named'], tot['n'])}   {htot['n']:8d} {_pct(htot['caught'], htot['n'])} "
        f"{_pct(htot['named'], htot['n'])}  (misleading hints: {len(wrong)})"
    )
    SUMMARY.append(
        f"held-out: {htot['n']} of the {tot['n']} variants are spelled differently from every "
        "stored known mistake"
    )
    assert not missed, f"not caught: {missed}"
    assert not wrong, "a hint named a different mistake:\n" + "\n".join(wrong)
    assert tot["named"] / tot["n"] >= NAMED_MIN, (
        f"named {tot['named']}/{tot['n']}; unnamed: {unnamed}"
    )
    assert htot["n"] >= HELD_OUT_MIN, f"only {htot['n']} held-out variants"
    assert htot["named"] / htot["n"] >= NAMED_MIN, (
        f"held-out named {htot['named']}/{htot['n']}; unnamed: {hunnamed}"
    )


def test_the_reference_passes_every_check_it_is_varied_in():
    for task in sorted({v.task for v in VARIANTS}):
        assert run_with(task, {}).status == "passed", task


# ---------------------------------------------------------------- hints never guess
def _store_with(task, entries):
    nb = get_task(task).notebook
    from cs231n.checks.common import _load

    data = dict(_load(nb))
    data = {k: v for k, v in data.items() if not k.startswith(f"fp/{task}/")}
    for i, (label, got, cause) in enumerate(entries):
        data[f"fp/{task}/{i}/label"] = np.array(label)
        data[f"fp/{task}/{i}/got"] = np.asarray(got, dtype=float)
        data[f"fp/{task}/{i}/cause"] = np.array(cause)
    fp.OVERRIDES[nb] = data
    return nb


def test_a_fingerprint_names_its_cause_only_when_the_matches_are_few():
    task = "a1_relu_forward"
    entries = [("x", [1.0, 2.0], "A."), ("x", [1.0, 2.0], "B."), ("y", [3.0], "C")]
    entries += [("z", [5.0], c) for c in ("P", "Q", "R")]
    nb = _store_with(task, entries)
    token = fp.CURRENT_TASK.set(task)
    try:
        # two mistakes giving the same result are both named, as such; three: no guess
        assert fp.cause_for("x", [1.0, 2.0]) == (
            "one of two mistakes that give exactly this result: A. Or: B."
        )
        assert fp.cause_for("z", [5.0]) == ""
        assert fp.cause_for("y", [3.0]) == "C"
        assert fp.cause_for("y", [3.1]) == ""  # a different value
        assert fp.cause_for("x", [3.0]) == ""  # same value, another comparison
    finally:
        fp.CURRENT_TASK.reset(token)
        fp.OVERRIDES.pop(nb, None)


def test_shape_reasoning():
    assert "padding" in explain_shape((2, 3, 7, 7), (2, 3, 5, 5))
    assert "all axes" in explain_shape((), (5,))
    assert "left axes" in explain_shape((2, 5), (5,))
    assert "axis 0" in explain_shape((2, 6, 1, 1), (1, 6, 1, 1))
    assert explain_shape((3, 4), (4, 3)) == ""  # a transpose: no guess
    assert explain_shape((2, 3, 6, 7), (2, 3, 5, 5)) == ""


def test_gradient_reasoning():
    n = np.linspace(-1, 2, 12).reshape(3, 4)
    assert "opposite sign" in explain_gradient(-n, n)
    assert "0.25 times" in explain_gradient(n / 4, n)
    assert "zero everywhere" in explain_gradient(0 * n, n)
    noisy = n.copy()
    noisy[0, 0] += 1
    assert explain_gradient(noisy, n) == ""  # no exact relation: the message only


def test_every_known_mistake_is_caught_and_its_fingerprint_stored():
    from autograder.authoring.mistakes import known_mistakes, mutate

    mistakes = known_mistakes()
    assert len(mistakes) >= 100
    for m in mistakes:
        r = run_with(m.task, {m.obj: mutate(m.obj, m.old, m.new)})
        assert r.status in ("failed", "error"), m.id
        assert r.likely_cause, m.id


def test_reference_object_finds_forwards_of_other_tasks():
    assert reference_object("dropout_forward").__name__ == "dropout_forward"


# ---------------------------------------------------------------- the grader's feedback
def _judge(task, nb, objects, seed=7, index=0):
    from pathlib import Path

    from autograder.grading import Assignment, judge_case
    from autograder.hidden import reference_namespace

    root = Path(__file__).resolve().parents[1]
    a = Assignment("assignment1", {}, root / "assignments" / "assignment1" / "hidden", None)
    case = a.cases(nb, task)[index]
    ns = {**reference_namespace(task), **objects}
    got = case.probe(ns, np.random.default_rng(seed + index))
    probes = {f"{task}|{index}|{k}": v for k, v in got.items()}
    return judge_case(a, nb, task, index, case, {"status": "ok"}, probes, seed=seed)


def test_hidden_case_feedback_names_the_cause_of_a_known_mistake():
    # spelled differently from the kit's known mistake (which writes `pass`): the match is
    # on behaviour, on the hidden case's own inputs
    wrong = Variant(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "    dscores[rows, y] -= 1.0\n",
        "",
        "",
    ).build()
    res = _judge("a1_softmax_vectorized", "softmax", {"softmax_loss_vectorized": wrong})
    assert not res.passed
    assert "likely cause: the indicator term is missing" in res.hint


def test_hidden_case_feedback_guesses_nothing_for_an_unknown_mistake():
    from cs231n.classifiers.softmax import softmax_loss_vectorized as ref

    def shifted(W, X, y, reg):
        loss, dW = ref(W, X, y, reg)
        return loss, dW + 0.01 * np.arange(dW.size).reshape(dW.shape)

    res = _judge("a1_softmax_vectorized", "softmax", {"softmax_loss_vectorized": shifted})
    assert not res.passed and "likely cause" not in res.hint
    assert _judge("a1_softmax_vectorized", "softmax", {}).passed

    def scaled(W, X, y, reg):  # an exact relation is named as what it is
        loss, dW = ref(W, X, y, reg)
        return loss, 1.5 * dW

    res = _judge("a1_softmax_vectorized", "softmax", {"softmax_loss_vectorized": scaled})
    assert "exactly 1.5 times the right one" in res.hint


def test_hidden_cases_name_the_same_causes_and_never_mislead():
    """Each variant through its task's hidden cases, as the grader judges them."""
    from autograder.authoring.mistakes import hidden_case_cause
    from autograder.hidden import compare_results, find_cases, reference_namespace

    failing = named = 0
    wrong = []
    for v in VARIANTS:
        cases = find_cases(v.task)
        ref = reference_namespace(v.task)
        ns = {**ref, v.obj: v.build()}
        for i, case in enumerate(cases):
            rng_seed = 99 + i
            try:
                with np.errstate(all="ignore"):
                    exp = case.probe(ref, np.random.default_rng(rng_seed))
                    got = case.probe(ns, np.random.default_rng(rng_seed))
            except Exception:  # the worker reports the exception class only
                continue
            if compare_results(got, exp, case) is None:
                continue
            failing += 1
            cause = hidden_case_cause(v.task, case, got, rng_seed, exp)
            if cause and re.search(v.cause, cause, re.I):
                named += 1
            elif cause:
                wrong.append(f"{v.id}: {cause}")
            break
    SUMMARY.append(
        f"hidden cases: {failing} variants fail one, cause named for {named} "
        f"({named / failing:.1%}), misleading: {len(wrong)}"
    )
    assert not wrong, "\n".join(wrong)
    assert named / failing >= 0.7


def test_knn_tie_toward_the_nearest_neighbour_is_not_told_k_is_ignored():
    tie, first = (
        next(v for v in VARIANTS if v.task == "a1_knn_predict" and v.new.startswith(s))
        for s in ("[c for c in closest_y", "closest_y[0]")
    )
    cause = _run(tie).likely_cause
    assert "NEAREST neighbour among them" in cause and "k is ignored" not in cause
    cause = _run(first).likely_cause
    assert cause.startswith("k is ignored") and "tie" not in cause


# ---------------------------------------------------------------- reasoning beyond fingerprints
def test_exact_relations_of_any_compared_array_are_named_and_nothing_else():
    from cs231n.checks.common import explain_relation

    w = np.linspace(-1, 2, 12).reshape(3, 4)
    assert "opposite sign" in explain_relation(-w, w)
    assert "exactly 2 times" in explain_relation(2 * w, w)
    assert explain_relation(w, w) == ""
    assert explain_relation(np.float64(3.0), np.float64(1.5)) == ""  # a scalar proves nothing
    assert explain_relation(2 * np.ones(5), np.ones(5)) == ""  # nor does a constant array
    noisy = 2 * w
    noisy[1, 1] += 0.1
    assert explain_relation(noisy, w) == ""


def test_regularization_gradient_hints_come_from_the_numerical_gradient():
    from cs231n.checks.common import reg_gradient_hints

    W, num = np.ones((2, 3)), np.arange(6.0).reshape(2, 3)
    assert reg_gradient_hints("W1", W, 0.0, num) == []
    assert reg_gradient_hints("b1", W, 0.5, num) == []
    (missing, c1), (twice, c2) = reg_gradient_hints("W2", W, 0.5, num)
    assert np.allclose(missing, num - 0.5) and "missing" in c1
    assert np.allclose(twice, num + 0.5) and "twice" in c2


def test_batchnorm_dx_is_fitted_to_its_terms():
    from cs231n.checks.BatchNormalization import _terms_hint
    from cs231n.checks.common import _load

    data = _load("BatchNormalization")
    t = {k: data[f"batchnorm.dx.term_{k}"] for k in ("direct", "mean", "var", "mean_other")}
    assert _terms_hint("batchnorm", t["direct"] + t["mean"] + t["var"]) == []  # the right dx
    [(_, cause)] = _terms_hint("batchnorm", t["direct"] + t["var"])
    assert cause.startswith("the term through the MEAN is missing")
    [(_, cause)] = _terms_hint("batchnorm", t["direct"] + t["mean_other"] + t["var"])
    assert cause.startswith("the MEAN term averages over axis 1 instead of axis 0")
    [(_, cause)] = _terms_hint("batchnorm", t["direct"] + t["mean"] - t["var"])
    assert cause.startswith("the term through the VARIANCE has the wrong sign")
    noisy = t["direct"] + t["mean"] + t["var"]
    noisy[0, 0] += 0.1
    assert _terms_hint("batchnorm", noisy) == []  # no exact combination: no guess
    assert _terms_hint("batchnorm", np.ones((2, 2))) == []


def _cause_of(fn, *args):
    from cs231n.checks._hints import explain_exception

    try:
        fn(*args)
    except Exception as exc:  # the student's code raised
        return explain_exception(exc)[1]
    raise AssertionError("expected an exception")


def test_exception_hints_for_reshape_unpadded_windows_and_empty_ranges():
    def reshape_mean(x):
        mu = x.mean(axis=0, keepdims=True)
        return mu.reshape(x.shape[1])

    cause = _cause_of(reshape_mean, np.ones((2, 3, 4, 5)))
    assert "shape (1, 3, 4, 5)" in cause and "axis 2, 3" in cause

    def window_of_unpadded(x):
        xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
        dw = np.zeros((2, 3, 3))
        dw += x[:, 2:5, 2:5] * 1.0
        return xp, dw

    cause = _cause_of(window_of_unpadded, np.ones((2, 4, 4)))
    assert "sliced from x" in cause and "slice xp" in cause

    def offsets(n, pad):
        return np.random.default_rng(0).integers(0, 2 * pad, size=n)

    assert "high is excluded" in _cause_of(offsets, 3, 0)


def test_correct_class_hint_needs_a_difference_at_the_correct_classes_only():
    from cs231n.checks.common import correct_class_hints

    rng = np.random.default_rng(0)
    y = np.array([0, 2, 1, 2])
    num = rng.normal(size=(4, 3))
    wrong = num.copy()
    wrong[np.arange(4), y] += 0.5
    assert "correct-class" in correct_class_hints(wrong, num, y)[0][1]
    other = num.copy()
    other[0, 1] += 0.5
    assert correct_class_hints(other, num, y) == []
    assert correct_class_hints(num, num, y) == []
    X = rng.normal(size=(4, 6))  # dW = X.T @ dscores: the difference through X
    E = np.zeros((4, 3))
    E[np.arange(4), y] = [1.0, -2.0, 0.5, 3.0]
    dnum = X.T @ rng.normal(size=(4, 3))
    assert correct_class_hints(dnum + X.T @ E, dnum, y, X)
    E[0, 1] = 1.0
    assert correct_class_hints(dnum + X.T @ E, dnum, y, X) == []

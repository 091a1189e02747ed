"""Tests of the student self-check (cs231n.course.self_check).

Fake registries exercise every status; the real checks (cs231n.checks) are run against
the reference objects, presented as if the student had written them in the notebook,
and against stubs, once those checks are registered.
"""

from __future__ import annotations

import importlib
import types

import pytest

from cs231n.checks import CheckFailed, NotAttempted
from cs231n.checks._core import Check
from cs231n.course.tasks import TASKS, tasks_for

# the module, even once cs231n/__init__.py re-exports the function under the same name
sc = importlib.import_module("cs231n.course.self_check")
KNN = [t.id for t in tasks_for(notebook="knn")]


def _student(name, body=None):
    """A function that looks defined in a notebook (module ``__main__``)."""

    def fn(*args, **kwargs):
        return body(*args, **kwargs) if body else None

    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = "__main__"
    return fn


def _package_stub(name, task_id):
    def fn(*args, **kwargs):
        raise NotImplementedError(f"{task_id}: {name} is not implemented yet.")

    fn.__name__ = name
    fn.__module__ = "cs231n.classifiers.k_nearest_neighbor"
    return fn


def _knn_namespace():
    return {t.names[0]: _student(t.names[0]) for t in tasks_for(notebook="knn")}


@pytest.fixture
def fake_registry(monkeypatch):
    """A registry of fake checks for the knn notebook, one per behaviour."""

    def ok(fn):
        print("this line is captured, not shown")
        fn()

    def wrong(fn):
        raise CheckFailed("element (0, 1) is 2.0, expected 1.0. Likely cause: <forgot sqrt>")

    def stub(fn):
        fn()  # the student's function raises NotImplementedError

    def crashes(fn):
        fn()

    reg = {
        "a1_knn_two_loops": Check("a1_knn_two_loops", ok, ("compute_distances_two_loops",)),
        "a1_knn_one_loop": Check("a1_knn_one_loop", wrong, ("compute_distances_one_loop",)),
        "a1_knn_no_loops": Check("a1_knn_no_loops", stub, ("compute_distances_no_loops",)),
        "a1_knn_predict": Check("a1_knn_predict", crashes, ("predict_labels",)),
        # a1_knn_cross_validation deliberately has no check
    }
    monkeypatch.setattr(sc, "_load_checks", lambda notes: reg)
    return reg


def test_every_status_with_fake_checks(fake_registry, capsys):
    ns = _knn_namespace()

    def not_done():
        raise NotImplementedError(
            "a1_knn_no_loops: compute_distances_no_loops is not implemented yet."
        )

    ns["compute_distances_no_loops"] = _student("compute_distances_no_loops", not_done)
    ns["predict_labels"] = _student("predict_labels", lambda: 1 / 0)
    report = sc.self_check("knn", namespace=ns, show=False)
    assert capsys.readouterr().out == ""  # check output is captured, nothing printed
    got = {r.task_id: r.status for r in report.results}
    assert got == {
        "a1_knn_two_loops": sc.PASSED,
        "a1_knn_one_loop": sc.FAILED,
        "a1_knn_no_loops": sc.NOT_ATTEMPTED,
        "a1_knn_predict": sc.FAILED,
        "a1_knn_cross_validation": sc.NO_CHECK,
    }
    res = report.by_id()
    assert "this line is captured" in res["a1_knn_two_loops"].output
    assert "Likely cause" in res["a1_knn_one_loop"].message
    assert "not implemented yet" in res["a1_knn_no_loops"].message
    assert res["a1_knn_predict"].message.startswith("ZeroDivisionError")
    assert [r.task_id for r in report.results] == KNN  # teaching order
    assert not report.all_passed
    assert report.summary_line().startswith("Self-check of knn (assignment1): 1 passed, 2 failed")


def test_missing_and_package_stub_are_not_attempted(fake_registry):
    ns = _knn_namespace()
    del ns["compute_distances_two_loops"]
    ns["compute_distances_one_loop"] = _package_stub(
        "compute_distances_one_loop", "a1_knn_one_loop"
    )
    report = sc.self_check("knn", namespace=ns, show=False)
    res = report.by_id()
    assert res["a1_knn_two_loops"].status == sc.NOT_ATTEMPTED
    assert "not defined yet" in res["a1_knn_two_loops"].message
    # the package's object is never called: it is the stub, not the student's code
    assert res["a1_knn_one_loop"].status == sc.NOT_ATTEMPTED
    assert "cs231n package" in res["a1_knn_one_loop"].message


def test_not_attempted_exception_and_blocked_dependency(monkeypatch):
    def raises_not_attempted(fn):
        raise NotAttempted("a1_knn_two_loops: still the stub")

    def needs_other(fn):
        raise NotImplementedError(
            "a1_knn_two_loops: compute_distances_two_loops is not implemented yet."
        )

    reg = {
        "a1_knn_two_loops": Check(
            "a1_knn_two_loops", raises_not_attempted, ("compute_distances_two_loops",)
        ),
        "a1_knn_predict": Check("a1_knn_predict", needs_other, ("predict_labels",)),
    }
    monkeypatch.setattr(sc, "_load_checks", lambda notes: reg)
    report = sc.self_check("knn", namespace=_knn_namespace(), show=False)
    res = report.by_id()
    assert res["a1_knn_two_loops"].status == sc.NOT_ATTEMPTED
    assert res["a1_knn_predict"].status == sc.BLOCKED
    assert "needs a1_knn_two_loops first" in res["a1_knn_predict"].message


def test_all_passed(monkeypatch):
    reg = {
        tid: Check(tid, lambda fn: None, (tasks_for(notebook="knn")[i].names[0],))
        for i, tid in enumerate(KNN)
    }
    monkeypatch.setattr(sc, "_load_checks", lambda notes: reg)
    report = sc.self_check("knn", namespace=_knn_namespace(), show=False)
    assert report.all_passed
    assert report.count(sc.PASSED) == len(KNN)


# ---------------------------------------------------------------------- notebook names
def test_infer_notebook_from_defined_names():
    assert sc.infer_notebook(_knn_namespace()) == "knn"
    # package imports (a `from cs231n.layers import *`) do not outweigh notebook code
    ns = {"compute_distances_two_loops": _student("compute_distances_two_loops")}
    ns.update(
        {n: _package_stub(n, "x") for t in tasks_for(notebook="two_layer_net") for n in t.names}
    )
    assert sc.infer_notebook(ns) == "knn"


def test_infer_notebook_errors_and_session_tie_break():
    with pytest.raises(LookupError, match="self_check\\('knn'\\)"):
        sc.infer_notebook({})
    ns = {"compute_distances_two_loops": _student("compute_distances_two_loops")}
    ns["svm_loss_naive"] = _student("svm_loss_naive")
    with pytest.raises(LookupError, match="knn, svm"):
        sc.infer_notebook(ns)
    ns["__session__"] = "some/folder/svm.ipynb"
    assert sc.infer_notebook(ns) == "svm"
    assert sc.infer_notebook({"__session__": "two_layer_net.ipynb"}) == "two_layer_net"


@pytest.mark.parametrize("name", ["knn", "KNN", "knn.ipynb", "assignment1/knn.ipynb"])
def test_notebook_argument_forms(name):
    label, assignment, tasks = sc._resolve_notebook(name)
    assert (label, assignment) == ("knn", "assignment1")
    assert [t.id for t in tasks] == KNN


def test_assignment_argument_and_unknown_name():
    label, assignment, tasks = sc._resolve_notebook("assignment2")
    assert label == assignment == "assignment2"
    assert {t.assignment for t in tasks} == {"assignment2"}
    with pytest.raises(ValueError, match="Did you mean 'two_layer_net'"):
        sc._resolve_notebook("two_layer_nets")


def test_caller_globals_are_the_default_namespace(fake_registry):
    # outside IPython the caller's globals are used: run the call from a module namespace
    mod = types.ModuleType("student_module")
    mod.__dict__.update(_knn_namespace())
    mod.__dict__["self_check"] = sc.self_check
    exec("report = self_check(show=False)", mod.__dict__)
    report = mod.__dict__["report"]
    assert report.notebook == "knn"
    assert report.by_id()["a1_knn_two_loops"].status == sc.PASSED


# ---------------------------------------------------------------------- rendering
def test_text_and_html_rendering(fake_registry):
    report = sc.self_check("knn", namespace=_knn_namespace(), show=False)
    text = str(report)
    assert "hidden tests" in text and "may still fail" in text
    assert "a1_knn_one_loop" in text and "Likely cause" in text
    page = report.to_html()
    assert "<table" in page and "hidden tests" in page
    assert "&lt;forgot sqrt&gt;" in page and "<forgot sqrt>" not in page  # escaped
    assert "passed" in repr(report) and "\n" not in repr(report)


def test_show_prints_text_outside_ipython(fake_registry, capsys):
    sc.self_check("knn", namespace=_knn_namespace())
    out = capsys.readouterr().out
    assert out.startswith("Self-check of knn (assignment1)")
    assert "hidden tests" in out


def test_show_uses_rich_display_in_ipython_once(fake_registry, monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    report = sc.self_check("knn", namespace=_knn_namespace())
    assert len(shown) == 1 and set(shown[0]) == {"text/plain", "text/html"}
    report._ipython_display_()  # the cell's displayhook right after the call: no repeat
    assert len(shown) == 1
    report._ipython_display_()  # showing the report again later works
    assert len(shown) == 2


def test_in_a_real_ipython_shell(fake_registry):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.user_ns.update(_knn_namespace())
        shell.user_ns["_sc"] = sc
        shell.run_cell("r = _sc.self_check(show=False)")
        assert shell.user_ns["r"].notebook == "knn"
    finally:
        InteractiveShell.clear_instance()


def test_package_level_export():
    import cs231n

    if not callable(getattr(cs231n, "self_check", None)):
        pytest.skip("cs231n/__init__.py does not re-export self_check yet")
    assert cs231n.self_check is sc.self_check


# ---------------------------------------------------------------------- real checks
def _as_notebook_object(obj):
    """The reference object as if the student had typed it into a notebook cell."""
    if isinstance(obj, type):
        return type(obj.__name__, (obj,), {"__module__": "__main__"})

    def fn(*args, **kwargs):
        return obj(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = obj.__name__
    fn.__module__ = "__main__"
    return fn


def _stub(task, name):
    def fn(*args, **kwargs):
        raise NotImplementedError(f"{task.id}: {name} is not implemented yet.")

    fn.__name__ = name
    fn.__module__ = "__main__"
    return fn


def _registered():
    return sc._load_checks([])


REAL_NOTEBOOKS = sorted({t.notebook for t in TASKS})


@pytest.mark.parametrize("notebook", REAL_NOTEBOOKS)
def test_real_checks_pass_on_reference_and_not_attempted_on_stubs(notebook):
    registry = _registered()
    tasks = [t for t in tasks_for(notebook=notebook) if t.id in registry]
    if not tasks:
        pytest.skip(f"no visible checks registered for {notebook} yet")
    ns = {}
    for task in tasks:
        try:
            objects = task.resolve()
        except ImportError as exc:
            pytest.skip(f"reference objects of {task.id} not importable: {exc}")
        for name, obj in zip(task.names, objects):
            ns[name] = _as_notebook_object(obj)
    report = sc.self_check(notebook, namespace=ns, show=False)
    res = report.by_id()
    bad = {t.id: res[t.id].message for t in tasks if res[t.id].status != sc.PASSED}
    assert not bad, bad

    stubs = {n: _stub(t, n) for t in tasks for n in registry[t.id].names}
    report = sc.self_check(notebook, namespace=stubs, show=False)
    res = report.by_id()
    for task in tasks:
        assert res[task.id].status in (sc.NOT_ATTEMPTED, sc.BLOCKED), (task.id, res[task.id])


def test_self_check_reads_the_structured_result_and_its_likely_cause():
    """A CS231n-style dropout (dropout_param['p']) fails with the keep_prob hint, read from
    the check's CheckResult rather than from printed text."""
    from cs231n.layers import dropout_backward

    def dropout_forward(x, dropout_param):
        p = dropout_param["p"]
        return x * p, (dropout_param, None)

    ns = {
        "dropout_forward": _student("dropout_forward", dropout_forward),
        "dropout_backward": _student("dropout_backward", dropout_backward),
    }
    report = sc.self_check("Dropout", namespace=ns, show=False)
    row = report.by_id()["a2_dropout_forward"]
    assert row.status == sc.FAILED
    assert "KeyError: 'p'" in row.message and "keep_prob" in row.message
    assert "keep_prob" in row.likely_cause and "CS231n" in row.likely_cause

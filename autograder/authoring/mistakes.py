"""Known mistakes: one-line changes to the reference, fingerprinted at build time.

``assignments/<assignment>/hidden/_mistakes.py`` (never released) lists
``MISTAKES = [Mistake(task, obj, old, new, cause), ...]``: in the source of the
reference object ``obj``, ``old`` (which must occur exactly once) becomes ``new``.
:func:`fingerprints` runs each through the task's visible check and returns what the
check saw where it failed (see :mod:`cs231n.checks._fingerprints`), to be stored with
the notebook's expected values. A mistake the check does not catch, or whose source
text no longer matches the reference, is skipped with a warning naming it (the build of
other notebooks goes on); ``tests/test_mistake_catalogue.py`` fails on either.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import linecache
import warnings
from dataclasses import dataclass
from importlib import import_module

import numpy as np


@dataclass(frozen=True)
class Mistake:
    task: str
    obj: str
    old: str
    new: str
    cause: str

    @property
    def id(self) -> str:
        return f"{self.task}:{self.obj}:{' '.join(self.new.split())[:50]}"


def reference_object(name: str):
    """The reference object a notebook calls ``name`` (any task's object)."""
    from cs231n.course.tasks import TASKS

    for task in TASKS:
        if name in task.names:
            mod, qual = task.objects[task.names.index(name)].split(":")
            return getattr(import_module(mod), qual)
    raise KeyError(f"no task defines {name!r}")


def mutate(name: str, old: str, new: str, tag: str = "mistake"):
    """The reference object ``name`` with ``old`` replaced by ``new`` in its source."""
    ref = reference_object(name)
    mod = inspect.getmodule(ref)
    src = inspect.getsource(ref)
    if src.count(old) != 1:
        raise ValueError(f"{name}: {old!r} occurs {src.count(old)} times in the reference source")
    new_src = src.replace(old, new)
    fname = f"<{tag} {name} {abs(hash((old, new))) % 10**8}>"
    linecache.cache[fname] = (len(new_src), None, new_src.splitlines(True), fname)
    namespace = dict(vars(mod))
    exec(compile(new_src, fname, "exec"), namespace)
    return namespace[name]


def run_with(task_id: str, replaced: dict):
    """Run the visible check of ``task_id`` with some objects replaced; the CheckResult."""
    from cs231n.checks import REGISTRY

    check = REGISTRY[task_id]
    objs = [replaced[n] if n in replaced else reference_object(n) for n in check.names]
    with (
        contextlib.redirect_stdout(io.StringIO()),
        np.errstate(all="ignore"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        return check.run(*objs)


def fingerprints(notebook: str, data: dict, mistakes) -> dict[str, np.ndarray]:
    """``fp/<task>/<i>/...`` entries for the known mistakes of ``notebook``'s tasks."""
    from cs231n.checks._fingerprints import OVERRIDES, recording
    from cs231n.course.tasks import get_task

    out: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    OVERRIDES[notebook] = data
    try:
        for m in mistakes:
            if get_task(m.task).notebook != notebook:
                continue
            try:
                wrong = mutate(m.obj, m.old, m.new)
            except ValueError as exc:  # the reference changed: this mistake names nothing
                warnings.warn(f"known mistake {m.id} skipped: {exc}", stacklevel=2)
                continue
            with recording() as seen:
                result = run_with(m.task, {m.obj: wrong})
            if result.status == "passed":
                warnings.warn(f"known mistake {m.id} passes the visible check", stacklevel=2)
                continue
            if result.status != "failed" or result.likely_cause:
                continue  # an exception (explained by the hints) or a hand-written hint
            i = counts.get(m.task, 0)
            counts[m.task] = i + 1
            key = f"fp/{m.task}/{i}"
            out[f"{key}/cause"] = np.array(m.cause)
            if seen:
                label, got = seen[-1]
                out[f"{key}/label"] = np.array(label)
                out[f"{key}/got"] = got
            else:  # a failure that compares no array: its message is the fingerprint
                out[f"{key}/message"] = np.array(result.message)
    finally:
        OVERRIDES.pop(notebook, None)
    return out


def known_mistakes() -> list[Mistake]:
    """Every ``MISTAKES`` list of ``assignments/*/hidden/_mistakes.py``."""
    from autograder.authoring.source import ASSIGNMENTS_DIR, load_module

    out: list[Mistake] = []
    for path in sorted(ASSIGNMENTS_DIR.glob("*/hidden/_mistakes.py")):
        out.extend(load_module(path).MISTAKES)
    return out


_MUTATED: dict = {}
_VARIANT_OUT: dict = {}


def _mutated(m: Mistake):
    key = (m.obj, m.old, m.new)
    if key not in _MUTATED:
        try:
            _MUTATED[key] = mutate(m.obj, m.old, m.new)
        except Exception:  # the reference changed since the table was written
            _MUTATED[key] = None
    return _MUTATED[key]


def hidden_case_cause(task_id: str, case, got: dict, seed: int, expected=None) -> str:
    """The cause of the one known mistake whose output on a hidden case equals ``got``.

    Runs on the grader's trusted side, after a hidden case failed: each known mistake of
    ``task_id`` is run through the case's probe with the same seed as the reference,
    and a cause is returned only when every mistake that reproduces the student's
    results names the same one (else ``""``). The text comes from the instructor's
    tables; the student's results only decide whether it is shown.
    """
    from cs231n.checks._fingerprints import _same, _unique

    try:
        names = set(get_task_names(task_id))
        causes = []
        for m in known_mistakes_of(task_id):
            key = (m.task, m.obj, m.old, m.new, id(case), seed)
            if len(_VARIANT_OUT) > 4096:  # seeds differ per submission: keep memory bounded
                _VARIANT_OUT.clear()
            if key not in _VARIANT_OUT:
                wrong = _mutated(m)
                out = None
                if wrong is not None:
                    from autograder.hidden import reference_namespace

                    ns = reference_namespace(task_id)
                    ns[m.obj] = wrong
                    if m.obj not in names:
                        ns.setdefault(m.obj, wrong)
                    try:
                        with np.errstate(all="ignore"), warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            res = case.probe(ns, np.random.default_rng(seed))
                        out = {k: np.asarray(v) for k, v in res.items()}
                    except Exception:
                        out = None
                _VARIANT_OUT[key] = out
            out = _VARIANT_OUT[key]
            if out is None or not isinstance(got, dict) or set(out) != set(got):
                continue
            if all(_same(got[k], out[k]) for k in out if np.asarray(out[k]).dtype.kind in "biufb"):
                causes.append(m.cause)
        if causes:
            return _unique(causes)
        return _reasoned(got, expected) if expected is not None else ""
    except Exception:  # a hint must never break grading
        return ""


def _reasoned(got: dict, expected: dict) -> str:
    """The visible checks' reasoning (shapes, exact sign or scale) on the first wrong result."""
    from cs231n.checks.common import explain_gradient, explain_shape

    for key in sorted(expected):
        g, e = np.asarray(got.get(key)), np.asarray(expected[key])
        if g.dtype.kind not in "biuf" or e.dtype.kind not in "biuf":
            return ""
        if g.shape != e.shape:
            if g.shape == () and not np.isfinite(g):  # a missing result, not a reduction
                return ""
            found = explain_shape(g.shape, e.shape)
            return f"{key}: {found}" if found else ""
        if not np.allclose(g, e, rtol=1e-6, atol=1e-12):
            is_grad = key.startswith(("d", "grad")) and e.size >= 4 and e.dtype.kind == "f"
            found = explain_gradient(g, e) if is_grad else ""
            return f"{key}: {found}" if found else ""
    return ""


def get_task_names(task_id: str) -> tuple:
    from cs231n.course.tasks import get_task

    return get_task(task_id).names


_BY_TASK: dict | None = None


def known_mistakes_of(task_id: str) -> list[Mistake]:
    global _BY_TASK
    if _BY_TASK is None:
        table: dict = {}
        for m in known_mistakes():
            table.setdefault(m.task, []).append(m)
        _BY_TASK = table
    return _BY_TASK.get(task_id, [])

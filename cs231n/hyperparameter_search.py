"""Hyperparameter search: random and grid search, log-uniform sampling, coarse-to-fine.

A *search space* maps each hyperparameter name to how it is drawn:

=============================  ============================================================
spec                           draws
=============================  ============================================================
``("log", low, high)``         log-uniformly from [low, high] (learning rates, reg)
``("uniform", low, high)``     uniformly from [low, high]
``("choice", [a, b, ...])``    one of the listed values, equally likely
``callable(rng) -> value``     whatever the callable returns (``rng`` is a Generator)
=============================  ============================================================

``train_fn(**params)`` trains one model and returns either a float (the validation
accuracy) or a dict of metrics containing ``"val_acc"`` (e.g. ``{"val_acc": 0.51,
"train_acc": 0.63}``).  Every search returns a :class:`SearchResults`: a list of dicts,
one per trial, holding the hyperparameters and the metrics, which prints as a table
sorted by validation accuracy.

Example::

    space = {"learning_rate": ("log", 1e-4, 1e-2), "reg": ("log", 1e-5, 1e-1)}
    results = random_search(train_fn, space, num_trials=20, seed=0)
    results                      # a table, best first
    space = refine(results, space=space)   # a narrower space around the best trials
"""

from __future__ import annotations

import difflib
import html
import itertools
import math
import numbers

import numpy as np

from cs231n.validation import ConfigError, check_positive, fail

__all__ = [
    "SearchResults",
    "check_space",
    "grid_search",
    "log_uniform",
    "log_uniform_inputs",
    "random_search",
    "refine",
    "run_trial",
]

_KINDS = ("log", "uniform", "choice")


def log_uniform_inputs(low, high):
    """Check the arguments of :func:`log_uniform`.

    Parameters
    ----------
    low, high
        As in :func:`log_uniform`.

    Raises
    ------
    ConfigError
        Saying what was expected, what was passed, and how to fix it.
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
    log_uniform_inputs(low, high)
    rng = np.random.default_rng(rng)
    # TODO(a2_log_uniform): draw the exponent uniformly between log10(low) and log10(high)
    # (rng.uniform with this size) and return 10 to that power.
    ### BEGIN SOLUTION
    exponent = rng.uniform(np.log10(low), np.log10(high), size=size)
    sample = 10.0**exponent
    ### END SOLUTION
    return float(sample) if size is None else sample


def check_space(space):
    """Validate a search space (see the module docstring) and return it.

    Raises
    ------
    ConfigError
        Naming the hyperparameter whose spec is malformed and what a valid one looks like.
    """
    if not isinstance(space, dict) or not space:
        fail("search space", "a non-empty dict name -> spec", repr(space)[:80], None, ConfigError)
    for name, spec in space.items():
        if callable(spec):
            continue
        example = '("log", 1e-4, 1e-1), ("uniform", 0.0, 1.0) or ("choice", [32, 64])'
        if not isinstance(spec, (tuple, list)) or not spec or spec[0] not in _KINDS:
            fail(
                f"search space[{name!r}]",
                f"a spec such as {example}, or a callable(rng)",
                repr(spec),
                None,
                ConfigError,
            )
        kind = spec[0]
        if kind == "choice":
            if len(spec) != 2 or not isinstance(spec[1], (list, tuple)) or not spec[1]:
                fail(
                    f"search space[{name!r}]",
                    '("choice", [value, ...]) with a non-empty list',
                    repr(spec),
                    None,
                    ConfigError,
                )
        else:
            ok = (
                len(spec) == 3
                and all(isinstance(v, numbers.Real) for v in spec[1:])
                and spec[1] <= spec[2]
            )
            if ok and kind == "log":
                ok = spec[1] > 0
            if not ok:
                need = "0 < low <= high" if kind == "log" else "low <= high"
                fail(
                    f"search space[{name!r}]",
                    f'("{kind}", low, high) with {need}',
                    repr(spec),
                    None,
                    ConfigError,
                )
    return space


def run_trial(train_fn, params):
    """Call ``train_fn(**params)`` and return one result row: params plus metrics.

    A float result becomes ``{"val_acc": value}``; a dict result must contain
    ``"val_acc"``.
    """
    out = train_fn(**params)
    if isinstance(out, dict):
        if "val_acc" not in out:
            fail(
                "train_fn",
                'a float or a dict with the key "val_acc"',
                f"a dict with keys {sorted(out)}",
                "return e.g. {'val_acc': solver.best_val_acc}",
                ConfigError,
            )
        metrics = {k: (float(v) if isinstance(v, numbers.Real) else v) for k, v in out.items()}
    elif isinstance(out, numbers.Real):
        metrics = {"val_acc": float(out)}
    else:
        fail(
            "train_fn",
            'a float or a dict with the key "val_acc"',
            type(out).__name__,
            None,
            ConfigError,
        )
    return {**params, **metrics}


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


def grid_search(train_fn, grid):
    """Grid search: try every combination of the listed values.

    Parameters
    ----------
    train_fn : callable
        ``train_fn(**params) -> float or dict with "val_acc"``.
    grid : dict
        Name -> list of values.  The number of trials is the product of the lengths.

    Returns
    -------
    results : SearchResults
        One row per combination, the last name varying fastest.
    """
    if not isinstance(grid, dict) or not grid:
        fail(
            "grid_search: grid",
            "a non-empty dict name -> list of values",
            repr(grid)[:80],
            None,
            ConfigError,
        )
    for name, values in grid.items():
        if not isinstance(values, (list, tuple, np.ndarray)) or len(values) == 0:
            fail(
                f"grid_search: grid[{name!r}]",
                "a non-empty list of values",
                repr(values)[:80],
                "wrap a single value in a list",
                ConfigError,
            )
    names = list(grid)
    results = SearchResults()
    for combo in itertools.product(*(list(grid[n]) for n in names)):
        params = {n: (v.item() if isinstance(v, np.generic) else v) for n, v in zip(names, combo)}
        results.append(run_trial(train_fn, params))
    return results


def refine(results, top_k=3, space=None, shrink=0.5, by="val_acc"):
    """Coarse-to-fine: a narrower search space around the best trials.

    For each numeric hyperparameter the new range covers the values of the ``top_k``
    best trials and at least ``shrink`` times the width of the old range, centred on the
    best trial (in log10 units for ``"log"`` specs), clipped to the old range.
    ``"choice"`` hyperparameters keep the values seen among the ``top_k`` best;
    callables are kept as they are.

    Parameters
    ----------
    results : SearchResults or list of dict
        A finished search.
    top_k : int
        How many of the best trials the new range must contain.
    space : dict, optional
        The space searched.  Without it the kinds are inferred: positive floats are
        ``"log"``, other numbers ``"uniform"``, anything else ``"choice"``, and the old
        range is the span of all the trials.
    shrink : float
        Minimum width of the new range as a fraction of the old one, in (0, 1].
    by : str
        The metric that ranks the trials.

    Returns
    -------
    space : dict
        A new search space for :func:`random_search`.
    """
    results = SearchResults(results)
    if not results:
        fail(
            "refine: results", "at least one trial", "no trials", "run a search first", ConfigError
        )
    check_positive(top_k, "refine: top_k")
    if not 0 < shrink <= 1:
        fail("refine: shrink", "a fraction in (0, 1]", repr(shrink), None, ConfigError)
    ranked = results.sorted(by=by)
    top = ranked[: int(top_k)]
    best = top[0]
    if space is None:
        space = _infer_space(results, by)
    else:
        check_space(space)
    new_space = {}
    for name, spec in space.items():
        if callable(spec):
            new_space[name] = spec
            continue
        if spec[0] == "choice":
            seen = {repr(r[name]) for r in top if name in r}
            kept = [v for v in spec[1] if repr(v) in seen] or list(spec[1])
            new_space[name] = ("choice", kept)
            continue
        kind, low, high = spec
        to = (lambda v: math.log10(v)) if kind == "log" else (lambda v: float(v))
        back = (lambda u: 10.0**u) if kind == "log" else (lambda u: u)
        lo_u, hi_u = to(low), to(high)
        vals = [to(r[name]) for r in top if name in r]
        centre = to(best[name])
        half = 0.5 * shrink * (hi_u - lo_u)
        new_lo = max(lo_u, min(min(vals), centre - half))
        new_hi = min(hi_u, max(max(vals), centre + half))
        new_space[name] = (kind, back(new_lo), back(new_hi))
    return new_space


def _infer_space(results, by):
    metric_keys = {by, "train_acc", "val_acc", "loss", "test_acc"}
    names = [k for k in results[0] if k not in metric_keys]
    space = {}
    for name in names:
        values = [r[name] for r in results if name in r]
        numeric = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)
        if numeric and all(isinstance(v, float) for v in values) and min(values) > 0:
            space[name] = ("log", min(values), max(values))
        elif numeric and all(isinstance(v, float) for v in values):
            space[name] = ("uniform", min(values), max(values))
        else:
            unique = []
            for v in values:
                if v not in unique:
                    unique.append(v)
            space[name] = ("choice", unique)
    return space


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}" if (value == 0 or 1e-3 <= abs(value) < 1e4) else f"{value:.3e}"
    return str(value)


class SearchResults(list):
    """The trials of a search: a list of dicts that prints as a sorted table.

    Examples
    --------
    >>> r = SearchResults([{"lr": 0.1, "val_acc": 0.3}, {"lr": 0.01, "val_acc": 0.5}])
    >>> r.best["lr"]
    0.01
    >>> print(r.to_markdown())
    | lr | val_acc |
    |---|---|
    | 0.01 | 0.5 |
    | 0.1 | 0.3 |
    """

    def columns(self):
        """Column names: hyperparameters first, then metrics, in first-seen order."""
        cols = []
        for row in self:
            for key in row:
                if key not in cols:
                    cols.append(key)
        metrics = [c for c in cols if c.endswith("_acc") or c in ("loss", "score")]
        return [c for c in cols if c not in metrics] + metrics

    def sorted(self, by="val_acc", descending=True):
        """A new SearchResults sorted by a column (best first by default).

        Rows without the column go last.
        """
        if self and not any(by in row for row in self):
            close = difflib.get_close_matches(by, self.columns(), n=1)
            fail(
                "SearchResults.sorted: by",
                "one of the columns " + ", ".join(self.columns()),
                repr(by),
                f"did you mean {close[0]!r}?" if close else None,
                ConfigError,
            )
        have = [r for r in self if by in r]
        missing = [r for r in self if by not in r]
        return SearchResults(sorted(have, key=lambda r: r[by], reverse=descending) + missing)

    @property
    def best(self):
        """The row with the highest ``val_acc`` (None when empty)."""
        return self.sorted("val_acc")[0] if self else None

    def to_markdown(self, by="val_acc", max_rows=None):
        """The table in Markdown, sorted by ``by`` (best first)."""
        rows = self.sorted(by) if self and any(by in r for r in self) else self
        if max_rows is not None:
            rows = rows[:max_rows]
        cols = self.columns()
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for row in rows:
            lines.append("| " + " | ".join(_fmt(row.get(c, "")) for c in cols) + " |")
        return "\n".join(lines)

    def __repr__(self):
        if not self:
            return "SearchResults([])"
        return f"SearchResults: {len(self)} trials, best first\n" + self.to_markdown()

    def _repr_html_(self):
        rows = self.sorted("val_acc") if self and any("val_acc" in r for r in self) else self
        cols = self.columns()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c, '')))}</td>" for c in cols) + "</tr>"
            for r in rows
        )
        return (
            f"<p>{len(self)} trials, best first</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

"""Reusable pieces of the visible checks (used by ``assignment1.py`` and ``assignment2.py``).

* :func:`expected` loads the expected values generated at build time
  (``expected/<notebook>.npz``; ``python -m autograder.authoring.expected`` writes them
  with the generators registered by :func:`expected_generator`).
* :func:`check_close` compares with a dtype-aware tolerance and names the element, the
  expected and the received value; ``hints`` are fingerprints of known-wrong answers.
* :func:`check_gradient` compares an analytic gradient with a numeric one (centred
  differences of the student's own function), so it needs no reference code.
* :func:`unpack` checks that a function returned the tuple it should.

Messages follow one pattern: ``<what>: element (i, j) is <got>, expected <value>.
Likely cause: <hint>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import numpy as np

from cs231n.checks._core import CheckFailed, first_mismatch
from cs231n.course.testing import default_rtol

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"

#: notebook -> function returning ``{key: array}`` (reference outputs, inputs, wrong variants)
GENERATORS: dict[str, Callable[[], dict[str, np.ndarray]]] = {}

Hints = Iterable[tuple[np.ndarray, str]]


def expected_generator(notebook: str):
    """Decorator: register the build-time generator of ``expected/<notebook>.npz``."""

    def deco(func):
        GENERATORS[notebook] = func
        return func

    return deco


@cache
def expected(notebook: str) -> dict[str, np.ndarray]:
    """The expected values of one notebook's checks, as a dict of arrays."""
    path = EXPECTED_DIR / f"{notebook}.npz"
    if not path.is_file():
        raise FileNotFoundError(
            f"expected values of the {notebook} checks: expected the file {path}, found none. "
            "Fix: reinstall the kit; instructors: python -m autograder.authoring.expected."
        )
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def get(notebook: str, key: str) -> np.ndarray:
    """One expected array; a *copy*, so a student's function cannot spoil it."""
    data = expected(notebook)
    if key not in data:
        raise KeyError(
            f"{notebook}.npz has no entry {key!r}: the expected values are out of date. "
            "Instructors: python -m autograder.authoring.expected."
        )
    return np.array(data[key], copy=True)


def fail(message: str):
    raise CheckFailed(message)


def unpack(result, n: int, name: str, what: str):
    """Check that ``result`` is a tuple of ``n`` items (``what`` names them)."""
    if not isinstance(result, tuple) or len(result) != n:
        got = (
            f"a tuple of {len(result)} items"
            if isinstance(result, tuple)
            else type(result).__name__
        )
        fail(f"{name}: expected it to return {what}, got {got}. Check the return statement.")
    return result


def as_array(value, name: str) -> np.ndarray:
    if value is None:
        fail(f"{name}: got None. Did you forget to assign it (or to return it)?")
    try:
        return np.asarray(value, dtype=np.float64) if not isinstance(value, np.ndarray) else value
    except (TypeError, ValueError):
        fail(f"{name}: expected a number or an array, got {type(value).__name__}.")


def check_close(
    name: str,
    got,
    want,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    hints: Hints = (),
    shape_hint: str | None = None,
    nonfinite_hint: str | None = None,
) -> None:
    """Raise :class:`CheckFailed` unless ``got`` is close to ``want``.

    ``hints`` are ``(wrong_answer, cause)`` pairs; ``shape_hint`` and ``nonfinite_hint``
    explain a wrong shape or an inf/nan.
    """
    got = as_array(got, name)
    want = np.asarray(want)
    if got.shape != want.shape:
        msg = f"{name}: expected shape {want.shape}, got shape {got.shape}."
        for wrong, cause in hints:
            if np.shape(wrong) == got.shape:
                msg += f" Likely cause: {cause}"
                break
        else:
            msg += " " + (shape_hint or "Check which axes you sum over and how you reshape.")
        fail(msg)
    if got.dtype.kind not in "biuf":
        fail(f"{name}: expected numbers, got an array of dtype {got.dtype}.")
    if not np.all(np.isfinite(got)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        msg = (
            f"{name}: element {where} is {got[where]}, expected {want[where]!r} (a finite number)."
        )
        if nonfinite_hint:
            msg += f" Likely cause: {nonfinite_hint}"
        fail(msg)
    rtol = default_rtol(got, want) if rtol is None else rtol
    idx = first_mismatch(got.astype(np.float64), want.astype(np.float64), rtol, atol)
    if idx is None:
        return
    idx = tuple(int(i) for i in idx)
    where = f"element {idx}" if idx else "the value"
    msg = f"{name}: {where} is {fmt(got[idx])}, expected {fmt(want[idx])}."
    for wrong, cause in hints:
        wrong = np.asarray(wrong)
        if wrong.shape == got.shape and np.allclose(
            got, wrong, rtol=max(rtol, 1e-6), atol=max(atol, 1e-12)
        ):
            msg += f" Likely cause: {cause}"
            break
    fail(msg)


def fmt(value) -> str:
    """A number as a student reads it: ``0.25``, ``3``, ``1.2345678e-09`` (no ``np.float64(...)``)."""
    value = np.asarray(value)
    if value.dtype.kind in "biu":
        return str(int(value))
    if value.dtype.kind == "f":
        return repr(float(value))
    return repr(value.tolist())


def check_scalar(
    name: str,
    got,
    want: float,
    *,
    rtol: float = 1e-7,
    atol: float = 0.0,
    hints: Hints = (),
    nonfinite_hint=None,
):
    """Compare one number (a loss); ``got`` may be a float or a 0-d array."""
    arr = as_array(got, name)
    if arr.size != 1:
        fail(
            f"{name}: expected a single number, got an array of shape {arr.shape}. Did you forget to sum or average?"
        )
    check_close(
        name,
        np.float64(arr.reshape(())),
        np.float64(want),
        rtol=rtol,
        atol=atol,
        hints=[(np.float64(w), c) for w, c in hints],
        nonfinite_hint=nonfinite_hint,
    )


def numeric_gradient(
    f: Callable[[np.ndarray], object], x: np.ndarray, df=None, h: float = 1e-5
) -> np.ndarray:
    """Centred-difference gradient of scalar ``f`` (``df=None``) or of ``sum(f(x) * df)``."""
    from cs231n.gradient_check import eval_numerical_gradient, eval_numerical_gradient_array

    if df is None:
        return eval_numerical_gradient(lambda _: f(x), x, verbose=False, h=h)
    return eval_numerical_gradient_array(lambda _: f(x), x, df, h=h)


def check_gradient(
    name: str,
    analytic,
    numeric: np.ndarray,
    *,
    tol: float = 1e-6,
    hints: Hints = (),
    shape_hint: str | None = None,
) -> float:
    """Compare an analytic gradient with a numeric one by CS231n's relative error.

    The worst element is named with both values. Returns the relative error.
    """
    analytic = as_array(analytic, name)
    numeric = np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        check_close(name, analytic, numeric, hints=hints, shape_hint=shape_hint)
    if not np.all(np.isfinite(analytic)):
        check_close(name, analytic, numeric)
    a = analytic.astype(np.float64)
    err = np.abs(a - numeric) / np.maximum(1e-8, np.abs(a) + np.abs(numeric))
    worst = float(err.max()) if err.size else 0.0
    if worst <= tol:
        return worst
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
    where = f"element {idx}" if idx else "the value"
    msg = (
        f"{name}: {where} is {fmt(a[idx])}, but the numeric gradient of your own forward "
        f"pass is {fmt(numeric[idx])} (relative error {worst:.1e} > {tol:.0e})."
    )
    for wrong, cause in hints:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == a.shape and np.allclose(a, wrong, rtol=1e-5, atol=1e-9):
            msg += f" Likely cause: {cause}"
            break
    fail(msg)


def check_unchanged(name: str, before: np.ndarray, after: np.ndarray) -> None:
    """Fail if an input was modified in place."""
    if before.shape != after.shape or not np.array_equal(before, after):
        fail(
            f"{name} was modified in place. Work on new arrays (x = x - m, not x -= m) "
            "so callers keep their data."
        )


def regularization_hints(
    reg: float, W: np.ndarray, loss: float, dW: np.ndarray, n: int
) -> tuple[list, list]:
    """Fingerprints of the usual regularization and averaging mistakes.

    Given the correct ``loss`` and ``dW`` of ``data_loss + 0.5 * reg * sum(W**2)``,
    return ``(loss_hints, grad_hints)``.
    """
    r = 0.5 * reg * float(np.sum(W * W))
    data = loss - r
    loss_hints = [
        (data, "the regularization term 0.5 * reg * sum(W**2) is missing from the loss."),
        (
            data + 2 * r,
            "the loss uses reg * sum(W**2); the kit's convention is 0.5 * reg * sum(W**2).",
        ),
        (data * n + r, "the data loss is summed, not averaged over the N samples."),
    ]
    grad_hints = [
        (dW - reg * W, "the regularization gradient reg * W is missing from dW."),
        (
            dW + reg * W,
            "dW adds 2 * reg * W; with the loss 0.5 * reg * sum(W**2) the gradient is reg * W.",
        ),
        (
            (dW - reg * W) * n + reg * W,
            "the data gradient is summed, not averaged over the N samples.",
        ),
    ]
    return loss_hints, grad_hints


def passed(name: str, detail: str = "") -> None:
    """Print the one-line success message."""
    from cs231n.checks._core import passed as _passed

    _passed(name, detail)


def report_accuracy(what: str, accuracy: float, targets: dict, dataset: str = "default") -> bool:
    """Print an accuracy next to the notebook's target for ``dataset``; return whether met.

    ``targets`` maps dataset names (``"default"``, ``"cifar10"``) to the minimum accuracy
    the notebook asks for. Missing the target prints a suggestion; it does not raise
    (tuning is yours to improve, not a test).

    Examples
    --------
    >>> report_accuracy("k=1 test", 0.80, {"default": 0.74, "cifar10": 0.25})
    ACCURACY | k=1 test | default | 0.800 | target >= 0.740 | met
    True
    """
    accuracy = float(accuracy)
    target = targets.get(dataset)
    if target is None:
        print(f"ACCURACY | {what} | {dataset} | {accuracy:.3f} | no target for this dataset | -")
        return True
    met = accuracy >= target
    print(
        f"ACCURACY | {what} | {dataset} | {accuracy:.3f} | target >= {target:.3f} | {'met' if met else 'NOT met'}"
    )
    if not met:
        print("  Below the target: check the code above, then tune the hyperparameters.")
    return met

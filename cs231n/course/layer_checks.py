"""A reusable conformance suite for layers and losses, in the spirit of scikit-learn's
estimator checks.

Describe a layer once with a :class:`LayerSpec` (its forward, its backward and a
function that makes inputs), and the suite runs the same named checks on it:

========================  ================================================================
``output_shape_dtype``    the output is an array of the input's dtype, N rows, finite
``grad_shapes_dtypes``    backward returns one gradient per input, shaped and typed like it
``gradients_float64``     every gradient agrees with centred differences in float64 by
                          the kit's one gradient rule (``compare_gradient``: ``grad_tol``
                          per element plus ``grad_tol`` x the largest element, at least
                          ``grad_atol``)
``no_mutation``           forward and backward leave the inputs and ``dout`` unchanged
``float32``               float32 inputs give float32 results close to the float64 ones
``batch_of_one``          N = 1 works and gives finite values
``determinism``           the same inputs give bit-identical results twice
========================  ================================================================

Use it from pytest with one test id per (layer, check)::

    from cs231n.course.layer_checks import LayerSpec, parametrize_layer_checks

    def make_affine(rng, dtype, N):
        x = rng.standard_normal((N, 2, 3)).astype(dtype)
        w = rng.standard_normal((6, 4)).astype(dtype)
        b = rng.standard_normal(4).astype(dtype)
        return x, w, b

    SPECS = [LayerSpec("affine", affine_forward, affine_backward, make_affine)]

    @parametrize_layer_checks(SPECS)
    def test_layer(layer_check):
        layer_check()

``pytest -k gradients_float64`` then runs the gradient checks of every layer.  Or
iterate by hand: ``for name, check in layer_checks(spec): check()``.

A *layer* is ``forward(*args) -> (out, cache)`` with ``backward(dout, cache)`` returning
the gradients of the floating-point array arguments, in order (a single array when there
is one).  A *loss* has ``backward=None`` and ``forward(x, y) -> (loss, dx)``.
``make_inputs(rng, dtype, N)`` returns the positional arguments: arrays of ``dtype``
with a batch of ``N`` samples on axis 0, plus any parameter dicts or numbers.  Draw
inputs away from kinks (e.g. ReLU at 0) so the numerical gradient is meaningful.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cs231n.course.testing import compare, compare_gradient
from cs231n.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    gradient_report,
)
from cs231n.validation import ConfigError, check_choice, describe, fail

__all__ = [
    "CHECKS",
    "LayerCheckFailed",
    "LayerSpec",
    "layer_checks",
    "parametrize_layer_checks",
]

CHECKS = (
    "output_shape_dtype",
    "grad_shapes_dtypes",
    "gradients_float64",
    "no_mutation",
    "float32",
    "batch_of_one",
    "determinism",
)


class LayerCheckFailed(AssertionError):
    """A layer failed a conformance check; the message names the layer and the check."""


@dataclass(frozen=True)
class LayerSpec:
    """Everything the conformance suite needs to know about one layer or loss.

    Parameters
    ----------
    name : str
        Short name used in test ids, e.g. ``"affine"``.
    forward : callable
        ``forward(*args) -> (out, cache)``, or ``-> (loss, dx)`` for a loss.
    backward : callable or None
        ``backward(dout, cache) -> grads``; None marks a loss.
    make_inputs : callable
        ``make_inputs(rng, dtype, N) -> tuple`` of positional arguments of ``forward``.
    batch_size : int
        N used by the checks (except ``batch_of_one``).
    grad_tol : float
        Largest relative error accepted by ``gradients_float64``.
    grad_atol : float
        Absolute errors up to this are accepted too (rounding noise of the numerical
        gradient, e.g. for a bias followed by batch normalization, whose gradient is 0).
    grad_args : sequence of int, optional
        Positions of the arguments ``backward`` returns gradients for, in order.
        Default: every floating-point ndarray argument.
    float32_rtol : float
        Tolerance of the float32-vs-float64 comparison (relative to the largest value).
    task_ids : sequence of str
        Task ids whose pytest markers the checks get (``a1_affine_forward``).
    expected_failed_checks : mapping of str to str
        ``{check name: reason}``: these checks are expected to fail (pytest xfail).
    skip : sequence of str
        Checks not to run at all.
    """

    name: str
    forward: Callable
    backward: Callable | None
    make_inputs: Callable
    batch_size: int = 4
    grad_tol: float = 1e-7
    grad_atol: float = 1e-9
    grad_args: Sequence[int] | None = None
    float32_rtol: float = 1e-3
    task_ids: Sequence[str] = ()
    expected_failed_checks: Mapping[str, str] = field(default_factory=dict)
    skip: Sequence[str] = ()

    @property
    def is_loss(self) -> bool:
        return self.backward is None


# ----------------------------------------------------------------------------- helpers


def _fail(spec: LayerSpec, check: str, message: str):
    raise LayerCheckFailed(f"{spec.name} [{check}]: {message}")


def _inputs(spec: LayerSpec, seed: int, dtype, N: int | None = None) -> list:
    rng = np.random.default_rng(seed)
    args = spec.make_inputs(rng, np.dtype(dtype), spec.batch_size if N is None else N)
    if not isinstance(args, (tuple, list)):
        fail(
            f"LayerSpec {spec.name!r}: make_inputs",
            "a tuple of positional arguments for forward",
            describe(args),
            "return e.g. (x, w, b), or (x,) for one argument",
            TypeError,
        )
    return list(args)


def _grad_positions(spec: LayerSpec, args: list) -> list[int]:
    if spec.is_loss:
        return [0]
    if spec.grad_args is not None:
        return list(spec.grad_args)
    return [
        i
        for i, a in enumerate(args)
        if isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating)
    ]


def _arg_names(spec: LayerSpec, n: int) -> list[str]:
    try:
        params = list(inspect.signature(spec.forward).parameters)
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"arg{i}" for i in range(n)]


def _run(spec: LayerSpec, args: list, dout_seed: int = 1):
    """Run forward then backward; return (out, grads tuple, dout)."""
    if spec.is_loss:
        loss, dx = spec.forward(*args)
        return loss, (dx,), None
    out, cache = spec.forward(*args)
    if not isinstance(out, np.ndarray):
        _fail(
            spec,
            "output_shape_dtype",
            f"forward must return (out, cache) with out an ndarray, got {describe(out)}",
        )
    rng = np.random.default_rng(dout_seed)
    dout = rng.standard_normal(out.shape).astype(out.dtype)
    grads = spec.backward(dout, cache)
    if not isinstance(grads, tuple):
        grads = (grads,)
    return out, grads, dout


def _arrays_in(obj, found: list) -> None:
    if isinstance(obj, np.ndarray):
        found.append(obj)
    elif isinstance(obj, Mapping):
        for v in obj.values():
            _arrays_in(v, found)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _arrays_in(v, found)


def _to_float64(obj):
    if isinstance(obj, np.ndarray) and np.issubdtype(obj.dtype, np.floating):
        return obj.astype(np.float64)
    if isinstance(obj, dict):
        return {k: _to_float64(v) for k, v in obj.items()}
    return copy.deepcopy(obj)


def _close(a, b, rtol: float) -> tuple[bool, str]:
    """float32 against float64 through the kit's one comparison.

    The tolerance is ``rtol`` times the larger of 1 and the largest float64 element, as an
    absolute tolerance: float32 rounding grows with the size of the values involved.
    """
    b = np.asarray(b, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
    reason = compare(a, b, rtol=0.0, atol=rtol * scale, name="float32")
    if reason is None:
        return True, ""
    return False, reason.replace("float32: ", "", 1).replace(", expected ", ", float64 gives ") + (
        f" (tolerance {rtol:g} x {scale:.3g})"
    )


# ----------------------------------------------------------------------------- checks


def check_output_shape_dtype(spec: LayerSpec) -> None:
    name = "output_shape_dtype"
    args = _inputs(spec, 10, np.float64)
    x = args[0]
    if spec.is_loss:
        loss, dx = spec.forward(*args)
        if np.ndim(loss) != 0 or not np.isfinite(loss):
            _fail(spec, name, f"the loss must be a finite scalar, got {describe(loss)}")
        if not isinstance(dx, np.ndarray) or dx.shape != x.shape or dx.dtype != x.dtype:
            _fail(
                spec,
                name,
                f"dx must be an ndarray of shape {x.shape} and dtype {x.dtype}, got {describe(dx)}",
            )
        return
    out, _ = spec.forward(*args)
    if not isinstance(out, np.ndarray):
        _fail(spec, name, f"out must be an ndarray, got {describe(out)}")
    if out.dtype != x.dtype:
        _fail(spec, name, f"out has dtype {out.dtype}, expected the input's {x.dtype}")
    if out.ndim == 0 or out.shape[0] != x.shape[0]:
        _fail(spec, name, f"out has shape {out.shape}, expected N = {x.shape[0]} samples on axis 0")
    if not np.all(np.isfinite(out)):
        _fail(spec, name, "out has non-finite values")


def check_grad_shapes_dtypes(spec: LayerSpec) -> None:
    name = "grad_shapes_dtypes"
    for dtype in (np.float64, np.float32):
        args = _inputs(spec, 11, dtype)
        _, grads, _ = _run(spec, args)
        positions = _grad_positions(spec, args)
        names = _arg_names(spec, len(args))
        if len(grads) != len(positions):
            want = ", ".join("d" + names[i] for i in positions)
            _fail(
                spec,
                name,
                f"backward returned {len(grads)} gradient(s), expected {len(positions)}: {want}",
            )
        for i, g in zip(positions, grads):
            a = args[i]
            if not isinstance(g, np.ndarray) or g.shape != a.shape or g.dtype != a.dtype:
                _fail(
                    spec,
                    name,
                    f"d{names[i]} must be an ndarray of shape {a.shape} and dtype {a.dtype}, got {describe(g)}",
                )
            if not np.all(np.isfinite(g)):
                _fail(spec, name, f"d{names[i]} has non-finite values")


def check_gradients_float64(spec: LayerSpec) -> None:
    name = "gradients_float64"
    args = _inputs(spec, 12, np.float64)
    _, grads, dout = _run(spec, args)
    positions = _grad_positions(spec, args)
    names = _arg_names(spec, len(args))
    if len(grads) != len(positions):
        _fail(spec, name, f"backward returned {len(grads)} gradient(s), expected {len(positions)}")
    for i, g in zip(positions, grads):
        a = args[i]
        if spec.is_loss:
            num = eval_numerical_gradient(lambda _: spec.forward(*args)[0], a, verbose=False)
        else:
            num = eval_numerical_gradient_array(lambda _: spec.forward(*args)[0], a, dout)
        # The kit's one gradient rule (cs231n.course.testing.compare_gradient); the
        # report only words the failure as CS231n's relative error.
        if compare_gradient(g, num, tol=spec.grad_tol, atol=spec.grad_atol) is not None:
            report = gradient_report(g, num, f"d{names[i]}")
            scale = float(np.max(np.abs(num))) if num.size else 0.0
            _fail(
                spec,
                name,
                f"{report}; largest |gradient| {scale:.3g} (tolerance {spec.grad_tol:g})",
            )


def check_no_mutation(spec: LayerSpec) -> None:
    name = "no_mutation"
    args = _inputs(spec, 13, np.float64)
    arrays: list[np.ndarray] = []
    _arrays_in(args, arrays)
    before = [a.copy() for a in arrays]
    if spec.is_loss:
        spec.forward(*args)
    else:
        out, cache = spec.forward(*args)
        dout = np.random.default_rng(3).standard_normal(out.shape).astype(out.dtype)
        dout_before = dout.copy()
        spec.backward(dout, cache)
        if not np.array_equal(dout, dout_before):
            _fail(spec, name, "backward modified dout in place; compute a new array instead")
    names = _arg_names(spec, len(args))
    for a, b in zip(arrays, before):
        if not np.array_equal(a, b, equal_nan=True):
            which = next(
                (names[i] for i, arg in enumerate(args) if arg is a),
                "an array inside a parameter dict",
            )
            _fail(spec, name, f"{which} was modified in place; never write into an input")


def check_float32(spec: LayerSpec) -> None:
    name = "float32"
    args32 = _inputs(spec, 14, np.float32)
    args64 = [_to_float64(a) for a in args32]
    out32, grads32, _ = _run(spec, [copy.deepcopy(a) for a in args32])
    out64, grads64, _ = _run(spec, args64)
    if not spec.is_loss and out32.dtype != np.float32:
        _fail(spec, name, f"float32 inputs gave out of dtype {out32.dtype}")
    ok, msg = _close(out32, out64, spec.float32_rtol)
    if not ok:
        _fail(spec, name, "out: " + msg)
    names = _arg_names(spec, len(args32))
    for i, g32, g64 in zip(_grad_positions(spec, args32), grads32, grads64):
        if g32.dtype != np.float32:
            _fail(spec, name, f"float32 inputs gave d{names[i]} of dtype {g32.dtype}")
        ok, msg = _close(g32, g64, spec.float32_rtol)
        if not ok:
            _fail(spec, name, f"d{names[i]}: " + msg)


def check_batch_of_one(spec: LayerSpec) -> None:
    name = "batch_of_one"
    args = _inputs(spec, 15, np.float64, N=1)
    out, grads, _ = _run(spec, args)
    if not spec.is_loss and out.shape[0] != 1:
        _fail(spec, name, f"N = 1 gave out of shape {out.shape}")
    if not np.all(np.isfinite(out)):
        _fail(spec, name, "N = 1 gave non-finite outputs")
    for g in grads:
        if not np.all(np.isfinite(g)):
            _fail(spec, name, "N = 1 gave non-finite gradients")


def check_determinism(spec: LayerSpec) -> None:
    name = "determinism"
    args = _inputs(spec, 16, np.float64)
    out1, grads1, _ = _run(spec, copy.deepcopy(args))
    out2, grads2, _ = _run(spec, copy.deepcopy(args))
    if not np.array_equal(out1, out2):
        _fail(spec, name, "two forward passes on the same inputs differ (unseeded randomness?)")
    for g1, g2 in zip(grads1, grads2):
        if not np.array_equal(g1, g2):
            _fail(spec, name, "two backward passes on the same inputs differ")


_CHECK_FUNCS = {
    "output_shape_dtype": check_output_shape_dtype,
    "grad_shapes_dtypes": check_grad_shapes_dtypes,
    "gradients_float64": check_gradients_float64,
    "no_mutation": check_no_mutation,
    "float32": check_float32,
    "batch_of_one": check_batch_of_one,
    "determinism": check_determinism,
}


# ----------------------------------------------------------------------------- entry points


def layer_checks(
    forward: Callable | LayerSpec,
    backward: Callable | None = None,
    make_inputs: Callable | None = None,
    **options,
) -> Iterator[tuple[str, Callable[[], None]]]:
    """Yield ``(check name, check)`` for one layer; ``check()`` raises on failure.

    Parameters
    ----------
    forward : callable or LayerSpec
        The forward function, or a complete :class:`LayerSpec` (then give nothing else).
    backward : callable or None
        The backward function; None when ``forward`` is a loss returning ``(loss, dx)``.
    make_inputs : callable
        ``make_inputs(rng, dtype, N) -> tuple`` of forward's positional arguments.
    **options
        Other :class:`LayerSpec` fields (``name``, ``grad_tol``, ``skip``, ...).

    Yields
    ------
    name : str
        One of :data:`CHECKS`.
    check : callable
        ``check()`` runs the check and raises :class:`LayerCheckFailed` on failure.
    """
    if isinstance(forward, LayerSpec):
        if backward is not None or make_inputs is not None or options:
            fail(
                "layer_checks",
                "either a LayerSpec alone or forward, backward, make_inputs",
                "a LayerSpec plus other arguments",
                "put the options into the LayerSpec",
                ConfigError,
            )
        spec = forward
    else:
        if make_inputs is None:
            fail(
                "layer_checks: make_inputs",
                "a callable (rng, dtype, N) -> args",
                "None",
                None,
                TypeError,
            )
        options.setdefault("name", getattr(forward, "__name__", "layer").removesuffix("_forward"))
        spec = LayerSpec(forward=forward, backward=backward, make_inputs=make_inputs, **options)
    for s in spec.skip:
        check_choice(s, f"LayerSpec {spec.name!r}: skip", CHECKS)
    for s in spec.expected_failed_checks:
        check_choice(s, f"LayerSpec {spec.name!r}: expected_failed_checks", CHECKS)
    for check_name in CHECKS:
        if check_name in spec.skip:
            continue
        func = _CHECK_FUNCS[check_name]

        def run(func=func):
            func(spec)

        run.__name__ = f"check_{check_name}"
        yield check_name, run


def parametrize_layer_checks(specs: Sequence[LayerSpec], argname: str = "layer_check"):
    """``pytest.mark.parametrize`` over every (layer, check), one test id each.

    Test ids are ``<layer name>-<check name>``; each parameter carries the pytest
    markers of the spec's ``task_ids`` and an xfail for its ``expected_failed_checks``.

    Parameters
    ----------
    specs : sequence of LayerSpec
    argname : str
        Name of the test function's argument that receives the check callable.
    """
    import pytest  # only needed by test-suites

    params = []
    for spec in specs:
        marks = [getattr(pytest.mark, t) for t in spec.task_ids]
        for check_name, check in layer_checks(spec):
            these = list(marks)
            if check_name in spec.expected_failed_checks:
                these.append(
                    pytest.mark.xfail(
                        reason=spec.expected_failed_checks[check_name],
                        raises=LayerCheckFailed,
                        strict=True,
                    )
                )
            params.append(pytest.param(check, id=f"{spec.name}-{check_name}", marks=these))
    return pytest.mark.parametrize(argname, params)

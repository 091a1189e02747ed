"""Turn an exception raised inside a student's code into a hint.

:func:`explain_exception` says which operation failed and on which line of the student's
code, and names the usual cause only when the evidence is unambiguous:

* ``KeyError`` on a dict the failing line indexes: the dict's actual keys; CS231n's
  names for the kit's keys (``dropout_param['p']`` is ``keep_prob`` here); a cache
  entry the forward pass never stored.
* ``ValueError`` from broadcasting: an axis dropped by a reduction without
  ``keepdims=True``, or one array padded and the other not.
* ``TypeError`` from ``None``: a function that returned nothing, or a cache entry that
  was never stored; a ``ValueError`` from unpacking a cache into a different number of
  names than the forward pass stored.

Anything else is reported as what failed and where, without a guess.
"""

from __future__ import annotations

import ast
import linecache
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np

_CHECKS_DIR = str(Path(__file__).resolve().parent)
_KIT_DIR = str(Path(__file__).resolve().parents[1])
_NUMPY_DIR = str(Path(np.__file__).resolve().parent)
_STDLIB_DIRS = tuple({str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix)})

#: CS231n's (or other courses') names of keys the kit spells differently
ALIASES = {
    "p": (
        "keep_prob",
        "CS231n's dropout_param['p'] is called keep_prob here (the probability of KEEPING "
        "a unit); read dropout_param['keep_prob'].",
    ),
    "lr": ("learning_rate", "the learning rate's key is 'learning_rate', not 'lr'."),
    "cache_rms": ("cache", "RMSProp's running average is stored under 'cache'."),
}

_MAX = 200


def _safe_str(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # a hostile __str__
        text = ""
    text = " ".join(text.split())
    return text[:_MAX] + ("..." if len(text) > _MAX else "")


def _kind(filename: str) -> str:
    """``check``, ``kit``, ``library`` or ``student`` for a frame's file."""
    if filename.endswith((".pyx", ".pxd")):  # a compiled library's frame (numpy.random)
        return "library"
    try:
        path = str(Path(filename).resolve()) if not filename.startswith("<") else filename
    except (OSError, ValueError):
        return "student"
    if path.startswith(_CHECKS_DIR):
        return "check"
    if path.startswith(_KIT_DIR):  # before site-packages: the kit may be installed there
        return "kit"
    if path.startswith(_NUMPY_DIR) or "site-packages" in path:
        return "library"
    if not path.startswith("<") and path.startswith(_STDLIB_DIRS) and "ipykernel" not in path:
        return "library"
    return "student"


def _frames(exc: BaseException) -> list:
    out = []
    tb = exc.__traceback__
    while tb is not None:
        out.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return out


def _line(frame, lineno) -> str:
    code = frame.f_code
    text = linecache.getline(code.co_filename, lineno, frame.f_globals).strip()
    return text[:_MAX]


def _where(frame, lineno, text) -> str:
    name = frame.f_code.co_name
    place = f"in {name}" if name != "<module>" else "in the cell"
    return f"{place}, line {lineno}: `{text}`" if text else f"{place}, line {lineno}"


def _subscripted_names(text: str, key) -> list[str]:
    """Names ``d`` such that the line indexes ``d[key]`` (with a constant key)."""
    try:
        tree = ast.parse(text if not text.endswith(":") else text + " pass")
    except SyntaxError:
        try:
            tree = ast.parse(text.split("=", 1)[-1].strip())
        except SyntaxError:
            return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            sl = node.slice
            if isinstance(sl, ast.Constant) and sl.value == key:
                names.append(node.value.id)
    return names


def _line_names(text: str) -> list[str]:
    try:
        tree = ast.parse(text if not text.endswith(":") else text + " pass")
    except SyntaxError:
        return re.findall(r"[A-Za-z_]\w*", text)
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]


def _keys(mapping) -> list[str]:
    try:
        return sorted(repr(k) for k in list(mapping.keys())[:20])
    except Exception:
        return []


def _key_error(exc, frame, text) -> tuple[str, str]:
    key = exc.args[0] if exc.args else None
    local = frame.f_locals if frame is not None else {}
    for name in _subscripted_names(text, key):
        value = local.get(name)
        if not isinstance(value, Mapping):
            continue
        keys = _keys(value)
        detail = f"{name} has no key {key!r}; its keys are {', '.join(keys) or 'none'}."
        if key in ALIASES and ALIASES[key][0] in value:
            return detail, ALIASES[key][1]
        if "cache" in name.lower():
            return detail, (
                f"the forward pass never stored {key!r} in its cache: store every value the "
                "backward pass reads."
            )
        if "config" in name.lower() or "param" in name.lower():
            return detail, (
                f"{name} holds only the keys above; use one of them, or set the default "
                f"first (config.setdefault({key!r}, ...))."
            )
        return detail, ""
    if key in ALIASES and any(
        isinstance(v, Mapping) and ALIASES[key][0] in v for v in local.values()
    ):
        return "", ALIASES[key][1]
    return "", ""


_SHAPES = re.compile(r"shapes? ((?:\([\d, ]*\)\s*)+)")


def _broadcast(exc, frame=None) -> tuple[str, str]:
    msg = _safe_str(exc)
    if "could not be broadcast" not in msg:
        return "", ""
    found = _SHAPES.search(msg)
    if not found:
        return "", ""
    try:
        shapes = [
            tuple(int(d) for d in s.strip("()").split(",") if d.strip())
            for s in re.findall(r"\([\d, ]*\)", found.group(1))
        ]
    except ValueError:
        return "", ""
    shapes = list(dict.fromkeys(shapes))  # an in-place op lists the output's shape twice
    if len(shapes) != 2:
        return "", ""
    a, b = sorted(shapes, key=len, reverse=True)
    if len(a) == len(b) + 1:
        axes = [ax for ax in range(len(a)) if a[:ax] + a[ax + 1 :] == b]
        if len(axes) == 1:
            axis = axes[0]
            kept = (*a[:axis], 1, *a[axis + 1 :])
            return "", (
                f"a sum/mean/max over axis {axis} dropped that axis: shape {b} needs to "
                f"be {kept}; pass keepdims=True."
            )
        if axes:
            return "", (f"a sum/mean/max dropped an axis of {a} (shape {b}); pass keepdims=True.")
    if len(a) == len(b) >= 2:
        diff = [x - y for x, y in zip(a, b)]
        spatial = diff[-2:]
        if all(d == 0 for d in diff[:-2]) and spatial[0] == spatial[1] != 0:
            pad = abs(spatial[0])
            if pad % 2 == 0:
                return "", (
                    f"one array is padded and the other is not (they differ by {pad} = "
                    f"2 * {pad // 2} in height and width): pad both, or crop the padding."
                )
    if len(a) == len(b) >= 2 and a[:-2] == b[:-2] and frame is not None:
        small, big = sorted((a, b), key=lambda s: s[-2] * s[-1])
        unpadded = _sliced_unpadded(frame, small, big)
        if unpadded:
            return "", unpadded
        views = [
            v
            for v in frame.f_locals.values()
            if isinstance(v, np.ndarray) and v.shape == small and v.base is not None
        ]
        if views and all(x <= y for x, y in zip(small[-2:], big[-2:])) and small != big:
            return "", (
                f"a window sliced from an array came out {small[-2:]} instead of {big[-2:]}: "
                "the slice ran past the array's edge. Is the input padded (np.pad) before the "
                "windows are taken, and do the windows start at i * stride?"
            )
    return "", ""


def _sliced_unpadded(frame, small, big) -> str:
    """The failing line slices a window from an input whose padded copy is a local too."""
    try:
        text = linecache.getline(frame.f_code.co_filename, frame.f_lineno, frame.f_globals)
        tree = ast.parse(text.strip())
    except (SyntaxError, ValueError, AttributeError):
        return ""
    if not all(x <= y for x, y in zip(small[-2:], big[-2:])):
        return ""
    local = frame.f_locals
    arrays = {n: v for n, v in local.items() if isinstance(v, np.ndarray) and v.ndim >= 2}
    sliced = {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
    }
    for name in sliced & set(arrays):
        x = arrays[name]
        for other, xp in arrays.items():
            if other == name or xp.ndim != x.ndim or xp.shape[:-2] != x.shape[:-2]:
                continue
            dh, dw = xp.shape[-2] - x.shape[-2], xp.shape[-1] - x.shape[-1]
            if dh == dw > 0 and dh % 2 == 0 and other not in sliced:
                return (
                    f"the window is sliced from {name}, the input WITHOUT padding; the windows "
                    f"of the forward pass are windows of the padded input: slice {other} "
                    "instead."
                )
    return ""


_RESHAPE = re.compile(r"cannot reshape array of size (\d+) into shape \((\d+),?\)")


def _reshape(exc, frame, text) -> tuple[str, str]:
    """A reduction that left axes in, found when its result is reshaped to one axis."""
    found = _RESHAPE.search(_safe_str(exc))
    if not found or frame is None:
        return "", ""
    size, k = int(found.group(1)), int(found.group(2))
    local = frame.f_locals
    hits = [
        (n, local[n].shape)
        for n in dict.fromkeys(_line_names(text))
        if isinstance(local.get(n), np.ndarray) and local[n].size == size and local[n].ndim >= 2
    ]
    if len(hits) != 1:
        return "", ""
    name, shape = hits[0]
    at = [ax for ax, d in enumerate(shape) if d == k]
    if len(at) != 1:
        return "", ""
    left = [ax for ax, d in enumerate(shape) if d > 1 and ax != at[0]]
    if not left:
        return "", ""
    return "", (
        f"{name} has shape {shape}: reshaping it to ({k},) needs every other axis of length 1, "
        f"so the sum/mean that made it must run over axis {', '.join(map(str, left))} too."
    )


_UNPACK = re.compile(r"(not enough|too many) values to unpack \(expected (\d+)(?:, got (\d+))?\)")


def _unpack(exc, text, frame=None, kit: bool = False) -> tuple[str, str]:
    """A cache unpacked into a different number of names than the forward stored."""
    found = _UNPACK.search(_safe_str(exc))
    if not found or "=" not in text:
        return "", ""
    right = text.split("=", 1)[1].strip()
    if not re.fullmatch(r"[A-Za-z_]\w*", right) or "cache" not in right.lower():
        return "", ""
    want, got = found.group(2), found.group(3)
    held = (
        f"holds {got} values"
        if got
        else f"holds {'fewer' if found.group(1) == 'not enough' else 'more'} values"
    )
    fn = frame.f_code.co_name if frame is not None else ""
    if kit and fn.endswith("_backward"):
        return "", (
            f"the kit's {fn} got a cache that {held[:-7]} values; it unpacks {want}: it needs "
            f"the cache of {fn[: -len('_backward')]}_forward. Pair each backward with the "
            "forward that made its cache (is the forward a different layer, e.g. without "
            "its ReLU?)."
        )
    return "", (
        f"{right} {held} but the backward pass unpacks {want}: store in the forward's cache "
        "exactly the items backward unpacks, in the same order."
    )


def _none_type(exc, frame, text) -> tuple[str, str]:
    msg = _safe_str(exc)
    if "NoneType" not in msg:
        return "", ""
    if "cannot unpack non-iterable NoneType" in msg:
        right = text.split("=", 1)[1].strip() if "=" in text else ""
        call = re.fullmatch(r"([A-Za-z_][\w.]*)\(.*\)", right)
        if call:
            return "", f"{call.group(1)} returned None: is its return statement missing?"
    local = frame.f_locals if frame is not None else {}
    nones = [n for n in dict.fromkeys(_line_names(text)) if n in local and local[n] is None]
    caches = [
        n
        for n, v in local.items()
        if "cache" in n.lower()
        and (
            (isinstance(v, (tuple, list)) and any(x is None for x in v))
            or (isinstance(v, Mapping) and any(x is None for x in v.values()))
        )
    ]
    if nones and caches:
        return f"{', '.join(nones)} is None.", (
            f"{nones[0]} comes from the cache and is None: the forward pass never stored it "
            "(for example the dropout mask in train mode)."
        )
    if nones:
        return f"{', '.join(nones)} is None.", ""
    return "", ""


def _empty_range(exc, frames, student) -> tuple[str, str]:
    """``rng.integers(low, high)`` with ``high <= low``: ``high`` is excluded."""
    msg = _safe_str(exc)
    if msg not in ("high <= 0", "low >= high", "low > high") or not student:
        return "", ""
    f, ln = frames[student[-1]]
    if ".integers(" not in _line(f, ln):
        return "", ""
    return "", (
        "rng.integers(low, high) draws from low to high - 1 (high is excluded), so high must be "
        "larger than low: for the values 0, ..., m pass high = m + 1."
    )


def explain_exception(exc: BaseException) -> tuple[str, str]:
    """``(message, likely_cause)`` for an exception raised inside a student's code.

    The message names the exception, the failing line (the deepest frame outside numpy
    and the checks) and, if that is kit code, the student's line that called it.
    ``likely_cause`` is ``""`` unless one cause is certain.
    """
    frames = _frames(exc)
    kinds = [_kind(f.f_code.co_filename) for f, _ in frames]
    ours = [i for i, k in enumerate(kinds) if k in ("student", "kit")]
    student = [i for i, k in enumerate(kinds) if k == "student"]
    head = f"{type(exc).__name__}: {_safe_str(exc)}".rstrip(": ")
    if not ours:
        # raised in the check itself (e.g. unpacking what the student returned)
        fi = len(frames) - 1 if frames else None
    else:
        fi = ours[-1]
    frame, lineno = frames[fi] if fi is not None else (None, 0)
    text = _line(frame, lineno) if frame is not None else ""
    parts = [head]
    if frame is not None and fi in ours:
        where = _where(frame, lineno, text)
        if kinds[fi] == "kit":
            mod = Path(frame.f_code.co_filename).name
            where = f"in the kit's {mod} ({where[3:]})"
            callers = [i for i in student if i < fi]
            if callers:
                cf, cl = frames[callers[-1]]
                where += ", called from your code " + _where(cf, cl, _line(cf, cl))
        else:
            where = "raised in your code " + where
        parts.append(where)
    elif text:
        parts.append(f"while the check ran `{text}` on what your function returned")
    detail, cause = "", ""
    try:
        if isinstance(exc, KeyError):
            detail, cause = _key_error(exc, frame, text)
        elif isinstance(exc, ValueError):
            detail, cause = _broadcast(exc, frame if fi in ours else None)
            if not cause:
                detail, cause = _empty_range(exc, frames, student)
            if not cause and fi in ours:
                detail, cause = _reshape(exc, frame, text)
            if not cause:
                detail, cause = _unpack(exc, text, frame, fi in ours and kinds[fi] == "kit")
        elif isinstance(exc, TypeError):
            detail, cause = _none_type(exc, frame, text)
    except Exception:  # never let a hint hide the failure
        detail, cause = "", ""
    message = "; ".join(parts) + "."
    if detail:
        message += " " + detail
    return message, cause

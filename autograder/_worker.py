"""The grading worker: runs ONE submission inside the sandbox.

This file is executed as a script inside the sandbox (``python -I worker.py``); it
imports nothing from the kit, only the standard library and numpy.  It is trusted
code that runs first, then hands the process over to student code, so it assumes
everything it did not capture beforehand may have been tampered with.  Its only job
is to produce *raw* values; every verdict is decided by the trusted parent process.

Protocol (the parent is :mod:`autograder.sandbox`):

* stdin, line 1: the job as JSON (cells to run, time limits, where to write).
* control pipe (fd given in the job): the worker writes one line per event
  (``cell <i>``, ``cells-done``, ``case <task> <i>``, ``done``) so the parent knows
  what was running if the process has to be killed.
* stdin, line 2 (sent by the parent only after ``cells-done``): the hidden test file's
  source and the cases to probe.  Student code never runs while the hidden source is
  readable anywhere in the sandbox's filesystem.
* outputs: ``<out>/results.json`` (cell outputs, per-case status) and
  ``<out>/probes.npz`` (probe values, numeric arrays only, read back with
  ``allow_pickle=False``).
"""

import ast
import io
import json
import os
import resource
import signal
import sys
import time
import traceback
import types

_json_dumps = json.dumps
_open = open
_os_write = os.write
_os_read = os.read
_os_getpid = os.getpid
_os_exit = os._exit
_setitimer = signal.setitimer
_signal = signal.signal
_perf = time.perf_counter
_MAIN_PID = os.getpid()


class CellTimeout(BaseException):
    """Raised by the timer when a cell or a hidden case runs past its time limit."""


def _on_alarm(signum, frame):
    raise CellTimeout("time limit reached")


def _guard_child():
    """A process forked by student code must never get back into the worker's loop."""
    if _os_getpid() != _MAIN_PID:
        _os_exit(0)


class CappedStream(io.TextIOBase):
    """A text stream that keeps at most ``limit`` characters, then counts the rest."""

    def __init__(self, name, limit):
        self.name = name
        self.limit = limit
        self.parts = []
        self.kept = 0
        self.dropped = 0

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        room = self.limit - self.kept
        if room > 0:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n... [{self.dropped} more characters of output dropped by the grader]\n"
        return text


class _Shell:
    """Stand-in for ``get_ipython()``: enough for magics that notebooks commonly use."""

    def __init__(self, ns):
        self.ns = ns
        self.notes = []
        self.custom_exc = False

    def run_line_magic(self, name, line, _stack_depth=1):
        if name in ("time", "timeit"):
            return eval(compile(line or "None", "<magic>", "eval"), self.ns)
        if name in ("pip", "conda", "sx", "system"):
            self.notes.append(f"%{name} is not run while grading")
            return None
        return None  # matplotlib, load_ext, autoreload, config, ...: nothing to do

    def run_cell_magic(self, name, line, body):
        if name in ("time", "timeit", "capture", "prun"):
            exec(compile(body, "<cell>", "exec"), self.ns)
            return None
        if name == "writefile":
            path = line.split()[-1] if line.split() else "out.txt"
            with open(path, "a" if "-a" in line.split() else "w") as fh:
                fh.write(body)
            return None
        self.notes.append(f"%%{name} cells are not run while grading")
        return None

    def system(self, cmd):
        self.notes.append("shell commands (!...) are not run while grading")

    def getoutput(self, cmd, *args, **kwargs):
        self.system(cmd)
        return ""

    def set_custom_exc(self, *args, **kwargs):
        self.custom_exc = True
        return None

    def __getattr__(self, name):
        def _noop(*args, **kwargs):
            return None

        return _noop


def _transform_magics(source):
    """Turn IPython syntax (``%magic``, ``%%cell``, ``!cmd``) into plain calls."""
    lines = source.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        head = lines[first].strip()[2:]
        name, _, rest = head.partition(" ")
        body = "\n".join(lines[first + 1 :])
        return f"get_ipython().run_cell_magic({name!r}, {rest!r}, {body!r})\n"
    out = []
    for ln in lines:
        stripped = ln.lstrip()
        indent = ln[: len(ln) - len(stripped)]
        if stripped.startswith("%") and not stripped.startswith("%%"):
            name, _, rest = stripped[1:].partition(" ")
            out.append(f"{indent}get_ipython().run_line_magic({name!r}, {rest!r})")
        elif stripped.startswith("!"):
            out.append(f"{indent}get_ipython().system({stripped[1:]!r})")
        else:
            out.append(ln)
    return "\n".join(out)


def _compile_cell(source, filename):
    """Compile a cell; return (body code, last-expression code or None)."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        source = _transform_magics(source)
        tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, filename, "exec")
    expr = compile(last, filename, "eval") if last is not None else None
    return body, expr


def _format_error(exc, filename_prefix="<cell"):
    tb = traceback.TracebackException.from_exception(exc, limit=-20)
    frames = [f for f in tb.stack if not f.filename.endswith("worker.py")]
    tb.stack = traceback.StackSummary.from_list(frames)
    lines = list(tb.format())
    text = "".join(lines)
    if len(text) > 8000:
        text = text[:3000] + "\n...\n" + text[-4000:]
    return {"ename": type(exc).__name__, "evalue": str(exc)[:2000], "traceback": text}


def _apply_limits(limits):
    """rlimits: set soft and hard, so student code cannot raise them again."""
    table = {
        "as": resource.RLIMIT_AS,
        "nproc": resource.RLIMIT_NPROC,
        "fsize": resource.RLIMIT_FSIZE,
        "nofile": resource.RLIMIT_NOFILE,
        "cpu": resource.RLIMIT_CPU,
        "core": resource.RLIMIT_CORE,
    }
    applied = {}
    for key, value in (limits or {}).items():
        if value is None or key not in table:
            continue
        try:
            _soft, hard = resource.getrlimit(table[key])
            value = int(value)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(table[key], (value, value))
            applied[key] = value
        except (ValueError, OSError) as exc:
            applied[key] = f"not applied: {exc}"
    return applied


def _copy_inputs(src, dst, uid):
    """Copy the submission's files into the work folder (owned by the sandbox uid)."""
    import shutil

    for name in os.listdir(src):
        path = os.path.join(src, name)
        if os.path.isfile(path):
            target = os.path.join(dst, name)
            shutil.copyfile(path, target)
            if uid is not None and os.getuid() == 0:
                os.chown(target, uid, uid)
    if uid is not None and os.getuid() == 0:
        os.chown(dst, uid, uid)


def _drop_privileges(uid):
    if uid is None or os.getuid() != 0:
        return False
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return True


def _run_cells(job, ns, control_fd):
    results = []
    cell_limit = float(job.get("cell_timeout", 60))
    out_limit = int(job.get("output_limit", 100_000))
    shell = ns["__grader_shell__"]
    real_stdout, real_stderr = sys.stdout, sys.stderr
    for cell in job["cells"]:
        idx = cell["index"]
        record = {"index": idx, "outputs": [], "status": "ok", "seconds": 0.0}
        results.append(record)
        if cell.get("skip"):
            record["status"] = "skipped"
            record["reason"] = cell.get("skip_reason", "skipped")
            continue
        _os_write(control_fd, f"cell {idx}\n".encode())
        out = CappedStream("stdout", out_limit)
        err = CappedStream("stderr", out_limit)
        sys.stdout, sys.stderr = out, err
        start = _perf()
        shell.notes.clear()
        try:
            _signal(signal.SIGALRM, _on_alarm)
            _setitimer(signal.ITIMER_REAL, cell_limit, 1.0)
            try:
                body, expr = _compile_cell(cell["source"], f"<cell {idx}>")
                exec(body, ns)
                if expr is not None:
                    value = eval(expr, ns)
                    if value is not None:
                        text = repr(value)
                        record["result"] = text[:out_limit]
            finally:
                _setitimer(signal.ITIMER_REAL, 0, 0)
        except CellTimeout:
            _guard_child()
            record["status"] = "timeout"
            record["error"] = {
                "ename": "CellTimeout",
                "evalue": f"this cell ran longer than {cell_limit:g} s and was stopped",
                "traceback": "",
            }
        except BaseException as exc:
            _guard_child()
            record["status"] = "error"
            try:
                record["error"] = _format_error(exc)
            except BaseException:
                record["error"] = {"ename": "Error", "evalue": "unprintable error", "traceback": ""}
        _guard_child()
        sys.stdout, sys.stderr = real_stdout, real_stderr
        record["seconds"] = round(_perf() - start, 4)
        for stream in (out, err):
            text = stream.getvalue()
            if text:
                record["outputs"].append({"name": stream.name, "text": text})
        if shell.notes:
            record["notes"] = sorted(set(shell.notes))
    return results


class _Case:
    """Minimal stand-in for ``autograder.hidden.Case`` inside the sandbox."""

    def __init__(self, name, points, probe, rtol=None, atol=0.0, hint=""):
        self.name, self.points, self.probe = name, points, probe
        self.rtol, self.atol, self.hint = rtol, atol, hint


def _hidden_module(source):
    shim = types.ModuleType("autograder.hidden")
    shim.Case = _Case
    pkg = types.ModuleType("autograder")
    pkg.hidden = shim
    pkg.__path__ = []
    sys.modules["autograder"] = pkg
    sys.modules["autograder.hidden"] = shim
    module = types.ModuleType("_hidden_cases")
    exec(compile(source, "<hidden tests>", "exec"), module.__dict__)
    return module.CASES


def _to_array(value, np):
    arr = np.asarray(value)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"returned a {type(value).__name__} (dtype {arr.dtype}), not numbers")
    return np.array(arr, copy=True)


def _run_probes(spec, ns, control_fd, np, default_rng):
    case_limit = float(spec.get("case_timeout", 20))
    statuses = []
    arrays = {}
    try:
        cases = _hidden_module(spec["source"])
    except BaseException as exc:
        return [{"task": None, "status": "grader-error", "message": f"hidden tests: {exc!r}"}], {}
    sink = CappedStream("probe-output", 0)
    plug = [n for n in spec.get("plug", []) if callable(ns.get(n))]
    if plug:
        # probes see the state the notebook's test cells saw: the student's own
        # functions plugged into the package (notebooks may unplug() at their end)
        try:
            from cs231n.course.plugin import plug_in

            plug_in(*[ns[n] for n in plug], verbose=False)
        except BaseException:
            _guard_child()
    for task_id, indices in spec["tasks"].items():
        task_cases = cases.get(task_id, [])
        for i in indices:
            entry = {"task": task_id, "case": i, "status": "ok"}
            statuses.append(entry)
            if i >= len(task_cases):
                entry.update(status="grader-error", message="case index out of range")
                continue
            _os_write(control_fd, f"case {task_id} {i}\n".encode())
            sys.stdout = sys.stderr = sink
            start = _perf()
            try:
                _signal(signal.SIGALRM, _on_alarm)
                _setitimer(signal.ITIMER_REAL, case_limit, 1.0)
                try:
                    got = task_cases[i].probe(ns, default_rng(int(spec["seed"]) + i))
                finally:
                    _setitimer(signal.ITIMER_REAL, 0, 0)
                if not isinstance(got, dict):
                    raise TypeError(f"probe result is a {type(got).__name__}, not a dict")
                for key, value in got.items():
                    arrays[f"{task_id}|{i}|{key}"] = _to_array(value, np)
                entry["keys"] = sorted(str(k) for k in got)
            except CellTimeout:
                _guard_child()
                entry.update(status="timeout", message=f"ran longer than {case_limit:g} s")
            except BaseException as exc:
                _guard_child()
                entry.update(
                    status="error", ename=type(exc).__name__, message=str(exc)[:1000] or repr(exc)
                )
            _guard_child()
            entry["seconds"] = round(_perf() - start, 4)
    return statuses, arrays


def _watch_list(np):
    """Objects whose replacement is reported (it never changes a grade)."""
    import builtins

    out = []
    for name in ("allclose", "isclose", "array_equal", "seterr"):
        out.append((f"np.{name}", getattr(np, name, None)))
    for name in ("assert_allclose", "assert_array_equal", "assert_almost_equal"):
        out.append((f"np.testing.{name}", getattr(np.testing, name, None)))
    for name in ("open", "print", "__import__", "exec", "eval"):
        out.append((f"builtins.{name}", getattr(builtins, name, None)))
    return out


def _read_line(fd):
    data = bytearray()
    while True:
        chunk = _os_read(fd, 65536)
        if not chunk:
            break
        data += chunk
        if data.endswith(b"\n"):
            break
    return data.decode("utf-8")


def main():
    job = json.loads(_read_line(0))
    control_fd = int(job["control_fd"])
    out_dir = job["out_dir"]
    for path in job.get("sys_path", []):
        sys.path.insert(0, path)
    import numpy as np

    default_rng = np.random.default_rng
    savez = np.savez
    # result files are opened while still privileged: after the drop, student code
    # cannot create files outside its size-limited tmpfs folders
    res_fh = _open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8")
    npz_fh = _open(os.path.join(out_dir, "probes.npz"), "wb")
    cwd = job.get("cwd", ".")
    if job.get("input"):
        _copy_inputs(job["input"], cwd, job.get("uid"))
    applied = _apply_limits(job.get("limits"))
    dropped = _drop_privileges(job.get("uid"))
    os.chdir(cwd)
    ns = {"__name__": "__main__", "__builtins__": __builtins__}
    shell = _Shell(ns)
    ns["__grader_shell__"] = shell
    ns["get_ipython"] = lambda: shell
    ns["display"] = lambda *objs, **kw: print(*[repr(o) for o in objs])
    watched = _watch_list(np)
    before = {name: id(obj) for name, obj in watched}
    errstate = np.geterr()
    start = _perf()
    cells = _run_cells(job, ns, control_fd)
    _guard_child()
    after = dict(_watch_list(np))
    changed = [name for name, ident in before.items() if id(after.get(name)) != ident]
    if np.geterr() != errstate:
        changed.append("numpy error handling (np.seterr)")
    if shell.custom_exc:
        changed.append("IPython exception handler (set_custom_exc)")
    report = {
        "cells": cells,
        "cells_seconds": round(_perf() - start, 4),
        "limits": applied,
        "dropped_privileges": dropped,
        "tampering": changed,
    }
    _os_write(control_fd, b"cells-done\n")
    try:
        spec = json.loads(_read_line(0))
    except BaseException as exc:
        spec = None
        report["probe_error"] = f"could not receive the hidden tests: {exc!r}"
    arrays = {}
    if spec is not None:
        probe_start = _perf()
        report["cases"], arrays = _run_probes(spec, ns, control_fd, np, default_rng)
        report["probes_seconds"] = round(_perf() - probe_start, 4)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    savez(npz_fh, **arrays)
    npz_fh.close()
    res_fh.write(_json_dumps(report))
    res_fh.close()
    _os_write(control_fd, b"done\n")
    _os_exit(0)


if __name__ == "__main__":
    main()

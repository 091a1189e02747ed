"""The grading worker: runs ONE submission inside the sandbox.

This file is executed as a script inside the sandbox (``python -I worker.py``).  It
imports the standard library, numpy, IPython (all from the read-only Python bound into
the sandbox) and ``_cases.py``, the kit's one hidden-test loader, which is bound next to
it; nothing else of the kit.  It is trusted code that runs first, then hands the process
over to student code, so it assumes everything it did not capture beforehand may have
been tampered with.  Its only job is to produce *raw* values; every verdict is decided
by the trusted parent process.

Cells run through IPython's own machinery (``InteractiveShell.run_cell``): magics,
``!cmd`` and ``x = !cmd``, ``obj?``, ``_``, ``display()``, top-level ``await`` and
``%matplotlib inline`` behave as in Jupyter.  Outputs are collected as Jupyter's
(stream, display_data, execute_result, error), figures included, with caps.

Protocol (the parent is :mod:`autograder.sandbox`):

* stdin, line 1: the job as JSON (cells to run, time limits, where to write).
* control pipe (fd given in the job): the worker writes one line per event
  (``cell <i>``, ``cells-done``, ``case <task> <i>``, ``done``) so the parent knows
  what was running if the process has to be killed.
* ``<out>/cells.json`` is written and closed *before* ``cells-done``; the parent reads
  it at that event, before it sends anything hidden, and never reads it again.  So
  nothing produced later (while the hidden probes run) can reach the cell outputs.
* stdin, line 2 (sent by the parent only after ``cells-done``): the hidden test file's
  source, the cases to probe, and this submission's seed.  Student code never runs
  while the hidden source is readable anywhere in the sandbox's filesystem.
* outputs of the probe phase: ``<out>/results.json`` (per-case status only) and
  ``<out>/probes.npz`` (probe values, numeric arrays only, read back with
  ``allow_pickle=False``).
"""

import contextlib
import importlib.util
import json
import os
import resource
import signal
import sys
import time

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

#: mime types kept from display_data / execute_result (the parent checks them again)
_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg")
#: package installers are never run while grading (no network; they would only wait)
_INSTALLERS = ("pip", "pip3", "conda", "mamba", "micromamba", "apt", "apt-get", "uv")


class CellTimeout(BaseException):
    """Raised by the timer when a cell or a hidden case runs past its time limit."""


def _on_alarm(signum, frame):
    raise CellTimeout("time limit reached")


def _guard_child():
    """A process forked by student code must never get back into the worker's loop."""
    if _os_getpid() != _MAIN_PID:
        _os_exit(0)


class Outputs:
    """Jupyter outputs of one cell, in order, with caps on text and figures."""

    def __init__(self, limits, budget):
        self.items = []
        self.text_limit = int(limits.get("output_limit", 100_000))
        self.kept = 0
        self.dropped = 0
        self.budget = budget  # shared across the notebook: {"figures": n}
        self.figure_chars = int(limits.get("figure_chars", 1_500_000))
        self.html_chars = int(limits.get("html_chars", 200_000))
        self.notes = []

    def stream(self, name, text):
        if not isinstance(text, str):
            text = str(text)
        room = self.text_limit - self.kept
        piece = text[: max(room, 0)]
        self.dropped += len(text) - len(piece)
        if not piece:
            return
        self.kept += len(piece)
        last = self.items[-1] if self.items else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += piece
        else:
            self.items.append({"output_type": "stream", "name": name, "text": piece})

    def _bundle(self, data, metadata):
        out, meta = {}, {}
        if not isinstance(data, dict):
            return out, meta
        for mime in _MIMES:
            value = data.get(mime)
            if isinstance(value, bytes) and mime.startswith("image/"):
                import base64

                value = base64.b64encode(value).decode("ascii")
            if not isinstance(value, str):
                continue
            if mime.startswith("image/"):
                if len(value) > self.figure_chars:
                    self.notes.append(
                        f"a figure larger than {self.figure_chars // 1000} kB was left out"
                    )
                    continue
                if self.budget["figures"] <= 0:
                    self.notes.append("figures beyond the notebook's limit were left out")
                    continue
                self.budget["figures"] -= 1
            elif mime == "text/html" and len(value) > self.html_chars:
                self.notes.append(f"HTML output over {self.html_chars // 1000} kB was left out")
                continue
            elif len(value) > self.text_limit:
                value = value[: self.text_limit] + "\n..."
            out[mime] = value
            m = (metadata or {}).get(mime) if isinstance(metadata, dict) else None
            if isinstance(m, dict):
                meta[mime] = {k: v for k, v in m.items() if k in ("width", "height")}
        return out, meta

    def display(self, data, metadata=None):
        bundle, meta = self._bundle(data, metadata)
        if bundle:
            self.items.append({"output_type": "display_data", "data": bundle, "metadata": meta})

    def result(self, data, metadata, count):
        bundle, meta = self._bundle(data, metadata)
        if bundle:
            self.items.append(
                {
                    "output_type": "execute_result",
                    "data": bundle,
                    "metadata": meta,
                    "execution_count": count,
                }
            )

    def error(self, ename, evalue, traceback_lines):
        lines = [str(x)[:4000] for x in list(traceback_lines or [])[-60:]]
        self.items.append(
            {
                "output_type": "error",
                "ename": str(ename)[:200],
                "evalue": str(evalue)[:2000],
                "traceback": lines,
            }
        )

    def clear(self):
        self.items = [i for i in self.items if i["output_type"] == "error"]

    def finish(self):
        if self.dropped:
            self.items.append(
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"\n... [{self.dropped} more characters of output dropped by the grader]\n",
                }
            )
        return self.items


class _Stream:
    """``sys.stdout``/``sys.stderr`` while a cell runs: text goes to the cell's Outputs."""

    def __init__(self, name, state):
        self.name = name
        self._state = state

    def write(self, text):
        outs = self._state.get("outputs")
        if outs is not None:
            outs.stream(self.name, text)
        return len(text) if isinstance(text, str) else 0

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def fileno(self):
        raise OSError("the grader's output stream has no file descriptor")

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    @property
    def closed(self):
        return False


def _make_shell(state, cell_limit_ref):
    """An IPython InteractiveShell whose outputs go to ``state['outputs']``."""
    import subprocess

    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.text import SList
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
            outs = state.get("outputs")
            if outs is not None:
                outs.display(data, metadata)

        def clear_output(self, wait=False):
            outs = state.get("outputs")
            if outs is not None:
                outs.clear()

    class Hook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            outs = state.get("outputs")
            if outs is not None:
                outs.result(format_dict, md_dict, self.shell.execution_count)

        def finish_displayhook(self):
            pass

    def _note(text):
        outs = state.get("outputs")
        if outs is not None:
            outs.notes.append(text)

    def _refused(cmd):
        words = cmd.strip().split()
        if not words:
            return False
        first = os.path.basename(words[0])
        return first in _INSTALLERS or (
            first.startswith("python") and len(words) > 2 and words[1:3] == ["-m", "pip"]
        )

    def _run(cmd):
        if _refused(cmd):
            _note(f"shell command not run while grading (no package installs): {cmd[:80]}")
            return 0, "", ""
        try:
            proc = subprocess.run(
                cmd,
                shell=True,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=max(1.0, cell_limit_ref[0]),
            )
        except (OSError, subprocess.SubprocessError) as exc:
            _note(f"shell command could not run in the sandbox ({type(exc).__name__}): {cmd[:80]}")
            return 127, "", ""
        return proc.returncode, proc.stdout, proc.stderr

    class GradingShell(InteractiveShell):
        display_pub_class = Type(Publisher)
        displayhook_class = Type(Hook)

        def init_completer(self):
            self.Completer = None  # tab completion has no use while grading (0.025 s saved)

        @contextlib.contextmanager
        def _tee(self, channel):
            yield  # no copy of every output in memory (IPython's history of outputs)

        def system(self, cmd):
            cmd = self.var_expand(cmd, depth=1)
            code, out, err = _run(cmd)
            if out:
                sys.stdout.write(out)
            if err:
                sys.stderr.write(err)
            self.user_ns["_exit_code"] = code

        def getoutput(self, cmd, split=True, depth=0):
            cmd = self.var_expand(cmd, depth=depth + 1)
            code, out, err = _run(cmd)
            self.user_ns["_exit_code"] = code
            text = out + err
            return SList(text.splitlines()) if split else text

        def showtraceback(self, *args, **kwargs):
            _guard_child()  # a forked child that fails leaves at once (no slow traceback)
            return super().showtraceback(*args, **kwargs)

        def showsyntaxerror(self, *args, **kwargs):
            _guard_child()
            return super().showsyntaxerror(*args, **kwargs)

        def enable_matplotlib(self, gui=None):
            try:
                return super().enable_matplotlib(gui)
            except ImportError as exc:  # e.g. matplotlib_inline missing where grading runs
                _note(f"%matplotlib could not be set up here ({exc}); figures are not kept")
                return None, None

        def enable_gui(self, gui=None):
            pass  # no event loop to integrate with: figures are shown inline

        def _showtraceback(self, etype, evalue, stb):
            outs = state.get("outputs")
            if outs is None:
                return
            if isinstance(evalue, CellTimeout):
                return  # reported by the worker as a timeout
            outs.error(getattr(etype, "__name__", "Error"), evalue, stb)

    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "nocolor"
    cfg.InteractiveShell.xmode = "Plain"  # Context (stack_data) took 1.7 s after a fork bomb
    cfg.InteractiveShell.autocall = 0
    cfg.InteractiveShell.autoindent = False
    shell = GradingShell.instance(config=cfg)
    return shell, InteractiveShell, GradingShell


#: the methods the worker relies on to run a cell and see its errors; restored before
#: every cell, so a cell that replaces them changes nothing after itself
_CRITICAL = (
    "run_cell",
    "_run_cell",
    "run_cell_async",
    "run_ast_nodes",
    "run_code",
    "transform_cell",
    "should_run_async",
    "showtraceback",
    "_showtraceback",
    "showsyntaxerror",
    "set_custom_exc",
    "system",
    "getoutput",
    "_tee",
)


class _Integrity:
    def __init__(self, shell, classes):
        self.shell = shell
        self.saved = [
            (cls, {n: cls.__dict__[n] for n in _CRITICAL if n in cls.__dict__}) for cls in classes
        ]
        self.display_pub = shell.display_pub
        self.displayhook = shell.displayhook
        self.changed = []

    def restore(self):
        for cls, saved in self.saved:
            for name, value in saved.items():
                if cls.__dict__.get(name) is not value:
                    setattr(cls, name, value)
                    self._flag(f"IPython's {name}")
        inst = self.shell.__dict__
        for name in _CRITICAL:
            if name in inst:
                del inst[name]
                self._flag(f"IPython's {name}")
        if self.shell.custom_exceptions:
            self.shell.custom_exceptions = ()
            self._flag("IPython exception handler (set_custom_exc)")
        if self.shell.display_pub is not self.display_pub:
            self.shell.display_pub = self.display_pub
            self._flag("IPython's display publisher")
        if self.shell.displayhook is not self.displayhook:
            self.shell.displayhook = self.displayhook
            self._flag("IPython's display hook")

    def _flag(self, what):
        if what not in self.changed:
            self.changed.append(what)


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
        if os.path.isfile(path) and not os.path.islink(path):
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


def _reap():
    """Collect finished children (a fork bomb's zombies count against the process limit)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except (ChildProcessError, OSError):
            return
        if pid == 0:
            return


def _run_cells(job, shell, state, integrity, control_fd):
    results = []
    cell_limit = float(job.get("cell_timeout", 60))
    budget = {"figures": int(job.get("max_figures", 20))}
    out_stream, err_stream = _Stream("stdout", state), _Stream("stderr", state)
    for cell in job["cells"]:
        idx = cell["index"]
        record = {"index": idx, "outputs": [], "status": "ok", "seconds": 0.0}
        results.append(record)
        if cell.get("skip"):
            record["status"] = "skipped"
            record["reason"] = cell.get("skip_reason", "skipped")
            continue
        integrity.restore()
        _os_write(control_fd, f"cell {idx}\n".encode())
        outs = Outputs(job, budget)
        state["outputs"] = outs
        sys.stdout, sys.stderr = out_stream, err_stream
        start = _perf()
        err = None
        try:
            _signal(signal.SIGALRM, _on_alarm)
            _setitimer(signal.ITIMER_REAL, cell_limit, 1.0)
            try:
                res = shell.run_cell(cell["source"], store_history=True)
            finally:
                _setitimer(signal.ITIMER_REAL, 0, 0)
            err = getattr(res, "error_before_exec", None) or getattr(res, "error_in_exec", None)
        except BaseException as exc:  # raised outside the cell's code (a hook, the timer)
            err = exc
        _guard_child()
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        state["outputs"] = None
        record["seconds"] = round(_perf() - start, 4)
        _reap()
        if isinstance(err, CellTimeout):
            record["status"] = "timeout"
            outs.error(
                "CellTimeout", f"this cell ran longer than {cell_limit:g} s and was stopped", []
            )
        elif err is not None:
            record["status"] = "error"
            try:
                record["ename"] = str(type(err).__name__)[:200]
            except BaseException:
                record["ename"] = "Error"
            if not any(o["output_type"] == "error" for o in outs.items):
                try:
                    outs.error(record["ename"], str(err)[:2000], [])
                except BaseException:
                    outs.error(record["ename"], "unprintable error", [])
        record["outputs"] = outs.finish()
        if outs.notes:
            record["notes"] = sorted(set(outs.notes))
    return results


def _to_array(value, np):
    arr = np.asarray(value)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"returned a {type(value).__name__} (dtype {arr.dtype}), not numbers")
    return np.array(arr, copy=True)


class _Sink:
    def write(self, text):
        return len(text) if isinstance(text, str) else 0

    def flush(self):
        pass

    def isatty(self):
        return False


def _run_probes(spec, ns, control_fd, np, default_rng, cases_mod):
    case_limit = float(spec.get("case_timeout", 20))
    statuses = []
    arrays = {}
    seed = int(spec.pop("seed", 0))
    source = spec.pop("source", "CASES = {}")
    try:
        cases = cases_mod.load_source(source, standalone=True).CASES
    except BaseException as exc:
        return [{"task": None, "status": "grader-error", "message": f"hidden tests: {exc!r}"}], {}
    del source
    sink = _Sink()
    sys.stdout = sys.stderr = sink
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
                    got = task_cases[i].probe(ns, default_rng(seed + i))
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
                # the parent shows only the exception's class name (from a fixed list);
                # the message is used for fixed checks only, never shown
                try:
                    entry.update(
                        status="error", ename=str(type(exc).__name__)[:100], message=str(exc)[:200]
                    )
                except BaseException:
                    entry.update(status="error", ename="Exception", message="")
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


def _load_cases_module(path):
    spec = importlib.util.spec_from_file_location("_grader_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["_grader_cases"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main():
    job = json.loads(_read_line(0))
    control_fd = int(job["control_fd"])
    out_dir = job["out_dir"]
    sys.path.extend(p for p in job.get("site_path", []) if p not in sys.path)
    for path in job.get("sys_path", []):
        sys.path.insert(0, path)
    import numpy as np

    cases_mod = _load_cases_module(job["cases_module"])
    default_rng = np.random.default_rng
    savez = np.savez
    # result files are opened while still privileged: after the drop, student code
    # cannot create files outside its size-limited tmpfs folders
    cells_fh = _open(os.path.join(out_dir, "cells.json"), "w", encoding="utf-8")
    res_fh = _open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8")
    npz_fh = _open(os.path.join(out_dir, "probes.npz"), "wb")
    cwd = job.get("cwd", ".")
    if job.get("input"):
        _copy_inputs(job["input"], cwd, job.get("uid"))
    applied = _apply_limits(job.get("limits"))
    dropped = _drop_privileges(job.get("uid"))
    os.chdir(cwd)
    state = {"outputs": None}
    cell_limit = [float(job.get("cell_timeout", 60))]
    shell_start = _perf()
    shell, base_cls, shell_cls = _make_shell(state, cell_limit)
    integrity = _Integrity(shell, (base_cls, shell_cls))
    ns = shell.user_ns
    shell_seconds = _perf() - shell_start
    watched = _watch_list(np)
    before = {name: id(obj) for name, obj in watched}
    errstate = np.geterr()
    start = _perf()
    cells = _run_cells(job, shell, state, integrity, control_fd)
    _guard_child()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    state["outputs"] = None
    integrity.restore()
    after = dict(_watch_list(np))
    changed = [name for name, ident in before.items() if id(after.get(name)) != ident]
    if np.geterr() != errstate:
        changed.append("numpy error handling (np.seterr)")
    changed += integrity.changed
    report = {
        "cells": cells,
        "cells_seconds": round(_perf() - start, 4),
        "shell_seconds": round(shell_seconds, 4),
        "limits": applied,
        "dropped_privileges": dropped,
        "tampering": changed,
        "ipython_tampered": bool(integrity.changed),
    }
    try:
        cells_fh.write(_json_dumps(report))
    except BaseException as exc:
        cells_fh.write(_json_dumps({"cells": [], "error": f"unwritable cell report: {exc!r}"}))
    cells_fh.close()
    del report, cells
    _os_write(control_fd, b"cells-done\n")
    probe_report = {}
    try:
        spec = json.loads(_read_line(0))
    except BaseException as exc:
        spec = None
        probe_report["probe_error"] = f"could not receive the hidden tests: {type(exc).__name__}"
    arrays = {}
    if spec is not None:
        probe_start = _perf()
        probe_report["cases"], arrays = _run_probes(
            spec, ns, control_fd, np, default_rng, cases_mod
        )
        probe_report["probes_seconds"] = round(_perf() - probe_start, 4)
        del spec
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    savez(npz_fh, **arrays)
    npz_fh.close()
    res_fh.write(_json_dumps(probe_report))
    res_fh.close()
    _os_write(control_fd, b"done\n")
    _os_exit(0)


if __name__ == "__main__":
    main()

"""Run one submission's worker in its own process, inside bubblewrap when available.

The sandbox sees, read-only: the system's ``/usr`` (and ``/lib*`` links), the Python
installation, the student package of the assignment; read-write: a fresh work folder
holding the submission's files, an output folder and a small private ``/tmp``.  It does
not see the course directory, the gradebook, the hidden tests, the solutions, the
repository, other students' files, or the network (``--unshare-net``); it has its own
pid namespace (everything it started dies with it), and on top of that the worker sets
rlimits (address space, processes, file size, open files, CPU) before any student code
runs and, when the grader runs as root, drops to an unprivileged per-slot uid.

Where bubblewrap is missing or cannot create namespaces (an instructor's laptop, some
containers) the worker still runs in its own process with the same rlimits, and a loud
warning says that the submission could read the instructor's files.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

WORKER = Path(__file__).with_name("_worker.py")
CASES = Path(__file__).with_name("_cases.py")  # the one hidden-test loader, bound read-only
#: where the sandbox sees its folders (one top-level folder that no Python lives in)
SANDBOX_ROOT = "/sandbox"
SANDBOX_ENV = "CS231N_GRADER_SANDBOX"  # "auto" (default), "bwrap" (required) or "none"
UID_BASE = 61000


class SandboxWarning(UserWarning):
    """Grading runs without filesystem/network isolation."""


@dataclass
class Limits:
    """Resource limits of one submission (seconds, megabytes, counts)."""

    cell_timeout: float = 120.0
    case_timeout: float = 30.0
    submission_timeout: float = 900.0
    memory_mb: int = 4096
    nproc: int = 64
    file_mb: int = 64
    tmp_mb: int = 256
    output_chars: int = 20_000
    raw_output_bytes: int = 200_000
    grace: float = 5.0
    max_figures: int = 20  # figures (image/png, image/jpeg) kept per notebook
    figure_kb: int = 1500  # largest figure kept (base64 text)
    html_kb: int = 200  # largest HTML output kept

    def rlimits(self) -> dict:
        return {
            "as": self.memory_mb * 2**20,
            "nproc": self.nproc,
            "fsize": self.file_mb * 2**20,
            "nofile": 256,
            "cpu": int(self.submission_timeout) + 10,
            "core": 0,
        }


@dataclass
class RunResult:
    """What came back from one worker run (raw; nothing here is a verdict)."""

    status: str  # "ok", "killed-cell", "killed-case", "timeout", "crashed"
    report: dict | None = None  # the cell report (read at "cells-done") + the probes' statuses
    probes: dict = field(default_factory=dict)
    last_event: str = ""
    returncode: int | None = None
    raw_output: str = ""
    seconds: float = 0.0
    isolation: str = ""
    error: str = ""


def _python_roots() -> list[Path]:
    """Folders the sandboxed interpreter needs: prefixes and extra sys.path entries."""
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    exe = Path(sys.executable)
    roots.add(exe.parent.parent)
    roots.add(exe.resolve().parent.parent)
    for entry in sys.path:
        if not entry:
            continue
        p = Path(entry).resolve()
        if p.is_dir() and ("site-packages" in p.parts or "dist-packages" in p.parts):
            roots.add(p)
    # keep only outermost folders
    out = []
    for p in sorted(roots, key=lambda q: len(q.parts)):
        if not any(p == q or q in p.parents for q in out):
            out.append(p)
    return out


def _secret_paths() -> list[Path]:
    """Folders a submission must never see even if they sit inside a bound folder."""
    import autograder
    import cs231n

    repo = Path(autograder.__file__).resolve().parents[1]
    return [
        Path(cs231n.__file__).resolve().parent,
        Path(autograder.__file__).resolve().parent,
        repo,
    ]


def bwrap_args(work: Path, out: Path, package_dir: Path | None, limits: Limits, uid) -> list[str]:
    """The bubblewrap command line (without the program to run)."""
    args = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        p = Path("/" + name)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    for etc in (
        "ld.so.cache",
        "ld.so.conf",
        "ld.so.conf.d",
        "localtime",
        "fonts",
        "alternatives",
        "mime.types",
    ):
        args += ["--ro-bind-try", f"/etc/{etc}", f"/etc/{etc}"]
    # /tmp and the sandbox's own folders first: a Python that lives under /tmp (a CI
    # virtual environment, say) is bound on top of them below instead of being hidden
    args += ["--size", str(limits.tmp_mb * 2**20), "--perms", "1777", "--tmpfs", "/tmp"]
    root = SANDBOX_ROOT
    args += ["--perms", "0755", "--dir", root, "--perms", "0755", "--dir", f"{root}/grader"]
    # work is a size-limited tmpfs that the worker fills from the read-only input;
    # out stays owned by the grader: the worker opens its result files before it
    # drops privileges, so student code cannot create files on the real disk
    args += ["--ro-bind", str(work), f"{root}/input", "--size", str(limits.tmp_mb * 2**20)]
    args += ["--perms", "0777", "--tmpfs", f"{root}/work", "--bind", str(out), f"{root}/out"]
    if package_dir is not None:
        args += ["--ro-bind", str(package_dir), f"{root}/pkg"]
    args += ["--ro-bind", str(WORKER), f"{root}/grader/worker.py"]
    args += ["--ro-bind", str(CASES), f"{root}/grader/_cases.py"]
    roots = _python_roots()
    made = set()
    for proot in roots:
        for parent in reversed(proot.parents):
            if str(parent) not in ("/", "/usr") and parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(proot), str(proot)]
    for secret in _secret_paths():
        if any(r in secret.parents for r in roots):
            args += ["--tmpfs", str(secret)]
    args += ["--proc", "/proc", "--dev", "/dev", "--chdir", f"{root}/work"]
    if uid is not None:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return args


def _read_sysctl(name: str) -> str | None:
    """The value of ``/proc/sys/<name with dots as slashes>``, or None (a probe tests patch)."""
    try:
        return Path("/proc/sys", *name.split(".")).read_text().strip()
    except OSError:
        return None


def _in_container() -> bool:
    """Whether this process looks like it runs in a container (a probe tests patch)."""
    if Path("/.dockerenv").exists() or Path("/run/.containerenv").exists():
        return True
    try:
        text = Path("/proc/1/cgroup").read_text()
    except OSError:
        return False
    return any(word in text for word in ("docker", "kubepods", "containerd", "lxc", "podman"))


def _which_bwrap() -> str | None:
    return shutil.which("bwrap")


def diagnose(stderr: str = "", *, installed: bool = True) -> str:
    """Why bubblewrap cannot run here, with the one-line fix.

    Causes, checked in order: not installed; AppArmor's restriction of unprivileged user
    namespaces (Ubuntu 23.10 and later); user namespaces switched off
    (``kernel.unprivileged_userns_clone`` or ``user.max_user_namespaces``); a container
    that lacks the capability.
    """
    if not installed:
        return (
            "bubblewrap (bwrap) is not installed. "
            "Fix: sudo apt-get install bubblewrap (Fedora: sudo dnf install bubblewrap)"
        )
    if _read_sysctl("kernel.apparmor_restrict_unprivileged_userns") == "1" and os.getuid() != 0:
        return (
            "AppArmor restricts unprivileged user namespaces "
            "(kernel.apparmor_restrict_unprivileged_userns=1, Ubuntu 23.10+). "
            "Fix: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 "
            "(or add an AppArmor profile that allows userns for /usr/bin/bwrap)"
        )
    if _read_sysctl("kernel.unprivileged_userns_clone") == "0" and os.getuid() != 0:
        return (
            "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone=0). "
            "Fix: sudo sysctl -w kernel.unprivileged_userns_clone=1"
        )
    if _read_sysctl("user.max_user_namespaces") == "0":
        return (
            "user namespaces are switched off (user.max_user_namespaces=0). "
            "Fix: sudo sysctl -w user.max_user_namespaces=15000"
        )
    if _in_container():
        return (
            "this container does not let bubblewrap create namespaces "
            f"({stderr.strip()[:160] or 'permission denied'}). "
            "Fix: run the container with --security-opt seccomp=unconfined "
            "--security-opt apparmor=unconfined --cap-add SYS_ADMIN (or grade outside it)"
        )
    return f"bwrap cannot create a sandbox here: {stderr.strip()[:300]}"


@lru_cache(maxsize=1)
def sandbox_available() -> tuple[bool, str]:
    """Whether bubblewrap works here, and a one-line explanation (with the fix when not)."""
    mode = os.environ.get(SANDBOX_ENV, "auto")
    if mode == "none":
        return False, f"{SANDBOX_ENV}=none"
    exe = _which_bwrap()
    if exe is None:
        return False, diagnose(installed=False)
    with tempfile.TemporaryDirectory() as tmp:
        work, out = Path(tmp, "w"), Path(tmp, "o")
        work.mkdir()
        out.mkdir()
        uid = UID_BASE if os.getuid() == 0 else None
        cmd = [*bwrap_args(work, out, None, Limits(), uid), sys.executable, "-c", "pass"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            return False, diagnose(str(exc))
        if proc.returncode != 0:
            return False, diagnose(proc.stderr)
    return True, "bubblewrap"


@lru_cache(maxsize=8)
def can_drop_privileges(package_dir: str = "") -> bool:
    """Without bubblewrap, as root: can an unprivileged uid run Python, numpy and the package?"""
    if os.getuid() != 0:
        return False

    def drop():
        os.setgroups([])
        os.setgid(UID_BASE)
        os.setuid(UID_BASE)

    code = "import sys; sys.path.insert(0, sys.argv[1]); import json, numpy"
    if package_dir:
        code += "; import cs231n"
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", code, package_dir or "."],
            preexec_fn=drop,
            capture_output=True,
            timeout=60,
            cwd="/",
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def isolation_mode() -> str:
    ok, why = sandbox_available()
    if ok:
        return "bubblewrap"
    if os.environ.get(SANDBOX_ENV) == "bwrap":
        raise RuntimeError(f"{SANDBOX_ENV}=bwrap but {why}")
    return "rlimits-only"


_WARNED = False


def warn_if_unsandboxed(stream=None) -> None:
    """Print (once) a loud warning when grading cannot be isolated."""
    global _WARNED
    ok, why = sandbox_available()
    if ok or _WARNED:
        return
    _WARNED = True
    msg = (
        "\n" + "!" * 78 + "\n"
        "WARNING: grading WITHOUT a sandbox.\nWhy: " + why + "\n"
        "Each submission still runs in its own process with limits on time, memory,\n"
        "processes and output, and verdicts are still decided outside student code,\n"
        "but student code can READ YOUR FILES (course directory, hidden tests) and use\n"
        "the network. Install bubblewrap to isolate it.\n" + "!" * 78 + "\n"
    )
    print(msg, file=stream or sys.stderr, flush=True)
    warnings.warn("grading without a sandbox: " + why, SandboxWarning, stacklevel=2)


def _drain(pipe, limit: int, sink: list) -> None:
    kept = 0
    dropped = 0
    while True:
        chunk = pipe.read1(65536)
        if not chunk:
            break
        room = limit - kept
        piece = chunk[: max(room, 0)]
        if piece:
            sink.append(piece)
            kept += len(piece)
        dropped += len(chunk) - len(piece)
    if dropped > 0:
        sink.append(f"\n[... {dropped} bytes of raw output dropped]".encode())


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def run_worker(
    cells: list[dict],
    hidden: dict | None,
    *,
    files_dir: Path | None = None,
    package_dir: Path | None = None,
    limits: Limits | None = None,
    slot: int = 0,
) -> RunResult:
    """Run the worker on ``cells``; then, if it gets that far, on the hidden probes.

    Parameters
    ----------
    cells : list of dict
        ``{"index", "source", "skip", "skip_reason"}`` per code cell, in order.
    hidden : dict or None
        ``{"source": text of the hidden file, "tasks": {task_id: [case indices]},
        "seed": int}``; sent only after the cells have run.
    files_dir : path, optional
        Folder whose files (other than notebooks) are copied into the work folder.
    package_dir : path, optional
        Folder that holds the student package (``cs231n/``), put first on ``sys.path``.
    limits : Limits
    slot : int
        Parallel slot; selects the unprivileged uid when running as root.
    """
    limits = limits or Limits()
    mode = isolation_mode()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cs231n-grade-") as tmp:
        tmp = Path(tmp)
        work, out = tmp / "work", tmp / "out"
        work.mkdir()
        out.mkdir()
        if files_dir is not None and Path(files_dir).is_dir():
            for item in Path(files_dir).iterdir():
                if item.name.startswith("."):
                    continue
                if item.is_file() and item.stat().st_size < 50 * 2**20:
                    shutil.copy(item, work / item.name)
        uid = None
        if os.getuid() == 0 and mode == "bubblewrap":
            uid = UID_BASE + slot
        elif os.getuid() == 0 and can_drop_privileges(str(package_dir or "")):
            # no sandbox, but at least not root: process limits hold, root's files are read-only
            uid = UID_BASE + slot
            for p in (work, *work.iterdir()):
                os.chown(p, uid, uid)
        os.chmod(tmp, 0o755)
        if mode == "bubblewrap":
            r = SANDBOX_ROOT
            cmd = bwrap_args(work, out, package_dir, limits, uid)
            cmd += [sys.executable, "-I", "-S", "-B", f"{r}/grader/worker.py"]
            paths = {
                "out": f"{r}/out",
                "cwd": f"{r}/work",
                "pkg": f"{r}/pkg",
                "input": f"{r}/input",
                "cases": f"{r}/grader/_cases.py",
            }
            home = "/tmp"
        else:
            cmd = [sys.executable, "-I", "-S", "-B", str(WORKER)]
            paths = {
                "out": str(out),
                "cwd": str(work),
                "pkg": str(package_dir or ""),
                "input": "",
                "cases": str(CASES),
            }
            home = str(tmp / "home")
            Path(home).mkdir()
            if uid is not None:
                os.chown(home, uid, uid)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "LANG": "C.UTF-8",
            "MPLBACKEND": _mpl_backend(),
            "MPLCONFIGDIR": home + "/.mpl",
            "IPYTHONDIR": home + "/.ipython",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "NBGRADER_EXECUTION": "autograde",
            "CS231N_GRADING": "1",
            "TQDM_DISABLE": "1",
        }
        rlimits = limits.rlimits()
        if uid is None and os.getuid() != 0:
            rlimits["nproc"] = _own_process_count() + limits.nproc
        ctl_r, ctl_w = os.pipe()
        job = {
            "cells": cells,
            "cell_timeout": limits.cell_timeout,
            "output_limit": limits.output_chars,
            "limits": rlimits,
            "uid": uid,
            "control_fd": ctl_w,
            "out_dir": paths["out"],
            "cwd": paths["cwd"],
            "input": paths["input"],
            "sys_path": [paths["pkg"]] if package_dir is not None else [],
            # ``python -S``: no site module (its .pth files would run code, and cost time);
            # the site-packages folders are put on sys.path by the worker instead
            "site_path": _site_packages(),
            "cases_module": paths["cases"],
            "max_figures": limits.max_figures,
            "figure_chars": limits.figure_kb * 1000,
            "html_chars": limits.html_kb * 1000,
        }
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(work),
            pass_fds=(ctl_w,),
            start_new_session=True,
        )
        os.close(ctl_w)
        raw: list[bytes] = []
        drainer = threading.Thread(target=_drain, args=(proc.stdout, limits.raw_output_bytes, raw))
        drainer.daemon = True
        drainer.start()
        result = RunResult(status="ok", isolation=mode)
        order = EventOrder(
            [c["index"] for c in cells if not c.get("skip")],
            [(t, i) for t, idx in (hidden or {}).get("tasks", {}).items() for i in idx],
        )
        try:
            proc.stdin.write((json.dumps(job) + "\n").encode())
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        deadline = time.monotonic() + limits.submission_timeout
        event_deadline = None
        cells_report = None
        buf = b""
        done = False
        ctl = os.fdopen(ctl_r, "rb", buffering=0)
        try:
            while True:
                now = time.monotonic()
                wait = deadline - now
                if event_deadline is not None:
                    wait = min(wait, event_deadline - now)
                if wait <= 0:
                    result.status = (
                        "timeout" if now >= deadline else _killed_kind(result.last_event)
                    )
                    _kill(proc)
                    break
                ready, _, _ = select.select([ctl], [], [], min(wait, 1.0))
                if not ready:
                    if proc.poll() is not None and not done:
                        # process gone without closing? fall through to EOF handling
                        pass
                    continue
                chunk = ctl.read(4096)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    event = line.decode(errors="replace")
                    result.last_event = event
                    problem = order.feed(event)
                    if problem:
                        result.status, result.error = "tampered", problem
                        _kill(proc)
                        break
                    if event.startswith("cell "):
                        event_deadline = time.monotonic() + limits.cell_timeout + limits.grace
                    elif event.startswith("case "):
                        event_deadline = time.monotonic() + limits.case_timeout + limits.grace
                    elif event == "cells-done":
                        event_deadline = None
                        # the cell report is read NOW, before anything hidden is sent:
                        # whatever runs later cannot change what feedback shows
                        cells_report, err = _read_cells(out)
                        if err:
                            # not sent: a forged "cells-done" (the real one comes later and
                            # is out of order) or a worker that failed to write its report
                            result.error = err
                            continue
                        spec = dict(hidden or {"source": "CASES = {}", "tasks": {}, "seed": 0})
                        spec["case_timeout"] = limits.case_timeout
                        try:
                            proc.stdin.write((json.dumps(spec) + "\n").encode())
                            proc.stdin.flush()
                        except (BrokenPipeError, OSError):
                            pass
                    elif event == "done":
                        done = True
                        event_deadline = None
                if result.status in ("tampered", "crashed"):
                    break
        finally:
            ctl.close()
            try:
                proc.stdin.close()
            except OSError:
                pass
        try:
            result.returncode = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill(proc)
            result.returncode = proc.wait()
            result.status = "timeout"
        _kill(proc)
        drainer.join(timeout=5)
        result.raw_output = b"".join(raw).decode("utf-8", errors="replace")
        if result.status == "tampered":
            done = False
        if result.status == "ok" and cells_report is None and result.error:
            result.status = "crashed"
            done = False
        if result.status == "ok" and not done:
            result.status = "crashed"
            result.error = f"the grading process ended early (exit code {result.returncode})"
        if done and cells_report is not None:
            probe_report, result.probes, err = _read_outputs(out)
            if err:
                result.status, result.error = "crashed", err
            result.report = dict(cells_report)
            for key in ("cases", "probes_seconds", "probe_error"):
                if isinstance(probe_report, dict) and key in probe_report:
                    result.report[key] = probe_report[key]
        elif cells_report is not None:
            result.report = dict(cells_report)
        result.seconds = time.perf_counter() - start
        return result


class EventOrder:
    """Checks that control events come in the only order the worker produces.

    Student code shares the worker's process and could write to the control pipe;
    an event out of order (a fake ``cells-done`` to get the hidden tests early, a fake
    ``done``) marks the run as tampered with, and all of its output is discarded.
    """

    def __init__(self, cells: list[int], cases: list[tuple[str, int]]):
        self.cells = [f"cell {i}" for i in cells]
        self.cases = [f"case {t} {i}" for t, i in cases]
        self.phase = "cells"
        self.pos = 0

    def feed(self, event: str) -> str:
        bad = f"the control channel of the grader was written to by student code ({event[:60]!r})"
        if self.phase == "cells":
            if self.pos < len(self.cells) and event == self.cells[self.pos]:
                self.pos += 1
                return ""
            if event == "cells-done" and self.pos == len(self.cells):
                self.phase, self.pos = "cases", 0
                return ""
            return bad
        if self.phase == "cases":
            if event in self.cases[self.pos :]:
                self.pos = self.cases.index(event, self.pos) + 1
                return ""
            if event == "done":
                self.phase = "done"
                return ""
            return bad
        return bad


def _killed_kind(event: str) -> str:
    if event.startswith("case "):
        return "killed-case"
    if event.startswith("cell "):
        return "killed-cell"
    return "timeout"


@lru_cache(maxsize=1)
def _site_packages() -> list[str]:
    """The interpreter's site-packages folders, in ``sys.path`` order."""
    out = []
    for entry in sys.path:
        p = Path(entry) if entry else None
        if p is not None and p.is_dir() and p.name in ("site-packages", "dist-packages"):
            if str(p) not in out:
                out.append(str(p))
    return out


def _mpl_backend() -> str:
    """Jupyter's default matplotlib backend (figures shown at the end of a cell), else Agg."""
    import importlib.util

    if importlib.util.find_spec("matplotlib_inline") is not None:
        return "module://matplotlib_inline.backend_inline"
    return "Agg"


def _read_cells(out: Path) -> tuple[dict | None, str]:
    """The worker's cell report, read at ``cells-done`` (size-capped JSON object)."""
    path = out / "cells.json"
    try:
        if path.stat().st_size > 64 * 2**20:
            return None, "the grading process wrote an oversized cell report"
        report = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(report, dict):
            raise ValueError("not a JSON object")
        return report, ""
    except (OSError, ValueError) as exc:
        return None, f"unreadable cell report from the grading process: {exc}"


def _read_outputs(out: Path) -> tuple[dict | None, dict, str]:
    """Read the worker's files defensively: size caps, JSON, npz without pickle."""
    rpath, ppath = out / "results.json", out / "probes.npz"
    try:
        if rpath.stat().st_size > 64 * 2**20 or ppath.stat().st_size > 512 * 2**20:
            return None, {}, "the grading process wrote oversized results"
        report = json.loads(rpath.read_text(encoding="utf-8"))
        if not isinstance(report, dict):
            raise ValueError("results are not a JSON object")
        probes = {}
        with np.load(ppath, allow_pickle=False) as data:
            for key in data.files:
                probes[key] = np.array(data[key])
        return report, probes, ""
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, {}, f"unreadable results from the grading process: {exc}"


def _own_process_count() -> int:
    """Threads/processes of this uid (RLIMIT_NPROC counts them all, per user)."""
    uid = os.getuid()
    count = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            st = os.stat(f"/proc/{pid}")
            if st.st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


def limits_dict(limits: Limits) -> dict:
    return asdict(limits)


__all__ = [
    "Limits",
    "RunResult",
    "SandboxWarning",
    "isolation_mode",
    "run_worker",
    "sandbox_available",
    "warn_if_unsandboxed",
]

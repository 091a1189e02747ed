"""The tools nbgrader starts (``alembic``, ``jupyter``) without an activated virtualenv.

nbgrader runs ``alembic`` by name when it creates a gradebook, so running the venv's
python directly (``.venv/bin/python -m autograder ...``) without activating the venv
used to fail with ``FileNotFoundError: 'alembic'``.  :func:`ensure_tools_on_path` puts
the folder of the running interpreter's scripts first on ``PATH`` (for this process and
every subprocess it starts).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path


def scripts_dir() -> Path:
    """The folder holding this interpreter's console scripts (``<venv>/bin``)."""
    exe_dir = Path(sys.executable).parent
    if (exe_dir / "alembic").exists() or (exe_dir / "alembic.exe").exists():
        return exe_dir
    scripts = sysconfig.get_path("scripts")
    return Path(scripts) if scripts else exe_dir


def ensure_tools_on_path() -> None:
    """Put :func:`scripts_dir` first on ``PATH`` unless it is already there."""
    folder = str(scripts_dir())
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if folder not in parts:
        os.environ["PATH"] = os.pathsep.join([folder, *[p for p in parts if p]])


def tool_env(**extra) -> dict:
    """``os.environ`` with :func:`scripts_dir` on ``PATH``, plus ``extra``."""
    ensure_tools_on_path()
    env = dict(os.environ)
    env.update(extra)
    return env

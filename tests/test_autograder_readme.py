"""The README's first command, verbatim, in a fresh virtual environment (slow: ~2 min)."""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _readme_demo_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if "python -m autograder demo" in line:
                return line.strip()
    pytest.fail("README.md has no `python -m autograder demo` command in a bash block")


@pytest.mark.slow
def test_readme_demo_command_in_a_fresh_venv(tmp_path):
    command = _readme_demo_command()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(env_dir)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert "question (points)" in out and "total (" in out, out[-4000:]
    assert "UNEXPECTED" not in out

"""Why bubblewrap cannot run, with the fix: each cause with monkeypatched probes."""

from __future__ import annotations

import subprocess

import pytest

from autograder import sandbox


@pytest.fixture
def probes(monkeypatch):
    """Patchable probes: no sysctl set, not a container, bwrap installed but failing."""
    values = {}
    monkeypatch.setattr(sandbox, "_read_sysctl", lambda name: values.get(name))
    monkeypatch.setattr(sandbox, "_in_container", lambda: values.get("container", False))
    monkeypatch.setattr(sandbox, "_which_bwrap", lambda: values.get("which", "/usr/bin/bwrap"))
    monkeypatch.setattr(sandbox.os, "getuid", lambda: values.get("uid", 1000))
    monkeypatch.delenv(sandbox.SANDBOX_ENV, raising=False)

    def fake_run(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 1, "", values.get("stderr", "bwrap: failed"))

    monkeypatch.setattr(sandbox.subprocess, "run", fake_run)
    sandbox.sandbox_available.cache_clear()
    yield values
    sandbox.sandbox_available.cache_clear()


def _why(values, **kw):
    values.update(kw)
    sandbox.sandbox_available.cache_clear()
    ok, why = sandbox.sandbox_available()
    assert not ok
    return why


def test_not_installed(probes):
    why = _why(probes, which=None)
    assert "not installed" in why and "apt-get install bubblewrap" in why


def test_apparmor_userns_restriction(probes):
    why = _why(
        probes,
        **{
            "kernel.apparmor_restrict_unprivileged_userns": "1",
            "stderr": "bwrap: setting up uid map: Permission denied",
        },
    )
    assert "AppArmor" in why
    assert "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" in why


def test_userns_switched_off(probes):
    why = _why(probes, **{"kernel.unprivileged_userns_clone": "0"})
    assert "sysctl -w kernel.unprivileged_userns_clone=1" in why
    probes.pop("kernel.unprivileged_userns_clone")
    why = _why(probes, **{"user.max_user_namespaces": "0"})
    assert "user.max_user_namespaces" in why


def test_container_without_the_capability(probes):
    why = _why(
        probes, container=True, uid=0, stderr="bwrap: No permissions to create new namespace"
    )
    assert "container" in why and "--cap-add SYS_ADMIN" in why
    assert "No permissions to create new namespace" in why


def test_the_warning_says_why_and_how_to_fix_it(probes, monkeypatch, capsys):
    probes.update(which=None)
    sandbox.sandbox_available.cache_clear()
    monkeypatch.setattr(sandbox, "_WARNED", False)
    with pytest.warns(sandbox.SandboxWarning, match="not installed"):
        sandbox.warn_if_unsandboxed()
    err = capsys.readouterr().err
    assert "WITHOUT a sandbox" in err and "Fix: sudo apt-get install bubblewrap" in err

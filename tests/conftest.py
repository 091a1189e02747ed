"""Shared pytest configuration: one hypothesis profile, task-id markers, BLAS threads."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread per process: on a small shared machine, OpenBLAS threads fighting over two
# cores made small matrix products tens of times slower, and notebook kernels and grading
# workers inherit this environment.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from hypothesis import HealthCheck, settings

from cs231n.course.tasks import TASKS

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("ci")


def pytest_configure(config):
    for task in TASKS:
        config.addinivalue_line("markers", f"{task.id}: tests of task {task.id} ({task.title})")


def pytest_terminal_summary(terminalreporter):
    """Print the mistake catalogue's figures (caught / named per notebook) when it ran."""
    import sys

    module = sys.modules.get("test_mistake_catalogue") or sys.modules.get(
        "tests.test_mistake_catalogue"
    )
    lines = getattr(module, "SUMMARY", None)
    if lines:
        terminalreporter.write_sep("=", "mistake catalogue: wrong variants caught and named")
        for line in lines:
            terminalreporter.write_line(line)

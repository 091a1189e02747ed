"""Progress a student can see outside Jupyter: the Solver's tqdm bar in a plain terminal,
and the loss/accuracy curves at the end.  (The JupyterLab side, the tqdm widget while a
cell runs, is checked by tests/browser/test_jupyterlab.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import student_release as sr

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "progress"

pytest.importorskip("cs231n.solver")

SCRIPT = (
    "import numpy as np\n"
    + sr.TINY_MODEL
    + "\n\n\n"
    + textwrap.dedent(
        """
        import sys
        from cs231n.solver import Solver

        verbose = sys.argv[1] == "verbose"
        solver = Solver(TinySoftmax(20, 3, delay=0.002), tiny_blobs(), update_rule="sgd",
                        optim_config={"learning_rate": 0.1}, batch_size=30, num_epochs=10,
                        print_every=50, verbose=verbose, seed=0)
        solver.train()
        print("best val acc", solver.best_val_acc)
        if len(sys.argv) > 2:
            from cs231n.vis_utils import plot_history

            fig = plot_history(solver)
            fig.savefig(sys.argv[2], dpi=80)
            print("axes", len(fig.axes), "lines", sum(len(ax.lines) for ax in fig.axes))
        """
    )
)


def _run(tmp_path, *args):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"PYTHONPATH": str(REPO), "MPLBACKEND": "Agg", "TERM": "xterm"})
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,  # bytes: keep the carriage returns that redraw the bar
        timeout=120,
    )


def test_tqdm_bar_in_a_terminal_and_curves_at_the_end(tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "curves_terminal.png"
    res = _run(tmp_path, "verbose", str(png))
    assert res.returncode == 0, res.stderr.decode()
    err, out = res.stderr.decode(), res.stdout.decode()
    # the text bar (not the notebook widget): description, counter, rate, updates with \r
    assert "training:" in err and "100/100" in err and "it/s" in err, err[-2000:]
    assert "\r" in err and "HBox" not in err and "FloatProgress" not in err
    assert "100%" in err
    # the usual CS231n log lines still come, above the bar, on stdout
    assert "(Iteration 1 / 100) loss:" in out
    assert "(Epoch 10 / 10) train acc:" in out
    assert "axes 2" in out and png.is_file() and png.stat().st_size > 5000


def test_silent_when_not_verbose(tmp_path):
    res = _run(tmp_path, "quiet")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr == b""
    assert res.stdout.startswith(b"best val acc")


def _run_notebook_cells(*sources):
    pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(src) for src in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    env_backend = os.environ.pop("MPLBACKEND", None)  # let ipykernel choose its inline backend
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute(cwd=str(REPO))
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    return [[o for o in c.outputs] for c in nb.cells]


HISTORY = (
    "from cs231n.vis_utils import plot_history\n"
    "h = {'loss_history': [2.3, 1.9, 1.5, 1.2], 'train_acc_history': [0.1, 0.5, 0.7],\n"
    "     'val_acc_history': [0.1, 0.45, 0.6]}\n"
)


def _has_png(outputs):
    return any("image/png" in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_plot_history_renders_in_a_kernel_after_pyplot():
    pytest.importorskip("cs231n.vis_utils")
    outs = _run_notebook_cells(
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()", HISTORY + "plot_history(h)"
    )
    assert _has_png(outs[0]) and _has_png(outs[1]), outs


@pytest.mark.slow
def test_plot_history_renders_as_the_first_figure_of_a_kernel():
    pytest.importorskip("cs231n.vis_utils")
    outs = _run_notebook_cells("import matplotlib.pyplot as plt\n" + HISTORY + "plot_history(h)")
    assert _has_png(outs[0]), outs

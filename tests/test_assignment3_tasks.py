"""Assignment 3's planned tasks: every ``# TODO(a3_...)`` sits in the objects of one task.

The assignment-3 notebooks are registered one at a time (``cs231n.course.tasks``); the
package code of a task gets its ``### BEGIN/END SOLUTION`` markers when its row is
registered (the strip tool refuses regions outside registered task objects).  This table
is the plan for the rows: one task per top-level object or group of objects, so that the
strip tool can map each object to one task.  A registered row's objects must be the ones
planned.
"""

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from cs231n.course.tasks import TASKS

_RNN = "cs231n.rnn_layers"
_TR = "cs231n.transformer_layers"
PLANNED = {
    "a3_rnn_step_forward": [f"{_RNN}:rnn_step_forward"],
    "a3_rnn_step_backward": [f"{_RNN}:rnn_step_backward"],
    "a3_rnn_forward": [f"{_RNN}:rnn_forward"],
    "a3_rnn_backward": [f"{_RNN}:rnn_backward"],
    "a3_word_embedding_forward": [f"{_RNN}:word_embedding_forward"],
    "a3_word_embedding_backward": [f"{_RNN}:word_embedding_backward"],
    "a3_temporal_affine": [f"{_RNN}:temporal_affine_forward", f"{_RNN}:temporal_affine_backward"],
    "a3_temporal_softmax_loss": [f"{_RNN}:temporal_softmax_loss"],
    "a3_captioning_rnn": ["cs231n.classifiers.rnn:CaptioningRNN"],
    "a3_lstm_step_forward": [f"{_RNN}:lstm_step_forward"],
    "a3_lstm_step_backward": [f"{_RNN}:lstm_step_backward"],
    "a3_lstm_forward": [f"{_RNN}:lstm_forward"],
    "a3_lstm_backward": [f"{_RNN}:lstm_backward"],
    "a3_scaled_dot_product_attention": [
        f"{_TR}:scaled_dot_product_attention_forward",
        f"{_TR}:scaled_dot_product_attention_backward",
    ],
    "a3_multihead_attention": [
        f"{_TR}:multihead_attention_forward",
        f"{_TR}:multihead_attention_backward",
        f"{_TR}:multihead_self_attention_forward",
        f"{_TR}:multihead_self_attention_backward",
    ],
    "a3_positional_encoding": [f"{_TR}:positional_encoding"],
    "a3_transformer_block": [
        f"{_TR}:transformer_encoder_block_forward",
        f"{_TR}:transformer_encoder_block_backward",
        f"{_TR}:transformer_decoder_block_forward",
        f"{_TR}:transformer_decoder_block_backward",
    ],
    "a3_captioning_transformer": ["cs231n.classifiers.transformer:CaptioningTransformer"],
    "a3_vision_transformer": ["cs231n.classifiers.vit:VisionTransformer"],
}
MODULES = sorted({spec.split(":")[0] for specs in PLANNED.values() for spec in specs})
TODO = re.compile(r"#\s*TODO\((a3_\w+)\)")


def _resolve(spec):
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("task_id", sorted(PLANNED))
def test_every_planned_object_carries_its_todo(task_id):
    for spec in PLANNED[task_id]:
        source = inspect.getsource(_resolve(spec))
        assert f"# TODO({task_id})" in source, spec


@pytest.mark.parametrize("module", MODULES)
def test_every_a3_todo_is_inside_an_object_of_its_task(module):
    path = Path(importlib.import_module(module).__file__)
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    spans = [
        (n.lineno, n.end_lineno, n.name)
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.ClassDef))
    ]
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = TODO.search(line)
        if not match:
            continue
        task_id = match.group(1)
        assert task_id in PLANNED, f"{path.name}:{lineno}: {task_id} is not planned"
        owner = next((name for a, b, name in spans if a <= lineno <= b), None)
        assert f"{module}:{owner}" in PLANNED[task_id], f"{path.name}:{lineno}"


def test_registered_a3_rows_match_the_plan():
    for task in TASKS:
        if task.id.startswith("a3_"):
            assert sorted(task.objects) == sorted(PLANNED[task.id]), task.id


def test_markers_only_in_registered_tasks():
    """A solution region exists only for a registered task (the strip tool refuses others),
    and every registered a3 task's TODOs are followed by a region."""
    registered = {t.id for t in TASKS}
    for module in MODULES:
        lines = Path(importlib.import_module(module).__file__).read_text(encoding="utf-8")
        lines = lines.splitlines()
        for i, line in enumerate(lines):
            match = TODO.search(line)
            if not match:
                continue
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith("#") and "###" not in lines[j]:
                j += 1
            has_region = j < len(lines) and lines[j].strip() == "### BEGIN SOLUTION"
            if match.group(1) in registered:
                assert has_region, f"{module}:{i + 1}: {match.group(1)} has no solution region"
            else:
                assert not has_region, f"{module}:{i + 1}: {match.group(1)} is not registered"

"""Train captioning models with the kit's :class:`~cs231n.solver.Solver`.

The Solver trains classifiers: it feeds ``model.loss(X, y)`` minibatches of rows of
``X_train`` and labels ``y_train``, and measures accuracy as ``argmax(scores) == y``.
A captioning model instead needs image features *and* captions, and its natural
accuracy is whether a generated caption is right.  :class:`CaptioningSolver` is a thin
adapter that keeps the Solver unchanged:

* ``X`` holds one row per caption, ``[split, caption index]`` (ints); the adapter's
  ``loss`` looks up the caption and its image's features and calls
  ``model.loss(features, captions)``;
* the "label" of every row is 1, and in test mode the adapter returns two scores per
  caption, ``[not exact, exact]``, from a greedy :meth:`sample` compared with the
  reference caption.  The Solver's accuracies (``train_acc_history``,
  ``val_acc_history``, ``best_val_acc``) are therefore **exact-caption accuracies**: the
  fraction of images whose generated caption equals the reference word for word.

Everything else (update rules, ``optim_config``, ``lr_decay``, ``batch_size``,
``num_epochs``, ``seed``, the progress bar, checkpoints, keeping the best parameters)
is the Solver's.  Example::

    data = load_captioning_data()
    model = CaptioningRNN(data["word_to_idx"], input_dim=128, cell_type="lstm")
    solver = CaptioningSolver(model, data, update_rule="adam", num_epochs=10,
                              batch_size=50, optim_config={"learning_rate": 5e-3})
    solver.train()
"""

from __future__ import annotations

import numpy as np

from cs231n.solver import Solver
from cs231n.validation import ShapeError, fail

__all__ = ["CaptioningObjective", "CaptioningSolver", "exact_match"]

_SPLITS = ("train", "val")


def exact_match(sampled, reference):
    """True for each caption whose generated words equal the reference's.

    Parameters
    ----------
    sampled : ndarray of shape (N, T - 1)
        From ``model.sample(features, max_length=T - 1)``: ``<NULL>`` after ``<END>``.
    reference : ndarray of shape (N, T)
        Reference captions, starting with ``<START>``, padded with ``<NULL>``.

    Returns
    -------
    ndarray of shape (N,), bool
    """
    return np.all(sampled == reference[:, 1:], axis=1)


class CaptioningObjective:
    """A classifier-shaped view of a captioning model, for the Solver.

    Parameters
    ----------
    model : object
        Has ``params``, ``loss(features, captions) -> (loss, grads)`` and
        ``sample(features, max_length) -> captions``.
    data : dict
        ``{split}_captions``, ``{split}_image_idxs`` and ``{split}_features`` for the
        splits train and val (the layout of :func:`cs231n.data.load_captioning_data`).

    Attributes
    ----------
    params : dict
        The model's own ``params`` dict (the same object), so the Solver's updates are
        the model's.
    """

    def __init__(self, model, data):
        self.model = model
        self.params = model.params
        self.captions, self.image_idxs, self.features = [], [], []
        for split in _SPLITS:
            for key in (f"{split}_captions", f"{split}_image_idxs", f"{split}_features"):
                if key not in data:
                    fail(
                        "CaptioningSolver: data",
                        "a captioning dict with train/val captions, image_idxs and features",
                        f"no {key!r}",
                        "use cs231n.data.load_captioning_data()",
                        KeyError,
                    )
            captions = np.asarray(data[f"{split}_captions"])
            image_idxs = np.asarray(data[f"{split}_image_idxs"])
            if captions.ndim != 2 or image_idxs.shape != (captions.shape[0],):
                fail(
                    f"CaptioningSolver: data['{split}_captions']",
                    "captions (N, T) with one image index each (N,)",
                    f"shapes {captions.shape} and {image_idxs.shape}",
                    None,
                    ShapeError,
                )
            self.captions.append(captions)
            self.image_idxs.append(image_idxs)
            self.features.append(data[f"{split}_features"])

    def solver_data(self):
        """The Solver's data dict: ``X`` rows ``[split, caption index]``, labels all 1."""
        out = {}
        for s, split in enumerate(_SPLITS):
            n = self.captions[s].shape[0]
            out[f"X_{split}"] = np.stack([np.full(n, s), np.arange(n)], axis=1).astype(np.int64)
            out[f"y_{split}"] = np.ones(n, dtype=np.int64)
        return out

    def lookup(self, X):
        """``(features, captions)`` of the rows ``X`` (all from one split)."""
        split = int(X[0, 0])
        if np.any(X[:, 0] != split):
            fail(
                "CaptioningObjective.lookup",
                "rows of one split",
                "rows of several splits",
                None,
                ShapeError,
            )
        rows = X[:, 1]
        captions = self.captions[split][rows]
        features = np.asarray(self.features[split][self.image_idxs[split][rows]])
        return features, captions

    def loss(self, X, y=None):
        """The model's loss and gradients; without ``y``, exact-caption scores (N, 2)."""
        features, captions = self.lookup(X)
        if y is not None:
            return self.model.loss(features, captions)
        sampled = self.model.sample(features, max_length=captions.shape[1] - 1)
        exact = exact_match(sampled, captions)
        return np.stack([~exact, exact], axis=1).astype(np.float64)


class CaptioningSolver(Solver):
    """The :class:`~cs231n.solver.Solver` for captioning models (see the module docstring).

    Parameters
    ----------
    model : CaptioningRNN or CaptioningTransformer
        Or any model with ``params``, ``loss(features, captions)`` and
        ``sample(features, max_length)``.
    data : dict
        From :func:`cs231n.data.load_captioning_data` (the offline set or COCO).
    **kwargs
        The Solver's options.  ``num_train_samples`` (default 1000) and
        ``num_val_samples`` (default all) are numbers of captions sampled to measure the
        exact-caption accuracies.

    Attributes
    ----------
    captioning_model : object
        The model being trained (``self.model`` is its :class:`CaptioningObjective`).
    """

    def __init__(self, model, data, **kwargs):
        objective = CaptioningObjective(model, data)
        self.captioning_model = model
        super().__init__(objective, objective.solver_data(), **kwargs)

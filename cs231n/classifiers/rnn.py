"""An image captioning model: image features set the first hidden state of an RNN or LSTM.

::

    h0 = features @ W_proj + b_proj
    x_t = W_embed[word_t]                    (word embedding)
    h_t = rnn or lstm step (x_t, h_{t-1})
    scores_t = h_t @ W_vocab + b_vocab       (temporal affine)

Training uses *teacher forcing*: the input at step t is the true word t of the caption,
and the target is word t + 1.  The loss is :func:`cs231n.rnn_layers.temporal_softmax_loss`
with a mask that drops the ``<NULL>`` padding.  There is no regularization, as in
CS231n.  :meth:`CaptioningRNN.sample` generates captions one word at a time, feeding
each word back in.

The model follows the Solver's contract through :class:`cs231n.captioning_solver.CaptioningSolver`,
which feeds it (features, captions) minibatches.  The layers are called through the names
imported at the top of this module, so ``cs231n.plug_in(rnn_forward)`` makes the model
use a student's layer.
"""

from __future__ import annotations

import numbers

import numpy as np

from cs231n.initializers import make_rng
from cs231n.rnn_layers import (
    lstm_backward,
    lstm_forward,
    lstm_step_forward,
    rnn_backward,
    rnn_forward,
    rnn_step_forward,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
    word_embedding_backward,
    word_embedding_forward,
)
from cs231n.validation import ConfigError, ShapeError, check_array, check_choice, fail

__all__ = ["CaptioningRNN", "captioning_rnn_inputs", "check_vocabulary", "sample_words"]


def check_vocabulary(word_to_idx, name):
    """Validate a vocabulary dict; return ``(null, start, end)`` indices and its size V."""
    if not isinstance(word_to_idx, dict) or not word_to_idx:
        fail(f"{name}: word_to_idx", "a non-empty dict word -> index", repr(type(word_to_idx)))
    missing = [w for w in ("<NULL>", "<START>", "<END>") if w not in word_to_idx]
    if missing:
        fail(
            f"{name}: word_to_idx",
            "a vocabulary with the tokens <NULL>, <START> and <END>",
            "no " + ", ".join(missing),
            "add the special tokens (CS231n's vocabularies have them at 0, 1, 2)",
            ConfigError,
        )
    V = len(word_to_idx)
    if sorted(word_to_idx.values()) != list(range(V)):
        fail(
            f"{name}: word_to_idx",
            f"indices 0 .. {V - 1}, each once",
            "gaps or repeats",
            "number the words consecutively from 0",
            ConfigError,
        )
    return word_to_idx["<NULL>"], word_to_idx["<START>"], word_to_idx["<END>"], V


def check_captions(captions, N, V, name):
    check_array(captions, f"{name}: captions", ndim=2, dims="(N, T)", integer=True)
    if captions.shape[0] != N:
        fail(
            f"{name}: captions",
            f"one caption per feature row, shape ({N}, T)",
            f"shape {captions.shape}",
            "pass the features and captions of the same minibatch",
            ShapeError,
        )
    if captions.shape[1] < 2:
        fail(
            f"{name}: captions",
            "at least 2 tokens per caption (<START> and a target)",
            f"shape {captions.shape}",
            None,
            ShapeError,
        )
    if captions.size and (captions.min() < 0 or captions.max() >= V):
        fail(
            f"{name}: captions",
            f"word indices in [0, {V})",
            f"indices from {captions.min()} to {captions.max()}",
            "encode the captions with the model's vocabulary",
        )


def sample_words(scores, temperature, rng):
    """Next word of every caption: argmax (``temperature == 0``) or a softmax draw.

    Parameters
    ----------
    scores : ndarray of shape (N, V)
    temperature : float
        0 for greedy decoding; otherwise the scores are divided by it before the softmax.
    rng : numpy Generator
        Source of the draws (unused when greedy).

    Returns
    -------
    words : ndarray of shape (N,), int64
    """
    if temperature == 0:
        return np.argmax(scores, axis=1)
    z = scores.astype(np.float64) / temperature
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random((scores.shape[0], 1))
    return np.minimum((p.cumsum(axis=1) < u).sum(axis=1), scores.shape[1] - 1)


def captioning_rnn_inputs(word_to_idx, input_dim, wordvec_dim, hidden_dim, cell_type):
    """Check the arguments of :class:`CaptioningRNN`; return the special tokens' indices.

    Parameters
    ----------
    word_to_idx, input_dim, wordvec_dim, hidden_dim, cell_type
        As in :class:`CaptioningRNN`.

    Returns
    -------
    null, start, end, V : int
        The indices of ``<NULL>``, ``<START>`` and ``<END>``, and the vocabulary size.

    Raises
    ------
    ConfigError
        Saying which argument is wrong, what it should be, and what was passed.
    """
    check_choice(cell_type, "CaptioningRNN: cell_type", ("rnn", "lstm"))
    for value, what in (
        (input_dim, "input_dim"),
        (wordvec_dim, "wordvec_dim"),
        (hidden_dim, "hidden_dim"),
    ):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            fail(f"CaptioningRNN: {what}", "a positive int", repr(value), None, ConfigError)
    return check_vocabulary(word_to_idx, "CaptioningRNN")


class CaptioningRNN:
    """Caption images with a vanilla RNN or an LSTM conditioned on image features.

    Parameters
    ----------
    word_to_idx : dict
        Vocabulary: word -> index in [0, V), with ``<NULL>``, ``<START>``, ``<END>``.
    input_dim : int
        D, the size of an image feature vector.
    wordvec_dim : int
        W, the size of a word vector.
    hidden_dim : int
        H, the size of the hidden state.
    cell_type : {"rnn", "lstm"}
    dtype : numpy dtype
        float32 to train, float64 for gradient checks.
    seed : int, optional
        Seed of the initial weights; without it they come from numpy's global state
        (``np.random.seed``), as in CS231n.

    Attributes
    ----------
    params : dict
        ``W_proj`` (D, H), ``b_proj`` (H,), ``W_embed`` (V, W), ``Wx`` (W, H) or
        (W, 4H), ``Wh`` (H, H) or (H, 4H), ``b`` (H,) or (4H,), ``W_vocab`` (H, V),
        ``b_vocab`` (V,).
    """

    def __init__(
        self,
        word_to_idx,
        input_dim=512,
        wordvec_dim=128,
        hidden_dim=128,
        cell_type="rnn",
        dtype=np.float32,
        seed=None,
    ):
        self._null, self._start, self._end, V = captioning_rnn_inputs(
            word_to_idx, input_dim, wordvec_dim, hidden_dim, cell_type
        )
        self.cell_type = cell_type
        self.dtype = dtype
        self.word_to_idx = dict(word_to_idx)
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self.input_dim = int(input_dim)
        self.params = {}
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        gates = 4 if cell_type == "lstm" else 1
        D, W, H = int(input_dim), int(wordvec_dim), int(hidden_dim)
        # TODO(a3_captioning_rnn): create the parameters listed in the class docstring:
        # normal weights scaled by 1 / sqrt(fan_in) (W_embed by 1/100), zero biases.
        ### BEGIN SOLUTION
        self.params["W_embed"] = rng.standard_normal((V, W)) / 100
        self.params["W_proj"] = rng.standard_normal((D, H)) / np.sqrt(D)
        self.params["b_proj"] = np.zeros(H)
        self.params["Wx"] = rng.standard_normal((W, gates * H)) / np.sqrt(W)
        self.params["Wh"] = rng.standard_normal((H, gates * H)) / np.sqrt(H)
        self.params["b"] = np.zeros(gates * H)
        self.params["W_vocab"] = rng.standard_normal((H, V)) / np.sqrt(H)
        self.params["b_vocab"] = np.zeros(V)
        ### END SOLUTION
        for k, v in self.params.items():
            self.params[k] = v.astype(dtype)

    def _check_features(self, features, name):
        check_array(features, f"{name}: features", ndim=2, dims="(N, D)", floating=True)
        if features.shape[1] != self.input_dim:
            fail(
                f"{name}: features",
                f"feature vectors of size D = {self.input_dim}",
                f"shape {features.shape}",
                "build the model with input_dim = features.shape[1]",
                ShapeError,
            )
        return features.astype(self.dtype, copy=False)

    def loss(self, features, captions):
        """Teacher-forced loss on a minibatch and the gradients of every parameter.

        Parameters
        ----------
        features : ndarray of shape (N, D)
            Image features.
        captions : ndarray of shape (N, T), integer
            Captions starting with ``<START>``; the input is ``captions[:, :-1]`` and the
            target ``captions[:, 1:]``; target positions holding ``<NULL>`` are masked.

        Returns
        -------
        loss : float
        grads : dict
            Keyed like ``params``.
        """
        features = self._check_features(features, "CaptioningRNN.loss")
        check_captions(captions, features.shape[0], len(self.word_to_idx), "CaptioningRNN.loss")
        captions_in = captions[:, :-1]
        captions_out = captions[:, 1:]
        mask = captions_out != self._null
        p = self.params
        forward = lstm_forward if self.cell_type == "lstm" else rnn_forward
        backward = lstm_backward if self.cell_type == "lstm" else rnn_backward
        loss, grads = 0.0, {}
        # TODO(a3_captioning_rnn): forward: h0 from the features (an affine map), word
        # embedding of captions_in, rnn/lstm forward, temporal affine to scores,
        # temporal_softmax_loss with the mask.  Then every backward in reverse order.
        ### BEGIN SOLUTION
        h0 = features @ p["W_proj"] + p["b_proj"]
        x, cache_embed = word_embedding_forward(captions_in, p["W_embed"])
        h, cache_rnn = forward(x, h0, p["Wx"], p["Wh"], p["b"])
        scores, cache_vocab = temporal_affine_forward(h, p["W_vocab"], p["b_vocab"])
        loss, dscores = temporal_softmax_loss(scores, captions_out, mask)
        dh, grads["W_vocab"], grads["b_vocab"] = temporal_affine_backward(dscores, cache_vocab)
        dx, dh0, grads["Wx"], grads["Wh"], grads["b"] = backward(dh, cache_rnn)
        grads["W_embed"] = word_embedding_backward(dx, cache_embed)
        grads["W_proj"] = features.T @ dh0
        grads["b_proj"] = dh0.sum(axis=0)
        ### END SOLUTION
        return float(loss), grads

    def sample(self, features, max_length=30, temperature=0.0, seed=None):
        """Generate captions, one word per step, feeding each word back in.

        Parameters
        ----------
        features : ndarray of shape (N, D)
        max_length : int
            T, the number of words generated for each image.
        temperature : float
            0 (default): take the most likely word each time (greedy, deterministic).
            Above 0: draw the word from the softmax of ``scores / temperature``; the
            draws come from ``seed``, so the same seed gives the same captions.
        seed : int, optional
            Seed of the draws (None: numpy's global state).

        Returns
        -------
        captions : ndarray of shape (N, max_length), int
            Generated words, without the initial ``<START>``; after a caption's
            ``<END>`` the rest of its row is ``<NULL>``.
        """
        features = self._check_features(features, "CaptioningRNN.sample")
        if isinstance(max_length, bool) or not isinstance(max_length, numbers.Integral):
            fail("CaptioningRNN.sample: max_length", "an int", repr(max_length), None, ConfigError)
        if not isinstance(temperature, numbers.Real) or temperature < 0:
            fail(
                "CaptioningRNN.sample: temperature",
                "a number >= 0",
                repr(temperature),
                None,
                ConfigError,
            )
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        N = features.shape[0]
        p = self.params
        captions = np.full((N, max_length), self._null, dtype=np.int64)
        # TODO(a3_captioning_rnn): sampling: h from the features; the first input is
        # <START>; at each step embed the previous word, take one rnn/lstm step, score
        # the vocabulary and pick the next word with sample_words.
        ### BEGIN SOLUTION
        h = features @ p["W_proj"] + p["b_proj"]
        c = np.zeros_like(h)
        word = np.full(N, self._start, dtype=np.int64)
        done = np.zeros(N, dtype=bool)
        for t in range(max_length):
            x = p["W_embed"][word]
            if self.cell_type == "lstm":
                h, c, _ = lstm_step_forward(x, h, c, p["Wx"], p["Wh"], p["b"])
            else:
                h, _ = rnn_step_forward(x, h, p["Wx"], p["Wh"], p["b"])
            scores = h @ p["W_vocab"] + p["b_vocab"]
            word = sample_words(scores, temperature, rng)
            captions[~done, t] = word[~done]
            done |= word == self._end
            if done.all():
                break
        ### END SOLUTION
        return captions

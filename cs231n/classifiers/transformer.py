"""A small Transformer captioner: a decoder that attends to image regions.

::

    memory = regions @ W_proj + b_proj + W_region      (N, P, E): one token per region
    x = W_embed[words] + positional_encoding            (N, T, E)
    x = decoder block (causal self-attention, cross-attention to memory, MLP) x L
    scores = layernorm(x) @ W_vocab + b_vocab           (N, T, V)

The image features (N, D) are cut into ``num_regions`` regions of D / P numbers each
(for the offline captioning set, P = 4 cells of 32 PCA features, in reading order);
``W_region`` is a learned embedding of each region's position, without which the
decoder could not tell the cells apart.  With ``num_regions=1`` the whole feature
vector is one memory token, as in CS231n's Transformer captioner.

Training is teacher-forced like :class:`cs231n.classifiers.rnn.CaptioningRNN`; the causal
mask keeps word t from seeing words after it, and a padding mask hides ``<NULL>``
tokens.  The model trains with :class:`cs231n.captioning_solver.CaptioningSolver`.
"""

from __future__ import annotations

import numbers

import numpy as np

from cs231n.classifiers.rnn import check_captions, check_vocabulary, sample_words
from cs231n.initializers import make_rng
from cs231n.layers.normalization import layernorm_backward, layernorm_forward
from cs231n.rnn_layers import (
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
    word_embedding_backward,
    word_embedding_forward,
)
from cs231n.transformer_layers import (
    causal_mask,
    init_decoder_block,
    padding_mask,
    positional_encoding,
    subdict,
    transformer_decoder_block_backward,
    transformer_decoder_block_forward,
)
from cs231n.validation import ConfigError, ShapeError, check_array, fail

__all__ = ["CaptioningTransformer", "captioning_transformer_inputs"]


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        fail(name, "a positive int", repr(value), None, ConfigError)
    return int(value)


def captioning_transformer_inputs(
    word_to_idx, input_dim, wordvec_dim, num_heads, num_layers, num_regions
):
    """Check the arguments of :class:`CaptioningTransformer`; return the sizes.

    Parameters
    ----------
    word_to_idx, input_dim, wordvec_dim, num_heads, num_layers, num_regions
        As in :class:`CaptioningTransformer`.

    Returns
    -------
    null, start, end, V : int
        The indices of ``<NULL>``, ``<START>`` and ``<END>``, and the vocabulary size.
    D, E, num_heads, num_layers, P : int
        input_dim, wordvec_dim, num_heads, num_layers and num_regions as ints.

    Raises
    ------
    ConfigError
        Saying which argument is wrong, what it should be, and what was passed.
    """
    name = "CaptioningTransformer"
    tokens = check_vocabulary(word_to_idx, name)
    D = _positive_int(input_dim, f"{name}: input_dim")
    E = _positive_int(wordvec_dim, f"{name}: wordvec_dim")
    H = _positive_int(num_heads, f"{name}: num_heads")
    L = _positive_int(num_layers, f"{name}: num_layers")
    P = _positive_int(num_regions, f"{name}: num_regions")
    if E % H:
        fail(
            f"{name}: num_heads",
            f"a divisor of wordvec_dim = {E}",
            repr(num_heads),
            None,
            ConfigError,
        )
    if D % P:
        fail(
            f"{name}: num_regions",
            f"a divisor of input_dim = {D}",
            repr(num_regions),
            None,
            ConfigError,
        )
    return tokens, D, E, H, L, P


class CaptioningTransformer:
    """Caption images with a pre-norm Transformer decoder over image regions.

    Parameters
    ----------
    word_to_idx : dict
        Vocabulary with ``<NULL>``, ``<START>``, ``<END>``.
    input_dim : int
        D, the size of an image's feature vector.
    wordvec_dim : int
        E, the embedding size of the decoder.
    num_heads : int
        Attention heads (a divisor of E).
    num_layers : int
        Decoder blocks.
    num_regions : int
        P, the number of memory tokens the features are cut into (a divisor of D).
    mlp_ratio : int
        Width of the blocks' MLPs, as a multiple of E.
    max_length : int
        Longest sequence (positional encodings are precomputed up to it).
    dtype : numpy dtype
    seed : int, optional
        Seed of the initial weights (None: numpy's global state, ``np.random.seed``).

    Attributes
    ----------
    params : dict
        ``W_embed`` (V, E), ``W_proj`` (D / P, E), ``b_proj`` (E,), ``W_region`` (P, E),
        ``dec{i}_*`` for each block (see :func:`cs231n.transformer_layers.init_decoder_block`),
        ``ln_gamma``, ``ln_beta`` (E,), ``W_vocab`` (E, V), ``b_vocab`` (V,).
    """

    def __init__(
        self,
        word_to_idx,
        input_dim,
        wordvec_dim=64,
        num_heads=4,
        num_layers=2,
        num_regions=1,
        mlp_ratio=2,
        max_length=50,
        dtype=np.float32,
        seed=None,
    ):
        tokens, D, E, self.num_heads, self.num_layers, P = captioning_transformer_inputs(
            word_to_idx, input_dim, wordvec_dim, num_heads, num_layers, num_regions
        )
        self._null, self._start, self._end, V = tokens
        self.word_to_idx = dict(word_to_idx)
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self.input_dim, self.num_regions, self.dtype = D, P, dtype
        self.max_length = _positive_int(max_length, "CaptioningTransformer: max_length")
        self.pe = positional_encoding(self.max_length, E, dtype)
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        p = {}
        # TODO(a3_captioning_transformer): embeddings, the region projection and
        # positions, one set of decoder-block parameters per layer, a final layer norm
        # and the vocabulary projection.
        ### BEGIN SOLUTION
        p["W_embed"] = rng.standard_normal((V, E)) * 0.1
        p["W_proj"] = rng.standard_normal((D // P, E)) / np.sqrt(D // P)
        p["b_proj"] = np.zeros(E)
        p["W_region"] = rng.standard_normal((P, E)) * 0.1
        for i in range(self.num_layers):
            for k, v in init_decoder_block(E, mlp_ratio * E, rng).items():
                p[f"dec{i}_{k}"] = v
        p["ln_gamma"] = np.ones(E)
        p["ln_beta"] = np.zeros(E)
        p["W_vocab"] = rng.standard_normal((E, V)) / np.sqrt(E)
        p["b_vocab"] = np.zeros(V)
        ### END SOLUTION
        self.params = {k: v.astype(dtype) for k, v in p.items()}

    # ------------------------------------------------------------------ pieces
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

    def _memory(self, features):
        N = features.shape[0]
        # TODO(a3_captioning_transformer): cut the features into regions, project each
        # one to E numbers and add the embedding of its position.
        ### BEGIN SOLUTION
        regions = features.reshape(N, self.num_regions, -1)
        p = self.params
        memory, cache = temporal_affine_forward(regions, p["W_proj"], p["b_proj"])
        ### END SOLUTION
        return memory + p["W_region"], cache

    def _decode(self, memory, words):
        """Scores (N, T, V) of the next word after each prefix of ``words``, and caches."""
        N, T = words.shape
        if T > self.max_length:
            fail(
                "CaptioningTransformer",
                f"sequences of at most max_length = {self.max_length} tokens",
                f"{T} tokens",
                "build the model with a larger max_length",
                ShapeError,
            )
        p = self.params
        # TODO(a3_captioning_transformer): embed the words and add their positions; causal
        # and padding masks; the decoder blocks; the final layer norm and the vocabulary.
        ### BEGIN SOLUTION
        x, c_embed = word_embedding_forward(words, p["W_embed"])
        x = x + self.pe[:T]
        mask = causal_mask(T) & padding_mask(words, self._null)
        mask[..., 0] = True  # position 0 (<START>) is never padding: no row is empty
        block_caches = []
        for i in range(self.num_layers):
            x, c = transformer_decoder_block_forward(
                x, memory, subdict(p, f"dec{i}_"), self.num_heads, self_mask=mask
            )
            block_caches.append(c)
        E = x.shape[2]
        y, c_ln = layernorm_forward(x.reshape(N * T, E), p["ln_gamma"], p["ln_beta"], {})
        scores, c_vocab = temporal_affine_forward(y.reshape(N, T, E), p["W_vocab"], p["b_vocab"])
        ### END SOLUTION
        return scores, (c_embed, block_caches, c_ln, c_vocab)

    # ------------------------------------------------------------------ API
    def loss(self, features, captions):
        """Teacher-forced loss and gradients (see :meth:`CaptioningRNN.loss`).

        Parameters
        ----------
        features : ndarray of shape (N, D)
        captions : ndarray of shape (N, T), integer

        Returns
        -------
        loss : float
        grads : dict
        """
        features = self._check_features(features, "CaptioningTransformer.loss")
        check_captions(
            captions, features.shape[0], len(self.word_to_idx), "CaptioningTransformer.loss"
        )
        captions_in, captions_out = captions[:, :-1], captions[:, 1:]
        mask = captions_out != self._null
        p = self.params
        # TODO(a3_captioning_transformer): memory, decoder, masked temporal softmax loss;
        # then every backward, adding up the memory's gradient from all blocks.
        ### BEGIN SOLUTION
        memory, c_mem = self._memory(features)
        scores, (c_embed, block_caches, c_ln, c_vocab) = self._decode(memory, captions_in)
        loss, dscores = temporal_softmax_loss(scores, captions_out, mask)
        grads = {}
        dy, grads["W_vocab"], grads["b_vocab"] = temporal_affine_backward(dscores, c_vocab)
        N, T, E = dy.shape
        dx, grads["ln_gamma"], grads["ln_beta"] = layernorm_backward(dy.reshape(N * T, E), c_ln)
        dx = dx.reshape(N, T, E)
        dmemory = np.zeros_like(memory)
        for i in range(self.num_layers - 1, -1, -1):
            dx, dmem, dblock = transformer_decoder_block_backward(dx, block_caches[i])
            dmemory += dmem
            grads.update({f"dec{i}_{k}": v for k, v in dblock.items()})
        grads["W_embed"] = word_embedding_backward(dx, c_embed)
        grads["W_region"] = dmemory.sum(axis=0)
        _, grads["W_proj"], grads["b_proj"] = temporal_affine_backward(dmemory, c_mem)
        ### END SOLUTION
        return float(loss), {k: grads[k] for k in p}

    def sample(self, features, max_length=30, temperature=0.0, seed=None):
        """Generate captions word by word (see :meth:`CaptioningRNN.sample`).

        Each step runs the decoder on the words so far and keeps the last position's
        scores.

        Returns
        -------
        captions : ndarray of shape (N, max_length), int
        """
        features = self._check_features(features, "CaptioningTransformer.sample")
        _positive_int(max_length, "CaptioningTransformer.sample: max_length")
        if not isinstance(temperature, numbers.Real) or temperature < 0:
            fail(
                "CaptioningTransformer.sample: temperature",
                "a number >= 0",
                repr(temperature),
                None,
                ConfigError,
            )
        rng = make_rng(seed)  # seed=None: numpy's global state (np.random.seed)
        N = features.shape[0]
        memory, _ = self._memory(features)
        words = np.full((N, 1), self._start, dtype=np.int64)
        captions = np.full((N, max_length), self._null, dtype=np.int64)
        done = np.zeros(N, dtype=bool)
        for t in range(max_length):
            scores, _ = self._decode(memory, words)
            word = sample_words(scores[:, -1], temperature, rng)
            captions[~done, t] = word[~done]
            done |= word == self._end
            if done.all():
                break
            words = np.concatenate([words, word[:, None]], axis=1)
        return captions

    def attention_maps(self, features, captions):
        """Cross-attention weights of every block while reading ``captions``.

        Parameters
        ----------
        features : ndarray of shape (N, D)
        captions : ndarray of shape (N, T)
            Captions starting with ``<START>`` (e.g. ``[START] + sample(...)``).

        Returns
        -------
        maps : ndarray of shape (num_layers, N, num_heads, T, num_regions)
            ``maps[l, n, h, t, r]``: how much head h of block l looks at region r when
            predicting the word after position t.
        """
        features = self._check_features(features, "CaptioningTransformer.attention_maps")
        memory, _ = self._memory(features)
        _, (_, block_caches, _, _) = self._decode(memory, captions)
        return np.stack([c[2][-1][3] for c in block_caches])

"""CaptioningRNN, CaptioningSolver and the offline captioning set."""

import numpy as np
import pytest

from cs231n.captioning_solver import CaptioningObjective, CaptioningSolver, exact_match
from cs231n.classifiers.rnn import CaptioningRNN, sample_words
from cs231n.data.captioning import (
    CAPTION_LENGTH,
    SPECIAL_TOKENS,
    WORDS,
    decode_captions,
    load_captioning_data,
    sample_minibatch,
)
from cs231n.gradient_check import eval_numerical_gradient
from cs231n.validation import ConfigError, ShapeError

VOCAB = {w: i for i, w in enumerate(["<NULL>", "<START>", "<END>", "cat", "dog", "hat"])}


def grad_error(analytic, numeric):
    scale = max(np.max(np.abs(analytic)), np.max(np.abs(numeric)), 1e-12)
    return float(np.max(np.abs(analytic - numeric)) / scale)


def toy_batch(rng, N=3, T=5, D=4):
    features = rng.standard_normal((N, D))
    captions = np.array([[1, 3, 4, 2, 0], [1, 5, 2, 0, 0], [1, 4, 3, 5, 2]][:N], dtype=np.int64)[
        :, :T
    ]
    return features, captions


@pytest.fixture(scope="module")
def data():
    return load_captioning_data()


# ------------------------------------------------------------------------------ model
@pytest.mark.a3_captioning_rnn
@pytest.mark.parametrize("cell_type", ["rnn", "lstm"])
def test_loss_gradient_check_float64(cell_type):
    rng = np.random.default_rng(0)
    features, captions = toy_batch(rng)
    model = CaptioningRNN(
        VOCAB,
        input_dim=4,
        wordvec_dim=3,
        hidden_dim=5,
        cell_type=cell_type,
        dtype=np.float64,
        seed=1,
    )
    for k in model.params:  # larger weights than the initialisation: a sharper check
        model.params[k] = rng.standard_normal(model.params[k].shape) * 0.5
    _, grads = model.loss(features, captions)
    assert set(grads) == set(model.params)
    for name, p in model.params.items():
        num = eval_numerical_gradient(lambda _: model.loss(features, captions)[0], p, verbose=False)
        assert grad_error(grads[name], num) < 1e-7, name


@pytest.mark.a3_captioning_rnn
def test_initial_loss_is_about_log_vocabulary_per_word():
    rng = np.random.default_rng(0)
    features, captions = toy_batch(rng)
    model = CaptioningRNN(VOCAB, input_dim=4, wordvec_dim=3, hidden_dim=5, seed=0)
    loss, _ = model.loss(features.astype(np.float32), captions)
    words = int((captions[:, 1:] != 0).sum())
    assert loss == pytest.approx(words / 3 * np.log(len(VOCAB)), rel=0.3)


@pytest.mark.a3_captioning_rnn
@pytest.mark.parametrize("cell_type", ["rnn", "lstm"])
def test_null_padding_is_never_counted(cell_type):
    """More <NULL> padding after the captions changes neither the loss nor a gradient."""
    rng = np.random.default_rng(1)
    features, captions = toy_batch(rng)
    model = CaptioningRNN(
        VOCAB,
        input_dim=4,
        wordvec_dim=3,
        hidden_dim=5,
        cell_type=cell_type,
        dtype=np.float64,
        seed=2,
    )
    loss, grads = model.loss(features, captions)
    padded = np.concatenate([captions, np.zeros((3, 4), captions.dtype)], axis=1)
    loss2, grads2 = model.loss(features, padded)
    assert loss2 == pytest.approx(loss, rel=1e-12)
    for k in grads:
        assert np.allclose(grads[k], grads2[k], rtol=1e-12, atol=1e-15), k
    # and a caption's own padding: the 2-word caption scores the same alone as in the batch
    alone, _ = model.loss(features[1:2], captions[1:2, :3])
    batch_row, _ = model.loss(features[1:2], captions[1:2])
    assert alone == pytest.approx(batch_row, rel=1e-12)


@pytest.mark.a3_captioning_rnn
def test_float32_model_computes_in_float32(data):
    model = CaptioningRNN(
        data["word_to_idx"], input_dim=128, wordvec_dim=8, hidden_dim=16, cell_type="lstm", seed=0
    )
    loss, grads = model.loss(data["train_features"][:5], data["train_captions"][:5])
    assert all(g.dtype == np.float32 for g in grads.values()) and np.isfinite(loss)


@pytest.mark.a3_captioning_rnn
def test_sampling_is_deterministic_under_a_seed(data):
    model = CaptioningRNN(data["word_to_idx"], input_dim=128, wordvec_dim=8, hidden_dim=16, seed=0)
    f = data["val_features"][:20]
    greedy = model.sample(f, max_length=5)
    assert np.array_equal(greedy, model.sample(f, max_length=5))
    a = model.sample(f, max_length=5, temperature=1.0, seed=3)
    b = model.sample(f, max_length=5, temperature=1.0, seed=3)
    c = model.sample(f, max_length=5, temperature=1.0, seed=4)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.shape == (20, 5)


@pytest.mark.a3_captioning_rnn
def test_sample_pads_with_null_after_end():
    model = CaptioningRNN(VOCAB, input_dim=4, wordvec_dim=3, hidden_dim=5, seed=0)
    model.params["b_vocab"][:] = -10
    model.params["b_vocab"][2] = 10  # <END> always wins
    out = model.sample(np.zeros((2, 4), np.float32), max_length=4)
    assert np.array_equal(out, [[2, 0, 0, 0], [2, 0, 0, 0]])


def test_sample_words_draws_from_the_softmax():
    rng = np.random.default_rng(0)
    scores = np.log(np.array([[0.7, 0.2, 0.1]] * 20000))
    words = sample_words(scores, 1.0, rng)
    assert np.allclose(np.bincount(words, minlength=3) / 20000, [0.7, 0.2, 0.1], atol=0.02)
    assert np.all(sample_words(scores, 0, rng) == 0)


def test_model_rejects_bad_arguments():
    with pytest.raises(ConfigError, match="<START>"):
        CaptioningRNN({"<NULL>": 0, "a": 1}, input_dim=3)
    with pytest.raises(ConfigError):
        CaptioningRNN(VOCAB, input_dim=3, cell_type="gru")
    model = CaptioningRNN(VOCAB, input_dim=4, wordvec_dim=3, hidden_dim=5)
    with pytest.raises(ShapeError, match="input_dim"):
        model.loss(np.zeros((2, 5), np.float32), np.ones((2, 3), int))
    with pytest.raises(ValueError, match=r"indices in \[0, 6\)"):
        model.loss(np.zeros((1, 4), np.float32), np.array([[1, 9]]))


# ------------------------------------------------------------------------------ solver
@pytest.mark.a3_captioning_rnn
@pytest.mark.parametrize("cell_type", ["rnn", "lstm"])
def test_solver_overfits_a_small_set(data, cell_type):
    small = {k: v for k, v in data.items()}
    for split, n in (("train", 50), ("val", 50)):
        small[f"{split}_captions"] = data["train_captions"][:n]
        small[f"{split}_image_idxs"] = data["train_image_idxs"][:n]
        small[f"{split}_features"] = data["train_features"]
    model = CaptioningRNN(
        data["word_to_idx"],
        input_dim=128,
        wordvec_dim=32,
        hidden_dim=64,
        cell_type=cell_type,
        seed=0,
    )
    solver = CaptioningSolver(
        model,
        small,
        update_rule="adam",
        num_epochs=40,
        batch_size=25,
        optim_config={"learning_rate": 1e-2},
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.loss_history[-1] < 0.1 * solver.loss_history[0]
    assert solver.best_val_acc == 1.0  # every training caption reproduced word for word
    assert solver.model.params is model.params


def test_objective_rows_and_exact_match(data):
    obj = CaptioningObjective(CaptioningRNN(data["word_to_idx"], input_dim=128), data)
    d = obj.solver_data()
    assert d["X_train"].shape == (10000, 2) and np.all(d["y_val"] == 1)
    f, c = obj.lookup(d["X_val"][5:8])
    assert np.array_equal(c, data["val_captions"][5:8])
    assert np.array_equal(f, data["val_features"][5:8])
    ref = np.array([[1, 3, 2, 0], [1, 4, 5, 2]])
    assert list(exact_match(np.array([[3, 2, 0], [4, 5, 5]]), ref)) == [True, False]


def test_solver_needs_captioning_data(data):
    model = CaptioningRNN(data["word_to_idx"], input_dim=128)
    with pytest.raises(KeyError, match="val_captions"):
        CaptioningSolver(model, {k: v for k, v in data.items() if not k.startswith("val")})


# ------------------------------------------------------------------------------ data
def test_offline_set_layout(data):
    V = len(SPECIAL_TOKENS) + len(WORDS)
    assert data["idx_to_word"][:3] == ["<NULL>", "<START>", "<END>"]
    assert len(data["word_to_idx"]) == V
    for split, n in (("train", 10000), ("val", 500), ("test", 500)):
        caps = data[f"{split}_captions"]
        assert caps.shape == (n, CAPTION_LENGTH) and caps.dtype == np.int32
        assert data[f"{split}_features"].shape == (n, 128)
        assert data[f"{split}_features"].dtype == np.float32
        assert data[f"{split}_images"].shape == (n, 1, 56, 56)
        assert np.all(caps[:, 0] == 1)
        lengths = (caps != 0).sum(axis=1) - 2  # words between <START> and <END>
        assert lengths.min() == 2 and lengths.max() == 4


def test_captions_name_the_items_in_reading_order(data):
    names = decode_captions(data["train_captions"][:50], data["idx_to_word"])
    for caption, labels in zip(names, data["train_labels"][:50]):
        assert caption == " ".join(WORDS[y] for y in labels if y >= 0)
    # an empty cell is black, a filled one is not
    img, labels = data["train_images"][0, 0], data["train_labels"][0]
    for c in range(4):
        r, q = divmod(c, 2)
        cell = img[r * 28 : (r + 1) * 28, q * 28 : (q + 1) * 28]
        assert (cell.max() == 0) == (labels[c] < 0)


def test_splits_use_disjoint_items_and_are_deterministic(data):
    from cs231n.data import load_dataset

    base = load_dataset("default", dtype=np.uint8, subtract_mean=False)
    train_items = {base["X_train"][i, 0].tobytes() for i in range(len(base["X_train"]))}
    img = data["test_images"]
    for n in range(30):
        for c in range(4):
            if data["test_labels"][n, c] >= 0:
                r, q = divmod(c, 2)
                cell = img[n, 0, r * 28 : (r + 1) * 28, q * 28 : (q + 1) * 28]
                assert cell.tobytes() not in train_items
    again = load_captioning_data()
    assert np.array_equal(again["val_features"], data["val_features"])
    other = load_captioning_data(seed=1, num_train=100, num_val=10, num_test=10)
    assert not np.array_equal(other["train_captions"][:10], data["train_captions"][:10])


def test_features_are_whitened_cell_pca(data):
    f = data["train_features"].reshape(-1, 4, 32)
    filled = data["train_labels"] >= 0
    assert np.allclose(f[filled].std(axis=0), 1.0, atol=0.15)


def test_sample_minibatch_and_errors(data):
    caps, feats, idxs = sample_minibatch(data, 7, "val", np.random.default_rng(0))
    assert caps.shape == (7, 6) and feats.shape == (7, 128)
    assert np.array_equal(feats, data["val_features"][idxs])
    with pytest.raises(ConfigError, match="'default'"):
        load_captioning_data("imagenet")
    with pytest.raises(ConfigError, match="fewer"):
        load_captioning_data(num_train=200_000)


def test_unseeded_models_follow_np_random_seed():
    from cs231n.classifiers.transformer import CaptioningTransformer
    from cs231n.classifiers.vit import VisionTransformer

    for build in (
        lambda: CaptioningRNN(VOCAB, input_dim=4, cell_type="lstm"),
        lambda: CaptioningTransformer(VOCAB, input_dim=4, wordvec_dim=8, num_heads=2),
        lambda: VisionTransformer(embed_dim=8, num_heads=2, num_layers=1),
    ):
        np.random.seed(231)  # noqa: NPY002 (the CS231n habit under test)
        a = build().params
        np.random.seed(231)  # noqa: NPY002 (the CS231n habit under test)
        b = build().params
        assert all(np.array_equal(a[k], b[k]) for k in a)

"""CaptioningTransformer and VisionTransformer: gradient checks, masks, training."""

import numpy as np
import pytest

from cs231n.captioning_solver import CaptioningSolver
from cs231n.classifiers.transformer import CaptioningTransformer
from cs231n.classifiers.vit import VisionTransformer, patchify, unpatchify
from cs231n.data import load_dataset
from cs231n.data.captioning import load_captioning_data
from cs231n.gradient_check import eval_numerical_gradient
from cs231n.solver import Solver
from cs231n.validation import ConfigError, ShapeError

VOCAB = {w: i for i, w in enumerate(["<NULL>", "<START>", "<END>", "cat", "dog", "hat"])}
CAPTIONS = np.array([[1, 3, 4, 2, 0], [1, 5, 2, 0, 0], [1, 4, 3, 5, 2]])


def grad_error(analytic, numeric):
    scale = max(np.max(np.abs(analytic)), np.max(np.abs(numeric)), 1.0)
    return float(np.max(np.abs(analytic - numeric)) / scale)


def perturb(model, rng, scale=0.3):
    for k, v in model.params.items():
        model.params[k] = v + scale * rng.standard_normal(v.shape)


def check_model_gradients(model, f):
    _, grads = f()
    assert set(grads) == set(model.params)
    for name, p in model.params.items():
        num = eval_numerical_gradient(lambda _: f()[0], p, verbose=False, h=1e-6)
        assert grad_error(grads[name], num) < 1e-8, name


@pytest.fixture(scope="module")
def data():
    return load_captioning_data()


# ------------------------------------------------------------------------------ captioner
@pytest.mark.a3_captioning_transformer
@pytest.mark.parametrize("num_regions", [1, 2])
def test_captioning_transformer_gradient_check(num_regions):
    rng = np.random.default_rng(0)
    model = CaptioningTransformer(
        VOCAB,
        input_dim=4,
        wordvec_dim=4,
        num_heads=2,
        num_layers=1,
        num_regions=num_regions,
        max_length=8,
        dtype=np.float64,
        seed=0,
    )
    perturb(model, rng)
    features = rng.standard_normal((3, 4))
    check_model_gradients(model, lambda: model.loss(features, CAPTIONS))


@pytest.mark.a3_captioning_transformer
def test_captioner_scores_never_see_later_words():
    rng = np.random.default_rng(1)
    model = CaptioningTransformer(
        VOCAB, input_dim=4, wordvec_dim=8, num_heads=2, max_length=8, dtype=np.float64, seed=0
    )
    perturb(model, rng)
    memory, _ = model._memory(rng.standard_normal((3, 4)))
    words = CAPTIONS[:, :-1]
    scores, _ = model._decode(memory, words)
    changed = words.copy()
    changed[:, 2:] = [[5, 5], [3, 4], [4, 4]]
    scores2, _ = model._decode(memory, changed)
    assert np.allclose(scores[:, :2], scores2[:, :2], rtol=1e-12, atol=1e-12)


@pytest.mark.a3_captioning_transformer
def test_captioner_null_padding_is_never_counted():
    rng = np.random.default_rng(2)
    model = CaptioningTransformer(
        VOCAB, input_dim=4, wordvec_dim=8, num_heads=2, max_length=12, dtype=np.float64, seed=0
    )
    perturb(model, rng)
    features = rng.standard_normal((3, 4))
    loss, grads = model.loss(features, CAPTIONS)
    padded = np.concatenate([CAPTIONS, np.zeros((3, 3), int)], axis=1)
    loss2, grads2 = model.loss(features, padded)
    assert loss2 == pytest.approx(loss, rel=1e-12)
    for k in grads:
        assert np.allclose(grads[k], grads2[k], rtol=1e-10, atol=1e-13), k


@pytest.mark.a3_captioning_transformer
def test_captioner_sampling_is_deterministic_and_attention_maps(data):
    model = CaptioningTransformer(
        data["word_to_idx"], input_dim=128, wordvec_dim=16, num_heads=2, num_regions=4, seed=0
    )
    f = data["val_features"][:10]
    assert np.array_equal(model.sample(f, 5), model.sample(f, 5))
    a = model.sample(f, 5, temperature=1.0, seed=7)
    assert np.array_equal(a, model.sample(f, 5, temperature=1.0, seed=7))
    assert not np.array_equal(a, model.sample(f, 5, temperature=1.0, seed=8))
    maps = model.attention_maps(f, data["val_captions"][:10, :-1])
    assert maps.shape == (2, 10, 2, 5, 4) and np.allclose(maps.sum(axis=-1), 1)


@pytest.mark.a3_captioning_transformer
def test_captioner_overfits_a_small_set(data):
    small = dict(data)
    for split in ("train", "val"):
        small[f"{split}_captions"] = data["train_captions"][:50]
        small[f"{split}_image_idxs"] = data["train_image_idxs"][:50]
        small[f"{split}_features"] = data["train_features"]
    model = CaptioningTransformer(
        data["word_to_idx"],
        input_dim=128,
        wordvec_dim=32,
        num_heads=2,
        num_layers=1,
        num_regions=4,
        seed=0,
    )
    solver = CaptioningSolver(
        model,
        small,
        update_rule="adam",
        num_epochs=40,
        batch_size=25,
        optim_config={"learning_rate": 3e-3},
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.loss_history[-1] < 0.1 * solver.loss_history[0]
    assert solver.best_val_acc >= 0.9


def test_captioner_errors():
    with pytest.raises(ConfigError, match="divisor of wordvec_dim"):
        CaptioningTransformer(VOCAB, input_dim=4, wordvec_dim=6, num_heads=4)
    with pytest.raises(ConfigError, match="divisor of input_dim"):
        CaptioningTransformer(VOCAB, input_dim=6, num_regions=4)
    model = CaptioningTransformer(VOCAB, input_dim=4, wordvec_dim=8, num_heads=2, max_length=3)
    with pytest.raises(ShapeError, match="max_length"):
        model.loss(np.zeros((3, 4), np.float32), CAPTIONS)


# ------------------------------------------------------------------------------ ViT
def test_patchify_round_trip():
    X = np.arange(2 * 3 * 8 * 8, dtype=float).reshape(2, 3, 8, 8)
    P = patchify(X, 4)
    assert P.shape == (2, 4, 48)
    assert np.array_equal(P[0, 1].reshape(3, 4, 4), X[0, :, :4, 4:])  # top-right patch
    assert np.array_equal(unpatchify(P, X.shape, 4), X)


@pytest.mark.a3_vision_transformer
def test_vit_gradient_check():
    rng = np.random.default_rng(0)
    model = VisionTransformer(
        input_dim=(1, 4, 4),
        patch_size=2,
        embed_dim=4,
        num_heads=2,
        num_layers=1,
        num_classes=3,
        dtype=np.float64,
        seed=0,
    )
    perturb(model, rng)
    X = rng.standard_normal((3, 1, 4, 4))
    y = np.array([0, 2, 1])
    check_model_gradients(model, lambda: model.loss(X, y))


@pytest.mark.a3_vision_transformer
def test_vit_initial_loss_and_scores():
    model = VisionTransformer(seed=0)
    X = np.random.default_rng(0).standard_normal((20, 1, 28, 28)).astype(np.float32)
    loss, grads = model.loss(X, np.arange(20) % 10)
    assert loss == pytest.approx(np.log(10), rel=0.2)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert model.loss(X).shape == (20, 10)


@pytest.mark.a3_vision_transformer
def test_vit_overfits_with_the_solver():
    d = load_dataset(num_training=50, num_validation=10, num_test=10)
    small = {
        "X_train": d["X_train"] / 255,
        "y_train": d["y_train"],
        "X_val": d["X_train"] / 255,
        "y_val": d["y_train"],
    }
    model = VisionTransformer(embed_dim=32, num_heads=2, num_layers=1, seed=0)
    solver = Solver(
        model,
        small,
        update_rule="adam",
        optim_config={"learning_rate": 3e-3},
        num_epochs=25,
        batch_size=25,
        verbose=False,
        seed=0,
    )
    solver.train()
    assert solver.best_val_acc >= 0.95


def test_vit_errors():
    with pytest.raises(ConfigError, match="divisor of H"):
        VisionTransformer(patch_size=5)
    model = VisionTransformer(seed=0)
    with pytest.raises(ShapeError):
        model.loss(np.zeros((2, 3, 28, 28), np.float32))

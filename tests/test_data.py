"""cs231n.data: the embedded default, the load_dataset contract, photos and the CLI (offline)."""

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs231n.data import (
    ChecksumError,
    DatasetNotFoundError,
    embedded,
    load_dataset,
    load_photo,
    load_photos,
)
from cs231n.data.__main__ import main as cli
from cs231n.data.loaders import canonical_name, stratified_indices
from cs231n.validation import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def row_hashes(X):
    X = np.ascontiguousarray(X.reshape(len(X), int(np.prod(X.shape[1:]))))
    return {hashlib.sha1(row.tobytes()).hexdigest() for row in X}


@pytest.fixture(scope="module")
def default_raw():
    return load_dataset(subtract_mean=False, dtype=np.uint8)


def test_embedded_default_shapes_and_balance(default_raw):
    d = default_raw
    assert d["X_train"].shape == (10000, 1, 28, 28)
    assert d["X_val"].shape == (1000, 1, 28, 28)
    assert d["X_test"].shape == (1000, 1, 28, 28)
    assert d["input_dim"] == (1, 28, 28)
    assert d["name"] == "default"
    assert len(d["class_names"]) == 10 and d["class_names"][0] == "T-shirt/top"
    assert "Zalando" in d["source"] and "verified" in d["source"]
    for split, per_class in (("train", 1000), ("val", 100), ("test", 100)):
        y = d[f"y_{split}"]
        assert y.dtype == np.int64
        np.testing.assert_array_equal(np.bincount(y, minlength=10), [per_class] * 10)


def test_embedded_metadata_matches_file():
    meta = embedded.metadata()
    blob = embedded.NPZ.read_bytes()
    assert len(blob) == meta["bytes"] <= 8_000_000
    assert hashlib.sha256(blob).hexdigest() == meta["sha256"]
    assert meta["counts"] == {"train": 10000, "val": 1000, "test": 1000}
    assert (embedded.HERE / "LICENSE-fashion-mnist.txt").read_text().count("Zalando SE") >= 1


def test_embedded_splits_disjoint():
    raw = embedded.load_raw()
    # train and val come from the official training file: their indices never overlap
    assert not set(raw["index_train"].tolist()) & set(raw["index_val"].tolist())
    assert len(set(raw["index_train"].tolist())) == 10000


def test_default_splits_pairwise_disjoint_by_content(default_raw):
    hashes = [row_hashes(default_raw[f"X_{s}"]) for s in ("train", "val", "test")]
    assert [len(h) for h in hashes] == [10000, 1000, 1000]
    assert not hashes[0] & hashes[1] and not hashes[0] & hashes[2] and not hashes[1] & hashes[2]


@settings(max_examples=10)
@given(
    n_train=st.integers(1, 3000),
    n_val=st.integers(0, 1000),
    n_test=st.integers(0, 1000),
    seed=st.integers(0, 2**31 - 1),
)
def test_any_sizes_give_balanced_disjoint_splits(n_train, n_val, n_test, seed):
    kw = dict(num_training=n_train, num_validation=n_val, num_test=n_test, seed=seed)
    d = load_dataset(subtract_mean=False, dtype=np.uint8, flatten=True, **kw)
    for split, n in (("train", n_train), ("val", n_val), ("test", n_test)):
        assert d[f"X_{split}"].shape == (n, 784) and d[f"y_{split}"].shape == (n,)
        counts = np.bincount(d[f"y_{split}"], minlength=10)
        assert counts.max() - counts.min() <= 1
    tr, va = row_hashes(d["X_train"]), row_hashes(d["X_val"])
    assert len(tr) == n_train and not tr & va


def test_default_float_mean_from_training_split(default_raw):
    d = load_dataset()
    assert d["X_train"].dtype == np.float32
    mean = default_raw["X_train"].astype(np.float64).mean(axis=0)
    np.testing.assert_allclose(d["mean_image"], mean, rtol=1e-6)
    np.testing.assert_allclose(
        d["X_val"] + d["mean_image"], default_raw["X_val"].astype(np.float32), atol=1e-3
    )
    assert abs(float(d["X_train"].mean())) < 1e-3
    assert default_raw["X_train"].min() == 0 and default_raw["X_train"].max() == 255


def test_no_mean_values_in_0_255_float64():
    d = load_dataset(
        num_training=50, num_validation=10, num_test=10, dtype=np.float64, subtract_mean=False
    )
    assert d["X_train"].dtype == np.float64 and "mean_image" not in d
    assert 0.0 <= d["X_train"].min() and d["X_train"].max() <= 255.0


def test_flatten_gives_rows():
    d = load_dataset(num_training=100, num_validation=20, num_test=30, flatten=True)
    assert d["X_train"].shape == (100, 784)
    assert d["X_val"].shape == (20, 784) and d["X_test"].shape == (30, 784)
    assert d["mean_image"].shape == (784,)


def test_subsets_deterministic_balanced_and_disjoint():
    kw = dict(num_training=200, num_validation=50, num_test=40, subtract_mean=False, dtype=np.uint8)
    a, b = load_dataset(seed=3, **kw), load_dataset(seed=3, **kw)
    c = load_dataset(seed=4, **kw)
    for key in ("X_train", "y_train", "X_val", "X_test"):
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["X_train"], c["X_train"])
    np.testing.assert_array_equal(np.bincount(a["y_train"], minlength=10), [20] * 10)
    np.testing.assert_array_equal(np.bincount(a["y_val"], minlength=10), [5] * 10)
    tr, va = row_hashes(a["X_train"]), row_hashes(a["X_val"])
    assert len(tr) == 200 and not tr & va


@pytest.mark.parametrize("n", [0, 1, 7, 10, 23, 85, 90])
def test_stratified_indices_balanced(n):
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(10), [3, 5, 10, 10, 10, 10, 10, 10, 10, 12])
    idx = stratified_indices(y, n, rng)
    assert len(idx) == n == len(set(idx.tolist()))
    counts = np.bincount(y[idx], minlength=10)
    total = np.bincount(y, minlength=10)
    # round-robin: classes that still have images left differ by at most one image, and
    # a class that has run out has given all its images
    left = counts < total
    if left.any():
        assert counts[left].max() - counts[left].min() <= 1
        assert np.all(counts[~left] <= counts[left].max())


def test_bad_name_lists_valid_names():
    with pytest.raises(ConfigError, match=r"'default', 'fashion-mnist', 'cifar10'"):
        load_dataset("mnist")
    assert canonical_name("CIFAR-10") == "cifar10"
    assert canonical_name("Fashion_MNIST") == "fashion-mnist"


def test_too_many_says_how_many_exist():
    with pytest.raises(ConfigError, match=r"at most 10,000.*'default'"):
        load_dataset(num_training=20000)
    with pytest.raises(ConfigError, match=r"at most 1,000"):
        load_dataset(num_test=1001)
    with pytest.raises(ConfigError, match="non-negative integer"):
        load_dataset(num_validation=-1)
    with pytest.raises(ConfigError, match="non-negative integer"):
        load_dataset(num_validation=2.5)


def test_bad_sizes_rejected_before_any_download(tmp_path):
    with pytest.raises(ConfigError, match="num_training"):
        load_dataset("cifar10", num_training=-5, data_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_dtype_and_seed():
    with pytest.raises(ConfigError, match="floating dtype"):
        load_dataset(dtype=np.int32)
    with pytest.raises(ConfigError, match="subtract_mean=False"):
        load_dataset(dtype=np.uint8)
    with pytest.raises(ConfigError, match="seed"):
        load_dataset(seed="a")


def test_corrupt_embedded_file_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / embedded.NPZ.name
    blob = bytearray(embedded.NPZ.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    bad.write_bytes(bytes(blob))
    monkeypatch.setattr(embedded, "NPZ", bad)
    with pytest.raises(ChecksumError, match="corrupt"):
        load_dataset()


def test_missing_embedded_file_says_where(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "NPZ", tmp_path / "nope.npz")
    with pytest.raises(FileNotFoundError, match=r"looked for .*nope\.npz"):
        load_dataset()


def test_missing_cifar_without_download(tmp_path):
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("cifar10", data_dir=tmp_path, download=False)
    msg = str(info.value)
    assert str(tmp_path) in msg
    assert "python -m cs231n.data fetch cifar10" in msg
    assert "load_dataset('default')" in msg


def test_photos():
    photos = load_photos()
    assert set(photos) == {"chelsea", "coffee"}
    for img in photos.values():
        assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
        assert img.std() > 20  # a real photo, not a blank
    img = load_photo("chelsea")
    img[0, 0] = 0  # a fresh writable copy
    with pytest.raises(ConfigError, match="chelsea"):
        load_photo("kitten")
    total = sum((embedded.HERE / "photos" / f"{n}.npz").stat().st_size for n in photos)
    assert total < 400_000


def test_cli_list_verify_where(capsys, tmp_path):
    assert cli(["--data-dir", str(tmp_path), "list"]) == 0
    out = capsys.readouterr().out
    assert "default" in out and "present" in out and "cifar10" in out
    assert cli(["verify", "default"]) == 0
    assert "ok" in capsys.readouterr().out
    assert cli(["where", "default"]) == 0
    assert capsys.readouterr().out.strip().endswith("fashion_mnist_subset.npz")
    assert cli(["--data-dir", str(tmp_path), "where", "cifar10"]) == 1
    assert str(tmp_path) in capsys.readouterr().err
    assert cli(["--data-dir", str(tmp_path), "verify", "cifar10"]) == 1
    assert cli(["fetch", "default"]) == 0


def test_cli_usage_errors(capsys):
    with pytest.raises(SystemExit) as info:
        cli(["fetch", "imagenet"])
    assert info.value.code == 2
    assert "'cifar10'" in capsys.readouterr().err
    assert cli([]) == 2


def test_cli_as_module(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cs231n.data", "--data-dir", str(tmp_path), "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "fashion_mnist_subset.npz" in proc.stdout


def test_embedded_loads_with_sockets_disabled(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(embedded, "_CACHE", {})  # really read and verify the file
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    d = load_dataset(num_training=10, num_validation=10, num_test=10)
    assert d["X_train"].shape == (10, 1, 28, 28)


def test_package_data_patterns_cover_data_files():
    # setup.py ships these patterns; every data file of cs231n.data must match one
    patterns = ("*.npz", "*.json", "*.png", "*.txt", "LICENSE*")
    data_dir = embedded.HERE
    files = [p for p in data_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for p in files:
        if p.suffix == ".py":
            continue
        assert any(p.match(pat) for pat in patterns), p

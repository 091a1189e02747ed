"""The COCO captioning path on a tiny fake archive served from a loopback HTTP server."""

import importlib.util
import io
import json
import threading
import zipfile

import numpy as np
import pytest
from test_data_download import Server

from cs231n.captioning_solver import CaptioningSolver
from cs231n.classifiers.rnn import CaptioningRNN
from cs231n.data import DownloadError, _download, coco
from cs231n.data.captioning import load_captioning_data
from cs231n.data.cifar10 import CorruptDatasetError

HAS_H5PY = importlib.util.find_spec("h5py") is not None
needs_h5py = pytest.mark.skipif(not HAS_H5PY, reason="h5py is not installed")
WORDS = ["<NULL>", "<START>", "<END>", "<UNK>", "a", "cat", "on", "mat"]


def h5_bytes(arrays):
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for k, v in arrays.items():
            f.create_dataset(k, data=v)
    return buf.getvalue()


def make_coco_zip(with_h5=True, unsafe=False):
    """A zip in the layout of coco_captioning.zip, with 6 train and 4 val images."""
    rng = np.random.default_rng(0)
    files = {}
    caps = {
        "train_captions": np.array([[1, 4, 5, 6, 4, 7, 2, 0]] * 9, dtype=np.int32),
        "train_image_idxs": np.arange(9) % 6,
        "val_captions": np.array([[1, 4, 5, 2, 0, 0, 0, 0]] * 4, dtype=np.int32),
        "val_image_idxs": np.arange(4),
    }
    feats = {}
    for split, n in (("train", 6), ("val", 4)):
        feats[split, True] = {"features": rng.standard_normal((n, 8)).astype(np.float32)}
        feats[split, False] = {"features": rng.standard_normal((n, 16)).astype(np.float32)}
    if with_h5:
        files[coco.CAPTIONS] = h5_bytes(caps)
        for key, name in coco.FEATURES.items():
            files[name] = h5_bytes(feats[key])
    else:
        files[coco.CAPTIONS] = b"not hdf5"
        for name in coco.FEATURES.values():
            files[name] = b"not hdf5"
    files[coco.VOCAB] = json.dumps(
        {"idx_to_word": WORDS, "word_to_idx": {w: i for i, w in enumerate(WORDS)}}
    ).encode()
    files[coco.URLS["train"]] = "\n".join(f"http://img/{i}.jpg" for i in range(6)).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, blob in files.items():
            zf.writestr(f"{coco.FOLDER}/{name}", blob)
        if unsafe:
            zf.writestr("../escape.txt", b"x")
    return buf.getvalue()


@pytest.fixture
def server(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setattr(_download, "BACKOFF", 0.0)
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def served(server, monkeypatch):
    blob = make_coco_zip(with_h5=HAS_H5PY)
    server.files["/coco.zip"] = blob
    monkeypatch.setattr(coco, "URL", server.base + "/coco.zip")
    return server, blob


def hidden(home):
    return sorted(p.name for p in home.iterdir() if p.name.startswith("."))


def test_fetch_extracts_atomically_with_a_marker(served, tmp_path):
    server, blob = served
    folder = coco.fetch(tmp_path, progress=False)
    assert folder == tmp_path / coco.FOLDER
    marker = json.loads((folder / coco.MARKER).read_text())
    assert marker["archive_bytes"] == len(blob) and set(coco.REQUIRED) <= set(marker["files"])
    assert hidden(tmp_path) == [] and not (tmp_path / coco.ARCHIVE).exists()
    assert all(v == "ok" for v in coco.verify(tmp_path).values())
    n = len(server.log)
    assert coco.fetch(tmp_path, progress=False) == folder and len(server.log) == n  # cached


def test_interrupted_download_resumes_with_range(served, tmp_path):
    server, blob = served
    server.cuts["/coco.zip"] = [len(blob) // 3, len(blob) // 3]
    coco.fetch(tmp_path, progress=False, keep_archive=True)
    ranges = [r for p, r in server.log if p == "/coco.zip"]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert (tmp_path / coco.ARCHIVE).read_bytes() == blob


def test_pinned_checksum_is_enforced(served, tmp_path):
    with pytest.raises(Exception, match="sha256"):
        coco.fetch(tmp_path, progress=False, sha256="0" * 64, retries=0)
    assert not (tmp_path / coco.FOLDER).exists()


def test_verify_reports_a_truncated_file(served, tmp_path):
    folder = coco.fetch(tmp_path, progress=False)
    path = folder / coco.VOCAB
    path.write_bytes(path.read_bytes()[:10])
    assert "instead of" in coco.verify(tmp_path)[coco.VOCAB]


def test_unsafe_or_incomplete_archives_are_rejected(tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(make_coco_zip(with_h5=False, unsafe=True))
    with pytest.raises(CorruptDatasetError, match="unsafe path"):
        coco.extract(archive, tmp_path / "home")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{coco.FOLDER}/{coco.VOCAB}", b"{}")
    archive.write_bytes(buf.getvalue())
    with pytest.raises(CorruptDatasetError, match="lacks"):
        coco.extract(archive, tmp_path / "home")
    archive.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(CorruptDatasetError, match="truncated or corrupt"):
        coco.extract(archive, tmp_path / "home")
    assert not (tmp_path / "home" / coco.FOLDER).exists()


def test_offline_failure_says_what_to_do(server, monkeypatch, tmp_path):
    monkeypatch.setattr(coco, "URL", server.base + "/missing.zip")
    with pytest.raises(DownloadError):
        coco.fetch(tmp_path, progress=False, retries=0)
    if HAS_H5PY:
        with pytest.raises(FileNotFoundError, match="load_captioning_data"):
            coco.load(tmp_path, download=False)


def test_missing_h5py_names_the_fix(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_h5py(name, *args, **kwargs):
        if name == "h5py":
            raise ImportError("No module named 'h5py'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_h5py)
    with pytest.raises(ImportError, match="pip install h5py"):
        coco.load(tmp_path)


@needs_h5py
def test_load_in_cs231n_layout_and_train_on_it(served, tmp_path):
    data = load_captioning_data("coco", data_dir=tmp_path)
    assert data["train_captions"].shape == (9, 8) and data["train_captions"].dtype == np.int32
    assert data["train_features"].shape == (6, 8) and data["val_features"].shape == (4, 8)
    assert data["idx_to_word"][:3] == ["<NULL>", "<START>", "<END>"]
    assert data["word_to_idx"]["cat"] == 5 and len(data["train_urls"]) == 6
    raw = load_captioning_data("coco", data_dir=tmp_path, pca_features=False, max_train=4)
    assert raw["train_features"].shape == (6, 16) and raw["train_captions"].shape == (4, 8)
    # used when downloaded: the captioning models train on it as on the offline set
    model = CaptioningRNN(data["word_to_idx"], input_dim=8, wordvec_dim=4, hidden_dim=8, seed=0)
    solver = CaptioningSolver(
        model, data, update_rule="adam", num_epochs=2, batch_size=3, verbose=False, seed=0
    )
    solver.train()
    assert len(solver.loss_history) == 6 and np.isfinite(solver.loss_history).all()


@needs_h5py
def test_unreadable_hdf5_is_reported(server, monkeypatch, tmp_path):
    server.files["/coco.zip"] = make_coco_zip(with_h5=False)
    monkeypatch.setattr(coco, "URL", server.base + "/coco.zip")
    with pytest.raises(CorruptDatasetError, match="HDF5"):
        coco.load(tmp_path)


@needs_h5py
def test_cs231n_coco_utils_names(served, tmp_path):
    from cs231n.coco_utils import decode_captions, load_coco_data, sample_coco_minibatch

    data = load_coco_data(base_dir=tmp_path, max_train=5)
    captions, features, urls = sample_coco_minibatch(
        data, batch_size=3, rng=np.random.default_rng(0)
    )
    assert captions.shape == (3, 8) and features.shape == (3, 8) and len(urls) == 3
    assert decode_captions(captions[0], data["idx_to_word"]) == "a cat on a mat"
    _, _, no_urls = sample_coco_minibatch(data, batch_size=2, split="val")
    assert no_urls is None


def test_command_line(served, tmp_path, capsys):
    assert coco.main(["where", "--data-dir", str(tmp_path)]) == 0
    assert "not downloaded" in capsys.readouterr().out
    assert coco.main(["verify", "--data-dir", str(tmp_path)]) == 1
    assert coco.main(["fetch", "--data-dir", str(tmp_path)]) == 0
    assert coco.main(["verify", "--data-dir", str(tmp_path)]) == 0
    assert f"{coco.VOCAB}: ok" in capsys.readouterr().out

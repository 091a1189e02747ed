"""Real loaders on generated fixtures; downloads from a loopback HTTP server (no internet).

The fixtures are written in CIFAR-10's exact layout (a ``.tar.gz`` holding
``cifar-10-batches-py/`` with pickled batch dicts ``data`` (N, 3072) uint8, ``labels``,
``batch_label``, ``filenames`` and ``batches.meta``) and in the IDX format of
Fashion-MNIST.  The module constants (URL, checksum, size) are monkeypatched to point
at them.
"""

import gzip
import hashlib
import importlib.util
import io
import pickle
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from cs231n.data import (
    ChecksumError,
    CorruptDatasetError,
    DatasetNotFoundError,
    DownloadError,
    _download,
    cifar10,
    fashion_mnist,
    get_CIFAR10_data,
    load_dataset,
)
from cs231n.data.__main__ import main as cli

ROOT = Path(__file__).resolve().parents[1]
N_PER_BATCH, N_TEST = 6, 5


# --------------------------------------------------------------------------- fixtures
def make_cifar_archive(seed=0):
    """``(bytes of a tar.gz in CIFAR-10's layout, {file: (data, labels)})``."""
    rng = np.random.default_rng(seed)
    contents = {}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:

        def add(name, obj):
            raw = pickle.dumps(obj, protocol=2)
            info = tarfile.TarInfo(f"{cifar10.FOLDER}/{name}")
            info.size = len(raw)
            tf.addfile(info, io.BytesIO(raw))

        for name in (*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH):
            n = N_TEST if name == cifar10.TEST_BATCH else N_PER_BATCH
            data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
            labels = [int(v) for v in rng.integers(0, 10, size=n)]
            contents[name] = (data, labels)
            add(
                name,
                {
                    "batch_label": f"fixture {name}",
                    "labels": labels,
                    "data": data,
                    "filenames": [f"img_{i}.png" for i in range(n)],
                },
            )
        add(
            cifar10.META,
            {
                "num_cases_per_batch": N_PER_BATCH,
                "label_names": list(cifar10.CLASS_NAMES),
                "num_vis": 3072,
            },
        )
    return buf.getvalue(), contents


def idx_bytes(arr):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + np.array(arr.shape, dtype=">u4").tobytes()
    return header + arr.tobytes()


def make_fashion_files(n_train=60, n_test=30, seed=0):
    """``{name: gz bytes}`` and ``{name: (size, sha256 of the IDX content)}``."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": np.arange(n_train, dtype=np.uint8) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": np.arange(n_test, dtype=np.uint8) % 10,
    }
    files, table = {}, {}
    for name, arr in arrays.items():
        raw = idx_bytes(arr)
        files[name] = gzip.compress(raw, mtime=0)
        table[name] = (len(raw), hashlib.sha256(raw).hexdigest())
    return files, table, arrays


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.files = {}  # path -> bytes
        self.cuts = {}  # path -> list of byte counts after which to drop the connection
        self.support_range = True
        self.range_offset = 0  # > 0: answer a Range request with the wrong range
        self.log = []  # (path, Range header)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        srv = self.server
        srv.log.append((self.path, self.headers.get("Range")))
        data = srv.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        start = 0
        rng = self.headers.get("Range")
        if rng and srv.support_range:
            start = int(rng.split("=")[1].split("-")[0]) + srv.range_offset
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cuts = srv.cuts.get(self.path)
        if cuts:
            self.wfile.write(body[: cuts.pop(0)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


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


@pytest.fixture(scope="module")
def cifar_fixture():
    return make_cifar_archive()


@pytest.fixture
def cifar_served(server, cifar_fixture, monkeypatch):
    blob, contents = cifar_fixture
    server.files["/cifar.tar.gz"] = blob
    monkeypatch.setattr(cifar10, "URL", server.base + "/cifar.tar.gz")
    monkeypatch.setattr(cifar10, "MD5", hashlib.md5(blob).hexdigest())
    monkeypatch.setattr(cifar10, "SIZE", len(blob))
    return server, blob, contents


def leftovers(home):
    return sorted(p.name for p in Path(home).iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- CIFAR-10
def test_cifar10_end_to_end(cifar_served, tmp_path):
    server, _, contents = cifar_served
    d = load_dataset("cifar10", data_dir=tmp_path, num_validation=5, subtract_mean=False)
    assert d["X_train"].shape == (5 * N_PER_BATCH - 5, 3, 32, 32)
    assert d["X_val"].shape == (5, 3, 32, 32) and d["X_test"].shape == (N_TEST, 3, 32, 32)
    assert d["X_train"].dtype == np.float32 and d["input_dim"] == (3, 32, 32)
    assert d["class_names"][3] == "cat" and d["name"] == "cifar10"
    assert (tmp_path / cifar10.FOLDER / cifar10.MARKER).is_file()
    assert leftovers(tmp_path) == []  # no temp folders or .part left
    # the pixels are the fixture's rows, planes R, G, B -> (3, 32, 32)
    data, labels = contents[cifar10.TEST_BATCH]
    want = {hashlib.sha1(r.tobytes()).hexdigest(): lab for r, lab in zip(data, labels)}
    got = d["X_test"].astype(np.uint8).reshape(N_TEST, -1)
    for row, lab in zip(got, d["y_test"]):
        assert want[hashlib.sha1(row.tobytes()).hexdigest()] == lab
    # splits disjoint, second load uses the cache (no new request)
    n_requests = len(server.log)
    e = load_dataset("cifar10", data_dir=tmp_path, num_validation=5, subtract_mean=False)
    assert len(server.log) == n_requests
    rows = [
        set(map(bytes, e[k].astype(np.uint8).reshape(len(e[k]), -1))) for k in ("X_train", "X_val")
    ]
    assert not rows[0] & rows[1]
    np.testing.assert_array_equal(d["X_train"], e["X_train"])


def test_get_cifar10_data_alias(cifar_served, tmp_path):
    d = get_CIFAR10_data(num_training=20, num_validation=4, num_test=3, data_dir=tmp_path)
    assert d["X_train"].shape == (20, 3, 32, 32) and d["X_test"].shape == (3, 3, 32, 32)
    assert d["mean_image"].shape == (3, 32, 32)
    np.testing.assert_allclose(d["X_train"].mean(axis=0), 0, atol=1e-3)
    with pytest.raises(ValueError, match=r"at most 26 for 'cifar10'"):
        get_CIFAR10_data(num_training=49000, num_validation=4, data_dir=tmp_path)


def test_interrupted_download_is_resumed(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    server.cuts["/cifar.tar.gz"] = [len(blob) // 3]
    folder = cifar10.fetch(tmp_path, progress=False)
    assert folder == tmp_path / cifar10.FOLDER
    ranges = [r for p, r in server.log if p == "/cifar.tar.gz"]
    assert ranges == [None, f"bytes={len(blob) // 3}-"]
    assert (tmp_path / cifar10.ARCHIVE).read_bytes() == blob


def test_interrupted_too_often_then_resumed_later(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    step = len(blob) // 5
    server.cuts["/cifar.tar.gz"] = [step, step]
    with pytest.raises(DownloadError, match="connection closed"):
        cifar10.fetch(tmp_path, progress=False, retries=1)
    part = tmp_path / (cifar10.ARCHIVE + ".part")
    assert part.stat().st_size == 2 * step
    assert cifar10.find(tmp_path) is None
    cifar10.fetch(tmp_path, progress=False)  # the next run resumes at 2 * step
    assert server.log[-1][1] == f"bytes={2 * step}-"
    assert not part.exists()


def test_server_without_range_support_restarts(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    server.support_range = False
    server.cuts["/cifar.tar.gz"] = [len(blob) // 2]
    cifar10.fetch(tmp_path, progress=False)
    assert (tmp_path / cifar10.ARCHIVE).read_bytes() == blob


def test_wrong_content_range_restarts(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    server.cuts["/cifar.tar.gz"] = [len(blob) // 4]
    server.range_offset = 7  # a broken server answers the resume with the wrong bytes
    cifar10.fetch(tmp_path, progress=False)
    assert (tmp_path / cifar10.ARCHIVE).read_bytes() == blob
    assert [r for _, r in server.log] == [None, f"bytes={len(blob) // 4}-", None]


def test_fetch_dataset_api(cifar_served, tmp_path):
    from cs231n.data import fetch_dataset

    assert fetch_dataset("CIFAR-10", tmp_path, progress=False) == tmp_path / cifar10.FOLDER
    assert fetch_dataset("default").name == "fashion_mnist_subset.npz"


def test_checksum_mismatch_is_never_kept(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    bad = bytearray(blob)
    bad[100] ^= 0xFF
    server.files["/cifar.tar.gz"] = bytes(bad)
    with pytest.raises(ChecksumError, match="md5"):
        load_dataset("cifar10", data_dir=tmp_path)
    assert not (tmp_path / cifar10.ARCHIVE).exists()
    assert not (tmp_path / (cifar10.ARCHIVE + ".part")).exists()
    assert cifar10.find(tmp_path) is None


def test_truncated_archive_on_disk_is_resumed(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    (tmp_path / cifar10.ARCHIVE).write_bytes(blob[: len(blob) // 2])
    d = load_dataset("cifar10", data_dir=tmp_path, num_validation=2)
    assert d["X_val"].shape[0] == 2
    assert server.log == [("/cifar.tar.gz", f"bytes={len(blob) // 2}-")]


def test_corrupt_archive_on_disk_is_refetched(cifar_served, tmp_path):
    server, blob, _ = cifar_served
    (tmp_path / cifar10.ARCHIVE).write_bytes(b"x" * len(blob))
    cifar10.fetch(tmp_path, progress=False)
    assert server.log == [("/cifar.tar.gz", None)]
    assert (tmp_path / cifar10.ARCHIVE).read_bytes() == blob


def test_truncated_archive_fails_extraction_cleanly(server, cifar_fixture, tmp_path, monkeypatch):
    blob = cifar_fixture[0][: len(cifar_fixture[0]) * 2 // 3]
    server.files["/cifar.tar.gz"] = blob
    # the checksum "matches" (a broken mirror of a broken file): extraction must still fail
    monkeypatch.setattr(cifar10, "URL", server.base + "/cifar.tar.gz")
    monkeypatch.setattr(cifar10, "MD5", hashlib.md5(blob).hexdigest())
    monkeypatch.setattr(cifar10, "SIZE", len(blob))
    with pytest.raises(CorruptDatasetError, match="truncated or corrupt"):
        load_dataset("cifar10", data_dir=tmp_path)
    assert not (tmp_path / cifar10.FOLDER).exists()
    assert leftovers(tmp_path) == []


def test_interrupted_extraction_never_looks_complete(cifar_fixture, tmp_path, monkeypatch):
    archive = tmp_path / cifar10.ARCHIVE
    archive.write_bytes(cifar_fixture[0])
    calls = []
    real_extract = tarfile.TarFile.extract

    def flaky(self, member, *args, **kwargs):
        calls.append(member)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_extract(self, member, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "extract", flaky)
    with pytest.raises(CorruptDatasetError):
        cifar10.extract(archive, tmp_path)
    assert not (tmp_path / cifar10.FOLDER).exists()
    assert cifar10.find(tmp_path) is None
    assert leftovers(tmp_path) == []


def test_stale_partial_folder_is_replaced(cifar_served, tmp_path):
    stale = tmp_path / cifar10.FOLDER
    stale.mkdir()
    (stale / "data_batch_1").write_bytes(b"half")
    assert cifar10.find(tmp_path) is None
    cifar10.fetch(tmp_path, progress=False)
    assert (stale / cifar10.MARKER).is_file()
    assert len(load_dataset("cifar10", data_dir=tmp_path)["y_test"]) == N_TEST


def test_user_folder_without_marker_and_corrupt_batch(cifar_fixture, tmp_path):
    with tarfile.open(fileobj=io.BytesIO(cifar_fixture[0])) as tf:
        tf.extractall(tmp_path, **cifar10._filter_kw())
    folder = tmp_path / cifar10.FOLDER
    d = load_dataset("cifar10", data_dir=folder, download=False)  # the folder itself
    assert "no marker" in d["source"]
    batch = folder / "data_batch_2"
    batch.write_bytes(batch.read_bytes()[:500])
    with pytest.raises(CorruptDatasetError, match=r"data_batch_2.*truncated"):
        load_dataset("cifar10", data_dir=tmp_path, download=False)
    report = cifar10.verify(tmp_path)
    assert report["data_batch_1"] == "ok" and "truncated" in report["data_batch_2"]


def test_no_network_names_fetch_command_and_default(tmp_path, monkeypatch):
    monkeypatch.setattr(_download, "BACKOFF", 0.0)
    monkeypatch.setattr(cifar10, "URL", "http://127.0.0.1:9/cifar.tar.gz")  # discard port: refused
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("cifar10", data_dir=tmp_path)
    msg = str(info.value)
    assert "python -m cs231n.data fetch cifar10" in msg
    assert "load_dataset('default')" in msg and str(tmp_path) in msg
    assert "Downloading failed" in msg


def test_cli_fetch_and_verify(cifar_served, tmp_path, capsys):
    assert cli(["--data-dir", str(tmp_path), "fetch", "cifar10", "--quiet"]) == 0
    assert "ready" in capsys.readouterr().out
    assert cli(["--data-dir", str(tmp_path), "verify", "cifar10"]) == 0
    assert cli(["--data-dir", str(tmp_path), "where", "cifar10"]) == 0
    assert capsys.readouterr().out.strip().endswith(cifar10.FOLDER)
    (tmp_path / cifar10.FOLDER / "test_batch").write_bytes(b"junk")
    assert cli(["--data-dir", str(tmp_path), "verify", "cifar10"]) == 1
    assert "problem" in capsys.readouterr().err


def test_cli_fetch_offline_exit_code(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_download, "BACKOFF", 0.0)
    monkeypatch.setattr(cifar10, "URL", "http://127.0.0.1:9/cifar.tar.gz")
    assert cli(["--data-dir", str(tmp_path), "fetch", "cifar10", "--quiet"]) == 1
    assert "load_dataset('default')" in capsys.readouterr().err


# --------------------------------------------------------------------------- downloader
def test_download_tries_next_mirror_after_404(server, tmp_path):
    server.files["/b/f.bin"] = b"abc" * 1000
    dest = _download.download(
        [server.base + "/a/f.bin", server.base + "/b/f.bin"],
        tmp_path / "f.bin",
        size=3000,
        sha256=hashlib.sha256(b"abc" * 1000).hexdigest(),
        progress=True,  # the tqdm bar, on stderr
    )
    assert dest.read_bytes() == b"abc" * 1000


def test_download_wrong_size_is_reported(server, tmp_path):
    server.files["/f.bin"] = b"abc"
    with pytest.raises(ChecksumError, match="expected 4 bytes"):
        _download.download(
            server.base + "/f.bin", tmp_path / "f.bin", size=4, progress=False, retries=1
        )
    assert not (tmp_path / "f.bin").exists()


# --------------------------------------------------------------------------- Fashion-MNIST
@pytest.fixture
def fashion(monkeypatch, tmp_path):
    files, table, arrays = make_fashion_files()
    monkeypatch.setattr(fashion_mnist, "FILES", table)
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", tmp_path / "no-debian")
    return files, arrays


def test_fashion_mnist_download_and_load(server, fashion, tmp_path, monkeypatch):
    files, arrays = fashion
    for name, blob in files.items():
        server.files["/mirror2/" + name] = blob
    monkeypatch.setattr(
        fashion_mnist, "BASE_URLS", (server.base + "/mirror1/", server.base + "/mirror2/")
    )
    cache = tmp_path / "cache"
    d = load_dataset(
        "fashion-mnist", data_dir=cache, num_validation=10, subtract_mean=False, dtype=np.uint8
    )
    assert d["X_train"].shape == (50, 1, 28, 28) and d["X_test"].shape == (30, 1, 28, 28)
    np.testing.assert_array_equal(np.bincount(d["y_val"], minlength=10), [1] * 10)
    train = set(map(bytes, d["X_train"].reshape(50, -1)))
    val = set(map(bytes, d["X_val"].reshape(10, -1)))
    assert len(train) == 50 and not train & val
    assert train | val == set(map(bytes, arrays["train-images-idx3-ubyte.gz"].reshape(60, -1)))
    assert fashion_mnist.verify(cache / "fashion-mnist") == dict.fromkeys(files, "ok")


def test_fashion_mnist_corrupt_file_refused(fashion, tmp_path):
    files, _ = fashion
    folder = tmp_path / "fm"
    folder.mkdir()
    for name, blob in files.items():
        folder.joinpath(name).write_bytes(blob)
    raw = gzip.decompress(files["t10k-images-idx3-ubyte.gz"])
    folder.joinpath("t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:-1] + b"\x01"))
    with pytest.raises(ChecksumError, match="sha256"):
        load_dataset("fashion-mnist", data_dir=folder, download=False)
    folder.joinpath("t10k-images-idx3-ubyte.gz").write_bytes(
        files["t10k-images-idx3-ubyte.gz"][:200]
    )
    with pytest.raises(ChecksumError, match="truncated or corrupt"):
        load_dataset("fashion-mnist", data_dir=folder, download=False)


def test_fashion_mnist_missing_offline(fashion, tmp_path):
    with pytest.raises(DatasetNotFoundError, match="fetch fashion-mnist"):
        load_dataset("fashion-mnist", data_dir=tmp_path / "empty", download=False)


def test_parse_idx_rejects_bad_header():
    with pytest.raises(ChecksumError, match="magic"):
        fashion_mnist.parse_idx(b"\x01\x02\x03\x04")
    good = idx_bytes(np.zeros((2, 3), np.uint8))
    with pytest.raises(ChecksumError, match="truncated"):
        fashion_mnist.parse_idx(good[:-1])
    np.testing.assert_array_equal(fashion_mnist.parse_idx(good), np.zeros((2, 3)))


# --------------------------------------------------------------------------- make_embedded
def load_make_embedded():
    spec = importlib.util.spec_from_file_location(
        "make_embedded", ROOT / "datasets" / "make_embedded.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_embedded_is_reproducible(fashion, tmp_path):
    files, _ = fashion
    src = tmp_path / "src"
    src.mkdir()
    for name, blob in files.items():
        src.joinpath(name).write_bytes(blob)
    mk = load_make_embedded()
    blob1, meta1 = mk.build(src, seed=5, train_per_class=3, val_per_class=2, test_per_class=2)
    blob2, meta2 = mk.build(src, seed=5, train_per_class=3, val_per_class=2, test_per_class=2)
    assert blob1 == blob2 and meta1 == meta2
    with np.load(io.BytesIO(blob1)) as z:
        assert z["X_train"].shape == (30, 28, 28) and z["X_train"].dtype == np.uint8
        np.testing.assert_array_equal(np.bincount(z["y_val"], minlength=10), [2] * 10)
        assert not set(z["index_train"].tolist()) & set(z["index_val"].tolist())
    out = tmp_path / "out"
    assert mk.main(["--source", str(src), "--out", str(out), "--seed", "5", "--train-per-class", "3",
                    "--val-per-class", "2", "--test-per-class", "2"]) == 0  # fmt: skip
    assert (out / mk.NPZ_NAME).read_bytes() == blob1
    assert mk.main(["--source", str(src), "--out", str(out), "--check", "--seed", "5", "--train-per-class", "3",
                    "--val-per-class", "2", "--test-per-class", "2"]) == 0  # fmt: skip

"""A small, tested downloader: retries, HTTP Range resume, checksums, progress bar.

Only the standard library (``urllib``) and ``tqdm`` are used.  A download goes to
``<dest>.part`` first; an interrupted transfer is resumed from where it stopped (with an
HTTP ``Range`` request) on the next attempt, and the file is renamed to ``dest`` only once
its size and checksum are right.  A wrong checksum is never kept.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

CHUNK = 1 << 20
BACKOFF = 1.0  # seconds before the first retry, doubled after each one
USER_AGENT = "cs231n-kit-data/0.1 (+python urllib)"


class DownloadError(OSError):
    """A file could not be downloaded (network down, server error, repeated failures)."""


class ChecksumError(ValueError):
    """A file's size or checksum differs from the known value: it is corrupt or truncated."""


def data_home(data_dir: str | os.PathLike | None = None) -> Path:
    """Directory that holds downloaded datasets.

    Resolution order: the ``data_dir`` argument, then the environment variable
    ``CS231N_DATA_DIR``, then ``~/.cache/cs231n``.  On Colab, point ``CS231N_DATA_DIR``
    at a Google Drive folder (``/content/drive/MyDrive/cs231n-data``) so a download
    survives the end of the session.
    """
    if data_dir is None:
        data_dir = os.environ.get("CS231N_DATA_DIR") or Path.home() / ".cache" / "cs231n"
    return Path(data_dir).expanduser()


def file_hash(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.new(algorithm, usedforsecurity=False)  # integrity, not security (FIPS)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def check_file(
    path: str | os.PathLike,
    *,
    size: int | None = None,
    md5: str | None = None,
    sha256: str | None = None,
) -> None:
    """Raise :class:`ChecksumError` unless ``path`` has the given size and checksums."""
    path = Path(path)
    actual = path.stat().st_size
    if size is not None and actual != size:
        kind = "truncated" if actual < size else "too long"
        raise ChecksumError(
            f"{path}: expected {size:,} bytes, got {actual:,} ({kind}). "
            f"Fix: delete the file and fetch it again."
        )
    for algo, want in (("md5", md5), ("sha256", sha256)):
        if want is not None:
            got = file_hash(path, algo)
            if got != want.lower():
                raise ChecksumError(
                    f"{path}: expected {algo} {want}, got {got} (the file is corrupt). "
                    f"Fix: delete the file and fetch it again."
                )


def _progress(total: int | None, initial: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=desc,
        disable=not enabled,
        leave=False,
    )


def _fetch_once(url: str, part: Path, size: int | None, timeout: float, progress: bool) -> None:
    """One HTTP request that appends to (or restarts) ``part``.

    Raises an ``OSError`` subclass when the transfer stops early; the bytes received so
    far stay in ``part`` for the next attempt to resume.
    """
    have = part.stat().st_size if part.exists() else 0
    if size is not None and have == size:
        return
    if size is not None and have > size:
        part.unlink()
        have = 0
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # range not satisfiable: restart from zero
            part.unlink()
        raise
    with response:
        status = getattr(response, "status", 200)
        if status == 206:
            mode = "ab"
            content_range = response.headers.get("Content-Range", "")
            if not content_range.startswith(f"bytes {have}-"):
                part.unlink()
                raise DownloadError(
                    f"{url}: asked for bytes {have}- and got range {content_range!r}; "
                    "restarting from zero"
                )
        else:  # the server ignored the Range header: start again
            mode, have = "wb", 0
        length = response.headers.get("Content-Length")
        expected_total = size
        if expected_total is None and length is not None:
            expected_total = have + int(length)
        with (
            open(part, mode) as out,
            _progress(expected_total, have, part.name[:-5], progress) as bar,
        ):
            received = 0
            while True:
                try:
                    block = response.read(CHUNK)
                except http.client.IncompleteRead as err:
                    out.write(err.partial)
                    raise DownloadError(f"connection closed early while reading {url}") from err
                if not block:
                    break
                out.write(block)
                received += len(block)
                bar.update(len(block))
        if length is not None and received < int(length):
            raise DownloadError(
                f"connection closed after {received:,} of {int(length):,} bytes from {url}"
            )


def download(
    urls: str | Sequence[str],
    dest: str | os.PathLike,
    *,
    size: int | None = None,
    md5: str | None = None,
    sha256: str | None = None,
    retries: int = 3,
    timeout: float = 60.0,
    backoff: float | None = None,
    progress: bool = True,
) -> Path:
    """Download ``urls`` (tried in order) to ``dest`` and verify it.

    Parameters
    ----------
    urls : str or sequence of str
        The file's address and optional mirrors.
    dest : path
        Final location.  Bytes go to ``dest + ".part"`` until the file is complete and
        verified; a ``.part`` left by an interrupted run is resumed.
    size, md5, sha256 : optional
        Known size in bytes and checksums; a mismatch deletes the partial file and the
        download starts over (within ``retries``), then :class:`ChecksumError`.
    retries : int
        Attempts per mirror after the first failure; each one resumes the partial file.
    timeout : float
        Socket timeout in seconds.
    backoff : float, optional
        Seconds to wait before the first retry, doubled after each one (default
        :data:`BACKOFF`).  A host name that does not resolve (no network) is not retried.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    Path
        ``dest``.
    """
    if isinstance(urls, str):
        urls = [urls]
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    errors: list[str] = []
    checksum_failures = 0
    for url in urls:
        delay = BACKOFF if backoff is None else backoff
        for attempt in range(retries + 1):
            try:
                _fetch_once(url, part, size, timeout, progress)
                check_file(part, size=size, md5=md5, sha256=sha256)
            except ChecksumError as err:
                checksum_failures += 1
                errors.append(f"{url}: {err}")
                part.unlink(missing_ok=True)
                if checksum_failures > retries:
                    raise ChecksumError(
                        f"downloaded {dest.name} {checksum_failures} times and its checksum "
                        f"was wrong every time: {err}"
                    ) from None
                continue
            except (OSError, http.client.HTTPException) as err:
                errors.append(f"{url} (attempt {attempt + 1}): {err}")
                if isinstance(err, urllib.error.HTTPError) and err.code == 404:
                    break  # next mirror
                if isinstance(getattr(err, "reason", None), socket.gaierror):
                    break  # the name does not resolve: offline, retrying will not help
                if attempt < retries:
                    time.sleep(delay)
                    delay *= 2
                continue
            os.replace(part, dest)
            return dest
    raise DownloadError(
        f"could not download {dest.name} after {len(errors)} attempt(s):\n  "
        + "\n  ".join(errors[-6:])
    )

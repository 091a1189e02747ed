"""The Colab setup cell: the first code cell of every notebook.

It acts only inside Google Colab and does nothing elsewhere.  The release tool may
rewrite it (for example to bake in where the wheel is); the build tools take the
source from here.
"""

SETUP_SOURCE = """\
# Setup. In Google Colab this installs the kit; on your own machine it does nothing.
import os
import sys

try:
    import google.colab  # noqa: F401

    IN_COLAB = True
except ImportError:
    IN_COLAB = False

if IN_COLAB:
    import glob
    import importlib
    import subprocess

    # The release zip holds a wheel, cs231n_kit-<version>-py3-none-any.whl. Upload it
    # (Files panel) next to this notebook, or keep it anywhere under /content.
    _wheels = sorted(
        glob.glob("cs231n_kit-*.whl")
        + glob.glob("/content/cs231n_kit-*.whl")
        + glob.glob("/content/*/cs231n_kit-*.whl")
        + glob.glob("/content/*/*/cs231n_kit-*.whl")
        + glob.glob("/content/drive/MyDrive/**/cs231n_kit-*.whl", recursive=True)
    )
    if not _wheels:
        raise FileNotFoundError(
            "Setup: no cs231n_kit-*.whl found in this folder or under /content. "
            "Fix: upload the .whl file from the assignment's release zip with the Files "
            "panel (left), then run this cell again."
        )
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", _wheels[-1]], check=True)
    importlib.invalidate_caches()
    os.environ.setdefault("CS231N_DATA_DIR", "/content/cs231n_data")
    print("cs231n installed from", _wheels[-1])
"""

#: Where the baked download goes: just before the search for an uploaded wheel, which
#: stays the fallback when the download fails.
_ANCHOR = "    # The release zip holds a wheel"
_SEARCH = "    _wheels = sorted(\n"

_DOWNLOAD = """\
    # This release's wheel (baked in by `python -m autograder release --url`).
    import hashlib
    import tempfile
    import urllib.parse
    import urllib.request

    _WHEEL_URL = {url!r}
    _WHEEL_SHA256 = {sha256!r}
    _downloaded = None
    try:
        with urllib.request.urlopen(_WHEEL_URL, timeout=120) as _response:
            _data = _response.read()
    except (OSError, ValueError) as _exc:
        print(f"Setup: could not download {{_WHEEL_URL}} ({{_exc}}); "
              "looking for an uploaded wheel instead.")
    else:
        _got = hashlib.sha256(_data).hexdigest()
        if _got != _WHEEL_SHA256:
            raise RuntimeError(
                "Setup: the wheel downloaded from " + _WHEEL_URL + " is not the one this "
                "notebook was released with: expected sha256 " + _WHEEL_SHA256 + ", got "
                + _got + ". Fix: tell your instructor; meanwhile upload the .whl file of "
                "the assignment's release zip (Files panel) and run this cell again."
            )
        _name = urllib.parse.unquote(urllib.parse.urlsplit(_WHEEL_URL).path.rsplit("/", 1)[-1])
        _downloaded = os.path.join(tempfile.mkdtemp(prefix="cs231n-kit-"), _name)
        with open(_downloaded, "wb") as _fh:
            _fh.write(_data)
"""


def baked_setup_source(url: str, sha256: str) -> str:
    """The setup cell that downloads the wheel from ``url`` and checks its ``sha256``.

    A student in Colab then runs this first cell and nothing else.  When the download
    fails (no network, a moved file) the cell falls back to an uploaded wheel, as the
    plain :data:`SETUP_SOURCE` does; a download whose checksum differs is an error.
    """
    import re

    if not re.fullmatch(r"https?://\S+", url or ""):
        raise ValueError(f"wheel URL: expected an http(s) URL, got {url!r}")
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise ValueError(f"wheel sha256: expected 64 lowercase hex digits, got {sha256!r}")
    if SETUP_SOURCE.count(_ANCHOR) != 1 or SETUP_SOURCE.count(_SEARCH) != 1:
        raise RuntimeError("SETUP_SOURCE changed: the lines baking relies on are missing")
    download = _DOWNLOAD.format(url=url, sha256=sha256)
    fallback = "    _wheels = [_downloaded] if _downloaded else sorted(\n"
    restart = (
        '    if "cs231n" in sys.modules:  # imported before this run: the old one is in memory\n'
        '        print("Setup: restart the runtime (Runtime > Restart session), then run this "\n'
        '              "cell again, so that the new cs231n is imported.")\n'
    )
    source = SETUP_SOURCE.replace(_ANCHOR, download + "\n" + _ANCHOR).replace(_SEARCH, fallback)
    return source.rstrip("\n") + "\n" + restart


def is_setup_cell(cell) -> bool:
    """True for a notebook's Colab setup cell (tag ``setup`` or grade id ``*_setup``)."""
    meta = cell.get("metadata", {})
    gid = meta.get("nbgrader", {}).get("grade_id", "")
    return cell.get("cell_type") == "code" and (
        "setup" in meta.get("tags", []) or gid.endswith("_setup")
    )


def bake_notebook(nb, url: str, sha256: str) -> bool:
    """Replace the setup cell of ``nb`` (in place) by :func:`baked_setup_source`.

    Returns False when the notebook has no setup cell.  The nbgrader checksum of the
    locked cell is recomputed, so nbgrader still sees an unmodified release cell.
    """
    from nbgrader.utils import compute_checksum

    for cell in nb.cells:
        if is_setup_cell(cell):
            cell.source = baked_setup_source(url, sha256).rstrip("\n")
            meta = cell.metadata.get("nbgrader", {})
            if "checksum" in meta:
                meta["checksum"] = compute_checksum(cell)
            return True
    return False

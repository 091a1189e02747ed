"""``model.save(path)`` and ``model.load(path)``: parameters in a safe ``.npz`` file.

The file has the layout of the Solver's checkpoints (:meth:`cs231n.solver.Solver.
save_checkpoint`): one array ``param/<name>`` per entry of ``model.params``, plus a JSON
string ``config`` (the model's class and sizes); batch normalization's running averages
are kept as ``bn/<layer>/<key>``.  Loading uses ``np.load(path, allow_pickle=False)``, so
a file from anyone is read as arrays and nothing in it is ever executed; a Solver
checkpoint of the same architecture loads too.

CS231n's 2025 models save a pickled dict with ``np.save`` into ``cs231n/saved/``; here
the path is the one given (relative to the working folder), and ``.npz`` is appended when
it is missing, so ``model.save("best_two_layer_net.npy")`` writes
``best_two_layer_net.npy.npz`` and ``model.load("best_two_layer_net.npy")`` reads it back.
"""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np

from cs231n.validation import ConfigError, ShapeError, fail

__all__ = ["SavableModel"]

FORMAT = "cs231n-model"
VERSION = 1


def _resolve(path, fname, what):
    if (path is None) == (fname is None):
        fail(
            f"{what}: path",
            "one file name, as path or as fname (CS231n's spelling)",
            "neither" if path is None else "both",
            f"call model.{what.rsplit('.', 1)[-1]}('best_model.npz')",
            ConfigError,
        )
    path = path if path is not None else fname
    if not isinstance(path, (str, os.PathLike)):
        fail(f"{what}: path", "a str or path-like file name", repr(path), None, ConfigError)
    return os.fspath(path)


def _json_safe(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return [_json_safe(v) for v in value]
    if isinstance(value, type) or isinstance(value, np.dtype):
        return np.dtype(value).name
    return repr(value)


class SavableModel:
    """Base class of the kit's models: ``save`` / ``load`` of ``params`` as ``.npz``.

    A subclass needs a dict ``self.params`` of ndarrays; a list ``self.bn_params`` of
    dicts (batch normalization) is saved too when present.
    """

    #: Attributes recorded in the file's config, for readable errors and for people.
    _SAVED_ATTRS = ("input_dim", "num_classes", "num_layers", "normalization", "reg", "dtype")

    def _save_config(self) -> dict:
        config = {"format": FORMAT, "version": VERSION, "class": type(self).__name__}
        for attr in self._SAVED_ATTRS:
            if hasattr(self, attr):
                config[attr] = _json_safe(getattr(self, attr))
        config["shapes"] = {k: list(np.shape(v)) for k, v in self.params.items()}
        return config

    def save(self, path=None, fname=None):
        """Save the parameters (and batchnorm running averages) to an ``.npz`` file.

        Parameters
        ----------
        path : str or path-like
            File to write; ``.npz`` is appended when the name does not end with it.
        fname : str or path-like
            The same, under CS231n's name (give one of the two).

        Returns
        -------
        path : str
            The file written.
        """
        path = _resolve(path, fname, f"{type(self).__name__}.save")
        if not path.endswith(".npz"):
            path += ".npz"
        arrays = {f"param/{k}": np.asarray(v) for k, v in self.params.items()}
        for i, bn in enumerate(getattr(self, "bn_params", None) or []):
            for key in ("running_mean", "running_var"):
                if isinstance(bn.get(key), np.ndarray):
                    arrays[f"bn/{i}/{key}"] = bn[key]
        arrays["config"] = np.array(json.dumps(self._save_config()))
        np.savez(path, **arrays)
        return path

    def load(self, path=None, fname=None):
        """Load parameters saved by :meth:`save` (or a Solver checkpoint) into this model.

        The model must have the same architecture: the same parameter names and shapes.
        Each array keeps this model's dtype, so a model of the saved dtype gets the saved
        values exactly.

        Parameters
        ----------
        path : str or path-like
            The file; when it does not exist, ``path + ".npz"`` is tried.
        fname : str or path-like
            The same, under CS231n's name (give one of the two).

        Returns
        -------
        self

        Raises
        ------
        FileNotFoundError
            No such file.
        ConfigError
            Not a file written by ``save`` or ``Solver.save_checkpoint``, a model of
            another class, or other parameter names.
        ShapeError
            A parameter of another shape (other sizes).
        """
        name = type(self).__name__
        what = f"{name}.load"
        path = _resolve(path, fname, what)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{what}: no file {path!r} (nor {path + '.npz'!r}). Fix: pass the path that "
                "model.save(...) returned."
            )
        try:
            loaded = np.load(path, allow_pickle=False)
            if isinstance(loaded, np.ndarray):
                files = None  # a plain .npy array
            else:
                with loaded as f:
                    files = {k: f[k] for k in f.files}
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as err:
            fail(
                f"{what}: {path}",
                "an .npz file written by model.save(...)",
                f"a file numpy cannot read as .npz without pickle ({type(err).__name__})",
                "a pickled CS231n model cannot be loaded safely: save it again with this kit",
                ConfigError,
            )
        if files is None or "config" not in files:
            fail(
                f"{what}: {path}",
                "an .npz file written by model.save(...) or Solver.save_checkpoint(...)",
                "a plain .npy array" if files is None else f"arrays {sorted(files)[:5]}",
                None,
                ConfigError,
            )
        try:
            config = json.loads(str(files.pop("config")))
        except ValueError:
            config = None
        if not isinstance(config, dict):
            fail(f"{what}: {path}", "a JSON config", "an unreadable config", None, ConfigError)
        saved_class = config.get("class")
        if saved_class is not None and saved_class != name:
            fail(
                what,
                f"a file saved by a {name}",
                f"a file saved by a {saved_class}",
                f"load it into a {saved_class}",
                ConfigError,
            )
        params = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("param/")}
        want, got = set(self.params), set(params)
        if want != got:
            fail(
                what,
                "parameters " + ", ".join(sorted(want)),
                "parameters " + ", ".join(sorted(got)),
                "build the model with the same architecture as the one saved",
                ConfigError,
            )
        for k, v in params.items():
            if v.shape != np.shape(self.params[k]):
                sizes = {
                    a: config[a] for a in ("input_dim", "num_classes", "num_layers") if a in config
                }
                fail(
                    f"{what}: {k}",
                    f"shape {np.shape(self.params[k])}",
                    f"shape {v.shape}",
                    "build the model with the sizes of the one saved"
                    + (f" ({sizes})" if sizes else ""),
                    ShapeError,
                )
        for k, v in params.items():
            self.params[k] = v.astype(np.asarray(self.params[k]).dtype)
        for i, bn in enumerate(getattr(self, "bn_params", None) or []):
            for key in ("running_mean", "running_var"):
                if f"bn/{i}/{key}" in files:
                    bn[key] = files[f"bn/{i}/{key}"].copy()
        return self

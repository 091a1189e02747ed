"""cs231n: the reference numpy package of the teaching kit.

Conventions that hold across the whole package (see README.md, "Conventions"):

* **Shapes** use one glossary: N samples, D features, C classes (or channels for
  images), H x W image size, F filters, HH x WW filter size, G groups.  Images are
  NCHW.
* **Layers** are free functions ``x_forward(...) -> (out, cache)`` and
  ``x_backward(dout, cache) -> grads``.  They never mutate their inputs or ``dout``.
* **Regularization** is ``0.5 * reg * sum(W**2)`` over weight matrices (never biases,
  never batchnorm parameters), everywhere: linear classifiers and nets alike, so the
  gradient is ``reg * W``.
* **Dropout** is parametrised by ``keep_prob``, the probability of *keeping* a unit,
  in the layer (``dropout_param["keep_prob"]``) and in the models (``keep_prob=``).
* **Optimizers** are pure rules ``update(w, dw, config) -> (next_w, config)``.
* **Errors** are raised exceptions whose message says what was expected, what came,
  and how to fix it.
"""

__version__ = "0.1.0"

from cs231n.course.plugin import plug_in, unplug
from cs231n.course.self_check import self_check

__all__ = ["__version__", "plug_in", "self_check", "unplug"]

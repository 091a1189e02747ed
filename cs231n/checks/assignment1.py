"""Compatibility module: assignment 1's checks now live in one module per notebook.

``from cs231n.checks.assignment1 import check_affine_forward`` keeps working; new code
imports ``from cs231n.checks import ...`` or the notebook's module (``cs231n.checks.knn``).
"""

from cs231n.checks import backprop, knn, softmax, svm, two_layer_net

for _mod in (knn, svm, softmax, backprop, two_layer_net):
    globals().update({k: v for k, v in vars(_mod).items() if not k.startswith("__")})
del _mod

"""Learning-rate schedules: pure functions of a (fractional) epoch.

Each schedule maps ``epoch`` (a float >= 0; ``Solver`` passes ``iteration /
iterations_per_epoch``) to a learning rate.  Fix the other arguments with a lambda or
:func:`functools.partial` to get the ``f(epoch) -> lr`` callable that
``Solver(lr_schedule=...)`` and :func:`linear_warmup` take::

    from functools import partial
    schedule = partial(cosine_decay, base_lr=1e-3, total_epochs=10)
    solver = Solver(model, data, update_rule="adam", lr_schedule=schedule)
"""

from __future__ import annotations

import math

from cs231n.validation import ConfigError, check_positive, fail

__all__ = [
    "cosine_decay",
    "exponential_decay",
    "linear_warmup",
    "linear_warmup_inputs",
    "step_decay",
]


def step_decay(epoch, base_lr, step_size, gamma=0.1):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    ``lr = base_lr * gamma ** floor(epoch / step_size)``

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0, may be fractional).
    base_lr : float
        Learning rate at epoch 0.
    step_size : float
        Epochs between two drops (> 0).
    gamma : float
        Factor of each drop (default 0.1).

    Returns
    -------
    lr : float

    Examples
    --------
    >>> step_decay(0, 1.0, 2), step_decay(1.9, 1.0, 2), step_decay(2, 1.0, 2)
    (1.0, 1.0, 0.1)
    """
    check_positive(epoch, "step_decay: epoch", allow_zero=True)
    check_positive(step_size, "step_decay: step_size")
    # TODO(a2_step_decay): count the drops so far (floor of epoch / step_size) and scale base_lr.
    ### BEGIN SOLUTION
    lr = base_lr * gamma ** math.floor(epoch / step_size)
    ### END SOLUTION
    return float(lr)


def exponential_decay(epoch, base_lr, decay_rate):
    """Continuous exponential decay: ``lr = base_lr * decay_rate ** epoch``.

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0).
    base_lr : float
        Learning rate at epoch 0.
    decay_rate : float
        Factor per epoch, in (0, 1] (``Solver``'s ``lr_decay`` applied continuously).

    Returns
    -------
    lr : float
    """
    check_positive(epoch, "exponential_decay: epoch", allow_zero=True)
    check_positive(decay_rate, "exponential_decay: decay_rate")
    return float(base_lr * decay_rate**epoch)


def cosine_decay(epoch, base_lr, total_epochs, min_lr=0.0):
    """Half a cosine from ``base_lr`` at epoch 0 down to ``min_lr`` at ``total_epochs``.

    ``lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * e / total_epochs)) / 2`` with
    ``e = min(epoch, total_epochs)``, so the rate stays at ``min_lr`` afterwards.

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0).
    base_lr : float
        Learning rate at epoch 0.
    total_epochs : float
        Length of the decay (> 0).
    min_lr : float
        Final learning rate (default 0).

    Returns
    -------
    lr : float
    """
    check_positive(epoch, "cosine_decay: epoch", allow_zero=True)
    check_positive(total_epochs, "cosine_decay: total_epochs")
    # TODO(a2_cosine_decay): clip epoch to total_epochs, then interpolate between base_lr and
    # min_lr with the factor (1 + cos(pi * epoch / total_epochs)) / 2.
    ### BEGIN SOLUTION
    progress = min(epoch, total_epochs) / total_epochs
    lr = min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
    ### END SOLUTION
    return float(lr)


def linear_warmup_inputs(epoch, warmup_epochs, after):
    """Check the arguments of :func:`linear_warmup`.

    Parameters
    ----------
    epoch, warmup_epochs, after
        As in :func:`linear_warmup`.

    Raises
    ------
    ConfigError
        Saying what was expected, what was passed, and how to fix it.
    """
    check_positive(epoch, "linear_warmup: epoch", allow_zero=True)
    check_positive(warmup_epochs, "linear_warmup: warmup_epochs", allow_zero=True)
    if after is not None and not callable(after):
        fail(
            "linear_warmup: after",
            "a schedule f(epoch) -> lr, or None",
            type(after).__name__,
            "pass e.g. functools.partial(cosine_decay, base_lr=1e-3, total_epochs=9)",
            ConfigError,
        )


def linear_warmup(epoch, base_lr, warmup_epochs, after=None):
    """Ramp the learning rate linearly from 0 to ``base_lr`` over ``warmup_epochs``.

    ``lr = base_lr * epoch / warmup_epochs`` while ``epoch < warmup_epochs``.  After the
    warm-up the rate is ``base_lr``, or ``after(epoch - warmup_epochs)`` when a schedule
    ``after`` is given: ``after`` sees the epochs elapsed *since the warm-up ended*, so
    ``after(0)`` should be ``base_lr`` for a continuous rate.

    Parameters
    ----------
    epoch : float
        Epochs trained so far (>= 0).
    base_lr : float
        Learning rate reached at the end of the warm-up.
    warmup_epochs : float
        Length of the warm-up (>= 0; 0 means no warm-up).
    after : callable, optional
        Schedule ``f(epoch) -> lr`` used once the warm-up is over.

    Returns
    -------
    lr : float

    Examples
    --------
    >>> linear_warmup(0.5, 1.0, 2), linear_warmup(3, 1.0, 2)
    (0.25, 1.0)
    """
    linear_warmup_inputs(epoch, warmup_epochs, after)
    # TODO(a2_linear_warmup): during the warm-up scale base_lr by epoch / warmup_epochs;
    # afterwards return base_lr, or after(epoch - warmup_epochs) when after is given.
    ### BEGIN SOLUTION
    if epoch < warmup_epochs:
        lr = base_lr * epoch / warmup_epochs
    elif after is not None:
        lr = after(epoch - warmup_epochs)
    else:
        lr = base_lr
    ### END SOLUTION
    return float(lr)

"""Learning-rate schedules: values at chosen epochs, and their errors."""

import math
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs231n.schedules import cosine_decay, exponential_decay, linear_warmup, step_decay
from cs231n.validation import ConfigError


@pytest.mark.a2_step_decay
def test_step_decay_values():
    values = [step_decay(e, 1.0, 2) for e in (0, 1, 1.99, 2, 3.5, 4)]
    assert values == pytest.approx([1.0, 1.0, 1.0, 0.1, 0.1, 0.01])
    assert step_decay(5, 0.3, 5, gamma=0.5) == pytest.approx(0.15)


def test_exponential_decay_values():
    assert exponential_decay(0, 2.0, 0.5) == 2.0
    assert exponential_decay(2, 2.0, 0.5) == pytest.approx(0.5)
    assert exponential_decay(0.5, 1.0, 0.25) == pytest.approx(0.5)


@pytest.mark.a2_cosine_decay
def test_cosine_decay_values():
    assert cosine_decay(0, 1.0, 10) == pytest.approx(1.0)
    assert cosine_decay(5, 1.0, 10) == pytest.approx(0.5)
    assert cosine_decay(10, 1.0, 10, min_lr=0.1) == pytest.approx(0.1)
    assert cosine_decay(25, 1.0, 10, min_lr=0.1) == pytest.approx(0.1)
    # a quarter of the way: (1 + cos(pi / 4)) / 2
    assert cosine_decay(2.5, 1.0, 10) == pytest.approx((1 + math.cos(math.pi / 4)) / 2)


@pytest.mark.a2_cosine_decay
@given(e1=st.floats(0, 20), e2=st.floats(0, 20))
def test_cosine_decay_is_monotone(e1, e2):
    lo, hi = sorted((e1, e2))
    assert cosine_decay(lo, 1.0, 10, 0.01) >= cosine_decay(hi, 1.0, 10, 0.01)


@pytest.mark.a2_linear_warmup
def test_linear_warmup_values():
    assert linear_warmup(0, 1.0, 4) == 0.0
    assert linear_warmup(1, 1.0, 4) == pytest.approx(0.25)
    assert linear_warmup(4, 1.0, 4) == 1.0
    assert linear_warmup(9, 1.0, 4) == 1.0
    assert linear_warmup(3, 1.0, 0) == 1.0


@pytest.mark.a2_linear_warmup
def test_linear_warmup_hands_over_to_after_with_shifted_epoch():
    after = partial(cosine_decay, base_lr=1.0, total_epochs=6)
    assert linear_warmup(2, 1.0, 2, after=after) == pytest.approx(1.0)
    assert linear_warmup(5, 1.0, 2, after=after) == pytest.approx(0.5)  # after(3)
    assert linear_warmup(1, 1.0, 2, after=after) == pytest.approx(0.5)  # still warming up


@pytest.mark.parametrize(
    "call",
    [
        lambda: step_decay(-1, 1.0, 2),
        lambda: step_decay(1, 1.0, 0),
        lambda: cosine_decay(1, 1.0, 0),
        lambda: exponential_decay(1, 1.0, -0.5),
        lambda: linear_warmup(1, 1.0, -1),
        lambda: linear_warmup(1, 1.0, 2, after=0.5),
    ],
)
def test_invalid_arguments_raise(call):
    with pytest.raises(ConfigError):
        call()


def test_schedules_return_floats():
    for value in (step_decay(1, 1, 1), cosine_decay(1, 1, 2), linear_warmup(1, 1, 2)):
        assert type(value) is float

"""Shared test helpers: independent mpmath references for every activation, and the Hypothesis profile."""

from __future__ import annotations

import os

import mpmath
import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

_C = mpmath.mpf(44715) / 10**6


def _gelu_tanh(x):
    # x (1 + tanh u) / 2 written as x / (1 + e^(-2u)): the same number, without the
    # cancellation of 1 + tanh u that no working precision of 50 digits survives for u < -60.
    u = mpmath.sqrt(2 / mpmath.pi) * (x + _C * x**3)
    return x / (1 + mpmath.exp(-2 * u))


#: The activations written directly in mpmath, independent of symnet's code.
MP_REFERENCE = {
    "identity": lambda x: x,
    "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "tanh": mpmath.tanh,
    "relu": lambda x: max(mpmath.mpf(0), x),
    "leaky_relu": lambda x: x if x > 0 else x / 100,
    "elu": lambda x: x if x > 0 else mpmath.expm1(x),
    "softplus": lambda x: mpmath.log1p(mpmath.exp(x)),
    "silu": lambda x: x / (1 + mpmath.exp(-x)),
    "gelu": lambda x: x * mpmath.ncdf(x),
    "gelu_tanh": _gelu_tanh,
}


@pytest.fixture
def canary(tmp_path):
    """A path that must not exist after a hostile input was handled."""
    path = tmp_path / "CANARY"
    yield path
    assert not path.exists(), "hostile input ran code: the canary file was created"

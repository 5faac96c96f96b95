"""Shared test helpers: independent mpmath references for every activation, the Hypothesis profile, and
:func:`require` for the outside oracles (PyTorch, pdflatex, Chromium, bubblewrap)."""

from __future__ import annotations

import importlib
import os
import shutil

import mpmath
import pytest
from hypothesis import settings

#: True under CI (``CI=true``, as CI sets it): a missing oracle is then a failure, never a skip.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if IN_CI else "dev")

#: The programs the tests use as oracles, each with what installs it (``make test`` does, from the Makefile's
#: SYSTEM_PACKAGES). Any other name given to :func:`require` is a Python module.
PROGRAMS = {
    "pdflatex": "the Debian packages texlive-latex-base and texlive-latex-recommended",
    "chromium": "the Debian package chromium",
    "bwrap": "the Debian package bubblewrap",
}
#: What installs the Python modules the tests use as oracles.
MODULES = {
    "torch": "the [torch] extra, the CPU build of PyTorch",
    "playwright": "the [dev] extra",
}


def require(name: str, why: str):
    """The program's path (a name in :data:`PROGRAMS`) or the imported module, for a test that needs it for ``why``.

    When it is missing the test fails under CI (``make test`` installs every oracle there, so a missing
    one is a broken set-up, not a reason to pass) and is skipped elsewhere, with the reason. Called at
    the top of a module, it fails the module's collection under CI and skips the whole module elsewhere.
    """
    if name in PROGRAMS:
        found, source = shutil.which(name), PROGRAMS[name]
    else:
        try:
            found = importlib.import_module(name)
        except ImportError:
            found = None
        source = MODULES.get(name.split(".")[0], "pip")
    if found is None:
        message = f"{name} is not installed ({why}); make test installs it from {source}"
        if IN_CI:
            pytest.fail(f"{message}: missing in CI", pytrace=False)
        pytest.skip(message, allow_module_level=True)  # also at a module's top: all its tests skip
    return found

_C = mpmath.mpf(44715) / 10**6


def _gelu_tanh(x):
    # x (1 + tanh u) / 2 written as x / (1 + e^(-2u)): the same number, without the
    # cancellation of 1 + tanh u that no working precision of 50 digits survives for u < -60.
    u = mpmath.sqrt(2 / mpmath.pi) * (x + _C * x**3)
    return x / (1 + mpmath.exp(-2 * u))


def _gelu(x):
    # x Φ(x); far left, where mpmath's erfc overflows its series test (x = -1e300), the asymptotic series of
    # Mills' ratio: x Φ(x) = -φ(x) (1 - 1/x² + 3/x⁴ - ...), whose next term is below 1e-80 relative there.
    if x < -10**20:
        return -mpmath.npdf(x) * (1 - 1 / x**2 + 3 / x**4)
    return x * mpmath.ncdf(x)


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
    "gelu": _gelu,
    "gelu_tanh": _gelu_tanh,
}


@pytest.fixture
def canary(tmp_path):
    """A path that must not exist after a hostile input was handled."""
    path = tmp_path / "CANARY"
    yield path
    assert not path.exists(), "hostile input ran code: the canary file was created"

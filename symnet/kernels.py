"""Numerically stable NumPy kernels for the activations.

Each kernel takes a floating-point array and returns an array of the same
shape and dtype (float32 stays float32). NaN passes through; ±inf and extreme
finite inputs give the limit value without a RuntimeWarning.

These functions are the single numeric definition of each activation: the
activations' ``_numpycode`` prints a call to them, so compiled networks and
``Activation.numpy`` run the same code. Every kernel takes ``out=``, an array
for the result: ufunc-based kernels compute into it, the others copy into it.

Two devices keep them stable:

* tails are computed from functions that are accurate there (``expit``,
  ``log1p``, ``expm1``, ``ndtr`` = ½·erfc(−z/√2)) rather than from
  differences such as ``1 + erf(z)`` or ``1 + tanh(u)``, which cancel;
* where a formula would form ``-inf * 0`` (``z·σ(z)`` at z = −∞), the linear
  factor is clamped to the most negative finite float32, which changes no
  finite float32 or float64 result: the true value there underflows to −0.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import special

__all__ = [
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "softplus",
    "silu",
    "gelu",
    "gelu_tanh",
    "normal_cdf",
    "normal_pdf",
]

#: The most negative finite float32; clamping to it is exact in float64 too.
_MOST_NEGATIVE = -3.4028234663852886e38
#: Beyond |z| = 1e4 the GELU tanh approximation's sigmoid factor is 0 or 1 to
#: every floating precision (its argument exceeds 3e10), so the cubic term is
#: clipped there to keep it from overflowing.
_GELU_TANH_CLIP = 1.0e4
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_CUBIC = 0.044715


def _into(result, out):
    """``result``, written into ``out`` when one is given (kernels that cannot compute in place)."""
    if out is None or out is result:
        return result
    out[...] = result
    return out


def identity(z, out=None):
    r"""Identity: :math:`z`."""
    return _into(z, out)


def sigmoid(z, out=None):
    r"""Logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})`, via ``scipy.special.expit``."""
    return special.expit(z, out=out)


def tanh(z, out=None):
    r"""Hyperbolic tangent :math:`\tanh z`."""
    return np.tanh(z, out=out)


def relu(z, out=None):
    r"""ReLU :math:`\max(0, z)`; NaN propagates."""
    return np.maximum(z, 0, out=out)


def leaky_relu(z, slope=0.01, out=None):
    r"""Leaky ReLU: :math:`z` for :math:`z > 0`, :math:`a z` otherwise."""
    return _into(np.where(z > 0, z, slope * z), out)


def elu(z, alpha=1.0, out=None):
    r"""ELU: :math:`z` for :math:`z > 0`, :math:`\alpha(e^{z} - 1)` otherwise.

    ``expm1`` of ``min(z, 0)`` never overflows and keeps relative accuracy
    near 0.
    """
    return _into(np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0))), out)


def softplus(z, out=None):
    r"""Softplus :math:`\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})`.

    The second form never overflows, is accurate in both tails and passes NaN
    through silently (``numpy.logaddexp`` warns on NaN).
    """
    return _into(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))), out)


def _float64_inside(kernel):
    """Evaluate in float64 and round once to float32 for float32 input, so float32 results are correctly rounded."""

    @functools.wraps(kernel)
    def wrapper(z, *args, out=None):
        z = np.asarray(z)
        if z.dtype == np.float32:
            return _into(kernel(z.astype(np.float64), *args).astype(np.float32), out)
        return _into(kernel(z, *args), out)

    return wrapper


def _z_times(z, factor, log_factor, tail: float):
    r"""``z * factor(z)``, with :math:`-\exp(\log(-z) + \log f(z))` where ``z < tail``.

    Below ``tail`` the factor is subnormal in float64 while the product may
    still be a normal number; the log form keeps its relative accuracy.
    ``z = -inf`` gives -0 without a warning.
    """
    z = np.asarray(z)
    zc = np.maximum(z, _MOST_NEGATIVE)
    out = zc * factor(zc)
    left = z < tail
    if np.any(left):
        zl = np.maximum(z[left], -1.0e300)
        out[left] = -np.exp(np.log(-zl) + log_factor(zl))
    return out[()]


@_float64_inside
def silu(z):
    r"""SiLU (swish) :math:`z\,\sigma(z)`."""
    return _z_times(z, special.expit, special.log_expit, tail=-700.0)


def normal_cdf(z, out=None):
    r"""Standard normal CDF :math:`\Phi(z) = \tfrac12\operatorname{erfc}(-z/\sqrt2)`."""
    return special.ndtr(z, out=out)


def normal_pdf(z, out=None):
    r"""Standard normal density :math:`\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}`."""
    zc = np.clip(z, -1.0e5, 1.0e5)  # z**2 stays finite in float32 and float64
    return _into(np.exp(-0.5 * zc * zc) * _INV_SQRT_2PI, out)


@_float64_inside
def gelu(z):
    r"""Exact GELU :math:`z\,\Phi(z)`.

    :math:`\Phi` comes from ``scipy.special.ndtr`` (and ``log_ndtr`` in the far
    left tail), which evaluate :math:`\tfrac12\operatorname{erfc}(-z/\sqrt2)`
    and so keep full relative accuracy where
    :math:`\tfrac12(1 + \operatorname{erf}(z/\sqrt2))` would cancel to 0.
    """
    return _z_times(z, special.ndtr, special.log_ndtr, tail=-37.0)


def _gelu_tanh_inner(z):
    r""":math:`2u = 2\sqrt{2/\pi}\,(z + 0.044715 z^3)`, its cubic clipped where it cannot matter."""
    zc = np.clip(z, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
    return 2 * _SQRT_2_OVER_PI * (zc + _GELU_TANH_CUBIC * zc * zc * zc)


@_float64_inside
def gelu_tanh(z):
    r"""GELU, tanh approximation :math:`\tfrac12 z\,(1 + \tanh u)`, :math:`u = \sqrt{2/\pi}\,(z + 0.044715 z^3)`.

    Evaluated as :math:`z\,\sigma(2u)`, the same function by the identity
    :math:`1 + \tanh u = 2\sigma(2u)`, because :math:`1 + \tanh u` cancels for
    negative :math:`u`.
    """
    return _z_times(
        z,
        lambda v: special.expit(_gelu_tanh_inner(v)),
        lambda v: special.log_expit(_gelu_tanh_inner(v)),
        tail=-20.0,
    )

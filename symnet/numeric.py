"""Numeric evaluation: turning SymPy expressions into NumPy code.

Code comes from SymPy's printers (``lambdify``) and never from text: every
expression compiled here is a SymPy tree built by symnet or by the caller's
Python code, and formulas written by people reach it only through
:func:`symnet.parse.parse`, whose trees hold allowlisted heads only.
Activations print as calls to the stable kernels of :mod:`symnet.kernels`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy

from symnet.errors import SymnetError

__all__ = ["as_real_array", "compile_scalar", "MODULES"]

#: Namespaces for generated code, in lookup order: SciPy first, so ``erf``
#: is ``scipy.special.erf`` (NumPy alone would fall back to ``math.erf``).
MODULES = ["scipy", "numpy"]


def as_real_array(x, what: str = "input") -> np.ndarray:
    """``x`` as a float32 or float64 array: integers and booleans become float64, other kinds are refused."""
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind in "biu":
        return array.astype(np.float64)
    if array.dtype in (np.float32, np.float64):
        return array
    if kind == "f":
        raise SymnetError(
            f"{what} has dtype {array.dtype}; symnet computes in float32 or float64, convert it first"
        )
    raise SymnetError(f"{what} must be real numbers, got an array of dtype {array.dtype} ({_kind(kind)})")


def _kind(kind: str) -> str:
    return {"c": "complex", "O": "Python objects", "U": "strings", "S": "bytes", "M": "dates", "m": "time spans"}.get(
        kind, "not real numbers"
    )


def compile_scalar(expr: sympy.Expr, args: Sequence[sympy.Symbol]):
    """A NumPy function of ``args`` that evaluates ``expr`` elementwise with the stable kernels."""
    return sympy.lambdify(list(args), expr, modules=MODULES)  # reviewed: expr is a SymPy tree (never text); see the module docstring

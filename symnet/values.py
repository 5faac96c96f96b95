"""Numbers and matrices from user input, converted to SymPy without losing exactness.

* ``int``, ``fractions.Fraction``, ``decimal.Decimal`` and decimal strings
  (``"0.1"``, ``"-1.2e-3"``, ``"1/3"``) become exact :class:`sympy.Rational`;
  ``"0.1"`` is exactly 1/10.
* ``float`` and NumPy floats become :class:`sympy.Float` holding the binary
  value they are (``0.1`` is 0.1000000000000000055...); pass a string or a
  Fraction when the decimal is meant exactly.
* SymPy expressions (symbols, ``Rational``) pass through.

NaN, infinities, booleans and anything else are refused with an error that
names the value.
"""

from __future__ import annotations

import decimal
import fractions
import math
import numbers
import re

import numpy as np
import sympy
from sympy import Expr, Float, ImmutableMatrix, Integer, Rational

from symnet.errors import ShapeError, SymnetError

__all__ = ["exact", "exact_decimal", "matrix", "column"]

_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")
_FRACTION = re.compile(r"[+-]?\d+/\d+")
#: Longest decimal string accepted, and the largest decimal exponent: enough
#: for any real weight, small enough that no string can make a huge integer.
_MAX_DIGITS = 400
_MAX_EXPONENT = 400


def exact(value, what: str = "value") -> Expr:
    """Convert one number to SymPy: exact where the input is exact (see the module docstring)."""
    if isinstance(value, sympy.Basic):
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise SymnetError(f"{what} must be finite, got {value}")
        return value
    if isinstance(value, (bool, np.bool_)):
        raise SymnetError(f"{what} must be a number, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return Integer(int(value))
    if isinstance(value, fractions.Fraction):
        return Rational(value.numerator, value.denominator)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise SymnetError(f"{what} must be finite, got {value}")
        return _from_string(str(value), what)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise SymnetError(f"{what} must be finite, got {value!r}")
        return Float(number)
    if isinstance(value, str):
        return _from_string(value, what)
    raise SymnetError(f"{what} must be a number, got {value!r} of type {type(value).__name__}")


def half_unit(literal: str) -> Rational:
    """Half a unit of the last digit written, the precision a number claims: ``0.27`` → 1/200, ``1.5e-3`` → 1/20000, ``3`` → 1/2."""
    mantissa, _, exponent = str(literal).strip().lower().partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    try:
        power = int(exponent or 0) - decimals
    except ValueError:
        raise SymnetError(f"{literal!r} is not a decimal number") from None
    if abs(power) > _MAX_EXPONENT + _MAX_DIGITS:
        raise SymnetError(f"the precision of {literal!r} is beyond 10^±{_MAX_EXPONENT + _MAX_DIGITS}")
    return Rational(1, 2) * Rational(10) ** power


def as_sympy(value, what: str = "expression") -> sympy.Basic:
    """A SymPy object as it is, a Python number as SymPy; text is refused (it goes through :func:`symnet.parse`).

    The one place where symnet converts caller objects to SymPy: it never
    parses a string, so a formula can never reach SymPy's ``eval``-based
    string parser by this route.
    """
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (str, bytes)):
        raise SymnetError(f"{what} is text ({str(value)[:40]!r}): parse it with symnet.parse first")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Number, np.number)):
        raise SymnetError(f"{what} must be a SymPy expression or a number, got {type(value).__name__}")
    return sympy.sympify(value, strict=True)  # reviewed: a Python or NumPy number, never text (checked above)


def exact_decimal(value, what: str = "value") -> Expr:
    """Like :func:`exact`, but a Python float is taken as the decimal it prints as (``0.25`` is 1/4).

    For parameters a person types (an interval end, a threshold, a
    steepness), where 0.1 means one tenth rather than the binary float.
    """
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise SymnetError(f"{what} must be finite, got {value!r}")
        return Rational(repr(float(value)))
    return exact(value, what)


def _from_string(text: str, what: str) -> Rational:
    s = text.strip()
    if len(s) > _MAX_DIGITS:
        raise SymnetError(f"{what}: the number {s[:20]}... has over {_MAX_DIGITS} characters")
    if _FRACTION.fullmatch(s):
        num, den = s.split("/")
        if int(den) == 0:
            raise SymnetError(f"{what}: division by zero in {text!r}")
        return Rational(int(num), int(den))
    match = _DECIMAL.fullmatch(s)
    if not match:
        raise SymnetError(
            f"{what}: {text!r} is not a decimal number (examples: 3, -0.5, 1.2e-3, 1/3)"
        )
    if match.group(2) and abs(int(match.group(2)[1:])) > _MAX_EXPONENT:
        raise SymnetError(f"{what}: the exponent of {text!r} is beyond ±{_MAX_EXPONENT}")
    return Rational(s)


def matrix(values, shape: tuple[int, int], what: str) -> ImmutableMatrix:
    """A SymPy matrix of the given shape from nested lists, a NumPy array or a SymPy matrix.

    The error for a wrong shape states both shapes.
    """
    rows, cols = shape
    if isinstance(values, sympy.MatrixBase):
        got = values.shape
        entries = list(values)
    else:
        try:
            array = np.asarray(values, dtype=object)
        except ValueError as error:  # ragged nesting
            raise ShapeError(f"{what} is ragged: {error}") from None
        if array.ndim == 1 and cols == 1:
            array = array.reshape(-1, 1)
        got = array.shape
        entries = list(array.flat)
    if tuple(got) != (rows, cols):
        raise ShapeError(f"{what} has shape {_shape(got)}, expected {_shape((rows, cols))}")
    converted = [exact(v, what=f"{what} entry {k // cols + 1},{k % cols + 1}") for k, v in enumerate(entries)]
    return ImmutableMatrix(rows, cols, converted)


def column(values, length: int, what: str) -> ImmutableMatrix:
    """A column vector of the given length (a list, a 1-d array, or an n×1 matrix)."""
    if isinstance(values, sympy.MatrixBase) and values.shape == (1, length):
        values = values.T
    if not isinstance(values, sympy.MatrixBase):
        array = np.asarray(values, dtype=object)
        if array.ndim == 0:
            raise ShapeError(f"{what} must be a vector of length {length}, got the scalar {values!r}")
        if array.ndim == 1:
            values = array.reshape(-1, 1)
        elif array.ndim == 2 and array.shape[1] != 1 and array.shape[0] == 1:
            values = array.T
        else:
            values = array
    got = np.shape(values) if not isinstance(values, sympy.MatrixBase) else values.shape
    if tuple(got) != (length, 1):
        shown = got[0] if len(got) == 2 and got[1] == 1 else _shape(got)
        raise ShapeError(f"{what} has length {shown}, expected {length}")
    return matrix(values, (length, 1), what)


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"

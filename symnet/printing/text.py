"""Plain-text forms of SymPy values for terminals: intervals with their true brackets, numbers rounded for reading."""

from __future__ import annotations

import re

import mpmath
import sympy
from sympy import FiniteSet, Interval, S, Union

from symnet.values import as_sympy

__all__ = ["number_text", "set_text", "decimal_text", "value_text", "formula_text", "shortened"]

#: Integers with more digits than this print as a 15-digit float and their number of digits.
MAX_PRINTED_DIGITS = 1000


def shortened(expr):
    """``expr`` with every integer of more than :data:`MAX_PRINTED_DIGITS` digits written as a float:
    9^9999 prints as ``3.35…e+9541``, not 9,542 digits (nor Python's int-to-string error)."""
    expr = as_sympy(expr, "the expression")
    huge = {n: sympy.Float(mpmath.mpf(int(n.p)), 15) for n in expr.atoms(sympy.Integer)  # binary: no int-to-str
            if abs(n.p).bit_length() > MAX_PRINTED_DIGITS * 3.33}
    return expr.xreplace(huge) if huge else expr


def number_text(value, digits: int = 6) -> str:
    """An exact rational as is (``1/4``), ±oo as ``±∞``, anything else to ``digits`` significant digits."""
    value = as_sympy(value, "the number")
    if value is S.Infinity:
        return "∞"
    if value is S.NegativeInfinity:
        return "-∞"
    if value.is_Rational:
        return str(value)
    return f"{float(value):.{digits}g}"


def decimal_text(value) -> str | None:
    """``0.45`` for 9/20: the finite decimal expansion of a rational, or None when it has none (1/3)."""
    q = value.q
    for p in (2, 5):
        while q % p == 0:
            q //= p
    if q != 1:
        return None
    digits = 0
    while (value * 10**digits).q != 1:
        digits += 1
    scaled = abs(value.p) * (10**digits // value.q)
    text = str(scaled).rjust(digits + 1, "0")
    body = text if digits == 0 else f"{text[:-digits]}.{text[-digits:]}"
    return ("-" if value.p < 0 else "") + body


def value_text(value) -> str:
    """A computed value for a report: exact when short (``-0.5``, ``1/3``), else 10 significant digits; tuples in parentheses."""
    if isinstance(value, (tuple, sympy.Tuple)):
        return "(" + ", ".join(value_text(v) for v in value) + ")"
    value = as_sympy(value, "the value")
    if value.is_Rational and max(abs(value.p), value.q).bit_length() > MAX_PRINTED_DIGITS * 3.33:
        return sympy.sstr(shortened(value) if value.q == 1 else sympy.Float(mpmath.mpf(value.p) / value.q, 10))
    if value.is_Rational and (value.q == 1 or len(str(value)) <= 12):
        return decimal_text(value) or str(value)
    number = sympy.N(value, 10)
    return sympy.sstr(number) if number.is_real else str(number)


def set_text(s: sympy.Set, digits: int = 6) -> str:
    """``[0, ∞)``, ``(0, 1)``, ``{0}``, ``ℝ``: a set with the brackets that say which ends belong to it."""
    if s == S.Reals:
        return "ℝ"
    if s is S.EmptySet:
        return "∅"
    if isinstance(s, Interval):
        left = "(" if s.left_open or s.start is S.NegativeInfinity else "["
        right = ")" if s.right_open or s.end is S.Infinity else "]"
        return f"{left}{number_text(s.start, digits)}, {number_text(s.end, digits)}{right}"
    if isinstance(s, FiniteSet):
        return "{" + ", ".join(number_text(v, digits) for v in s) + "}"
    if isinstance(s, Union):
        return " ∪ ".join(set_text(part, digits) for part in s.args)
    return str(s)


#: SymPy's names of functions, as a reader writes them.
_READER_NAMES = {"Max": "max", "Min": "min", "Abs": "abs", "sigmoid": "σ", "relu": "ReLU", "normal_cdf": "Φ",
                 "ceiling": "ceil"}
_READER_NAME = re.compile(r"\b(" + "|".join(_READER_NAMES) + r")\(")


def formula_text(expr) -> str:
    """A formula in a reader's notation: ``1 - tanh(x)^2``, ``2·x``, ``max(0, z)``, ``σ(z)``, never Python's ``**``
    and ``*`` or SymPy's ``Max`` and ``sigmoid``."""
    text = sympy.sstr(as_sympy(expr, "the formula")).replace("**", "^").replace("*", "·")
    return _READER_NAME.sub(lambda m: _READER_NAMES[m.group(1)] + "(", text)

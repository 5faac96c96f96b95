"""Plain-text forms of SymPy values for terminals: intervals with their true brackets, numbers rounded for reading."""

from __future__ import annotations

import sympy
from sympy import FiniteSet, Interval, S, Union

from symnet.values import as_sympy

__all__ = ["number_text", "set_text"]


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

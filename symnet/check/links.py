r"""Deciding each link ``a REL b`` of a relation chain: true, false (with the correct value), or not checked.

Numbers
    both sides free of symbols are evaluated exactly (to 30 digits where
    they are not rational). ``=`` must hold exactly; ``\approx`` within half
    a unit of the last digit written on the right (``≈ 0.27`` allows 0.005).
Formulas in scalars
    an identity is proven by :func:`~symnet.analysis.proves_zero` on the
    difference rewritten into elementary functions. If that fails, the
    difference is evaluated at random rational points: a clear non-zero value
    makes the link false, with the point as a counterexample; otherwise it is
    not checked.
Formulas with matrices
    upper-case and bold symbols do not commute; the difference is expanded
    and must vanish as a non-commutative polynomial (so ``W_1 W_2`` in place
    of ``W_2 W_1`` is false).
Definitions
    a chain that starts with a lone symbol (``z = …``) defines it: that first
    link is not a claim. Links whose sides mention different unknowns
    (``\mathbf w^\top \mathbf x + b = 0.5 \cdot 2 + …``) depend on values the
    formula does not give and are not checked.

Every decision runs under a time limit.
"""

from __future__ import annotations

import random
import re

import sympy
from sympy import Expr

from symnet.activations import to_elementary
from symnet.analysis import proves_zero
from symnet.budget import TimeLimitError, TooLargeError, numeric_value, time_limit
from symnet.check.claims import FALSE, TRUE, UNCHECKED
from symnet.check.latex_math import Chain
from symnet.render.text import value_text
from symnet.values import half_unit

__all__ = ["decide_chain", "decide_bounded", "decide_link", "LINK_SECONDS"]

#: Time limit for deciding one link.
LINK_SECONDS = 5.0
#: Random points tried on an identity SymPy could not prove.
SAMPLE_POINTS = 8
_DIGITS = 30
_SYMBOLS = {"=": "=", "~": "≈", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "!=": "≠"}


def _lone(expr) -> bool:
    return isinstance(expr, (sympy.Symbol, sympy.Indexed))


def _written_tolerance(text: str):
    """Half a unit of the last digit of the last number written in ``text`` (``≈ 0.27`` allows 0.005)."""
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    return half_unit(numbers[-1]) if numbers else half_unit("0")


def _numeric(expr: Expr) -> Expr:
    return numeric_value(expr, _DIGITS)


def _compare_numbers(a: Expr, relation: str, b: Expr, right_text: str) -> tuple[str, str | None, str]:
    va, vb = _numeric(a), _numeric(b)
    if not (va.is_real and vb.is_real):
        return UNCHECKED, None, "a side is not a real number"
    if relation == "=":
        difference = a - b
        if difference.is_Rational:
            equal = difference == 0
        else:  # irrational values agree to all but the last few of 30 digits
            equal = abs(va - vb) <= sympy.Float(10) ** (5 - _DIGITS) * max(1, abs(va))
        return (TRUE, None, "exact arithmetic") if equal else (FALSE, value_text(a), f"the left side is {value_text(a)}")
    if relation == "~":
        tolerance = _written_tolerance(right_text)
        holds = abs(va - vb) <= tolerance
        detail = f"|{value_text(a)} − {value_text(b)}| {'≤' if holds else '>'} {value_text(tolerance)}, half a unit of the last written digit"
        return (TRUE if holds else FALSE), (None if holds else value_text(a)), detail
    holds = {"<": va < vb, "<=": va <= vb, ">": va > vb, ">=": va >= vb, "!=": va != vb}[relation]
    return (TRUE if holds else FALSE), None, f"{value_text(a)} {_SYMBOLS[relation]} {value_text(b)} is {'true' if holds else 'false'}"


def _sample(difference: Expr, symbols, rng: random.Random):
    """A point where ``difference`` is clearly non-zero, or None."""
    refused = None
    for _ in range(SAMPLE_POINTS):
        point = {s: sympy.Rational(rng.randint(-30, 30), 10) for s in symbols}
        try:
            value = numeric_value(difference, _DIGITS, "the difference at a random point", at=point)
        except TooLargeError as error:  # too large here; another point may do
            refused = error
            continue
        if value.is_real and abs(value) > 1e-12:
            return point, value
    if refused is not None:
        raise refused
    return None


def _depends(left, right) -> str:
    unknown = ", ".join(sorted(str(s) for s in (left ^ right)))
    return f"depends on the values of {unknown}, which the formula does not give"


def _compare_formulas(a: Expr, relation: str, b: Expr) -> tuple[str, str | None, str]:
    left, right = a.free_symbols, b.free_symbols
    if relation != "=":
        return UNCHECKED, None, f"a '{_SYMBOLS[relation]}' between formulas with unknowns"
    difference = a - b
    if not difference.is_commutative or any(not s.is_commutative for s in left | right):
        expanded = sympy.expand(difference)
        if expanded == 0:
            return TRUE, None, "equal as a product of matrices (non-commutative expansion)"
        if left == right:
            return FALSE, sympy.sstr(sympy.expand(a)), (
                f"as matrices the two sides differ by {sympy.sstr(expanded)} (matrix products do not commute)")
        return UNCHECKED, None, _depends(left, right)
    if proves_zero(to_elementary(difference)):
        return TRUE, None, "identity proven by SymPy"
    if left != right:
        return UNCHECKED, None, _depends(left, right)
    if difference.has(sympy.Sum):
        return UNCHECKED, None, "a sum with symbolic bounds SymPy could not simplify"
    witness = _sample(difference, sorted(left, key=str), random.Random(20261125))
    if witness is None:
        return UNCHECKED, None, f"equal at {SAMPLE_POINTS} random points, but not proven"
    point, value = witness
    at = ", ".join(f"{s} = {value_text(v)}" for s, v in point.items())
    left_side = sympy.sstr(a)
    return FALSE, left_side if len(left_side) <= 80 else None, f"not an identity: at {at} the sides differ by {value_text(value)}"


def decide_link(a: Expr, relation: str, b: Expr, right_text: str) -> tuple[str, str | None, str]:
    """``(status, correct value or None, detail)`` for one link."""
    if isinstance(a, sympy.Tuple) or isinstance(b, sympy.Tuple):
        if not (isinstance(a, sympy.Tuple) and isinstance(b, sympy.Tuple) and len(a) == len(b) and relation == "="):
            return UNCHECKED, None, "a tuple compared with something else"
        statuses = {decide_link(x, "=", y, "")[0] for x, y in zip(a, b)}  # entry by entry, as numbers or formulas
        if statuses == {TRUE}:
            return TRUE, None, "equal entry by entry"
        if FALSE in statuses:
            return FALSE, value_text(a), f"the left side is {value_text(a)}"
        return UNCHECKED, None, "an entry could not be decided"
    if not a.free_symbols and not b.free_symbols:
        return _compare_numbers(a, relation, b, right_text)
    return _compare_formulas(a, relation, b)


def decide_bounded(a: Expr, relation: str, b: Expr, right_text: str) -> tuple[str, str | None, str]:
    """:func:`decide_link` under :data:`LINK_SECONDS`; whatever SymPy cannot decide is reported, never raised."""
    try:
        with time_limit(LINK_SECONDS, "checking a link"):
            return decide_link(a, relation, b, right_text)
    except TimeLimitError:
        return UNCHECKED, None, f"deciding it took longer than {LINK_SECONDS:g} s"
    except TooLargeError as error:
        return UNCHECKED, None, str(error)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, AttributeError, RecursionError) as error:
        return UNCHECKED, None, f"SymPy could not decide it ({type(error).__name__})"


def decide_chain(chain: Chain) -> list[tuple[str, str, str | None, str]]:
    """``(claimed, status, correct value, detail)`` for every link that is a claim (definitions left out)."""
    if chain.error is not None:
        return [(chain.text, UNCHECKED, None, f"not translated: {chain.error}")]
    out, sides = [], chain.sides
    for k, (a, relation, b) in enumerate(chain.links):
        if k == 0 and _lone(a):
            continue  # ``z = …`` defines z
        claimed = f"{sides[k]} {_SYMBOLS[relation]} {sides[k + 1]}"
        out.append((claimed, *decide_bounded(a, relation, b, sides[k + 1])))
    return out

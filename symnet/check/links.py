r"""Reading each link ``a REL b`` of a relation chain as a claim, and deciding it with :func:`symnet.prove.decide`.

The decision itself is the prover's (exact arithmetic, proofs, refutation at
random points). What belongs to the reading of a document is decided here:

Written values
    a number written after "=" claims the value *rounded to the digits
    written*: :math:`(0.4 \cdot 0.5824 + 0.45 \cdot 0.5842) + 0.7 = 1.196` holds
    (the value is 1.19585, which rounds to 1.196 at 3 places); a value that
    is not the correct rounding is false, with the correct one as the
    correction. An integer after "=" claims an exact value when the left
    side is rational (``(5 \cdot 3) + 5 = 20``), a rounding otherwise; when
    the exact value is not an integer, the integer may be its integer part
    (a size: ``8/3 \cdot 4096 = 10922``), and the link is not checked. Two
    numbers written one after the other: the later rounds the earlier.
Rounded inputs
    worked examples show rounded intermediates but compute with more digits:
    a value within what the rounding of the decimals it is computed from
    allows (those of :data:`_ROUNDED_DIGITS` or more significant digits;
    every decimal beside an exact irrational value) holds —
    :math:`\tfrac12 (0.01 - 0.75136507)^2 = 0.274811083`.
Scales
    a value a thousand, a million … times the one written (``4 d^2 \approx
    67`` with the word "million" after the formula) is not checked.
Written precision
    ``\approx`` allows half a unit of the last digit written, exponent
    included (``≈ 0.27`` allows 0.005; ``≈ 4.5 \times 10^{-5}`` allows
    5·10^-7; ``≈ 1 \times 10^{-6}`` allows 5·10^-7).
Values the formula does not give
    a link whose sides mention different unknowns
    (``\mathbf w^\top \mathbf x + b = 0.5 \cdot 2 + …``) depends on values
    the formula does not give: unless it is proven anyway, it is not checked.
Inequalities between formulas
    depend on what the unknowns stand for: not checked.
Values at a kink
    two formulas that differ only at a kink (``H(0)`` taken as 0 or 1/2, a
    derivative at a corner) differ by a convention: not checked.

Every decision runs under :data:`LINK_SECONDS` (:data:`UNLIKE_SECONDS` when the sides have different
unknowns). Details and corrections are written in the reader's notation (``x^2``, ``2·x``, decimals
rather than fractions), never SymPy's.
"""

from __future__ import annotations

import random
import re

import sympy
from sympy import Expr, Rational
from sympy.core.function import AppliedUndef

from symnet.budget import TimeLimitError, TooLargeError, time_limit
from symnet.check.latex_math import TranslationError, with_decimals_free
from symnet.printing.text import decimal_text, formula_text, value_text
from symnet.prove import KINK_ONLY, RELATIONS, SEED, Status, Verdict, decide
from symnet.values import exact, half_unit

__all__ = ["decide_link", "written_number", "rounding_within", "LINK_SECONDS"]

#: Time limit for deciding one link, and for one whose sides have different unknowns.
LINK_SECONDS, UNLIKE_SECONDS = 5.0, 1.5
#: Digits to which a value is evaluated before it is rounded as the text rounds it.
_DIGITS = 40
#: Significant digits from which a decimal in a worked example is taken as a rounded intermediate (0.5824),
#: not as data given exactly (0.05, 0.45, 2.35: ``2.35 + 1.1 = 3.44`` is false).
_ROUNDED_DIGITS = 4

#: A number as LaTeX writes it: ``0.27``, ``-4.5 \times 10^{-5}`` (or ``\cdot``), or a bare power ``10^{-4}``.
_WRITTEN_NUMBER = re.compile(
    r"10\s*\^\s*(?:\{\s*(?P<power>[+-]?\d+)\s*\}|(?P<power_digit>\d))"
    r"|(?P<mantissa>\d+(?:\.\d+)?)"
    r"(?:\s*\\(?:times|cdot)\s*10\s*\^\s*(?:\{\s*(?P<exponent>[+-]?\d+)\s*\}|(?P<exponent_digit>\d)))?"
)


def _literal(match: re.Match) -> str:
    power = match["power"] or match["power_digit"]
    if power is not None:
        return f"1e{power}"
    exponent = match["exponent"] or match["exponent_digit"]
    return match["mantissa"] if exponent is None else f"{match['mantissa']}e{exponent}"


def _last_number(text: str) -> str | None:
    """The last number written in ``text``, whose last digit sets the tolerance, as a decimal literal.

    ``≈ 0.27`` → ``0.27``; ``≈ 4.5 \times 10^{-5}`` → ``4.5e-5`` (a unit of its last digit is 10^-6, not
    a unit of the exponent's digit); ``≈ 10^{-4}`` → ``1e-4``.
    """
    last = None
    for match in _WRITTEN_NUMBER.finditer(text):
        last = _literal(match)
    return last


def written_number(text: str) -> str | None:
    """The side's literal when the side is nothing but a written number (``0.5824``, ``-1.2 \\times 10^{-3}``)."""
    body = re.sub(r"\\[,;:! ]|\s|[{}]|\\left|\\right|\\boxed|\\fbox", "", text or "")
    negative = body.startswith("-")
    body = body.lstrip("+-")
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    match = _WRITTEN_NUMBER.fullmatch(body)
    if match is None:
        return None
    return ("-" if negative else "") + _literal(match)


def _places(literal: str) -> int:
    """Decimal places a literal claims, exponent included: ``0.5824`` → 4, ``4.5e-5`` → 6, ``20`` → 0."""
    mantissa, _, exponent = literal.lstrip("-").partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return decimals - int(exponent or 0)


def _rounded_text(value: Expr, places: int) -> str:
    """``value`` rounded to ``places`` decimal places, written as a reader writes it."""
    scaled = sympy.Integer(sympy.floor(value * Rational(10) ** places + Rational(1, 2)))
    if places <= 0:
        return str(scaled * 10 ** (-places))
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _carried(value: Expr, inputs_text: str, every: bool = False) -> Rational:
    r"""How far ``value`` may move when each decimal written in ``inputs_text`` is only its rounding.

    Worked examples show rounded intermediates but compute with more digits: in
    :math:`\tfrac12 (0.01 - 0.75136507)^2 = 0.274811083` the 0.75136507 stands for 0.7513650695…, and
    the result is right. To first order the value moves by :math:`\sum_i |\partial v / \partial x_i| \, u_i / 2`,
    :math:`u_i` a unit of the last digit of the i-th decimal written.
    """
    try:
        symbolic, decimals = with_decimals_free(inputs_text)
    except TranslationError:
        return Rational(0)
    if not decimals or symbolic.free_symbols != set(decimals):
        return Rational(0)  # the text is not the whole computation (values flowed in): nothing carried
    return _spread(symbolic, decimals, every) or Rational(0)


def _spread(symbolic: Expr, values: dict, every: bool = False) -> Rational | None:
    r""":math:`\sum_i |\partial v / \partial x_i| \, u_i / 2` over the values with :data:`_ROUNDED_DIGITS` or more
    significant digits; None when a slope is not a real number."""
    spread = 0
    for x, number in values.items():
        written = decimal_text(number) if number.is_Rational else None
        if written is None or not every and len(written.lstrip("-").replace(".", "").lstrip("0")) < _ROUNDED_DIGITS:
            continue  # 0.01, 0.45: data as given, not a rounded intermediate
        slope = sympy.N(sympy.diff(symbolic, x).xreplace(values), 15)
        if not (slope.is_Float or slope.is_zero):
            return None
        spread += abs(slope) * half_unit(written)
    return sympy.Rational(str(sympy.N(spread, 15)))


def rounding_within(symbolic: Expr, values: dict, literal: str) -> Verdict | None:
    """A proof that ``symbolic`` at ``values`` is ``literal`` within the rounding of the values, which a worked
    example wrote rounded after computing with more digits; None otherwise."""
    value = symbolic.xreplace(values)
    spread = _spread(symbolic, values) if value.is_number else None
    if not spread:
        return None
    verdict = _rounding(value, literal, extra=spread)
    return verdict if verdict is not None and verdict.status is Status.PROVEN else None


def _rounding(value: Expr, literal: str, other_text: str = "the left side", inputs_text: str = "",
              extra: Rational = Rational(0)) -> Verdict | None:
    """The verdict on ``value = literal`` read as "the value, rounded to the digits written"; None when not numbers."""
    written = exact(literal)
    if not value.is_number:
        return None
    places = _places(literal)
    if value.is_Rational:
        if value == written:
            return Verdict(Status.PROVEN, "exact arithmetic")
        if places <= 0 and "." not in literal and "e" not in literal:  # an integer claims an exact rational value
            if not value.is_integer and written in (sympy.floor(value), sympy.floor(value + Rational(1, 2))):
                return Verdict(Status.UNCHECKED, f"{other_text} is {_as_decimal(value)}: the integer written may be "
                                                 "its integer part (a size, a count) or its rounding")
            return _scaled(value, written) or Verdict(Status.FALSE, f"{other_text} is {_as_decimal(value)}",
                                                      _as_decimal(value))
        exact_value = value
    else:
        approximate = sympy.N(value, _DIGITS + max(0, places))
        if not approximate.is_Float:  # complex, infinite or undefined: the prover says what it is
            return None
        exact_value = sympy.Rational(str(approximate))
    if _double_precision(exact_value, literal):
        return Verdict(Status.PROVEN, f"{value_text(value)}, as double precision prints it")
    if _float_digits(literal) and abs(exact_value - written) <= Rational(1, 10**14) * max(1, abs(exact_value)):
        return Verdict(Status.UNCHECKED, f"{other_text} is {value_text(value)}; the value written looks like a "
                                         "program's floating-point output (0.1 + 0.2 = 0.30000000000000004)")
    unit = Rational(10) ** (-places)
    how = (f"{places} place{'s' if places != 1 else ''}" if places > 0 else "an integer" if places == 0
           else f"a multiple of 10^{-places}")
    if abs(exact_value - written) <= unit / 2:
        return Verdict(Status.PROVEN, f"{value_text(value)}, rounded to {how}")
    carried = extra or _carried(value, inputs_text)
    if carried and abs(exact_value - written) <= unit / 2 + carried:
        return Verdict(Status.PROVEN, f"{value_text(value)}, rounded to {how}, within ±{value_text(carried)} "
                                      "that the rounding of the numbers it is computed from allows")
    correct = _rounded_text(exact_value, places)
    if sympy.Rational(correct) == 0 or correct.lstrip("-") == literal.lstrip("-"):
        correct = value_text(value)  # rounded to the digits written it would vanish or repeat the claim
    return _scaled(exact_value, written) or Verdict(Status.FALSE, f"{other_text} is {value_text(value)}", correct)


def _float_digits(literal: str) -> bool:
    """Whether a literal has the 15 or more significant digits a program prints for a double."""
    return len(literal.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) >= 15


def _double_precision(value: Rational, literal: str) -> bool:
    """``2/3 = 0.6666666666666666``: a program's output, the nearest double to the value, printed in full."""
    return _float_digits(literal) and float(value) == float(literal)


def _scaled(value: Rational, written: Rational) -> Verdict | None:
    """Not checked when the written number is the value in thousands, millions, … (``≈ 67`` million)."""
    for power, word in ((3, "thousands"), (6, "millions"), (9, "billions"), (12, "trillions")):
        if written != 0 and abs(value / Rational(10) ** power - written) <= abs(written) / 20:
            return Verdict(Status.UNCHECKED, f"the value is {value_text(value)}: the text may count in {word}")
    return None


def _depends(a: Expr, b: Expr) -> str:
    unknown = ", ".join(sorted(formula_text(s) for s in (a.free_symbols ^ b.free_symbols)))
    return f"depends on the values of {unknown}, which the formula does not give"


#: An exact fraction in a detail (``387/2887``), written as a decimal for the reader; not ``∂E/∂w`` or ``w_1/2``.
_FRACTION = re.compile(r"(?<![\w./^])(-?\d+)/(\d+)(?![\w./])")


def _as_decimal(value: Rational) -> str:
    """``0.25`` for 1/4, ``0.1340470731`` for 387/2887: the finite decimal, else ten significant digits."""
    return decimal_text(value) or sympy.sstr(sympy.N(value, 10))


def _reader_words(verdict: Verdict) -> Verdict:
    """Details without SymPy's words for infinities and undefined values."""
    detail = re.sub(r"\bzoo\b", "∞ (a division by zero)", verdict.detail)
    detail = _FRACTION.sub(lambda m: _as_decimal(Rational(int(m[1]), int(m[2]))), detail)  # 387/2887 → 0.1340470731
    detail = re.sub(r"\bnan\b", "undefined", detail)
    detail = detail.replace("True has no value", "a piecewise formula has no value there")
    detail = detail.replace("**", "^").replace("*", "·")
    correct = verdict.correct
    if correct is not None and ("**" in correct or "zoo" in correct or "nan" in correct):
        correct = None
    return Verdict(verdict.status, detail, correct)


def decide_link(a, relation: str, b, right_text: str = "", left_text: str = "",
                seconds: float = LINK_SECONDS) -> Verdict:
    """The verdict on one link as a document means it (see the module docstring), within ``seconds``."""
    formulas = isinstance(a, sympy.Basic) and isinstance(b, sympy.Basic) and bool(a.free_symbols or b.free_symbols)
    if formulas and relation != "=":
        return Verdict(Status.UNCHECKED, f"a '{RELATIONS[relation]}' between formulas with unknowns")
    if relation == "=" and not formulas and isinstance(a, Expr) and isinstance(b, Expr):
        try:
            with time_limit(seconds, "rounding the value"):
                rounded = _written_rounding(a, b, left_text, right_text)
        except (TimeLimitError, TooLargeError, ArithmeticError, ValueError, TypeError):
            rounded = None  # the prover decides it, within its own limits
        if rounded is not None:
            return _reader_words(rounded)
    if not formulas and isinstance(a, Expr) and isinstance(b, Expr) and relation in ("=", "~") and (
            a.has(sympy.oo, -sympy.oo, sympy.zoo) != b.has(sympy.oo, -sympy.oo, sympy.zoo)):
        return Verdict(Status.UNCHECKED, "one side is infinite, the other finite: the text may mean an overflow "
                                         "in floating point (e^{1000} = ∞ in float64)")
    if formulas and a.free_symbols != b.free_symbols:  # at best proven by a cancellation: seldom worth the full time
        seconds = min(seconds, UNLIKE_SECONDS)
    verdict = decide(a, relation, b, rng=random.Random(SEED), written=_last_number(right_text) or "0",
                     seconds=seconds)
    literal = written_number(right_text)
    if verdict.status is Status.FALSE and relation == "~" and not formulas and literal is not None:
        value = sympy.N(a, _DIGITS)  # the prover has just evaluated it
        if value.is_Float and abs(value) < sympy.Float(10) ** 300:  # a correction the reader can read
            value = sympy.Rational(str(value))
            verdict = _scaled(value, exact(literal)) or Verdict(verdict.status, verdict.detail,
                                                                  _rounded_text(value, _places(literal)))
    if formulas and verdict.status in (Status.FALSE, Status.NUMERIC) and a.free_symbols != b.free_symbols:
        return Verdict(Status.UNCHECKED, _depends(a, b))
    if verdict.status is Status.FALSE and verdict.detail.startswith(KINK_ONLY):
        return Verdict(Status.UNCHECKED, f"{verdict.detail.removeprefix('not an identity: ')}: only there, where the "
                                         "value is a convention (a step's value at its jump, a derivative at a corner)")
    if verdict.status is Status.FALSE and formulas:
        correct = formula_text(a) if isinstance(a, Expr) else None
        computed = any(mark in left_text for mark in (r"\frac{d", r"\partial", "'", r"\prime", r"\dfrac{d")) or (
            isinstance(a, Expr) and not a.is_commutative)  # a derivative's value, or a product in its true order
        keep = (computed and correct is not None and len(correct) <= 60 and correct != formula_text(b)
                and not a.has(AppliedUndef))  # a derivative's value; a side as written needs no correction
        verdict = Verdict(verdict.status, verdict.detail, correct if keep else None)
    return _reader_words(verdict)


def _written_rounding(a: Expr, b: Expr, left_text: str, right_text: str) -> Verdict | None:
    """Rounding semantics when one side is a written number: it rounds the other side (two numbers written: the
    later, with no more digits, rounds the earlier); two computations agree within what the rounding of the
    decimals written in them allows."""
    right, left = written_number(right_text), written_number(left_text)
    if right is not None and left is not None and _places(left) < _places(right):
        return None  # 1 = 1.01: a later value with more digits rounds nothing; the values must be equal
    if right is not None:
        return _rounding(a, right, "the left side", left_text)
    if left is not None:  # 0.5824 = \sigma(0.3325): the number written first rounds the value after it
        return _rounding(b, left, "the right side", right_text)
    # beside an exact irrational value (σ(0.25)·(1 − σ(0.25)) = 0.56·0.44), every decimal is a rounded stand-in
    spread = _carried(a, left_text, every=not b.is_Rational) + _carried(b, right_text, every=not a.is_Rational)
    if spread and a.is_number and b.is_number:
        gap = abs(sympy.N(a - b, _DIGITS))
        if gap.is_Float and gap <= spread:
            return Verdict(Status.PROVEN, f"the sides differ by {value_text(gap)}, within ±{value_text(spread)} that "
                                          "the rounding of the numbers written allows")
    return None

r"""The one decider of ``lhs REL rhs``, for derivations and for the checker alike.

:func:`decide` returns a :class:`Verdict` whose :class:`Status` says how the
claim was settled:

``proven``
    by exact arithmetic on numbers, or by a symbolic proof: the difference
    reduces to 0 (``expand``, ``cancel``, ``simplify``; piece by piece between
    the kinks of a function of one real variable, see :mod:`symnet.analysis`),
    matrices entry by entry or as non-commutative products, an inequality by
    the infimum of ``rhs - lhs`` over ℝ, a product bound by bounding one
    factor, a contradiction by a Farkas certificate;
``numeric``
    not proven, but equal at :data:`NUMERIC_POINTS` random rational points
    drawn from a generator seeded with the recorded seed (or two irrational
    numbers that agree to 25 of 30 digits, or an inequality whose critical
    point was found numerically);
``false``
    refuted: exact arithmetic, or a counterexample (a point where the sides
    differ); :attr:`Verdict.correct` holds the right value where there is one;
``unchecked``
    beyond what symnet can decide, with the reason; never raised;
``definition``
    ``:=`` — nothing to prove (a matrix defined by one of another shape is false).

Two more statuses are given by :meth:`symnet.derive.Derivation.verify`, never
by :func:`decide`: a derivation builds both sides of its steps itself, so a
step whose two sides are the same expression once SymPy evaluates them
(``doit()``) cannot fail and is not a proof. It is reported as ``computed``
(a formula: it shows what SymPy computed) or ``arithmetic`` (numbers, by exact
arithmetic).

Relations: ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``~`` (≈, within a
tolerance: given, or half a unit of the last digit of the literal the claim
was written with), ``=>`` (a contradiction, with a certificate) and ``:=``.

>>> from sympy import Rational, Symbol, exp
>>> decide(Rational(3, 2) - 1, "=", Rational(1, 2)).status
<Status.PROVEN: 'proven'>
>>> z = Symbol("z")
>>> decide((z + 1) ** 2, "=", z**2 + 2 * z + 1).detail
'the difference simplifies to 0'
>>> verdict = decide((z + 1) ** 2, "=", z**2 + z + 1)
>>> verdict.status, verdict.correct
(<Status.FALSE: 'false'>, '(z + 1)**2')
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from enum import Enum

import sympy
from sympy import Expr, MatrixExpr, MatrixSymbol, Rational, S

from symnet.analysis import equal_on_reals, kinks, profile, proves_zero
from symnet.budget import TimeLimitError, TooLargeError, numeric_value, time_limit
from symnet.functions import to_elementary
from symnet.printing.text import value_text
from symnet.values import half_unit

__all__ = ["Status", "Verdict", "decide", "SEED", "NUMERIC_POINTS", "RELATIONS", "DECIDE_SECONDS", "KINK_ONLY"]

#: The seed of every random choice the prover makes, unless the caller passes a generator.
SEED = 20261125
#: Random rational points tried when an identity cannot be proven symbolically.
NUMERIC_POINTS = 20
#: Default time limit of one decision.
DECIDE_SECONDS = 30.0
#: Digits of the numeric evaluations.
DIGITS = 30
#: How a refutation at a kink begins (a reader of documents treats it as a convention, see symnet.check.links).
KINK_ONLY = "not an identity: at the kink"
#: Up to this many premises, every pairing of a certificate's multipliers with them is tried.
MAX_PAIRED = 6
#: The relations :func:`decide` knows, as a person writes them.
RELATIONS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "~": "≈", "=>": "⇒", ":=": "≔"}


class Status(str, Enum):
    """How a claim was settled (the value is the word used in reports and JSON)."""

    PROVEN = "proven"
    NUMERIC = "numeric"
    FALSE = "false"
    UNCHECKED = "unchecked"
    DEFINITION = "definition"
    #: A derivation's step that shows what SymPy computed (both sides the same after ``doit()``).
    COMPUTED = "computed"
    #: A derivation's step about numbers, settled by exact arithmetic.
    ARITHMETIC = "arithmetic"

    @property
    def holds(self) -> bool:
        """True unless false or unchecked: nothing speaks against the claim."""
        return self not in (Status.FALSE, Status.UNCHECKED)

    @property
    def mark(self) -> str:
        return _MARKS[self]

    @property
    def label(self) -> str:
        """The words a report uses: ``proven``, ``computed by SymPy``, ``not checked``, …"""
        return _LABELS.get(self, self.value)

    def __str__(self) -> str:
        return self.value


_MARKS = {Status.PROVEN: "✓", Status.NUMERIC: "≈", Status.FALSE: "✗", Status.UNCHECKED: "?", Status.DEFINITION: "·",
          Status.COMPUTED: "→", Status.ARITHMETIC: "="}
_LABELS = {Status.COMPUTED: "computed by SymPy", Status.UNCHECKED: "not checked", Status.NUMERIC: "numeric evidence"}


@dataclass(frozen=True)
class Verdict:
    """The decision on one claim: its :class:`Status`, a one-line reason, and the right value when the claim is false."""

    status: Status
    detail: str
    correct: str | None = None

    @property
    def holds(self) -> bool:
        return self.status.holds


def _verdict(status: Status, detail: str, correct: str | None = None) -> Verdict:
    return Verdict(status, detail, correct)


def decide(lhs, relation: str, rhs, *, rng: random.Random | None = None, tolerance=None, written: str | None = None,
           certificate=None, except_at_kinks: bool = False, seconds: float = DECIDE_SECONDS) -> Verdict:
    """Decide ``lhs relation rhs`` (see the module docstring); never raises for what SymPy cannot do.

    ``rng`` drives the random points (default: seeded with :data:`SEED`);
    ``tolerance`` bounds ``|lhs - rhs|`` for ``~``, else ``written`` (the
    literal as written, e.g. ``"0.27"``) gives half a unit of its last digit;
    ``certificate`` holds the multipliers of a ``=>`` contradiction;
    ``except_at_kinks`` proves an ``=`` on each side of the kinks only (a
    derivative's value at a kink is a convention).
    """
    if relation not in RELATIONS:
        return _verdict(Status.UNCHECKED, f"unknown relation {relation!r}")
    if relation == ":=":
        if _is_matrix(lhs) and _is_matrix(rhs) and lhs.shape != rhs.shape:
            return _verdict(Status.FALSE, f"defines a matrix of shape {lhs.shape} as one of shape {rhs.shape}")
        return _verdict(Status.DEFINITION, "a definition")
    rng = rng if rng is not None else random.Random(SEED)
    try:
        with time_limit(seconds, "deciding the claim"):
            return _decide(lhs, relation, rhs, rng, tolerance, written, certificate, except_at_kinks)
    except TimeLimitError:
        return _verdict(Status.UNCHECKED, f"deciding it took longer than {seconds:g} s")
    except TooLargeError as error:
        return _verdict(Status.UNCHECKED, str(error))
    except Exception as error:  # SymPy's own failures are many (StopIteration in sum_simplify, PolynomialError...)
        return _verdict(Status.UNCHECKED, f"SymPy could not decide it ({type(error).__name__}: {str(error)[:80]})")


def _decide(lhs, relation, rhs, rng, tolerance, written, certificate, except_at_kinks) -> Verdict:
    if relation == "=>":
        return _certificate(lhs, rhs, certificate)
    if isinstance(lhs, (tuple, sympy.Tuple)) or isinstance(rhs, (tuple, sympy.Tuple)):
        return _tuples(lhs, relation, rhs, rng)
    if isinstance(lhs, sympy.Set) or isinstance(rhs, sympy.Set):
        return _sets(lhs, relation, rhs)
    if _is_matrix(lhs) or _is_matrix(rhs):
        return _matrices(lhs, relation, rhs, rng)
    if isinstance(lhs, sympy.Product) and relation in ("<", "<="):
        return _product_bound(lhs, rhs, strict=relation == "<")
    lhs, rhs = sympy.sympify(lhs, strict=True), sympy.sympify(rhs, strict=True)  # reviewed: strict=True converts numbers and SymPy objects only, never text
    if not lhs.free_symbols and not rhs.free_symbols:
        return _numbers(lhs, relation, rhs, tolerance, written)
    if not lhs.is_commutative or not rhs.is_commutative:
        return _noncommutative(lhs, relation, rhs)
    if relation == "=":
        return _identity(lhs, rhs, rng, except_at_kinks)
    if relation in ("<", "<=", ">", ">="):
        return _inequality(lhs, relation, rhs)
    return _verdict(Status.UNCHECKED, f"'{RELATIONS[relation]}' between formulas with unknowns is not decided")


# --- numbers -----------------------------------------------------------------------------------


def _tolerance(tolerance, written: str | None):
    if tolerance is not None:
        return sympy.sympify(tolerance, strict=True)  # reviewed: a number given by symnet's caller, never text
    return half_unit(written) if written else S.Zero


def _numbers(a: Expr, relation: str, b: Expr, tolerance, written) -> Verdict:
    """Exact arithmetic where both sides are rational, 30-digit evaluation (bounded) otherwise."""
    if a.is_infinite or b.is_infinite:
        holds = {"=": a == b, "~": a == b, "!=": a != b}.get(relation)
        if holds is None:
            return _verdict(Status.UNCHECKED, "an inequality with an infinite side")
        return _verdict(Status.PROVEN if holds else Status.FALSE, f"{value_text(a)} and {value_text(b)}",
                        None if holds else value_text(a))
    if a.is_Rational and b.is_Rational:  # exact: no evaluation, whatever their size (9^9999 = 1 is false)
        va, vb = a, b
    else:
        va, vb = numeric_value(a, DIGITS, "the left side"), numeric_value(b, DIGITS, "the right side")
    if not (va.is_real and vb.is_real):
        return _verdict(Status.UNCHECKED, "a side is not a real number")
    difference = a - b
    exact = difference.is_Rational
    if relation == "~":
        allowed = _tolerance(tolerance, written)
        distance = abs(difference) if exact else abs(va - vb)
        holds = bool(distance <= allowed)
        detail = f"|{value_text(a)} − {value_text(b)}| {'≤' if holds else '>'} {value_text(allowed)}"
        if tolerance is None and written:
            detail += ", half a unit of the last written digit"
        return _verdict(Status.PROVEN if holds else Status.FALSE, detail, None if holds else value_text(a))
    if relation in ("=", "!="):
        if exact:
            equal = difference == 0
            how, status = "exact arithmetic", Status.PROVEN
        elif proves_zero(to_elementary(difference)):
            equal, how, status = True, "the difference simplifies to 0", Status.PROVEN
        else:  # irrational values that agree to all but the last few of 30 digits: not a proof
            equal = bool(abs(va - vb) <= sympy.Float(10) ** (5 - DIGITS) * max(1, abs(va)))
            how = f"the values agree to {DIGITS - 5} digits" if equal else "the values differ"
            status = Status.NUMERIC if equal else Status.PROVEN
        if relation == "=":
            if equal:
                return _verdict(status, how)
            return _verdict(Status.FALSE, f"the left side is {value_text(a)}", value_text(a))
        if equal and status is Status.NUMERIC:  # agreement to 25 digits is no proof of equality
            return _verdict(Status.UNCHECKED, f"{how}, but that does not prove them equal")
        if equal:
            return _verdict(Status.FALSE, "the two sides are equal")
        return _verdict(Status.PROVEN, f"the two sides differ by {value_text(difference)}")
    key = difference if exact else va - vb
    holds = bool({"<": key < 0, "<=": key <= 0, ">": key > 0, ">=": key >= 0}[relation])
    return _verdict(Status.PROVEN if holds else Status.FALSE,
                    f"{value_text(a)} {RELATIONS[relation]} {value_text(b)} is {'true' if holds else 'false'}")


# --- identities --------------------------------------------------------------------------------


def _proves_equal(a: Expr, b: Expr, except_at_kinks: bool) -> bool:
    """A symbolic proof of ``a == b``: piece by piece between kinks for one real variable, else by simplification."""
    a, b = a.doit(), b.doit()
    difference = to_elementary(a - b)
    free = difference.free_symbols
    if len(free) == 1:
        (z,) = free
        real = sympy.Dummy(str(z), real=True)
        left, right = to_elementary(a).xreplace({z: real}), to_elementary(b).xreplace({z: real})
        if kinks(left - right, real):
            return equal_on_reals(left, right, real, at_kinks=not except_at_kinks)
    return proves_zero(difference)


def _identity(a: Expr, b: Expr, rng: random.Random, except_at_kinks: bool) -> Verdict:
    a, b = a.doit(), b.doit()
    if _proves_equal(a, b, except_at_kinks):
        if except_at_kinks:
            return _verdict(Status.PROVEN, "equal on each side of the kinks; at a kink the value is a convention")
        return _verdict(Status.PROVEN, "the difference simplifies to 0")
    if except_at_kinks:
        return _verdict(Status.FALSE, "not equal on both sides of the kinks")
    at_kink = _differ_at_a_kink(a, b) if _proves_equal(a, b, True) else None  # equal between the kinks only
    if at_kink:
        return _verdict(Status.FALSE, at_kink)
    if (a - b).has(sympy.Sum):
        return _verdict(Status.UNCHECKED, "a sum with symbolic bounds SymPy could not simplify")
    return _sampled(a, b, rng, "SymPy did not reduce the difference to 0")


def _differ_at_a_kink(a: Expr, b: Expr) -> str | None:
    """For one real variable: a kink where the two sides have different values (random points miss kinks).

    Called for sides proven equal between the kinks: the claim then fails at a kink only, and the text says so.
    """
    free = (a - b).free_symbols
    if len(free) != 1:
        return None
    (z,) = free
    real = sympy.Dummy(str(z), real=True)
    left, right = to_elementary(a).xreplace({z: real}), to_elementary(b).xreplace({z: real})
    for point in kinks(left - right, real):
        if not point.is_Rational:
            continue
        u = numeric_value(left, DIGITS, "the left side at a kink", at={real: point})
        v = numeric_value(right, DIGITS, "the right side at a kink", at={real: point})
        if u.is_real and v.is_real and abs(u - v) > sympy.Float(10) ** (10 - DIGITS) * max(1, abs(u), abs(v)):
            exact = [side.xreplace({real: point}) for side in (left, right)]  # rational where SymPy evaluates it
            shown = [e if e.is_Rational else n for e, n in zip(exact, (u, v))]
            return f"{KINK_ONLY} {z} = {point} the sides are {value_text(shown[0])} and {value_text(shown[1])}"
    return None


def _random_rational(rng: random.Random) -> Rational:
    return Rational(rng.randint(-40, 40), rng.randint(1, 9))


def _seed_note(rng: random.Random) -> str:
    seed = getattr(rng, "seed_value", None)
    return f"seed {seed}" if seed is not None else "seeded generator"


def _sampled(a: Expr, b: Expr, rng: random.Random, reason: str) -> Verdict:
    """Random rational points: a clear difference refutes the identity, agreement everywhere is numeric evidence."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    refused = None
    for _ in range(NUMERIC_POINTS):
        point = {s: _random_rational(rng) for s in symbols}
        try:
            left = numeric_value(a, DIGITS, "the left side at a random point", at=point)
            right = numeric_value(b, DIGITS, "the right side at a random point", at=point)
        except TooLargeError as error:  # too large here; another point may do
            refused = error
            continue
        if not (left.is_real and right.is_real):
            continue
        gap = abs(left - right)
        if gap > sympy.Float(10) ** (10 - DIGITS) * max(1, abs(left), abs(right)):
            at = ", ".join(f"{s} = {value_text(v)}" for s, v in point.items())
            shown = sympy.sstr(a)
            return _verdict(Status.FALSE, f"not an identity: at {at} the sides differ by {value_text(left - right)}",
                            shown if len(shown) <= 80 else None)
    if refused is not None:
        raise refused
    return _verdict(Status.NUMERIC, f"{reason}; equal at {NUMERIC_POINTS} random rational points ({_seed_note(rng)})")


def _noncommutative(a: Expr, relation: str, b: Expr) -> Verdict:
    """Products of matrices written as non-commutative symbols: the difference must expand to 0."""
    if relation != "=":
        return _verdict(Status.UNCHECKED, f"'{RELATIONS[relation]}' between matrix expressions is not decided")
    expanded = sympy.expand(a - b)
    if expanded == 0:
        return _verdict(Status.PROVEN, "equal as a product of matrices (non-commutative expansion)")
    if expanded.atoms(sympy.Function):  # σ(wᵀx + b) against 1/(1 + e^{-(wᵀx + b)}): expansion cannot tell
        if sympy.expand(to_elementary(a) - to_elementary(b)) == 0:
            return _verdict(Status.PROVEN, "equal once the functions are written out (non-commutative expansion)")
        return _verdict(Status.UNCHECKED, "functions of matrix expressions: not compared")
    return _verdict(Status.FALSE, f"as matrices the two sides differ by {sympy.sstr(expanded)} (matrix products do not commute)",
                    sympy.sstr(sympy.expand(a)))


# --- inequalities ------------------------------------------------------------------------------


def _inequality(lhs: Expr, relation: str, rhs: Expr) -> Verdict:
    """One variable: the infimum of the slack over ℝ (``rhs - lhs`` for ``<``, ``<=``)."""
    small, large = (lhs, rhs) if relation in ("<", "<=") else (rhs, lhs)
    strict = relation in ("<", ">")
    difference = to_elementary(large - small)
    free = difference.free_symbols
    if not free:  # the unknowns cancel: a claim about a number
        return _numbers(difference, ">" if strict else ">=", S.Zero, None, None)
    if len(free) != 1:
        return _verdict(Status.UNCHECKED, f"inequalities in {len(free)} variables are not decided")
    (z,) = free
    real = sympy.Dummy(str(z), real=True)
    low = profile(difference.xreplace({z: real}), real).infimum
    holds = (low.value > 0 or (low.value == 0 and not low.attained)) if strict else low.value >= 0
    where = f", attained at {low.point}" if low.attained else " (not attained)"
    if holds:
        how = Status.PROVEN if low.exact else Status.NUMERIC
        note = "" if low.exact else "; critical point found numerically"
        return _verdict(how, f"inf over ℝ of the slack is {low.value}{where}{note}")
    return _verdict(Status.FALSE, f"the slack reaches {low.value}{where}")


def _product_bound(product: sympy.Product, bound, strict: bool) -> Verdict:
    r""":math:`\prod_{k=1}^{L} f(z_k) \le c^L` from :math:`0 \le f \le c` (one factor bounded by calculus)."""
    (_, low, high), factor = product.limits[0], product.function
    bound = sympy.sympify(bound, strict=True)  # reviewed: a SymPy object of the claim, never text
    if not (isinstance(bound, sympy.Pow) and bound.exp == high - low + 1):
        return _verdict(Status.UNCHECKED, f"the bound {bound} is not c**{high - low + 1}")
    c = bound.base
    indexed = sorted(factor.atoms(sympy.Indexed), key=str)
    if len(indexed) != 1:
        return _verdict(Status.UNCHECKED, "each factor must depend on one indexed variable z[k]")
    t = sympy.Dummy("t", real=True)
    p = profile(to_elementary(factor.xreplace({indexed[0]: t})), t)
    if p.infimum.value < 0:
        return _verdict(Status.FALSE, f"a factor can be negative ({p.infimum.value})")
    if p.supremum.value > c or (strict and p.supremum.value == c and p.supremum.attained):
        return _verdict(Status.FALSE, f"a factor reaches {p.supremum.value} > {c}")
    count = high - low + 1
    return _verdict(Status.PROVEN, f"each factor lies in [{p.infimum.value}, {p.supremum.value}] ⊆ [0, {c}], "
                                   f"so the product of {count} factors is at most {c}^{count}")


def _certificate(premises, conclusion, certificate) -> Verdict:
    """Premises g_i > 0 (or ≥ 0), multipliers λ_i ≥ 0: Σ λ_i g_i ≡ constant ≤ 0 contradicts them (Farkas)."""
    contradiction = conclusion in (sympy.false, S.false) or (
        isinstance(conclusion, sympy.core.relational.Relational) and conclusion.lhs == conclusion.rhs)
    if not contradiction:
        return _verdict(Status.UNCHECKED, "only contradictions (⇒ false, ⇒ 0 < 0) are checked")
    relations = list(premises.args) if isinstance(premises, sympy.And) else [premises]
    if certificate is None or len(certificate) != len(relations):
        return _verdict(Status.UNCHECKED, "a certificate with one multiplier per premise is needed")
    multipliers = [sympy.sympify(m, strict=True) for m in certificate]  # reviewed: numbers of the claim, never text
    if any(m < 0 for m in multipliers):
        return _verdict(Status.FALSE, "a multiplier is negative")
    # SymPy keeps an And's premises in its own order, not the written one; any pairing of the multipliers
    # with the premises that combines to a contradiction proves it, so each distinct pairing is tried.
    given = _combination(relations, multipliers)
    if given.status is Status.PROVEN or len(relations) > MAX_PAIRED:
        return given
    for paired in sorted(set(itertools.permutations(multipliers)), key=str):
        verdict = _combination(relations, paired)
        if verdict.status is Status.PROVEN:
            return verdict
    return given


def _combination(relations, multipliers) -> Verdict:
    """Σ λ_i g_i for premises g_i > 0 (or ≥ 0) and multipliers λ_i, and whether it contradicts them."""
    total, strict_used = S.Zero, False
    for multiplier, relation in zip(multipliers, relations):
        if isinstance(relation, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            g = relation.lhs - relation.rhs
        elif isinstance(relation, (sympy.StrictLessThan, sympy.LessThan)):
            g = relation.rhs - relation.lhs
        else:
            return _verdict(Status.UNCHECKED, f"premise {relation} is not an inequality")
        total += multiplier * g
        strict_used = strict_used or (multiplier != 0 and relation.rel_op in (">", "<"))
    total = sympy.expand(total)
    if total.free_symbols:
        return _verdict(Status.FALSE, f"Σ λ_i g_i = {total} is not a constant")
    if total < 0 or (total == 0 and strict_used):
        return _verdict(Status.PROVEN, f"Σ λ_i g_i = {total} with λ = {tuple(multipliers)} ≥ 0, yet the premises make it "
                                       f"{'> 0' if strict_used else '≥ 0'}")
    return _verdict(Status.FALSE, f"Σ λ_i g_i = {total} does not contradict the premises")


# --- tuples, sets and matrices -----------------------------------------------------------------


def _tuples(a, relation: str, b, rng) -> Verdict:
    if not (isinstance(a, (tuple, sympy.Tuple)) and isinstance(b, (tuple, sympy.Tuple)) and len(a) == len(b)
            and relation == "="):
        return _verdict(Status.UNCHECKED, "a tuple compared with something else")
    verdicts = [_decide(x, "=", y, rng, None, None, None, False) for x, y in zip(a, b)]
    statuses = {v.status for v in verdicts}
    if statuses == {Status.PROVEN}:
        return _verdict(Status.PROVEN, "equal entry by entry")
    if Status.FALSE in statuses:
        return _verdict(Status.FALSE, f"the left side is {value_text(tuple(a))}", value_text(tuple(a)))
    if statuses <= {Status.PROVEN, Status.NUMERIC}:
        return _verdict(Status.NUMERIC, "equal entry by entry, some entries only at random points")
    return _verdict(Status.UNCHECKED, "an entry could not be decided")


def _sets(lhs, relation: str, rhs) -> Verdict:
    """Sets: a ``ConditionSet`` is solved (over its base set) and compared with the other side."""
    if relation != "=":
        return _verdict(Status.UNCHECKED, f"'{RELATIONS[relation]}' between sets is not decided")

    def solved(s):
        if isinstance(s, sympy.ConditionSet):
            condition = s.condition
            equation = to_elementary(condition.lhs - condition.rhs) if isinstance(condition, sympy.Eq) else condition
            return sympy.solveset(equation, s.sym, s.base_set)
        return s

    a, b = solved(lhs), solved(rhs)
    if isinstance(a, sympy.ConditionSet) or isinstance(b, sympy.ConditionSet):
        return _verdict(Status.UNCHECKED, "SymPy could not solve the condition")
    if a == b:
        return _verdict(Status.PROVEN, f"solved: {a}")
    if not (isinstance(a, sympy.FiniteSet) and isinstance(b, sympy.FiniteSet)):
        only_a, only_b = sympy.Complement(a, b), sympy.Complement(b, a)
        if only_a.is_empty is False or only_b.is_empty is False:
            return _verdict(Status.FALSE, f"the sets differ: {_short(only_a if only_a.is_empty is False else only_b)} "
                                          f"lies in only one of {a} and {b}")
        if only_a.is_empty and only_b.is_empty:
            return _verdict(Status.PROVEN, f"solved: {a}, the same set as {b}")
        return _verdict(Status.UNCHECKED, f"the sets are written differently ({a} and {b}) and were not compared")

    def inside(x, others):
        return any(proves_zero(to_elementary(x - y)) for y in others)

    if all(inside(x, b.args) for x in a.args) and all(inside(y, a.args) for y in b.args):
        return _verdict(Status.PROVEN, f"solved: {a}, the same elements as {b}")
    if a.free_symbols or b.free_symbols:
        return _verdict(Status.UNCHECKED, f"the sets {a} and {b} depend on unknowns")
    values = lambda c: [numeric_value(x, DIGITS, "an element") for x in c.args]  # noqa: E731
    va, vb = values(a), values(b)
    apart = lambda x, ys: all(abs(x - y) > sympy.Float(10) ** (10 - DIGITS) * max(1, abs(x)) for y in ys)  # noqa: E731
    if any(apart(x, vb) for x in va) or any(apart(y, va) for y in vb):
        return _verdict(Status.FALSE, f"the sets differ: {a} and {b}")
    return _verdict(Status.UNCHECKED, f"the elements of {a} and {b} agree to {DIGITS - 10} digits but were not proven equal")


def _is_matrix(value) -> bool:
    return isinstance(value, (MatrixExpr, sympy.MatrixBase))


def _misfit(expr) -> str | None:
    """The first product or sum in ``expr`` whose shapes do not fit, described; None when every one does.

    Products and sums built unevaluated are not checked by SymPy, and the
    non-commutative expansion would prove an identity between undefined products.
    """
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.MatMul):
            factors = [a for a in node.args if _is_matrix(a)]
            for left, right in zip(factors, factors[1:]):
                if left.shape[1] != right.shape[0]:
                    return f"the product {_short(left, 30)} · {_short(right, 30)} is undefined: shapes {left.shape} and {right.shape}"
        elif isinstance(node, sympy.MatAdd):
            shapes = [a.shape for a in node.args if _is_matrix(a)]
            if any(shape != shapes[0] for shape in shapes):
                return f"a sum of matrices of shapes {', '.join(map(str, shapes))} is undefined"
    return None


def _matrices(lhs, relation: str, rhs, rng) -> Verdict:
    if relation != "=":
        return _verdict(Status.UNCHECKED, f"'{RELATIONS[relation]}' between matrices is not decided")
    misfit = _misfit(lhs) or _misfit(rhs)
    if misfit:
        return _verdict(Status.FALSE, misfit)
    if lhs.shape != rhs.shape:
        return _verdict(Status.FALSE, f"shapes differ: {lhs.shape} and {rhs.shape}")
    if isinstance(lhs, sympy.MatrixBase) and isinstance(rhs, sympy.MatrixBase):
        for i, (a, b) in enumerate(zip(lhs, rhs)):
            a, b = sympy.sympify(a, strict=True), sympy.sympify(b, strict=True)  # reviewed: matrix entries, never text
            if a.is_number and b.is_number and (a - b).is_Rational and a != b:  # numbers: say which entry and what
                row, column = divmod(i, lhs.shape[1])
                return _verdict(Status.FALSE, f"entry ({row + 1}, {column + 1}) is {value_text(a)}, not {value_text(b)}",
                                str(sympy.ImmutableMatrix(lhs).tolist()))
            if not _proves_equal(a, b, False):
                return _sampled_matrices(lhs, rhs, rng, f"entry {i + 1} was not proven equal symbolically")
        return _verdict(Status.PROVEN, "equal entry by entry (SymPy)")
    difference = sympy.expand((lhs - rhs).doit())
    if isinstance(difference, sympy.MatrixBase):  # explicit matrices inside the expression
        if all(proves_zero(entry) for entry in difference):
            return _verdict(Status.PROVEN, "equal entry by entry after multiplying out (SymPy)")
        return _sampled_matrices(lhs, rhs, rng, "an entry was not proven equal symbolically")
    if difference == 0 or difference.is_ZeroMatrix:
        return _verdict(Status.PROVEN, "the difference expands to the zero matrix (non-commutative products kept in order)")
    return _sampled_matrices(lhs, rhs, rng, f"the difference expands to {_short(difference)}")


def _short(value, limit: int = 80) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _instantiate(expr, rng: random.Random, values: dict) -> dict:
    """Give every matrix symbol (its symbolic sizes small integers) and every symbol random rational values."""
    for m in sorted(expr.atoms(MatrixSymbol), key=str):
        if m in values:
            continue
        for size in m.shape:
            for d in sorted(getattr(size, "free_symbols", set()), key=str):
                values.setdefault(d, sympy.Integer(rng.randint(1, 4)))
        rows, cols = (int(sympy.sympify(s, strict=True).xreplace(values)) for s in m.shape)  # reviewed: sizes are SymPy objects
        values[m] = sympy.ImmutableMatrix(rows, cols, [_random_rational(rng) for _ in range(rows * cols)])
    for s in sorted(expr.free_symbols - set(values), key=str):
        if not isinstance(s, MatrixSymbol):
            values[s] = _random_rational(rng)
    return values


def _sampled_matrices(lhs, rhs, rng, reason: str) -> Verdict:
    """Random rational matrices and values: a differing entry refutes the identity."""
    for _ in range(NUMERIC_POINTS):
        values = _instantiate(rhs, rng, _instantiate(lhs, rng, {}))
        a = sympy.ImmutableMatrix(lhs.doit().xreplace(values).doit())
        b = sympy.ImmutableMatrix(rhs.doit().xreplace(values).doit())
        if any(abs(numeric_value(d, DIGITS, "an entry of the difference")) > sympy.Float(10) ** (10 - DIGITS)
               for d in a - b):
            return _verdict(Status.FALSE, f"{reason}; the sides differ at a random rational point")
    return _verdict(Status.NUMERIC, f"{reason}; equal at {NUMERIC_POINTS} random rational points ({_seed_note(rng)})")

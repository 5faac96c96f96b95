r"""Calculus on real functions of one variable: kinks, proofs of identities, extrema and range.

Activations are smooth except at a few kinks (ReLU at 0). This module splits
ℝ at the kinks — the zeros of the arguments of ``Max``, ``Min``, ``Abs``,
``Heaviside``, ``sign`` and of ``Piecewise`` conditions — and works on each
open piece, where the function is one smooth formula:

* :func:`equal_on_reals` proves :math:`f = g` piece by piece with ``simplify``;
* :func:`profile` finds the infimum and supremum of :math:`f` from its limits at
  the ends of each piece, its values at critical points (zeros of :math:`f'`)
  and its values at the kinks, and the range as the union of the pieces'
  images.

Critical points are exact when SymPy's ``solveset`` or ``solve`` finds them
(SiLU's minimiser is :math:`-1 - W(1/e)`); otherwise they are found
numerically — sign changes of :math:`f'` on a grid over
:data:`SCAN_INTERVAL`, refined by mpmath at 40 digits and kept to 30 — and the
result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import NamedTuple

import mpmath
import numpy as np
import sympy
from sympy import (
    Abs,
    Expr,
    FiniteSet,
    Float,
    Heaviside,
    Interval,
    LambertW,
    Max,
    Min,
    Piecewise,
    S,
    Union,
    exp,
    limit,
    oo,
    sign,
    simplify,
    solve,
    solveset,
)

from symnet.budget import TimeLimitError, time_limit
from symnet.errors import SymnetError
from symnet.printing.numpy import mpmath_function, numpy_function

__all__ = ["AnalysisError", "Attained", "Extremum", "FunctionProfile", "kinks", "resolve", "equal_on_reals",
           "is_piecewise_linear", "profile", "proves_zero"]

#: Where the numeric search for critical points looks on unbounded pieces.
SCAN_INTERVAL = (-40.0, 40.0)
_SCAN_POINTS = 8001
#: Seconds allowed to ``solve`` before falling back to numeric roots.
_SOLVE_SECONDS = 2.0
_DIGITS = 30

_KINK_HEADS = (Max, Min, Abs, Heaviside, sign, Piecewise)


class AnalysisError(SymnetError):
    """The function is outside what this module can analyse (say, a kink that is not at isolated points)."""


class Attained(NamedTuple):
    """Where an extreme value is attained and the value: a number, or a SymPy Set of points (ReLU's minimum)."""

    where: object
    value: Expr


@dataclass(frozen=True)
class Extremum:
    """An infimum or supremum: its value, where it is attained, and whether both are exact.

    ``where`` is a SymPy Set: empty when the value is only approached (a limit).
    """

    value: Expr
    where: sympy.Set
    exact: bool = True

    @property
    def attained(self) -> bool:
        return self.where is not S.EmptySet

    @property
    def point(self):
        """The unique point of attainment as a number, the Set when there are many, None when not attained."""
        if isinstance(self.where, FiniteSet) and len(self.where) == 1:
            return next(iter(self.where))
        return None if not self.attained else self.where


@dataclass(frozen=True)
class FunctionProfile:
    """What :func:`profile` computed about a real function of one variable."""

    expr: Expr
    variable: sympy.Symbol
    infimum: Extremum
    supremum: Extremum
    range: sympy.Set
    kinks: tuple[Expr, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def exact(self) -> bool:
        return self.infimum.exact and self.supremum.exact

    @property
    def minimum(self) -> Attained | None:
        """``Attained(where, value)`` when the infimum is attained, else ``None``."""
        return Attained(self.infimum.point, self.infimum.value) if self.infimum.attained else None

    @property
    def maximum(self) -> Attained | None:
        """``Attained(where, value)`` when the supremum is attained, else ``None``."""
        return Attained(self.supremum.point, self.supremum.value) if self.supremum.attained else None

    @property
    def max_abs(self) -> Attained:
        r"""``Attained(where, value)``: :math:`\sup |f|` and where it is attained (an empty set if nowhere)."""
        low, high = self.infimum, self.supremum
        if _key(-low.value) > _key(high.value):
            return Attained(low.point, -low.value)
        if _key(-low.value) < _key(high.value):
            return Attained(high.point, high.value)
        return Attained(Union(low.where, high.where), high.value)

    @property
    def sign_class(self) -> str | None:
        """Read as a derivative: the monotonicity of its primitive.

        ``"increasing"`` when f ≥ 0 with zeros only at isolated points,
        ``"non-decreasing"`` when f ≥ 0 and f = 0 on an interval, and the
        mirror images; ``None`` when f takes both signs.
        """
        low, high = _key(self.infimum.value), _key(self.supremum.value)
        if low >= 0:
            flat = low == 0 and _has_interval(self.infimum.where)
            return "non-decreasing" if flat else "increasing"
        if high <= 0:
            flat = high == 0 and _has_interval(self.supremum.where)
            return "non-increasing" if flat else "decreasing"
        return None


def _has_interval(s: sympy.Set) -> bool:
    return any(isinstance(part, Interval) for part in (s.args if isinstance(s, Union) else (s,)))


def _key(value) -> mpmath.mpf:
    """A high-precision number for comparing candidate values (±oo included)."""
    if value is S.Infinity:
        return mpmath.inf
    if value is S.NegativeInfinity:
        return -mpmath.inf
    with mpmath.workdps(60):
        return mpmath.mpf(sympy.N(value, 50))


# --- kinks and pieces -------------------------------------------------------------


def kinks(expr: Expr, z: sympy.Symbol) -> list[Expr]:
    """The sorted real points where ``expr`` may fail to be smooth.

    They are the real zeros of the arguments of Max/Min (pairwise
    differences), Abs, Heaviside, sign and of Piecewise conditions.
    """
    arguments: list[Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (Max, Min)):
            items = list(node.args)
            arguments += [a - b for i, a in enumerate(items) for b in items[i + 1 :]]
        elif isinstance(node, (Abs, sign)):
            arguments.append(node.args[0])
        elif isinstance(node, Heaviside):
            arguments.append(node.args[0])
        elif isinstance(node, Piecewise):
            for _, condition in node.args:
                for rel in condition.atoms(sympy.core.relational.Relational):
                    arguments.append(rel.lhs - rel.rhs)
    points: set[Expr] = set()
    for argument in arguments:
        if not argument.has(z):
            continue
        roots = solveset(argument, z, S.Reals)
        if not isinstance(roots, FiniteSet):
            raise AnalysisError(f"cannot locate the kinks of {expr}: {argument} = 0 gives {roots}")
        points |= set(roots)
    return sorted(points, key=_key)


def _pieces(points: list[Expr]) -> list[tuple[Interval, Expr]]:
    """Open intervals between consecutive kinks, each with a test point inside."""
    if not points:
        return [(Interval.open(-oo, oo), S.Zero)]
    edges = [-oo, *points, oo]
    pieces = []
    for a, b in zip(edges, edges[1:]):
        if a == -oo:
            test = b - 1
        elif b == oo:
            test = a + 1
        else:
            test = (a + b) / 2
        pieces.append((Interval.open(a, b), test))
    return pieces


def resolve(expr: Expr, z: sympy.Symbol, point: Expr) -> Expr:
    """The smooth formula that ``expr`` equals on the piece that contains ``point`` (not a kink).

    Each Max/Min becomes its winning argument, Abs/sign/Heaviside their
    branch, each Piecewise the branch whose condition holds at ``point``.
    """

    def value_at(e: Expr) -> mpmath.mpf:
        return _key(e.subs(z, point))

    def pick(node: Expr) -> Expr:
        if isinstance(node, Max):
            return max(node.args, key=value_at)
        if isinstance(node, Min):
            return min(node.args, key=value_at)
        if isinstance(node, Abs):
            a = node.args[0]
            return a if value_at(a) >= 0 else -a
        if isinstance(node, sign):
            return S.One if value_at(node.args[0]) > 0 else S.NegativeOne
        if isinstance(node, Heaviside):
            return S.One if value_at(node.args[0]) > 0 else S.Zero
        if isinstance(node, Piecewise):
            for branch, condition in node.args:
                if condition.subs(z, point) == sympy.true:
                    return branch
            raise AnalysisError(f"no branch of {node} holds at {z} = {point}")
        return node

    return expr.replace(lambda e: isinstance(e, _KINK_HEADS), pick)


def proves_zero(expr: Expr) -> bool:
    """True when ``expr`` is shown to be 0 (a proof); False when it could not be shown.

    Cheap exact rewrites come first (``expand``, then ``cancel`` as a rational
    function of the exponentials), then ``simplify`` under a time limit, on
    the expression and on its exp form.
    """
    if expr == 0:
        return True
    as_exp = expr.rewrite(exp)
    for rewrite in (sympy.expand, lambda e: sympy.cancel(sympy.expand(e))):
        for candidate in (expr, as_exp):
            try:
                with time_limit(_SOLVE_SECONDS, "expand"):
                    if rewrite(candidate) == 0:
                        return True
            except (TimeLimitError, sympy.PolynomialError):
                pass
    for candidate in (expr, as_exp):
        try:
            with time_limit(_SOLVE_SECONDS, "simplify"):
                if simplify(candidate) == 0:
                    return True
        except TimeLimitError:
            pass
    return False


def equal_on_reals(a: Expr, b: Expr, z: sympy.Symbol, *, at_kinks: bool = True) -> bool:
    """Prove ``a == b`` for every real ``z``: piece by piece, and at the kinks unless ``at_kinks=False``.

    True means proven; False means not proven (either unequal or beyond
    ``simplify``).
    """
    points = sorted(set(kinks(a, z)) | set(kinks(b, z)), key=_key)
    for _, test in _pieces(points):
        if not proves_zero(resolve(a, z, test) - resolve(b, z, test)):
            return False
    if at_kinks:
        return all(proves_zero(a.subs(z, p) - b.subs(z, p)) for p in points)
    return True


def is_piecewise_linear(expr: Expr, z: sympy.Symbol) -> bool:
    """True when ``expr`` is affine in ``z`` on every piece between its kinks (proven, piece by piece)."""
    return all(proves_zero(sympy.diff(resolve(expr, z, test), z, 2)) for _, test in _pieces(kinks(expr, z)))


# --- extrema ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    value: Expr
    where: sympy.Set
    exact: bool


def _tidy(value: Expr) -> Expr:
    r"""Simplify a value, using :math:`e^{W(x)} = x / W(x)` for Lambert-W closed forms."""
    value = sympy.expand_power_exp(value)
    value = value.replace(
        lambda e: isinstance(e, exp) and isinstance(e.args[0], LambertW),
        lambda e: e.args[0].args[0] / e.args[0],
    )
    try:
        with time_limit(_SOLVE_SECONDS, "simplify"):
            return simplify(value)
    except TimeLimitError:
        return value


def _one_sided_limit(g: Expr, z, end, direction: str) -> tuple[Expr, bool]:
    try:
        with time_limit(_SOLVE_SECONDS, "limit"):
            value = limit(g, z, end, direction) if end not in (oo, -oo) else limit(g, z, end)
        if value.is_extended_real and not value.has(sympy.AccumBounds):
            return value, True
    except (TimeLimitError, NotImplementedError, ValueError):
        pass
    # Numeric fallback: evaluate far out (or close in) at high precision.
    probe = end - sympy.Rational(1, 10**12) if direction == "-" else end + sympy.Rational(1, 10**12)
    if end in (oo, -oo):
        probe = sympy.Integer(10**6) * (1 if end == oo else -1)
    return Float(sympy.N(g.subs(z, probe), _DIGITS), _DIGITS), False


def _critical_points(dg: Expr, z, piece: Interval) -> tuple[list[tuple[Expr, bool]], list[str]]:
    """Zeros of ``dg`` in the open ``piece``: exact ones from SymPy, the others numerically."""
    exact_points: list[Expr] = []
    notes: list[str] = []
    try:
        with time_limit(_SOLVE_SECONDS, "solveset"):
            found = solveset(dg, z, piece)
        if isinstance(found, FiniteSet):
            exact_points = list(found)
        else:
            numerator = sympy.fraction(sympy.together(dg))[0]
            with time_limit(_SOLVE_SECONDS, "solve"):
                exact_points = [
                    p for p in solve(numerator, z) if p.is_real and piece.contains(p) == sympy.true
                ]
    except (TimeLimitError, NotImplementedError, ValueError, TypeError):
        notes.append(f"SymPy could not solve {dg} = 0 exactly")
    # A numeric scan confirms the exact roots and finds the ones SymPy missed.
    lo = max(_key(piece.start), mpmath.mpf(SCAN_INTERVAL[0]))
    hi = min(_key(piece.end), mpmath.mpf(SCAN_INTERVAL[1]))
    points: list[tuple[Expr, bool]] = [(p, True) for p in exact_points]
    if lo >= hi:
        return points, notes
    grid = np.linspace(float(lo), float(hi), _SCAN_POINTS)[1:-1]
    f = numpy_function([z], dg)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(grid), dtype=float), grid.shape)
    signs = np.sign(values)
    exact_numbers = [float(_key(p)) for p in exact_points]
    f_mp = mpmath_function([z], dg)
    for i in np.nonzero(signs[:-1] * signs[1:] < 0)[0]:
        a, b = grid[i], grid[i + 1]
        if any(a <= x <= b for x in exact_numbers):
            continue
        with mpmath.workdps(60):  # float64 rounding noise in the tails is not a sign change
            if f_mp(mpmath.mpf(a)) * f_mp(mpmath.mpf(b)) >= 0:
                continue
        root = _bisect(f_mp, a, b)
        points.append((Float(mpmath.nstr(root, 35), _DIGITS), False))
        notes.append(
            f"a critical point near {float(root):.6g} was found numerically "
            f"(sign change of the derivative, refined to {_DIGITS} digits)"
        )
    return points, notes


def _bisect(f, a: float, b: float) -> mpmath.mpf:
    """A zero of ``f`` in ``[a, b]``, where ``f`` changes sign, by bisection at 45 digits to a width below 1e-40."""
    with mpmath.workdps(45):
        lo, hi = mpmath.mpf(a), mpmath.mpf(b)
        f_lo = f(lo)
        while hi - lo > mpmath.mpf(10) ** -40 * max(1, abs(lo)):
            mid = (lo + hi) / 2
            f_mid = f(mid)
            if f_mid == 0:
                return mid
            if (f_mid > 0) == (f_lo > 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
        return (lo + hi) / 2


def _piece_candidates(g: Expr, z, piece: Interval, test: Expr) -> tuple[list[_Candidate], list[str]]:
    """Candidates for the infimum and supremum of ``g`` on the open ``piece`` (``test`` lies inside it)."""
    if not g.has(z) or proves_zero(sympy.diff(g, z)):
        return [_Candidate(_tidy(g.subs(z, test)), piece, True)], []
    candidates: list[_Candidate] = []
    notes: list[str] = []
    for end, direction in ((piece.start, "+"), (piece.end, "-")):
        value, exact = _one_sided_limit(g, z, end, direction)
        candidates.append(_Candidate(value, S.EmptySet, exact))
    points, point_notes = _critical_points(sympy.diff(g, z), z, piece)
    notes += point_notes
    for point, exact in points:
        value = _tidy(g.subs(z, point)) if exact else Float(sympy.N(g.subs(z, point), _DIGITS), _DIGITS)
        candidates.append(_Candidate(value, FiniteSet(point), exact))
    return candidates, notes


def _best(candidates: list[_Candidate], lowest: bool) -> _Candidate:
    """The extreme candidate; ties (equal to 40 digits) merge their sets of attainment."""
    keys = [_key(c.value) for c in candidates]
    target = min(keys) if lowest else max(keys)
    tied = [
        c
        for c, k in zip(candidates, keys)
        if k == target
        or (mpmath.isfinite(target) and abs(k - target) <= mpmath.mpf(10) ** -40 * max(1, abs(target)))
    ]
    exact_ones = [c for c in tied if c.exact]
    value = (exact_ones or tied)[0].value
    where = reduce(Union, (c.where for c in tied), S.EmptySet)
    return _Candidate(value, where, all(c.exact for c in tied))


def _image(low: _Candidate, high: _Candidate) -> sympy.Set:
    if _key(low.value) == _key(high.value):
        return FiniteSet(low.value) if low.where is not S.EmptySet else S.EmptySet
    return Interval(
        low.value,
        high.value,
        left_open=low.where is S.EmptySet,
        right_open=high.where is S.EmptySet,
    )


def profile(expr: Expr, z: sympy.Symbol) -> FunctionProfile:
    """Infimum, supremum and range of a real function of ``z`` over all of ℝ.

    ``expr`` should be in elementary form (see
    :func:`symnet.activations.to_elementary`).
    """
    points = kinks(expr, z)
    lows: list[_Candidate] = []
    highs: list[_Candidate] = []
    images: list[sympy.Set] = []
    notes: list[str] = []
    for piece, test in _pieces(points):
        g = resolve(expr, z, test)
        candidates, piece_notes = _piece_candidates(g, z, piece, test)
        notes += piece_notes
        images.append(_image(_best(candidates, True), _best(candidates, False)))
        lows += candidates
        highs += candidates
    for p in points:
        value = _tidy(expr.subs(z, p))
        at_kink = _Candidate(value, FiniteSet(p), True)
        lows.append(at_kink)
        highs.append(at_kink)
        images.append(FiniteSet(value))
    low, high = _best(lows, True), _best(highs, False)
    return FunctionProfile(
        expr=expr,
        variable=z,
        infimum=Extremum(low.value, low.where, low.exact),
        supremum=Extremum(high.value, high.where, high.exact),
        range=reduce(Union, images, S.EmptySet),
        kinks=tuple(points),
        notes=tuple(notes),
    )

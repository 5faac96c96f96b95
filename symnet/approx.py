r"""Universal approximation, computed: one-hidden-layer networks that approximate a function, and their error.

:func:`relu_interpolant` builds the one-hidden-layer ReLU network equal to the
piecewise-linear interpolant of :math:`f` at knots :math:`t_0 < \dots < t_n`:

.. math:: p(x) = f(t_0) + \sum_{k=0}^{n-1} (s_k - s_{k-1})\,\operatorname{ReLU}(x - t_k),
          \qquad s_k = \frac{f(t_{k+1}) - f(t_k)}{t_{k+1} - t_k},\ s_{-1} = 0,

one hidden unit per piece. :func:`sup_error` measures
:math:`\max_{[a,b]} |f - p|` piece by piece (the pieces come from
:func:`symnet.depth.linear_regions`): exactly where SymPy solves
:math:`f'(x) = s_k` on the piece; else with the certified bound
:math:`\max(|e(t_k)|, |e(t_{k+1})|) + \tfrac{h^2}{8} \max |f''|`; else on a
dense grid — and says which. For twice-differentiable :math:`f` the error
falls like :math:`n^{-2}`.

:func:`sigmoid_approx` is the classic construction from steep sigmoid steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Interval, Rational, S

from symnet.depth import interpolant_network, pieces
from symnet.errors import SymnetError
from symnet.network import mlp
from symnet.printing.numpy import numpy_function
from symnet.values import as_sympy, exact_decimal

__all__ = [
    "interpolant_network",
    "relu_interpolant",
    "sup_error",
    "error_table",
    "ErrorRow",
    "loglog_slope",
    "sigmoid_approx",
    "sigmoid_error_grid",
    "grid_error",
]

#: Points of the dense grid used when neither an exact maximum nor a bound is available.
GRID_POINTS = 20_001
_HOW_ORDER = {"exact": 0, "bound": 1, "grid": 2}


def _variable(f) -> sympy.Symbol:
    f = as_sympy(f, "the function")
    free = sorted(f.free_symbols, key=str)
    if len(free) != 1:
        raise SymnetError(f"f must be an expression in exactly one symbol, {f} has {len(free)}")
    return free[0]


def _interval(interval):
    try:
        a, b = (exact_decimal(v, what="interval end") for v in interval)
    except (TypeError, ValueError):
        raise SymnetError(f"interval must be a pair of numbers (a, b), got {interval!r}") from None
    if not (a.is_number and b.is_number and a.is_real and b.is_real) or not sympy.N(b - a) > 0:
        raise SymnetError(f"interval must be (a, b) with real numbers a < b, got {interval!r}")
    return a, b


def relu_interpolant(f, interval, n_units: int | None = None, knots=None):
    """The ReLU network equal to the piecewise-linear interpolant of ``f`` (one unit per piece).

    Knots are ``n_units + 1`` equally spaced points of ``interval`` (exact when
    the ends are), or the given sorted ``knots`` (ends included).
    """
    x = _variable(f)
    a, b = _interval(interval)
    if knots is None:
        if not isinstance(n_units, int) or isinstance(n_units, bool) or n_units < 1:
            raise SymnetError(f"n_units must be a positive integer, got {n_units!r}")
        knots = [a + (b - a) * Rational(k, n_units) for k in range(n_units + 1)]
    else:
        knots = [exact_decimal(t, what="knot") for t in knots]
        if any(not sympy.N(q - p) > 0 for p, q in zip(knots, knots[1:])):
            raise SymnetError(f"knots must be strictly increasing, got {knots}")
    values = [as_sympy(f, "the function").subs(x, t) for t in knots]
    return interpolant_network(knots, values)


def _piece_max(e, x, lo, hi) -> tuple[float, str]:
    """``max |e|`` on ``[lo, hi]``: exact from critical points, else a certified bound, else a grid."""
    ends = [abs(sympy.N(e.subs(x, lo), 30)), abs(sympy.N(e.subs(x, hi), 30))]
    try:
        critical = sympy.solveset(sympy.diff(e, x), x, Interval(lo, hi))
    except (NotImplementedError, ValueError, TypeError):
        critical = None
    if isinstance(critical, sympy.FiniteSet):
        values = ends + [abs(sympy.N(e.subs(x, c), 30)) for c in critical]
        return float(max(values)), "exact"
    second = sympy.diff(e, x, 2)
    try:
        flat = sympy.solveset(sympy.diff(second, x), x, Interval(lo, hi))
    except (NotImplementedError, ValueError, TypeError):
        flat = None
    if isinstance(flat, sympy.FiniteSet):
        curvature = max(abs(sympy.N(second.subs(x, c), 30)) for c in list(flat) + [lo, hi])
        h = sympy.N(hi - lo, 30)
        return float(max(ends) + curvature * h**2 / 8), "bound"
    f = numpy_function([x], e)
    grid = np.linspace(float(lo), float(hi), max(GRID_POINTS // 8, 101))
    return float(np.max(np.abs(np.broadcast_to(f(grid), grid.shape)))), "grid"


def sup_error(f, net, interval) -> tuple[float, str]:
    """``(max |f - net| over interval, how)`` with ``how`` in ``{"exact", "bound", "grid"}`` (the weakest piece decides).

    ``net`` is a one-input ReLU network with numeric weights; its pieces come
    from :func:`symnet.depth.pieces`.
    """

    x = _variable(f)
    a, b = _interval(interval)
    worst, how = 0.0, "exact"
    for lo, hi, slope, intercept in pieces(net, (a, b)):
        line = slope * x + intercept
        value, piece_how = _piece_max(as_sympy(f, "the function") - line, x, lo, hi)
        worst = max(worst, value)
        how = piece_how if _HOW_ORDER[piece_how] > _HOW_ORDER[how] else how
    return worst, how


@dataclass(frozen=True)
class ErrorRow:
    units: int
    error: float
    how: str


def loglog_slope(rows) -> float:
    """The least-squares slope of log(error) against log(units): about -2 for a smooth function's ReLU interpolant."""
    units = np.log([r.units for r in rows])
    errors = np.log([r.error for r in rows])
    return float(np.polyfit(units, errors, 1)[0])


def error_table(f, interval, widths=(2, 4, 8, 16, 32)) -> list[ErrorRow]:
    """The sup-norm error of the ReLU interpolant for each width."""
    return [ErrorRow(n, *sup_error(f, relu_interpolant(f, interval, n), interval)) for n in widths]


def sigmoid_approx(f, interval, n_units: int, steepness):
    r"""The classic approximation by sigmoid steps: :math:`f(t_0) + \sum_k (f(t_k) - f(t_{k-1}))\,\sigma(s\,(x - m_k)/h)`.

    Knots :math:`t_k` are equally spaced with spacing :math:`h`, :math:`m_k` are
    the midpoints between them, and ``steepness`` :math:`s` is relative to
    :math:`h` (so the error depends on it alone, not on the width).
    """

    x = _variable(f)
    a, b = _interval(interval)
    if not isinstance(n_units, int) or isinstance(n_units, bool) or n_units < 1:
        raise SymnetError(f"n_units must be a positive integer, got {n_units!r}")
    s = exact_decimal(steepness, what="steepness")
    h = (b - a) / n_units
    knots = [a + h * k for k in range(n_units + 1)]
    values = [as_sympy(f, "the function").subs(x, t) for t in knots]
    mids = [(knots[k - 1] + knots[k]) / 2 for k in range(1, n_units + 1)]
    return mlp([1, n_units, 1], activation="sigmoid").bind(
        weights=[[[s / h]] * n_units, [[values[k] - values[k - 1] for k in range(1, n_units + 1)]]],
        biases=[[-s * m / h for m in mids], [values[0]]],
    )


def grid_error(f, net, interval, points: int = GRID_POINTS) -> float:
    """``max |f - net|`` on a dense grid (for networks whose pieces are not linear, such as sigmoid steps)."""
    x = _variable(f)
    a, b = _interval(interval)
    grid = np.linspace(float(a), float(b), points)
    target = numpy_function([x], f)(grid)
    return float(np.max(np.abs(net.compile()(grid.reshape(-1, 1)).ravel() - target)))


def sigmoid_error_grid(f, interval, widths=(4, 8, 16, 32), steepnesses=(1, 2, 4, 8, 32)) -> dict:
    """``{(width, steepness): grid error}`` of :func:`sigmoid_approx`: error against width and steepness."""
    return {(n, s): grid_error(f, sigmoid_approx(f, interval, n, s), interval) for n in widths for s in steepnesses}

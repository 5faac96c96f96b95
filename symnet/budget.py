"""Limits for symbolic and numeric work that can run away (``simplify``, ``solve``, huge numbers).

:func:`time_limit` raises :class:`TimeLimitError` when its block overruns, and
again every 0.1 s until the block exits. It
uses ``SIGALRM``, so it limits only code running in the main thread of a
POSIX process; elsewhere the block runs without a limit. Nested limits keep
the earlier deadline.
"""

from __future__ import annotations

import contextlib
import gc
import math
import signal
import threading
import time

import sympy

from symnet.errors import SymnetError
from symnet.functions import to_elementary
from symnet.values import as_sympy

__all__ = ["TimeLimitError", "TooLargeError", "time_limit", "numeric_value", "double_value", "value_at", "MAX_NODES", "NUMERIC_SECONDS"]

#: Largest expression tree (in nodes) evaluated numerically.
MAX_NODES = 100_000
#: Time limit of one exact numeric evaluation.
NUMERIC_SECONDS = 3.0


class TimeLimitError(BaseException):
    """A symbolic computation passed its time limit.

    A ``BaseException``, like ``KeyboardInterrupt``: SymPy's solvers catch
    ``ValueError`` and ``Exception`` internally, and would otherwise swallow
    the alarm and run on without a limit. Catch it by name.
    """


def _in_finalizer(frame, depth: int = 4) -> bool:
    """True when the signal arrived inside a garbage-collector callback or a ``__del__``.

    Python cannot raise from those (it prints "Exception ignored in ..." and
    goes on), so the alarm must wait until ordinary code runs again.
    """
    callbacks = {getattr(cb, "__code__", None) for cb in gc.callbacks}
    for _ in range(depth):
        if frame is None:
            return False
        if frame.f_code in callbacks or frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Run the block for at most ``seconds``; raise :class:`TimeLimitError` naming ``what`` after that."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous_remaining, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    if previous_remaining and previous_remaining < seconds:
        yield  # an enclosing, earlier deadline already applies
        return
    start = time.monotonic()

    def on_alarm(signum, frame):
        if _in_finalizer(frame):  # an exception there would be "ignored": try again a moment later
            signal.setitimer(signal.ITIMER_REAL, 0.005, 0.1)
            return
        raise TimeLimitError(f"{what} took longer than {seconds:g} s")

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    # Fire again every 0.1 s after the deadline, in case a handler swallowed the first alarm.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_remaining:
            left = previous_remaining - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), previous_interval)


class TooLargeError(SymnetError):
    """A number too large (or an expression too big) to evaluate within the limits."""


def _float_of(value) -> float:
    try:
        return float(value)
    except (OverflowError, TypeError, ValueError):
        return math.inf


def double_value(expr, at: dict | None = None, what: str = "the value") -> float:
    """``expr`` in double precision, computed node by node from the leaves (symbols valued by ``at``).

    Call it before substituting numbers into an expression from outside
    (SymPy evaluates on substitution), as :func:`value_at` does. Each node
    is computed from its children's doubles, so every step costs at most a
    few hundred digits, whatever the expression: a tower such as
    exp(exp(exp(exp(10)))) is refused in microseconds, where an exact
    evaluation would need a number with 10^9565 digits and never return.
    Raises :class:`TooLargeError` when a node is infinite or NaN in double
    precision, has no value, or the tree has more than :data:`MAX_NODES` nodes.
    """
    values: dict = {symbol: _float_of(value) for symbol, value in (at or {}).items()}
    stack = [(expr, False)]
    count = 0
    while stack:
        node, ready = stack.pop()
        if node in values:
            continue
        count += 1
        if count > MAX_NODES:
            raise TooLargeError(f"{what}: more than {MAX_NODES:,} nodes to evaluate")
        if not ready and node.args and not node.is_Number:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in values)
            continue
        if node.is_Number or node.is_NumberSymbol:
            value = _float_of(node)
        elif not node.args:
            raise TooLargeError(f"{what}: {node} has no value")
        elif isinstance(node, (sympy.Sum, sympy.Product, sympy.Integral, sympy.Derivative)):
            raise TooLargeError(f"{what}: an unevaluated {type(node).__name__}")
        else:
            children = [values[a] for a in node.args]
            if not all(math.isfinite(c) for c in children):
                value = math.inf
            else:
                try:
                    value = _float_of(node.func(*(sympy.Float(c) for c in children)).evalf(15))
                except (ArithmeticError, TypeError, ValueError, RecursionError):
                    value = math.inf
        if not math.isfinite(value):
            raise TooLargeError(f"{what}: {_short(node)} is too large to evaluate (beyond double precision)")
        values[node] = value
    return values[expr]


def _short(node) -> str:
    try:
        text = str(node)
    except ValueError:  # an integer beyond Python's 4300-digit conversion limit
        text = f"a number of about {abs(getattr(node, 'p', 0) or 0).bit_length() * 30103 // 100000 + 1} digits"
    return text if len(text) <= 60 else text[:57] + "..."


#: Most terms a sum with numeric bounds is written out to.
MAX_SUM_TERMS = 10_000


def _finite_sums(expr):
    """Sums with integer bounds and at most :data:`MAX_SUM_TERMS` terms, written out (``doit``)."""
    def finite(node) -> bool:
        if not isinstance(node, sympy.Sum) or len(node.limits) != 1:
            return False
        _, low, high = node.limits[0]
        return low.is_Integer and high.is_Integer and 0 <= high - low < MAX_SUM_TERMS

    return expr.replace(finite, lambda node: node.doit()) if expr.has(sympy.Sum) else expr


def numeric_value(expr, digits: int = 30, what: str = "the value", at: dict | None = None):
    """``expr`` as a SymPy Float of ``digits`` digits, with the symbols given values by ``at``, within the limits.

    A double-precision pass over every node (:func:`double_value`) refuses
    towers of exponentials and other numbers beyond ~1.8e308 before any exact
    work starts. The values of ``at`` go into that pass first, and into the
    expression only once it has passed: substituting numbers into SymPy
    objects makes SymPy evaluate them at once (``sin`` asks whether its
    argument is negative), which for such a tower never returns. The
    evaluation itself runs under :data:`NUMERIC_SECONDS`. Raises
    :class:`TooLargeError` with the reason.
    """
    expr = _finite_sums(to_elementary(as_sympy(expr, what)))
    unknown = expr.free_symbols - set(at or {})
    if unknown:
        raise TooLargeError(f"{what}: has unknowns ({', '.join(sorted(map(str, unknown)))})")
    double_value(expr, at, what)
    try:
        with time_limit(NUMERIC_SECONDS, what):
            return sympy.N(expr.xreplace(at) if at else expr, digits)
    except TimeLimitError as error:
        raise TooLargeError(str(error)) from None


def value_at(expr, at: dict, what: str = "the value", digits: int = 30):
    """``expr`` with the symbols of ``at`` replaced: exact when that comes out rational (as ReLU networks do),
    otherwise a Float of ``digits`` digits; bounded either way (:func:`double_value` runs first)."""
    double_value(expr, at, what)
    value = expr.xreplace(at)
    return value if value.is_Rational else numeric_value(value, digits, what)

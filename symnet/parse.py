"""The one safe way a formula written by a person becomes a SymPy expression.

SymPy's ``sympify`` and ``parse_expr`` pass their input to ``eval``, so a
formula such as ``__import__("os").system(...)`` would run. :func:`parse`
never evaluates text: it reads Python-expression syntax with :mod:`ast` and
converts the tree node by node from an allowlist.

Allowed
    numbers (decimals are exact: ``0.1`` is 1/10); names matching
    ``[A-Za-z][A-Za-z0-9_]*``; ``+ - * / **``; unary ``-`` and ``+``;
    calls of the functions :func:`functions` lists (the elementary ones and every
    registered activation, see :mod:`symnet.functions`) with positional arguments.
Refused, with an error naming the construct
    attributes, subscripts, strings, lambdas, comprehensions, comparisons,
    keyword or starred arguments, unknown functions (with a did-you-mean),
    and anything else.
Limits
    :data:`MAX_LENGTH` characters, nesting depth :data:`MAX_DEPTH`, integer
    literals up to 10^100, and numeric powers whose result would have more
    than :data:`MAX_POWER_DIGITS` digits (refused before they are computed).

Every name is a plain symbol — ``E``, ``I``, ``N``, ``S``, ``pi``, ``gamma``
and ``beta`` included — unless the caller maps it with ``symbols=``:
``parse("E*x", symbols={"E": sympy.E})``.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from dataclasses import dataclass
from typing import Callable

import sympy
from sympy import Abs, Expr, Integer, Max, Min, Symbol, cos, erf, exp, log, sin, sqrt, tanh

from symnet.budget import TooLargeError, double_value
from symnet.errors import SymnetError, did_you_mean
from symnet.functions import normal_cdf, normal_pdf, registered
from symnet.values import exact

__all__ = ["ParseError", "parse", "parse_assignments", "functions", "function_row", "power_digits", "NAME"]

MAX_LENGTH = 10_000
MAX_DEPTH = 100
MAX_INT_DIGITS = 101  # 10**100 has 101 digits
MAX_POWER_DIGITS = 10_000
#: A name a formula may use.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class ParseError(SymnetError):
    """A formula that is not allowed or not well formed; the message names the problem and where it is."""


@dataclass(frozen=True)
class FunctionRow:
    """A function a formula may call: its SymPy head and how many arguments it takes."""

    build: Callable[..., Expr]
    arity: tuple[int, ...]


def _diff(expr, var):
    if not isinstance(var, Symbol):
        raise ParseError(f"diff(expr, var) needs a variable name as its second argument, got {var}")
    return sympy.diff(expr, var)


#: The functions of elementary calculus a formula may call, and the names it may call Φ and φ by.
ELEMENTARY: dict[str, FunctionRow] = {
    "exp": FunctionRow(exp, (1,)),
    "log": FunctionRow(log, (1,)),
    "sqrt": FunctionRow(sqrt, (1,)),
    "erf": FunctionRow(erf, (1,)),
    "sin": FunctionRow(sin, (1,)),
    "cos": FunctionRow(cos, (1,)),
    "tanh": FunctionRow(tanh, (1,)),
    "Abs": FunctionRow(Abs, (1,)),
    "abs": FunctionRow(Abs, (1,)),
    "Max": FunctionRow(Max, (2, 3, 4, 5, 6, 7, 8)),
    "max": FunctionRow(Max, (2, 3, 4, 5, 6, 7, 8)),
    "Min": FunctionRow(Min, (2, 3, 4, 5, 6, 7, 8)),
    "min": FunctionRow(Min, (2, 3, 4, 5, 6, 7, 8)),
    "Phi": FunctionRow(normal_cdf, (1,)),
    "normal_cdf": FunctionRow(normal_cdf, (1,)),
    "normal_pdf": FunctionRow(normal_pdf, (1,)),
    "identity": FunctionRow(lambda z: z, (1,)),
    "diff": FunctionRow(_diff, (2,)),
}


def functions() -> dict[str, FunctionRow]:
    """Every function a formula may call: each registered activation by its name and aliases, then :data:`ELEMENTARY`."""
    rows = {}
    for info in registered():
        if info.name == "identity":
            continue
        row = FunctionRow(info.head, tuple(range(1, 2 + len(info.defaults))))
        rows.update({name: row for name in (info.name, *info.aliases)})
    return {**rows, **ELEMENTARY}


def function_row(name: str) -> FunctionRow | None:
    """The function a formula calls by ``name``, or None."""
    return functions().get(name)


_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}

_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions",
    ast.NamedExpr: "assignment expressions",
    ast.Starred: "starred arguments",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def parse(text: str, symbols: dict[str, Expr] | None = None) -> Expr:
    """Parse a formula such as ``"z*sigmoid(z)"`` into a SymPy expression, safely (see the module docstring).

    ``symbols`` maps names to the objects they stand for (by default each name
    is a plain ``Symbol``).
    """
    if not isinstance(text, str):
        raise ParseError(f"a formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"formula of {len(text)} characters is longer than the limit of {MAX_LENGTH}")
    if not text.strip():
        raise ParseError("empty formula")
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ParseError(f"not a formula: {error.msg} at column {error.offset} of {source[:60]!r}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ParseError("the formula is nested too deeply") from None
    return _Converter(source, symbols or {}).convert(tree.body, 1)


def parse_assignments(text: str, symbols: dict[str, Expr] | None = None) -> list[tuple[str, Expr]]:
    """Parse lines ``name = formula`` (blank lines and ``#`` comments skipped) into ``[(name, expr), ...]``.

    This is the text form of small networks::

        h1 = relu(x1 + x2 - 0.5)
        h2 = relu(x1 + x2 - 1.5)
        y = h1 - 2*h2

    Errors name the line.
    """
    if not isinstance(text, str):
        raise ParseError(f"network text must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH * 10:
        raise ParseError(f"text of {len(text)} characters is longer than the limit of {MAX_LENGTH * 10}")
    result = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, formula = line.partition("=")
        name = name.strip()
        if not sep or not NAME.fullmatch(name) or formula.lstrip().startswith("="):
            raise ParseError(f"line {number}: expected 'name = formula', got {raw.strip()[:80]!r}")
        if keyword.iskeyword(name):
            raise ParseError(f"line {number}: {name!r} is a Python keyword, not a name a formula can use")
        try:
            result.append((name, parse(formula, symbols)))
        except ParseError as error:
            raise ParseError(f"line {number}: {error}") from None
    if not result:
        raise ParseError("no 'name = formula' lines found")
    return result


class _Converter:
    def __init__(self, source: str, symbols: dict[str, Expr]):
        self.source = source
        self.symbols = symbols

    def where(self, node: ast.AST) -> str:
        return f"at column {getattr(node, 'col_offset', 0) + 1}"

    def convert(self, node: ast.AST, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise ParseError(f"the formula is nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.convert(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                return self.power(node, depth)
            operator = _OPERATORS.get(type(node.op))
            if operator is None:
                raise ParseError(
                    f"the operator {type(node.op).__name__} is not allowed {self.where(node)} "
                    f"(allowed: + - * / **)"
                )
            left = self.convert(node.left, depth + 1)
            right = self.convert(node.right, depth + 1)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ParseError(f"division by zero {self.where(node)}")
            return _finite(operator(left, right), f"the result {self.where(node)}")
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        what = _REFUSED.get(type(node), type(node).__name__)
        raise ParseError(f"{what} not allowed in a formula {self.where(node)}")

    def constant(self, node: ast.Constant) -> Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "strings" if isinstance(value, (str, bytes)) else f"the constant {value!r}"
            raise ParseError(f"{kind} not allowed in a formula {self.where(node)}")
        if isinstance(value, int):
            if len(str(abs(value))) > MAX_INT_DIGITS:
                raise ParseError(f"integer literal {self.where(node)} is larger than 10^100")
            return Integer(value)
        text = ast.get_source_segment(self.source, node) or repr(value)
        try:
            return exact(text.replace("_", ""), what=f"number {self.where(node)}")
        except SymnetError as error:
            raise ParseError(str(error)) from None

    def name(self, node: ast.Name) -> Expr:
        identifier = node.id
        if not NAME.fullmatch(identifier):
            raise ParseError(f"name {identifier!r} not allowed {self.where(node)}")
        if identifier in self.symbols:
            return self.symbols[identifier]
        if function_row(identifier) is not None:
            raise ParseError(f"{identifier!r} is a function: call it, as in {identifier}(z)")
        return Symbol(identifier)

    def power(self, node: ast.BinOp, depth: int) -> Expr:
        base = self.convert(node.left, depth + 1)
        exponent = self.convert(node.right, depth + 1)
        if base.is_number and exponent.is_number:
            digits = power_digits(base, exponent)
            if digits > MAX_POWER_DIGITS:
                raise ParseError(
                    f"the power {self.where(node)} would have about {digits:.3g} digits "
                    f"(limit {MAX_POWER_DIGITS})"
                )
        return _finite(base**exponent, f"the power {self.where(node)}")

    def call(self, node: ast.Call, depth: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            what = _REFUSED.get(type(node.func), "calling an expression")
            raise ParseError(f"{what} not allowed in a formula {self.where(node)}")
        name = node.func.id
        row = function_row(name)
        if row is None:
            raise ParseError(
                f"unknown function {name!r}{did_you_mean(name, functions())} {self.where(node)}"
            )
        if node.keywords:
            raise ParseError(f"keyword arguments not allowed in a formula {self.where(node)}")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ParseError(f"starred arguments not allowed in a formula {self.where(node)}")
        if len(node.args) not in row.arity:
            expected = " or ".join(map(str, row.arity)) if len(row.arity) < 4 else f"{row.arity[0]} to {row.arity[-1]}"
            raise ParseError(f"{name}() takes {expected} argument(s), got {len(node.args)} {self.where(node)}")
        args = [self.convert(a, depth + 1) for a in node.args]
        try:
            value = row.build(*args)
        except ParseError:
            raise
        except (ValueError, TypeError, ArithmeticError) as error:  # SymPy's own refusals
            raise ParseError(f"{name}() {self.where(node)} is not defined here: {str(error).splitlines()[0]}") from None
        return _finite(value, f"{name}() {self.where(node)}")


def _finite(value: Expr, what: str) -> Expr:
    """``value``, unless it is SymPy's complex infinity or NaN (log(0), 0*oo, ...), which no formula means."""
    if value is sympy.zoo or value is sympy.nan:
        raise ParseError(f"{what} is undefined ({value})")
    return value


def power_digits(base: Expr, exponent: Expr) -> float:
    """An upper estimate of the decimal digits of ``base**exponent`` for numbers, before computing it.

    Sizes come from a double-precision pass (:func:`symnet.budget.double_value`),
    never from an exact evaluation: the exponent may itself be a tower.
    """
    try:
        if base.is_Rational:
            size = max(len(str(abs(base.p))), len(str(base.q)))
        else:
            magnitude = abs(double_value(base))
            size = abs(math.log10(magnitude)) + 1 if magnitude > 0 else 1
        e = abs(double_value(exponent))
    except TooLargeError:
        return math.inf
    return size * e

r"""What a document has said about its symbols, which the reading of its later formulas follows.

:class:`Notation` holds the document's own functions (``\sigma(x) = \max(0, x)``), the letters it uses as
matrices (:func:`matrix_names`), the names it gave values, and the names it defined by formulas, which
:func:`expand_definitions` puts into a formula (``net_{o1} = w_5 \cdot out_{h1} + …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import sympy
from sympy import Expr

__all__ = ["Notation", "matrix_names", "subscripted_letters", "expand_definitions", "MAX_EXPANSIONS", "MAX_EXPANDED_OPS"]


@dataclass
class Notation:
    """What a document has said about its symbols, used to read its later formulas.

    ``functions`` maps a name (``"sigma"``, ``"f"``) to the document's definition, a function of SymPy
    arguments; ``matrices`` holds the base letters the document uses as matrices or vectors; ``values`` the
    names it has given a value (``out_{o1}(1 - out_{o1})`` is then a product); ``formulas`` the names it has
    defined by a formula (``net_{o1} = w_5 out_{h1} + …``), through which derivatives are taken.
    """

    functions: dict[str, Callable[..., Expr]] = field(default_factory=dict)
    matrices: frozenset = frozenset()
    values: set = field(default_factory=set)  # names the document gave a value: never functions
    formulas: dict = field(default_factory=dict)  # names the document defined by a formula: {Symbol: Expr}
    subscripted: frozenset = frozenset()  # letters the document writes with subscripts (e in e_i: not only Euler's e)
    used: set = field(default_factory=set)  # the formulas put into the derivatives read since the reader last looked


_MATRIX_USES = (
    re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|pmb)\s*\{?\s*([A-Z])"),  # bold capitals; a bold x does not make x a vector
    re.compile(r"(?<![\\A-Za-z])([A-Za-z])(?:_\{[^{}]*\}|_\w)?\s*\^\s*\{?\s*(?:\\top|T|\\intercal)\b"),  # W^T
    re.compile(r"(?<![\\A-Za-z])([A-Za-z])(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\})?\s*\\in\s*\\mathbb\{R\}\^\{[^{}]*\\times"),
    re.compile(r"(?<![\\A-Za-z])([A-Z])(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\})?\s*\\(?:mathbf|boldsymbol|bm|vec)\b"),  # W x
)


def matrix_names(texts) -> frozenset:
    r"""Base letters a document uses as matrices or vectors: bold, transposed, declared in R^{m×n}, or an upper-case
    letter applied to a bold vector (``W_1 \mathbf{x}``)."""
    names = set()
    for text in texts:
        for pattern in _MATRIX_USES:
            names.update(match.group(1) for match in pattern.finditer(text))
    return frozenset(names)


_SUBSCRIPTED = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_")


def subscripted_letters(texts) -> frozenset:
    """Letters a document writes with a subscript (``e_i``): names, whatever else they may also be."""
    return frozenset(match.group(1) for text in texts for match in _SUBSCRIPTED.finditer(text))


#: How many rounds of definitions are put into a formula, and the largest formula that results.
MAX_EXPANSIONS, MAX_EXPANDED_OPS = 8, 2_000


def expand_definitions(expr: Expr, formulas: dict, keep=None, used: set | None = None) -> Expr:
    r"""``expr`` with each name the document defined by a formula replaced by it, until none is left (at most
    :data:`MAX_EXPANSIONS` rounds; ``keep`` is left as it is): ``\frac{\partial E}{\partial w_5}`` with
    :math:`E = \tfrac12 (t - o)^2`, :math:`o = \sigma(n)`, :math:`n = w_5 h + b` is taken through all three.
    The names put in are added to ``used``."""
    if not formulas or not isinstance(expr, sympy.Basic):
        return expr
    for _ in range(MAX_EXPANSIONS):
        labels = {i.base.label for i in expr.atoms(sympy.Indexed)}  # z in z_k: the entries of a vector, not z
        replace = {s: f for s, f in formulas.items() if s != keep and s in expr.free_symbols and s not in labels}
        if not replace:
            break
        expanded = expr.xreplace(replace)
        if sympy.count_ops(expanded) > MAX_EXPANDED_OPS:
            break
        expr = expanded
        if used is not None:
            used.update(replace)
    return expr

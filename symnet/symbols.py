r"""The symbols networks are written in: layer-indexed parameters and units, and inputs.

``W1_2_3`` is :math:`W^{(1)}_{23}`, ``b2_1`` is :math:`b^{(2)}_{1}` and ``h1_4`` is
:math:`h^{(1)}_{4}`; inputs are ``x1, ..., xn``. How they print is decided by
:mod:`symnet.printing.latex`.
"""

from __future__ import annotations

import re

from sympy import ImmutableMatrix, Symbol

from symnet.errors import SymnetError
from symnet.values import column

__all__ = ["LayerSymbol", "input_symbols", "input_column", "unit_symbol"]


class LayerSymbol(Symbol):
    r"""A real symbol indexed by layer: ``W1_2_3`` is :math:`W^{(1)}_{23}`, ``b2_1`` is :math:`b^{(2)}_{1}`, ``h1_4`` is :math:`h^{(1)}_{4}`.

    Indices are 1-based, as in the textbook.

    >>> LayerSymbol.of("W", 1, 2, 3).parts
    ('W', 1, (2, 3))
    """

    _NAME = re.compile(r"([A-Za-z]+)(\d+)_(\d+)(?:_(\d+))?")

    def __new__(cls, name: str, **assumptions):
        if not cls._NAME.fullmatch(name):
            raise SymnetError(f"{name!r} is not a layer symbol name like 'W1_2_3' or 'b1_2'")
        assumptions.setdefault("real", True)
        return super().__new__(cls, name, **assumptions)

    @classmethod
    def of(cls, base: str, layer: int, *indices: int) -> "LayerSymbol":
        return cls(f"{base}{layer}_" + "_".join(str(i) for i in indices))

    @property
    def parts(self) -> tuple[str, int, tuple[int, ...]]:
        """``(base, layer, indices)``, e.g. ``("W", 1, (2, 3))``."""
        base, layer, i, j = self._NAME.fullmatch(self.name).groups()
        return base, int(layer), tuple(int(k) for k in (i, j) if k is not None)


def input_symbols(n: int, name: str = "x") -> ImmutableMatrix:
    """The column of real input symbols ``x1, ..., xn`` (LaTeX :math:`x_{1}, \\ldots`)."""
    return ImmutableMatrix([Symbol(f"{name}{i}", real=True) for i in range(1, n + 1)])


def input_column(x, n: int, what: str) -> ImmutableMatrix:
    """``x`` as a column of length ``n`` (see :func:`symnet.values.column`); the input symbols when ``x`` is None."""
    if x is None:
        return input_symbols(n)
    return column(x, n, what)


def unit_symbol(level: int, i: int) -> Symbol:
    """The symbol of unit ``i`` of layer ``level``: an input ``x_i`` (level 0) or a hidden unit ``h^{(l)}_i``."""
    return Symbol(f"x{i}", real=True) if level == 0 else LayerSymbol.of("h", level, i)

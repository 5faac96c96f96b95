r"""LaTeX for symnet's expressions, matrices and networks.

:class:`SymnetLatexPrinter` is SymPy's ``LatexPrinter`` with three additions,
each a ``_print_<Class>`` method that recurses through ``self._print``:

* matrices print as ``bmatrix`` and, beyond ``max_rows`` × ``max_cols``,
  truncated with ``\cdots``, ``\vdots`` and ``\ddots``;
* the step ``Heaviside(z, 0)`` (ReLU's derivative) prints as the indicator
  :math:`\mathbf 1[z > 0]`;
* symnet's functions (activations, :math:`\Phi`, :math:`\varphi`) print by the
  ``latex_name`` their class states, with parameters that differ from their
  defaults as a subscript; layer symbols print with their layer as a
  superscript, :math:`W^{(1)}_{23}`.

:func:`network_latex` writes a network as aligned equations, in matrix form
(:math:`\mathbf h^{(l)} = \sigma(W^{(l)} \mathbf h^{(l-1)} + \mathbf b^{(l)})`)
or expanded to one scalar equation per unit. All output needs only amsmath.
"""

from __future__ import annotations

from typing import Callable

import sympy
from sympy import Expr, Heaviside, ImmutableMatrix, S, Symbol
from sympy.printing.latex import LatexPrinter

from symnet.errors import SymnetError
from symnet.functions import KernelFunction
from symnet.printing.text import decimal_text
from symnet.symbols import input_column, unit_symbol

__all__ = [
    "SymnetLatexPrinter",
    "latex",
    "latex_document",
    "latex_table",
    "cell_latex",
    "tex_text",
    "matrix_latex",
    "network_latex",
    "neuron_latex",
    "display",
    "applied_latex",
    "LatexVerbatim",
    "PACKAGES",
]

#: The LaTeX packages symnet's output needs: amsmath (align*, bmatrix, \text) and amssymb (\mathbb{R}).
PACKAGES = ("amsmath", "amssymb")

#: Largest matrix printed in full; bigger ones are truncated.
MAX_ROWS = 8
MAX_COLS = 8
#: Largest network (in parameters) that ``expanded=True`` writes out unless told otherwise.
MAX_EXPANDED_PARAMS = 2000


class SymnetLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with truncated ``bmatrix`` matrices and the ReLU-derivative step as an indicator."""

    _default_settings = {
        **LatexPrinter._default_settings,
        "mat_str": "bmatrix",
        "mat_delim": "",
        "max_rows": MAX_ROWS,
        "max_cols": MAX_COLS,
        "decimal_rationals": False,
    }

    def _print_Rational(self, expr):
        decimal = decimal_text(expr) if self._settings["decimal_rationals"] else None
        return decimal if decimal is not None else super()._print_Rational(expr)

    def _print_Mul(self, expr):
        # A product of several numbers exists only unevaluated (a worked example's
        # "(0.5)(2)"): print every factor, negative ones in parentheses.
        if len(expr.args) > 1 and all(a.is_Number for a in expr.args):
            return r" \cdot ".join(
                rf"\left({self._print(a)}\right)" if a.is_negative else self._print(a) for a in expr.args
            )
        return super()._print_Mul(expr)

    def _print_Add(self, expr, order=None):
        # Unevaluated sums of numbers keep their written order and print "+ (-1) \cdot 1", not "- 1".
        if all(a.is_Number or (a.is_Mul and all(f.is_Number for f in a.args)) for a in expr.args):
            parts = [self._print(a) for a in expr.args]
            out = parts[0]
            for a, tex in zip(expr.args[1:], parts[1:]):
                out += f" - {tex[1:].lstrip()}" if a.is_Number and a.is_negative else f" + {tex}"
            return out
        return super()._print_Add(expr, order)

    def _print_Heaviside(self, expr, exp=None):
        z, h0 = expr.args[0], expr.args[1] if len(expr.args) > 1 else S.Half
        if h0 != 0:
            return super()._print_Heaviside(expr, exp)
        tex = rf"\mathbf{{1}}\left[{self._print(z)} > 0\right]"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_Function(self, expr, exp=None):
        # SymPy's dispatch skips the base classes of Function subclasses, so symnet's functions are caught here.
        if isinstance(expr, KernelFunction):
            return self._print_kernel_function(expr, exp)
        return super()._print_Function(expr, exp)

    def _print_kernel_function(self, expr, exp=None):
        name = type(expr).latex_name
        shown = [self._print(p) for p, default in zip(expr.args[1:], type(expr).defaults) if p != default]
        if shown:
            name = rf"{name}_{{{', '.join(shown)}}}"
        if exp is not None:
            name = rf"{name}^{{{exp}}}"
        return rf"{name}\left({self._print(expr.args[0])}\right)"

    def _print_LayerSymbol(self, expr, exp=None):
        base, layer, indices = expr.parts
        separator = "," if any(k >= 10 for k in indices) else ""
        tex = rf"{base}^{{({layer})}}_{{{separator.join(map(str, indices))}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    def _print_LatexVerbatim(self, expr, exp=None):
        return expr.name if exp is None else rf"\left({expr.name}\right)^{{{exp}}}"

    def _print_MatrixBase(self, expr):
        rows, cols = expr.shape
        max_rows, max_cols = self._settings["max_rows"], self._settings["max_cols"]
        if rows <= max_rows and cols <= max_cols:
            return super()._print_MatrixBase(expr)
        row_ids = _shown(rows, max_rows)
        col_ids = _shown(cols, max_cols)
        lines = []
        for i in row_ids:
            cells = []
            for j in col_ids:
                if i is None and j is None:
                    cells.append(r"\ddots")
                elif i is None:
                    cells.append(r"\vdots")
                elif j is None:
                    cells.append(r"\cdots")
                else:
                    cells.append(self._print(expr[i, j]))
            lines.append(" & ".join(cells))
        body = r" \\ ".join(lines)
        return rf"\begin{{bmatrix}}{body}\end{{bmatrix}}"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase
    _print_ImmutableSparseMatrix = _print_MatrixBase
    _print_MutableSparseMatrix = _print_MatrixBase


_UNICODE_MATH = {
    "ℝ": r"\mathbb{R}",
    "→": r"\to",
    "≤": r"\le",
    "≥": r"\ge",
    "≈": r"\approx",
    "≠": r"\ne",
    "⊆": r"\subseteq",
    "∞": r"\infty",
    "·": r"\cdot",
    "⋯": r"\cdots",
    "Σ": r"\Sigma",
    "λ": r"\lambda",
    "σ": r"\sigma",
    "×": r"\times",
    "′": r"{}^{\prime}",
    "²": r"{}^{2}",
    "−": "-",
}


def tex_text(text: str) -> str:
    """Text for ``\\text{}``: LaTeX's special characters escaped, ``$…$`` math kept, symbols like ℝ as commands."""
    out, math = [], False
    for ch in text:
        if ch == "$":
            math = not math
            out.append(ch)
        elif ch in _UNICODE_MATH:
            command = _UNICODE_MATH[ch] + " "
            out.append(command if math else f"${command.strip()}$")
        elif ch == "…":
            out.append(r"\ldots{}" if not math else r"\ldots ")
        elif not math and ch in "&%#_{}":
            out.append("\\" + ch)
        elif not math and ch in "^~":
            out.append("\\" + ch + "{}")
        elif not math and ch == "\\":
            out.append(r"\textbackslash{}")
        else:
            out.append(ch)
    return "".join(out)


def _shown(n: int, limit: int) -> list[int | None]:
    """Indices to print for a dimension of size ``n``: all, or the first ``limit - 2``, a gap (None), the last."""
    if n <= limit:
        return list(range(n))
    return list(range(limit - 2)) + [None, n - 1]


def latex(expr, **settings) -> str:
    """LaTeX of a SymPy object with symnet's printer (settings as for ``sympy.latex``, plus ``max_rows``/``max_cols``)."""
    return SymnetLatexPrinter(settings).doprint(expr)


def matrix_latex(m, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """A ``bmatrix``, truncated beyond ``max_rows`` × ``max_cols``."""
    return latex(ImmutableMatrix(m), max_rows=max_rows, max_cols=max_cols)


def display(make: Callable[[], str]) -> str:
    """``$$ ... $$`` for Jupyter's ``_repr_latex_``; an error string instead of an exception."""
    try:
        return f"$$ {make()} $$"
    except Exception as error:  # a display hook must not raise
        return f"(LaTeX unavailable: {type(error).__name__}: {error})"


def join_terms(terms) -> str:
    """``a + b - c``: LaTeX of a sum that keeps the given order of its terms (SymPy would reorder them)."""
    out = ""
    for term in terms:
        if term == 0:
            continue
        tex = latex(term)
        if not out:
            out = tex
        elif tex.startswith("-"):
            out += " - " + tex[1:].lstrip()
        else:
            out += " + " + tex
    return out or "0"


class LatexVerbatim(Symbol):
    """A symbol that prints as its name, verbatim: LaTeX already written, placed inside a formula by the printer."""


def applied_latex(activation, inner: str) -> str:
    """``\\operatorname{ReLU}\\left(inner\\right)`` for LaTeX ``inner``; the identity leaves ``inner`` alone.

    ``activation`` is an :class:`symnet.Activation`; a custom one (a formula
    in its variable) gets ``inner`` in parentheses wherever the variable stands.
    """
    if activation.is_linear:
        return inner
    argument = inner if activation.latex_name else rf"\left({inner}\right)"
    return latex(activation(LatexVerbatim(argument)))


def neuron_latex(neuron, x=None) -> str:
    r"""``a = \sigma(w_1 x_1 + ... + b)`` with the neuron's own numbers or symbols."""
    xs = input_column(x, neuron.n_in, "neuron input")
    z = join_terms([w * xi for w, xi in zip(neuron.weights, xs)] + [neuron.bias])
    return rf"a = {applied_latex(neuron.activation, z)}"


def _vector(level: int, last: bool) -> str:
    if level == 0:
        return r"\mathbf{x}"
    return r"\mathbf{y}" if last else rf"\mathbf{{h}}^{{({level})}}"


def _unit(level: int, i: int, last: bool) -> str:
    """LaTeX name of unit ``i`` of layer ``level``: the left-hand side of an expanded equation."""
    return f"y_{{{i}}}" if last else latex(unit_symbol(level, i))


def network_latex(
    net,
    expanded: bool = False,
    *,
    show_values: bool | None = None,
    max_rows: int = MAX_ROWS,
    max_cols: int = MAX_COLS,
    max_params: int = MAX_EXPANDED_PARAMS,
) -> str:
    r"""The network as an ``aligned`` block, one line per layer (or per unit with ``expanded=True``).

    In matrix form a layer whose parameters are the default symbols prints
    as :math:`W^{(l)}` and :math:`\mathbf b^{(l)}`; other parameters print as
    their matrices (truncated beyond ``max_rows`` × ``max_cols``), or always
    with ``show_values=True``. ``expanded=True`` writes
    :math:`h^{(l)}_i = \sigma(\sum_j W^{(l)}_{ij} h^{(l-1)}_j + b^{(l)}_i)` for every
    unit; it refuses networks with more than ``max_params`` parameters, since
    its length grows with the parameter count.
    """
    if expanded and net.num_params > max_params:
        raise SymnetError(
            f"the expanded LaTeX of a network with {net.num_params} parameters has about "
            f"{net.num_params} terms; pass max_params={net.num_params} (or more) to write it anyway"
        )
    lines = []
    count = len(net.layers)
    for level, layer in enumerate(net.layers, start=1):
        last = level == count
        if expanded:
            for i in range(layer.n_out):
                terms = [layer.weight[i, j] * unit_symbol(level - 1, j + 1) for j in range(layer.n_in)]
                tex = join_terms(terms + [layer.bias[i]])
                lines.append(rf"{_unit(level, i + 1, last)} &= {applied_latex(layer.activation, tex)}")
            continue
        values = show_values if show_values is not None else not (
            layer.has_default_weight and layer.has_default_bias
        )
        if values:
            w = matrix_latex(layer.weight, max_rows, max_cols)
            b = matrix_latex(layer.bias, max_rows, max_cols)
        else:
            w, b = rf"W^{{({level})}}", rf"\mathbf{{b}}^{{({level})}}"
        inner = rf"{w} {_vector(level - 1, False)} + {b}"
        lines.append(rf"{_vector(level, last)} &= {applied_latex(layer.activation, inner)}")
    return r"\begin{aligned}" + " \\\\\n".join(lines) + r"\end{aligned}"


def cell_latex(value) -> str:
    """A table cell as LaTeX: text as it is (``$…$`` for math), numbers and SymPy objects as math with floats to 4 digits."""
    if isinstance(value, str):
        return tex_text(value)
    if isinstance(value, float):
        value = sympy.Float(value, 4)
    elif isinstance(value, sympy.Basic):
        value = value.xreplace({f: sympy.Float(f, 4) for f in value.atoms(sympy.Float)})
    return f"${latex(value)}$"


def latex_table(headers, rows, caption: str | None = None, placement: str = "h") -> str:
    """A ``tabular`` (in a ``table`` float when captioned); cells as :func:`cell_latex` writes them."""
    lines = [" & ".join(tex_text(h) for h in headers) + r" \\ \hline"]
    lines += [" & ".join(cell_latex(v) for v in row) + r" \\" for row in rows]
    body = "\\begin{tabular}{" + "r" * len(headers) + "}\n" + "\n".join(lines) + "\n\\end{tabular}"
    if caption is None:
        return body
    return f"\\begin{{table}}[{placement}]\n\\centering\n{body}\n\\caption{{{tex_text(caption)}}}\n\\end{{table}}"


def latex_document(sections, title: str | None = None) -> str:
    """A complete LaTeX document: ``sections`` is a list of ``(heading, body)`` pairs of LaTeX."""
    preamble = "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n" + "".join(
        f"\\usepackage{{{p}}}\n" for p in PACKAGES
    )
    head = f"\\title{{{tex_text(title)}}}\n\\date{{}}\n" if title else ""
    body = "\n\n".join(f"\\section*{{{tex_text(heading)}}}\n{content}" for heading, content in sections)
    return preamble + head + "\\begin{document}\n" + ("\\maketitle\n" if title else "") + body + "\n\\end{document}\n"

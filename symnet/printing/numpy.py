r"""The one NumPy printer, and the one place where SymPy expressions become Python functions.

:class:`NumPyPrinter` is SymPy's ``SciPyPrinter`` (so ``erf``, ``expit`` and
``ndtr`` print as SciPy's array functions, never as ``math.erf``) with one
addition: symnet's functions — activations, :math:`\Phi`, :math:`\varphi` and
``tanh`` — print as calls to the stable kernels their classes name, and the
printer records each kernel it used in :attr:`NumPyPrinter.kernels`. Generated
code runs with exactly those callables bound in its namespace.

Every function symnet generates comes from here: :func:`numpy_function` and
:func:`mpmath_function` for expressions (through ``lambdify``, whose
``exec`` sees SymPy trees only, never text) and :func:`load` for source a
caller generated with this printer (the compiled network's forward pass).
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import itertools
import keyword
import linecache
from collections.abc import Callable, Sequence

import numpy as np
import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import SciPyPrinter

from symnet.errors import SymnetError
from symnet.functions import KernelFunction, lookup

__all__ = ["NumPyPrinter", "numpy_function", "mpmath_function", "load", "source_of"]


class NumPyPrinter(SciPyPrinter):
    """SciPy's printer with short names and symnet's functions as calls to their kernels.

    ``kernel_call(expr, out="H1")`` prints a call that writes into ``out``
    (every kernel takes ``out=``).
    """

    def __init__(self, settings=None):
        base = {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False}
        super().__init__({**base, **(settings or {})})
        #: The kernels the printed code calls, by the name it calls them.
        self.kernels: dict[str, Callable] = {}

    @staticmethod
    def kernel_of(head) -> Callable | None:
        """The kernel of a function class (an activation, Φ, φ, tanh), or None for other heads."""
        if isinstance(head, type) and issubclass(head, KernelFunction):
            return head.kernel
        info = lookup(getattr(head, "__name__", ""))
        return info.kernel if info is not None and info.head is head else None

    def kernel_call(self, expr, out: str | None = None) -> str:
        """``name(arg, ..., out=out)``: the call of the kernel of ``expr``'s head."""
        head = type(expr)
        kernel = self.kernel_of(head)
        if kernel is None:
            raise ValueError(f"{head.__name__} has no kernel")
        name = head.__name__
        if self.kernels.setdefault(name, kernel) is not kernel:
            raise ValueError(f"two functions named {name!r} in one expression")
        printed = [self._print(a) for a in expr.args] + ([f"out={out}"] if out else [])
        return f"{name}({', '.join(printed)})"

    def _print_Function(self, expr):
        # SymPy's dispatch skips the base classes of Function subclasses, so symnet's functions are caught here.
        if isinstance(expr, KernelFunction):
            return self.kernel_call(expr)
        return super()._print_Function(expr)

    def _print_tanh(self, expr):
        return self.kernel_call(expr)


def _imported_names(printer: NumPyPrinter) -> set[str]:
    return {name for names in printer.module_imports.values() for name in names}


def _bind_kernels(function, printer: NumPyPrinter):
    """Put the kernels ``printer`` used into the namespace of the function lambdify generated."""
    clash = set(printer.kernels) & _imported_names(printer)
    if clash:
        raise ValueError(f"kernel names {sorted(clash)} clash with NumPy or SciPy names the generated code uses")
    function.__globals__.update(printer.kernels)
    return function


def plain_names(expr) -> None:
    """Refuse an expression whose names would reach generated code as something other than a name: a symbol or
    bound variable whose name is not a Python identifier (``d[__import__('os')…]`` in a ``Sum``), or a function
    SymPy does not define (``Function("(lambda v: …)")``). Raises :class:`~symnet.errors.SymnetError`."""
    for symbol in expr.atoms(sympy.Symbol) | {v for s in expr.atoms(sympy.Sum, sympy.Product) for v in s.variables}:
        if isinstance(symbol, sympy.Dummy):
            continue
        if not symbol.name.isidentifier() or keyword.iskeyword(symbol.name):
            raise SymnetError(f"the name {symbol.name[:40]!r} is not a plain identifier; rename the symbol to compile")
    for call in expr.atoms(AppliedUndef):
        raise SymnetError(f"the function {str(call.func)[:40]!r} is not defined; only known functions compile")


def numpy_function(args: Sequence[sympy.Symbol], expr, *, cse: bool = False):
    """A NumPy function of ``args`` that evaluates ``expr`` elementwise, with symnet's kernels.

    ``expr`` is a SymPy object (never text); argument names are replaced by
    dummies in the generated code, so no name from outside appears in it.
    """
    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"numpy_function takes a SymPy expression, got {type(expr).__name__}")
    plain_names(expr)
    printer = NumPyPrinter()
    function = sympy.lambdify(list(args), expr, modules=["scipy", "numpy"], printer=printer, cse=cse, dummify=True)  # reviewed: expr is a SymPy tree (checked above), never text; dummify=True keeps argument names out of the code
    return _bind_kernels(function, printer)


def mpmath_function(args: Sequence[sympy.Symbol], expr):
    """An mpmath function of ``args`` (arbitrary precision) for an expression in elementary functions."""
    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"mpmath_function takes a SymPy expression, got {type(expr).__name__}")
    plain_names(expr)
    return sympy.lambdify(list(args), expr, modules="mpmath", dummify=True)  # reviewed: expr is a SymPy tree (checked above), never text


_COUNTER = itertools.count(1)


def load(source: str, name: str, printer: NumPyPrinter):
    """The function ``name`` defined by ``source``, which was generated with ``printer``.

    Its namespace holds ``numpy``, the names the printer imported and the
    kernels it called; the source is kept for tracebacks and ``inspect``.
    """
    clash = set(printer.kernels) & _imported_names(printer)
    if clash:
        raise ValueError(f"kernel names {sorted(clash)} clash with NumPy or SciPy names the generated code uses")
    namespace: dict = {"numpy": np}
    for module, names in printer.module_imports.items():
        imported = importlib.import_module(module)
        for n in names:
            namespace[n] = getattr(imported, n)
    namespace.update(printer.kernels)
    filename = f"<symnet-generated-{next(_COUNTER)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(builtins.compile(source, filename, "exec"), namespace)  # reviewed: source is generated by symnet with this printer from SymPy objects; no name from outside appears in it
    return namespace[name]


def source_of(function) -> str:
    """The source code of a generated function."""
    return inspect.getsource(function)

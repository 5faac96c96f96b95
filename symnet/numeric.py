"""Numeric evaluation: turning SymPy expressions into NumPy code.

Code comes from SymPy's printers (``lambdify``) and never from text: every
expression compiled here is a SymPy tree built by symnet or by the caller's
Python code, and formulas written by people reach it only through
:func:`symnet.parse.parse`, whose trees hold allowlisted heads only.
Activations print as calls to the stable kernels of :mod:`symnet.kernels`.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Sequence

import numpy as np
import sympy
from sympy.printing.numpy import NumPyPrinter

from symnet.errors import SymnetError
from symnet.values import as_sympy

__all__ = ["as_real_array", "compile", "compile_scalar", "kernel_call", "CompiledNetwork", "CompiledExpression", "MODULES"]

#: Namespaces for generated code, in lookup order: SciPy first, so ``erf``
#: is ``scipy.special.erf`` (NumPy alone would fall back to ``math.erf``).
MODULES = ["scipy", "numpy"]


def kernel_call(printer, kernel: str, args, out: str | None = None) -> str:
    """The code of a call to ``symnet.kernels.<kernel>`` for SymPy's NumPy printers (``out=`` when given)."""
    name = printer._module_format(f"symnet.kernels.{kernel}")
    printed = [printer._print(a) for a in args] + ([f"out={out}"] if out else [])
    return f"{name}({', '.join(printed)})"


def as_real_array(x, what: str = "input") -> np.ndarray:
    """``x`` as a float32 or float64 array: integers and booleans become float64, other kinds are refused."""
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind in "biu":
        return array.astype(np.float64)
    if array.dtype in (np.float32, np.float64):
        return array
    if kind == "f":
        raise SymnetError(
            f"{what} has dtype {array.dtype}; symnet computes in float32 or float64, convert it first"
        )
    raise SymnetError(f"{what} must be real numbers, got an array of dtype {array.dtype} ({_kind(kind)})")


def _kind(kind: str) -> str:
    return {"c": "complex", "O": "Python objects", "U": "strings", "S": "bytes", "M": "dates", "m": "time spans"}.get(
        kind, "not real numbers"
    )


def compile_scalar(expr: sympy.Expr, args: Sequence[sympy.Symbol]):
    """A NumPy function of ``args`` that evaluates ``expr`` elementwise with the stable kernels."""
    return sympy.lambdify(list(args), expr, modules=MODULES, dummify=True)  # reviewed: expr is a SymPy tree (never text); dummify=True keeps outside symbol names out of the code


# --- networks ---------------------------------------------------------------------------


class CompiledNetwork:
    """A NumPy forward pass generated from a :class:`symnet.Sequential`.

    ``fn(X)`` takes a batch ``(batch, n_in)`` or one vector ``(n_in,)`` and
    returns ``(batch, n_out)`` or ``(n_out,)``; float32 input gives float32
    output, anything else computes in float64. A network with free symbols
    (symbolic weights, a symbolic leak slope) takes them as one array:
    ``fn(X, params)``, in the order of :attr:`parameters` (``net.symbols``).

    The generated code (:attr:`source`; :attr:`latex` renders it with
    latexify-py) computes each layer in place::

        H1 = numpy.matmul(X, W1T, out=B1)   # B1: a buffer kept between calls
        H1 += b1
        H1 = relu(H1, out=H1)

    Batches of :data:`BUFFER_MIN_ROWS` rows or more run in blocks of rows
    whose widest hidden layer fits in about 2 MiB: each block's layers then
    stay in cache, and the hidden layers write into per-thread buffers
    reused across calls (measured: twice as fast as one pass over the whole
    batch for 16-32-32-4 in float64 at 100,000 rows). Smaller batches run in
    one pass with fresh arrays, which is cheaper there. The output is always
    a new array.
    """

    def __init__(self, net):
        printer = KernelPrinter()
        self.n_in, self.n_out = net.n_in, net.n_out
        self.widths = list(net.widths)
        self.parameters: tuple[sympy.Symbol, ...] = tuple(net.symbols)
        p = sympy.IndexedBase("p")
        position = {s: p[k] for k, s in enumerate(self.parameters)}
        lines, arrays = [], []
        previous, uses_p = "X", False
        count = len(net.layers)
        for level, layer in enumerate(net.layers, start=1):
            weight, bias, h = f"W{level}T", f"b{level}", f"H{level}"
            arrays.append((weight, layer.weight.T, level))
            arrays.append((bias, layer.bias.T, level))
            buffer = f"B{level}" if level < count else "OUT"
            lines.append(f"{h} = numpy.matmul({previous}, {weight}, out={buffer})")
            lines.append(f"{h} += {bias}")
            if not layer.activation.is_linear:
                applied = layer.activation(sympy.Symbol(h)).xreplace(position)
                uses_p = uses_p or applied.has(p)
                lines.append(f"{h} = {_inplace_call(printer, applied, h) or printer.doprint(applied)}")
            previous = h
        lines.append(f"return {previous}")
        self._uses_p = uses_p
        buffers = [f"B{level}" for level in range(1, count)] + ["OUT"]
        arguments = ["X"] + [name for name, _, _ in arrays] + buffers + (["p"] if uses_p else [])
        self.source = f"def forward({', '.join(arguments)}):\n" + "".join(f"    {line}\n" for line in lines)
        self._arrays = arrays
        self._position = position
        self._forward = _load(self.source, "forward", printer)
        self._constant_cache: dict = {}
        self._local = threading.local()
        self._no_buffers = (None,) * count  # B1 ... B(L-1) and OUT
        self._param_builder = self._parameter_builder(printer) if self.parameters else None

    def _block_rows(self, dtype) -> int:
        """Rows per block: the widest hidden block near 2 MiB (cache-sized), a power of two in [1024, 16384]."""
        widest = max(self.widths[1:-1], default=self.n_out)
        rows = (2 << 20) // (widest * np.dtype(dtype).itemsize)
        return int(min(max(1 << max(rows.bit_length() - 1, 0), 1024), 16384))

    def _buffers(self, dtype) -> tuple:
        """Per-thread hidden-layer buffers of one block's rows, made once per dtype."""
        cache = self._local.__dict__.setdefault("buffers", {})
        key = np.dtype(dtype)
        if key not in cache:
            rows = self._block_rows(dtype)
            cache[key] = tuple(np.empty((rows, width), dtype=dtype) for width in self.widths[1:-1])
        return cache[key]

    def _run(self, X, arrays, p):
        """Run the generated code: in one go for small batches, else block by block into one output."""
        extra = (p,) if self._uses_p else ()
        rows = X.shape[0]
        if rows < BUFFER_MIN_ROWS:
            return self._forward(X, *arrays, *self._no_buffers, *extra)
        buffers = self._buffers(X.dtype)
        block = buffers[0].shape[0] if buffers else rows
        if rows <= block:  # one block: views of the buffers cut to this batch, cached per size
            views = self._local.__dict__.setdefault("views", {})
            key = (rows, X.dtype)
            if key not in views:
                if len(views) > 16:
                    views.clear()
                views[key] = tuple(b[:rows] for b in buffers)
            return self._forward(X, *arrays, *views[key], None, *extra)
        out = np.empty((rows, self.n_out), dtype=X.dtype)
        for start in range(0, rows, block):
            stop = min(start + block, rows)
            size = stop - start
            target = out[start:stop]
            result = self._forward(X[start:stop], *arrays, *(b[:size] for b in buffers), target, *extra)
            if result is not target:  # an output activation that could not run in place
                target[...] = result
        return out

    def _parameter_builder(self, printer):
        """Code that builds the weight arrays from the parameter vector ``p``.

        Arrays whose entries are the parameter symbols in order become a
        reshape of a slice of ``p``; arrays without symbols come from the
        numeric constants ``C``; any other array is printed entry by entry.
        """
        lines = []
        index = {s: k for k, s in enumerate(self.parameters)}
        for position, (name, m, _) in enumerate(self._arrays):
            entries = list(m.T)  # the layer's own (n_out, n_in) row-major order
            ks = [index.get(e) for e in entries]
            rows, cols = m.T.shape
            if not m.free_symbols:
                lines.append(f"{name} = C[{position}]")
            elif all(k is not None for k in ks) and ks == list(range(ks[0], ks[0] + len(ks))):
                lines.append(f"{name} = p[{ks[0]}:{ks[0] + len(ks)}].reshape({rows}, {cols}).T")
            else:
                printed = [printer.doprint(sympy.sympify(e).xreplace(self._position)) for e in entries]  # reviewed: e is a SymPy matrix entry, never text
                rows_code = ", ".join("[" + ", ".join(printed[r * cols : (r + 1) * cols]) + "]" for r in range(rows))
                lines.append(f"{name} = numpy.array([{rows_code}], dtype=p.dtype).T")
        names = ", ".join(name for name, _, _ in self._arrays)
        source = "def weights(p, C):\n" + "".join(f"    {line}\n" for line in lines) + f"    return ({names},)\n"
        self.weights_source = source
        return _load(source, "weights", printer)

    def _constants(self, dtype):
        """The numeric parameter arrays in ``dtype`` (None for arrays that hold symbols), cached."""
        if dtype not in self._constant_cache:
            # Each array is the transpose view of a row-major (n_out, n_in) matrix: for small
            # batches BLAS is faster on it than on a contiguous transpose (measured 1.06x at
            # 1 row, 1.6x at 8 rows, equal from 1,000 rows).
            self._constant_cache[dtype] = tuple(
                None if m.free_symbols else np.ascontiguousarray(np.array(m.T.tolist(), dtype=np.float64), dtype=dtype).T
                for _, m, _ in self._arrays
            )
        return self._constant_cache[dtype]

    def __call__(self, x, params=None):
        X = x if type(x) is np.ndarray and x.dtype in _FLOAT_DTYPES else as_real_array(x, what="network input")
        single = X.ndim == 1
        if single:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise SymnetError(
                f"network input has shape {X.shape if not single else X.shape[1:]}, expected "
                f"(batch, {self.n_in}) or ({self.n_in},)"
            )
        if self.parameters:
            if params is None:
                names = ", ".join(map(str, self.parameters[:4])) + (", ..." if len(self.parameters) > 4 else "")
                raise SymnetError(f"this network has {len(self.parameters)} free symbols ({names}): pass params=")
            p = as_real_array(params, what="params").astype(X.dtype, copy=False)
            if p.shape != (len(self.parameters),):
                raise SymnetError(f"params has shape {p.shape}, expected ({len(self.parameters)},)")
            arrays = self._param_builder(p, self._constants(X.dtype))
        else:
            if params is not None:
                raise SymnetError("this network has no free symbols; params is not used")
            arrays, p = self._constants(X.dtype), None
        out = self._run(X, arrays, p)
        return out[0] if single else out

    @property
    def latex(self) -> str:
        """The generated forward function as math, by latexify-py."""
        import latexify

        return latexify.get_latex(self._forward)


_FLOAT_DTYPES = frozenset({np.dtype(np.float32), np.dtype(np.float64)})
#: Batches of at least this many rows run block by block through reused buffers.
BUFFER_MIN_ROWS = 64


class KernelPrinter(NumPyPrinter):
    """SymPy's NumPy printer for generated code: short names, activations (and tanh) as calls to :mod:`symnet.kernels`."""

    def __init__(self, settings=None):
        base = {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False}
        super().__init__({**base, **(settings or {})})

    def _print_tanh(self, expr):
        return kernel_call(self, "tanh", expr.args)


def _inplace_call(printer, applied, target: str) -> str | None:
    """``relu(H1, out=H1)`` when ``applied`` is one kernel applied to ``target`` itself, else None.

    Anything else (``H1*sigmoid(H1)``) would read ``target`` after the kernel
    overwrote it, so it is printed as an ordinary, allocating expression.
    """
    head = applied.func
    kernel = "tanh" if head is sympy.tanh else getattr(head, "kernel", None)
    symbol = sympy.Symbol(target)
    if kernel is None or applied.args[0] != symbol or any(a.has(symbol) for a in applied.args[1:]):
        return None
    return kernel_call(printer, kernel, applied.args, out=target)


_COUNTER = iter(range(1, 1 << 62))


def _load(source: str, name: str, printer):
    """Compile generated source into a function; names come from the printer's imports, never from input."""
    import importlib
    import linecache

    namespace: dict = {"numpy": np}
    for module, names in printer.module_imports.items():
        imported = importlib.import_module(module)
        for n in names:
            namespace[n] = getattr(imported, n)
    filename = f"<symnet-generated-{next(_COUNTER)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(builtins.compile(source, filename, "exec"), namespace)  # reviewed: source is generated here from a network's SymPy objects; symbol names never appear in it
    return namespace[name]


class CompiledExpression:
    """A NumPy function of ``args`` generated from any SymPy expression by ``lambdify`` (the scalar path).

    Arguments are the expression's free symbols sorted by name unless given;
    ``fn(*arrays)`` broadcasts them. Common subexpressions are eliminated
    when the expression has at most :data:`CSE_MAX_OPS` operations (beyond
    that SymPy's ``cse`` costs more than it saves).
    """

    def __init__(self, expr, args=None):
        expr = as_sympy(expr)
        self.args = tuple(args) if args is not None else tuple(sorted(expr.free_symbols, key=str))
        missing = expr.free_symbols - set(self.args)
        if missing:
            raise SymnetError(f"the expression has free symbols that are not arguments: {', '.join(sorted(map(str, missing)))}")
        use_cse = sympy.count_ops(expr) <= CSE_MAX_OPS
        self._function = sympy.lambdify(self.args, expr, modules=MODULES, cse=use_cse, dummify=True)  # reviewed: expr is a SymPy tree; dummify=True keeps outside symbol names out of the code
        import inspect

        self.source = inspect.getsource(self._function)

    def __call__(self, *arrays):
        if len(arrays) != len(self.args):
            raise SymnetError(f"expected {len(self.args)} argument(s) ({', '.join(map(str, self.args))}), got {len(arrays)}")
        values = [as_real_array(a, what=f"argument {s}") for s, a in zip(self.args, arrays)]
        return self._function(*values)

    @property
    def latex(self) -> str:
        import latexify

        return latexify.get_latex(self._function)


CSE_MAX_OPS = 2000


def compile(target, args=None):
    """Compile a network (:class:`symnet.Sequential`) or a SymPy expression to a NumPy function.

    Networks give a :class:`CompiledNetwork` (batch-first, layer-level code);
    expressions give a :class:`CompiledExpression`.
    """
    from symnet.network import Sequential

    if isinstance(target, Sequential):
        if args is not None:
            raise SymnetError("args is for expressions; a network's arguments are its input and its free symbols")
        return CompiledNetwork(target)
    if isinstance(target, sympy.Basic):
        return CompiledExpression(target, args)
    raise SymnetError(f"compile takes a network or a SymPy expression, got {type(target).__name__}")

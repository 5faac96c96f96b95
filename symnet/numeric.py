"""Numeric evaluation: compiled NumPy functions of networks and expressions.

Code comes from symnet's one NumPy printer (:mod:`symnet.printing.numpy`) and
never from text: every expression compiled here is a SymPy tree built by
symnet or by the caller's Python code, and formulas written by people reach
it only through :func:`symnet.parse.parse`, whose trees hold allowlisted
heads only. Activations print as calls to their stable kernels, which the
generated code holds in its namespace.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import sympy

from symnet.errors import SymnetError
from symnet.printing.numpy import NumPyPrinter, load, numpy_function, source_of
from symnet.values import as_sympy

__all__ = ["as_real_array", "compile", "compile_scalar", "CompiledNetwork", "CompiledExpression"]


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
    return numpy_function(args, as_sympy(expr))


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
        printer = NumPyPrinter()
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
            arrays.append((weight, layer.weight))
            arrays.append((bias, layer.bias))
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
        arguments = ["X"] + [name for name, _ in arrays] + buffers + (["p"] if uses_p else [])
        self.source = f"def forward({', '.join(arguments)}):\n" + "".join(f"    {line}\n" for line in lines)
        self._arrays = arrays
        self._position = position
        self._forward = load(self.source, "forward", printer)
        # Numeric arrays in float64, made once; their (n_in, n_out) transposes are what the code multiplies by.
        self._float64 = tuple(
            None if m.free_symbols else np.array(m.tolist(), dtype=np.float64) for _, m in arrays
        )
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
        for position, (name, m) in enumerate(self._arrays):
            entries = list(m)  # the layer's own (n_out, n_in) row-major order
            ks = [index.get(e) for e in entries]
            rows, cols = m.shape
            if not m.free_symbols:
                lines.append(f"{name} = C[{position}]")
            elif all(k is not None for k in ks) and ks == list(range(ks[0], ks[0] + len(ks))):
                lines.append(f"{name} = p[{ks[0]}:{ks[0] + len(ks)}].reshape({rows}, {cols}).T")
            else:
                printed = [printer.doprint(e.xreplace(self._position)) for e in entries]
                rows_code = ", ".join("[" + ", ".join(printed[r * cols : (r + 1) * cols]) + "]" for r in range(rows))
                lines.append(f"{name} = numpy.array([{rows_code}], dtype=p.dtype).T")
        names = ", ".join(name for name, _ in self._arrays)
        source = "def weights(p, C):\n" + "".join(f"    {line}\n" for line in lines) + f"    return ({names},)\n"
        self.weights_source = source
        return load(source, "weights", printer)

    def _constants(self, dtype):
        """The numeric parameter arrays in ``dtype`` (None for arrays that hold symbols), cached."""
        if dtype not in self._constant_cache:
            # Each array is the transpose view of a row-major (n_out, n_in) matrix: for small
            # batches BLAS is faster on it than on a contiguous transpose (measured 1.06x at
            # 1 row, 1.6x at 8 rows, equal from 1,000 rows).
            self._constant_cache[dtype] = tuple(
                None if a is None else np.ascontiguousarray(a, dtype=dtype).T for a in self._float64
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


def _inplace_call(printer: NumPyPrinter, applied, target: str) -> str | None:
    """``relu(H1, out=H1)`` when ``applied`` is one kernel applied to ``target`` itself, else None.

    Anything else (``H1*sigmoid(H1)``) would read ``target`` after the kernel
    overwrote it, so it is printed as an ordinary, allocating expression.
    """
    symbol = sympy.Symbol(target)
    if printer.kernel_of(type(applied)) is None or applied.args[0] != symbol:
        return None
    if any(a.has(symbol) for a in applied.args[1:]):
        return None
    return printer.kernel_call(applied, out=target)


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
        self._function = numpy_function(self.args, expr, cse=use_cse)
        self.source = source_of(self._function)

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
    if isinstance(target, sympy.Basic):
        return CompiledExpression(target, args)
    if hasattr(target, "layers") and hasattr(target, "widths"):
        if args is not None:
            raise SymnetError("args is for expressions; a network's arguments are its input and its free symbols")
        return CompiledNetwork(target)
    raise SymnetError(f"compile takes a network or a SymPy expression, got {type(target).__name__}")

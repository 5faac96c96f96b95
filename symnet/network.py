r"""Neurons, dense layers and multi-layer perceptrons as SymPy expressions.

A dense layer with :math:`n_\text{in}` inputs and :math:`n_\text{out}` units computes

.. math:: \mathbf h = \sigma\bigl(W \mathbf x + \mathbf b\bigr), \qquad
          W \in \mathbb R^{n_\text{out} \times n_\text{in}},\ \mathbf b \in \mathbb R^{n_\text{out}},

with :math:`n_\text{out}(n_\text{in} + 1)` parameters. A :class:`Sequential`
network feeds each layer's output to the next,
:math:`\mathbf h^{(l)} = \sigma_l(W^{(l)} \mathbf h^{(l-1)} + \mathbf b^{(l)})`, and
has :math:`\sum_l n_l (n_{l-1} + 1)` parameters.

Parameters are symbols by default (``W1_2_3`` prints as :math:`W^{(1)}_{23}`);
:meth:`Sequential.bind` replaces them with numbers, exact when given exactly
(see :mod:`symnet.values`). Objects are immutable: ``bind`` and
``collapsed`` return new networks.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import sympy
from sympy import Expr, ImmutableMatrix, IndexedBase, Integer, Sum, Symbol

from symnet.activations import Activation
from symnet.activations import activation as lookup_activation
from symnet.errors import ShapeError, SymnetError
from symnet.numeric import CompiledNetwork
from symnet.printing.latex import display, network_latex, neuron_latex
from symnet.symbols import LayerSymbol, input_column, input_symbols
from symnet.values import column, exact, matrix

__all__ = [
    "CollapsibleLayersWarning",
    "Neuron",
    "Dense",
    "Sequential",
    "mlp",
    "param_count_formula",
    "layer_param_counts",
]


class CollapsibleLayersWarning(UserWarning):
    """Consecutive affine layers with no nonlinearity between them: they collapse into one."""


def _width(value, what: str) -> int:
    """A positive integer from an int, a NumPy integer or a SymPy Integer (never a bool or a float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, Integer)):
        raise SymnetError(f"{what} must be a positive integer, got {value!r}")
    value = int(value)
    if value < 1:
        raise SymnetError(f"{what} must be a positive integer, got {value}")
    return value


class Neuron:
    r"""One unit: preactivation :math:`z = \mathbf w^\top \mathbf x + b`, output :math:`a = \sigma(z)`.

    ``weights`` and ``bias`` may be numbers (exact when given exactly) or
    SymPy expressions.
    """

    def __init__(self, weights, bias, activation="identity"):
        array = list(weights)
        if not array:
            raise SymnetError("a neuron needs at least one weight, got none")
        self.weights = column(array, len(array), "neuron weights")
        self.bias = exact(bias, what="neuron bias")
        self.activation = lookup_activation(activation)

    @property
    def n_in(self) -> int:
        return self.weights.rows

    @property
    def num_params(self) -> int:
        """n + 1: the weights and the bias."""
        return self.n_in + 1

    def preactivation(self, x=None) -> Expr:
        """:math:`z = \\mathbf w^\\top \\mathbf x + b` (symbolic inputs ``x1..xn`` when ``x`` is omitted)."""
        xs = input_column(x, self.n_in, "neuron input")
        return (self.weights.T * xs)[0, 0] + self.bias

    def __call__(self, x=None) -> Expr:
        """:math:`a = \\sigma(\\mathbf w^\\top \\mathbf x + b)`."""
        return self.activation(self.preactivation(x))

    def __repr__(self) -> str:
        return f"Neuron(weights={list(self.weights)}, bias={self.bias}, activation={self.activation.name!r})"

    def latex(self, x=None) -> str:
        return neuron_latex(self, x)

    def _repr_latex_(self) -> str:
        return display(self.latex)


def _parameter_matrix(base: str, layer: int, rows: int, cols: int) -> ImmutableMatrix:
    if cols == 0:
        return ImmutableMatrix(rows, 1, [LayerSymbol.of(base, layer, i) for i in range(1, rows + 1)])
    return ImmutableMatrix(
        rows, cols, [LayerSymbol.of(base, layer, i, j) for i in range(1, rows + 1) for j in range(1, cols + 1)]
    )


class Dense:
    r"""A dense (fully-connected) layer :math:`\mathbf h = \sigma(W \mathbf x + \mathbf b)`.

    Parameters are the symbols :math:`W^{(l)}_{ij}` and :math:`b^{(l)}_i` unless
    ``weight`` (shape ``(n_out, n_in)``) or ``bias`` (length ``n_out``) are given;
    ``index`` is the layer number :math:`l` (set by :class:`Sequential` when
    omitted). ``num_params`` is :math:`n_\text{out}(n_\text{in} + 1)`.
    """

    def __init__(self, n_in, n_out, activation="identity", *, weight=None, bias=None, index=None):
        self.n_in = _width(n_in, "n_in")
        self.n_out = _width(n_out, "n_out")
        self.activation: Activation = lookup_activation(activation)
        self.index = None if index is None else _width(index, "layer index")
        label = f"layer {self.index}" if self.index else "layer"
        self._weight = None if weight is None else matrix(weight, (self.n_out, self.n_in), f"{label} weight")
        self._bias = None if bias is None else column(bias, self.n_out, f"{label} bias")

    @cached_property
    def weight(self) -> ImmutableMatrix:
        """:math:`W` with shape ``(n_out, n_in)``."""
        if self._weight is not None:
            return self._weight
        return _parameter_matrix("W", self.index or 1, self.n_out, self.n_in)

    @cached_property
    def bias(self) -> ImmutableMatrix:
        """:math:`\\mathbf b` as an ``(n_out, 1)`` column."""
        if self._bias is not None:
            return self._bias
        return _parameter_matrix("b", self.index or 1, self.n_out, 0)

    @property
    def num_params(self) -> int:
        """:math:`n_\\text{out}(n_\\text{in} + 1)`, counted from the shapes."""
        return self.weight.rows * self.weight.cols + self.bias.rows

    @property
    def has_default_weight(self) -> bool:
        return self._weight is None

    @property
    def has_default_bias(self) -> bool:
        return self._bias is None

    def _replace(self, **changes) -> "Dense":
        fields = dict(
            n_in=self.n_in,
            n_out=self.n_out,
            activation=self.activation,
            weight=self._weight,
            bias=self._bias,
            index=self.index,
        )
        fields.update(changes)
        return Dense(fields.pop("n_in"), fields.pop("n_out"), **fields)

    def with_index(self, index: int) -> "Dense":
        """The same layer as layer number ``index`` (its default symbols renamed)."""
        return self if index == self.index else self._replace(index=index)

    def bind(self, weight=None, bias=None) -> "Dense":
        """A copy with numeric (or other) parameters; ``None`` keeps the current ones."""
        return self._replace(
            weight=self._weight if weight is None else weight,
            bias=self._bias if bias is None else bias,
        )

    def preactivation(self, x=None) -> ImmutableMatrix:
        """:math:`W \\mathbf x + \\mathbf b`."""
        xs = input_column(x, self.n_in, f"input of layer {self.index or ''}".rstrip())
        return ImmutableMatrix(self.weight * xs + self.bias)

    def __call__(self, x=None) -> ImmutableMatrix:
        """:math:`\\sigma(W \\mathbf x + \\mathbf b)`, elementwise."""
        return self.preactivation(x).applyfunc(self.activation)

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out}, {self.activation.name!r})"

    def latex(self) -> str:
        return Sequential(self).latex()

    def _repr_latex_(self) -> str:
        return display(self.latex)


class Sequential:
    r"""Layers applied in order, like ``torch.nn.Sequential``: :math:`\mathbf h^{(l)} = \sigma_l(W^{(l)} \mathbf h^{(l-1)} + \mathbf b^{(l)})`.

    Layers without an index are numbered by position. Two consecutive affine
    layers (identity activation) raise a :class:`CollapsibleLayersWarning`:
    they compute one affine map, which :meth:`collapsed` returns.
    """

    def __init__(self, *layers: Dense):
        flat: list[Dense] = []
        for item in layers:
            if isinstance(item, Sequential):
                flat.extend(item.layers)
            elif isinstance(item, Dense):
                flat.append(item)
            else:
                raise SymnetError(f"Sequential takes Dense layers, got {item!r}")
        if not flat:
            raise SymnetError("a network needs at least one layer")
        for position, (a, b) in enumerate(zip(flat, flat[1:]), start=1):
            if a.n_out != b.n_in:
                raise ShapeError(
                    f"layer {position + 1} takes {b.n_in} inputs but layer {position} gives {a.n_out}"
                )
        self.layers: tuple[Dense, ...] = tuple(
            layer if layer.index is not None else layer.with_index(position)
            for position, layer in enumerate(flat, start=1)
        )
        for position, (a, _) in enumerate(zip(self.layers, self.layers[1:]), start=1):
            if a.activation.is_linear:
                warnings.warn(
                    CollapsibleLayersWarning(
                        f"layers {position} and {position + 1} are affine with no nonlinearity "
                        f"between them: together they are one affine layer "
                        f"(W' = W{position + 1} W{position}, b' = W{position + 1} b{position} + b{position + 1}); "
                        f"net.collapsed() returns it"
                    ),
                    stacklevel=2,
                )

    # --- shape and counts ---------------------------------------------------------------

    @property
    def widths(self) -> list[int]:
        """``[n_0, n_1, ..., n_L]``: the input width, then each layer's width."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def n_in(self) -> int:
        return self.layers[0].n_in

    @property
    def n_out(self) -> int:
        return self.layers[-1].n_out

    @property
    def param_counts(self) -> list[int]:
        """Parameters per layer, :math:`n_l(n_{l-1} + 1)`, counted from the matrices' shapes."""
        return [layer.num_params for layer in self.layers]

    @property
    def num_params(self) -> int:
        return sum(self.param_counts)

    @property
    def parameters(self) -> tuple[ImmutableMatrix, ...]:
        """``(W1, b1, W2, b2, ...)`` as SymPy matrices, the order of ``torch``'s ``parameters()``."""
        return tuple(m for layer in self.layers for m in (layer.weight, layer.bias))

    @property
    def symbols(self) -> list[Symbol]:
        """The free symbols of the parameters, in the order of :attr:`parameters` (row-major), then those of the activations."""
        seen: dict[Symbol, None] = {}
        for m in self.parameters:
            for entry in m:
                for s in sorted(entry.free_symbols, key=str):
                    seen.setdefault(s, None)
        for layer in self.layers:
            for p in layer.activation.params:
                for s in sorted(p.free_symbols, key=str):
                    seen.setdefault(s, None)
        return list(seen)

    @property
    def is_bound(self) -> bool:
        """True when no parameter is symbolic."""
        return not self.symbols

    def param_count_formula(self):
        """``(formula, value)``: :math:`\\sum_{l=1}^{L} n_l(n_{l-1} + 1)` and its value at this network's widths."""
        return param_count_formula(self.widths)

    # --- evaluation ---------------------------------------------------------------------

    def hidden(self, x=None) -> list[ImmutableMatrix]:
        """``[h1, ..., hL]``: every layer's output for input ``x`` (symbols ``x1..xn`` by default)."""
        h = input_column(x, self.n_in, "network input")
        outputs = []
        for layer in self.layers:
            h = layer(h)
            outputs.append(h)
        return outputs

    def __call__(self, x=None) -> ImmutableMatrix:
        """The output column :math:`\\mathbf h^{(L)}` for input ``x``: exact for exact input and weights."""
        return self.hidden(x)[-1]

    def compile(self):
        """A fast NumPy forward pass generated from this network: see :class:`symnet.numeric.CompiledNetwork`."""
        return CompiledNetwork(self)

    # --- new networks -------------------------------------------------------------------

    def bind(self, weights=None, biases=None) -> "Sequential":
        """A copy with numeric parameters: ``weights[l]`` of shape ``(n_out, n_in)``, ``biases[l]`` of length ``n_out``.

        Either list may be omitted (those parameters stay as they are), and an
        entry may be ``None``. Ints, Fractions and decimal strings are exact.
        """
        count = len(self.layers)
        weights = self._per_layer(weights, "weights", count)
        biases = self._per_layer(biases, "biases", count)
        layers = [
            layer.bind(
                None if w is None else matrix(w, (layer.n_out, layer.n_in), f"weights[{k}] (layer {k + 1})"),
                None if b is None else column(b, layer.n_out, f"biases[{k}] (layer {k + 1})"),
            )
            for k, (layer, w, b) in enumerate(zip(self.layers, weights, biases))
        ]
        return self._quietly(layers)

    @staticmethod
    def _per_layer(values, what: str, count: int) -> list:
        if values is None:
            return [None] * count
        values = list(values)
        if len(values) != count:
            raise ShapeError(f"{what} has {len(values)} entries, the network has {count} layers")
        return values

    @classmethod
    def _quietly(cls, layers: Sequence[Dense]) -> "Sequential":
        """A network from layers already checked, without repeating construction warnings."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CollapsibleLayersWarning)
            return cls(*layers)

    def collapsed(self) -> "Sequential":
        r"""The equivalent network with every run of affine layers merged into one.

        :math:`W_2(W_1\mathbf x + \mathbf b_1) + \mathbf b_2 = (W_2 W_1)\mathbf x + (W_2 \mathbf b_1 + \mathbf b_2)`:
        an affine layer followed by a layer with weights :math:`W_2` merges into
        one layer with :math:`W' = W_2 W_1`, :math:`\mathbf b' = W_2 \mathbf b_1 + \mathbf b_2`
        and the second layer's activation.
        """
        merged: list[Dense] = []
        for layer in self.layers:
            if merged and merged[-1].activation.is_linear:
                first = merged.pop()
                layer = Dense(
                    first.n_in,
                    layer.n_out,
                    layer.activation,
                    weight=layer.weight * first.weight,
                    bias=layer.weight * first.bias + layer.bias,
                )
            merged.append(layer.with_index(len(merged) + 1))
        return self._quietly(merged)

    # --- display ------------------------------------------------------------------------

    def __repr__(self) -> str:
        acts = ", ".join(layer.activation.name for layer in self.layers)
        return f"Sequential(widths={self.widths}, activations=[{acts}])"

    def describe(self) -> str:
        """The network, one line per layer (widths, activation, parameters) and the total, for ``symnet net``."""
        lines = [repr(self)]
        for level, layer in enumerate(self.layers, start=1):
            lines.append(f"  layer {level}: {layer.n_in} -> {layer.n_out}, {layer.activation.name}, {layer.num_params} parameters")
        lines.append(f"  total: {self.num_params} parameters")
        return "\n".join(lines)

    def as_json(self) -> dict:
        """Widths, activations, parameters per layer and in total, for ``symnet net --json``."""
        return {
            "widths": self.widths,
            "activations": [layer.activation.name for layer in self.layers],
            "per_layer": self.param_counts,
            "total": self.num_params,
        }

    def latex(self, expanded: bool = False, **options) -> str:
        """LaTeX of the network: matrix form by default, one scalar equation per unit with ``expanded=True``.

        See :func:`symnet.printing.latex.network_latex` for the options.
        """
        return network_latex(self, expanded=expanded, **options)

    def _repr_latex_(self) -> str:
        return display(self.latex)


def _checked_widths(widths) -> list[int]:
    """``[n_in, hidden..., n_out]`` as positive integers, with an error that names the bad entry."""
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise SymnetError(f"widths must be a list of positive integers, got {widths!r}")
    widths = list(widths)
    if len(widths) < 2:
        raise SymnetError(f"widths {widths} needs an input width and at least one layer width")
    for k, w in enumerate(widths):
        try:
            widths[k] = _width(w, "width")
        except SymnetError:
            raise SymnetError(
                f"widths {widths}: every width must be a positive integer; entry {k} is {w!r}"
            ) from None
    return widths


def _short_widths(widths) -> str:
    text = "-".join(str(w) if w < 10**12 else f"~1e{len(str(w)) - 1}" for w in widths[:8])
    return text + ("-…" if len(widths) > 8 else "")


def _count_text(count: int) -> str:
    return f"{count:,}" if count < 10**15 else f"about 1e{count.bit_length() * 30103 // 100000}"


def layer_param_counts(widths) -> list[int]:
    """:math:`n_l(n_{l-1} + 1)` per layer, from the widths alone (no network is built: cheap at any size)."""
    widths = _checked_widths(widths)
    return [n_out * (n_in + 1) for n_in, n_out in zip(widths, widths[1:])]


#: The most parameters a symbolic network may have: each is a SymPy symbol (about a kilobyte), so a million
#: of them is a gigabyte. Count larger networks with :func:`layer_param_counts`, which builds nothing.
MAX_SYMBOLIC_PARAMS = 250_000


def mlp(widths, activation="relu", output_activation=None) -> Sequential:
    """A multi-layer perceptron with the given widths ``[n_in, hidden..., n_out]``.

    Hidden layers use ``activation``; the last layer uses ``output_activation``
    (linear when ``None``, as is usual for a network's output). A network of more than
    :data:`MAX_SYMBOLIC_PARAMS` parameters is refused before anything is built.
    """
    widths = _checked_widths(widths)
    total = sum(layer_param_counts(widths))
    if total > MAX_SYMBOLIC_PARAMS:
        raise SymnetError(f"widths {_short_widths(widths)}: {_count_text(total)} parameters, more than the "
                          f"{MAX_SYMBOLIC_PARAMS:,} a symbolic network may hold (layer_param_counts counts any size)")
    hidden = lookup_activation(activation)
    last = lookup_activation(output_activation if output_activation is not None else "identity")
    count = len(widths) - 1
    layers = [
        Dense(widths[k], widths[k + 1], hidden if k < count - 1 else last, index=k + 1)
        for k in range(count)
    ]
    return Sequential(*layers)


def param_count_formula(widths=None):
    r"""The parameter count :math:`\sum_{l=1}^{L} n_l\,(n_{l-1} + 1)` as a SymPy ``Sum``, and its value.

    With ``widths`` the sum is evaluated from the formula (independently of any
    matrix shape): ``param_count_formula([3, 4, 4, 2])`` returns
    ``(Sum(...), 46)``. Without, the value is ``None``.
    """
    n = IndexedBase("n")
    l, L = sympy.symbols("l L", integer=True, positive=True)
    formula = Sum(n[l] * (n[l - 1] + 1), (l, 1, L))
    if widths is None:
        return formula, None
    widths = [int(w) for w in widths]
    value = formula.subs(L, len(widths) - 1).doit().subs({n[k]: w for k, w in enumerate(widths)})
    return formula, value

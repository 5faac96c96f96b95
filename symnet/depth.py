r"""What depth buys: linear regions of ReLU networks, the sawtooth, and vanishing gradients.

A ReLU network with one input computes a continuous piecewise-linear
function. :func:`linear_regions` finds its breakpoints exactly by carrying a
partition of the interval through the layers: on each cell every unit is
affine, and a ReLU adds the zero crossing of its argument inside a cell.

:func:`sawtooth` composes the tent map :math:`T(x) = 2\operatorname{ReLU}(x) - 4\operatorname{ReLU}(x - \tfrac12)`
:math:`k` times: :math:`2k` hidden units and :math:`2^k` linear pieces on
:math:`[0, 1]`. A network with one hidden layer of :math:`m` ReLU units has at
most :math:`m` kinks — each unit :math:`\operatorname{ReLU}(wx + b)` bends at
:math:`x = -b/w` only — so at most :math:`m + 1` pieces, and matching the
sawtooth needs :math:`m \ge 2^k - 1` (:func:`shallow_kinks` checks the
argument on any given network).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Rational, S

from symnet.activations import activation
from symnet.errors import SymnetError
from symnet.network import Sequential, mlp
from symnet.values import exact_decimal

__all__ = [
    "linear_regions",
    "pieces",
    "interpolant_network",
    "sawtooth",
    "shallow_equivalent",
    "shallow_kinks",
    "sawtooth_table",
    "gradient_product",
]

def _check(net):

    if not isinstance(net, Sequential):
        raise SymnetError(f"linear_regions takes a symnet network, got {type(net).__name__}")
    if net.n_in != 1:
        raise SymnetError(f"linear_regions needs a network with one input, this one has {net.n_in}")
    if not net.is_bound:
        raise SymnetError("linear_regions needs numeric weights: bind the network first")
    for level, layer in enumerate(net.layers, start=1):
        if not layer.activation.piecewise_linear:
            raise SymnetError(
                f"layer {level} uses {layer.activation.name}, which is not piecewise linear; linear regions are "
                f"defined for piecewise-linear activations (relu, leaky_relu, identity, ...)"
            )


def _sign(value) -> int:
    """The sign of an exact number (a Fraction, or a SymPy number compared at high precision)."""
    if isinstance(value, Fraction):
        return (value > 0) - (value < 0)
    number = value if value.is_Rational else sympy.N(value, 50)
    return int(bool(number > 0)) - int(bool(number < 0))


def _exact_numbers(values):
    """Python Fractions when every value is rational (fast exact arithmetic), else the SymPy numbers."""
    values = list(values)
    if all(getattr(v, "is_Rational", False) for v in values):
        return [Fraction(int(v.p), int(v.q)) for v in values], Fraction
    return values, None


def _after(activation, slope, intercept, positive: bool):
    """``activation(slope*x + intercept)`` where the argument's sign is known: the new (slope, intercept)."""
    if activation.is_linear or positive:
        return slope, intercept
    factor = 0 if activation.name == "relu" else activation.params[0]
    return factor * slope, factor * intercept


def _affine_pieces(net, interval):
    """Cells ``[(left, right, slopes, intercepts)]`` on which every output is affine."""
    a, b = (exact_decimal(v, what="interval end") for v in interval)
    if not (a.is_number and b.is_number) or _sign(b - a) <= 0:
        raise SymnetError(f"interval {interval} must be (a, b) with numbers a < b")
    numbers = [a, b] + [e for layer in net.layers for m in (layer.weight, layer.bias) for e in m]
    numbers += [p for layer in net.layers for p in layer.activation.params]
    converted, kind = _exact_numbers(numbers)
    position = 2
    layers = []
    for layer in net.layers:
        size = layer.n_out * layer.n_in
        weight = [converted[position + i * layer.n_in : position + (i + 1) * layer.n_in] for i in range(layer.n_out)]
        bias = converted[position + size : position + size + layer.n_out]
        position += size + layer.n_out
        layers.append((layer, weight, bias))
    a, b = converted[0], converted[1]
    one, zero = (Fraction(1), Fraction(0)) if kind else (S.One, S.Zero)
    key = (lambda v: v) if kind else (lambda v: sympy.N(v, 50))
    cells = [(a, b, [one], [zero])]  # the input x itself
    for layer, weight, bias in layers:
        refined = []
        for left, right, slopes, intercepts in cells:
            active = [j for j, sj in enumerate(slopes) if sj != 0 or intercepts[j] != 0]
            z_slopes = [sum((row[j] * slopes[j] for j in active), zero) for row in weight]
            z_intercepts = [sum((row[j] * intercepts[j] for j in active), zero) + bi for row, bi in zip(weight, bias)]
            cuts = {left, right}
            # Each unit's sign on the cell: fixed when its root lies outside, else flips at the root.
            signs = []
            middle = (left + right) / 2
            for s_, c in zip(z_slopes, z_intercepts):
                root = -c / s_ if s_ != 0 else None
                if root is not None and _sign(root - left) > 0 and _sign(right - root) > 0:
                    if not layer.activation.is_linear:
                        cuts.add(root)
                    signs.append((root, _sign(s_)))
                else:
                    signs.append((None, _sign(s_ * middle + c)))
            edges = sorted(cuts, key=key)
            for lo, hi in zip(edges, edges[1:]):
                pairs = []
                for (root, sign), s_, c in zip(signs, z_slopes, z_intercepts):
                    positive = sign > 0 if root is None else ((_sign(lo - root) >= 0) == (sign > 0))
                    pairs.append(_after(layer.activation, s_, c, positive))
                refined.append((lo, hi, [p[0] for p in pairs], [p[1] for p in pairs]))
        cells = refined
    if kind:  # back to SymPy Rationals for the caller
        cells = [(_rational(lo), _rational(hi), [_rational(v) for v in s_], [_rational(v) for v in c]) for lo, hi, s_, c in cells]
    return cells


def _rational(value) -> Rational:
    return Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else Rational(value)


def _merge(cells, output: int) -> list[tuple]:
    """Cells of one output as linear pieces: neighbours with the same slope joined (the function is continuous)."""
    merged: list[list] = []
    for left, right, slopes, intercepts in cells:
        slope, intercept = slopes[output], intercepts[output]
        if merged and _sign(merged[-1][2] - slope) == 0:
            merged[-1][1] = right
        else:
            merged.append([left, right, slope, intercept])
    return [tuple(piece) for piece in merged]


def pieces(net, interval, output: int = 0) -> list[tuple]:
    """The network's output ``output`` as affine pieces ``[(left, right, slope, intercept)]`` covering ``interval``."""
    _check(net)
    return _merge(_affine_pieces(net, interval), output)


def linear_regions(net, interval) -> list:
    """The sorted breakpoints strictly inside ``interval`` where the network's output changes slope.

    The network must have one input, numeric weights and piecewise-linear
    activations. With exact weights the breakpoints are exact numbers; the
    number of linear pieces is ``len(breakpoints) + 1``. For several outputs
    a breakpoint of any output counts.
    """
    _check(net)
    cells = _affine_pieces(net, interval)
    points = {right for output in range(net.n_out) for _, right, _, _ in _merge(cells, output)[:-1]}
    return sorted(points, key=lambda v: sympy.N(v, 50))


def sawtooth(k: int):
    r"""The depth-``k`` network that composes the tent map ``k`` times on [0, 1]: 2 units per hidden layer, :math:`2^k` pieces."""

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise SymnetError(f"k must be a positive integer, got {k!r}")
    if k > 30:
        raise SymnetError(f"k = {k}: the sawtooth is limited to k <= 30 (2^30 pieces)")
    half = Rational(1, 2)
    weights = [[[1], [1]]] + [[[2, -4], [2, -4]] for _ in range(k - 1)] + [[[2, -4]]]
    biases = [[0, -half] for _ in range(k)] + [[0]]
    return mlp([1] + [2] * k + [1], activation="relu").bind(weights=weights, biases=biases)


def interpolant_network(knots, values):
    """The one-hidden-layer ReLU network through the points ``(knots[k], values[k])``, linear between them."""
    if len(knots) != len(values) or len(knots) < 2:
        raise SymnetError("interpolant_network needs as many values as knots, and at least two knots")
    n = len(knots) - 1
    slopes = [(values[k + 1] - values[k]) / (knots[k + 1] - knots[k]) for k in range(n)]
    changes = [slopes[0]] + [slopes[k] - slopes[k - 1] for k in range(1, n)]
    return mlp([1, n, 1], activation="relu").bind(
        weights=[[[1]] * n, [changes]],
        biases=[[-t for t in knots[:-1]], [values[0]]],
    )


def shallow_equivalent(net, interval=(0, 1)):
    """A one-hidden-layer ReLU network equal to ``net`` on ``interval``, one unit per linear piece."""

    parts = pieces(net, interval)
    knots = [left for left, _, _, _ in parts] + [parts[-1][1]]
    values = [slope * left + intercept for left, _, slope, intercept in parts]
    values.append(parts[-1][2] * parts[-1][1] + parts[-1][3])
    return interpolant_network(knots, values)


def shallow_kinks(net) -> list:
    """The kink of every hidden unit of a one-hidden-layer ReLU network: ``x = -b/w`` (units with ``w = 0`` have none).

    The set of the network's breakpoints is contained in this list, so a
    network with ``m`` hidden units has at most ``m + 1`` linear pieces.
    """
    _check(net)
    if len(net.layers) != 2:
        raise SymnetError(f"shallow_kinks takes a network with one hidden layer, this one has {len(net.layers) - 1}")
    hidden = net.layers[0]
    return [-hidden.bias[i] / hidden.weight[i, 0] for i in range(hidden.n_out) if hidden.weight[i, 0] != 0]


@dataclass(frozen=True)
class SawtoothRow:
    k: int
    deep_units: int
    deep_params: int
    deep_pieces: int
    shallow_units: int
    shallow_params: int
    shallow_pieces: int
    shallow_lower_bound: int


def sawtooth_table(ks=range(1, 11)) -> list[SawtoothRow]:
    """For each k: units, parameters and pieces (counted by :func:`linear_regions`) of the deep sawtooth and its shallow equal."""
    rows = []
    for k in ks:
        deep = sawtooth(k)
        shallow = shallow_equivalent(deep)
        deep_pieces = len(linear_regions(deep, (0, 1))) + 1
        rows.append(
            SawtoothRow(
                k=k,
                deep_units=sum(layer.n_out for layer in deep.layers[:-1]),
                deep_params=deep.num_params,
                deep_pieces=deep_pieces,
                shallow_units=shallow.layers[0].n_out,
                shallow_params=shallow.num_params,
                shallow_pieces=len(linear_regions(shallow, (0, 1))) + 1,
                shallow_lower_bound=deep_pieces - 1,
            )
        )
    return rows


def gradient_product(name, preactivations):
    r"""The product :math:`\prod_k f'(z_k)` along a chain, and the bound :math:`(\sup |f'|)^L` beside it.

    Returns ``(product, bound)`` as SymPy numbers: for the sigmoid the bound
    is :math:`(1/4)^L`, computed from the activation's largest slope.
    """

    act = activation(name)
    values = [exact_decimal(v, what="pre-activation") for v in preactivations]
    z = sympy.Symbol("z", real=True)
    derivative = act.derivative(z)
    product = S.One
    for value in values:
        product *= derivative.subs(z, value)
    slope = act.max_abs_derivative.value
    return product, slope ** len(values)

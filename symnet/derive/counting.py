r"""Parameter counts: :math:`n_l(n_{l-1} + 1)` per dense layer, and a transformer's MLP block.

A transformer MLP block :math:`d \to k d \to d` has
:math:`k d \cdot d + k d + d \cdot k d + d = 2 k d^2 + (k + 1) d` parameters;
introductory texts quote :math:`4 d^2`, which the derivation sets beside the
exact count with the factor between them.
"""

from __future__ import annotations

import sympy
from sympy import Add, Integer, Mul

from symnet.derive.core import Derivation, Step
from symnet.errors import SymnetError
from symnet.network import layer_param_counts, mlp, param_count_formula

__all__ = ["parameter_count", "transformer_mlp_params"]


def _layer_formula(n_out: int, n_in: int):
    """:math:`n_l(n_{l-1} + 1)` at a layer's widths, written out and not evaluated."""
    with sympy.evaluate(False):
        return Mul(Integer(n_out), Add(Integer(n_in), Integer(1)))


def parameter_count(widths) -> Derivation:
    r"""Per-layer counts :math:`n_l(n_{l-1} + 1)` and the total, each against the entries the network holds.

    Every step sets the formula at the layer's widths beside a count made
    another way: the entries of the layer's weight matrix and bias vector as
    the network built them, and the total against the general formula
    :math:`\sum_l n_l(n_{l-1} + 1)` evaluated as a SymPy ``Sum``.
    """
    net = mlp(widths)  # validates the widths; its matrices are counted entry by entry below
    n_l, n_prev = sympy.symbols("n_l n_{l-1}", integer=True, positive=True)
    with sympy.evaluate(False):
        factored, written = Mul(n_l, Add(n_prev, Integer(1))), Add(Mul(n_l, n_prev), n_l)
    steps = [Step(factored, "=", "weights $n_l n_{l-1}$ plus biases $n_l$", lhs=written)]
    entries = []
    for level, layer in enumerate(net.layers, start=1):
        counted = len(layer.weight) + len(layer.bias)
        entries.append(counted)
        steps.append(
            Step(
                Integer(counted),
                "=",
                f"layer {level} ({layer.n_in} → {layer.n_out}): the entries of $W^{{({level})}}$ and $b^{{({level})}}$",
                lhs=_layer_formula(layer.n_out, layer.n_in),
            )
        )
    formula, value = param_count_formula(net.widths)
    with sympy.evaluate(False):
        total_sum = Add(*[Integer(c) for c in entries])
    steps.append(Step(value, "=", "the total, against the general formula at these widths", lhs=total_sum))
    return Derivation(
        title=f"Parameters of a {' → '.join(map(str, net.widths))} MLP",
        steps=tuple(steps),
        facts={"per_layer": entries, "total": sum(entries), "formula": formula},
    )


def transformer_mlp_params(d, expansion=4) -> Derivation:
    """Parameters of a :math:`d \\to k d \\to d` MLP block, beside the rough :math:`4 d^2`."""
    if not isinstance(d, int) or isinstance(d, bool) or d < 1:
        raise SymnetError(f"d must be a positive integer, got {d!r}")
    if not isinstance(expansion, int) or isinstance(expansion, bool) or expansion < 1:
        raise SymnetError(f"expansion must be a positive integer, got {expansion!r}")
    D, K = sympy.symbols("d k", integer=True, positive=True)
    with sympy.evaluate(False):
        layers = Add(Mul(Mul(K, D), D), Mul(K, D), Mul(D, Mul(K, D)), D)
    exact_formula = 2 * K * D**2 + (K + 1) * D
    steps = [
        Step(exact_formula, "=", "$(kd) \\cdot d$ weights, $kd$ biases, then $d \\cdot (kd)$ and $d$", lhs=layers),
    ]
    exact = sum(layer_param_counts([d, expansion * d, d]))  # layer by layer, n_l (n_{l-1} + 1) each
    steps.append(Step(Integer(exact), "=", f"at $d = {d}$, $k = {expansion}$: the two layers counted one by one",
                      lhs=_at(exact_formula, D, d, K, expansion)))
    rough = 4 * D**2
    rough_value = rough.subs(D, d)
    steps.append(Step(rough_value, "=", "the rough figure $4d^2$", lhs=_at(rough, D, d, K, expansion)))
    ratio = sympy.simplify(exact_formula / rough)
    steps.append(Step(ratio, "=", "exact count over the rough figure", lhs=exact_formula / rough))
    factor = ratio.subs({D: d, K: expansion})
    steps.append(Step(factor, "=", f"at $d = {d}$, $k = {expansion}$", lhs=_at(ratio, D, d, K, expansion)))
    return Derivation(
        title=f"Parameters of a transformer MLP block, d = {d}, expansion {expansion}",
        keep_order=True,
        steps=tuple(steps),
        facts={"exact": int(exact), "rough": int(rough_value), "factor": factor},
    )


def _at(expr, D, d, K, k):
    with sympy.evaluate(False):
        return expr.xreplace({D: Integer(d), K: Integer(k)})

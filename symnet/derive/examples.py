r"""Worked examples: the forward pass of one neuron, every number computed from its inputs."""

from __future__ import annotations

import sympy
from sympy import Add, Mul

from symnet.derive.core import Derivation, Step
from symnet.errors import SymnetError
from symnet.network import Neuron
from symnet.values import exact

__all__ = ["neuron_forward"]


def neuron_forward(weights, bias, x, activation="relu", title=None) -> Derivation:
    r"""The forward pass of one neuron, term by term: :math:`z = \sum_i w_i x_i + b`, then :math:`a = \sigma(z)`.

    Numbers given as decimal strings are exact and print as decimals.
    """
    neuron = Neuron(weights, bias, activation)
    xs = [exact(v, what="input") for v in x]
    if len(xs) != neuron.n_in:
        raise SymnetError(f"the input has {len(xs)} entries, the neuron has {neuron.n_in} weights")
    z_symbol, a_symbol = sympy.Symbol("z"), sympy.Symbol("a")
    values = [w * xi for w, xi in zip(neuron.weights, xs)]
    with sympy.evaluate(False):
        written = Add(*[Mul(w, xi) for w, xi in zip(neuron.weights, xs)], neuron.bias)
        multiplied = Add(*values, neuron.bias)
    z = neuron.preactivation(xs)
    steps = [
        Step(written, ":=", "$w^\\top x + b$", lhs=z_symbol),
        Step(multiplied, "=", "multiply"),
        Step(z, "=", "add"),
    ]
    act = neuron.activation
    with sympy.evaluate(False):
        applied = act.head(z, *act.params) if not act.is_linear else z
    a = neuron(xs)
    steps.append(Step(applied, ":=", f"apply {act.name}", lhs=a_symbol))
    if act.name == "relu":
        with sympy.evaluate(False):
            steps.append(Step(sympy.Max(0, z), "=", "$\\max(0, z)$"))
    steps.append(Step(a))
    return Derivation(
        title=title or f"Forward pass of a neuron with {act.name}",
        steps=tuple(steps),
        facts={"z": z, "a": a},
        decimals=True,
    )

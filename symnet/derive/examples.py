r"""The worked examples of the source text's section 10, and the neuron of its section 2, as derivations.

Every value is computed from the inputs; the text's own claims are checked by
``symnet check`` against these computations, never written here.
"""

from __future__ import annotations

import sympy
from sympy import Add, Mul

from symnet.derive.core import Derivation, Step
from symnet.errors import SymnetError

__all__ = ["neuron_forward", "worked_example", "worked_examples", "section2_neuron"]


def neuron_forward(weights, bias, x, activation="relu", title=None) -> Derivation:
    r"""The forward pass of one neuron, term by term: :math:`z = \sum_i w_i x_i + b`, then :math:`a = \sigma(z)`.

    Numbers given as decimal strings are exact and print as decimals.
    """
    from symnet.network import Neuron
    from symnet.values import exact

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
    steps.append(Step(a, "="))
    return Derivation(
        title=title or f"Forward pass of a neuron with {act.name}",
        steps=tuple(steps),
        facts={"z": z, "a": a},
        decimals=True,
    )


def section2_neuron() -> Derivation:
    """The neuron of section 2: w = (0.5, -1.2, 0.3), b = 0.1, x = (1, 2, 3), ReLU — computed."""
    return neuron_forward(["0.5", "-1.2", "0.3"], "0.1", [1, 2, 3], "relu", title="Section 2: a neuron with three inputs")


def worked_example(number: int) -> list[Derivation]:
    """The derivations of worked example ``number`` (1 to 4) of section 10."""
    from symnet.derive.collapse import linear_collapse
    from symnet.derive.counting import parameter_count, transformer_mlp_params
    from symnet.derive.xor import xor

    if number == 1:
        weights = ["0.5", "-1.0", "2.0"]
        return [
            neuron_forward(weights, -1, [2, 1, 1], "relu", title="Example 1: a neuron with ReLU"),
            neuron_forward(weights, -3, [2, 1, 1], "relu", title="Example 1: the same neuron with bias -3"),
        ]
    if number == 2:
        return [xor()]
    if number == 3:
        return [linear_collapse(2)]
    if number == 4:
        return [parameter_count([3, 4, 4, 2]), transformer_mlp_params(4096)]
    raise SymnetError(f"worked examples are numbered 1 to 4, got {number!r}")


def worked_examples() -> list[Derivation]:
    """All worked examples of section 10, then the section 2 neuron."""
    return [d for n in range(1, 5) for d in worked_example(n)] + [section2_neuron()]

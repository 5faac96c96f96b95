r"""Activation derivatives from their definitions, and the bounds behind vanishing gradients.

For every activation: the derivative of the defining formula by the chain
rule, then the textbook form. For the sigmoid also
:math:`\sigma' = \tfrac14 - (\sigma - \tfrac12)^2 \le \tfrac14` with equality
exactly at :math:`z = 0`, and the bound
:math:`\prod_{k=1}^{L} \sigma'(z_k) \le (\tfrac14)^L` on a depth-:math:`L` chain.
"""

from __future__ import annotations

import sympy
from sympy import ConditionSet, Derivative, Eq, IndexedBase, Product, Rational, S, Symbol

from symnet.activations import activation
from symnet.derive.core import Derivation, Step

__all__ = ["activation_derivative"]


def activation_derivative(name) -> Derivation:
    """The chain-rule derivation of an activation's derivative, ending in its textbook form."""
    act = activation(name)
    z = Symbol("z", real=True)
    kinked = bool(act.analysis.kinks)
    note = " (off the kinks; at a kink the value is a convention)" if kinked else ""
    steps = [
        Step(Derivative(act.elementary(z), z), "=", "definition", lhs=Derivative(act(z), z), except_at_kinks=kinked),
        Step(sympy.diff(act.elementary(z), z), "=", "chain rule"),
        Step(act.derivative(z), "=", "textbook form" + note, except_at_kinks=kinked),
    ]
    facts = {"derivative": act.derivative(z)}
    if act.name != "sigmoid":
        slope = act.max_abs_derivative.value
        if slope.is_finite:
            steps.append(Step(slope, "<=", "the largest slope over ℝ", lhs=act.derivative(z)))
            facts["max_slope"] = slope
        return Derivation(f"Derivative of {act.name}", tuple(steps), facts=facts)
    s = act(z)
    quarter = Rational(1, 4)
    square = quarter - (s - S.Half) ** 2
    steps += [
        Step(square, "=", "complete the square"),
        Step(quarter, "<=", "a square is non-negative", lhs=square),
        Step(
            sympy.FiniteSet(0),
            "=",
            "equality only where $\\sigma(z) = 1/2$",
            lhs=ConditionSet(z, Eq(act.derivative(z), quarter), S.Reals),
        ),
    ]
    L = Symbol("L", integer=True, positive=True)
    k = Symbol("k", integer=True, positive=True)
    zk = IndexedBase("z")[k]
    chain = Product(act.derivative(zk), (k, 1, L))
    steps.append(Step(quarter**L, "<=", "each factor lies in $[0, 1/4]$: gradients through $L$ sigmoids shrink like $4^{-L}$", lhs=chain))
    facts["argmax"], facts["max_slope"] = act.max_abs_derivative
    return Derivation("Derivative of the sigmoid, and why deep sigmoid chains vanish", tuple(steps), facts=facts)

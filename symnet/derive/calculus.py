r"""Activation derivatives from their definitions, and the bounds behind vanishing gradients.

For every activation: the derivative of the defining formula written out by
the textbook rules (:func:`chain_rule`: sum, product, power and chain rules
and a table of elementary derivatives, independent of SymPy's ``diff``),
proven equal to the derivative, then the textbook form. For the sigmoid also
:math:`\sigma' = \tfrac14 - (\sigma - \tfrac12)^2 \le \tfrac14` with equality
exactly at :math:`z = 0`, and the bound
:math:`\prod_{k=1}^{L} \sigma'(z_k) \le (\tfrac14)^L` on a depth-:math:`L` chain.
"""

from __future__ import annotations

import sympy
from sympy import ConditionSet, Derivative, Eq, IndexedBase, Product, Rational, S, Symbol

from symnet.activations import activation
from symnet.derive.core import Derivation, Step

__all__ = ["activation_derivative", "chain_rule"]


def _outer_derivative(node, u):
    """d node / du for ``node = f(u)`` from the table of elementary derivatives, or None if f is not in it."""
    if isinstance(node, sympy.exp):
        return sympy.exp(u)
    if isinstance(node, sympy.log):
        return 1 / u
    if isinstance(node, sympy.tanh):
        return 1 - sympy.tanh(u) ** 2
    if isinstance(node, sympy.erf):
        return 2 / sympy.sqrt(sympy.pi) * sympy.exp(-(u**2))
    return None


def chain_rule(expr, z):
    r"""The derivative of ``expr`` in ``z`` written out rule by rule, nothing simplified.

    Sum rule :math:`(u + v)' = u' + v'`, product rule
    :math:`(uv)' = u'v + uv'`, power rule :math:`(u^n)' = n u^{n-1} u'`,
    chain rule :math:`f(u)' = f'(u)\,u'` with :math:`f'` from a table (exp,
    log, tanh, erf), :math:`\max(u, v)' = H(u - v) u' + H(v - u) v'` and
    likewise for min (:math:`H` the Heaviside step; off the kinks), and a
    ``Piecewise`` piece by piece. Any other node is left as an unevaluated
    ``Derivative``, which SymPy evaluates when the step is proven.

    >>> from sympy import Symbol, exp
    >>> z = Symbol("z")
    >>> chain_rule(1 / (1 + exp(-z)), z)
    -exp(-z)*(-1)/(1 + exp(-z))**2
    """

    def d(e):
        if e == z:
            return S.One
        if not e.has(z):
            return S.Zero
        if e.is_Add:
            return _sum(d(a) for a in e.args)
        if e.is_Mul:
            return _sum(_product([d(a) if j == i else a for j, a in enumerate(e.args)]) for i in range(len(e.args)))
        if e.is_Pow:
            base, power = e.args
            if not power.has(z):
                return _product([power, base ** _evaluated(power - 1), d(base)])
            return _product([e, d(power * sympy.log(base))])
        if isinstance(e, (sympy.Max, sympy.Min)) and len(e.args) == 2:
            a, b = e.args
            sign = 1 if isinstance(e, sympy.Max) else -1
            steps = (sympy.Heaviside(_evaluated(sign * (a - b))), sympy.Heaviside(_evaluated(sign * (b - a))))
            return _sum([_product([steps[0], d(a)]), _product([steps[1], d(b)])])
        if isinstance(e, sympy.Piecewise):
            return sympy.Piecewise(*[(d(piece), condition) for piece, condition in e.args], evaluate=False)
        if len(e.args) == 1:
            outer = _outer_derivative(e, e.args[0])
            if outer is not None:
                return _product([outer, d(e.args[0])])
        return Derivative(e, z)

    with sympy.evaluate(False):
        return d(expr)


def _evaluated(expr):
    """``expr`` as SymPy writes it (an exponent ``n - 1``, a step's argument): no rule to show there."""
    with sympy.evaluate(True):
        return expr.doit()


def _sum(terms):
    terms = [t for t in terms if t != 0]
    return S.Zero if not terms else terms[0] if len(terms) == 1 else sympy.Add(*terms)


def _product(factors):
    if any(f == 0 for f in factors):
        return S.Zero
    factors = [f for f in factors if f != 1]
    return S.One if not factors else factors[0] if len(factors) == 1 else sympy.Mul(*factors)


def activation_derivative(name) -> Derivation:
    """The chain-rule derivation of an activation's derivative, ending in its textbook form."""
    act = activation(name)
    z = Symbol("z", real=True)
    kinked = bool(act.analysis.kinks)
    note = " (off the kinks; at a kink the value is a convention)" if kinked else ""
    steps = [
        Step(Derivative(act.elementary(z), z), "=", "definition", lhs=Derivative(act(z), z), except_at_kinks=kinked),
        Step(chain_rule(act.elementary(z), z), "=", "sum, product and chain rules", except_at_kinks=kinked),
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

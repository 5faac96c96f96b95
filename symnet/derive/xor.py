r"""XOR: no affine threshold unit computes it; two ReLU units do; and a checker for candidate networks.

(a) A threshold unit outputs 1 when :math:`w_1 x_1 + w_2 x_2 + b > 0` and 0
otherwise. The four rows of the truth table give four inequalities
:math:`g_i > 0` or :math:`g_i \ge 0`; non-negative multipliers with
:math:`\sum_i \lambda_i g_i \equiv 0`, found by solving a linear system, make
them contradict each other (Farkas' lemma) — a proof, not a search.

(b) With hidden units :math:`h_1 = \operatorname{ReLU}(x_1 + x_2)` and
:math:`h_2 = \operatorname{ReLU}(x_1 + x_2 - 1)`, the output weights are
solved from the four rows of the truth table.

(c) :func:`check_xor` evaluates any candidate exactly on the four inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Rational, S, Symbol

from symnet.activations import relu
from symnet.derive.core import Derivation, Step, written_at
from symnet.errors import SymnetError

__all__ = ["xor", "check_xor", "candidate_expression", "XorCheck", "XOR_TABLE", "SEED_CANDIDATE"]

#: The truth table: inputs and XOR.
XOR_TABLE = (((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0))

#: The "canonical solution" of the source text's section 10, example 2, as printed there.
SEED_CANDIDATE = "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"

x1, x2 = Symbol("x1"), Symbol("x2")


@dataclass(frozen=True)
class XorRow:
    inputs: tuple[int, int]
    output: sympy.Expr
    predicted: int | None
    expected: int

    @property
    def ok(self) -> bool:
        return self.predicted == self.expected


@dataclass(frozen=True)
class XorCheck:
    """The candidate's value on each input; ``failures`` lists the inputs where it is wrong."""

    rows: tuple[XorRow, ...]
    threshold: sympy.Expr | None

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failures(self) -> list[tuple[int, int]]:
        return [r.inputs for r in self.rows if not r.ok]

    def __str__(self) -> str:
        rule = f"y > {self.threshold} counts as 1" if self.threshold is not None else "y must equal XOR exactly"
        lines = [f"x1 x2 | y | predicted | XOR   ({rule})"]
        for r in self.rows:
            mark = "ok" if r.ok else "WRONG"
            shown = "-" if r.predicted is None else r.predicted
            lines.append(f" {r.inputs[0]}  {r.inputs[1]} | {r.output} | {shown} | {r.expected}  {mark}")
        lines.append("computes XOR" if self.ok else f"fails at {', '.join(map(str, self.failures))}")
        return "\n".join(lines)


def candidate_expression(text: str) -> sympy.Expr:
    """The output of a network in text form (``h1 = relu(x1 + x2 - 0.5)`` lines, the last one the output) in x1, x2."""
    from symnet.parse import parse_assignments

    lines = parse_assignments(text)
    names = [name for name, _ in lines]
    if len(set(names)) != len(names):
        raise SymnetError(f"a name is assigned twice in the candidate: {names}")
    defined: dict = {}
    for name, expr in lines:
        unknown = expr.free_symbols - set(defined) - {x1, x2}
        if unknown:
            raise SymnetError(f"{name} uses {', '.join(sorted(map(str, unknown)))} before it is defined (inputs are x1, x2)")
        defined[Symbol(name)] = expr.xreplace(defined)
    return defined[Symbol(lines[-1][0])]


def _evaluator(network):
    """A function (x1, x2) -> exact output for text (``h1 = ...`` lines) or a symnet network."""
    from symnet.network import Sequential

    if isinstance(network, Sequential):
        if network.n_in != 2 or network.n_out != 1 or not network.is_bound:
            raise SymnetError(f"an XOR candidate network needs 2 inputs, 1 output and numeric weights; got {network}")
        return lambda a, b: network([a, b])[0]
    if not isinstance(network, str):
        raise SymnetError(f"an XOR candidate is network text or a Sequential, got {type(network).__name__}")
    expr = candidate_expression(network)
    return lambda a, b: expr.xreplace({x1: sympy.Integer(a), x2: sympy.Integer(b)})


def check_xor(network, threshold=None) -> XorCheck:
    """Evaluate a candidate on the four inputs, exactly; with ``threshold`` the output counts as 1 when y > threshold."""
    from symnet.values import exact

    t = None if threshold is None else exact(threshold, what="threshold")
    if isinstance(t, sympy.Float):
        t = sympy.nsimplify(t)  # 0.25 given as a float means the decimal 1/4
    evaluate = _evaluator(network)
    rows = []
    for inputs, expected in XOR_TABLE:
        y = evaluate(*inputs)
        if isinstance(y, sympy.Float):  # a bound float network: compare its value as the decimal it prints
            y = sympy.nsimplify(y)
        if t is None:
            predicted = int(y) if y in (S.Zero, S.One) else None
        else:
            predicted = 1 if y > t else 0
        rows.append(XorRow(inputs, y, predicted, expected))
    return XorCheck(tuple(rows), t)


def _certificate():
    """Premises of a threshold unit reproducing XOR, and multipliers solved for (sum 1, all ≥ 0)."""
    w1, w2, b = sympy.symbols("w_1 w_2 b", real=True)
    z = lambda a, c: w1 * a + w2 * c + b  # noqa: E731 - the unit's preactivation
    premises = []
    for (a, c), target in XOR_TABLE:
        premises.append(z(a, c) > 0 if target == 1 else z(a, c) <= 0)
    lambdas = sympy.symbols("lambda1:5", nonnegative=True)
    gs = [p.lhs - p.rhs if p.rel_op == ">" else p.rhs - p.lhs for p in premises]
    combination = sympy.expand(sum(l * g for l, g in zip(lambdas, gs)))
    equations = [combination.coeff(v) for v in (w1, w2, b)] + [combination.subs({w1: 0, w2: 0, b: 0}), sum(lambdas) - 1]
    (solution,) = sympy.linsolve(equations, lambdas)
    free = set().union(*(s.free_symbols for s in solution))
    if free:  # a family: take the first member with every multiplier >= 0
        solution = tuple(s.subs({f: Rational(1, 4) for f in free}) for s in solution)
    return premises, tuple(solution)


def xor(threshold=Rational(1, 4)) -> Derivation:
    """Derive (a) XOR's linear inseparability, (b) a two-ReLU network for it, (c) the seed's candidate checked and corrected."""
    steps = []
    premises, certificate = _certificate()
    steps.append(
        Step(
            sympy.StrictLessThan(0, 0, evaluate=False),
            "=>",
            f"the four rows of $[w^\\top x + b > 0]$; $\\lambda = {_tuple(certificate)}$",
            lhs=sympy.And(*premises, evaluate=False),
            certificate=certificate,
        )
    )
    # (b) Solve the output weights for h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1).
    a, c, d = sympy.symbols("a c d")
    h1, h2 = relu(x1 + x2), relu(x1 + x2 - 1)
    y = a * h1 + c * h2 + d
    equations = [sympy.Eq(y.subs({x1: p, x2: q}), t) for (p, q), t in XOR_TABLE]
    solution = sympy.solve(equations, (a, c, d), dict=True)
    if len(solution) != 1:
        raise SymnetError(f"the output weights of the XOR network are not unique: {solution}")
    (weights,) = solution
    network_y = y.subs(weights)
    hidden = {Symbol("h_1"): h1, Symbol("h_2"): h2}
    for (p, q), t in XOR_TABLE:
        steps.append(
            Step(
                sympy.Integer(t),
                "=",
                f"$y = {sympy.latex(network_y.xreplace({v: k for k, v in hidden.items()}))}$ at $({p}, {q})$",
                lhs=_unevaluated(network_y, p, q),
            )
        )
    derived_text = f"h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = {sympy.sstr(network_y.xreplace({h1: Symbol('h1'), h2: Symbol('h2')}))}"
    derived_check = check_xor(derived_text)
    # (c) The seed's candidate, checked, then its output weights solved for.
    seed_check = check_xor(SEED_CANDIDATE, threshold=threshold)
    g1, g2 = relu(x1 + x2 - Rational(1, 2)), relu(x1 + x2 - Rational(3, 2))
    seed_y = g1 - 2 * g2
    for inputs in seed_check.failures:
        p, q = inputs
        steps.append(
            Step(
                sympy.Integer(dict(XOR_TABLE)[inputs]),
                "!=",
                f"seed's candidate at $({p}, {q})$: $y = {sympy.latex(seed_y.subs({x1: p, x2: q}))} > {sympy.latex(threshold)}$",
                lhs=sympy.Integer(1 if seed_y.subs({x1: p, x2: q}) > threshold else 0),
            )
        )
    fixed = a * g1 + c * g2 + d
    fix_solution = sympy.solve([sympy.Eq(fixed.subs({x1: p, x2: q}), t) for (p, q), t in XOR_TABLE], (a, c, d), dict=True)
    (fix_weights,) = fix_solution
    corrected_y = fixed.subs(fix_weights)
    corrected_text = (
        "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\n"
        f"y = {sympy.sstr(corrected_y.xreplace({g1: Symbol('h1'), g2: Symbol('h2')}))}"
    )
    corrected_check = check_xor(corrected_text)
    for (p, q), t in XOR_TABLE:
        steps.append(
            Step(sympy.Integer(t), "=", f"corrected weights at $({p}, {q})$", lhs=_unevaluated(corrected_y, p, q))
        )
    # The smallest change to the seed's h2 weight that works with its threshold.
    k = Symbol("k")
    bound = sympy.solve(sympy.Rational(3, 2) + k * Rational(1, 2) - threshold, k)[0]
    return Derivation(
        title="XOR needs a hidden layer",
        steps=tuple(steps),
        summary=(
            "No affine threshold unit computes XOR (a Farkas certificate); two ReLU units do. "
            f"The seed's candidate fails at {seed_check.failures} with threshold {threshold}."
        ),
        keep_order=True,
        facts={
            "certificate": certificate,
            "derived_network": derived_text,
            "derived_check": derived_check,
            "seed_check": seed_check,
            "corrected_network": corrected_text,
            "corrected_check": corrected_check,
            "seed_h2_weight_at_most": bound,
        },
    )


def _unevaluated(expr, p, q):
    """``expr`` at (p, q), nothing evaluated, terms in written order (for display)."""
    return written_at(expr, {x1: sympy.Integer(p), x2: sympy.Integer(q)})


def _tuple(values) -> str:
    return "(" + ", ".join(sympy.latex(v) for v in values) + ")"

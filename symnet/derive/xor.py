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

from symnet.budget import value_at
from symnet.derive.core import Derivation, Step, written_at
from symnet.errors import SymnetError
from symnet.functions import relu
from symnet.network import Sequential
from symnet.parse import parse_assignments
from symnet.printing.latex import latex
from symnet.values import exact_decimal

__all__ = [
    "xor",
    "check_xor",
    "candidate_expression",
    "correct_output_weights",
    "weight_bound",
    "XorCheck",
    "XOR_TABLE",
]

#: The truth table: inputs and XOR.
XOR_TABLE = (((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0))

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

    def as_json(self) -> dict:
        """``{"ok", "failures", "rows"}``, for ``symnet xor --json``."""
        return {
            "ok": self.ok,
            "failures": [list(f) for f in self.failures],
            "rows": [{"x": list(r.inputs), "y": str(r.output), "predicted": r.predicted, "xor": r.expected}
                     for r in self.rows],
        }


def _compose(lines) -> dict:
    """``{Symbol(name): expression in x1, x2}`` for assignments in order; a name must be defined before it is used."""
    names = [name for name, _ in lines]
    if len(set(names)) != len(names):
        raise SymnetError(f"a name is assigned twice in the candidate: {names}")
    defined: dict = {}
    for name, expr in lines:
        unknown = expr.free_symbols - set(defined) - {x1, x2}
        if unknown:
            raise SymnetError(f"{name} uses {', '.join(sorted(map(str, unknown)))} before it is defined (inputs are x1, x2)")
        defined[Symbol(name)] = expr.xreplace(defined)
    return defined


def candidate_expression(text: str) -> sympy.Expr:
    """The output of a network in text form (``h1 = relu(x1 + x2 - 0.5)`` lines, the last one the output) in x1, x2."""
    lines = parse_assignments(text)
    return _compose(lines)[Symbol(lines[-1][0])]


def _evaluator(network):
    """A function (x1, x2) -> the output (exact, or a bounded Float) for text (``h1 = ...`` lines) or a symnet network."""
    if isinstance(network, Sequential):
        if network.n_in != 2 or network.n_out != 1 or not network.is_bound:
            raise SymnetError(f"an XOR candidate network needs 2 inputs, 1 output and numeric weights; got {network}")
        return lambda a, b: value_at(network([a, b])[0], {}, f"the output at ({a}, {b})")
    if not isinstance(network, str):
        raise SymnetError(f"an XOR candidate is network text or a Sequential, got {type(network).__name__}")
    expr = candidate_expression(network)  # every name defined, or an error naming the one that is not
    return lambda a, b: value_at(expr, {x1: sympy.Integer(a), x2: sympy.Integer(b)}, f"the output at ({a}, {b})")


def check_xor(network, threshold=None) -> XorCheck:
    """Evaluate a candidate on the four inputs, exactly; with ``threshold`` the output counts as 1 when y > threshold."""
    t = None if threshold is None else exact_decimal(threshold, what="threshold")
    evaluate = _evaluator(network)
    rows = []
    for inputs, expected in XOR_TABLE:
        y = evaluate(*inputs)
        if t is None:
            predicted = int(y) if y in (S.Zero, S.One) else None
        else:
            predicted = 1 if y > t else 0
        rows.append(XorRow(inputs, y, predicted, expected))
    return XorCheck(tuple(rows), t)


def _certificate():
    r"""Premises of a threshold unit reproducing XOR, and the multipliers solved for.

    Row by row the premise is :math:`g_i > 0` (XOR is 1) or :math:`g_i \ge 0`
    with :math:`g_i = -z_i` (XOR is 0). The multipliers solve
    :math:`\sum_i \lambda_i g_i \equiv 0` (every coefficient of the
    polynomial in :math:`w_1, w_2, b` vanishes) with :math:`\sum_i \lambda_i = 1`;
    the prover checks them, signs included.
    """
    w1, w2, b = sympy.symbols("w_1 w_2 b", real=True)
    premises, gs = [], []
    for (p, q), target in XOR_TABLE:
        z = w1 * p + w2 * q + b  # the unit's preactivation on this row
        premises.append(z > 0 if target == 1 else z <= 0)
        gs.append(z if target == 1 else -z)
    lambdas = [sympy.Dummy() for _ in gs]
    combination = sum(l * g for l, g in zip(lambdas, gs))
    equations = sympy.Poly(combination, w1, w2, b).coeffs() + [sum(lambdas) - 1]
    (solution,) = sympy.linsolve(equations, lambdas)
    return premises, tuple(solution)


def xor(candidate: str | None = None, threshold=Rational(1, 4), source: str = "the candidate") -> Derivation:
    """Derive (a) XOR's linear inseparability, (b) a two-ReLU network for it, and (c) with ``candidate``
    (network text), that network checked with ``threshold`` and its output weights corrected.

    ``source`` names the candidate in the justifications ("the source text's candidate").
    """
    steps = []
    premises, certificate = _certificate()
    steps.append(
        Step(
            sympy.StrictLessThan(0, 0, evaluate=False),
            "=>",
            f"the four rows of $[w^\\top x + b > 0]$; $\\lambda = {_tuple(certificate)}$",
            lhs=sympy.And(*premises),
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
                f"$y = {latex(network_y.xreplace({v: k for k, v in hidden.items()}))}$ at $({p}, {q})$",
                lhs=_unevaluated(network_y, p, q),
            )
        )
    derived_text = f"h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = {sympy.sstr(network_y.xreplace({h1: Symbol('h1'), h2: Symbol('h2')}))}"
    derived_check = check_xor(derived_text)
    facts = {"certificate": certificate, "derived_network": derived_text, "derived_check": derived_check}
    summary = "No affine threshold unit computes XOR (a Farkas certificate); two ReLU units do."
    if candidate is not None:
        steps += _candidate_steps(candidate, threshold, source, facts)
        failures = facts["candidate_check"].failures
        named = source[0].upper() + source[1:]
        summary += (f" {named} fails at {', '.join(f'({a}, {b})' for a, b in failures)} with threshold "
                    f"${latex(threshold)}$." if failures else f" {named} computes XOR.")
    return Derivation(title="XOR needs a hidden layer", steps=tuple(steps), summary=summary, keep_order=True, facts=facts)


def _candidate_steps(candidate: str, threshold, source: str, facts: dict) -> list[Step]:
    """A candidate network checked on the truth table, and its output weights solved for from its own hidden units."""
    steps = []
    check = check_xor(candidate, threshold=threshold)
    y = candidate_expression(candidate)
    for inputs in check.failures:
        p, q = inputs
        value = y.subs({x1: p, x2: q})
        steps.append(
            Step(
                sympy.Integer(dict(XOR_TABLE)[inputs]),
                "!=",
                f"{source} at $({p}, {q})$: $y = {latex(value)} > {latex(threshold)}$",
                lhs=sympy.Integer(1 if value > threshold else 0),
            )
        )
    facts["candidate_check"] = check
    if check.ok:
        return steps
    corrected_text = correct_output_weights(candidate)
    corrected_y = candidate_expression(corrected_text)
    for (p, q), t in XOR_TABLE:
        steps.append(
            Step(sympy.Integer(t), "=", f"corrected weights at $({p}, {q})$", lhs=_unevaluated(corrected_y, p, q))
        )
    try:
        bound = weight_bound(candidate, threshold)
    except SymnetError:  # the last hidden unit is 0 on the first wrong row: no weight of it helps
        bound = None
    facts.update(corrected_network=corrected_text, corrected_check=check_xor(corrected_text), weight_bound=bound)
    return steps


def _lines(text: str):
    """The candidate's assignments, and its source lines without comments (to keep hidden units as written)."""
    source = [line.partition("#")[0].strip() for line in text.splitlines()]
    return parse_assignments(text), [line for line in source if line]


def correct_output_weights(text: str) -> str:
    r"""Keep a candidate's hidden units and solve its output :math:`y = \sum_i c_i h_i + d` for exact XOR.

    Returns the corrected network text; raises if no output weights reproduce
    the truth table with these hidden units.
    """
    lines, source = _lines(text)
    hidden, (output, _) = lines[:-1], lines[-1]
    composed = _compose(hidden)
    coefficients = sympy.symbols(f"c1:{len(hidden) + 1}")
    bias = Symbol("d")
    y = sum((c * h for c, h in zip(coefficients, composed)), bias)
    equations = [sympy.Eq(y.xreplace(composed).subs({x1: p, x2: q}), t) for (p, q), t in XOR_TABLE]
    solution = sympy.solve(equations, (*coefficients, bias), dict=True)
    if not solution:
        raise SymnetError("no output weights make these hidden units compute XOR")
    free = {v: 0 for v in (*coefficients, bias) if v not in solution[0]}  # a family: its simplest member
    corrected = y.subs(solution[0]).subs(free)
    return "\n".join(source[:-1]) + f"\n{output} = {sympy.sstr(corrected)}"


def weight_bound(text: str, threshold) -> tuple[str, str, sympy.Expr]:
    """How the weight of the candidate's last hidden unit must change for XOR with ``threshold``: ``(unit, relation, value)``.

    The other weights stay as written; the bound comes from the first row the
    candidate gets wrong (an error if the unit is 0 on that row). An output counts as 1 when :math:`y > t`, so a row
    that must give 1 needs a strict bound (``"more than"``, ``"less than"``)
    and a row that must give 0 a non-strict one (``"at least"``, ``"at most"``).
    """
    lines, _ = _lines(text)
    (unit, _), (_, y) = lines[-2], lines[-1]
    k, h = Symbol("k"), Symbol(unit)
    failures = check_xor(text, threshold=threshold).failures
    if not failures:
        raise SymnetError("the candidate already computes XOR")
    (p, q) = failures[0]
    at_row = (y.subs(h, 0) + k * h).xreplace(_compose(lines[:-1])).subs({x1: p, x2: q})
    slope = sympy.diff(at_row, k)  # the unit's value at that row
    if slope == 0:
        raise SymnetError(f"no weight on {unit} fixes the row ({p}, {q}): {unit} is 0 there")
    (boundary,) = sympy.solve(sympy.Eq(at_row, threshold), k)
    wants_one = dict(XOR_TABLE)[(p, q)] == 1
    rising = slope > 0
    upward = wants_one == bool(rising)  # the weight must grow past the boundary
    if wants_one:
        return unit, ("more than" if upward else "less than"), boundary
    return unit, ("at least" if upward else "at most"), boundary


def _unevaluated(expr, p, q):
    """``expr`` at (p, q), nothing evaluated, terms in written order (for display)."""
    return written_at(expr, {x1: sympy.Integer(p), x2: sympy.Integer(q)})


def _tuple(values) -> str:
    return "(" + ", ".join(latex(v) for v in values) + ")"

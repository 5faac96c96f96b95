r"""Derivations: ordered steps, each a claim ``lhs REL rhs`` with a justification, proven by SymPy.

A :class:`Derivation` renders as an ``align*`` chain::

    lhs &= rhs_1 && \text{why}
        &= rhs_2 && \text{why}

and :meth:`Derivation.verify` proves every step:

``=``
    scalars by ``expand``/``cancel``/``simplify`` (piece by piece between kinks
    for functions of one real variable, see :mod:`symnet.analysis`); matrix
    expressions with non-commutative matrix symbols by ``expand`` to the zero
    matrix; explicit matrices entry by entry.
``<=``, ``<``
    by calculus on the difference (its infimum over ℝ for one variable), by
    exact evaluation for numbers, and for a product of :math:`L` factors
    against :math:`c^L` by bounding one factor in :math:`[0, c]`.
``=>``
    a contradiction from strict inequalities, by a certificate: non-negative
    multipliers whose combination of the premises is a constant that
    contradicts them (Farkas' lemma).
``!=``, ``~`` (≈)
    by exact evaluation; ``~`` within the step's tolerance.
``:=``
    a definition: nothing to prove.

What cannot be proven symbolically is checked at random rational points
(the seed is recorded) and reported as "numeric", with the reason. A step
that is false fails :meth:`~Derivation.verify`, which names it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy import Expr, MatrixExpr, MatrixSymbol, Rational, S

from symnet.activations import to_elementary
from symnet.analysis import equal_on_reals, kinks, profile, proves_zero
from symnet.errors import SymnetError
from symnet.values import as_sympy
from symnet.render.latex import tex_text

__all__ = ["Step", "Derivation", "Report", "StepResult", "RELATIONS", "STATUS_MARKS", "written_at"]

#: Relation → LaTeX.
RELATIONS = {
    "=": "=",
    "<=": r"\le",
    "<": "<",
    "=>": r"\implies",
    "!=": r"\ne",
    "~": r"\approx",
    ":=": "=",  # a definition prints as a textbook writes it; verify() reports it as one
}
#: Each step status and the mark it is shown with.
STATUS_MARKS = {"proven": "✓", "numeric": "≈", "definition": "·", "false": "✗", "unchecked": "?"}
#: Random rational points tried when a step cannot be proven symbolically.
NUMERIC_POINTS = 20
DEFAULT_SEED = 20261125


@dataclass(frozen=True)
class Step:
    """One claim ``lhs relation rhs``; ``lhs=None`` continues from the previous step's right-hand side."""

    rhs: Any
    relation: str = "="
    why: str = ""
    lhs: Any = None
    #: ``=>`` steps: multipliers, one per premise of the ``And`` on the left.
    certificate: tuple | None = None
    #: ``~`` steps: the largest allowed |lhs - rhs|.
    tolerance: Any = None
    #: ``=`` steps about derivatives of kinked functions: equal on each side of the kinks, where the
    #: value is a convention (SymPy's Heaviside(0) = 1/2, ReLU'(0) = 0 here).
    except_at_kinks: bool = False
    #: Start a new ``align*`` block here (for a wide chain that would push the others off the page).
    new_block: bool = False

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise SymnetError(f"unknown relation {self.relation!r}; known: {', '.join(RELATIONS)}")


@dataclass(frozen=True)
class StepResult:
    index: int
    claim: str
    status: str  # "proven", "numeric", "definition", "false" or "unchecked"
    detail: str

    @property
    def holds(self) -> bool:
        return self.status in ("proven", "numeric", "definition")


@dataclass(frozen=True)
class Report:
    """The outcome of :meth:`Derivation.verify`; truthy iff every step holds."""

    title: str
    results: tuple[StepResult, ...]
    seed: int

    def __bool__(self) -> bool:
        return all(r.holds for r in self.results)

    @property
    def failures(self) -> list[StepResult]:
        return [r for r in self.results if not r.holds]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    @property
    def verdict(self) -> str:
        """``verified (2 definition, 4 proven)``, or what failed: one line for a document."""
        parts = ", ".join(f"{n} {status}" for status, n in self.counts().items())
        if self:
            return f"verified ({parts})"
        failed = "; ".join(f"step {f.index} {f.status} ({f.detail})" for f in self.failures)
        return f"NOT verified: {failed} ({parts})"

    def __str__(self) -> str:
        lines = [f"{self.title}: {'all steps hold' if self else f'{len(self.failures)} step(s) do not hold'}"]
        for r in self.results:
            lines.append(f"  {STATUS_MARKS[r.status]} step {r.index} [{r.status}] {r.claim} — {r.detail}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Derivation:
    """An ordered list of :class:`Step` s with a title; ``facts`` holds what the derivation computed."""

    title: str
    steps: tuple[Step, ...]
    summary: str = ""
    facts: dict = field(default_factory=dict)
    #: Print exact rationals whose denominators divide a power of 10 as decimals (0.5, not 1/2).
    decimals: bool = False
    #: Print sums in the order their terms were written (for displays built unevaluated).
    keep_order: bool = False

    def claims(self) -> list[tuple[Any, str, Any, Step]]:
        """``(lhs, relation, rhs, step)`` with every continued left-hand side filled in."""
        out, previous = [], None
        for step in self.steps:
            lhs = step.lhs if step.lhs is not None else previous
            if lhs is None:
                raise SymnetError(f"{self.title}: the first step needs a left-hand side")
            out.append((lhs, step.relation, step.rhs, step))
            previous = step.rhs
        return out

    def verify(self, seed: int = DEFAULT_SEED) -> Report:
        """Prove every step (see the module docstring); ``seed`` drives any numeric fallback."""
        results = []
        for index, (lhs, relation, rhs, step) in enumerate(self.claims(), start=1):
            claim = f"{_short(lhs)} {relation} {_short(rhs)}"
            rng = random.Random(seed + index)
            rng.seed_value = seed + index
            try:
                status, detail = _verify(lhs, relation, rhs, step, rng)
            except Exception as error:  # a step SymPy cannot handle is reported, never raised
                status, detail = "unchecked", f"{type(error).__name__}: {error}"
            results.append(StepResult(index, claim, status, detail))
        return Report(self.title, tuple(results), seed)

    def latex_rows(self) -> list[list[tuple[str, str, str, str]]]:
        """The chains as blocks of ``(lhs, relation, rhs, why)``: LaTeX for the first three, plain text for ``why``.

        ``lhs`` is empty where a step continues the previous right-hand side.
        Chains share a block; a step with ``new_block=True`` starts another.
        """
        from symnet.render.latex import latex as render

        settings = {"decimal_rationals": self.decimals}
        if self.keep_order:
            settings["order"] = "none"
        blocks: list[list[tuple[str, str, str, str]]] = []
        for lhs, relation, rhs, step in self.claims():
            if not blocks or step.new_block:
                blocks.append([])
            left = render(lhs, **settings) if step.lhs is not None else ""
            blocks[-1].append((left, RELATIONS[relation], render(rhs, **settings), step.why))
        return blocks

    def latex(self, justify: str = "column") -> str:
        """``align*`` environments (amsmath) with the justifications as ``\\text{…}``.

        ``justify="column"`` puts them in a column after the formulas
        (``&& \\text{why}``); ``"tag"`` puts them at the right margin
        (``\\tag*{why}``), where amsmath moves one below its line when the
        line is too wide, which suits pages with long formulas. Chains share one
        block; a step with ``new_block=True`` starts another, so a wide chain
        does not push the others off the page.
        """
        if justify not in ("column", "tag"):
            raise SymnetError(f"justify must be 'column' or 'tag', got {justify!r}")
        template = r" && \text{%s}" if justify == "column" else r" \tag*{%s}"

        def line(left, relation, right, why):
            return f"{left} &{relation} {right}" + (template % tex_text(why) if why else "")

        return "\n".join(
            "\\begin{align*}\n" + " \\\\\n".join(line(*row) for row in block) + "\n\\end{align*}"
            for block in self.latex_rows()
        )

    def _repr_latex_(self) -> str:
        try:
            return self.latex()
        except Exception as error:  # a display hook must not raise
            return f"(LaTeX unavailable: {type(error).__name__}: {error})"


def written_at(expr, values: dict):
    """``expr`` with ``values`` substituted and nothing evaluated, for display.

    Sums are ordered as a person writes them: terms with variables first
    (positive before negative), then the constant; print with
    ``keep_order=True``.
    """

    def rebuild(e):
        if e in values:
            return values[e]
        if not e.args:
            return e
        pairs = [(a, rebuild(a)) for a in e.args]
        if e.is_Add:
            variable = sorted((p for p in pairs if not p[0].is_Number), key=lambda p: (p[0].could_extract_minus_sign(), str(p[0])))
            pairs = variable + [p for p in pairs if p[0].is_Number]
        with sympy.evaluate(False):
            return e.func(*[new for _, new in pairs])

    return rebuild(as_sympy(expr))


def _short(value, limit: int = 80) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- verification ---------------------------------------------------------------------------


def _verify(lhs, relation, rhs, step: Step, rng: random.Random) -> tuple[str, str]:
    if relation == ":=":
        return "definition", "a definition"
    if relation == "=":
        return _verify_equal(lhs, rhs, rng, step.except_at_kinks)
    if relation in ("<=", "<"):
        return _verify_inequality(lhs, rhs, strict=relation == "<", rng=rng)
    if relation == "=>":
        return _verify_certificate(lhs, rhs, step.certificate)
    if relation == "!=":
        difference = sympy.sympify(lhs - rhs)  # reviewed: lhs and rhs are SymPy objects of the derivation
        if difference.is_number:
            return ("proven", f"the two sides differ by {difference}") if difference != 0 else ("false", "the two sides are equal")
        return "unchecked", "only numbers can be compared with !="
    if relation == "~":
        difference = abs(sympy.N(lhs - rhs, 30))
        tolerance = step.tolerance if step.tolerance is not None else S.Zero
        verdict = "proven" if difference <= tolerance else "false"
        return verdict, f"|difference| = {sympy.N(difference, 6)}, tolerance {tolerance}"
    return "unchecked", f"no rule for {relation}"


def _is_matrix(value) -> bool:
    return isinstance(value, (MatrixExpr, sympy.MatrixBase))


def _verify_equal(lhs, rhs, rng, except_at_kinks: bool = False) -> tuple[str, str]:
    if isinstance(lhs, sympy.Set) or isinstance(rhs, sympy.Set):
        return _verify_set_equal(lhs, rhs)
    if _is_matrix(lhs) or _is_matrix(rhs):
        if lhs.shape != rhs.shape:
            return "false", f"shapes differ: {lhs.shape} and {rhs.shape}"
        if isinstance(lhs, sympy.MatrixBase) and isinstance(rhs, sympy.MatrixBase):
            for i, (a, b) in enumerate(zip(lhs, rhs)):
                if not _scalar_equal(a, b):
                    return _numeric_equal(lhs, rhs, rng, reason=f"entry {i + 1} was not proven equal symbolically")
            return "proven", "equal entry by entry (SymPy)"
        difference = sympy.expand((lhs - rhs).doit())
        if isinstance(difference, sympy.MatrixBase):  # explicit matrices inside the expression
            if all(proves_zero(entry) for entry in difference):
                return "proven", "equal entry by entry after multiplying out (SymPy)"
            return _numeric_equal(lhs, rhs, rng, reason="an entry was not proven equal symbolically")
        if difference == 0 or isinstance(difference, sympy.ZeroMatrix) or difference.is_ZeroMatrix:
            return "proven", "the difference expands to the zero matrix (non-commutative products kept in order)"
        return _numeric_equal(lhs, rhs, rng, reason=f"the difference expands to {_short(difference)}")
    if _scalar_equal(lhs, rhs, except_at_kinks):
        if except_at_kinks:
            return "proven", "equal on each side of the kinks; at a kink the value is a convention"
        return "proven", "the difference simplifies to 0"
    if except_at_kinks:
        return "false", "not equal on both sides of the kinks"
    return _numeric_equal(lhs, rhs, rng, reason="SymPy did not reduce the difference to 0")


def _verify_set_equal(lhs, rhs) -> tuple[str, str]:
    """Sets: a ``ConditionSet`` is solved (over its base set) and compared with the other side."""

    def solved(s):
        if isinstance(s, sympy.ConditionSet):
            condition = s.condition
            equation = to_elementary(condition.lhs - condition.rhs) if isinstance(condition, sympy.Eq) else condition
            return sympy.solveset(equation, s.sym, s.base_set)
        return s

    a, b = solved(lhs), solved(rhs)
    if isinstance(a, sympy.ConditionSet) or isinstance(b, sympy.ConditionSet):
        return "unchecked", "SymPy could not solve the condition"
    if a == b:
        return "proven", f"solved: {a}"
    return "false", f"the sets differ: {a} and {b}"


def _scalar_equal(a, b, except_at_kinks: bool = False) -> bool:
    a, b = sympy.sympify(a).doit(), sympy.sympify(b).doit()  # reviewed: SymPy objects of the derivation
    difference = to_elementary(a - b)
    free = difference.free_symbols
    if len(free) == 1:
        (z,) = free
        real = sympy.Dummy(str(z), real=True)
        left, right = to_elementary(a).xreplace({z: real}), to_elementary(b).xreplace({z: real})
        if kinks(left - right, real):
            return equal_on_reals(left, right, real, at_kinks=not except_at_kinks)
    return proves_zero(difference)


def _random_rational(rng: random.Random) -> Rational:
    return Rational(rng.randint(-40, 40), rng.randint(1, 9))


def _instantiate(expr, rng: random.Random, values: dict):
    """Replace every matrix symbol (its symbolic sizes by small integers) and every symbol by random rationals."""
    if isinstance(expr, (MatrixExpr, sympy.MatrixBase, sympy.Basic)):
        matrices = sorted(expr.atoms(MatrixSymbol), key=str) if hasattr(expr, "atoms") else []
        for m in matrices:
            if m in values:
                continue
            for size in m.shape:
                for d in sorted(getattr(size, "free_symbols", set()), key=str):
                    values.setdefault(d, sympy.Integer(rng.randint(1, 4)))
            rows, cols = (int(sympy.sympify(s).xreplace(values)) for s in m.shape)  # reviewed: sizes are SymPy objects
            values[m] = sympy.ImmutableMatrix(rows, cols, [_random_rational(rng) for _ in range(rows * cols)])
        for s in sorted(expr.free_symbols - set(values), key=str):
            if not isinstance(s, MatrixSymbol):
                values[s] = _random_rational(rng)
    return values


def _evaluate(expr, values: dict):
    result = (expr.doit() if hasattr(expr, "doit") else expr).xreplace(values)
    return result.doit() if hasattr(result, "doit") else result


def _numeric_equal(lhs, rhs, rng, reason: str) -> tuple[str, str]:
    seed_note = f"seed {getattr(rng, 'seed_value', 'unknown')}"
    for _ in range(NUMERIC_POINTS):
        values = _instantiate(lhs, rng, {})
        values = _instantiate(rhs, rng, values)
        a, b = _evaluate(lhs, values), _evaluate(rhs, values)
        difference = (sympy.ImmutableMatrix(a) - sympy.ImmutableMatrix(b)) if _is_matrix(a) else sympy.N(a - b, 40)
        if _is_matrix(a):
            if any(abs(sympy.N(d, 40)) > 1e-30 for d in difference):
                return "false", f"{reason}; the sides differ at a random rational point"
        elif abs(difference) > 1e-30:
            return "false", f"{reason}; the sides differ at a random rational point ({_short(values)})"
    return "numeric", f"{reason}; equal at {NUMERIC_POINTS} random rational points ({seed_note})"


def _verify_inequality(lhs, rhs, strict: bool, rng) -> tuple[str, str]:
    if isinstance(lhs, sympy.Product):
        return _verify_product_bound(lhs, rhs, strict)
    difference = to_elementary(sympy.sympify(rhs - lhs))  # reviewed: SymPy objects of the derivation
    free = difference.free_symbols
    if not free:
        value = sympy.N(difference, 40)
        holds = value > 0 if strict else value >= 0
        return ("proven" if holds else "false"), f"rhs - lhs = {sympy.N(difference, 8)}"
    if len(free) == 1:
        (z,) = free
        real = sympy.Dummy(str(z), real=True)
        p = profile(difference.xreplace({z: real}), real)
        low = p.infimum
        holds = (low.value > 0 or (low.value == 0 and not low.attained)) if strict else low.value >= 0
        where = f", attained at {low.point}" if low.attained else " (not attained)"
        how = "proven" if low.exact else "numeric"
        if holds:
            return how, f"inf over ℝ of rhs - lhs is {low.value}{where}" + ("" if low.exact else "; critical point found numerically")
        return "false", f"rhs - lhs reaches {low.value}{where}"
    return "unchecked", f"inequalities in {len(free)} variables need a product form"


def _verify_product_bound(product: sympy.Product, bound, strict: bool) -> tuple[str, str]:
    """:math:`\\prod_{k=1}^{L} f(z_k) \\le c^L` from :math:`0 \\le f \\le c` (one factor bounded by calculus)."""
    (index, low, high), factor = product.limits[0], product.function
    bound = sympy.sympify(bound)  # reviewed: SymPy object of the derivation
    if not (isinstance(bound, sympy.Pow) and bound.exp == high - low + 1):
        return "unchecked", f"the bound {bound} is not c**{high - low + 1}"
    c = bound.base
    indexed = sorted(factor.atoms(sympy.Indexed), key=str)
    if len(indexed) != 1:
        return "unchecked", "each factor must depend on one indexed variable z[k]"
    t = sympy.Dummy("t", real=True)
    p = profile(to_elementary(factor.xreplace({indexed[0]: t})), t)
    if p.infimum.value < 0:
        return "false", f"a factor can be negative ({p.infimum.value})"
    if p.supremum.value > c or (strict and p.supremum.value == c and p.supremum.attained):
        return "false", f"a factor reaches {p.supremum.value} > {c}"
    return "proven", f"each factor lies in [{p.infimum.value}, {p.supremum.value}] ⊆ [0, {c}], so the product of {high - low + 1} factors is at most {c}^{high - low + 1}"


def _verify_certificate(premises, conclusion, certificate) -> tuple[str, str]:
    """Premises g_i > 0 (or ≥ 0), multipliers λ_i ≥ 0: Σ λ_i g_i ≡ constant ≤ 0 contradicts them."""
    if conclusion not in (sympy.false, S.false) and not (isinstance(conclusion, sympy.core.relational.Relational) and conclusion.lhs == conclusion.rhs):
        return "unchecked", "only contradictions (⇒ false, ⇒ 0 < 0) are checked"
    relations = list(premises.args) if isinstance(premises, sympy.And) else [premises]
    if certificate is None or len(certificate) != len(relations):
        return "unchecked", "a certificate with one multiplier per premise is needed"
    if any(sympy.sympify(m) < 0 for m in certificate):  # reviewed: multipliers are SymPy numbers
        return "false", "a multiplier is negative"
    total, strict_used = S.Zero, False
    for multiplier, relation in zip(certificate, relations):
        if isinstance(relation, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            g = relation.lhs - relation.rhs
        elif isinstance(relation, (sympy.StrictLessThan, sympy.LessThan)):
            g = relation.rhs - relation.lhs
        else:
            return "unchecked", f"premise {relation} is not an inequality"
        total += multiplier * g
        strict_used = strict_used or (multiplier != 0 and relation.is_Relational and relation.rel_op in (">", "<"))
    total = sympy.expand(total)
    if total.free_symbols:
        return "false", f"Σ λ_i g_i = {total} is not a constant"
    if total < 0 or (total == 0 and strict_used):
        return "proven", f"Σ λ_i g_i = {total} with λ = {tuple(certificate)} ≥ 0, yet the premises make it {'> 0' if strict_used else '≥ 0'}"
    return "false", f"Σ λ_i g_i = {total} does not contradict the premises"

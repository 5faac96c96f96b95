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

Every step is decided by :func:`symnet.prove.decide`, the decider the checker
uses too. What cannot be proven symbolically is checked at random rational
points (the seed is recorded) and reported as "numeric", with the reason. A
step that is false fails :meth:`~Derivation.verify`, which names it.

A step is reported "proven" only when it could have failed. Both sides of a
step are built by the derivation's own code, so a step whose two sides are
the same expression once SymPy evaluates them (``doit()``) only shows what
SymPy computed: it is reported as "computed by SymPy", or "arithmetic" when
the sides are numbers, and counted apart (:meth:`Report.tally`). So is any
step about rational numbers settled by exact arithmetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import sympy

from symnet.errors import SymnetError
from symnet.printing.latex import latex as render
from symnet.printing.latex import tex_text
from symnet.prove import SEED, Status, decide
from symnet.values import as_sympy

__all__ = ["Step", "Derivation", "Report", "StepResult", "RELATIONS", "tally_text", "written_at"]

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
    """One step's claim and how :func:`symnet.prove.decide` settled it."""

    index: int
    claim: str
    status: Status
    detail: str

    @property
    def holds(self) -> bool:
        return self.status.holds

    def as_json(self) -> dict:
        return {"step": self.index, "claim": self.claim, "status": self.status.value, "detail": self.detail}


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
        """Steps per :class:`~symnet.prove.Status` value, in the order they first occur."""
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status.value] = out.get(r.status.value, 0) + 1
        return out

    def tally(self) -> dict[str, int]:
        """``{"proofs", "computations", "definitions"}`` and, when there are any, ``"numeric"`` and ``"failed"``.

        Proofs are steps that could have failed and were proven; computations
        are steps that show what SymPy computed (``computed`` and
        ``arithmetic``), which cannot fail.
        """
        groups = {Status.PROVEN: "proofs", Status.COMPUTED: "computations", Status.ARITHMETIC: "computations",
                  Status.DEFINITION: "definitions", Status.NUMERIC: "numeric"}
        out = {"proofs": 0, "computations": 0, "definitions": 0}
        for r in self.results:
            key = groups.get(r.status, "failed")
            out[key] = out.get(key, 0) + 1
        return out

    @property
    def verdict(self) -> str:
        """``verified (4 proven, 1 computed by SymPy, 2 definition)``, or what failed: one line for a document."""
        parts = ", ".join(f"{n} {Status(status).label}" for status, n in self.counts().items())
        if self:
            return f"verified ({parts})"
        failed = "; ".join(f"step {f.index} {f.status} ({f.detail})" for f in self.failures)
        return f"NOT verified: {failed} ({parts})"

    def __str__(self) -> str:
        lines = [f"{self.title}: {'all steps hold' if self else f'{len(self.failures)} step(s) do not hold'} ({tally_text(self.tally())})"]
        for r in self.results:
            lines.append(f"  {r.status.mark} step {r.index} [{r.status}] {r.claim} — {r.detail}")
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"title": self.title, "verified": bool(self), "seed": self.seed,
                "steps": [r.as_json() for r in self.results]}


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

    def verify(self, seed: int = SEED) -> Report:
        """Decide every step with :func:`symnet.prove.decide`; step ``k`` draws any random points with seed ``seed + k``."""
        results = []
        for index, (lhs, relation, rhs, step) in enumerate(self.claims(), start=1):
            claim = f"{_short(lhs)} {relation} {_short(rhs)}"
            rng = random.Random(seed + index)
            rng.seed_value = seed + index
            verdict = decide(lhs, relation, rhs, rng=rng, tolerance=step.tolerance, certificate=step.certificate,
                             except_at_kinks=step.except_at_kinks)
            status, detail = verdict.status, verdict.detail
            if status is Status.PROVEN:
                status, detail = _kind_of_proof(lhs, rhs, detail)
            results.append(StepResult(index, claim, status, detail))
        return Report(self.title, tuple(results), seed)

    def latex_rows(self) -> list[list[tuple[str, str, str, str]]]:
        """The chains as blocks of ``(lhs, relation, rhs, why)``: LaTeX for the first three, plain text for ``why``.

        ``lhs`` is empty where a step continues the previous right-hand side.
        Chains share a block; a step with ``new_block=True`` starts another.
        """
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


def tally_text(tally: dict[str, int]) -> str:
    """``{"proofs": 1, "computations": 4}`` → ``1 proof, 4 computations``."""
    return ", ".join(f"{n} {kind[:-1] if n == 1 and kind.endswith('s') else kind}" for kind, n in tally.items())


def _kind_of_proof(lhs, rhs, detail: str) -> tuple[Status, str]:
    """A proven step stays proven unless it could not have failed: the same expression on both sides after ``doit()``.

    Such a step is :attr:`~Status.ARITHMETIC` when its sides are numbers, else
    :attr:`~Status.COMPUTED`; a step about rational numbers proven by exact
    arithmetic is :attr:`~Status.ARITHMETIC` too.
    """
    left, right = _evaluated(lhs), _evaluated(rhs)
    if left is None or right is None:
        return Status.PROVEN, detail
    numbers = not left.free_symbols and not right.free_symbols
    if left == right:  # explicit matrices compare shape and entries
        if numbers:
            return Status.ARITHMETIC, "the two sides evaluate to the same number"
        return Status.COMPUTED, "both sides are the same expression once SymPy evaluates them: not a proof"
    if numbers and all(isinstance(v, sympy.Rational) for v in (left, right)):
        return Status.ARITHMETIC, detail
    return Status.PROVEN, detail


def _evaluated(value):
    """``value.doit()`` as a SymPy object, or None where SymPy cannot (a relation, a tuple of mixed things)."""
    try:
        return as_sympy(value).doit()
    except (SymnetError, TypeError, ValueError, AttributeError, NotImplementedError):
        return None


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
            variable = sorted((p for p in pairs if not p[0].is_Number), key=lambda p: p[0].could_extract_minus_sign())
            pairs = variable + [p for p in pairs if p[0].is_Number]
        with sympy.evaluate(False):
            return e.func(*[new for _, new in pairs])

    return rebuild(as_sympy(expr))


def _short(value, limit: int = 80) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"

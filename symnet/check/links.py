r"""Reading each link ``a REL b`` of a relation chain as a claim, and deciding it with :func:`symnet.prove.decide`.

The decision itself is the prover's (exact arithmetic, proofs, refutation at
random points). What belongs to the reading of a document is decided here:

Definitions
    a chain that starts with a lone symbol (``z = …``) defines it: that first
    link is not a claim.
Values the formula does not give
    a link whose sides mention different unknowns
    (``\mathbf w^\top \mathbf x + b = 0.5 \cdot 2 + …``) depends on values
    the formula does not give: unless it is proven anyway, it is not checked.
Inequalities between formulas
    depend on what the unknowns stand for: not checked.
Written precision
    ``\approx`` allows half a unit of the last digit written on the right
    (``≈ 0.27`` allows 0.005).

Every decision runs under :data:`LINK_SECONDS`.
"""

from __future__ import annotations

import random
import re

import sympy
from sympy import Expr

from symnet.check.latex_math import Chain
from symnet.prove import RELATIONS, SEED, Status, Verdict, decide

__all__ = ["decide_chain", "decide_link", "LINK_SECONDS"]

#: Time limit for deciding one link.
LINK_SECONDS = 5.0


def _lone(expr) -> bool:
    return isinstance(expr, (sympy.Symbol, sympy.Indexed))


def _last_number(text: str) -> str | None:
    """The last number written in ``text`` (``≈ 0.27`` → ``0.27``), whose last digit sets the tolerance."""
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    return numbers[-1] if numbers else None


def _depends(a: Expr, b: Expr) -> str:
    unknown = ", ".join(sorted(str(s) for s in (a.free_symbols ^ b.free_symbols)))
    return f"depends on the values of {unknown}, which the formula does not give"


def decide_link(a, relation: str, b, right_text: str = "") -> Verdict:
    """The verdict on one link as a document means it (see the module docstring)."""
    formulas = isinstance(a, sympy.Basic) and isinstance(b, sympy.Basic) and bool(a.free_symbols or b.free_symbols)
    if formulas and relation != "=":
        return Verdict(Status.UNCHECKED, f"a '{RELATIONS[relation]}' between formulas with unknowns")
    verdict = decide(a, relation, b, rng=random.Random(SEED), written=_last_number(right_text) or "0",
                     seconds=LINK_SECONDS)
    if formulas and verdict.status in (Status.FALSE, Status.NUMERIC) and a.free_symbols != b.free_symbols:
        return Verdict(Status.UNCHECKED, _depends(a, b))
    return verdict


def decide_chain(chain: Chain) -> list[tuple[str, Verdict]]:
    """``(claimed, verdict)`` for every link that is a claim (definitions left out)."""
    if chain.error is not None:
        return [(chain.text, Verdict(Status.UNCHECKED, f"not translated: {chain.error}"))]
    out, sides = [], chain.sides
    for k, (a, relation, b) in enumerate(chain.links):
        if k == 0 and _lone(a):
            continue  # ``z = …`` defines z
        claimed = f"{sides[k]} {RELATIONS[relation]} {sides[k + 1]}"
        out.append((claimed, decide_link(a, relation, b, sides[k + 1])))
    return out

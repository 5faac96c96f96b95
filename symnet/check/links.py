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
Values at a kink
    two formulas that differ only at a kink (``H(0)`` taken as 0 or 1/2, a
    derivative at a corner) differ by a convention: not checked.
Written precision
    ``\approx`` allows half a unit of the last digit written on the right
    (``≈ 0.27`` allows 0.005; ``≈ 4.5 \times 10^{-5}`` allows 5·10^-7).

Every decision runs under :data:`LINK_SECONDS`.
"""

from __future__ import annotations

import random
import re

import sympy
from sympy import Expr

from symnet.check.latex_math import Chain
from symnet.prove import KINK_ONLY, RELATIONS, SEED, Status, Verdict, decide

__all__ = ["decide_chain", "decide_link", "LINK_SECONDS"]

#: Time limit for deciding one link.
LINK_SECONDS = 5.0


def _lone(expr) -> bool:
    return isinstance(expr, (sympy.Symbol, sympy.Indexed))


#: A number as LaTeX writes it: ``0.27``, ``4.5 \times 10^{-5}`` (or ``\cdot``), or a bare power ``10^{-4}``.
_WRITTEN_NUMBER = re.compile(
    r"10\s*\^\s*(?:\{\s*(?P<power>[+-]?\d+)\s*\}|(?P<power_digit>\d))"
    r"|(?P<mantissa>\d+(?:\.\d+)?)"
    r"(?:\s*\\(?:times|cdot)\s*10\s*\^\s*(?:\{\s*(?P<exponent>[+-]?\d+)\s*\}|(?P<exponent_digit>\d)))?"
)


def _last_number(text: str) -> str | None:
    """The last number written in ``text``, whose last digit sets the tolerance, as a decimal literal.

    ``≈ 0.27`` → ``0.27``; ``≈ 4.5 \times 10^{-5}`` → ``4.5e-5`` (a unit of its last digit is 10^-6, not
    a unit of the exponent's digit); ``≈ 10^{-4}`` → ``1e-4``.
    """
    last = None
    for match in _WRITTEN_NUMBER.finditer(text):
        power = match["power"] or match["power_digit"]
        if power is not None:
            last = f"1e{power}"
            continue
        exponent = match["exponent"] or match["exponent_digit"]
        last = match["mantissa"] if exponent is None else f"{match['mantissa']}e{exponent}"
    return last


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
    if verdict.status is Status.FALSE and verdict.detail.startswith(KINK_ONLY):
        return Verdict(Status.UNCHECKED, f"{verdict.detail.removeprefix('not an identity: ')}: only there, where the "
                                         "value is a convention (a step's value at its jump, a derivative at a corner)")
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

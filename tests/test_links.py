"""The checker's link decisions: every relation it decides refutes a false link and accepts a near-true one.

Each pair is a false claim and the closest true claim we could write (off by one unit of the last written
digit, a bound that holds with equality). Expected verdicts come from exact decimal arithmetic by hand.
"""

from __future__ import annotations

import pytest
from sympy import Rational, Symbol, exp, sqrt

from symnet.check.links import decide_link
from symnet.check.reading import DocumentReader
from symnet.prove import Status

x = Symbol("x")


def _status(a, relation, b, written=""):
    return decide_link(a, relation, b, written).status


@pytest.mark.parametrize("a, relation, b, written, status", [
    # "=" is exact: one unit of the last digit off is false, the exact value proven
    (Rational(3, 20), "=", Rational(16, 100), "0.16", Status.FALSE),
    (Rational(3, 20), "=", Rational(15, 100), "0.15", Status.PROVEN),
    # "≈" allows half a unit of the last written digit, inclusive; a hair beyond is false
    (Rational(275, 1000), "~", Rational(27, 100), "0.27", Status.PROVEN),
    (Rational(2751, 10000), "~", Rational(27, 100), "0.27", Status.FALSE),
    (Rational(2649, 10000), "~", Rational(27, 100), "0.27", Status.FALSE),
    (1 / (1 + exp(-1)), "~", Rational(7311, 10000), "0.7311", Status.PROVEN),   # 0.731058… rounds to 0.7311
    (1 / (1 + exp(-1)), "~", Rational(7310, 10000), "0.7310", Status.FALSE),    # rounded the wrong way
    (1 / (1 + exp(-1)), "~", Rational(731, 1000), "0.731", Status.PROVEN),
    # scientific notation: a unit of the mantissa's last digit, 4.5e-5 allows 5e-7
    (Rational(455, 10**7), "~", Rational(45, 10**6), r"4.5 \times 10^{-5}", Status.PROVEN),
    (Rational(456, 10**7), "~", Rational(45, 10**6), r"4.5 \times 10^{-5}", Status.FALSE),
    # "≠"
    (Rational(1, 2), "!=", Rational(1, 2), "", Status.FALSE),
    (Rational(1, 2), "!=", Rational(501, 1000), "", Status.PROVEN),
    # order between numbers, at and beside the boundary
    (Rational(1, 4), "<", Rational(1, 4), "", Status.FALSE),
    (Rational(1, 4), "<=", Rational(1, 4), "", Status.PROVEN),
    (Rational(1, 4), "<", Rational(2501, 10000), "", Status.PROVEN),
    (Rational(2501, 10000), "<=", Rational(1, 4), "", Status.FALSE),
    (Rational(1, 4), ">", Rational(1, 4), "", Status.FALSE),
    (Rational(1, 4), ">=", Rational(1, 4), "", Status.PROVEN),
    (Rational(2499, 10000), ">=", Rational(1, 4), "", Status.FALSE),
    (sqrt(2), ">", Rational(14142, 10000), "", Status.PROVEN),
    (sqrt(2), "<", Rational(14142, 10000), "", Status.FALSE),
    # identities between formulas: a coefficient off by 1/100 is refuted at a random point
    ((x + 1) ** 2, "=", x**2 + 2 * x + 1, "", Status.PROVEN),
    ((x + 1) ** 2, "=", x**2 + Rational(201, 100) * x + 1, "", Status.FALSE),
])
def test_each_relation_refutes_a_false_link_and_accepts_a_near_true_one(a, relation, b, written, status):
    assert _status(a, relation, b, written) == status


def test_an_inequality_between_formulas_is_never_false():
    """Its truth depends on what the unknowns stand for: not checked, whichever way it goes."""
    assert _status(x**2, ">=", 0 * x) == Status.UNCHECKED
    assert _status(x**2, "<", -1 + 0 * x) == Status.UNCHECKED


def test_sides_with_different_unknowns_are_not_checked_unless_proven():
    w, b = Symbol("w"), Symbol("b")
    assert _status(w * 2 + b, "=", Rational(1, 2) * 2 + b) == Status.UNCHECKED
    assert _status(w * 0 + b, "=", b + 0 * x) == Status.PROVEN


@pytest.mark.parametrize("tex, statuses", [
    (r"z = 0.5 \cdot 2 - 1 = 0", [Status.PROVEN]),             # z defines, the arithmetic is a claim
    (r"z = 0.5 \cdot 2 - 1 = 0.1", [Status.FALSE]),
    (r"0.5 \cdot 2 = 1 = 1.0", [Status.PROVEN, Status.PROVEN]),
    (r"0.5 \cdot 2 = 1 = 1.01", [Status.PROVEN, Status.FALSE]),
])
def test_chains_decide_every_link_but_a_definition(tex, statuses):
    assert [claim.status for claim in DocumentReader("t.md").read(tex, 1)] == statuses


def test_formulas_that_differ_only_at_a_kink_are_a_convention_not_an_error():
    from sympy import Heaviside

    verdict = decide_link(Heaviside(x, 0), "=", Heaviside(x))
    assert verdict.status == Status.UNCHECKED and "at the kink x = 0" in verdict.detail and "convention" in verdict.detail
    assert _status(Heaviside(x, 0) + 1, "=", Heaviside(x)) == Status.FALSE  # differs everywhere: an error

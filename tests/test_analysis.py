"""The calculus module on functions other than the activations: it must compute, not recognise."""

from __future__ import annotations

import mpmath
import sympy
from sympy import Interval, Max, Rational, exp, oo, sqrt

from symnet.analysis import equal_on_reals, kinks, profile

z = sympy.Symbol("z", real=True)


def test_parabola():
    p = profile((z - 3) ** 2 - 2, z)
    assert p.minimum == (3, -2) and p.maximum is None
    assert p.range == Interval(-2, oo)


def test_bump_has_two_extrema():
    p = profile(z * exp(-(z**2)), z)
    assert p.minimum[0] == -sqrt(2) / 2 and p.maximum[0] == sqrt(2) / 2
    assert sympy.simplify(p.maximum[1] - sqrt(2) * exp(Rational(-1, 2)) / 2) == 0


def test_kinks_away_from_zero():
    f = Max(0, z - 2) - Max(0, z - 5)  # a ramp from 0 to 3 between 2 and 5
    assert kinks(f, z) == [2, 5]
    p = profile(f, z)
    assert p.range == Interval(0, 3)
    assert p.minimum == (Interval(-oo, 2), 0)
    assert p.maximum == (Interval(5, oo), 3)


def _mp_minimum(derivative, f, guess):
    """The minimiser and the minimum as 38-digit strings, computed with mpmath alone."""
    with mpmath.workdps(40):
        root = mpmath.findroot(derivative, guess)
        return mpmath.nstr(root, 38), mpmath.nstr(f(root), 38)


def test_closed_form_critical_point_found_by_sympy_is_right():
    # f'(z) = 2z + 2 exp(-z^2)/sqrt(pi) = 0 is solved with Lambert W: z* = -exp(-W(2/pi)/2)/sqrt(pi).
    p = profile(z**2 + sympy.erf(z), z)
    assert p.infimum.exact and p.infimum.value.has(sympy.LambertW)
    root, value = _mp_minimum(
        lambda t: 2 * t + 2 * mpmath.exp(-t * t) / mpmath.sqrt(mpmath.pi), lambda t: t**2 + mpmath.erf(t), -0.4
    )
    assert abs(sympy.N(p.minimum[0], 35) - sympy.Float(root, 38)) < 1e-30
    assert abs(sympy.N(p.minimum[1], 35) - sympy.Float(value, 38)) < 1e-30


def test_numeric_critical_point_is_labelled_and_accurate():
    p = profile(z**4 + sympy.erf(z), z)  # 4z^3 + 2 exp(-z^2)/sqrt(pi) = 0: SymPy finds no closed form
    assert not p.infimum.exact and any("numerically" in note for note in p.notes)
    root, value = _mp_minimum(
        lambda t: 4 * t**3 + 2 * mpmath.exp(-t * t) / mpmath.sqrt(mpmath.pi), lambda t: t**4 + mpmath.erf(t), -0.7
    )
    assert abs(p.minimum[0] - sympy.Float(root, 38)) < 1e-25
    assert abs(p.minimum[1] - sympy.Float(value, 38)) < 1e-25


def test_sign_class():
    assert profile(sympy.diff(z**3, z), z).sign_class == "increasing"  # 3z^2 >= 0, zero only at 0
    assert profile(-exp(z), z).sign_class == "decreasing"
    assert profile(z, z).sign_class is None  # z takes both signs


def test_equal_on_reals_is_a_proof_not_a_guess():
    assert equal_on_reals(Max(0, z) - Max(0, -z), z, z)
    assert not equal_on_reals(Max(0, z), z, z)
    assert not equal_on_reals(z**2, z**2 + 10**-30, z)


def test_set_text_shows_true_brackets():
    from symnet.printing.text import set_text

    assert set_text(Interval(0, oo)) == "[0, ∞)"
    assert set_text(Interval.open(0, 1)) == "(0, 1)"
    assert set_text(Interval.Lopen(-1, 0)) == "(-1, 0]"
    assert set_text(sympy.S.Reals) == "ℝ"
    assert set_text(Interval(-sympy.LambertW(sympy.exp(-1)), oo)) == "[-0.278465, ∞)"

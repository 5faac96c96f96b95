"""Approximation and depth: interpolants exact at knots, error rates, sawtooth pieces counted, gradient products."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from sympy import Rational

import symnet as sn
from symnet import approx, depth

x = sympy.Symbol("x")


@pytest.mark.parametrize("f, interval", [(x**2, (0, 1)), (sympy.sin(x), (0, 3)), (sympy.exp(x), (-1, 1))])
def test_interpolant_equals_f_at_every_knot(f, interval):
    n = 6
    net = approx.relu_interpolant(f, interval, n)
    a, b = (sympy.Integer(v) for v in interval)
    for k in range(n + 1):
        t = a + (b - a) * Rational(k, n)
        assert sympy.simplify(net([t])[0] - f.subs(x, t)) == 0
    assert len(depth.linear_regions(net, interval)) == n - 1  # one kink per inner knot


@pytest.mark.parametrize("f, interval", [(x**2, (0, 1)), (sympy.sin(x), (0, 3)), (sympy.exp(x), (-1, 1))])
def test_error_falls_like_n_to_the_minus_two(f, interval):
    rows = approx.error_table(f, interval, (8, 16, 32))
    assert all(r.how == "exact" for r in rows)
    assert abs(approx.loglog_slope(rows) + 2) < 0.1
    # An independent measurement: the compiled network on a fine grid never exceeds the exact sup error.
    grid = np.linspace(float(interval[0]), float(interval[1]), 4001)
    target = sympy.lambdify(x, f, "numpy")(grid)
    net = approx.relu_interpolant(f, interval, 8)
    on_grid = np.max(np.abs(net.compile()(grid.reshape(-1, 1)).ravel() - target))
    assert on_grid <= rows[0].error * (1 + 1e-9) and on_grid >= 0.99 * rows[0].error


def test_exact_error_of_the_parabola_is_h_squared_over_four():
    # For x^2 the linear interpolant's error on a piece of width h is h^2/4 at its midpoint.
    for n in (1, 3, 5):
        err, how = approx.sup_error(x**2, approx.relu_interpolant(x**2, (0, 1), n), (0, 1))
        assert how == "exact" and err == pytest.approx(1 / (4 * n * n), rel=1e-15)


def test_sup_error_falls_back_and_says_so():
    f = x * sympy.erf(x) + sympy.cos(3 * x)  # f'(x) = s has no closed-form solution
    err, how = approx.sup_error(f, approx.relu_interpolant(f, (0, 2), 4), (0, 2))
    assert how in ("bound", "grid") and err > 0


@pytest.mark.parametrize("steepness", [2, 4, 32])
def test_sigmoid_steps_converge_like_one_over_n(steepness):
    f, interval = sympy.sin(x), (0, 3)
    rows = [approx.ErrorRow(n, approx.grid_error(f, approx.sigmoid_approx(f, interval, n, steepness), interval), "grid") for n in (8, 16, 32)]
    assert abs(approx.loglog_slope(rows) + 1) < 0.1  # steps are constant pieces: error ~ h


def test_steep_sigmoid_steps_stay_below_the_staircase_error():
    f, interval, n = sympy.sin(x), (0, 3), 32
    h = 3 / n
    err = approx.grid_error(f, approx.sigmoid_approx(f, interval, n, 128), interval)
    assert 0.8 * h / 2 < err <= h / 2  # max |f'| = 1: a staircase is off by at most h/2


def test_sawtooth_has_two_to_the_k_pieces():
    for k in range(1, 11):
        assert len(depth.linear_regions(depth.sawtooth(k), (0, 1))) + 1 == 2**k
    assert depth.linear_regions(depth.sawtooth(2), (0, 1)) == [Rational(1, 4), Rational(1, 2), Rational(3, 4)]


def test_sawtooth_table_and_the_shallow_lower_bound():
    rows = depth.sawtooth_table(range(1, 7))
    for row in rows:
        assert row.deep_pieces == 2**row.k and row.deep_units == 2 * row.k
        assert row.shallow_pieces == row.deep_pieces
        assert row.shallow_units >= row.shallow_lower_bound == 2**row.k - 1


@given(st.integers(1, 8), st.integers(0, 2**31))
def test_one_hidden_layer_has_at_most_m_plus_one_pieces(m, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.integers(-3, 4, (m, 1)), rng.integers(-3, 4, (1, m))]
    biases = [rng.integers(-3, 4, m), [0]]
    net = sn.mlp([1, m, 1]).bind(weights=weights, biases=biases)
    breakpoints = depth.linear_regions(net, (-5, 5))
    assert set(breakpoints) <= set(depth.shallow_kinks(net))  # every breakpoint is some unit's kink
    assert len(breakpoints) + 1 <= m + 1


def test_fewer_units_cannot_match_the_sawtooth():
    k = 4
    target = len(depth.linear_regions(depth.sawtooth(k), (0, 1))) + 1
    m = target - 2  # one unit short of 2^k - 1
    net = approx.relu_interpolant(x, (0, 1), m)  # any shallow net with m units
    assert len(depth.shallow_kinks(net)) <= m < target - 1


def test_linear_regions_refuses_what_it_cannot_do():
    with pytest.raises(sn.SymnetError, match="one input"):
        depth.linear_regions(sn.mlp([2, 2, 1]).bind(weights=[np.ones((2, 2)), np.ones((1, 2))]), (0, 1))
    with pytest.raises(sn.SymnetError, match="piecewise-linear"):
        depth.linear_regions(sn.mlp([1, 2, 1], activation="tanh").bind(weights=[np.ones((2, 1)), np.ones((1, 2))], biases=[[0, 0], [0]]), (0, 1))
    with pytest.raises(sn.SymnetError, match="bind"):
        depth.linear_regions(sn.mlp([1, 2, 1]), (0, 1))


def test_gradient_products_against_the_bound():
    product, bound = depth.gradient_product("sigmoid", [0] * 5)
    assert product == bound == Rational(1, 4) ** 5  # z = 0 attains the bound
    product, bound = depth.gradient_product("sigmoid", [1, -2, 0.5])
    assert 0 < product < bound
    assert depth.gradient_product("relu", [1, 2, 3]) == (1, 1)
    assert depth.gradient_product("relu", [1, -2, 3])[0] == 0

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


def _true_sup_error(f, interval, n: int) -> float:
    """max |f - p| for the linear interpolant p at n + 1 equally spaced knots, by NumPy alone: np.interp on a
    grid of 2,000,001 points (near the maximum its error is about |e''| δ²/2, below 1e-10 here)."""
    knots = np.linspace(*interval, n + 1)
    grid = np.linspace(*interval, 2_000_001)
    return float(np.max(np.abs(f(grid) - np.interp(grid, knots, f(knots)))))


def test_sup_error_on_a_grid_measures_the_error():
    # f'(x) = s, i.e. (1 + x) e^x = s, has no closed form: the maximum is measured on a grid, and must be the
    # true one (a grid cannot exceed it, and 2,500 points per piece come within 1e-6 of it)
    f = x * sympy.exp(x)
    err, how = approx.sup_error(f, approx.relu_interpolant(f, (0, 1), 2), (0, 1))
    true = _true_sup_error(lambda t: t * np.exp(t), (0, 1), 2)
    assert how == "grid"
    assert true * (1 - 1e-6) <= err <= true * (1 + 1e-9), (err, true)
    # by hand, about h²/8 · f'' = (1/32)(2 + x) e^x on the second piece: (1/32)(2.75)e^0.75 ≈ 0.18
    assert 0.17 < true < 0.2


def test_sup_error_bound_is_an_upper_bound_no_larger_than_the_textbook_one():
    # exp(sin x): f' = s has no closed form, but the critical points of f'' are found, so the error is bounded
    # by max(|e| at the ends) + h²/8 · max|f''| on each piece; the ends are knots, where e = 0
    f = sympy.exp(sympy.sin(x))
    err, how = approx.sup_error(f, approx.relu_interpolant(f, (0, 2), 2), (0, 2))
    assert how == "bound"
    true = _true_sup_error(lambda t: np.exp(np.sin(t)), (0, 2), 2)
    grid = np.linspace(0, 2, 2_000_001)
    f2 = np.exp(np.sin(grid)) * (np.cos(grid) ** 2 - np.sin(grid))  # f'' by hand
    textbook = 1**2 / 8 * float(np.max(np.abs(f2)))  # h = 1 on both pieces
    assert true <= err <= textbook * (1 + 1e-9), (true, err, textbook)
    assert 0.3 < true < err  # the bound is not attained here


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


def test_shallow_kinks_are_minus_b_over_w():
    # units relu(2x + 1), relu(-3x + 1), relu(0x + 5), relu(0.5x - 1): kinks -1/2, 1/3, none, 2
    net = sn.mlp([1, 4, 1]).bind(weights=[[[2], [-3], [0], ["0.5"]], [[1, 1, 1, 1]]], biases=[[1, 1, 5, -1], [0]])
    assert depth.shallow_kinks(net) == [Rational(-1, 2), Rational(1, 3), 2]
    assert depth.linear_regions(net, (-5, 5)) == [Rational(-1, 2), Rational(1, 3), 2]
    with pytest.raises(sn.SymnetError, match="one hidden layer"):
        depth.shallow_kinks(depth.sawtooth(2))


def _sawtooth_numpy(t, k: int):
    """The tent map T(t) = 2t on [0, 1/2], 2 - 2t on [1/2, 1], composed k times, in NumPy."""
    for _ in range(k):
        t = np.where(t <= 0.5, 2 * t, 2 - 2 * t)
    return t


def test_the_sawtooth_and_its_shallow_equal():
    k = 3
    grid = np.arange(2 ** (k + 1) + 1) / 2 ** (k + 1)  # its breakpoints j/8 and the midpoints between them
    deep = depth.sawtooth(k)
    np.testing.assert_array_equal(deep.compile()(grid.reshape(-1, 1)).ravel(), _sawtooth_numpy(grid, k))
    assert depth.linear_regions(deep, (0, 1)) == [Rational(j, 8) for j in range(1, 8)]
    shallow = depth.shallow_equivalent(deep)
    # one unit per piece, kinked at the start of each piece (the first at x = 0, the interval's end)
    assert depth.shallow_kinks(shallow) == [Rational(j, 8) for j in range(8)]
    np.testing.assert_array_equal(shallow.compile()(grid.reshape(-1, 1)).ravel(), _sawtooth_numpy(grid, k))


@pytest.mark.parametrize("seed", range(8))
def test_fewer_units_cannot_match_the_sawtooth(seed):
    """m = 2^k - 2 hidden units, each kinked on a breakpoint of the sawtooth or a midpoint between two (the best
    a shallow network can try): symnet finds at most m breakpoints, and the network differs from the sawtooth at
    a breakpoint or midpoint. (A piecewise-linear function that agrees with it at all of them needs a kink at
    each of its 2^k - 1 breakpoints, or two inside a neighbouring piece: 2^k - 1 kinks at least.)"""
    k, rng = 3, np.random.default_rng(seed)
    m = 2**k - 2
    candidates = [Rational(j, 16) for j in range(1, 16)]
    kinks = [candidates[i] for i in rng.choice(len(candidates), m, replace=False)]
    slopes = [int(v) for v in rng.choice([-2, -1, 1, 2], m)]
    out, bias = [int(v) for v in rng.integers(-4, 5, m)], int(rng.integers(-2, 3))
    net = sn.mlp([1, m, 1]).bind(weights=[[[w] for w in slopes], [out]],
                                 biases=[[-w * c for w, c in zip(slopes, kinks)], [bias]])
    assert depth.shallow_kinks(net) == kinks
    # relu(w (x - c)) adds |w| to the slope at c (from 0 to w, or from w to 0): the output bends at c unless
    # the units kinked there cancel
    bends = {c: sum(abs(w) * o for w, o, ci in zip(slopes, out, kinks) if ci == c) for c in kinks}
    breakpoints = depth.linear_regions(net, (0, 1))
    assert breakpoints == sorted(c for c, bend in bends.items() if bend != 0)
    assert len(breakpoints) <= m < 2**k - 1
    grid = np.arange(2 ** (k + 1) + 1) / 2 ** (k + 1)
    c = np.array([float(v) for v in kinks])
    forward = np.maximum(grid[:, None] * slopes - np.array(slopes) * c, 0) @ out + bias  # NumPy, by hand
    got = net.compile()(grid.reshape(-1, 1)).ravel()
    np.testing.assert_allclose(got, forward, rtol=0, atol=1e-12)
    assert np.max(np.abs(got - _sawtooth_numpy(grid, k))) > 0


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

"""Compiled forward passes: equal to the exact symbolic network, to hand-written NumPy, in both dtypes."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import symnet as sn
from tests.conftest import MP_REFERENCE

ARCHITECTURES = [([3, 4, 4, 2], "relu"), ([2, 5, 3], "tanh"), ([4, 3, 3, 1], "gelu"), ([3, 6, 2], "silu")]


def _random_weights(widths, rng):
    weights = [rng.standard_normal((b, a)) for a, b in zip(widths, widths[1:])]
    biases = [rng.standard_normal(b) for b in widths[1:]]
    return weights, biases


@pytest.mark.parametrize("widths, act", ARCHITECTURES)
def test_compiled_equals_exact_symbolic_network(widths, act):
    rng = np.random.default_rng(1)
    # Exact rational weights, so the symbolic side is exact.
    weights = [[[sympy.Rational(int(v), 7) for v in row] for row in rng.integers(-9, 10, (b, a))] for a, b in zip(widths, widths[1:])]
    biases = [[sympy.Rational(int(v), 5) for v in rng.integers(-5, 6, b)] for b in widths[1:]]
    net = sn.mlp(widths, activation=act).bind(weights=weights, biases=biases)
    fn = net.compile()
    X = rng.integers(-4, 5, (6, widths[0])).astype(float) / 2
    got = fn(X)
    for x, row in zip(X, got):
        exact = [sympy.N(v, 30) for v in net([sympy.Rational(str(t)) for t in x])]
        np.testing.assert_allclose(row, np.array(exact, dtype=float), rtol=1e-12, atol=1e-14)


def test_compiled_equals_hand_written_numpy_and_keeps_dtype():
    rng = np.random.default_rng(2)
    weights, biases = _random_weights([3, 4, 4, 2], rng)
    fn = sn.mlp([3, 4, 4, 2]).bind(weights=weights, biases=biases).compile()
    X = rng.standard_normal((1000, 3))
    h = X
    for k, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w.T + b
        h = np.maximum(h, 0) if k < 2 else h
    np.testing.assert_allclose(fn(X), h, rtol=1e-13, atol=1e-13)
    out32 = fn(X.astype(np.float32))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, h, rtol=1e-4, atol=1e-4)
    assert fn(X[0]).shape == (2,)
    np.testing.assert_allclose(fn(X[0]), h[0], rtol=1e-13)


def test_free_symbols_become_one_parameter_vector():
    a = sympy.Symbol("a")
    net = sn.mlp([2, 3, 1], activation=sn.activation("leaky_relu", a))
    fn = net.compile()
    assert fn.parameters[-1] == a and len(fn.parameters) == net.num_params + 1
    rng = np.random.default_rng(3)
    weights, biases = _random_weights([2, 3, 1], rng)
    p = np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(weights, biases)] + [[0.2]])
    bound = sn.mlp([2, 3, 1], activation=sn.activation("leaky_relu", "0.2")).bind(weights=weights, biases=biases)
    X = rng.standard_normal((7, 2))
    np.testing.assert_allclose(fn(X, p), bound.compile()(X), rtol=1e-14)


def test_generated_source_and_latex():
    fn = sn.mlp([3, 4, 2]).bind(weights=[np.ones((4, 3)), np.ones((2, 4))], biases=[np.zeros(4), np.zeros(2)]).compile()
    assert fn.source == (
        "def forward(X, W1T, b1, W2T, b2, B1, OUT):\n"
        "    H1 = numpy.matmul(X, W1T, out=B1)\n"
        "    H1 += b1\n"
        "    H1 = relu(H1, out=H1)\n"
        "    H2 = numpy.matmul(H1, W2T, out=OUT)\n"
        "    H2 += b2\n"
        "    return H2\n"
    )
    assert r"\mathrm{relu}" in fn.latex and r"\mathrm{forward}" in fn.latex


@pytest.mark.parametrize("act", ["gelu", "silu", "gelu_tanh", "softplus", "elu", "sigmoid"])
def test_no_warnings_on_extreme_inputs(act):
    fn = sn.mlp([1, 1], output_activation=act).bind(weights=[[[1]]], biases=[[0]]).compile()
    finite = [-1e300, -710.0, 0.0, 710.0, 1e300]
    out = fn(np.array([[-np.inf], *([v] for v in finite), [np.inf], [np.nan]]))
    assert np.isnan(out[-1, 0])
    expected = [float(MP_REFERENCE[act](mpmath.mpf(v))) for v in finite]  # the value, not just "not NaN"
    np.testing.assert_allclose(out[1:6, 0], expected, rtol=1e-12, atol=1e-300)


def test_bad_inputs_are_named():
    fn = sn.mlp([3, 2]).bind(weights=[np.ones((2, 3))], biases=[np.zeros(2)]).compile()
    with pytest.raises(sn.SymnetError, match=r"shape \(5, 2\), expected \(batch, 3\)"):
        fn(np.zeros((5, 2)))
    for bad, word in ((np.zeros((2, 3), complex), "complex"), (np.array([["a", "b", "c"]]), "strings"), (np.zeros((1, 3), object), "objects")):
        with pytest.raises(sn.SymnetError, match=word):
            fn(bad)
    symbolic = sn.mlp([3, 2]).compile()
    with pytest.raises(sn.SymnetError, match="pass params="):
        symbolic(np.zeros(3))


def test_scalar_path_compiles_any_expression():
    z, w = sympy.symbols("z w")
    fn = sn.compile(w * sn.sigmoid(z) + sn.gelu(z) ** 2)
    assert fn.args == (w, z)
    x = np.linspace(-5, 5, 11)
    expected = 2.0 * sn.activation("sigmoid").numpy(x) + sn.activation("gelu").numpy(x) ** 2
    np.testing.assert_allclose(fn(2.0, x), expected, rtol=1e-14)
    with pytest.raises(sn.SymnetError, match="network or a SymPy expression"):
        sn.compile("z*sigmoid(z)")


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_compiled_random_architectures_match_bound_symbolic(n_in, hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    weights, biases = _random_weights([n_in, hidden, n_out], rng)
    net = sn.mlp([n_in, hidden, n_out], activation="tanh").bind(weights=weights, biases=biases)
    x = rng.standard_normal(n_in)
    np.testing.assert_allclose(net.compile()(x), np.array(net(x), dtype=float).ravel(), rtol=1e-12, atol=1e-12)


def test_custom_activation_is_not_computed_in_place():
    # z*sigmoid(z) must not overwrite z before the product reads it.
    custom = sn.activation(sn.parse("z*sigmoid(z)"))
    fn = sn.mlp([1, 1], output_activation=custom).bind(weights=[[[1]]], biases=[[0]]).compile()
    assert "out=H1" not in fn.source.splitlines()[-2]
    x = np.linspace(-4, 4, 200).reshape(-1, 1)  # over BUFFER_MIN_ROWS: the buffered path
    np.testing.assert_allclose(fn(x), sn.activation("silu").numpy(x), rtol=1e-14)


def test_results_are_not_overwritten_by_later_calls():
    rng = np.random.default_rng(5)
    weights, biases = _random_weights([3, 8, 8, 2], rng)
    fn = sn.mlp([3, 8, 8, 2]).bind(weights=weights, biases=biases).compile()
    X1, X2 = rng.standard_normal((500, 3)), rng.standard_normal((500, 3))
    first = fn(X1)
    kept = first.copy()
    fn(X2)
    np.testing.assert_array_equal(first, kept)


def test_symbolic_slope_with_bound_weights_keeps_weights_constant():
    a = sympy.Symbol("a")
    rng = np.random.default_rng(9)
    weights, biases = _random_weights([2, 3, 1], rng)
    fn = sn.mlp([2, 3, 1], activation=sn.activation("leaky_relu", a)).bind(weights=weights, biases=biases).compile()
    assert fn.parameters == (a,)
    assert "C[0]" in fn.weights_source and "numpy.array" not in fn.weights_source
    bound = sn.mlp([2, 3, 1], activation=sn.activation("leaky_relu", "0.3")).bind(weights=weights, biases=biases)
    X = rng.standard_normal((100, 2))
    np.testing.assert_allclose(fn(X, [0.3]), bound.compile()(X), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batches_spanning_several_blocks(dtype):
    rng = np.random.default_rng(11)
    weights, biases = _random_weights([5, 64, 64, 3], rng)
    fn = sn.mlp([5, 64, 64, 3]).bind(weights=weights, biases=biases).compile()
    block = fn._block_rows(dtype)
    X = rng.standard_normal((2 * block + 123, 5)).astype(dtype)  # two full blocks and a partial one
    h = X.astype(np.float64)
    for k, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w.T + b
        h = np.maximum(h, 0) if k < 2 else h
    tolerance = 1e-4 if dtype == np.float32 else 1e-12
    got = fn(X)
    assert got.dtype == dtype and got.shape == (X.shape[0], 3)
    np.testing.assert_allclose(got, h, rtol=tolerance, atol=tolerance)

"""The NumPy printer, through the compiler: SciPy's special functions, symnet's kernels and in-place layer code.

Each compiled function is compared with NumPy/SciPy code written here by hand.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from scipy import special

import symnet as sn


def _rational_weights(rng, shape, denominator=8):
    """Random multiples of 1/denominator in [-2, 2]: exact Fractions for symnet, floats for the hand-written pass."""
    numerators = rng.integers(-2 * denominator, 2 * denominator + 1, size=shape)
    exact = [[Fraction(int(n), denominator) for n in row] for row in np.atleast_2d(numerators)]
    return exact, numerators / denominator


@pytest.fixture
def erf_net():
    rng = np.random.default_rng(7)
    w1, w1f = _rational_weights(rng, (3, 2))
    w2, w2f = _rational_weights(rng, (1, 3))
    b1, b1f = _rational_weights(rng, (1, 3))
    b2, b2f = _rational_weights(rng, (1, 1))
    act = sn.activation(sn.parse("z*erf(z)"))
    net = sn.mlp([2, 3, 1], activation=act).bind(weights=[w1, w2], biases=[b1[0], b2[0]])
    return net, (w1f, b1f[0], w2f, b2f[0])


def test_erf_network_matches_layer_by_layer_pass(erf_net):
    net, (w1, b1, w2, b2) = erf_net
    X = np.random.default_rng(8).standard_normal((50, 2)) * 2
    got = net.compile()(X)
    hidden = net.layers[0].activation.numpy(X @ w1.T + b1)
    layered = net.layers[1].activation.numpy(hidden @ w2.T + b2)
    np.testing.assert_allclose(got, layered, rtol=1e-12, atol=0)


def test_erf_network_matches_scipy(erf_net):
    net, (w1, b1, w2, b2) = erf_net
    assert [layer.activation.is_linear for layer in net.layers] == [False, True]
    for rows in (1, 5, 200):  # one pass, and through the reused buffers
        X = np.random.default_rng(rows).standard_normal((rows, 2)) * 2
        pre = X @ w1.T + b1
        want = (pre * special.erf(pre)) @ w2.T + b2
        np.testing.assert_allclose(net.compile()(X), want, rtol=1e-12, atol=0)


def test_erf_network_source_uses_scipy_erf(erf_net):
    net, _ = erf_net
    source = net.compile().source
    assert "erf(" in source
    assert "math.erf" not in source


def test_compiled_expression_with_special_functions():
    x = sympy.Symbol("x", real=True)
    expr = sn.gelu(x) + 2 * sn.normal_cdf(x) - sympy.erf(x) / 3 + x * sympy.tanh(x) + sympy.tanh(sn.gelu(x))
    fn = sn.compile(expr)
    assert fn.args == (x,)
    grid = np.concatenate([np.linspace(-12.0, 12.0, 2001), [-40.0, 40.0, 0.0]])
    phi = special.ndtr(grid)
    gelu = grid * phi
    want = gelu + 2 * phi - special.erf(grid) / 3 + grid * np.tanh(grid) + np.tanh(gelu)
    got = fn(grid)
    assert got.shape == grid.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    # each piece alone, against SciPy's erf-based formulas
    for piece, reference in [
        (sn.gelu(x), grid * (1 + special.erf(grid / np.sqrt(2))) / 2),
        (sn.normal_cdf(x), (1 + special.erf(grid / np.sqrt(2))) / 2),
        (sympy.erf(x), special.erf(grid)),
        (sympy.tanh(x), np.tanh(grid)),
    ]:
        np.testing.assert_allclose(sn.compile(piece)(grid), reference, rtol=1e-12, atol=1e-15, err_msg=str(piece))


def test_compiled_expression_source_calls_no_math_module():
    x = sympy.Symbol("x", real=True)
    source = sn.compile(sn.gelu(x) + sympy.erf(x) + sympy.tanh(x)).source
    assert "math." not in source.replace("numpy.", "")


def test_relu_network_runs_the_kernel_in_place():
    rng = np.random.default_rng(3)
    weights = [rng.standard_normal((4, 3)), rng.standard_normal((2, 4))]
    biases = [rng.standard_normal(4), rng.standard_normal(2)]
    fn = sn.mlp([3, 4, 2], activation="relu").bind(weights=weights, biases=biases).compile()
    assert "relu(H1, out=H1)" in fn.source
    X = rng.standard_normal((10, 3))
    want = np.maximum(X @ weights[0].T + biases[0], 0) @ weights[1].T + biases[1]
    np.testing.assert_allclose(fn(X), want, rtol=1e-12, atol=1e-12)


def test_latex_uses_the_class_latex_name():
    """The LaTeX printer dispatches on KernelFunction: sigma, not SymPy's \\operatorname{sigmoid} fallback."""
    x = sympy.Symbol("x", real=True)
    assert sn.latex(sn.sigmoid(x)) == r"\sigma\left(x\right)"
    assert sn.latex(sn.normal_cdf(x)) == r"\Phi\left(x\right)"

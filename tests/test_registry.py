"""The class is the registry: one new activation, defined here and nowhere else, reaches every part of symnet.

``mish(z) = z tanh(softplus(z))`` is defined inside a fixture — defining the subclass of
:class:`symnet.functions.ActivationFunction` registers it — and unregistered in its teardown, so no other
test module sees it. Nothing in symnet/ names it, yet the lookup, the parser, the LaTeX printer, the computed
properties, the compiler and ``symnet activations`` all find it.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from scipy import optimize
from sympy import exp, log, tanh

import symnet as sn
from symnet.activations import Z
from symnet.functions import ActivationFunction, lookup, unregister


def mish_kernel(z, out=None):
    """mish(z) = z tanh(softplus(z)), with softplus(z) = log(1 + e^z) as logaddexp(0, z): no overflow."""
    z = np.asarray(z)
    return np.multiply(z, np.tanh(np.logaddexp(0.0, z)), out=out)


def mish_derivative(z):
    """d/dz z tanh(s(z)) = tanh(s) + z (1 - tanh(s)^2) sigmoid(z): written by hand."""
    t = np.tanh(np.logaddexp(0.0, z))
    return t + z * (1 - t * t) / (1 + np.exp(-z))


@pytest.fixture(scope="module")
def mish():
    """The class ``mish``, registered for this module only."""

    class mish(ActivationFunction):
        latex_name = r"\operatorname{mish}"
        summary = "mish z*tanh(softplus(z)), a smooth non-monotonic activation"
        kernel = mish_kernel

        @classmethod
        def _elementary(cls, z):
            return z * tanh(log(1 + exp(z)))

    yield mish
    unregister("mish")
    assert lookup("mish") is None


@pytest.fixture(scope="module")
def act(mish):
    """One Activation for all the property tests (its properties are computed once, on first use)."""
    return sn.activation("mish")


@pytest.fixture(scope="module")
def independent_minimum():
    """The minimum of the NumPy formula, found by SciPy: (where, value)."""
    result = optimize.minimize_scalar(lambda z: float(mish_kernel(z)), bounds=(-3.0, 0.0), method="bounded",
                                      options={"xatol": 1e-12})
    assert result.success
    return result.x, result.fun


def test_activation_by_name(mish, act):
    assert act.name == "mish"
    assert act.head is mish
    assert act.latex == r"\operatorname{mish}"
    assert "mish" in sn.activation_names()
    assert sn.activation("MISH").head is mish  # lookup is case-insensitive
    x = sympy.Symbol("x", real=True)
    assert act(x) == mish(x)
    assert sympy.simplify(act.elementary(x) - x * tanh(log(1 + exp(x)))) == 0


def test_kernel_is_a_plain_function(mish, act):
    assert mish.kernel is mish_kernel  # not a bound method
    z = np.linspace(-40.0, 40.0, 81)
    np.testing.assert_array_equal(act.numpy(z), mish_kernel(z))
    assert np.all(np.isfinite(act.numpy(np.array([-1e308, -800.0, 800.0, 1e308]))))


def test_parse(mish):
    expr = sn.parse("mish(x)")
    assert isinstance(expr, mish)
    (arg,) = expr.args
    assert isinstance(arg, sympy.Symbol) and arg.name == "x"
    assert expr.func is mish


def test_latex(mish):
    text = sn.latex(sn.parse("mish(x)"))
    assert r"\operatorname{mish}" in text
    # symnet's printer writes the class's latex_name; SymPy's fallback for an unknown function would be
    # \operatorname{mish}{\left(x \right)}, which contains the name too, so the form is checked exactly
    assert text == r"\operatorname{mish}\left(x\right)", text


def test_range_and_minimum(act, independent_minimum):
    where, value = independent_minimum
    minimum = act.minimum
    assert minimum is not None
    assert abs(float(minimum.value) - value) < 1e-9
    assert abs(float(minimum.where) - where) < 1e-5  # the value is flat there: the place is less sharp
    assert abs(float(minimum.value) - float(mish_kernel(float(minimum.where)))) < 1e-12
    rng = act.range
    assert isinstance(rng, sympy.Interval)
    assert rng.sup is sympy.oo and not rng.left_open
    assert abs(float(rng.inf) - value) < 1e-9


def test_shape_properties(act):
    assert act.monotonic is None  # decreasing left of the minimum, increasing right of it
    assert act.zero_centred is False
    assert act.piecewise_linear is False
    assert act.is_linear is False


def test_max_abs_derivative(act):
    """The largest slope, against a grid of the hand-written derivative refined by SciPy."""
    z = np.linspace(-20.0, 20.0, 400_001)
    start = z[np.argmax(np.abs(mish_derivative(z)))]
    result = optimize.minimize_scalar(lambda t: -abs(float(mish_derivative(t))), bounds=(start - 0.01, start + 0.01),
                                      method="bounded", options={"xatol": 1e-12})
    where, value = act.max_abs_derivative
    assert abs(float(value) - (-result.fun)) < 1e-9
    assert abs(float(where) - result.x) < 1e-5


def test_derivative_is_that_of_the_formula(mish, act):
    z = sympy.Symbol("z", real=True)
    derivative = act(z).diff(z)
    formula = (z * tanh(log(1 + exp(z)))).diff(z)
    for point in (-7, -sympy.Rational(6, 5), 0, sympy.Rational(1, 3), 2, 9):
        got = derivative.subs(z, point).evalf(30)
        want = formula.subs(z, point).evalf(30)
        assert abs(got - want) < sympy.Float("1e-25"), (point, got, want)
    # and against the hand-written NumPy derivative
    for point in (-7.0, -1.2, 0.0, 0.5, 2.0, 9.0):
        assert abs(float(derivative.subs(z, point).evalf(30)) - mish_derivative(point)) < 1e-12
    assert sympy.simplify(derivative - formula) == 0


def test_compiled_network(mish):
    rng = np.random.default_rng(20240611)
    weights = [rng.standard_normal((4, 3)), rng.standard_normal((2, 4))]
    biases = [rng.standard_normal(4), rng.standard_normal(2)]
    net = sn.mlp([3, 4, 2], activation="mish").bind(weights=weights, biases=biases)
    assert [layer.activation.name for layer in net.layers] == ["mish", "identity"]
    fn = net.compile()
    assert "mish(H1, out=H1)" in fn.source
    for rows in (1, 7, 64, 3000):  # small batches in one pass, large ones through the reused buffers
        X = rng.standard_normal((rows, 3)) * 3
        want = mish_kernel(X @ weights[0].T + biases[0]) @ weights[1].T + biases[1]
        got = fn(X)
        assert got.dtype == np.float64 and got.shape == (rows, 2)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_symnet_activations_row(mish, capsys):
    from symnet.cli import main

    status = main(["activations", "mish"])
    out = capsys.readouterr().out
    assert status in (0, None)
    assert out.startswith("mish")
    assert "range" in out
    assert "-0.308843" in out  # the minimum


def test_symnet_activations_max_slope_is_the_value(mish, capsys):
    """The `max |f'|` row shows the largest slope (about 1.0998 for mish), not where it is attained."""
    from symnet.cli import main

    z = np.linspace(-20.0, 20.0, 400_001)
    slope = float(np.max(np.abs(mish_derivative(z))))
    main(["activations", "mish"])
    line = next(line for line in capsys.readouterr().out.splitlines() if "max |f'|" in line)
    assert abs(float(line.split()[-1]) - slope) < 1e-6, line

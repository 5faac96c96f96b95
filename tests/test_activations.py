"""Activations: exact LaTeX, textbook derivatives proven, kernels against mpmath/SciPy, computed properties."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.special
import scipy.stats
import sympy
from sympy import Interval, Rational, S, exp, oo, simplify, tanh

import symnet as sn
from symnet.analysis import equal_on_reals
from symnet.numeric import compile_scalar
from tests.conftest import MP_REFERENCE

z = sympy.Symbol("z", real=True)
NAMES = sn.activation_names()
KINKED = {"relu", "leaky_relu", "elu"}
EXTREMES = [-1000.0, -710.0, -89.0, 0.0, 89.0, 710.0, 1000.0]


def test_registry_has_every_required_activation():
    assert set(NAMES) >= {
        "identity", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "softplus", "elu",
    }
    assert sn.activation("swish") is sn.activation("silu")


# --- tier 1: exact strings ---------------------------------------------------------------

@pytest.mark.parametrize(
    "name, tex",
    [
        ("sigmoid", r"\sigma\left(z\right)"),
        ("tanh", r"\tanh{\left(z \right)}"),
        ("relu", r"\operatorname{ReLU}\left(z\right)"),
        ("leaky_relu", r"\operatorname{LeakyReLU}\left(z\right)"),
        ("elu", r"\operatorname{ELU}\left(z\right)"),
        ("softplus", r"\operatorname{softplus}\left(z\right)"),
        ("silu", r"\operatorname{SiLU}\left(z\right)"),
        ("gelu", r"\operatorname{GELU}\left(z\right)"),
        ("gelu_tanh", r"\operatorname{GELU}_{\tanh}\left(z\right)"),
    ],
)
def test_latex_of_each_activation(name, tex):
    assert sn.latex(sn.activation(name)(z)) == tex


def test_latex_of_textbook_derivatives():
    assert sn.latex(sn.activation("sigmoid").derivative(z)) == r"\left(1 - \sigma\left(z\right)\right) \sigma\left(z\right)"
    assert sn.latex(sn.activation("gelu").derivative(z)) == r"z \varphi\left(z\right) + \Phi\left(z\right)"
    assert sn.latex(sn.activation("relu").derivative(z)) == r"\mathbf{1}\left[z > 0\right]"
    assert sn.latex(sn.activation("tanh").derivative(z)) == r"1 - \tanh^{2}{\left(z \right)}"
    assert sn.latex(sn.leaky_relu(z, sympy.Symbol("a"))) == r"\operatorname{LeakyReLU}_{a}\left(z\right)"
    assert sn.latex(sn.sigmoid(z) ** 2) == r"\sigma^{2}\left(z\right)"


def test_definition_latex_and_docstrings_carry_the_formula():
    assert sn.activation("sigmoid").definition_latex() == r"\sigma\left(z\right) = \frac{1}{1 + e^{- z}}"
    for name in NAMES:
        row = sn.activation(name)
        if name != "tanh":
            assert ":math:" in row.head.__doc__, name
        assert row._repr_latex_().startswith("$")


# --- tier 2: identities proven by SymPy -------------------------------------------------------

def test_textbook_derivative_forms():
    s, t = sn.sigmoid(z), tanh(z)
    assert sn.activation("sigmoid").derivative(z) == s * (1 - s)
    assert sn.activation("tanh").derivative(z) == 1 - t**2
    assert sn.activation("silu").derivative(z) == s * (1 + z * (1 - s))
    assert sn.activation("gelu").derivative(z) == sn.normal_cdf(z) + z * sn.normal_pdf(z)
    assert sn.activation("softplus").derivative(z) == s


@pytest.mark.parametrize("name", NAMES)
def test_textbook_derivative_equals_derivative_of_elementary_form(name):
    row = sn.activation(name)
    textbook = sn.to_elementary(row.derivative(z))
    from_definition = sn.to_elementary(sympy.diff(row.elementary(z), z))
    # At a kink the derivative of the elementary form does not exist; compare on each side.
    assert equal_on_reals(textbook, from_definition, z, at_kinks=name not in KINKED)


def test_a_wrong_derivative_is_not_proven():
    wrong = sn.sigmoid(z) * (1 + sn.sigmoid(z))
    assert not equal_on_reals(sn.to_elementary(wrong), sympy.diff(1 / (1 + exp(-z)), z), z)


def test_derivative_conventions_at_the_kink():
    assert sn.activation("relu").derivative(S.Zero) == 0  # PyTorch/JAX, not SymPy's Heaviside(0) = 1/2
    assert sn.activation("leaky_relu").derivative(S.Zero) == Rational(1, 100)
    assert sn.activation("elu").derivative(S.Zero) == 1


def test_sympy_own_relu_derivative_differs_only_at_zero():
    # The elementary form's derivative Heaviside(z) is 1/2 at 0; ours is 0 there. Documented convention.
    assert sympy.diff(sympy.Max(0, z), z).subs(z, 0) == S.Half


def test_tanh_is_a_rescaled_sigmoid():
    lhs = tanh(z)
    rhs = 2 * sn.sigmoid(2 * z) - 1
    assert simplify(sn.to_elementary(lhs - rhs)) == 0
    assert equal_on_reals(sn.to_elementary(lhs), sn.to_elementary(rhs), z)


@pytest.mark.parametrize("name", NAMES)
def test_elementary_rewrite(name):
    row = sn.activation(name)
    assert sn.to_elementary(row(z)).atoms(sympy.Function) <= {
        f for f in sn.to_elementary(row(z)).atoms(sympy.Function)
        if isinstance(f, (sympy.exp, sympy.log, sympy.erf, sympy.Max, sympy.Min))
    }


def test_parameter_derivative():
    a = sympy.Symbol("a", real=True)
    assert sympy.diff(sn.leaky_relu(z, a), a) == sympy.Min(0, z)


# --- tier 3: numbers against independent references --------------------------------------------

def _mp_value(name, x):
    with mpmath.workdps(50):
        return MP_REFERENCE[name](mpmath.mpf(x))


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-6), (np.float64, 1e-12)])
@pytest.mark.parametrize("name", NAMES)
def test_kernel_matches_mpmath(name, dtype, rtol):
    grid = np.concatenate([EXTREMES, np.linspace(-40, 40, 801), -np.logspace(-8, 2, 41), np.logspace(-8, 2, 41)])
    x = grid.astype(dtype)
    got = sn.activation(name).numpy(x)  # warnings are errors: any RuntimeWarning fails here
    assert got.dtype == dtype
    tiny = np.finfo(dtype).tiny
    for xi, gi in zip(x, got):
        ref = _mp_value(name, float(xi))
        if not mpmath.isfinite(ref) or abs(ref) > np.finfo(dtype).max:
            assert np.isinf(gi) and np.sign(gi) == np.sign(float(ref)), (name, xi, gi)
            continue
        expected = float(dtype(float(ref)))
        assert abs(float(gi) - expected) <= rtol * abs(expected) + tiny, (name, dtype, xi, gi, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_kernel_at_infinities_and_nan(name, dtype):
    got = sn.activation(name).numpy(np.array([-np.inf, np.inf, np.nan], dtype=dtype))
    assert got.dtype == dtype
    f = sn.activation(name).elementary(z)
    for value, end in zip(got[:2], (-oo, oo)):
        expected = sympy.limit(f, z, end)
        assert float(expected) == value, (name, end, value)
    assert np.isnan(got[2])


#: Each activation's limits at -inf and +inf, by hand.
LIMITS = {
    "identity": (-math.inf, math.inf),
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, math.inf),
    "leaky_relu": (-math.inf, math.inf),
    "elu": (-1.0, math.inf),
    "softplus": (0.0, math.inf),
    "silu": (0.0, math.inf),
    "gelu": (0.0, math.inf),
    "gelu_tanh": (0.0, math.inf),
}


def _large_inputs(dtype) -> list[float]:
    """±700, ±800, ±1e300 and the largest float (float32: ±1e30 and its own largest, and its exp limits ±88, ±104)."""
    top = float(np.finfo(dtype).max)
    if dtype == np.float64:
        return [-top, -1e300, -800.0, -745.0, -710.0, -700.0, 700.0, 710.0, 745.0, 800.0, 1e300, top]
    return [-top, -1e30, -800.0, -700.0, -104.0, -88.0, 88.0, 104.0, 700.0, 800.0, 1e30, top]


def _expected_in(dtype, value) -> float:
    """An mpmath value rounded to ``dtype``: 0 below its smallest subnormal, ±inf above its largest number."""
    info = np.finfo(dtype)
    if value == 0 or abs(value) < mpmath.mpf(float(info.smallest_subnormal)) / 2:
        return math.copysign(0.0, float(mpmath.sign(value)) or 1.0)
    if abs(value) > mpmath.mpf(float(info.max)) * (1 + mpmath.mpf(float(info.eps)) / 2):
        return math.copysign(math.inf, float(mpmath.sign(value)))
    return float(dtype(float(value)))


def _assert_kernel_values(name, dtype, x, got):
    """Infinite values exactly; finite ones to the tolerance of :func:`test_kernel_matches_mpmath`."""
    rtol, tiny = (1e-6 if dtype == np.float32 else 1e-12), float(np.finfo(dtype).tiny)
    for xi, gi in zip(x.tolist(), got.tolist()):
        expected = _expected_in(dtype, _mp_value(name, xi))
        if math.isinf(expected):
            assert gi == expected, (name, dtype.__name__, xi, gi, expected)
        else:
            assert abs(gi - expected) <= rtol * abs(expected) + tiny, (name, dtype.__name__, xi, gi, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_kernel_at_large_finite_inputs_and_infinities(name, dtype):
    """Every kernel at ±700, ±800, ±1e300 (±1e30 for float32), the largest floats, and ±inf, against mpmath and the
    limits by hand: gelu(800) is 800 and gelu(-800) is 0, softplus(800) is 800, sigmoid(-inf) is 0, elu(-inf) is -1."""
    x = np.array(_large_inputs(dtype), dtype=dtype)
    got = sn.activation(name).numpy(x)  # warnings are errors: no overflow or invalid-value warning either
    assert got.dtype == dtype
    _assert_kernel_values(name, dtype, x, got)
    at_infinity = sn.activation(name).numpy(np.array([-np.inf, np.inf], dtype=dtype))
    assert at_infinity.tolist() == list(LIMITS[name]), (name, at_infinity)


def test_kernel_limits_spelled_out():
    """The cases of the issue, by hand: a kernel that gave 0 beyond |z| = 700 would fail here."""
    f = {name: sn.activation(name).numpy for name in NAMES}
    big = np.array([-800.0, 800.0, -1e300, 1e300])
    assert f["gelu"](big).tolist() == [0.0, 800.0, 0.0, 1e300]
    assert f["gelu_tanh"](big).tolist() == [0.0, 800.0, 0.0, 1e300]
    assert f["silu"](big).tolist() == [0.0, 800.0, 0.0, 1e300]
    assert f["softplus"](big).tolist() == [0.0, 800.0, 0.0, 1e300]
    assert f["elu"](big).tolist() == [-1.0, 800.0, -1.0, 1e300]
    assert f["leaky_relu"](big).tolist() == pytest.approx([-8.0, 800.0, -1e298, 1e300], rel=1e-15)
    assert f["sigmoid"](big).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert f["tanh"](big).tolist() == [-1.0, 1.0, -1.0, 1.0]
    assert f["gelu"](np.array([700.0, -700.0])).tolist() == [700.0, 0.0]
    # sigmoid(-700) = e^-700 / (1 + e^-700) is a normal float64, not 0
    assert f["sigmoid"](np.array([-700.0]))[0] == pytest.approx(math.exp(-700), rel=1e-15)
    assert f["softplus"](np.array([-700.0]))[0] == pytest.approx(math.exp(-700), rel=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_compiled_network_at_large_inputs_and_infinities(name):
    """The same values through a compiled one-unit network, the path every forward pass takes."""
    fn = sn.mlp([1, 1], output_activation=name).bind(weights=[[[1]]], biases=[[0]]).compile()
    x = np.array(_large_inputs(np.float64))
    got = fn(x.reshape(-1, 1)).ravel()
    _assert_kernel_values(name, np.float64, x, got)
    assert fn(np.array([[-np.inf], [np.inf]])).ravel().tolist() == list(LIMITS[name])


def test_sigmoid_matches_scipy_expit():
    x = np.linspace(-750, 750, 30001)
    np.testing.assert_allclose(sn.activation("sigmoid").numpy(x), scipy.special.expit(x), rtol=1e-15, atol=0)


def test_gelu_matches_x_times_normal_cdf_on_a_grid():
    x = np.linspace(-12, 12, 24001)
    np.testing.assert_allclose(sn.activation("gelu").numpy(x), x * scipy.stats.norm.cdf(x), rtol=1e-14, atol=1e-300)


def test_kernels_accept_integers_and_refuse_non_real_input():
    assert sn.activation("relu").numpy([-2, 3]).tolist() == [0.0, 3.0]
    for bad in (np.array([1j]), np.array(["1"]), np.array([object()])):
        with pytest.raises(sn.SymnetError, match="dtype"):
            sn.activation("relu").numpy(bad)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    derivative = compile_scalar(sn.activation(name).derivative(z), [z])
    f = sn.activation(name).numpy
    x = np.array([-6.0, -2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.0, 6.0])
    h = 1e-6
    numeric = (f(x + h) - f(x - h)) / (2 * h)
    np.testing.assert_allclose(np.broadcast_to(derivative(x), x.shape), numeric, rtol=1e-7, atol=1e-9)


# --- properties, computed ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, expected",
    [
        ("identity", S.Reals),
        ("sigmoid", Interval.open(0, 1)),
        ("tanh", Interval.open(-1, 1)),
        ("relu", Interval(0, oo)),
        ("leaky_relu", S.Reals),
        ("elu", Interval.open(-1, oo)),
        ("softplus", Interval.open(0, oo)),
    ],
)
def test_exact_ranges(name, expected):
    assert sn.activation(name).range == expected
    assert sn.activation(name).analysis.exact


def _mp_minimiser(derivative, guess):
    with mpmath.workdps(40):
        return mpmath.findroot(derivative, guess)


def test_gelu_minimum_against_mpmath():
    z_star, value = sn.activation("gelu").minimum
    with mpmath.workdps(40):
        root = _mp_minimiser(lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x), -0.75)
        assert abs(mpmath.mpf(str(z_star)) - root) < mpmath.mpf(10) ** -25
        assert abs(mpmath.mpf(str(value)) - root * mpmath.ncdf(root)) < mpmath.mpf(10) ** -25
    low = sn.activation("gelu").range.inf
    assert low == value and sn.activation("gelu").range.sup == oo


def test_silu_minimum_is_exact_and_matches_mpmath():
    z_star, value = sn.activation("silu").minimum
    assert sympy.simplify(value - (-sympy.LambertW(sympy.exp(-1)))) == 0  # closed form found by SymPy
    with mpmath.workdps(40):
        root = _mp_minimiser(lambda x: 1 + x + mpmath.exp(x), -1.28)  # SiLU'(z) = 0  <=>  1 + z + e^z = 0
        assert abs(mpmath.mpf(str(sympy.N(z_star, 35))) - root) < mpmath.mpf(10) ** -25
        assert abs(mpmath.mpf(str(sympy.N(value, 35))) - root / (1 + mpmath.exp(-root))) < mpmath.mpf(10) ** -25


def test_gelu_seed_range_figure_checked():
    # The seed quotes "approximately [-0.17, inf)" for GELU/SiLU; GELU's computed minimum rounds to it.
    assert round(float(sn.activation("gelu").minimum[1]), 2) == -0.17
    assert round(float(sn.activation("silu").minimum[1]), 2) == -0.28  # SiLU's does not


def test_max_abs_derivative():
    where, value = sn.activation("sigmoid").max_abs_derivative
    assert value == Rational(1, 4) and where == 0
    where, value = sn.activation("tanh").max_abs_derivative
    assert value == 1 and where == 0
    where, value = sn.activation("gelu").max_abs_derivative
    assert where == sympy.sqrt(2)
    with mpmath.workdps(30):
        assert abs(mpmath.mpf(str(sympy.N(value, 30))) - (mpmath.ncdf(mpmath.sqrt(2)) + mpmath.sqrt(2) * mpmath.npdf(mpmath.sqrt(2)))) < 1e-25
    where, value = sn.activation("relu").max_abs_derivative
    assert value == 1 and where == Interval.open(0, oo)


def test_monotonicity_and_zero_centring():
    mono = {name: sn.activation(name).monotonic for name in NAMES}
    assert mono["sigmoid"] == mono["tanh"] == mono["softplus"] == mono["elu"] == "increasing"
    assert mono["relu"] == "non-decreasing"
    assert mono["gelu"] is None and mono["silu"] is None and mono["gelu_tanh"] is None
    centred = {name for name in NAMES if sn.activation(name).zero_centred}
    assert centred == {"identity", "tanh"}


def test_relu_minimum_is_attained_on_a_half_line():
    where, value = sn.activation("relu").minimum
    assert value == 0 and where == Interval(-oo, 0)
    assert sn.activation("sigmoid").minimum is None


# --- lookup and custom activations ---------------------------------------------------------------

def test_unknown_activation_names_the_value_with_a_suggestion():
    with pytest.raises(sn.UnknownNameError, match=r"unknown activation 'sigmod' \(did you mean 'sigmoid'\?\)"):
        sn.activation("sigmod")


def test_custom_activation_from_a_formula_has_computed_properties():
    custom = sn.activation(sn.parse("z*sigmoid(z)"))
    silu = sn.activation("silu")
    assert math.isclose(float(custom.minimum[1]), float(silu.minimum[1]), rel_tol=1e-12)
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(custom.numpy(x), silu.numpy(x), rtol=1e-15)


def test_symbolic_parameter_cannot_be_evaluated_numerically():
    a = sympy.Symbol("a")
    with pytest.raises(sn.SymnetError, match="symbolic parameter a"):
        sn.activation("leaky_relu", a).numpy([1.0])
    assert sn.activation("leaky_relu", "0.2").numpy(np.array([-1.0]))[0] == pytest.approx(-0.2)


def _hand_written(name: str):
    """Each built-in activation written directly in NumPy/SciPy, independent of symnet's kernels."""
    from scipy import special

    c = np.sqrt(2 / np.pi)
    return {
        "identity": lambda z: z,
        "sigmoid": special.expit,
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
        "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
        "softplus": lambda z: np.logaddexp(0.0, z),
        "silu": lambda z: z * special.expit(z),
        "gelu": lambda z: z * special.ndtr(z),
        "gelu_tanh": lambda z: 0.5 * z * (1 + np.tanh(c * (z + 0.044715 * z**3))),
    }[name]


@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "silu",
                                  "gelu", "gelu_tanh"])
def test_compiled_network_matches_a_hand_written_forward_pass(name):
    """The tour's former oracle: a 3-4-4-2 network compiled by symnet against NumPy written by hand, to 1e-12."""
    import warnings

    rng = np.random.default_rng(7)
    weights = [rng.integers(-24, 25, (b, a)) / 16 for a, b in zip((3, 4, 4), (4, 4, 2))]
    biases = [rng.integers(-8, 9, b) / 16 for b in (4, 4, 2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sn.CollapsibleLayersWarning)
        net = sn.mlp([3, 4, 4, 2], activation=name).bind(weights=[w.tolist() for w in weights],
                                                         biases=[b.tolist() for b in biases])
    X = rng.standard_normal((500, 3)) * 4
    h = X
    for level, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w.T + b
        h = _hand_written(name)(h) if level < 2 else h
    assert np.max(np.abs(net.compile()(X) - h)) <= 1e-12 * max(1.0, np.max(np.abs(h)))

"""Neurons, layers and MLPs: counts, exact and numeric forward passes, binding, collapse, LaTeX."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from sympy import Float, ImmutableMatrix, Rational

import symnet as sn


def numpy_forward(weights, biases, activations, x):
    """A hand-written forward pass: relu(W @ h + b) per layer, as the seed writes it."""
    kernels = {"relu": lambda v: np.maximum(0, v), "identity": lambda v: v, "tanh": np.tanh}
    h = np.asarray(x, dtype=float)
    for w, b, act in zip(weights, biases, activations):
        h = kernels[act](w @ h + b)
    return h


# --- counts ------------------------------------------------------------------------------------

def test_seed_mlp_parameter_counts():
    net = sn.mlp([3, 4, 4, 2])
    assert net.num_params == 46
    assert net.param_counts == [16, 20, 10]
    assert [layer.activation.name for layer in net.layers] == ["relu", "relu", "identity"]


@given(st.lists(st.integers(1, 12), min_size=2, max_size=6))
def test_count_formula_agrees_with_matrix_shapes(widths):
    net = sn.mlp(widths)
    formula, value = net.param_count_formula()
    assert value == net.num_params == sum(len(m) for m in net.parameters)
    assert isinstance(formula, sympy.Sum)


def test_dense_count_is_m_times_n_plus_one():
    n, m = 7, 5
    layer = sn.Dense(n, m, "relu")
    assert layer.num_params == m * (n + 1)
    assert layer.weight.shape == (m, n) and layer.bias.shape == (m, 1)


# --- the neuron ----------------------------------------------------------------------------------

def test_worked_example_neuron_is_exact():
    neuron = sn.Neuron(["0.5", "-1.0", "2.0"], -1, "relu")
    assert neuron.preactivation([2, 1, 1]) == 1 and neuron([2, 1, 1]) == 1
    off = sn.Neuron(["0.5", "-1.0", "2.0"], -3, "relu")
    assert off.preactivation([2, 1, 1]) == -1 and off([2, 1, 1]) == 0


def test_seed_section_2_neuron_is_computed():
    # 0.5*1 - 1.2*2 + 0.3*3 + 0.1 = -0.9 exactly (decimal strings are exact Rationals).
    neuron = sn.Neuron(["0.5", "-1.2", "0.3"], "0.1", "relu")
    assert neuron.preactivation([1, 2, 3]) == Rational(-9, 10)
    assert neuron([1, 2, 3]) == 0


def test_float_weights_are_binary_floats():
    neuron = sn.Neuron([0.5, -1.2, 0.3], 0.1, "relu")
    z = neuron.preactivation([1.0, 2.0, 3.0])
    assert isinstance(z, Float) and abs(float(z) - (0.5 - 2.4 + 0.9 + 0.1)) < 1e-15


def test_symbolic_neuron():
    w = sympy.symbols("w1:3", real=True)
    neuron = sn.Neuron(w, sympy.Symbol("b"), "sigmoid")
    x1, x2 = sympy.symbols("x1 x2", real=True)
    assert neuron() == sn.sigmoid(w[0] * x1 + w[1] * x2 + sympy.Symbol("b"))


# --- forward passes ------------------------------------------------------------------------------

def test_bound_random_network_matches_hand_written_numpy():
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((4, 3)), rng.standard_normal((4, 4)), rng.standard_normal((2, 4))]
    biases = [rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal(2)]
    net = sn.mlp([3, 4, 4, 2]).bind(weights=weights, biases=biases)
    for x in rng.standard_normal((5, 3)):
        symbolic = np.array(net(x), dtype=float).ravel()
        reference = numpy_forward(weights, biases, ["relu", "relu", "identity"], x)
        np.testing.assert_allclose(symbolic, reference, rtol=1e-12, atol=1e-12)


def test_exact_weights_give_exact_outputs():
    net = sn.mlp([2, 2, 1]).bind(weights=[[[1, 1], [1, 1]], [["1", "-2"]]], biases=[["-1/2", "-3/2"], [0]])
    assert net([1, 1]) == ImmutableMatrix([Rational(1, 2)])
    assert all(isinstance(v, Rational) for v in net([1, 0]))


@given(
    st.lists(st.integers(-5, 5), min_size=6, max_size=6),
    st.lists(st.integers(-5, 5), min_size=2, max_size=2),
    st.lists(st.integers(-5, 5), min_size=2, max_size=2),
)
def test_exact_forward_equals_numpy_on_integer_weights(w, b, x):
    w1 = np.array(w[:4]).reshape(2, 2)
    w2 = np.array(w[4:]).reshape(1, 2)
    net = sn.mlp([2, 2, 1]).bind(weights=[w1, w2], biases=[b, [0]])
    expected = numpy_forward([w1, w2], [np.array(b), np.zeros(1)], ["relu", "identity"], x)
    assert float(net(x)[0]) == expected[0]


def test_symbolic_forward_is_the_composition():
    net = sn.mlp([2, 2, 1], activation="tanh")
    (y,) = net()
    w1, b1, w2, b2 = net.parameters
    x = sn.input_symbols(2)
    expected = (w2 * (w1 * x + b1).applyfunc(sympy.tanh) + b2)[0]
    assert sympy.expand(y - expected) == 0


def test_parameters_and_symbols_order():
    net = sn.mlp([2, 3, 1])
    shapes = [m.shape for m in net.parameters]
    assert shapes == [(3, 2), (3, 1), (1, 3), (1, 1)]
    assert [str(s) for s in net.symbols[:3]] == ["W1_1_1", "W1_1_2", "W1_2_1"]
    assert len(net.symbols) == net.num_params
    assert net.bind(weights=[np.ones((3, 2)), np.ones((1, 3))], biases=[np.zeros(3), [0]]).is_bound


def test_symbolic_leak_slope_is_a_free_symbol():
    a = sympy.Symbol("a")
    net = sn.mlp([1, 1, 1], activation=sn.activation("leaky_relu", a))
    assert a in net.symbols


# --- collapse --------------------------------------------------------------------------------

def test_consecutive_affine_layers_warn_and_collapse():
    with pytest.warns(sn.CollapsibleLayersWarning) as caught:
        net = sn.Sequential(sn.Dense(3, 4), sn.Dense(4, 2), sn.Dense(2, 2, "relu"))
    messages = [str(w.message) for w in caught]
    assert messages[0].startswith("layers 1 and 2 are affine") and messages[1].startswith("layers 2 and 3")
    collapsed = net.collapsed()
    assert collapsed.widths == [3, 2] and collapsed.layers[0].activation.name == "relu"
    diff = (net() - collapsed()).applyfunc(lambda e: sympy.expand(e.rewrite(sympy.Max)))
    assert diff == sympy.zeros(2, 1)


def test_collapsed_weights_are_the_products():
    with pytest.warns(sn.CollapsibleLayersWarning):
        net = sn.Sequential(sn.Dense(3, 4), sn.Dense(4, 2))
    (merged,) = net.collapsed().layers
    w1, b1, w2, b2 = net.parameters
    assert merged.weight == w2 * w1
    assert merged.bias == w2 * b1 + b2


def test_mlp_with_nonlinearities_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sn.mlp([3, 4, 4, 2])


# --- errors name the bad value -------------------------------------------------------------------

@pytest.mark.parametrize(
    "widths, message",
    [
        ([3, 0, 2], r"entry 1 is 0"),
        ([3, -1, 2], r"entry 1 is -1"),
        ([3, 2.5, 2], r"entry 1 is 2.5"),
        ([3, True, 2], r"entry 1 is True"),
        ([3], r"at least one layer"),
        ("3-4-2", r"list of positive integers"),
    ],
)
def test_bad_widths(widths, message):
    with pytest.raises(sn.SymnetError, match=message):
        sn.mlp(widths)


def test_bind_shape_errors_name_the_layer_and_shapes():
    net = sn.mlp([3, 4, 2])
    with pytest.raises(sn.ShapeError, match=r"weights\[1\] \(layer 2\) has shape \(3, 4\), expected \(2, 4\)"):
        net.bind(weights=[np.zeros((4, 3)), np.zeros((3, 4))])
    with pytest.raises(sn.ShapeError, match=r"biases\[0\] \(layer 1\) has length 3, expected 4"):
        net.bind(biases=[np.zeros(3), np.zeros(2)])
    with pytest.raises(sn.ShapeError, match="has 1 entries, the network has 2 layers"):
        net.bind(weights=[np.zeros((4, 3))])
    with pytest.raises(sn.SymnetError, match="must be finite"):
        net.bind(biases=[[np.nan, 0, 0, 0], None])


def test_mismatched_layers_and_unknown_activation():
    with pytest.raises(sn.ShapeError, match="layer 2 takes 5 inputs but layer 1 gives 4"):
        sn.Sequential(sn.Dense(3, 4, "relu"), sn.Dense(5, 2))
    with pytest.raises(sn.UnknownNameError, match="did you mean 'relu'"):
        sn.mlp([3, 4, 2], activation="rleu")


def test_input_of_wrong_length():
    with pytest.raises(sn.ShapeError, match="network input has length 2, expected 3"):
        sn.mlp([3, 2])([1, 2])


# --- LaTeX ----------------------------------------------------------------------------------

def test_parameter_symbols_print_as_textbook_indices():
    assert sn.latex(sn.LayerSymbol("W1_2_3")) == r"W^{(1)}_{23}"
    assert sn.latex(sn.LayerSymbol("W2_10_3")) == r"W^{(2)}_{10,3}"
    assert sn.latex(sn.LayerSymbol("b3_1")) == r"b^{(3)}_{1}"
    assert sn.latex(sn.Dense(2, 1).weight) == r"\begin{bmatrix}W^{(1)}_{11} & W^{(1)}_{12}\end{bmatrix}"


def test_network_latex_matrix_form():
    assert sn.mlp([3, 4, 4, 2]).latex() == (
        r"\begin{aligned}"
        r"\mathbf{h}^{(1)} &= \operatorname{ReLU}\left(W^{(1)} \mathbf{x} + \mathbf{b}^{(1)}\right) \\" "\n"
        r"\mathbf{h}^{(2)} &= \operatorname{ReLU}\left(W^{(2)} \mathbf{h}^{(1)} + \mathbf{b}^{(2)}\right) \\" "\n"
        r"\mathbf{y} &= W^{(3)} \mathbf{h}^{(2)} + \mathbf{b}^{(3)}"
        r"\end{aligned}"
    )


def test_network_latex_expanded_form():
    tex = sn.mlp([2, 1], activation="relu", output_activation="sigmoid").latex(expanded=True)
    assert tex == (
        r"\begin{aligned}y_{1} &= \sigma\left(W^{(1)}_{11} x_{1} + W^{(1)}_{12} x_{2} + b^{(1)}_{1}\right)\end{aligned}"
    )
    bound = sn.mlp([2, 1]).bind(weights=[[["0.5", "-1.2"]]], biases=[["0.1"]])
    assert bound.latex(expanded=True) == (
        r"\begin{aligned}y_{1} &= \frac{x_{1}}{2} - \frac{6 x_{2}}{5} + \frac{1}{10}\end{aligned}"
    )


def test_bound_network_prints_its_matrices_truncated():
    net = sn.mlp([12, 3]).bind(weights=[np.arange(36).reshape(3, 12)], biases=[[1, 2, 3]])
    tex = net.latex()
    assert r"\cdots" in tex and "11" in tex and "10" not in tex.split(r"\cdots")[1].split("&")[0]
    big = sn.latex(sympy.ones(20, 20))
    assert big.count(r"\\") == 7 and r"\ddots" in big and r"\vdots" in big


def test_expanded_latex_of_a_large_network_is_refused():
    with pytest.raises(sn.SymnetError, match="pass max_params=2010"):
        sn.mlp([200, 10]).latex(expanded=True)


def test_repr_latex_on_user_facing_objects():
    for obj in (sn.mlp([3, 4, 2]), sn.Dense(2, 2, "relu"), sn.Neuron([1, 2], 0, "relu"), sn.activation("gelu")):
        assert obj._repr_latex_().startswith("$")

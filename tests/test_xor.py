"""XOR candidates: the threshold rule at its edge, exact mode, the weight bound in both directions, against NumPy.

Every expected value is computed here, by hand (the arithmetic is in the comments) or with plain NumPy and
``fractions.Fraction``, never by the function under test.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from sympy import Rational

import symnet as sn
from symnet import derive

INPUTS = [(0, 0), (0, 1), (1, 0), (1, 1)]
XOR = [0, 1, 1, 0]
X = np.array(INPUTS, dtype=float)


def _relu(v):
    return max(Fraction(0), v)


def _outputs(check) -> list[Fraction]:
    return [Fraction(str(row.output)) for row in check.rows]


# --- the threshold: y > t counts as 1, y = t as 0 ----------------------------------------------------------


def test_an_output_equal_to_the_threshold_counts_as_zero():
    # y = 0.25*relu(x1 + x2) - 0.5*relu(x1 + x2 - 1): 0, 1/4, 1/4, 1/4*2 - 1/2 = 0
    text = "h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 0.25*h1 - 0.5*h2"
    check = derive.check_xor(text, threshold=Rational(1, 4))
    assert _outputs(check) == [0, Fraction(1, 4), Fraction(1, 4), 0]
    assert [row.predicted for row in check.rows] == [0, 0, 0, 0]  # 1/4 > 1/4 is false
    assert (check.ok, check.failures) == (False, [(0, 1), (1, 0)])
    # any threshold below 1/4 makes the same network right
    assert derive.check_xor(text, threshold="0.2499999").ok


def test_an_output_just_above_the_threshold_counts_as_one():
    # 0.2500001 > 0.25 by 1e-7: the comparison is exact, not a float rounding
    text = "h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 0.2500001*h1 - 0.5000002*h2"
    check = derive.check_xor(text, threshold=0.25)
    assert _outputs(check) == [0, Fraction("0.2500001"), Fraction("0.2500001"), 0]
    assert [row.predicted for row in check.rows] == XOR and check.ok
    just_below = text.replace("0.2500001", "0.2499999").replace("0.5000002", "0.4999998")
    assert derive.check_xor(just_below, threshold=0.25).failures == [(0, 1), (1, 0)]


def test_a_float_threshold_means_its_decimal():
    # The float 0.3 is 0.299999999999999988898 in binary; the threshold means 3/10, and y = 3/10 is not above it.
    text = "h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 0.3*h1 - 0.6*h2"
    assert Fraction(0.3) < Fraction(3, 10)  # the binary float is below: read as binary, 3/10 would count as 1
    for threshold in (0.3, "0.3", Rational(3, 10)):
        check = derive.check_xor(text, threshold=threshold)
        assert _outputs(check) == [0, Fraction(3, 10), Fraction(3, 10), 0]
        assert check.failures == [(0, 1), (1, 0)], threshold


def test_threshold_on_a_network_object():
    # hidden relu(x1 + x2), relu(x1 + x2 - 1); output 0.5*h1 - h2: 0, 1/2, 1/2, 0
    net = sn.mlp([2, 2, 1]).bind(weights=[[[1, 1], [1, 1]], [["0.5", -1]]], biases=[[0, -1], [0]])
    assert derive.check_xor(net, threshold=Rational(1, 2)).failures == [(0, 1), (1, 0)]  # 1/2 is not above 1/2
    assert derive.check_xor(net, threshold="0.4999").ok


# --- exact mode: only 0 and 1 count -------------------------------------------------------------------------


@pytest.mark.parametrize("text, outputs", [
    # 0.5*x1 + 0.5*x2: 0, 1/2, 1/2, 1
    ("y = 0.5*x1 + 0.5*x2", [0, Fraction(1, 2), Fraction(1, 2), 1]),
    # 0.9*relu(x1 + x2) - 1.8*relu(x1 + x2 - 1): 0, 0.9, 0.9, 1.8 - 1.8 = 0
    ("h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 0.9*h1 - 1.8*h2", [0, Fraction(9, 10), Fraction(9, 10), 0]),
    # 1.0000001 is not 1
    ("h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 1.0000001*h1 - 2.0000002*h2",
     [0, Fraction("1.0000001"), Fraction("1.0000001"), 0]),
])
def test_exact_mode_counts_only_zero_and_one(text, outputs):
    check = derive.check_xor(text)
    assert _outputs(check) == outputs
    expected = [int(y) if y in (0, 1) else None for y in outputs]  # anything else predicts nothing
    assert [row.predicted for row in check.rows] == expected
    assert check.failures == [x for x, p, t in zip(INPUTS, expected, XOR) if p != t]
    assert not check.ok
    assert check.as_json()["rows"][1]["predicted"] is None


def test_exact_mode_accepts_exact_xor_written_with_decimals():
    # 1.0*relu(x1 + x2) - 2.0*relu(x1 + x2 - 1): 0, 1, 1, 0, exactly
    check = derive.check_xor("h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = 1.0*h1 - 2.0*h2")
    assert [row.predicted for row in check.rows] == XOR and check.ok


# --- the weight bound: which way the last hidden unit's weight must move ------------------------------------

#: (candidate with its last hidden unit's weight as {k}, k as written, threshold, row first wrong,
#:  the output at that row as a function of k (by hand), expected relation, expected boundary)
BOUNDS = {
    # wants 1 at (0, 1); h2 = relu(1.5) = 1.5 > 0 there: y = 0.1 + 1.5 k > 1/4  <=>  k > 1/10
    "at least, unit positive": (
        "h1 = relu(x1 + x2 - 1)\nh2 = relu(x1 + x2 + 0.5)\ny = 0.1 - 3*h1 + {k}*h2", "0.05", (0, 1),
        lambda k: Fraction(1, 10) + Fraction(3, 2) * k, "more than", Fraction(1, 10)),
    # the source text's candidate: wants 0 at (1, 1); h1 = 1.5, h2 = 0.5: y = 1.5 + 0.5 k <= 1/4  <=>  k <= -5/2
    "at most, unit positive": (
        "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 + {k}*h2", "-2", (1, 1),
        lambda k: Fraction(3, 2) + Fraction(1, 2) * k, "at most", Fraction(-5, 2)),
    # wants 1 at (0, 1); h2 = -1 < 0 there: y = 0.5 - k > 1/4  <=>  k < 1/4
    "at most, unit negative": (
        "h1 = relu(x1 + x2 - 1)\nh2 = x1 + x2 - 2\ny = 0.5 - 2*h1 + {k}*h2", "1", (0, 1),
        lambda k: Fraction(1, 2) - k, "less than", Fraction(1, 4)),
    # wants 0 at (0, 0); h2 = -3 < 0 there: y = 1 - 3 k <= 1/4  <=>  k >= 1/4
    "at least, unit negative": (
        "h1 = relu(x1 + x2 - 1)\nh2 = x1 + x2 - 3\ny = 1 - 2*h1 + {k}*h2", "0.1", (0, 0),
        lambda k: 1 - 3 * k, "at least", Fraction(1, 4)),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_weight_bound_in_both_directions(case):
    text, k, row, output_at_row, relation, boundary = BOUNDS[case]
    threshold = Fraction(1, 4)
    candidate = text.format(k=k)
    check = derive.check_xor(candidate, threshold=Rational(1, 4))
    assert check.failures[0] == row
    assert Fraction(str(check.rows[INPUTS.index(row)].output)) == output_at_row(Fraction(k))
    unit, got_relation, value = derive.weight_bound(candidate, Rational(1, 4))
    assert (unit, got_relation, Fraction(str(value))) == ("h2", relation, boundary)
    # the boundary is where the row's output meets the threshold
    assert output_at_row(boundary) == threshold
    # past the boundary in the stated direction the row is right; on the other side it stays wrong
    step = Fraction(1, 100) if relation in ("at least", "more than") else Fraction(-1, 100)
    past, short = boundary + step, boundary - step
    fixed = derive.check_xor(text.format(k=f"({past})"), threshold=Rational(1, 4))
    still = derive.check_xor(text.format(k=f"({short})"), threshold=Rational(1, 4))
    assert row not in fixed.failures and row in still.failures
    # at the boundary itself y = t, which counts as 0: right for a row that wants 0, wrong for one that wants 1
    at = derive.check_xor(text.format(k=f"({boundary})"), threshold=Rational(1, 4))
    assert (row in at.failures) == (relation in ("more than", "less than"))


def test_weight_bound_fixes_the_whole_table_where_one_weight_can():
    # For these candidates a weight past the boundary makes every row right (checked by hand: e.g. the first,
    # k = 0.2: y = 0.1 + 0.1 = 0.2, 0.1 + 0.3 = 0.4 (twice), 0.1 - 3 + 0.5 = -2.4 against 1/4).
    for case, fix in (("at least, unit positive", "0.2"), ("at most, unit positive", "-3"),
                      ("at most, unit negative", "0.2"), ("at least, unit negative", "0.3")):
        text = BOUNDS[case][0]
        assert derive.check_xor(text.format(k=fix), threshold=0.25).ok, case


# --- against NumPy ----------------------------------------------------------------------------------------------


def _relu_np(v):
    return np.maximum(v, 0.0)


def test_xor_networks_against_numpy():
    """The derived network, the corrected candidate and the candidate itself, as symnet evaluates them, against
    the same networks written in NumPy."""
    s = X.sum(axis=1)
    candidate = "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"
    d = derive.xor(candidate, Rational(1, 4))
    networks = [
        (d.facts["derived_network"], _relu_np(s) - 2 * _relu_np(s - 1)),  # (b): solved output weights 1, -2
        (d.facts["corrected_network"], 2 * _relu_np(s - 0.5) - 6 * _relu_np(s - 1.5)),  # weights 2, -6
        (candidate, _relu_np(s - 0.5) - 2 * _relu_np(s - 1.5)),
    ]
    for text, expected in networks:
        check = derive.check_xor(text, threshold=0.25)
        np.testing.assert_array_equal([float(row.output) for row in check.rows], expected)
        predicted = (expected > 0.25).astype(int).tolist()
        assert [row.predicted for row in check.rows] == predicted
        assert check.ok == (predicted == XOR)
    np.testing.assert_array_equal(networks[0][1], XOR)
    np.testing.assert_array_equal(networks[1][1], XOR)
    assert d.facts["candidate_check"].failures == [(1, 1)]  # NumPy: 1.5 - 2*0.5 = 0.5 > 0.25 at (1, 1)


@pytest.mark.parametrize("seed", range(4))
def test_network_objects_against_numpy(seed):
    """A 2-3-1 ReLU network with random weights (multiples of 1/8, so every value is exact in binary):
    check_xor and the compiled network against a NumPy forward pass."""
    rng = np.random.default_rng(seed)
    w1, b1 = rng.integers(-16, 17, (3, 2)) / 8, rng.integers(-16, 17, 3) / 8
    w2, b2 = rng.integers(-16, 17, (1, 3)) / 8, rng.integers(-16, 17, 1) / 8
    net = sn.mlp([2, 3, 1]).bind(weights=[w1.tolist(), w2.tolist()], biases=[b1.tolist(), b2.tolist()])
    expected = (_relu_np(X @ w1.T + b1) @ w2.T + b2).ravel()
    np.testing.assert_array_equal(net.compile()(X).ravel(), expected)
    threshold = 0.0625  # 1/16: outputs are multiples of 1/64, so a tie is possible and exercised when it occurs
    check = derive.check_xor(net, threshold=threshold)
    np.testing.assert_array_equal([float(row.output) for row in check.rows], expected)
    assert [row.predicted for row in check.rows] == (expected > threshold).astype(int).tolist()
    exact = derive.check_xor(net)
    assert [row.predicted for row in exact.rows] == [int(v) if v in (0.0, 1.0) else None for v in expected]


# --- the derivation with a candidate ----------------------------------------------------------------------------


def test_a_candidate_wrong_where_xor_is_one_at_the_threshold_itself():
    # y = h1 at (0, 1) is relu(0.25) = 1/4 = t: it counts as 0 where XOR is 1, so the step reads 0 ≠ 1;
    # the same at (1, 0); at (1, 1) y = 1.25 - 2 * 0.5 = 1/4 counts as 0, which is right there
    candidate = "h1 = relu(x1 + x2 - 0.75)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"
    d = derive.xor(candidate, threshold=Rational(1, 4))
    assert d.verify()
    wrong = [s for s in d.steps if s.relation == "!="]
    assert [(int(s.lhs), int(s.rhs)) for s in wrong] == [(0, 1), (0, 1)]
    # default name of the candidate, and every failing row listed
    assert d.summary.endswith("The candidate fails at (0, 1), (1, 0) with threshold $\\frac{1}{4}$.")
    assert "the candidate at $(0, 1)$: $y = \\frac{1}{4}" in wrong[0].why


def test_a_candidate_that_computes_xor_gets_no_correction():
    d = derive.xor("h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = h1 - 2*h2", source="this network")
    assert d.summary.endswith(" This network computes XOR.")
    assert d.verify() and "corrected_network" not in d.facts and d.facts["candidate_check"].ok
    assert not any(s.relation == "!=" for s in d.steps)


def test_xor_check_text_shows_undecided_rows_and_every_failure():
    check = derive.check_xor("h1 = relu(x1 + x2)\ny = h1 / 2")
    lines = str(check).splitlines()
    assert lines[0] == "x1 x2 | y | predicted | XOR   (y must equal XOR exactly)"
    assert lines[2] == " 0  1 | 1/2 | - | 1  WRONG"
    assert lines[-1] == "fails at (0, 1), (1, 0), (1, 1)"
    assert check.as_json() == {
        "ok": False, "failures": [[0, 1], [1, 0], [1, 1]],
        "rows": [{"x": [0, 0], "y": "0", "predicted": 0, "xor": 0}, {"x": [0, 1], "y": "1/2", "predicted": None, "xor": 1},
                 {"x": [1, 0], "y": "1/2", "predicted": None, "xor": 1}, {"x": [1, 1], "y": "1", "predicted": 1, "xor": 0}],
    }


def test_candidate_errors_name_what_is_wrong():
    with pytest.raises(sn.SymnetError, match=r"assigned twice in the candidate: \['h1', 'h1', 'y'\]"):
        derive.check_xor("h1 = x1\nh1 = x2\ny = h1")
    with pytest.raises(sn.SymnetError, match=r"y uses a, b before it is defined"):
        derive.check_xor("y = a + b + x1")


def test_comments_are_dropped_from_the_corrected_network():
    text = "h1 = relu(x1 + x2 - 0.5)  # first # unit\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"
    assert derive.correct_output_weights(text).splitlines() == [
        "h1 = relu(x1 + x2 - 0.5)", "h2 = relu(x1 + x2 - 1.5)", "y = 2*h1 - 6*h2"]


def test_weight_bound_when_the_last_unit_is_zero_on_the_wrong_row():
    candidate = "h1 = relu(x1 + x2 - 0.75)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"  # h2 = 0 at (0, 1)
    with pytest.raises(sn.SymnetError, match=r"no weight on h2 fixes the row \(0, 1\): h2 is 0 there"):
        derive.weight_bound(candidate, Rational(1, 4))
    assert derive.xor(candidate).facts["weight_bound"] is None


def test_candidates_that_are_not_networks_are_refused_by_name():
    with pytest.raises(sn.SymnetError, match="an XOR candidate is network text or a Sequential, got int"):
        derive.check_xor(42)
    two_out = sn.mlp([2, 2]).bind(weights=[[[1, 0], [0, 1]]], biases=[[0, 0]])
    with pytest.raises(sn.SymnetError, match="needs 2 inputs, 1 output and numeric weights"):
        derive.check_xor(two_out)
    with pytest.raises(sn.SymnetError, match=r"the output at \(0, 0\)"):
        derive.check_xor("y = 1/(x1 - x2)")
    with pytest.raises(sn.SymnetError, match="^threshold: 'a quarter' is not a decimal number"):
        derive.check_xor("y = x1", threshold="a quarter")


def test_output_weights_with_a_bias_and_with_a_redundant_unit():
    # h1 is 1 only at (0, 0), h2 only at (1, 1): XOR = 1 - h1 - h2 needs the bias
    text = "h1 = relu(1 - x1 - x2)\nh2 = relu(x1 + x2 - 1)\ny = h1"
    assert derive.correct_output_weights(text).splitlines()[-1] == "y = -h1 - h2 + 1"
    # h3 repeats h2: the weights are a family; its member with the free weight 0 is taken
    text = "h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\nh3 = relu(x1 + x2 - 1)\ny = h1"
    assert derive.correct_output_weights(text).splitlines()[-1] == "y = h1 - 2*h2"
    with pytest.raises(sn.SymnetError, match="^no output weights make these hidden units compute XOR$"):
        derive.correct_output_weights("h1 = x1 + x2\ny = h1")
    with pytest.raises(sn.SymnetError, match="^the candidate already computes XOR$"):
        derive.weight_bound("h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = h1 - 2*h2", Rational(1, 4))

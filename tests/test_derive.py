"""Derivations: every step proven, perturbed steps caught by name, LaTeX that compiles."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
import sympy
from sympy import MatAdd, MatMul, Rational

import symnet as sn
from symnet import derive
from symnet.report import book
from tests.conftest import require


#: Every built-in derivation, built inside the tests (never at import: a mutation test must see them rebuilt).
BUILT_IN = {
    "collapse 2": lambda: derive.linear_collapse(2),
    "collapse 3": lambda: derive.linear_collapse(layers=3),
    "xor": book.xor_derivation,
    "params": lambda: derive.parameter_count([3, 4, 4, 2]),
    "transformer": lambda: derive.transformer_mlp_params(4096),
    "section 2": book.section2_neuron,
    **{f"derivative {name}": (lambda name=name: derive.activation_derivative(name))
       for name in sn.activation_names() if name != "identity"},
    "example 1 (bias -1)": lambda: book.worked_example(1)[0],
    "example 1 (bias -3)": lambda: book.worked_example(1)[1],
}
EXTRA = {"derivative identity": lambda: derive.activation_derivative("identity"),
         "collapse 4": lambda: derive.linear_collapse(4)}


@pytest.fixture
def built():
    """``built(name)``: the derivation, made anew in each test.

    Not cached across tests: mutation testing maps each test to the code it runs, and a test that read a
    derivation another test built would not be run against mutants of the code that built it.
    """
    return lambda name: {**BUILT_IN, **EXTRA}[name]()


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_derivation_verifies(built, name):
    report = built(name).verify()
    assert report, str(report)
    for result in report.results:
        assert result.status in ("proven", "definition", "numeric", "computed", "arithmetic"), str(report)
        if result.status == "numeric":
            assert "seed" in result.detail or "numerically" in result.detail


def _same_after_doit(lhs, rhs) -> bool:
    left, right = sympy.sympify(lhs).doit(), sympy.sympify(rhs).doit()
    if isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
        return left.shape == right.shape and list(left) == list(right)
    return left == right


@pytest.mark.parametrize("name", [*BUILT_IN, *EXTRA])
def test_no_step_reported_proven_is_the_same_expression_on_both_sides(built, name):
    """A step whose sides coincide once SymPy evaluates them cannot fail: it is counted as a computation."""
    d = built(name)
    report = d.verify()
    for (lhs, relation, rhs, _), result in zip(d.claims(), report.results):
        if result.status == "proven":
            assert not _same_after_doit(lhs, rhs), f"step {result.index} is reported proven but cannot fail: {result.claim}"
        if relation != ":=" and _same_after_doit(lhs, rhs):
            assert result.status in ("computed", "arithmetic"), str(report)
    tally = report.tally()
    assert sum(tally.values()) == len(report.results)
    assert tally["definitions"] == sum(1 for s in d.steps if s.relation == ":=")


def test_step_kinds_proof_computation_arithmetic():
    z = sympy.Symbol("z")
    d = derive.Derivation("kinds", (
        derive.Step(sympy.diff(sympy.exp(z) * z, z), "=", "SymPy's own result", lhs=sympy.Derivative(sympy.exp(z) * z, z)),
        derive.Step(sympy.exp(z) * (z + 1), "=", "factored: a different form, proven"),
        derive.Step(sympy.Integer(6), "=", "numbers", lhs=sympy.Add(2, 4, evaluate=False)),
        derive.Step(sympy.Integer(7), "!=", "numbers that differ", lhs=sympy.Integer(6)),
        derive.Step(z**2 + 1, ":=", "a definition", lhs=sympy.Symbol("f")),
    ))
    statuses = [r.status for r in d.verify().results]
    assert statuses == ["computed", "proven", "arithmetic", "arithmetic", "definition"]
    assert d.verify().tally() == {"proofs": 1, "computations": 3, "definitions": 1}
    assert "1 computed by SymPy" in d.verify().verdict
    # A wrong "computation" is still caught: a step cannot pass by being labelled a computation.
    wrong = _replace_step(d, 2, rhs=sympy.Integer(5))
    assert _failing_steps(wrong) == [3]


def test_collapse_steps_are_proven_not_sampled():
    report = derive.linear_collapse(layers=4).verify()
    assert set(report.counts()) <= {"proven", "definition", "arithmetic"}, str(report)


def _replace_step(d, index, **changes):
    steps = list(d.steps)
    steps[index] = dataclasses.replace(steps[index], **changes)
    return dataclasses.replace(d, steps=tuple(steps))


def _failing_steps(d):
    return [r.index for r in d.verify().failures]


def test_swapping_w1_and_w2_is_caught():
    # Square layers, so that W1 W2 is well formed and only the order is wrong.
    n = sympy.Symbol("n", integer=True, positive=True)
    W1, W2 = sympy.MatrixSymbol("W_1", n, n), sympy.MatrixSymbol("W_2", n, n)
    x, b1, b2 = (sympy.MatrixSymbol(name, n, 1) for name in ("x", "b_1", "b_2"))
    chain = [
        derive.Step(MatAdd(MatMul(W2, MatAdd(MatMul(W1, x), b1)), b2, evaluate=False), ":=", lhs=sympy.MatrixSymbol("y", n, 1)),
        derive.Step(MatAdd(MatMul(W2, W1, x), MatMul(W2, b1), b2, evaluate=False), "=", "distribute"),
    ]
    good = derive.Derivation("order", tuple(chain))
    assert good.verify()
    bad = _replace_step(good, 1, rhs=MatAdd(MatMul(W1, W2, x), MatMul(W2, b1), b2, evaluate=False))
    report = bad.verify()
    assert not report and [r.index for r in report.failures] == [2] and report.failures[0].status == "false"
    assert "step 2" in str(report)


def test_dropping_a_bias_term_is_caught():
    d = derive.linear_collapse(2)
    step = d.steps[1]
    dropped = MatAdd(*step.rhs.args[:2], evaluate=False)  # W2 W1 x + W2 b1, without b2
    bad = _replace_step(d, 1, rhs=dropped)
    assert _failing_steps(bad)[0] == 2


def test_changed_coefficient_is_caught():
    d = derive.parameter_count([3, 4, 4, 2])
    bad = _replace_step(d, 1, rhs=sympy.Integer(17))
    assert _failing_steps(bad)[:1] == [2]
    sig = derive.activation_derivative("sigmoid")
    z = sympy.Symbol("z", real=True)
    wrong = _replace_step(sig, 2, rhs=2 * sn.sigmoid(z) * (1 - sn.sigmoid(z)))
    assert 3 in _failing_steps(wrong)


def test_altered_truth_table_entry_is_caught():
    d = book.xor_derivation()
    index = next(i for i, s in enumerate(d.steps) if s.relation == "=" and s.rhs == 0)
    bad = _replace_step(d, index, rhs=sympy.Integer(1))
    assert _failing_steps(bad) == [index + 1]


def test_wrong_certificate_is_caught():
    d = book.xor_derivation()
    bad = _replace_step(d, 0, certificate=(1, 1, 1, 0))
    assert _failing_steps(bad) == [1]


# --- facts the derivations computed -------------------------------------------------------------

def test_xor_certificate_and_networks():
    d = book.xor_derivation()
    assert d.facts["certificate"] == (Rational(1, 4),) * 4
    assert d.facts["derived_check"].ok
    assert d.facts["corrected_check"].ok
    assert d.facts["candidate_check"].failures == [(1, 1)]
    assert "y = 2*h1 - 6*h2" in d.facts["corrected_network"]


def test_output_weights_are_solved_for_any_hidden_units():
    # A different pair of hidden units: |x1 - x2| split in two. Only the output layer is solved for.
    corrected = derive.correct_output_weights("a = relu(x1 - x2)\nb = relu(x2 - x1)\ny = a")
    assert corrected.splitlines()[:2] == ["a = relu(x1 - x2)", "b = relu(x2 - x1)"]
    assert derive.check_xor(corrected).ok
    with pytest.raises(sn.SymnetError, match="no output weights"):
        derive.correct_output_weights("h = relu(x1 + x2)\ny = h")  # one unit cannot do it


def test_weight_bound_of_the_seed_candidate():
    unit, relation, value = derive.weight_bound(book.XOR_CANDIDATE, Rational(1, 4))
    assert (unit, relation, value) == ("h2", "at most", Rational(-5, 2))
    fixed = book.XOR_CANDIDATE.replace("- 2*h2", "- 3*h2")  # a weight below the bound
    assert derive.check_xor(fixed, threshold=0.25).ok


def test_check_xor_on_the_seed_candidate():
    r = derive.check_xor("h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2", threshold=0.25)
    assert (r.ok, r.failures) == (False, [(1, 1)])
    assert [row.output for row in r.rows] == [0, Rational(1, 2), Rational(1, 2), Rational(1, 2)]
    assert "fails at (1, 1)" in str(r)


def test_check_xor_on_a_network_object():
    net = sn.mlp([2, 2, 1]).bind(weights=[[[1, 1], [1, 1]], [[1, -2]]], biases=[[0, -1], [0]])
    assert derive.check_xor(net).ok
    with pytest.raises(sn.SymnetError, match="numeric weights"):
        derive.check_xor(sn.mlp([2, 2, 1]))
    with pytest.raises(sn.SymnetError, match="before it is defined"):
        derive.check_xor("y = h1 + x1\nh1 = x2")


def test_parameter_counts():
    d = derive.parameter_count([3, 4, 4, 2])
    assert d.facts["per_layer"] == [16, 20, 10] and d.facts["total"] == 46


def test_parameter_count_steps_fail_on_a_wrong_count():
    d = derive.parameter_count([3, 4, 4, 2])
    for index, step in enumerate(d.steps[1:], start=1):  # every count, one entry too many
        assert _failing_steps(_replace_step(d, index, rhs=step.rhs + 1)) == [index + 1]
    assert _failing_steps(_replace_step(d, 0, rhs=d.steps[0].rhs + 1)) == [1]


def test_transformer_block_count_against_the_rough_figure():
    d = derive.transformer_mlp_params(4096)
    assert d.facts["exact"] == 2 * 4 * 4096**2 + 5 * 4096  # d -> 4d -> d, weights and biases
    assert d.facts["rough"] == 4 * 4096**2
    assert d.facts["factor"] == Rational(2 * 4 * 4096 + 5, 4 * 4096)


def test_section2_neuron_is_computed():
    assert book.section2_neuron().facts["z"] == Rational(-9, 10)


def test_sigmoid_bound_and_vanishing_gradient_steps():
    d = derive.activation_derivative("sigmoid")
    relations = [s.relation for s in d.steps]
    assert relations.count("<=") == 2
    assert isinstance(d.steps[-1].lhs, sympy.Product)


# --- LaTeX -------------------------------------------------------------------------------------

def test_neuron_latex_is_exact():
    (d, _) = book.worked_example(1)
    assert d.latex() == (
        "\\begin{align*}\n"
        "z &= 0.5 \\cdot 2 + \\left(-1\\right) \\cdot 1 + 2 \\cdot 1 - 1 && \\text{$w^\\top x + b$} \\\\\n"
        " &= 1 - 1 + 2 - 1 && \\text{multiply} \\\\\n"
        " &= 1 && \\text{add} \\\\\n"
        "a &= \\operatorname{ReLU}\\left(1\\right) && \\text{apply relu} \\\\\n"
        " &= \\max\\left(0, 1\\right) && \\text{$\\max(0, z)$} \\\\\n"
        " &= 1\n"
        "\\end{align*}"
    )


def _document(derivations) -> str:
    from symnet import approx, depth
    from symnet.printing.latex import latex_document, latex_table

    x = sympy.Symbol("x")
    errors = approx.error_table(sympy.sin(x), (0, 3), (2, 4, 8))
    saw = depth.sawtooth_table(range(1, 5))
    tables = [
        ("ReLU interpolants of sin x on [0, 3]", latex_table(["units", "sup error", "how"], [(r.units, r.error, r.how) for r in errors], caption="x^2 ~ 50% & #1 \\ok")),
        ("Sawtooth", latex_table(["k", "deep units", "pieces", "shallow units"], [(r.k, r.deep_units, r.deep_pieces, r.shallow_units) for r in saw])),
        ("A network", sn.mlp([2, 3, 1]).latex(expanded=True).join(["$$", "$$"])),
    ]
    return latex_document([(d.title, d.latex()) for d in derivations] + tables, title="symnet derivations")


def test_all_derivations_compile_with_pdflatex(tmp_path, built):
    require("pdflatex", "every derivation's LaTeX is compiled")
    source = tmp_path / "derivations.tex"
    source.write_text(_document([built(name) for name in BUILT_IN] + book.worked_examples()), encoding="utf-8")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    log = result.stdout
    assert result.returncode == 0 and "! " not in log, log[-3000:]
    assert (tmp_path / "derivations.pdf").stat().st_size > 1000


# --- tier 3: numbers against independent references ---------------------------------------------

def test_collapse_against_numpy():
    import numpy as np

    rng = np.random.default_rng(4)
    w1, w2, w3 = rng.standard_normal((3, 2)), rng.standard_normal((4, 3)), rng.standard_normal((2, 4))
    b1, b2, b3 = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(2)
    x = rng.standard_normal(2)
    composed = w3 @ (w2 @ (w1 @ x + b1) + b2) + b3
    d = derive.linear_collapse(3)
    W, B = d.facts["W'"], d.facts["b'"]
    values = {}
    for name, m in (("W_{1}", w1), ("W_{2}", w2), ("W_{3}", w3)):
        values[name] = m
    for name, v in ((r"\mathbf{b}_{1}", b1), (r"\mathbf{b}_{2}", b2), (r"\mathbf{b}_{3}", b3)):
        values[name] = v.reshape(-1, 1)
    subs = {m: sympy.ImmutableMatrix(values[m.name]) for m in (W.atoms(sympy.MatrixSymbol) | B.atoms(sympy.MatrixSymbol))}
    w_prime = np.array(W.xreplace(subs).doit(), dtype=float)
    b_prime = np.array(B.xreplace(subs).doit(), dtype=float).ravel()
    np.testing.assert_allclose(w_prime @ x + b_prime, composed, rtol=1e-12)


def test_parameter_counts_against_torch():
    torch = require("torch", "the parameter counts against torch.nn")
    with torch.device("meta"):  # shapes only: no memory for 134M weights
        mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
        block = torch.nn.Sequential(torch.nn.Linear(4096, 4 * 4096), torch.nn.GELU(), torch.nn.Linear(4 * 4096, 4096))
    per_layer = [sum(p.numel() for p in m.parameters()) for m in mlp if isinstance(m, torch.nn.Linear)]
    assert derive.parameter_count([3, 4, 4, 2]).facts["per_layer"] == per_layer
    assert derive.transformer_mlp_params(4096).facts["exact"] == sum(p.numel() for p in block.parameters())


def test_sigmoid_derivative_against_mpmath():
    import mpmath

    d = derive.activation_derivative("sigmoid")
    z = sympy.Symbol("z", real=True)
    textbook = d.facts["derivative"]
    for point in (-7.5, -1.0, 0.0, 0.3, 4.0):
        with mpmath.workdps(30):
            reference = mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), point)
        assert abs(float(textbook.subs(z, point).evalf(30)) - float(reference)) < 1e-15
    assert d.facts["max_slope"] == Rational(1, 4)


@pytest.mark.parametrize(
    "make, expected",
    [
        (
            lambda: derive.parameter_count([3, 4, 4, 2]),
            "n_{l} n_{l-1} + n_{l} &= n_{l} \\left(n_{l-1} + 1\\right) && \\text{weights $n_l n_{l-1}$ plus biases $n_l$} \\\\\n"
            "4 \\left(3 + 1\\right) &= 16 && \\text{layer 1 (3 $\\to$ 4): the entries of $W^{(1)}$ and $b^{(1)}$}",
        ),
        (
            lambda: derive.linear_collapse(2),
            "\\mathbf{y} &= W_{2} \\left(W_{1} \\mathbf{x} + \\mathbf{b}_{1}\\right) + \\mathbf{b}_{2} && "
            "\\text{two affine layers: $h = W_1 x + b_1$ substituted into $y = W_2 h + b_2$} \\\\\n"
            " &= W_{2} W_{1} \\mathbf{x} + W_{2} \\mathbf{b}_{1} + \\mathbf{b}_{2} && \\text{distribute $W_2$ (products keep their order)}",
        ),
        (
            lambda: book.xor_derivation(),
            "b \\leq 0 \\wedge b + w_{1} + w_{2} \\leq 0 \\wedge b + w_{1} > 0 \\wedge b + w_{2} > 0 &\\implies 0 < 0",
        ),
        (
            lambda: derive.activation_derivative("sigmoid"),
            "\\frac{d}{d z} \\sigma\\left(z\\right) &= \\frac{d}{d z} \\frac{1}{1 + e^{- z}} && \\text{definition} \\\\\n"
            " &= - \\frac{\\left(-1\\right) e^{- z}}{\\left(1 + e^{- z}\\right)^{2}} && \\text{sum, product and chain rules} \\\\\n"
            " &= \\left(1 - \\sigma\\left(z\\right)\\right) \\sigma\\left(z\\right) && \\text{textbook form}",
        ),
        (
            lambda: derive.transformer_mlp_params(4096),
            "k d d + k d + d k d + d &= d \\left(1 + k\\right) + 2 k d^{2}",
        ),
    ],
    ids=["parameter_count", "linear_collapse", "xor", "sigmoid", "transformer"],
)
def test_exact_latex_of_each_family(make, expected):
    tex = make().latex()
    assert tex.startswith("\\begin{align*}\n")
    assert expected in tex


# --- the rules behind "sum, product and chain rules" ------------------------------------------------


_Z = sympy.Symbol("z", real=True)


@pytest.mark.parametrize("expr", [
    _Z, sympy.Integer(3), 3 * _Z + 2, _Z**3, _Z * sympy.exp(_Z) * sympy.log(_Z), 1 / (1 + sympy.exp(-_Z)),
    sympy.tanh(2 * _Z) ** 2, sympy.erf(_Z / sympy.sqrt(2)), 2**_Z, _Z**_Z, sympy.log(1 + sympy.exp(_Z)),
    sympy.sqrt(1 + _Z**2), sympy.sin(_Z) * _Z,
])
def test_chain_rule_agrees_with_the_derivative(expr):
    from symnet.derive.calculus import chain_rule

    written = chain_rule(expr, _Z)
    assert sympy.simplify(written.doit() - sympy.diff(expr, _Z)) == 0


@pytest.mark.parametrize("expr", [
    sympy.Max(0, _Z), sympy.Min(0, _Z), sympy.Max(_Z, 2 * _Z), sympy.Min(0, _Z) / 100 + sympy.Max(0, _Z), sympy.Max(2, _Z),
    sympy.Min(_Z, 1 - _Z),
    sympy.Piecewise((_Z**2, _Z < 0), (3 * _Z, True)),
])
def test_chain_rule_of_kinked_functions_off_the_kinks(expr):
    from symnet.derive.calculus import chain_rule

    written = chain_rule(expr, _Z).doit()
    expected = sympy.diff(expr, _Z)
    for point in (-3, Rational(-1, 2), Rational(1, 3), 5):
        assert written.subs(_Z, point) == expected.subs(_Z, point), point


def test_chain_rule_writes_the_rules_out_unevaluated():
    from symnet.derive.calculus import chain_rule

    written = chain_rule(sympy.exp(-_Z), _Z)
    assert written.is_Mul and sympy.exp(-_Z) in written.args and sympy.Integer(-1) in written.args
    # power rule n u^(n-1) u', the exponent n - 1 evaluated, the factors kept apart
    written = chain_rule((1 + _Z**2) ** 3, _Z)
    assert set(written.args) >= {sympy.Integer(3), (1 + _Z**2) ** 2}
    # an unknown function is left to SymPy as an unevaluated derivative
    f = sympy.Function("f")
    assert chain_rule(f(_Z), _Z) == sympy.Derivative(f(_Z), _Z)


# --- what a report says ------------------------------------------------------------------------------


def _small_derivation():
    z = sympy.Symbol("z")
    return derive.Derivation("small", (
        derive.Step(z**2 + 2 * z + 1, ":=", "define", lhs=sympy.Symbol("f")),
        derive.Step((z + 1) ** 2, "=", "factor", lhs=z**2 + 2 * z + 1),
        derive.Step(sympy.Integer(5), "=", "add", lhs=sympy.Add(2, 3, evaluate=False), new_block=True),
    ))


def test_report_text_json_and_verdict():
    d = _small_derivation()
    report = d.verify(seed=7)
    assert report.seed == 7 and report.title == "small"
    assert report.counts() == {"definition": 1, "proven": 1, "arithmetic": 1}
    assert report.verdict == "verified (1 definition, 1 proven, 1 arithmetic)"
    text = str(report).splitlines()
    assert text[0] == "small: all steps hold (1 proof, 1 computation, 1 definition)"
    assert text[2].startswith("  ✓ step 2 [proven] z**2 + 2*z + 1 = (z + 1)**2 — ")
    assert text[3].startswith("  = step 3 [arithmetic] 2 + 3 = 5 — ")
    data = report.as_json()
    assert data["verified"] is True and data["seed"] == 7 and data["title"] == "small"
    assert [s["status"] for s in data["steps"]] == ["definition", "proven", "arithmetic"]
    assert data["steps"][1] == {"step": 2, "claim": "z**2 + 2*z + 1 = (z + 1)**2", "status": "proven",
                                "detail": report.results[1].detail}

    wrong = _replace_step(d, 2, rhs=sympy.Integer(6))
    report = wrong.verify()
    assert not report and [f.index for f in report.failures] == [3]
    assert report.verdict.startswith("NOT verified: step 3 false (")
    assert str(report).splitlines()[0] == "small: 1 step(s) do not hold (1 proof, 0 computations, 1 definition, 1 failed)"
    assert report.as_json()["verified"] is False


def test_latex_blocks_and_justification_styles():
    d = _small_derivation()
    blocks = d.latex_rows()
    assert [len(b) for b in blocks] == [2, 1]  # new_block starts the second
    assert blocks[0][1][0] == "z^{2} + 2 z + 1" and blocks[0][1][3] == "factor"
    column, tag = d.latex(), d.latex(justify="tag")
    assert column.count("\\begin{align*}") == 2 and " && \\text{factor}" in column
    assert "z^{2} + 2 z + 1 &= \\left(z + 1\\right)^{2} \\tag*{factor}\n\\end{align*}" in tag and "&&" not in tag
    with pytest.raises(sn.SymnetError, match="justify"):
        d.latex(justify="margin")
    assert d._repr_latex_() == column


def test_steps_need_a_known_relation_and_a_first_left_side():
    with pytest.raises(sn.SymnetError, match="^unknown relation '=='; known: =, <=, <, =>, !=, ~, :=$"):
        derive.Step(1, "==")
    with pytest.raises(sn.SymnetError, match="first step needs a left-hand side"):
        derive.Derivation("t", (derive.Step(1),)).claims()


def test_written_at_orders_terms_as_a_person_writes_them():
    from symnet.derive.core import written_at

    a, b = sympy.symbols("a b")
    shown = written_at(3 - 2 * a + b, {a: sympy.Integer(2), b: sympy.Integer(5)})
    assert sympy.sstr(shown, order="none") == "5 - 2*2 + 3"
    assert shown.doit() == 4


# --- the whole text of every built-in derivation, as reviewed ----------------------------------------------


@pytest.mark.parametrize("name", [*BUILT_IN, *EXTRA])
def test_whole_text_of_every_derivation(built, name, snapshot):
    """Title, summary, LaTeX, the report step by step, and the facts, against the reviewed snapshot.

    The snapshot (tests/__snapshots__/test_derive.ambr) was read line by line when it was written; a change
    to any word, number or status shows as a diff. After an intended change, review the diff of
    ``pytest tests/test_derive.py -k whole_text --snapshot-update``.
    """
    d = built(name)
    report = d.verify()
    facts = "\n".join(f"{key}: {value}" for key, value in sorted(d.facts.items()))
    text = f"{d.title}\n{d.summary}\n\n{d.latex()}\n\n{report}\n{report.verdict}\n\n{facts}\n"
    assert text == snapshot


def test_neuron_forward_defaults_to_relu_and_checks_the_input():
    d = derive.neuron_forward([1, 2], 0, [1, -1])
    assert d.title == "Forward pass of a neuron with relu" and d.facts == {"z": -1, "a": 0}
    with pytest.raises(sn.SymnetError, match="the input has 3 entries, the neuron has 2 weights"):
        derive.neuron_forward([1, 2], 0, [1, 1, 1])


def test_a_display_hook_never_raises():
    broken = derive.Derivation("t", (derive.Step(1),))
    assert broken._repr_latex_() == "(LaTeX unavailable: SymnetError: t: the first step needs a left-hand side)"


def test_explicit_matrices_equal_after_doit_are_a_computation():
    a = sympy.ImmutableMatrix([[1, 1]])
    x = sympy.Symbol("x")
    d = derive.Derivation("m", (
        derive.Step(sympy.ImmutableMatrix([[x + 1, 2]]), "=", "", lhs=sympy.ImmutableMatrix([[x, 2]]) + sympy.ImmutableMatrix([[1, 0]])),
        derive.Step(sympy.ImmutableMatrix([[x + 1, 3]]), "=", "", lhs=sympy.ImmutableMatrix([[x, 2]]) + a),
        derive.Step(sympy.ImmutableMatrix([[(x + 1) ** 2, 3]]), "=", "", lhs=sympy.ImmutableMatrix([[x**2 + 2 * x + 1, 3]])),
    ))
    assert [r.status for r in d.verify().results] == ["computed", "computed", "proven"]


def test_products_of_matrices_must_be_defined():
    """A derivation that multiplies matrices of shapes that do not fit is false, even if it expands to 0."""
    n0, n1 = sympy.symbols("n0 n1", integer=True, positive=True)
    W, x = sympy.MatrixSymbol("W", n1, n0), sympy.MatrixSymbol("x", n1, 1)
    step = derive.Step(MatMul(W, x, evaluate=False), "=", "", lhs=MatMul(W, x, evaluate=False))
    report = derive.Derivation("shapes", (step,)).verify()
    assert not report and "undefined: shapes (n1, n0) and (n1, 1)" in report.failures[0].detail
    y = sympy.MatrixSymbol("y", n0, 1)
    total = MatAdd(y, x, evaluate=False)
    report = derive.Derivation("sum", (derive.Step(total, "=", "", lhs=total),)).verify()
    assert not report and "a sum of matrices of shapes" in report.failures[0].detail


def test_collapse_arguments():
    assert derive.linear_collapse().title == "Stacked linear layers collapse (2 layers)"
    for bad in (1, True, 2.0, "3"):
        with pytest.raises(sn.SymnetError, match=f"layers must be an integer of at least 2, got {bad!r}"):
            derive.linear_collapse(bad)
    with pytest.raises(sn.SymnetError, match="layers=13: the explicit expansion is limited to 12 layers"):
        derive.linear_collapse(13)
    assert len(derive.linear_collapse(12).facts["dims"]) == 13
    for dims, words in (([2, 3], "dims must list 3 positive sizes for 2 layers, got \\[2, 3\\]"),
                        ([2, 0, 1], "dims must list 3 positive sizes"), ([2, 7, 1], "limited to size 6")):
        with pytest.raises(sn.SymnetError, match=words):
            derive.linear_collapse(2, dims=dims)
    assert derive.linear_collapse(2, dims=[1, 6, 1]).facts["dims"] == [1, 6, 1]


def test_a_matrix_defined_by_one_of_another_shape_is_false():
    n = sympy.Symbol("n", integer=True, positive=True)
    step = derive.Step(sympy.MatrixSymbol("A", n, 1), ":=", "", lhs=sympy.MatrixSymbol("y", n, 2))
    report = derive.Derivation("t", (step,)).verify()
    assert not report and report.failures[0].detail == "defines a matrix of shape (n, 2) as one of shape (n, 1)"


def test_neuron_forward_with_identity_and_with_a_parameter():
    d = derive.neuron_forward([1, 2], 0, [1, 1], "identity")  # a = z: no function applied
    assert "a &= 3 && \\text{apply identity}" in d.latex() and d.facts["a"] == 3
    d = derive.neuron_forward([1, 2], 0, [1, -1], sn.activation("leaky_relu", Rational(1, 5)))
    assert d.facts["a"] == Rational(-1, 5) and d.verify()
    assert "a &= \\operatorname{LeakyReLU}_{0.2}\\left(-1\\right)" in d.latex()
    with pytest.raises(sn.SymnetError, match="^input: 'one' is not a decimal number"):
        derive.neuron_forward([1], 0, ["one"])


def test_transformer_count_arguments():
    for bad in (0, -1, True, 2.0):
        with pytest.raises(sn.SymnetError, match=f"d must be a positive integer, got {bad!r}"):
            derive.transformer_mlp_params(bad)
        with pytest.raises(sn.SymnetError, match=f"expansion must be a positive integer, got {bad!r}"):
            derive.transformer_mlp_params(8, expansion=bad)
    d = derive.transformer_mlp_params(1, expansion=1)  # 1 -> 1 -> 1: two weights, two biases
    assert d.facts["exact"] == 4 and d.verify()


def test_collapse_sizes_are_positive_integers():
    n = derive.linear_collapse(2).facts["W'"].shape
    assert all(s.is_integer and s.is_positive for s in n)


def test_verify_passes_each_steps_tolerance():
    near = derive.Derivation("t", (derive.Step(Rational(3, 10), "~", "", lhs=Rational(301, 1000), tolerance=Rational(1, 100)),))
    assert near.verify()  # within the step's tolerance, which verify() must hand to the prover

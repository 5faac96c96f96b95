"""Derivations: every step proven, perturbed steps caught by name, LaTeX that compiles."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess

import pytest
import sympy
from sympy import MatAdd, MatMul, Rational

import symnet as sn
from symnet import derive
from symnet.report import book


def _all_derivations():
    items = [
        derive.linear_collapse(2),
        derive.linear_collapse(layers=3),
        book.xor_derivation(),
        derive.parameter_count([3, 4, 4, 2]),
        derive.transformer_mlp_params(4096),
        book.section2_neuron(),
    ]
    items += [derive.activation_derivative(name) for name in sn.activation_names() if name != "identity"]
    items += book.worked_example(1)
    return items


ALL = _all_derivations()


@pytest.mark.parametrize("d", ALL, ids=[d.title for d in ALL])
def test_every_derivation_verifies(d):
    report = d.verify()
    assert report, str(report)
    for result in report.results:
        assert result.status in ("proven", "definition", "numeric"), str(report)
        if result.status == "numeric":
            assert "seed" in result.detail or "numerically" in result.detail


def test_collapse_steps_are_proven_not_sampled():
    report = derive.linear_collapse(layers=4).verify()
    assert set(report.counts()) <= {"proven", "definition"}, str(report)


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


def test_all_derivations_compile_with_pdflatex(tmp_path):
    if shutil.which("pdflatex") is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is missing in CI: make test installs texlive-latex-base")
        pytest.skip("pdflatex is not installed (make test installs texlive-latex-base and -recommended)")
    source = tmp_path / "derivations.tex"
    source.write_text(_document(ALL + book.worked_examples()), encoding="utf-8")
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


def test_xor_networks_against_numpy():
    import numpy as np

    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    s = X.sum(axis=1)
    np.testing.assert_array_equal(relu(s) - 2 * relu(s - 1), [0, 1, 1, 0])  # the derived network
    np.testing.assert_array_equal(2 * relu(s - 0.5) - 6 * relu(s - 1.5), [0, 1, 1, 0])  # the correction
    seed = relu(s - 0.5) - 2 * relu(s - 1.5)
    assert list((seed > 0.25).astype(int)) == [0, 1, 1, 1]  # the seed's candidate, wrong at (1, 1)


def test_parameter_counts_against_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (make test installs the CPU build)")
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
            "4 \\cdot 3 + 4 &= 16 && \\text{layer 1 (3 $\\to$ 4): entries of $W^{(1)}$ and $b^{(1)}$}",
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
            " &= \\frac{e^{- z}}{\\left(1 + e^{- z}\\right)^{2}} && \\text{chain rule} \\\\\n"
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

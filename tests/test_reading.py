"""Reading the notation real teaching texts use, and following a worked example: one test per failure class.

Every expected verdict is worked out by hand or with mpmath in the test, not taken from symnet.
"""

from __future__ import annotations

import json
import subprocess
import sys

import mpmath
import pytest
import sympy

from symnet.check import FALSE, TRUE, UNCHECKED, check_paths, check_text
from symnet.check import reading as reading_module
from symnet.check.latex_math import translate


def _claims(tex: str):
    return check_text(tex, "t.md").claims


def _one(tex: str):
    claims = _claims(tex)
    assert len(claims) == 1, [str(c) for c in claims]
    return claims[0]


def _symnet(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "symnet", *map(str, args)], capture_output=True, text=True,
                          input=stdin, timeout=120)


# --- never crash -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tex", [r"$f(a,b)=1$", r"$l(\mathbf{o}, y) = 0$", r"$H(P, P) = 0$", r"$max(0, z) = \\max(z, 0)$",
                                 r"$$s = W_2 \max(0, W_1 x)$$", r"$$\max(e^{e^{e^{e^{10}}}}, 1) = 1$$"])
def test_functions_of_several_arguments_and_max_of_matrices_never_crash(tex, tmp_path):
    report = check_text(tex, "t.md")
    assert report.internal_errors == 0 and all(c.status != FALSE for c in report.claims), [str(c) for c in report.claims]
    path = tmp_path / "t.md"
    path.write_text(tex + "\n", encoding="utf-8")
    run = _symnet("check", path)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


def test_an_internal_error_in_one_link_is_reported_and_the_rest_is_checked(monkeypatch, tmp_path):
    real = reading_module.decide_link

    def failing(a, relation, b, right_text="", left_text="", seconds=5.0):
        if "13" in right_text:
            raise RuntimeError("boom")
        return real(a, relation, b, right_text, left_text, seconds)

    monkeypatch.setattr(reading_module, "decide_link", failing)
    report = check_text("$1 + 1 = 2$ and $6 + 7 = 13$ and $2 + 2 = 5$", "t.md")
    statuses = [c.status for c in report.claims]
    assert statuses == [TRUE, UNCHECKED, FALSE]
    assert "internal error: RuntimeError: boom" in report.claims[1].detail
    assert report.internal_errors == 1 and "1 not checked because of an internal error" in str(report).splitlines()[-1]
    assert json.loads(json.dumps(report.as_json()))["internal_errors"] == 1


def test_an_unreadable_file_is_named_and_the_others_are_still_checked(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("$2 + 2 = 5$\n", encoding="utf-8")
    report = check_paths([tmp_path / "missing.md", good])
    assert len(report.unreadable) == 1 and "missing.md" in report.unreadable[0]
    assert [c.status for c in report.claims] == [FALSE]
    run = _symnet("check", tmp_path / "missing.md", good, "--json")
    assert run.returncode == 2 and "missing.md" in run.stderr
    data = json.loads(run.stdout)  # the report is still printed, as JSON
    assert data["summary"]["false"] == 1 and len(data["unreadable"]) == 1


# --- notation ---------------------------------------------------------------------------------------------


def test_partial_derivatives_are_opaque_so_the_numeric_tail_of_the_chain_is_checked():
    # 0.7413 × 0.1868 × 0.5933 = 0.082157… → 0.0822 at 4 places (by hand: 0.13847484 × 0.5933)
    tex = r"$$\frac{\partial E}{\partial w_5} = 0.7413 \times 0.1868 \times 0.5933 = 0.0822$$"
    claim = _one(tex)
    assert claim.status == TRUE and "rounded to 4 places" in claim.detail
    wrong = _one(tex.replace("0.0822", "0.0832"))
    assert wrong.status == FALSE and wrong.actual == "0.0822"
    # an unreadable link does not drop the rest of the chain
    claims = _claims(r"$$\nabla_w E = \frac{\partial E}{\partial w} = 0.5 \cdot 0.2 = 0.1$$")
    assert [c.status for c in claims] == [UNCHECKED, UNCHECKED, TRUE]


@pytest.mark.parametrize("tex, status", [
    (r"\frac{d}{dx} \sigma(x) = \sigma(x)(1 - \sigma(x))", TRUE),
    (r"\frac{d}{dx} \tanh(x) = 1 - \tanh^2(x)", TRUE),
    (r"\frac{d}{dx} \tanh(x) = 1 + \tanh^2(x)", FALSE),
    (r"\frac{d\sigma(z)}{dz} = \sigma(z)(1 - \sigma(z))", TRUE),
    (r"\frac{\partial}{\partial w}(w x + b) = x", TRUE),
    (r"\frac{d}{dx} x^3 = 3x", FALSE),
    (r"\frac{d^2}{dx^2} x^3 = 6x", TRUE),
    (r"\frac{d}{dx} f(x) = f'(x)", TRUE),
])
def test_derivatives_are_evaluated_when_the_function_is_known(tex, status):
    claim = _one(f"$${tex}$$")
    assert claim.status == status, str(claim)
    assert "**" not in (claim.actual or "") + claim.detail


def test_a_text_that_defines_sigma_as_relu_is_read_with_its_definition():
    claims = _claims("Our activation is $\\sigma(x) = \\max(0, x)$.\n\n$\\sigma(2) = 2$ and $\\sigma(-1) = 0$.\n")
    assert claims[0].status == UNCHECKED and "own definition" in claims[0].detail
    assert [c.status for c in claims[1:]] == [TRUE, TRUE]
    assert _one("$\\sigma(2) = 2$").status == FALSE  # without the definition σ is the logistic sigmoid
    # f defined by the text
    claims = _claims("$f(x) = x^2 + 1$ so $f(3) = 10$ and $f(2) = 4$")
    assert [c.status for c in claims] == [TRUE, FALSE] and claims[1].actual == "5"


@pytest.mark.parametrize("tex", [
    r"\log\frac{1}{P(j)} = -\log P(j)",
    r"2^{N} \cdot 2^{M} = 2^{N+M}",
    r"N(D+1) = DN + N",
    r"x(1 - x) = x - x^2",
    r"\log(ab) = \log a + \log b",
])
def test_products_of_letters_and_function_letters_are_not_misread_as_matrices(tex):
    claim = _one(f"$${tex}$$")
    assert claim.status == TRUE, str(claim)


def test_a_letter_is_a_matrix_only_where_the_text_uses_it_as_one():
    claim = _one(r"$$W_2 (W_1 \mathbf{x}) = (W_1 W_2) \mathbf{x}$$")  # W applied to a bold vector: a matrix
    assert claim.status == FALSE and claim.actual == "W_2·W_1·x"
    assert _one(r"$$A B = B A$$").status == TRUE  # plain letters commute
    assert _one(r"$$\mathbf{A}\mathbf{B} = \mathbf{B}\mathbf{A}$$").status == FALSE


def test_ambiguous_notation_is_not_checked_never_false():
    # p(1 - 1): as p·0 the claim is false, as the function p at 0 nothing is known: not checked
    claim = _one(r"$$p(1 - 1) = 1$$")
    assert claim.status == UNCHECKED and "reading" in claim.detail


@pytest.mark.parametrize("tex, name", [
    (r"out_{h1}", "out_h1"), (r"w5", "w_5"), (r"E_{total}", "E_total"), (r"\hat{y}_1", "hat(y)_1"),
    (r"\text{net}_{h1}", "net_h1"), (r"\mathrm{out}_{o1}", "out_o1"), (r"w_5^{+}", "w_5^+"), (r"W^{(l)}", "W^(l)"),
    (r"a^{[2]}", "a^[2]"), (r"\mathcal{L}", "cal(L)"),
])
def test_multi_letter_and_decorated_names_are_single_symbols(tex, name):
    value = translate(tex)
    assert isinstance(value, sympy.Symbol) and value.name == name


def test_named_functions_without_backslash_are_applied():
    assert translate("sigmoid(0)") == sympy.Rational(1, 2)
    assert translate(r"\mathrm{softmax}(z)").func.__name__ == "softmax"  # unknown: kept as a function
    assert _one(r"$$\operatorname{ReLU}(-3) + tanh(0) = 0$$").status == TRUE


# --- worked examples: rounding, values that flow, update rules ------------------------------------------


def test_values_written_with_equals_are_checked_as_rounded_to_the_digits_written():
    # 0.4·0.5824 + 0.45·0.5842 + 0.7 = 0.23296 + 0.26289 + 0.7 = 1.19585 (by hand)
    left = r"(0.4 \times 0.5824 + 0.45 \times 0.5842) + 0.7"
    for written, status, correction in (("1.196", TRUE, None), ("1.19585", TRUE, None), ("1.2", TRUE, None),
                                        ("1.195", FALSE, "1.196"), ("1.197", FALSE, "1.196"), ("1.1957", FALSE, "1.1959")):
        claim = _one(f"$${left} = {written}$$")
        assert (claim.status, claim.actual) == (status, correction), str(claim)
        assert claim.actual != written
    assert "rounded to 3 places" in _one(f"$${left} = 1.196$$").detail
    assert _one(r"$(5 \cdot 3) + 5 = 21$").actual == "20"  # an integer claims an exact count


def test_approx_tolerance_includes_the_exponent():
    assert _one(r"$\sigma(0) \approx 1 \times 10^{-6}$").status == FALSE
    # σ(-14) = 8.315e-7 (mpmath)
    value = 1 / (1 + mpmath.exp(14))
    assert abs(value - mpmath.mpf("8.315e-7")) < 5e-11
    assert _one(r"$\sigma(-14) \approx 8.315 \times 10^{-7}$").status == TRUE
    assert _one(r"$\sigma(-14) \approx 8.316 \times 10^{-7}$").status == FALSE


WORKED = r"""
The weights are $w_1 = 0.15$, $w_2 = 0.20$ and $b_1 = 0.35$; the inputs $i_1 = 0.05$, $i_2 = 0.10$.

$$net_{h1} = w_1 \cdot i_1 + w_2 \cdot i_2 + b_1 = 0.3775$$

$$out_{h1} = \frac{1}{1+e^{-net_{h1}}} = 0.593269992$$

With $\eta = 0.5$ and $\frac{\partial E}{\partial w_1} = 0.000438568$, the update is
$w_1^{+} = w_1 - \eta \cdot \frac{\partial E}{\partial w_1} = 0.149780716$.

Then $w_1 = w_1 - 0.5 \cdot 0.000438568$, and $w_1 \cdot 2 = 0.299561432$.
"""


def test_values_flow_through_a_worked_example():
    claims = check_text(WORKED, "t.md").claims
    got = [(c.line, c.status) for c in claims]
    # 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 exactly; 1/(1+e^-0.3775) = 0.5932699921 (mpmath)
    assert abs(1 / (1 + mpmath.exp(-mpmath.mpf("0.3775"))) - mpmath.mpf("0.593269992")) < 5e-10
    # 0.15 - 0.5·0.000438568 = 0.149780716; the update rule itself (line 11) is no claim, it rebinds w_1
    assert got == [(4, TRUE), (6, TRUE), (9, TRUE), (11, TRUE)], [str(c) for c in claims]


def test_a_wrong_value_is_reported_once_and_what_follows_from_it_says_so():
    text = "$z = 0.5 + 0.25 = 0.85$\n\n$y = 2 z = 1.7$\n"
    claims = check_text(text, "t.md").claims
    assert [c.status for c in claims] == [FALSE, TRUE]
    assert "follows from the value of z on line 1" in claims[1].detail


def test_a_later_binding_replaces_an_earlier_one():
    claims = _claims("$a = 2$ then $a + 1 = 3$; later $a = 5$ and $a + 1 = 6$")
    assert [c.status for c in claims] == [TRUE, TRUE]


def test_conditions_and_identities_keep_their_unknowns():
    claims = _claims("$A = -0.94$. If $A > 0$ the response is good. $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$, $z = 3$")
    assert [c.status for c in claims] == [UNCHECKED, TRUE]


def test_numbers_counted_in_millions_are_not_false():
    claim = _one(r"$d = 4096$ so about $4 \cdot d^2 \approx 67$ million")
    assert claim.status == UNCHECKED and "millions" in claim.detail


# --- messages in the reader's terms ----------------------------------------------------------------------


@pytest.mark.parametrize("tex", [r"\frac{1}{0.5 - 0.5} = 2", r"P^{-1} = 5 w", r"\tanh'(z) = 1 + \tanh^2(z)",
                                 r"5 w = 6 w", r"\frac{1}{1+e^{-1}} = 1.105905967"])
def test_messages_use_math_notation_and_never_correct_a_claim_to_itself(tex):
    for claim in _claims(f"$${tex}$$"):
        text = str(claim)
        assert "**" not in text and "zoo" not in text and "nan" not in text.split(), text
        if claim.actual is not None:
            assert claim.actual != claimed_right_side(claim), text


def claimed_right_side(claim) -> str:
    return claim.claimed.rsplit(" ", 1)[-1]


def test_a_result_computed_before_its_inputs_were_rounded_holds_and_a_stray_digit_does_not():
    # ½(0.01 − 0.75136507)² = 0.27481108350… (exact, by hand), which rounds to 0.274811084; the text's
    # 0.274811083 comes from the unrounded 0.7513650695…: within 0.741 × 5e-9 of it, so it holds
    claim = _one(r"$$\frac{1}{2}(0.01 - 0.75136507)^{2} = 0.274811083$$")
    assert claim.status == TRUE and "rounding of the numbers it is computed from" in claim.detail
    assert _one(r"$$\frac{1}{2}(0.01 - 0.75136507)^{2} = 0.274811093$$").status == FALSE
    # 0.01 and 0.75 are data, not rounded intermediates: ½(0.74)² = 0.2738 exactly, nothing carried
    assert _one(r"$$\frac{1}{2}(0.01 - 0.75)^{2} = 0.2739$$").status == FALSE


def test_names_with_values_multiply_and_numeric_parenthesised_exponents_are_powers():
    claims = _claims("$out_{o1} = 0.75$ and $$out_{o1}(1 - out_{o1}) = 0.1875$$ and $w_5 = 0.4$, "
                     "$$w_5^{(1 - 1)} + out_{o1} = 1.75$$")
    assert [c.status for c in claims] == [TRUE, TRUE], [str(c) for c in claims]


def test_piecewise_definitions_and_numeric_matrices_are_read():
    text = ("$$f(x) = \\begin{cases} x & \\text{if } x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}$$\n\n"
            "$f(-2) = 0$, $f(3) = 3$, $f(4) = 5$\n\n"
            "$$\\operatorname{ReLU}(z) = \\begin{cases} z & z > 0 \\\\ 0 & z \\le 0 \\end{cases}$$\n\n"
            "$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\begin{bmatrix} 1 \\\\ 1 \\end{bmatrix} = "
            "\\begin{bmatrix} 3 \\\\ 8 \\end{bmatrix}$$\n")
    claims = check_text(text, "t.md").claims
    # 1·1 + 2·1 = 3 and 3·1 + 4·1 = 7 (by hand)
    assert [c.status for c in claims] == [TRUE, TRUE, FALSE, TRUE, FALSE], [str(c) for c in claims]
    assert claims[-1].detail == "entry (2, 1) is 7, not 8"


def test_a_latex_source_declared_latin1_is_read(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_bytes("% !TEX encoding = IsoLatin9\nLe r\xe9sultat: $2 + 2 = 5$\n".encode("latin-1"))
    [claim] = check_paths([path]).claims
    assert claim.status == FALSE
    path.write_bytes(b"\xff\xfe $1 = 1$")
    assert "not UTF-8" in check_paths([path]).unreadable[0]


BACKWARD = r"""
$$net_{o1} = w_5 \cdot out_{h1} + w_6 \cdot out_{h2} + b_2$$

$$out_{o1} = \frac{1}{1 + e^{-net_{o1}}}$$

$$E_{total} = \frac{1}{2}(target_{o1} - out_{o1})^2 + \frac{1}{2}(target_{o2} - out_{o2})^2$$

$$\frac{\partial E_{total}}{\partial out_{o1}} = -(target_{o1} - out_{o1})$$

$$\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}(1 - out_{o1})$$

$$\frac{\partial net_{o1}}{\partial w_5} = out_{h1}$$

$$\frac{\partial E_{total}}{\partial out_{o1}} = target_{o1} - out_{o1}$$

$$\frac{\partial net_{o1}}{\partial w_5} = w_5$$
"""


def test_derivatives_are_taken_through_the_texts_own_definitions():
    # d/do ½(t − o)² = −(t − o); dσ(n)/dn = σ(n)(1 − σ(n)) = o(1 − o); d(w5·h1 + …)/dw5 = h1 (by hand)
    claims = check_text(BACKWARD, "t.md").claims
    # line 16 equates out_h1 and w_5, two different unknowns: that depends on values the text may give later
    assert [(c.line, c.status) for c in claims] == [(8, TRUE), (10, TRUE), (12, TRUE), (14, FALSE), (16, UNCHECKED)], \
        [str(c) for c in claims]
    assert claims[3].actual == "out_o1 - target_o1"
    assert "definitions of" in claims[1].detail
    # in another section the definitions may be another example's: false becomes not checked
    claims = check_text(BACKWARD.replace("$$\\frac{\\partial E_{total}}{\\partial out_{o1}} = target",
                                         "## Another network\n\n$$\\frac{\\partial E_{total}}{\\partial out_{o1}} = target"),
                        "t.md").claims
    assert all(c.status != FALSE or c.line < 15 for c in claims), [str(c) for c in claims]


def test_an_integer_that_may_be_an_integer_part_is_not_checked():
    # 8/3 · 4096 = 10922.67: a layer size of 10922 is its integer part, not an error; 10921 is neither
    assert _one(r"$8/3 \cdot 4096 = 10922$").status == UNCHECKED
    assert _one(r"$8/3 \cdot 4096 = 10923$").status == UNCHECKED
    claim = _one(r"$8/3 \cdot 4096 = 10921$")
    assert claim.status == FALSE and claim.actual == "10922.66667"


def test_a_document_has_a_time_budget_and_the_links_after_it_say_so():
    reader = reading_module.DocumentReader("t.md", seconds=0.0)
    [claim] = reader.read("2 + 2 = 4", 1)
    assert claim.status == UNCHECKED and "s for checking were spent" in claim.detail
    reader = reading_module.DocumentReader("t.md")
    assert [c.status for c in reader.read("2 + 2 = 4", 1)] == [TRUE]


def test_rounded_factors_beside_an_exact_value_hold_and_scalars_of_a_vector_commute():
    # σ(0.25)(1 − σ(0.25)) = 0.246134…; 0.56 · 0.44 = 0.2464, within 0.44·0.005 + 0.56·0.005 of it (by hand)
    claim = _one(r"$$\frac{1}{1+e^{-0.25}}(1 - \frac{1}{1+e^{-0.25}}) = 0.56 \cdot 0.44$$")
    assert claim.status == TRUE, str(claim)
    assert _one(r"$$\frac{1}{1+e^{-0.25}}(1 - \frac{1}{1+e^{-0.25}}) = 0.66 \cdot 0.44$$").status == FALSE
    # z is a bold vector elsewhere; its entries z_i are numbers
    claims = _claims(r"Let $\mathbf{z} = (z_1, z_2)$. $$\frac{0 - e^{z_i} \cdot e^{z_j}}{(\sum_k e^{z_k})^2} = "
                     r"-\frac{e^{z_i}}{\sum_k e^{z_k}} \cdot \frac{e^{z_j}}{\sum_k e^{z_k}}$$")
    assert [c.status for c in claims] == [TRUE], [str(c) for c in claims]


def test_a_named_function_is_defined_by_the_text_and_colour_commands_are_ignored():
    claims = _claims(r"Let $\mathbf{x}$ be the input. $$sigmoid(x) = \frac{1}{1+e^{-x}}$$ "
                     r"$$\text{ReLU}(z) = \max(0, z)$$ $$\textcolor{red}{2} + 2 = 4$$ $$\sigma\prime(0) = 0.25$$")
    assert [c.status for c in claims] == [TRUE, TRUE, TRUE, TRUE], [str(c) for c in claims]


def test_e_squared_is_a_square_where_the_text_names_an_error_e():
    # the error e_i = y_i - d_i makes e^2 its square: ½ e^2 with e = 2 is 2, not ½ exp(2) = 3.69
    claims = _claims("The error is $e_i = y_i - d_i$. $$e = 2$$ $$\\frac{1}{2} e^2 = 2$$ $$\\frac{1}{2} e^2 = 3$$")
    assert [c.status for c in claims] == [UNCHECKED, FALSE], [str(c) for c in claims]  # 2 or 3.69: never 3
    assert "true in one reading" in claims[0].detail
    assert _one("$$\\frac{1}{2} e^2 = 3.69$$").status == TRUE  # without an error named e, e is Euler's number


def test_a_derivative_through_a_definition_from_another_section_is_not_false():
    # L = (4 - 2w)^2 gives dL/dw = 8w - 16; a later exercise with its own L (w^2 - 6w + 10) writes 2w - 6
    text = ("$L = u^2$ where $u = 4 - 2w$.\n\n## Next exercise\n\n$$\\dfrac{dL}{dw} = 2w - 6$$\n\n"
            "## Same section\n\n$L = u^2$ where $u = 4 - 2w$, so $$\\dfrac{dL}{dw} = 2w - 6$$\n")
    claims = check_text(text, "t.md").claims
    assert [(c.line, c.status) for c in claims] == [(5, UNCHECKED), (9, FALSE)], [str(c) for c in claims]
    assert "another section" in claims[0].detail and claims[1].actual == "8·w - 16"


def test_functions_of_vectors_overflow_frames_and_unicode_subscripts():
    claims = _claims(r"$$\sigma(\mathbf{w}^T \mathbf{x} + b) = \frac{1}{1 + e^{-(\mathbf{w}^T \mathbf{x} + b)}}$$"
                     r" and $e^{1000} = \infty$ (overflow) and $\boxed{2+2} = 5$ and $w₁ = 0.5$, $w₁ + 1 = 1.5$, $3² = 9$")
    assert [c.status for c in claims] == [TRUE, UNCHECKED, FALSE, TRUE, TRUE], [str(c) for c in claims]
    assert "overflow" in claims[1].detail


def test_e_squared_is_the_square_of_the_texts_own_e():
    # e = ŷ - y = 0.7109 - 1 = -0.2891; L = e^2 = 0.08357881 ≈ 0.0836 (by hand), not e² = 7.389
    claims = _claims("$\\hat{y} = 0.7109$, $y = 1$, $e = \\hat{y} - y$, $L = e^2$, $L \\approx 0.0836$")
    assert [c.status for c in claims] == [TRUE], [str(c) for c in claims]


def test_unknown_derivatives_are_named_as_the_text_writes_them():
    [claim] = _claims("$f'_2(0) = 1$")
    assert claim.status == UNCHECKED and "f_2'(0)" in claim.detail and "Derivative" not in claim.detail
    [claim] = _claims(r"$\sum \delta = 3$")
    assert claim.status == UNCHECKED and "Σ(delta)" in claim.detail


def test_entries_bold_numbers_and_font_subscripts_are_read():
    # x[0] is the entry at index 0, never x·0 (which would make w[0] = 0.2 "false")
    assert _claims("$w[0] = 0.2$ and $$y[0] = x[0] + 1$$") == []
    assert [c.status for c in _claims("$x[0] = 2$, $$x[0] + 1 = 3$$")] == [TRUE]
    assert _one(r"$\mathbf{6.0} + 1 = 7$").status == TRUE
    assert translate(r"\mathit{w}_\mathit{i}").name == "w_i"


# --- from a review: crashes and false alarms -------------------------------------------------------------


def test_a_congruence_or_definition_sign_is_not_a_claim_and_the_report_prints(tmp_path):
    report = check_text(r"We have $7 + 8 \equiv 3$ and $a = b \equiv c$.", "t.md")
    assert all(c.status == UNCHECKED for c in report.claims) and str(report)
    assert sum(report.counts().values()) == len(report.claims)


def test_docutils_failure_is_an_unreadable_input_not_an_exit(tmp_path):
    deep = tmp_path / "deep.rst"
    deep.write_text("".join("  " * i + "- a\n\n" for i in range(400)), encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("$1 + 1 = 2$\n", encoding="utf-8")
    report = check_paths([deep, good])
    assert len(report.unreadable) == 1 and [c.status for c in report.claims] == [TRUE]


def test_annotate_reads_a_latin1_source_and_utf8_declared_sources_stay_utf8(tmp_path):
    latin = tmp_path / "lat.tex"
    latin.write_bytes(b"% !TEX encoding = IsoLatin9\nR\xe9sultat: $2 + 2 = 5$\n")
    out = tmp_path / "out.tex"
    run = _symnet("check", "--annotate", out, latin)
    assert run.returncode == 1 and "Traceback" not in run.stderr and "% symnet ✗" in out.read_text(encoding="utf-8")
    utf8 = tmp_path / "u.tex"
    utf8.write_bytes(b"\\usepackage[utf8]{inputenc}\nR\xe9sultat: $2+2=5$\n")
    assert "not UTF-8" in check_paths([utf8]).unreadable[0]


@pytest.mark.parametrize("tex", [
    r"$\text{ReLU}(x) = x \text{ if } x > 0$",   # true for x > 0, the condition written after it
    r"$\max(0, x) = x$ for $x > 0$",             # the condition in words and in another formula
    r"$|x| = x$",
    r"$\sin 2x = 2 \sin x \cos x$",              # \sin 2x is sin(2x)
    r"$\log xy = \log x + \log y$",
    r"$\log 8 = 3$",                             # bits: log base 2
    r"$a^1 = 0.5$ and $a^2 = 0.6$",              # layer superscripts, not powers of a bound a
    r"$2/3 = 0.6666666666666666$",               # a program's double
    r"`0.1 + 0.2 = 0.30000000000000004`",
    r"$\eta = 1e-3$ and $2 \cdot 1e-3 = 0.002$",
    r"$$\frac{d}{dx} x^2 + 3x = 2x + 3$$",       # d/dx of the whole sum, one reading
    r"$e^{1000} = \infty$",
    r"$\sigma(x) = \frac{1}{1+e^{x}}$ (a slip) and later $\sigma(2) = 0.881$",
])
def test_correct_or_ambiguous_statements_raise_no_false_alarm(tex):
    claims = _claims(tex)
    assert claims and all(c.status != FALSE for c in claims), [str(c) for c in claims]

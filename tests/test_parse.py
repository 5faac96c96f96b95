"""The safe parser: formulas become SymPy through an allowlist; nothing else runs."""

from __future__ import annotations

import time

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Rational, Symbol

import symnet as sn

z, x1, x2 = Symbol("z"), Symbol("x1"), Symbol("x2")


def test_activation_formulas():
    assert sn.parse("z*sigmoid(z)") == z * sn.sigmoid(z)
    assert sn.parse("relu(x1 + x2 - 0.5)") == sn.relu(x1 + x2 - Rational(1, 2))
    assert sn.parse("swish(z)") == sn.silu(z)
    assert sn.parse("leaky_relu(z, 0.2)") == sn.leaky_relu(z, Rational(1, 5))
    assert sn.parse("diff(tanh(z), z)") == 1 - sympy.tanh(z) ** 2


def test_decimals_are_exact_and_names_are_plain_symbols():
    assert sn.parse("0.1 + 1e-3") == Rational(101, 1000)
    assert sn.parse("E*I + N") == Symbol("E") * Symbol("I") + Symbol("N")
    assert sn.parse("E", symbols={"E": sympy.E}) is sympy.E


def test_assignments():
    lines = sn.parse_assignments("h1 = relu(x1 + x2 - 0.5)  # first unit\n\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2\n")
    assert [name for name, _ in lines] == ["h1", "h2", "y"]
    assert lines[2][1] == Symbol("h1") - 2 * Symbol("h2")
    with pytest.raises(sn.ParseError, match="line 2: unknown function 'rlu'"):
        sn.parse_assignments("h1 = x1\nh2 = rlu(x1)")
    with pytest.raises(sn.ParseError, match="expected 'name = formula'"):
        sn.parse_assignments("h1 == x1")


def test_unknown_function_is_a_parse_error_with_suggestion():
    with pytest.raises(sn.ParseError, match=r"unknown function 'sigmod' \(did you mean 'sigmoid'\?\)"):
        sn.parse("z*sigmod(z)")


@pytest.mark.parametrize(
    "text, message",
    [
        ('__import__("os").system("touch CANARY")', "attribute access not allowed"),
        ('__import__("os")', "unknown function '__import__'"),
        ("().__class__.__bases__[0].__subclasses__()", "not allowed"),
        ("lambda z: z", "lambda not allowed"),
        ("z; import os", "not a formula"),
        ('f"{z}"', "f-strings not allowed"),
        ("'z'", "strings not allowed"),
        ("[z for z in (1, 2)]", "comprehensions not allowed"),
        ("relu(*[z])", "not allowed"),
        ("relu(z=1)", "keyword arguments not allowed"),
        ("z.real", "attribute access not allowed"),
        ("z[0]", "subscripts not allowed"),
        ("z < 1", "comparisons not allowed"),
        ("z // 2", "operator FloorDiv is not allowed"),
        ("relu", "is a function: call it"),
        ("", "empty formula"),
        ("z" * 20_000, "longer than the limit"),
        ("1/0", "division by zero"),
        ("relu(z, 1, 2)", "takes 1 argument"),
    ],
)
def test_refused(text, message, canary, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sn.ParseError, match=message):
        sn.parse(text.replace("CANARY", str(canary)))


@pytest.mark.parametrize("text", ["9**9**9**9", "((9**9)**9999)**9999", "10**100000"])
def test_huge_powers_are_refused_before_evaluation(text):
    start = time.monotonic()
    with pytest.raises(sn.ParseError, match="digits"):
        sn.parse(text)
    assert time.monotonic() - start < 1.0


def test_huge_integer_literal_refused():
    with pytest.raises(sn.ParseError, match="larger than 10\\^100"):
        sn.parse("1" + "0" * 101)


# --- properties: valid input parses, to the expression it means ------------------------------------------------
#
# Each strategy draws a formula's text together with the SymPy expression it means, built here by SymPy's own
# operators and the function heads, never by parse. A parse that refused valid input, or read it differently,
# fails these.

_NAMES = ["z", "x1", "w", "h_2", "E", "I", "N", "S", "pi", "gamma", "beta", "Q"]  # all plain symbols


def _decimal(m: int, k: int) -> tuple[str, Rational]:
    q, r = divmod(abs(m), 10**k)
    return f"{'-' if m < 0 else ''}{q}.{r:0{k}d}", Rational(m, 10**k)


_SYMBOL = st.sampled_from(_NAMES).map(lambda name: (name, Symbol(name)))
_NONZERO = st.one_of(
    st.integers(1, 10**6).map(lambda n: (str(n), sympy.Integer(n))),
    st.tuples(st.integers(1, 10**6), st.integers(1, 6)).map(lambda t: _decimal(*t)),
    st.tuples(st.integers(1, 999), st.integers(-5, 5)).map(lambda t: (f"{t[0]}e{t[1]}", Rational(t[0]) * Rational(10) ** t[1])),
)
_NUMBER = st.one_of(
    _NONZERO,
    st.just(("0", sympy.Integer(0))),
    st.tuples(st.integers(-10**6, 10**6), st.integers(1, 6)).map(lambda t: _decimal(*t)),
)

#: One-argument functions by every name parse knows them by, and what each means.
_UNARY = {
    "relu": sn.relu, "sigmoid": sn.sigmoid, "logistic": sn.sigmoid, "tanh": sympy.tanh, "softplus": sn.softplus,
    "silu": sn.silu, "swish": sn.silu, "gelu": sn.gelu, "gelu_tanh": sn.gelu_tanh, "elu": sn.elu,
    "leaky_relu": sn.leaky_relu, "Abs": sympy.Abs, "abs": sympy.Abs, "Phi": sn.normal_cdf,
    "normal_cdf": sn.normal_cdf, "normal_pdf": sn.normal_pdf, "identity": lambda e: e,
}
#: Functions the round trip through sympy.sstr can use (their printed forms parse back).
_BINARY = {"Max": sympy.Max, "max": sympy.Max, "Min": sympy.Min, "min": sympy.Min}


def _small(case) -> bool:
    """No number of more than 100 digits in it: its cube stays far below parse's limit on a power's digits."""
    return all(max(len(str(abs(r.p))), len(str(r.q))) <= 100 for r in case[1].atoms(sympy.Rational))


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    return deepest


def _formulas(unary: dict, extra=()):
    def combine(children):
        return st.one_of(
            st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
                lambda t: (f"({t[0][0]}) {t[1]} ({t[2][0]})",
                           {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1], "*": t[0][1] * t[2][1]}[t[1]])),
            st.tuples(children, st.one_of(_NONZERO, _SYMBOL)).map(
                lambda t: (f"({t[0][0]}) / ({t[1][0]})", t[0][1] / t[1][1])),
            st.tuples(children.filter(_small), st.integers(0, 3)).map(
                lambda t: (f"({t[0][0]}) ** {t[1]}", t[0][1] ** t[1])),
            children.map(lambda t: (f"-({t[0]})", -t[1])),
            st.tuples(st.sampled_from(sorted(unary)), children).map(
                lambda t: (f"{t[0]}({t[1][0]})", unary[t[0]](t[1][1]))),
            st.tuples(st.sampled_from(["leaky_relu", "elu"]), children, _NONZERO).map(
                lambda t: (f"{t[0]}({t[1][0]}, {t[2][0]})",
                           {"leaky_relu": sn.leaky_relu, "elu": sn.elu}[t[0]](t[1][1], t[2][1]))),
            st.tuples(st.sampled_from(sorted(_BINARY)), children, children).map(
                lambda t: (f"{t[0]}({t[1][0]}, {t[2][0]})", _BINARY[t[0]](t[1][1], t[2][1]))),
            *[strategy(children) for strategy in extra],
        )
    # parse refuses nesting deeper than 100 levels (each parenthesis is at most two): stay well inside
    return st.recursive(st.one_of(_SYMBOL, _NUMBER), combine, max_leaves=10).filter(lambda c: _nesting(c[0]) <= 30)


#: Functions whose printed values do not always parse back (exp(1) prints as E, sqrt(-1) as I, a derivative of
#: relu as Heaviside): used where only parsing is checked.
_MORE_UNARY = {**_UNARY, "exp": sympy.exp, "sin": sympy.sin, "cos": sympy.cos, "erf": sympy.erf, "sqrt": sympy.sqrt}
_DIFF = [lambda children: st.tuples(children, st.sampled_from(["z", "x1"])).map(
    lambda t: (f"diff({t[0][0]}, {t[1]})", sympy.diff(t[0][1], Symbol(t[1]))))]
FORMULAS = _formulas(_MORE_UNARY, _DIFF)
PRINTABLE = _formulas(_UNARY)
_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(**_SETTINGS)
@given(FORMULAS)
def test_valid_formulas_parse_to_what_they_mean(case):
    text, expected = case
    assert sn.parse(text) == expected
    assert sn.parse(f"  {text}\n") == expected  # surrounding blanks are not part of the formula


@settings(**_SETTINGS)
@given(PRINTABLE)
def test_printed_expressions_parse_back(case):
    """SymPy's printed form of an expression parse accepts is read back as the same expression."""
    _, expected = case
    assert sn.parse(sympy.sstr(expected)) == expected


@settings(**_SETTINGS)
@given(st.lists(FORMULAS, min_size=1, max_size=4), st.data())
def test_valid_assignments_parse_line_by_line(cases, data):
    names = [f"h{k}" for k in range(len(cases))]
    comments = data.draw(st.lists(st.sampled_from(["", "  # a unit", "\t# relu(x) = ?"]), min_size=len(cases),
                                  max_size=len(cases)))
    text = "\n\n".join(f"{name} = {formula}{comment}" for name, (formula, _), comment in zip(names, cases, comments))
    assert sn.parse_assignments(text) == [(name, expected) for name, (_, expected) in zip(names, cases)]


@pytest.mark.parametrize("text, expected", [
    ("0.1", Rational(1, 10)),
    ("-2.50", Rational(-5, 2)),
    ("1e-3", Rational(1, 1000)),
    ("2.5E2", 250),
    ("1_000", 1000),
    ("7/2", Rational(7, 2)),
    ("x1**2 - 2*x1 + 1", x1**2 - 2 * x1 + 1),
    ("relu(x1) - 2*relu(x1 - 1)", sn.relu(x1) - 2 * sn.relu(x1 - 1)),
    ("max(z, 0)", sympy.Max(z, 0)),
    ("normal_pdf(z)*z + Phi(z)", sn.normal_pdf(z) * z + sn.normal_cdf(z)),
    ("sqrt(4)", 2),
    ("beta*gamma", Symbol("beta") * Symbol("gamma")),
])
def test_valid_formulas_by_hand(text, expected):
    assert sn.parse(text) == expected

"""The safe parser: formulas become SymPy through an allowlist; nothing else runs."""

from __future__ import annotations

import time

import pytest
import sympy
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

"""Claim files: TOML arrays of ``[[claim]]`` tables for claims prose cannot carry precisely.

Each table has a ``kind`` and the keys of that kind (unknown keys are refused
by name)::

    [[claim]]
    kind = "neuron"              # weights, bias, input, activation; preactivation and/or output
    [[claim]]
    kind = "params"              # widths; per_layer and/or total
    [[claim]]
    kind = "truth_table"         # network (h1 = relu(...) ... y = ...), threshold, table
    [[claim]]
    kind = "activation_min"      # activation, value, tolerance
    [[claim]]
    kind = "activation_range"    # activation, lower, upper
    [[claim]]
    kind = "identity"            # lhs, rhs (the safe parser's syntax, diff() and activations available)
    [[claim]]
    kind = "value"               # formula, value, tolerance (relative)

Decimals are read exactly (``0.1`` is 1/10). Formulas go through
:func:`symnet.parse.parse` only. A claim is located at the line of its
``[[claim]]`` header.
"""

from __future__ import annotations

import decimal
import re
import tomllib

import sympy

from symnet.activations import activation
from symnet.budget import TooLargeError, numeric_value, value_at
from symnet.check.claims import FALSE, TRUE, UNCHECKED, Claim
from symnet.check.links import decide_link
from symnet.derive.xor import candidate_expression
from symnet.errors import SymnetError, did_you_mean
from symnet.network import Neuron, layer_param_counts
from symnet.parse import parse
from symnet.printing.text import set_text, value_text
from symnet.prove import Verdict, decide
from symnet.values import exact, half_unit

__all__ = ["check_claim_file", "KINDS", "ClaimFileError"]


class ClaimFileError(SymnetError):
    """A claim file that cannot be read: names the file, the line and the key."""


KINDS = {
    "neuron": ({"weights", "bias", "input"}, {"activation", "preactivation", "output", "tolerance"}),
    "params": ({"widths"}, {"per_layer", "total"}),
    "truth_table": ({"network", "table"}, {"threshold"}),
    "activation_min": ({"activation", "value"}, {"tolerance"}),
    "activation_range": ({"activation", "lower", "upper"}, set()),
    "identity": ({"lhs", "rhs"}, set()),
    "value": ({"formula", "value"}, {"tolerance"}),
}
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*claim[ \t]*\]\]", re.M)
MAX_FILE = 1_000_000


def _number(value, where: str):
    """A TOML number (read as Decimal) or numeric string → an exact SymPy number; ±inf allowed."""
    if isinstance(value, bool):
        raise ClaimFileError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, decimal.Decimal):
        if value.is_infinite():
            return sympy.oo if value > 0 else -sympy.oo
        if value.is_nan():
            raise ClaimFileError(f"{where}: nan is not a claim")
        value = str(value)
    if isinstance(value, str) and value.strip().lower() in ("inf", "+inf", "oo", "infinity", "-inf", "-oo", "-infinity"):
        return -sympy.oo if value.strip().startswith("-") else sympy.oo
    if isinstance(value, (int, str)):
        if isinstance(value, int) and len(str(abs(value))) > 101:
            raise ClaimFileError(f"{where}: integer larger than 10^100")
        try:
            return exact(value, what=where)
        except SymnetError as error:
            raise ClaimFileError(str(error)) from None
    raise ClaimFileError(f"{where}: expected a number, got {type(value).__name__}")


def _written(value) -> str:
    return str(value) if not isinstance(value, list) else "[" + ", ".join(_written(v) for v in value) + "]"


def _tolerance_of(value) -> sympy.Rational:
    """An integer claims an exact value; a decimal, half a unit of its last digit (0.27 → 1/200)."""
    text = str(value)
    return half_unit(text) if "." in text or "e" in text.lower() else sympy.Integer(0)


def _close(actual, claimed, tolerance) -> bool:
    """``|actual - claimed| <= tolerance`` (infinities only as themselves), by the prover."""
    return decide(actual, "~", claimed, tolerance=tolerance).status == TRUE


def _neuron(c: dict, where: str) -> list[tuple]:
    neuron = Neuron([_number(w, f"{where}: weights") for w in _list(c["weights"], where, "weights")],
                    _number(c["bias"], f"{where}: bias"), c.get("activation", "identity"))
    x = [_number(v, f"{where}: input") for v in _list(c["input"], where, "input")]
    z = neuron.preactivation(x)
    a = neuron(x)
    out = []
    for key, actual, formula in (("preactivation", z, "w·x + b"), ("output", a, f"{neuron.activation.name}(z)")):
        if key in c:
            claimed = _number(c[key], f"{where}: {key}")
            tolerance = _number(c["tolerance"], f"{where}: tolerance") if "tolerance" in c else _tolerance_of(c[key])
            ok = _close(actual, claimed, tolerance)
            out.append((f"{key} = {c[key]}", ok, value_text(actual), f"{formula} = {value_text(actual)}"))
    return out


def _list(value, where: str, key: str) -> list:
    if not isinstance(value, list) or len(value) > 100_000:
        raise ClaimFileError(f"{where}: '{key}' must be a list")
    return value


def _params(c: dict, where: str) -> list[tuple]:
    widths = _list(c["widths"], where, "widths")
    if not all(isinstance(w, int) and w <= 10**7 for w in widths):
        raise ClaimFileError(f"{where}: 'widths' must be positive integers up to 10^7, got {_written(widths)[:80]}")
    counts = layer_param_counts(widths)
    derivation = " + ".join(f"{b}·({a}+1)" for a, b in zip(widths, widths[1:]))
    out = []
    if "per_layer" in c:
        out.append((f"per_layer = {_written(c['per_layer'])}", c["per_layer"] == counts, str(counts),
                    "each layer n_out·(n_in + 1): " + ", ".join(map(str, counts))))
    if "total" in c:
        out.append((f"total = {c['total']}", c["total"] == sum(counts), str(sum(counts)), f"{derivation} = {sum(counts)}"))
    return out


def _truth_table(c: dict, where: str) -> list[tuple]:
    y = candidate_expression(str(c["network"]))
    threshold = _number(c["threshold"], f"{where}: threshold") if "threshold" in c else None
    inputs = sorted(y.free_symbols, key=lambda s: str(s))
    wrong, rows = [], _list(c["table"], where, "table")
    for row in rows:
        row = _list(row, where, "table row")
        if len(row) != len(inputs) + 1:
            raise ClaimFileError(f"{where}: a table row needs {len(inputs)} inputs ({', '.join(map(str, inputs))}) "
                                 f"and the expected output, got {row!r}")
        values = [_number(v, f"{where}: table") for v in row]
        output = value_at(y, dict(zip(inputs, values[:-1])), f"the output at {_written(row[:-1])}")
        predicted = (1 if output > threshold else 0) if threshold is not None else output
        if predicted != values[-1]:
            wrong.append(f"({', '.join(value_text(v) for v in values[:-1])}) gives {value_text(predicted)}"
                         + (f" (y = {value_text(output)})" if threshold is not None else ""))
    detail = "every row holds" if not wrong else "; ".join(wrong)
    return [(f"truth table of {len(rows)} rows", not wrong, None if not wrong else "; ".join(wrong), detail)]


def _activation_min(c: dict, where: str) -> list[tuple]:
    act = activation(str(c["activation"]))
    claimed = _number(c["value"], f"{where}: value")
    tolerance = _number(c["tolerance"], f"{where}: tolerance") if "tolerance" in c else _tolerance_of(c["value"])
    if act.minimum is None:
        return [(f"min {act.name} = {c['value']}", False, "no minimum", f"{act.name} has no minimum on ℝ")]
    where_min, value = act.minimum
    return [(f"min {act.name} = {c['value']}", _close(value, claimed, tolerance), value_text(value),
             f"the minimum is {value_text(value)} at z = {value_text(where_min) if not isinstance(where_min, sympy.Set) else where_min}")]


def _activation_range(c: dict, where: str) -> list[tuple]:
    act = activation(str(c["activation"]))
    lower, upper = _number(c["lower"], f"{where}: lower"), _number(c["upper"], f"{where}: upper")
    actual = act.range
    ok = _close(actual.inf, lower, _tolerance_of(c["lower"])) and _close(actual.sup, upper, _tolerance_of(c["upper"]))
    return [(f"range of {act.name} from {c['lower']} to {c['upper']}", ok, set_text(actual),
             f"computed from the definition: {set_text(actual)}")]


def _identity(c: dict, where: str) -> list[tuple]:
    lhs, rhs = parse(str(c["lhs"])), parse(str(c["rhs"]))
    verdict = decide_link(lhs, "=", rhs, str(c["rhs"]))
    return [(f"{c['lhs']} = {c['rhs']}", verdict, verdict.correct, verdict.detail)]


def _value(c: dict, where: str) -> list[tuple]:
    formula = parse(str(c["formula"]))
    if formula.free_symbols:
        names = ", ".join(sorted(map(str, formula.free_symbols)))
        raise ClaimFileError(f"{where}: 'formula' has unknowns ({names}); a value claim needs a number")
    claimed = _number(c["value"], f"{where}: value")
    actual = numeric_value(formula, 30, what="the formula")
    relative = _number(c["tolerance"], f"{where}: tolerance") if "tolerance" in c else sympy.Rational(1, 10**12)
    ok = bool(abs(actual - claimed) <= relative * max(abs(claimed), sympy.Rational(1, 10**30)))
    return [(f"{c['formula']} = {c['value']}", ok, value_text(actual), f"{c['formula']} = {value_text(actual)}")]


_CHECKS = {"neuron": _neuron, "params": _params, "truth_table": _truth_table, "activation_min": _activation_min,
           "activation_range": _activation_range, "identity": _identity, "value": _value}


def check_claim_file(path: str, text: str) -> list[Claim]:
    """Check every ``[[claim]]`` of a TOML claim file."""
    if len(text) > MAX_FILE:
        raise ClaimFileError(f"{path}: {len(text):,} characters, more than the limit of {MAX_FILE:,}")
    try:
        data = tomllib.loads(text, parse_float=decimal.Decimal)
    except tomllib.TOMLDecodeError as error:
        raise ClaimFileError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:
        raise ClaimFileError(f"{path}: nested too deeply") from None
    except ValueError as error:  # e.g. an integer beyond Python's 4300-digit conversion limit
        raise ClaimFileError(f"{path}: unreadable value: {str(error).splitlines()[0]}") from None
    unknown = set(data) - {"claim"}
    if unknown:
        raise ClaimFileError(f"{path}: unknown top-level key '{sorted(unknown)[0]}' (claims go in [[claim]] tables)")
    entries = data.get("claim", [])
    if not isinstance(entries, list):
        raise ClaimFileError(f"{path}: 'claim' must be an array of tables, written [[claim]]")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    claims = []
    for number, entry in enumerate(entries):
        line = lines[number] if number < len(lines) else 1
        where = f"{path}:{line}"
        if not isinstance(entry, dict):
            raise ClaimFileError(f"{where}: a claim must be a table ([[claim]] with keys), got {type(entry).__name__}")
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            raise ClaimFileError(f"{where}: unknown kind {kind!r}{did_you_mean(str(kind), KINDS)}; known: {', '.join(KINDS)}")
        required, optional = KINDS[kind]
        for key in entry:
            if key != "kind" and key not in required | optional:
                raise ClaimFileError(f"{where}: unknown key '{key}' for kind {kind!r}{did_you_mean(key, required | optional)}")
        missing = sorted(required - set(entry))
        if missing:
            raise ClaimFileError(f"{where}: kind {kind!r} needs '{missing[0]}'")
        try:
            results = _CHECKS[kind](entry, where)
        except ClaimFileError:
            raise
        except TooLargeError as error:  # a valid claim whose numbers are beyond the limits
            results = [(f"{kind} claim", Verdict(UNCHECKED, str(error)), None, str(error))]
        except SymnetError as error:
            raise ClaimFileError(f"{where}: {str(error).splitlines()[0]}") from None
        for claimed, ok, actual, detail in results:
            status = ok.status if isinstance(ok, Verdict) else (TRUE if ok else FALSE)
            claims.append(Claim(path, line, kind, status, claimed, None if status == TRUE else actual, detail))
    return claims


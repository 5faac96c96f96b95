r"""LaTeX math as written in a chapter on neural networks → SymPy, strictly and within limits.

:func:`relation_chains` reads one formula such as
``z = \mathbf{w}^\top \mathbf{x} + b = (0.5)(2) + (-1) = 0`` into chains of
``(expression, relation, expression, …)``. The translation is a tokenizer and
a recursive-descent parser that builds SymPy objects directly; no text ever
reaches ``sympify``, ``parse_expr`` or ``eval``.

Notation it knows
    numbers (decimals become exact rationals); letters (each one symbol, as in
    LaTeX); Greek letters; ``\mathbf{x}``/``\boldsymbol{x}`` and upper-case
    letters are matrices or vectors — non-commutative symbols, so
    :math:`W_1 W_2 \ne W_2 W_1`; subscripts and ``W^{(l)}``; ``^\top``;
    primes; ``\cdot``, ``\times``, implicit products; ``\frac``, ``\sqrt``;
    ``e^{…}``; ``\exp``, ``\log``, ``\ln``, ``\tanh``, ``\max``, ``\min``;
    ``\sigma`` (the sigmoid when applied), ``\Phi``; activations as
    ``\operatorname{ReLU}``, ``\text{GELU}``, ``\mathrm{SiLU}``; ``f'(z)``
    for an activation's derivative; ``\sum_{i=1}^{n}`` with explicit bounds;
    ``\left(``/``\right)``; ``\underbrace{…}_{…}``; spacing commands.
Separators
    ``,`` and ``;`` at the top level, ``\quad``, ``\qquad`` and ``\text{…}``
    words between formulas start a new chain.
Limits
    :data:`~symnet.parse.MAX_LENGTH` characters, nesting depth
    :data:`~symnet.parse.MAX_DEPTH`, integers up to 10^100 digits, numeric
    powers whose result would pass :data:`~symnet.parse.MAX_POWER_DIGITS`
    digits refused before they are computed.

Anything else raises :class:`TranslationError` with the reason, and the
checker reports the formula as not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy import Expr, Integer, Symbol

from symnet.errors import SymnetError
from symnet.parse import MAX_DEPTH, MAX_INT_DIGITS, MAX_LENGTH, MAX_POWER_DIGITS, function_row, functions, power_digits
from symnet.values import exact

__all__ = ["TranslationError", "relation_chains", "translate", "RELATION_COMMANDS"]


class TranslationError(SymnetError):
    """LaTeX the translator does not read; the message says what and where."""


#: LaTeX relations → the checker's relation names.
RELATION_COMMANDS = {
    "=": "=", r"\approx": "~", r"\simeq": "~", r"\le": "<=", r"\leq": "<=", r"\ge": ">=", r"\geq": ">=",
    "<": "<", ">": ">", r"\ne": "!=", r"\neq": "!=", r"\lt": "<", r"\gt": ">",
}
_SPACING = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\>", r"\displaystyle", r"\textstyle", r"\big", r"\Big", r"\bigg",
            r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\nonumber", r"\notag", "~"}
_SEPARATORS = {r"\quad", r"\qquad", ",", ";", r"\text", r"\mbox", r"\textrm", r"\implies", r"\iff", r"\Rightarrow"}
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Psi", "Omega",
}
#: Commands that name a function when applied, and the parser's function name.
_FUNCTION_COMMANDS = {r"\exp": "exp", r"\log": "log", r"\ln": "log", r"\tanh": "tanh", r"\sin": "sin", r"\cos": "cos",
                      r"\max": "max", r"\min": "min", r"\sigma": "sigmoid", r"\Phi": "Phi"}


def _name_key(word: str) -> str:
    """``Leaky-ReLU``, ``leaky\\_relu`` and ``LeakyReLU`` alike: lower case, without spaces, dashes and underscores."""
    return re.sub(r"\\_|[\s_-]", "", word).lower()


#: Upright names (``\operatorname{GELUapprox}``) that are not a function's name or alias.
_WRITTEN_NAMES = {"geluapprox": "gelu_tanh", "sigm": "sigmoid"}


def _function_name(word: str) -> str | None:
    """The parser's name for a function written upright (``\\operatorname{ReLU}``, ``\\text{GELU}``), or None."""
    key = _name_key(word)
    named = {_name_key(name): name for name in functions()} | _WRITTEN_NAMES
    return named.get(key)


def _nesting(token: str) -> int:
    """+1 for an opening bracket, -1 for a closing one, 0 otherwise."""
    if token in ("(", "[", "{", r"\left"):
        return 1
    if token in (")", "]", "}", r"\right"):
        return -1
    return 0

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\S", re.S)
_BOLD = {r"\mathbf", r"\boldsymbol", r"\bm", r"\vec", r"\mathbfit"}


def _tokens(text: str) -> list[str]:
    if len(text) > MAX_LENGTH:
        raise TranslationError(f"formula of {len(text)} characters is longer than the limit of {MAX_LENGTH}")
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Chain:
    """``items`` alternate expression, relation, expression, …; ``sides`` are the LaTeX of the expressions.

    A chain the translator could not read has no items and ``error`` says why.
    """

    items: tuple
    text: str
    sides: tuple = ()
    error: str | None = None

    @property
    def links(self) -> list[tuple[Expr, str, Expr]]:
        return [(self.items[i - 1], self.items[i], self.items[i + 1]) for i in range(1, len(self.items), 2)]


def _split_chains(tokens: list[str]) -> list[list[str]]:
    """Split at top-level separators (``,`` ``;`` ``\\quad`` ``\\text{…}``), keeping bracketed parts whole."""
    parts, current, depth, i = [], [], 0, 0
    while i < len(tokens):
        token = tokens[i]
        depth += _nesting(token)
        if depth == 0 and token in _SEPARATORS:
            if token in (r"\text", r"\mbox", r"\textrm") and i + 1 < len(tokens) and tokens[i + 1] == "{":
                # a function written as text (\text{ReLU}(z)) is not a separator
                word, end = _group_text(tokens, i + 1)
                if _function_name(word) is not None:
                    current.extend(tokens[i:end])
                    i = end
                    continue
                i = end
            else:
                i += 1
            parts.append(current)
            current = []
            continue
        current.append(token)
        i += 1
    parts.append(current)
    return [p for p in parts if p]


def _group_text(tokens: list[str], start: int) -> tuple[str, int]:
    """The raw text of the brace group starting at ``tokens[start] == '{'`` and the index after it."""
    depth, i, out = 0, start, []
    while i < len(tokens):
        if tokens[i] == "{":
            depth += 1
            if depth > 1:
                out.append("{")
        elif tokens[i] == "}":
            depth -= 1
            if depth == 0:
                return "".join(out), i + 1
            out.append("}")
        else:
            out.append(tokens[i] if not tokens[i].startswith("\\") or len(tokens[i]) == 2 else tokens[i] + " ")
        i += 1
    raise TranslationError("unbalanced braces")


def relation_chains(text: str) -> list[Chain]:
    """Every relation chain in a formula; parts without a relation are left out. Raises :class:`TranslationError`."""
    chains = []
    for part in _split_chains(_tokens(text)):
        pieces, current, depth = [], [], 0
        for token in part:
            depth += _nesting(token)
            if depth == 0 and token in RELATION_COMMANDS:
                pieces += [current, RELATION_COMMANDS[token]]
                current = []
            else:
                current.append(token)
        pieces.append(current)
        if len(pieces) < 3:
            continue
        source = _source(part)
        items, sides = [], []
        try:
            for k, piece in enumerate(pieces):
                if k % 2:
                    items.append(piece)
                    continue
                if not piece:
                    raise TranslationError("a relation with nothing on one side")
                items.append(_Parser(piece).parse())
                sides.append(_source(piece))
        except (TranslationError, RecursionError) as error:
            reason = str(error) if isinstance(error, TranslationError) else "the formula is nested too deeply"
            chains.append(Chain((), source, (), reason))
            continue
        chains.append(Chain(tuple(items), source, tuple(sides)))
    return chains


def _source(tokens: list[str]) -> str:
    """The LaTeX of a token list, spacing commands left out."""
    kept = [t for t in tokens if t not in _SPACING and t not in (r"\quad", r"\qquad")]
    out = []
    for token, following in zip(kept, kept[1:] + [""]):
        # a command needs a space before a letter or digit (\cdot x), not before a brace (\mathbf{x})
        space = re.fullmatch(r"\\[A-Za-z]+", token) and following[:1].isalnum()
        out.append(token + " " if space else token)
    return "".join(out).strip()


def translate(text: str) -> Expr:
    """One LaTeX expression (no relation) → SymPy."""
    return _Parser(_tokens(text)).parse()


def _bold(name: str) -> Symbol:
    return Symbol(name, commutative=False)


def _letter(name: str) -> Symbol:
    """Upper-case letters are matrices (non-commutative); lower-case are scalars."""
    return Symbol(name, commutative=not name[:1].isupper())


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = [t for t in tokens if t not in _SPACING]
        self.i = 0
        self.depth = 0
        self.indices: list[Symbol] = []

    # --- helpers --------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> str | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise TranslationError(f"the formula ends early{f', expected {expected!r}' if expected else ''}")
        if expected is not None and token != expected:
            raise TranslationError(f"expected {expected!r}, found {token!r}")
        self.i += 1
        return token

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TranslationError(f"the formula is nested deeper than {MAX_DEPTH} levels")

    def parse(self) -> Expr:
        expr = self.expression()
        if self.peek() is not None:
            raise TranslationError(f"cannot read {self.peek()!r} here")
        return expr

    # --- grammar --------------------------------------------------------------------------
    def expression(self) -> Expr:
        self.enter()
        sign = 1
        if self.peek() in ("+", "-"):
            sign = -1 if self.take() == "-" else 1
        value = sign * self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            right = self.term()
            value = value + right if op == "+" else value - right
        self.depth -= 1
        return value

    def starts_primary(self, token: str | None) -> bool:
        if token is None:
            return False
        if token in ("(", "[", "{", r"\left", "|") or token[0].isdigit() or token[0] == "." and len(token) > 1:
            return True
        if re.fullmatch(r"[A-Za-z]", token):
            return True
        return token.startswith("\\") and token not in RELATION_COMMANDS and token not in (
            r"\cdot", r"\times", r"\right", r"\top", r"\prime", r"\to")

    def term(self) -> Expr:
        value = self.signed_factor()
        while True:
            token = self.peek()
            if token in (r"\cdot", r"\times", "*"):
                self.take()
                value = value * self.signed_factor()
            elif token == "/":
                self.take()
                value = value / self.signed_factor()
            elif self.starts_primary(token):
                value = value * self.factor()
            else:
                return value

    def signed_factor(self) -> Expr:
        if self.peek() == "-":
            self.take()
            return -self.signed_factor()
        if self.peek() == "+":
            self.take()
        return self.factor()

    def factor(self) -> Expr:
        self.enter()
        base = self.primary()
        while True:
            token = self.peek()
            if token == "^":
                self.take()
                if self.peek() in (r"\top", "T") or self.peek() == "{" and self.peek(1) in (r"\top", "T", r"\intercal") \
                        and self.peek(2) == "}":
                    base = self.transpose(base)
                    continue
                exponent = self.argument()
                base = self.power(base, exponent)
            elif token == "'":
                self.take()
                base = _bold(f"{base}'") if isinstance(base, Symbol) else self.fail("a prime on an expression")
            else:
                break
        self.depth -= 1
        return base

    def transpose(self, base):
        if self.take() == "{":
            self.take()
            self.take("}")
        if not isinstance(base, Symbol):
            raise TranslationError("a transpose of an expression (only of a symbol)")
        return _bold(f"{base.name}^T")

    def power(self, base, exponent):
        if base.is_number and exponent.is_number:
            digits = power_digits(base, exponent)
            if digits > MAX_POWER_DIGITS:
                raise TranslationError(f"a power with about {digits:.3g} digits (limit {MAX_POWER_DIGITS})")
        if not base.is_commutative:
            if exponent.is_Integer and 0 < exponent <= 16:
                return base**exponent
            raise TranslationError("a power of a matrix")
        return base**exponent

    def fail(self, what: str):
        raise TranslationError(f"{what} is not read")

    def argument(self) -> Expr:
        """A ``^``/``_``/command argument: a brace group or one token."""
        if self.peek() == "{":
            return self.group()
        token = self.take()
        if token[0].isdigit():
            return self.number(token[0]) if len(token) > 1 and "." not in token else self.number(token)
        if re.fullmatch(r"[A-Za-z]", token):
            return _letter(token)
        if token.startswith("\\") and token[1:] in _GREEK:
            return Symbol(token[1:])
        raise TranslationError(f"cannot read {token!r} as an argument")

    def group(self) -> Expr:
        self.take("{")
        value = self.expression()
        self.take("}")
        return value

    def raw_group(self) -> str:
        text, end = _group_text(self.tokens, self.i)
        self.i = end
        return text

    def number(self, token: str) -> Expr:
        digits = token.split(".")[0]
        if len(digits) > MAX_INT_DIGITS:
            raise TranslationError("an integer larger than 10^100")
        return exact(token) if "." in token else Integer(token)

    def delimited(self, close: str) -> Expr:
        value = self.expression()
        if self.peek() == ",":  # a tuple such as (1, 1)
            items = [value]
            while self.peek() == ",":
                self.take()
                items.append(self.expression())
            value = sympy.Tuple(*items)
        if close == r"\right":
            self.take(r"\right")
            self.take()
        else:
            self.take(close)
        return value

    def call_arguments(self) -> list[Expr]:
        """``(a, b)`` or ``\\left(a, b\\right)`` after a function name; a single factor without parentheses."""
        if self.peek() == "(" or self.peek() == r"\left" and self.peek(1) == "(":
            close = ")" if self.take() == "(" else r"\right"
            if close == r"\right":
                self.take("(")
            value = self.delimited(close)
            return list(value) if isinstance(value, sympy.Tuple) else [value]
        return [self.factor()]

    def apply(self, name: str, prime: bool = False) -> Expr:
        row = function_row(name)
        args = self.call_arguments()
        if len(args) not in row.arity:
            raise TranslationError(f"{name} with {len(args)} argument(s)")
        if prime:
            if len(args) != 1:
                raise TranslationError(f"{name}' with {len(args)} arguments")
            z = Symbol("_z", real=True)
            return sympy.diff(row.build(z), z).subs(z, args[0])
        return row.build(*args)

    def primes(self) -> bool:
        if self.peek() == "'":
            self.take()
            return True
        if self.peek() == "^" and self.peek(1) == "{" and self.peek(2) == r"\prime" and self.peek(3) == "}":
            self.i += 4
            return True
        return False

    def subscripted(self, symbol: Symbol) -> Expr:
        """``w_i`` (an index of an enclosing sum), ``W_1``, ``W^{(l)}``: names with their decorations."""
        name = symbol.name
        while self.peek() == "_" or self.peek() == "^" and self.peek(1) == "{" and self.peek(2) == "(":
            if self.take() == "_":
                sub = self.argument()
                if isinstance(sub, Symbol) and sub in self.indices:
                    return sympy.IndexedBase(sympy.Symbol(name, commutative=symbol.is_commutative))[sub]
                name += f"_{{{sympy.sstr(sub)}}}"
            else:
                name += "^{(" + sympy.sstr(self.group()) + ")}"
        return Symbol(name, commutative=symbol.is_commutative) if name != symbol.name else symbol

    def primary(self) -> Expr:
        token = self.take()
        if token[0].isdigit() or token[0] == "." and len(token) > 1:
            return self.number(token)
        if token in ("(", "["):
            return self.delimited(")" if token == "(" else "]")
        if token == "{":
            self.i -= 1
            return self.group()
        if token == r"\left":
            opening = self.take()
            if opening not in ("(", "[", "|", r"\lvert", r"\{"):
                raise TranslationError(f"\\left{opening} is not read")
            value = self.delimited(r"\right")
            return sympy.Abs(value) if opening in ("|", r"\lvert") else value
        if token == "|":
            value = self.expression()
            self.take("|")
            return sympy.Abs(value)
        if re.fullmatch(r"[A-Za-z]", token):
            if token == "e" and self.peek() == "^":
                self.take()
                return sympy.exp(self.argument())
            return self.subscripted(_letter(token))
        if token in _BOLD:
            return self.subscripted(_bold(self.raw_group().strip()))
        if token in (r"\operatorname", r"\text", r"\mathrm", r"\textrm", r"\mathit", r"\mbox"):
            word = self.raw_group().strip()
            name = _function_name(word)
            if name is None:
                raise TranslationError(f"{token}{{{word}}} is not a function the checker knows")
            return self.apply(name, prime=self.primes())
        if token in _FUNCTION_COMMANDS:
            prime = self.primes()
            exponent = None
            if self.peek() == "^" and not prime:  # \tanh^2(z) is (\tanh z)^2
                self.take()
                exponent = self.argument()
            if token in (r"\sigma", r"\Phi") and not (self.peek() == "(" or self.peek() == r"\left"):
                if prime or exponent is not None:
                    raise TranslationError(f"{token} with a prime or power but no argument")
                return self.subscripted(Symbol(token[1:]))
            value = self.apply(_FUNCTION_COMMANDS[token], prime=prime)
            return value if exponent is None else self.power(value, exponent)
        if token in (r"\frac", r"\dfrac", r"\tfrac"):
            numerator = self.group()
            denominator = self.group()
            if denominator == 0:
                raise TranslationError("division by zero")
            return numerator / denominator
        if token == r"\sqrt":
            if self.peek() == "[":
                raise TranslationError("an n-th root")
            return sympy.sqrt(self.argument())
        if token in (r"\underbrace", r"\overbrace"):
            value = self.group()
            if self.peek() in ("_", "^"):
                self.take()
                self.raw_group() if self.peek() == "{" else self.take()
            return value
        if token == r"\sum":
            return self.summation()
        if token == r"\pi":
            return sympy.pi
        if token == r"\infty":
            return sympy.oo
        if token.startswith("\\") and token[1:] in _GREEK:
            return self.subscripted(Symbol(token[1:]))
        raise TranslationError(f"{token!r} is not read")

    def summation(self) -> Expr:
        self.take("_")
        self.take("{")
        index = self.take()
        if not re.fullmatch(r"[A-Za-z]", index):
            raise TranslationError("a sum needs an index letter, as in \\sum_{i=1}^{n}")
        self.take("=")
        lower = self.expression()
        self.take("}")
        self.take("^")
        upper = self.argument()
        i = Symbol(index, integer=True)
        self.indices.append(Symbol(index))
        body = self.term()
        self.indices.pop()
        body = body.xreplace({Symbol(index): i})
        return sympy.Sum(body, (i, lower, upper))

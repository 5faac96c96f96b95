r"""LaTeX math as people write it in teaching texts on neural networks → SymPy, strictly and within limits.

:func:`split_chains` cuts one formula such as
``z = \mathbf{w}^\top \mathbf{x} + b = (0.5)(2) + (-1) = 0`` into relation
chains ``side, relation, side, …`` (each side still LaTeX tokens);
:func:`read_side` reads one side under a :class:`Notation` — what the document
has said about its symbols. The translation is a tokenizer and a
recursive-descent parser that builds SymPy objects directly; no text ever
reaches ``sympify``, ``parse_expr`` or ``eval``.

Names
    a letter is a symbol; ``w5`` is ``w_5``; a run of three or more letters
    (``out``, ``net``, ``loss``) is one name, a run of two is a product
    (``wx``); subscripts and decorations are part of the name (``out_{h1}``,
    ``E_{total}``, ``\hat{y}_1``, ``w_5^{+}``, ``W^{(l)}``, ``\text{net}_{h1}``).
    A symbol is a matrix (non-commutative) only where the document uses it as
    one — bold, transposed, or declared in ``\mathbb{R}^{m \times n}``
    (:attr:`Notation.matrices`); other letters, upper case included, are numbers.
Functions
    ``\exp``, ``\log``/``\ln``, ``\tanh``, ``\max``/``\min`` (any number of
    arguments), ``\sigma`` (the logistic sigmoid unless the document defines
    it otherwise), ``\Phi``, activations by name (``\operatorname{ReLU}``,
    ``\mathrm{SiLU}``, ``\text{GELU}``, bare ``sigmoid(z)``), the document's own
    definitions (:attr:`Notation.functions`), and any other name applied to
    arguments (``\mathrm{softmax}(\mathbf z)``, ``H(P, Q)``, ``l(\mathbf o, y)``)
    as an unknown function. A letter before parentheses is ambiguous —
    ``f(x)`` is an application, ``x(1-x)`` a product: the usual function
    letters (:data:`FUNCTION_LETTERS`) are read as functions, the others as
    factors, and ``flipped=True`` reads each the other way.
Derivatives
    ``\frac{d}{dx} …``, ``\frac{\partial f}{\partial x}``, ``\frac{d^2 y}{dx^2}``
    and primes (``f'(z)``, ``\sigma'(z)``) are evaluated when the expression
    derived contains the variable; otherwise (``\frac{\partial E}{\partial w_5}``)
    they are one opaque symbol, so the rest of a chain can still be checked.
Also
    numbers (decimals exact, ``1{,}000``, ``\%``), ``\cdot``/``\times``/``\div``,
    implicit products, ``\frac``, ``\sqrt``, ``e^{…}``, ``^\top``, ``\sum`` and
    ``\prod`` (bounds optional), ``\left(…\right)``, ``|…|``, ``\underbrace``,
    spacing commands.
Separators
    ``,`` and ``;`` at the top level, ``\quad``, ``\qquad``, ``\implies`` and
    words in ``\text{…}`` (``\text{ for } x > 0``) start a new chain.
Limits
    :data:`~symnet.parse.MAX_LENGTH` characters, nesting depth
    :data:`~symnet.parse.MAX_DEPTH`, integers up to 10^100, numeric powers whose
    result would pass :data:`~symnet.parse.MAX_POWER_DIGITS` digits refused
    before they are computed.

Anything else raises :class:`TranslationError` with the reason, and the
checker reports that side as not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy
from sympy import Expr, Integer, Symbol

from symnet.check.notation import Notation, expand_definitions
from symnet.errors import SymnetError
from symnet.parse import MAX_DEPTH, MAX_INT_DIGITS, MAX_LENGTH, MAX_POWER_DIGITS, function_row, functions, power_digits
from symnet.values import exact

__all__ = ["TranslationError", "Chain", "split_chains", "read_side", "translate",
           "with_decimals_free",
           "RELATION_COMMANDS", "FUNCTION_LETTERS"]


class TranslationError(SymnetError):
    """LaTeX the translator does not read; the message says what and where."""


#: LaTeX relations → the checker's relation names (``:=`` and arrows assign: a definition or an update).
RELATION_COMMANDS = {
    "=": "=", r"\approx": "~", r"\simeq": "~", r"\sim": "~", r"\le": "<=", r"\leq": "<=", r"\ge": ">=", r"\geq": ">=",
    "<": "<", ">": ">", r"\ne": "!=", r"\neq": "!=", r"\lt": "<", r"\gt": ">", r"\leqslant": "<=", r"\geqslant": ">=",
    "<=": "<=", ">=": ">=", "!=": "!=", ":=": ":=", r"\coloneqq": ":=", r"\triangleq": ":=", r"\equiv": ":=", r"\leftarrow": ":=", r"\gets": ":=",
}
_SPACING = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\>", r"\displaystyle", r"\textstyle", r"\big", r"\Big", r"\bigg",
            r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\nonumber", r"\notag", "~",
            r"\limits", r"\middle", r"\mathstrut", r"\scriptstyle", r"\tiny", r"\small", r"\normalsize",
            r"\large", r"\Large", r"\LARGE", r"\huge", r"\Huge", r"\space", r"\enspace", r"\thinspace"}
_SEPARATORS = {r"\quad", r"\qquad", ",", ";", ":", r"\to", r"\longrightarrow", r"\rightarrow", r"\implies", r"\iff", r"\Rightarrow", r"\Longrightarrow", r"\therefore",
               r"\text", r"\mbox", r"\textrm", r"\textit", r"\textbf", r"\hbox", r"\forall", r"\mid", r"\in",
               r"\label", r"\tag", r"\newline", r"\\", r"\cr", r"\colon"}
_TEXT_COMMANDS = (r"\text", r"\mbox", r"\textrm", r"\textit", r"\textbf", r"\hbox")
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "ell",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Psi", "Omega", "sigma", "Phi",
}
#: Commands that name a function when applied, and the parser's function name.
_FUNCTION_COMMANDS = {r"\exp": "exp", r"\log": "log", r"\ln": "log", r"\tanh": "tanh", r"\sin": "sin", r"\cos": "cos",
                      r"\max": "max", r"\min": "min", r"\sigma": "sigmoid", r"\Phi": "Phi", r"\sinh": "sinh",
                      r"\cosh": "cosh", r"\lg": "log"}
#: Single letters that, written before parentheses, usually apply a function: ``f(x)``, ``P(j)``, ``L(y, t)``.
FUNCTION_LETTERS = frozenset("fghpqFGHLlPQEJCDRKSTN") - {"N"}
#: Decorations that make a new name: ``\hat{y}`` is a symbol of its own.
_DECORATIONS = {r"\hat": "hat", r"\widehat": "hat", r"\bar": "bar", r"\overline": "bar", r"\tilde": "tilde",
                r"\widetilde": "tilde", r"\dot": "dot", r"\ddot": "ddot", r"\check": "check", r"\breve": "breve",
                r"\mathcal": "cal", r"\mathscr": "scr", r"\mathsf": "sf", r"\mathtt": "tt", r"\mathit": "", r"\mathrm": "",
                r"\operatorname": "", r"\text": "", r"\textrm": "", r"\mbox": "", r"\textit": "", r"\textbf": "bf"}
_BOLD = {r"\mathbf", r"\boldsymbol", r"\bm", r"\vec", r"\mathbfit", r"\pmb", r"\bf"}
#: Words in ``\text{…}`` that join formulas rather than name something.
_JOINING_WORDS = {"for", "if", "where", "and", "or", "otherwise", "with", "when", "since", "so", "then", "thus", "hence",
                  "else", "as", "in", "is", "we", "get", "gives", "ie", "eg", "i.e.", "e.g.", "all",
                  "because", "let", "given", "by", "of", "the", "to", "at", "from", "using", "which", "that"}
_ELEMENTARY_NAMES = {"exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "sinh": sympy.sinh, "cosh": sympy.cosh}


def _name_key(word: str) -> str:
    """``Leaky-ReLU``, ``leaky\\_relu`` and ``LeakyReLU`` alike: lower case, without spaces, dashes and underscores."""
    return re.sub(r"\\_|[\s_-]", "", word).lower()


#: Upright names (``\operatorname{GELUapprox}``) that are not a function's name or alias.
_WRITTEN_NAMES = {"geluapprox": "gelu_tanh", "sigm": "sigmoid", "logistic": "sigmoid", "ln": "log", "sigma": "sigmoid"}


def _function_name(word: str) -> str | None:
    """The parser's name for a function written upright (``\\operatorname{ReLU}``, ``\\text{GELU}``), or None."""
    key = _name_key(word)
    named = {_name_key(name): name for name in functions()} | _WRITTEN_NAMES
    return named.get(key)


def _nesting(token: str) -> int:
    """+1 for an opening bracket, -1 for a closing one, 0 otherwise."""
    if token in ("(", "[", "{", r"\left", r"\{", r"\lbrace", r"\langle", r"\begin"):
        return 1
    if token in (")", "]", "}", r"\right", r"\}", r"\rbrace", r"\rangle", r"\end"):
        return -1
    return 0


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|:=|<=|>=|!=|\d+(?:\.\d+)?[eE][+-]?\d+(?![\w.])|\d+(?:\.\d+)?|\.\d+|[A-Za-z]\d+(?![\d.])|[A-Za-z]+|\S", re.S)


#: Characters written for LaTeX commands: ``×``, ``−``, ``≈``, ``σ``.
_UNICODE = {"×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "−": "-", "–": "-", "÷": r"\div", "≈": r"\approx",
            "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "∞": r"\infty", "∂": r"\partial", "∑": r"\sum", "√": r"\sqrt",
            "→": r"\to", "π": r"\pi", "⊙": r"\odot", "∘": r"\circ", "′": "'", "，": ",", "：": ":", "；": ";",
            "（": "(", "）": ")", "。": ".",
            **{chr(0x2080 + d): f"_{d}" for d in range(10)}, "²": "^2", "³": "^3", "¹": "^1",
            **{chr(0x3B1 + k): "\\" + name for k, name in enumerate(
                ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
                 "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"))}}
_UNICODE_CHARACTERS = re.compile("|".join(map(re.escape, _UNICODE)))


#: Colour commands, which only paint what they hold: ``\textcolor{red}{x}`` is x, ``{\color{red} x}`` is x.
_COLOUR = re.compile(r"\\textcolor\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}|\\color\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}")
#: Thousands written with commas in math: 20,000 and 400,000,000.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)")


def _tokens(text: str) -> list[str]:
    """LaTeX tokens; a run of one or two letters is split into letters (``wx`` is w·x), longer runs are words."""
    if len(text) > MAX_LENGTH:
        raise TranslationError(f"formula of {len(text)} characters is longer than the limit of {MAX_LENGTH}")
    text = _UNICODE_CHARACTERS.sub(lambda m: " " + _UNICODE[m.group(0)] + " ", text)
    text = _COLOUR.sub(" ", text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    out = []
    for token in _TOKEN.findall(text):
        if token.isalpha() and len(token) == 2:
            out.extend(token)
        else:
            out.append(token)
    return out


def _source(tokens: list[str]) -> str:
    """The LaTeX of a token list, spacing commands left out."""
    kept = [t for t in tokens if t not in _SPACING and t not in (r"\quad", r"\qquad")]
    out = []
    for token, following in zip(kept, kept[1:] + [""]):
        # a command needs a space before a letter or digit (\cdot x), not before a brace (\mathbf{x})
        space = re.fullmatch(r"\\[A-Za-z]+", token) and following[:1].isalnum()
        out.append(token + " " if space else token)
    return "".join(out).strip()


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


# --- chains ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """One relation chain of a formula: ``sides[0] relations[0] sides[1] …``, each side as tokens and as LaTeX."""

    sides: tuple
    relations: tuple
    texts: tuple
    text: str


def split_chains(text: str) -> list[Chain]:
    """Every relation chain in a formula; parts without a relation are left out. Raises :class:`TranslationError`."""
    chains = []
    for part in _split_parts(_tokens(text)):
        pieces, relations = _split_at_relations(part)
        if not relations or not all(pieces):
            continue  # no relation, or a relation with nothing on one side (a fragment, as in ``= 0``)
        chains.append(Chain(tuple(tuple(p) for p in pieces), tuple(relations), tuple(_source(p) for p in pieces),
                            _source(part)))
    return chains


def _split_at_relations(tokens: list[str]) -> tuple[list[list[str]], list[str]]:
    """``a = b \\le c`` → ``([a, b, c], ["=", "<="])``: the sides between top-level relations, and the relations."""
    pieces, relations, current, depth = [], [], [], 0
    for token in tokens:
        depth += _nesting(token)
        if depth == 0 and token in RELATION_COMMANDS:
            pieces.append(current)
            relations.append(RELATION_COMMANDS[token])
            current = []
        else:
            current.append(token)
    pieces.append(current)
    return pieces, relations


def _text_word(tokens: list[str], i: int) -> tuple[str, int] | None:
    """For ``\\text{…}`` at ``i``: its words and the index after it, or None when it is not a text command."""
    if tokens[i] in _TEXT_COMMANDS and i + 1 < len(tokens) and tokens[i + 1] == "{":
        return _group_text(tokens, i + 1)
    return None


def _joins(word: str, following: str | None) -> bool:
    """Whether ``\\text{word}`` joins formulas (``\\text{ for }``) rather than naming something (``\\text{net}_{h1}``)."""
    word = word.strip()
    if not word or " " in word or word.lower() in _JOINING_WORDS:
        return True
    if _function_name(word) is not None or following in ("_", "^", "("):
        return False
    return not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*|\d+(\.\d+)?", word)


def _split_parts(tokens: list[str]) -> list[list[str]]:
    """Split at top-level separators (``,`` ``;`` ``\\quad`` joining words), keeping bracketed parts whole."""
    parts, current, depth, i = [], [], 0, 0
    while i < len(tokens):
        token = tokens[i]
        depth += _nesting(token)
        if depth == 0 and token in _SEPARATORS:
            text = _text_word(tokens, i)
            if text is not None:
                word, end = text
                if not _joins(word, tokens[end] if end < len(tokens) else None):
                    current.extend(tokens[i:end])
                    i = end
                    continue
                i = end
            elif token in (r"\label", r"\tag") and i + 1 < len(tokens) and tokens[i + 1] == "{":
                i = _group_text(tokens, i + 1)[1]
            elif token == r"\in":  # ``x \in \mathbb{R}``: the rest of the part is a domain, not a formula
                while i < len(tokens) and not (depth == 0 and tokens[i] in (",", ";", r"\quad", r"\qquad")):
                    depth += _nesting(tokens[i]) if tokens[i] != r"\in" else 0
                    i += 1
                parts.append(current)
                current = []
                continue
            else:
                i += 1
            parts.append(current)
            current = []
            continue
        current.append(token)
        i += 1
    parts.append(current)
    return [_without_end_punctuation(p) for p in parts if p]


def _without_end_punctuation(part: list[str]) -> list[str]:
    """``\text{XOR}(1,1) = 0.``: the full stop of a sentence is not part of the formula."""
    while part and part[-1] in (".", ",", ";", ":"):
        part = part[:-1]
    return part


def read_side(tokens, notation: Notation | None = None, flipped: bool = False) -> tuple[Expr, bool]:
    """One side of a chain → ``(expression, ambiguous)``; ``ambiguous`` when a letter before parentheses was read
    as a function or a factor by convention (read again with ``flipped=True`` for the other reading)."""
    parser = _Parser(list(tokens), notation or Notation(), flipped)
    try:
        return parser.parse(), parser.ambiguous
    except RecursionError:
        raise TranslationError("the formula is nested too deeply") from None
    except TranslationError:
        raise
    except (ArithmeticError, ValueError, TypeError) as error:  # SymPy evaluating what was built: max(A, B) of matrices
        raise TranslationError(f"SymPy could not build it ({type(error).__name__}: {str(error)[:60]})") from None


def translate(text: str, notation: Notation | None = None) -> Expr:
    """One LaTeX expression (no relation) → SymPy."""
    return read_side(_tokens(text), notation)[0]


def with_decimals_free(text: str, notation: Notation | None = None) -> tuple[Expr, dict]:
    """The expression with each decimal written (``0.75136507``) as a symbol, and ``{symbol: its value}``:
    the structure of a computation SymPy would otherwise have reduced to one number."""
    parser = _Parser(_tokens(text), notation or Notation())
    parser.decimals = {}
    try:
        return parser.parse(), parser.decimals
    except (RecursionError, ArithmeticError, ValueError, TypeError):
        raise TranslationError("the formula could not be read") from None


# --- names ---------------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """A subscript or decoration as part of a name: spaces, braces and font commands dropped (``{h 1}`` → ``h1``)."""
    text = re.sub(r"\\(?:text|mathrm|textrm|mathit|rm|operatorname|mbox)\s*", "", text)
    return re.sub(r"[\s{}]", "", text)


def _symbol(name: str, notation: Notation, bold: bool = False) -> Symbol:
    """A name's symbol: non-commutative when written bold, or when the document uses its base letter as a matrix —
    except a lower-case letter with a subscript, an entry (``z_i``, ``w_{jk}``), which is a number."""
    base = re.match(r"[A-Za-z]+|\\?[A-Za-z]+", name)
    letter = base.group(0).lstrip("\\") if base is not None else ""
    entry = letter[:1].islower() and name[len(base.group(0)):].startswith("_") if base is not None else False
    matrix = bold or (letter in notation.matrices and not entry)
    return Symbol(name, commutative=not matrix)


def opaque_derivative(numerator: str, variable: str, order: int = 1) -> Symbol:
    """``∂E/∂w_5`` as one symbol: a derivative whose function the formula does not give."""
    power = "" if order == 1 else f"^{order}"
    return Symbol(f"∂{power}{numerator}/∂{variable}{power}")


# --- the parser -------------------------------------------------------------------------------------------------


def _has_condition(tokens: list[str]) -> bool:
    """Whether a cell is a case's condition: a relation (``z > 0``) or the words ``otherwise``/``else``."""
    text = " ".join(tokens)
    return any(t in RELATION_COMMANDS for t in tokens) or bool(re.search(r"otherwise|else", text))


class _Parser:
    def __init__(self, tokens: list[str], notation: Notation, flipped: bool = False):
        self.tokens = [t for t in tokens if t not in _SPACING]
        self.notation = notation
        self.flipped = flipped
        self.ambiguous = False
        self.decimals: dict | None = None  # when a dict: decimals become symbols, recorded here
        self.in_bars = 0  # how many |…| are open
        self.i = 0
        self.depth = 0
        self.indices: list[str] = []

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

    def fail(self, what: str):
        raise TranslationError(f"{what} is not read")

    # --- grammar --------------------------------------------------------------------------
    def expression(self) -> Expr:
        self.enter()
        sign = 1
        if self.peek() in ("+", "-", r"\pm"):
            token = self.take()
            if token == r"\pm":
                self.fail("±")
            sign = -1 if token == "-" else 1
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
        if token == "|":
            return not self.in_bars  # inside |…| a bar closes
        if token in ("(", "[", "{", r"\left") or token[0].isdigit() or token[0] == "." and len(token) > 1:
            return True
        if token[0].isalpha():
            return True
        return token.startswith("\\") and token not in RELATION_COMMANDS and token not in (
            r"\cdot", r"\times", r"\right", r"\top", r"\prime", r"\to", r"\div", r"\ast", r"\pm", r"\mp",
            r"\rfloor", r"\rceil", r"\rvert", r"\end", r"\over")

    def term(self) -> Expr:
        value = self.signed_factor()
        while True:
            token = self.peek()
            if token in (r"\cdot", r"\times", "*", r"\ast"):
                self.take()
                value = value * self.signed_factor()
            elif token == "." and self.starts_primary(self.peek(1)):  # \alpha.(e^z - 1): a dot for a product
                self.take()
                value = value * self.signed_factor()
            elif token in ("/", r"\div"):
                self.take()
                divisor = self.signed_factor()
                if divisor == 0:
                    raise TranslationError("division by zero")
                value = value / divisor
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
                if self.transpose_follows():
                    base = self.transpose(base)
                    continue
                exponent = self.argument()
                base = self.power(base, exponent)
            elif token == "!":
                self.take()
                if not (base.is_Integer and 0 <= base <= 1000):
                    self.fail("a factorial of anything but a small integer")
                base = sympy.factorial(base)
            elif token == r"\%":
                self.take()
                base = base / 100
            else:
                break
        self.depth -= 1
        return base

    def transpose_follows(self) -> bool:
        if self.peek() in (r"\top", "T", r"\intercal", r"\mathsf"):
            return self.peek() != r"\mathsf" or self.peek(2) == "T"
        return self.peek() == "{" and self.peek(1) in (r"\top", "T", r"\intercal") and self.peek(2) == "}"

    def transpose(self, base):
        token = self.take()
        if token == "{":
            self.take()
            self.take("}")
        elif token == r"\mathsf":
            self.raw_group()
        if isinstance(base, Symbol):
            return Symbol(f"{base.name}^T", commutative=False)
        if isinstance(base, sympy.Number):
            return base
        raise TranslationError("a transpose of an expression (only of a symbol)")

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

    def argument(self) -> Expr:
        """A ``^``/``_``/command argument: a brace group or one token."""
        if self.peek() == "{":
            return self.group()
        token = self.take()
        if token[0].isdigit():
            return self.number(token[0]) if len(token) > 1 and "." not in token else self.number(token)
        if re.fullmatch(r"[A-Za-z]", token):
            return self.name_symbol(token)
        if token.startswith("\\") and token[1:] in _GREEK:
            return Symbol(token[1:])
        if token in ("-", "+") and self.peek() is not None and self.peek()[0].isdigit():
            value = self.number(self.take())
            return -value if token == "-" else value
        raise TranslationError(f"cannot read {token!r} as an argument")

    def group(self) -> Expr:
        """``{…}``; ``{a \\over b}`` is a fraction."""
        if self.peek() == "{" and self.over_in_group():
            numerator, denominator = self.group_tokens_split(r"\over")
            return self.sub_parse(numerator) / self.nonzero(self.sub_parse(denominator))
        self.take("{")
        value = self.expression()
        self.take("}")
        return value

    def over_in_group(self) -> bool:
        depth = 0
        for token in self.tokens[self.i:]:
            depth += (token == "{") - (token == "}")
            if depth == 0:
                return False
            if depth == 1 and token == r"\over":
                return True
        return False

    def group_tokens_split(self, at: str) -> tuple[list[str], list[str]]:
        tokens = self.group_tokens()
        depth, k = 0, 0
        for k, token in enumerate(tokens):
            depth += (token == "{") - (token == "}")
            if depth == 0 and token == at:
                break
        return tokens[:k], tokens[k + 1:]

    @staticmethod
    def nonzero(value: Expr) -> Expr:
        if value == 0:
            raise TranslationError("division by zero")
        return value

    def raw_group(self) -> str:
        if self.peek() != "{":
            return self.take()
        text, end = _group_text(self.tokens, self.i)
        self.i = end
        return text

    def number(self, token: str) -> Expr:
        # thousands written 1{,}000
        while self.peek() == "{" and self.peek(1) == "," and self.peek(2) == "}" and re.fullmatch(r"\d{3}", self.peek(3) or ""):
            self.i += 3
            token += self.take()
        if re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", token):  # 1e-3, 2.5E4: as programs write them
            mantissa, _, power = token.lower().partition("e")
            if abs(int(power)) > MAX_POWER_DIGITS:
                raise TranslationError(f"a power of ten with {power} digits")
            return exact(mantissa) * sympy.Integer(10) ** int(power)
        digits = token.split(".")[0]
        if len(digits) > MAX_INT_DIGITS:
            raise TranslationError("an integer larger than 10^100")
        if "." in token and self.decimals is not None:
            placeholder = sympy.Dummy(token)
            self.decimals[placeholder] = exact(token)
            return placeholder
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

    def opens_call(self) -> bool:
        return self.peek() == "(" or self.peek() == r"\left" and self.peek(1) == "("

    def conditioned_arguments(self) -> str | None:
        """The raw text of ``(y = 1)``, ``(y = j \\mid z)``, ``(\\mathbf W; \\mathbf b)`` after a name: arguments that are
        conditions or groups, which make the application one opaque quantity (``P(y=1)``); else None."""
        if self.peek() != "(":
            return None
        depth = 0
        for j in range(self.i, len(self.tokens)):
            token = self.tokens[j]
            depth += _nesting(token)
            if depth == 0:
                inside = self.tokens[self.i + 1: j]
                if any(t in RELATION_COMMANDS or t in (r"\mid", "|", ";", r"\|", r"\vert") for t in inside):
                    self.i = j + 1
                    return _source(inside)
                return None
        return None

    def call_arguments(self) -> list[Expr]:
        """``(a, b)`` or ``\\left(a, b\\right)`` after a function name; a single factor without parentheses."""
        if self.opens_call():
            close = ")" if self.take() == "(" else r"\right"
            if close == r"\right":
                self.take("(")
            value = self.delimited(close)
            return list(value) if isinstance(value, sympy.Tuple) else [value]
        value = self.factor()  # \sin 2x is sin(2x), \log xy is log(xy): the factors up to the next function
        while self.starts_primary(self.peek()) and self.peek() not in _FUNCTION_COMMANDS and self.peek() != "(":
            value = value * self.factor()
        return [value]

    def has_comma_argument(self) -> bool:
        """Whether the parentheses that follow hold a top-level comma: ``f(a, b)`` is an application."""
        depth = 0
        for token in self.tokens[self.i:]:
            depth += _nesting(token)
            if depth == 0:
                return False
            if depth == 1 and token == ",":
                return True
        return False

    # --- functions -------------------------------------------------------------------------
    def builder(self, name: str, key: str | None = None) -> Callable[..., Expr]:
        """How to apply a function: the document's definition, a known function, or an unknown one."""
        defined = self.notation.functions.get(key or name)
        if defined is not None:
            def build_defined(*args, defined=defined, name=key or name):
                if len(args) not in defined.nargs:  # f(a, b) defined, f(x) used: not the same f
                    return sympy.Function(name)(*args)
                return defined(*args)
            return build_defined
        row = function_row(name)
        if row is not None:
            def build(*args, row=row, name=name):
                if len(args) not in row.arity:
                    raise TranslationError(f"{name} with {len(args)} argument(s)")
                return row.build(*args)
            return build
        if name in _ELEMENTARY_NAMES:
            return _ELEMENTARY_NAMES[name]
        return sympy.Function(key or name)

    def apply(self, name: str, key: str | None = None, prime: int = 0) -> Expr:
        """``name(args)``, or its ``prime``-th derivative when the name carries primes."""
        build = self.builder(name, key)
        condition = self.conditioned_arguments()
        if condition is not None:  # P(y = 1), P(y = j | x): one quantity the formula does not give
            return Symbol(f"{key or name}({condition})")
        args = self.call_arguments()
        if self.peek() == "_" and not prime:  # softmax(z)_i: one entry of a vector function, unknown here
            self.take()
            return sympy.Function(f"{key or name}_{_clean(self.raw_group())}")(*args)
        if not prime:
            return build(*args)
        if len(args) != 1:
            raise TranslationError(f"{key or name}' with {len(args)} arguments")
        z = Symbol("_z", real=True)
        if isinstance(build, sympy.core.function.UndefinedFunction):
            (arg,) = args
            derived = build(z).diff(z, prime)
            return derived.subs(z, arg) if not isinstance(arg, Symbol) else build(arg).diff(arg, prime)
        return sympy.diff(build(z), z, prime).subs(z, args[0])

    def primes(self) -> int:
        count = 0
        while True:
            if self.peek() in ("'", r"\prime"):  # f'(x), \sigma\prime(x)
                self.take()
                count += 1
            elif self.peek() == "^" and self.peek(1) == r"\prime":
                self.i += 2
                count += 1
            elif self.peek() == "^" and self.peek(1) == "{" and self.peek(2) in (r"\prime", "'") and self.peek(3) == "}":
                self.i += 4
                count += 1
            elif self.peek() == "^" and self.peek(1) == "{" and self.peek(2) == r"\prime" and self.peek(3) == r"\prime":
                self.i += 5
                count += 2
            else:
                return count

    def letter_call(self, name: str, base: str) -> bool:
        """Whether a name before parentheses is applied (``f(x)``) rather than multiplied (``x(1-x)``)."""
        if base in self.notation.functions or name in self.notation.functions or self.has_comma_argument():
            return True
        if name in self.notation.values:
            return False  # out_{o1}(1 - out_{o1}): a name with a value is multiplied
        if len(base) > 1 and not base.startswith("\\") and name == base:
            return True  # a word: loss(y), softmax(z)
        if base in self.notation.matrices:
            return False  # W_2 (W_1 x): a matrix is applied by multiplication
        self.ambiguous = True
        conventional = base in FUNCTION_LETTERS
        return conventional != self.flipped

    # --- names ----------------------------------------------------------------------------
    def name_symbol(self, base: str, bold: bool = False) -> Symbol:
        return _symbol(base, self.notation, bold)

    def decorate(self, name: str, bold: bool = False) -> tuple[str, bool]:
        """Subscripts and decorating superscripts (``_{h1}``, ``^{(l)}``, ``^{+}``) appended to a name."""
        while True:
            if self.peek() == "_":
                self.take()
                sub = self.raw_group() if self.peek() == "{" else self.take()
                if sub in _DECORATIONS or sub in _BOLD:  # w_\mathit{i}: the font's group is the subscript
                    sub = self.raw_group()
                name += "_" + _clean(sub)
            elif self.peek() == "^" and (self.superscript_is_decoration(name) or "_" in name[len(name.split("_")[0]):]
                                         and self.superscript_names_a_layer()):
                self.take()
                sup = _clean(self.raw_group())
                name += "^" + (sup if len(sup) == 1 or sup.startswith(("(", "[")) else "{" + sup + "}")
            else:
                return name, bold

    def superscript_names_a_layer(self) -> bool:
        """After a subscript, ``^{L}``, ``^{L-1}``, ``^l``: a layer's index (``w_{jk}^{L}``), not a power."""
        if self.peek(1) != "{":
            return bool(self.peek(1) and re.fullmatch(r"[A-Za-z]", self.peek(1)))
        content = self.tokens[self.i + 2: self.tokens.index("}", self.i + 2)] if "}" in self.tokens[self.i + 2:] else []
        return bool(content) and re.fullmatch(r"[A-Za-z]", content[0]) is not None and all(
            re.fullmatch(r"[A-Za-z]|\d+|[+-]", t) for t in content)

    def superscript_is_decoration(self, name: str = "") -> bool:
        """``^{(l)}``, ``^{[2]}``, ``^{+}``, ``^*``, ``^{new}`` decorate a name; ``^2``, ``^{n}``, ``^{-1}`` are powers;
        on a matrix (``W^l``, ``A^{L-1}``) a letter names a layer."""
        nxt = self.peek(1)
        if name[:1] in self.notation.matrices and self.superscript_names_a_layer():
            return True
        if nxt in ("*", r"\ast", r"\star", "+", r"\dagger", r"\circ"):
            return True
        if nxt != "{":
            return False
        inner = self.peek(2)
        if inner in ("(", "["):  # W^{(l)}, a^{[2]}: a layer's index; w^{(1-1)}: a power
            close = self.tokens.index(")" if inner == "(" else "]", self.i + 2) if (
                ")" if inner == "(" else "]") in self.tokens[self.i + 2:] else len(self.tokens)
            content = self.tokens[self.i + 3: close]
            return not (any(t in ("+", "-", "*", r"\cdot") for t in content) and all(
                t[0].isdigit() or t in ("+", "-", "*", r"\cdot") for t in content))
        if inner in ("+", "*", r"\ast", r"\star", r"\circ", r"\dagger"):
            return True
        return bool(inner and re.fullmatch(r"[A-Za-z]{2,}", inner) and self.peek(3) == "}")

    def named(self, name: str, bold: bool = False) -> Expr:
        """A name with its decorations: a symbol, an element of a sum's index, or a function applied."""
        base = name
        index = None
        if self.peek() == "_" and not bold:
            sub_token = self.peek(1) if self.peek(1) != "{" else (self.peek(2) if self.peek(3) == "}" else None)
            if sub_token in self.indices:
                self.i += 2 if self.peek(1) != "{" else 4
                index = Symbol(sub_token, integer=True)
        if index is not None:
            full, _ = self.decorate(name, bold)
            return sympy.IndexedBase(_symbol(full, self.notation, bold))[index]
        full, _ = self.decorate(name, bold)
        if self.peek() == "[":  # x[0], w[t-1]: an entry, never x times [0]
            full += "[" + _clean(self.bracket_text()) + "]"
        prime = self.primes()
        if prime and self.peek() == "_":  # f'_2(z): the prime before the subscript
            full, _ = self.decorate(full, bold)
        if self.opens_call() and not bold and self.letter_call(full, base):
            return self.apply(self.function_name(base), key=full, prime=prime)
        symbol = _symbol(full, self.notation, bold)
        if prime:
            return Symbol(full + "'" * prime, commutative=symbol.is_commutative)
        return symbol

    def function_name(self, base: str) -> str:
        return _function_name(base) or base.lstrip("\\")

    # --- primaries ------------------------------------------------------------------------
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
            return self.left()
        if token in ("|", r"\lvert", r"\vert"):
            self.in_bars += 1
            value = self.expression()
            self.in_bars -= 1
            self.take(token if token != r"\lvert" else r"\rvert")
            return sympy.Abs(value)
        if re.fullmatch(r"[A-Za-z]\d+", token):  # w5 is w_5
            return self.named(f"{token[0]}_{token[1:]}")
        if token.isalpha():
            return self.word(token)
        if token in _BOLD:
            inner = self.raw_group().strip().lstrip("\\")
            if re.fullmatch(r"\d+(\.\d+)?", inner):  # \mathbf{6.0}: a number in bold is a number
                return self.number(inner)
            return self.named(_clean(inner), bold=True)
        if token in _DECORATIONS:
            return self.decorated(token)
        if token in _FUNCTION_COMMANDS:
            return self.function_command(token)
        if token in (r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"):
            return self.fraction()
        if token == r"\sqrt":
            if self.peek() == "[":
                self.take()
                degree = self.expression()
                self.take("]")
                return self.power(self.argument(), 1 / degree)
            return sympy.sqrt(self.argument())
        if token in (r"\boxed", r"\fbox", r"\bbox", r"\cancel", r"\bcancel"):  # frames and strokes: what they hold
            return self.group()
        if token in (r"\underbrace", r"\overbrace", r"\underset", r"\overset"):
            if token in (r"\underset", r"\overset"):
                self.raw_group()
            value = self.group()
            if self.peek() in ("_", "^"):
                self.take()
                self.raw_group()
            return value
        if token in (r"\sum", r"\prod"):
            return self.big_operator(sympy.Sum if token == r"\sum" else sympy.Product)
        if token == r"\begin":
            return self.environment()
        if token in (r"\lfloor", r"\lceil"):
            value = self.expression()
            self.take(r"\rfloor" if token == r"\lfloor" else r"\rceil")
            return (sympy.floor if token == r"\lfloor" else sympy.ceiling)(value)
        if token == r"\pi":
            return sympy.pi
        if token == r"\infty":
            return sympy.oo
        if token == r"\partial":
            return self.slashed_partial()
        if token.startswith("\\") and token[1:] in _GREEK:
            return self.named(token[1:])
        raise TranslationError(f"{token!r} is not read")

    def environment(self) -> Expr:
        r"""``\begin{cases} … \end{cases}`` as a Piecewise; ``bmatrix``/``pmatrix``/``matrix`` as a matrix."""
        name = self.raw_group().strip()
        rows = self.rows(name)
        if name in ("cases", "dcases"):
            pieces = []
            for row in rows:
                if len(row) != 2:
                    self.fail("a case without its condition")
                pieces.append((self.sub_parse(row[0]), self.condition(row[1])))
            return sympy.Piecewise(*pieces)
        if name in ("bmatrix", "pmatrix", "matrix", "Bmatrix", "smallmatrix"):
            if name == "Bmatrix" and rows and all(len(row) == 2 and _has_condition(row[1]) for row in rows):
                return sympy.Piecewise(*((self.sub_parse(row[0]), self.condition(row[1])) for row in rows))
            entries = [[self.sub_parse(cell) for cell in row] for row in rows]
            if len({len(row) for row in entries}) != 1:
                self.fail("a matrix with rows of different lengths")
            return sympy.ImmutableMatrix(entries)
        self.fail(f"the {name} environment")

    def rows(self, name: str) -> list[list[list[str]]]:
        r"""The cells (token lists) of each row of an environment, up to its ``\end{name}``."""
        rows, row, cell, depth = [], [], [], 0
        while True:
            token = self.take()
            if depth == 0 and token == r"\end":
                self.raw_group()
                break
            depth += _nesting(token) if token not in (r"\left", r"\right") else 0
            if depth == 0 and token == "&":
                row.append(cell)
                cell = []
            elif depth == 0 and token in (r"\\", r"\cr"):
                rows.append(row + [cell])
                row, cell = [], []
            else:
                cell.append(token)
        if cell or row:
            rows.append(row + [cell])
        return [r for r in rows if any(r)]

    def sub_parse(self, tokens: list[str]) -> Expr:
        inner = _Parser(tokens, self.notation, self.flipped)
        inner.indices, inner.depth = self.indices, self.depth
        value = inner.parse()
        self.ambiguous |= inner.ambiguous
        return value

    def condition(self, tokens: list[str]):
        r"""``x > 0``, ``\text{if } x \le 0``, ``0 < x < 1``, ``\text{otherwise}`` → a SymPy condition."""
        words = []
        kept = []
        i = 0
        while i < len(tokens):
            text = _text_word(tokens, i)
            if text is not None:
                words.append(text[0].strip().lower())
                i = text[1]
                continue
            if tokens[i] not in (",", r"\quad", r"\qquad") and not (tokens[i].isalpha() and tokens[i] in ("if", "for")):
                kept.append(tokens[i])
            i += 1
        if not kept:
            if any(w in ("otherwise", "else", "elsewhere") for w in words) or not words:
                return sympy.true
            self.fail("a condition in words")
        pieces, relations = _split_at_relations(kept)
        build = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge, "=": sympy.Eq, "!=": sympy.Ne}
        if not relations or not set(relations) <= set(build):
            self.fail("a condition without an order or equality")
        sides = [self.sub_parse(p) for p in pieces]
        return sympy.And(*(build[r](a, b) for a, r, b in zip(sides, relations, sides[1:])))

    def left(self) -> Expr:
        opening = self.take()
        if opening not in ("(", "[", "|", r"\lvert", r"\{", r"\vert", "."):
            raise TranslationError(f"\\left{opening} is not read")
        value = self.delimited(r"\right")
        return sympy.Abs(value) if opening in ("|", r"\lvert", r"\vert") else value

    def word(self, token: str) -> Expr:
        """A letter or a word: ``e^{x}``, a function by name (``sigmoid(z)``), or a name."""
        if token == "e" and self.peek() == "^":
            defined = "e" in self.notation.values or Symbol("e") in self.notation.formulas  # e = ŷ - y: an error
            if defined or "e" in self.notation.subscripted:  # e_i: e^2 may be a square too
                self.ambiguous = True
                if self.flipped != defined:  # the text's own e first when it defined one
                    return self.named(token)
            self.take()
            return sympy.exp(self.argument())
        if len(token) > 1:
            known = _function_name(token) or (token.lower() if token.lower() in _ELEMENTARY_NAMES else None)
            if known is not None and (self.opens_call() or self.peek() == "'"):
                return self.apply(known, prime=self.primes())
        return self.named(token)

    def decorated(self, token: str) -> Expr:
        r"""``\hat{y}``, ``\mathcal{L}``, ``\text{net}``, ``\operatorname{ReLU}(z)``."""
        word = self.raw_group().strip()
        kind = _DECORATIONS[token]
        if kind in ("", "bf"):
            known = _function_name(word)
            if known is not None:
                return self.apply(known, prime=self.primes())
            number = re.fullmatch(r"\d+(\.\d+)?", word)
            if number:
                return self.number(word)
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", _clean(word)):
                self.fail(f"{token}{{{word}}}")
            return self.named(_clean(word), bold=kind == "bf")
        inner = _clean(word)
        bold = bool(re.match(r"\\(?:mathbf|boldsymbol|bm)", word.strip()))
        inner = re.sub(r"\\(?:mathbf|boldsymbol|bm)", "", inner)
        return self.named(f"{kind}({inner})", bold=bold or inner[:1] in self.notation.matrices)

    def function_command(self, token: str) -> Expr:
        r"""``\exp``, ``\log_2``, ``\tanh^2(z)``, ``\sigma'(z)``, ``\max(0, z)``; ``\sigma`` alone is a symbol."""
        key = token[1:]
        base = None
        if token in (r"\log", r"\lg") and self.peek() == "_":
            self.take()
            base = self.argument()
        prime = self.primes()
        exponent = None
        if self.peek() == "^" and not prime:  # \tanh^2(z) is (\tanh z)^2
            self.take()
            exponent = self.argument()
        if token in (r"\sigma", r"\Phi") and not self.opens_call() and key not in self.notation.functions:
            if prime or exponent is not None:
                raise TranslationError(f"{token} with a prime or power but no argument")
            return self.named(key)
        if token in (r"\max", r"\min") and not self.opens_call():
            self.fail(f"{token} without parentheses")
        name = _FUNCTION_COMMANDS[token]
        value = self.apply(name, key=key if key in self.notation.functions else None, prime=prime)
        if base is not None:
            value = value / sympy.log(base)
        return value if exponent is None else self.power(value, exponent)

    def fraction(self) -> Expr:
        r"""``\frac{a}{b}``, or a derivative ``\frac{d}{dx} f``, ``\frac{\partial E}{\partial w}``."""
        numerator = self.group_tokens()
        denominator = self.group_tokens()
        derivative = _derivative_parts(numerator, denominator)
        if derivative is not None:
            return self.derivative(*derivative)
        top = _Parser(numerator, self.notation, self.flipped)
        top.indices, top.depth = self.indices, self.depth
        bottom = _Parser(denominator, self.notation, self.flipped)
        bottom.indices, bottom.depth = self.indices, self.depth
        value_top, value_bottom = top.parse(), bottom.parse()
        self.ambiguous |= top.ambiguous or bottom.ambiguous
        if value_bottom == 0:
            raise TranslationError("division by zero")
        return value_top / value_bottom

    def group_tokens(self) -> list[str]:
        if self.peek() != "{":
            return [self.take()]
        depth, start = 0, self.i
        while self.i < len(self.tokens):
            depth += _nesting(self.tokens[self.i]) if self.tokens[self.i] in ("{", "}") else 0
            self.i += 1
            if depth == 0:
                return self.tokens[start + 1: self.i - 1]
        raise TranslationError("unbalanced braces")

    def bracket_text(self) -> str:
        """The raw text of ``[…]`` (consumed), nested brackets included."""
        depth, start = 0, self.i
        while self.i < len(self.tokens):
            depth += (self.tokens[self.i] == "[") - (self.tokens[self.i] == "]")
            self.i += 1
            if depth == 0:
                return "".join(self.tokens[start + 1:self.i - 1])
        raise TranslationError("an unclosed [")

    def slashed_partial(self) -> Expr:
        r"""``\partial L / \partial w`` (a derivative written with a slash) and ``\partial_x f``."""
        if self.peek() == "_":
            self.take()
            variable = self.raw_group() if self.peek() == "{" else self.take()
            start = self.i
            self.factor()
            return self.derivative(self.tokens[start:self.i], _tokens(variable), 1)
        start = self.i
        self.factor()
        operand = self.tokens[start:self.i]
        if self.peek() != "/" or self.peek(1) != r"\partial":
            self.fail("∂ without its variable")
        self.i += 2
        start = self.i
        self.factor()
        return self.derivative(operand, self.tokens[start:self.i], 1)

    def group_tokens_until_close(self) -> list[str]:
        """The tokens up to the ``}`` that closes the group being read (consumed)."""
        depth, start = 0, self.i
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            depth += (token == "{") - (token == "}")
            if depth < 0:
                self.i += 1
                return self.tokens[start:self.i - 1]
            self.i += 1
        raise TranslationError("unbalanced braces")

    def derivative(self, operand_tokens: list[str], variable_tokens: list[str], order: int) -> Expr:
        try:
            variable = _Parser(variable_tokens, self.notation).parse()
        except TranslationError:
            variable = None
        if not isinstance(variable, Symbol):  # ∂w^L, ∂(xy): a variable the formula cannot name; one opaque symbol
            if not operand_tokens:
                self.fail("a derivative with respect to an expression, applied to what follows")
            return opaque_derivative(_source(operand_tokens), _source(variable_tokens), order)
        if operand_tokens:
            inner = _Parser(operand_tokens, self.notation, self.flipped)
            inner.depth = self.depth
            operand = inner.parse()
            self.ambiguous |= inner.ambiguous
            text = _source(operand_tokens)
        else:  # \frac{d}{dx} applies to what follows: the rest of the product, or (the other reading) of the sum
            start = self.i
            operand = self.factor()
            while self.starts_primary(self.peek()):
                operand = operand * self.factor()
            if self.peek() in ("+", "-"):
                self.ambiguous = True
                while self.flipped and self.peek() in ("+", "-"):
                    operand = operand + self.term() if self.take() == "+" else operand - self.term()
            text = _source(self.tokens[start:self.i])
        operand = expand_definitions(operand, self.notation.formulas, keep=variable, used=self.notation.used)
        if operand.has(variable):
            return sympy.diff(operand, variable, order)
        return opaque_derivative(text, _source(variable_tokens), order)

    def big_operator(self, kind) -> Expr:
        r"""``\sum_{i=1}^{n} body``; without bounds (``\sum_j``) the index runs over 1..n_j."""
        index, lower, upper = None, Integer(1), None
        if self.peek() == "_":
            self.take()
            if self.peek() == "{":
                self.take()
                index = self.take()
                if self.peek() == "=":
                    self.take()
                    lower = self.expression()
                    self.take("}")
                elif self.peek() == r"\in":  # \sum_{i \in C}: over a set the formula names, of unknown size
                    self.take()
                    upper = Symbol(f"|{_source(self.group_tokens_until_close())}|", integer=True, positive=True)
                else:
                    self.take("}")
            else:
                index = self.take()
            if self.peek() == "^":
                self.take()
                upper = self.argument()
        if index is None and upper is None:  # \sum \delta: the sum of a vector's entries, unknown here
            return sympy.Function("Σ" if kind is sympy.Sum else "Π")(self.term())
        if index is None or not re.fullmatch(r"[A-Za-z]", index):
            raise TranslationError("a sum needs an index letter, as in \\sum_{i=1}^{n}")
        if upper is None:
            upper = Symbol(f"n_{index}", integer=True, positive=True)
        i = Symbol(index, integer=True)
        self.indices.append(index)
        body = self.term()
        self.indices.pop()
        body = body.xreplace({Symbol(index): i, _symbol(index, self.notation): i})
        return kind(body, (i, lower, upper))


def _derivative_parts(numerator: list[str], denominator: list[str]) -> tuple[list[str], list[str], int] | None:
    r"""``(operand tokens, variable tokens, order)`` when ``\frac{num}{den}`` is a derivative, else None.

    ``\frac{d}{dx}``, ``\frac{dy}{dx}``, ``\frac{\partial E}{\partial w_5}``, ``\frac{d^2 y}{dx^2}``,
    ``\frac{\mathrm{d}f}{\mathrm{d}x}``.
    """
    def strip_d(tokens: list[str]) -> tuple[list[str], int] | None:
        tokens = list(tokens)
        if tokens[:2] in ([r"\mathrm", "d"], [r"\text", "d"]):
            tokens = tokens[2:]
        elif tokens[:4] in ([r"\mathrm", "{", "d", "}"], [r"\text", "{", "d", "}"]):
            tokens = tokens[4:]
        elif tokens[:1] in (["d"], [r"\partial"], [r"\delta"]):
            tokens = tokens[1:]
        else:
            return None
        if tokens[:1] == ["{"] and tokens[-1:] == ["}"] and "{" not in tokens[1:-1]:
            tokens = tokens[1:-1]  # \partial{x}, \partial{}
        order = 1
        if tokens[:1] == ["^"] and len(tokens) > 1:
            digit = tokens[1] if tokens[1] != "{" else (tokens[2] if len(tokens) > 3 and tokens[3] == "}" else "")
            if not digit.isdigit():
                return None
            order = int(digit)
            tokens = tokens[2:] if tokens[1] != "{" else tokens[4:]
        return tokens, order

    top, bottom = strip_d(numerator), strip_d(denominator)
    if top is None or bottom is None or not bottom[0]:
        return None
    (operand, order), (variable, order_below) = top, bottom
    if numerator[:1] == [r"\delta"] and denominator[:1] != [r"\delta"]:
        return None
    if variable[-2:-1] == ["^"] and variable[-1].isdigit():
        order_below = int(variable[-1])
        variable = variable[:-2]
    elif variable[-4:-3] == ["^"] and variable[-3] == "{" and variable[-2].isdigit() and variable[-1] == "}":
        order_below = int(variable[-2])
        variable = variable[:-4]
    if order != order_below or order > 4:
        return None
    return operand, variable, order

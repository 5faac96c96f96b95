r"""Reading a document's formulas in order, as its reader does: what each one defines, binds and claims.

A teaching text builds on what it wrote before, and so does this reader:

Definitions of functions
    ``\sigma(x) = \max(0, x)`` or ``f(x) = x^2`` defines the function for
    the formulas after it. A definition of a function symnet knows
    (σ as the logistic sigmoid) is checked; one that differs is the text's
    own meaning of the name, reported as not checked with what it means.
Values that flow
    ``z_1 = 0.3325``, or ``w_5 = 0.40``, binds the name; so does a chain
    that starts with a name and ends in a number (``z = 0.15 \cdot 0.05 + …
    = 0.3775``). Later links whose unknowns are all bound are checked with
    those values — first the values as written, then as computed, and a
    link holds if either reading makes it hold. A later binding replaces an
    earlier one. Update rules — ``w^{+} = …``, ``w := …``,
    ``w \leftarrow …``, the same name on both sides — bind; they are not
    claims.
One mistake, reported once
    a value bound by a chain with a false link is marked wrong; a later link
    computed from it says it follows from that value.
Ambiguity never produces ✗
    a link is false only when every reading symnet considers (a letter
    before parentheses as a function or a factor; bound values as written or
    as computed) makes it false; when the readings disagree it is not
    checked, with the reason.
Isolation
    each chain is read and decided on its own; an unexpected error is caught
    there and reported as "not checked (internal error: …)". A document has
    :data:`DOCUMENT_SECONDS` in all; the links after that are not checked,
    and say so.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass, field

import sympy
from sympy import Expr, Rational, Symbol
from sympy.core.function import AppliedUndef

from symnet.budget import TimeLimitError, time_limit
from symnet.check.claims import Claim
from symnet.check.latex_math import Chain, TranslationError, read_side, split_chains
from symnet.check.links import LINK_SECONDS, decide_link, rounding_within, written_number
from symnet.check.notation import Notation, expand_definitions, matrix_names
from symnet.functions import registered, to_elementary
from symnet.printing.text import formula_text, value_text
from symnet.prove import RELATIONS, Status, Verdict
from symnet.values import exact

__all__ = ["Binding", "DocumentReader", "DOCUMENT_SECONDS"]

#: Time for checking one document's formulas; a link gets at most LINK_SECONDS of what is left.
DOCUMENT_SECONDS = 25.0
#: Sides larger than this many operations get LARGE_SECONDS.
LARGE_OPS, LARGE_SECONDS = 150, 1.0
_LEAST_SECONDS = 0.05


class _OutOfTime(Exception):
    """The document's time budget is spent."""

#: Statuses from the best reading to the worst: the first reading that proves a link decides it.
_RANK = {Status.PROVEN: 0, Status.ARITHMETIC: 0, Status.COMPUTED: 0, Status.NUMERIC: 1, Status.UNCHECKED: 2,
         Status.DEFINITION: 2, Status.FALSE: 3}


@dataclass(frozen=True)
class Binding:
    """A value the document gave a name: as written, as computed (when a formula gave it), where, and whether wrong."""

    written: Expr
    computed: Expr | None
    line: int
    wrong: bool = False
    section: int = 0


@dataclass
class _Side:
    tex: str
    readings: list  # the distinct expressions this side is read as (first: the conventional reading)
    error: str | None = None
    derived_through: frozenset = frozenset()  # the text's definitions its derivatives were taken through


def _written_as_name(tokens, expr) -> bool:
    """Whether a side is written as one name (``z_1``, ``out_{h1}``, ``\\frac{\\partial E}{\\partial w}``), not computed
    to one (``\\frac{\\partial}{\\partial w}(w x + b)`` is x, but not written as x)."""
    if not isinstance(expr, (Symbol, sympy.Indexed)):
        return False
    if isinstance(expr, Symbol) and expr.name.startswith("∂"):
        return True  # \frac{\partial E}{\partial w}, \partial E / \partial w: a derivative the text names
    depth = 0
    for token in tokens:
        depth += (token == "{") - (token == "}")
        if depth == 0 and token in ("(", "+", "-", r"\cdot", r"\times", "*", "/", r"\left"):
            return False
    if "^" in tokens and "^" not in getattr(expr, "name", "^"):  # a^1 = 0.5: a power of a, not a name
        return False
    return r"\frac" not in tokens


def _opaque(expr: Expr) -> Expr:
    """Unknown functions and derivatives of them as plain symbols, the same application the same symbol."""
    replace = {}
    for node in sorted(expr.atoms(sympy.Subs, sympy.Derivative, AppliedUndef), key=sympy.default_sort_key):
        inside = any(node != outer and node in outer.atoms(sympy.Derivative, AppliedUndef)
                     for outer in expr.atoms(sympy.Subs, sympy.Derivative))
        if not inside:
            replace[node] = Symbol(_opaque_name(node), commutative=node.is_commutative)
    return expr.xreplace(replace) if replace else expr


def _opaque_name(node) -> str:
    """``f'(x)``, ``f''(0)``, ``f(x, y)``: an unknown function or its derivative as the text writes it."""
    original, point = node, None
    if isinstance(node, sympy.Subs) and len(node.variables) == 1:
        point, node = node.point[0], node.expr
    if isinstance(node, sympy.Derivative) and isinstance(node.expr, AppliedUndef) and len(node.variables) in (1, 2) \
            and len(set(node.variables)) == 1 and len(node.expr.args) == 1:
        at = point if point is not None else node.variables[0]
        return f"{node.expr.func}{chr(39) * len(node.variables)}({formula_text(at)})"
    return formula_text(original)


@dataclass
class DocumentReader:
    """Reads one document's formulas in order (see the module docstring)."""

    path: str
    notation: Notation = field(default_factory=Notation)
    values: dict = field(default_factory=dict)
    internal_errors: int = 0
    section: int = 0  # the section (counted by headings) of the formula being read
    definitions: dict = field(default_factory=dict)  # {name: (line, section)} of each formula definition
    redefined: set = field(default_factory=set)  # known functions the text defines otherwise (σ as ReLU)
    seconds: float = DOCUMENT_SECONDS  # for the whole document; each link gets at most LINK_SECONDS of it
    spent: float = 0.0

    def _seconds(self, *sides) -> float:
        """Time for the next decision: :data:`LINK_SECONDS`, less once the document's budget runs low, and
        :data:`LARGE_SECONDS` for sides of more than :data:`LARGE_OPS` operations (definitions put in), which
        simplification seldom settles in time and the definitions' own reading decides."""
        left = self.seconds - self.spent
        if left < _LEAST_SECONDS:
            raise _OutOfTime
        large = any(isinstance(side, sympy.Basic) and sympy.count_ops(side) > LARGE_OPS for side in sides)
        return min(LARGE_SECONDS if large else LINK_SECONDS, left)

    def read(self, tex: str, line: int, cell: int | None = None, section: int = 0) -> list[Claim]:
        """The claims of one formula; a formula beyond the translator's limits is one claim, not checked."""
        self.section = section
        try:
            chains = split_chains(tex)
        except TranslationError as error:
            return [self._claim(line, cell, Status.UNCHECKED, tex.strip()[:80], None, f"not read: {error}")]
        claims = []
        for chain in chains:
            start = time.monotonic()
            try:
                with time_limit(max(self.seconds - self.spent, _LEAST_SECONDS) + LINK_SECONDS, "reading the formula"):
                    claims += self._chain(chain, line, cell)
            except (_OutOfTime, TimeLimitError):
                claims.append(self._claim(line, cell, Status.UNCHECKED, chain.text[:120], None,
                                          f"the document's {self.seconds:g} s for checking were spent"))
            except Exception as error:  # one formula must not stop the report: say so, and count it
                self.internal_errors += 1
                reason = f"internal error: {type(error).__name__}: {str(error)[:100]}"
                claims.append(self._claim(line, cell, Status.UNCHECKED, chain.text[:120], None, reason))
            finally:
                self.spent += time.monotonic() - start
        return claims

    def _claim(self, line, cell, status, claimed, actual, detail) -> Claim:
        return Claim(self.path, line, "math", status, claimed, actual, detail, cell)

    # --- one chain ---------------------------------------------------------------------------------

    def _side(self, tokens, tex, formula: str = "") -> _Side:
        self.notation.used = set()
        try:
            first, ambiguous = read_side(tokens, self.notation)
        except TranslationError as error:
            return _Side(tex, [], str(error))
        used = frozenset(self.notation.used)
        readings = [first]
        if ambiguous:
            self._add_reading(readings, tokens, self.notation, flipped=True)
        elsewhere = self.notation.matrices - matrix_names([formula or tex])
        if elsewhere & set(tokens):  # matrices by the text's use elsewhere, not in this formula: numbers too
            self._add_reading(readings, tokens, dataclasses.replace(self.notation,
                                                                    matrices=self.notation.matrices - elsewhere))
        mentioned = {name for name in self.redefined if name in tex or "\\" + name in tex}
        if mentioned:  # σ defined by the text unlike the sigmoid: the usual σ is a reading too
            usual = dataclasses.replace(self.notation, functions={
                k: v for k, v in self.notation.functions.items() if k not in mentioned})
            self._add_reading(readings, tokens, usual)
        return _Side(tex, readings, None, used)

    @staticmethod
    def _add_reading(readings: list, tokens, notation: Notation, flipped: bool = False) -> None:
        try:
            other, _ = read_side(tokens, notation, flipped=flipped)
        except TranslationError:
            return
        if other not in readings:
            readings.append(other)

    def _chain(self, chain: Chain, line: int, cell) -> list[Claim]:
        sides = [self._side(tokens, tex, chain.text) for tokens, tex in zip(chain.sides, chain.texts)]
        first = sides[0].readings[0] if sides[0].readings else None
        relation = chain.relations[0]
        defines = self._function_definition(chain, sides, line, cell)
        if defines is not None:
            return defines
        target = first if _written_as_name(chain.sides[0], first) and relation in ("=", ":=") else None
        claims, wrong, used_wrong = [], False, None
        for k, relation in enumerate(chain.relations):
            if k == 0 and target is not None:
                continue  # ``z = …``, ``w := …``: a binding or a definition, not a claim
            left, right = sides[k], sides[k + 1]
            claimed = f"{left.tex} {RELATIONS[relation]} {right.tex}"
            if left.error or right.error:
                reason = left.error or right.error
                claims.append(self._claim(line, cell, Status.UNCHECKED, claimed, None, f"not read: {reason}"))
                continue
            verdict, follows = self._decide(left, relation, right)
            if verdict.status is Status.DEFINITION:  # 7 + 8 \equiv 3, a := b: a congruence or a definition
                verdict = Verdict(Status.UNCHECKED, f"'{RELATIONS[relation]}' here is a definition or a congruence, "
                                                    "not a claim")
            elsewhere = sorted((s for s in left.derived_through | right.derived_through
                                if self.definitions[s][1] != self.section), key=str)
            if verdict.status is Status.FALSE and elsewhere:
                lines = ", ".join(f"{formula_text(s)} on line {self.definitions[s][0]}" for s in elsewhere)
                verdict = Verdict(Status.UNCHECKED, f"false with the definition of {lines}, from another section, "
                                                    f"which may not be this one's ({verdict.detail})")
            restated = self._restated(chain.sides[k], left, chain.sides[k + 1], right)
            if verdict.status is Status.FALSE and restated is not None and self.values[restated[0]].section != self.section:
                name, literal = restated  # ``… = x = 18`` in a new example: x is 18 from here on
                old = self.values[name]
                verdict = Verdict(Status.UNCHECKED, f"the text gives {formula_text(name)} the value {literal.tex} here; "
                                                    f"it was {value_text(old.written)} on line {old.line}, in another "
                                                    "section")
                self.values[name] = Binding(literal.readings[0], None, line, False, self.section)
            if follows is not None and verdict.status is not Status.FALSE:
                verdict = Verdict(verdict.status, f"{verdict.detail}; follows from {follows}", verdict.correct)
            wrong |= verdict.status is Status.FALSE
            used_wrong = used_wrong or follows
            claims.append(self._claim(line, cell, verdict.status, claimed, verdict.correct, verdict.detail))
        if target is not None:
            self._bind(target, sides, line, wrong or used_wrong is not None)
        return claims

    # --- definitions and bindings -------------------------------------------------------------------

    def _function_definition(self, chain: Chain, sides: list[_Side], line, cell) -> list[Claim] | None:
        r"""``f(x) = …``, ``\sigma(z) = …``: the document's own function, used by the formulas after it."""
        if chain.relations[0] not in ("=", ":=") or not sides[0].readings or len(sides) < 2 or not sides[1].readings:
            return None
        head = _definition_head(chain.sides[0])
        if head is None:
            return None
        name, variables = head
        body = sides[1].readings[0]
        if not isinstance(body, Expr) or not any(v in body.free_symbols for v in variables):
            return None  # ``P(A) = 0.5`` states a value, it does not define P
        standard = sides[0].readings[0]
        claims = []
        known = isinstance(standard, sympy.Function) and not isinstance(standard, AppliedUndef)  # σ(x), tanh(x)
        if known and name not in self.notation.functions:
            verdict = decide_link(standard, "=", body, seconds=self._seconds())
            if verdict.status in (Status.PROVEN, Status.NUMERIC):
                claims.append(self._claim(line, cell, verdict.status, f"{chain.texts[0]} = {chain.texts[1]}",
                                          None, f"the standard definition; {verdict.detail}"))
            else:
                claims.append(self._claim(line, cell, Status.UNCHECKED, f"{chain.texts[0]} = {chain.texts[1]}", None,
                                          f"the text's own definition of {name}, not the usual one "
                                          f"({formula_text(standard)}); its later formulas are read with "
                                          f"{'it' if _another_activation(body, variables) else 'both'}"))
                if not _another_activation(body, variables):  # a slip in the usual definition, perhaps
                    self.redefined.add(name)
        self.notation.functions[name] = sympy.Lambda(tuple(variables), body)
        rest = Chain(chain.sides[1:], chain.relations[1:], chain.texts[1:], chain.text)
        if rest.relations:
            claims += self._chain(rest, line, cell)
        return claims

    def _bind(self, target, sides: list[_Side], line: int, wrong: bool) -> None:
        """Bind ``target`` to the chain's value: the last number written, and the first value computed."""
        written = computed = None
        for side in sides[1:]:
            if not side.readings:
                continue
            literal = written_number(side.tex)
            if literal is not None:
                written = exact(literal)
                continue
            value = self._numeric(side.readings[0], computed_values=True)
            if value is not None and computed is None:
                computed = value
        value = written if written is not None else computed
        self._define(target, sides[1], line)
        if value is None:
            self.values.pop(target, None)  # a formula, not a value: an earlier value no longer holds
            return
        self.values[target] = Binding(value, computed, line, wrong, self.section)
        if isinstance(target, Symbol):
            self.notation.values.add(target.name)

    def _define(self, target, side: _Side, line: int) -> None:
        """``net_{o1} = w_5 \\cdot out_{h1} + …``: the name stands for the formula in the derivatives and claims after it."""
        if not isinstance(target, Symbol) or not side.readings or not target.is_commutative:
            return
        formula = side.readings[0]
        if not isinstance(formula, Expr) or not formula.free_symbols or target in formula.free_symbols:
            return  # a number, or an update (w = w - η δ)
        if formula.has(AppliedUndef) or not formula.is_commutative:
            return
        self.notation.formulas[target] = formula
        self.definitions[target] = (line, self.section)

    def _numeric(self, expr: Expr, computed_values: bool = False) -> Expr | None:
        """``expr`` with the bound values put in, when that leaves a number; else None."""
        bound = {s: (b.computed if computed_values and b.computed is not None else b.written)
                 for s, b in self.values.items() if s in expr.free_symbols}
        value = expr.xreplace(bound) if bound else expr
        if value.free_symbols or not getattr(value, "is_number", False):
            return None
        return value

    # --- deciding a link under each reading ----------------------------------------------------------

    def _restated(self, left_tokens, left: _Side, right_tokens, right: _Side):
        """``(name, number side)`` when a link sets a bound name beside a written number (``… = x = 18``)."""
        for tokens, side, other in ((left_tokens, left, right), (right_tokens, right, left)):
            if (side.readings and other.readings and _written_as_name(tokens, side.readings[0])
                    and side.readings[0] in self.values and written_number(other.tex) is not None):
                return side.readings[0], other
        return None

    def _decide(self, left: _Side, relation: str, right: _Side) -> tuple[Verdict, str | None]:
        """The verdict over every reading (see "Ambiguity" in the module docstring), and the wrong value it used."""
        verdicts, follows = [], None
        defined = self._with_definitions(left.readings[0], relation, right.readings[0], right.tex, left.tex)
        if defined is not None and defined.status is Status.PROVEN:  # the text's definitions put in settle it
            return defined, None
        for a in left.readings:
            for b in right.readings:
                for x, y, used, values in self._instances(a, b, relation):
                    verdict = decide_link(x, relation, y, right.tex, left.tex, self._seconds(x, y))
                    if verdict.status is Status.FALSE and values:
                        verdict = self._with_values(verdict, a, relation, b, values, right.tex)
                    verdicts.append(verdict)
                    if used:
                        follows = used
                    if verdict.status in (Status.PROVEN, Status.ARITHMETIC, Status.COMPUTED):
                        return self._unless_refuted(verdict, a, b, left, relation, right), used
        positive = self._for_positive_values(left.readings[0], relation, right.readings[0], right.tex, left.tex)
        if positive is not None:
            return positive, follows
        if defined is not None:
            return defined, follows
        best = min(verdicts, key=lambda v: _RANK[v.status])
        if best.status is Status.FALSE:
            other = (self._on_a_half_line(left.readings[0], relation, right.readings[0])
                     or self._in_another_base(left, relation, right))
            if other is not None:
                return other, follows
        if best.status is Status.FALSE or len(verdicts) == 1:
            return best, follows
        if any(v.status is Status.FALSE for v in verdicts):
            return Verdict(Status.UNCHECKED, f"false in one reading of the notation, not decided in another "
                                             f"({best.detail})"), follows
        return best, follows

    def _with_definitions(self, a, relation: str, b, right_tex: str, left_tex: str) -> Verdict | None:
        """The link with the names the text defined by formulas put in (``out_{o1}(1 - out_{o1})`` for
        :math:`\\partial out_{o1} / \\partial net_{o1}`). False only with definitions from the same section."""
        if relation != "=" or not (isinstance(a, Expr) and isinstance(b, Expr)):
            return None
        formulas = self.notation.formulas
        x = expand_definitions(_opaque(a), formulas)
        y = expand_definitions(_opaque(b), formulas)
        if (x, y) == (_opaque(a), _opaque(b)):
            return None
        labels = {i.base.label for i in (a.atoms(sympy.Indexed) | b.atoms(sympy.Indexed))}
        used = sorted((a.free_symbols | b.free_symbols) & set(formulas) - labels, key=str)
        lines = ", ".join(f"{formula_text(s)} on line {self.definitions[s][0]}" for s in used)
        verdict, values = None, {}
        for x_value, y_value, _, values in self._instances(x, y, relation, every_value=True):
            verdict = decide_link(x_value, relation, y_value, right_tex, left_tex, self._seconds(x_value, y_value))
            if verdict.status is Status.FALSE and values:
                verdict = self._with_values(verdict, x, relation, y, values, right_tex)
            if verdict.status is not Status.FALSE:
                break
        if verdict.status in (Status.PROVEN, Status.NUMERIC):
            return Verdict(verdict.status, f"{verdict.detail}, with the definitions of {lines}")
        if verdict.status is Status.FALSE:
            if any(self.definitions[s][1] != self.section for s in used):
                return Verdict(Status.UNCHECKED, f"false with the definitions of {lines}, from another section "
                                                 f"({verdict.detail})")
            if values:  # a computation from the values given: the correction is the value
                return Verdict(Status.FALSE, f"{verdict.detail}, with the definitions of {lines} and the values "
                                             "given before", verdict.correct)
            correct = formula_text(_opaque(a))  # in the text's own names, not the definitions put in
            return Verdict(Status.FALSE, f"{verdict.detail}, with the definitions of {lines}",
                           correct if len(correct) <= 60 and correct != formula_text(_opaque(b)) else None)
        return None

    def _unless_refuted(self, proof: Verdict, a, b, left: _Side, relation: str, right: _Side) -> Verdict:
        """A link proven in one reading is not checked when another reading of the notation refutes it
        (``AB = BA`` with A and B matrices elsewhere in the text; σ(2) with the text's own σ)."""
        for x in left.readings:
            for y in right.readings:
                if (x, y) == (a, b):
                    continue
                other = decide_link(_opaque(x), relation, _opaque(y), right.tex, left.tex, self._seconds(x, y))
                if other.status is Status.FALSE:
                    return Verdict(Status.UNCHECKED, f"true in one reading of the notation ({proof.detail}), false in "
                                                     f"another ({other.detail})")
        return proof

    def _in_another_base(self, left: _Side, relation: str, right: _Side) -> Verdict | None:
        """``\\log 8 = 3``: ``\\log`` without a base is ln, log₂ or log₁₀ as the text's field has it; a link that holds
        with base 2 or 10 is proven in that reading (``\\ln`` is always natural)."""
        if not re.search(r"(?<![a-zA-Z])log(?![a-zA-Z_])", left.tex + right.tex):
            return None
        for base, name in ((2, "log₂ (bits)"), (10, "log₁₀")):
            pair = [side.readings[0].replace(sympy.log, lambda u, b=base: sympy.log(u) / sympy.log(b))
                    if isinstance(side.readings[0], Expr) else None for side in (left, right)]
            if None in pair:
                return None
            verdict = decide_link(pair[0], relation, pair[1], right.tex, left.tex, self._seconds(*pair))
            if verdict.status is Status.PROVEN:
                return Verdict(Status.UNCHECKED, f"holds reading log as {name}, not as the natural logarithm")
        return None

    def _on_a_half_line(self, a, relation: str, b) -> Verdict | None:
        """Not checked when a false identity in one unknown holds for all its positive or all its negative values:
        ``\\max(0, x) = x``, ``\\text{ReLU}'(x) = 1`` — the text may restrict x, as "if x > 0" or "for x < 0" do."""
        if relation != "=" or not (isinstance(a, Expr) and isinstance(b, Expr)):
            return None
        a, b = _opaque(a), _opaque(b)
        free = a.free_symbols | b.free_symbols
        if len(free) != 1 or not all(s.is_commutative for s in free):
            return None
        (x,) = free
        for sign, assumption in (("> 0", {"positive": True}), ("< 0", {"negative": True})):
            restricted = Symbol(x.name, **assumption)
            verdict = decide_link(a.xreplace({x: restricted}), "=", b.xreplace({x: restricted}),
                                  seconds=self._seconds(a, b))
            if verdict.status is Status.PROVEN:
                return Verdict(Status.UNCHECKED, f"holds for {formula_text(x)} {sign} only: the text may restrict "
                                                 f"{formula_text(x)}, as 'if {formula_text(x)} {sign}' does")
        return None

    def _for_positive_values(self, a, relation: str, b, right_tex: str, left_tex: str) -> Verdict | None:
        """A proof of a link with logarithms or roots when its unknowns are taken as positive, as such texts mean."""
        if not (isinstance(a, Expr) and isinstance(b, Expr)) or not (a.has(sympy.log) or b.has(sympy.log)
                                                                     or _has_root(a) or _has_root(b)):
            return None
        a, b = _opaque(a), _opaque(b)
        symbols = sorted((a.free_symbols | b.free_symbols), key=str)
        if not symbols or not all(s.is_commutative for s in symbols):
            return None
        positive = {s: Symbol(s.name, positive=True) for s in symbols}
        verdict = decide_link(a.xreplace(positive), relation, b.xreplace(positive), right_tex, left_tex,
                              self._seconds())
        if verdict.status is not Status.PROVEN:
            return None
        names = ", ".join(formula_text(s) for s in symbols)
        return Verdict(Status.PROVEN, f"{verdict.detail}, for positive values of {names}")

    def _with_values(self, verdict: Verdict, a, relation: str, b, values: dict, right_tex: str) -> Verdict:
        """A link false with values from earlier: true within their rounding, or not checked when a value comes from
        another section (a new example may have set it in words)."""
        literal = written_number(right_tex)
        if relation == "=" and literal is not None and isinstance(a, Expr):
            a = _opaque(a)
            carried = rounding_within(a, values, literal)
            if carried is not None:
                return carried
        elsewhere = sorted({self.values[s].line for s in values if self.values[s].section != self.section})
        if elsewhere:
            lines = ", ".join(map(str, elsewhere))
            return Verdict(Status.UNCHECKED, f"false with the values given on line {lines}, in another section, "
                                             f"which a new example may have changed in words ({verdict.detail})")
        return verdict

    def _instances(self, a: Expr, b: Expr, relation: str, every_value: bool = False):
        """``(left, right, wrong value used, values put in)``: the link as written; with bound values as written,
        then as computed.

        Values flow into claims of a value (``=``, ``≈`` with a number on one side), not into conditions
        (``if A_i > 0``) or identities, which hold for every value — unless ``every_value``: the text's
        definitions put in, a formula whose every unknown has a value is a computation
        (``z^{(3)} = w^{(2)} a^{(2)} + b^{(2)} = \\sigma(0.25)``).
        """
        a, b = _opaque(a) if isinstance(a, Expr) else a, _opaque(b) if isinstance(b, Expr) else b
        free = (getattr(a, "free_symbols", set()) | getattr(b, "free_symbols", set()))
        bound = [s for s in free if s in self.values]
        claims_a_value = every_value or not getattr(a, "free_symbols", True) or not getattr(b, "free_symbols", True)
        if not bound or free - set(self.values) or not claims_a_value or relation not in ("=", "~"):
            yield a, b, None, {}
            return
        wrong = [s for s in bound if self.values[s].wrong]
        used = (f"the value of {formula_text(wrong[0])} on line {self.values[wrong[0]].line}, itself wrong"
                if wrong else None)
        seen = []
        for computed in (False, True):
            values = {s: (self.values[s].computed if computed and self.values[s].computed is not None
                          else self.values[s].written) for s in bound}
            pair = (a.xreplace(values), b.xreplace(values))
            if pair not in seen:
                seen.append(pair)
                yield pair[0], pair[1], used, values


#: Points at which a text's definition is compared with the registered activations.
_PROBES = (Rational(-13, 10), Rational(-1, 3), Rational(7, 10), Rational(21, 10))


def _another_activation(body: Expr, variables: list) -> bool:
    """Whether a definition is another activation symnet knows (``\\sigma(x) = \\max(0, x)`` is ReLU): the text means
    its own σ, on purpose; compared at a few points."""
    if len(variables) != 1:
        return False
    (x,) = variables
    try:
        mine = [sympy.N(body.subs(x, p), 20) for p in _PROBES]
        for info in registered():
            theirs = [sympy.N(to_elementary(info.head(p, *info.defaults)), 20) for p in _PROBES]
            if all(a.is_number and b.is_number and abs(a - b) < sympy.Float(1e-12) for a, b in zip(mine, theirs)):
                return True
    except (TypeError, ValueError, ArithmeticError):
        return False
    return False


def _has_root(expr: Expr) -> bool:
    return any(not p.exp.is_integer for p in expr.atoms(sympy.Pow))


def _definition_head(tokens) -> tuple[str, list[Symbol]] | None:
    r"""``("f", [x])`` for ``f(x)``, ``("sigma", [z])`` for ``\sigma(z)``: a name applied to distinct variables."""
    tokens = [t for t in tokens if t not in (r"\left", r"\right", r"\,", r"\!")]
    if len(tokens) < 4 or tokens[1] != "(" or tokens[-1] != ")":
        return None
    head = tokens[0]
    if head.startswith("\\"):
        head = head[1:]
    if not head.isalpha():  # a letter, a command (\sigma) or a word (sigmoid, relu)
        return None
    names = [t for t in tokens[2:-1] if t != ","]
    if not names or len(set(names)) != len(names) or not all(n.isalpha() and len(n) == 1 for n in names):
        return None
    if tokens[2:-1] != [x for n in names for x in (n, ",")][:-1]:
        return None
    return head, [Symbol(n) for n in names]

r"""Finding the math and the Python code in Markdown, Jupyter notebooks and LaTeX, with line numbers.

Markdown (``.md``; ``.txt`` is read as Markdown)
    parsed by markdown-it-py, a CommonMark parser, with the mdit-py-plugins
    for dollar math, amsmath environments, MyST colon fences and YAML front
    matter. A real parser reads the document as Markdown renderers do, which
    the regular expressions used before did not: fenced and indented code,
    code spans, HTML blocks and comments, blockquotes (no ``>`` left in the
    math), list items and tables are what CommonMark says they are.

    Math: ``$…$`` and ``$$…$$`` (also over several lines, and ``$$…$$`` inside
    a paragraph); ``\(…\)`` and ``\[…\]``, also with the backslash doubled as
    Markdown authors write them for MathJax (``\\(…\\)``); the amsmath
    environments written directly in Markdown; ```` ```math ````, ```` ```{math} ````
    and ``:::{math}`` blocks (MyST, options such as ``:label:`` skipped).
    A ``$`` is math only as Pandoc reads it: no space inside the dollars and
    no digit after the closing one, so "costs $5 and $10" is prose. The
    bracket rules are this module's own (the texmath plugin takes neither the
    doubled form nor linear time), and the amsmath rule is tried only when the
    environment is closed below, so that unclosed delimiters do not make
    parsing quadratic.
    Lines are exact: block tokens carry their lines, and inline math records
    its offset in its paragraph.

    Plain-text arithmetic (``origin="text"``): prose that writes a claim
    with numbers and operators only, such as ``(5*3)+5 = 20``,
    ``8 x 6 = 48``, ``2^10 = 1024`` or ``1,024 + 512 = 1,536``, outside math,
    code and HTML. The reading is conservative, since a false reading is a
    false alarm: dates, versions, times, ranges, ``x = 5``, ``1 = yes``, numbers
    glued to letters or ``%``, and chains that go on with a letter are not read.

    Code: fenced blocks marked ``python``, ``py``, ``python3``, ``ipython``,
    ``ipython3`` or ``pycon``, and MyST ``{code-cell}`` blocks of those
    languages (options skipped), dedented as they run, also in list items.
Jupyter notebooks (``.ipynb``)
    read by nbformat: Markdown cells as Markdown above, code cells as code when
    the kernel's language is Python; raw cells are ignored. Lines count inside
    each cell, and ``cell`` is the cell's 1-based index among all cells. The
    cells' text is held to :data:`MAX_DOCUMENT`, the file (outputs and images
    included) to :data:`MAX_NOTEBOOK`.
reStructuredText (``.rst``)
    parsed by docutils (as Sphinx documentation is written): ``:math:`…``` roles
    and ``.. math::`` blocks are math, ``.. code::``/``.. code-block:: python``
    blocks are code. Inclusion of files and raw output are switched off, and
    docutils' own warnings are not printed.
LaTeX (``.tex``)
    ``$…$``, ``$$…$$``, ``\(…\)``, ``\[…\]`` and the equation, align, gather,
    multline, eqnarray, alignat, flalign, displaymath and math environments
    (starred too); comments are ignored; ``lstlisting``, ``verbatim`` and
    ``minted{python}`` are code; ``\verb`` is neither. Scanning is linear time.

In every kind of document, an align-like environment (``align``, ``aligned``,
``gather``, ``split``…, also inside ``$$`` or ``\[``) is read row by row: the
``&`` are dropped, a row that starts with a relation continues the chain of
the row before, and other rows are separate chains. An equation environment
is its body.

Nothing here evaluates the text it reads.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import textwrap
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import nbformat
from docutils import nodes
from docutils.core import publish_doctree
from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.amsmath import RE_OPEN, amsmath_block, amsmath_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.front_matter import front_matter_plugin

from symnet.errors import SymnetError

__all__ = ["MathItem", "CodeBlock", "extract", "sections", "MAX_DOCUMENT", "MAX_NOTEBOOK"]

#: The largest document read, in characters (for a notebook: the text of its cells).
MAX_DOCUMENT = 2_000_000
#: The largest notebook file read, in characters: outputs such as images make notebooks large.
MAX_NOTEBOOK = 50_000_000


@dataclass(frozen=True)
class MathItem:
    line: int  # 1-based line where the formula starts (in a notebook: inside its cell)
    tex: str  # the LaTeX of the formula, delimiters removed
    start: int  # offset in the document (or cell) where it starts, best effort, for ordering
    cell: int | None = None  # notebooks: the 1-based index of the cell among all cells
    origin: str = "math"  # "math", or "text" for plain-text arithmetic


@dataclass(frozen=True)
class CodeBlock:
    line: int  # the first line of code
    source: str  # the code, dedented as it would run
    cell: int | None = None  # notebooks: the 1-based index of the cell among all cells


def extract(text: str, kind: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """The math and the Python blocks of a document; ``kind`` is ``"markdown"``, ``"latex"`` or ``"notebook"``."""
    limit = MAX_NOTEBOOK if kind == "notebook" else MAX_DOCUMENT
    if len(text) > limit:
        raise SymnetError(f"the document has {len(text):,} characters, more than the limit of {limit:,}")
    readers = {"markdown": _markdown, "latex": _latex, "notebook": _notebook, "rst": _restructured}
    if kind not in readers:
        raise SymnetError(f"unknown kind of document {kind!r}; known: {', '.join(readers)}")
    math, code = readers[kind](text)
    return [_at_first_line(item) for item in math], code


def _at_first_line(item: MathItem) -> MathItem:
    """A display's line is that of its first written line (``$$`` alone on the line before does not count)."""
    blank = item.tex[: len(item.tex) - len(item.tex.lstrip())].count("\n")
    return dataclasses.replace(item, line=item.line + blank) if blank else item


_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]|^ {0,3}(?:=+|-{2,})[ \t]*$", re.M)
_RST_HEADING = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}[ \t]*$", re.M)  # a title's underline
_LATEX_HEADING = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection|frametitle|begin\{frame\})\b")


def sections(text: str, kind: str) -> list[tuple[int, int]]:
    """Where headings start new sections, as ``(cell or 0, line)``: a worked example's values belong to its section.

    Markdown ATX and setext headings (a ``#`` comment at the start of a fenced code line counts too: a section too
    many only makes the checker more careful), reStructuredText underlines, LaTeX sectioning commands and frames, a
    notebook's Markdown headings.
    """
    if kind == "notebook":
        return [(index, line) for index, cell_kind, source in _read_notebook(text) if cell_kind == "markdown"
                for cell, line in sections(source, "markdown")]
    pattern = {"latex": _LATEX_HEADING, "rst": _RST_HEADING}.get(kind, _MARKDOWN_HEADING)
    lines = _Lines(text)
    return [(0, lines.line(match.start())) for match in pattern.finditer(text)]


# --- shared: lines, environments ---------------------------------------------------------------------------


class _Lines:
    """The line starts of a text: the line of an offset, and the offset of a line, in logarithmic time."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset)

    def offset(self, line: int) -> int:
        """Where the 1-based ``line`` starts."""
        return self.starts[min(max(line, 1), len(self.starts)) - 1]


_RELATION_START = re.compile(r"^\s*(=|\\approx|\\le|\\leq|\\ge|\\geq|<|>|\\ne|\\neq)")


def _align_rows(body: str) -> str:
    r"""``z &= a \\ &= b`` → ``z = a = b``: rows that start with a relation continue the chain."""
    body = re.sub(r"\\(label|tag\*?|text)\{[^{}]*\}", lambda m: "" if m.group(1) != "text" else m.group(0), body)
    rows = [row.replace("&", " ") for row in re.split(r"\\\\(?:\[[^\]]*\])?", body)]
    out: list[str] = []
    for row in rows:
        if out and _RELATION_START.match(row):
            out[-1] += " " + row
        elif row.strip():
            out.append(row)
    return " , ".join(out)  # separate chains: ',' at the top level starts a new one


#: Environments read as their body, and environments read row by row with :func:`_align_rows`.
_EQUATION_ENVIRONMENTS = ("equation", "displaymath", "math")
_ALIGN_ENVIRONMENTS = ("align", "alignat", "flalign", "gather", "multline", "eqnarray",
                       "aligned", "alignedat", "gathered", "split")
_ENVIRONMENT = re.compile(r"\\begin\{(?P<name>(?:" + "|".join(_EQUATION_ENVIRONMENTS + _ALIGN_ENVIRONMENTS)
                          + r")\*?)\}(?:\{[0-9]+\})?")


def _unwrap_environments(tex: str, depth: int = 0) -> str:
    r"""The formula with each equation environment replaced by its body, and each align-like one by its rows.

    Nested environments (``aligned`` in ``equation``) are read first; an environment never closed is left as it is.
    """
    out, pos, unclosed = [], 0, set()
    while (match := _ENVIRONMENT.search(tex, pos)) is not None:
        name = match.group("name")
        closing = "\\end{" + name + "}"
        end = -1 if name in unclosed else tex.find(closing, match.end())
        if end < 0:
            unclosed.add(name)  # none later either: each search is done once
            out.append(tex[pos:match.end()])
            pos = match.end()
            continue
        body = tex[match.end():end]
        if depth < 4:
            body = _unwrap_environments(body, depth + 1)
        out.append(tex[pos:match.start()])
        out.append(body if name.rstrip("*") in _EQUATION_ENVIRONMENTS else _align_rows(body))
        pos = end + len(closing)
    out.append(tex[pos:])
    return "".join(out)


# --- Markdown: the parser ------------------------------------------------------------------------------------

#: Fence languages read as Python code (``pycon`` too, as before).
_PYTHON = frozenset({"python", "py", "python3", "ipython", "ipython3", "pycon"})
_INLINE_MATH = frozenset({"math_inline", "math_inline_double"})
_BLOCK_MATH = frozenset({"math_block", "math_block_label", "amsmath"})


@functools.cache
def _parser() -> MarkdownIt:
    """CommonMark with tables, front matter, colon fences, amsmath, dollar and bracket math.

    Every inline rule whose text is not prose records where its tokens start and end (``meta["span"]``),
    so that math gets its exact line and plain-text arithmetic is looked for only in prose.
    """
    md = MarkdownIt("commonmark").enable("table")
    md.use(front_matter_plugin).use(colon_fence_plugin).use(amsmath_plugin)
    md.block.ruler.at("amsmath", _amsmath_when_closed,
                      {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})
    dollars = {"allow_space": False, "allow_digits": False}  # Pandoc's reading: "$5 and $10" is not math
    md.use(dollarmath_plugin, **dollars, double_inline=True, allow_blank_lines=False)
    md.inline.ruler.at("math_inline", _spanned(math_inline_dollar(**dollars, allow_double=True)))
    md.inline.ruler.before("escape", "math_bracket", _spanned(_bracket_math_inline))
    md.block.ruler.before("amsmath", "math_bracket_block", _bracket_math_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for name, rule in (("backticks", rules_inline.backtick), ("emphasis", rules_inline.emphasis.tokenize),
                       ("link", rules_inline.link), ("image", rules_inline.image),
                       ("autolink", rules_inline.autolink), ("html_inline", rules_inline.html_inline)):
        md.inline.ruler.at(name, _spanned(rule))
    return md


def _spanned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """The inline rule, recording on the tokens it pushes the ``(start, end)`` of the source it read."""

    def spanned(state: StateInline, silent: bool) -> bool:
        start = state.pos
        first = len(state.tokens) + (1 if state.pending else 0)  # pending text is flushed as a token first
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[first:]:
                token.meta.setdefault("span", (start, state.pos))
        return True

    return spanned


def _amsmath_when_closed(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The amsmath plugin's rule, tried only when a line below ends the environment.

    Alone, the rule searches to the end of the block for every line that opens an environment, which takes
    quadratic time on many environments never closed.
    """
    begin = state.bMarks[start_line] + state.tShift[start_line]
    opening = re.match(RE_OPEN, state.src[begin:state.eMarks[start_line]])
    if opening is None:
        return False
    closings = _lines_ending_with(state, rf"\end{{{opening.group(1)}{opening.group(2)}}}")
    below = bisect.bisect_left(closings, start_line)
    if below == len(closings) or closings[below] >= end_line:
        return False
    return amsmath_block(state, start_line, end_line, silent)


def _lines_ending_with(state: StateBlock, closing: str) -> list[int]:
    """The lines of the document that end with ``closing``, found once per parse."""
    found = state.env.setdefault("symnet_closing_lines", {})
    if closing not in found:
        found[closing] = [line for line in range(state.lineMax)
                          if state.src[state.bMarks[line]:state.eMarks[line]].rstrip().endswith(closing)]
    return found[closing]


_BRACKETS = {"(": ")", "[": "]"}


def _bracket_opener(text: str) -> str | None:
    r"""``\\(``, ``\\[``, ``\(`` or ``\[`` if ``text`` starts with one (the doubled form first), else None."""
    for opener in ("\\\\(", "\\\\[", "\\(", "\\["):
        if text.startswith(opener):
            return opener
    return None


def _bracket_math_inline(state: StateInline, silent: bool) -> bool:
    r"""``\(…\)`` and ``\[…\]`` inside a paragraph, also written ``\\(…\\)`` and ``\\[…\\]``."""
    if state.src[state.pos] != "\\":
        return False
    opener = _bracket_opener(state.src[state.pos:state.pos + 3])
    if opener is None:
        return False
    closer = opener[:-1] + _BRACKETS[opener[-1]]
    start = state.pos + len(opener)
    end = _find_in_paragraph(state, closer, start)
    if end <= start:
        return False
    if not silent:
        token = state.push("math_inline" if opener.endswith("(") else "math_inline_double", "math", 0)
        token.content = state.src[start:end]
        token.markup = opener
    state.pos = end + len(closer)
    return True


def _find_in_paragraph(state: StateInline, closer: str, start: int) -> int:
    """Where ``closer`` next is in the paragraph, or -1; a search that failed is not made again (linear time)."""
    failed = state.env.setdefault("symnet_failed_searches", {})
    key = (id(state.src), closer, state.posMax)
    if failed.get(key, start + 1) <= start:
        return -1
    end = state.src.find(closer, start, state.posMax)
    if end < 0:
        failed[key] = min(start, failed.get(key, start))
    return end


def _bracket_math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    r"""``\[`` (or ``\\[``) at the start of a line up to ``\]`` (``\\]``) at the end of a line: display math.

    Text after the closing bracket leaves the math to the inline rule. A blank line ends the search.
    """
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    opener = _bracket_opener(state.src[begin:begin + 3])
    if opener is None or opener[-1] != "[":
        return False
    closer = opener[:-1] + "]"
    failed = state.env.setdefault("symnet_failed_blocks", {})
    key = (closer, end_line, state.blkIndent)
    if key in failed and failed[key][0] <= start_line < failed[key][1]:
        return False  # a search from an earlier line found no closer up to where this one would stop (linear time)
    parts, line, content_start = [], start_line, begin + len(opener)
    while True:
        if line >= end_line or (line > start_line and (state.isEmpty(line) or state.sCount[line] < state.blkIndent)):
            failed[key] = (start_line, line)
            return False
        first = content_start if line == start_line else state.bMarks[line] + state.tShift[line]
        found = state.src.find(closer, first, state.eMarks[line])
        if found >= 0:
            if state.src[found + len(closer):state.eMarks[line]].strip():
                return False
            parts.append(state.src[first:found])
            break
        parts.append(state.src[first:state.eMarks[line]])
        line += 1
    if not silent:
        token = state.push("math_block", "math", 0)
        token.block = True
        token.content = "\n".join(parts)
        token.markup = opener
        token.map = [start_line, line + 1]
    state.line = line + 1
    return True


# --- Markdown: reading the tokens ----------------------------------------------------------------------------


def _markdown(text: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """The math (with plain-text arithmetic) and the Python blocks of a Markdown document, in document order."""
    lines = _Lines(text)
    math: list[MathItem] = []
    code: list[CodeBlock] = []
    for token in _parser().parse(text, {}):
        if token.map is None:
            continue
        line = token.map[0] + 1
        if token.type in _BLOCK_MATH:
            math.append(MathItem(line, _unwrap_environments(token.content), lines.offset(line)))
        elif token.type in ("fence", "colon_fence"):
            found_math, found_code = _fenced(token, lines)
            math += found_math
            code += found_code
        elif token.type == "inline":
            math += _inline_items(token, lines)
    return math, code


def _fence_language(info: str) -> tuple[str, str]:
    """``("{code-cell}", "ipython3")`` for ``{code-cell} ipython3``, ``("python", "")`` for ``python title=x``."""
    words = info.strip().lower().split()
    if not words:
        return "", ""
    name = words[0].lstrip("{.").rstrip("}") if not words[0].startswith("{code-cell") else "{code-cell}"
    return name, (words[1] if len(words) > 1 else "")


def _fenced(token: Token, lines: _Lines) -> tuple[list[MathItem], list[CodeBlock]]:
    """A fence: math for ``math`` / ``{math}``, code for the Python languages and ``{code-cell}`` in them."""
    name, argument = _fence_language(token.info)
    first_line = token.map[0] + 2  # the line after the opening fence
    if name == "math":
        skipped, body = _directive_body(token.content)
        return _math_paragraphs(body, first_line + skipped, lines), []
    if token.type == "fence" and (name in _PYTHON or (name == "{code-cell}" and argument in _PYTHON)):
        skipped, body = _directive_body(token.content) if name == "{code-cell}" else (0, token.content)
        return [], [CodeBlock(first_line + skipped, textwrap.dedent(body))]
    if token.type == "fence" and name in _PLAIN_TEXT:  # notes in a ``text`` block: their arithmetic is prose
        return [MathItem(first_line + k, tex, lines.offset(first_line + k) + offset, origin="text")
                for k, row in enumerate(token.content.split("\n")) for offset, tex in _text_arithmetic(row)], []
    return [], []


#: Fence languages that hold plain-text notes rather than code.
_PLAIN_TEXT = frozenset({"text", "txt", "plain", "plaintext"})


_OPTION = re.compile(r"\s*:[\w-]+:")


def _directive_body(content: str) -> tuple[int, str]:
    """A MyST directive's content without its options (``:label: eq1`` lines or a ``---`` YAML block): (lines skipped, body)."""
    rows = content.split("\n")
    skipped = 0
    if rows and rows[0].strip() == "---":
        closing = next((k for k in range(1, len(rows)) if rows[k].strip() == "---"), None)
        skipped = closing + 1 if closing is not None else 0
    while skipped < len(rows) and _OPTION.match(rows[skipped]):
        skipped += 1
    return skipped, "\n".join(rows[skipped:])


def _math_paragraphs(body: str, first_line: int, lines: _Lines) -> list[MathItem]:
    """The equations of a math block: one per paragraph, as Sphinx's math directive reads them."""
    items, line = [], first_line
    for paragraph in re.split(r"(\n[ \t]*\n)", body):
        if paragraph.strip():
            leading = len(paragraph) - len(paragraph.lstrip("\n"))
            items.append(MathItem(line + leading, _unwrap_environments(paragraph), lines.offset(line + leading)))
        line += paragraph.count("\n")
    return items


def _inline_items(token: Token, lines: _Lines) -> list[MathItem]:
    """The inline math of a paragraph (heading, table cell) and its plain-text arithmetic, at their exact lines.

    A note written by ``symnet check --annotate`` (``**symnet ✗ …**``) is symnet's, not the document's: skipped.
    """
    if token.content.lstrip("*_ ").startswith("symnet ✗"):
        return []
    local = _Lines(token.content)
    first = token.map[0]

    def item(offset: int, tex: str, origin: str) -> MathItem:
        line = first + local.line(offset)
        column = offset - local.offset(local.line(offset))
        return MathItem(line, tex, lines.offset(line) + column, origin=origin)

    found = [(child.meta["span"][0], _unwrap_environments(child.content), "math")
             for child in token.children or [] if child.type in _INLINE_MATH and "span" in child.meta]
    found += [(offset, tex, "text") for offset, tex in _text_arithmetic(_prose(token))]
    found += [(child.meta["span"][0], tex, "text") for child in token.children or []
              if child.type == "code_inline" and "span" in child.meta
              and (tex := _code_span_arithmetic(child.content)) is not None]
    return [item(*entry) for entry in sorted(found, key=lambda entry: entry[0])]


#: A code span that is nothing but arithmetic, perhaps with a unit or a scale after its result:
#: ``(3x3x3x10) + 10 = 280``, ``2 * 4096 / 2**30 = 0.25GiB`` (a unit: dropped), ``28 * 28 * 32 * 5 * 5 * 16 = 10 Mil``
#: (a scale: the result is 10 × 10^6).
_ARITHMETIC_SPAN = re.compile(r"[0-9.,\s()+\-*/x×·÷^=≈]+?(?:(?P<unit>[KMGT]i?B|%)|\s*(?P<scale>[A-Za-z]+))?")
_SCALES = {"k": 3, "K": 3, "thousand": 3, "M": 6, "Mil": 6, "mil": 6, "million": 6, "Million": 6, "B": 9, "bn": 9,
           "billion": 9, "Billion": 9}


def _code_span_arithmetic(content: str) -> str | None:
    """The LaTeX of a code span that holds one arithmetic claim and nothing else (Python's ``**`` is a power)."""
    match = _ARITHMETIC_SPAN.fullmatch(content.strip())
    if match is None or match["unit"] == "%" or match["scale"] and match["scale"] not in _SCALES:
        return None
    if match["scale"] and len(match["scale"]) == 1 and content.strip()[match.start("scale") - 1].isspace():
        return None  # "= 6 K": a letter standing apart may be a unit or a name; "6K" and "7B" are scales
    end = match.start("unit") if match["unit"] else match.start("scale") if match["scale"] else len(content.strip())
    claims = list(_text_arithmetic(content.strip()[:end].rstrip().replace("**", "^")))
    if len(claims) != 1 or claims[0][0] != 0:
        return None
    return claims[0][1] + (f" \\times 10^{{{_SCALES[match['scale']]}}}" if match["scale"] else "")


#: Inline tokens whose source is not prose, and emphasis markers, which are.
_NOT_PROSE = frozenset({"code_inline", "math_inline", "math_inline_double", "html_inline", "link_open", "image"})
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close"})


def _prose(token: Token) -> str:
    """The source of an inline token with everything that is not prose masked (``\\0``), offsets and lines kept.

    Emphasis markers become spaces (``**41**`` is 41), except between digits, where ``2*3*4`` is a product
    that CommonMark read as emphasis. Backslash escapes (``5 \\* 3``) lose their backslash.
    """
    text = list(token.content)
    spans = [(child.type in _NOT_PROSE, child.meta["span"]) for child in token.children or []
             if (child.type in _NOT_PROSE or child.type in _EMPHASIS) and "span" in child.meta]
    for hard, (start, end) in sorted(spans):  # emphasis first, so masks win over it
        if hard:
            text[start:end] = ["\n" if c == "\n" else "\0" for c in text[start:end]]
        elif not (start > 0 and end < len(text) and text[start - 1] in "0123456789)" and text[end] in "0123456789("):
            text[start:end] = " " * (end - start)
    return re.sub(r"\\(?=[-+*/^=()_])", " ", "".join(text))


# --- plain-text arithmetic -----------------------------------------------------------------------------------

_ARITHMETIC_TOKEN = re.compile(
    r"(?P<number>(?:(?<![0-9)])[-−])?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)"
    r"|(?P<hyphen>(?<=[0-9])-(?=[0-9]))"  # 10-20, 2020-01-01, 555-1234: a range, a date, a number, not a difference
    r"|(?P<operator>(?<=[0-9)])[ \t]+x[ \t]+(?=[0-9(])|(?<=[0-9])x(?=[0-9])|[-+*/×·÷^−])"
    r"|(?P<open>\()|(?P<close>\))|(?P<equals>=|≈)|(?P<space>\s+)|(?P<word>[^\W\d_]+)|(?P<other>.)",
    re.S,
)
#: What may stand right before and right after a plain-text claim; anything else glues it to other text.
_BEFORE = set("([{\"'“‘;—")
_AFTER = set(")]}!?;\"'”’…")
#: Tokens that continue an expression the way an operator or a relation does.
_MATHLIKE = {"x": "operator", "X": "operator", "<": "equals", ">": "equals", "≤": "equals",
             "≥": "equals", "≠": "equals"}
_TEX_OPERATOR = {"*": r"\cdot", "·": r"\cdot", "x": r"\times", "×": r"\times", "÷": "/", "−": "-"}


class _Run:
    """A run of arithmetic tokens in prose, read by a small state machine (linear time, no backtracking)."""

    def __init__(self, match: re.Match):
        self.tokens: list[tuple[str, str, int]] = []  # (kind, text, offset)
        self.expect_operand, self.depth, self.operators, self.relations = True, 0, 0, 0
        self.end = match.start()
        self.take(match)

    def take(self, match: re.Match) -> bool:
        """Add the token if the grammar allows it here: operands and operators alternate, ``=`` between operands."""
        kind = match.lastgroup
        if self.expect_operand and kind in ("number", "open"):
            self.expect_operand = kind == "open"
            self.depth += kind == "open"
        elif not self.expect_operand and kind == "close" and self.depth > 0:
            self.depth -= 1
        elif not self.expect_operand and kind in ("operator", "equals"):
            self.expect_operand = True
            self.operators += kind == "operator"
            self.relations += kind == "equals"
        else:
            return False
        self.tokens.append((kind, match.group().strip(), match.start()))
        self.end = match.end()
        return True

    def claim(self, prose: str) -> tuple[int, str] | None:
        """``(offset, tex)`` if the run is a complete claim standing apart from the text after it, else None."""
        if self.expect_operand or not self.relations or not self.operators or _glued_after(prose, self.end):
            return None
        # parentheses opened and never closed may only lead the run: "(see 2 + 2 = 4"
        if any(kind != "open" for kind, _, _ in self.tokens[:self.depth]):
            return None
        tokens = _outer_parentheses_removed(self.tokens[self.depth:])
        if not _balanced_sides(tokens) or any(_odd_number(kind, text) for kind, text, _ in tokens):
            return None
        if any(a[1] == "0" and b[1] == "x" for a, b in zip(tokens, tokens[1:])):
            return None  # 0x10 is hexadecimal
        return tokens[0][2], _arithmetic_tex([(kind, text) for kind, text, _ in tokens])


def _glued_after(prose: str, end: int) -> bool:
    """The claim ending at ``end`` goes on into other text: "= 4x", "= 3.11.2", "= 50%"."""
    if end >= len(prose) or prose[end].isspace() or prose[end] in _AFTER:
        return False
    return prose[end] not in ".,:" or prose[end + 1:end + 2].isdigit()


def _outer_parentheses_removed(tokens: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """``(2 + 3 = 5)`` → ``2 + 3 = 5``: parentheses around the whole claim are not part of it."""
    while len(tokens) > 2 and tokens[0][0] == "open" and tokens[-1][0] == "close":
        depth = 0
        for index, (kind, _, _) in enumerate(tokens):
            depth += (kind == "open") - (kind == "close")
            if depth == 0 and index < len(tokens) - 1:
                return tokens  # the first parenthesis closes before the end: (5*3)+5 = 20
        tokens = tokens[1:-1]
    return tokens


def _balanced_sides(tokens: list[tuple[str, str, int]]) -> bool:
    """Each side of every ``=`` closes the parentheses it opens."""
    depth = 0
    for kind, _, _ in tokens:
        depth += (kind == "open") - (kind == "close")
        if depth < 0 or (kind == "equals" and depth):
            return False
    return depth == 0


def _odd_number(kind: str, text: str) -> bool:
    """A number no one writes in arithmetic: a leading zero, as in dates (01) and times (09)."""
    return kind == "number" and re.match(r"[-−]?0[0-9]", text) is not None


def _arithmetic_tex(tokens: list[tuple[str, str]]) -> str:
    """LaTeX of the tokens: ``*`` → ``\\cdot``, ``x`` → ``\\times``, thousands commas removed, exponents braced."""
    parts: list[str] = []
    depth, close_brace_at, exponent = 0, [], False
    for kind, text in tokens:
        piece = _TEX_OPERATOR.get(text, text) if kind == "operator" else text.replace(",", "").replace("−", "-")
        if exponent and kind == "number":
            piece = "{" + piece + "}"
        elif exponent and kind == "open":
            piece = "{("
            close_brace_at.append(depth)
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
            if close_brace_at and close_brace_at[-1] == depth:
                close_brace_at.pop()
                piece = ")}"
        exponent = kind == "operator" and text == "^"
        parts.append(piece)
    return " ".join(parts)


def _text_arithmetic(prose: str) -> Iterator[tuple[int, str]]:
    """``(offset, tex)`` of each plain-text arithmetic claim in the prose (see the module docstring)."""
    run: _Run | None = None
    previous = ""  # the kind of the last token before the current one, spaces left out
    for match in _ARITHMETIC_TOKEN.finditer(prose):
        kind = match.lastgroup
        if kind == "space":
            continue
        if run is None or not run.take(match):
            goes_on = match.group() in _MATHLIKE  # "3 x 4 = 2 x n", "1 + 1 = 2 < 3": the claim is not all numbers
            if run is not None and not goes_on and (claim := run.claim(prose)) is not None:
                yield claim
            run = _Run(match) if kind in ("number", "open") and _starts_apart(prose, match.start(), previous) else None
        previous = _MATHLIKE.get(match.group(), kind)
    if run is not None and (claim := run.claim(prose)) is not None:
        yield claim


def _starts_apart(prose: str, start: int, previous: str) -> bool:
    """A claim may start here: not glued to the character before, and not continuing an expression before it."""
    glued = start > 0 and not (prose[start - 1].isspace() or prose[start - 1] in _BEFORE)
    return not glued and previous not in ("number", "operator", "equals", "close")


# --- notebooks -----------------------------------------------------------------------------------------------


def _notebook(text: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """Markdown cells as Markdown, code cells as code when the kernel is Python; each item knows its cell."""
    cells = _read_notebook(text)
    total = sum(len(source) for _, _, source in cells)
    if total > MAX_DOCUMENT:
        raise SymnetError(f"the notebook's cells have {total:,} characters, more than the limit of {MAX_DOCUMENT:,}")
    math: list[MathItem] = []
    code: list[CodeBlock] = []
    for index, kind, source in cells:
        if kind == "markdown":
            found_math, found_code = _markdown(source)
            math += [dataclasses.replace(item, cell=index) for item in found_math]
            code += [dataclasses.replace(block, cell=index) for block in found_code]
        elif kind == "code" and source.strip():
            code.append(CodeBlock(1, source if source.endswith("\n") else source + "\n", index))
    return math, code


def _read_notebook(text: str) -> list[tuple[int, str, str]]:
    """``(index, kind, source)`` of each cell; the kind of a code cell is ``"other"`` when the kernel is not Python.

    A notebook nbformat cannot read raises :class:`SymnetError` naming the problem.
    """
    try:
        with warnings.catch_warnings():  # nbformat warns about what it repairs (missing cell ids...)
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4, capture_validation_error={})
        cells = list(notebook.get("cells", []))
        language = _notebook_language(notebook.get("metadata", {}))
        found = []
        for index, cell in enumerate(cells, 1):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if not isinstance(source, str):
                raise TypeError(f"cell {index} has a source that is not text")
            kind = cell.get("cell_type", "")
            found.append((index, kind if kind != "code" or language in _PYTHON or language.startswith("python")
                          else "other", source))
        return found
    except Exception as error:  # whatever stops nbformat (JSON, version, schema): named in one line
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise SymnetError(f"not a notebook nbformat can read: {reason}") from None


def _notebook_language(metadata) -> str:
    """The kernel's language, lower case; Python when the notebook does not say."""
    kernel = metadata.get("kernelspec") or {}
    info = metadata.get("language_info") or {}
    return str(kernel.get("language") or info.get("name") or "python").lower()


# --- reStructuredText ----------------------------------------------------------------------------------------

#: docutils without file inclusion, raw output or messages: a document may not read other files.
_DOCUTILS = {"report_level": 5, "halt_level": 5, "file_insertion_enabled": False, "raw_enabled": False,
             "warning_stream": False, "input_encoding": "unicode", "traceback": True}  # errors raised, not printed


def _restructured(text: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """``:math:`` roles and ``.. math::`` blocks, and Python ``code`` blocks, each at the line of its text."""
    try:
        tree = publish_doctree(text, settings_overrides=_DOCUTILS)
    except (Exception, SystemExit) as error:  # docutils' failures, and its sys.exit after one: named in one line
        raise SymnetError(f"not reStructuredText docutils can read: {type(error).__name__}") from None
    lines = text.split("\n")
    math, code = [], []
    cursor: dict[int, int] = {}  # where the search for the next item of a block starts
    for node in tree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block, nodes.literal_block))):
        anchor = node.line or getattr(node.parent, "line", None) or 1
        body = node.astext()
        line = _line_of_text(lines, body.strip().split("\n")[0], max(cursor.get(anchor, anchor) - 1, 1))
        cursor[anchor] = line + 1 if isinstance(node, nodes.math) else anchor
        if isinstance(node, nodes.literal_block):
            if "python" in node.get("classes", []) or node.get("language") in _PYTHON:
                code.append(CodeBlock(line, body + "\n"))
        else:
            math.append(MathItem(line, _unwrap_environments(body), 0))
    return math, code


def _line_of_text(lines: list[str], piece: str, start: int) -> int:
    """The first line from ``start`` (1-based, looking a few lines back too) that holds ``piece``."""
    for number in range(max(start - 3, 1), min(start + 200, len(lines)) + 1):
        if piece and piece in lines[number - 1]:
            return number
    return start


# --- LaTeX ---------------------------------------------------------------------------------------------------

_TEX_SKIP = re.compile(
    r"%|\\begin\{(?P<code>lstlisting|verbatim|minted)\}|\\(?:verb|lstinline)\*?(?P<delimiter>[^\sa-zA-Z*{])|\\[\s\S]")
_CODE_OPTIONS = re.compile(r"(?:\[[^\]\n]*\])?")
_MINTED_LANGUAGE = re.compile(r"\{(?P<language>[^}\n]*)\}")
_TEX_MATH = re.compile(r"\\begin\{(?P<env>(?:equation|displaymath|math|align|alignat|flalign|gather|multline|eqnarray)"
                       r"\*?)\}(?:\{[0-9]+\})?|\\\(|\\\[|\\[\s\S]|\$\$|\$")


def _latex(text: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """The math and the code blocks of a LaTeX document."""
    masked, code = _tex_code(text)
    return _tex_math(masked), code


def _blank(text: str) -> str:
    """The text with every character but newlines replaced by a space (offsets and lines kept)."""
    return re.sub(r"[^\n]", " ", text)


def _tex_code(text: str) -> tuple[str, list[CodeBlock]]:
    """The code blocks, and the text with comments, ``\\verb`` and code blocks blanked out; one pass."""
    lines = _Lines(text)
    out, blocks, pos = [], [], 0
    while (match := _TEX_SKIP.search(text, pos)) is not None:
        out.append(text[pos:match.start()])
        if match.group() == "%":
            end = text.find("\n", match.start())
            end = len(text) if end < 0 else end
        elif match.group("delimiter") is not None:
            end = text.find(match.group("delimiter"), match.end(), _line_end(text, match.end()))
            end = match.end() if end < 0 else end + 1
        elif match.group("code") is not None:
            end = _code_environment(text, match, lines, blocks)
        else:
            end = match.end()  # an escaped character: \%, \$, \\
            out.append(match.group())
            pos = end
            continue
        out.append(_blank(text[match.start():end]))
        pos = end
    out.append(text[pos:])
    return "".join(out), blocks


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _code_environment(text: str, match: re.Match, lines: _Lines, blocks: list[CodeBlock]) -> int:
    """Read one lstlisting / verbatim / minted environment; add it to ``blocks`` if it is Python; return its end."""
    name = match.group("code")
    body_start = _CODE_OPTIONS.match(text, match.end()).end()
    language = _MINTED_LANGUAGE.match(text, body_start) if name == "minted" else None
    if language is not None:
        body_start = language.end()
    body_start += text.startswith("\n", body_start)
    closing = "\\end{" + name + "}"
    end = text.find(closing, body_start)
    if end < 0:
        return len(text)  # never closed: the rest is code
    if name != "minted" or (language is not None and language.group("language").strip().lower() in _PYTHON):
        blocks.append(CodeBlock(lines.line(body_start), textwrap.dedent(text[body_start:end])))
    return end + len(closing)


def _tex_math(text: str) -> list[MathItem]:
    """The math of a LaTeX text whose comments and code are blanked; each closer is searched once at most."""
    lines = _Lines(text)
    items, pos, unclosed = [], 0, set()
    while (match := _TEX_MATH.search(text, pos)) is not None:
        opener = match.group()
        if match.group("env") is not None:
            closer = "\\end{" + match.group("env") + "}"
        elif opener in ("\\(", "\\[", "$$", "$"):
            closer = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}[opener]
        else:  # an escaped character
            pos = match.end()
            continue
        end = -1 if closer in unclosed else _find_unescaped(text, closer, match.end())
        if end < 0:
            unclosed.add(closer)
            pos = match.end()
            continue
        tex = text[match.start():end + len(closer)] if match.group("env") else text[match.end():end]
        items.append(MathItem(lines.line(match.start()), _unwrap_environments(tex), match.start()))
        pos = end + len(closer)
    return items


def _find_unescaped(text: str, closer: str, start: int) -> int:
    """The next ``closer`` not preceded by an odd number of backslashes (``\\$`` is not a closing dollar), or -1."""
    while (end := text.find(closer, start)) >= 0:
        before = end
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (end - before) % 2 == 0:
            return end
        start = end + 1
    return -1

r"""Finding the math and the Python code in a Markdown (or plain text) or LaTeX document, with line numbers.

Math
    display blocks ``$$…$$``, ``\[…\]``, and the ``equation``, ``align``,
    ``gather`` and ``multline`` environments with their starred forms, and
    inline ``$…$`` / ``\(…\)``. In ``align``, the ``&`` are dropped and a row
    that starts with a relation continues the chain of the row before.
Code
    Markdown fenced blocks marked ``python`` or ``py``; in LaTeX,
    ``lstlisting``, ``minted{python}`` and ``verbatim`` blocks.

Math inside code blocks is not math, and LaTeX comments are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symnet.errors import SymnetError

__all__ = ["MathItem", "CodeBlock", "extract"]

#: The largest document read, in characters.
MAX_DOCUMENT = 2_000_000


@dataclass(frozen=True)
class MathItem:
    line: int
    tex: str
    start: int  # offset in the document, for annotation


@dataclass(frozen=True)
class CodeBlock:
    line: int  # the first line of code
    source: str


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$", re.M)
_ENVIRONMENTS = "equation|align|gather|multline|eqnarray|displaymath|math"
_DISPLAY = re.compile(
    r"\$\$(?P<dollars>.+?)\$\$|\\\[(?P<brackets>.+?)\\\]"
    r"|\\begin\{(?P<env>(?:" + _ENVIRONMENTS + r")\*?)\}(?P<body>.+?)\\end\{(?P=env)\}"
    r"|(?<![\\$])\$(?P<inline>[^$\n]+?)\$|\\\((?P<paren>.+?)\\\)",
    re.S,
)
_TEX_CODE = re.compile(
    r"\\begin\{(?P<env>lstlisting|verbatim)\}(?:\[[^\]]*\])?\n?(?P<code>.*?)\\end\{(?P=env)\}"
    r"|\\begin\{minted\}(?:\[[^\]]*\])?\{python\}\n?(?P<minted>.*?)\\end\{minted\}",
    re.S,
)
_RELATION_START = re.compile(r"^\s*(=|\\approx|\\le|\\leq|\\ge|\\geq|<|>|\\ne|\\neq)")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _blank(text: str, start: int, end: int) -> str:
    """The text with ``[start, end)`` replaced by spaces, newlines kept (so offsets and lines stay)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


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


def _markdown_code(text: str) -> tuple[str, list[CodeBlock]]:
    """Python blocks of fenced code, and the text with every fenced block blanked out."""
    blocks, masked, pos = [], text, 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            break
        fence = opening.group("fence")
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        close = closing.search(text, opening.end() + 1)
        end = close.end() if close else len(text)
        body = text[opening.end() + 1: close.start() if close else len(text)]
        language = opening.group("info").strip().split(" ")[0].lower()
        if language in ("python", "py", "python3", "pycon"):
            blocks.append(CodeBlock(_line_of(text, opening.end()) + 1, body))
        masked = _blank(masked, opening.start(), end)
        pos = end
    return masked, blocks


def _tex_code(text: str) -> tuple[str, list[CodeBlock]]:
    text = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)  # comments
    blocks, masked = [], text
    for match in _TEX_CODE.finditer(text):
        body = match.group("code") if match.group("code") is not None else match.group("minted")
        start = match.start("code") if match.group("code") is not None else match.start("minted")
        blocks.append(CodeBlock(_line_of(text, start), body))
        masked = _blank(masked, match.start(), match.end())
    return masked, blocks


def extract(text: str, kind: str) -> tuple[list[MathItem], list[CodeBlock]]:
    """The math and the Python blocks of a document; ``kind`` is ``"markdown"`` or ``"latex"``."""
    if len(text) > MAX_DOCUMENT:
        raise SymnetError(f"the document has {len(text):,} characters, more than the limit of {MAX_DOCUMENT:,}")
    masked, code = (_tex_code if kind == "latex" else _markdown_code)(text)
    if kind == "markdown":
        masked = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), masked)  # inline code
    math = []
    for match in _DISPLAY.finditer(masked):
        groups = match.groupdict()
        if groups["env"] is not None:
            tex = _align_rows(groups["body"]) if not groups["env"].startswith("equation") else groups["body"]
        else:
            tex = next(groups[k] for k in ("dollars", "brackets", "inline", "paren") if groups[k] is not None)
        math.append(MathItem(_line_of(masked, match.start()), tex, match.start()))
    return math, code

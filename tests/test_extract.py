"""symnet.check.extract: the math and the code of Markdown, notebooks and LaTeX, at exact lines."""

from __future__ import annotations

import json

import nbformat
import pytest

from symnet.budget import time_limit
from symnet.check.extract import MAX_DOCUMENT, CodeBlock, MathItem, extract
from symnet.errors import SymnetError


def _math(text: str, kind: str = "markdown") -> list[tuple[int, str]]:
    """(line, tex with its spaces collapsed) of each math item (formulas and plain-text arithmetic)."""
    return [(item.line, " ".join(item.tex.split())) for item in extract(text, kind)[0]]


def _formulas(text: str, kind: str = "markdown") -> list[tuple[int, str]]:
    return [(item.line, " ".join(item.tex.split())) for item in extract(text, kind)[0] if item.origin == "math"]


def _arithmetic(text: str) -> list[tuple[int, str]]:
    return [(item.line, item.tex) for item in extract(text, "markdown")[0] if item.origin == "text"]


def _code(text: str, kind: str = "markdown") -> list[tuple[int, str]]:
    return [(block.line, block.source) for block in extract(text, kind)[1]]


# --- Markdown: dollars -------------------------------------------------------------------------------------


def test_dollar_math_inline_and_display_at_their_lines():
    text = ("# Title\n"                                  # 1
            "\n"                                         # 2
            "Inline $a = 1$ and $b = 2$ here.\n"         # 3
            "\n"                                         # 4
            "$$ c = 3 $$\n"                              # 5
            "\n"                                         # 6
            "$$\n"                                       # 7
            "d = 4\n"                                    # 8
            "$$\n"                                       # 9
            "A paragraph whose math $e\n"                # 10
            "= 5$ crosses a line break, then $f = 6$.\n"  # 11
            "$$ g = 7 $$Text glued after, $h = 8$.\n"   # 12
            "\n"                                         # 13
            "$$ i = 9 $$ (eq:i)\n")                      # 14
    assert _math(text) == [(3, "a = 1"), (3, "b = 2"), (5, "c = 3"), (8, "d = 4"), (10, "e = 5"), (11, "f = 6"),
                           (12, "g = 7"), (12, "h = 8"), (14, "i = 9")]


def test_inline_math_repeated_in_a_paragraph_keeps_each_line():
    text = "Intro.\n\nWe use $x$ here,\nthen the word x\nand $x$ again,\nand $x$ once more.\n"
    assert _math(text) == [(3, "x"), (5, "x"), (6, "x")]


def test_money_is_not_math_but_math_beside_it_is():
    text = "It costs $5 and $10 in total.\n\nA formula $x + 1 = 2$ and the price $20, not $ 3 $.\n"
    assert _math(text) == [(3, "x + 1 = 2")]


# --- Markdown: brackets ------------------------------------------------------------------------------------


def test_brackets_single_and_doubled_leave_no_backslash():
    text = ("Single \\(a = 1\\) and doubled \\\\(b = 2\\\\) inline.\n"  # 1
            "\n"                                                       # 2
            "Display \\[c = 3\\] and \\\\[d = 4\\\\] in a paragraph.\n"  # 3
            "\n"                                                       # 4
            "\\[\n"                                                    # 5
            "e = 5\n"                                                  # 6
            "\\]\n"                                                    # 7
            "\n"                                                       # 8
            "\\\\[\n"                                                  # 9
            "  f = 6\n"                                                # 10
            "\\\\]\n"                                                  # 11
            "Right after a paragraph:\n"                               # 12
            "\\[ g = 7 \\]\n")                                         # 13
    items = extract(text, "markdown")[0]
    assert [(i.line, i.tex.strip()) for i in items] == [(1, "a = 1"), (1, "b = 2"), (3, "c = 3"), (3, "d = 4"),
                                                        (6, "e = 5"), (10, "f = 6"), (13, "g = 7")]
    assert not any("\\" in i.tex for i in items)


def test_bracket_display_with_a_matrix_inside_is_one_formula():
    text = "Text\n\\[\nA = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}\n- B\n\\]\n"
    assert _math(text) == [(3, "A = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix} - B")]


# --- Markdown: environments ------------------------------------------------------------------------------------


def test_amsmath_environments_in_markdown_and_inside_dollars():
    text = ("\\begin{align}\n"                        # 1
            "z &= 2 + 1 \\\\\n"                       # 2
            "  &= 3 \\\\\n"                           # 3
            "y &= 4 \\label{eq:y}\n"                  # 4
            "\\end{align}\n"                          # 5
            "\n"                                      # 6
            "\\begin{equation*}\n"                    # 7
            "a = 1 \\\\ b\n"                          # 8
            "\\end{equation*}\n"                      # 9
            "\n"                                      # 10
            "\\begin{gather}\n"                       # 11
            "c = 1 \\\\ d = 2\n"                      # 12
            "\\end{gather}\n"                         # 13
            "\n"                                      # 14
            "\\begin{multline*}\n"                    # 15
            "e = 1 \\\\ = 1\n"                        # 16
            "\\end{multline*}\n"                      # 17
            "\n"                                      # 18
            "$$\\begin{align} f &= 1 \\\\ &= 1 \\end{align}$$\n"  # 19
            "\n"                                      # 20
            "$$\n"                                    # 21
            "\\begin{aligned}\n"                      # 22
            "g &= 2 \\\\\n"                           # 23
            "h &= 3\n"                                # 24
            "\\end{aligned}\n"                        # 25
            "$$\n")                                   # 26
    assert _math(text) == [(2, "z = 2 + 1 = 3 , y = 4"), (8, "a = 1 \\\\ b"), (12, "c = 1 , d = 2"),
                           (16, "e = 1 = 1"), (19, "f = 1 = 1"), (23, "g = 2 , h = 3")]


# --- Markdown: containers ----------------------------------------------------------------------------------------


def test_math_in_blockquotes_lists_and_tables():
    text = ("> Quoted $a = 1$ and\n"        # 1
            "> $b\n"                        # 2
            "> = 2$.\n"                     # 3
            ">\n"                           # 4
            "> $$\n"                        # 5
            "> c = 3\n"                     # 6
            "> $$\n"                        # 7
            "\n"                            # 8
            "- item $d = 4$\n"              # 9
            "- item\n"                      # 10
            "  $$\n"                        # 11
            "  e = 5\n"                     # 12
            "  $$\n"                        # 13
            "\n"                            # 14
            "| x | y |\n"                   # 15
            "|---|---|\n"                   # 16
            "| $f = 6$ | 1 |\n"             # 17
            "| 2 | $g = 7$ |\n")            # 18
    items = extract(text, "markdown")[0]
    assert [(i.line, " ".join(i.tex.split())) for i in items] == [
        (1, "a = 1"), (2, "b = 2"), (6, "c = 3"), (9, "d = 4"), (12, "e = 5"), (17, "f = 6"), (18, "g = 7")]
    assert not any(">" in i.tex for i in items)


# --- Markdown: what is not math ------------------------------------------------------------------------------


def test_comments_html_code_and_front_matter_are_not_math():
    text = ("---\n"                                   # 1
            "title: $a = 1$\n"                        # 2
            "total: 2 + 2 = 5\n"                      # 3
            "---\n"                                   # 4
            "<!-- $b = 2$\n"                          # 5
            "and 3 + 3 = 7 -->\n"                     # 6
            "\n"                                      # 7
            "<div>\n"                                 # 8
            "$c = 3$ and 4 + 4 = 9\n"                 # 9
            "</div>\n"                                # 10
            "\n"                                      # 11
            "    $d = 4$ indented code, 5 + 5 = 11\n"  # 12
            "\n"                                      # 13
            "```bash\n"                               # 14
            "$e = 5$ and 6 + 6 = 13\n"                # 15
            "```\n"                                   # 16
            "\n"                                      # 17
            "A span `$f = 6$ 7 + 7 = 15`, a comment <!-- $g = 7$ 8 + 8 = 17 --> and $h = 8$.\n")  # 18
    assert _math(text) == [(18, "h = 8")]
    assert _code(text) == []


# --- Markdown: MyST -------------------------------------------------------------------------------------------


def test_myst_math_directives_and_math_fences():
    text = ("```{math}\n"          # 1
            ":label: eq1\n"        # 2
            "a = 1\n"              # 3
            "```\n"                # 4
            "\n"                   # 5
            ":::{math}\n"          # 6
            ":label: eq2\n"        # 7
            ":nowrap:\n"           # 8
            "b = 2\n"              # 9
            "\n"                   # 10
            "c = 3\n"              # 11
            ":::\n"                # 12
            "\n"                   # 13
            "```{math}\n"          # 14
            "---\n"                # 15
            "label: eq3\n"         # 16
            "---\n"                # 17
            "d = 4\n"              # 18
            "```\n"                # 19
            "\n"                   # 20
            "```math\n"            # 21
            "e = 5\n"              # 22
            "```\n"                # 23
            "\n"                   # 24
            ":::{note}\n"          # 25
            "not read\n"           # 26
            ":::\n")               # 27
    assert _math(text) == [(3, "a = 1"), (9, "b = 2"), (11, "c = 3"), (18, "d = 4"), (22, "e = 5")]


# --- Markdown: code -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("info", ["python", "py", "python3", "ipython", "ipython3", "pycon", "Python title=x",
                                  "{code-cell} python", "{code-cell} ipython3"])
def test_python_fences_are_code(info):
    text = f"Text\n\n```{info}\nx = 1\nprint(x)\n```\n"
    assert _code(text) == [(4, "x = 1\nprint(x)\n")]


@pytest.mark.parametrize("info", ["", "text", "javascript", "{code-cell} r", "{code-cell}", "{math}"])
def test_other_fences_are_not_code(info):
    assert _code(f"```{info}\nx = 1\n```\n") == []


def test_code_cell_options_are_skipped_and_lines_kept():
    text = "```{code-cell} ipython3\n:tags: [hide-input]\n\nx = 1\n```\n\n```{code-cell} python\n---\ntags: [a]\n---\ny = 2\n```\n"
    assert _code(text) == [(3, "\nx = 1\n"), (11, "y = 2\n")]


def test_fence_in_a_list_item_is_dedented_as_it_runs():
    text = ("1. Step one:\n"          # 1
            "\n"                      # 2
            "   ```python\n"          # 3
            "   def f(x):\n"          # 4
            "       return x + 1\n"   # 5
            "   print(f(1))\n"        # 6
            "   ```\n"                # 7
            "2. Step two:\n"          # 8
            "   > ```py\n"            # 9
            "   > y = 2\n"            # 10
            "   > ```\n")             # 11
    assert _code(text) == [(4, "def f(x):\n    return x + 1\nprint(f(1))\n"), (10, "y = 2\n")]


# --- plain-text arithmetic ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, tex", [
    ("(5*3)+5 = 20", r"( 5 \cdot 3 ) + 5 = 20"),
    ("(8 x 6 x 3 x 3) + 8 = 440", r"( 8 \times 6 \times 3 \times 3 ) + 8 = 440"),
    ("12 + 20 + 9 = 41 parameters", "12 + 20 + 9 = 41"),
    ("3 × 4 = 12", r"3 \times 4 = 12"),
    ("784 * 128 + 128 = 100480", r"784 \cdot 128 + 128 = 100480"),
    ("2^10 = 1024", "2 ^ {10} = 1024"),
    ("2^(3+1) = 16", "2 ^ {( 3 + 1 )} = 16"),
    ("1,024 + 512 = 1,536", "1024 + 512 = 1536"),
    ("8x6 = 48", r"8 \times 6 = 48"),
    ("4x4 = 16", r"4 \times 4 = 16"),
    ("2 · 3 = 6", r"2 \cdot 3 = 6"),
    ("7 ÷ 2 = 3.5", "7 / 2 = 3.5"),
    ("0.5 - 0.25 = 0.25", "0.5 - 0.25 = 0.25"),
    ("-3 + 5 = 2", "-3 + 5 = 2"),
    ("9 − 4 = 5", "9 - 4 = 5"),
    ("2 + 2 = 3 + 1 = 4", "2 + 2 = 3 + 1 = 4"),
    ("**12 + 20 = 32** in bold", "12 + 20 = 32"),
    ("12 + 20 = **32**", "12 + 20 = 32"),
    ("2*3*4 = 24 (not emphasis)", r"2 \cdot 3 \cdot 4 = 24"),
    ("5 \\* 3 = 15 escaped", r"5 \cdot 3 = 15"),
    ("(total: 2 + 3 = 5)", "2 + 3 = 5"),
    ("(2 + 3 = 5)", "2 + 3 = 5"),
    ("So 1 + 1 = 3, wrong.", "1 + 1 = 3"),
    ("Total: 6 / 2 = 3.", "6 / 2 = 3"),
])
def test_plain_text_arithmetic_is_read(text, tex):
    assert _arithmetic(f"Some prose.\n\nThe count {text}\n") == [(3, tex)]


@pytest.mark.parametrize("text", [
    "released 2020-01-01 = 2019-12-31 + 1 day",
    "upgrade from 3.11.2 + 1 = 3.11.3",
    "pages 10-20 = 11 pages",
    "call 555-1234 + 1 = 555-1235",
    "set x = 5 and y = 2 + 3",
    "1 = yes, 0 = no",
    "at 10:30 + 5 = 10:35",
    "a 4x4 kernel",
    "n + 1 + 1 = 5",
    "0x10 = 16",
    "1 + 1 = 2n",
    "1 + 1 = 2 + n",
    "3 x 4 = 2 x n",
    "1 + 1 = 2 < 3",
    "50% + 20% = 70%",
    "$5 + $10 = $15",
    "1e5 + 1 = 100001",
    "2 + 2 == 4",
    "2**10 = 1024",
    "v2 + 2 = 4",
    "f(2 + 2) = 4",
    "3.5 = 7 / 2 = 3,5",
    "1,5 + 1 = 2,5",
    "a = 1 + 1 = 2",
    "[2 + 2 = 5](https://example.com)",
    "https://example.com/?q=1+1=3",
    "<span>2 + 2 = 5</span>",
    "step 2) 10 - 1 = 9",
    "(1) 2 + 2 = 4",
])
def test_what_only_looks_like_arithmetic_is_not_read(text):
    assert _arithmetic(f"Some prose.\n\nThe case {text} here.\n") == []


def test_plain_text_arithmetic_where_it_is_and_is_not_read():
    text = ("# Heading 1 + 1 = 2\n"             # 1
            "\n"                                # 2
            "A paragraph that wraps and\n"      # 3
            "says 2 + 2 = 4 on its second line.\n"  # 4
            "\n"                                # 5
            "1. 3 + 4 = 7 in a list item\n"     # 6
            "2. and `5 + 5 = 11` in a span\n"   # 7: a code span of arithmetic only is read
            "\n"                                # 8
            "> quoted 6 x 7 = 42\n"             # 9
            "\n"                                # 10
            "| a | b |\n"                       # 11
            "|---|---|\n"                       # 12
            "| 8 / 2 = 4 | $9 + 9 = 18$ |\n"     # 13
            "\n"                                # 14
            "```\n"                             # 15
            "10 + 10 = 21\n"                    # 16
            "```\n")                            # 17
    items = extract(text, "markdown")[0]
    assert [(i.line, i.tex, i.origin) for i in items] == [
        (1, "1 + 1 = 2", "text"), (4, "2 + 2 = 4", "text"), (6, "3 + 4 = 7", "text"), (7, "5 + 5 = 11", "text"),
        (9, r"6 \times 7 = 42", "text"),
        (13, "8 / 2 = 4", "text"), (13, "9 + 9 = 18", "math")]


def test_plain_text_file_reads_as_markdown():
    text = "Notes\nlayer 1: 784 * 128 + 128 = 100480\nlayer 2: 128 * 10 + 10 = 1290 weights\n"
    assert _arithmetic(text) == [(2, r"784 \cdot 128 + 128 = 100480"), (3, r"128 \cdot 10 + 10 = 1290")]


# --- notebooks ------------------------------------------------------------------------------------------------


def _notebook(cells, language="python", kernel=True) -> str:
    notebook = nbformat.v4.new_notebook()
    if kernel:
        notebook.metadata["kernelspec"] = {"name": language, "language": language, "display_name": language}
    else:
        notebook.metadata["language_info"] = {"name": language}
    notebook.cells = cells
    return nbformat.writes(notebook)


def test_notebook_cells_are_read_with_their_index_and_lines():
    text = _notebook([
        nbformat.v4.new_markdown_cell("# Title\n\nWe have $a = 1$\nand 2 + 2 = 4."),
        nbformat.v4.new_code_cell("x = 1\nprint(x)  # → 1"),
        nbformat.v4.new_raw_cell("$b = 2$ and 3 + 3 = 6"),
        nbformat.v4.new_code_cell(""),
        nbformat.v4.new_markdown_cell("Text\n\n```python\ny = 2\n```\n$$\nc = 3\n$$"),
    ])
    math, code = extract(text, "notebook")
    assert math == [MathItem(3, "a = 1", 17, cell=1), MathItem(4, "2 + 2 = 4", 29, cell=1, origin="text"),
                    MathItem(7, "\nc = 3\n", 26, cell=5)]  # the line of "c = 3"
    assert code == [CodeBlock(1, "x = 1\nprint(x)  # → 1\n", cell=2), CodeBlock(4, "y = 2\n", cell=5)]


@pytest.mark.parametrize("language, kernel", [("R", True), ("julia", False)])
def test_notebook_code_cells_of_other_languages_are_not_code(language, kernel):
    text = _notebook([nbformat.v4.new_code_cell("x <- 1"), nbformat.v4.new_markdown_cell("$a = 1$")], language, kernel)
    math, code = extract(text, "notebook")
    assert code == [] and [(m.cell, m.tex) for m in math] == [(2, "a = 1")]


def test_notebook_with_large_outputs_is_read():
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "A" * (MAX_DOCUMENT + 10)})]
    assert extract(_notebook([cell]), "notebook")[1] == [CodeBlock(1, "print(1)\n", cell=1)]


@pytest.mark.parametrize("text, reason", [
    ("{not json", "does not appear to be JSON"),
    ('{"nbformat": 9, "nbformat_minor": 0}', "Unsupported nbformat version 9"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"cell_type": "markdown", "source": 5, "metadata": {}}]}), "not text"),
    ("[]", "not a notebook"),
])
def test_unreadable_notebook_raises_a_one_line_error(text, reason):
    with pytest.raises(SymnetError, match=reason) as error:
        extract(text, "notebook")
    assert "\n" not in str(error.value) and "not a notebook" in str(error.value)


# --- LaTeX ----------------------------------------------------------------------------------------------------


def test_latex_math_environments_comments_and_escapes():
    text = ("\\documentclass{article}\n"                    # 1
            "% $1 + 1 = 3$ is a comment\n"                  # 2
            "\\begin{align*}\n"                             # 3
            "  z &= 2 \\cdot 3 + 1 \\\\\n"                  # 4
            "    &= 7 % a comment in math\n"                # 5
            "\\end{align*}\n"                               # 6
            "Inline \\(a = 1\\), $b = 2$, a price \\$5 and \\% sign.\n"  # 7
            "\\begin{equation}\n"                           # 8
            "c = 3 \\label{eq:c}\n"                         # 9
            "\\end{equation}\n"                             # 10
            "\\[ \\begin{aligned} d &= 4 \\\\ &= 2 + 2 \\end{aligned} \\]\n"  # 11
            "$$e = 5$$ and $f\n"                            # 12
            "= 6$\n"                                        # 13
            "\\verb|$g = 7$| is code\n")                    # 14
    assert _math(text, "latex") == [(4, "z = 2 \\cdot 3 + 1 = 7"), (7, "a = 1"), (7, "b = 2"),
                                    (9, "c = 3 \\label{eq:c}"), (11, "d = 4 = 2 + 2"), (12, "e = 5"), (12, "f = 6")]


def test_latex_code_environments():
    text = ("\\begin{lstlisting}[language=Python]\n"   # 1
            "print(7 % 3)  # $1 = 2$\n"                # 2
            "\\end{lstlisting}\n"                      # 3
            "\\begin{verbatim}\n"                      # 4
            "    x = 1\n"                              # 5
            "\\end{verbatim}\n"                        # 6
            "\\begin{minted}[linenos]{python}\n"       # 7
            "y = 2\n"                                  # 8
            "\\end{minted}\n"                          # 9
            "\\begin{minted}{cpp}\n"                   # 10
            "int z = $3$;\n"                           # 11
            "\\end{minted}\n"                          # 12
            "$w = 4$\n")                               # 13
    assert _code(text, "latex") == [(2, "print(7 % 3)  # $1 = 2$\n"), (5, "x = 1\n"), (8, "y = 2\n")]
    assert _math(text, "latex") == [(13, "w = 4")]


# --- limits and linear time -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("\\(" * 200_000, "latex"),
    ("$" + "\\[" * 200_000, "latex"),
    ("\\begin{align}" * 100_000, "latex"),
    ("\\(" * 200_000, "markdown"),
    ("\\\\[" * 100_000, "markdown"),
    ("\\[\n" * 100_000, "markdown"),
    ("\\begin{align}\n" * 50_000, "markdown"),
    ("1 + " * 100_000 + "= 3", "markdown"),
], ids=["latex-paren", "latex-bracket", "latex-align", "md-paren", "md-doubled", "md-bracket-lines", "md-align",
        "md-arithmetic"])
def test_unclosed_delimiters_are_scanned_in_linear_time(text, kind):
    """Each case takes many minutes when every opener searches to the end of the document, and under a second when
    the scan is linear: a hang guard of two minutes, not a speed measurement, tells the two apart."""
    with time_limit(120, "extracting from unclosed delimiters"):
        assert extract(text, kind)[0] == []


def test_limits_and_kinds():
    with pytest.raises(SymnetError, match="more than the limit"):
        extract("x" * (MAX_DOCUMENT + 1), "markdown")
    with pytest.raises(SymnetError, match="unknown kind of document 'html'"):
        extract("", "html")


def test_plain_text_notes_in_a_text_fence_have_their_arithmetic_read():
    text = "Notes:\n\n```text\nFor reward = [1, 0]:\n1 - 0.5 / 0.5774 ≈ 0.8659\n3 x 4 = 12\n```\n\n```\n5 + 5 = 11\n```\n"
    assert [(i.line, i.tex, i.origin) for i in extract(text, "markdown")[0]] == [
        (5, "1 - 0.5 / 0.5774 ≈ 0.8659", "text"), (6, "3 \\times 4 = 12", "text")]


def test_code_spans_that_are_only_arithmetic_are_read_with_their_unit_dropped():
    text = ("Hint: `(3x3x3x10) + 10 = 280`, memory `2 * 32768 * 4096 / 2**30 = 0.25GiB`, and `2+4=6`.\n"
            "Not these: `x = 5`, `print(2 + 2)`, `50%`, `a = 1 + 1`, `v1.2 = 3`.\n")
    assert [(i.line, i.tex) for i in extract(text, "markdown")[0]] == [
        (1, "( 3 \\times 3 \\times 3 \\times 10 ) + 10 = 280"), (1, "2 \\cdot 32768 \\cdot 4096 / 2 ^ {30} = 0.25"),
        (1, "2 + 4 = 6")]


def test_a_scale_after_the_result_of_a_code_span_multiplies_it():
    text = "`28 * 28 * 16 * 192 = 2.5 Mil`, `2 * 3 = 6K`, `7 * 1 = 7B`; not `2 * 3 = 6 K` or `4 * 5 = 20 apples`\n"
    assert [i.tex for i in extract(text, "markdown")[0]] == [
        "28 \\cdot 28 \\cdot 16 \\cdot 192 = 2.5 \\times 10^{6}", "2 \\cdot 3 = 6 \\times 10^{3}",
        "7 \\cdot 1 = 7 \\times 10^{9}"]


def test_restructuredtext_reads_no_other_file(tmp_path):
    other = tmp_path / "other.rst"
    other.write_text("Included :math:`1 + 1 = 3` here.\n", encoding="utf-8")
    text = f".. include:: {other}\n\n.. raw:: html\n   :file: {other}\n\n.. csv-table::\n   :file: {other}\n\nOwn :math:`a = 1`.\n"
    assert [i.tex for i in extract(text, "rst")[0]] == ["a = 1"]


def test_restructuredtext_math_roles_blocks_and_code_at_their_lines():
    text = ("Title\n"                                   # 1
            "=====\n"                                   # 2
            "\n"                                        # 3
            "Some text with :math:`a = 1` and\n"        # 4
            "more :math:`b = 2` here.\n"                # 5
            "\n"                                        # 6
            ".. math::\n"                               # 7
            "\n"                                        # 8
            "   c = 3\n"                                # 9
            "\n"                                        # 10
            ".. code:: python\n"                        # 11
            "\n"                                        # 12
            "   print(2 + 2)  # → 4\n"                  # 13
            "\n"                                        # 14
            ".. include:: /etc/passwd\n")               # 15: file inclusion is off
    math, code = extract(text, "rst")
    assert [(i.line, i.tex) for i in math] == [(4, "a = 1"), (5, "b = 2"), (9, "c = 3")]
    assert code == [CodeBlock(13, "print(2 + 2)  # → 4\n")]

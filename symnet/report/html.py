"""A :class:`~symnet.report.document.Document` as one self-contained HTML page.

Math is MathML converted from the same LaTeX the LaTeX rendering uses
(latex2mathml), which browsers render natively; figures are PNG data URIs;
there are no scripts, fonts or style sheets to fetch, so the page reads
offline. A formula latex2mathml cannot convert is shown as its LaTeX source
and counted in :attr:`HtmlPage.fallbacks`, never dropped.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from latex2mathml.converter import convert

from symnet.report.document import Code, Document, Figure, Heading, Math, Paragraph, Steps, Table
from symnet.printing.latex import cell_latex

__all__ = ["HtmlPage", "document_html", "mathml_source"]

_STYLE = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.8rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
math[display=block] { margin: .8rem 0; overflow-x: auto; }
.display { overflow-x: auto; }
table { border-collapse: collapse; margin: .8rem auto; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; text-align: right; vertical-align: middle; }
th { border-bottom: 2px solid #555; }
caption { caption-side: bottom; font-size: .9rem; color: #444; padding-top: .4rem; }
table.steps td { border: none; padding: .3rem .4rem; }
table.steps td.lhs { text-align: right; }
table.steps td.rel { text-align: center; }
table.steps td.rhs { text-align: left; }
table.steps td.why { text-align: left; color: #444; font-size: .92rem; padding-left: 1.5rem; }
td.mark { font-weight: bold; }
td.mark.proven, td.mark.definition, td.mark.numeric { color: #1a7f37; }
td.mark.false, td.mark.unchecked { color: #c62828; }
td.mark.computed, td.mark.arithmetic { color: #57606a; }
.verdict { font-style: italic; color: #1a7f37; }
.verdict.failed { color: #c62828; font-weight: bold; }
.derivation { overflow-x: auto; margin-bottom: 1.2rem; }
figure { margin: 1.2rem 0; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #444; }
pre { background: #f5f5f5; padding: .8rem; overflow-x: auto; font-size: .88rem; }
code.tex { color: #8a4b00; }
"""


@dataclass
class HtmlPage:
    """The page's text and the formulas that had to be shown as LaTeX source."""

    text: str
    fallbacks: list[str] = field(default_factory=list)


#: Text-mode escapes (as :func:`~symnet.printing.latex.tex_text` writes them) and their characters.
_TEXT_ESCAPES = {r"\textbackslash{}": "\\", r"\ldots{}": "…", r"\_": "_", r"\&": "&", r"\%": "%", r"\#": "#",
                 r"\{": "{", r"\}": "}", r"\^{}": "^", r"\~{}": "~"}
#: Signs of a construct latex2mathml passed through instead of converting: a command or an alignment ``&`` as text.
_LEFT_BEHIND = re.compile(r">[^<]*\\[A-Za-z][^<]*<|<mi>&(amp;)?</mi>")
_TEXT_COMMAND = re.compile(r"\\text\{((?:[^{}]|\\[{}]|\{\})*)\}")


def mathml_source(tex: str) -> str:
    """The LaTeX adapted to what latex2mathml reads correctly (checked for every construct symnet writes).

    * ``aligned`` becomes ``align*``: latex2mathml 3.81 builds a table for the
      second and prints the ``&`` of the first as text;
    * text-mode escapes inside ``\\text{…}`` (``\\_``, ``\\&``, …) become the
      characters, which latex2mathml would otherwise show with their backslash.
    """
    tex = tex.replace(r"\begin{aligned}", r"\begin{align*}").replace(r"\end{aligned}", r"\end{align*}")

    def unescape(match: re.Match) -> str:
        text = match.group(1)
        for escape, char in _TEXT_ESCAPES.items():
            text = text.replace(escape, char)
        return r"\text{" + text + "}"

    return _TEXT_COMMAND.sub(unescape, tex)


class _Renderer:
    def __init__(self):
        self.fallbacks: list[str] = []

    def math(self, tex: str, display: bool = False) -> str:
        """MathML for ``tex``; when conversion fails or leaves LaTeX behind, the source in ``<code class="tex">``."""
        try:
            mathml = convert(mathml_source(tex), display="block" if display else "inline")
        except Exception:  # latex2mathml raises many types; the formula is kept and counted
            mathml = None
        if mathml is None or _LEFT_BEHIND.search(mathml):
            self.fallbacks.append(tex)
            return f'<code class="tex">{html.escape(tex)}</code>'
        return mathml

    def text(self, text: str) -> str:
        """Text with ``$…$`` inline math."""
        parts = text.split("$")
        if len(parts) % 2 == 0:  # an unmatched $ is a dollar sign
            return html.escape(text)
        return "".join(self.math(part) if i % 2 else html.escape(part) for i, part in enumerate(parts))

    def cell(self, value) -> str:
        return self.text(value if isinstance(value, str) else cell_latex(value))

    def block(self, block) -> str:
        if isinstance(block, Heading):
            return f"<h2>{self.text(block.text)}</h2>"
        if isinstance(block, Paragraph):
            return f"<p>{self.text(block.text)}</p>"
        if isinstance(block, Math):
            return f'<div class="display">{self.math(block.latex, display=True)}</div>'
        if isinstance(block, Steps):
            return self.steps(block)
        if isinstance(block, Figure):
            data = base64.b64encode(block.image("png")).decode("ascii")
            caption = self.text(block.caption)
            return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block.caption)}">'
                    f"<figcaption>{caption}</figcaption></figure>")
        if isinstance(block, Table):
            caption = f"<caption>{self.text(block.caption)}</caption>" if block.caption else ""
            head = "".join(f"<th>{self.text(h)}</th>" for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{self.cell(v)}</td>" for v in row) + "</tr>" for row in block.rows)
            return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        if isinstance(block, Code):
            return f"<pre><code>{html.escape(block.source)}</code></pre>"
        raise TypeError(f"not a document block: {type(block).__name__}")

    def steps(self, block: Steps) -> str:
        derivation, report = block.derivation, block.report
        results = iter(report.results)
        tables = []
        for rows in derivation.latex_rows():
            lines = []
            for left, relation, right, why in rows:
                result = next(results)
                lines.append(
                    f'<tr><td class="lhs">{self.math(left) if left else ""}</td>'
                    f'<td class="rel">{self.math(relation)}</td><td class="rhs">{self.math(right)}</td>'
                    f'<td class="why">{self.text(why)}</td>'
                    f'<td class="mark {result.status}" title="{html.escape(result.status + ": " + result.detail)}">'
                    f"{result.status.mark}</td></tr>"
                )
            tables.append('<table class="steps">' + "".join(lines) + "</table>")
        summary = f"<p>{self.text(derivation.summary)}</p>" if derivation.summary else ""
        verdict_class = "verdict" if report else "verdict failed"
        verdict = f'<p class="{verdict_class}">SymPy: {html.escape(report.verdict)}</p>'
        return (f'<div class="derivation"><h3>{self.text(derivation.title)}</h3>{summary}'
                + "".join(tables) + verdict + "</div>")


def document_html(document: Document) -> HtmlPage:
    """The whole page: inline CSS, MathML, PNG data URIs; nothing to download."""
    renderer = _Renderer()
    body = "\n".join(renderer.block(b) for b in document.blocks)
    text = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(document.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(document.title)}</h1>\n{body}\n</body>\n</html>\n"
    )
    return HtmlPage(text, renderer.fallbacks)

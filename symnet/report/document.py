r"""One document model, two renderings: LaTeX (for pdflatex) and HTML (see :mod:`symnet.report.html`).

A :class:`Document` is a title and a list of blocks:

=================  ==========================================================
:class:`Heading`   a section title
:class:`Paragraph` text with inline math between ``$`` signs
:class:`Math`      a display formula (its LaTeX body, e.g. ``\begin{aligned}…``)
:class:`Steps`     a derivation with its verification report
:class:`Figure`    a Matplotlib figure with a caption
:class:`Table`     headers and rows of text, numbers or SymPy objects
:class:`Code`      source code, shown verbatim
=================  ==========================================================

Every piece of math is kept as LaTeX, so the LaTeX rendering is the source
and the HTML rendering converts the same strings to MathML.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symnet.printing.latex import PACKAGES, latex_table, tex_text

__all__ = [
    "Code",
    "Document",
    "Figure",
    "Heading",
    "Math",
    "Paragraph",
    "Steps",
    "Table",
    "document_latex",
    "write_latex",
]

#: Packages the LaTeX rendering needs beyond symnet's math: graphicx for figures, float to keep them in place.
DOCUMENT_PACKAGES = PACKAGES + ("graphicx", "float")
#: Where :func:`write_latex` puts the figures, relative to the .tex file.
FIGURE_DIR = "figures"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Text; ``$…$`` marks inline math (LaTeX)."""

    text: str


@dataclass(frozen=True)
class Math:
    """A display formula: the LaTeX that goes between ``\\[`` and ``\\]``."""

    latex: str


@dataclass(frozen=True)
class Steps:
    """A :class:`~symnet.derive.Derivation` and the :class:`~symnet.derive.Report` of its verification."""

    derivation: Any
    report: Any


@dataclass(frozen=True)
class Figure:
    """A Matplotlib figure; ``name`` is its file name (without extension) in the LaTeX rendering."""

    figure: Any
    name: str
    caption: str

    def image(self, fmt: str) -> bytes:
        """The figure as ``png`` or ``pdf`` bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
        return buffer.getvalue()


@dataclass(frozen=True)
class Table:
    """Cells: text (``$…$`` for math), Python numbers, or SymPy objects (printed as math)."""

    headers: tuple
    rows: tuple
    caption: str | None = None


@dataclass(frozen=True)
class Code:
    source: str


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def derivations(self) -> list[Steps]:
        return [b for b in self.blocks if isinstance(b, Steps)]


# --- LaTeX ---------------------------------------------------------------------------------


def _block_latex(block) -> str:
    if isinstance(block, Heading):
        return f"\\section*{{{tex_text(block.text)}}}"
    if isinstance(block, Paragraph):
        return tex_text(block.text)
    if isinstance(block, Math):
        return f"\\[\n{block.latex}\n\\]"
    if isinstance(block, Steps):
        title = f"\\paragraph{{{tex_text(block.derivation.title)}}}"
        summary = f"\n{tex_text(block.derivation.summary)}" if block.derivation.summary else ""
        verdict = f"\n\n\\noindent\\emph{{SymPy: {tex_text(block.report.verdict)}}}"
        return title + summary + "\n" + block.derivation.latex(justify="tag") + verdict
    if isinstance(block, Figure):
        return (
            "\\begin{figure}[H]\n\\centering\n"
            f"\\includegraphics[width=0.85\\linewidth,height=0.4\\textheight,keepaspectratio]"
            f"{{{FIGURE_DIR}/{block.name}.pdf}}\n"
            f"\\caption{{{tex_text(block.caption)}}}\n\\end{{figure}}"
        )
    if isinstance(block, Table):
        return latex_table(block.headers, block.rows, block.caption, placement="H")
    if isinstance(block, Code):
        return "{\\small\n\\begin{verbatim}\n" + block.source.rstrip("\n") + "\n\\end{verbatim}\n}"
    raise TypeError(f"not a document block: {type(block).__name__}")


def document_latex(document: Document) -> str:
    """The document as one LaTeX source (amsmath, amssymb, graphicx); figures are read from ``figures/NAME.pdf``."""
    preamble = "\\documentclass[11pt]{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[margin=2cm]{geometry}\n"
    preamble += "".join(f"\\usepackage{{{p}}}\n" for p in DOCUMENT_PACKAGES)
    preamble += "\\allowdisplaybreaks\n"
    head = f"\\title{{{tex_text(document.title)}}}\n\\date{{}}\n\\begin{{document}}\n\\maketitle\n"
    body = "\n\n".join(_block_latex(b) for b in document.blocks)
    return preamble + head + body + "\n\\end{document}\n"


def write_latex(document: Document, path: Path) -> list[Path]:
    """Write ``path`` (.tex) and its figures (PDF, in ``figures/`` beside it); returns the files written."""
    path = Path(path)
    figure_dir = path.parent / FIGURE_DIR
    figure_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in document.figures:
        target = figure_dir / f"{figure.name}.pdf"
        target.write_bytes(figure.image("pdf"))
        written.append(target)
    path.write_text(document_latex(document), encoding="utf-8")
    return [path, *written]

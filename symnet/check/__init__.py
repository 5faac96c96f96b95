r"""symnet check: which numbers, equations and code outputs of a chapter are wrong, and what they should be.

>>> from symnet.check import check_text
>>> report = check_text("We get $y = 1.5 - 1.0 = 0.6$.", "chapter.md")
>>> print(report.claims[0])
chapter.md:1: ✗ math: 1.5-1.0 = 0.6 — should be 0.5 (the left side is 0.5)

:func:`check_document` reads Markdown (``.md``; ``.txt`` is read as
Markdown), Jupyter notebooks (``.ipynb``), reStructuredText (``.rst``) and LaTeX (``.tex``), found by
:mod:`symnet.check.extract`; :func:`check_claims` reads TOML claim files
(see :mod:`symnet.check.claim_file`). A document's formulas are read in order
by :mod:`symnet.check.reading` (its definitions and values flow to the
formulas after them), translated by :mod:`symnet.check.latex_math` and
decided by :mod:`symnet.check.links`; Python blocks run only with
``execute=True``, in the sandbox of :mod:`symnet.check.sandbox`.

Nothing one document holds stops the report: a link whose checking fails
unexpectedly is reported as not checked (internal error) and counted; a file
that cannot be read is named in the report, and the other files are checked.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from symnet.check.claim_file import ClaimFileError, check_claim_file
from symnet.check.claims import FALSE, NUMERIC, TRUE, UNCHECKED, CheckReport, Claim
from symnet.check.extract import MAX_NOTEBOOK, extract, sections
from symnet.check.notation import matrix_names, subscripted_letters
from symnet.check.reading import DOCUMENT_SECONDS, DocumentReader
from symnet.check.sandbox import BLOCK_SECONDS, output_claims, run_blocks
from symnet.errors import SymnetError

__all__ = ["document_kind", "read_document", "check_document", "check_claims", "check_paths", "check_text", "annotate", "CheckReport", "Claim",
           "ClaimFileError", "CheckInputError", "TRUE", "FALSE", "UNCHECKED", "NUMERIC"]

#: Suffixes read as Markdown, notebooks, LaTeX and claim files.
MARKDOWN, NOTEBOOK, RST, LATEX, CLAIMS = (".md", ".markdown", ".txt"), (".ipynb",), (".rst", ".rest"), (".tex",), (".toml",)
#: The most math items one document may hold before the checker refuses it.
MAX_MATH_ITEMS = 5_000


#: A LaTeX source that declares a Latin encoding: ``\usepackage[latin1]{inputenc}``, ``% !TEX encoding = IsoLatin9``.
_LATIN = re.compile(rb"\\usepackage\[(?:latin\d?|ansinew|cp125\d)\]\{inputenc\}|encoding\s*=\s*(?:IsoLatin|latin)", re.I)


class CheckInputError(SymnetError):
    """A document or claim file that cannot be read."""


def read_document(path) -> str:
    """The text of a file: UTF-8, or Latin-1 for the older LaTeX sources that declare it (``inputenc{latin1}``).

    Only a regular file is read (not ``/dev/zero`` or a FIFO, which never end), and at most one byte more than
    the largest document allowed (:data:`~symnet.check.extract.MAX_NOTEBOOK`).
    """
    path = Path(path)
    try:
        if not path.is_file():
            raise CheckInputError(f"cannot read {path}: not a regular file" if path.exists() else
                                  f"cannot read {path}: No such file or directory")
        with path.open("rb") as handle:
            data = handle.read(MAX_NOTEBOOK + 1)
    except OSError as error:
        raise CheckInputError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_NOTEBOOK:
        raise CheckInputError(f"cannot read {path}: more than {MAX_NOTEBOOK:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _LATIN.search(data[:20_000]):
            return data.decode("latin-1")
        raise CheckInputError(f"cannot read {path}: not UTF-8 ({error.reason} at byte {error.start})") from None


def document_kind(path) -> str:
    """``"markdown"``, ``"notebook"``, ``"rst"``, ``"latex"`` or ``"claims"``, by the file's suffix (:data:`MARKDOWN`, …)."""
    suffix = Path(path).suffix.lower()
    for kind, suffixes in (("markdown", MARKDOWN), ("notebook", NOTEBOOK), ("rst", RST), ("latex", LATEX),
                           ("claims", CLAIMS)):
        if suffix in suffixes:
            return kind
    raise CheckInputError(f"{path}: unknown kind of file (expected .md, .txt, .ipynb, .rst, .tex or .toml)")


def check_text(text: str, name: str, kind: str = "markdown", execute: bool = False,
               timeout: float = BLOCK_SECONDS, max_formulas: int = MAX_MATH_ITEMS,
               max_seconds: float = DOCUMENT_SECONDS) -> CheckReport:
    """Check a document given as text; ``name`` is used in locations.

    Each link is decided under a time limit, and the whole document's math under ``max_seconds`` (the links
    after it are not checked, and say so); a document with more than ``max_formulas`` formulas is refused
    (raise the limit to check it anyway).
    """
    try:
        math, code = extract(text, kind)
    except SymnetError as error:
        raise CheckInputError(f"{name}: {str(error).splitlines()[0]}") from None
    if len(math) > max_formulas:
        raise CheckInputError(f"{name}: {len(math):,} formulas, more than the limit of {max_formulas:,} "
                              f"(--max-formulas {len(math)} checks it anyway)")
    report = CheckReport()
    reader = DocumentReader(name, seconds=max_seconds)
    reader.notation.matrices = matrix_names(item.tex for item in math)
    reader.notation.subscripted = subscripted_letters(item.tex for item in math)
    headings = sections(text, kind)
    for item in sorted(math, key=lambda m: (m.cell or 0, m.line, m.start)):
        section = bisect.bisect_right(headings, (item.cell or 0, item.line))
        report.claims += reader.read(item.tex, item.line, item.cell, section)
    report.internal_errors = reader.internal_errors
    if code and execute:
        results = run_blocks(code, timeout)
        for block, result in zip(code, results):
            report.claims.extend(output_claims(name, block, result))
    elif code:
        report.skipped_blocks = len(code)
    report.claims.sort(key=lambda c: (c.cell or 0, c.line))
    return report


def check_document(path, execute: bool = False, timeout: float = BLOCK_SECONDS,
                   max_formulas: int = MAX_MATH_ITEMS, max_seconds: float = DOCUMENT_SECONDS) -> CheckReport:
    """Check a Markdown/plain-text or LaTeX document (see the module docstring)."""
    kind = document_kind(path)
    if kind == "claims":
        raise CheckInputError(f"{path} is a claim file: check it with check_claims")
    return check_text(read_document(path), str(path), kind, execute, timeout, max_formulas, max_seconds)


def check_claims(path) -> CheckReport:
    """Check a TOML claim file."""
    return CheckReport(check_claim_file(str(path), read_document(path)))


def check_paths(paths, execute: bool = False, timeout: float = BLOCK_SECONDS,
                max_formulas: int = MAX_MATH_ITEMS, max_seconds: float = DOCUMENT_SECONDS) -> CheckReport:
    """Check several files, each by its suffix; the claims of all in one report.

    A file that cannot be read is named in ``report.unreadable`` and the others are still checked.
    """
    total = CheckReport()
    for path in paths:
        try:
            if document_kind(path) == "claims":
                report = check_claims(path)
            else:
                report = check_document(path, execute, timeout, max_formulas, max_seconds)
        except SymnetError as error:
            total.unreadable.append(str(error).splitlines()[0])
            continue
        total.claims += report.claims
        total.skipped_blocks += report.skipped_blocks
        total.internal_errors += report.internal_errors
    return total


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BEGIN = re.compile(r"\\begin\{([A-Za-z*]+)\}")


def _block_ends(lines: list[str]) -> dict[int, int]:
    """For each line inside a multi-line block (a code fence, a ``$$`` or ``\\[`` display, an environment, a
    table), the last line of that block: a note put after it does not break the block."""
    ends, start, closer = {}, None, None
    for number, line in enumerate(lines, start=1):
        if start is None:
            fence, begin = _FENCE_LINE.match(line), _BEGIN.search(line)
            if fence:
                start, closer = number, re.compile(r"^ {0,3}" + re.escape(fence.group(1)[0]) + "{" +
                                                   str(len(fence.group(1))) + r",}\s*$")
            elif line.count("$$") % 2:
                start, closer = number, re.compile(r"\$\$")
            elif re.search(r"\\\[", line) and not re.search(r"\\\]", line):
                start, closer = number, re.compile(r"\\\]")
            elif begin and f"\\end{{{begin.group(1)}}}" not in line:
                start, closer = number, re.compile(re.escape(f"\\end{{{begin.group(1)}}}"))
            elif line.lstrip().startswith("|"):
                end = number
                while end < len(lines) and lines[end].lstrip().startswith("|"):
                    end += 1
                ends.update({k: end for k in range(number, end + 1)})
            continue
        if closer.search(line):
            ends.update({k: number for k in range(start, number + 1)})
            start = None
    return ends


def annotate(text: str, claims: list[Claim], kind: str = "markdown") -> str:
    """The document with a marked correction after each false claim: after its line, or after the block (code
    fence, display, environment, table) the line belongs to, so the block stays whole."""
    lines = text.split("\n")
    ends = _block_ends(lines)
    wrong: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.status == FALSE:
            wrong.setdefault(ends.get(claim.line, claim.line), []).append(claim)
    out = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        for claim in wrong.get(number, []):
            correction = f"should be {claim.actual}" if claim.actual is not None else "false"
            note = f"symnet ✗ {claim.claimed} — {correction} ({claim.detail})"
            out.append(f"% {note}" if kind == "latex" else f"> **{note}**")
    return "\n".join(out)

r"""The tour: everything symnet derives about the source text's networks, in one verified document.

:func:`build_tour` computes every section — activations, the 3 → 4 → 4 → 2
network, every derivation with its SymPy verification, the XOR checker on the
source text's candidate, width against depth, approximation, and a compiled
forward pass checked layer by layer and against exact SymPy — into a
:class:`~symnet.report.document.Document`. :func:`write_tour` renders it as
``tour.tex`` (with ``figures/``), a self-contained ``tour.html`` (MathML,
embedded figures) and, when asked and pdflatex is present, ``tour.pdf``.

Nothing here is typed in: every number and every correction of the source
text is computed while the tour is built.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np
import sympy

from symnet.activations import activation, activation_names
from symnet.approx import error_table, loglog_slope, sigmoid_error_grid
from symnet.depth import gradient_product, sawtooth_table
from symnet.derive import activation_derivative, check_xor, correct_output_weights, linear_collapse, weight_bound
from symnet.derive.core import tally_text
from symnet.errors import SymnetError
from symnet.network import CollapsibleLayersWarning, mlp
from symnet.printing.latex import latex, tex_text
from symnet.report.book import XOR_CANDIDATE, XOR_THRESHOLD, worked_examples
from symnet.report.document import Code, Document, Figure, Heading, Math, Paragraph, Steps, Table, write_latex
from symnet.report.html import document_html
from symnet.report.pdf import compile_pdf
from symnet.report.plots import (
    activations_figure,
    gradient_figure,
    interpolant_figure,
    sawtooth_figure,
    xor_figure,
)
from symnet.values import exact

__all__ = ["TourResult", "build_tour", "write_tour", "progress_steps", "TOUR_STAGES", "FORWARD_TOLERANCE"]

#: The network the source text explores.
WIDTHS = (3, 4, 4, 2)
#: Largest relative difference allowed between the compiled forward pass and the references.
FORWARD_TOLERANCE = 1e-12
#: Rows in the numeric comparison against the layer-by-layer forward pass.
FORWARD_ROWS = 10_000

Progress = Callable[[str], None]


@dataclass
class TourResult:
    """What the tour verified and wrote; truthy iff every derivation and every numeric check held."""

    document: Document
    derivations: int = 0
    #: Steps of all derivations: proofs, computations (computed by SymPy, arithmetic), definitions, …
    steps: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Why no PDF was written, when one was asked for.
    pdf_message: str = ""

    def __bool__(self) -> bool:
        return not self.failures

    @property
    def summary(self) -> str:
        verdict = "all verified" if self else f"{len(self.failures)} FAILED: " + "; ".join(self.failures)
        return f"{self.derivations} derivations ({self.step_counts}), {verdict}"

    @property
    def step_counts(self) -> str:
        """``41 proofs, 30 computations, 9 definitions``: what the derivations' steps are."""
        return tally_text(self.steps)


# --- sections ------------------------------------------------------------------------------


def _derivation(doc: Document, result: TourResult, derivation) -> None:
    report = derivation.verify()
    result.derivations += 1
    for kind, n in report.tally().items():
        result.steps[kind] = result.steps.get(kind, 0) + n
    if not report:
        result.failures.append(f"{derivation.title}: " + "; ".join(f"step {f.index} {f.status}" for f in report.failures))
    doc.add(Steps(derivation, report))


def _activations(doc: Document, result: TourResult) -> None:

    doc.add(Heading("Activations"), Paragraph(
        "Each activation is a SymPy function. Its derivative is taken from the defining formula by the chain "
        "rule and proven equal to the textbook form; its range, extrema and largest slope are computed from the "
        "definition (exactly where SymPy solves the equations, otherwise by a root confirmed to 60 digits)."
    ))
    rows, lines = [], []
    for name in activation_names():
        act = activation(name)
        lines.append(rf"\text{{{tex_text(name)}:}}\quad & {act.definition_latex()} \\ & {act.derivative_latex()}")
        minimum = act.minimum
        slope = act.max_abs_derivative.value
        rows.append((name, act.range, "none" if minimum is None else _cell_number(minimum.value), _cell_number(slope),
                     act.monotonic or "no", "yes" if act.zero_centred else "no"))
    doc.add(Math(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"))
    doc.add(Table(("activation", "range", "minimum", "max |f′|", "monotonic", "zero-centred"), tuple(rows),
                  "Properties computed from each definition."))
    doc.add(Figure(activations_figure(), "activations", "Each activation (solid) and its derivative (dashed)."))
    for name in activation_names():
        _derivation(doc, result, activation_derivative(name))
    silu = activation("silu").minimum
    if silu is not None:
        result.notes.append(f"SiLU's minimum is {float(silu.value):.4f} (at z = {float(silu.where):.4f})")


def _cell_number(value):
    """Exact rationals and infinities as they are; anything else (a Lambert W, a numeric root) as a float."""
    return value if value.is_Rational or value.is_infinite else float(value)


def _network(doc: Document, result: TourResult) -> None:

    net = mlp(list(WIDTHS))
    arrow = r" \to ".join(str(w) for w in WIDTHS)
    doc.add(Heading(f"The {' → '.join(map(str, WIDTHS))} network"), Paragraph(
        f"A multi-layer perceptron ${arrow}$ with ReLU hidden layers and a linear output, "
        "every weight and bias a SymPy symbol. In matrix form:"
    ), Math(net.latex()), Paragraph("Written out unit by unit:"), Math(net.latex(expanded=True)), Paragraph(
        f"It has {net.num_params} parameters, {' + '.join(map(str, net.param_counts))} by layer; the count is "
        "derived with the source text's worked examples below."
    ))
    doc.add(Paragraph(
        "Without activations between them, stacked layers are one affine map. The derivation below proves it "
        "with matrix symbols of unspecified size (non-commutative, so the order of the product is checked)."
    ))
    _derivation(doc, result, linear_collapse(3))


def _worked_examples(doc: Document, result: TourResult) -> None:

    doc.add(Heading("The source text's worked examples"), Paragraph(
        "Each example of the source text, recomputed exactly: decimals are exact rationals, so the arithmetic "
        "is not rounded."
    ))
    for derivation in worked_examples():
        _derivation(doc, result, derivation)
        facts = derivation.facts
        if "factor" in facts:
            result.notes.append(f"a d → 4d → d block at d = 4096 has {facts['exact']:,} parameters, "
                                f"{float(facts['factor']):.4f} × the rough 4d² = {facts['rough']:,}")
        if derivation.title.startswith("Section 2"):
            result.notes.append(f"the section-2 neuron computes z = {float(facts['z']):g}")


def _xor(doc: Document, result: TourResult) -> None:

    threshold = exact(XOR_THRESHOLD)
    doc.add(Heading("The XOR checker on the source text's candidate"), Paragraph(
        f"The source text proposes this network, with the output read as 1 when $y > {latex(threshold)}$:"
    ), Code(XOR_CANDIDATE))

    def table(text: str, caption: str):
        check = check_xor(text, threshold=threshold)
        rows = tuple((*r.inputs, r.output, r.predicted, r.expected, "ok" if r.ok else "WRONG") for r in check.rows)
        return check, Table(("$x_1$", "$x_2$", "$y$", "predicted", "XOR", ""), rows, caption)

    candidate, candidate_table = table(XOR_CANDIDATE, "The source text's candidate on the XOR truth table.")
    doc.add(candidate_table)
    if candidate.ok:
        doc.add(Paragraph("It computes XOR."))
        return
    wrong = ", ".join(f"({a}, {b})" for a, b in candidate.failures)
    result.notes.append(f"the source text's XOR candidate fails at {wrong}")
    corrected = correct_output_weights(XOR_CANDIDATE)
    unit, direction, bound = weight_bound(XOR_CANDIDATE, threshold)
    doc.add(Paragraph(
        f"It fails at {wrong}. Keeping its hidden units and solving for the output weights that give XOR exactly:"
    ), Code(corrected))
    fixed, fixed_table = table(corrected, "The corrected output weights on the XOR truth table.")
    doc.add(fixed_table, Paragraph(
        f"With the threshold ${latex(threshold)}$ the weight on ${unit[0]}_{unit[1:]}$ must be "
        f"{direction} ${latex(bound)}$."
    ))
    if not fixed.ok:
        result.failures.append("the corrected XOR network does not compute XOR")
    doc.add(Figure(xor_figure(), "xor", "Decision regions (output above the threshold) of the derived network and "
                   "the source text's candidate; its mistake is circled."))


def _depth(doc: Document, result: TourResult) -> None:

    rows = sawtooth_table(range(1, 9))
    doc.add(Heading("Width against depth"), Paragraph(
        "The sawtooth composes the tent map $k$ times with $2k$ ReLU units. Its linear pieces are counted "
        "exactly by propagating a partition of $[0, 1]$ through the layers, and so are those of the "
        "one-hidden-layer network equal to it."
    ), Table(
        ("$k$", "deep units", "deep parameters", "deep pieces", "shallow units", "shallow parameters", "shallow pieces"),
        tuple((r.k, r.deep_units, r.deep_params, r.deep_pieces, r.shallow_units, r.shallow_params, r.shallow_pieces)
              for r in rows),
        "Pieces of the sawtooth and of its one-hidden-layer equal.",
    ), Figure(sawtooth_figure(), "sawtooth", "The sawtooth for k = 1 to 4."))
    for r in rows:
        if r.deep_pieces != r.shallow_pieces or r.shallow_units < r.shallow_lower_bound:
            result.failures.append(f"sawtooth k = {r.k}: the shallow network does not match")
    depths = (5, 10, 20)
    products = [gradient_product("sigmoid", [0] * L) for L in depths]
    doc.add(Paragraph(
        "Gradients through a chain of $L$ sigmoids multiply $L$ factors $\\sigma'(z_k) \\le 1/4$. At $z_k = 0$ the "
        "bound is reached: " + ", ".join(f"$L = {L}$: ${latex(p)}$" for L, (p, _) in zip(depths, products)) + "."
    ), Figure(gradient_figure(), "gradients", "Products of activation derivatives along a chain, against depth."))
    for L, (product, bound) in zip(depths, products):
        if product > bound:
            result.failures.append(f"sigmoid chain of depth {L}: product {product} above its bound {bound}")


def _approximation(doc: Document, result: TourResult) -> None:

    x = sympy.Symbol("x", real=True)
    f, interval = sympy.sin(x), (0, 3)
    rows = error_table(f, interval)
    slope = loglog_slope(rows)
    doc.add(Heading("Approximation by one hidden layer"), Paragraph(
        f"The one-hidden-layer ReLU network equal to the piecewise-linear interpolant of ${latex(f)}$ on "
        f"$[{interval[0]}, {interval[1]}]$, one unit per piece. Its sup-norm error is exact where SymPy solves "
        f"for the extremum on each piece, and a certified bound otherwise. The error falls like "
        f"$n^{{{slope:.2f}}}$ (least-squares slope on log–log axes)."
    ), Table(("units $n$", "sup error", "how"), tuple((r.units, r.error, r.how) for r in rows),
             "Sup-norm error of the ReLU interpolant."),
        Figure(interpolant_figure(f, interval), "interpolant", "ReLU interpolants and their errors."))
    grid = sigmoid_error_grid(f, interval)
    widths = sorted({n for n, _ in grid})
    steep = sorted({s for _, s in grid})
    doc.add(Paragraph(
        "The classic construction with sigmoid steps: its error on a grid of 4001 points, by width and by "
        "steepness $s$ (relative to the knot spacing). Steeper is not always better."
    ), Table(("units", *(f"$s = {s}$" for s in steep)),
             tuple((n, *(grid[n, s] for s in steep)) for n in widths), "Grid error of the sigmoid-step approximation."))


def _forward(doc: Document, result: TourResult) -> None:

    net = mlp(list(WIDTHS))
    fn = net.compile()
    doc.add(Heading("A compiled forward pass"), Paragraph(
        "The symbolic network compiles to NumPy code: per layer a matrix product into a buffer, the bias added "
        "in place and the activation applied in place; the weights are one parameter vector."
    ), Code(fn.source), Paragraph("The same function rendered by latexify-py:"), Math(fn.latex))

    rng = np.random.default_rng(20261125)
    X = rng.standard_normal((FORWARD_ROWS, WIDTHS[0]))
    exact_rows = [[Fraction(int(v), 8) for v in rng.integers(-16, 17, WIDTHS[0])] for _ in range(3)]
    rows = []
    for name in activation_names():
        weights = [[[Fraction(int(v), 16) for v in row] for row in rng.integers(-24, 25, (b, a))]
                   for a, b in zip(WIDTHS, WIDTHS[1:])]
        biases = [[Fraction(int(v), 16) for v in rng.integers(-8, 9, b)] for b in WIDTHS[1:]]
        with warnings.catch_warnings():  # identity layers collapse, as the warning says: that is the point here
            warnings.simplefilter("ignore", CollapsibleLayersWarning)
            bound = mlp(list(WIDTHS), activation=name).bind(weights=weights, biases=biases)
        compiled = bound.compile()
        h = X  # layer by layer, with the activation's kernel
        for level, (w, b) in enumerate(zip(weights, biases)):
            h = h @ np.array(w, dtype=float).T + np.array(b, dtype=float)
            h = bound.layers[level].activation.numpy(h) if level < len(weights) - 1 else h
        fast = compiled(X)
        layered = float(np.max(np.abs(fast - h)) / max(1.0, float(np.max(np.abs(h)))))
        exact = sympy.Matrix([[sympy.N(v, 30) for v in bound(row)] for row in exact_rows])
        numeric = compiled(np.array(exact_rows, dtype=float))
        scale = max(1.0, float(max(abs(v) for v in exact)))
        symbolic = float(max(abs(numeric[i, j] - exact[i, j]) for i in range(len(exact_rows)) for j in range(WIDTHS[-1])))
        ok = layered <= FORWARD_TOLERANCE and symbolic / scale <= FORWARD_TOLERANCE
        if not ok:
            result.failures.append(f"compiled {name} network disagrees: {layered:.2e} (layer by layer), {symbolic:.2e} (SymPy)")
        rows.append((name, layered, symbolic / scale, "agree" if ok else "DISAGREE"))
    doc.add(Paragraph(
        f"For each activation, the {' → '.join(map(str, WIDTHS))} network with weights $k/16$ drawn at random: the "
        f"compiled function against a layer-by-layer NumPy pass with each activation's kernel on {FORWARD_ROWS:,} random "
        f"inputs, and against SymPy's exact evaluation (to 30 digits) on three rational inputs. Differences are "
        f"relative to the largest output, and must stay below {FORWARD_TOLERANCE:g}."
    ), Table(("activation", "vs layer-by-layer NumPy", "vs exact SymPy", ""), tuple(rows),
             "Largest relative difference of the compiled forward pass."))


def _findings(doc: Document, result: TourResult) -> None:
    doc.add(Heading("What the computations found"))
    if result.notes:
        doc.add(Paragraph("Computed while building this document, against the source text's claims: "
                          + "; ".join(result.notes) + "."))
    doc.add(Paragraph(
        f"Summary: {result.summary}. Proofs are steps that could have failed; computations show what SymPy "
        "computed (a derivative it took, numbers it multiplied out) and are checked, but cannot fail."
    ))


#: The sections in order, with the label the progress bar shows.
TOUR_STAGES: tuple[tuple[str, Callable], ...] = (
    ("activations", _activations),
    ("the 3-4-4-2 network", _network),
    ("worked examples", _worked_examples),
    ("XOR", _xor),
    ("width and depth", _depth),
    ("approximation", _approximation),
    ("compiled forward pass", _forward),
    ("findings", _findings),
)


def build_tour(progress: Progress | None = None) -> TourResult:
    """Compute every section; ``progress(label)`` is called as each one starts."""
    import matplotlib

    matplotlib.use("Agg")  # the tour never opens a window
    document = Document("symnet: a verified tour of an introductory chapter on neural networks")
    document.add(Paragraph(
        "Every formula below was built as a SymPy expression, every derivation step decided by SymPy "
        "(its verdict follows each derivation), and every number computed when this document was generated "
        "by the command symnet tour. A step counts as proven only when it could have failed: a step whose two "
        "sides are the same once SymPy evaluates them shows what SymPy computed, and is reported as computed "
        "by SymPy, or as arithmetic for numbers."
    ))
    result = TourResult(document)
    for label, stage in TOUR_STAGES:
        if progress:
            progress(label)
        stage(document, result)
    return result


def progress_steps(pdf: bool) -> int:
    """How many times :func:`write_tour` calls ``progress``: each stage, the writing, and the PDF if asked."""
    return len(TOUR_STAGES) + 1 + int(pdf)


#: The file that marks a directory as one symnet wrote a tour into (and may write into again).
TOUR_MARKER = ".symnet-tour"


def _claim_directory(out: Path) -> None:
    """Make ``out`` ours: new, empty, or holding a previous tour (its marker); nothing in it may be a symlink,
    so no file outside it is written. Raises :class:`~symnet.errors.SymnetError` naming what is in the way."""
    if out.is_symlink():
        raise SymnetError(f"{out} is a symbolic link; give the directory itself")
    if out.exists() and not out.is_dir():
        raise SymnetError(f"{out} exists and is not a directory")
    if out.exists() and any(out.iterdir()) and not (out / TOUR_MARKER).is_file():
        raise SymnetError(f"{out} holds files that are not a previous tour; give a new or empty directory")
    if out.exists():
        links = [p for p in out.rglob("*") if p.is_symlink()]
        if links:
            raise SymnetError(f"{links[0]} is a symbolic link; the tour writes no file through a link")
    out.mkdir(parents=True, exist_ok=True)
    (out / TOUR_MARKER).write_text("written by symnet tour\n", encoding="utf-8")


def write_tour(out: Path, pdf: bool = False, progress: Progress | None = None) -> TourResult:
    """Build the tour and write ``out/tour.tex`` (+ ``figures/``), ``out/tour.html`` and, with ``pdf``, ``out/tour.pdf``.

    ``out`` is new, empty, or a directory a previous tour was written into (see :func:`_claim_directory`).
    """

    out = Path(out)
    _claim_directory(out)
    result = build_tour(progress)
    if progress:
        progress("writing LaTeX and HTML")
    result.files += write_latex(result.document, out / "tour.tex")
    page = document_html(result.document)
    (out / "tour.html").write_text(page.text, encoding="utf-8")
    result.files.append(out / "tour.html")
    if page.fallbacks:
        result.failures.append(f"{len(page.fallbacks)} formula(s) could not be converted to MathML, "
                               f"the first: {page.fallbacks[0][:80]}")
    if pdf:
        if progress:
            progress("compiling the PDF")
        path, result.pdf_message = compile_pdf(out / "tour.tex")
        if path is not None:
            result.files.append(path)
    return result

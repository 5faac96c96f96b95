"""The tour through its real entry point, its LaTeX through pdflatex, its HTML through headless Chromium."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import pytest

from symnet.derive import Derivation, Step
from symnet.progress import ProgressBar
from symnet.report.document import Document, Math, Paragraph, Steps, Table, document_latex
from symnet.report.html import document_html, mathml_source
from symnet.report.tour import TourResult, _derivation, progress_steps
from tests.conftest import require


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    """One run of ``symnet tour --out DIR --pdf`` through the console entry point."""
    out = tmp_path_factory.mktemp("tour")
    run = subprocess.run([sys.executable, "-m", "symnet", "tour", "--out", str(out), "--pdf"],
                         capture_output=True, text=True, timeout=900)
    return out, run


def test_tour_runs_and_every_derivation_is_verified(tour):
    out, run = tour
    assert run.returncode == 0, run.stderr[-3000:]
    summary = re.search(r"^(\d+) derivations \((\d+) proofs, (\d+) computations, (\d+) definitions.*\), all verified\.$",
                        run.stdout, re.M)
    assert summary, run.stdout
    assert int(summary.group(2)) > 0 and int(summary.group(3)) > 0, "proofs and computations are counted apart"
    # one derivation per activation and at least the collapse, XOR, counts and worked examples
    from symnet.activations import activation_names

    assert int(summary.group(1)) >= len(activation_names()) + 6
    assert "Traceback" not in run.stderr
    # the progress bar counted every stage on stderr
    steps = progress_steps(pdf=True)
    assert f"{steps}/{steps}" in run.stderr
    for name in ("tour.tex", "tour.html"):
        assert (out / name).stat().st_size > 10_000
    assert f"open {out / 'tour.html'}" in run.stdout


def test_tour_reports_what_it_found(tour):
    """The corrections of the source text are computed and stated, not typed in."""
    out, _ = tour
    text = (out / "tour.tex").read_text(encoding="utf-8")
    assert "fails at (1, 1)" in text
    assert "134,238,208" in text
    assert "z = -0.9" in text


def test_tour_tex_compiles_with_pdflatex(tour, tmp_path):
    require("pdflatex", "compiling the tour's LaTeX")
    out, run = tour
    assert (out / "tour.pdf").stat().st_size > 50_000, run.stderr
    # and once more from a clean copy, so the .tex and its figures are all it needs
    shutil.copytree(out, tmp_path / "copy")
    (tmp_path / "copy" / "tour.pdf").unlink()
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "tour.tex"],
                            cwd=tmp_path / "copy", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "! " not in result.stdout


def test_tour_html_in_headless_chromium(tour, tmp_path):
    chromium = require("chromium", "opening the tour's HTML")
    sync_playwright = require("playwright.sync_api", "driving Chromium").sync_playwright
    import numpy as np
    from matplotlib.image import imread

    out, _ = tour
    page_text = (out / "tour.html").read_text(encoding="utf-8")
    figures = len(re.findall(r"\\includegraphics", (out / "tour.tex").read_text(encoding="utf-8")))
    assert figures >= 5
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto((out / "tour.html").as_uri(), wait_until="load")
            images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
            visible = page.evaluate("document.body.innerText")
            math_count = page.evaluate("document.querySelectorAll('math').length")
            math_height = page.evaluate("Math.max(...Array.from(document.querySelectorAll('math')).map(m => m.getBoundingClientRect().height))")
            fallbacks = page.evaluate("document.querySelectorAll('code.tex, merror').length")
            shot = tmp_path / "tour.png"
            page.screenshot(path=str(shot), full_page=False)
        finally:
            browser.close()

    # every figure loaded, and nothing was fetched from anywhere but the file itself
    assert len(images) == figures
    assert all(complete and width > 100 and height > 100 for complete, width, height in images), images
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    # math was rendered as MathML (laid out with height), nothing left as LaTeX source
    assert math_count > 100 and math_height > 20
    assert fallbacks == 0
    raw = re.findall(r"\\[A-Za-z]+|\$|\\\\", visible)
    assert not raw, f"raw LaTeX visible: {raw[:10]}"
    for sign in ("Traceback", "unavailable", "Error:", "NoAvailableTokens", "MissingSuperScript"):
        assert sign not in visible
    # the screenshot is not blank: a white page with text and formulas has many dark pixels
    pixels = imread(shot)[..., :3]
    dark = float(np.mean(pixels.mean(axis=2) < 0.5))
    assert 0.01 < dark < 0.5, dark
    assert "<title>symnet" in page_text


# --- the pieces -----------------------------------------------------------------------------------


def test_a_false_derivation_fails_the_tour_and_the_command(monkeypatch, capsys, tmp_path):
    import sympy

    from symnet import cli

    doc = Document("t")
    result = TourResult(doc)
    z = sympy.Symbol("z")
    _derivation(doc, result, Derivation("wrong", (Step(z + 2, lhs=z + 1),)))
    assert not result and result.derivations == 1
    assert result.summary == ("1 derivations (0 proofs, 0 computations, 0 definitions, 1 failed), "
                              "1 FAILED: wrong: step 1 false")

    monkeypatch.setattr("symnet.cli.write_tour", lambda out, pdf, progress: result)
    assert cli.main(["tour", "--out", str(tmp_path)]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_tour_refuses_a_file_as_output_directory(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    run = subprocess.run([sys.executable, "-m", "symnet", "tour", "--out", str(target)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "not a directory" in run.stderr


def test_html_converts_math_and_keeps_what_it_cannot():
    doc = Document("t", [Paragraph("inline $x^{2}$ here"), Paragraph("costs 5 $"),
                         Math(r"\begin{aligned}a &= b \\ c &= d\end{aligned}"),
                         Math(r"\frac{1}{"), Table(("name", "value"), (("leaky_relu", 0.123456),))])
    page = document_html(doc)
    assert page.fallbacks == [r"\frac{1}{"]
    assert '<code class="tex">\\frac{1}{</code>' in page.text
    assert "<mtable" in page.text and "<mi>&" not in page.text
    assert "<msup><mi>x</mi>" in page.text
    assert "<p>costs 5 $</p>" in page.text
    assert "leaky_relu" in page.text and "0.1235" in page.text


def test_mathml_source_adapts_aligned_and_text_escapes():
    assert mathml_source(r"\begin{aligned}a\end{aligned}") == r"\begin{align*}a\end{align*}"
    assert mathml_source(r"\text{leaky\_relu \& more} + x\_1") == r"\text{leaky_relu & more} + x\_1"


def test_latex_rendering_of_steps_puts_justifications_in_tags():
    import sympy

    z = sympy.Symbol("z")
    d = Derivation("d", (Step(z**2 + 2 * z + 1, lhs=(z + 1) ** 2, why="expand"),))
    tex = document_latex(Document("t", [Steps(d, d.verify())]))
    assert r"\left(z + 1\right)^{2} &= z^{2} + 2 z + 1 \tag*{expand}" in tex
    assert "verified (1 proven)" in tex


def test_progress_bar_in_a_log_and_on_a_terminal():
    log = io.StringIO()
    bar = ProgressBar(3, stream=log)
    bar("a"), bar("b"), bar.close()
    assert log.getvalue() == "[#######-------------] 1/3 a\n[#############-------] 2/3 b\n"

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    ticks = iter([0.0, 1.4])
    bar = ProgressBar(1, stream=term, clock=lambda: next(ticks))
    bar("only"), bar.close()
    assert term.getvalue() == "\r\033[K[####################] 1/1 only (1 s)\n"


# --- the oracles: missing in CI is a failure, elsewhere a skip with the reason ----------------------------------


@pytest.mark.parametrize("ci", [True, False])
def test_a_missing_oracle_fails_in_ci_and_skips_elsewhere(ci, monkeypatch):
    from tests import conftest

    monkeypatch.setattr(conftest, "IN_CI", ci)
    monkeypatch.setitem(conftest.PROGRAMS, "symnet-no-such-program", "the Debian package symnet-no-such-package")
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    for name in ("symnet-no-such-program", "symnet_no_such_module"):
        try:  # both outcomes caught here, so that a skip where a failure is due fails this test, not skips it
            require(name, "a test of require")
        except (pytest.fail.Exception, pytest.skip.Exception) as outcome:
            raised = outcome
        else:
            raise AssertionError(f"require({name!r}) returned")
        assert type(raised) is expected, type(raised)
        message = str(raised)
        assert name in message and "a test of require" in message and "make test installs it" in message
        assert ("missing in CI" in message) == ci
    # what is there is returned, in CI and out of it
    assert require("sys", "a test of require") is sys
    monkeypatch.setitem(conftest.PROGRAMS, "sh", "the Debian package dash")
    assert require("sh", "a test of require") == shutil.which("sh")

"""The PDF step: pdflatex run beside a written ``.tex`` file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["compile_pdf"]


def compile_pdf(tex: Path) -> tuple[Path | None, str]:
    """Run pdflatex twice beside ``tex``; returns (the PDF, "") or (None, why there is none)."""
    engine = shutil.which("pdflatex")
    if engine is None:
        return None, "no PDF: pdflatex is not installed (Debian: apt-get install texlive-latex-recommended)"
    for _ in range(2):
        run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                             cwd=tex.parent, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
            return None, f"no PDF: pdflatex failed ({errors[0] if errors else 'see ' + tex.with_suffix('.log').name})"
    for suffix in (".aux", ".log"):  # kept only when the run failed
        tex.with_suffix(suffix).unlink(missing_ok=True)
    return tex.with_suffix(".pdf"), ""

r"""Running a document's Python blocks, only when asked, in a sandboxed subprocess; checking ``# →`` comments.

:func:`run_blocks` starts one fresh ``python -I`` process (``_runner.py``)
for all the blocks of a document, in order:

* its working directory is a new temporary directory, removed afterwards;
* its environment holds only ``PATH``;
* its address space is limited to :data:`MEMORY_LIMIT` bytes;
* each block may run for :data:`BLOCK_SECONDS` seconds (a timer in the
  process), and the whole process for the blocks' sum plus a margin (killed
  from outside).

:func:`output_claims` compares each ``print(...)  # → 0.5, -1.3`` line with
what its statement printed: the numbers of the comment (remarks in
parentheses left out) against the printed numbers, each within half a unit
of its last written digit.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import sympy

from symnet.check.claims import FALSE, TRUE, UNCHECKED, Claim
from symnet.check.extract import CodeBlock
from symnet.prove import decide
from symnet.values import exact, half_unit

__all__ = ["run_blocks", "output_claims", "BLOCK_SECONDS", "MEMORY_LIMIT"]

BLOCK_SECONDS = 10.0
MEMORY_LIMIT = 2 * 1024**3
_RUNNER = Path(__file__).with_name("_runner.py")
_ARROW = re.compile(r"#\s*(?:→|->)\s*(?P<claim>.*)$")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b", re.I)
_REMARK = re.compile(r"\([^()]*[A-Za-z]{2,}[^()]*\)")


def _limit_memory():  # runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_blocks(blocks: list[CodeBlock], timeout: float = BLOCK_SECONDS) -> list[dict]:
    """For each block: ``{"statements": [{"line", "end", "output"}], "error": str | None}``."""
    request = json.dumps({"blocks": [b.source for b in blocks], "timeout": timeout})
    with tempfile.TemporaryDirectory(prefix="symnet-check-") as workdir:
        try:
            run = subprocess.run(
                [sys.executable, "-I", str(_RUNNER)], input=request, capture_output=True, text=True,
                cwd=workdir, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                timeout=timeout * len(blocks) + 15, preexec_fn=_limit_memory,
            )
        except subprocess.TimeoutExpired:
            return [{"statements": [], "error": "the sandbox was stopped: the blocks together ran too long"}] * len(blocks)
    for line in reversed(run.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    reason = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
    return [{"statements": [], "error": f"the sandbox failed: {reason}"}] * len(blocks)


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(text.replace("−", "-"))


def _agree(claimed: str, printed: str) -> bool:
    """Within half a unit of the claimed number's last digit (``0.25`` allows 0.005); nan and ±inf only as such."""
    a, b = float(claimed), float(printed)
    if not (math.isfinite(a) and math.isfinite(b)):
        return a == b or (math.isnan(a) and math.isnan(b))
    allowed = half_unit(claimed) + sympy.Rational(abs(b)) / 10**12  # the written precision, and float noise
    return decide(exact(repr(b)), "~", exact(claimed), tolerance=allowed).status == TRUE


def output_claims(path: str, block: CodeBlock, result: dict) -> list[Claim]:
    """One claim per ``# →`` comment on a line of the block; a failed block is one claim, not checked."""
    lines = block.source.splitlines()
    claims = []
    if result.get("error"):
        claims.append(Claim(path, block.line, "code", UNCHECKED, "the block runs", None,
                            f"the block failed: {result['error']}"))
    for offset, text in enumerate(lines, start=1):
        arrow = _ARROW.search(text)
        if arrow is None or "print" not in text:
            continue
        claimed_text = arrow.group("claim").strip()
        where = block.line + offset - 1
        statement = next((s for s in result.get("statements", []) if s["line"] <= offset <= s["end"]), None)
        if statement is None:
            claims.append(Claim(path, where, "code", UNCHECKED, claimed_text, None, "the line did not run"))
            continue
        printed = statement["output"].strip()
        expected, actual = _numbers(_REMARK.sub("", claimed_text)), _numbers(printed)
        if not expected:
            claims.append(Claim(path, where, "code", UNCHECKED, claimed_text, printed, "no number in the comment"))
        elif len(expected) != len(actual):
            claims.append(Claim(path, where, "code", UNCHECKED, claimed_text, printed,
                                f"the comment gives {len(expected)} number(s), the output has {len(actual)}"))
        elif all(_agree(c, p) for c, p in zip(expected, actual)):
            claims.append(Claim(path, where, "code", TRUE, claimed_text, printed, "printed " + printed[:80]))
        else:
            wrong = [f"{c} (printed {p})" for c, p in zip(expected, actual) if not _agree(c, p)]
            claims.append(Claim(path, where, "code", FALSE, claimed_text, printed[:200],
                                "the code prints " + printed[:80] + "; differs at " + ", ".join(wrong)))
    return [replace(claim, cell=block.cell) for claim in claims]

"""Every script in examples/ runs to completion, and the demo prints what it computed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script):
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_demo_output_is_computed():
    script = Path(__file__).parent.parent / "examples" / "explore_mlp.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300).stdout
    assert "parameters per layer: [16, 20, 10], total 46" in out
    assert "z = -9/10" in out
    assert "W' == W2*W1: True;  b' == W2*b1 + b2: True" in out
    assert "relu        [0, ∞)" in out

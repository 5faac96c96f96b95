"""The benchmark script runs (a smoke run at tiny sizes) and prints its tables; no timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "forward.py"


def test_forward_benchmark_smoke_run():
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| widths | batch"))
    for variant in ("symnet", "symnet-args", "numpy-seed", "numpy-inplace", "torch", "lambdify"):
        assert f" {variant} " in header
    rows = [line for line in lines if line.startswith("| 3-4-4-2 | 1,000 |")]
    assert len(rows) == 2 and all("(1.00)" in row for row in rows)  # numpy-seed is the baseline of its row
    assert any(line.startswith("| 3-4-4-2 | 46 |") for line in lines)

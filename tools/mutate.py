"""Mutation testing of symnet's deciding code with mutmut: ``make mutate`` (or ``python tools/mutate.py``).

mutmut changes one thing at a time in a module (a ``<`` into ``<=``, a ``True``
into ``False``, a string into ``"XX…XX"``, …) and runs the tests that cover the
changed function; a mutant the tests do not notice *survived*, a sign of a
behaviour no test pins down. Each target in :data:`TARGETS` runs against its
own small set of tests and doctests, so a run stays bounded: the prover against
``tests/test_prove.py``, ``symnet/derive/`` against ``tests/test_derive.py``
(without the slow LaTeX compiles), the checker's link decisions against
``tests/test_check.py``, the compiler against ``tests/test_numeric.py`` and
``tests/test_printing.py``.

Each target runs in ``mutants/<name>/``: a copy of ``pyproject.toml`` with a
``[tool.mutmut]`` section for that target, and links to ``symnet/``,
``tests/`` and the files the tests read (:data:`DATA`); mutmut makes its
mutated copy in ``mutants/<name>/mutants/``. The directory is made anew on
every run, so the results are those of the code as it is. At the end a table
gives, per mutated file: mutants, killed, survived, timeouts (counted as
killed), other outcomes (no test covers the function, suspicious, segfault)
and the score, (killed + timeouts) / mutants.

Usage::

    python tools/mutate.py                                # every target
    python tools/mutate.py symnet/prove.py                # one target (or several)
    python tools/mutate.py --max-children 2 symnet/derive/
    (cd mutants/prove && ../../.venv/bin/mutmut show 'symnet.prove.x__numbers__mutmut_3')

``--max-children`` (default 1: the machine is shared) is how many mutants are
tested at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"

#: Target → (files to mutate, the pytest arguments that select its tests and doctests).
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    "symnet/prove.py": (["symnet/prove.py"], ["tests/test_prove.py", "symnet/prove.py"]),
    "symnet/derive/": (["symnet/derive/*.py"],
                       ["tests/test_derive.py", "tests/test_xor.py", "symnet/derive", "-m", "not slow"]),
    "symnet/check/links.py": (["symnet/check/links.py"],
                              ["tests/test_links.py", "tests/test_check.py", "symnet/check/links.py"]),
    "symnet/numeric.py": (["symnet/numeric.py"], ["tests/test_numeric.py", "symnet/numeric.py"]),
    "symnet/printing/numpy.py": (["symnet/printing/numpy.py"],
                                 ["tests/test_printing.py", "tests/test_numeric.py", "symnet/printing/numpy.py"]),
}

#: Files the tests read from the repository (the checker's example chapter), copied next to the mutated code.
DATA = ("examples", "README.md")

#: mutmut's words for a mutant's outcome, grouped as the table shows them.
KILLED, SURVIVED, TIMEOUT = {"killed", "caught by type check"}, {"survived"}, {"timeout"}


def _name(target: str) -> str:
    """``symnet/printing/numpy.py`` → ``printing-numpy``: the work directory of a target."""
    return re.sub(r"\.py$", "", target.removeprefix("symnet/")).strip("/").replace("/", "-")


def _prepare(target: str) -> Path:
    """A fresh ``mutants/<name>/``: pyproject.toml with the target's ``[tool.mutmut]``, links to the code and tests."""
    files, tests = TARGETS[target]
    work = WORK / _name(target)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("symnet", "tests", *DATA):
        (work / name).symlink_to(ROOT / name)
    settings = {
        "source_paths": ["symnet"],
        "also_copy": list(DATA),
        "only_mutate": files,
        "pytest_add_cli_args_test_selection": tests,
        "use_git_change_detection": False,
    }
    section = "\n[tool.mutmut]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    (work / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + section)
    return work


def _mutmut(work: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """Run the mutmut next to this Python (the venv's) in ``work``."""
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    return subprocess.run(command, cwd=work, text=True, capture_output=capture, check=False)


def _outcomes(work: Path) -> dict[str, Counter]:
    """Outcome counts per mutated module (dotted name), from ``mutmut results --all true``."""
    listing = _mutmut(work, "results", "--all", "true", capture=True).stdout
    counts: dict[str, Counter] = {}
    for key, status in re.findall(r"^\s*(\S+__mutmut_\d+): (.+)$", listing, flags=re.MULTILINE):
        module = key.partition("__mutmut_")[0].rpartition(".")[0]  # symnet.prove.x_decide__mutmut_3 → symnet.prove
        counts.setdefault(module, Counter())[status.strip()] += 1
    return counts


def _row(module: str, counts: Counter) -> tuple:
    total = sum(counts.values())
    killed = sum(counts[s] for s in KILLED)
    survived, timeout = sum(counts[s] for s in SURVIVED), sum(counts[s] for s in TIMEOUT)
    other = total - killed - survived - timeout
    score = 100 * (killed + timeout) / total if total else 0.0
    return module, total, killed, survived, timeout, other, f"{score:.1f}%"


def _table(rows: list[tuple]) -> str:
    header = ("module", "mutants", "killed", "survived", "timeout", "other", "score")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(row):
        return "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths)))

    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--max-children", type=int, default=1, help="mutants tested at once (default 1)")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    rows, failed, started = [], [], time.monotonic()
    for target in args.targets or list(TARGETS):
        print(f"== mutating {target} (tests: {' '.join(TARGETS[target][1])})", flush=True)
        work = _prepare(target)
        begun = time.monotonic()
        counts = {}
        if _mutmut(work, "run", "--max-children", str(args.max_children)).returncode == 0:
            counts = _outcomes(work)
        if not counts:  # mutmut stopped (say, a test failed on the unmutated code): no results to count
            failed.append(target)
            rows.append((target, *["-"] * 5, "mutmut failed"))
        rows += [_row(module, c) for module, c in sorted(counts.items())]
        print(f"== {target}: {time.monotonic() - begun:.0f} s; survivors: cd {work.relative_to(ROOT)} && "
              f"mutmut results; mutmut show NAME", flush=True)
    print()
    print(_table(rows))
    print(f"\n{time.monotonic() - started:.0f} s on {os.cpu_count()} cores, {args.max_children} mutant(s) at a time")
    if failed:
        print(f"mutmut failed for: {', '.join(failed)} (its output above says why)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

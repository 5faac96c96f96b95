"""The checker on the corpus of real teaching texts in tests/corpus: a table per text, and the judgement of each verdict.

Each text ``tests/corpus/<slug>.<md|ipynb|tex|txt>`` has beside it ``<slug>.toml``: its source (repository,
path, commit, licence) and the verdicts we computed independently of symnet — ``[[error]]`` (a real error,
with the correct value and how it was computed; ``missed = "why"`` when the checker does not find it),
``[[right]]`` (claims verified correct) and ``[[ambiguous]]``. Texts whose licence does not allow copying
have only the ``.toml`` (``copied = false``) and are not run.

    python tools/corpus.py            # the table of the README, and the most common reasons for "not checked"
    python tools/corpus.py --verbose  # every verdict of every text

tests/test_corpus.py asserts what the table shows: no text crashes, every ✗ is a judged error, every
judged error within reach is found.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SUFFIXES = (".md", ".ipynb", ".tex", ".rst", ".txt")

sys.path.insert(0, str(ROOT))

from symnet.check import FALSE, NUMERIC, TRUE, UNCHECKED, check_document  # noqa: E402


@dataclass
class Text:
    slug: str
    path: Path | None
    source: dict
    errors: list = field(default_factory=list)
    right: list = field(default_factory=list)


def texts() -> list[Text]:
    """Every text of the corpus with its expectations, copied texts first."""
    out = []
    for toml in sorted(CORPUS.glob("*.toml")):
        data = tomllib.loads(toml.read_text(encoding="utf-8"))
        path = next((toml.with_suffix(s) for s in SUFFIXES if toml.with_suffix(s).exists()), None)
        out.append(Text(toml.stem, path, data["source"], data.get("error", []), data.get("right", [])))
    return sorted(out, key=lambda t: (t.path is None, t.slug))


def _where(entry) -> tuple:
    return entry.get("cell"), entry["line"]


@dataclass
class Judgement:
    text: Text
    report: object
    seconds: float
    false_alarms: list  # ✗ on a line where we judged no error
    found: list  # judged errors reported as ✗
    missed: list  # judged errors within reach, not reported and not marked as missed

    @property
    def counts(self) -> dict:
        return self.report.counts()

    @property
    def decided(self) -> float:
        claims = self.report.claims
        return sum(c.status in (TRUE, FALSE) for c in claims) / len(claims) if claims else 0.0


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _matches(claim, error) -> bool:
    """A ✗ is the judged error when it is on its line and, if the error names numbers, shows one of them."""
    if (claim.cell, claim.line) != _where(error):
        return False
    numbers = set(_NUMBER.findall(error["text"]))
    return not numbers or bool(numbers & set(_NUMBER.findall(claim.claimed)))


def judge(text: Text) -> Judgement:
    """Run the checker on one copied text and compare each ✗ with the judged errors (line, and numbers shown)."""
    start = time.perf_counter()
    report = check_document(text.path)
    seconds = time.perf_counter() - start
    wrong = [c for c in report.claims if c.status == FALSE]
    false_alarms = [c for c in wrong if not any(_matches(c, e) for e in text.errors)]
    found = [e for e in text.errors if any(_matches(c, e) for c in wrong)]
    missed = [e for e in text.errors if e not in found and e.get("reach", True) and "missed" not in e]
    return Judgement(text, report, seconds, false_alarms, found, missed)


def _reason(detail: str) -> str:
    """A "not checked" reason without its particulars, to count the common ones."""
    detail = re.sub(r"'[^']*'", "'…'", detail)
    detail = re.sub(r"depends on the values of .*?, which", "depends on values (…), which", detail)
    detail = re.sub(r"internal error: (\w+).*", r"internal error: \1", detail)
    detail = re.sub(r"\d[\d.]*", "N", detail)
    return detail[:90]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every verdict")
    args = parser.parse_args(argv)
    print("| text | format | links | ✓ | ✗ | not checked | decided | errors found / within reach | false alarms | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    reasons, total = Counter(), Counter()
    for text in texts():
        if text.path is None:
            continue
        result = judge(text)
        counts = result.counts
        reach = [e for e in text.errors if e.get("reach", True)]
        links = len(result.report.claims)
        total.update(links=links, true=counts["proven"], false=counts["false"], found=len(result.found),
                     reach=len(reach), alarms=len(result.false_alarms))
        total["decided"] += counts["proven"] + counts["false"]
        print(f"| {text.slug} | {text.path.suffix[1:]} | {links} | {counts['proven']} | {counts['false']} | "
              f"{counts['unchecked'] + counts['numeric']} | {result.decided:.0%} | {len(result.found)} / {len(reach)} | "
              f"{len(result.false_alarms)} | {result.seconds:.1f} |")
        for claim in result.report.claims:
            if claim.status in (UNCHECKED, NUMERIC):
                reasons[_reason(claim.detail)] += 1
        if args.verbose:
            for claim in result.report.claims:
                print(f"    {claim}")
        for claim in result.false_alarms:
            print(f"    FALSE ALARM {claim}", file=sys.stderr)
        for error in result.missed:
            print(f"    MISSED {text.slug}:{error.get('cell') or ''}:{error['line']} {error['text']}", file=sys.stderr)
    share = total["decided"] / total["links"] if total["links"] else 0
    print(f"| **all** | | {total['links']} | {total['true']} | {total['false']} | {total['links'] - total['decided']} | "
          f"{share:.0%} | {total['found']} / {total['reach']} | {total['alarms']} | |")
    print("\nMost common reasons for \"not checked\":\n")
    for reason, count in reasons.most_common(10):
        print(f"- {count} × {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

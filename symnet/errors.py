"""The exceptions symnet raises on bad input, and the helpers that word them.

Every error names the offending value and, where one exists, the fix. All are
``ValueError`` subclasses, so ``except ValueError`` catches bad input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["SymnetError", "UnknownNameError", "ShapeError", "did_you_mean"]


class SymnetError(ValueError):
    """Bad input to symnet: the message names the value and the problem."""


class UnknownNameError(SymnetError):
    """A name (activation, function, derivation) that symnet does not know."""

    def __init__(self, kind: str, name: str, known: Iterable[str]):
        self.kind, self.name, self.known = kind, name, sorted(set(known))
        super().__init__(
            f"unknown {kind} {name!r}{did_you_mean(name, self.known)}; "
            f"known: {', '.join(self.known)}"
        )


class ShapeError(SymnetError):
    """An array or matrix whose shape does not fit where it is used."""


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or an empty string."""
    options = list(options)
    lowered = {o.lower(): o for o in options}
    close = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""

"""What the checker reports: one :class:`Claim` per checked statement, and the :class:`CheckReport` of a run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from symnet.prove import Status

__all__ = ["Claim", "CheckReport", "TRUE", "FALSE", "UNCHECKED", "NUMERIC"]

#: The prover's statuses under the names a reader of a chapter uses.
TRUE, FALSE, UNCHECKED, NUMERIC = Status.PROVEN, Status.FALSE, Status.UNCHECKED, Status.NUMERIC
_MARKS = {TRUE: "✓", FALSE: "✗", UNCHECKED: "not checked", NUMERIC: "≈ numeric"}


@dataclass(frozen=True)
class Claim:
    """A statement found in a document or claim file and what checking it showed.

    ``claimed`` is what the document says; ``actual`` what symnet computed (for
    a false claim, the correction); ``detail`` a one-line derivation or the
    reason a claim was not checked.
    """

    path: str
    line: int
    kind: str
    status: Status
    claimed: str
    actual: str | None = None
    detail: str = ""
    cell: int | None = None  # notebooks: the cell, counting from 1; ``line`` is then the line in that cell

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.cell is None else f"{self.path}:cell {self.cell}:{self.line}"

    def __str__(self) -> str:
        text = f"{self.location}: {_MARKS[self.status]} {self.kind}: {self.claimed}"
        if self.status == FALSE and self.actual is not None:
            text += f" — should be {self.actual}"
        return text + (f" ({self.detail})" if self.detail else "")

    def as_json(self) -> dict:
        data = asdict(self)
        del data["path"], data["line"], data["cell"]
        return {"location": self.location, **data, "status": self.status.value}


@dataclass
class CheckReport:
    """All claims of one run, in document order; the code blocks that were not run; what went wrong.

    ``internal_errors`` counts links whose checking failed unexpectedly (each is a claim "not checked
    (internal error: …)"); ``unreadable`` holds one message per input that could not be read at all.
    """

    claims: list[Claim] = field(default_factory=list)
    skipped_blocks: int = 0
    internal_errors: int = 0
    unreadable: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Claims per status: ``{"proven": n, "false": n, "unchecked": n, "numeric": n}``."""
        return {status.value: sum(c.status == status for c in self.claims) for status in (TRUE, FALSE, UNCHECKED, NUMERIC)}

    @property
    def ok(self) -> bool:
        return not any(c.status == FALSE for c in self.claims)

    def as_json(self) -> dict:
        data = {"claims": [c.as_json() for c in self.claims], "summary": self.counts()}
        if self.skipped_blocks:
            data["skipped_code_blocks"] = self.skipped_blocks
        if self.internal_errors:
            data["internal_errors"] = self.internal_errors
        if self.unreadable:
            data["unreadable"] = list(self.unreadable)
        return data

    def __str__(self) -> str:
        lines = [str(c) for c in self.claims]
        counts = self.counts()
        summary = f"{counts['proven']} proven, {counts['false']} false, {counts['unchecked']} not checked"
        if counts["numeric"]:
            summary += f", {counts['numeric']} equal at random points only"
        if self.skipped_blocks:
            summary += (f"; {self.skipped_blocks} Python block(s) not run (run them with --exec, "
                        "in a sandboxed subprocess)")
        if self.internal_errors:
            summary += f"; {self.internal_errors} not checked because of an internal error (please report it)"
        if self.unreadable:
            summary += f"; {len(self.unreadable)} input(s) could not be read"
        return "\n".join(lines + [summary])

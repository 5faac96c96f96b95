"""A progress bar on stderr: redrawn in place on a terminal, one line per step in a log."""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """Call with the label of each step as it starts; :meth:`close` ends the line.

    >>> import io
    >>> bar = ProgressBar(2, stream=io.StringIO())
    >>> bar("first"); bar("second"); bar.close()
    >>> print(bar.stream.getvalue(), end="")
    [##########----------] 1/2 first
    [####################] 2/2 second
    """

    width = 20

    def __init__(self, total: int, stream=None, clock=time.monotonic):
        self.total = max(1, total)
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.clock = clock
        self.started = clock()
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, label: str) -> None:
        self.done = min(self.done + 1, self.total)
        filled = round(self.width * self.done / self.total)
        line = f"[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total} {label}"
        if self.interactive:
            elapsed = self.clock() - self.started
            self.stream.write(f"\r\033[K{line} ({elapsed:.0f} s)")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()

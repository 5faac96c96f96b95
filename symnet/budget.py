"""Time limits for symbolic work that can run away (``simplify``, ``solve``, ``limit``).

:func:`time_limit` raises :class:`TimeLimitError` when its block overruns. It
uses ``SIGALRM``, so it limits only code running in the main thread of a
POSIX process; elsewhere the block runs without a limit. Nested limits keep
the earlier deadline.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from symnet.errors import SymnetError

__all__ = ["TimeLimitError", "time_limit"]


class TimeLimitError(SymnetError):
    """A symbolic computation passed its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Run the block for at most ``seconds``; raise :class:`TimeLimitError` naming ``what`` after that."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if previous_remaining and previous_remaining < seconds:
        yield  # an enclosing, earlier deadline already applies
        return
    start = time.monotonic()

    def on_alarm(signum, frame):
        raise TimeLimitError(f"{what} took longer than {seconds:g} s")

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_remaining:
            left = previous_remaining - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))

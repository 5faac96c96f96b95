"""Time limits for symbolic work that can run away (``simplify``, ``solve``, ``limit``).

:func:`time_limit` raises :class:`TimeLimitError` when its block overruns, and
again every 0.1 s until the block exits. It
uses ``SIGALRM``, so it limits only code running in the main thread of a
POSIX process; elsewhere the block runs without a limit. Nested limits keep
the earlier deadline.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time

__all__ = ["TimeLimitError", "time_limit"]


class TimeLimitError(BaseException):
    """A symbolic computation passed its time limit.

    A ``BaseException``, like ``KeyboardInterrupt``: SymPy's solvers catch
    ``ValueError`` and ``Exception`` internally, and would otherwise swallow
    the alarm and run on without a limit. Catch it by name.
    """


def _in_finalizer(frame, depth: int = 4) -> bool:
    """True when the signal arrived inside a garbage-collector callback or a ``__del__``.

    Python cannot raise from those (it prints "Exception ignored in ..." and
    goes on), so the alarm must wait until ordinary code runs again.
    """
    callbacks = {getattr(cb, "__code__", None) for cb in gc.callbacks}
    for _ in range(depth):
        if frame is None:
            return False
        if frame.f_code in callbacks or frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Run the block for at most ``seconds``; raise :class:`TimeLimitError` naming ``what`` after that."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous_remaining, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    if previous_remaining and previous_remaining < seconds:
        yield  # an enclosing, earlier deadline already applies
        return
    start = time.monotonic()

    def on_alarm(signum, frame):
        if _in_finalizer(frame):  # an exception there would be "ignored": try again a moment later
            signal.setitimer(signal.ITIMER_REAL, 0.005, 0.1)
            return
        raise TimeLimitError(f"{what} took longer than {seconds:g} s")

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    # Fire again every 0.1 s after the deadline, in case a handler swallowed the first alarm.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_remaining:
            left = previous_remaining - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), previous_interval)

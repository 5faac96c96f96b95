"""Time limits hold even when the code inside swallows the first alarm."""

from __future__ import annotations

import time

import pytest

from symnet.budget import TimeLimitError, time_limit


def test_overrun_raises():
    start = time.monotonic()
    with pytest.raises(TimeLimitError, match="loop took longer than 0.2 s"):
        with time_limit(0.2, "loop"):
            while True:
                time.sleep(0.01)
    assert time.monotonic() - start < 1.0


def test_a_swallowed_alarm_fires_again():
    start, swallowed = time.monotonic(), 0
    with pytest.raises(TimeLimitError):
        with time_limit(0.2, "stubborn loop"):
            while time.monotonic() - start < 5:
                try:
                    time.sleep(0.01)
                except TimeLimitError:  # code that catches the first alarm (as SymPy's solvers catch errors)
                    swallowed += 1
                    if swallowed >= 3:
                        raise
    assert swallowed == 3 and time.monotonic() - start < 1.0


def test_not_an_ordinary_exception():
    assert not issubclass(TimeLimitError, Exception)  # `except Exception` in library code cannot swallow it


def test_within_the_limit_nothing_happens():
    with time_limit(1.0, "quick"):
        total = sum(range(1000))
    assert total == 499500
    time.sleep(0.05)  # the timer is off after the block


def test_an_alarm_inside_a_gc_callback_waits_for_ordinary_code():
    import gc

    calls = []

    def slow_callback(phase, info):  # a GC callback that runs across the deadline
        if phase == "start" and not calls:
            calls.append(phase)
            time.sleep(0.3)

    gc.callbacks.append(slow_callback)
    try:
        start = time.monotonic()
        with pytest.raises(TimeLimitError):
            with time_limit(0.1, "work"):
                gc.collect()  # the alarm arrives inside slow_callback: deferred, not lost
                while True:
                    time.sleep(0.01)
        assert calls and time.monotonic() - start < 1.0
    finally:
        gc.callbacks.remove(slow_callback)

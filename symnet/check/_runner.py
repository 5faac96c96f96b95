"""Runs a document's Python blocks in order and reports what each top-level statement printed.

This file is executed as a script by :mod:`symnet.check.sandbox` in a fresh
``python -I`` subprocess: in a temporary working directory, with an
environment holding only PATH, under a memory limit and a time limit per
block. It imports nothing from symnet. Input on stdin (JSON):
``{"blocks": [source, ...], "timeout": seconds}``; output: one line
``RESULT <json>`` on the original stdout.
"""

import ast
import contextlib
import io
import json
import os
import signal
import sys
import traceback

MARKER = "RESULT "


class BlockTimeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise BlockTimeout()


def main():
    request = json.loads(sys.stdin.read())
    out = os.fdopen(os.dup(1), "w")  # our channel, kept apart from what the blocks print
    namespace = {"__name__": "__main__"}
    signal.signal(signal.SIGALRM, _on_alarm)
    results = []
    for source in request["blocks"]:
        block = {"statements": [], "error": None}
        results.append(block)
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            block["error"] = f"SyntaxError: {error.msg} (line {error.lineno})"
            continue
        signal.setitimer(signal.ITIMER_REAL, float(request["timeout"]))
        try:
            for statement in tree.body:
                captured = io.StringIO()
                code = compile(ast.Module([statement], type_ignores=[]), "<block>", "exec")
                try:
                    with contextlib.redirect_stdout(captured):
                        exec(code, namespace)  # reviewed: runs only under `symnet check --exec`, in this sandbox process
                finally:
                    block["statements"].append(
                        {"line": statement.lineno, "end": statement.end_lineno, "output": captured.getvalue()}
                    )
        except BlockTimeout:
            block["error"] = f"timed out after {request['timeout']} s"
        except BaseException as error:  # the block's own failure is reported, and the next block runs
            line = traceback.extract_tb(error.__traceback__)[-1].lineno if error.__traceback__ else "?"
            block["error"] = f"{type(error).__name__}: {error} (line {line})".splitlines()[0]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    out.write(MARKER + json.dumps(results) + "\n")
    out.flush()


if __name__ == "__main__":
    main()

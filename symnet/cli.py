"""The ``symnet`` command: activations, networks, parameter counts, derivations, XOR checks, forward passes and the tour.

Exit status: 0 when all is well, 1 when a check or claim is false, 2 for a
usage or input error (one line on stderr, no traceback), 3 for an internal
error (one line; ``symnet --debug …`` shows the traceback). Output into a
closed pipe (``symnet … | head``) ends quietly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

import numpy as np
import sympy

from symnet import derive
from symnet.activations import activation, activation_names
from symnet.budget import numeric_value
from symnet.check import MAX_MATH_ITEMS, annotate, check_paths, document_kind, read_document
from symnet.check.reading import DOCUMENT_SECONDS
from symnet.check.sandbox import BLOCK_SECONDS
from symnet.errors import SymnetError
from symnet.network import layer_param_counts, mlp
from symnet.parse import NAME, parse
from symnet.printing.latex import MAX_EXPANDED_PARAMS, latex
from symnet.printing.text import shortened
from symnet.progress import ProgressBar
from symnet.report import book
from symnet.report.tour import progress_steps, write_tour
from symnet.spec import load_network_spec, read_inputs
from symnet.values import exact_decimal

__all__ = ["main"]


class UsageError(Exception):
    """Bad input from the command line or a file: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2 (argparse would print the usage too)
        raise UsageError(message)


# --- shared parsing ------------------------------------------------------------------------


def parse_widths(text: str) -> list[int]:
    """``"3-4-4-2"`` → ``[3, 4, 4, 2]``, with an error that names the bad part."""
    parts = text.replace(",", "-").split("-")
    widths = []
    for part in parts:
        if not re.fullmatch(r"[0-9]+", part.strip()) or int(part) < 1:  # ASCII digits: '²'.isdigit() is True
            raise UsageError(f"widths {text!r}: {part!r} is not a positive integer (write them like 3-4-4-2)")
        widths.append(int(part))
    if len(widths) < 2:
        raise UsageError(f"widths {text!r}: give an input width and at least one layer width, like 3-4-2")
    return widths


# --- subcommands ---------------------------------------------------------------------------


def cmd_activations(args) -> int:
    acts = [activation(name) for name in ([args.name] if args.name else activation_names())]
    if args.json:
        rows = [act.as_json() for act in acts]
        print(json.dumps(rows[0] if args.name else rows, indent=2))
    elif args.latex:
        for act in acts:
            print(act.definition_latex())
            print(act.derivative_latex())
    else:
        for act in acts:
            print(act.describe())
    return 0


def cmd_net(args) -> int:
    widths = parse_widths(args.widths)
    if args.expanded:  # refused before the network is built: building 10^5 symbols alone takes seconds
        count = sum(layer_param_counts(widths))
        if count > args.max_params:
            raise UsageError(f"--expanded writes one term per parameter and this network has {count:,}; "
                             f"pass --max-params {count} (or more) to write it anyway")
    net = mlp(widths, activation=args.activation, output_activation=args.output_activation)
    if args.json:
        print(json.dumps({**net.as_json(), "latex": net.latex(expanded=args.expanded, max_params=args.max_params)},
                         indent=2))
    elif args.latex:
        print(net.latex(expanded=args.expanded, max_params=args.max_params))
    else:
        print(net.describe())
    return 0


def cmd_params(args) -> int:
    if args.transformer_mlp is not None:
        d = derive.transformer_mlp_params(args.transformer_mlp, args.expansion)
        facts = {"d": args.transformer_mlp, "expansion": args.expansion, "total": d.facts["exact"],
                 "rough_4d2": d.facts["rough"], "factor": float(d.facts["factor"])}
        print(json.dumps(facts) if args.json else
              f"d -> {args.expansion}d -> d block, d = {args.transformer_mlp}: {facts['total']:,} parameters "
              f"({facts['factor']:.4f} x the rough 4d^2 = {facts['rough_4d2']:,})")
        return 0
    if not args.widths:
        raise UsageError("give WIDTHS (like 3-4-4-2) or --transformer-mlp D")
    widths = parse_widths(args.widths)
    counts = layer_param_counts(widths)  # by arithmetic: no network is built, so any size is cheap
    if args.json:
        print(json.dumps({"per_layer": counts, "total": sum(counts)}))
    else:
        for level, (n_in, n_out, count) in enumerate(zip(widths, widths[1:], counts), start=1):
            print(f"layer {level} ({n_in} -> {n_out}): {n_out}*{n_in} + {n_out} = {count}")
        print(f"total: {sum(counts)}")
    return 0


def _derivations(args):
    name = args.name
    if name == "collapse":
        return [derive.linear_collapse(layers=args.layers)]
    if name == "xor":
        return [book.xor_derivation()]
    if name == "derivative":
        if not args.argument:
            raise UsageError("derive derivative needs an activation name, like: symnet derive derivative sigmoid")
        return [derive.activation_derivative(args.argument)]
    if name == "params":
        if not args.argument:
            raise UsageError("derive params needs widths, like: symnet derive params 3-4-4-2")
        return [derive.parameter_count(parse_widths(args.argument))]
    if name == "transformer":
        hidden = args.argument or "4096"
        if not re.fullmatch(r"[0-9]{1,7}", hidden) or int(hidden) < 1:
            raise UsageError(f"derive transformer {hidden!r}: the hidden dimension must be a positive integer "
                             "of at most 7 digits, like: symnet derive transformer 4096")
        return [derive.transformer_mlp_params(int(hidden))]
    if name == "example":
        if not args.argument or not args.argument.isdigit():
            raise UsageError("derive example needs a number from 1 to 4, like: symnet derive example 2")
        return book.worked_example(int(args.argument))
    if name == "neuron":
        return [book.section2_neuron()]
    raise UsageError(f"unknown derivation {name!r}")


DERIVATIONS = ("collapse", "xor", "derivative", "params", "transformer", "example", "neuron")


def cmd_derive(args) -> int:
    derivations = _derivations(args)
    reports = [d.verify() for d in derivations]
    if args.json:
        print(json.dumps([{**r.as_json(), "latex": d.latex()} for d, r in zip(derivations, reports)], indent=2))
    elif args.latex:
        print("\n\n".join(d.latex() for d in derivations))
    else:
        print("\n\n".join(str(r) for r in reports))
    return 0 if all(reports) else 1


#: The most characters read from standard input.
MAX_STDIN = 2_000_000


def _read_text(path: str) -> str:
    """A text input: standard input for ``-`` (at most :data:`MAX_STDIN` characters), else a regular file."""
    if path == "-":
        text = sys.stdin.read(MAX_STDIN + 1)
        if len(text) > MAX_STDIN:
            raise UsageError(f"standard input: more than {MAX_STDIN:,} characters")
        return text
    return read_document(path)


def cmd_xor(args) -> int:
    result = derive.check_xor(_read_text(args.check), threshold=args.threshold)
    print(json.dumps(result.as_json()) if args.json else result)
    return 0 if result.ok else 1


def cmd_forward(args) -> int:
    net = load_network_spec(args.spec)
    X = read_inputs(args.input, net.n_in)
    Y = net.compile()(X)
    if not np.all(np.isfinite(Y)):  # 1e400 in a weight: no double holds it; say so rather than print inf or nan
        rows = sorted({int(r) for r in np.argwhere(~np.isfinite(np.atleast_2d(Y)))[:, 0]})
        raise UsageError(f"{args.spec}: the outputs of input row(s) {', '.join(map(str, rows[:5]))} are not finite "
                         "in double precision (a weight or input beyond about ±1.8e308, or an overflow)")
    if args.json:
        print(json.dumps({"inputs": X.tolist(), "outputs": Y.tolist()}, allow_nan=False))
    else:
        for row in np.atleast_2d(Y):
            print(",".join(repr(float(v)) for v in row))
    return 0


def cmd_formula(args) -> int:
    expr = parse(args.formula)
    if args.diff is not None:
        if not NAME.fullmatch(args.diff):
            raise UsageError(f"--diff {args.diff!r}: not a variable name")
        expr = sympy.diff(expr, sympy.Symbol(args.diff))
    point = {}
    for assignment in args.at or []:
        name, sep, value = assignment.partition("=")
        name = name.strip()
        if not sep or not NAME.fullmatch(name):
            raise UsageError(f"--at {assignment!r}: write NAME=VALUE, like z=0.5")
        point[sympy.Symbol(name)] = exact_decimal(value.strip(), what=f"--at {name}")
    value = numeric_value(expr, 15, what="the formula", at=point) if point else None
    expr = shortened(expr)  # 9**9999: a float with its exponent, not 9,542 digits
    if args.json:  # a value beyond double precision is given as text: JSON has no Infinity
        number = None if value is None else float(value)
        print(json.dumps({"expression": sympy.sstr(expr), "latex": latex(expr),
                          "value": number if number is None or math.isfinite(number) else sympy.sstr(value)},
                         allow_nan=False))
    else:
        print(latex(expr) if args.latex else sympy.sstr(expr))
        if value is not None:
            print(sympy.sstr(value))
    return 0


def cmd_check(args) -> int:
    if args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: must be positive")
    if args.annotate and (len(args.paths) != 1 or document_kind(args.paths[0]) in ("claims", "notebook")):
        raise UsageError("--annotate takes exactly one document (.md, .txt, .rst or .tex)")
    if args.annotate and Path(args.annotate).resolve() == Path(args.paths[0]).resolve():
        raise UsageError(f"--annotate {args.annotate}: that is the document itself; write the copy elsewhere")
    report = check_paths(args.paths, execute=args.exec, timeout=args.timeout, max_formulas=args.max_formulas,
                         max_seconds=args.max_seconds)
    if args.annotate:
        text = annotate(read_document(args.paths[0]), report.claims, document_kind(args.paths[0]))
        try:
            Path(args.annotate).write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.annotate}: {error.strerror or error}") from None
    for message in report.unreadable:
        print(f"symnet: error: {message}", file=sys.stderr)
    print(json.dumps(report.as_json(), indent=2, ensure_ascii=False) if args.json else report)
    if report.unreadable:
        return 2
    return 0 if report.ok else 1


def cmd_tour(args) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a directory")
    bar = ProgressBar(progress_steps(args.pdf))
    try:
        result = write_tour(out, pdf=args.pdf, progress=bar)
    except OSError as error:
        raise UsageError(f"cannot write to {args.out}: {error.strerror or error}") from None
    finally:
        bar.close()
    for path in result.files:
        print(f"wrote {path}")
    if result.pdf_message:
        print(f"symnet: {result.pdf_message}", file=sys.stderr)
    print(f"{result.summary}.")
    pdf = out / "tour.pdf"
    print(f"open {out / 'tour.html'} in a browser" + (f", or {pdf}" if pdf in result.files else ""))
    return 0 if result else 1


# --- the parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symnet", description="A symbolic math explorer for neural networks.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("activations", help="definition, textbook derivative, range and properties of activations")
    p.add_argument("name", nargs="?", help="one activation (default: all)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print the definition and derivative as LaTeX")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_activations)

    p = sub.add_parser("net", help="an MLP: its layers, parameter counts and LaTeX")
    p.add_argument("widths", help="layer widths, like 3-4-4-2")
    p.add_argument("--activation", default="relu", help="hidden-layer activation (default relu)")
    p.add_argument("--output-activation", default=None, help="output activation (default: linear)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print the network's equations as LaTeX")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--expanded", action="store_true", help="with --latex: one scalar equation per unit")
    p.add_argument("--max-params", type=_positive_int, default=MAX_EXPANDED_PARAMS, metavar="N",
                   help=f"largest network --expanded writes out (default {MAX_EXPANDED_PARAMS})")
    p.set_defaults(run=cmd_net)

    p = sub.add_parser("params", help="parameter counts per layer and in total")
    p.add_argument("widths", nargs="?", help="layer widths, like 3-4-4-2")
    p.add_argument("--transformer-mlp", type=_positive_int, metavar="D", help="count a d -> k*d -> d MLP block instead")
    p.add_argument("--expansion", type=_positive_int, default=4, metavar="K", help="the block's expansion k (default 4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_params)

    p = sub.add_parser("derive", help="a verified derivation; exit 1 if a step does not hold")
    p.add_argument("name", choices=DERIVATIONS, help="which derivation")
    p.add_argument("argument", nargs="?", help="derivative: an activation; params: widths; example: 1-4; transformer: d")
    p.add_argument("--layers", type=_positive_int, default=2, help="collapse: number of layers (default 2)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print the derivation as LaTeX (align*)")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_derive)

    p = sub.add_parser("xor", help="check a candidate network on the XOR truth table; exit 1 if it fails")
    p.add_argument("--check", required=True, metavar="FILE", help="network text (h1 = relu(x1 + x2 - 0.5) ... y = ...), or - for stdin")
    p.add_argument("--threshold", default=None, help="the output counts as 1 when y > threshold (default: y must equal XOR)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_xor)

    p = sub.add_parser("forward", help="evaluate a network described in a TOML spec")
    p.add_argument("spec", help="TOML file: widths, activation, output_activation, weights and biases (or weights_file)")
    p.add_argument("--input", required=True, action="append",
                   help="an input row like 3,1 (repeatable), or a .npy or .csv file")
    p.add_argument("--json", action="store_true", help="print JSON (default: CSV)")
    p.set_defaults(run=cmd_forward)

    p = sub.add_parser("formula", help="read a formula with the safe parser; print it, its LaTeX, derivative or value",
                       description="Read a formula (Python syntax: + - * / **, numbers, names, and the functions "
                       "relu, sigmoid, tanh, gelu, silu, exp, log, sqrt, Max, Min, diff, ...). Nothing in it is "
                       "ever executed; every name is a plain symbol (E, I, N and S included).")
    p.add_argument("formula", help="like 'z*sigmoid(z)'")
    p.add_argument("--diff", metavar="VAR", help="print the derivative with respect to VAR")
    p.add_argument("--at", action="append", metavar="NAME=VALUE", help="also evaluate at this point (repeatable)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print LaTeX")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_formula)

    p = sub.add_parser("check", help="check the math, code outputs and claim files of a chapter; exit 1 if a claim is false",
                       description="Check every relation chain in the math (and the plain-text arithmetic) of "
                       "Markdown (.md, .txt), Jupyter notebooks (.ipynb), reStructuredText (.rst) and LaTeX (.tex) documents, the '# → value' "
                       "comments of their Python blocks (only with --exec), and the claims of TOML claim files "
                       "(.toml). Exit status: 0 all claims hold, 1 a claim is false, 2 an input could not be read.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents (.md, .txt, .ipynb, .rst, .tex) and claim files (.toml)")
    p.add_argument("--exec", action="store_true",
                   help="run the Python blocks (in order, in a sandboxed subprocess) and compare their '# →' comments")
    p.add_argument("--timeout", type=_positive_seconds, default=BLOCK_SECONDS, metavar="S",
                   help=f"seconds per Python block with --exec (default {BLOCK_SECONDS:g})")
    p.add_argument("--max-seconds", type=_positive_seconds, default=DOCUMENT_SECONDS, metavar="S",
                   help=f"seconds for checking one document's math (default {DOCUMENT_SECONDS:g}); the links after "
                   "that are reported as not checked")
    p.add_argument("--max-formulas", type=_positive_int, default=MAX_MATH_ITEMS, metavar="N",
                   help=f"refuse a document with more formulas than this (default {MAX_MATH_ITEMS})")
    p.add_argument("--json", action="store_true", help="print JSON: claims and a summary")
    p.add_argument("--annotate", metavar="OUT", help="write a copy of the document with each false claim marked and corrected")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("tour", help="write the verified tour: tour.tex, tour.html (offline) and optionally tour.pdf")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write into (created if missing)")
    p.add_argument("--pdf", action="store_true", help="also compile tour.pdf with pdflatex, when installed")
    p.set_defaults(run=cmd_tour)
    return parser


def _positive_int(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive, finite number of seconds")
    return seconds


def main(argv=None) -> int:
    """Run the command; exit 0 all well, 1 a check is false, 2 bad input, 3 an internal error (``--debug`` shows it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if debug:
        argv.remove("--debug")
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except BrokenPipeError:  # symnet … | head: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except UsageError as error:
        print(f"symnet: error: {error}", file=sys.stderr)
        return 2
    except SymnetError as error:
        print(f"symnet: error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symnet: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one line, and the traceback on request
        if debug:
            raise
        first = (str(error).splitlines() or [""])[0][:200]
        print(f"symnet: internal error: {type(error).__name__}: {first} (run again with --debug for the traceback, "
              "and please report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())

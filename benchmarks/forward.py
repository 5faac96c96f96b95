"""Forward-pass benchmark: symnet's compiled code against hand-written NumPy, PyTorch and plain lambdify.

Prints, for each architecture, batch size and dtype, the median time of each
variant and its ratio to the seed-style hand-written NumPy forward pass
(``relu(W @ h + b)`` per layer, batched as ``h @ W.T + b``). Then the time to
build and compile fully symbolic networks.

Variants
    symnet        ``net.bind(...).compile()``: generated code, bound weights
    symnet-args   the fully symbolic network compiled once, weights passed as one vector
    numpy-seed    hand-written, as the seed text writes it
    numpy-inplace hand-written with ``out=`` buffers and transposed weights made contiguous
    torch         ``torch.nn.Sequential`` under ``torch.no_grad()`` (CPU)
    lambdify      ``sympy.lambdify`` of the expanded scalar expressions (skipped past 60 s to build)

Hygiene: OpenBLAS and PyTorch are pinned to the same number of threads
(``--threads``, default 1); every round runs all variants in a shuffled order;
medians over rounds are reported.

Run ``make bench`` or ``python benchmarks/forward.py [--threads N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys

THREADS = "1"
for _arg in sys.argv:  # thread pools are sized at import: set them before numpy and torch load
    if _arg.startswith("--threads="):
        THREADS = _arg.split("=", 1)[1]
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS

import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import sympy  # noqa: E402

import symnet as sn  # noqa: E402
from symnet.budget import TimeLimitError, time_limit  # noqa: E402

try:
    import torch

    torch.set_num_threads(int(THREADS))
except ImportError:  # the benchmark still runs; the torch column says why it is empty
    torch = None

ARCHITECTURES = [[3, 4, 4, 2], [16, 32, 32, 4], [64, 64, 64, 10], [784, 256, 256, 10]]
BATCHES = [1, 1_000, 100_000]
SYMBOLIC = [[3, 4, 4, 2], [16, 32, 32, 4], [64, 64, 64, 10], [256, 256, 256, 10]]
LAMBDIFY_SECONDS = 60.0
VARIANTS = ["symnet", "symnet-args", "numpy-seed", "numpy-inplace", "torch", "lambdify"]


def seed_style(weights, biases):
    def forward(X):
        h = X
        for k, (w, b) in enumerate(zip(weights, biases)):
            h = h @ w.T + b
            if k < len(weights) - 1:
                h = np.maximum(0, h)
        return h

    return forward


def in_place(weights, biases, batch, dtype):
    transposed = [np.ascontiguousarray(w.T) for w in weights]
    buffers = [np.empty((batch, w.shape[0]), dtype=dtype) for w in weights]

    def forward(X):
        h = X
        for k, (wt, b, out) in enumerate(zip(transposed, biases, buffers)):
            np.matmul(h, wt, out=out)
            out += b
            if k < len(weights) - 1:
                np.maximum(out, 0, out=out)
            h = out
        return h

    return forward


def torch_model(weights, biases, dtype):
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers = []
    for k, (w, b) in enumerate(zip(weights, biases)):
        linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if k < len(weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).eval()

    def forward(X):
        with torch.no_grad():
            return model(torch.from_numpy(X))

    return forward


def naive_lambdify(bound_net):
    """Expand the bound network into scalar SymPy expressions and lambdify them (the naive route)."""
    x = sn.input_symbols(bound_net.n_in)
    outputs = [sn.to_elementary(y) for y in bound_net(x)]  # plain SymPy printing knows Max, not symnet's functions
    f = sympy.lambdify(list(x), outputs, modules="numpy")  # reviewed: the expressions are built here from numeric weights, never from text

    def forward(X):
        return np.stack(f(*X.T), axis=-1)

    return forward


def median_time(fn, X, repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        fn(X)
    return (time.perf_counter() - start) / repeats


def measure(variants: dict, X, budget: float) -> dict:
    """Median seconds per call of each variant, over shuffled rounds."""
    for fn in variants.values():
        fn(X)  # warm up: buffers, caches, lazy imports
    single = {name: median_time(fn, X, 1) for name, fn in variants.items()}
    slowest = max(single.values())
    repeats = max(1, int(2e-3 / max(min(single.values()), 1e-9)))  # make each sample at least ~2 ms
    rounds = int(min(max(budget / max(slowest * repeats * len(variants), 1e-9), 3), 25))
    samples: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for _ in range(rounds):
        random.shuffle(names)
        for name in names:
            samples[name].append(median_time(variants[name], X, repeats))
    return {name: statistics.median(times) for name, times in samples.items()}


def forward_table(architectures, batches, dtypes, budget: float) -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    for widths in architectures:
        weights64 = [rng.standard_normal((b, a)) / np.sqrt(a) for a, b in zip(widths, widths[1:])]
        biases64 = [rng.standard_normal(b) for b in widths[1:]]
        bound = sn.mlp(widths).bind(weights=weights64, biases=biases64)
        compiled = bound.compile()
        symbolic = sn.mlp(widths).compile()
        params = np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(weights64, biases64)])
        lambdified, note = None, ""
        start = time.perf_counter()
        try:
            with time_limit(LAMBDIFY_SECONDS, "lambdify baseline"):
                lambdified = naive_lambdify(bound)
            note = f"lambdify built in {time.perf_counter() - start:.1f} s"
        except TimeLimitError:
            note = f"lambdify skipped: building took over {LAMBDIFY_SECONDS:.0f} s"
        print(f"  {'-'.join(map(str, widths))}: {note}", file=sys.stderr)
        for dtype in dtypes:
            weights = [w.astype(dtype) for w in weights64]
            biases = [b.astype(dtype) for b in biases64]
            p = params.astype(dtype)
            for batch in batches:
                X = rng.standard_normal((batch, widths[0])).astype(dtype)
                variants = {
                    "symnet": compiled,
                    "symnet-args": lambda X, p=p: symbolic(X, p),
                    "numpy-seed": seed_style(weights, biases),
                    "numpy-inplace": in_place(weights, biases, batch, dtype),
                }
                if torch is not None:
                    variants["torch"] = torch_model(weights, biases, dtype)
                if lambdified is not None:
                    variants["lambdify"] = lambdified
                times = measure(variants, X, budget)
                rows.append({"widths": widths, "batch": batch, "dtype": np.dtype(dtype).name, "times": times})
                print(f"  measured {'-'.join(map(str, widths))} batch {batch} {np.dtype(dtype).name}", file=sys.stderr)
    return rows


def build_table(architectures) -> list[tuple]:
    rows = []
    for widths in architectures:
        start = time.perf_counter()
        net = sn.mlp(widths)
        net.compile()
        seconds = time.perf_counter() - start
        rows.append((widths, net.num_params, seconds))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default=THREADS, help="threads for OpenBLAS and PyTorch (default 1); give as --threads=N")
    parser.add_argument("--quick", action="store_true", help="small sizes and short budgets: a smoke run")
    parser.add_argument("--budget", type=float, default=1.5, help="seconds of measurement per table row (default 1.5)")
    args = parser.parse_args(argv)
    if args.quick:
        architectures, batches, symbolic, budget = [[3, 4, 4, 2]], [1, 1_000], [[3, 4, 4, 2]], 0.05
    else:
        architectures, batches, symbolic, budget = ARCHITECTURES, BATCHES, SYMBOLIC, args.budget

    print(f"# symnet forward benchmark: {os.cpu_count()} cores, {THREADS} thread(s) for OpenBLAS and PyTorch, "
          f"NumPy {np.__version__}, SymPy {sympy.__version__}, "
          f"PyTorch {torch.__version__ if torch is not None else 'not installed'}")
    print("# median time per call; ratio = time / numpy-seed time (lower is faster)")
    rows = forward_table(architectures, batches, [np.float64, np.float32], budget)
    header = ["widths", "batch", "dtype"] + VARIANTS + ["symnet/best"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        times = row["times"]
        base = times["numpy-seed"]
        cells = ["-".join(map(str, row["widths"])), f"{row['batch']:,}", row["dtype"]]
        for name in VARIANTS:
            cells.append(f"{_fmt(times[name])} ({times[name] / base:.2f})" if name in times else "—")
        rivals = [times[n] for n in ("numpy-seed", "numpy-inplace", "torch") if n in times]
        cells.append(f"{times['symnet'] / min(rivals):.2f}")
        print("| " + " | ".join(cells) + " |")
    print()
    print("# build + compile of fully symbolic networks (every weight a Symbol)")
    print("| widths | parameters | seconds | µs per parameter |")
    print("|---|---|---|---|")
    for widths, count, seconds in build_table(symbolic):
        print(f"| {'-'.join(map(str, widths))} | {count:,} | {seconds:.3f} | {seconds / count * 1e6:.1f} |")
    return 0


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


if __name__ == "__main__":
    sys.exit(main())

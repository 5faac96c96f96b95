"""Figures, drawn with matplotlib's object-oriented API on the Agg canvas (no global backend state).

Each function returns the :class:`matplotlib.figure.Figure`. Given ``save``
(a path without a suffix), it also writes ``save.png`` and ``save.svg``. Every curve is computed
by symnet: activations by their kernels and compiled derivatives, networks by
their compiled forward passes, errors by :mod:`symnet.approx`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from symnet.activations import activation, activation_names
from symnet.approx import _interval, _variable, relu_interpolant
from symnet.depth import gradient_product, linear_regions, sawtooth
from symnet.derive.xor import XOR_TABLE, candidate_expression, check_xor, x1, x2
from symnet.numeric import compile as compile_expr
from symnet.printing.numpy import numpy_function
from symnet.report.book import XOR_CANDIDATE, XOR_THRESHOLD
from symnet.values import exact

__all__ = [
    "activations_figure",
    "xor_figure",
    "interpolant_figure",
    "sawtooth_figure",
    "gradient_figure",
]


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, save) -> Figure:
    if save is not None:
        base = Path(save)
        base.parent.mkdir(parents=True, exist_ok=True)
        for suffix in (".png", ".svg"):
            fig.savefig(base.with_suffix(suffix), dpi=120)
    return fig


def activations_figure(names=None, interval=(-5.0, 5.0), save=None) -> Figure:
    """Every activation (solid) with its textbook derivative (dashed)."""

    names = list(names) if names is not None else [n for n in activation_names() if n != "identity"]
    columns = 3
    rows = -(-len(names) // columns)
    fig = _figure(3.2 * columns, 2.4 * rows)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    z = sympy.Symbol("z", real=True)
    grid = np.linspace(*interval, 801)
    for ax, name in zip(axes, names):
        act = activation(name)
        derivative = compile_expr(act.derivative(z), [z])
        ax.plot(grid, act.numpy(grid), label=f"${act.latex_name}(z)$" if act.latex_name else name)
        ax.plot(grid, np.broadcast_to(derivative(grid), grid.shape), "--", label="derivative")
        ax.axhline(0, color="0.8", linewidth=0.8)
        ax.set_title(name)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    return _save(fig, save)


def xor_figure(candidates: dict[str, str] | None = None, threshold=exact(XOR_THRESHOLD), save=None) -> Figure:
    """The four XOR points and each candidate's decision region (output > threshold), mistakes circled."""

    if candidates is None:
        candidates = {
            "derived: y = h1 - 2 h2": "h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = h1 - 2*h2",
            "the source text's candidate": XOR_CANDIDATE,
        }
    fig = _figure(4.0 * len(candidates), 3.8)
    axes = fig.subplots(1, len(candidates), squeeze=False).ravel()
    u = np.linspace(-0.5, 1.5, 301)
    U, V = np.meshgrid(u, u)
    for ax, (label, text) in zip(axes, candidates.items()):
        fn = compile_expr(candidate_expression(text), [x1, x2])
        Y = np.broadcast_to(fn(U, V), U.shape)
        ax.contourf(U, V, (Y > float(threshold)).astype(float), levels=[-0.5, 0.5, 1.5], colors=["#dde6f5", "#f7d9c4"])
        points = np.array([p for p, _ in XOR_TABLE], dtype=float)
        labels = np.array([t for _, t in XOR_TABLE])
        ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="coolwarm", vmin=0, vmax=1, s=90, edgecolors="k", zorder=3)
        failures = check_xor(text, threshold=threshold).failures
        if failures:
            wrong = np.array(failures, dtype=float)
            ax.scatter(wrong[:, 0], wrong[:, 1], s=420, facecolors="none", edgecolors="red", linewidths=2, zorder=4)
        ax.set_title(f"{label}\n{'computes XOR' if not failures else 'wrong at ' + ', '.join(map(str, failures))}", fontsize=9)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_aspect("equal")
    return _save(fig, save)


def interpolant_figure(f, interval, widths=(2, 4, 8, 16), save=None) -> Figure:
    """``f`` against its ReLU interpolants (top) and the errors ``|f - p_n|`` (bottom, log scale)."""

    x = _variable(f)
    a, b = (float(v) for v in _interval(interval))
    grid = np.linspace(a, b, 1201)
    target = np.broadcast_to(numpy_function([x], f)(grid), grid.shape)
    fig = _figure(6.4, 6.0)
    top, bottom = fig.subplots(2, 1, sharex=True)
    top.plot(grid, target, "k", linewidth=2, label=f"${sympy.latex(f)}$")
    for n in widths:
        values = relu_interpolant(f, interval, n).compile()(grid.reshape(-1, 1)).ravel()
        top.plot(grid, values, label=f"{n} units")
        bottom.semilogy(grid, np.maximum(np.abs(values - target), 1e-17), label=f"{n} units")
    top.legend(fontsize=8)
    top.set_title("ReLU interpolants")
    bottom.set_ylim(bottom=1e-7)  # the error is 0 at the knots; the curves between them are what matters
    bottom.set_title("error $|f - p_n|$")
    bottom.set_xlabel(f"${sympy.latex(x)}$")
    return _save(fig, save)


def sawtooth_figure(ks=(1, 2, 3, 4), save=None) -> Figure:
    """The sawtooth of depth k on [0, 1]: 2^k linear pieces from 2k units."""

    grid = np.linspace(0, 1, 2049).reshape(-1, 1)
    fig = _figure(3.0 * len(ks), 2.6)
    axes = fig.subplots(1, len(ks), squeeze=False).ravel()
    for ax, k in zip(axes, ks):
        net = sawtooth(k)
        ax.plot(grid.ravel(), net.compile()(grid).ravel())
        ax.set_title(f"k = {k}: {len(linear_regions(net, (0, 1))) + 1} pieces, {2 * k} units", fontsize=9)
        ax.set_ylim(-0.05, 1.05)
    return _save(fig, save)


def gradient_figure(max_depth: int = 30, preactivations=None, save=None) -> Figure:
    """The product of activation derivatives along a chain of depth L, with the sigmoid's bound (1/4)^L.

    ``preactivations`` maps an activation to the pre-activation every layer
    sees (default: sigmoid and tanh at 0, their steepest point; ReLU at 1, an
    active unit — at 0 its derivative is 0 by convention).
    """

    preactivations = preactivations or {"sigmoid": 0, "tanh": 0, "relu": 1}
    depths = np.arange(1, max_depth + 1)
    fig = _figure(6.0, 4.0)
    ax = fig.subplots()
    for name, z in preactivations.items():
        values = [float(gradient_product(name, [z] * L)[0]) for L in depths]
        ax.semilogy(depths, np.maximum(values, 1e-300), marker="o", markersize=3, label=f"{name} at z = {z}")
    bound = [float(gradient_product("sigmoid", [0] * L)[1]) for L in depths]
    ax.semilogy(depths, bound, "k--", label="bound $(1/4)^L$")
    ax.set_xlabel("depth $L$")
    ax.set_ylabel(r"$\prod_k f'(z_k)$")
    ax.legend(fontsize=8)
    return _save(fig, save)

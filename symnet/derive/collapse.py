r"""Stacked affine layers collapse into one: :math:`W' = W_L \cdots W_1`, :math:`\mathbf b' = \sum_k W_L \cdots W_{k+1} \mathbf b_k`.

The general case uses matrix symbols of symbolic sizes, so products stay
non-commutative (``MatMul`` and ``MatAdd`` keep what they are given: nothing is
multiplied out until the prover expands a difference) and :math:`W_1 W_2` in place of :math:`W_2 W_1` is wrong, not
equal. The contrast — a ReLU between the layers breaks affinity — is shown by
a counterexample the code searches for: points :math:`\mathbf u, \mathbf v`
where :math:`f(\tfrac{\mathbf u + \mathbf v}{2}) \ne \tfrac12(f(\mathbf u) + f(\mathbf v))`,
which no affine map allows.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import sympy
from sympy import ImmutableMatrix, MatAdd, MatMul, MatrixSymbol, Rational, symbols

from symnet.derive.core import Derivation, Step
from symnet.errors import SymnetError
from symnet.network import Dense, Sequential, mlp
from symnet.symbols import input_symbols

__all__ = ["linear_collapse", "nonaffine_witness"]


def _layer_symbols(count: int):
    sizes = symbols(f"n0:{count + 1}", integer=True, positive=True)
    x = MatrixSymbol(r"\mathbf{x}", sizes[0], 1)
    weights = [MatrixSymbol(f"W_{{{k}}}", sizes[k], sizes[k - 1]) for k in range(1, count + 1)]
    biases = [MatrixSymbol(rf"\mathbf{{b}}_{{{k}}}", sizes[k], 1) for k in range(1, count + 1)]
    return sizes, x, weights, biases


def _product(matrices):
    """W_k ⋯ W_j as an ordered product (the identity's place taken by a lone factor)."""
    return matrices[0] if len(matrices) == 1 else MatMul(*matrices)


def _collapsed_form(weights, biases, x):
    """(W_L ⋯ W_1) x + Σ_k W_L ⋯ W_{k+1} b_k, written in that order."""
    count = len(weights)
    w_prime = _product(weights[::-1])
    terms = [MatMul(w_prime, x)]
    terms += [MatMul(_product(weights[k + 1 :][::-1]), biases[k]) for k in range(count - 1)]
    terms.append(biases[-1])
    return w_prime, MatAdd(*terms[1:]), MatAdd(*terms)


def linear_collapse(layers: int = 2, dims=None) -> Derivation:
    r"""Derive that ``layers`` affine layers with no activation are one affine layer.

    Steps: substitution and distributivity for two layers; the induction step
    :math:`W_{L}(A\mathbf x + \mathbf c) + \mathbf b_L = (W_L A)\mathbf x + (W_L\mathbf c + \mathbf b_L)`;
    the closed form for ``layers`` layers; the same on explicit matrices of
    sizes ``dims`` (default ``[2, 3, 2]`` extended to the number of layers);
    and a ReLU network between the same sizes that is not affine, with the
    counterexample found.
    """
    if not isinstance(layers, int) or isinstance(layers, bool) or layers < 2:
        raise SymnetError(f"layers must be an integer of at least 2, got {layers!r}")
    if layers > 12:
        raise SymnetError(f"layers={layers}: the explicit expansion is limited to 12 layers")
    sizes, x, W, b = _layer_symbols(layers)
    steps = []
    # Two layers, step by step.
    h = MatAdd(MatMul(W[0], x), b[0])
    y2 = MatAdd(MatMul(W[1], h), b[1])
    steps.append(Step(y2, ":=", "two affine layers: $h = W_1 x + b_1$ substituted into $y = W_2 h + b_2$", lhs=MatrixSymbol(r"\mathbf{y}", sizes[2], 1)))
    steps.append(Step(MatAdd(MatMul(W[1], W[0], x), MatMul(W[1], b[0]), b[1]), "=", "distribute $W_2$ (products keep their order)"))
    w_prime2, b_prime2, _ = _collapsed_form(W[:2], b[:2], x)
    Wp = MatrixSymbol("W'", sizes[2], sizes[0])
    bp = MatrixSymbol(r"\mathbf{b}'", sizes[2], 1)
    steps.append(Step(w_prime2, ":=", "the collapsed weight", lhs=Wp))
    steps.append(Step(b_prime2, ":=", "the collapsed bias", lhs=bp))
    steps.append(Step(MatAdd(MatMul(w_prime2, x), b_prime2), "=", "one affine layer $W' x + b'$", lhs=y2))
    # Induction step with a generic affine map A x + c.
    A = MatrixSymbol("A", sizes[1], sizes[0])
    c = MatrixSymbol(r"\mathbf{c}", sizes[1], 1)
    inductive = MatAdd(MatMul(W[1], MatAdd(MatMul(A, x), c)), b[1])
    steps.append(
        Step(
            MatAdd(MatMul(MatMul(W[1], A), x), MatAdd(MatMul(W[1], c), b[1])),
            "=",
            "induction: an affine layer after an affine map $A x + c$ is affine",
            lhs=inductive,
        )
    )
    # The closed form for `layers` layers, against the layers composed one by one.
    composed = x
    for weight, bias in zip(W, b):
        composed = MatAdd(MatMul(weight, composed), bias)
    w_prime, b_prime, closed = _collapsed_form(W, b, x)
    steps.append(Step(closed, "=", f"{layers} layers: $W' = W_{{{layers}}} \\cdots W_1$, $b' = \\sum_k W_{{{layers}}} \\cdots W_{{k+1}} b_k$", lhs=composed))
    # Explicit matrices of given sizes (symbolic entries).
    dims = _dims(dims, layers)
    explicit = Sequential._quietly([Dense(dims[k], dims[k + 1], index=k + 1) for k in range(layers)])
    xs = input_symbols(dims[0])
    weights = [layer.weight for layer in explicit.layers]
    biases = [layer.bias for layer in explicit.layers]
    composed_explicit = xs
    for weight, bias in zip(weights, biases):
        composed_explicit = MatAdd(MatMul(weight, composed_explicit), bias)
    _, _, closed_explicit = _collapsed_form(weights, biases, xs)
    steps.append(
        Step(closed_explicit, "=", f"explicit matrices, sizes {'-'.join(map(str, dims))}", lhs=composed_explicit, new_block=True)
    )
    # The contrast: with a ReLU between the layers the map is not affine.
    info, u, v, values = nonaffine_witness(dims)
    fu, fv, fm = values
    steps.append(
        Step(
            (fu + fv) / 2,
            "!=",
            f"with ReLU: $y_{info['output']}$ at the midpoint of $u = {_vec(u)}$, $v = {_vec(v)}$ vs. the mean",
            lhs=fm,
            new_block=True,
        )
    )
    return Derivation(
        title=f"Stacked linear layers collapse ({layers} layers)",
        steps=tuple(steps),
        summary="Without a nonlinearity between them, affine layers compose to one affine layer; a ReLU breaks this.",
        facts={"W'": w_prime, "b'": b_prime, "dims": dims, "witness": (info, u, v, values)},
    )


def _dims(dims, layers: int) -> list[int]:
    if dims is None:
        base = [2, 3]
        return [base[k % 2] for k in range(layers + 1)]
    dims = [int(d) for d in dims]
    if len(dims) != layers + 1 or any(d < 1 for d in dims):
        raise SymnetError(f"dims must list {layers + 1} positive sizes for {layers} layers, got {dims}")
    if max(dims) > 6:
        raise SymnetError(f"dims {dims}: explicit symbolic matrices are limited to size 6")
    return dims


def _vec(values) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")"


def nonaffine_witness(dims, seed: int = 0, attempts: int = 50):
    r"""A ReLU network between ``dims`` and two inputs that show it is not affine.

    Integer weights in :math:`\{-2, \dots, 2\}` and biases 0 are drawn with a
    seeded generator; for each draw the code searches pairs of points of
    :math:`\{-2, \dots, 2\}^n` for :math:`f(\tfrac{u+v}2) \ne \tfrac12(f(u) + f(v))`
    in some output. (Some draws are affine on the whole grid — alternating
    signs can make :math:`\operatorname{ReLU}(u) - \operatorname{ReLU}(-u) = u` — so
    draws continue until one is not.) Returns ``(info, u, v, (f(u), f(v), f(midpoint)))``
    with the seed and the weights in ``info``.
    """
    grid = list(itertools.product(range(-2, 3), repeat=dims[0]))
    for attempt in range(attempts):
        rng = random.Random(seed + attempt)
        weights = [[[rng.randint(-2, 2) for _ in range(a)] for _ in range(b)] for a, b in zip(dims, dims[1:])]
        found = _search(weights, grid)
        if found is None:
            continue
        u, v, i = found
        # the witness, evaluated exactly by the network itself (the search above used plain fractions)
        net = mlp(dims, activation="relu").bind(weights=weights, biases=[[0] * b for b in dims[1:]])
        mid = [Rational(a + b, 2) for a, b in zip(u, v)]
        fu, fv, fm = net(list(u))[i], net(list(v))[i], net(mid)[i]
        info = {"description": f"integers drawn with seed {seed + attempt}", "weights": weights, "output": i + 1}
        return info, u, v, (fu, fv, fm)
    raise SymnetError(f"no counterexample found for dims {dims} in {attempts} draws")


def _search(weights, grid):
    """``(u, v, output)`` with f((u+v)/2) ≠ (f(u) + f(v))/2 for the ReLU network of ``weights``, or None.

    Plain fractions (a fast search over many pairs); the witness found is then
    evaluated by the network itself.
    """

    def forward(x):
        for k, matrix in enumerate(weights):
            x = [sum((w * xi for w, xi in zip(row, x)), Fraction(0)) for row in matrix]
            if k < len(weights) - 1:
                x = [max(Fraction(0), xi) for xi in x]
        return x

    for u, v in itertools.combinations(grid, 2):
        fu, fv = forward([Fraction(a) for a in u]), forward([Fraction(b) for b in v])
        fm = forward([Fraction(a + b, 2) for a, b in zip(u, v)])
        for i, (a, b, m) in enumerate(zip(fu, fv, fm)):
            if m != (a + b) / 2:
                return u, v, i
    return None

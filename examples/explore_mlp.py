"""A short exploration of the 3 → 4 → 4 → 2 MLP and the activations, printed to the terminal.

Run with ``make demo`` (or ``python examples/explore_mlp.py``). Every number
printed is computed here; none is typed in.
"""

from __future__ import annotations

import warnings

import numpy as np
import sympy

import symnet as sn
from symnet.printing.text import number_text, set_text


def heading(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)))


def main() -> None:
    net = sn.mlp([3, 4, 4, 2])
    heading("The network")
    print(net)
    formula, value = net.param_count_formula()
    print(f"parameters per layer: {net.param_counts}, total {net.num_params}")
    print(f"count formula {formula} evaluated at widths {net.widths}: {value}")
    print("matrix form (LaTeX):")
    print(net.latex())

    heading("One unit, written out")
    h1 = net.hidden()[0][0]
    print(f"h1_1 = {h1}")
    print(f"LaTeX: {sn.latex(h1)}")

    heading("Bound to random weights: exact SymPy vs hand-written NumPy")
    rng = np.random.default_rng(2026)
    weights = [rng.standard_normal((b, a)) for a, b in zip(net.widths, net.widths[1:])]
    biases = [rng.standard_normal(b) for b in net.widths[1:]]
    bound = net.bind(weights=weights, biases=biases)
    x = np.array([1.0, 2.0, 3.0])
    symbolic = np.array(bound(x), dtype=float).ravel()
    h = x
    for k, (w, b) in enumerate(zip(weights, biases)):
        h = w @ h + b
        h = np.maximum(0, h) if k < len(weights) - 1 else h
    print(f"symnet : {symbolic}")
    print(f"NumPy  : {h}")
    print(f"largest difference: {np.max(np.abs(symbolic - h)):.2e}")

    heading("A neuron from the seed text, computed")
    neuron = sn.Neuron(["0.5", "-1.2", "0.3"], "0.1", "relu")
    print(f"w = (0.5, -1.2, 0.3), b = 0.1, x = (1, 2, 3):  z = {neuron.preactivation([1, 2, 3])}, "
          f"a = ReLU(z) = {neuron([1, 2, 3])}")

    heading("Stacked linear layers collapse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        linear = sn.Sequential(sn.Dense(3, 4), sn.Dense(4, 2))
    print(f"warning: {caught[0].message}")
    merged = linear.collapsed().layers[0]
    w1, b1, w2, b2 = linear.parameters
    print(f"W' == W2*W1: {merged.weight == w2 * w1};  b' == W2*b1 + b2: {merged.bias == w2 * b1 + b2}")

    heading("Activations: properties computed from their definitions")
    z = sympy.Symbol("z", real=True)
    print(f"{'name':11} {'range':38} {'max |f′|':>12}  {'monotone':15} zero-centred")
    for name in sn.activation_names():
        act = sn.activation(name)
        slope = act.max_abs_derivative.value
        slope_text = number_text(slope)
        print(f"{name:11} {set_text(act.range):38} {slope_text:>12}  {str(act.monotonic):15} {act.zero_centred}")
    for name in ("gelu", "silu"):
        where, low = sn.activation(name).minimum
        print(f"min {name}(z) = {sympy.N(low, 15)} at z = {sympy.N(where, 15)}"
              + ("  (closed form: " + str(low) + ")" if not isinstance(low, sympy.Float) else "  (numeric root)"))
    print(f"sigmoid'(z) = {sn.activation('sigmoid').derivative(z)}")


if __name__ == "__main__":
    main()

r"""The source text's own content: its section 2 neuron, its XOR candidate and its worked examples.

These are the inputs the source text gives; every value, check and correction
is computed from them by :mod:`symnet.derive`, and the text's own claims are
checked by ``symnet check`` against those computations, never written here.
"""

from __future__ import annotations

from symnet.derive import linear_collapse, neuron_forward, parameter_count, transformer_mlp_params, xor
from symnet.derive.core import Derivation
from symnet.errors import SymnetError
from symnet.values import exact

__all__ = ["XOR_CANDIDATE", "XOR_THRESHOLD", "section2_neuron", "xor_derivation", "worked_example", "worked_examples"]

#: The "canonical solution" of the source text's section 10, example 2, as printed there.
XOR_CANDIDATE = "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2"
#: The threshold the source text reads that network's output with.
XOR_THRESHOLD = "0.25"


def section2_neuron() -> Derivation:
    """The neuron of section 2: w = (0.5, -1.2, 0.3), b = 0.1, x = (1, 2, 3), ReLU — computed."""
    return neuron_forward(["0.5", "-1.2", "0.3"], "0.1", [1, 2, 3], "relu", title="Section 2: a neuron with three inputs")


def xor_derivation() -> Derivation:
    """The XOR derivation with the source text's candidate checked and corrected."""
    return xor(XOR_CANDIDATE, exact(XOR_THRESHOLD), source="the source text's candidate")


def worked_example(number: int) -> list[Derivation]:
    """The derivations of worked example ``number`` (1 to 4) of section 10."""
    if number == 1:
        weights = ["0.5", "-1.0", "2.0"]
        return [
            neuron_forward(weights, -1, [2, 1, 1], "relu", title="Example 1: a neuron with ReLU"),
            neuron_forward(weights, -3, [2, 1, 1], "relu", title="Example 1: the same neuron with bias -3"),
        ]
    if number == 2:
        return [xor_derivation()]
    if number == 3:
        return [linear_collapse(2)]
    if number == 4:
        return [parameter_count([3, 4, 4, 2]), transformer_mlp_params(4096)]
    raise SymnetError(f"worked examples are numbered 1 to 4, got {number!r}")


def worked_examples() -> list[Derivation]:
    """All worked examples of section 10, then the section 2 neuron."""
    return [d for n in range(1, 5) for d in worked_example(n)] + [section2_neuron()]

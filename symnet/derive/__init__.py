"""Verified derivations of the classic results, rendered as LaTeX.

>>> from symnet import derive
>>> bool(derive.linear_collapse(layers=3).verify())
True
"""

from symnet.derive.calculus import activation_derivative
from symnet.derive.collapse import linear_collapse, nonaffine_witness
from symnet.derive.core import Derivation, Report, Step, StepResult
from symnet.derive.counting import parameter_count, transformer_mlp_params
from symnet.derive.examples import neuron_forward
from symnet.derive.xor import XorCheck, candidate_expression, check_xor, correct_output_weights, weight_bound, xor

__all__ = [
    "Derivation",
    "Report",
    "Step",
    "StepResult",
    "XorCheck",
    "candidate_expression",
    "activation_derivative",
    "check_xor",
    "correct_output_weights",
    "linear_collapse",
    "neuron_forward",
    "nonaffine_witness",
    "parameter_count",
    "transformer_mlp_params",
    "weight_bound",
    "xor",
]

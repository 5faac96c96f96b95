"""symnet: a symbolic math explorer for neural networks.

Networks are SymPy expressions; their formulas render as LaTeX and evaluate
numerically through stable NumPy kernels.

>>> import symnet as sn
>>> sn.mlp([3, 4, 4, 2]).num_params
46
"""

from symnet.activations import Activation, activation, activation_names, custom_activation
from symnet.errors import ShapeError, SymnetError, UnknownNameError
from symnet.functions import (
    ActivationFunction,
    elu,
    gelu,
    gelu_tanh,
    identity,
    leaky_relu,
    normal_cdf,
    normal_pdf,
    relu,
    sigmoid,
    silu,
    softplus,
    to_elementary,
)
from symnet.network import CollapsibleLayersWarning, Dense, Neuron, Sequential, mlp, param_count_formula
from symnet.numeric import compile
from symnet.parse import ParseError, parse, parse_assignments
from symnet.printing.latex import latex
from symnet.symbols import LayerSymbol, input_symbols

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "ActivationFunction",
    "CollapsibleLayersWarning",
    "Dense",
    "LayerSymbol",
    "Neuron",
    "ParseError",
    "Sequential",
    "ShapeError",
    "SymnetError",
    "UnknownNameError",
    "activation",
    "activation_names",
    "compile",
    "custom_activation",
    "elu",
    "gelu",
    "gelu_tanh",
    "identity",
    "input_symbols",
    "latex",
    "leaky_relu",
    "mlp",
    "normal_cdf",
    "normal_pdf",
    "param_count_formula",
    "parse",
    "parse_assignments",
    "relu",
    "sigmoid",
    "silu",
    "softplus",
    "to_elementary",
]

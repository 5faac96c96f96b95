"""PyTorch (CPU, float64) as an independent oracle: same weights, same outputs; autograd against textbook derivatives."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy

import symnet as sn
from tests.conftest import require

torch = require("torch", "the independent oracle of this file")

TORCH_ACTIVATIONS = {
    "identity": lambda: torch.nn.Identity(),
    "relu": lambda: torch.nn.ReLU(),
    "sigmoid": lambda: torch.nn.Sigmoid(),
    "tanh": lambda: torch.nn.Tanh(),
    "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
    "elu": lambda: torch.nn.ELU(1.0),
    # torch's default returns x itself beyond x = 20 (off by up to 2e-9); lift that shortcut.
    "softplus": lambda: torch.nn.Softplus(threshold=700),
    "silu": lambda: torch.nn.SiLU(),
    "gelu": lambda: torch.nn.GELU(),
    "gelu_tanh": lambda: torch.nn.GELU(approximate="tanh"),
}


def test_every_activation_has_a_torch_counterpart():
    assert set(TORCH_ACTIVATIONS) == set(sn.activation_names())


def _torch_model(weights, biases, activations):
    layers = []
    for w, b, act in zip(weights, biases, activations):
        linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, TORCH_ACTIVATIONS[act]()]
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("act", sorted(TORCH_ACTIVATIONS))
@pytest.mark.parametrize("widths", [[3, 4, 4, 2], [16, 32, 32, 4]])
def test_compiled_network_equals_torch_sequential(act, widths):
    rng = np.random.default_rng(7)
    weights = [rng.standard_normal((b, a)) for a, b in zip(widths, widths[1:])]
    biases = [rng.standard_normal(b) for b in widths[1:]]
    activations = [act] * (len(widths) - 2) + ["identity"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sn.CollapsibleLayersWarning)  # all-identity layers collapse, by design
        net = sn.mlp(widths, activation=act)
    fn = net.bind(weights=weights, biases=biases).compile()
    X = 3 * rng.standard_normal((300, widths[0]))
    with torch.no_grad():
        expected = _torch_model(weights, biases, activations)(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(fn(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("act", sorted(set(TORCH_ACTIVATIONS) - {"identity"}))
def test_textbook_derivative_equals_torch_autograd(act):
    z = sympy.Symbol("z", real=True)
    derivative = sn.compile(sn.activation(act).derivative(z), [z])
    x = np.concatenate([np.linspace(-8, 8, 161), [-30.0, -3.3, 0.0, 2.2, 30.0]])
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(TORCH_ACTIVATIONS[act]()(xt).sum(), xt)
    # At z = 0 both sides follow the same conventions for ReLU, leaky ReLU and ELU.
    # The derivatives are O(1); the absolute floor covers GELU-tanh's left tail, where the
    # textbook form (1 + tanh u)/2 cancels in both implementations (each about 4e-7 relative
    # from mpmath at z = -5.8, measured, values near 1e-6).
    np.testing.assert_allclose(np.broadcast_to(derivative(x), x.shape), grad.numpy(), rtol=1e-12, atol=1e-13)

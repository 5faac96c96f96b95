r"""Activations as users meet them: :class:`Activation`, a registered function bound to its parameters, with computed properties.

The functions themselves (SymPy classes, their derivatives and kernels) live
in :mod:`symnet.functions`, where defining a class registers it. An
:class:`Activation` binds one to its parameters and computes the function's
properties — range, extrema, the largest slope, monotonicity, symmetry,
piecewise linearity — from the defining formula with :mod:`symnet.analysis`;
nothing about an activation's behaviour is typed in.

>>> act = activation("sigmoid")
>>> act.range
Interval.open(0, 1)
>>> act.max_abs_derivative
Attained(where=0, value=1/4)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable

import numpy as np
import sympy
from sympy import Expr, Lambda, Symbol

from symnet import analysis
from symnet.errors import SymnetError, UnknownNameError
from symnet.functions import FunctionInfo, lookup, registered, to_elementary
from symnet.numeric import as_real_array, compile_scalar
from symnet.printing.latex import latex
from symnet.printing.text import number_text, set_text
from symnet.values import exact

__all__ = ["Activation", "activation", "activation_names", "custom_activation", "Z"]

#: The variable the registry uses to state definitions and properties.
Z = Symbol("z", real=True)
#: The activation of each registration, with its default parameters (its properties are cached on it).
_BY_INFO: dict = {}


@dataclass(frozen=True, eq=False)
class Activation:
    r"""An activation bound to its parameters: ``act(z)`` builds the SymPy expression.

    :meth:`derivative` gives the textbook derivative, :meth:`elementary` the
    defining formula, :meth:`numpy` evaluates the stable kernel. Properties
    (:attr:`range`, :attr:`minimum`, :attr:`maximum`,
    :attr:`max_abs_derivative`, :attr:`monotonic`, :attr:`zero_centred`,
    :attr:`piecewise_linear`) are computed from the defining formula on first use.
    """

    name: str
    head: Callable[..., Expr]
    latex_name: str
    summary: str
    params: tuple[Expr, ...] = ()
    definition: Callable[..., Expr] | None = None
    kernel: Callable[..., np.ndarray] | None = None

    @classmethod
    def from_info(cls, info: FunctionInfo) -> "Activation":
        """The activation registered as ``info``, with its default parameters: one object per registration,
        so its computed properties are computed once."""
        if info not in _BY_INFO:
            _BY_INFO[info] = cls(info.name, info.head, info.latex_name, info.summary, info.defaults, info.definition,
                                 info.kernel)
        return _BY_INFO[info]

    def __call__(self, z) -> Expr:
        return self.head(z, *self.params)

    def __repr__(self) -> str:
        shown = "".join(f", {p}" for p in self.params)
        return f"Activation({self.name!r}{shown})"

    @property
    def latex(self) -> str:
        """LaTeX of the function's name, as used in every formula (``\\sigma``, ``\\operatorname{ReLU}``)."""
        return self.latex_name

    @cached_property
    def is_linear(self) -> bool:
        """True for the identity (an activation that returns its argument), whose layers are affine.

        Decided with SymPy's evaluation on, whatever the caller's setting: the
        answer is cached.
        """
        with sympy.evaluate(True):
            return self(Z) == Z

    def derivative(self, z=Z) -> Expr:
        """The derivative at ``z`` in textbook form, e.g. ``sigmoid(z)*(1 - sigmoid(z))``."""
        t = sympy.Dummy("t", real=True)
        return sympy.diff(self(t), t).subs(t, z)

    def elementary(self, z=Z) -> Expr:
        """The defining formula at ``z`` (e.g. ``1/(1 + exp(-z))`` for sigmoid)."""
        if self.definition is not None:
            return self.definition(z, *self.params)
        return to_elementary(self(z))

    def numpy(self, x) -> np.ndarray:
        """Evaluate the activation elementwise on an array with the stable kernel; float32 stays float32."""
        array = as_real_array(x, what=f"input of {self.name}")
        return self._kernel_function(array)

    @cached_property
    def _kernel_function(self):
        symbolic = [p for p in self.params if not p.is_number]
        if symbolic:
            raise SymnetError(
                f"activation {self.name!r} has a symbolic parameter "
                f"{', '.join(map(str, symbolic))}; give it a number before evaluating numerically"
            )
        if self.kernel is not None:
            params = [float(p) for p in self.params]
            if not params:
                return self.kernel
            return lambda a: self.kernel(a, *params)
        # A custom activation: compiled through the same printer as networks.
        return compile_scalar(self(Z), [Z])

    def definition_latex(self, z=Z) -> str:
        r"""``\sigma\left(z\right) = \frac{1}{1 + e^{- z}}``: the name applied to z, and the defining formula."""
        return f"{self._applied_latex(z)} = {latex(self.elementary(z))}"

    def derivative_latex(self, z=Z) -> str:
        """The textbook derivative as an equation, e.g. ``\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))``."""
        return rf"\frac{{d}}{{d {latex(z)}}} {self._applied_latex(z)} = {latex(self.derivative(z))}"

    def _applied_latex(self, z) -> str:
        """``\\sigma\\left(z\\right)``; an activation that evaluates to its argument (the identity) keeps its name."""
        applied = self(z)
        if applied == z:
            return rf"\operatorname{{{self.name}}}\left({latex(z)}\right)"
        return latex(applied)

    def _repr_latex_(self) -> str:
        try:
            return (
                rf"$\begin{{aligned}} {self.definition_latex()} \\"
                rf" {self.derivative_latex()} \end{{aligned}}$"
            )
        except Exception as error:  # a display hook must not raise
            return f"(LaTeX unavailable: {error})"

    # --- properties, computed -------------------------------------------------

    @cached_property
    def analysis(self) -> analysis.FunctionProfile:
        """The :class:`symnet.analysis.FunctionProfile` of the defining formula."""
        return analysis.profile(to_elementary(self(Z)), Z)

    @property
    def range(self) -> sympy.Interval:
        """The image of ℝ as a SymPy Interval, exact where a closed form exists."""
        return self.analysis.range

    @property
    def minimum(self) -> analysis.Attained | None:
        """``None`` if the infimum is not attained, else ``Attained(where, value)``.

        ``where`` is a number for a unique minimiser, a SymPy Set otherwise
        (ReLU attains 0 on all of (-oo, 0]).
        """
        return self.analysis.minimum

    @property
    def maximum(self) -> analysis.Attained | None:
        """Like :attr:`minimum`, for the supremum."""
        return self.analysis.maximum

    @cached_property
    def derivative_analysis(self) -> analysis.FunctionProfile:
        return analysis.profile(to_elementary(self.derivative(Z)), Z)

    @property
    def max_abs_derivative(self) -> analysis.Attained:
        """``Attained(where, value)``: the supremum of |f'| over ℝ and where it is attained.

        The same order as :attr:`minimum` and :attr:`maximum` (before 0.2 it was ``(value, where)``).
        """
        return self.derivative_analysis.max_abs

    @property
    def monotonic(self) -> str | None:
        """``"increasing"``, ``"non-decreasing"``, ``"decreasing"``, ``"non-increasing"`` or ``None``."""
        return self.derivative_analysis.sign_class

    @cached_property
    def zero_centred(self) -> bool:
        """True when the function is odd, f(−z) = −f(z): symmetric inputs give outputs of mean 0."""
        f = to_elementary(self(Z))
        return analysis.equal_on_reals(f.subs(Z, -Z), -f, Z)

    @cached_property
    def piecewise_linear(self) -> bool:
        """True when the function is affine between its kinks (ReLU, leaky ReLU, the identity), computed from its formula."""
        return analysis.is_piecewise_linear(to_elementary(self(Z)), Z)

    def with_params(self, *params) -> "Activation":
        """The same activation with other parameter values (a leak slope, an ELU alpha)."""
        if len(params) != len(self.params):
            raise SymnetError(
                f"activation {self.name!r} takes {len(self.params)} parameter(s), got {len(params)}"
            )
        return replace(self, params=tuple(exact(p, what=f"parameter of {self.name}") for p in params))

    # --- reports ----------------------------------------------------------------

    def as_json(self) -> dict:
        """Definition, derivative, range and computed properties, for ``symnet activations --json``."""
        minimum = self.minimum
        slope = self.max_abs_derivative
        return {
            "name": self.name,
            "definition": str(self.elementary(Z)),
            "derivative": str(self.derivative(Z)),
            "range": set_text(self.range),
            "minimum": None if minimum is None else {
                "at": str(minimum.where), "value": str(minimum.value), "approx": float(minimum.value)},
            "max_abs_derivative": {"value": str(slope.value), "approx": float(slope.value)},
            "monotonic": self.monotonic,
            "zero_centred": self.zero_centred,
            "latex": {"definition": self.definition_latex(), "derivative": self.derivative_latex()},
        }

    def describe(self) -> str:
        """The properties as an indented block of text, for ``symnet activations``."""
        lines = [
            self.name,
            f"  definition   {self.elementary(Z)}",
            f"  derivative   {self.derivative(Z)}",
            f"  range        {set_text(self.range)}",
        ]
        if self.minimum is not None:
            where, value = self.minimum
            at = set_text(where) if isinstance(where, sympy.Set) else number_text(where, 12)
            lines.append(f"  minimum      {number_text(value, 12)} at {at}")
        lines.append(f"  max |f'|     {number_text(self.max_abs_derivative.value, 12)}")
        lines.append(f"  monotonic    {self.monotonic or 'no'}; zero-centred: {'yes' if self.zero_centred else 'no'}")
        return "\n".join(lines)


def activation_names() -> list[str]:
    """The canonical names of the registered activations, in registration order."""
    return [info.name for info in registered()]


def activation(spec: Any, *params) -> Activation:
    """Look up an activation by name (``"relu"``, ``"swish"``), or wrap one.

    ``spec`` may be a name, an :class:`Activation` (returned as is), or a
    SymPy expression in exactly one symbol (a custom activation such as
    ``sn.parse("z*sigmoid(z)")``). ``params`` override the parameters of a
    parameterised activation: ``activation("leaky_relu", Rational(1, 5))``.
    """
    if isinstance(spec, Activation):
        row = spec
    elif isinstance(spec, str):
        info = lookup(spec)
        if info is None:
            known = [i.name for i in registered()] + [a for i in registered() for a in i.aliases]
            raise UnknownNameError("activation", spec, known)
        row = Activation.from_info(info)
    elif isinstance(spec, sympy.Basic):
        row = custom_activation(spec)
    else:
        raise SymnetError(
            f"an activation is a name, an Activation or a SymPy expression in one symbol; "
            f"got {spec!r} of type {type(spec).__name__}"
        )
    return row.with_params(*params) if params else row


def custom_activation(expr: Expr, name: str | None = None) -> Activation:
    """An activation from a SymPy expression in exactly one symbol, e.g. ``z*sigmoid(z)``."""
    free = sorted(expr.free_symbols, key=str)
    if len(free) != 1:
        raise SymnetError(
            f"a custom activation needs exactly one free symbol, {expr} has "
            f"{len(free)}: {', '.join(map(str, free)) or 'none'}"
        )
    variable = free[0]
    t = sympy.Dummy("t", real=True)
    body = expr.subs(variable, t)
    label = name or str(expr)
    return Activation(
        name=label,
        head=Lambda(t, body),
        latex_name=rf"\operatorname{{{label}}}" if name else "",
        summary=f"custom activation {expr}",
    )

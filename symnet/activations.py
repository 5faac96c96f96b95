r"""Activation functions: one SymPy ``Function`` subclass each, and one registry row each.

Every activation class carries four things, the way SymPy writes its own
special functions (compare ``sympy.codegen.cfunctions.expm1``):

* ``fdiff`` — the derivative in *textbook form*, e.g.
  :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))` rather than
  :math:`e^{-z}/(1 + e^{-z})^2`;
* ``_elementary`` — the defining formula, reachable with
  ``expr.rewrite("elementary")``;
* ``_latex`` — the name a textbook prints (:math:`\sigma`,
  :math:`\operatorname{ReLU}`, ...);
* ``_numpycode`` — a call to the numerically stable kernel of the same name in
  :mod:`symnet.kernels`, so ``lambdify`` emits stable code.

The registry row (:class:`Activation`) binds a class to its parameters and
computes the function's properties — range, extrema, the largest slope,
monotonicity, symmetry — from the defining formula with
:mod:`symnet.analysis`; nothing about an activation's behaviour is typed in.

Conventions
-----------
* ReLU'(0) = 0, as in PyTorch and JAX (SymPy's ``Heaviside(0)`` is 1/2):
  the derivative is ``Heaviside(z, 0)``. Leaky ReLU and ELU take the left-hand
  value at 0 likewise (``slope`` and ``alpha``), again as PyTorch does.
* Floating-point constants inside definitions are exact rationals
  (0.044715 is 44715/10^6, the default leak 0.01 is 1/100).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, ClassVar

import numpy as np
import sympy
from sympy import (
    Expr,
    Function,
    Heaviside,
    Lambda,
    Max,
    Min,
    Piecewise,
    Rational,
    S,
    Symbol,
    exp,
    log,
    pi,
    sqrt,
    tanh,
)
from sympy.core.evalf import prec_to_dps
from sympy.core.function import ArgumentIndexError

from symnet import kernels
from symnet.errors import SymnetError, UnknownNameError
from symnet.values import as_sympy
from symnet.numeric import kernel_call
from symnet.special import normal_cdf, normal_pdf

__all__ = [
    "Activation",
    "ActivationFunction",
    "activation",
    "activation_names",
    "to_elementary",
    "identity",
    "sigmoid",
    "relu",
    "leaky_relu",
    "elu",
    "softplus",
    "silu",
    "gelu",
    "gelu_tanh",
]

#: The variable the registry uses to state definitions and properties.
Z = Symbol("z", real=True)

_GELU_TANH_CUBIC = Rational(44715, 10**6)


class ActivationFunction(Function):
    """Base class of symnet's activations.

    Subclasses set :attr:`latex_name`, :attr:`kernel` and, when the function
    has parameters after ``z``, :attr:`defaults`; and implement
    :meth:`_elementary` and :meth:`_derivative`.
    """

    #: LaTeX of the function's name, e.g. ``r"\sigma"``.
    latex_name: ClassVar[str]
    #: Name of the NumPy kernel in :mod:`symnet.kernels`.
    kernel: ClassVar[str]
    #: Default values of the parameters that follow ``z``.
    defaults: ClassVar[tuple[Expr, ...]] = ()

    def __new__(cls, z, *params, **options):
        if len(params) > len(cls.defaults):
            raise TypeError(
                f"{cls.__name__} takes z and at most {len(cls.defaults)} parameter(s), "
                f"got {1 + len(params)} arguments"
            )
        params = params + cls.defaults[len(params) :]
        return super().__new__(cls, z, *params, **options)

    @classmethod
    def eval(cls, z, *params):
        """The exact value at 0, from the defining formula (σ(0) = 1/2, softplus(0) = log 2)."""
        if z.is_zero:
            return cls._elementary(S.Zero, *params)
        return None

    @classmethod
    def _elementary(cls, z, *params) -> Expr:
        raise NotImplementedError

    @classmethod
    def _derivative(cls, z, *params) -> Expr:
        raise NotImplementedError

    def fdiff(self, argindex=1):
        if argindex == 1:
            return self._derivative(*self.args)
        if 2 <= argindex <= len(self.args):
            # Derivative in a parameter (a leak slope, an ELU alpha).
            marker = sympy.Dummy("p")
            args = list(self.args)
            args[argindex - 1] = marker
            return self._elementary(*args).diff(marker).subs(marker, self.args[argindex - 1])
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_elementary(self, *args, **kwargs):
        return self._elementary(*args)

    def _eval_evalf(self, prec):
        return self._elementary(*self.args).evalf(prec_to_dps(prec))

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _latex(self, printer, exp=None):
        name = self.latex_name
        shown = [
            printer._print(p)
            for p, default in zip(self.args[1:], self.defaults)
            if p != default
        ]
        if shown:
            name = rf"{name}_{{{', '.join(shown)}}}"
        if exp is not None:
            name = rf"{name}^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer):
        return kernel_call(printer, self.kernel, self.args)


class identity(ActivationFunction):
    r"""Identity :math:`z \mapsto z`: a layer with it is affine."""

    latex_name = r"\operatorname{id}"
    kernel = "identity"

    @classmethod
    def eval(cls, z):
        return z

    @classmethod
    def _elementary(cls, z):
        return z

    @classmethod
    def _derivative(cls, z):
        return S.One


class sigmoid(ActivationFunction):
    r"""Logistic sigmoid :math:`\sigma(z) = \dfrac{1}{1 + e^{-z}}`.

    :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`.
    """

    latex_name = r"\sigma"
    kernel = "sigmoid"

    @classmethod
    def eval(cls, z):
        if z is S.Infinity:
            return S.One
        if z is S.NegativeInfinity:
            return S.Zero
        return super().eval(z)

    @classmethod
    def _elementary(cls, z):
        return 1 / (1 + exp(-z))

    @classmethod
    def _derivative(cls, z):
        return sigmoid(z) * (1 - sigmoid(z))


def _real_number(z) -> bool:
    return bool(z.is_number and z.is_extended_real)


class relu(ActivationFunction):
    r"""Rectified linear unit :math:`\operatorname{ReLU}(z) = \max(0, z)`.

    :math:`\operatorname{ReLU}'(z) = 1` for :math:`z > 0` and :math:`0` for
    :math:`z \le 0` (the value 0 at the kink is the PyTorch/JAX convention).
    """

    latex_name = r"\operatorname{ReLU}"
    kernel = "relu"

    @classmethod
    def eval(cls, z):
        if _real_number(z) or z.is_nonnegative or z.is_nonpositive:
            return Max(S.Zero, z)
        return None

    @classmethod
    def _elementary(cls, z):
        return Max(S.Zero, z)

    @classmethod
    def _derivative(cls, z):
        return Heaviside(z, S.Zero)


class leaky_relu(ActivationFunction):
    r"""Leaky ReLU: :math:`z` for :math:`z > 0` and :math:`a z` otherwise (slope :math:`a`, default 0.01).

    As a closed form valid for every slope:
    :math:`\max(0, z) + a\,\min(0, z)`. The derivative is 1 for :math:`z > 0`
    and :math:`a` for :math:`z \le 0`.
    """

    latex_name = r"\operatorname{LeakyReLU}"
    kernel = "leaky_relu"
    defaults = (Rational(1, 100),)

    @classmethod
    def eval(cls, z, slope):
        if z.is_positive or (_real_number(z) and z > 0):
            return z
        if z.is_nonpositive or _real_number(z):
            return slope * z
        return None

    @classmethod
    def _elementary(cls, z, slope):
        return Max(S.Zero, z) + slope * Min(S.Zero, z)

    @classmethod
    def _derivative(cls, z, slope):
        return Piecewise((S.One, z > 0), (slope, True))


class elu(ActivationFunction):
    r"""Exponential linear unit: :math:`z` for :math:`z > 0` and :math:`\alpha(e^{z} - 1)` otherwise (:math:`\alpha = 1` by default).

    As a closed form: :math:`\max(0, z) + \alpha\,(e^{\min(0, z)} - 1)`. The
    derivative is 1 for :math:`z > 0` and
    :math:`\operatorname{ELU}(z) + \alpha` for :math:`z \le 0`.
    """

    latex_name = r"\operatorname{ELU}"
    kernel = "elu"
    defaults = (S.One,)

    @classmethod
    def eval(cls, z, alpha):
        if z.is_positive or (_real_number(z) and z > 0):
            return z
        if z.is_zero:
            return S.Zero
        return None

    @classmethod
    def _elementary(cls, z, alpha):
        return Max(S.Zero, z) + alpha * (exp(Min(S.Zero, z)) - 1)

    @classmethod
    def _derivative(cls, z, alpha):
        return Piecewise((S.One, z > 0), (elu(z, alpha) + alpha, True))


class softplus(ActivationFunction):
    r"""Softplus :math:`\log(1 + e^{z})`, a smooth ReLU; :math:`\operatorname{softplus}'(z) = \sigma(z)`."""

    latex_name = r"\operatorname{softplus}"
    kernel = "softplus"

    @classmethod
    def _elementary(cls, z):
        return log(1 + exp(z))

    @classmethod
    def _derivative(cls, z):
        return sigmoid(z)


class silu(ActivationFunction):
    r"""SiLU, also called swish: :math:`\operatorname{SiLU}(z) = z\,\sigma(z)`.

    :math:`\operatorname{SiLU}'(z) = \sigma(z)\,\bigl(1 + z\,(1 - \sigma(z))\bigr)`.
    """

    latex_name = r"\operatorname{SiLU}"
    kernel = "silu"

    @classmethod
    def _elementary(cls, z):
        return z / (1 + exp(-z))

    @classmethod
    def _derivative(cls, z):
        return sigmoid(z) * (1 + z * (1 - sigmoid(z)))


class gelu(ActivationFunction):
    r"""Gaussian error linear unit, exact: :math:`\operatorname{GELU}(z) = z\,\Phi(z)`.

    :math:`\Phi(z) = \tfrac12\bigl(1 + \operatorname{erf}(z/\sqrt2)\bigr)` is the
    standard normal CDF, and
    :math:`\operatorname{GELU}'(z) = \Phi(z) + z\,\varphi(z)` with
    :math:`\varphi` the standard normal density.
    """

    latex_name = r"\operatorname{GELU}"
    kernel = "gelu"

    @classmethod
    def _elementary(cls, z):
        return z * normal_cdf(z).rewrite("elementary")

    @classmethod
    def _derivative(cls, z):
        return normal_cdf(z) + z * normal_pdf(z)


class gelu_tanh(ActivationFunction):
    r"""GELU, tanh approximation: :math:`\tfrac12 z\,\bigl(1 + \tanh u\bigr)` with :math:`u = \sqrt{2/\pi}\,(z + 0.044715\,z^3)`.

    Its derivative is
    :math:`\tfrac12(1 + \tanh u) + \tfrac12 z\,(1 - \tanh^2 u)\,u'(z)`,
    :math:`u'(z) = \sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,z^2)`.
    """

    latex_name = r"\operatorname{GELU}_{\tanh}"
    kernel = "gelu_tanh"

    @staticmethod
    def _inner(z):
        return sqrt(2 / pi) * (z + _GELU_TANH_CUBIC * z**3)

    @classmethod
    def _elementary(cls, z):
        return z * (1 + tanh(cls._inner(z))) / 2

    @classmethod
    def _derivative(cls, z):
        t = tanh(cls._inner(z))
        du = sqrt(2 / pi) * (1 + 3 * _GELU_TANH_CUBIC * z**2)
        return (1 + t) / 2 + z * (1 - t**2) * du / 2


def to_elementary(expr: Expr) -> Expr:
    r"""Rewrite every activation, :math:`\Phi`, :math:`\varphi` and tanh in ``expr`` into exp, log, erf, Max and Min.

    This is the form in which identities are proven and properties computed.
    """
    return as_sympy(expr).rewrite("elementary").rewrite(tanh, exp)


def _tanh_definition(z):
    return (exp(z) - exp(-z)) / (exp(z) + exp(-z))


@dataclass(frozen=True, eq=False)
class Activation:
    r"""One row of the activation registry: a SymPy head bound to its parameters.

    ``act(z)`` builds the SymPy expression, :meth:`derivative` gives the
    textbook derivative, :meth:`elementary` the defining formula,
    :meth:`numpy` evaluates the stable kernel. Properties (:attr:`range`,
    :attr:`minimum`, :attr:`max_abs_derivative`, :attr:`monotonic`,
    :attr:`zero_centred`) are computed from the defining formula on first use.
    """

    name: str
    head: Callable[..., Expr]
    latex_name: str
    summary: str
    params: tuple[Expr, ...] = ()
    definition: Callable[..., Expr] | None = None
    kernel: Callable[..., np.ndarray] | None = None

    def __call__(self, z) -> Expr:
        return self.head(z, *self.params)

    def __repr__(self) -> str:
        shown = "".join(f", {p}" for p in self.params)
        return f"Activation({self.name!r}{shown})"

    @property
    def latex(self) -> str:
        """LaTeX of the function's name, as used in every formula (``\\sigma``, ``\\operatorname{ReLU}``)."""
        return self.latex_name

    @property
    def is_linear(self) -> bool:
        """True for the identity, whose layers are affine."""
        return self.head is identity

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
        from symnet.numeric import as_real_array

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
        # A custom activation: compile its formula through the same printers
        # as networks. The expression is a SymPy tree (never text).
        from symnet.numeric import compile_scalar

        return compile_scalar(self(Z), [Z])

    def definition_latex(self, z=Z) -> str:
        r"""``\sigma\left(z\right) = \frac{1}{1 + e^{- z}}``: the name applied to z, and the defining formula."""
        from symnet.render.latex import latex

        return f"{self._applied_latex(z)} = {latex(self.elementary(z))}"

    def derivative_latex(self, z=Z) -> str:
        """The textbook derivative as an equation, e.g. ``\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))``."""
        from symnet.render.latex import latex

        return rf"\frac{{d}}{{d {latex(z)}}} {self._applied_latex(z)} = {latex(self.derivative(z))}"

    def _applied_latex(self, z) -> str:
        """``\\sigma\\left(z\\right)``; an activation that evaluates to its argument (the identity) keeps its name."""
        from symnet.render.latex import latex

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
    def analysis(self):
        """The :class:`symnet.analysis.FunctionProfile` of the defining formula."""
        from symnet import analysis

        return analysis.profile(to_elementary(self(Z)), Z)

    @property
    def range(self) -> sympy.Interval:
        """The image of ℝ as a SymPy Interval, exact where a closed form exists."""
        return self.analysis.range

    @property
    def minimum(self):
        """``None`` if the infimum is not attained, else ``(where, value)``.

        ``where`` is a number for a unique minimiser, a SymPy Set otherwise
        (ReLU attains 0 on all of (-oo, 0]).
        """
        return self.analysis.minimum

    @property
    def maximum(self):
        """Like :attr:`minimum`, for the supremum."""
        return self.analysis.maximum

    @cached_property
    def derivative_analysis(self):
        from symnet import analysis

        return analysis.profile(to_elementary(self.derivative(Z)), Z)

    @property
    def max_abs_derivative(self):
        """``(value, where)``: the supremum of |f'| over ℝ and where it is attained."""
        return self.derivative_analysis.max_abs

    @property
    def monotonic(self) -> str | None:
        """``"increasing"``, ``"non-decreasing"``, ``"decreasing"``, ``"non-increasing"`` or ``None``."""
        return self.derivative_analysis.sign_class

    @cached_property
    def zero_centred(self) -> bool:
        """True when the function is odd, f(−z) = −f(z): symmetric inputs give outputs of mean 0."""
        from symnet import analysis

        f = to_elementary(self(Z))
        return analysis.equal_on_reals(f.subs(Z, -Z), -f, Z)

    def with_params(self, *params) -> "Activation":
        """The same activation with other parameter values (a leak slope, an ELU alpha)."""
        if len(params) != len(self.params):
            raise SymnetError(
                f"activation {self.name!r} takes {len(self.params)} parameter(s), got {len(params)}"
            )
        from symnet.values import exact

        return Activation(
            self.name,
            self.head,
            self.latex_name,
            self.summary,
            tuple(exact(p, what=f"parameter of {self.name}") for p in params),
            self.definition,
            self.kernel,
        )


def _row(cls, summary: str, definition=None) -> Activation:
    return Activation(
        name=cls.__name__,
        head=cls,
        latex_name=cls.latex_name,
        summary=summary,
        params=tuple(getattr(cls, "defaults", ())),
        definition=definition or getattr(cls, "_elementary", None),
        kernel=getattr(kernels, cls.__name__),
    )


_REGISTRY: dict[str, Activation] = {
    row.name: row
    for row in (
        _row(identity, "identity: z (a linear layer)"),
        _row(sigmoid, "logistic sigmoid 1/(1 + e^(-z))"),
        Activation(
            "tanh", tanh, r"\tanh", "hyperbolic tangent", (), _tanh_definition, kernels.tanh
        ),
        _row(relu, "rectified linear unit max(0, z)"),
        _row(leaky_relu, "leaky ReLU: z for z > 0, slope*z otherwise (slope 0.01)"),
        _row(elu, "exponential linear unit: z for z > 0, alpha*(e^z - 1) otherwise (alpha 1)"),
        _row(softplus, "softplus log(1 + e^z)"),
        _row(silu, "SiLU / swish z*sigmoid(z)"),
        _row(gelu, "GELU z*Phi(z), Phi the standard normal CDF"),
        _row(gelu_tanh, "GELU, tanh approximation"),
    )
}
_ALIASES = {"swish": "silu", "linear": "identity", "logistic": "sigmoid"}


def activation_names() -> list[str]:
    """The canonical names of the built-in activations, in registry order."""
    return list(_REGISTRY)


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
        key = spec.strip().lower()
        key = _ALIASES.get(key, key)
        if key not in _REGISTRY:
            known = list(_REGISTRY) + list(_ALIASES)
            raise UnknownNameError("activation", spec, known)
        row = _REGISTRY[key]
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


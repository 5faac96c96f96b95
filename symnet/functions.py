r"""The mathematics of symnet's functions: activations, :math:`\Phi` and :math:`\varphi` as SymPy ``Function`` classes.

This module knows mathematics only; it imports SymPy and the NumPy kernels of
:mod:`symnet.kernels`, nothing else of symnet. How a function prints in
LaTeX or in NumPy code is the business of :mod:`symnet.printing`, which
dispatches on these classes.

Every function class carries, the way SymPy writes its own special functions
(compare ``sympy.codegen.cfunctions.expm1``):

* ``fdiff`` — the derivative in *textbook form*, e.g.
  :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))` rather than
  :math:`e^{-z}/(1 + e^{-z})^2`;
* ``_elementary`` — the defining formula, reachable with
  ``expr.rewrite("elementary")`` and :func:`to_elementary`;
* ``kernel`` — the numerically stable NumPy kernel that compiled code calls;
* ``latex_name`` — the name a textbook prints (:math:`\sigma`,
  :math:`\operatorname{ReLU}`).

**The class is the registry.** Defining a subclass of
:class:`ActivationFunction` registers it: its name (the class name), its
``aliases``, ``kernel``, ``summary`` and ``latex_name`` are stated once, on the
class, and :func:`symnet.activation`, the formula parser, the LaTeX reader and
printer, the compiler, ``symnet activations`` and the tour all find it there::

    class mish(ActivationFunction):
        latex_name = r"\operatorname{mish}"
        summary = "mish z*tanh(softplus(z))"
        kernel = mish_kernel            # f(z, out=None) -> array

        @classmethod
        def _elementary(cls, z):
            return z * tanh(log(1 + exp(z)))

SymPy's own ``tanh`` is registered the same way, by :func:`register`.

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
from typing import Callable, ClassVar

import sympy
from sympy import Expr, Function, Heaviside, Max, Min, Piecewise, Rational, S, erf, exp, log, pi, sqrt, tanh
from sympy.core.evalf import prec_to_dps
from sympy.core.function import ArgumentIndexError

from symnet import kernels

__all__ = [
    "FunctionInfo",
    "KernelFunction",
    "ActivationFunction",
    "register",
    "unregister",
    "registered",
    "lookup",
    "to_elementary",
    "normal_cdf",
    "normal_pdf",
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

_GELU_TANH_CUBIC = Rational(44715, 10**6)


@dataclass(frozen=True)
class FunctionInfo:
    """One registered activation: its SymPy head and what the rest of symnet needs to know about it.

    ``definition(z, *params)`` is the defining formula; ``defaults`` the
    values of the parameters after ``z``.
    """

    name: str
    head: Callable[..., Expr]
    kernel: Callable
    summary: str
    latex_name: str
    definition: Callable[..., Expr]
    defaults: tuple[Expr, ...] = ()
    aliases: tuple[str, ...] = ()


_REGISTRY: dict[str, FunctionInfo] = {}
_ALIASES: dict[str, str] = {}


def register(head, *, kernel: Callable, summary: str, latex_name: str, definition: Callable[..., Expr],
             defaults: tuple = (), aliases: tuple[str, ...] = (), name: str | None = None) -> FunctionInfo:
    """Register ``head`` as an activation (subclasses of :class:`ActivationFunction` are registered by being defined).

    A name or alias already taken by another function is refused.
    """
    name = name or head.__name__
    info = FunctionInfo(name, head, kernel, summary, latex_name, definition, tuple(defaults), tuple(aliases))
    for key in (name, *aliases):
        owner = _ALIASES.get(key, key if key in _REGISTRY else None)
        if owner is not None and _REGISTRY[owner].head is not head:
            raise ValueError(f"the activation name {key!r} is taken by {_REGISTRY[owner].head!r}")
    _REGISTRY[name] = info
    _ALIASES.update({alias: name for alias in aliases})
    return info


def unregister(name: str) -> None:
    """Remove a registered activation and its aliases (for activations defined for a while, as tests do)."""
    info = _REGISTRY.pop(name)
    for alias in info.aliases:
        _ALIASES.pop(alias, None)


def registered() -> list[FunctionInfo]:
    """Every registered activation, in the order of registration."""
    return list(_REGISTRY.values())


def lookup(name: str) -> FunctionInfo | None:
    """The activation registered under ``name`` or one of its aliases (case-insensitive), or None."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return _REGISTRY.get(key) or next((i for n, i in _REGISTRY.items() if n.lower() == key), None)


class KernelFunction(Function):
    """A SymPy function with a NumPy kernel and a textbook LaTeX name.

    Subclasses set :attr:`latex_name` and :attr:`kernel` and, when the
    function has parameters after ``z``, :attr:`defaults`; and implement
    :meth:`_elementary` (the defining formula) and :meth:`_derivative`.
    """

    #: LaTeX of the function's name, e.g. ``r"\sigma"``.
    latex_name: ClassVar[str]
    #: The stable NumPy kernel ``kernel(z, *params, out=None)``.
    kernel: ClassVar[Callable]
    #: Default values of the parameters that follow ``z``.
    defaults: ClassVar[tuple[Expr, ...]] = ()
    #: The limits at -oo and +oo, for functions whose limits are constants (a CDF's 0 and 1), else None.
    limits: ClassVar[tuple[Expr, Expr] | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kernel = cls.__dict__.get("kernel")
        if kernel is not None and not isinstance(kernel, staticmethod):
            cls.kernel = staticmethod(kernel)  # a plain function on the class, never a bound method

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
        """The exact value at 0, from the defining formula (σ(0) = 1/2, softplus(0) = log 2), and the :attr:`limits`."""
        if z.is_zero:
            return cls._elementary(S.Zero, *params)
        if cls.limits is not None and z in (S.NegativeInfinity, S.Infinity):
            return cls.limits[z is S.Infinity]
        return None

    @classmethod
    def _elementary(cls, z, *params) -> Expr:
        raise NotImplementedError(f"{cls.__name__} has no defining formula")

    @classmethod
    def _derivative(cls, z, *params) -> Expr:
        """The textbook derivative; by default the derivative of the defining formula."""
        t = sympy.Dummy("t", real=True)
        return sympy.diff(cls._elementary(t, *params), t).subs(t, z)

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


class ActivationFunction(KernelFunction):
    """Base class of the activations; defining a subclass registers it (see the module docstring).

    Besides :class:`KernelFunction`'s attributes a subclass may set
    :attr:`summary` (one line for listings) and :attr:`aliases`.
    """

    summary: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        register(cls, kernel=cls.kernel, summary=cls.summary or f"activation {cls.__name__}",
                 latex_name=cls.latex_name, definition=cls._elementary, defaults=cls.defaults, aliases=cls.aliases)


# --- the standard normal distribution --------------------------------------------------------


class normal_cdf(KernelFunction):
    r"""Standard normal CDF :math:`\Phi(z) = P(\mathcal N(0,1) \le z) = \tfrac12\bigl(1 + \operatorname{erf}(z/\sqrt2)\bigr)`.

    :math:`\Phi'(z) = \varphi(z)`.
    """

    nargs = 1
    latex_name = r"\Phi"
    kernel = kernels.normal_cdf

    limits = (S.Zero, S.One)

    @classmethod
    def _elementary(cls, z):
        return (1 + erf(z / sqrt(2))) / 2

    @classmethod
    def _derivative(cls, z):
        return normal_pdf(z)

    def _eval_rewrite_as_erf(self, z, **kwargs):
        return self._elementary(z)


class normal_pdf(KernelFunction):
    r"""Standard normal density :math:`\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}`.

    :math:`\varphi'(z) = -z\,\varphi(z)`.
    """

    nargs = 1
    latex_name = r"\varphi"
    kernel = kernels.normal_pdf

    @classmethod
    def eval(cls, z):
        return None  # φ(0) = 1/√(2π) stays φ(0), as a textbook writes it

    @classmethod
    def _elementary(cls, z):
        return exp(-(z**2) / 2) / sqrt(2 * pi)

    @classmethod
    def _derivative(cls, z):
        return -z * normal_pdf(z)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return self._elementary(z)


# --- the activations -------------------------------------------------------------------------


def _real_number(z) -> bool:
    return bool(z.is_number and z.is_extended_real)


class identity(ActivationFunction):
    r"""Identity :math:`z \mapsto z`: a layer with it is affine."""

    latex_name = r"\operatorname{id}"
    kernel = kernels.identity
    summary = "identity: z (a linear layer)"
    aliases = ("linear",)

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
    kernel = kernels.sigmoid
    summary = "logistic sigmoid 1/(1 + e^(-z))"
    aliases = ("logistic",)

    limits = (S.Zero, S.One)

    @classmethod
    def _elementary(cls, z):
        return 1 / (1 + exp(-z))

    @classmethod
    def _derivative(cls, z):
        return sigmoid(z) * (1 - sigmoid(z))


def _tanh_definition(z):
    return (exp(z) - exp(-z)) / (exp(z) + exp(-z))


register(tanh, kernel=kernels.tanh, summary="hyperbolic tangent", latex_name=r"\tanh", definition=_tanh_definition)


class relu(ActivationFunction):
    r"""Rectified linear unit :math:`\operatorname{ReLU}(z) = \max(0, z)`.

    :math:`\operatorname{ReLU}'(z) = 1` for :math:`z > 0` and :math:`0` for
    :math:`z \le 0` (the value 0 at the kink is the PyTorch/JAX convention).
    """

    latex_name = r"\operatorname{ReLU}"
    kernel = kernels.relu
    summary = "rectified linear unit max(0, z)"

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
    kernel = kernels.leaky_relu
    summary = "leaky ReLU: z for z > 0, slope*z otherwise (slope 0.01)"
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
    kernel = kernels.elu
    summary = "exponential linear unit: z for z > 0, alpha*(e^z - 1) otherwise (alpha 1)"
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
    kernel = kernels.softplus
    summary = "softplus log(1 + e^z)"

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
    kernel = kernels.silu
    summary = "SiLU / swish z*sigmoid(z)"
    aliases = ("swish",)

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
    kernel = kernels.gelu
    summary = "GELU z*Phi(z), Phi the standard normal CDF"

    @classmethod
    def _elementary(cls, z):
        return z * normal_cdf._elementary(z)

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
    kernel = kernels.gelu_tanh
    summary = "GELU, tanh approximation"

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

    >>> from sympy import Symbol
    >>> to_elementary(sigmoid(Symbol("z")))
    1/(1 + exp(-z))
    """
    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"to_elementary takes a SymPy object, got {type(expr).__name__}")
    return expr.rewrite("elementary").rewrite(tanh, exp)

r"""The standard normal distribution's CDF :math:`\Phi` and density :math:`\varphi` as SymPy functions.

GELU is :math:`z\,\Phi(z)` and its derivative is :math:`\Phi(z) + z\,\varphi(z)`;
keeping :math:`\Phi` and :math:`\varphi` as named functions lets SymPy
differentiate and print those formulas in the form a textbook writes them.
"""

from __future__ import annotations

from sympy import S, Function, erf, exp, pi, sqrt
from sympy.core.evalf import prec_to_dps
from sympy.core.function import ArgumentIndexError

from symnet.numeric import kernel_call

__all__ = ["normal_cdf", "normal_pdf"]


class normal_cdf(Function):
    r"""Standard normal CDF :math:`\Phi(z) = P(\mathcal N(0,1) \le z) = \tfrac12\bigl(1 + \operatorname{erf}(z/\sqrt2)\bigr)`.

    :math:`\Phi'(z) = \varphi(z)`.
    """

    nargs = 1

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return S.Half
        if z is S.Infinity:
            return S.One
        if z is S.NegativeInfinity:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return normal_pdf(self.args[0])

    def _eval_rewrite_as_erf(self, z, **kwargs):
        return (1 + erf(z / sqrt(2))) / 2

    _eval_rewrite_as_elementary = _eval_rewrite_as_erf

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_evalf(self, prec):
        return self._eval_rewrite_as_erf(self.args[0]).evalf(prec_to_dps(prec))

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\Phi{power}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer):
        return kernel_call(printer, "normal_cdf", self.args)


class normal_pdf(Function):
    r"""Standard normal density :math:`\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}`.

    :math:`\varphi'(z) = -z\,\varphi(z)`.
    """

    nargs = 1

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        z = self.args[0]
        return -z * normal_pdf(z)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return exp(-(z**2) / 2) / sqrt(2 * pi)

    _eval_rewrite_as_elementary = _eval_rewrite_as_exp

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_evalf(self, prec):
        return self._eval_rewrite_as_exp(self.args[0]).evalf(prec_to_dps(prec))

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\varphi{power}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer):
        return kernel_call(printer, "normal_pdf", self.args)

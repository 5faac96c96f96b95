"""Figures are produced, saved, and carry their content (no image comparison: the data on the axes is checked)."""

from __future__ import annotations

import numpy as np
import sympy

from symnet.report import plots

x = sympy.Symbol("x")


def _lines(ax):
    return [line.get_xydata() for line in ax.get_lines()]


def test_activations_figure(tmp_path):
    fig = plots.activations_figure(save=tmp_path / "act")
    assert (tmp_path / "act.png").stat().st_size > 10_000 and (tmp_path / "act.svg").exists()
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert "sigmoid" in titles and "gelu" in titles
    sigmoid_ax = fig.axes[titles.index("sigmoid")]
    curve, derivative = _lines(sigmoid_ax)[:2]
    assert 0 < curve[:, 1].min() and curve[:, 1].max() < 1
    assert abs(derivative[:, 1].max() - 0.25) < 1e-4  # sigma' peaks at 1/4


def test_xor_figure_has_its_four_points_and_marks_the_mistake(tmp_path):
    fig = plots.xor_figure(save=tmp_path / "xor")
    derived, seed = fig.axes[:2]
    points = derived.collections[-1].get_offsets()
    assert len(points) == 4 and {tuple(p) for p in np.asarray(points)} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    circled = np.asarray(seed.collections[-1].get_offsets())
    assert circled.tolist() == [[1.0, 1.0]]
    assert "wrong at (1, 1)" in seed.get_title() and "computes XOR" in derived.get_title()


def test_interpolant_figure(tmp_path):
    fig = plots.interpolant_figure(sympy.sin(x), (0, 3), widths=(2, 8), save=tmp_path / "interp")
    top, bottom = fig.axes
    target = _lines(top)[0]
    assert abs(target[:, 0].min()) < 1e-12 and abs(target[:, 0].max() - 3) < 1e-12
    errors = [line[:, 1].max() for line in _lines(bottom)]
    assert errors[0] > errors[1] > 0  # more units, smaller error


def test_sawtooth_and_gradient_figures(tmp_path):
    fig = plots.sawtooth_figure(ks=(1, 3), save=tmp_path / "saw")
    assert [ax.get_title().split(":")[1].split(",")[0].strip() for ax in fig.axes] == ["2 pieces", "8 pieces"]
    curve = _lines(fig.axes[1])[0]
    assert curve[:, 1].min() >= -1e-12 and curve[:, 1].max() <= 1 + 1e-12
    grad = plots.gradient_figure(max_depth=10, save=tmp_path / "grad")
    sigmoid, tanh, relu, bound = _lines(grad.axes[0])
    np.testing.assert_allclose(sigmoid[:, 1], bound[:, 1])  # at z = 0 the sigmoid chain attains (1/4)^L
    assert relu[:, 1].tolist() == [1.0] * 10

"""The symnet command through its real entry point (a subprocess): outputs, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

SEED_XOR = "h1 = relu(x1 + x2 - 0.5)\nh2 = relu(x1 + x2 - 1.5)\ny = h1 - 2*h2\n"
XOR_SPEC = 'widths = [2, 2, 1]\nactivation = "relu"\nweights = [[[1, 1], [1, 1]], [[1, -2]]]\nbiases = [[0, -1], [0]]\n'


def run(*args, stdin=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "symnet", *map(str, args)], input=stdin, capture_output=True, text=True, timeout=300, cwd=cwd
    )


def assert_usage_error(result, *words):
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symnet: error:"), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("command", ["", "activations", "net", "params", "derive", "xor", "forward"])
def test_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0 and "usage: symnet" in result.stdout


def test_params_json():
    result = run("params", "3-4-4-2", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"per_layer": [16, 20, 10], "total": 46}


def test_params_transformer_block():
    result = run("params", "--transformer-mlp", "64", "--expansion", "4", "--json")
    data = json.loads(result.stdout)
    assert data["total"] == 2 * 4 * 64**2 + 5 * 64 and data["rough_4d2"] == 4 * 64**2


def test_net_latex_and_json():
    result = run("net", "3-4-4-2", "--latex")
    assert result.returncode == 0 and result.stdout.startswith(r"\begin{aligned}\mathbf{h}^{(1)}")
    data = json.loads(run("net", "2-3-1", "--activation", "tanh", "--json").stdout)
    assert data["activations"] == ["tanh", "identity"] and data["total"] == 13
    expanded = run("net", "2-1", "--output-activation", "sigmoid", "--latex", "--expanded").stdout
    assert r"\sigma\left(W^{(1)}_{11} x_{1}" in expanded


def test_activations():
    data = json.loads(run("activations", "sigmoid", "--json").stdout)
    assert data["range"] == "(0, 1)" and data["max_abs_derivative"]["value"] == "1/4"
    assert data["monotonic"] == "increasing" and data["zero_centred"] is False
    text = run("activations", "gelu").stdout
    assert "minimum      -0.16997120748 at -0.751791524694" in text
    latex = run("activations", "relu", "--latex").stdout
    assert r"\operatorname{ReLU}" in latex


def test_derive_verifies_and_prints_latex():
    result = run("derive", "collapse", "--layers", "3")
    assert result.returncode == 0 and "all steps hold" in result.stdout
    latex = run("derive", "derivative", "sigmoid", "--latex").stdout
    assert latex.startswith(r"\begin{align*}")
    data = json.loads(run("derive", "example", "1", "--json").stdout)
    assert [d["verified"] for d in data] == [True, True]


def test_xor_check(tmp_path):
    candidate = tmp_path / "seed.txt"
    candidate.write_text(SEED_XOR)
    result = run("xor", "--check", candidate, "--threshold", "0.25")
    assert result.returncode == 1 and "fails at (1, 1)" in result.stdout
    data = json.loads(run("xor", "--check", "-", "--threshold", "0.25", "--json", stdin=SEED_XOR).stdout)
    assert data["ok"] is False and data["failures"] == [[1, 1]]
    good = run("xor", "--check", "-", stdin="h1 = relu(x1 + x2)\nh2 = relu(x1 + x2 - 1)\ny = h1 - 2*h2\n")
    assert good.returncode == 0 and "computes XOR" in good.stdout


def test_forward_inline_npy_csv_and_npz(tmp_path):
    spec = tmp_path / "xor.toml"
    spec.write_text(XOR_SPEC)
    result = run("forward", spec, "--input", "0,0", "--input", "0,1", "--input", "1,0", "--input", "1,1")
    assert result.returncode == 0 and [float(v) for v in result.stdout.split()] == [0, 1, 1, 0]
    X = np.array([[0.0, 1.0], [1.0, 1.0]])
    np.save(tmp_path / "x.npy", X)
    np.savetxt(tmp_path / "x.csv", X, delimiter=",")
    for source in ("x.npy", "x.csv"):
        data = json.loads(run("forward", spec, "--input", tmp_path / source, "--json").stdout)
        assert data["outputs"] == [[1.0], [0.0]]
    np.savez(tmp_path / "w.npz", W1=np.ones((2, 2)), b1=np.array([0, -1.0]), W2=np.array([[1.0, -2.0]]), b2=np.zeros(1))
    (tmp_path / "file.toml").write_text('widths = [2, 2, 1]\nweights_file = "w.npz"\n')
    data = json.loads(run("forward", tmp_path / "file.toml", "--input", "1,0", "--json").stdout)
    assert data["outputs"] == [[1.0]]


@pytest.mark.parametrize(
    "args, words",
    [
        (("activations", "sigmod"), ["unknown activation 'sigmod'", "did you mean 'sigmoid'"]),
        (("net", "3-x-2"), ["'x' is not a positive integer"]),
        (("params", "3-0-2"), ["'0' is not a positive integer"]),
        (("xor", "--check", "no-such-file.txt"), ["cannot read no-such-file.txt"]),
        (("forward", "no-such-spec.toml", "--input", "1,1"), ["no-such-spec.toml", "cannot read"]),
        (("derive", "params"), ["needs widths"]),
        (("frobnicate",), ["invalid choice"]),
        ((), ["required"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words):
    assert_usage_error(run(*args), *words)


@pytest.mark.parametrize(
    "content, words",
    [
        ("widths = [2, 2, 1\n", ["malformed TOML"]),
        ('widths = [2, 2, 1]\nweights = [[[1, 1]], [[1, -2]]]\nbiases = [[0, -1], [0]]\n', ["weights[0] (layer 1) has shape (1, 2), expected (2, 2)"]),
        ('widths = [2, 2, 1]\nweigths = 1\n', ["unknown key 'weigths'", "did you mean 'weights'"]),
        ('widths = [2, "two", 1]\nweights_file = "w.npz"\n', ["key 'widths'"]),
        ('widths = [2, 2, 1]\nweights_file = "absent.npz"\n', ["absent.npz"]),
        ('widths = [2, 2, 1]\nactivation = "rleu"\nweights = [[[1, 1], [1, 1]], [[1, -2]]]\nbiases = [[0, -1], [0]]\n', ["did you mean 'relu'"]),
    ],
    ids=["malformed", "shape", "unknown-key", "bad-widths", "missing-npz", "unknown-activation"],
)
def test_bad_specs(tmp_path, content, words):
    spec = tmp_path / "spec.toml"
    spec.write_text(content)
    assert_usage_error(run("forward", spec, "--input", "1,1"), "spec.toml", *words)


def test_console_script_is_installed():
    import shutil

    script = shutil.which("symnet") or str(__import__("pathlib").Path(sys.executable).parent / "symnet")
    result = subprocess.run([script, "params", "2-3-1", "--json"], capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["total"] == 13

"""Network specs (TOML) and input files, validated: every error names the file, the key and the problem.

A spec::

    widths = [2, 2, 1]
    activation = "relu"            # hidden layers (default relu)
    output_activation = "sigmoid"  # optional (default linear)
    weights = [[[1, 1], [1, 1]], [[1, -2]]]   # one n_out x n_in list per layer
    biases = [[0, -1], [0]]                   # one list per layer
    # or, instead of weights and biases:
    weights_file = "w.npz"         # arrays W1, b1, W2, b2, ... (path relative to the spec)

Numbers in ``weights`` may be integers, floats or decimal strings ("0.1" is
exact). Files are read with size limits; ``.npy``/``.npz`` without pickle.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np

from symnet.errors import SymnetError, did_you_mean
from symnet.network import mlp

__all__ = ["load_network_spec", "read_inputs", "SPEC_KEYS"]

SPEC_KEYS = ("widths", "activation", "output_activation", "weights", "biases", "weights_file")
MAX_SPEC_BYTES = 10 * 2**20
MAX_WIDTH = 100_000


def _fail(path, message: str):
    raise SymnetError(f"{path}: {message}")


def _regular_file(path: Path, limit: int) -> int:
    """The size of ``path``, a regular file of at most ``limit`` bytes (``/dev/zero`` and FIFOs never end)."""
    try:
        if not path.is_file():
            raise SymnetError(f"{path}: cannot read it (" + ("not a regular file" if path.exists() else
                                                              "No such file or directory") + ")")
        size = path.stat().st_size
    except OSError as error:
        raise SymnetError(f"{path}: cannot read it ({error.strerror or error})") from None
    if size > limit:
        raise SymnetError(f"{path}: {size:,} bytes is more than the limit of {limit:,}")
    return size


def _read_toml(path: Path) -> dict:
    try:
        _regular_file(path, MAX_SPEC_BYTES)
    except SymnetError as error:
        _fail(path, str(error).removeprefix(f"{path}: "))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        _fail(path, f"malformed TOML: {error}")
    except RecursionError:
        _fail(path, "nested too deeply")
    except UnicodeDecodeError:
        _fail(path, "not UTF-8 text")
    except ValueError as error:  # e.g. an integer beyond Python's 4300-digit conversion limit
        _fail(path, f"unreadable value: {str(error).splitlines()[0]}")


def load_network_spec(path):
    """Read and validate a spec; return the bound :class:`symnet.Sequential`."""
    path = Path(path)
    spec = _read_toml(path)
    unknown = [k for k in spec if k not in SPEC_KEYS]
    if unknown:
        key = unknown[0]
        _fail(path, f"unknown key {key!r}{did_you_mean(key, SPEC_KEYS)}; allowed: {', '.join(SPEC_KEYS)}")
    widths = spec.get("widths")
    if not isinstance(widths, list) or len(widths) < 2 or not all(
        isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= MAX_WIDTH for w in widths
    ):
        _fail(path, f"key 'widths' must be a list of at least two integers from 1 to {MAX_WIDTH}, got {widths!r}"[:300])
    for key in ("activation", "output_activation"):
        if key in spec and not isinstance(spec[key], str):
            _fail(path, f"key {key!r} must be a name such as \"relu\", got {spec[key]!r}"[:300])
    has_inline = "weights" in spec or "biases" in spec
    if has_inline == ("weights_file" in spec):
        _fail(path, "give either 'weights' and 'biases', or 'weights_file'")
    layers = len(widths) - 1
    if "weights_file" in spec:
        weights, biases = _load_npz(path, spec["weights_file"], layers)
    else:
        weights, biases = spec.get("weights"), spec.get("biases")
        for key, value in (("weights", weights), ("biases", biases)):
            if not isinstance(value, list) or len(value) != layers:
                _fail(path, f"key {key!r} must hold one entry per layer ({layers}), got {_describe(value)}")
    try:
        net = mlp(widths, activation=spec.get("activation", "relu"), output_activation=spec.get("output_activation"))
        return net.bind(weights=weights, biases=biases)
    except SymnetError as error:
        _fail(path, str(error))


def _describe(value) -> str:
    return f"{len(value)} entries" if isinstance(value, list) else repr(value)[:80]


def _load_npz(path: Path, name, layers: int):
    if not isinstance(name, str):
        _fail(path, f"key 'weights_file' must be a file name, got {name!r}"[:300])
    file = (path.parent / name).resolve()
    try:
        with np.load(file, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as error:
        _fail(path, f"weights_file {name!r}: {str(error).splitlines()[0] if str(error) else 'cannot be read'}")
    missing = [f"{p}{k}" for k in range(1, layers + 1) for p in ("W", "b") if f"{p}{k}" not in arrays]
    if missing:
        _fail(path, f"weights_file {name!r} lacks array {missing[0]} (expected W1, b1, ..., W{layers}, b{layers})")
    return [arrays[f"W{k}"] for k in range(1, layers + 1)], [arrays[f"b{k}"] for k in range(1, layers + 1)]


#: The largest input file (.csv, .npy) read.
MAX_INPUT_BYTES = 256 * 1024**2


def _npy_fits(path: Path, size: int) -> None:
    """Refuse a ``.npy`` whose header claims more data than the file holds (10^12 rows in 192 bytes)."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(handle)
        needed = int(np.prod(shape, dtype=object)) * dtype.itemsize
        if needed > size - handle.tell():
            raise ValueError(f"its header claims {needed:,} bytes of data, the file holds {size - handle.tell():,}")


def read_inputs(values: list[str], n_in: int) -> np.ndarray:
    """Inputs from ``--input``: rows like ``3,1`` (repeatable), or one ``.npy`` or ``.csv`` file; shape ``(rows, n_in)``."""
    if len(values) == 1 and values[0].lower().endswith((".npy", ".csv")):
        name = values[0]
        size = _regular_file(Path(name), MAX_INPUT_BYTES)
        try:
            if name.lower().endswith(".npy"):
                _npy_fits(Path(name), size)
                X = np.load(name, allow_pickle=False)
            else:
                X = np.loadtxt(name, delimiter=",", ndmin=2, dtype=float)
        except (OSError, ValueError) as error:
            raise SymnetError(f"{name}: {str(error).splitlines()[0] if str(error) else 'cannot be read'}") from None
        X = np.atleast_2d(np.asarray(X))
        if X.dtype.kind not in "iuf":
            raise SymnetError(f"{name}: inputs must be numbers, got dtype {X.dtype}")
        X = X.astype(np.float64)
    else:
        rows = []
        for value in values:
            try:
                rows.append([float(v) for v in value.split(",")])
            except ValueError:
                raise SymnetError(f"--input {value!r}: write numbers separated by commas, like 3,1") from None
        if len({len(r) for r in rows}) > 1:
            raise SymnetError("every --input row must have the same number of values")
        X = np.array(rows, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise SymnetError(f"inputs have {X.shape[-1]} values per row, the network takes {n_in}")
    if not np.all(np.isfinite(X)):
        raise SymnetError("inputs must be finite numbers")
    return X

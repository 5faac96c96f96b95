"""The layering of the package, read from its source with ``ast``: no import cycles, few and marked lazy imports,
one home for code generation.

* No cycle among symnet's modules (module-level and function-local imports alike).
* At most :data:`MAX_LOCAL_IMPORTS` function-local imports of symnet modules, each marked ``# layering:``.
* ``lambdify(`` and ``exec(`` are called in :mod:`symnet.printing.numpy` only (and the one ``exec`` of the
  sandbox runner); ``NumPyPrinter``, ``SciPyPrinter`` and ``KernelPrinter`` are defined there only.

(The review of every eval-like call site — ``# reviewed:`` — is tests/test_untrusted.py.)
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "symnet"

#: Function-local imports of symnet modules allowed in the whole package.
MAX_LOCAL_IMPORTS = 5

#: Calls of lambdify/exec allowed outside symnet/printing/numpy.py: (file, function called) -> how many.
#: The sandbox runner executes a document's Python blocks (only under ``symnet check --exec``) in its own
#: ``python -I`` process; sandbox.py starts that process with subprocess and calls neither.
SANDBOX_CALLS = {("symnet/check/_runner.py", "exec"): 1}
CODEGEN_HOME = "symnet/printing/numpy.py"
PRINTER_CLASSES = {"NumPyPrinter", "SciPyPrinter", "KernelPrinter"}


# --- reading the package ---------------------------------------------------------------------------------


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(root: Path = ROOT) -> dict[str, tuple[Path, str]]:
    """``{module name: (path, source)}`` for every module under ``root/symnet``."""
    return {_module_name(p, root): (p, p.read_text(encoding="utf-8"))
            for p in sorted((root / "symnet").rglob("*.py"))}


def _rel(path: Path, root: Path = ROOT) -> str:
    return path.relative_to(root).as_posix()


def _ancestors(name: str) -> list[str]:
    """``symnet.a.b`` -> ``["symnet", "symnet.a"]``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _is_package(name: str, modules: dict) -> bool:
    return modules[name][0].name == "__init__.py"


def _imported(module: str, node: ast.stmt, modules: dict) -> set[str]:
    """The symnet modules the import statement ``node`` in ``module`` names (before adding parent packages)."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name == "symnet" or alias.name.startswith("symnet."):
                # `import symnet.a.b` binds and runs symnet, symnet.a and symnet.a.b.
                found.add(alias.name)
        return found
    assert isinstance(node, ast.ImportFrom)
    if node.level:  # relative: resolve against the importing module's package
        package = module if _is_package(module, modules) else module.rpartition(".")[0]
        base_parts = package.split(".")
        base_parts = base_parts[: len(base_parts) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base != "symnet" and not base.startswith("symnet."):
        return found
    names_from_init = False
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in modules:
            found.add(sub)  # `from symnet import kernels`: the submodule symnet.kernels
        else:
            names_from_init = True  # a name defined in base (a module, or a package's __init__)
    if names_from_init or base not in modules or not _is_package(base, modules):
        found.add(base)
    return found


def _targets(module: str, imported: set[str], modules: dict) -> set[str]:
    """Add the packages an import runs: each ancestor package of a target, except packages ``module`` is in
    (importing a sibling does not count as importing the parent ``__init__``; only naming it does)."""
    own = set(_ancestors(module))
    out = set()
    for target in imported:
        out.update(a for a in _ancestors(target) if a not in own)
        out.add(target)
    return {t for t in out if t in modules and t != module}


def _function_local(tree: ast.Module) -> set[int]:
    """ids of the import statements nested in a def (or lambda)."""
    local: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    local.add(id(inner))
    return local


def _imports(modules: dict):
    """Yield ``(module, path, lineno, targets, is_local)`` for every import of symnet modules."""
    for module, (path, source) in modules.items():
        tree = ast.parse(source, filename=str(path))
        local = _function_local(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = _targets(module, _imported(module, node, modules), modules)
                if targets:
                    yield module, path, node.lineno, targets, id(node) in local


def _graph(modules: dict) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, _, _, targets, _ in _imports(modules):
        graph[module] |= targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as ``[a, b, ..., a]``, or None (iterative DFS, white/grey/black)."""
    state = dict.fromkeys(graph, 0)  # 0 unvisited, 1 on the stack, 2 done
    for start in sorted(graph):
        if state[start]:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child, 2) == 1:
                return path[path.index(child):] + [child]
            elif state.get(child) == 0:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def _where(modules: dict, a: str, b: str) -> str:
    """file:line of the imports by which ``a`` imports ``b``."""
    return ", ".join(f"{_rel(p)}:{n}" for m, p, n, t, _ in _imports(modules) if m == a and b in t)


# --- 1. no import cycles ---------------------------------------------------------------------------------


def test_no_import_cycle():
    modules = _sources()
    cycle = _cycle(_graph(modules))
    if cycle:
        steps = "\n".join(f"  {a} -> {b}   ({_where(modules, a, b)})" for a, b in zip(cycle, cycle[1:]))
        pytest.fail(f"import cycle among symnet's modules: {' -> '.join(cycle)}\n{steps}")


def test_the_graph_reads_every_kind_of_import(tmp_path):
    """The reader is not vacuous: module-level, local, `from symnet import sub`, relative and package imports."""
    package = tmp_path / "symnet"
    (package / "pkg").mkdir(parents=True)
    files = {
        "__init__.py": "from symnet.a import f\n",
        "a.py": "from symnet import b\n\ndef f():\n    import symnet.pkg.c  # layering: test\n",
        "b.py": "from . import a\n",
        "pkg/__init__.py": "from .c import g\n",
        "pkg/c.py": "from symnet.pkg.d import h\nfrom .. import b\n",
        "pkg/d.py": "from symnet.pkg import c\nfrom symnet import x_name\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = _graph(_sources(tmp_path))
    assert graph == {
        "symnet": {"symnet.a"},
        "symnet.a": {"symnet.b", "symnet.pkg", "symnet.pkg.c"},
        "symnet.b": {"symnet.a"},
        "symnet.pkg": {"symnet.pkg.c"},
        "symnet.pkg.c": {"symnet.pkg.d", "symnet.b"},  # no edge to its own parent symnet.pkg
        "symnet.pkg.d": {"symnet.pkg.c", "symnet"},  # `from symnet import x_name` names symnet/__init__
    }
    assert _cycle(graph) in (["symnet.a", "symnet.b", "symnet.a"], ["symnet.b", "symnet.a", "symnet.b"],
                             ["symnet.pkg.c", "symnet.pkg.d", "symnet.pkg.c"])
    assert _cycle({"x": {"y"}, "y": set()}) is None


# --- 2. function-local imports ---------------------------------------------------------------------------


def _local_imports(root: Path = ROOT):
    modules = _sources(root)
    for module, path, number, targets, local in sorted(_imports(modules), key=lambda i: (str(i[1]), i[2])):
        if local:
            lines = modules[module][1].splitlines()
            marked = "# layering:" in lines[number - 1] or (number >= 2 and "# layering:" in lines[number - 2])
            yield f"{_rel(path, root)}:{number}", marked, lines[number - 1].strip()


def test_function_local_imports_are_few():
    local = list(_local_imports())
    listing = "\n".join(f"  {where}: {code}" for where, _, code in local)
    assert len(local) <= MAX_LOCAL_IMPORTS, (
        f"{len(local)} function-local imports of symnet modules (at most {MAX_LOCAL_IMPORTS}):\n{listing}")


def test_function_local_imports_are_marked():
    unmarked = [f"  {where}: {code}" for where, marked, code in _local_imports() if not marked]
    assert not unmarked, ("function-local imports of symnet modules without a '# layering:' comment on the line "
                          "or the line above:\n" + "\n".join(unmarked))


# --- 3. one home for code generation ---------------------------------------------------------------------


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _codegen_calls(root: Path = ROOT):
    """``(file, line, name)`` of every call of lambdify or exec (as a name or an attribute) under symnet/."""
    for path, source in _sources(root).values():
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.Call) and _called_name(node) in ("lambdify", "exec"):
                yield _rel(path, root), node.lineno, _called_name(node)


def test_lambdify_and_exec_only_in_the_printer():
    offending = []
    sandbox = Counter()
    for path, number, name in _codegen_calls():
        if path == CODEGEN_HOME:
            continue
        if (path, name) in SANDBOX_CALLS:
            sandbox[(path, name)] += 1
            continue
        offending.append(f"  {path}:{number}: {name}(")
    assert not offending, f"lambdify/exec called outside {CODEGEN_HOME}:\n" + "\n".join(offending)
    assert dict(sandbox) == SANDBOX_CALLS, f"the sandbox's calls changed: {dict(sandbox)} != {SANDBOX_CALLS}"


def test_printer_classes_defined_only_in_the_printer():
    offending = []
    for path, source in _sources().values():
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.ClassDef) and node.name in PRINTER_CLASSES and _rel(path) != CODEGEN_HOME:
                offending.append(f"  {_rel(path)}:{node.lineno}: class {node.name}")
    assert not offending, f"printer classes defined outside {CODEGEN_HOME}:\n" + "\n".join(offending)


def test_the_printer_is_where_the_scans_say():
    """The scans are not vacuous: printing/numpy.py defines NumPyPrinter and calls lambdify and exec."""
    source = (ROOT / CODEGEN_HOME).read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert "NumPyPrinter" in {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    names = {_called_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert {"lambdify", "exec"} <= names


def test_the_codegen_scan_names_file_and_line(tmp_path):
    package = tmp_path / "symnet"
    package.mkdir()
    (package / "m.py").write_text(
        "import sympy\n# exec( in a comment\nf = sympy.lambdify(x, e)\n\ndef g():\n    exec(code)\n", encoding="utf-8")
    assert sorted(_codegen_calls(tmp_path)) == [("symnet/m.py", 3, "lambdify"), ("symnet/m.py", 6, "exec")]

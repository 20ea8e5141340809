"""No module of the package imports itself, directly or through others (imports go downwards only)."""

from __future__ import annotations

import ast
from pathlib import Path

import checkpoint_spec

PACKAGE = "checkpoint_spec"
SOURCES = Path(checkpoint_spec.__file__).resolve().parent


def module_name(path: Path, root: Path = SOURCES) -> str:
    parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, modules: set[str], root: Path = SOURCES) -> set[str]:
    """The package's modules this file imports, at the top or inside functions, absolute or relative."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # `from . import cli` imports a module; `from .cli import main` imports a name of one.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {module for module in found if module in modules and module != name}


def import_graph(root: Path = SOURCES) -> dict[str, set[str]]:
    files = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    return {name: imported(path, set(files), root) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules, as a closed path (a -> b -> a)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for successor in sorted(graph[node]):
            if state.get(successor) == 1:
                found.append([*path[path.index(successor) :], successor])
            elif successor not in state:
                visit(successor)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_check_sees_a_cycle_through_a_function_level_relative_import(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "a.py").write_text("from .b import thing\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from .sub import c\n\nthing = 1\n", encoding="utf-8")
    (tmp_path / "sub" / "c.py").write_text("def g():\n    from .. import a\n", encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph[f"{PACKAGE}.b"] == {f"{PACKAGE}.sub", f"{PACKAGE}.sub.c"}
    assert cycles(graph) == [[f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.sub.c", f"{PACKAGE}.a"]]

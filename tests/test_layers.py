"""The package tree is layered: imports point down the layer order, and no module imports itself back.

The order is the README's architecture section, top to bottom. `TYPE_CHECKING` imports and imports
inside functions count too: a cycle hidden in a function is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mdlint"

# Top to bottom; a module may import from its own layer and from layers below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("mdlint.cli", "mdlint.__main__", "mdlint.testing", "mdlint.server"),
    ("mdlint.reporters",),
    ("mdlint.run",),
    ("mdlint.fixing",),
    ("mdlint.rules",),
    ("mdlint.conventions",),
    ("mdlint.rule_engine",),
    ("mdlint.links",),
    ("mdlint.site",),
    ("mdlint.markdown",),
    ("mdlint.source",),
    ("mdlint.findings", "mdlint"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    return _imports_in(path.read_text(encoding="utf-8"), _module_name(path), is_package=path.name == "__init__.py")


def _imports_in(source: str, module: str, *, is_package: bool = False) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "mdlint")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.split(".")[0] != "mdlint":
                continue
            found.add(name)
            # `from mdlint.x import y` may import the module mdlint.x.y.
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {dep for dep in _imports(path) if dep in modules and dep != name} for name, path in modules.items()}


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "mdlint" and module.startswith(prefix + ".")):
                length = len(prefix)
                if best is None or length > best[1]:
                    best = (index, length)
    if best is None:
        raise AssertionError(f"{module} is in no layer; add it to LAYERS and to the README's architecture section")
    return best[0]


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{module} imports {dep}"
        for module, deps in sorted(_graph().items())
        for dep in sorted(deps)
        if _layer(dep) < _layer(module)
    ]
    assert upward == []


def test_no_import_cycles() -> None:
    graph = _graph()
    # Tarjan's strongly connected components: any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for dep in sorted(graph[module]):
            if dep not in index:
                visit(dep)
                low[module] = min(low[module], low[dep])
            elif dep in on_stack:
                low[module] = min(low[module], index[dep])
        if low[module] == index[module]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from mdlint.run.runner import run\n", {"mdlint.run.runner", "mdlint.run.runner.run"}),
        ("if TYPE_CHECKING:\n    from mdlint.cli import main\n", {"mdlint.cli", "mdlint.cli.main"}),
        ("def f() -> None:\n    import mdlint.reporters\n", {"mdlint.reporters"}),
        ("from ..run import config\n", {"mdlint.run", "mdlint.run.config"}),
        ("import os\nfrom typing import Any\n", set()),
    ],
)
def test_the_import_scanner_sees_every_kind_of_import(source: str, expected: set[str]) -> None:
    # A checker that missed an import kind would pass a layered tree and a tangled one alike.
    assert _imports_in(source, "mdlint.markdown.parser") == expected


def test_an_upward_import_is_caught() -> None:
    assert _layer("mdlint.markdown.parser") > _layer("mdlint.rules.link_dead")
    assert _layer("mdlint.findings") > _layer("mdlint.source.text")

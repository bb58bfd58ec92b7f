"""The package's layers: each sub-package imports only what its README allows, and nothing
imports a layer above it (core < data, methods < kit < chapters < book)."""

import ast
import re
from pathlib import Path

import pytest

from neuron_utils.kit.imports import module_graph

PACKAGE = Path(__file__).resolve().parents[2] / "neuron_utils"
# what each layer may import from the package (besides itself)
ALLOWED = {
    "core": set(),
    "data": {"core"},
    "methods": {"core"},
    "kit": {"core", "data", "methods"},  # what a chapter uses: below the chapters
    "chapters": {"core", "data", "methods", "kit"},
    # the pipeline above: it reaches the chapters through the registry (_toc.yml's list)
    "book": {"core", "data", "methods", "kit"},
}


def package_imports(path: Path, package: str) -> set[str]:
    """What ``path`` (a module of ``package``, dotted below ``neuron_utils``) imports from the
    package, as dotted names with the imported name last: ``from ...kit import plotting`` in
    ``chapters.ch01_x`` -> ``kit.plotting``."""
    names = set()
    parts = package.split(".") if package else []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # relative: level 1 is the module's package, each more one up
            base = parts[: len(parts) - (node.level - 1)]
        elif (node.module or "").split(".")[0] == "neuron_utils":
            base = []
        else:
            continue
        module = [m for m in (node.module or "").split(".") if m and m != "neuron_utils"]
        names |= {".".join([*base, *module, alias.name]) for alias in node.names}
    return names


def allowed(name: str, layer: str) -> bool:
    return (
        name == layer
        or name.startswith(layer + ".")
        or any(name == a or name.startswith(a + ".") for a in ALLOWED[layer])
    )


def test_no_chapter_imports_another_chapter():
    # a chapter's modules (its notebook aside, which may use the pipeline) import no other
    wrong = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / "chapters").glob("ch*/*.py"))
        if path.name != "notebook.py"
        for name in package_imports(path, f"chapters.{path.parent.name}")
        if re.match(r"chapters\.ch\d\d", name)
        and not name.startswith(f"chapters.{path.parent.name}")
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        if path.name != "notebook.py"  # a notebook is the top: it may call the pipeline
        for name in package_imports(path, ".".join(path.relative_to(PACKAGE).parent.parts))
        if not allowed(name, layer)
    }
    assert not wrong, sorted(wrong)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others():
    graph = module_graph(parents=False)
    assert graph["kit.notebook"] >= {"kit.record", "kit.summary"}  # the walk sees imports
    assert "data.generator" in graph["data.minimal_pairs"]
    assert circles(graph) == []


# a function longer than this is split into named steps (the issue on structure)
MAX_FUNCTION_LINES = 80


def test_no_function_is_longer_than_80_lines():
    long = [
        f"{path.relative_to(PACKAGE)}: {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []

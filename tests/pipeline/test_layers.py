"""The package's layers: each sub-package imports only what its README allows."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "neuron_utils"
# what each layer may import from the package (besides itself)
ALLOWED = {
    "core": set(),
    "data": {"core"},
    "methods": {"core"},
    "chapters": {"core", "data", "methods", "book.parameters", "book.plotting"},
    "book": {"core", "data", "methods"},  # chapters are found by number, not imported
}


def package_imports(path: Path, layer: str) -> set[str]:
    """What ``path`` imports from the package, as dotted names below ``neuron_utils`` with the
    imported name last: ``from ..book import plotting`` in chapters/ -> ``book.plotting``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # relative: level 1 is this layer, level 2 the package
            base = [layer] if node.level == 1 else []
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


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / layer).glob("*.py"))
        for name in package_imports(path, layer)
        if not allowed(name, layer)
    }
    assert not wrong, sorted(wrong)

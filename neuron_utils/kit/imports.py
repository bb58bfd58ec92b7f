"""Which package modules a chapter's run executes: the static import graph of ``neuron_utils``
and its closure, so that a chapter is out of date when a module it runs changed, not when any
module of the package did. Packages offer their names lazily (:mod:`neuron_utils.core.lazy`):
the walk reads their ``_LAZY`` tables, so ``from ..data import make_pairs`` and
``nu.load_model`` count as the modules that define those names."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the ``neuron_utils`` folder


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """``book/runner.py`` -> ``book.runner``; a package's ``__init__.py`` -> its name (the
    top-level package is ``""``)."""
    parts = Path(path).relative_to(package).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by :func:`module_name`."""
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def _parents(name: str) -> list[str]:
    """The packages Python imports before ``name``: ``a.b.c`` -> ``""``, ``a``, ``a.b``."""
    parts = name.split(".") if name else []
    return [".".join(parts[:k]) for k in range(len(parts))]


def lazy_table(source: str, package: str) -> dict[str, str]:
    """A package ``__init__``'s ``_LAZY`` table (:mod:`neuron_utils.core.lazy`) with absolute
    module names: attribute -> the module that defines it (empty where there is none)."""
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if (
            isinstance(target, ast.Name)
            and target.id == "_LAZY"
            and isinstance(node.value, ast.Dict)
        ):
            return {
                key.value: ".".join(p for p in (package, value.value) if p)
                for key, value in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
            }
    return {}


def lazy_tables(package: Path = PACKAGE) -> dict[str, dict[str, str]]:
    """Every package's ``_LAZY`` table, by the package's module name."""
    return {
        module_name(path, package): lazy_table(
            path.read_text(encoding="utf-8"), module_name(path, package)
        )
        for path in sorted(package.rglob("__init__.py"))
    }


def _member(module: str, name: str, known: set[str], lazy: dict[str, dict[str, str]]) -> str | None:
    """The module that ``module.name`` is or comes from: a submodule, an entry of the package's
    lazy table, or None (a plain attribute of ``module`` itself)."""
    sub = f"{module}.{name}" if module else name
    if sub in known:
        return sub
    return lazy.get(module, {}).get(name)


def imports_of(
    source: str,
    package: str,
    known: Iterable[str],
    parents: bool = True,
    lazy: dict[str, dict[str, str]] | None = None,
) -> set[str]:
    """The package modules that ``source`` (code of a module in ``package``, ``""`` for code
    outside it such as a notebook) imports anywhere in its body, with (``parents``) the packages
    Python runs first. ``from .x import y`` is the module ``x.y`` where that is a module, else the
    module ``x``'s lazy table names for ``y``, else ``x``. A name bound to a package
    (``import neuron_utils as nu``, ``from .. import data``) also imports what its attributes
    reach through the lazy tables: ``nu.load_model`` is ``core.models``."""
    known = set(known)
    lazy = lazy_tables() if lazy is None else lazy
    found: set[str] = set()
    aliases: dict[str, str] = {}  # a name bound to a module of the package -> that module
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = [m for m in (node.module or "").split(".") if m]
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
            elif module[:1] == ["neuron_utils"]:
                base, module = [], module[1:]
            else:
                continue
            target = ".".join([*base, *module])
            for alias in node.names:
                member = _member(target, alias.name, known, lazy)
                found.add(member or target)
                if member in known:
                    aliases[alias.asname or alias.name] = member
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "neuron_utils":
                    name = ".".join(parts[1:])
                    found.add(name)
                    aliases[alias.asname or parts[0]] = name if alias.asname else ""
    found |= _attribute_uses(tree, aliases, known, lazy)
    found = {name for name in found if name in known}
    return found | {parent for name in found for parent in _parents(name)} if parents else found


def _attribute_uses(
    tree: ast.AST, aliases: dict[str, str], known: set[str], lazy: dict[str, dict[str, str]]
) -> set[str]:
    """The modules reached by attribute chains on names bound to package modules
    (``nu.book.registry.chapters`` -> ``book``, ``book.registry``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        chain = []
        while isinstance(node, ast.Attribute):
            chain.append(node.attr)
            node = node.value
        if not (isinstance(node, ast.Name) and node.id in aliases and chain):
            continue
        module = aliases[node.id]
        for name in reversed(chain):
            member = _member(module, name, known, lazy)
            if member is None:
                break
            found.add(member)
            if member not in known:
                break
            module = member
    return found


def module_graph(package: Path = PACKAGE, parents: bool = True) -> dict[str, set[str]]:
    """Every module -> the package modules it imports (:func:`imports_of`; without
    ``parents``, only the modules its import statements name: a package's ``__init__`` runs
    before its modules, so a module does not import it again)."""
    paths = modules(package)
    lazy = lazy_tables(package)
    graph = {}
    for name, path in paths.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        source = path.read_text(encoding="utf-8")
        graph[name] = imports_of(source, own_package, paths, parents, lazy) - {name}
    return graph


def closure(roots: Iterable[str], graph: dict[str, set[str]]) -> set[str]:
    """``roots`` and every module they import, directly or not (with the packages Python runs
    before a root)."""
    seen: set[str] = set()
    todo = [m for r in roots if r in graph for m in (r, *_parents(r))]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph[name] - seen
    return seen

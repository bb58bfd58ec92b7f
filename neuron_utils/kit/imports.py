"""Which package modules a chapter's run executes: the static import graph of ``neuron_utils``
and its closure, so that a chapter is out of date when a module it runs changed, not when any
module of the package did."""

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


def imports_of(source: str, package: str, known: Iterable[str], parents: bool = True) -> set[str]:
    """The package modules that ``source`` (code of a module in ``package``, ``""`` for code
    outside it such as a notebook) imports anywhere in its body, with (``parents``) the packages
    Python runs first. ``from .x import y`` is the module ``x.y`` where that is a module, else
    ``x``."""
    known = set(known)
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
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
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "neuron_utils":
                    found.add(".".join(parts[1:]))
    found = {name for name in found if name in known}
    return found | {parent for name in found for parent in _parents(name)} if parents else found


def module_graph(package: Path = PACKAGE, parents: bool = True) -> dict[str, set[str]]:
    """Every module -> the package modules it imports (:func:`imports_of`; without
    ``parents``, only the modules its import statements name: a package's ``__init__`` runs
    before its modules, so a module does not import it again)."""
    paths = modules(package)
    graph = {}
    for name, path in paths.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        source = path.read_text(encoding="utf-8")
        graph[name] = imports_of(source, own_package, paths, parents) - {name}
    return graph


def closure(roots: Iterable[str], graph: dict[str, set[str]]) -> set[str]:
    """``roots`` and every module they import, directly or not."""
    seen: set[str] = set()
    todo = [r for r in roots if r in graph]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph[name] - seen
    return seen

"""Lazy package attributes: a package's ``__init__`` names what it offers (``_LAZY``: attribute ->
the submodule that defines it) and imports a submodule only when one of its names is used.

So ``import neuron_utils as nu`` costs nothing, ``nu.load_model`` imports ``core.models`` alone,
and a chapter's import closure (:mod:`neuron_utils.kit.imports`, which reads the same ``_LAZY``
tables) holds the modules it uses, not every module of every package above them: editing a
module stales only the chapters that run it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(
    package: str, table: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: an attribute of ``table`` comes from its
    submodule (relative to ``package``), a submodule by its name; anything else is an
    ``AttributeError`` as usual."""

    def getattr_(name: str) -> Any:
        if name in table:
            module = importlib.import_module(f"{package}.{table[name]}")
            return module if module.__name__.endswith(f".{name}") else getattr(module, name)
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{package}.{name}":
                raise  # the submodule exists and failed to import something else
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    def dir_() -> list[str]:
        return sorted(set(table) | set(vars(importlib.import_module(package))))

    return getattr_, dir_

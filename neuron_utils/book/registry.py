"""Chapters by number: their notebook source, module, parameters class, defaults and title.

A chapter is a notebook ``notebooks/NN_name.py`` and a module
``neuron_utils/chapters/chNN_name.py`` of the same name; everything that needs a chapter by
number (the runner, the notebooks, the findings page, the tests) looks it up here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ..core.paths import chapter_sources
from . import imports
from .parameters import ChapterParameters


def chapters() -> dict[str, Path]:
    """Chapter number -> source file, e.g. ``{"01": notebooks/01_cross_lingual_similarity.py}``."""
    return chapter_sources()


def chapter_source(chapter: str) -> Path:
    found = chapters()
    key = chapter.zfill(2)
    if key not in found:
        raise ValueError(f"unknown chapter {chapter!r}; available: {', '.join(found)}")
    return found[key]


def chapter_module(chapter: str) -> ModuleType:
    """The chapter's module ``neuron_utils.chapters.chNN_<name>`` (same name as its notebook)."""
    stem = chapter_source(chapter).stem
    return importlib.import_module(f"neuron_utils.chapters.ch{stem}")


def parameters_class(chapter: str) -> type[ChapterParameters]:
    return chapter_module(chapter).Parameters


def default_parameters(chapter: str) -> dict[str, Any]:
    """The values in the notebook's ``parameters`` cell (they must equal ``Parameters()``'s)."""
    import jupytext

    notebook = jupytext.read(chapter_source(chapter))
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(
            f"chapter {chapter} must have exactly one cell tagged 'parameters', found {len(cells)}"
        )
    namespace: dict[str, Any] = {}
    exec(cells[0].source, {}, namespace)  # the cell holds plain literal assignments
    return {k: v for k, v in namespace.items() if k.isupper()}


def chapter_title(chapter: str) -> str:
    """The chapter's heading (the first ``# # ...`` line of its source)."""
    for line in chapter_source(chapter).read_text(encoding="utf-8").splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return chapter_source(chapter).stem


def chapter_code(chapter: str) -> list[Path]:
    """The package modules a run of the chapter executes: the import closure of its notebook
    and its module (:mod:`.imports`). A page that reads other chapters' records (the findings)
    also reads their modules' parameters, so it runs every chapter module's closure."""
    graph = imports.module_graph()
    roots = imports.imports_of(chapter_source(chapter).read_text(encoding="utf-8"), "", graph)
    roots.add(imports.module_name(Path(chapter_module(chapter).__file__)))
    if parameters_class(chapter).READS_RECORDED_RESULTS:
        roots |= {imports.module_name(Path(chapter_module(c).__file__)) for c in chapters()}
    paths = imports.modules()
    return sorted(paths[name] for name in imports.closure(roots, graph))

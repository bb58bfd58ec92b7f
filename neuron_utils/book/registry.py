"""The book's chapters: the explicit, ordered list in ``_toc.yml``.

A chapter is a folder ``neuron_utils/chapters/chNN_<name>/`` (a package: its parameters,
analysis, summary, prose, figures, claims, its notebook ``notebook.py`` and its golden numbers
``golden.json``); ``_toc.yml`` lists its page ``book/chapters/NN_<name>``. That list is the
registry: a chapter folder that it does not name is an error, never found by a file glob.
Everything that needs the chapters (the runner, the CLI, the findings page's notebook, the
tests) asks here.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ..core.paths import PROJECT_ROOT
from ..kit.parameters import ChapterParameters

CHAPTERS_DIR = PROJECT_ROOT / "neuron_utils" / "chapters"
_TOC_LINE = re.compile(r"^\s*- file: book/chapters/(\d\d)_(\w+)\s*$", re.MULTILINE)


def listed(toc: str) -> list[tuple[str, str]]:
    """``(number, name)`` of every chapter page ``_toc.yml``'s text lists, in its order."""
    return _TOC_LINE.findall(toc)


@cache
def _chapters(root: Path) -> dict[str, str]:
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    found = {}
    for number, name in listed(toc):
        if number in found:
            raise ValueError(f"_toc.yml lists chapter {number} twice")
        found[number] = f"ch{number}_{name}"
    packages = (root / "neuron_utils" / "chapters").glob("ch[0-9][0-9]_*/__init__.py")
    folders = {path.parent.name for path in packages}
    unlisted = sorted(folders - set(found.values()))
    if unlisted:
        raise ValueError(f"chapter folders that _toc.yml does not list: {', '.join(unlisted)}")
    missing = sorted(set(found.values()) - folders)
    if missing:
        raise ValueError(f"_toc.yml lists chapters without a folder: {', '.join(missing)}")
    return found


def package_names(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """Chapter number -> its package's name, ``{"01": "ch01_cross_lingual_similarity"}``."""
    return dict(_chapters(root))


def chapters(root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Chapter number -> its notebook source, in the book's order."""
    return {
        n: root / "neuron_utils" / "chapters" / p / "notebook.py"
        for n, p in _chapters(root).items()
    }


def _key(chapter: str) -> str:
    key = str(chapter).zfill(2)
    if key not in _chapters(PROJECT_ROOT):
        raise ValueError(f"unknown chapter {chapter!r}; available: {', '.join(chapters())}")
    return key


def chapter_source(chapter: str) -> Path:
    """The chapter's notebook (Jupytext percent format)."""
    return chapters()[_key(chapter)]


def page_name(chapter: str) -> str:
    """The name of the chapter's page, ``01_cross_lingual_similarity``."""
    return _chapters(PROJECT_ROOT)[_key(chapter)][2:]


def chapter_module(chapter: str) -> ModuleType:
    """The chapter's package ``neuron_utils.chapters.chNN_<name>``."""
    return importlib.import_module(
        f"neuron_utils.chapters.{_chapters(PROJECT_ROOT)[_key(chapter)]}"
    )


def modules() -> dict[str, ModuleType]:
    """Every chapter's package, by number, in the book's order."""
    return {number: chapter_module(number) for number in chapters()}


def parameters_class(chapter: str) -> type[ChapterParameters]:
    return chapter_module(chapter).Parameters


def reads_recorded(chapter: str) -> tuple[ModuleType, ...]:
    """The chapters whose records ``chapter`` reads (all others, for the findings page)."""
    if not chapter_module(chapter).SPEC.reads_recorded_results:
        return ()
    return tuple(m for n, m in modules().items() if n != _key(chapter))


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
    """The chapter's heading (the first ``# # ...`` line of its source), as the page shows it:
    a Markdown backslash escape (``\\*``, which the new-chapter scaffold writes) as its character."""
    for line in chapter_source(chapter).read_text(encoding="utf-8").splitlines():
        if line.startswith("# # "):
            return re.sub(r"\\([!-/:-@[-`{-~])", r"\1", line[4:].strip())
    return page_name(chapter)


def chapter_code(chapter: str) -> list[Path]:
    """The package modules a run of the chapter executes (:func:`~neuron_utils.kit.record.chapter_code`)."""
    from ..kit.record import chapter_code as code

    return code(chapter_module(chapter), reads_recorded(chapter))


def golden_path(chapter: str) -> Path:
    """The chapter's golden numbers, ``golden.json`` in its folder (the golden-number test)."""
    return chapter_source(chapter).parent / "golden.json"


def findings() -> str:
    """The number of the findings page: the chapter that reads the others' records (its spec
    says so); new chapters go before it."""
    found = [n for n, m in modules().items() if m.SPEC.reads_recorded_results]
    if len(found) != 1:
        raise ValueError(f"the book needs exactly one findings page, found {found or 'none'}")
    return found[0]

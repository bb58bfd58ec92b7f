"""The chapter contract: what a chapter provides, declared in one place and checked by one test.

A chapter is one folder ``neuron_utils/chapters/chNN_<name>/`` (a package: its parameters,
analysis, summary, prose, figures and claims, its notebook ``notebook.py`` with the prose, the
``parameters`` cell, calls and figures, and its golden numbers ``golden.json``) plus its line in
``_toc.yml``. What the harness needs is declared on the package's ``SPEC`` (a
:class:`~neuron_utils.kit.spec.ChapterSpec`: smoke and golden sizes, figures, cost) and its
``Parameters`` (a :class:`~neuron_utils.kit.parameters.ChapterParameters`: the number
``CHAPTER``, the profiles ``PAPER`` and ``PAPER_LITE``). The tests find chapters through
:mod:`.registry` and read those declarations; :func:`problems` says what a chapter lacks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

from ..core.paths import PROJECT_ROOT
from ..kit.parameters import ChapterParameters
from ..kit.spec import ChapterSpec
from ..kit.summary import Declaration
from .registry import chapter_module, chapter_source, default_parameters, page_name

HEADINGS = ("## What we found here", "## Exercises", "## References")


@runtime_checkable
class Chapter(Protocol):
    """A chapter module: its parameters, its measurement and its summary.

    ``analyse(model, parameters) -> Results`` (a page that measures nothing, the findings,
    takes the parameters and the book's chapters, which its notebook hands it), ``SUMMARY``
    (every entry of its summary declared once, with its kind and unit) and
    ``summarise(results) -> dict``: every number the prose quotes, under the name the prose
    glues, each of its declared kind.
    """

    Parameters: type[ChapterParameters]
    SPEC: ChapterSpec
    SUMMARY: Declaration
    analyse: Callable[..., Any]
    summarise: Callable[[Any], dict[str, Any]]


def problems_of(
    module: ModuleType | Any, chapter: str, stem: str, source: str, toc: str
) -> list[str]:
    """What ``module`` (the chapter's module), ``source`` (the text of its notebook
    ``notebooks/<stem>.py``) and ``toc`` (``_toc.yml``'s text) lack for chapter ``chapter``;
    empty when the contract holds."""
    found = []
    if f"file: book/chapters/{stem}\n" not in toc + "\n":
        found.append(f"_toc.yml does not list book/chapters/{stem}")
    if not isinstance(module, Chapter):
        missing = [
            name
            for name in ("Parameters", "SPEC", "SUMMARY", "analyse", "summarise")
            if not hasattr(module, name)
        ]
        return [f"the module has no {', '.join(missing)}"]
    parameters = module.Parameters
    if not (isinstance(parameters, type) and issubclass(parameters, ChapterParameters)):
        return ["Parameters is not a ChapterParameters dataclass"]
    if parameters.CHAPTER != chapter:
        found.append(f"Parameters.CHAPTER is {parameters.CHAPTER!r}, not {chapter!r}")
    spec = module.SPEC
    if not isinstance(spec, ChapterSpec):
        return ["SPEC is not a ChapterSpec"]
    if not isinstance(module.SUMMARY, Declaration):
        return ["SUMMARY is not a Declaration (kit.summary): every summary entry declared once"]
    for name, count in (("analyse", 2), ("summarise", 1)):
        required = [
            p
            for p in inspect.signature(getattr(module, name)).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if len(required) != count:
            found.append(f"{name}() takes {len(required)} arguments without defaults, not {count}")
    names = set(parameters.names())
    declared = {"PAPER": parameters.PAPER, "PAPER_LITE": parameters.PAPER_LITE}
    declared |= {"SPEC.tiny": spec.tiny, "SPEC.golden": spec.golden or {}}
    for what, values in declared.items():
        unknown = sorted(set(values) - names)
        if unknown:
            found.append(f"{what} names parameters that do not exist: {', '.join(unknown)}")
    for heading in HEADINGS:
        if heading not in source:
            found.append(f"the notebook lacks the section '{heading}'")
    if source.count('tags=["parameters"]') != 1:
        found.append("the notebook needs exactly one cell tagged 'parameters'")
    start = "kit.start_chapter(chapter, globals())"
    if start not in source.split("nu.load_model")[0]:
        found.append(f"the notebook calls {start} before it loads a model")
    if spec.keeps_results and "kit.record_results(chapter," not in source:
        found.append("the notebook records its summary: kit.record_results(chapter, ...)")
    return found


def problems(chapter: str, root: Path = PROJECT_ROOT) -> list[str]:
    """:func:`problems_of` for a chapter of the book (found by :mod:`.registry`), with the
    notebook's parameters cell checked against the ``Parameters`` defaults."""
    source, module = chapter_source(chapter), chapter_module(chapter)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    text = source.read_text(encoding="utf-8")
    found = problems_of(module, chapter, page_name(chapter), text, toc)
    if isinstance(module, Chapter) and default_parameters(chapter) != module.Parameters().as_dict():
        found.append("the notebook's parameters cell differs from the Parameters defaults")
    return found

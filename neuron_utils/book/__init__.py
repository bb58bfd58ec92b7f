"""The book pipeline: running chapters, typed parameters and profiles, provenance, plotting, CLI.

- :mod:`.registry`: chapters by number (notebook source, module, parameters class, title).
- :mod:`.runner`: execute a chapter with papermill, build the HTML book.
- :mod:`.parameters`: :class:`~.parameters.ChapterParameters` and the checks chapters share.
- :mod:`.notebook`: what a chapter notebook calls (start, provenance, glue).
- :mod:`.results`: recorded results and kept paper-size results.
- :mod:`.plotting`: the book's one plotting vocabulary.
- :mod:`.provenance`: versions, machine, commit; the provenance table.
- :mod:`.postbuild`: checks of the built pages; :mod:`.cli`: ``python -m neuron_utils``.
"""

from . import plotting
from .notebook import (
    glue_all,
    glue_paper_results,
    kept_currency_text,
    show_markdown,
    show_provenance,
    start_chapter,
    what_we_found,
)
from .results import keep_paper_results, paper_results, record_results
from .registry import chapter_module, chapter_source, chapters, default_parameters
from .runner import build_book, parse_value, resolve_parameters, run_chapter

__all__ = [
    "build_book",
    "chapter_module",
    "chapter_source",
    "chapters",
    "default_parameters",
    "glue_all",
    "glue_paper_results",
    "keep_paper_results",
    "kept_currency_text",
    "paper_results",
    "parse_value",
    "plotting",
    "record_results",
    "resolve_parameters",
    "run_chapter",
    "show_markdown",
    "show_provenance",
    "start_chapter",
    "what_we_found",
]

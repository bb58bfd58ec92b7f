"""The pipeline above the chapters: the registry, running chapters, the CLI, the contract, the
scaffold, kept results and the site.

- :mod:`.registry`: the chapters, as ``_toc.yml`` lists them (package, notebook, title).
- :mod:`.runner`: execute a chapter with papermill, build the HTML book.
- :mod:`.results`: keep paper-size results, list the kept ones the current code may not compute.
- :mod:`.contract`: what a chapter provides; :mod:`.scaffold`: a new chapter from the template.
- :mod:`.postbuild`, :mod:`.sitecheck`, :mod:`.publish`: checks of the built site, publishing.
- :mod:`.cli`: ``python -m neuron_utils``.

What a chapter itself uses (parameters, plotting, glue, provenance) is in
:mod:`neuron_utils.kit`, below the chapters.
"""

from .registry import chapter_module, chapter_source, chapters, default_parameters
from .results import keep_paper_results, kept_currency_text
from .runner import build_book, parse_value, resolve_parameters, run_chapter

__all__ = [
    "build_book",
    "chapter_module",
    "chapter_source",
    "chapters",
    "default_parameters",
    "keep_paper_results",
    "kept_currency_text",
    "parse_value",
    "resolve_parameters",
    "run_chapter",
]

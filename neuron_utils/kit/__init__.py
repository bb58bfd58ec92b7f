"""The kit below the chapters: what a chapter and its notebook use.

- :mod:`.parameters`: :class:`~.parameters.ChapterParameters` and the checks chapters share.
- :mod:`.spec`: :class:`~.spec.ChapterSpec`, a chapter's harness settings.
- :mod:`.summary`: typed summaries (:class:`~neuron_utils.methods.bootstrap.Interval`, entries declared once).
- :mod:`.claims`: a seed's claim, its rule and :class:`~.claims.Verdict`.
- :mod:`.notebook`: what a chapter notebook calls (start, provenance, glue).
- :mod:`.record`: recorded and kept results, and what a chapter's run depends on.
- :mod:`.plotting`: the book's one plotting vocabulary; :mod:`.provenance`: versions, machine.

Nothing here imports a chapter or the pipeline (:mod:`neuron_utils.book`) above it.
"""

from . import plotting
from .notebook import (
    glue_all,
    glue_summary,
    glue_paper_results,
    show_markdown,
    show_provenance,
    start_chapter,
    what_we_found,
)
from .record import paper_results, record_results
from .spec import ChapterSpec
from .summary import Declaration, Entry, Interval, Kind

__all__ = [
    "ChapterSpec",
    "Declaration",
    "Entry",
    "Interval",
    "Kind",
    "glue_all",
    "glue_summary",
    "glue_paper_results",
    "paper_results",
    "plotting",
    "record_results",
    "show_markdown",
    "show_provenance",
    "start_chapter",
    "what_we_found",
]

"""The findings page's parameters: none of its own (it reads what the other chapters recorded)."""

from __future__ import annotations

from dataclasses import dataclass

from ...kit.parameters import ChapterParameters


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """The findings page has no parameters of its own: it reads what the other chapters
    recorded. Its number is its folder's (``CHAPTER``, set by the base class): a new chapter
    goes before the findings page, which then moves up by one (``new-chapter``)."""

"""The findings page's parameters: none of its own (it reads what the other chapters recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ...kit.parameters import ChapterParameters


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 7 has no parameters of its own: it reads what the other chapters recorded."""

    CHAPTER: ClassVar[str] = "07"

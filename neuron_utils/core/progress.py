"""Progress bars for long loops (on by default, off with ``NEURON_UTILS_PROGRESS=0``: the book,
tests) and the one-line form of a message for the terminal."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress_enabled(progress: bool | None = None) -> bool:
    """Progress bars are on unless ``progress=False`` or ``NEURON_UTILS_PROGRESS=0``."""
    return os.environ.get("NEURON_UTILS_PROGRESS", "1") != "0" if progress is None else progress


def progress_bar(
    items: Iterable[T], desc: str, unit: str = "batch", progress: bool | None = None
) -> Iterator[T]:
    """``items`` with a tqdm bar when progress is enabled."""
    from tqdm import tqdm

    return iter(tqdm(items, desc=desc, unit=unit, disable=not progress_enabled(progress)))


def first_line(text: str, limit: int = 200) -> str:
    """The first non-blank line of ``text``, stripped and cut to ``limit`` characters."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."

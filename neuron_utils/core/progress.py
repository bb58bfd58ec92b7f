"""Progress bars for long loops: on by default, off with ``NEURON_UTILS_PROGRESS=0`` (the book, tests)."""

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

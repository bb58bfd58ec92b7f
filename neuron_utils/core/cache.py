"""One naming scheme for every cache file, and memoisation of arrays on disk.

A cache file lives at ``<cache root>/<kind>/<model fingerprint or "model-free">/<label>-<key>.npz``:
``kind`` says what it holds (activations, statistics, scores, analysis), the fingerprint ties it
to the weights that produced it, and ``key`` is a content hash of everything else that decides
its value (a format version, the texts, the parameters). The label only helps a person find a
file. Files are written atomically and never pickled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .paths import cache_dir
from .storage import content_hash, load_arrays, save_arrays


def cache_file(
    kind: str, key_parts: Sequence[Any], fingerprint: str | None = None, label: str = ""
) -> Path:
    """The cache path for a value of ``kind`` determined by ``key_parts`` (JSON-serialisable)."""
    key = content_hash(kind, *key_parts)[:24]
    return (
        cache_dir()
        / kind
        / (fingerprint or "model-free")
        / f"{label + '-' if label else ''}{key}.npz"
    )


def cached_arrays(
    path: Path, compute: Callable[[], dict[str, np.ndarray]], enabled: bool = True
) -> dict[str, np.ndarray]:
    """Load the arrays at ``path`` if present, else compute them and save them atomically."""
    if enabled and path.exists():
        return load_arrays(path)
    arrays = compute()
    if enabled:
        save_arrays(path, arrays)
    return arrays


def cached_array(path: Path, compute: Callable[[], np.ndarray], enabled: bool = True) -> np.ndarray:
    """:func:`cached_arrays` for a single array."""
    return cached_arrays(path, lambda: {"value": compute()}, enabled)["value"]

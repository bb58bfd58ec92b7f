"""One naming scheme for every cache file, checked reads, and memoisation of arrays on disk.

A cache file lives at ``<cache root>/<kind>/<model fingerprint or "model-free">/<label>-<key>.npz``:
``kind`` says what it holds (activations, statistics, scores, analysis), the fingerprint ties it
to the weights that produced it, and ``key`` is a content hash of everything else that decides
its value (a format version, the texts, the parameters). The label only helps a person find a
file. Files are written atomically and never pickled.

Every read is checked: the ``.npz`` must open (its zip CRC-32 is a checksum of each array's
bytes), hold exactly the expected arrays, and each must have its expected dtype and shape. A
file that fails is reported once on stderr with its path, removed, and recomputed.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .paths import cache_dir
from .progress import first_line
from .storage import content_hash, load_arrays, save_arrays


@dataclass(frozen=True)
class ArraySpec:
    """What one array of a cache file must be.

    ``dtype``: a numpy dtype name, or ``"str"`` for text of any width. ``shape``: per axis an
    int (that length), a name (one length wherever the name recurs in the file) or None (any).
    """

    dtype: str
    shape: tuple[int | str | None, ...]

    def problem(self, array: np.ndarray, named: dict[str, int]) -> str | None:
        """Why ``array`` does not fit (None if it does); fills ``named`` lengths as it goes."""
        fits_dtype = array.dtype.kind == "U" if self.dtype == "str" else array.dtype == self.dtype
        if not fits_dtype:
            return f"dtype {array.dtype}, expected {self.dtype}"
        if array.ndim != len(self.shape):
            return f"shape {array.shape}, expected {len(self.shape)} axes"
        for axis, (length, want) in enumerate(zip(array.shape, self.shape, strict=True)):
            if isinstance(want, str):
                want = named.setdefault(want, length)
            if want is not None and length != want:
                return f"shape {array.shape}: axis {axis} has length {length}, expected {want}"
        return None


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


def shown_cache_path(path: Path) -> str:
    """``path`` as messages show it: under the cache root's name (``~/.cache/neuron_utils`` or
    ``$NEURON_UTILS_CACHE``), so that an executed chapter does not print the builder's folders."""
    root = "$NEURON_UTILS_CACHE" if "NEURON_UTILS_CACHE" in os.environ else "~/.cache/neuron_utils"
    try:
        return f"{root}/{Path(path).relative_to(cache_dir()).as_posix()}"
    except ValueError:
        return str(path)


def read_cached(path: Path, expect: Mapping[str, ArraySpec]) -> dict[str, np.ndarray] | None:
    """The arrays at ``path`` if it exists and fits ``expect``; None if it is absent. A file that
    cannot be read or does not fit is reported, removed, and None returned (recompute it)."""
    if not path.exists():
        return None
    try:
        arrays = load_arrays(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        # BadZipFile: truncated or flipped bytes (CRC); ValueError: not an npz (numpy's pickle advice)
        problem = f"unreadable ({type(err).__name__}: {first_line(str(err), 120)})"
    else:
        problem = _misfit(arrays, expect)
        if problem is None:
            return arrays
    print(
        f"cache: {shown_cache_path(path)} was {problem}; removed it, recomputing",
        file=sys.stderr,
    )
    path.unlink(missing_ok=True)
    return None


def _misfit(arrays: dict[str, np.ndarray], expect: Mapping[str, ArraySpec]) -> str | None:
    if set(arrays) != set(expect):
        return f"not the expected arrays (holds {sorted(arrays)}, expected {sorted(expect)})"
    named: dict[str, int] = {}
    for name, spec in expect.items():
        problem = spec.problem(arrays[name], named)
        if problem:
            return f"not the expected arrays ({name}: {problem})"
    return None


def cached_arrays(
    path: Path,
    compute: Callable[[], dict[str, np.ndarray]],
    expect: Mapping[str, ArraySpec],
    enabled: bool = True,
) -> dict[str, np.ndarray]:
    """Load the arrays at ``path`` if present and fitting ``expect``, else compute them and
    save them atomically."""
    if enabled and (arrays := read_cached(path, expect)) is not None:
        return arrays
    arrays = compute()
    if enabled:
        save_arrays(path, arrays)
    return arrays


def cached_array(
    path: Path, compute: Callable[[], np.ndarray], expect: ArraySpec, enabled: bool = True
) -> np.ndarray:
    """:func:`cached_arrays` for a single array."""
    return cached_arrays(path, lambda: {"value": compute()}, {"value": expect}, enabled)["value"]

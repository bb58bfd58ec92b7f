"""Atomic file writes and content hashing (nothing half-written is ever left behind)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.", suffix=f".part{target.suffix}"
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path, write: Callable[[Any], None]) -> None:
    """Call ``write(file_object)`` on a temporary file and move it onto ``target``."""
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        write(fh)


def save_arrays(target: Path, arrays: dict[str, np.ndarray]) -> None:
    """Save arrays as an uncompressed ``.npz`` (no pickle), atomically."""
    write_bytes_atomic(target, lambda fh: np.savez(fh, **arrays))


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def content_hash(*parts: Any) -> str:
    """A stable sha256 of JSON-serialisable parts (lists of texts, names, numbers)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, ensure_ascii=False, sort_keys=True).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def array_digest(*arrays: np.ndarray) -> str:
    """sha256 over the shapes, dtypes and bytes of arrays (for cache keys of analysis results)."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.shape}{array.dtype}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()

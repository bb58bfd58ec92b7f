"""Atomic file writes, stale temporary files and content hashing (nothing half-written is ever
left behind).

A file is written to a temporary ``.<stem>.<pid>-<random>.part<suffix>`` beside its target and
renamed onto it only when complete. A process killed mid-write leaves that temporary behind;
:func:`remove_stale_parts` removes it later, once its writer (the ``pid`` in its name) is gone.
Written files get the permissions of the process umask (0644 under the usual 022), as ``open``
would give them, not ``mkstemp``'s private 0600.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

PROCESS_START = time.time()
# .<stem>.<writer pid>-<random>.part<suffix>: the name of every temporary file or folder
_PART = re.compile(r"^\..*\.(?P<pid>\d+)-[^.]+\.part(\.[^.]*)?$")


def _umask() -> int:
    """The process umask: read from ``/proc`` (Linux), else set and put back (a thread that
    created a file in between would get no mask, so this is the fallback only)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask


def set_umask_mode(path: Path) -> None:
    """Give ``path`` the mode a plain ``open``/``mkdir`` would have (0644 / 0755 under umask 022)."""
    full = 0o777 if Path(path).is_dir() else 0o666
    os.chmod(path, full & ~_umask())


def part_prefix(target: Path) -> str:
    """The start of a temporary name for ``target``, with this process's id (see :data:`_PART`)."""
    return f".{Path(target).stem}.{os.getpid()}-"


def _writer_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def is_stale_part(path: Path) -> bool:
    """True for a temporary file or folder whose writer process no longer runs (or, for a
    temporary named without a process id, one older than this process)."""
    name = Path(path).name
    match = _PART.match(name)
    if match:
        pid = int(match["pid"])
        return pid != os.getpid() and _writer_is_gone(pid)
    if name.startswith(".") and ".part" in name:
        try:
            return Path(path).stat().st_mtime < PROCESS_START
        except FileNotFoundError:
            return False
    return False


def remove_stale_parts(
    folder: Path, recursive: bool = False, pattern: str = ".*.part*"
) -> list[Path]:
    """Remove the temporaries that killed writers left in ``folder``; returns what was removed."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = folder.rglob(pattern) if recursive else folder.glob(pattern)
    removed = []
    for path in sorted(found):
        if is_stale_part(path):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def temporary_folder(target: Path) -> Path:
    """A new empty folder beside ``target``, named as a temporary of this process (swept by
    :func:`remove_stale_parts` once the process is gone); the caller renames or removes it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=part_prefix(target), suffix=".part"))


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success. A
    folder that cannot be written (full disk, read-only, no permission) raises
    ``StorageError`` naming the folder."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(
            target.parent, pattern=f".{glob.escape(target.stem)}.*.part{target.suffix}"
        )
        fd, tmp = tempfile.mkstemp(
            dir=target.parent, prefix=part_prefix(target), suffix=f".part{target.suffix}"
        )
    except OSError as err:
        raise _as_storage_error(err, target.parent) from err
    os.close(fd)
    try:
        yield Path(tmp)
        set_umask_mode(Path(tmp))
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, StorageError):
            raise _as_storage_error(err, target.parent) from err
        raise


# the errors of a folder that cannot take a write, not of the data being written
STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)


class StorageError(OSError):
    """A folder the run writes to cannot be written: the message names it and says why."""


def storage_problem(err: OSError, folder: Path) -> str:
    """One line for a folder that cannot be written: which, and why."""
    why = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "it is on a read-only file system",
    }.get(err.errno, "it is not writable")
    return (
        f"cannot write {folder}: {why} ({err.strerror}); free space there or point "
        "NEURON_UTILS_CACHE to another folder"
    )


def _as_storage_error(err: OSError, folder: Path) -> OSError:
    """``err`` as a ``StorageError`` where the folder is the problem, else itself."""
    if err.errno in STORAGE_ERRNOS:
        return StorageError(err.errno, storage_problem(err, folder))
    return err


@contextmanager
def file_lock(path: Path, waiting: str = "") -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the ``with`` block; other
    processes asking for it wait. ``waiting`` is printed to stderr if the lock is busy."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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


# free space a run needs in the cache folder, by profile (measured: the converted default model
# takes 1.1 GiB; the kept paper-lite runs of every chapter wrote 8.1 GiB of activations together)
NEEDED_GIB = {"quick": 2.0, "paper-lite": 8.0, "paper": 8.0}


def check_writable(folder: Path, needed_gib: float = 0.0) -> None:
    """Raise ``StorageError`` naming ``folder`` unless a file can be written there and,
    with ``needed_gib``, at least that much space is free: before a run, not when its first
    cache is written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-check.", suffix=".part")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise _as_storage_error(err, folder) from err
    free = shutil.disk_usage(folder).free / 2**30
    if free < needed_gib:
        raise StorageError(
            errno.ENOSPC,
            f"cannot write {folder}: {free:.1f} GiB free, and this run's caches need about "
            f"{needed_gib:g} GiB; free space there or point NEURON_UTILS_CACHE to another folder",
        )


def digest_files(paths: list[Path], extra: list[str] | tuple = (), root: Path | None = None) -> str:
    """sha256 over the names (relative to ``root``) and contents of ``paths``, in sorted order,
    then the strings ``extra``: what a result is made from."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for value in extra:
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()

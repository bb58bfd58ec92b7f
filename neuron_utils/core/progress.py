"""Progress of long loops, and the one-line form of a message for the terminal.

A loop shows a tqdm bar on a terminal (``NEURON_UTILS_PROGRESS=1`` forces it, ``0`` turns it
off; by default it is on only where stderr is a terminal outside CI). Inside a chapter that the
book runs, the loop's progress must not land in the notebook: the runner names a file in
``NEURON_UTILS_PROGRESS_FILE`` and the loop appends a JSON line to it now and then
(``{"desc": ..., "n": ..., "total": ..., "unit": ...}``), which the runner's display shows.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

PROGRESS_FILE = "NEURON_UTILS_PROGRESS_FILE"
REPORT_EVERY_S = 0.5


def progress_enabled(progress: bool | None = None) -> bool:
    """``progress`` if given, else ``NEURON_UTILS_PROGRESS`` (1/0) if set, else whether stderr
    is a terminal outside CI."""
    if progress is not None:
        return progress
    setting = os.environ.get("NEURON_UTILS_PROGRESS")
    if setting is not None:
        return setting != "0"
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress_bar(
    items: Iterable[Any], desc: str, unit: str = "batch", progress: bool | None = None
) -> Iterator[Any]:
    """``items`` with a tqdm bar when progress is enabled, or reported to the book runner's
    display when it asked for it (``NEURON_UTILS_PROGRESS_FILE``)."""
    report_to = os.environ.get(PROGRESS_FILE)
    if report_to:  # even when the terminal bar is off: the runner shows one line for all loops
        return _reported(items, desc, unit, report_to)
    from tqdm import tqdm

    return iter(tqdm(items, desc=desc, unit=unit, disable=not progress_enabled(progress)))


def _reported(items: Iterable[Any], desc: str, unit: str, path: str) -> Iterator[Any]:
    total = len(items) if hasattr(items, "__len__") else None

    def report(done: int) -> None:
        with open(path, "a", encoding="utf-8") as out:  # one short line: appends do not tear
            out.write(json.dumps({"desc": desc, "n": done, "total": total, "unit": unit}) + "\n")

    last = time.monotonic()
    report(0)
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        if time.monotonic() - last >= REPORT_EVERY_S:
            report(done)
            last = time.monotonic()
    report(done)


def latest_report(path: str | Path) -> dict | None:
    """The last complete line of a progress file, or None."""
    try:
        with open(path, "rb") as source:
            source.seek(0, os.SEEK_END)
            source.seek(max(0, source.tell() - 4096))
            lines = source.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def first_line(text: str, limit: int = 200) -> str:
    """The first non-blank line of ``text``, stripped and cut to ``limit`` characters."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."

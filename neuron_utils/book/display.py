"""What ``run`` shows on the terminal while the book executes: a line per chapter when it
starts, a live bar while it runs (elapsed time, an estimate from the chapter's last recorded
run in this dtype, the cell and the loop the kernel is in), and a table of chapter times at the end.

The live bar needs a terminal (see :func:`~neuron_utils.core.progress.progress_enabled`); in
CI, tests or a log file only the plain lines are printed. Nothing of it reaches the notebooks:
the kernel reports its loops to the file named in ``NEURON_UTILS_PROGRESS_FILE``,
which the display reads.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..core.progress import latest_report, progress_enabled

BAR_WIDTH = 24
REDRAW_EVERY_S = 0.5


def clock(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass
class ChapterLine:
    """One chapter in the final table."""

    number: str
    title: str
    outcome: str  # "executed", "up to date", "failed"
    seconds: float | None = None
    estimate: float | None = None


def bar_text(
    elapsed: float,
    estimate: float | None,
    cell: tuple[int, int] | None,
    loop: dict | None,
    width: int,
) -> str:
    """The live line: ``▕███░░░▏ 45%  2:03 of ~4:30  cell 5/14  scoring 40/120 batch``."""
    if estimate:
        fraction = min(elapsed / estimate, 0.99)
        timing = f"{clock(elapsed)} of ~{clock(estimate)}"
    elif cell:
        fraction = cell[0] / max(cell[1], 1)
        timing = f"{clock(elapsed)} (no earlier run to estimate from)"
    else:
        fraction, timing = 0.0, clock(elapsed)
    filled = int(fraction * BAR_WIDTH)
    parts = [f"  ▕{'█' * filled}{'░' * (BAR_WIDTH - filled)}▏ {fraction:4.0%}", timing]
    if cell:
        parts.append(f"cell {cell[0]}/{cell[1]}")
    if loop:
        total = f"/{loop['total']}" if loop.get("total") else ""
        parts.append(f"{loop['desc']} {loop['n']}{total} {loop.get('unit', '')}".rstrip())
    text = "  ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class BookDisplay:
    """Progress of a ``run`` of ``total`` chapters on ``stream`` (stdout)."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stdout)  # errors alone go to stderr
    live: bool | None = None
    lines: list[ChapterLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.live is None:
            self.live = progress_enabled()
        self._cell: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def say(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def skipped(self, number: str, title: str, why: str) -> None:
        self.say(f"[{len(self.lines) + 1}/{self.total}] {number} {title}: {why}")
        self.lines.append(ChapterLine(number, title, "up to date", 0.0))

    def started(
        self,
        number: str,
        title: str,
        estimate: float | None,
        reason: str,
        progress_file: Path,
        basis: str = "last time",
    ) -> None:
        """``estimate``: the expected seconds, and ``basis`` what they come from
        (``runner.estimated_wall_s``)."""
        about = f"about {clock(estimate)} {basis}" if estimate else "first run"
        self.say(f"[{len(self.lines) + 1}/{self.total}] {number} {title} … ({reason}; {about})")
        self._line = ChapterLine(number, title, "executed", estimate=estimate)
        self._cell, self._start = None, time.monotonic()
        if self.live:
            self._stop.clear()
            self._thread = threading.Thread(target=self._redraw, args=(progress_file,), daemon=True)
            self._thread.start()

    def cell(self, index: int, count: int) -> None:
        """Papermill started code cell ``index`` (1-based) of ``count``."""
        self._cell = (index, count)

    def finished(self, ok: bool) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            self.stream.write("\r\x1b[K")
        self._line.seconds = time.monotonic() - self._start
        self._line.outcome = "executed" if ok else "failed"
        self.lines.append(self._line)
        self.say(f"      {'done' if ok else 'failed'} in {clock(self._line.seconds)}")

    def _redraw(self, progress_file: Path) -> None:
        while not self._stop.wait(REDRAW_EVERY_S):
            width = shutil.get_terminal_size((100, 20)).columns
            text = bar_text(
                time.monotonic() - self._start,
                self._line.estimate,
                self._cell,
                latest_report(progress_file),
                width - 1,
            )
            self.stream.write("\r\x1b[K" + text)
            self.stream.flush()

    def table(self, build_s: float | None = None) -> str:
        """Chapter times of this run: number, title, time, what happened, and the total."""
        width = max([len(f"{c.number} {c.title}") for c in self.lines] + [20])
        rows = [f"{'chapter':{width}s}  {'time':>8s}  "]
        for c in self.lines:
            time_text = clock(c.seconds) if c.seconds is not None else "-"
            rows.append(f"{c.number + ' ' + c.title:{width}s}  {time_text:>8s}  {c.outcome}")
        total = sum(c.seconds or 0 for c in self.lines)
        if build_s is not None:
            rows.append(f"{'HTML book':{width}s}  {clock(build_s):>8s}")
            total += build_s
        rows.append(f"{'total':{width}s}  {clock(total):>8s}")
        return "\n".join(rows)

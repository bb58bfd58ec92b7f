"""What the book's harness needs to know of a chapter, declared once beside it.

Each chapter package defines ``SPEC = ChapterSpec(...)`` in its ``__init__.py``: the sizes of its
smoke run and of its golden-number test, the figures it draws, which model the smoke run loads,
whether a paper-size run keeps its summary, whether it reads the other chapters' records, and
what a cold quick run costs (the progress estimate before a first run). Everything has a
default, so a new chapter declares only what differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# the dtypes whose cold quick-run cost ``make bench`` measures (float16, a GPU's, costs as bf16)
COST_DTYPES = ("bfloat16", "float32")


@dataclass(frozen=True)
class ChapterSpec:
    """The harness settings of one chapter (the parameters themselves are on its
    ``Parameters``): checked when built, so a typo fails at import, not in a test."""

    # the smallest sizes that still run every cell and every exercise's solution (on top of the
    # quick profile): the test suite's smoke run, about a minute or less
    tiny: dict[str, Any] = field(default_factory=dict)
    # the golden-number test's sizes (on a tiny float64 model whose vocabulary covers the
    # bundled data), on top of the quick profile; None: no golden numbers (measures nothing)
    golden: dict[str, Any] | None = None
    figures: int = 0  # figures the chapter draws (the smoke run counts them)
    # the smoke run loads the real default model instead of the tests' tiny random Gemma-3
    smoke_on_real_model: bool = False
    # a paper-size run keeps its summary in book/paper_results (False: a page that measures
    # nothing of its own)
    keeps_results: bool = True
    # the chapter reads the other chapters' recorded results: a change there makes it stale
    reads_recorded_results: bool = False
    # seconds of a cold quick run on two cores, per dtype (``make bench``); empty: not measured
    quick_cold_s: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.figures, int) or self.figures < 0:
            raise ValueError(f"figures must be a count of figures, got {self.figures!r}")
        if self.keeps_results and (not self.tiny or self.golden is None):
            raise ValueError("a measuring chapter declares tiny (smoke sizes) and golden sizes")
        if not self.keeps_results and self.golden is not None:
            raise ValueError("a chapter that measures nothing has no golden numbers")
        unknown = sorted(set(self.quick_cold_s) - set(COST_DTYPES))
        if unknown or any(s <= 0 for s in self.quick_cold_s.values()):
            raise ValueError(
                f"quick_cold_s maps {', '.join(COST_DTYPES)} to positive seconds, "
                f"got {self.quick_cold_s!r}"
            )

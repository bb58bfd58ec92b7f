"""What a quick chapter costs in each dtype: the terminal's estimate before a chapter's first run
here, and the scale between a run recorded in one dtype and a run in the other
(:func:`~neuron_utils.book.runner.estimated_wall_s`).

Measured by ``make bench`` (``chapter_quick_cold_s`` and ``chapter_quick_cold_float32_s``),
the quick book with cold caches on two cores of an AMD EPYC with avx512_bf16, once on its own
bf16 path and once with the kernels capped at AVX2 (the float32 path of a CPU without native
bf16). A real AVX2-only machine was slower still: 26.7 minutes for the float32 book (issue 36).
"""

from __future__ import annotations

QUICK_COLD_S: dict[str, dict[str, float]] = {
    "bfloat16": {"01": 68, "02": 101, "03": 128, "04": 92, "05": 96, "06": 123, "07": 3},
    "float32": {"01": 123, "02": 247, "03": 281, "04": 175, "05": 227, "06": 306, "07": 3},
}


def dtype_ratio(chapter: str, dtype: str, recorded: str) -> float:
    """How many times longer the quick chapter takes in ``dtype`` than in ``recorded``; by the
    book's totals for a chapter the bench did not time; 1 for a dtype it did not time (float16,
    a GPU's, is costed as bf16)."""
    new, old = (QUICK_COLD_S.get("bfloat16" if d == "float16" else d) for d in (dtype, recorded))
    if new is None or old is None:
        return 1.0
    key = chapter.zfill(2)
    if key in new and key in old:
        return new[key] / old[key]
    return sum(new.values()) / sum(old.values())

"""What a quick chapter costs in each dtype: the terminal's estimate before a chapter's first run
here, and the scale between a run recorded in one dtype and a run in the other
(``runner.estimated_wall_s``).

Measured by ``make bench`` (``chapter_quick_cold_s`` and ``chapter_quick_cold_float32_s``) on
2026-12-07: the quick book with cold caches on two cores of an AMD EPYC with avx512_bf16, once
on its own bf16 path (15.1 minutes) and once with the kernels capped at AVX2, the float32 path of
a CPU without native bf16 (25.0 minutes; a real 2-core AVX2 machine took 24.4 for the chapters).
"""

from __future__ import annotations

QUICK_COLD_S: dict[str, dict[str, float]] = {
    "bfloat16": {"01": 80, "02": 189, "03": 140, "04": 115, "05": 181, "06": 169, "07": 11},
    "float32": {"01": 98, "02": 290, "03": 288, "04": 179, "05": 293, "06": 326, "07": 10},
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

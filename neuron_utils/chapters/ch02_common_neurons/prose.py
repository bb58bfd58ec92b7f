"""Chapter 2's generated words: the sentences and text values its summary quotes, and what a
run that is not the default one measured (:func:`measured_points`)."""

from __future__ import annotations

from typing import Any


def how_many_l2s(count: int, total: int) -> str:
    """``every L2``, ``no L2`` or ``k of n L2s`` (``the L2`` where there is one)."""
    if count == total:
        return "every L2" if total > 1 else "the L2"
    return "no L2" if count == 0 else f"{count} of {total} L2s"


def l2_overlap_text(mean: float | None, random: float) -> str:
    """The sentence on the overlap of the top sets between L2s: their ``mean`` Jaccard overlap
    beside that of two ``random`` sets (None: one L2, nothing to measure)."""
    if mean is None:
        return "With one L2 there is no overlap between L2s to measure"
    return f"Between L2s the top sets overlap by {mean:.2f} on average (random: {random:.3f})"


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"The top {s['n_top']} neurons reach a mean AP of {s['ap_top100_min']:.2f}–"
        f"{s['ap_top100_max']:.2f} over L2s in the derangement design and "
        f"{s['ap_top100_dis_min']:.2f}–{s['ap_top100_dis_max']:.2f} in the disjoint one (chance "
        f"{s['ap_chance']:g}; the top {s['n_top']} under the null: "
        f"{s['null_top100_derangement_mean']:.2f} and {s['null_top100_disjoint_mean']:.2f}).",
        f"The first and last three layers hold {s['edge_share']:.0f} % of the top neurons "
        f"(uniform: {s['edge_share_uniform']:.0f} %); the busiest layer is {s['peak_layer']}.",
        f"Zeroing the top set moves the centred gap from {s['gap_centred_none']:.2f} to "
        f"{s['gap_centred_top']:.2f} (random sets: {s['gap_centred_random']:.2f}); on pairs that "
        f"did not choose the set, from {s['half_gap_centred_none']:.2f} to "
        f"{s['half_gap_centred_held_out']:.2f} (|a|-matched random sets: "
        f"{s['half_gap_centred_magnitude']:.2f}).",
    ]

"""Chapter 1's generated words: the texts its summary records for the prose (accuracy ranges,
the cross-corpus reading) and the sentences a run that is not the default one shows."""

from __future__ import annotations

from typing import Any

from .keys import cv_key

# how close the L1-only probe must come to the concat probe (mean accuracy over L2s and layers)
# to say that the concat probe reads the L1 side only: about 2 test pairs in 100
SAME_ACCURACY = 0.02


def range_text(low: float, high: float) -> str:
    """``0.42–0.58``: an accuracy range as the prose and the designs table show it."""
    return f"{low:.2f}–{high:.2f}"


def mean_text(mean: float) -> str:
    """``0.514``: a mean accuracy as the prose shows it."""
    return f"{mean:.3f}"


def not_run_text(feature: str) -> str:
    """What the prose shows for a probe whose feature set the run left out."""
    return f"not run (FEATURES has no {feature})"


def corpus_reading(l1_only: float, l1_minus_concat: float) -> str:
    """What the L1-side probe says of the concat probe in the cross-corpus design, by a stated
    rule: within ``SAME_ACCURACY`` of it and well above chance -> it detects the corpus."""
    if l1_only > 0.6 and l1_minus_concat >= -SAME_ACCURACY:
        return (
            "the L1 side alone separates the classes as well as both sides together: the "
            "classifier detects the corpus, not the meaning"
        )
    if l1_only > 0.6:
        return (
            "the L1 side alone separates the classes well above chance, but both sides together "
            "do better: the corpus explains part of the accuracy"
        )
    return "the L1 side alone does not separate the classes: the corpus does not explain it"


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    edges = s["mlp_minus_attn_edges_ci"]
    return [
        f"Raw cosine: non-parallel pairs average {s['raw_nonparallel_mean']:.3f}; the raw gap "
        f"(parallel minus non-parallel) is at most {s['raw_gap_max']:.3f}. Centred cosine: the "
        f"gap ranges from {s['centred_gap_min']:.2f} to {s['centred_gap_max']:.2f}, and its 95 % "
        f"interval lies above 0 at {s['share_points_centred_above_zero']:.0f} % of the "
        "(L2, layer) points.",
        f"Retrieval (mean over L2s): {s['retrieval_first']:.2f} in the first layer, "
        f"{s['retrieval_best']:.2f} at layer {s['retrieval_best_layer']}, "
        f"{s['retrieval_last']:.2f} in the last (chance {s['retrieval_chance']:.3f}).",
        "Classifiers with folds grouped by sentence (chance 0.5): concat "
        f"{s[cv_key('concat', 'derangement', 'range')]} (derangement) and "
        f"{s[cv_key('concat', 'disjoint', 'range')]} (disjoint); interaction "
        f"{s[cv_key('interaction', 'derangement', 'range')]} and "
        f"{s[cv_key('interaction', 'disjoint', 'range')]}.",
        f"Cross-corpus design: concat {s[cv_key('concat', 'cross-corpus', 'range')]}, the L1 "
        f"side alone {s[cv_key('l1_only', 'cross-corpus', 'range')]}, the token count alone "
        f"{s[cv_key('length', 'cross-corpus', 'range')]}: {s['cross_corpus_reading']}.",
        f"MLP minus attention output, centred gap at the first and last three layers: "
        f"{s['mlp_minus_attn_edges']:.3f} ({edges.low:.3f} to {edges.high:.3f}).",
    ]

"""Chapter 2: L1/L2 common neurons ranked by average precision, and their ablation.

A neuron's score for a pair is ``(|a(S_L1)| + |a(S_L2)|) / 2`` at the last token (or the product
``a(S_L1) a(S_L2)``); its average precision says how well that score alone separates parallel
from non-parallel pairs (Tezuka & Inoue §3.3, after Suau et al. 2022). ``analyse`` ranks every
neuron for every L2, design (derangement, disjoint, cross-corpus) and score, correlates each
neuron with the L1 sentence's token count on the cross-corpus pairs, and measures chapter 1's
similarity with the top set, random matched sets and the product score's top set zeroed;
``summarise`` gives every number the chapter quotes.

The baselines match the claims: the top-n APs are compared with the same statistic under label
permutations that respect the design (:func:`~neuron_utils.methods.selection.top_n_null`); the
top set is also chosen on one half of the pairs and zeroed while measuring on the other
(:meth:`~neuron_utils.data.parallel.PairSet.halves`); random sets are matched per layer by count and,
beside that, by mean-|a| decile (:meth:`~neuron_utils.core.neurons.NeuronSet.random_magnitude_matched`).
"""

from __future__ import annotations

from ...kit.pairs import PAIR_GOLDEN
from ...kit.spec import ChapterSpec
from .analysis import (
    HALF_CONDITIONS,
    Results,
    analyse,
    held_out_effects,
    residual_with,
    similarity_with,
    zeroing_effects,
)
from .claims import CLAIMS
from .figures import (
    plot_ap_by_rank,
    plot_l2_overlap,
    plot_length_correlation,
    plot_top_per_layer,
    plot_zeroing,
)
from .parameters import Parameters
from .prose import measured_points
from .summary import (
    HALF_NAMES,
    SUMMARY,
    design_key,
    drop_key,
    gap_key,
    half_drop_key,
    half_gap_key,
    half_shrink_key,
    length_r_key,
    product_shrink_key,
    summarise,
)
from .tables import (
    design_score_table,
    design_table,
    gap_table,
    held_out_table,
    null_table,
    score_table,
)

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "L2_LANGUAGES": ["it"],
        "N_PAIRS": 24,
        "N_PAIRS_DISJOINT": 20,
        "N_PAIRS_CROSS_CORPUS": 20,
        "N_RANDOM_SEEDS": 1,
        "TOP_NEURON_FRACTION": 0.01,
        "N_PERMUTATIONS": 19,  # the fewest that let p reach 0.05
    },
    golden={
        **PAIR_GOLDEN,
        "N_RANDOM_SEEDS": 2,
        "TOP_NEURON_FRACTION": 0.25,
        "N_PERMUTATIONS": 20,
    },
    figures=5,
    quick_cold_s={"bfloat16": 189, "float32": 290},
)

__all__ = [
    "CLAIMS",
    "HALF_CONDITIONS",
    "HALF_NAMES",
    "SPEC",
    "SUMMARY",
    "Parameters",
    "Results",
    "analyse",
    "design_key",
    "design_score_table",
    "design_table",
    "drop_key",
    "gap_key",
    "gap_table",
    "half_drop_key",
    "half_gap_key",
    "half_shrink_key",
    "held_out_effects",
    "held_out_table",
    "length_r_key",
    "measured_points",
    "null_table",
    "plot_ap_by_rank",
    "plot_l2_overlap",
    "plot_length_correlation",
    "plot_top_per_layer",
    "plot_zeroing",
    "product_shrink_key",
    "residual_with",
    "score_table",
    "similarity_with",
    "summarise",
    "zeroing_effects",
]

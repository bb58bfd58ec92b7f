"""Chapter 3: language-specific neurons (LAPE), their deactivation and steering.

:func:`analyse` splits each language's sentences into statistics and held-out sets, counts
activation probabilities at both neuron sites with streaming token statistics, selects LAPE
neurons at both sites (and around the chosen thresholds), measures the perplexity matrix with
each language's neurons zeroed (plus a random set of the same per-layer counts), and steers
greedy continuations towards target languages in two ways over a sweep of scales: through the
target's LAPE neurons (Tang et al.) and by adding a difference of means to the residual stream
(DiffMean, the simpler rival). :func:`summarise` gives every number the chapter quotes.

The modules: :mod:`.parameters`, :mod:`.analysis`, :mod:`.summary` (the declaration
:data:`SUMMARY` and :func:`summarise`), :mod:`.prose`, :mod:`.tables`, :mod:`.figures` and
:mod:`.claims`; the steering steps another chapter may reuse are in
:mod:`neuron_utils.methods.steering`.
"""

from __future__ import annotations

from ...kit.spec import ChapterSpec
from .analysis import (
    STEERING_METHODS,
    UNCHANGED,
    Results,
    analyse,
    perplexity_change_replicates,
    perplexity_table,
)
from .claims import CLAIMS
from .figures import plot_entropy_overlap, plot_layers, plot_perplexity, plot_steering_sweep
from .parameters import Parameters
from .prose import measured_points
from .summary import SUMMARY, held_out_steering, perplexity_intervals, summarise
from .tables import (
    counts_table,
    sensitivity_table,
    steering_examples,
    steering_table,
    sweep_table,
)

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "LANGUAGES": ["en", "fr", "ja"],
        "N_STATS_SENTENCES": 24,
        "N_EVAL_SENTENCES": 4,
        "STEER_TARGETS": ["fr"],
        "STEER_SCALES": [4.0],
        "DIFFMEAN_SCALES": [1.0, 4.0],
        "N_PROMPTS": 2,
        "MAX_NEW_TOKENS": 4,
    },
    golden={
        "LANGUAGES": ["en", "fr", "ja"],
        "N_STATS_SENTENCES": 20,
        "N_EVAL_SENTENCES": 6,
        "STEER_TARGETS": ["fr", "ja"],
        "N_PROMPTS": 3,
        "MAX_NEW_TOKENS": 4,
        "STEER_SCALES": [2.0, 4.0],
        "DIFFMEAN_LAYER": 1,
        "DIFFMEAN_SCALES": [1.0, 4.0],
        "TOP_RATE": 0.2,
        "ACTIVATION_BAR": 0.8,
    },
    figures=4,
    smoke_on_real_model=True,
    quick_cold_s={"bfloat16": 140, "float32": 288},
)

__all__ = [
    "CLAIMS",
    "SPEC",
    "STEERING_METHODS",
    "SUMMARY",
    "UNCHANGED",
    "Parameters",
    "Results",
    "analyse",
    "counts_table",
    "held_out_steering",
    "measured_points",
    "perplexity_change_replicates",
    "perplexity_intervals",
    "perplexity_table",
    "plot_entropy_overlap",
    "plot_layers",
    "plot_perplexity",
    "plot_steering_sweep",
    "sensitivity_table",
    "steering_examples",
    "steering_table",
    "summarise",
    "sweep_table",
]

"""Chapter 6: which neurons does grammar need? Zeroing neuron sets and re-scoring minimal pairs.

Tezuka & Inoue (§3.4, Table 1) zeroed 10,000 neurons of LLaMA-3-8B chosen three ways from
English/L2 sentence pairs ("same meaning": top AP, chapter 2; "different meaning": active on
both sides of non-parallel pairs, largest summed magnitude; "task language": active on one
language's side only) and re-measured BLiMP and JBLiMP. This chapter builds those sets
(:mod:`neuron_utils.methods.set_scoring`) and the controls the paper lacks (random sets matched
to each set's layers, the plain top neurons by mean magnitude), the variant that reproduces the
released code's layer matching, and a dose-response over set sizes; it scores every condition
on the same minimal pairs and gives paired bootstrap intervals.

- :mod:`.parameters`: :class:`Parameters`;
- :mod:`.analysis`: the sets, the conditions, :func:`analyse` -> :class:`Results`;
- :mod:`.summary`: :data:`SUMMARY` (every entry declared once), :func:`summarise` and the
  functions that name its keys;
- :mod:`.prose`, :mod:`.tables`, :mod:`.figures`: what the notebook shows;
- :mod:`.claims`: the seed's claims this chapter judges, with their rules' cases.
"""

from __future__ import annotations

from ...kit.spec import ChapterSpec
from .claims import CLAIMS
from .analysis import (
    NONE,
    Condition,
    HeldOutSelection,
    NeuronSets,
    Results,
    analyse,
    benchmark_name,
    benchmark_sets,
    conditions_for,
    load_benchmarks,
    released_code_layers,
    uniform_counts,
)
from .figures import plot_dose, plot_paradigms, plot_set_layers, plot_set_overlaps
from .parameters import Parameters
from .prose import (
    benchmark_heading,
    dose_text,
    measured_points,
    overlaps_text,
    second_design_text,
    verdicts_text,
)
from .summary import SUMMARY, summarise
from .tables import released_table, results_table

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "N_PAIRS": 24,
        "N_PAIRS_SECOND": 20,
        "N_PAIRS_PER_PARADIGM": 2,
        "DOSE_FRACTIONS": [0.005],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    golden={
        "N_PAIRS": 16,
        "N_PAIRS_SECOND": 12,
        "OTHER_CORPUS": "generated",
        "N_PAIRS_PER_PARADIGM": 4,
        "ABLATE_FRACTION": 0.1,
        "DOSE_FRACTIONS": [0.05, 0.2],
        "EPSILON": 1e-4,
        "N_RANDOM_SEEDS": 2,
        "N_BOOTSTRAP": 200,
    },
    figures=4,
    quick_cold_s={"bfloat16": 169, "float32": 326},
)

__all__ = [
    "CLAIMS",
    "NONE",
    "SPEC",
    "SUMMARY",
    "Condition",
    "HeldOutSelection",
    "NeuronSets",
    "Parameters",
    "Results",
    "analyse",
    "benchmark_heading",
    "benchmark_name",
    "benchmark_sets",
    "conditions_for",
    "dose_text",
    "load_benchmarks",
    "measured_points",
    "overlaps_text",
    "plot_dose",
    "plot_paradigms",
    "plot_set_layers",
    "plot_set_overlaps",
    "released_code_layers",
    "released_table",
    "results_table",
    "second_design_text",
    "summarise",
    "uniform_counts",
    "verdicts_text",
]

"""Chapter 4: grammaticality probes per paradigm and layer on EOS hidden states.

Sato et al.'s probes on minimal pairs: L0 mask probes over a lambda sweep, Welch-t top-k
probes, the top-1 % probe against probes on random dimensions of its complement, and (at one
layer) every paradigm's probe evaluated on every paradigm.

- :mod:`.parameters`: :class:`Parameters`, each with its limits;
- :mod:`.analysis`: the split by pair, every probe (:func:`run`, :func:`cached_run`) and
  :func:`analyse` (pairs, model states and preferences, probes) into :class:`Results`;
- :mod:`.summary`: :data:`SUMMARY`, the declaration of every number the chapter quotes, and
  :func:`summarise`;
- :mod:`.prose`: the sentences the summary and the "What we found" list generate;
- :mod:`.tables` and :mod:`.figures`: the paradigm table and the five figures;
- :mod:`.claims`: the seed's claims this chapter judges, their rules and cases.
"""

from ...kit.spec import ChapterSpec
from .analysis import (
    PROBES_CACHE_VERSION,
    GrammarProbes,
    ParadigmArrays,
    Results,
    analyse,
    cached_run,
    dimension_probes,
    doubling_sizes,
    paradigm_arrays,
    random_multiple_to_match,
    run,
    split_by_pair,
    topk_sizes,
)
from .figures import plot_generalisation, plot_l0, plot_random, plot_spearman, plot_topk
from .parameters import Parameters
from .prose import cross_text, marked_change, measured_points
from .summary import SUMMARY, lambda_sweep, summarise
from .tables import paradigm_table

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "PARADIGMS": ["transitive", "npi_ever", "ja_dative_verb"],
        "N_PAIRS_PER_PARADIGM": 20,
        "MIN_PAIRS": 10,
        "LAMBDAS": [0.2, 1.0],
        "L0_STEPS": 20,
        "RANDOM_MULTIPLES": [1, 2],
        "N_RANDOM_SEEDS": 2,
        "GEN_LAYER": 1,  # any model has a layer 1
    },
    golden={
        "PARADIGMS": ["transitive", "intransitive", "ja_dative_verb"],
        "N_PAIRS_PER_PARADIGM": 16,
        "MIN_PAIRS": 10,
        "LAMBDAS": [0.5, 1.0],
        "GEN_LAMBDA": 0.5,
        "L0_STEPS": 100,
        "RANDOM_MULTIPLES": [1, 2],
        "N_RANDOM_SEEDS": 2,
        "GEN_LAYER": 1,
        "TOP_DIM_FRACTION": 0.1,
    },
    figures=5,
    quick_cold_s={"bfloat16": 115, "float32": 179},
)

# the name tests/chapters/test_custom_runs.py calls (its text is prose.cross_text)
_cross_text = cross_text

from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

__all__ = [
    "CLAIMS",
    "PROBES_CACHE_VERSION",
    "SPEC",
    "SUMMARY",
    "GrammarProbes",
    "ParadigmArrays",
    "Parameters",
    "Results",
    "analyse",
    "cached_run",
    "cross_text",
    "dimension_probes",
    "doubling_sizes",
    "lambda_sweep",
    "marked_change",
    "measured_points",
    "paradigm_arrays",
    "paradigm_table",
    "plot_generalisation",
    "plot_l0",
    "plot_random",
    "plot_spearman",
    "plot_topk",
    "random_multiple_to_match",
    "run",
    "split_by_pair",
    "summarise",
    "topk_sizes",
]

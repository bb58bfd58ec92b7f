"""Chapter 1: cross-lingual similarity of sentence representations, layer by layer.

For each L2 and each non-parallel design (derangement, disjoint, cross-corpus),
:func:`~neuron_utils.methods.pair_similarity.analyse_pairs` computes the raw and centred cosine
of parallel vs non-parallel pairs at several sites, logistic-regression CV accuracy on three
feature sets (concat, interaction, the L1 side alone) and translation retrieval accuracy;
:func:`length_cv` is the same probe on the L1 sentences' token counts alone. Cross-validation is
grouped by sentence (:meth:`~neuron_utils.data.parallel.PairSet.regrouped`): no sentence, nor
its translation, is in a training and a test fold; the ungrouped (stratified) concat probe is
kept as an aside, because in the derangement design it scores far below chance by memorising
sentences. :func:`analyse` runs it all for the chapter's parameters, :func:`summarise` gives
every number the chapter quotes.

The modules: :mod:`.parameters`, :mod:`.analysis`, :mod:`.keys` (the functions that name the
summary's per-design keys), :mod:`.summary` (the typed ``SUMMARY``), :mod:`.prose` (generated
words), :mod:`.tables`, :mod:`.figures` and :mod:`.claims`; this package re-exports what the
notebook, the tests and the book use.
"""

from __future__ import annotations

from ...kit.pairs import PAIR_GOLDEN
from ...kit.spec import ChapterSpec
from .analysis import Results, analyse, length_cv
from .claims import CLAIMS  # the chapter's claims, their rules and the rules' cases
from .keys import cv_key, gap_key, l1_tokens_key
from .figures import plot_cv, plot_design_gaps, plot_retrieval, plot_similarity, plot_sublayers
from .parameters import DESIGNS, FEATURE_NAMES, Parameters
from .prose import SAME_ACCURACY, corpus_reading, measured_points
from .summary import SUMMARY, summarise
from .tables import design_table, summary_table

# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "L2_LANGUAGES": ["ja", "it"],  # two: the cells that compare L2s
        "N_PAIRS": 12,
        "N_PAIRS_DISJOINT": 10,
        "N_PAIRS_CROSS_CORPUS": 10,
        "CV_FOLDS": 3,
    },
    golden={**PAIR_GOLDEN, "CV_FOLDS": 3},
    figures=5,
    smoke_on_real_model=True,
    quick_cold_s={"bfloat16": 80, "float32": 98},
)

__all__ = [
    "CLAIMS",
    "DESIGNS",
    "FEATURE_NAMES",
    "Parameters",
    "Results",
    "SAME_ACCURACY",
    "SPEC",
    "SUMMARY",
    "analyse",
    "corpus_reading",
    "cv_key",
    "design_table",
    "gap_key",
    "l1_tokens_key",
    "length_cv",
    "measured_points",
    "plot_cv",
    "plot_design_gaps",
    "plot_retrieval",
    "plot_similarity",
    "plot_sublayers",
    "summarise",
    "summary_table",
]

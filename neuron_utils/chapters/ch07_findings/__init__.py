"""The findings page, claim by claim, from the chapters' recorded summaries.

Nothing is measured here. The notebook hands :func:`analyse` the book's chapters (from the
registry, :func:`neuron_utils.book.registry.modules`); it collects each chapter's claims
(its ``CLAIMS``), reads its recorded summary (``book/results/NN.json``, written by the
chapter's notebook) and its kept paper-size summary (``book/paper_results/NN_paper.json`` or
``NN_paper-lite.json``), both typed through the chapter's declaration, and judges every claim
on each by the claim's stated rule. A chapter that has not run, a run of
another profile, or a kept summary without a key the rule needs shows as such; no number is
typed by hand.
"""

from ...kit.claims import SEEDS
from ...kit.spec import ChapterSpec
from .judging import (
    COLUMNS,
    KEPT_PROFILES,
    Judged,
    Recorded,
    Results,
    analyse,
    claims_of,
    headline,
    judge,
    judge_all,
    read_kept,
    read_quick,
    recorded_differences,
    size_text,
)
from .parameters import Parameters
from .summary import SUMMARY, summarise, takeaways, verdict_counts
from .tables import findings_table, provenance_table, verdict_counts_table

# the harness's settings: the findings measure nothing (no smoke sizes, no golden numbers) and
# read every other chapter's record
SPEC = ChapterSpec(
    keeps_results=False,
    reads_recorded_results=True,
    figures=0,
    quick_cold_s={"bfloat16": 11, "float32": 10},
)

__all__ = [
    "COLUMNS",
    "KEPT_PROFILES",
    "SEEDS",
    "SPEC",
    "SUMMARY",
    "Judged",
    "Parameters",
    "Recorded",
    "Results",
    "analyse",
    "claims_of",
    "findings_table",
    "headline",
    "judge",
    "judge_all",
    "provenance_table",
    "read_kept",
    "read_quick",
    "recorded_differences",
    "size_text",
    "summarise",
    "takeaways",
    "verdict_counts",
    "verdict_counts_table",
]

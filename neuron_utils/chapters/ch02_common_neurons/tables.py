"""Chapter 2's tables: each from the summary (or, per layer, from the results)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .analysis import CONDITIONS, Results


def design_score_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per L2: overlap of the top sets between the two designs and between the two scores."""
    return pd.DataFrame(summary["design_and_score_overlap"]).round(3)


def gap_table(results: Results) -> pd.DataFrame:
    """Centred gap per layer (rows) for every L2 and condition (columns; random: mean over seeds)."""
    table = pd.DataFrame(
        {(l2, c): results.gap(l2, c) for l2 in results.parameters.L2_LANGUAGES for c in CONDITIONS}
    )
    table.index.name = "layer"
    # 12 columns: two decimals and a short "rand." keep the table within the page
    return table.rename(columns={"random": "rand."}, level=1).round(2)


def design_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per non-parallel design: top-100 AP and the token count's AP (ranges over L2s),
    the top set's share in the edge layers and its busiest layer (summed over L2s)."""
    return pd.DataFrame(summary["designs"]).set_index("design")


def null_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per design and L2: the top-100 mean AP, its permutation null (mean, 95th percentile),
    the p-value and the neurons beyond noise (family-wise, 5 %)."""
    table = pd.DataFrame(summary["selection_null"]).set_index(["design", "L2"])
    return table.round({"top-100 AP": 3, "null mean": 3, "null 95 %": 3, "p": 3})


def held_out_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Centred gap (mean over layers and the two halves) per L2 with each set zeroed: chosen on
    all pairs or on the other half, and the two random baselines."""
    table = pd.DataFrame(summary["held_out"])
    table.index.name = "centred gap, held-out halves"
    return table.round(3)


def score_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Centred gap (mean over layers) per L2 with nothing, each top set or random sets zeroed."""
    table = pd.DataFrame(summary["score_variants"])
    table.index.name = "centred gap, mean over layers"
    return table.round(3)

"""Chapter 1's tables, from its summary (this run's or a kept one's)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def summary_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The per-L2 summary table of the chapter."""
    return pd.DataFrame(summary["per_l2"]).set_index("L2").round(3)


def design_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per non-parallel design: pairs per class, mean L1 token counts of each class, CV
    accuracy ranges of each feature set (over L2s and layers; the token-count probe over L2s) and
    the centred gap (mean over L2s and layers)."""
    return pd.DataFrame(summary["designs"]).set_index("design").round(2)

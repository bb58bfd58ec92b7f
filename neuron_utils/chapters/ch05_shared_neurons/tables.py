"""Chapter 5's tables, from its summary (a fresh one, or a kept one read back from JSON)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ... import data
from ...methods import bootstrap
from ...methods.sharing import CATEGORIES, CATEGORY_SLUGS
from .keys import category_key, input_key
from .summary import interval_of


def _estimate(value: float, ci: Any, signed: bool = False) -> str:
    """An estimate to three decimals, its interval to two (the tables are wide)."""
    ci = interval_of(ci)
    return bootstrap.interval_text(value, ci.low, ci.high, signed, interval_digits=2)


def category_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per input kind: the share of all neurons in each category (mean over items and layers,
    with the range over items), on any token, and how many keep one category for every item."""
    rows = []
    names = {**summary["input_names"], **summary.get("control_names", {})}
    for kind, name in names.items():
        row: dict[str, Any] = {
            "input": f"{name} ({summary[input_key('n_languages', kind)]} languages)"
        }
        for category, slug in zip(CATEGORIES, CATEGORY_SLUGS, strict=True):
            row[category] = (
                f"{summary[category_key('share', kind, slug)]:.1f} % "
                f"[{summary[category_key('share', kind, slug, 'min_pct')]:.1f}, "
                f"{summary[category_key('share', kind, slug, 'max_pct')]:.1f}]"
            )
        row["any token: all-shared / non-activated"] = (
            f"{summary[category_key('all_tokens', kind, 'all_shared')]:.1f} % / "
            f"{summary[category_key('all_tokens', kind, 'non_activated')]:.1f} %"
        )
        row["same category for every item"] = (
            f"{summary[input_key('stable', kind, 'total')]:,} "
            f"({summary[input_key('stable', kind, 'pct')]:.1f} %)"
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("input")


def accuracy_table(summary: dict[str, Any], task: str) -> pd.DataFrame:
    """Per language: accuracy [95 % CI] with no intervention, and the mean margin."""
    tr = summary["task_results"][task]
    rows = [
        {
            "language": data.LANGUAGE_NAMES.get(r["language"], r["language"])
            if r["language"] != "mean"
            else "mean over languages",
            "accuracy [95 % CI]": _estimate(r["accuracy"], r["accuracy_ci"]),
            "margin (nats)": f"{r['margin']:+.2f}",
        }
        for r in tr["accuracy"]
    ]
    return pd.DataFrame(rows).set_index("language")


def intervention_table(summary: dict[str, Any], task: str) -> pd.DataFrame:
    """Per intervention: neurons changed per item, mean accuracy [CI], change from none [CI],
    random sets' accuracy and the difference from them [CI], the difference from the
    firing-matched random sets [CI], the all-shared set minus each control [CI], mean margin."""
    rows = []
    for r in summary["task_results"][task]["interventions"]:
        none = r["condition"] == "none"

        def signed(column: str, row: dict[str, Any] = r) -> str:
            return _estimate(row[column], row[f"{column}_ci"], True) if column in row else ""

        rows.append(
            {
                "intervention": "none"
                if none
                else r["condition"].replace("boost x", "boost all-shared ×"),
                "neurons per item": f"{r['changed']:,.0f}",
                "accuracy [95 % CI]": _estimate(r["accuracy"], r["accuracy_ci"]),
                "Δ vs none": "" if none else signed("delta"),
                "random sets": f"{r['random']:.3f}" if "random" in r else "",
                "Δ vs random": signed("vs_random"),
                "Δ vs firing-matched": signed("vs_matched"),
                "all-shared minus this": signed("own_minus_control"),
                "margin (nats)": f"{r['margin']:+.2f}",
            }
        )
    return pd.DataFrame(rows).set_index("intervention")

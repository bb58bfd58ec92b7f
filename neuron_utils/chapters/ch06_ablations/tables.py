"""Chapter 6's tables: each benchmark's rows beside the seed's Table 1, the released code's layer
matching, and the per-paradigm changes the paradigm figure draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...methods import bootstrap
from .analysis import NONE, ROLE_NAMES, Condition, Results, benchmark_sets
from .summary import PAPER_TABLE


def _interval(row: dict[str, Any], column: str, low: str, high: str, signed: bool) -> str:
    return bootstrap.interval_text(row[column], row[low], row[high], signed)


def results_table(summary: dict[str, Any], lang: str) -> pd.DataFrame:
    """One benchmark: the seed's Table 1 value where it has one (LLaMA-3-8B), each condition's
    OVERALL accuracy, change from no ablation, the mean of its matched random sets and the
    difference from them (intervals in brackets), and its overlap with the magnitude control."""
    # the paper's numbers are for sets chosen from English/Japanese pairs
    paper = PAPER_TABLE.get(lang, {}) if (summary["l1"], summary["l2"]) == ("en", "ja") else {}
    rows = []
    for row in summary["benchmarks"][lang]:
        has_random = "random" in row
        delta = _interval(row, "delta", "delta_low", "delta_high", True)
        vs_random = "vs_random", "vs_random_low", "vs_random_high"
        vs_matched = "vs_matched", "vs_matched_low", "vs_matched_high"
        rows.append(
            {
                "zeroed": row["condition"],
                "paper": f"{paper[row['role']]:.3f}" if row["role"] in paper else "",
                "accuracy [95 % CI]": _interval(row, "accuracy", "low", "high", False),
                "Δ vs none": delta if row["role"] != "none" else "",
                "random sets": f"{row['random']:.3f}" if has_random else "",
                "Δ vs random": _interval(row, *vs_random, True) if has_random else "",
                "Δ vs |a|-matched": _interval(row, *vs_matched, True) if "matched" in row else "",
                "Jaccard w. magnitude": f"{row['jaccard_magnitude']:.2f}" if has_random else "",
            }
        )
    table = pd.DataFrame(rows).set_index("zeroed")
    if not paper:
        table = table.drop(columns="paper")
    return table


def released_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per set: neurons listed, neurons the released code's layer matching zeroes, and OVERALL
    accuracy with exact and with released-code layers on each benchmark."""
    table = pd.DataFrame(summary["released"]).set_index("set")
    table.insert(2, "ratio", (table["zeroed"] / table["listed"]).round(2))
    # a set not zeroed on a benchmark (only ja on the English one) has no accuracy there
    return table.round(3).astype(object).where(table.notna(), "")


def paradigm_changes(results: Results) -> pd.DataFrame:
    """Per paradigm (rows, both benchmarks): accuracy with each role's set zeroed minus without,
    at the main fraction; the random column is the mean over every set's random draws."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    frames = []
    for lang, pairs in results.pairs.items():
        roles = benchmark_sets(lang, p.L1, p.L2)
        names = pairs.paradigms
        base = results.correct(lang, NONE.key)
        table = {}
        for role, name in roles.items():
            changed = results.correct(lang, Condition(name, "exact", f).key)
            table[ROLE_NAMES[role]] = [
                changed[pairs.rows(n)].mean() - base[pairs.rows(n)].mean() for n in names
            ]
        random_keys = [
            Condition(name, "random", f, k).key
            for name in roles.values()
            for k in range(p.N_RANDOM_SEEDS)
        ]
        table["random (mean)"] = [
            np.mean([results.correct(lang, key)[pairs.rows(n)].mean() for key in random_keys])
            - base[pairs.rows(n)].mean()
            for n in names
        ]
        table["accuracy, no ablation"] = [base[pairs.rows(n)].mean() for n in names]
        frames.append(pd.DataFrame(table, index=[n.split("/")[-1] for n in names]))
    return pd.concat(frames)

"""The findings page's summary: verdict counts, the claims of each verdict, the take-aways'
numbers, each entry declared once (:data:`SUMMARY`)."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from typing import Any

import pandas as pd

from ...kit.claims import Verdict
from ...kit.summary import Declaration, Entry, Interval, Kind
from .judging import COLUMNS, KEPT_PROFILES, Results

SUMMARY = Declaration(
    Entry("n_claims", Kind.COUNT, "claims"),
    Entry(
        "n_*", Kind.COUNT, "claims with this verdict (headline; _quick, _paper_size: one column)"
    ),
    Entry("claims_*", Kind.TEXT, "claim ids with this headline verdict, or none"),
    Entry("chapters_not_run", Kind.TEXT, "chapter numbers without a graded quick run, or none"),
    Entry("chapters_without_paper_size", Kind.TEXT, "chapter numbers without a kept run, or none"),
    Entry("verdict_*", Kind.TEXT, "a take-away claim's headline verdict"),
    Entry("takeaway_*_from", Kind.TEXT, "the profile a take-away's numbers come from"),
    Entry("takeaway_*", Kind.TEXT, "a number a take-away quotes, as the prose shows it"),
)


def takeaways(results: Results) -> dict[str, tuple[str, ...]]:
    """The page's take-aways: claim id -> the summary keys its prose quotes, as each claim
    declares them (``Claim.quotes``) in its chapter."""
    return {
        claim.id: claim.quotes
        for chapter in results.chapters.values()
        for claim in getattr(chapter, "CLAIMS", ())
        if claim.quotes
    }


def verdict_counts(rows: pd.DataFrame) -> dict[str, Counter]:
    """Claims per verdict: the headline verdict, and on each column (:data:`COLUMNS`) alone."""
    return {
        "headline": Counter(rows["verdict"]),
        **{column: Counter(j.verdict for j in rows[column]) for column in COLUMNS},
    }


def summarise(results: Results) -> dict[str, Any]:
    """Counts of verdicts (the headline verdict of each claim, and per column), the claims of
    each verdict, and the chapters with and without recorded summaries."""
    rows = results.rows
    counts = verdict_counts(rows)
    out: dict[str, Any] = {"n_claims": len(rows)}
    for verdict in Verdict:
        slug = verdict.slug
        out[f"n_{slug}"] = counts["headline"].get(verdict, 0)
        for column in COLUMNS:
            out[f"n_{slug}_{column.replace(' ', '_')}"] = counts[column].get(verdict, 0)
        ids = list(rows.loc[rows["verdict"] == verdict, "id"])
        out[f"claims_{slug}"] = ", ".join(ids) if ids else "none"
    out["n_judged_on_paper_size"] = int(rows["verdict from"].isin(KEPT_PROFILES).sum())
    missing_quick = [c for c, (r, _) in results.quick.items() if r is None]
    missing_kept = [c for c, (r, _) in results.kept.items() if r is None]
    out["chapters_not_run"] = ", ".join(missing_quick) if missing_quick else "none"
    out["chapters_without_paper_size"] = ", ".join(missing_kept) if missing_kept else "none"
    by_id = rows.set_index("id")
    for claim_id, keys in takeaways(results).items():
        slug = claim_id.replace("-", "_")
        out[f"verdict_{slug}"] = by_id.loc[claim_id, "verdict"].value
        column = by_id.loc[claim_id, "verdict from"]
        chapter = by_id.loc[claim_id, "chapter"]
        recorded = (results.kept if column in KEPT_PROFILES else results.quick)[chapter][0]
        for key in keys:  # "n/a": no summary, or one recorded before the key existed
            value = recorded.summary.get(key, "n/a") if recorded else "n/a"
            # text, so that the prose needs no number format that "n/a" would break
            out[f"takeaway_{key}"] = _as_text(key, value)
        out[f"takeaway_{slug}_from"] = column or "no run"
    return out


def _as_text(key: str, value: Any) -> str:
    """A quoted value as text: numbers with two decimals, changes (``delta_*``, ``*_minus_*``)
    with three and their sign, an interval as ``[low, high]``, a comparison in its words,
    anything else as it is."""
    if isinstance(value, Interval):
        return value.text(".3f")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:+.3f}" if key.startswith("delta") or "minus" in key else f"{value:.2f}"

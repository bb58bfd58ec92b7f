"""Chapter 3's tables: neurons per language, the thresholds' sensitivity, steering examples and
shares."""

from __future__ import annotations

import pandas as pd

from .analysis import Results, sweep_shares
from .prose import shorten


def counts_table(results: Results) -> pd.DataFrame:
    """Neurons assigned to each language (one row)."""
    counts = pd.Series(
        {lang: len(results.selection.by_language[lang]) for lang in results.parameters.LANGUAGES},
        name="neurons",
    )
    return counts.to_frame().T


def sensitivity_table(results: Results) -> pd.DataFrame:
    """Selected neurons, language assignments and overlap with the chosen selection as each
    threshold varies around its chosen value."""
    return pd.DataFrame(results.sensitivity).set_index(["parameter", "value"]).round(3)


def steering_examples(results: Results, width: int = 90) -> pd.DataFrame:
    """Each prompt, then its continuation under each condition with the identified language:
    one row per (prompt, condition), so that every text gets the page's width (a column per
    condition squeezed scripts without spaces into one character per line). Whitespace is
    collapsed and texts are cut at ``width`` characters."""
    rows = []
    for k, prompt in enumerate(results.prompts):
        rows.append((k + 1, "prompt", results.parameters.STEER_SOURCE, shorten(prompt, width)))
        for name, texts in results.outputs.items():
            rows.append((k + 1, name, results.identified[name][k], shorten(texts[k], width)))
    table = pd.DataFrame(rows, columns=["prompt", "condition", "identified as", "text"])
    return table.set_index(["prompt", "condition"])


def steering_table(results: Results) -> pd.DataFrame:
    """Share of continuations identified as the target and as the source language."""
    return results.steering_share().round(2)


def sweep_table(results: Results) -> pd.DataFrame:
    """Per method and scale: shares of continuations in the target language, fluent, both."""
    return sweep_shares(results.judged).round(2)

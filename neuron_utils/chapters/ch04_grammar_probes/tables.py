"""Chapter 4's table: the paradigms, the model's own accuracy on each and one marked pair."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .prose import marked_change


def paradigm_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Each paradigm's size, the model's own accuracy on it and one pair, written as the good
    sentence with the bad sentence's change in brackets (two full sentences per row do not fit
    the page; the paradigm's group is in the summary)."""
    table = pd.DataFrame(summary["per_paradigm"]).set_index("paradigm")
    table["pair: good [→ bad]"] = [
        marked_change(g, b) for g, b in zip(table.good, table.bad, strict=True)
    ]
    table = table.rename(columns={"model accuracy": "model acc."})
    return table[["pairs", "model acc.", "pair: good [→ bad]"]].round(3)

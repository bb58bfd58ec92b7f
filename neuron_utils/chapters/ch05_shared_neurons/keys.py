"""What chapter 5 calls its conditions and its summary keys, in one place.

The analysis labels its conditions with these names, :mod:`.summary` builds every key with
these functions, and the prose, the tables and the claims read the keys back through the same
functions. This module imports nothing of the chapter, so that :mod:`.summary` can use the
sentences of :mod:`.prose` while :mod:`.prose` reads the summary's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...kit.parameters import glue_name
from ...methods.sharing import CATEGORIES

# conditions beside the categories' own: controls of the all-shared deactivation
OTHER_ITEM = "zero all-shared of another item"
ALWAYS_SHARED = "zero the neurons all-shared for every item"
MAGNITUDE = "zero as many top-|a| neurons"

# what a comparison of a condition is against, in the prose's words (the summary declares them)
RANDOM_REFERENCE = "its random sets"
MATCHED_REFERENCE = "its firing-matched sets"
# the all-shared set's comparison with each control: the control in words
CONTROL_REFERENCES = {
    OTHER_ITEM: "another item's set",
    ALWAYS_SHARED: "the fixed set",
    MAGNITUDE: "the magnitude control",
}


def deactivation_key(category: str, seed: int | None = None, kind: str = "random") -> str:
    """``zero all-shared``; its random draws ``... | random 0``; its firing-matched draws
    ``... | matched 0``."""
    return f"zero {category}" + ("" if seed is None else f" | {kind} {seed}")


def boost_key(factor: float, seed: int | None = None) -> str:
    """``boost x1.5``; its random draws ``boost x1.5 | random 0``."""
    return f"boost x{factor:g}" + ("" if seed is None else f" | random {seed}")


def own_set_references() -> dict[str, str]:
    """Every condition the item's own all-shared set is compared with (zeroing another
    category, or a control), and the words for it."""
    others = {deactivation_key(c): f"zeroing {c}" for c in CATEGORIES if c != "all-shared"}
    return {**others, **CONTROL_REFERENCES}


def condition_slug(condition: str) -> str:
    """``zero all-shared`` -> ``zero_all_shared``; ``boost x1.5`` -> ``boost_1_5``."""
    return glue_name(condition.replace("boost x", "boost "))


def _joined(*parts: str) -> str:
    return "_".join(part for part in parts if part)


def input_key(quantity: str, kind: str, suffix: str = "") -> str:
    """A number of one kind of input or task: ``n_items_sentences``, ``stable_translation_pct``
    (suffix ``pct``), ``accuracy_translation_ci`` (suffix ``ci``: its interval)."""
    return _joined(quantity, kind, suffix)


def category_key(quantity: str, kind: str, category_slug: str, suffix: str = "pct") -> str:
    """A number of one category on one kind of input: ``share_translation_all_shared_pct``,
    ``share_sentences_specific_min_pct`` (suffix ``min_pct``), ``stable_sentences_specific``
    (suffix "")."""
    return _joined(quantity, kind, category_slug, suffix)


def attribution_key(
    quantity: str, attribution: str, task: str, category_slug: str = "", suffix: str = ""
) -> str:
    """A number of one attribution on a task: ``ranking_gradient_translation``,
    ``top_contribution_translation_all_shared_pct`` (suffix ``pct``)."""
    return _joined(quantity, attribution, task, category_slug, suffix)


def condition_key(quantity: str, task: str, condition: str, suffix: str = "") -> str:
    """A number of one condition on a task: ``delta_translation_zero_all_shared``, its interval
    ``delta_translation_zero_all_shared_ci`` (suffix ``ci``)."""
    return _joined(quantity, task, condition_slug(condition), suffix)


def helping_factors(summary: Mapping[str, Any], task: str) -> list[float]:
    """The boosting factors (of the summary's ``boost_factors``) that help on ``task``: their
    change from no intervention and their difference from their random sets both have an
    interval above 0."""
    return [
        factor
        for factor in summary["boost_factors"]
        if summary[condition_key("delta", task, boost_key(factor), "ci")].above(0)
        and summary[condition_key("vs_random", task, boost_key(factor), "ci")].above(0)
    ]

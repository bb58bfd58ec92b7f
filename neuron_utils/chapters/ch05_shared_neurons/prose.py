"""Chapter 5's generated words: what the summary quotes as text (claim (i)'s sentence, whether
ranges overlap, whether boosting helps) and the "What we found" list of a run that is not the
default one (:func:`measured_points`)."""

from __future__ import annotations

from typing import Any

from ...methods.sharing import CATEGORY_SLUGS
from .keys import (
    RANDOM_REFERENCE,
    boost_key,
    category_key,
    condition_key,
    deactivation_key,
    input_key,
)

_CLAIM_I = {  # (the task half holds, the input half holds) -> the sentence
    (True, True): "Both halves of claim (i) hold here",
    (True, False): "Only the first half of claim (i) (the task) holds here",
    (False, True): "Only the second half of claim (i) (the inputs) holds here",
    (False, False): "Neither half of claim (i) holds here",
}


def claim_i_sentence(task_half: bool, input_half: bool) -> str:
    """Which halves of claim (i) hold: the task moves the all-shared share beyond the range
    over items (``task_half``), and most neurons change category from item to item."""
    return _CLAIM_I[bool(task_half), bool(input_half)]


def overlap_words(apart: bool) -> str:
    """Two ranges over items: ``do not overlap`` where they lie ``apart``, else ``overlap``."""
    return "do not overlap" if apart else "overlap"


def agreement_words(same: bool) -> str:
    """The two attributions rank the categories in ``the same`` or ``a different`` order."""
    return "the same" if same else "a different"


def boost_helps_words(factors: list[float]) -> str:
    """``helps (at x1.5, x3)`` for the factors that help, ``does not help`` for none."""
    if not factors:
        return "does not help"
    return f"helps (at {', '.join(boost_key(f).removeprefix('boost ') for f in factors)})"


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run); a task or deactivation this run did not include is left
    out."""
    s = summary

    def shares(kind: str) -> str:
        return ", ".join(
            f"{slug.replace('_', '-')} {s[category_key('share', kind, slug)]:.1f} %"
            for slug in CATEGORY_SLUGS
        )

    points = [f"On plain sentences, the share of all neurons: {shares('sentences')}."]
    zero_shared = deactivation_key("all-shared")
    for task in s["tasks"]:
        point = f"{task}: {shares(task)}"
        if input_key("accuracy", task) in s:
            accuracy, ci = s[input_key("accuracy", task)], s[input_key("accuracy", task, "ci")]
            point += f"; accuracy {accuracy:.2f} ({ci.low:.2f}–{ci.high:.2f})"
        if condition_key("delta", task, zero_shared) in s:
            comparison = s[condition_key("verdict", task, zero_shared)]
            point += (
                f"; zeroing the all-shared neurons changes it by "
                f"{s[condition_key('delta', task, zero_shared)]:+.3f} "
                f"({comparison.text(RANDOM_REFERENCE)})"
            )
        if input_key("boost_helps", task) in s:
            point += f"; boosting them {s[input_key('boost_helps', task)]}"
        points.append(point + ".")
    return points

"""Chapter 3's generated sentences: what a run measured, in words, for its page."""

from __future__ import annotations

import math
from typing import Any

from ...kit.summary import Interval


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"LAPE selects {s['n_selected']} neurons: {s['first_share']:.0f} % in the first three "
        f"layers, {s['last_share']:.0f} % in the last three, {s['middle_share']:.0f} % in the "
        f"middle third (uniform placement puts up to {s['end_share_uniform_q975']:.1f} % on "
        "three layers by chance).",
        f"Deactivating a language's neurons raises its perplexity by {s['diag_mean']:.0f} % on "
        f"average against {s['offdiag_mean']:.0f} % for the other languages (random sets: "
        f"{s['random_mean']:.1f} %); its own language is hit hardest in "
        f"{s['diag_is_row_max']} of {s['n_languages']} rows.",
        f"Steering: LAPE neurons {s['steer_success_lape']:.2f}, the paper's swap "
        f"{s['steer_success_swap']:.2f}, DiffMean {s['steer_success_diffmean']:.2f} of the "
        f"held-out continuations in the target language; winner by paired intervals: "
        f"{s['steer_winner']}.",
    ]


def related_text(change_min: float, change_min_ci: Interval, beyond_baseline_ci: Interval) -> str:
    """The sentence on related pairs' interference, for this run's languages: the smallest
    change of one related language's perplexity with the other's neurons deactivated
    (``change_min``, its interval) and the interval of that minus the larger baseline
    (``beyond_baseline_ci``; NaN ends: no related pair among the languages)."""
    if math.isnan(beyond_baseline_ci.low):
        return (
            "No related pair (zh–ja, fr–es) is among the chapter's languages, so interference "
            "between related languages is not measured in this run."
        )
    beyond = beyond_baseline_ci.low > 0
    return (
        "Deactivating one language of a related pair (zh–ja, fr–es, both directions) changes "
        f"the other's perplexity by at least {change_min:+.0f} % (95 % interval over held-out "
        f"sentences {change_min_ci.text('+.0f')} %); minus the larger of the median off-diagonal "
        "cell and the random set's mean change, the interval is "
        f"{beyond_baseline_ci.text('+.0f')} percentage points: related languages "
        + (
            "interfere beyond an unrelated one."
            if beyond
            else "are not shown to interfere more than an unrelated one."
        )
    )


def shorten(text: str, width: int) -> str:
    """``text`` with its whitespace collapsed, cut at ``width`` characters (an ellipsis last)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

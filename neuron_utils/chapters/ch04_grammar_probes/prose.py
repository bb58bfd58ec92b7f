"""Chapter 4's generated words: the sentences its summary holds for the prose, the list a run
that is not the default one shows, and the marked pairs of its table."""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from ... import data
from ...kit.summary import Interval


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"The dense probe's best accuracy is {s['dense_best']:.2f} (layer "
        f"{s['dense_best_layer']}; {s['n_paradigms']} paradigms, {s['n_pairs']} pairs).",
        f"Over the λ sweep, {s['sweep_text']}.",
        f"The top {s['n_top']} dimension{'s' if s['n_top'] != 1 else ''} by |t| "
        f"({s['top_dim_pct']:g} %) give "
        f"{s['top_acc_mean']:.2f} accuracy ({s['top_pct_of_dense']:.0f} % of dense); they match "
        f"{s['multiple_median_text']}× as many random dimensions (median over layers).",
        f"Masks against |t| at λ = {s['gen_lambda']}: {s['rho_text']}.",
        f"Probes trained on one paradigm average {s['gen_off']:.2f} on the others (95 % interval "
        f"over the training paradigm {s['gen_off_ci'].low:.2f}–{s['gen_off_ci'].high:.2f}); "
        f"{s['gen_off_above']:.0f} % of the off-diagonal cells reach 0.75 and "
        f"{s['gen_reversed']:.0f} % are below 0.4; {s['gen_cross_text']}.",
    ]


def sweep_text(lam: float, kept: float, relative: float, ci: Interval, reaches: bool) -> str:
    """The λ sweep's answer: the λ that keeps the fewest dimensions in the middle layers while
    its accuracy interval (``ci``, % of dense) reaches 95 % (``reaches``), or the closest one."""
    if reaches:
        return (
            f"λ = {lam:g} keeps {kept:.1f} % of the dimensions in the middle layers at "
            f"{relative:.1f} % of the dense accuracy (95 % interval over paradigms "
            f"{ci.low:.1f}–{ci.high:.1f} %): the fewest of any λ whose interval reaches 95 %"
        )
    return (
        "no λ reaches 95 % of the dense accuracy in the middle layers (the closest: "
        f"λ = {lam:g}, {relative:.1f} %, interval {ci.low:.1f}–{ci.high:.1f} %, keeping "
        f"{kept:.1f} %)"
    )


def rho_text(mean: float, ci: Interval, rho_range: str) -> str:
    """The mask-|t| correlation at GEN_LAMBDA with its interval, or why it is not defined."""
    if np.isfinite(mean):
        return (
            f"the mean correlation is {mean:.2f} (95 % interval over paradigms "
            f"{ci.low:.2f}–{ci.high:.2f}; all λ and layers: {rho_range})"
        )
    return (
        "the correlation is not defined for this data: every probe's mask is constant "
        "there (it keeps all of the dimensions or none), so it ranks nothing"
    )


def rho_ceiling_text(ceiling: float, n_kept: int) -> str:
    """The ceiling of the mask-|t| correlation (a mask of the top ``n_kept`` dimensions), or
    why it is not defined."""
    if np.isfinite(ceiling):
        return (
            "A mask that kept exactly the top-|t| dimensions, as many as the probes keep on "
            f"average, would reach {ceiling:.2f}"
        )
    return (
        "The ceiling of that correlation is not defined for this data: the probes keep "
        f"{'all' if n_kept else 'none'} of the dimensions on average, so a mask of the top "
        "dimensions would be constant"
    )


def multiple_text(value: float, largest: int) -> str:
    """A matching multiple to one decimal, ``> largest`` where no tested multiple matched."""
    return f"{value:.1f}" if np.isfinite(value) else f"> {largest}"


def multiple_span(low: float, high: float, largest: int) -> str:
    """Two matching multiples as ``low to high`` (:func:`multiple_text`)."""
    return f"{multiple_text(low, largest)} to {multiple_text(high, largest)}"


def cross_text(sparse: np.ndarray, cross: np.ndarray, language: np.ndarray) -> str:
    """The mean transfer between paradigms of different languages, in words (or why it is not
    defined for this data)."""
    if cross.any():
        names = " ↔ ".join(data.LANGUAGE_NAMES.get(lang, lang) for lang in dict.fromkeys(language))
        return f"across languages ({names} paradigms) the mean is {sparse[cross].mean():.2f}"
    if not (language != "").all():
        return (
            "across languages it is not defined for this data: some paradigms' language is not "
            "known (an own table without a language column)"
        )
    only = data.LANGUAGE_NAMES.get(language[0], language[0])
    return f"across languages it is not defined for this data: every paradigm is in {only}"


def marked_change(good: str, bad: str) -> str:
    """``good`` with each span that ``bad`` changes written ``[old → new]`` (∅: nothing): words
    where the text has spaces, characters otherwise (Japanese)."""
    spaced = " " in good
    a, b = (good.split(), bad.split()) if spaced else (list(good), list(bad))
    joiner = " " if spaced else ""
    parts = [
        joiner.join(a[i1:i2])
        if tag == "equal"
        else f"[{joiner.join(a[i1:i2]) or '∅'} → {joiner.join(b[j1:j2]) or '∅'}]"
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    ]
    return joiner.join(parts)

"""What chapter 1 calls its per-design summary keys, in one place: :mod:`.summary` builds them
with these functions, and the claims and the prose read them back through the same functions.
This module imports nothing of the chapter, so that :mod:`.summary` can use the texts of
:mod:`.prose` while :mod:`.prose` reads the summary's keys."""

from __future__ import annotations

from ...kit.parameters import glue_name


def cv_key(probe: str, design: str, statistic: str) -> str:
    """The key of a probe's accuracy ``statistic`` over L2s and layers in ``design``:
    ``cv_concat_disjoint_min``. ``probe``: a feature set (``concat``, ``interaction``,
    ``l1_only``), ``concat_ungrouped`` (the concat probe on stratified folds) or ``length`` (the
    token-count probe, over L2s); ``statistic``: ``min``, ``max``, ``mean``, or the texts the
    prose quotes, ``range`` and ``mean_text``."""
    return f"cv_{probe}_{glue_name(design)}_{statistic}"


def gap_key(kind: str, design: str, statistic: str) -> str:
    """The key of a residual-stream gap's ``statistic`` over L2s and layers in ``design``
    (``kind``: ``raw`` or ``centred`` cosine): ``centred_gap_derangement_mean``."""
    return f"{kind}_gap_{glue_name(design)}_{statistic}"


def l1_tokens_key(label: str, design: str) -> str:
    """The key of the mean L1 token count of a class (``parallel``, ``non-parallel``) in
    ``design``: ``l1_tokens_nonparallel_cross_corpus``."""
    return f"l1_tokens_{label.replace('-', '')}_{glue_name(design)}"

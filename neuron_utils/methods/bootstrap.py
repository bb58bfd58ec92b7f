"""Paired, stratified bootstrap of minimal-pair accuracies.

The seeds' OVERALL score is the unweighted mean of per-paradigm accuracies. A replicate
resamples the pairs of every paradigm with replacement (each paradigm keeps its size, so the
unweighted mean keeps its meaning) and uses the *same* resampled pairs for every condition: the
difference of two conditions is then measured on identical pairs (a paired bootstrap), which is
far tighter than comparing two independent intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def overall_replicates(
    correct: np.ndarray, groups: Sequence[str], n_boot: int, seed: int = 0
) -> np.ndarray:
    """Bootstrap replicates of the unweighted mean over groups of per-group accuracy.

    ``correct [C, n]`` (bool or 0/1: one row per condition, one column per pair), ``groups [n]``
    (the paradigm of each pair). Returns ``[C, n_boot]``; every condition sees the same draws.
    """
    correct = np.asarray(correct, dtype=float)
    if correct.ndim != 2 or correct.shape[1] != len(groups):
        raise ValueError(f"correct must be [conditions, {len(groups)} pairs], got {correct.shape}")
    if n_boot < 1:
        raise ValueError(f"n_boot={n_boot} must be at least 1")
    rng = np.random.default_rng(seed)
    groups = np.asarray(groups)
    names = list(dict.fromkeys(groups.tolist()))
    total = np.zeros((correct.shape[0], n_boot))
    for name in names:
        rows = np.flatnonzero(groups == name)
        # how often each pair is drawn in each replicate: [n_boot, n_group]
        counts = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=n_boot)
        total += correct[:, rows] @ counts.T / len(rows)
    return total / len(names)


def overall_accuracy(correct: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """The point estimate: unweighted mean over groups of per-group accuracy, ``[C]``."""
    correct = np.asarray(correct, dtype=float)
    groups = np.asarray(groups)
    names = list(dict.fromkeys(groups.tolist()))
    return np.mean([correct[:, groups == name].mean(1) for name in names], axis=0)


def interval(replicates: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over the last axis: ``(low, high)``."""
    if not 0 < level < 1:
        raise ValueError(f"level={level} must be in (0, 1)")
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(replicates, [tail, 100 - tail], axis=-1)
    return low, high


def verdict(low: float, high: float, reference: str = "its random sets") -> str:
    """How a difference reads from its interval ``[low, high]``: below or above ``reference``
    when the interval excludes 0 on that side, else not distinguishable from it."""
    if high < 0:
        return f"below {reference}"
    if low > 0:
        return f"above {reference}"
    return f"not distinguishable from {reference}"

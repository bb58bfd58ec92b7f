"""Paired, stratified bootstrap of minimal-pair accuracies.

The seeds' OVERALL score is the unweighted mean of per-paradigm accuracies. A replicate
resamples the pairs of every paradigm with replacement (each paradigm keeps its size, so the
unweighted mean keeps its meaning) and uses the *same* resampled pairs for every condition: the
difference of two conditions is then measured on identical pairs (a paired bootstrap), which is
far tighter than comparing two independent intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

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


def mean_replicates(values: np.ndarray, n_boot: int, seed: int = 0) -> np.ndarray:
    """Bootstrap replicates of the mean over the first axis, its units (paradigms, items)
    resampled with replacement: ``values [n, ...]`` -> ``[n_boot, ...]``.

    NaN entries (a statistic not defined for that unit) are left out of each replicate's mean,
    as ``np.nanmean`` does; a replicate whose drawn units are all NaN there is NaN.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim < 1 or len(values) < 1:
        raise ValueError(
            f"values must have at least one unit on the first axis, got {values.shape}"
        )
    if n_boot < 1:
        raise ValueError(f"n_boot={n_boot} must be at least 1")
    n = len(values)
    counts = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=n_boot)
    flat = values.reshape(n, -1)
    defined = ~np.isnan(flat)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (counts @ np.where(defined, flat, 0.0)) / (counts @ defined)
    return means.reshape(n_boot, *values.shape[1:])


def ratio_replicates(
    numerators: np.ndarray, denominators: np.ndarray, n_boot: int, seed: int = 0
) -> np.ndarray:
    """Bootstrap replicates of a ratio of sums, ``sum(numerators) / sum(denominators)`` over units
    (sentences: summed NLL over predicted tokens is a per-token mean), the units resampled with
    replacement and the *same* draws used for every row: ``numerators, denominators [C, n]`` ->
    ``[C, n_boot]`` (paired: rows are conditions scored on the same units)."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    if numerators.ndim != 2 or numerators.shape != denominators.shape or numerators.shape[1] < 1:
        raise ValueError(
            "numerators and denominators must both be [conditions, units] with at least one "
            f"unit, got {numerators.shape} and {denominators.shape}"
        )
    if n_boot < 1:
        raise ValueError(f"n_boot={n_boot} must be at least 1")
    n = numerators.shape[1]
    counts = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=n_boot)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (numerators @ counts.T) / (denominators @ counts.T)


def interval(replicates: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over the last axis: ``(low, high)``."""
    if not 0 < level < 1:
        raise ValueError(f"level={level} must be in (0, 1)")
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(replicates, [tail, 100 - tail], axis=-1)
    return low, high


@dataclass(frozen=True)
class Interval:
    """A 95 % interval ``[low, high]`` (bootstrap or permutation), as one value.

    Rules ask it questions instead of reading two numbers: ``i.low > 0`` is "lies above 0",
    :meth:`compare` the comparison with 0 within the verdict tolerance."""

    low: float
    high: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    @classmethod
    def of(cls, pair: Iterable[float]) -> Interval:
        """From ``(low, high)``, e.g. what :func:`~neuron_utils.methods.bootstrap.interval`
        returns."""
        low, high = pair
        return cls(low, high)

    @property
    def defined(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    def above(self, value: float) -> bool:
        """The whole interval lies above ``value`` (False where it is not defined)."""
        return self.defined and self.low > value

    def below(self, value: float) -> bool:
        """The whole interval lies below ``value`` (False where it is not defined)."""
        return self.defined and self.high < value

    def within(self, low: float, high: float) -> bool:
        """The whole interval lies in ``[low, high]``."""
        return self.defined and low <= self.low and self.high <= high

    def compare(self, tol: float | None = None) -> Comparison:
        """Below, above or not distinguishable from 0 (:func:`compare`)."""
        return compare(self.low, self.high, VERDICT_TOLERANCE if tol is None else tol)

    def text(self, spec: str = ".3f") -> str:
        """``[0.120, 0.340]`` (``spec``: a format spec of both ends)."""
        return f"[{self.low:{spec}}, {self.high:{spec}}]"

    def as_json(self) -> dict[str, float]:
        return {"low": self.low, "high": self.high}


def finite_interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """:func:`interval` of replicates ``[n_boot]`` with the NaN ones left out (a replicate that
    drew only units where the statistic is undefined); NaN, NaN where every one is NaN."""
    replicates = np.asarray(replicates, dtype=float)
    finite = replicates[~np.isnan(replicates)]
    if not len(finite):
        return float("nan"), float("nan")
    low, high = interval(finite, level)
    return float(low), float(high)


def finite_ci(replicates: np.ndarray, level: float = 0.95) -> Interval:
    """:func:`finite_interval` as one :class:`Interval`."""
    return Interval.of(finite_interval(replicates, level))


def mean_ci(values: np.ndarray, n_boot: int, seed: int = 0) -> Interval:
    """:func:`mean_interval` as one :class:`Interval`."""
    return Interval.of(mean_interval(values, n_boot, seed))


def mean_interval(values: np.ndarray, n_boot: int, seed: int = 0) -> tuple[float, float]:
    """The 95 % interval of the mean over the first axis of ``values [n]``, its units
    resampled (:func:`mean_replicates`, then :func:`finite_interval`)."""
    return finite_interval(mean_replicates(values, n_boot, seed))


# A difference whose interval ends within this of 0 does not exclude 0: accuracies are means of
# at most ~10^5 0/1 outcomes, so a real difference is never smaller, while float sums of equal
# accuracies can end at -2.2e-16 instead of 0.
VERDICT_TOLERANCE = 1e-9


class Comparison(Enum):
    """How a difference compares with its baseline, decided on its interval (:func:`compare`).
    Rules test these values and summaries store them by value; :meth:`text` renders one for
    the prose (the one place where a comparison becomes words; never read back)."""

    BELOW = "below"
    ABOVE = "above"
    NOT_DISTINGUISHABLE = "not distinguishable from"

    def text(self, reference: str) -> str:
        """``below its random sets``: the comparison with ``reference`` in words."""
        return f"{self.value} {reference}"


def compare(low: float, high: float, tol: float = VERDICT_TOLERANCE) -> Comparison:
    """A difference's :class:`Comparison` from its interval ``[low, high]``: below or above
    its baseline when the interval excludes 0 on that side by more than ``tol``, else not
    distinguishable from it."""
    if not (np.isfinite(low) and np.isfinite(high)) or low > high:
        raise ValueError(f"[{low}, {high}] is not an interval")
    if tol < 0:
        raise ValueError(f"tol={tol} must be >= 0")
    if high < -tol:
        return Comparison.BELOW
    if low > tol:
        return Comparison.ABOVE
    return Comparison.NOT_DISTINGUISHABLE


# --------------------------------------------------------------------------- rows of a table


def difference(
    reps: np.ndarray,
    point: float,
    name: str,
    comparison_key: str | None = None,
    level: float = 0.95,
) -> dict[str, Any]:
    """A difference (a condition minus its baseline) from its paired replicates ``reps [B]`` and
    point estimate, typed: ``{name: point, name_ci: Interval}`` and, under ``comparison_key``
    where given, its :class:`Comparison` with 0 (the words come from the summary's
    declaration, not from here)."""
    ci = Interval.of(interval(np.asarray(reps, dtype=float), level))
    out: dict[str, Any] = {name: float(point), f"{name}_ci": ci}
    if comparison_key is not None:
        out[comparison_key] = ci.compare()
    return out


def condition(
    reps: np.ndarray, point: float, none_reps: np.ndarray, none_point: float, level: float = 0.95
) -> dict[str, Any]:
    """A condition's row, typed: its accuracy and interval (``accuracy``, ``accuracy_ci``) and
    its paired change from no intervention (``delta``, ``delta_ci``)."""
    ci = Interval.of(interval(np.asarray(reps, dtype=float), level))
    return {
        "accuracy": float(point),
        "accuracy_ci": ci,
        **difference(np.asarray(reps) - none_reps, point - none_point, "delta", level=level),
    }


def interval_text(
    value: float, low: float, high: float, signed: bool = False, interval_digits: int = 3
) -> str:
    """``0.571 [0.310, 0.820]``: an estimate to three decimals and its interval (``signed``:
    with a sign, for differences)."""
    sign = "+" if signed else ""
    return f"{value:{sign}.3f} [{low:{sign}.{interval_digits}f}, {high:{sign}.{interval_digits}f}]"

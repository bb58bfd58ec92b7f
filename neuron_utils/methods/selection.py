"""Selection nulls: what a statistic chosen as the top of many columns reaches when the labels
carry nothing.

The mean AP of the top ``n`` of tens of thousands of neurons is a maximum of noisy estimates: it
sits well above 0.5 with random labels. The same statistic under label permutations that respect
the design is its baseline. In the derangement design every L1 sentence is in one parallel and
one non-parallel pair, so labels are swapped only within that pair (each sentence stays once in
each class); in the disjoint and cross-corpus designs labels are permuted across all pairs.

Each column is sorted once (:class:`~neuron_utils.methods.ranking.RankedColumns`); a
permutation's APs are then a gather and a few cumulative sums, so ``P`` permutations cost about
``P`` times the AP pass without its sort: 36,864 neurons x 200 pairs, 100 permutations, 8.9 s
on two cores (one AP pass with its sort: 0.28 s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .ranking import RankedColumns, check_labels


def permuted_labels(
    labels: np.ndarray, groups: np.ndarray | None, n_permutations: int, seed: int = 0
) -> np.ndarray:
    """``[n_permutations, n]`` copies of ``labels [n]``, each permuted within every group of
    ``groups [n]`` (any hashable ids; ``None``: one group, a permutation across all samples).
    Every group keeps its multiset of labels."""
    labels = np.asarray(labels)
    n = len(labels)
    if groups is None:
        codes = np.zeros(n, dtype=np.int64)
    else:
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} entries for {n} labels")
        codes = np.unique(np.asarray(groups), return_inverse=True)[1].astype(np.int64)
    if n_permutations < 1:
        raise ValueError(f"n_permutations={n_permutations} must be at least 1")
    rng = np.random.default_rng(seed)
    # a random order within each group: sort by group, then by a uniform key in [0, 1)
    shuffled = np.argsort(codes[None, :] + rng.random((n_permutations, n)), axis=1)
    grouped = np.argsort(codes, kind="stable")  # the same groups, in the original order
    out = np.empty((n_permutations, n), dtype=labels.dtype)
    out[:, grouped] = labels[shuffled]
    return out


@dataclass(frozen=True)
class TopNull:
    """The APs of the top ``n_top`` columns against their permutation null."""

    ap: np.ndarray  # [columns]: each column's AP with the real labels
    null_by_rank: np.ndarray  # [P, n_top]: the n_top largest APs under each permutation, descending
    column_p: np.ndarray  # [columns]: (1 + #{permutations with AP >= the real AP}) / (1 + P)

    @property
    def observed_by_rank(self) -> np.ndarray:
        """``[n_top]``: the largest APs with the real labels, descending (rank k at ``k - 1``)."""
        return np.sort(self.ap)[::-1][: self.null_by_rank.shape[1]]

    @property
    def observed(self) -> float:
        """Mean AP of the top ``n_top`` columns with the real labels."""
        return float(self.observed_by_rank.mean())

    @property
    def null(self) -> np.ndarray:
        """``[P]``: the mean AP of the top ``n_top`` columns under each permutation."""
        return self.null_by_rank.mean(1)

    @property
    def max_null(self) -> np.ndarray:
        """``[P]``: the largest AP of any column under each permutation."""
        return self.null_by_rank[:, 0]

    @property
    def null_mean(self) -> float:
        return float(self.null.mean())

    @property
    def null_q95(self) -> float:
        return float(np.quantile(self.null, 0.95))

    @property
    def p_value(self) -> float:
        """Permutation p-value of the observed top-n mean: ``(1 + #{null >= observed}) / (1 + P)``."""
        return float((1 + (self.null >= self.observed).sum()) / (1 + len(self.null)))

    def beyond_familywise(self, level: float = 0.05) -> np.ndarray:
        """``[columns]``: AP above the ``1 - level`` quantile of the permutation maximum (a
        family-wise error rate of ``level`` over all columns)."""
        return self.ap > np.quantile(self.max_null, 1 - level)

    def beyond_false_discovery(self, level: float = 0.05) -> np.ndarray:
        """``[columns]``: passes Benjamini-Hochberg at false discovery rate ``level`` on
        ``column_p`` (scipy's ``false_discovery_control``). A permutation p-value is at
        least ``1 / (1 + P)``, so k discoveries among m columns need ``P + 1 >= m / (level k)``
        permutations (36,864 neurons, 100 discoveries, 5 %: P >= 7,373); the family-wise
        count has no such floor."""
        from scipy.stats import false_discovery_control

        return false_discovery_control(self.column_p) <= level


def top_n_null(
    scores: np.ndarray,
    labels: np.ndarray,
    n_top: int,
    groups: np.ndarray | None = None,
    n_permutations: int = 200,
    seed: int = 0,
    chunk: int = 4096,
) -> TopNull:
    """The mean AP of the ``n_top`` best columns of ``scores [n_samples, n_columns]`` for
    ``labels [n_samples]``, beside the same statistic under ``n_permutations`` permutations of
    the labels within ``groups`` (:func:`permuted_labels`); per-column permutation p-values and
    the permutation maximum come from the same passes."""
    scores = np.asarray(scores)
    y = check_labels(labels, scores.shape[0])
    if not 1 <= n_top <= scores.shape[1]:
        raise ValueError(f"n_top={n_top} must be in 1..{scores.shape[1]} (the columns)")
    permuted = torch.as_tensor(permuted_labels(y.numpy(), groups, n_permutations, seed))
    top = torch.empty((n_permutations, 0), dtype=torch.float64)  # [P, <= n_top], descending
    ap, exceed = [], []
    for start in range(0, scores.shape[1], chunk):
        ranked = RankedColumns(scores[:, start : start + chunk])
        real = ranked.average_precision(y)
        null = torch.stack([ranked.average_precision(perm) for perm in permuted])  # [P, c]
        ap.append(real)
        exceed.append((null >= real).sum(0))
        both = torch.cat([top, null], dim=1)
        top = torch.topk(both, min(n_top, both.shape[1]), dim=1).values
    return TopNull(
        ap=torch.cat(ap).numpy(),
        null_by_rank=top.numpy(),
        column_p=(1 + torch.cat(exceed).numpy()) / (1 + n_permutations),
    )

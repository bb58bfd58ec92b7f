"""Selection nulls: what a statistic chosen as the top of many columns reaches when the labels
carry nothing.

The mean AP of the top ``n`` of tens of thousands of neurons is a maximum of noisy estimates: it
sits well above 0.5 with random labels. The same statistic under permutations that respect the
design is its baseline. In the disjoint and cross-corpus designs the labels are permuted across
all pairs (:func:`top_n_null`). In the derangement design every sentence, on both sides, is in
one pair of each class; relabelling cannot keep that for both sides at once, so the parallel
pairs are re-paired instead (:func:`pairing_null`).

Each column is sorted once (:class:`~neuron_utils.methods.ranking.RankedColumns`); a
permutation's APs are then a gather and a few cumulative sums, so ``P`` permutations cost about
``P`` times the AP pass without its sort: 36,864 neurons x 200 pairs, 0.03 s per permutation
on two cores (one AP pass with its sort: 0.4 s). Every column is used: no subsampling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import torch

from .ranking import RankedColumns, check_labels, pair_scores


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
    null_columns: np.ndarray  # [P, n_top]: which columns hold null_by_rank

    def first(self, k: int) -> TopNull:
        """The same null for the top ``k`` (at most ``n_top``) only."""
        if not 1 <= k <= self.null_by_rank.shape[1]:
            raise ValueError(f"k={k} must be in 1..{self.null_by_rank.shape[1]}")
        return TopNull(
            self.ap,
            self.null_by_rank[:, :k],
            self.column_p,
            self.null_columns[:, :k],
        )

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
        ``column_p`` (scipy's ``false_discovery_control``).

        A per-column permutation p-value is at least ``1 / (1 + P)``, so k discoveries among m
        columns need ``P + 1 >= m / (level k)`` permutations (36,864 neurons, 100 discoveries,
        5 %: P >= 7,373): the chapters report the family-wise count, which has no such floor.
        Pooling every column's null APs to lower the floor does not work here: columns differ
        in the spread of their null (ties, sparse activations), and standardising each column
        by its own null needs far more permutations than the chapters run (with 20, the pooled
        null's tail is too light and half the neurons pass)."""
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

    def chunks() -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for start in range(0, scores.shape[1], chunk):
            ranked = RankedColumns(scores[:, start : start + chunk])
            null = torch.stack([ranked.average_precision(perm) for perm in permuted])  # [P, c]
            yield ranked.average_precision(y), null

    return _collect(chunks(), n_top, n_permutations)


def pairing_null(
    a1: np.ndarray,
    a2: np.ndarray,
    pairs: np.ndarray,
    labels: np.ndarray,
    n_top: int,
    n_permutations: int = 100,
    seed: int = 0,
    kind: str = "mean_abs",
    chunk: int = 4096,
) -> TopNull:
    """:func:`top_n_null` for pair scores where every sentence is in one pair of each class
    (the derangement design), by re-pairing instead of relabelling.

    Swapping the labels of an L1 sentence's two pairs keeps that sentence once per class, but
    not the L2 sentences: a class can get an L2 sentence twice and another none, which lets a
    neuron of the L2 side alone separate the classes (on the bundled pairs the top-100 mean AP
    of that null is *above* the real one). The null here keeps both sides once per class: the
    parallel pairs ``(i, j)`` become ``(i, pi(j))`` for a random permutation ``pi`` of their L2
    sentences that makes no real translation and repeats no non-parallel pair; the
    non-parallel pairs stay. If no neuron's score depends on which sentences are translations,
    the real pairing is one such pairing among others.

    ``a1 [n1, columns]``, ``a2 [n2, columns]``: each sentence's activations; ``pairs [n, 2]``
    index them (:func:`~neuron_utils.methods.ranking.pair_scores` of ``kind``). Each
    permutation scores the parallel class anew, so it costs a sort of half the pairs per
    column: about 0.12 s on 36,864 neurons x 100 parallel pairs on two cores (every column;
    no subsampling), four times a label permutation.
    """
    labels = np.asarray(labels)
    parallel, other = pairs[labels == 1], pairs[labels == 0]
    for side in (0, 1):
        if not (
            np.array_equal(np.sort(parallel[:, side]), np.sort(other[:, side]))
            and len(np.unique(parallel[:, side])) == len(parallel)
        ):
            raise ValueError(
                "re-pairing needs every sentence once in each class (the derangement design); "
                "use top_n_null with label permutations for other designs"
            )
    if not 1 <= n_top <= a1.shape[1]:
        raise ValueError(f"n_top={n_top} must be in 1..{a1.shape[1]} (the columns)")
    pairings = _other_pairings(parallel, other, n_permutations, np.random.default_rng(seed))
    m = len(parallel)
    positions = torch.arange(m)

    def ap_against(sorted_negatives: torch.Tensor, positives: torch.Tensor) -> torch.Tensor:
        # [c, m] each, ascending negatives: a positive's precision at its threshold counts
        # every positive and negative scoring at least as high (ties: sklearn's step-wise AP).
        # The sum runs over the positives in ascending order: the positives at least as high
        # as the one at position j are those from the first of its tied group on.
        ranked = torch.sort(positives, dim=1).values
        starts = torch.ones_like(ranked, dtype=torch.bool)
        starts[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
        first = torch.cummax(torch.where(starts, positions, 0), dim=1).values
        tp = m - first
        fp = sorted_negatives.shape[1] - torch.searchsorted(sorted_negatives, ranked, side="left")
        return (tp.double() / (tp + fp)).sum(1) / m

    def chunks() -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for start in range(0, a1.shape[1], chunk):
            x1, x2 = a1[:, start : start + chunk], a2[:, start : start + chunk]

            def scores(rows: np.ndarray) -> torch.Tensor:  # [c, rows]
                block = pair_scores(x1, x2, rows, kind).astype(np.float32, copy=False)
                return torch.as_tensor(np.ascontiguousarray(block.T))

            negatives = torch.sort(scores(other), dim=1).values
            real = ap_against(negatives, scores(parallel))
            null = torch.stack([ap_against(negatives, scores(rows)) for rows in pairings])
            yield real, null

    return _collect(chunks(), n_top, n_permutations)


def _other_pairings(
    parallel: np.ndarray, other: np.ndarray, count: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """``count`` re-pairings of ``parallel [m, 2]``: the L2 sentences permuted so that no pair is
    a real (parallel) pair or one of ``other`` (by rejection: about e^2 = 7.4 draws each)."""
    taken = {tuple(pair) for pair in parallel.tolist()} | {tuple(pair) for pair in other.tolist()}
    if len(parallel) < 3:
        raise ValueError("re-pairing needs at least 3 parallel pairs")
    out = []
    while len(out) < count:
        candidate = np.stack([parallel[:, 0], rng.permutation(parallel[:, 1])], axis=1)
        if not any(tuple(pair) in taken for pair in candidate.tolist()):
            out.append(candidate)
    return out


def _collect(
    chunks: Iterable[tuple[torch.Tensor, torch.Tensor]], n_top: int, n_permutations: int
) -> TopNull:
    """A :class:`TopNull` from column blocks of (real APs ``[c]``, null APs ``[P, c]``)."""
    top = torch.empty((n_permutations, 0), dtype=torch.float64)  # [P, <= n_top], descending
    columns = torch.empty((n_permutations, 0), dtype=torch.int64)  # their column indices
    ap, exceed = [], []
    done = 0
    for real, null in chunks:
        ap.append(real)
        exceed.append((null >= real).sum(0))
        both = torch.cat([top, null], dim=1)
        where = torch.cat([columns, done + torch.arange(null.shape[1]).expand_as(null)], dim=1)
        top, best = torch.topk(both, min(n_top, both.shape[1]), dim=1)
        columns = torch.gather(where, 1, best)
        done += null.shape[1]
    return TopNull(
        ap=torch.cat(ap).numpy(),
        null_by_rank=top.numpy(),
        column_p=(1 + torch.cat(exceed).numpy()) / (1 + n_permutations),
        null_columns=columns.numpy(),
    )


def mean_magnitude(*activations: np.ndarray) -> np.ndarray:
    """Mean ``|a|`` over the rows of every array ``[rows, ...]`` together: ``[...]`` (float64),
    summed array by array (no joined copy)."""
    total = sum(np.abs(a).sum(0, dtype=np.float64) for a in activations)
    return total / sum(len(a) for a in activations)

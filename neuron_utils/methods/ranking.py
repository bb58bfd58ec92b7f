"""Ranking neurons: average precision of pair scores (Suau et al. 2022; Tezuka & Inoue §3.3)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ..core.activations import TextActivations


def average_precision(scores: np.ndarray, labels: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """AP of each column of ``scores [n_samples, n_columns]`` for binary ``labels [n_samples]``.

    Vectorised over columns; equal to ``sklearn.metrics.average_precision_score`` column by
    column, ties included: tied scores form one threshold, whose recall step is weighted by the
    precision at the end of its group (bf16 activations tie often).
    """
    y = check_labels(labels, scores.shape[0])
    out = []
    for start in range(0, scores.shape[1], chunk):
        ranked = RankedColumns(scores[:, start : start + chunk])
        out.append(ranked.average_precision(y))
    return torch.cat(out).numpy()


def check_labels(labels: np.ndarray, n_samples: int) -> torch.Tensor:
    """``labels`` as a boolean tensor ``[n_samples]`` (1 = positive), with at least one positive."""
    y = torch.as_tensor(np.asarray(labels) == 1)
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(f"labels must be [n_samples={n_samples}], got shape {tuple(y.shape)}")
    if int(y.sum()) == 0:
        raise ValueError("average precision needs at least one positive label")
    return y


class RankedColumns:
    """Columns of ``scores [n_samples, n_columns]`` sorted once (descending), so that the AP of
    any number of label vectors is a gather and a few cumulative sums (permutation nulls reuse
    the sort, :mod:`neuron_utils.methods.selection`)."""

    def __init__(self, scores: np.ndarray):
        # [columns, samples]: sorting along the contiguous last axis is several times faster
        block = torch.as_tensor(np.ascontiguousarray(np.asarray(scores).T))
        ordered, self.order = torch.sort(block, dim=1, descending=True)  # ties: order irrelevant
        n = block.shape[1]
        # Tied scores form one threshold: every position of a group counts at the group's last
        # position. end[c, i]: that last position (found once, so that a label vector costs a
        # gather and a cumulative sum, not a running max: 2x faster per permutation).
        is_end = torch.ones_like(self.order, dtype=torch.bool)
        is_end[:, :-1] = ordered[:, :-1] != ordered[:, 1:]
        positions = torch.arange(n).expand_as(self.order)
        last = torch.where(is_end, positions, n)
        self.end = torch.flip(torch.cummin(torch.flip(last, [1]), dim=1).values, [1])
        self.inverse_rank = 1.0 / (self.end + 1).to(torch.float32)  # 1 / rank at the group's end

    def average_precision(self, y: torch.Tensor) -> torch.Tensor:
        """AP of every column for boolean labels ``y [n_samples]``: ``[n_columns]`` (float64).

        The sum over positives of the precision at their threshold (the end of their group of
        tied scores), divided by the number of positives: sklearn's step-wise AP."""
        hits = y.to(torch.float32)[self.order]  # a float gather: faster than bool, then a cast
        tp = hits.cumsum(1)  # true positives down to each position (exact: integers < 2^24)
        precision = torch.gather(tp, 1, self.end) * self.inverse_rank
        return (precision * hits).sum(1, dtype=torch.float64) / int(y.sum())


def pair_scores(
    a1: np.ndarray, a2: np.ndarray, pairs: np.ndarray, kind: str = "mean_abs"
) -> np.ndarray:
    """Score of every neuron for every pair: ``[n_pairs, ...]`` from ``a1 [n1, ...]``, ``a2 [n2, ...]``.

    ``mean_abs``: ``(|a(S_L1)| + |a(S_L2)|) / 2`` (Tezuka & Inoue eq. 4); ``product``:
    ``a(S_L1) * a(S_L2)`` (their footnote 3).
    """
    x, y = a1[pairs[:, 0]], a2[pairs[:, 1]]
    if kind == "mean_abs":
        return (np.abs(x) + np.abs(y)) / 2
    if kind == "product":
        return x * y
    raise ValueError(f"unknown pair score {kind!r}; allowed: mean_abs, product")


def pearson_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of every column of ``x [n, ...]`` with ``y [n]``: ``[...]`` (float64).

    Equal to ``scipy.stats.pearsonr`` column by column; a constant column gives 0, not NaN.
    """
    shape = np.shape(x)[1:]
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    y = np.asarray(y, dtype=np.float64)
    if len(y) != len(x) or len(y) < 2:
        raise ValueError(f"x has {len(x)} rows and y {len(y)} values: need the same number, >= 2")
    xc = x - x.mean(0)
    yc = y - y.mean()
    denom = np.sqrt((xc**2).sum(0) * (yc**2).sum())
    r = (xc * yc[:, None]).sum(0) / np.where(denom == 0, 1.0, denom)
    return np.where(denom == 0, 0.0, r).reshape(shape)


def neuron_ap(
    ps: Any, acts: dict[str, TextActivations], site: str = "neurons", kind: str = "mean_abs"
) -> np.ndarray:
    """Average precision of every neuron for one pair set (``l1``, ``l2``, ``l1_texts``,
    ``l2_texts``, ``pairs``, ``labels``: a :class:`~neuron_utils.data.parallel.PairSet`), scored by
    :func:`pair_scores`: ``[layers, neurons]``."""
    a1, a2 = acts[ps.l1].rows(ps.l1_texts, site), acts[ps.l2].rows(ps.l2_texts, site)
    scores = pair_scores(a1, a2, ps.pairs, kind)  # [n_pairs, L, N]
    return average_precision(scores.reshape(len(ps.pairs), -1), ps.labels).reshape(a1.shape[1:])

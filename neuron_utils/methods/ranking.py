"""Ranking neurons: average precision of pair scores (Suau et al. 2022; Tezuka & Inoue §3.3)."""

from __future__ import annotations

import numpy as np
import torch


def average_precision(scores: np.ndarray, labels: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """AP of each column of ``scores [n_samples, n_columns]`` for binary ``labels [n_samples]``.

    Vectorised over columns; equal to ``sklearn.metrics.average_precision_score`` column by
    column, ties included: tied scores form one threshold, whose recall step is weighted by the
    precision at the end of its group (bf16 activations tie often).
    """
    y = torch.as_tensor(np.asarray(labels) == 1)
    if y.ndim != 1 or y.shape[0] != scores.shape[0]:
        raise ValueError(
            f"labels must be [n_samples={scores.shape[0]}], got shape {tuple(y.shape)}"
        )
    positives = int(y.sum())
    if positives == 0:
        raise ValueError("average precision needs at least one positive label")
    n = scores.shape[0]
    rank = torch.arange(1, n + 1, dtype=torch.float32)
    out = []
    for start in range(0, scores.shape[1], chunk):
        # [columns, samples]: sorting along the contiguous last axis is several times faster
        block = torch.as_tensor(np.ascontiguousarray(scores[:, start : start + chunk].T))
        # ties form one group: order within is irrelevant
        ordered, order = torch.sort(block, dim=1, descending=True)
        hits = y[order]
        tp = hits.cumsum(1, dtype=torch.float32)  # true positives down to each position
        is_end = torch.ones_like(hits)  # last position of a group of tied scores (a threshold)
        is_end[:, :-1] = ordered[:, :-1] != ordered[:, 1:]
        # tp is non-decreasing, so a running max of tp at group ends is the tp at the latest end.
        latest = torch.cummax(torch.where(is_end, tp, 0.0), dim=1).values
        # tp at the end of the previous group
        before = torch.nn.functional.pad(latest[:, :-1], (1, 0))
        gained = torch.where(is_end, (tp - before) * tp / rank, 0.0)  # recall step x precision
        out.append(gained.sum(1, dtype=torch.float64) / positives)
    return torch.cat(out).numpy()


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

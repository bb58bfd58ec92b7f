"""Feature standardisation, as ``sklearn.preprocessing.StandardScaler`` does it, for batched problems."""

from __future__ import annotations

import numpy as np


def standardisation(
    x_train: np.ndarray, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation over the rows of each problem: ``[B, n, d] -> [B, 1, d] x 2``.

    ``weight [B, n]`` weighs the rows (0 for padding rows); without it every row counts once.
    The standard deviation is the population one (``ddof=0``, as ``StandardScaler``); a
    constant feature gets 1, so that it standardises to 0. Computed in ``x_train``'s dtype.
    """
    if weight is None:
        mean = x_train.mean(1, keepdims=True)
        std = x_train.std(1, keepdims=True)
    else:
        w = weight[..., None] / weight.sum(1)[:, None, None]
        mean = (x_train * w).sum(1, keepdims=True)
        std = np.sqrt((((x_train - mean) ** 2) * w).sum(1, keepdims=True))
    return mean, np.where(std > 0, std, 1.0).astype(x_train.dtype)

"""Sparse probes: Hard-Concrete L0 mask probes (Louizos et al. 2018), Welch t ranking, rank correlation.

An L0 probe is ``sigmoid((w * m) x + b)`` with a mask ``m`` in [0, 1]^d drawn from a
Hard-Concrete distribution with a learned location ``log_alpha`` per dimension, trained on

    loss = lam * BCE + (1 - lam) * R,   R = expected fraction of dimensions with m != 0

(Sato et al.'s Eq. 2, with the L0 term normalised by d so that ``lam`` means the same for any
width). Many probes (paradigms x layers x lambdas) train at once as one batched problem;
padded rows carry weight 0. Features are standardised with each problem's training rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .standardise import standardisation

# Hard-Concrete stretch interval and temperature (Louizos et al. 2018, their defaults).
GAMMA, ZETA, BETA = -0.1, 1.1, 2 / 3


def welch_t(x1: np.ndarray, x0: np.ndarray) -> np.ndarray:
    """Welch's t statistic of class 1 vs class 0 per feature: ``x1 [..., n1, d]``, ``x0 [..., n0, d]`` -> ``[..., d]``.

    Equals ``scipy.stats.ttest_ind(x1, x0, axis=-2, equal_var=False).statistic``; a feature
    that is constant in both classes gets t = 0.
    """
    x1 = np.asarray(x1, dtype=np.float64)
    x0 = np.asarray(x0, dtype=np.float64)
    diff = x1.mean(-2) - x0.mean(-2)
    se = np.sqrt(x1.var(-2, ddof=1) / x1.shape[-2] + x0.var(-2, ddof=1) / x0.shape[-2])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se > 0, diff / np.where(se > 0, se, 1), 0.0)


def spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman's rank correlation along the last axis (ties get average ranks, as scipy's
    ``spearmanr``); NaN where either side is constant. ``[..., d], [..., d] -> [...]``."""
    from scipy.stats import rankdata

    ra = rankdata(a, axis=-1)
    rb = rankdata(b, axis=-1)
    ra = ra - ra.mean(-1, keepdims=True)
    rb = rb - rb.mean(-1, keepdims=True)
    denom = np.sqrt((ra**2).sum(-1) * (rb**2).sum(-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (ra * rb).sum(-1) / np.where(denom > 0, denom, 1), np.nan)


@dataclass
class L0Probes:
    """Trained probes for ``B`` problems x ``len(lambdas)`` values of lambda.

    ``mean``/``std [B, 1, d]`` standardise inputs; ``w``, ``log_alpha [B, Λ, d]``; ``bias [B, Λ]``.
    """

    lambdas: tuple[float, ...]
    mean: np.ndarray
    std: np.ndarray
    w: np.ndarray
    log_alpha: np.ndarray
    bias: np.ndarray

    def gates(self) -> np.ndarray:
        """Deterministic test-time mask ``clip(sigmoid(log_alpha) (zeta - gamma) + gamma, 0, 1)``: ``[B, Λ, d]``."""
        return np.clip(1 / (1 + np.exp(-self.log_alpha)) * (ZETA - GAMMA) + GAMMA, 0, 1)

    def kept(self) -> np.ndarray:
        """Fraction of dimensions the probe uses (mask > 0): ``[B, Λ]``."""
        return (self.gates() > 0).mean(-1)

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Logits of rows ``x [B, m, d]`` (raw features) for every lambda: ``[B, Λ, m]``."""
        z = (x - self.mean) / self.std
        return np.einsum("bmd,bkd->bkm", z, self.w * self.gates()) + self.bias[..., None]

    def select(self, problems: slice) -> L0Probes:
        """The probes of some problems (all lambdas)."""
        return L0Probes(
            self.lambdas,
            self.mean[problems],
            self.std[problems],
            self.w[problems],
            self.log_alpha[problems],
            self.bias[problems],
        )


def train_l0(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    lambdas: tuple[float, ...] | list[float],
    steps: int = 400,
    lr: float = 0.05,
    init_keep: float = 0.9,
    seed: int = 0,
) -> L0Probes:
    """Train L0 mask probes on ``x [B, n, d]`` with labels ``y [B, n]`` (0/1) and row weights
    ``weight [B, n]`` (0 for padding), one probe per problem and lambda.

    Full-batch Adam for ``steps`` steps; one mask sample per probe and step. ``init_keep`` is
    the initial probability that a dimension is kept.
    """
    lambdas = tuple(float(v) for v in lambdas)
    if not lambdas or not all(0 <= v <= 1 for v in lambdas):
        raise ValueError(f"lambdas must be numbers in [0, 1], got {lambdas}")
    x = np.asarray(x, dtype=np.float32)
    weight = np.asarray(weight, dtype=np.float32)
    mean, std = standardisation(x, weight)
    B, n, d = x.shape
    K = len(lambdas)
    generator = torch.Generator().manual_seed(seed)
    z = torch.as_tensor((x - mean) / std, dtype=torch.float32)
    target = torch.as_tensor(y, dtype=torch.float32)[:, None, :].expand(B, K, n)
    row_w = torch.as_tensor(weight / weight.sum(1, keepdims=True), dtype=torch.float32)[:, None, :]
    lam = torch.tensor(lambdas, dtype=torch.float32)[None, :]
    w = torch.zeros(B, K, d, requires_grad=True)
    bias = torch.zeros(B, K, requires_grad=True)
    log_alpha = torch.full((B, K, d), math.log(init_keep / (1 - init_keep)), requires_grad=True)
    optimiser = torch.optim.Adam([w, bias, log_alpha], lr=lr)
    shift = BETA * math.log(-GAMMA / ZETA)
    for _ in range(steps):
        u = torch.rand(B, K, d, generator=generator).clamp(1e-6, 1 - 1e-6)
        s = torch.sigmoid((torch.log(u) - torch.log1p(-u) + log_alpha) / BETA)
        mask = (s * (ZETA - GAMMA) + GAMMA).clamp(0, 1)
        logits = torch.einsum("bnd,bkd->bkn", z, w * mask) + bias[..., None]
        bce = (
            torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
            * row_w
        ).sum(-1)
        expected_l0 = torch.sigmoid(log_alpha - shift).mean(-1)  # [B, K]
        loss = (lam * bce + (1 - lam) * expected_l0).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return L0Probes(
        lambdas, mean, std, w.detach().numpy(), log_alpha.detach().numpy(), bias.detach().numpy()
    )


def accuracy(decision: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """Share of rows classified right (decision > 0 means class 1), over the last axis, optionally weighted."""
    right = (decision > 0) == (np.asarray(y) > 0.5)
    if weight is None:
        return right.mean(-1)
    return (right * weight).sum(-1) / weight.sum(-1)

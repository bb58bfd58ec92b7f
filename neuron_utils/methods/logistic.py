"""L2-regularised logistic regression, batched over many problems, solved exactly.

The chapters fit hundreds of small probes (one per layer and CV fold) with more features
than samples (``[h1; h2]`` has 1,280 dimensions, a fold a few hundred pairs). sklearn's
lbfgs needs thousands of iterations there (seconds per fit). Because the optimal weights
lie in the span of the training rows, the problem can be rewritten exactly in that span:
with ``K = X X^T = U diag(lam) U^T`` and ``Z = U diag(sqrt(lam))``, the weights are
``w = X^T U diag(lam^-1/2) beta`` and ``||w|| = ||beta||``. Newton's method on the
``n``-dimensional ``beta`` (plus an unpenalised intercept) converges in a few dozen
steps, batched over problems in torch (float64); with more samples than features it runs
on ``w`` directly. It minimises sklearn's objective
``C * sum(log-loss) + ||w||^2 / 2``, so results equal ``LogisticRegression(C=C)``.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch

from .standardise import standardisation

_STEPS = torch.tensor(
    [1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125], dtype=torch.float64
)


def _loss(m: torch.Tensor, y: torch.Tensor, beta: torch.Tensor, C: float) -> torch.Tensor:
    # log(1 + exp(-s m)) with s = 2y - 1, per problem
    s = 2 * y - 1
    return C * torch.nn.functional.softplus(-s * m).sum(-1) + 0.5 * (beta**2).sum(-1)


def fit_predict(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    C: float = 1.0,
    tol: float = 1e-8,
    max_iter: int = 100,
) -> np.ndarray:
    """Fit one standardised logistic regression per problem and score the test rows.

    ``x_train [B, n, d]``, ``y_train [n]`` (0/1, shared by all problems), ``x_test [B, m, d]``
    -> decision values ``[B, m]`` (positive = class 1). Features are standardised with the
    training rows' mean and standard deviation, as ``StandardScaler`` does.
    """
    x_train = np.asarray(x_train, dtype=np.float64)
    mean, std = (torch.as_tensor(v) for v in standardisation(x_train))
    xtr = (torch.as_tensor(x_train) - mean) / std
    xte = (torch.as_tensor(x_test, dtype=torch.float64) - mean) / std
    if xtr.shape[1] > xtr.shape[2]:  # more samples than features: Newton on w itself
        Z, Z_test = xtr, xte
        keep = torch.ones(xtr.shape[0], xtr.shape[2], dtype=torch.bool)
    else:
        Z, Z_test, keep = _row_space(xtr, xte)
    y = torch.as_tensor(y_train, dtype=torch.float64).expand(xtr.shape[0], -1)
    theta = _newton(Z, y, keep.to(torch.float64), C, tol, max_iter)
    return ((Z_test @ theta[:, :-1, None]).squeeze(-1) + theta[:, -1:]).numpy()  # [B, m]


def _row_space(
    xtr: torch.Tensor, xte: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Coordinates of the train and test rows in the span of the training rows (see module doc)."""
    lam, U = torch.linalg.eigh(xtr @ xtr.transpose(1, 2))  # [B, n], [B, n, n]
    keep = lam > lam[:, -1:] * 1e-10
    root = torch.where(keep, lam.clamp(min=0).sqrt(), torch.zeros_like(lam))
    inv_root = torch.where(keep, 1 / root.clamp(min=1e-300), torch.zeros_like(lam))
    Z = U * root[:, None, :]  # [B, n, n]
    Z_test = (xte @ xtr.transpose(1, 2)) @ U * inv_root[:, None, :]  # [B, m, n]
    return Z, Z_test, keep


def _newton(
    Z: torch.Tensor, y: torch.Tensor, active: torch.Tensor, C: float, tol: float, max_iter: int
) -> torch.Tensor:
    """Minimise ``C sum softplus(-s (Z beta + b)) + ||beta||^2 / 2`` for each problem; returns ``[B, r + 1]``."""
    B, n, r = Z.shape
    Z1 = torch.cat([Z, torch.ones(B, n, 1, dtype=Z.dtype)], dim=2)  # last column: intercept
    penalty = torch.cat([active, torch.zeros(B, 1, dtype=Z.dtype)], dim=1)  # no penalty on b
    # Directions of a zero eigenvalue carry no data; pin them with a unit curvature (beta stays 0).
    pin = torch.cat([1 - active, torch.zeros(B, 1, dtype=Z.dtype)], dim=1)
    theta = torch.zeros(B, r + 1, dtype=Z.dtype)
    for _ in range(max_iter + 1):
        m = (Z1 @ theta[..., None]).squeeze(-1)
        p = torch.sigmoid(m)
        grad = C * (Z1.transpose(1, 2) @ (p - y)[..., None]).squeeze(-1) + penalty * theta
        if grad.abs().max() < tol:
            break
        if _ == max_iter:
            warnings.warn(
                f"logistic regression: Newton did not reach tol={tol} in {max_iter} steps",
                stacklevel=3,
            )
            break
        w = C * p * (1 - p)
        hess = Z1.transpose(1, 2) @ (Z1 * w[..., None]) + torch.diag_embed(penalty + pin)
        step = torch.linalg.solve(hess, grad)
        # Backtracking: take, per problem, the step size with the lowest objective.
        candidates = theta[:, None, :] - _STEPS[None, :, None] * step[:, None, :]  # [B, S, r+1]
        margins = candidates @ Z1.transpose(1, 2)  # [B, S, n]
        losses = _loss(margins, y[:, None, :], candidates[..., :-1] * penalty[:, None, :-1], C)
        best = losses.argmin(1)
        theta = candidates[torch.arange(B), best]
    return theta

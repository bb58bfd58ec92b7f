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

At the paper's sizes a fold has more rows than features (3,600 x 1,280) and a dense Newton
step costs a ``d x d`` Hessian per problem: an hour for chapter 1. :func:`cv_decisions`
then solves all folds of a cross-validation at once by truncated Newton (conjugate gradients
on Hessian-vector products that read the shared rows once for all folds), to a gradient of
the mean loss below a tolerance: at 1e-7 about 16 times faster than the exact solver, with
decisions within 1e-6 of its; the chapters use 1e-5 (see :func:`cv_decisions`). The
conjugate gradients are preconditioned by one Cholesky-factored Hessian per layer, built from
all rows and rebuilt only when it stops fitting; on chapter 1's paper-size probes that halves
the time at 1e-7 (3 layers of one L2, all designs and feature sets: 100 s without, 49 s with;
the same decisions to 1e-2 where they reach 400, no test row changes side).
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


def cv_decisions(
    x: np.ndarray,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    C: float = 1.0,
    rtol: float = 1e-5,
) -> list[np.ndarray]:
    """Decision values of each cross-validation fold's test rows: ``x [B, N, d]``, ``y [N]``,
    ``splits`` a list of (train rows, test rows) -> one ``[B, m_f]`` per fold.

    Each fold is :func:`fit_predict` on its rows. Folds with fewer training rows than features
    are solved exactly, one fold at a time (Newton in the row span). Folds with more rows (the
    paper profile: 3,600 rows of 1,280 features) would each need a dense ``d x d`` Hessian per
    Newton step, minutes per fold; they are solved all at once by truncated Newton
    (``_folds_newton_cg``) to a gradient of the mean loss below ``rtol``. The default 1e-5 is ten
    times tighter than sklearn's default ``tol`` (1e-4 on the same gradient); on chapter 1's
    paper-size probes (one L2, layers 0, 8 and 17, all designs and feature sets) it moved
    decisions by at most 0.6 against 1e-7 (they reach 13 to 400), changed no test row's side,
    and took a quarter less time (49 s -> 37 s).
    """
    x = np.asarray(x)
    if max(len(train) for train, _ in splits) <= x.shape[2]:
        return [fit_predict(x[:, train], y[train], x[:, test], C=C) for train, test in splits]
    masks = np.zeros((len(splits), x.shape[1]))
    for fold, (train, _) in enumerate(splits):
        masks[fold, train] = 1
    out = []
    for start in range(0, x.shape[0], _LAYER_CHUNK):  # bounds memory: ~0.5 GB at the paper size
        margins = _folds_newton_cg(x[start : start + _LAYER_CHUNK], y, masks, C, rtol)
        out.append(margins)
    margins = np.concatenate(out)  # [B, F, N]
    return [margins[:, fold, test] for fold, (_, test) in enumerate(splits)]


_LAYER_CHUNK = 6


def _folds_newton_cg(
    x: np.ndarray, y: np.ndarray, masks: np.ndarray, C: float, rtol: float = 1e-7
) -> np.ndarray:
    """Margins ``[B, F, N]`` of every row under the logistic regression fitted to each fold's
    training rows (``masks [F, N]``, 1 = train), standardised with those rows, as
    :func:`fit_predict` fits it.

    The folds share their rows, so every product with the data reads ``x`` once for all folds
    (a matrix product with F columns instead of F vector products). Truncated Newton: each step
    solves ``H s = g`` by conjugate gradients in float32 on Hessian-vector products (no fold's
    Hessian is formed; one per layer, shared by the folds, preconditions them), to a relative
    residual that tightens as the gradient shrinks; gradient, margins and the step-size search
    stay in float64, so the fit converges to the same optimum. It
    stops when the gradient of the *mean* loss is below ``rtol`` in every coordinate (sklearn's
    default stops at 1e-4), and starts the folds from the fit to all rows, which the folds
    share nine tenths of (that fit only starts them: it stops at 1e-4).
    """
    X = torch.as_tensor(x, dtype=torch.float64)
    B, N, d = X.shape
    all_rows = np.ones((1, N))
    w, b, mean, std = _newton_cg(X, y, torch.as_tensor(all_rows), C, max(rtol, 1e-4), None)
    w, b, mean, std = _newton_cg(
        X, y, torch.as_tensor(masks, dtype=torch.float64), C, rtol, (w, b, mean, std)
    )
    return _margins(X, w, b, mean, std).numpy()


def _margins(X, w, b, mean, std):
    """``z_f w_f + b_f`` of every row for every fold, ``z_f = (x - mean_f) / std_f``: ``[B, F, N]``."""
    scaled = (w / std).to(X.dtype)  # [B, F, d]
    return (
        (X @ scaled.transpose(1, 2)).transpose(1, 2).to(w.dtype)
        - (mean * w / std).sum(-1, keepdim=True)
        + b[..., None]
    )


def _newton_cg(X, y, masks, C, rtol, start, max_iter=100, max_cg=100):
    """Truncated Newton for every (layer, fold) problem; see :func:`_folds_newton_cg`."""
    B, N, d = X.shape
    counts = masks.sum(1)  # [F]
    centre = X.mean(1, keepdim=True)  # shifts first: residual features have large offsets
    shifted = X - centre  # [B, N, d]
    shifted_mean = torch.einsum("fn,bnd->bfd", masks, shifted) / counts[:, None]
    var = torch.einsum("fn,bnd->bfd", masks, shifted**2) / counts[:, None] - shifted_mean**2
    mean = shifted_mean + centre
    std = var.clamp(min=0).sqrt()
    std = torch.where(std > 0, std, torch.ones_like(std))
    if start is None:
        w = torch.zeros(B, masks.shape[0], d, dtype=torch.float64)
        b = torch.zeros(B, masks.shape[0], dtype=torch.float64)
    else:  # the same function of x in this fold's standardisation
        w0, b0, mean0, std0 = start
        w = w0 * std / std0
        b = b0[:, :1] + ((mean - mean0) * w0 / std0).sum(-1)
    # float32 copy for the CG products, standardised with all rows in float64 first: x has
    # offsets of thousands of standard deviations, which float32 would cancel to three digits
    scale = shifted.std(1, keepdim=True)  # [B, 1, d]
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    Z = (shifted / scale).float()  # [B, N, d]
    del shifted  # a float64 copy of x: not kept through the Newton steps
    fold_mean, fold_std = ((mean - centre) / scale).float(), (std / scale).float()
    yv = torch.as_tensor(y, dtype=torch.float64)
    sign = 2 * yv - 1
    first = factor = None
    iterations = 0
    for step in range(max_iter + 1):
        m = _margins(X, w, b, mean, std)
        p = torch.sigmoid(m)
        r = C * masks * (p - yv)  # [B, F, N]
        g = r @ X  # [B, F, d]
        gw = (g - mean * r.sum(-1, keepdim=True)) / std + w
        gb = r.sum(-1)
        size = torch.maximum(gw.abs().amax(-1), gb.abs()) / counts  # [B, F]
        if size.max() < rtol:
            break
        if step == max_iter:
            warnings.warn(
                f"logistic regression: Newton-CG did not reach rtol={rtol} in {max_iter} steps",
                stacklevel=4,
            )
            break
        norm = torch.sqrt((gw**2).sum(-1) + gb**2)
        first = norm if first is None else first
        forcing = torch.sqrt(norm / first).clamp(1e-3, 0.1)
        h = (C * masks * p * (1 - p)).float()  # [B, F, N]
        # A preconditioner costs about 60 CG iterations to build (a d x d product per layer):
        # rebuilt only when the last solve showed the old one no longer fits the curvature.
        if factor is None or iterations > _REBUILD_AFTER:
            factor = _preconditioner(Z, h.mean(1))
        sw, sb, iterations = _cg(
            Z, h, fold_mean, fold_std, gw.float(), gb.float(), forcing.float(), max_cg, factor
        )
        sw, sb = sw.double(), sb.double()
        dm = _margins(X, sw, sb, mean, std)  # the step's change of every margin
        margins = m[:, :, None, :] - _STEPS[:, None] * dm[:, :, None, :]
        ws = w[:, :, None, :] - _STEPS[:, None] * sw[:, :, None, :]
        losses = C * (masks[:, None, :] * torch.nn.functional.softplus(-sign * margins)).sum(
            -1
        ) + 0.5 * (ws**2).sum(-1)
        step_size = _STEPS[losses.argmin(-1)]  # [B, F]
        w = w - step_size[..., None] * sw
        b = b - step_size * sb
    return w, b, mean, std


# CG iterations after which the next Newton step rebuilds the preconditioner (measured on
# chapter 1's paper-size probes: 10, 15, 30 and every step gave 47, 47, 45 and 60 s)
_REBUILD_AFTER = 30


def _preconditioner(Z: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """Cholesky factor of ``[Z, 1]^T diag(h) [Z, 1] + I`` per layer: ``Z [B, N, d]`` (all rows
    standardised together), ``h [B, N]`` (curvature averaged over the folds) -> ``[B, d+1, d+1]``.

    Close to every fold's Hessian (a fold holds nine tenths of the rows, standardised almost
    alike), so it removes most of what makes CG slow: the features' correlations.
    """
    Z1 = torch.cat([Z, torch.ones(*Z.shape[:2], 1, dtype=Z.dtype)], dim=2)
    M = (Z1 * h[..., None]).transpose(1, 2) @ Z1
    M.diagonal(dim1=1, dim2=2).add_(1.0)
    return torch.linalg.cholesky(M)


def _cg(Z, h, mean, std, gw, gb, forcing, max_cg, factor):
    """Preconditioned conjugate gradients for ``H [sw; sb] = [gw; gb]`` with
    ``H = Z_f^T diag(h) Z_f + diag(1, 0)`` (``Z_f = [(Z - mean) / std, 1]``, each fold's
    standardisation of ``Z``), every (layer, fold) at once, to ``|residual| <= forcing |g|``;
    ``factor`` from :func:`_preconditioner`. Returns the step and the iterations taken."""

    def product(vw, vb):
        scaled = vw / std
        zv = (Z @ scaled.transpose(1, 2)).transpose(1, 2) - (mean * scaled).sum(-1, keepdim=True)
        u = h * (zv + vb[..., None])
        back = u @ Z  # [B, F, d] (a product with Z's transposed view would be 3x slower)
        return (back - mean * u.sum(-1, keepdim=True)) / std + vw, u.sum(-1)

    def precondition(vw, vb):
        rhs = torch.cat([vw, vb[..., None]], dim=-1).transpose(1, 2)  # [B, d+1, F]
        solved = torch.cholesky_solve(rhs, factor).transpose(1, 2)
        return solved[..., :-1], solved[..., -1]

    sw, sb = torch.zeros_like(gw), torch.zeros_like(gb)
    rw, rb = gw.clone(), gb.clone()
    zw, zb = precondition(rw, rb)
    pw, pb = zw, zb
    rr = (rw**2).sum(-1) + rb**2
    rz = (rw * zw).sum(-1) + rb * zb
    bound = forcing**2 * rr
    for iteration in range(max_cg):
        live = rr > bound
        if not live.any():
            return sw, sb, iteration
        aw, ab = product(pw, pb)
        alpha = torch.where(live, rz / ((pw * aw).sum(-1) + pb * ab), torch.zeros_like(rr))
        sw += alpha[..., None] * pw
        sb += alpha * pb
        rw -= alpha[..., None] * aw
        rb -= alpha * ab
        rr = (rw**2).sum(-1) + rb**2
        zw, zb = precondition(rw, rb)
        rz_next = (rw * zw).sum(-1) + rb * zb
        beta = torch.where(live, rz_next / rz, torch.zeros_like(rr))
        pw, pb = zw + beta[..., None] * pw, zb + beta * pb
        rz = rz_next
    return sw, sb, max_cg

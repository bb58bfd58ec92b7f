"""Similarity measures and the batched logistic regression against scipy / sklearn."""

import numpy as np
import pytest
import torch
from scipy.spatial.distance import cosine as scipy_cosine_distance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from neuron_utils.methods import similarity
from neuron_utils.methods import logistic
from neuron_utils.methods.logistic import fit_predict

rng = np.random.default_rng(0)


def test_cosine_matches_scipy():
    a, b = rng.standard_normal((5, 7)), rng.standard_normal((5, 7))
    expected = [1 - scipy_cosine_distance(x, y) for x, y in zip(a, b)]
    # float64 sums of 7 products; atol because a cosine can be near 0
    np.testing.assert_allclose(similarity.cosine(a, b), expected, rtol=1e-12, atol=1e-12)


def test_centred_pair_cosine_removes_a_shared_offset():
    h1 = rng.standard_normal((6, 2, 4))
    h2 = h1 + 1000.0  # a huge shared direction, as in anisotropic residual streams
    pairs = np.array([[i, i] for i in range(6)])
    assert similarity.pair_cosine(h1, h2, pairs).mean() < 0.99
    # adding and removing the offset 1000 costs ~1000 x 2**-53 = 1e-13 per entry of size ~1
    np.testing.assert_allclose(
        similarity.pair_cosine(h1, h2, pairs, centred=True), 1.0, rtol=0, atol=1e-9
    )


def test_retrieval_accuracy():
    h = rng.standard_normal((8, 3, 5))
    np.testing.assert_array_equal(
        similarity.retrieval_accuracy(h, h + 0.01 * rng.standard_normal(h.shape)), 1.0
    )
    shifted = np.roll(h, 1, axis=0)  # every L1 sentence's nearest L2 is the wrong one
    np.testing.assert_array_equal(similarity.retrieval_accuracy(h, shifted), 0.0)


def test_pair_features():
    h1, h2 = rng.standard_normal((4, 2, 3)), rng.standard_normal((4, 2, 3))
    pairs = np.array([[0, 1], [2, 3]])
    concat = similarity.pair_features(h1, h2, pairs, 1, "concat")
    np.testing.assert_array_equal(concat[1], np.concatenate([h1[2, 1], h2[3, 1]]))
    inter = similarity.pair_features(h1, h2, pairs, 1, "interaction")
    a, b = h1[0, 1] - h1[:, 1].mean(0), h2[1, 1] - h2[:, 1].mean(0)
    # float64
    np.testing.assert_allclose(
        inter[0], np.concatenate([np.abs(a - b), a * b]), rtol=1e-12, atol=1e-12
    )
    with pytest.raises(ValueError, match="allowed: concat, interaction"):
        similarity.pair_features(h1, h2, pairs, 0, "sum")


@pytest.mark.parametrize("n,d", [(60, 10), (40, 120)])
def test_fit_predict_equals_sklearn(n, d):
    x = rng.standard_normal((n, d)) * rng.exponential(3, size=d)
    y = (x[:, :3].sum(1) + rng.standard_normal(n) > 0).astype(int)
    x_test = rng.standard_normal((15, d))
    reference = make_pipeline(
        StandardScaler(), LogisticRegression(C=0.5, tol=1e-12, max_iter=100_000)
    ).fit(x, y)
    ours = fit_predict(np.stack([x, 2 * x]), y, np.stack([x_test, 2 * x_test]), C=0.5)
    # Two solvers, each stopped by its own tolerance (ours: gradient < 1e-8; lbfgs: 1e-12): the
    # decision values (|d| up to ~10) agree to the optimisation error, measured 1.5e-6, not to rounding.
    np.testing.assert_allclose(ours[0], reference.decision_function(x_test), rtol=1e-4, atol=1e-5)
    # Standardisation makes the problem scale-free and scaling by 2 is exact, so both batch
    # members see the same standardised numbers up to the order of a vectorised sum: torch's AVX2
    # kernels sum the second member in another order (last-bit differences; AVX-512 ones happened
    # not to). Newton then stops both at one step (gradient < 1e-8, curvature >= 1 from the
    # penalty): they agree to that stopping error (4.6e-9 measured on AVX2), not to the bit.
    np.testing.assert_allclose(ours[1], ours[0], rtol=1e-6, atol=1e-7)


def test_cv_decisions_of_all_folds_at_once_equal_each_fold_solved_exactly():
    # more rows than features: the folds are solved together by truncated Newton-CG
    layers, n, d = 3, 300, 20
    x = rng.standard_normal((layers, n, 4)) @ rng.standard_normal((4, d))
    x = x + 0.5 * rng.standard_normal((layers, n, d)) + 40.0  # correlated, with an offset
    x[1, :, 3] = 7.0  # a constant feature: standardised to 0, as StandardScaler does
    y = (x[0, :, 0] - x[0, :, 0].mean() + rng.standard_normal(n) > 0).astype(int)
    splits = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x[0], y))
    together = logistic.cv_decisions(x, y, splits, C=0.7, rtol=1e-7)
    for (train, test), decision in zip(splits, together, strict=True):
        exact = logistic.fit_predict(x[:, train], y[train], x[:, test], C=0.7)
        # both stop at their own gradient tolerance (the exact one 1e-8, Newton-CG 1e-7 of the
        # mean loss); decisions of size ~10 agree to that optimisation error (measured 3e-7)
        np.testing.assert_allclose(decision, exact, rtol=0, atol=1e-5 * np.abs(exact).max())
        reference = make_pipeline(
            StandardScaler(), LogisticRegression(C=0.7, tol=1e-12, max_iter=100_000)
        ).fit(x[2, train], y[train])
        np.testing.assert_allclose(
            decision[2],
            reference.decision_function(x[2, test]),
            rtol=0,
            atol=1e-5 * np.abs(exact).max(),
        )


def _dense_fold_hessians(Z, h, mean, std):
    """``Z_f^T diag(h_f) Z_f + diag(1, .., 1, 0)`` with ``Z_f = [(Z - mean_f) / std_f, 1]``, float64."""
    Z, h, mean, std = (t.double() for t in (Z, h, mean, std))
    Zf = (Z[:, None] - mean[:, :, None]) / std[:, :, None]  # [B, F, N, d]
    Zf = torch.cat([Zf, torch.ones(*Zf.shape[:3], 1, dtype=Zf.dtype)], dim=-1)
    H = (Zf * h[..., None]).transpose(-1, -2) @ Zf
    H.diagonal(dim1=-2, dim2=-1)[..., :-1] += 1.0
    return H  # [B, F, d+1, d+1]


def test_preconditioned_cg_meets_its_residual_bound_against_a_dense_solve():
    torch.manual_seed(0)
    layers, folds, n, d = 2, 3, 200, 15
    Z = torch.randn(layers, n, 3) @ torch.randn(3, d) + 0.3 * torch.randn(layers, n, d)
    Z = (Z - Z.mean(1, keepdim=True)) / Z.std(1, keepdim=True)  # correlated features
    masks = (torch.rand(folds, n) < 0.9).float()
    h = masks * torch.rand(layers, folds, n) * 0.25  # C p (1 - p) on each fold's rows
    mean, std = 0.1 * torch.randn(layers, folds, d), 1 + 0.1 * torch.rand(layers, folds, d)
    gw, gb = torch.randn(layers, folds, d), torch.randn(layers, folds)
    forcing = torch.full((layers, folds), 1e-4)
    H = _dense_fold_hessians(Z, h, mean, std)
    g = torch.cat([gw, gb[..., None]], -1).double()
    # the preconditioner of this step's curvature, and a stale one from other curvature
    for curvature in (h.mean(1), torch.rand(layers, n) * 0.25):
        factor = logistic._preconditioner(Z, curvature)
        sw, sb, iterations = logistic._cg(Z, h, mean, std, gw, gb, forcing, 100, factor)
        s = torch.cat([sw, sb[..., None]], -1).double()
        residual = torch.linalg.vector_norm((H @ s[..., None]).squeeze(-1) - g, dim=-1)
        # the recursive float32 residual drifts from the true one by ~n*d*eps relative: allow 2x
        assert (residual <= 2e-4 * torch.linalg.vector_norm(g, dim=-1)).all(), residual
        assert iterations < 100
        exact = torch.linalg.solve(H, g)
        np.testing.assert_allclose(
            s.numpy(), exact.numpy(), rtol=0, atol=1e-3 * exact.abs().max().item()
        )


def test_preconditioner_of_one_fold_on_all_rows_solves_in_two_iterations():
    # all rows, standardised as Z already is: the preconditioner is the Hessian up to the
    # intercept's unit penalty (a rank-one difference), so CG needs two steps (one float32 spare)
    torch.manual_seed(1)
    layers, n, d = 2, 300, 20
    Z = torch.randn(layers, n, 4) @ torch.randn(4, d) + 0.2 * torch.randn(layers, n, d)
    h = torch.rand(layers, 1, n) * 0.25
    factor = logistic._preconditioner(Z, h[:, 0])
    zeros, ones = torch.zeros(layers, 1, d), torch.ones(layers, 1, d)
    gw, gb = torch.randn(layers, 1, d), torch.randn(layers, 1)
    forcing = torch.full((layers, 1), 1e-4)
    _, _, iterations = logistic._cg(Z, h, zeros, ones, gw, gb, forcing, 100, factor)
    assert iterations <= 3
    _, _, plain = logistic._cg(Z, h, zeros, ones, gw, gb, forcing, 100, _identity(layers, d + 1))
    assert plain > 3 * iterations  # without it, CG pays for the correlations


def _identity(layers, size):
    return torch.eye(size).expand(layers, size, size).contiguous()


def test_cv_accuracy_equals_sklearn_cross_val_score():
    n, layers, d = 40, 2, 6
    h1, h2 = rng.standard_normal((n, layers, d)), rng.standard_normal((n, layers, d))
    h2[: n // 2] = h1[: n // 2] + 0.3 * rng.standard_normal((n // 2, layers, d))
    pairs = np.stack([np.arange(n), np.arange(n)], axis=1)
    labels = (np.arange(n) < n // 2).astype(int)
    ours = similarity.cv_accuracy(h1, h2, pairs, labels, "interaction", folds=5, seed=3)
    _assert_equals_cross_val_score(ours, h1, h2, pairs, labels, seed=3)  # counts over 8 rows


def _assert_equals_cross_val_score(ours, h1, h2, pairs, labels, seed, rows_per_feature=None):
    """``ours [layers, 5]`` (interaction features, 5 folds) equals sklearn's ``cross_val_score``;
    ``rows_per_feature``: each training fold must hold more rows than that many per feature."""
    splitter = StratifiedKFold(5, shuffle=True, random_state=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10, max_iter=100_000))
    for layer in range(h1.shape[1]):
        x = similarity.pair_features(h1, h2, pairs, layer, "interaction")
        if rows_per_feature is not None:
            assert len(x) * 4 // 5 > rows_per_feature * x.shape[1]
        # Accuracies match exactly only if no test row lies within the two solvers' disagreement
        # (~1e-6) of the boundary: check the margin first.
        for train, test in splitter.split(x, labels):
            assert (
                np.abs(model.fit(x[train], labels[train]).decision_function(x[test])).min() > 1e-4
            )
        # ratios of counts over the test rows (8 or 48 here): another count is >= 1/48 away
        np.testing.assert_allclose(
            ours[layer], cross_val_score(model, x, labels, cv=splitter), rtol=0, atol=1e-9
        )


def test_cv_accuracy_with_more_rows_than_features_equals_sklearn_at_the_default_tolerance():
    # the truncated-Newton path at the chapters' rtol (1e-5 of the mean-loss gradient; sklearn's
    # default is 1e-4): accuracies equal cross_val_score's wherever no test row lies within
    # the solvers' disagreement (measured 4e-6 on decisions up to 12) of the boundary
    n, layers, d = 240, 2, 5
    rng = np.random.default_rng(6)  # data whose test rows keep clear of the boundary
    h1 = rng.standard_normal((n, layers, d)) * 3 + 50.0  # offset features, as residual states
    h2 = rng.standard_normal((n, layers, d)) * 3 + 50.0
    h2[: n // 2] = h1[: n // 2] + rng.standard_normal((n // 2, layers, d)) * 3
    pairs = np.stack([np.arange(n), np.arange(n)], axis=1)
    labels = (np.arange(n) < n // 2).astype(int)
    ours = similarity.cv_accuracy(h1, h2, pairs, labels, "interaction", folds=5, seed=1)
    # folds with more rows than features: the CG path
    _assert_equals_cross_val_score(ours, h1, h2, pairs, labels, seed=1, rows_per_feature=1)


def _corpus_marker_pairs(n: int, d: int, seed: int):
    """Cross-corpus-like synthetic pairs: the L2 side is the same noise in both classes; the L1
    sentences of the non-parallel class carry a corpus marker (+3 on one dimension) and nothing
    else, and no L1 vector depends on its L2 partner."""
    gen = np.random.default_rng(seed)
    h1 = gen.standard_normal((2 * n, 1, d))
    h1[n:, 0, 0] += 3.0  # the other corpus
    h2 = gen.standard_normal((n, 1, d))
    pairs = np.concatenate(
        [np.stack([np.arange(n)] * 2, 1), np.stack([np.arange(n, 2 * n), np.arange(n)], 1)]
    )
    labels = np.r_[np.ones(n, int), np.zeros(n, int)]
    return h1, h2, pairs, labels


def test_a_corpus_marker_fools_concat_and_l1_only_probes_not_interaction():
    h1, h2, pairs, labels = _corpus_marker_pairs(200, 6, seed=5)
    accuracy = {
        kind: similarity.cv_accuracy(h1, h2, pairs, labels, kind, folds=5, seed=0).mean()
        for kind in similarity.FEATURES
    }
    # +3 standard deviations on one dimension: a threshold at 1.5 is right 93 % of the time
    assert accuracy["l1_only"] > 0.9 and accuracy["concat"] > 0.9
    # centred, the marker is +-1.5 against symmetric noise: |a - b| and a * b have the same
    # distribution in both classes; 400 pairs put chance within about +-0.08 (3 sd)
    assert abs(accuracy["interaction"] - 0.5) < 0.08


def test_l1_only_probe_is_blind_to_pairing():
    # derangement-like: each L1 sentence once in each class, so h1 alone cannot beat chance
    gen = np.random.default_rng(1)
    n = 100
    h1, h2 = gen.standard_normal((n, 1, 5)), gen.standard_normal((n, 1, 5))
    pairs = np.concatenate(
        [np.stack([np.arange(n)] * 2, 1), np.stack([np.arange(n), np.roll(np.arange(n), 1)], 1)]
    )
    labels = np.r_[np.ones(n, int), np.zeros(n, int)]
    assert similarity.cv_accuracy(h1, h2, pairs, labels, "l1_only", folds=5).mean() <= 0.5
    assert similarity.pair_features(h1, h2, pairs, 0, "l1_only").shape == (2 * n, 5)

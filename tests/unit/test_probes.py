"""Sparse probes: Welch t and Spearman against scipy, L0 Hard-Concrete masks."""

import numpy as np
from scipy import stats

from neuron_utils.methods import probes

from ..tolerances import U32


def test_welch_t_matches_scipy():
    rng = np.random.default_rng(0)
    a = rng.normal(0.3, 1.0, size=(3, 40, 7))
    b = rng.normal(0.0, 2.5, size=(3, 25, 7))
    expected = stats.ttest_ind(a, b, axis=-2, equal_var=False).statistic
    # float64, ~10 operations per sample: ~1e-14 of the terms; atol because t is a difference
    # of means, which can be near 0; scipy computes it by another formula, hence not 1e-14
    np.testing.assert_allclose(probes.welch_t(a, b), expected, rtol=1e-10, atol=1e-12)
    constant = np.ones((5, 2))
    assert (probes.welch_t(constant, constant) == 0).all()


def test_spearman_matches_scipy_with_ties_and_constant_rows():
    rng = np.random.default_rng(1)
    mask = np.clip(rng.normal(size=(4, 50)), 0, 1)  # many exact zeros and ones, as L0 masks have
    t = np.abs(rng.normal(size=(4, 50))) + mask
    expected = [stats.spearmanr(m, x).statistic for m, x in zip(mask, t)]
    # float64 sums of 50 rank products; atol because a correlation can be near 0
    np.testing.assert_allclose(probes.spearman(mask, t), expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(probes.spearman(np.zeros(50), t[0]))


def test_l0_probe_keeps_the_informative_dimensions_and_drops_the_rest():
    rng = np.random.default_rng(0)
    B, n, d, informative = 3, 400, 120, [3, 50, 97]
    y = np.tile(np.r_[np.ones(n // 2), np.zeros(n // 2)], (B, 1))
    scale = rng.uniform(0.5, 50, size=d)  # unequal scales: the probe standardises inside
    x = rng.normal(size=(B, n, d))
    x[:, :, informative] += (2 * y[..., None] - 1) * 1.0
    x = x * scale
    fitted = probes.train_l0(x, y, np.ones((B, n)), [0.05, 1.0], steps=300, seed=0)
    gates = fitted.gates()  # [B, 2, d]
    kept = gates[:, 0] > 0
    assert kept[:, informative].all()
    assert kept.sum(1).max() <= 6  # a few extra at most, out of 117 noise dimensions
    assert (fitted.kept()[:, 1] > 0.9).all()  # lambda = 1: no pressure, nearly everything kept
    accuracy = probes.accuracy(fitted.decision(x), y[:, None])
    assert (accuracy[:, 0] > 0.85).all()


def test_l0_probe_ignores_padding_rows():
    rng = np.random.default_rng(2)
    n, d = 200, 10
    y = np.r_[np.ones(n // 2), np.zeros(n // 2)]
    x = rng.normal(size=(n, d))
    x[:, 0] += 2 * y - 1
    padded = np.concatenate([x, rng.normal(1e3, 1.0, size=(50, d))])[None]  # garbage rows, weight 0
    weight = np.r_[np.ones(n), np.zeros(50)][None]
    a = probes.train_l0(padded, np.r_[y, np.ones(50)][None], weight, [0.2], steps=50, seed=0)
    b = probes.train_l0(x[None], y[None], np.ones((1, n)), [0.2], steps=50, seed=0)
    # The means are fp32 weighted sums over 250 and 200 rows: they differ by rounding, at most
    # n u sum|w x| (recursive summation bound), and by ~200 if a padding row (x ~ 1e3) leaked in.
    np.testing.assert_allclose(a.mean, b.mean, rtol=0, atol=250 * U32 * np.abs(x).mean(0).max())
    # 50 Adam steps carry that rounding into the weights. Adam's step lr m / sqrt(v) does not
    # depend on the gradient's scale, so a relative change d ~ 1e-6 of the inputs changes each
    # step (<= lr = 0.05) by ~d: <= 50 x 0.05 x 1e-6 = 2.5e-6 in all. Measured: 3e-8.
    np.testing.assert_allclose(a.w, b.w, rtol=1e-4, atol=1e-5)

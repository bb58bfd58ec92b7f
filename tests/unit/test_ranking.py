"""Vectorised average precision against sklearn, ties included."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from neuron_utils.methods.ranking import average_precision, pair_scores, pearson_columns

rng = np.random.default_rng(0)
AP_RTOL = 1e-6  # 16 x the bound of one fp32 rounding per term (test below)


def test_average_precision_equals_sklearn_with_ties():
    labels = rng.integers(0, 2, 300)
    scores = rng.integers(0, 5, (300, 40)).astype(np.float32)  # many ties
    scores[:, 0] = 1.0  # one threshold only
    scores[:, 1] = labels  # perfect
    ours = average_precision(scores, labels, chunk=7)
    reference = [average_precision_score(labels, scores[:, j]) for j in range(scores.shape[1])]
    # Each term (recall step x precision) is one fp32 division of exact integers (<= 2**24), summed
    # in float64: relative error <= 2**-24 = 6e-8 of a sum of positive terms.
    np.testing.assert_allclose(ours, reference, rtol=AP_RTOL, atol=0)
    assert ours[1] == 1.0  # precision 1 everywhere: every term is an exact integer


def test_average_precision_on_bf16_like_values():
    import torch

    labels = rng.integers(0, 2, 500)
    scores = torch.randn(500, 64).to(torch.bfloat16).float().numpy()  # bf16 rounding: frequent ties
    reference = [average_precision_score(labels, scores[:, j]) for j in range(64)]
    np.testing.assert_allclose(average_precision(scores, labels), reference, rtol=AP_RTOL, atol=0)


def test_average_precision_errors():
    with pytest.raises(ValueError, match="at least one positive"):
        average_precision(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="labels must be"):
        average_precision(np.zeros((3, 2)), np.zeros(4))


def test_pair_scores():
    a1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    a2 = np.array([[-3.0, 1.0], [2.0, 2.0]])
    pairs = np.array([[0, 1], [1, 0]])
    # dyadic inputs: every sum, product and halving is exact in binary floating point
    np.testing.assert_array_equal(pair_scores(a1, a2, pairs), [[1.5, 2.0], [1.75, 0.5]])
    np.testing.assert_array_equal(pair_scores(a1, a2, pairs, "product"), [[2.0, -4.0], [-1.5, 0.0]])
    with pytest.raises(ValueError, match="mean_abs, product"):
        pair_scores(a1, a2, pairs, "max")


def test_pearson_columns_equals_scipy_and_handles_constant_columns():
    from scipy.stats import pearsonr

    gen = np.random.default_rng(3)
    y = gen.integers(3, 30, size=50).astype(float)
    x = gen.standard_normal((50, 2, 3))
    x[:, 0, 0] += 0.3 * y
    x[:, 1, 2] = 1.5  # constant: 0, not NaN
    r = pearson_columns(x, y)
    assert r.shape == (2, 3) and r[1, 2] == 0.0
    for layer, neuron in [(0, 0), (0, 1), (1, 0)]:
        # float64 sums of 50 terms: agreement to ~1e-15, tested at 1e-12
        np.testing.assert_allclose(
            r[layer, neuron], pearsonr(x[:, layer, neuron], y).statistic, rtol=0, atol=1e-12
        )
    with pytest.raises(ValueError, match="same number"):
        pearson_columns(x, y[:-1])

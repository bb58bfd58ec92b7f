"""Selection nulls: permutations that respect the design, and the top-n AP's null against a
brute-force computation with scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from neuron_utils.methods.selection import permuted_labels, top_n_null

AP_RTOL = 1e-6  # as tests/unit/test_ranking.py: one fp32 rounding per term, summed in float64


def derangement_design(n_sentences: int):
    """Labels and groups of the derangement design: every L1 sentence in one parallel (1) and
    one non-parallel (0) pair."""
    return np.tile([1, 0], n_sentences), np.repeat(np.arange(n_sentences), 2)


def test_permutations_within_groups_keep_each_sentence_once_per_class():
    labels, groups = derangement_design(10)
    perms = permuted_labels(labels, groups, 400, seed=1)
    assert perms.shape == (400, 20)
    per_group = perms.reshape(400, 10, 2)
    assert (per_group.sum(2) == 1).all()  # one parallel and one non-parallel pair per sentence
    swapped = (per_group[:, :, 0] == 0).mean(0)  # each sentence's pairs swap about half the time
    assert ((swapped > 0.4) & (swapped < 0.6)).all(), swapped
    np.testing.assert_array_equal(perms, permuted_labels(labels, groups, 400, seed=1))
    assert (perms != permuted_labels(labels, groups, 400, seed=2)).any()


def test_permutations_across_all_pairs_and_any_group_ids():
    labels = np.array([1] * 7 + [0] * 5)
    perms = permuted_labels(labels, None, 300, seed=0)
    assert (np.sort(perms, axis=1) == np.sort(labels)).all()  # the same labels, reordered
    assert 0.5 < perms[:, 0].mean() < 0.67  # 7/12 positives land anywhere
    # groups by name, of unequal sizes, in any order: each keeps its labels
    groups = np.array(list("abcabcaabbcc"))
    perms = permuted_labels(labels, groups, 50, seed=0)
    for name in "abc":
        members = groups == name
        assert (np.sort(perms[:, members], axis=1) == np.sort(labels[members])).all()
    with pytest.raises(ValueError, match="groups has 3 entries for 12 labels"):
        permuted_labels(labels, groups[:3], 5)
    with pytest.raises(ValueError, match="n_permutations=0"):
        permuted_labels(labels, None, 0)


@pytest.mark.parametrize("groups", ["derangement", None])
def test_null_equals_sklearn_on_each_permutation(groups):
    labels, sentence = derangement_design(12)
    groups = sentence if groups else None
    rng = np.random.default_rng(4)
    scores = rng.standard_normal((24, 30)).astype(np.float32)
    scores[:, :5] = rng.integers(0, 3, (24, 5))  # ties
    n_top, n_perm = 4, 15
    result = top_n_null(scores, labels, n_top, groups, n_permutations=n_perm, seed=7, chunk=8)

    real = np.array([average_precision_score(labels, scores[:, j]) for j in range(30)])
    perms = permuted_labels(labels, groups, n_perm, seed=7)  # the same draws
    null = np.array([[average_precision_score(y, scores[:, j]) for j in range(30)] for y in perms])
    np.testing.assert_allclose(result.ap, real, rtol=AP_RTOL, atol=0)
    np.testing.assert_allclose(
        result.null_by_rank, -np.sort(-null, axis=1)[:, :n_top], rtol=AP_RTOL, atol=0
    )
    np.testing.assert_allclose(result.observed, np.sort(real)[::-1][:n_top].mean(), rtol=AP_RTOL)
    np.testing.assert_allclose(result.max_null, null.max(1), rtol=AP_RTOL)
    # counts of permutations at least as good; an AP equal to the real one up to rounding may
    # fall on either side
    low = 1 + (null > real + 1e-9).sum(0)
    high = 1 + (null >= real - 1e-9).sum(0)
    counts = result.column_p * (1 + n_perm)
    assert ((low - 1e-9 <= counts) & (counts <= high + 1e-9)).all()
    assert result.p_value == (1 + (result.null >= result.observed).sum()) / (1 + n_perm)


def test_without_an_effect_the_top_ap_is_high_and_its_p_value_uniform():
    """The point of the null: the top 10 of 300 random columns have a mean AP far above 0.5,
    and the permutation p-value says that this is what selection alone gives."""
    labels, groups = derangement_design(30)
    p_values, observed, inside = [], [], []
    for repeat in range(40):
        scores = np.random.default_rng(100 + repeat).standard_normal((60, 300))
        result = top_n_null(scores, labels, 10, groups, n_permutations=49, seed=repeat)
        p_values.append(result.p_value)
        observed.append(result.observed)
        low, high = np.quantile(result.null, [0.025, 0.975])
        inside.append(low <= result.observed <= high)
    p_values = np.array(p_values)
    # measured: observed >= 0.659 (null mean 0.68), p mean 0.48, 5 % of p <= 0.1, 92 % inside
    assert min(observed) > 0.6  # selection alone, far above chance (0.5)
    assert 0.35 < p_values.mean() < 0.65 and (p_values <= 0.1).mean() <= 0.2, p_values
    assert np.mean(inside) >= 0.8  # the observed value sits in the null's 95 % band


def test_planted_columns_are_found_and_significant():
    labels, groups = derangement_design(30)
    rng = np.random.default_rng(8)
    scores = rng.standard_normal((60, 40))
    planted = [3, 11, 17, 25, 38]
    scores[:, planted] += 3.0 * labels[:, None]  # positives score higher: AP near 1
    result = top_n_null(scores, labels, 5, groups, n_permutations=399, seed=0)
    assert result.p_value == 1 / 400 and result.observed > 0.95
    assert result.observed > result.null_q95 and result.null_mean < result.observed
    np.testing.assert_array_equal(np.flatnonzero(result.beyond_familywise()), planted)
    found = result.beyond_false_discovery()
    assert found[planted].all() and found.sum() <= len(planted) + 1
    assert (result.column_p[planted] == 1 / 400).all()


def test_bad_sizes_are_named():
    labels, groups = derangement_design(3)
    with pytest.raises(ValueError, match=r"n_top=7 must be in 1\.\.6"):
        top_n_null(np.zeros((6, 6)), labels, 7, groups)
    with pytest.raises(ValueError, match="at least one positive"):
        top_n_null(np.zeros((6, 6)), np.zeros(6), 1)

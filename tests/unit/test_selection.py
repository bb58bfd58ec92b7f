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


# --------------------------------------------------------------------------- re-pairing null


def derangement_pairs(n: int, seed: int = 0):
    """The derangement design's pairs: (i, i) parallel, (i, sigma(i)) non-parallel."""
    from neuron_utils.data.parallel import derangement

    sigma = derangement(n, np.random.default_rng(seed))
    pairs = np.concatenate([np.stack([np.arange(n)] * 2, 1), np.stack([np.arange(n), sigma], 1)])
    return pairs, np.r_[np.ones(n, int), np.zeros(n, int)]


def test_re_pairings_keep_every_sentence_once_per_class_and_make_no_real_pair():
    from neuron_utils.methods.selection import _other_pairings

    pairs, labels = derangement_pairs(12)
    parallel, other = pairs[labels == 1], pairs[labels == 0]
    taken = {tuple(p) for p in pairs.tolist()}
    pairings = _other_pairings(parallel, other, 200, np.random.default_rng(0))
    for rows in pairings:
        assert sorted(rows[:, 0]) == sorted(rows[:, 1]) == list(range(12))  # once per class
        assert not taken & {tuple(p) for p in rows.tolist()}
    assert len({r.tobytes() for r in pairings}) > 150  # not a handful of pairings repeated


def test_pairing_null_real_ap_equals_sklearn_and_its_null_is_a_real_re_pairing():
    from neuron_utils.methods.selection import _other_pairings, pairing_null

    rng = np.random.default_rng(3)
    pairs, labels = derangement_pairs(30)
    a1, a2 = rng.standard_normal((30, 25)), rng.standard_normal((30, 25))
    a1[:, :4] = np.round(a1[:, :4])  # ties
    null = pairing_null(a1, a2, pairs, labels, n_top=5, n_permutations=15, seed=2, chunk=10)
    scores = (np.abs(a1[pairs[:, 0]]) + np.abs(a2[pairs[:, 1]])) / 2
    scores = scores.astype(np.float32)  # the scores are ranked in float32
    expected = [average_precision_score(labels, scores[:, c]) for c in range(25)]
    np.testing.assert_allclose(null.ap, expected, rtol=AP_RTOL)
    # the null's top AP of each permutation: that of the same re-pairing, scored by sklearn
    pairings = _other_pairings(pairs[:30], pairs[30:], 15, np.random.default_rng(2))
    for k, rows in enumerate(pairings):
        both = np.concatenate([rows, pairs[30:]])
        s = ((np.abs(a1[both[:, 0]]) + np.abs(a2[both[:, 1]])) / 2).astype(np.float32)
        best = max(average_precision_score(labels, s[:, c]) for c in range(25))
        assert null.null_by_rank[k, 0] == pytest.approx(best, rel=AP_RTOL)


def test_pairing_null_without_pairing_signal_is_uniform_and_finds_planted_translations():
    from neuron_utils.methods.selection import pairing_null

    rng = np.random.default_rng(0)
    pairs, labels = derangement_pairs(40)
    p_values = []
    for repeat in range(20):  # no link between a sentence and its translation
        a1, a2 = rng.gamma(1.0, 1.0, (40, 300)), rng.gamma(1.0, 1.0, (40, 300))
        p_values.append(pairing_null(a1, a2, pairs, labels, 20, 19, seed=repeat).p_value)
    assert 0.25 < np.mean(p_values) < 0.75 and min(p_values) < 0.5 < max(p_values)
    # plant: 10 sparse neurons, active on a sentence exactly when active on its translation
    a1, a2 = rng.gamma(1.0, 1.0, (40, 300)), rng.gamma(1.0, 1.0, (40, 300))
    active = rng.random((40, 10)) < 0.3
    a1[:, :10] = 4 * active + 0.1 * rng.random((40, 10))
    a2[:, :10] = 4 * active + 0.1 * rng.random((40, 10))
    null = pairing_null(a1, a2, pairs, labels, 10, 39, seed=0)
    assert null.p_value == pytest.approx(1 / 40)
    assert set(np.flatnonzero(null.beyond_familywise())) <= set(range(10))
    assert null.beyond_familywise()[:10].sum() >= 5


def test_pairing_null_refuses_designs_where_a_sentence_is_not_once_per_class():
    from neuron_utils.methods.selection import pairing_null

    pairs = np.array([[0, 0], [1, 1], [2, 2], [3, 3], [4, 5], [5, 4]])  # disjoint-like
    with pytest.raises(ValueError, match="every sentence once in each class"):
        pairing_null(np.ones((6, 3)), np.ones((6, 3)), pairs, np.array([1, 1, 1, 0, 0, 0]), 1)


def test_the_null_top_columns_hold_the_null_aps_by_rank():
    scores = np.random.default_rng(1).standard_normal((30, 8))
    labels = np.r_[np.ones(15, int), np.zeros(15, int)]
    null = top_n_null(scores, labels, 3, None, 25, seed=0, chunk=3)
    perms = permuted_labels(labels, None, 25, seed=0)
    for k, perm in enumerate(perms):
        aps = [average_precision_score(perm, scores[:, c]) for c in null.null_columns[k]]
        np.testing.assert_allclose(aps, null.null_by_rank[k], rtol=AP_RTOL)

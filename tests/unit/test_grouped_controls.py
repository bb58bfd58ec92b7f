"""Grouped folds and held-out halves of pair sets, grouped CV against scikit-learn, and random
neuron sets matched by magnitude decile."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from neuron_utils import data
from neuron_utils.core.neurons import NeuronSet
from neuron_utils.methods import similarity


@pytest.mark.parametrize("design", data.DESIGNS)
@pytest.mark.parametrize("folds", [2, 3, 5])
def test_grouped_folds_share_no_sentence_and_keep_the_classes_balanced(design, folds):
    ps = data.make_pairs("bundled", "en", "ja", 20, design, seed=1)
    grouped, fold = ps.regrouped(folds, seed=4)
    assert len(fold) == len(grouped.pairs) == 40 and sorted(set(fold)) == list(range(folds))
    rows = {}  # translation row of each text: a sentence and its translation are one group
    for i, (a, b) in enumerate(zip(grouped.l1_texts, grouped.l2_texts, strict=False)):
        rows[("l1", a)] = rows[("l2", b)] = i
    for i in range(len(grouped.l2_texts), len(grouped.l1_texts)):  # other-corpus sentences
        rows[("l1", grouped.l1_texts[i])] = ("other", i)
    for k in range(folds):
        groups = {
            part: {
                rows[(side, texts[j])]
                for pair in grouped.pairs[where]
                for side, texts, j in (
                    ("l1", grouped.l1_texts, pair[0]),
                    ("l2", grouped.l2_texts, pair[1]),
                )
            }
            for part, where in (("train", fold != k), ("test", fold == k))
        }
        assert not groups["train"] & groups["test"]
        labels = grouped.labels[fold == k]
        assert labels.sum() == (labels == 0).sum() >= 2  # one non-parallel pair per parallel one
    # the design is kept: parallel pairs are translations, every non-parallel pair is not
    parallel = grouped.pairs[grouped.labels == 1]
    assert (parallel[:, 0] == parallel[:, 1]).all()
    assert (grouped.pairs[grouped.labels == 0, 0] != grouped.pairs[grouped.labels == 0, 1]).all()
    if design == "derangement":  # the same sentences in both classes
        assert sorted(grouped.pairs[grouped.labels == 0, 0]) == list(range(20))
        assert sorted(grouped.pairs[grouped.labels == 0, 1]) == list(range(20))
    if design == "cross-corpus":  # nothing to re-pair: the pairs as they were
        assert (grouped.pairs == ps.pairs).all()


def test_halves_are_pair_sets_of_the_same_design_with_no_shared_sentence():
    ps = data.make_pairs("bundled", "en", "it", 24, "derangement", seed=0)
    first, second = ps.halves(seed=0)
    assert first.n_per_class == second.n_per_class == 12
    assert not set(first.l1_texts) & set(second.l1_texts)
    assert not set(first.l2_texts) & set(second.l2_texts)
    translation = dict(zip(ps.l1_texts, ps.l2_texts, strict=True))
    for half in (first, second):
        assert [translation[t] for t in half.l1_texts] == half.l2_texts  # rows stay aligned
        assert sorted(half.pairs[half.labels == 0, 1]) == list(range(12))
    with pytest.raises(ValueError, match="13 folds of 24 pairs per class: need 2..12"):
        ps.regrouped(13)


def test_grouped_cv_equals_sklearn_on_the_same_folds():
    rng = np.random.default_rng(0)
    ps = data.make_pairs("bundled", "en", "ja", 30, "disjoint", seed=2)
    h1 = rng.standard_normal((len(ps.l1_texts), 2, 6))
    h2 = rng.standard_normal((len(ps.l2_texts), 2, 6))
    grouped, fold = ps.regrouped(3, seed=1)
    ours = similarity.cv_accuracy(
        h1, h2, grouped.pairs, grouped.labels, "concat", fold_of_pair=fold
    )
    for layer in range(2):
        x = similarity.pair_features(h1, h2, grouped.pairs, layer, "concat")
        pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=10_000))
        expected = cross_val_score(pipeline, x, grouped.labels, cv=PredefinedSplit(fold))
        np.testing.assert_allclose(ours[layer], expected, atol=1e-12)


def test_in_the_derangement_design_the_l1_side_alone_scores_exactly_chance_with_grouped_folds():
    rng = np.random.default_rng(1)
    ps = data.make_pairs("bundled", "en", "nl", 30, "derangement", seed=0)
    h1 = rng.standard_normal((30, 3, 5))
    h1[:, :, 0] += np.arange(30)[:, None]  # a strong per-sentence feature
    grouped, fold = ps.regrouped(5, seed=0)
    accuracy = similarity.cv_accuracy(
        h1, h1, grouped.pairs, grouped.labels, "l1_only", fold_of_pair=fold
    )
    np.testing.assert_array_equal(accuracy, 0.5)  # each test sentence once in each class
    ungrouped = similarity.cv_accuracy(h1, h1, ps.pairs, ps.labels, "l1_only", folds=5)
    assert ungrouped.mean() < 0.5  # a sentence seen with the other label in training


def test_magnitude_matched_draws_fall_in_the_set_deciles_outside_the_set():
    rng = np.random.default_rng(0)
    magnitude = rng.gamma(1.0, 1.0, (3, 1000))
    reference = NeuronSet.top_n(magnitude * rng.random((3, 1000)), 30)  # favours active neurons
    exclude = NeuronSet(rng.random((3, 1000)) < 0.1)
    drawn, fallback = NeuronSet.random_magnitude_matched(reference, magnitude, 7, exclude)
    assert fallback == 0
    assert not (drawn.mask & (reference.mask | exclude.mask)).any()
    np.testing.assert_array_equal(drawn.per_layer(), reference.per_layer())
    for layer in range(3):
        cuts = np.quantile(magnitude[layer], np.arange(1, 10) / 10)
        decile = np.searchsorted(cuts, magnitude[layer], "right")
        np.testing.assert_array_equal(
            np.bincount(decile[drawn.mask[layer]], minlength=10),
            np.bincount(decile[reference.mask[layer]], minlength=10),
        )
    same, _ = NeuronSet.random_magnitude_matched(reference, magnitude, 7, exclude)
    assert same == drawn  # seeded
    # the plain count-matched draw is much quieter than the set; the matched one is not
    plain = NeuronSet.random_matched(reference, 7, exclude)
    assert magnitude[drawn.mask].mean() > 2 * magnitude[plain.mask].mean()


def test_a_decile_that_runs_out_is_filled_from_the_nearest_and_counted():
    magnitude = np.arange(40, dtype=float)[None, :]  # deciles of 4 neurons: 0-3, 4-7, ...
    reference = NeuronSet(np.isin(np.arange(40), [36, 37, 38])[None, :])  # 3 of the top decile
    drawn, fallback = NeuronSet.random_magnitude_matched(reference, magnitude, 0)
    # one neuron (39) left in the top decile: two come from the decile below (32-35)
    assert fallback == 2
    assert set(np.flatnonzero(drawn.mask[0])) - {39} <= {32, 33, 34, 35}
    assert drawn.mask[0, 39]
    with pytest.raises(ValueError, match="layer 0: 3 neurons asked, only 2 outside"):
        NeuronSet.random_magnitude_matched(
            reference, magnitude, 0, NeuronSet(np.arange(40)[None, :] < 35)
        )

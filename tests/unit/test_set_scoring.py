"""Neuron-set scoring (methods.set_scoring) against hand computations on a few sentences."""

from types import SimpleNamespace

import numpy as np
import pytest

from neuron_utils.core.activations import TextActivations
from neuron_utils.core.neurons import NeuronSet
from neuron_utils.methods import set_scoring

EPS = 0.01


def _layer(*columns):
    """``[pairs, 1 layer, neurons]`` from one list of per-pair values per neuron."""
    return np.array(columns, dtype=np.float32).T[:, None, :]


def test_different_meaning_sums_both_sides_over_pairs_active_on_both():
    a1 = _layer([0.5, 0.0, -0.2], [-0.3, -0.3, 0.02], [0, 0, 0], [0.6, 0, 0], [0.01, 0.5, 0.5])
    a2 = _layer([0.1, 0.3, 0.005], [0.2, -0.4, 0.02], [0, 0, 0], [0, 0, 0], [0.5, 0.01, 0.2])
    scores = set_scoring.different_meaning_scores(a1, a2, EPS)
    # n0: pair 0 only (0.5 + 0.1); n1: all three (0.5 + 0.7 + 0.04); n2, n3: never both active;
    # n4: |a| = 0.01 is not active (strictly above epsilon), so pair 2 only (0.5 + 0.2)
    np.testing.assert_allclose(scores, [[0.6, 1.24, 0, 0, 0.7]], rtol=1e-6)
    # four asked, three have a positive score
    np.testing.assert_array_equal(
        set_scoring.top_positive(scores, 4).mask, [[True, True, False, False, True]]
    )
    np.testing.assert_array_equal(
        set_scoring.top_positive(scores, 1).mask, [[False, True, False, False, False]]
    )


def test_task_language_counts_pairs_active_on_the_task_side_only():
    task = _layer([0.5, 0.02, 0.01], [0.3, 0.3, 0.3])
    other = _layer([0.0, 0.01, 0.0], [0.3, 0.0, 0.02])
    # n0: pairs 0 and 1 (other <= epsilon), pair 2 not active on the task side -> 0.52
    # n1: only pair 1 (others active on the other side too) -> 0.3
    np.testing.assert_allclose(
        set_scoring.one_sided_scores(task, other, EPS), [[0.52, 0.3]], rtol=1e-6
    )


def test_ties_are_broken_by_position():
    # the two 2.0s first, then the first of the three tied 1.0s (layer 0, neuron 0)
    scores = np.array([[1.0, 2.0, 1.0], [1.0, 0.0, 2.0]])
    np.testing.assert_array_equal(
        set_scoring.top_positive(scores, 3).mask, [[True, True, False], [False, False, True]]
    )


# four English and four Japanese sentences, one layer of three neurons (columns): n0 fires on
# the parallel pairs, n1 strongly on both sides of the non-parallel ones, n2 on one side here
# and there
EN = np.array([[0.8, 0.0, 0.45], [0.6, 0.5, 0.0], [0.1, 2.0, 0.3], [0.0, 1.5, 0.0]])
JA = np.array([[0.9, 0.3, 0.0], [0.7, 0.0, 0.4], [0.0, 1.0, 0.0], [0.2, 2.5, 0.3]])


def _pairs():
    """Parallel pairs (0, 0), (1, 1); non-parallel (2, 3), (3, 2) (the disjoint design)."""
    en = [f"en {k}" for k in range(4)]
    ja = [f"ja {k}" for k in range(4)]
    ps = SimpleNamespace(
        l1="en",
        l2="ja",
        l1_texts=en,
        l2_texts=ja,
        pairs=np.array([[0, 0], [1, 1], [2, 3], [3, 2]]),
        labels=np.array([1, 1, 0, 0]),
    )
    acts = {
        lang: TextActivations({"neurons": a[:, None, :]}, {t: k for k, t in enumerate(texts)})
        for lang, a, texts in (("en", EN, en), ("ja", JA, ja))
    }
    return ps, acts


def test_set_scores_by_hand():
    ps, acts = _pairs()
    scores = set_scoring.set_scores(ps, acts, "neurons", EPS)
    # pair scores (|a1| + |a2|) / 2, parallel (P) and non-parallel (N), ranked:
    # n0: P .85, P .65, N .15, N 0 -> AP 1; n1: N 2.25, N 1.25, P .25, P .15 -> (1/3 + 2/4) / 2;
    # n2: N .30, P .225, P .20, N 0 -> (1/2 + 2/3) / 2
    np.testing.assert_allclose(scores.ap, [[1.0, (1 / 3 + 1 / 2) / 2, (1 / 2 + 2 / 3) / 2]])
    # non-parallel pairs (en 2, ja 3) and (en 3, ja 2), both sides active:
    # n0: 0.1 + 0.2 (the other pair is silent on both); n1: 2.0 + 2.5 and 1.5 + 1.0; n2: 0.3 + 0.3
    np.testing.assert_allclose(scores.different, [[0.3, 7.0, 0.6]], rtol=1e-6)
    # parallel pairs, active on one side only: English n1 0.5 (pair 1), n2 0.45 (pair 0);
    # Japanese n1 0.3 (pair 0), n2 0.4 (pair 1); n0 is active on both sides of both pairs
    np.testing.assert_allclose(scores.only["en"], [[0.0, 0.5, 0.45]], rtol=1e-6)
    np.testing.assert_allclose(scores.only["ja"], [[0.0, 0.3, 0.4]], rtol=1e-6)
    # mean |a| over the eight sentences
    np.testing.assert_allclose(scores.magnitude, [[3.3 / 8, 7.8 / 8, 1.45 / 8]], rtol=1e-6)

    def members(s: NeuronSet) -> list[int]:
        return np.flatnonzero(s.mask[0]).tolist()

    one = {name: members(s) for name, s in scores.sets(1).items()}
    assert one == {"same": [0], "different": [1], "only en": [1], "only ja": [2], "magnitude": [1]}
    two = {name: members(s) for name, s in scores.sets(2).items()}
    assert two == {
        "same": [0, 2],
        "different": [1, 2],
        "only en": [1, 2],
        "only ja": [1, 2],
        "magnitude": [0, 1],
    }
    # n0 never fires on one side only: asked for three, the task-language sets hold two
    assert len(scores.task_language("en", 3)) == len(scores.task_language("ja", 3)) == 2


def test_matched_random_draws_outside_the_sets_and_falls_back_where_no_room_is_left():
    reference = NeuronSet.from_indices({0: [0], 1: [1, 2]}, 2, 4)
    union = NeuronSet.from_indices({0: [0, 1, 2], 1: [0, 1, 2]}, 2, 4)
    # one neuron per layer is left outside the union: a count of 1 in layer 0 takes it
    drawn, fallback = set_scoring.matched_random(
        NeuronSet.from_indices({0: [0], 1: [2]}, 2, 4), 0, union
    )
    assert drawn.indices()[0].tolist() == [3] and drawn.indices()[1].tolist() == [3]
    assert fallback == 0
    # layer 1 asks for two, one is left outside the union: drawn outside the reference instead
    drawn, _ = set_scoring.matched_random(reference, 0, union, fallback=reference)
    assert drawn.per_layer().tolist() == [1, 2] and not (drawn.mask & reference.mask).any()
    with pytest.raises(ValueError, match="layer 1: 2 neurons asked"):
        set_scoring.matched_random(reference, 0, union, fallback=union)


def test_magnitude_matched_draw_counts_neurons_from_a_neighbouring_decile():
    reference = NeuronSet.from_indices({0: [0]}, 1, 4)
    outside = NeuronSet.from_indices({0: [0, 1, 2]}, 1, 4)
    magnitude = np.array([[0.1, 0.2, 0.3, 0.4]])  # n0 in the lowest decile, n3 in the highest
    drawn, fallback = set_scoring.matched_random(reference, 0, outside, None, magnitude)
    # the only free neuron is n3, in another decile than n0: one neuron from elsewhere
    assert drawn.indices()[0].tolist() == [3] and fallback == 1
    # with room in its own decile (n0's twin), nothing falls back
    twin = np.array([[0.1, 0.1, 0.3, 0.4]])
    drawn, fallback = set_scoring.matched_random(reference, 0, None, None, twin)
    assert drawn.indices()[0].tolist() == [1] and fallback == 0

"""Chapter 6: neuron sets on hand-made activations, the released code's layer matching,
conditions, parameter checks, and the smoke run's summary."""

import math

import numpy as np
import pytest

from neuron_utils.chapters import ch06_ablations as ch
from neuron_utils.core.interventions import Intervention
from neuron_utils.core.lm_scoring import pair_preferences_under
from neuron_utils.core.neurons import NeuronSet

from ..helpers import SENTENCES, tiny_model

EPS = 0.01


def _layer(*columns):
    """``[pairs, 1 layer, neurons]`` from one list of per-pair values per neuron."""
    return np.array(columns, dtype=np.float32).T[:, None, :]


def test_different_meaning_sums_both_sides_over_pairs_active_on_both():
    a1 = _layer([0.5, 0.0, -0.2], [-0.3, -0.3, 0.02], [0, 0, 0], [0.6, 0, 0], [0.01, 0.5, 0.5])
    a2 = _layer([0.1, 0.3, 0.005], [0.2, -0.4, 0.02], [0, 0, 0], [0, 0, 0], [0.5, 0.01, 0.2])
    scores = ch.different_meaning_scores(a1, a2, EPS)
    # n0: pair 0 only (0.5 + 0.1); n1: all three (0.5 + 0.7 + 0.04); n2, n3: never both active;
    # n4: |a| = 0.01 is not active (strictly above epsilon), so pair 2 only (0.5 + 0.2)
    np.testing.assert_allclose(scores, [[0.6, 1.24, 0, 0, 0.7]], rtol=1e-6)
    # four asked, three have a positive score
    np.testing.assert_array_equal(
        ch.top_positive(scores, 4).mask, [[True, True, False, False, True]]
    )
    np.testing.assert_array_equal(
        ch.top_positive(scores, 1).mask, [[False, True, False, False, False]]
    )


def test_task_language_counts_pairs_active_on_the_task_side_only():
    task = _layer([0.5, 0.02, 0.01], [0.3, 0.3, 0.3])
    other = _layer([0.0, 0.01, 0.0], [0.3, 0.0, 0.02])
    # n0: pairs 0 and 1 (other <= epsilon), pair 2 not active on the task side -> 0.52
    # n1: only pair 1 (others active on the other side too) -> 0.3
    np.testing.assert_allclose(ch.one_sided_scores(task, other, EPS), [[0.52, 0.3]], rtol=1e-6)


def test_ties_are_broken_by_position():
    # the two 2.0s first, then the first of the three tied 1.0s (layer 0, neuron 0)
    scores = np.array([[1.0, 2.0, 1.0], [1.0, 0.0, 2.0]])
    np.testing.assert_array_equal(
        ch.top_positive(scores, 3).mask, [[True, True, False], [False, False, True]]
    )


def test_released_code_layers_on_18_layers():
    one = NeuronSet.from_indices({1: [3]}, 18, 5)
    assert ch.released_code_layers(one).indices().keys() == {1, *range(10, 18)}
    assert ch.released_code_layers(NeuronSet.from_indices({0: [0]}, 18, 5)).indices().keys() == {
        0,
        10,
    }
    assert ch.released_code_layers(NeuronSet.from_indices({8: [0]}, 18, 5)).indices().keys() == {8}
    # two listed layers hitting one layer: the union, counted once
    both = ch.released_code_layers(NeuronSet.from_indices({1: [2], 11: [2, 4]}, 18, 5))
    assert both.indices()[11].tolist() == [2, 4] and len(both) == 1 + 8 + 1
    # layer 1 is in 9 of 18 layer names: 9 zeroed per listed neuron
    assert len(ch.released_code_layers(NeuronSet.from_indices({1: [0, 1]}, 18, 5))) == 18


def test_uniform_counts_spread_neurons_evenly():
    s = ch.uniform_counts(40, 18, 10)
    assert len(s) == 40 and set(s.per_layer().tolist()) == {2, 3}


def test_zeroing_an_empty_set_leaves_every_preference_unchanged():
    model = tiny_model("gemma3")
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    everything = empty.complement()
    got = pair_preferences_under(
        model,
        SENTENCES[:3],
        SENTENCES[3:6],
        {
            "none": [],
            "empty": [Intervention(empty, "zero")],
            "all": [Intervention(everything, "zero")],
        },
        cache=False,
    )
    np.testing.assert_array_equal(got["empty"], got["none"])
    assert not np.array_equal(got["all"], got["none"])


def test_every_set_has_its_random_and_released_conditions():
    p = ch.Parameters(N_RANDOM_SEEDS=2)
    en = ch.conditions_for("en", p)
    ja = ch.conditions_for("ja", p)
    keys = {c.key for c in en}
    assert len(keys) == len(en)  # no condition twice
    for name in ("same", "different", "only en", "magnitude"):
        assert ch.Condition(name, "random", p.ABLATE_FRACTION, 1).key in keys
    assert ch.Condition("only ja", "exact", p.ABLATE_FRACTION).key not in keys
    assert ch.Condition("magnitude", "released", p.ABLATE_FRACTION).key not in keys
    # Japanese: its own task set and the released code's English one
    ja_keys = {c.key for c in ja}
    assert {ch.Condition(n, "exact", 0.05).key for n in ("only ja", "only en")} <= ja_keys
    assert ch.Condition("uniform", "random", 0.005, 0).key in ja_keys
    # the second design's sets: exact and random at the main fraction only, not released
    for name in ("same (cross-corpus)", "different (cross-corpus)"):
        assert ch.Condition(name, "random", p.ABLATE_FRACTION, 1).key in keys
        assert ch.Condition(name, "exact", 0.05).key not in keys
        assert ch.Condition(name, "released", p.ABLATE_FRACTION).key not in keys
    none = ch.Parameters(N_RANDOM_SEEDS=2, SECOND_DESIGN="none")
    assert not any("(" in c.set for c in ch.conditions_for("en", none))


def test_parameters_are_checked():
    with pytest.raises(ValueError, match="L2='en' must differ from L1='en'"):
        ch.Parameters(L2="en")
    with pytest.raises(ValueError, match="ABLATE_FRACTION=0.5 must be a number in"):
        ch.Parameters(ABLATE_FRACTION=0.5)
    with pytest.raises(ValueError, match="SECOND_DESIGN='disjoint' must differ from DESIGN"):
        ch.Parameters(SECOND_DESIGN="disjoint")
    with pytest.raises(ValueError, match="OTHER_CORPUS='bundled' is not allowed"):
        ch.Parameters(OTHER_CORPUS="bundled").validate()
    with pytest.raises(ValueError, match="N_PAIRS_SECOND=241 is more than the data has"):
        ch.Parameters(N_PAIRS_SECOND=241).validate()
    ch.Parameters(SECOND_DESIGN="none", OTHER_CORPUS="bundled").validate()  # not used: not checked


@pytest.mark.smoke
def test_chapter_06_summary(smoke):
    run = smoke("06")
    summary, n_all = run.results["summary"], run.neurons
    assert summary["n_all"] == n_all and summary["n_ablate"] == round(0.0218 * n_all)
    # the sets chosen again on halves of the pairs; APs of sets of neurons
    for key in ("half_overlap_same", "half_overlap_different", "random_overlap"):
        assert 0 <= summary[key] <= 1
    for key in ("same_ap_in_sample", "same_ap_held_out", "same_ap_matched"):
        assert 0 < summary[key] <= 1
    assert summary["same_ap_in_sample"] >= summary["same_ap_held_out"]  # chosen there: the top
    # |a|-matched random sets on every set chosen from the pairs, one per seed and benchmark
    for lang in ("en", "ja"):
        for role in ("same", "different", "task"):
            assert summary[f"verdict_matched_{lang}_{role}"].endswith("its |a|-matched random sets")
            assert -1 <= summary[f"vs_matched_{lang}_{role}"] <= 1
    assert 0 <= summary["matched_fallback_pct"] <= 100
    assert summary["set_names"] == [
        "same",
        "different",
        "only en",
        "only ja",
        "magnitude",
        "same (cross-corpus)",
        "different (cross-corpus)",
    ]
    assert summary["second_design"] == "cross-corpus"
    en_rows = {row["role"]: row for row in summary["benchmarks"]["en"]}
    assert en_rows["same_second"]["condition"] == "same meaning (cross-corpus)"
    assert en_rows["different_second"]["zeroed"] == summary["size_different_cross_corpus"]
    assert 0 <= summary["jaccard_same_second_main"] <= 1
    assert summary["n_paradigms_en"] == 14 and summary["n_pairs_ja"] == 10
    assert summary["accuracy_en_none"] == summary["accuracy_en_none"]  # a number, not NaN
    assert set(summary["dose"]) == {"en", "ja"}
    # on 18 layers "1, 10, ..., 17" (test_released_code_layers_on_18_layers)
    released = [str(j) for j in range(run.layers) if "1" in str(j)]
    assert summary["released_layers_of_1"] == ", ".join(released)
    rows = {row["role"]: row for row in summary["benchmarks"]["ja"]}
    assert rows["task_released"]["condition"] == "task language as released (en)"
    for row in rows.values():
        assert row["low"] <= row["accuracy"] <= row["high"]
    # Table 1's contrasts are the same arithmetic on the rows' accuracies, with an interval
    for lang in ("en", "ja"):
        acc = {row["role"]: row["accuracy"] for row in summary["benchmarks"][lang]}
        tol = dict(rel=0, abs=1e-12)  # sums of a few accuracies in float64
        assert summary[f"different_minus_same_{lang}"] == pytest.approx(
            acc["different"] - acc["same"], **tol
        )
        assert summary[f"different_beyond_twice_task_{lang}"] == pytest.approx(
            (acc["none"] - acc["different"]) - 2 * (acc["none"] - acc["task"]), **tol
        )
        for name in ("different_minus_same", "different_beyond_twice_task"):
            assert summary[f"{name}_low_{lang}"] <= summary[f"{name}_high_{lang}"]
    assert summary["different_beyond_twice_task_released_ja"] == pytest.approx(
        (rows["none"]["accuracy"] - rows["different"]["accuracy"])
        - 2 * (rows["none"]["accuracy"] - rows["task_released"]["accuracy"]),
        rel=0,
        abs=1e-12,
    )
    assert math.isnan(summary["different_beyond_twice_task_released_en"])  # en's own set

"""Chapter 6: the released code's layer matching, conditions, parameter checks, the claims'
rules on their cases, the typed summary as tables and prose read it, and the smoke run's
summary. (The sets' scores: tests/unit/test_set_scoring.py.)"""

import json
import math

import numpy as np
import pytest

from neuron_utils.book import registry
from neuron_utils.chapters import ch06_ablations as ch
from neuron_utils.chapters.ch06_ablations.summary import (
    benchmark_key,
    ci_key,
    row_key,
    table_row,
)
from neuron_utils.core.interventions import Intervention
from neuron_utils.core.lm_scoring import pair_preferences_under
from neuron_utils.core.neurons import NeuronSet
from neuron_utils.kit.claims import Verdict
from neuron_utils.kit.summary import Interval
from neuron_utils.methods.bootstrap import Comparison

from ..helpers import SENTENCES, tiny_model


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
    with pytest.raises(ValueError, match=r"ABLATE_FRACTION=0.0 must be a number in \(0.0, 0.2\]"):
        ch.Parameters(ABLATE_FRACTION=0.0)
    with pytest.raises(ValueError, match="SECOND_DESIGN='disjoint' must differ from DESIGN"):
        ch.Parameters(SECOND_DESIGN="disjoint")
    with pytest.raises(ValueError, match="DESIGN='paired' is not allowed; choose one of"):
        ch.Parameters(DESIGN="paired")
    with pytest.raises(ValueError, match="DOSE_FRACTIONS=.* must be a non-empty list"):
        ch.Parameters(DOSE_FRACTIONS=[0.5])
    with pytest.raises(ValueError, match="N_BOOTSTRAP=50 must be an integer in >= 100"):
        ch.Parameters(N_BOOTSTRAP=50)
    with pytest.raises(ValueError, match="MIN_PAIRS=7 must be an integer in 1..6"):
        ch.Parameters(MIN_PAIRS=7)
    with pytest.raises(ValueError, match="BATCH_SIZE=0 must be an integer"):
        ch.Parameters(BATCH_SIZE=0)
    with pytest.raises(ValueError, match="OTHER_CORPUS='bundled' is not allowed"):
        ch.Parameters(OTHER_CORPUS="bundled").validate()
    with pytest.raises(ValueError, match="N_PAIRS_SECOND=241 is more than the data has"):
        ch.Parameters(N_PAIRS_SECOND=241).validate()
    ch.Parameters(SECOND_DESIGN="none", OTHER_CORPUS="bundled").validate()  # not used: not checked


def test_the_released_code_s_task_set_is_a_variant_of_table1():
    claim = next(c for c in ch.CLAIMS if c.id == "ti-table1")
    table1 = claim.cases[0].summary  # reproduces on both benchmarks
    released = benchmark_key("different_beyond_twice_task_released", "ja")
    task = benchmark_key("different_beyond_twice_task", "ja")
    summary = {
        **table1,
        # 'different' drops more than twice the English set's drop, as much as the Japanese's
        released: 0.18,
        ci_key(released): Interval(0.12, 0.24),
        task: -0.27,
        ci_key(task): Interval(-0.33, -0.21),
    }
    _, variant = claim.variant
    assert claim.rule(summary) == Verdict.PARTLY  # Japanese task set: JBLiMP fails the 2x rule
    assert variant(summary) == Verdict.REPRODUCES
    # BLiMP's released task set, recorded as measured, is held to the same rule
    en_released = ci_key(benchmark_key("different_beyond_twice_task_released", "en"))
    assert variant({**summary, en_released: Interval(-0.01, 0.1)}) == Verdict.PARTLY
    # as chapter 6 records it: BLiMP's released task set is its task set (an undefined interval)
    assert variant({**summary, en_released: Interval(math.nan, math.nan)}) == Verdict.REPRODUCES


def test_a_table_row_keeps_plain_columns_and_leaves_comparisons_to_the_summary():
    typed = {
        "role": "same",
        "accuracy": 0.5,
        "accuracy_ci": Interval(0.4, 0.6),
        "delta": -0.1,
        "delta_ci": Interval(-0.2, 0.0),
        "vs_random": 0.01,
        "vs_random_ci": Interval(-0.02, 0.03),
        "verdict": Comparison.NOT_DISTINGUISHABLE,
    }
    assert table_row(typed) == {
        "role": "same",
        "accuracy": 0.5,
        "low": 0.4,
        "high": 0.6,
        "delta": -0.1,
        "delta_low": -0.2,
        "delta_high": 0.0,
        "vs_random": 0.01,
        "vs_random_low": -0.02,
        "vs_random_high": 0.03,
    }


def test_the_prose_reads_a_recorded_summary_as_the_typed_one():
    recorded = json.loads(registry.golden_path("06").read_text())  # as a record holds it
    typed = ch.SUMMARY.decode(recorded)
    assert isinstance(typed[ci_key(row_key("delta", "en", "same"))], Interval)
    assert isinstance(typed[row_key("verdict", "en", "same")], Comparison)
    text = ch.verdicts_text(typed)
    assert ch.verdicts_text(recorded) == text
    assert ch.measured_points(recorded) == ch.measured_points(typed)
    # the golden run: every set not distinguishable from its random sets, in the glue's words
    words = ch.SUMMARY.glue_values(typed)[row_key("verdict", "en", "same")]
    assert words == "not distinguishable from its random sets" and words in text
    assert "nan" not in text.lower() and "Comparison." not in text


@pytest.mark.smoke
def test_chapter_06_summary(smoke):
    run = smoke("06")
    summary, n_all = ch.SUMMARY.decode(run.results["summary"]), run.neurons
    assert ch.SUMMARY.problems(summary) == []
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
            assert isinstance(summary[row_key("verdict_matched", lang, role)], Comparison)
            assert -1 <= summary[row_key("vs_matched", lang, role)] <= 1
        # none are drawn for the magnitude control: no comparison, a NaN estimate
        assert row_key("verdict_matched", lang, "magnitude") not in summary
        assert math.isnan(summary[row_key("vs_matched", lang, "magnitude")])
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
    for role, row in rows.items():
        assert row["low"] <= row["accuracy"] <= row["high"]
        # the table's columns and the summary's typed interval are the same numbers
        ci = summary[ci_key(row_key("accuracy", "ja", role))]
        assert (ci.low, ci.high) == (row["low"], row["high"])
    # Table 1's contrasts are the same arithmetic on the rows' accuracies, with an interval
    for lang in ("en", "ja"):
        acc = {row["role"]: row["accuracy"] for row in summary["benchmarks"][lang]}
        tol = dict(rel=0, abs=1e-12)  # sums of a few accuracies in float64
        assert summary[benchmark_key("different_minus_same", lang)] == pytest.approx(
            acc["different"] - acc["same"], **tol
        )
        assert summary[benchmark_key("different_beyond_twice_task", lang)] == pytest.approx(
            (acc["none"] - acc["different"]) - 2 * (acc["none"] - acc["task"]), **tol
        )
        for name in ("different_minus_same", "different_beyond_twice_task"):
            ci = summary[ci_key(benchmark_key(name, lang))]
            assert ci.defined and ci.low <= ci.high
    assert summary[benchmark_key("different_beyond_twice_task_released", "ja")] == pytest.approx(
        (rows["none"]["accuracy"] - rows["different"]["accuracy"])
        - 2 * (rows["none"]["accuracy"] - rows["task_released"]["accuracy"]),
        rel=0,
        abs=1e-12,
    )
    released_en = benchmark_key("different_beyond_twice_task_released", "en")  # en's own set
    assert math.isnan(summary[released_en]) and not summary[ci_key(released_en)].defined

"""Chapter 5: tasks, parameter checks, per-item conditions, the typed summary (its words, the
claims' cases, the kept paper-lite run read back), and the smoke run's summary."""

import numpy as np
import pytest

from neuron_utils import data
from neuron_utils.chapters import ch05_shared_neurons as ch
from neuron_utils.chapters.ch05_shared_neurons import keys, prose
from neuron_utils.core.interventions import PerTextIntervention
from neuron_utils.kit import paper_results
from neuron_utils.methods import sharing
from neuron_utils.methods.bootstrap import Comparison, Interval


def test_translation_task_is_parallel_and_seeded():
    task = data.translation_task("bundled", ["ja", "fr"], "en", 10, 3, seed=1)
    assert task.prompts.shape == (10, 2) and task.choices.shape == (10, 2, 3)
    en = data.bundled_texts("en")
    ja = data.bundled_texts("ja")
    for i in range(task.n_items):
        # the same candidates in every language, the answer is the item's own translation
        assert list(task.choices[i, 0]) == list(task.choices[i, 1])
        k = int(task.item_ids[i])
        assert task.choices[i, 0, task.answer[i]] == " " + en[k]
        assert task.prompts[i, 0] == f"Japanese: {ja[k]}\nEnglish:"
        assert len(set(task.choices[i, 0])) == 3
    again = data.translation_task("bundled", ["ja", "fr"], "en", 10, 3, seed=1)
    np.testing.assert_array_equal(again.choices, task.choices)
    assert task.chance == pytest.approx(1 / 3)
    prompts, choices = task.flat()
    assert (
        len(prompts) == 60 and prompts[0] == prompts[2] and choices[:3] == list(task.choices[0, 0])
    )
    with pytest.raises(ValueError, match="cannot also be an input"):
        data.translation_task("bundled", ["en", "fr"], "en", 10, 2)
    with pytest.raises(ValueError, match="not in the bundled data"):
        data.translation_task("bundled", ["xx"], "en", 10, 2)


def test_xcopa_task_from_the_mirror(mirror):
    task = data.xcopa_task(["it", "zh", "sw"], 20, seed=0)
    assert task.prompts.shape == (20, 3) and task.n_choices == 2
    rows = data.tasks.xcopa_rows("it")
    first = rows[int(task.item_ids[0])]
    prompt, choices = data.tasks.xcopa_prompt(first, "it")
    connector = "perché" if first["question"] == "cause" else "quindi"
    assert prompt == first["premise"].strip()[:-1] + " " + connector
    assert choices[0] == " " + first["choice1"][0].lower() + first["choice1"][1:]
    assert task.answer[0] == first["label"]
    with pytest.raises(ValueError, match="not in XCOPA"):
        data.xcopa_task(["en"], 5)


def test_parameters_are_checked():
    with pytest.raises(ValueError, match="TARGET_LANGUAGE='de' is not allowed"):
        ch.Parameters(TARGET_LANGUAGE="de")
    with pytest.raises(ValueError, match="LANGUAGES .* needs at least 2"):
        ch.Parameters(LANGUAGES=["en"])
    with pytest.raises(ValueError, match="DEACTIVATE contains 'shared'"):
        ch.Parameters(DEACTIVATE=["shared"])
    with pytest.raises(ValueError, match="N_TASK_ITEMS=1 must be"):
        ch.Parameters(N_TASK_ITEMS=1)
    with pytest.raises(ValueError, match="TASKS contains 'xnli'"):
        ch.Parameters(TASKS=["xnli"])
    # the page is written around the translation task and the three deactivations
    with pytest.raises(ValueError, match="TASKS=\\['xcopa'\\] must include 'translation'"):
        ch.Parameters(TASKS=["xcopa"])
    with pytest.raises(ValueError, match="must include 'partial-shared', 'specific'"):
        ch.Parameters(DEACTIVATE=["all-shared"])
    with pytest.raises(ValueError, match="N_SENTENCES=401"):
        ch.Parameters(N_SENTENCES=401).validate()  # against the data
    # limits declared beside the fields, and one that depends on another field
    with pytest.raises(ValueError, match="CHOICES=11 must be an integer in 2..10"):
        ch.Parameters(CHOICES=11)
    with pytest.raises(ValueError, match="N_TASK_ITEMS=3 must be an integer in >= 4"):
        ch.Parameters(CHOICES=4, N_TASK_ITEMS=3)  # an item holds its candidates
    with pytest.raises(ValueError, match="CATEGORY_SITE='mlp' is not allowed; choose one of"):
        ch.Parameters(CATEGORY_SITE="mlp")
    with pytest.raises(ValueError, match="BOOST_FACTORS=\\[-1.0\\] must be a non-empty list"):
        ch.Parameters(BOOST_FACTORS=[-1.0])
    with pytest.raises(ValueError, match="XCOPA_LANGUAGES needs at least 2"):
        ch.Parameters(XCOPA_LANGUAGES=["it"])


def test_every_item_gets_its_own_category_mask_and_matched_random_sets():
    p = ch.Parameters(N_RANDOM_SEEDS=2, BOOST_FACTORS=[2.0], N_BOOST_RANDOM_SEEDS=1)
    task = data.translation_task("bundled", ["ja", "fr", "zh"], "en", 5, 2)
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, (5, 2, 30)).astype(np.int8)
    codes[:, :, 0] = sharing.ALL  # neuron 0 is all-shared for every item
    rate, magnitude = rng.random((2, 30)), rng.random((2, 30))
    stats = ch.CategoryStats(("ja", "fr", "zh"), codes, None, None, None, None, rate, magnitude,
                             None)  # fmt: skip
    conditions = ch.conditions_for(task, stats, p)
    # none; per category: itself, 2 random and 2 firing-matched draws; three all-shared
    # controls; the boost and its random draw
    assert len(conditions) == 1 + 3 * (1 + 2 + 2) + 3 + 1 * (1 + 1)
    zero = conditions["zero specific"][0]
    assert isinstance(zero, PerTextIntervention) and zero.op == "zero"
    # every language of item 3 shares item 3's mask
    for j in range(3):
        k = zero.index[zero.texts.index(task.prompts[3, j])]
        np.testing.assert_array_equal(zero.masks[k], codes[3] == sharing.SPECIFIC)
    random = conditions["zero specific | random 1"][0]
    np.testing.assert_array_equal(random.masks.sum(-1), zero.masks.sum(-1))
    assert not np.array_equal(random.masks, conditions["zero specific | random 0"][0].masks)
    # another item's all-shared set: a derangement, so no item keeps its own
    other = conditions[ch.OTHER_ITEM][0]
    shared = codes == sharing.ALL
    sources = [
        next(j for j in range(5) if np.array_equal(other.masks[i], shared[j])) for i in range(5)
    ]
    assert sorted(sources) == list(range(5)) and all(i != j for i, j in enumerate(sources))
    matched = conditions["zero all-shared | matched 1"][0]
    np.testing.assert_array_equal(matched.masks.sum(-1), (codes == sharing.ALL).sum(-1))
    fixed = conditions[ch.ALWAYS_SHARED][0].masks
    assert (fixed == (codes == sharing.ALL).all(0)).all()  # the same set for every item
    assert fixed[:, :, 0].all()
    largest = conditions[ch.MAGNITUDE][0].masks  # per item and layer: the top by magnitude
    for i in range(5):
        for layer in range(2):
            n = (codes[i, layer] == sharing.ALL).sum()
            expected = np.argsort(-magnitude[layer], kind="stable")[:n]
            assert set(np.flatnonzero(largest[i, layer])) == set(expected)  # rows: items
    boost = conditions["boost x2 | random 0"][0]
    assert boost.op == "scale" and boost.value == 2.0
    np.testing.assert_array_equal(boost.masks.sum(-1), (codes == sharing.ALL).sum(-1))


def test_margins_and_correctness_by_hand():
    task = data.translation_task("bundled", ["ja", "fr"], "en", 3, 3)
    scores = np.zeros((3, 2, 3))
    scores[..., 0] = [[-1, -5], [-2, -2], [-3, -1]]
    scores[..., 1] = [[-2, -4], [-1, -2], [-3, -3]]
    scores[..., 2] = [[-3, -3], [-1, -2], [-9, -9]]
    object.__setattr__(task, "answer", np.array([0, 1, 2]))
    tr = ch.TaskResults(task, None, None, {"none": scores}, {"none": 0.0})
    np.testing.assert_array_equal(
        tr.correct("none"), [[True, False], [False, False], [False, False]]
    )
    np.testing.assert_allclose(tr.margin("none"), [[1, -2], [0, 0], [-6, -8]])


def test_the_words_of_comparisons_and_ranges_come_from_the_declaration():
    zero_shared = ch.deactivation_key("all-shared")
    summary = {
        ch.condition_key("verdict", "translation", zero_shared): Comparison.BELOW,
        ch.condition_key("verdict_matched", "translation", zero_shared): Comparison.ABOVE,
        ch.condition_key("delta", "translation", zero_shared, "ci"): Interval(-0.4, -0.1),
        "ranges_apart_translation_all_shared": False,
        "ranges_text_translation_all_shared": "overlap",
    }
    summary |= {
        ch.condition_key("own_vs_control", "translation", condition): Comparison.NOT_DISTINGUISHABLE
        for condition in (ch.OTHER_ITEM, ch.ALWAYS_SHARED, ch.MAGNITUDE, "zero specific")
    }
    assert ch.SUMMARY.problems(summary) == []
    glued = ch.SUMMARY.glue_values(summary)
    assert glued["verdict_translation_zero_all_shared"] == "below its random sets"
    assert glued["verdict_matched_translation_zero_all_shared"] == "above its firing-matched sets"
    assert glued["delta_translation_zero_all_shared_ci.low"] == -0.4
    assert glued["ranges_apart_translation_all_shared"] is False
    words = {key: value for key, value in glued.items() if key.startswith("own_vs_control")}
    assert words == {
        "own_vs_control_translation_zero_all_shared_of_another_item": "not distinguishable from "
        "another item's set",
        "own_vs_control_translation_zero_the_neurons_all_shared_for_every_item": "not "
        "distinguishable from the fixed set",
        "own_vs_control_translation_zero_as_many_top_a_neurons": "not distinguishable from the "
        "magnitude control",
        "own_vs_control_translation_zero_specific": "not distinguishable from zeroing specific",
    }
    # a comparison recorded as words, or a flag as text, is not of its declared kind
    summary["verdict_translation_zero_all_shared"] = "below its random sets"
    summary["ranges_apart_translation_all_shared"] = "overlap"
    assert ch.SUMMARY.problems(summary) == [
        "verdict_translation_zero_all_shared: str is not a comparison",
        "ranges_apart_translation_all_shared: str is not a flag",
    ]


def test_boosting_helps_at_the_factors_whose_two_intervals_lie_above_0():
    summary = {"boost_factors": [1.5, 3.0]}
    for factor, delta, vs_random in (
        (1.5, (0.01, 0.05), (0.002, 0.04)),
        (3.0, (0.02, 0.1), (-0.01, 0.05)),
    ):
        boost = ch.boost_key(factor)
        summary[ch.condition_key("delta", "translation", boost, "ci")] = Interval(*delta)
        summary[ch.condition_key("vs_random", "translation", boost, "ci")] = Interval(*vs_random)
    assert summary.keys() >= {"delta_translation_boost_1_5_ci", "vs_random_translation_boost_3_ci"}
    assert keys.helping_factors(summary, "translation") == [1.5]
    assert prose.boost_helps_words([1.5]) == "helps (at x1.5)"
    assert prose.boost_helps_words([1.5, 3.0]) == "helps (at x1.5, x3)"
    assert prose.boost_helps_words([]) == "does not help"


def test_the_kept_paper_lite_run_reads_back_typed():
    kept = paper_results("05", "paper-lite")
    summary = ch.SUMMARY.decode(kept["summary"])
    assert kept["schema"] == 2 and "units" not in summary
    assert ch.SUMMARY.problems(summary) == []
    assert summary["boost_factors"] == kept["parameters"]["BOOST_FACTORS"]
    interval = summary["delta_translation_zero_all_shared_ci"]
    assert isinstance(interval, Interval) and interval.low <= interval.high
    assert isinstance(summary["verdict_translation_zero_all_shared"], Comparison)
    for claim in (c for c in ch.CLAIMS if c.rule is not None):
        assert claim.rule(summary).judged, claim.id
        assert claim.measured.format(**summary) and claim.baseline.format(**summary)
    # the tables read a kept run's rows, whose intervals JSON holds as {"low", "high"}
    row = kept["summary"]["task_results"]["translation"]["interventions"][1]
    assert row["condition"] == "zero all-shared"
    table = ch.intervention_table(summary, "translation")
    low, high = row["delta_ci"]["low"], row["delta_ci"]["high"]
    assert (
        table.loc["zero all-shared", "Δ vs none"]
        == f"{row['delta']:+.3f} [{low:+.2f}, {high:+.2f}]"
    )


@pytest.mark.smoke
def test_chapter_05_summary(smoke):
    run = smoke("05")
    summary = ch.SUMMARY.decode(run.results["summary"])
    assert ch.SUMMARY.problems(summary) == []
    assert summary["n_all"] == run.neurons and summary["n_languages_sentences"] == 4
    assert summary["n_task_languages_translation"] == 3 and summary["chance_translation"] == 0.5
    assert summary["boost_factors"] == [2.0]
    for kind in ("sentences", "translation"):
        total = sum(summary[f"share_{kind}_{slug}_pct"] for slug in ch.CATEGORY_SLUGS)
        assert total == pytest.approx(100)
        assert summary[f"stable_{kind}_total"] == sum(summary["categories"][kind]["stable"])
    rows = summary["task_results"]["translation"]["interventions"]  # as JSON holds them
    assert [r["condition"] for r in rows] == [
        "none",
        "zero all-shared",
        "zero partial-shared",
        "zero specific",
        "zero all-shared of another item",
        "zero the neurons all-shared for every item",
        "zero as many top-|a| neurons",
        "boost x2",
    ]
    for row in rows:
        assert row["accuracy_ci"]["low"] <= row["accuracy"] <= row["accuracy_ci"]["high"]
    comparisons = {c.value for c in Comparison}
    for k in (2, 3, 4, 5, 6):  # the all-shared set against each other category and control
        assert rows[k]["own_minus_control"] == pytest.approx(
            rows[1]["accuracy"] - rows[k]["accuracy"]
        )
        assert rows[k]["own_minus_control_ci"]["low"] <= rows[k]["own_minus_control_ci"]["high"]
        assert rows[k]["own_vs_control"] in comparisons
    for k in (1, 2, 3):  # deactivations: both kinds of random sets, of the same size per item
        assert rows[k]["matched_changed"] == rows[k]["random_changed"] == rows[k]["changed"]
        assert rows[k]["verdict_matched"] in comparisons
    matched = ch.SUMMARY.glue_values(summary)["verdict_matched_translation_zero_all_shared"]
    assert matched.endswith("its firing-matched sets")
    assert rows[6]["changed"] == rows[1]["changed"]  # the magnitude control: as many neurons
    # the template control: the same languages as the task, and prompts ending in the sentence
    assert summary["n_languages_sentences_task_languages"] == 3
    assert summary["n_items_translation_ending"] == summary["n_task_items_translation"]
    assert summary["ranges_text_translation_ending_all_shared"] == prose.overlap_words(
        summary["ranges_apart_translation_ending_all_shared"]
    )
    assert 0 <= summary["base_firing_translation_all_shared_pct"] <= 100
    assert (
        summary["base_firing_translation_all_shared_pct"]
        >= summary["base_translation_all_shared_pct"]
    )  # a share of fewer neurons
    for a in ch.ATTRIBUTIONS:
        top = np.array(summary["task_results"]["translation"]["attribution_top"][a])
        np.testing.assert_allclose(top.sum(0), 1)  # every top contributor has one category

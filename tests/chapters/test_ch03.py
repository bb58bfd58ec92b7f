"""Chapter 3: its parameter checks (no model) and what its smoke run records."""

import re

import pytest

from neuron_utils.chapters import ch03_language_specific_neurons as ch
from neuron_utils.chapters.ch03_language_specific_neurons import Parameters
from neuron_utils.kit.summary import Interval


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"DATA_SOURCE": "tatoeba"},
            "DATA_SOURCE='tatoeba' is not allowed; choose one of: bundled, flores",
        ),
        ({"SITE": "mlp"}, "SITE='mlp' is not allowed; choose one of: gate, neurons"),
        (
            {"LANGUAGES": ["en", "xx"]},
            "LANGUAGES (of the bundled data) contains 'xx', which is not allowed; "
            "choose one of: en, ja, nl, ko, it, zh, fr, es",
        ),
        (
            {"LANGUAGES": ["en", "fr", "en"]},
            "LANGUAGES (of the bundled data) lists en more than once",
        ),
        (
            {"LANGUAGES": ["en"], "STEER_TARGETS": ["en"]},
            "LANGUAGES (of the bundled data) needs at least 2 value(s)",
        ),
        (
            {"N_STATS_SENTENCES": 390, "N_EVAL_SENTENCES": 25},
            "N_STATS_SENTENCES + N_EVAL_SENTENCES = 415 is more than the bundled data has "
            "per language (400)",
        ),
        ({"N_EVAL_SENTENCES": 0}, "N_EVAL_SENTENCES=0 must be an integer in >= 1"),
        ({"TOP_RATE": 0.0}, "TOP_RATE=0.0 must be a number in (0.0, 1.0]"),
        ({"FILTER": 1.5}, "FILTER=1.5 must be a number in (0.0, 1.0]"),
        ({"ACTIVATION_BAR": float("nan")}, "ACTIVATION_BAR=nan must be finite"),
        (
            {"STEER_SOURCE": "de"},
            "STEER_SOURCE (one of LANGUAGES)='de' is not allowed; choose one of: en, ja, nl",
        ),
        ({"STEER_TARGETS": ["fr", "fr"]}, "STEER_TARGETS (of LANGUAGES) lists fr more than once"),
        (
            {"STEER_TARGETS": ["de"]},
            "STEER_TARGETS (of LANGUAGES) contains 'de', which is not allowed; choose one of: en",
        ),
        ({"STEER_TARGETS": []}, "STEER_TARGETS (of LANGUAGES) needs at least 1 value(s)"),
        ({"STEER_SCALE": -1.0}, "STEER_SCALE=-1.0 must be a positive number"),
        ({"STEER_SCALE": float("inf")}, "STEER_SCALE=inf must be finite"),
        (
            {"N_PROMPTS": 30, "N_EVAL_SENTENCES": 25},
            "N_PROMPTS=30 must be an integer in 2..25",
        ),  # prompts are held-out sentences
        ({"MAX_NEW_TOKENS": 0}, "MAX_NEW_TOKENS=0 must be an integer in >= 1"),
        (
            {"STEER_SCALES": [1.0, 2.0]},
            "STEER_SCALE=4.0 must be one of STEER_SCALES=[1.0, 2.0]",
        ),
        ({"DIFFMEAN_LAYER": 18}, "DIFFMEAN_LAYER=18 must be an integer in 0..17"),
        (
            {"DIFFMEAN_SCALES": [1.0, -2.0]},
            "DIFFMEAN_SCALES=[1.0, -2.0] must be a non-empty list of numbers in [0.0, 1000.0]",
        ),
        ({"FLUENT_REPETITION": 1.5}, "FLUENT_REPETITION=1.5 must be a number in [0.0, 1.0]"),
        (
            {"FLUENT_PERPLEXITY_RATIO": 0.5},
            "FLUENT_PERPLEXITY_RATIO=0.5 must be a number in [1.0, 1000.0]",
        ),
    ],
)
def test_parameter_checks_name_the_allowed_values(overrides, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Parameters.resolve("quick", overrides)


def test_paper_profile_values():
    assert Parameters.PAPER["DATA_SOURCE"] == "flores"
    assert set(Parameters.PAPER["STEER_TARGETS"]) <= set(Parameters.PAPER["LANGUAGES"])
    assert Parameters().data_files() == []  # the bundled corpus ships with the package


@pytest.mark.smoke
def test_chapter_03_summary(smoke):
    recorded = smoke("03").results["summary"]
    assert "units" not in recorded
    summary = ch.SUMMARY.decode(recorded)  # intervals typed again
    assert ch.SUMMARY.problems(summary) == []  # every key declared, each value of its kind
    assert set(summary["per_language"]) == {"en", "fr", "ja"}
    assert set(summary["perplexity"]) == {"en", "fr", "ja"}  # evaluated languages
    assert set(summary["perplexity"]["fr"]) == {"none", "random", "en", "fr", "ja"}  # deactivated
    assert set(summary["perplexity_change_pct"]["fr"]) == {"none", "random", "en", "fr", "ja"}
    # TOP_RATE of all neurons, minus filtered ones
    assert 0 < summary["n_selected"] <= round(0.01 * 18 * 2048)
    assert sum(summary["selected_per_layer"]) == summary["n_selected"]
    assert all(len(counts) == 18 for counts in summary["per_layer"].values())
    assert summary["n_languages"] == 3 and summary["other_site"] == "neurons"
    assert summary["zh_ja"] == -1 and summary["fr_es"] == -1  # zh and es are not in LANGUAGES
    assert (
        set(summary["steering_outputs"])
        == set(summary["steering_identified"])
        == {"unchanged", "→ fr"}
    )
    assert len(summary["steering_prompts"]) == len(summary["steering_outputs"]["→ fr"]) == 2
    assert 0 <= summary["steer_min"] <= summary["steer_mean"] <= summary["steer_max"] <= 1
    assert len(summary["sensitivity"]) == 9
    # the steering sweep: every (method, scale) once, shares in [0, 1], success <= both parts
    sweep = {(row["method"], row["scale"]): row for row in summary["steering_sweep"]}
    assert set(sweep) == {
        ("LAPE neurons", 4.0), ("LAPE swap", 4.0), ("DiffMean", 1.0), ("DiffMean", 4.0)
    }  # fmt: skip
    for row in sweep.values():
        assert 0 <= row["success"] <= min(row["in target"], row["fluent"]) <= 1
    assert summary["steer_winner"] in ("LAPE neurons", "LAPE swap", "DiffMean", "neither")
    for slug in ("lape", "swap", "diffmean"):  # held-out shares inside their intervals
        interval = summary[f"steer_success_{slug}_ci"]
        assert interval.low <= summary[f"steer_success_{slug}"] <= interval.high
    assert summary["n_steered_outputs"] == 2 and summary["diffmean_layer"] == 12
    assert summary["diffmean_norm"]["fr"] > 0
    # no related pair among en, fr, ja: their intervals are not defined
    assert not summary["related_minus_baseline_ci"].defined


def test_steering_examples_give_each_text_a_row_of_its_own():
    from types import SimpleNamespace

    results = SimpleNamespace(
        parameters=SimpleNamespace(STEER_SOURCE="en"),
        prompts=["Never touch", "If you want"],
        outputs={"unchanged": ["a\n\nb", "c"], "→ ja": ["腕" * 200, "す"]},
        identified={"unchanged": ["en", "en"], "→ ja": ["ja", "ja"]},
    )
    table = ch.steering_examples(results, width=10)
    assert list(table.index) == [
        (1, "prompt"), (1, "unchanged"), (1, "→ ja"), (2, "prompt"), (2, "unchanged"), (2, "→ ja")
    ]  # fmt: skip
    assert table.loc[(1, "unchanged"), "text"] == "a b"  # whitespace collapsed
    assert table.loc[(1, "→ ja"), "text"] == "腕" * 9 + "…"  # cut at the width
    assert table.loc[(2, "prompt"), "identified as"] == "en"


def _judged(success):
    """Continuations of 8 prompts x 2 targets: ``success(method, scale, prompt)`` -> bool."""
    import pandas as pd

    rows = [
        {"method": m, "target": t, "scale": scale, "prompt": k,
         "success": success(m, scale, k), "in target": True, "fluent": success(m, scale, k)}
        for m in ch.STEERING_METHODS for t in ("fr", "ja") for scale in (1.0, 4.0)
        for k in range(8)
    ]  # fmt: skip
    rows += [{"method": ch.UNCHANGED, "target": "", "scale": 0.0, "prompt": k, "success": False,
              "in target": False, "fluent": True} for k in range(8)]  # fmt: skip
    return pd.DataFrame(rows)


def test_the_steering_scale_is_chosen_on_the_other_half_of_the_prompts():
    # every method succeeds at x4 on the even prompts and at x1 on the odd ones: a scale chosen
    # on one half fails on the other, so held-out success is 0 whatever the in-sample best
    def alternating(method, scale, k):
        return (scale == 4.0) == (k % 2 == 0)

    out = ch.held_out_steering(_judged(alternating))
    for slug in ("lape", "swap", "diffmean"):
        assert out[f"steer_half_scales_{slug}"] == "×4 and ×1"
        assert out[f"steer_success_{slug}"] == 0.0  # never scored on a prompt that chose
        assert out[f"steer_target_{slug}"] == 1.0
        assert out[f"steer_best_scale_{slug}"] == 1.0  # in-sample: a tie, the smaller scale
    assert out["steer_winner"] == "neither" and out["n_held_out_prompts"] == 8

    # the swap succeeds on 6 of 8 prompts at x4, the others never: it wins, by an interval
    def swap_works(method, scale, k):
        return method == "LAPE swap" and scale == 4.0 and k < 6

    out = ch.held_out_steering(_judged(swap_works))
    assert out["steer_success_swap"] == 0.75 and out["steer_success_lape"] == 0.0
    assert out["steer_success_swap_ci"].low < 0.75 < out["steer_success_swap_ci"].high
    assert out["steer_winner"] == "LAPE swap"
    assert out["steer_difference"] == 0.0  # DiffMean minus LAPE neurons


def _losses(nll_by_row, tokens=4):
    """Per-sentence (NLL, tokens) of 10 sentences per evaluated language: ``nll_by_row
    (deactivated, evaluated) -> [10] NLL``, 0.5 nats per token elsewhere."""
    import numpy as np

    rows, languages = ["none", "random", "zh", "ja", "fr", "es"], ["zh", "ja", "fr", "es"]
    base = np.random.default_rng(0).uniform(1.5, 2.5, size=(len(languages), 10))
    return {
        row: {
            lang: (np.asarray(nll_by_row.get((row, lang), base[k])), np.full(10, tokens))
            for k, lang in enumerate(languages)
        }
        for row in rows
    }


def test_perplexity_changes_and_their_replicates_agree_with_a_hand_computation():
    import numpy as np

    losses = _losses({("ja", "zh"): np.full(10, 4.0)})
    table = ch.perplexity_table(losses)
    base = losses["none"]["zh"][0]
    expected = 100 * (np.exp(40.0 / 40) / np.exp(base.sum() / 40) - 1)
    np.testing.assert_allclose(
        100 * (table.loc["ja", "zh"] / table.loc["none", "zh"] - 1), expected, rtol=1e-12
    )
    reps = ch.perplexity_change_replicates(losses, n_boot=30, seed=1)
    assert reps.shape == (6, 4, 30)
    np.testing.assert_allclose(reps[0], 0.0, atol=1e-12)  # "none" against itself
    np.testing.assert_allclose(reps[1], 0.0, atol=1e-12)  # an unchanged row, paired draws
    assert reps[3, 0].min() > 0  # ja's neurons zeroed: zh worse in every resample


def test_related_pairs_interfere_only_when_the_interval_clears_both_baselines():
    import numpy as np

    languages = ["zh", "ja", "fr", "es"]
    worse = {(a, b): 2.0 * _losses({})["none"][b][0] for a, b in
             [("zh", "ja"), ("ja", "zh"), ("fr", "es"), ("es", "fr")]}  # fmt: skip
    out = ch.perplexity_intervals(_losses(worse), languages, seed=0)
    assert out["related_minus_baseline_ci"].above(0)
    # doubling every related pair's NLL: the diagonal is unchanged (0) and below twice that
    assert out["diag_beyond_twice_ci"].below(0)
    assert out["related_ppl_change_min_ci"].low <= out["related_ppl_change_min_ci"].high
    # one related direction unchanged: the smallest related change is 0, as is the baseline
    del worse[("es", "fr")]
    out = ch.perplexity_intervals(_losses(worse), languages, seed=0)
    assert out["related_minus_baseline_ci"].low <= 0 <= out["related_minus_baseline_ci"].high
    # without a related pair among the languages: not defined
    out = ch.perplexity_intervals(_losses(worse), ["zh", "fr"], seed=0)
    assert np.isnan(out["related_minus_baseline_ci"].low)
    assert np.isnan(out["related_minus_baseline_ci"].high)
    # each language's own neurons hurt it alone: the diagonal beyond twice everything else
    own = {(a, a): 3.0 * _losses({})["none"][a][0] for a in languages}
    out = ch.perplexity_intervals(_losses(own), languages, seed=0)
    assert out["diag_beyond_twice_ci"].above(0)


def test_perplexity_intervals_of_identical_sentences_are_the_point_comparisons():
    # every sentence of a cell has the same NLL: each resample gives the point estimate, so
    # both ends equal the comparison computed from the perplexity table by hand
    import numpy as np

    languages = ["ja", "fr", "zh", "es"]  # another order than the rows of _losses
    rows = ["none", "random", "zh", "ja", "fr", "es"]
    level = np.random.default_rng(3).uniform(1.0, 3.0, size=(len(rows), 4))
    cells = {
        (row, lang): np.full(10, level[r, k])
        for r, row in enumerate(rows)
        for k, lang in enumerate(["zh", "ja", "fr", "es"])
    }
    losses = _losses(cells)
    change = ch.perplexity_table(losses)
    change = 100 * (change / change.loc["none"] - 1)
    square = change.loc[languages, languages].values
    off = ~np.eye(4, dtype=bool)
    diag = np.diag(square).mean() - 2 * max(square[off].mean(), change.loc["random"].mean())
    related = min(square[2, 0], square[0, 2], square[1, 3], square[3, 1])  # zh-ja, fr-es
    beyond = related - max(np.median(square[off]), change.loc["random"].mean())
    out = ch.perplexity_intervals(losses, languages, seed=0)
    assert all(isinstance(value, Interval) for value in out.values())
    for key, expected in [
        ("diag_minus_offdiag", np.diag(square).mean() - square[off].mean()),
        ("diag_beyond_twice", diag),
        ("related_ppl_change_min", related),
        ("related_minus_baseline", beyond),
    ]:
        for end in (out[f"{key}_ci"].low, out[f"{key}_ci"].high):
            assert end == pytest.approx(expected, rel=1e-9, abs=1e-9)

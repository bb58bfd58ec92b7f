"""Chapter 2: what its smoke run records, its claims' rules on their own cases and on the golden
summary, the names its summary declares, and the checks of its parameters (no model needed)."""

import json
import math
import re

import pytest

from neuron_utils import book
from neuron_utils.book import registry
from neuron_utils.chapters import ch02_common_neurons as chapter
from neuron_utils.chapters.ch02_common_neurons import (
    CLAIMS,
    SUMMARY,
    design_key,
    drop_key,
    gap_key,
    half_gap_key,
    half_shrink_key,
    length_r_key,
    product_shrink_key,
)
from neuron_utils.core.neurons import edge_layers
from neuron_utils.kit.parameters import limits_of
from neuron_utils.kit.summary import Interval, Kind

CONDITIONS = ("none", "top", "random")
DESIGNS = ("derangement", "disjoint", "cross-corpus")
BASELINES = {"random", "magnitude"}  # the stricter of the two is the one a shrink must beat
SHRINKS = ("shrink", "beyond_random", "beyond_2x_random", "beyond_half_top")


def golden_summary() -> dict:
    """The golden summary (a tiny float64 model's), typed as the chapter declares it."""
    return SUMMARY.decode(json.loads(registry.golden_path("02").read_text()))


@pytest.mark.smoke
def test_chapter_02_summary(smoke):
    run = smoke("02")
    recorded, n_all, layers = run.results["summary"], run.neurons, run.layers
    summary = SUMMARY.decode(recorded)
    assert SUMMARY.problems(summary) == [] and "units" not in summary
    assert summary["n_top"] == round(0.01 * n_all)
    assert summary["n_all"] == n_all
    assert sum(summary["top_per_layer"]["it"]) == summary["n_top"]
    assert len(summary["top_per_layer"]["it"]) == layers
    assert set(summary["score_variants"]) == {
        "none",
        "zero mean-of-abs top",
        "zero product top",
        "zero random (mean)",
        "zero |a|-matched random (mean)",
    }
    assert set(summary["score_variants"]["none"]) == {"it"}
    assert set(summary["mean_ap_top100"]) == set(summary["mean_ap_top100_disjoint"]) == {"it"}
    # one L2
    assert summary["ap_top100_min"] == summary["ap_top100_max"] == summary["mean_ap_top100"]["it"]
    assert 0 <= summary["ap_median"] <= summary["ap_top100_min"] <= 1
    assert summary["ap_chance"] == 0.5
    # one L2: no pair of L2s
    assert summary["l2_overlap"] == [[1.0]] and math.isnan(summary["l2_overlap_mean"])
    frac = summary["n_top"] / n_all
    assert summary["random_overlap"] == pytest.approx(frac / (2 - frac))
    assert summary["edge_share_uniform"] == pytest.approx(100 * len(edge_layers(layers)) / layers)
    assert 0 <= summary["edge_share"] <= 100 and 0 <= summary["peak_layer"] < layers
    assert set(summary["design_and_score_overlap"]) == {
        "derangement vs disjoint (mean-of-abs)",
        "derangement vs cross-corpus (mean-of-abs)",
        "disjoint vs cross-corpus (mean-of-abs)",
        "mean-of-abs vs product (derangement)",
    }
    assert [row["design"] for row in summary["designs"]] == [
        "derangement",
        "disjoint",
        "cross-corpus",
    ]
    assert summary[design_key("ap_top100", "derangement", "min")] == summary["ap_top100_min"]
    assert summary[design_key("edge_share", "derangement")] == pytest.approx(summary["edge_share"])
    for design in DESIGNS:
        # the better direction of a score and its negation: AP >= about half
        low, high = (summary[design_key("length_ap", design, end)] for end in ("min", "max"))
        assert 0.4 <= low <= high <= 1
        assert summary[design_key("length_direction", design)] in (
            "longer",
            "shorter",
            "longer/shorter",
            "shorter/longer",
        )
    # 20 parallel bundled sentences vs 20 formal ones: shorter means parallel, almost perfectly
    assert summary["length_direction_cross_corpus"] == "shorter"
    assert summary["length_ap_cross_corpus_min"] > 0.9
    hist = summary["length_r_hist"]
    assert set(hist) == {"all", "top_cross", "top_derangement"}
    assert sum(hist["all"]) == n_all and sum(hist["top_cross"]) == 100
    for name in hist:
        assert 0 <= summary[length_r_key(name, "median")] <= 1
    assert summary["n_random_seeds"] == 1
    for kind in ("raw", "centred"):
        assert set(summary[f"{kind}_gap_per_layer"]) == {f"it {c}" for c in CONDITIONS}
        assert all(len(v) == layers for v in summary[f"{kind}_gap_per_layer"].values())
        for condition in CONDITIONS:  # the glued gap is the per-layer gap's mean (one L2 here)
            mean = sum(summary[f"{kind}_gap_per_layer"][f"it {condition}"]) / layers
            assert summary[gap_key(kind, condition)] == pytest.approx(mean, abs=1e-9)
        for label in ("parallel", "non-parallel"):
            for condition in ("top", "random", "magnitude"):
                assert math.isfinite(summary[drop_key(kind, label, condition)])
    assert summary["score_variants"]["none"]["it"] == pytest.approx(summary["gap_centred_none"])
    assert summary["score_variants"]["zero mean-of-abs top"]["it"] == pytest.approx(
        summary["gap_centred_top"]
    )
    # the selection null: one row per design (one L2), TINY's 19 permutations
    assert summary["n_permutations"] == 19
    rows = {row["design"]: row for row in summary["selection_null"]}
    assert list(rows) == ["derangement", "disjoint", "cross-corpus"]
    for design, row in rows.items():
        assert row["top-100 AP"] == pytest.approx(summary[design_key("ap_top100", design, "min")])
        assert 1 / 20 <= row["p"] <= 1
        assert row["p"] == summary[design_key("null_top100", design, "p_max")]
        assert 0 <= row["null mean"] <= row["null 95 %"] <= 1
        assert summary[design_key("null_top100", design, "margin_min")] == pytest.approx(
            row["top-100 AP"] - row["null 95 %"]
        )
        assert 0 <= row["beyond noise (family-wise)"] <= n_all
        assert summary[design_key("beyond_null", design)] == (
            "the L2" if row["p"] < 0.05 else "no L2"
        )
        assert 0 <= summary[design_key("edge_share_null", design, "mean")] <= 100
    # held-out halves: every condition, finite; the magnitude-matched draws' fallback
    assert set(summary["held_out"]) == set(chapter.HALF_NAMES.values())
    for condition in chapter.HALF_CONDITIONS:
        for kind in ("raw", "centred"):
            assert math.isfinite(summary[half_gap_key(kind, condition)])
    assert summary["held_out"]["nothing zeroed"]["it"] == pytest.approx(
        summary["half_gap_centred_none"]
    )
    assert 0 <= summary["half_overlap_mean"] <= 1
    assert 0 <= summary["magnitude_fallback_pct"] <= 100
    # the shrinks' intervals, recorded as their two ends
    for kind in ("raw", "centred"):
        for name in SHRINKS:
            ci = summary[half_shrink_key(kind, name)]
            assert recorded[half_shrink_key(kind, name)] == {"low": ci.low, "high": ci.high}
            assert ci.low <= ci.high
    assert {summary["half_stricter_raw"], summary["half_stricter_centred"]} <= BASELINES
    assert all(summary[product_shrink_key(name)].defined for name in SHRINKS)


def test_key_functions_give_the_declared_names():
    assert (
        design_key("edge_share_null", "cross-corpus", "q95") == "edge_share_null_cross_corpus_q95"
    )
    assert design_key("edge_share", "disjoint") == "edge_share_disjoint"
    assert drop_key("raw", "non-parallel", "top") == "drop_raw_nonparallel_top"
    assert chapter.half_drop_key("centred", "parallel", "held_out") == (
        "half_drop_centred_parallel_held_out"
    )
    assert half_shrink_key("raw", "beyond_2x_random") == "half_raw_beyond_2x_random_ci"
    assert SUMMARY.kind(half_shrink_key("raw", "shrink")) is Kind.INTERVAL
    assert SUMMARY.kind(product_shrink_key("beyond_half_top")) is Kind.INTERVAL
    assert SUMMARY.kind(design_key("peak_layer", "cross-corpus")) is Kind.COUNT
    assert SUMMARY.kind(design_key("beyond_null", "disjoint")) is Kind.TEXT
    assert SUMMARY.kind(gap_key("centred", "product")) is Kind.NUMBER
    assert SUMMARY.kind("gap_shrink_most") is Kind.TEXT  # an exact entry before "gap_*"


def test_claims_and_prose_read_the_golden_summary():
    """Every key a rule, a claim's numbers and the generated sentences read is in a summary of
    this chapter, of the type they read (an interval's ends, a layer index ...)."""
    summary = golden_summary()
    assert SUMMARY.problems(summary) == []
    assert isinstance(summary[half_shrink_key("centred", "beyond_random")], Interval)
    for claim in CLAIMS:
        assert claim.rule(summary).judged, claim.id
        assert claim.measured.format_map(summary) and claim.baseline.format_map(summary)
    points = chapter.measured_points(summary)
    assert len(points) == 3
    assert not [p for p in points if "nan" in p.lower() or "None" in p]


def resolve(**overrides):
    return book.resolve_parameters(
        "02", "quick", {"N_PAIRS": 24, "N_PAIRS_DISJOINT": 24, **overrides}
    )


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"NEURON_SITE": "residual"},
            "NEURON_SITE='residual' is not allowed; choose one of: neurons, gate",
        ),
        ({"NEURON_SITE": "mlp"}, "NEURON_SITE='mlp' is not allowed; choose one of: neurons, gate"),
        ({"TOP_NEURON_FRACTION": 0}, "TOP_NEURON_FRACTION=0 must be a number in (0.0, 0.5]"),
        ({"TOP_NEURON_FRACTION": 0.6}, "TOP_NEURON_FRACTION=0.6 must be a number in (0.0, 0.5]"),
        ({"TOP_NEURON_FRACTION": -0.1}, "TOP_NEURON_FRACTION=-0.1 must be a number in (0.0, 0.5]"),
        ({"TOP_NEURON_FRACTION": float("nan")}, "TOP_NEURON_FRACTION=nan must be finite"),
        ({"TOP_NEURON_FRACTION": float("inf")}, "TOP_NEURON_FRACTION=inf must be finite"),
        ({"TOP_NEURON_FRACTION": "3%"}, "TOP_NEURON_FRACTION must be a number, got '3%'"),
        ({"N_RANDOM_SEEDS": 0}, "N_RANDOM_SEEDS=0 must be an integer in >= 1"),
        ({"N_RANDOM_SEEDS": 1.5}, "N_RANDOM_SEEDS must be an integer, got 1.5"),
        (
            {"L2_LANGUAGES": ["it", "ja", "it"]},
            "L2_LANGUAGES (of the bundled data) lists it more than once",
        ),
        (
            {"L2_LANGUAGES": ["en"]},
            "L2_LANGUAGES (of the bundled data) contains 'en', which is not allowed; choose one of: ja",
        ),
        ({"N_PAIRS_DISJOINT": 1}, "N_PAIRS_DISJOINT=1 must be an integer in >= 2"),
        (
            {"OTHER_CORPUS": "web"},
            "OTHER_CORPUS='web' is not allowed; choose one of: formal, generated, flores",
        ),
        (
            {"DATA_SOURCE": "flores", "OTHER_CORPUS": "flores"},
            "OTHER_CORPUS='flores' must differ from DATA_SOURCE='flores'",
        ),
        (
            {"N_PAIRS_CROSS_CORPUS": 241},
            "N_PAIRS_CROSS_CORPUS=241 is more than the data has for en-ja: the cross-corpus "
            "design on bundled with formal allows at most 240",
        ),
        (
            {"TOP_FRACTION": 0.01},
            "chapter 02 has no parameter 'TOP_FRACTION'; its parameters: PROFILE",
        ),
    ],
)
def test_bad_parameters_are_named(overrides, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        resolve(**overrides)


def test_good_parameters():
    p = resolve(NEURON_SITE="gate", TOP_NEURON_FRACTION=0.5, N_RANDOM_SEEDS=1)
    assert (p.NEURON_SITE, p.TOP_NEURON_FRACTION, p.N_RANDOM_SEEDS) == ("gate", 0.5, 1)
    assert chapter.Parameters.PAPER == {
        "DATA_SOURCE": "tatoeba",
        "N_PAIRS": 2000,
        "N_PAIRS_DISJOINT": 1000,
        "N_PAIRS_CROSS_CORPUS": 1000,
        "OTHER_CORPUS": "flores",
        "N_RANDOM_SEEDS": 3,  # one on quick
        "N_PERMUTATIONS": 100,  # 20 on quick
    }
    assert "N_RANDOM_SEEDS" not in chapter.Parameters.PAPER_LITE  # paper-lite keeps three


def test_parameter_limits_are_declared_beside_their_fields():
    fraction = limits_of(chapter.Parameters, "TOP_NEURON_FRACTION")
    assert (fraction.low, fraction.high, fraction.low_open) == (0.0, 0.5, True)
    # checked when the parameters are built, before any data is read
    with pytest.raises(
        ValueError, match=re.escape("N_PERMUTATIONS=18 must be an integer in >= 19")
    ):
        chapter.Parameters(N_PERMUTATIONS=18)
    with pytest.raises(ValueError, match=re.escape("NEURON_SITE='up' is not allowed")):
        chapter.Parameters(NEURON_SITE="up")

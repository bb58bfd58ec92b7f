"""Chapter 4: its parameter checks (no model), its rules on their cases and on the kept
paper-size summary, and what its smoke run records."""

import re

import pytest

from neuron_utils.chapters import ch04_grammar_probes as ch04
from neuron_utils.chapters.ch04_grammar_probes import Parameters
from neuron_utils.kit.record import paper_results
from neuron_utils.kit.summary import Interval


def test_parameter_checks_name_the_allowed_values():
    with pytest.raises(
        ValueError, match="PAIR_SOURCES contains 'blimpp'.*generated, blimp, jblimp"
    ):
        Parameters.resolve("quick", {"PAIR_SOURCES": ["blimpp"]})
    with pytest.raises(ValueError, match="PARADIGMS contains 'blimp/passive_1'"):
        Parameters.resolve(
            "quick", {"PAIR_SOURCES": ["generated"], "PARADIGMS": ["blimp/passive_1"]}
        )
    with pytest.raises(ValueError, match="must include 1.0"):
        Parameters.resolve("quick", {"PAIR_SOURCES": ["generated"], "LAMBDAS": [0.1, 0.5]})
    with pytest.raises(ValueError, match="GEN_LAMBDA"):
        Parameters.resolve(
            "quick", {"PAIR_SOURCES": ["generated"], "LAMBDAS": [0.1, 1.0], "GEN_LAMBDA": 0.2}
        )
    with pytest.raises(ValueError, match="GEN_LAYER=18 must be an integer in 0..17"):
        Parameters.resolve("quick", {"PAIR_SOURCES": ["generated"], "GEN_LAYER": 18})
    with pytest.raises(ValueError, match="RANDOM_MULTIPLES.*increasing"):
        Parameters.resolve("quick", {"PAIR_SOURCES": ["generated"], "RANDOM_MULTIPLES": [4, 2]})


def test_blimp_paradigms_are_accepted_and_their_files_named(mirror):
    p = Parameters.resolve(
        "quick",
        {
            "PAIR_SOURCES": ["generated", "blimp"],
            "PARADIGMS": ["passive", "blimp/passive_1"],
            "LAMBDAS": [0.2, 1.0],
            "GEN_LAMBDA": 0.2,
            "GEN_LAYER": 17,
            "RANDOM_MULTIPLES": [1, 3],
        },
    )
    assert p.data_files() == [("blimp", "passive_1.jsonl")]


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"PAIR_SOURCES": ["generated", "generated"]},
            "PAIR_SOURCES lists generated more than once",
        ),
        ({"PAIR_SOURCES": []}, "PAIR_SOURCES needs at least 1 value(s)"),
        ({"PARADIGMS": ["passive", "passive"]}, "PARADIGMS lists passive more than once"),
        (
            {"PARADIGMS": ["passive"]},
            "PARADIGMS: the generalisation matrix needs at least two paradigms",
        ),
        ({"LAMBDAS": [0.2, 0.2, 1.0]}, "LAMBDAS lists 0.2 more than once"),
        (
            {"LAMBDAS": [0.2, 1.5]},
            "LAMBDAS=[0.2, 1.5] must be a non-empty list of numbers in [0.0, 1.0]",
        ),
        ({"LAMBDAS": [float("nan"), 1.0]}, "LAMBDAS=[nan, 1.0] must be finite"),
        ({"RANDOM_MULTIPLES": [1, 2, 2]}, "RANDOM_MULTIPLES lists 2 more than once"),
        (
            {"RANDOM_MULTIPLES": [0, 2]},
            "RANDOM_MULTIPLES=[0, 2] must be a non-empty list of numbers in [1, 1000]",
        ),
        (
            {"RANDOM_MULTIPLES": [1.5, 2]},
            "RANDOM_MULTIPLES must be a list of integers, got [1.5, 2]",
        ),
        ({"TOP_DIM_FRACTION": 0.0}, "TOP_DIM_FRACTION=0.0 must be a number in (0.0, 0.5]"),
        ({"TOP_DIM_FRACTION": 0.6}, "TOP_DIM_FRACTION=0.6 must be a number in (0.0, 0.5]"),
        ({"TOP_DIM_FRACTION": float("inf")}, "TOP_DIM_FRACTION=inf must be finite"),
        ({"TEST_FRACTION": 0.9}, "TEST_FRACTION=0.9 must be a number in [0.05, 0.5]"),
        ({"N_PAIRS_PER_PARADIGM": 5}, "N_PAIRS_PER_PARADIGM=5 must be an integer in 10..1000"),
        (
            {"N_PAIRS_PER_PARADIGM": 30, "MIN_PAIRS": 40},
            "MIN_PAIRS=40 is more than N_PAIRS_PER_PARADIGM=30",
        ),
        ({"MIN_PAIRS": 2}, "MIN_PAIRS=2 must be an integer in >= 4"),
        ({"L0_STEPS": 0}, "L0_STEPS=0 must be an integer in >= 1"),
        ({"N_RANDOM_SEEDS": 0}, "N_RANDOM_SEEDS=0 must be an integer in >= 1"),
        ({"BATCH_SIZE": 0}, "BATCH_SIZE=0 must be an integer in >= 1"),
        ({"LAMBDAS": [1.0], "GEN_LAMBDA": 1.0}, "LAMBDAS=[1.0] needs a value below 1.0"),
        ({"GEN_LAYER": -1}, "GEN_LAYER=-1 must be an integer in 0..17"),
        (
            {"GEN_LAMBDA": 0.3},
            "GEN_LAMBDA (one of LAMBDAS)=0.3 is not allowed; choose one of: 0.05, 0.1, 0.2, 0.5, 1.0",
        ),
        (
            {"TOP_FRACTION": 0.01},
            "chapter 04 has no parameter 'TOP_FRACTION'",
        ),  # renamed: a fraction of the dimensions
    ],
)
def test_bad_parameters_are_named(overrides, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Parameters.resolve("quick", overrides)


def test_defaults_read_no_files_and_the_paper_profile_reads_blimp_and_jblimp():
    assert Parameters().data_files() == []
    paper = dict(Parameters.PAPER)
    assert paper == {
        "PAIR_SOURCES": ["blimp", "jblimp"],
        "N_PAIRS_PER_PARADIGM": 1000,
        "N_RANDOM_SEEDS": 5,  # three on quick: the multiple's interval is a range over draws
    }
    # the file list is computed without fetching (building a Parameters fetches them)
    files = Parameters.data_files(_Unchecked(PAIR_SOURCES=["blimp", "jblimp"], PARADIGMS=None))
    assert len([f for f in files if f[0] == "blimp"]) == 67
    assert files[-1] == ("jblimp", "validated_minimal_pairs.jsonl")
    chosen = Parameters.data_files(
        _Unchecked(PAIR_SOURCES=["generated", "blimp"], PARADIGMS=["passive", "blimp/passive_1"])
    )
    assert chosen == [("blimp", "passive_1.jsonl")]


RULED = [claim for claim in ch04.CLAIMS if claim.rule is not None]


def test_the_kept_summary_is_typed_and_every_rule_judges_it():
    kept = paper_results("04", "paper-lite")
    assert kept["schema"] == 2
    summary = ch04.SUMMARY.decode(kept["summary"])
    assert ch04.SUMMARY.problems(summary) == []
    assert isinstance(summary["gen_diff_mean_ci"], Interval)
    assert (
        summary["gen_diff_mean_ci"].low
        <= summary["gen_diff_mean"]
        <= summary["gen_diff_mean_ci"].high
    )
    for claim in RULED:
        assert claim.rule(summary).judged, claim.id
        assert "{" not in claim.measured.format_map(summary), claim.id


class _Unchecked:
    """Attributes only: :meth:`Parameters.data_files` without the checks and fetches of ``__init__``."""

    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.mark.smoke
def test_chapter_04_summary(smoke):
    run = smoke("04")
    summary, layers, d_model = run.results["summary"], run.layers, run.results["model"]["d_model"]
    assert summary["paradigms"] == ["transitive", "npi_ever", "ja_dative_verb"]
    assert len(summary["dense_accuracy_per_layer"]) == layers
    assert summary["n_top"] == max(1, round(0.01 * d_model))
    assert summary["topk_sizes"][-1] == d_model
    assert (
        len(summary["generalisation_sparse"]) == 3 and len(summary["generalisation_sparse"][0]) == 3
    )
    assert set(summary["l0_kept_per_layer"]) == {"0.2", "1.0"}
    assert [row["paradigm"] for row in summary["per_paradigm"]] == summary["paradigms"]
    assert set(summary["model_accuracy"]) == set(summary["paradigms"])
    assert (
        len(summary["random_accuracy_per_layer"]) == layers
        and len(summary["random_accuracy_per_layer"][0]) == 2
    )
    assert "units" not in summary  # the units are declared once, on ch04.SUMMARY
    typed = ch04.SUMMARY.decode(summary)
    assert ch04.SUMMARY.problems(typed) == []
    assert typed["top_acc_mean_ci"].low <= typed["top_acc_mean"] <= typed["top_acc_mean_ci"].high
    assert all(isinstance(typed[key], Interval) for key in ("gen_off_ci", "multiple_median_ci"))
    assert summary["n_paradigms"] == 3 and summary["n_pairs"] == 60
    assert summary["d_model"] == d_model
    assert (
        summary["left_out"] == "none" and summary["gen_layer"] == 1 and summary["gen_lambda"] == 0.2
    )

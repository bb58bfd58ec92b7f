"""Chapter 4: what its smoke run records."""

import pytest

from neuron_utils.book import parameters as params


# TODO(chapter 4 conversion): port to ch04_grammar_probes.Parameters
def test_parameter_checks_name_the_allowed_values():
    with pytest.raises(ValueError, match="PAIR_SOURCES contains 'blimpp'.*generated, blimp, jblimp"):
        params.validate({"PAIR_SOURCES": ["blimpp"]})
    with pytest.raises(ValueError, match="PARADIGMS contains 'blimp/passive_1'"):
        params.validate({"PAIR_SOURCES": ["generated"], "PARADIGMS": ["blimp/passive_1"]})
    with pytest.raises(ValueError, match="must include 1.0"):
        params.validate({"PAIR_SOURCES": ["generated"], "LAMBDAS": [0.1, 0.5]})
    with pytest.raises(ValueError, match="GEN_LAMBDA"):
        params.validate({"PAIR_SOURCES": ["generated"], "LAMBDAS": [0.1, 1.0], "GEN_LAMBDA": 0.2})
    with pytest.raises(ValueError, match="GEN_LAYER=18 must be an integer in 0..17"):
        params.validate({"PAIR_SOURCES": ["generated"], "GEN_LAYER": 18})
    with pytest.raises(ValueError, match="RANDOM_MULTIPLES.*increasing"):
        params.validate({"PAIR_SOURCES": ["generated"], "RANDOM_MULTIPLES": [4, 2]})
    params.validate({"PAIR_SOURCES": ["generated", "blimp"], "PARADIGMS": ["passive", "blimp/passive_1"],
                     "LAMBDAS": [0.2, 1.0], "GEN_LAMBDA": 0.2, "GEN_LAYER": 17, "RANDOM_MULTIPLES": [1, 3]})


@pytest.mark.smoke
def test_chapter_04_summary(smoke):
    summary = smoke("04").results["summary"]
    assert summary["paradigms"] == ["transitive", "npi_ever", "ja_dative_verb"]
    assert len(summary["dense_accuracy_per_layer"]) == 18
    assert summary["n_top"] == round(0.01 * 640)
    assert summary["topk_sizes"][-1] == 640
    assert len(summary["generalisation_sparse"]) == 3 and len(summary["generalisation_sparse"][0]) == 3
    assert set(summary["l0_kept_per_layer"]) == {"0.2", "1.0"}

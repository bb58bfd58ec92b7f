"""Minimal pairs: the generator (deterministic, distinct, minimal) and the BLiMP/JBLiMP loaders."""

import json
import os

import pytest

from neuron_utils import data, minimal_pairs, params


def differing_segments(good: str, bad: str) -> tuple[str, str]:
    """What is left of each sentence after removing their longest common prefix and suffix."""
    start = 0
    while start < min(len(good), len(bad)) and good[start] == bad[start]:
        start += 1
    end = 0
    while end < min(len(good), len(bad)) - start and good[-1 - end] == bad[-1 - end]:
        end += 1
    return good[start : len(good) - end], bad[start : len(bad) - end]


def test_paradigm_inventory():
    languages = [p.language for p in minimal_pairs.PARADIGMS.values()]
    assert languages.count("en") >= 12 and languages.count("ja") >= 3
    assert [minimal_pairs.language_of(p) for p in ("passive", "ja_adjective_past", "jblimp/binding", "blimp/passive_1")] \
        == ["en", "ja", "ja", "en"]


@pytest.mark.parametrize("name", sorted(minimal_pairs.PARADIGMS))
def test_every_paradigm_gives_distinct_minimal_pairs(name):
    pairs = minimal_pairs.generate(name, minimal_pairs.MAX_PAIRS, seed=0)
    assert len(pairs) == minimal_pairs.MAX_PAIRS >= 200
    assert len(set(pairs.good)) == len(set(pairs.bad)) == len(pairs)
    assert not set(pairs.good) & set(pairs.bad)
    for good, bad in zip(pairs.good, pairs.bad):
        if minimal_pairs.PARADIGMS[name].language == "en":
            g, b = good.split(" "), bad.split(" ")
            assert len(g) == len(b) and sum(x != y for x, y in zip(g, b)) == 1, (good, bad)
        else:
            g, b = differing_segments(good, bad)
            assert (g or b) and len(g) <= 5 and len(b) <= 5, (good, bad)  # one particle, classifier or ending
            assert " " not in good and good.endswith("。")


def test_generator_is_deterministic_and_seeded():
    a = minimal_pairs.generated(["transitive", "ja_shika_negation"], 50, seed=3)
    b = minimal_pairs.generated(["transitive", "ja_shika_negation"], 50, seed=3)
    c = minimal_pairs.generated(["transitive", "ja_shika_negation"], 50, seed=4)
    assert a == b
    assert a.good != c.good
    assert a.paradigms == ["transitive", "ja_shika_negation"]
    assert a.group_of("ja_shika_negation") == "NPI licensing"
    # A paradigm's pairs do not depend on which other paradigms are drawn with it.
    assert minimal_pairs.generate("ja_shika_negation", 50, seed=3).good == a.good[50:]


def test_generator_errors():
    with pytest.raises(ValueError, match="unknown generated paradigm 'passives'"):
        minimal_pairs.generate("passives", 10)
    with pytest.raises(ValueError, match=r"must be in 1..1000"):
        minimal_pairs.generate("passive", 1001)


def test_pair_set_checks_lengths_and_ids():
    with pytest.raises(ValueError, match="same length"):
        minimal_pairs.MinimalPairSet(("a",), (), ("p",), ("1",), ("g",))
    with pytest.raises(ValueError, match="unique"):
        minimal_pairs.MinimalPairSet(("a", "b"), ("c", "d"), ("p", "p"), ("1", "1"), ("g", "g"))


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


def test_blimp_from_mirror(mirror):
    assert len(data.available_paradigms("blimp")) == 67
    everything = data.minimal_pairs(["blimp"], n_per_paradigm=1000)
    raw = [json.loads(line) for path in sorted((mirror / "blimp").glob("*.jsonl"))
           for line in path.read_text(encoding="utf-8").splitlines()]
    identical = sum(r["sentence_good"] == r["sentence_bad"] for r in raw)
    assert identical == 7 and len(raw) == 67_000
    assert len(everything) == 67_000 - identical  # identical pairs dropped
    assert all(g != b for g, b in zip(everything.good, everything.bad))
    assert {r["field"] for r in raw} >= {"syntax_semantics", "syntax/semantics"}  # the quirk is there ...
    fields = {group.split(": ")[0] for group in everything.group}
    assert fields == {"morphology", "syntax", "semantics", "syntax/semantics"}  # ... and normalised
    sample = data.minimal_pairs(["blimp"], ["blimp/passive_1", "blimp/transitive"], n_per_paradigm=100, seed=1)
    assert sample.paradigms == ["blimp/passive_1", "blimp/transitive"] and len(sample) == 200
    assert sample == data.minimal_pairs(["blimp"], ["blimp/passive_1", "blimp/transitive"], 100, seed=1)
    assert sample.ids[0].startswith("blimp/passive_1/")


def test_jblimp_from_mirror(mirror):
    pairs = data.jblimp_pairs()
    assert len(pairs) == 331
    assert set(pairs.paradigms) == {f"jblimp/{p}" for p in data.JBLIMP_PHENOMENA}
    assert pairs.good[0].endswith("。")
    kept = data.minimal_pairs(["jblimp"], n_per_paradigm=1000, min_pairs=20)
    assert sorted(kept.paradigms) == sorted(["jblimp/argument structure", "jblimp/verbal agreement",
                                             "jblimp/morphology", "jblimp/nominal structure"])
    with pytest.raises(ValueError, match="no paradigm"):
        data.minimal_pairs(["jblimp"], ["jblimp/control/raising"], min_pairs=20)


def test_real_minimal_pairs_are_never_bundled():
    bundled = os.path.join(os.path.dirname(data.__file__), "..", "data", "bundled")
    assert not [name for name in os.listdir(bundled) if "blimp" in name.lower()]

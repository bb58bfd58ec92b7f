"""Minimal pairs: the generator (deterministic, distinct, minimal) and the BLiMP/JBLiMP loaders."""

import json

import pytest

from neuron_utils import data
from neuron_utils.core.paths import DATA_DIR
from neuron_utils.data import generator


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
    languages = [p.language for p in generator.PARADIGMS.values()]
    assert languages.count("en") >= 12 and languages.count("ja") >= 3
    assert [
        generator.language_of(p)
        for p in ("passive", "ja_adjective_past", "jblimp/binding", "blimp/passive_1")
    ] == ["en", "ja", "ja", "en"]


@pytest.mark.parametrize("name", sorted(generator.PARADIGMS))
def test_every_paradigm_gives_distinct_minimal_pairs(name):
    pairs = generator.generate(name, generator.MAX_PAIRS, seed=0)
    assert len(pairs) == generator.MAX_PAIRS >= 200
    assert len(set(pairs.good)) == len(set(pairs.bad)) == len(pairs)
    assert not set(pairs.good) & set(pairs.bad)
    for good, bad in zip(pairs.good, pairs.bad):
        if generator.PARADIGMS[name].language == "en":
            g, b = good.split(" "), bad.split(" ")
            assert len(g) == len(b) and sum(x != y for x, y in zip(g, b)) == 1, (good, bad)
        else:
            g, b = differing_segments(good, bad)
            # one particle, classifier or ending
            assert (g or b) and len(g) <= 5 and len(b) <= 5, (good, bad)
            assert " " not in good and good.endswith("。")


def test_generator_is_deterministic_and_seeded():
    a = generator.generated(["transitive", "ja_shika_negation"], 50, seed=3)
    b = generator.generated(["transitive", "ja_shika_negation"], 50, seed=3)
    c = generator.generated(["transitive", "ja_shika_negation"], 50, seed=4)
    assert a == b
    assert a.good != c.good
    assert a.paradigms == ["transitive", "ja_shika_negation"]
    assert a.group_of("ja_shika_negation") == "NPI licensing"
    # A paradigm's pairs do not depend on which other paradigms are drawn with it.
    assert generator.generate("ja_shika_negation", 50, seed=3).good == a.good[50:]


def test_generator_errors():
    with pytest.raises(ValueError, match="unknown generated paradigm 'passives'"):
        generator.generate("passives", 10)
    with pytest.raises(ValueError, match=r"must be in 1..1000"):
        generator.generate("passive", 1001)


def test_pair_set_checks_lengths_and_ids():
    with pytest.raises(ValueError, match="same length"):
        data.MinimalPairSet(("a",), (), ("p",), ("1",), ("g",))
    with pytest.raises(ValueError, match="unique"):
        data.MinimalPairSet(("a", "b"), ("c", "d"), ("p", "p"), ("1", "1"), ("g", "g"))


def test_blimp_from_mirror(mirror):
    assert len(data.available_paradigms("blimp")) == 67
    everything = data.load_minimal_pairs(["blimp"], n_per_paradigm=1000)
    raw = [
        json.loads(line)
        for path in sorted((mirror / "blimp").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    identical = sum(r["sentence_good"] == r["sentence_bad"] for r in raw)
    assert identical == 7 and len(raw) == 67_000
    assert len(everything) == 67_000 - identical  # identical pairs dropped
    assert all(g != b for g, b in zip(everything.good, everything.bad))
    assert {r["field"] for r in raw} >= {
        "syntax_semantics",
        "syntax/semantics",
    }  # the quirk is there ...
    fields = {group.split(": ")[0] for group in everything.group}
    assert fields == {"morphology", "syntax", "semantics", "syntax/semantics"}  # ... and normalised
    sample = data.load_minimal_pairs(
        ["blimp"], ["blimp/passive_1", "blimp/transitive"], n_per_paradigm=100, seed=1
    )
    assert sample.paradigms == ["blimp/passive_1", "blimp/transitive"] and len(sample) == 200
    assert sample == data.load_minimal_pairs(
        ["blimp"], ["blimp/passive_1", "blimp/transitive"], 100, seed=1
    )
    assert sample.ids[0].startswith("blimp/passive_1/")


def test_jblimp_from_mirror(mirror):
    pairs = data.jblimp_pairs()
    assert len(pairs) == 331
    assert set(pairs.paradigms) == {f"jblimp/{p}" for p in data.JBLIMP_PHENOMENA}
    assert pairs.good[0].endswith("。")
    kept = data.load_minimal_pairs(["jblimp"], n_per_paradigm=1000, min_pairs=20)
    assert sorted(kept.paradigms) == sorted(
        [
            "jblimp/argument structure",
            "jblimp/verbal agreement",
            "jblimp/morphology",
            "jblimp/nominal structure",
        ]
    )
    with pytest.raises(ValueError, match="no paradigm"):
        data.load_minimal_pairs(["jblimp"], ["jblimp/control/raising"], min_pairs=20)


def test_real_minimal_pairs_are_never_bundled():
    assert not [
        path.name for path in (DATA_DIR / "bundled").iterdir() if "blimp" in path.name.lower()
    ]

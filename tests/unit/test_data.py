"""Data layer: bundled corpus, pairs, manifest downloads (mirror, checksum, no network)."""

import urllib.error
from pathlib import Path

import numpy as np
import pytest

from neuron_utils import data
from neuron_utils.data import downloads


def test_bundled_corpus_card_claims():
    rows = data.bundled_corpus()
    assert len(rows) >= 300
    for lang in data.BUNDLED_LANGUAGES:
        texts = [r[lang] for r in rows]
        assert all(t.strip() for t in texts) and len(set(texts)) == len(texts), lang
    words = [len(r["en"].split()) for r in rows]
    assert 4 <= min(words) and max(words) <= 30
    assert len({r["id"] for r in rows}) == len(rows)


def test_derangement_has_no_fixed_point_and_is_seeded():
    for n in (2, 3, 10, 101):
        perm = data.derangement(n, np.random.default_rng(7))
        assert sorted(perm) == list(range(n)) and not np.any(perm == np.arange(n))
    assert np.array_equal(
        data.derangement(50, np.random.default_rng(1)),
        data.derangement(50, np.random.default_rng(1)),
    )


def test_derangement_design_uses_the_same_sentences_in_both_classes():
    ps = data.make_pairs("bundled", "en", "ja", 50, "derangement", seed=4)
    par, non = ps.pairs[ps.labels == 1], ps.pairs[ps.labels == 0]
    assert len(par) == len(non) == 50
    assert sorted(par[:, 0]) == sorted(non[:, 0]) and sorted(par[:, 1]) == sorted(non[:, 1])
    assert not np.any(non[:, 0] == non[:, 1])
    truth = {r["en"]: r["ja"] for r in data.bundled_corpus()}
    assert all(truth[ps.l1_texts[i]] == ps.l2_texts[j] for i, j in par)
    assert not any(truth[ps.l1_texts[i]] == ps.l2_texts[j] for i, j in non)
    again = data.make_pairs("bundled", "en", "ja", 50, "derangement", seed=4)
    assert again.l1_texts == ps.l1_texts and np.array_equal(again.pairs, ps.pairs)


def test_disjoint_design_draws_non_parallel_pairs_from_other_sentences():
    ps = data.make_pairs("bundled", "en", "ko", 40, "disjoint", seed=0)
    par, non = ps.pairs[ps.labels == 1], ps.pairs[ps.labels == 0]
    assert not set(par[:, 0]) & set(non[:, 0]) and not set(par[:, 1]) & set(non[:, 1])


@pytest.mark.parametrize("other", ["formal", "generated"])
def test_cross_corpus_design_pairs_each_l2_sentence_with_another_corpus(other):
    ps = data.make_pairs("bundled", "en", "ja", 60, "cross-corpus", seed=2, other=other)
    par, non = ps.pairs[ps.labels == 1], ps.pairs[ps.labels == 0]
    assert len(par) == len(non) == 60 == ps.n_per_class and ps.other == other
    # the same L2 sentences in both classes, each once: only the L1 side differs
    assert sorted(par[:, 1]) == sorted(non[:, 1]) == list(range(60))
    assert len(ps.l2_texts) == 60 and len(ps.l1_texts) == 120
    # non-parallel L1 sentences come from the other corpus and translate nothing of the source
    truth = {r["ja"]: r["en"] for r in data.bundled_corpus()}
    source_en = set(truth.values())
    other_sentences = set(data.other_texts(other, "en"))
    assert all(truth[ps.l2_texts[j]] == ps.l1_texts[i] for i, j in par)
    for i, j in non:
        assert ps.l1_texts[i] in other_sentences and ps.l1_texts[i] not in source_en
        assert truth[ps.l2_texts[j]] != ps.l1_texts[i]
    assert len(set(ps.l1_side(0))) == 60 and set(ps.l1_side(1)) <= source_en
    again = data.make_pairs("bundled", "en", "ja", 60, "cross-corpus", seed=2, other=other)
    assert again.l1_texts == ps.l1_texts and np.array_equal(again.pairs, ps.pairs)
    moved = data.make_pairs("bundled", "en", "ja", 60, "cross-corpus", seed=3, other=other)
    assert moved.l1_side(0) != ps.l1_side(0)


def test_cross_corpus_errors_name_the_corpus_and_the_limit():
    most = len(data.other_texts("formal", "en"))
    with pytest.raises(ValueError, match=rf"formal {most} other en sentences.*allows 2\.\.{most}"):
        data.make_pairs("bundled", "en", "ja", most + 1, "cross-corpus", other="formal")
    with pytest.raises(ValueError, match="unknown other corpus 'web'; allowed: formal"):
        data.make_pairs("bundled", "en", "ja", 10, "cross-corpus", other="web")
    with pytest.raises(ValueError, match="has no 'ja' sentences"):
        data.make_pairs("bundled", "ja", "en", 10, "cross-corpus", other="formal")
    with pytest.raises(ValueError, match="another corpus than the parallel source"):
        data.make_pairs("bundled", "en", "ja", 10, "cross-corpus", other="bundled")


def test_formal_corpus_card_claims():
    rows = data.formal_corpus()
    texts = [r["en"] for r in rows]
    assert len(rows) == 240 and len(set(texts)) == len(texts)
    assert len({r["id"] for r in rows}) == len(rows)
    words = [len(t.split()) for t in texts]
    assert 16 <= min(words) and max(words) <= 45 and 24 <= np.mean(words) <= 28
    # another register: longer than the parallel corpus's English side on average
    assert np.mean(words) > np.mean([len(r["en"].split()) for r in data.bundled_corpus()]) + 8
    assert not set(texts) & {r["en"] for r in data.bundled_corpus()}


def test_too_many_pairs_names_the_limit():
    with pytest.raises(ValueError, match=r"allows 2\.\.200 pairs"):
        data.make_pairs("bundled", "en", "ja", 201, "disjoint")
    with pytest.raises(ValueError, match="allowed: en, ja, nl, ko, it, zh, fr, es"):
        data.make_pairs("bundled", "en", "xx", 10)


def test_manifest_pins_commits_and_checksums():
    for name, entry in data.manifest()["datasets"].items():
        assert len(entry["commit"]) == 40 and entry["license"] and entry["files"], name
        assert all(len(sha) == 64 for sha in entry["files"].values())
    url = data.file_url("flores200", "devtest/eng_Latn.devtest")
    assert url.startswith(
        "https://raw.githubusercontent.com/Helsinki-NLP/OPUS-MT-testsets/ac0f19c0"
    )


def test_flores_from_mirror(mirror):
    en, ko = data.flores_texts("en"), data.flores_texts("ko")
    assert len(en) == len(ko) == 1012
    assert not any(line.startswith('"') and '""' in line for line in ko)  # CSV quoting undone
    assert ko[0].startswith('그는 "현재 4개월')


def test_tatoeba_from_mirror(mirror):
    pairs = data.tatoeba_pairs("ja")
    assert len(pairs) == 13862
    unique = data.translation_pairs("tatoeba", "en", "ja")
    assert len({a for a, _ in unique}) == len(unique) == len({b for _, b in unique}) < len(pairs)
    ps = data.make_pairs("tatoeba", "en", "ko", 100, "derangement", seed=0)
    assert ps.n_per_class == 100


def _fake_mirror(tmp_path: Path, relpath: str, content: bytes) -> Path:
    target = tmp_path / "mirror" / "flores200" / relpath
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    return tmp_path / "mirror"


def test_corrupted_file_is_rejected_and_nothing_is_left(tmp_path, monkeypatch):
    relpath = "devtest/eng_Latn.devtest"
    monkeypatch.setenv(
        "NEURON_UTILS_DATA_MIRROR", str(_fake_mirror(tmp_path, relpath, b"tampered\n"))
    )
    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path / "dl"))
    with pytest.raises(data.DataError, match="checksum mismatch.*was not saved"):
        data.fetch("flores200", relpath)
    left = list((tmp_path / "dl").rglob("*")) if (tmp_path / "dl").exists() else []
    assert [p for p in left if p.is_file()] == []


def test_no_network_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("NEURON_UTILS_DATA_MIRROR", raising=False)
    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path / "dl"))

    def offline(*args, **kwargs):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(downloads.urllib.request, "urlopen", offline)
    with pytest.raises(
        data.DataError,
        match="could not download https://raw.githubusercontent.com/.*NEURON_UTILS_DATA_MIRROR",
    ):
        data.fetch("tatoeba", "eng-ita/tatoeba-test-v2021-08-07.ita")
    assert not any(p.is_file() for p in (tmp_path / "dl").rglob("*"))


def test_unknown_dataset_and_file():
    with pytest.raises(data.DataError, match="unknown data set"):
        data.fetch("wikipedia", "x")
    with pytest.raises(data.DataError, match="no file"):
        data.fetch("blimp", "not_a_paradigm.jsonl")


def test_bundled_corpus_is_not_copied_from_the_real_data(mirror):
    real = set()
    for path in mirror.glob("tatoeba/*/*.???"):
        real.update(path.read_text(encoding="utf-8").splitlines())
    for path in mirror.glob("flores200/devtest/*.devtest"):
        real.update(path.read_text(encoding="utf-8").splitlines())
    ours = {r[lang] for r in data.bundled_corpus() for lang in data.BUNDLED_LANGUAGES}
    ours |= {r["en"] for r in data.formal_corpus()}
    assert not ours & real

"""Chapter 1: what its smoke run records."""

import pytest

from neuron_utils.chapters.ch01_cross_lingual_similarity import SPEC

TINY = SPEC.tiny


def test_chapter_01_summary(smoke):
    summary = smoke("01").results["summary"]
    assert [row["L2"] for row in summary["per_l2"]] == ["ja", "it"]
    assert len(summary["retrieval_per_layer"]["ja"]) == 18
    assert summary["retrieval_chance"] == 1 / TINY["N_PAIRS"]
    assert 0 <= summary["centred_gap_peak_layer"] < 18
    assert set(summary["cv_per_layer"]) == {
        f"{l2} {d} {f}"
        for l2 in ("ja", "it")
        for d in ("derangement", "disjoint", "cross-corpus")
        for f in ("concat", "interaction", "l1_only")
    }
    designs = {row["design"]: row for row in summary["designs"]}
    assert list(designs) == ["derangement", "disjoint", "cross-corpus"]
    sizes = ["N_PAIRS", "N_PAIRS_DISJOINT", "N_PAIRS_CROSS_CORPUS"]
    assert [row["pairs"] for row in designs.values()] == [TINY[name] for name in sizes]
    # the derangement design holds the same L1 sentences in both classes
    assert summary["l1_tokens_parallel_derangement"] == summary["l1_tokens_nonparallel_derangement"]
    # the formal-register sentences are longer than the bundled corpus's
    assert (
        summary["l1_tokens_nonparallel_cross_corpus"]
        > summary["l1_tokens_parallel_cross_corpus"] + 5
    )
    for design in ("derangement", "disjoint", "cross_corpus"):
        for feature in ("concat", "interaction", "l1_only", "length"):
            low, high = summary[f"cv_{feature}_{design}_min"], summary[f"cv_{feature}_{design}_max"]
            assert 0 <= low <= high <= 1
    assert summary["cross_corpus_l1_minus_concat"] == pytest.approx(
        summary["cv_l1_only_cross_corpus_mean"] - summary["cv_concat_cross_corpus_mean"]
    )
    assert summary["cross_corpus_reading"].startswith("the L1 side alone")
    assert summary["other_corpus"] == "formal"


def test_corpus_reading_rule():
    from neuron_utils.chapters.ch01_cross_lingual_similarity import corpus_reading

    assert "detects the corpus" in corpus_reading(0.95, -0.01)
    assert "explains part" in corpus_reading(0.8, -0.1)
    assert "does not separate" in corpus_reading(0.52, -0.3)


def test_chapter_01_renders_on_an_own_tsv(tmp_path, monkeypatch, smoke_model):
    """The re-run guide's example: chapter 1 on the book's example TSV (en/ja/ko columns) read
    through datasets, 30 pairs of English and Japanese; the provenance names the file's sha256.
    On the tiny model: what is tested is the data path (the smoke run reads the real model)."""
    import hashlib
    import json
    from pathlib import Path

    from neuron_utils import book

    root = Path(__file__).resolve().parents[2]
    example = root / "data" / "examples" / "own_parallel.tsv"
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path / "results"))  # the smoke runs' stay
    monkeypatch.chdir(root)  # a relative path, as a reader types it in the repository root
    out = book.run_chapter(
        "01",
        "quick",
        {
            "DATA_SOURCE": "data/examples/own_parallel.tsv",
            "L2_LANGUAGES": ["ja"],
            "N_PAIRS": 30,
            "MODEL": smoke_model,
        },
        output_dir=tmp_path,
    )
    notebook = out.read_text()
    # the provenance table shows every data file's sha256 by its first 16 hex digits
    sha256 = hashlib.sha256(example.read_bytes()).hexdigest()
    assert "sha256 own_parallel.tsv" in notebook and sha256[:16] in notebook
    assert str(root) not in notebook  # the file by its name, never the builder's folders
    summary = json.loads((tmp_path / "results" / "01.json").read_text())["summary"]
    designs = {row["design"]: row["pairs"] for row in summary["designs"]}
    assert designs == {"derangement": 30, "disjoint": 25, "cross-corpus": 30}

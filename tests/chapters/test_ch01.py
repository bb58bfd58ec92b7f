"""Chapter 1: what its smoke run records, its claims' rules on their own cases and on the golden
summary, and the names and limits it declares."""

import json

import pytest

from neuron_utils.book import registry
from neuron_utils.chapters.ch01_cross_lingual_similarity import (
    CLAIMS,
    SPEC,
    SUMMARY,
    Parameters,
    corpus_reading,
    cv_key,
    gap_key,
    l1_tokens_key,
    measured_points,
)
from neuron_utils.kit.summary import Interval

TINY = SPEC.tiny
DESIGNS = ("derangement", "disjoint", "cross-corpus")


def golden_summary() -> dict:
    """The golden summary (a tiny float64 model's), typed as the chapter declares it."""
    return SUMMARY.decode(json.loads(registry.golden_path("01").read_text()))


def test_chapter_01_summary(smoke):
    recorded = smoke("01").results["summary"]
    summary = SUMMARY.decode(recorded)
    assert SUMMARY.problems(summary) == [] and "units" not in summary
    assert [row["L2"] for row in summary["per_l2"]] == ["ja", "it"]
    assert len(summary["retrieval_per_layer"]["ja"]) == 18
    assert summary["retrieval_chance"] == 1 / TINY["N_PAIRS"]
    assert 0 <= summary["centred_gap_peak_layer"] < 18
    assert set(summary["cv_per_layer"]) == {
        f"{l2} {d} {f}" for l2 in ("ja", "it") for d in DESIGNS for f in Parameters().FEATURES
    }
    designs = {row["design"]: row for row in summary["designs"]}
    assert list(designs) == list(DESIGNS)
    sizes = ["N_PAIRS", "N_PAIRS_DISJOINT", "N_PAIRS_CROSS_CORPUS"]
    assert [row["pairs"] for row in designs.values()] == [TINY[name] for name in sizes]
    tokens = {(label, d): summary[l1_tokens_key(label, d)] for label in ("parallel", "non-parallel")
              for d in DESIGNS}  # fmt: skip
    # the derangement design holds the same L1 sentences in both classes
    assert tokens[("parallel", "derangement")] == tokens[("non-parallel", "derangement")]
    # the formal-register sentences are longer than the bundled corpus's
    assert tokens[("non-parallel", "cross-corpus")] > tokens[("parallel", "cross-corpus")] + 5
    for design in DESIGNS:
        for probe in ("concat", "interaction", "l1_only", "concat_ungrouped", "length"):
            low, high = (summary[cv_key(probe, design, end)] for end in ("min", "max"))
            assert 0 <= low <= high <= 1
            assert summary[cv_key(probe, design, "range")] == f"{low:.2f}–{high:.2f}"
    assert summary["cross_corpus_l1_minus_concat"] == pytest.approx(
        summary[cv_key("l1_only", "cross-corpus", "mean")]
        - summary[cv_key("concat", "cross-corpus", "mean")]
    )
    assert summary["cross_corpus_reading"].startswith("the L1 side alone")
    assert summary["other_corpus"] == "formal"
    # an interval, recorded as its two ends, around its point estimate
    edges = summary["mlp_minus_attn_edges_ci"]
    assert recorded["mlp_minus_attn_edges_ci"] == {"low": edges.low, "high": edges.high}
    assert edges.low <= summary["mlp_minus_attn_edges"] <= edges.high


def test_corpus_reading_rule():
    assert "detects the corpus" in corpus_reading(0.95, -0.01)
    assert "explains part" in corpus_reading(0.8, -0.1)
    assert "does not separate" in corpus_reading(0.52, -0.3)


def test_key_functions_give_the_names_the_prose_glues():
    assert cv_key("l1_only", "cross-corpus", "mean_text") == "cv_l1_only_cross_corpus_mean_text"
    assert cv_key("concat_ungrouped", "derangement", "min") == "cv_concat_ungrouped_derangement_min"
    assert gap_key("centred", "derangement", "mean") == "centred_gap_derangement_mean"
    assert l1_tokens_key("non-parallel", "cross-corpus") == "l1_tokens_nonparallel_cross_corpus"


def test_claims_and_prose_read_the_golden_summary():
    """Every key a rule, a claim's numbers and the generated sentences read is in a summary of
    this chapter, of the type they read (an interval's ends, a layer index ...)."""
    summary = golden_summary()
    assert isinstance(summary["mlp_minus_attn_edges_ci"], Interval)
    for claim in CLAIMS:
        assert claim.rule(summary).judged, claim.id
        assert claim.measured.format_map(summary) and claim.baseline.format_map(summary)
    points = measured_points(summary)
    assert len(points) == 5
    assert not [p for p in points if "nan" in p.lower() or "None" in p]


def test_parameter_limits_are_declared_beside_their_fields():
    with pytest.raises(ValueError, match="POOLING='min' is not allowed; choose one of: last, mean"):
        Parameters(POOLING="min")
    with pytest.raises(ValueError, match="FEATURES contains 'sum', which is not allowed"):
        Parameters(FEATURES=["concat", "sum"])
    with pytest.raises(ValueError, match="FEATURES lists concat more than once"):
        Parameters(FEATURES=["concat", "concat"])
    with pytest.raises(ValueError, match=r"FEATURES needs at least 1 value\(s\), got \[\]"):
        Parameters(FEATURES=[])
    # CV_FOLDS's limit depends on the data: building reads none, validating checks it
    assert Parameters(CV_FOLDS=1).CV_FOLDS == 1
    with pytest.raises(ValueError, match=r"CV_FOLDS=1 must be an integer in 2\.\.\d+ \(folds are"):
        Parameters(CV_FOLDS=1).validate()


def test_chapter_01_renders_on_an_own_tsv(tmp_path, monkeypatch, smoke_model):
    """The re-run guide's example: chapter 1 on the book's example TSV (en/ja/ko columns) read
    through datasets, 30 pairs of English and Japanese; the provenance names the file's sha256.
    On the tiny model: what is tested is the data path (the smoke run reads the real model)."""
    import hashlib
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

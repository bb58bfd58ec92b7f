"""Each chapter runs end to end through papermill with tiny parameters."""

import json

import pytest

from neuron_utils import book

pytestmark = pytest.mark.smoke

TINY = {
    "01": ({"L2_LANGUAGES": ["ja", "it"], "N_PAIRS": 24, "N_PAIRS_DISJOINT": 20, "CV_FOLDS": 4}, 5),
    "02": ({"L2_LANGUAGES": ["it"], "N_PAIRS": 24, "N_PAIRS_DISJOINT": 20, "N_RANDOM_SEEDS": 1, "TOP_FRACTION": 0.01}, 4),
    "03": ({"LANGUAGES": ["en", "fr", "ja"], "N_STATS_SENTENCES": 24, "N_EVAL_SENTENCES": 4, "STEER_TARGETS": ["fr"],
            "N_PROMPTS": 2, "MAX_NEW_TOKENS": 4}, 3),
    "04": ({"PARADIGMS": ["transitive", "npi_ever", "ja_dative_verb"], "N_PAIRS_PER_PARADIGM": 20, "MIN_PAIRS": 10,
            "LAMBDAS": [0.2, 1.0], "L0_STEPS": 20, "RANDOM_MULTIPLES": [1, 2], "N_RANDOM_SEEDS": 1}, 5),
}


def test_every_chapter_has_a_smoke_run():
    assert set(TINY) == set(book.chapters())


@pytest.mark.parametrize("chapter", sorted(TINY))
def test_chapter_smoke(chapter, tmp_path):
    overrides, n_figures = TINY[chapter]
    out = book.run_chapter(chapter, "quick", overrides, output_dir=tmp_path)
    notebook = json.loads(out.read_text())
    outputs = [o for cell in notebook["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == n_figures
    results = json.loads((book.results_dir() / f"{chapter}.json").read_text())
    assert results["parameters"]["PROFILE"] == "quick"
    assert all(results["parameters"][k] == v for k, v in overrides.items())
    assert results["model"]["layers"] == 18


def test_chapter_01_results_shape():
    results = json.loads((book.results_dir() / "01.json").read_text())
    assert [row["L2"] for row in results["summary"]] == ["ja", "it"]
    assert len(results["retrieval_per_layer"]["ja"]) == 18


def test_chapter_02_results_shape():
    results = json.loads((book.results_dir() / "02.json").read_text())
    assert results["n_top"] == round(0.01 * 18 * 2048)
    assert sum(results["top_per_layer"]["it"]) == results["n_top"]
    assert set(results["score_variants"]) == {"none", "zero mean-of-abs top", "zero product top", "zero random (mean)"}


def test_chapter_03_results_shape():
    results = json.loads((book.results_dir() / "03.json").read_text())
    assert set(results["per_language"]) == {"en", "fr", "ja"}
    assert set(results["perplexity"]) == {"en", "fr", "ja"}  # evaluated languages
    assert set(results["perplexity"]["fr"]) == {"none", "random", "en", "fr", "ja"}  # deactivated
    assert 0 < results["selected"] <= round(0.01 * 18 * 2048)  # TOP_RATE of all neurons, minus filtered ones


def test_chapter_04_results_shape():
    results = json.loads((book.results_dir() / "04.json").read_text())
    assert results["paradigms"] == ["transitive", "npi_ever", "ja_dative_verb"]
    assert len(results["dense_accuracy_per_layer"]) == 18
    assert results["n_top"] == round(0.01 * 640)
    assert results["topk_sizes"][-1] == 640
    assert len(results["generalisation_sparse"]) == 3 and len(results["generalisation_sparse"][0]) == 3
    assert set(results["l0_kept_per_layer"]) == {"0.2", "1.0"}

"""Each chapter executed once per test session through papermill with tiny parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from neuron_utils import book
from neuron_utils.book.exercises import solution_cells
from neuron_utils.core.paths import results_dir

# Parameters small enough for seconds to a minute per chapter, and the figures each chapter draws.
TINY = {
    "01": {
        "L2_LANGUAGES": ["ja", "it"],
        "N_PAIRS": 24,
        "N_PAIRS_DISJOINT": 20,
        "N_PAIRS_CROSS_CORPUS": 20,
        "CV_FOLDS": 4,
    },
    "02": {
        "L2_LANGUAGES": ["it"],
        "N_PAIRS": 24,
        "N_PAIRS_DISJOINT": 20,
        "N_PAIRS_CROSS_CORPUS": 20,
        "N_RANDOM_SEEDS": 1,
        "TOP_NEURON_FRACTION": 0.01,
    },
    "03": {
        "LANGUAGES": ["en", "fr", "ja"],
        "N_STATS_SENTENCES": 24,
        "N_EVAL_SENTENCES": 4,
        "STEER_TARGETS": ["fr"],
        "STEER_SCALES": [4.0],
        "DIFFMEAN_SCALES": [1.0, 4.0],
        "N_PROMPTS": 2,
        "MAX_NEW_TOKENS": 4,
    },
    "04": {
        "PARADIGMS": ["transitive", "npi_ever", "ja_dative_verb"],
        "N_PAIRS_PER_PARADIGM": 20,
        "MIN_PAIRS": 10,
        "LAMBDAS": [0.2, 1.0],
        "L0_STEPS": 20,
        "RANDOM_MULTIPLES": [1, 2],
        "N_RANDOM_SEEDS": 1,
    },
    "05": {
        "LANGUAGES": ["en", "ja", "fr", "zh"],
        "N_SENTENCES": 8,
        "N_TASK_ITEMS": 4,
        "THRESHOLDS": [0.0, 0.5],
        "BOOST_FACTORS": [2.0],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    "06": {
        "N_PAIRS": 24,
        "N_PAIRS_SECOND": 20,
        "N_PAIRS_PER_PARADIGM": 2,
        "DOSE_FRACTIONS": [0.005],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    "07": {},  # reads what the session's other smoke runs recorded
}
FIGURES = {"01": 5, "02": 5, "03": 4, "04": 5, "05": 10, "06": 4, "07": 0}


@dataclass
class SmokeRun:
    path: Path  # the executed notebook
    notebook: dict
    results: dict  # book/results/NN.json of the run

    def outputs(self) -> list[dict]:
        return [
            o
            for cell in self.notebook["cells"]
            if cell["cell_type"] == "code"
            for o in cell.get("outputs", [])
        ]


@pytest.fixture(scope="session")
def smoke(tmp_path_factory):
    """``smoke(chapter)``: the chapter run with :data:`TINY` parameters (executed once per session)."""
    runs: dict[str, SmokeRun] = {}

    def run(chapter: str) -> SmokeRun:
        if chapter not in runs:
            out = book.run_chapter(
                chapter,
                "quick",
                TINY[chapter],
                output_dir=tmp_path_factory.mktemp(f"chapter{chapter}"),
                # every exercise's solution runs after the chapter, so none rots
                extra_cells=solution_cells(chapter),
            )
            results = json.loads((results_dir() / f"{chapter}.json").read_text())
            runs[chapter] = SmokeRun(out, json.loads(out.read_text()), results)
        return runs[chapter]

    return run

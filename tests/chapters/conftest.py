"""Each chapter executed once per test session through papermill with tiny parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from neuron_utils import book
from neuron_utils.book.exercises import solution_cells
from neuron_utils.core.paths import results_dir

# What each chapter declares on its Parameters: its smallest sizes that run every cell
# (``TINY``), the figures it draws, and whether its smoke run loads the real default model (one
# chapter per code path on it: chapter 1 extracts the residual stream and neurons, chapter 3
# counts activation statistics, scores perplexities under zeroing and generates under steering;
# the others run on the tiny random Gemma-3 of tests/helpers.py, since what they test is the
# chapter and their model code is the same)
PARAMETERS = {chapter: book.chapter_module(chapter).Parameters for chapter in book.chapters()}
SPECS = {chapter: book.chapter_module(chapter).SPEC for chapter in book.chapters()}
TINY = {chapter: spec.tiny for chapter, spec in SPECS.items()}
FIGURES = {chapter: spec.figures for chapter, spec in SPECS.items()}
REAL_MODEL_SMOKES = tuple(c for c, spec in SPECS.items() if spec.smoke_on_real_model)


@dataclass
class SmokeRun:
    path: Path  # the executed notebook
    notebook: dict
    results: dict  # book/results/NN.json of the run

    @property
    def layers(self) -> int:
        return self.results["model"]["layers"]

    @property
    def neurons(self) -> int:
        """MLP neurons of the whole model."""
        return self.layers * self.results["model"]["neurons_per_layer"]

    def outputs(self) -> list[dict]:
        return [
            o
            for cell in self.notebook["cells"]
            if cell["cell_type"] == "code"
            for o in cell.get("outputs", [])
        ]


def smoke_overrides(chapter: str, smoke_model: str) -> dict:
    """The parameters of ``chapter``'s smoke run: its TINY sizes, on the tiny model unless the
    chapter is one of :data:`REAL_MODEL_SMOKES` (or loads no model)."""
    module = book.chapter_module(chapter)
    tiny_model = chapter not in REAL_MODEL_SMOKES and module.SPEC.keeps_results
    return {**TINY[chapter], **({"MODEL": smoke_model} if tiny_model else {})}


@pytest.fixture(scope="session")
def smoke(tmp_path_factory, smoke_model):
    """``smoke(chapter)``: the chapter run with :data:`TINY` parameters (executed once per session)."""
    runs: dict[str, SmokeRun] = {}

    def run(chapter: str) -> SmokeRun:
        if chapter not in runs:
            out = book.run_chapter(
                chapter,
                "quick",
                smoke_overrides(chapter, smoke_model),
                output_dir=tmp_path_factory.mktemp(f"chapter{chapter}"),
                # every exercise's solution runs after the chapter, so none rots
                extra_cells=solution_cells(chapter),
            )
            results = json.loads((results_dir() / f"{chapter}.json").read_text())
            runs[chapter] = SmokeRun(out, json.loads(out.read_text()), results)
        return runs[chapter]

    return run

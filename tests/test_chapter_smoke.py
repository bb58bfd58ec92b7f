"""Each chapter runs end to end through papermill with tiny parameters."""

import json
import os

import pytest

from neuron_utils import book

pytestmark = pytest.mark.smoke


def test_chapter_01_smoke(tmp_path):
    out = book.run_chapter(
        "01", "quick",
        {"L2_LANGUAGES": ["ja", "it"], "N_PAIRS": 24, "N_PAIRS_DISJOINT": 20, "CV_FOLDS": 4},
        output_dir=tmp_path,
    )
    notebook = json.loads(out.read_text())
    outputs = [o for cell in notebook["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 5  # the chapter's five figures
    results = json.loads((book.results_dir() / "01.json").read_text())
    assert results["parameters"]["N_PAIRS"] == 24
    assert [row["L2"] for row in results["summary"]] == ["ja", "it"]
    assert len(results["retrieval_per_layer"]["ja"]) == 18
    assert os.environ["NEURON_UTILS_RESULTS"] in str(book.results_dir())

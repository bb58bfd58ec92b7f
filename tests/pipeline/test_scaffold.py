"""make new-chapter: the template's three files hold the chapter contract and run."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuron_utils import data
from neuron_utils.book import contract
from neuron_utils.core.activations import collect
from neuron_utils.book.scaffold import new_chapter

from ..helpers import tiny_model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path):
    """A copy of what the scaffold edits: the notebooks folder, the chapters folder, _toc.yml."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    (tmp_path / "neuron_utils" / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    return tmp_path


def test_a_new_chapter_holds_the_contract_and_runs(project, monkeypatch):
    before = (project / "_toc.yml").read_text().splitlines()
    last_listed = [line for line in before if "- file: book/chapters/" in line][-1]
    written = new_chapter("98", "toy_topic", "A toy topic", root=project)
    notebook, module_path, toc = written
    assert notebook == project / "notebooks" / "98_toy_topic.py"
    lines = toc.read_text().splitlines()
    # listed right after the last chapter, at its indentation
    last = lines.index(last_listed)
    assert lines[last + 1] == "      - file: book/chapters/98_toy_topic"
    # the module as the book imports it, beside the other chapters
    spec = importlib.util.spec_from_file_location(
        "neuron_utils.chapters.ch98_toy_topic", module_path
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert (
        contract.problems_of(module, "98", notebook.stem, notebook.read_text(), toc.read_text())
        == []
    )
    model = tiny_model("gemma3")
    summary = module.summarise(module.analyse(model, module.Parameters(N_SENTENCES=3)))
    texts = data.texts("bundled", "en")[:3]
    states = collect(model, texts, cache=False)["residual"]  # [3, layers, d_model]
    expected = [
        float(np.mean([np.sqrt((s[layer] ** 2).sum()) for s in states])) for layer in range(3)
    ]
    assert summary["n_sentences"] == 3 and model.n_layers == 3
    np.testing.assert_allclose(summary["norm_per_layer"], expected, rtol=1e-6)  # float32 norms
    assert summary["largest_layer"] == int(np.argmax(expected))
    assert contract.undeclared_keys(summary) == []  # every key has its unit
    for path, where in ((notebook, "notebooks"), (module_path, "neuron_utils/chapters")):
        # through stdin under its place in the project, so that the project's ruff rules apply
        for command in (["check"], ["format", "--check"]):
            lint = subprocess.run(
                [sys.executable, "-m", "ruff", *command, "--stdin-filename", f"{where}/{path.name}", "-"],
                input=path.read_text(), capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            assert lint.returncode == 0, (command, path.name, lint.stdout + lint.stderr)


def test_a_taken_number_or_a_bad_name_is_refused_before_anything_is_written(project):
    before = (project / "_toc.yml").read_text()
    with pytest.raises(
        ValueError, match="chapter 05 exists already: notebooks/05_shared_neurons.py"
    ):
        new_chapter("05", "again", "Again", root=project)
    with pytest.raises(ValueError, match="two digits"):
        new_chapter("8", "toy", "Toy", root=project)
    with pytest.raises(ValueError, match="lower-case letters"):
        new_chapter("98", "Toy-Topic", "Toy", root=project)
    assert (project / "_toc.yml").read_text() == before
    assert not list((project / "neuron_utils" / "chapters").iterdir())

"""Each chapter runs end to end through papermill with tiny parameters, cleanly."""

import pytest

from neuron_utils import book
from neuron_utils.book.exercises import exercises, solutions

from ..helpers import SMOKE_MODEL_SIZES
from .conftest import FIGURES, REAL_MODEL_SMOKES, TINY
from .test_custom_runs import shown_problems


def test_every_chapter_declares_its_tiny_sizes_and_has_a_smoke_run():
    assert set(TINY) == set(FIGURES) == set(book.chapters())
    for chapter, sizes in TINY.items():
        spec = book.chapter_module(chapter).SPEC
        assert bool(sizes) == spec.keeps_results  # the findings have no sizes
        resolved = book.chapter_module(chapter).Parameters.resolve(
            "quick", sizes
        )  # valid values, on the default model
        assert all(getattr(resolved, name) == value for name, value in sizes.items())


@pytest.mark.parametrize("chapter", sorted(TINY))
def test_chapter_runs_cleanly(chapter, smoke):
    run = smoke(chapter)
    outputs = run.outputs()
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == FIGURES[chapter]
    texts = ["".join(o.get("data", {}).get("text/plain", "")) for o in outputs]
    assert not [t for t in texts if " at 0x" in t], "an object repr reached the page"
    assert run.results["parameters"]["PROFILE"] == "quick"
    assert all(run.results["parameters"][k] == v for k, v in TINY[chapter].items())
    if book.chapter_module(chapter).SPEC.keeps_results:  # the findings load no model
        real = chapter in REAL_MODEL_SMOKES
        assert run.results["model"]["layers"] == (
            18 if real else SMOKE_MODEL_SIZES["num_hidden_layers"]
        )


@pytest.mark.parametrize("chapter", sorted(TINY))
def test_the_book_shows_this_runs_parameters_once(chapter, smoke):
    cells = smoke(chapter).notebook["cells"]
    tagged = {
        tag: [c for c in cells if tag in c["metadata"].get("tags", [])]
        for tag in ("parameters", "injected-parameters")
    }
    assert len(tagged["parameters"]) == len(tagged["injected-parameters"]) == 1
    # the defaults are hidden ...
    assert "remove-cell" in tagged["parameters"][0]["metadata"]["tags"]
    injected = "".join(tagged["injected-parameters"][0]["source"])
    # ... this run's values are shown
    assert all(f"{name} = " in injected for name in TINY[chapter])


@pytest.mark.parametrize("chapter", sorted(TINY))
def test_every_solution_runs_after_the_chapter_and_prints_its_result(chapter, smoke):
    solved = solutions(chapter)
    assert set(solved) <= set(exercises(chapter)), "a solution names no exercise of the page"
    cells = smoke(chapter).notebook["cells"][-len(solved) :] if solved else []
    for label, cell in zip(solved, cells, strict=True):
        assert "".join(cell["source"]).startswith(f"print({label!r})")  # a str or lines
        printed = "".join(
            "".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream"
        )
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors, f"{label}: {errors}"
        # the label, then at least one line of the solution's own output
        assert printed.startswith(label + "\n") and len(printed.splitlines()) >= 2, printed


def test_exercises_are_numbered_directives_and_most_chapters_have_solutions():
    for chapter in TINY:
        labels = exercises(chapter)
        assert labels and len(set(labels)) == len(labels)
        assert all(label.startswith(f"ex{chapter}-") for label in labels)
    assert sum(bool(solutions(c)) for c in TINY) >= 6


@pytest.mark.parametrize("chapter", sorted(TINY))
def test_no_nan_none_or_empty_value_reaches_the_page(chapter, smoke):
    """The smoke runs are custom runs (tiny sizes): what their pages show follows the run."""
    assert shown_problems(smoke(chapter).notebook) == []

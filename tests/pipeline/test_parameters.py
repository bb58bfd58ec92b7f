"""Typed chapter parameters, profiles and the command line (no model is loaded here)."""

import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from neuron_utils import book
from neuron_utils.kit.parameters import ChapterParameters, check_numbers, check_subset


def test_parse_value():
    assert book.parse_value('["ko","it"]') == ["ko", "it"]
    assert book.parse_value("300") == 300
    assert book.parse_value("['ja']") == ["ja"]
    assert book.parse_value("mean") == "mean"


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_papermill_reads_every_line_of_the_parameters_cell(chapter):
    """papermill's parser skips a line it cannot read (e.g. an "=" in a comment) and then warns
    "Passed unknown parameter" on every run that sets it."""
    import jupytext
    from papermill.translators import PythonTranslator

    notebook = jupytext.read(book.chapter_source(chapter))
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    parsed = [parameter.name for parameter in PythonTranslator.inspect(cell)]
    assert parsed == list(book.default_parameters(chapter))


def test_profiles_and_overrides(mirror):
    paper = book.resolve_parameters("01", "paper")
    assert (paper.DATA_SOURCE, paper.N_PAIRS, paper.PROFILE) == ("tatoeba", 2000, "paper")
    quick = book.resolve_parameters("01", "quick", {"L2_LANGUAGES": ["ko", "it"], "N_PAIRS": 150})
    assert quick.L2_LANGUAGES == ["ko", "it"] and quick.N_PAIRS == 150 and quick.PROFILE == "quick"


def test_paper_lite_is_the_paper_profile_with_its_changes(mirror):
    lite = book.resolve_parameters("06", "paper-lite")
    paper = book.resolve_parameters("06", "paper")
    assert lite.PROFILE == "paper-lite" and lite.PAIR_SOURCES == paper.PAIR_SOURCES
    assert (lite.N_PAIRS_PER_PARADIGM, paper.N_PAIRS_PER_PARADIGM) == (30, 1000)
    # a chapter without paper-lite values runs paper-lite at the paper's size
    assert book.resolve_parameters("03", "paper-lite") == book.resolve_parameters(
        "03", "paper", {"PROFILE": "paper-lite"}
    )
    # chapter 4: 200 pairs per paradigm of the paper's data
    lite = book.resolve_parameters("04", "paper-lite")
    assert lite.N_PAIRS_PER_PARADIGM == 200 and lite.PAIR_SOURCES == ["blimp", "jblimp"]
    # chapter 1: the pair chapters' paper-lite sizes, then its own fold count
    lite = book.resolve_parameters("01", "paper-lite")
    assert (lite.N_PAIRS, lite.N_PAIRS_DISJOINT, lite.N_PAIRS_CROSS_CORPUS) == (300, 300, 300)
    assert (lite.CV_FOLDS, lite.OTHER_CORPUS, lite.DATA_SOURCE) == (5, "flores", "tatoeba")


def test_kept_paper_results_carry_their_provenance(tmp_path, monkeypatch):
    from neuron_utils.book import results
    from neuron_utils.kit import record

    monkeypatch.setenv("NEURON_UTILS_PAPER_RESULTS", str(tmp_path))
    parameters = book.resolve_parameters("04")
    record.record_results(book.chapter_module("04"), parameters, {"name": "m"}, {"x": 1.5})
    with pytest.raises(ValueError, match="from the 'quick' profile, not 'paper'"):
        results.keep_paper_results("04", "paper", 12.3)
    path = results.keep_paper_results("04", "quick", 12.3, note="a test")
    assert path == tmp_path / "04_quick.json"
    kept = record.paper_results("04", "quick")
    assert kept["summary"] == {"x": 1.5} and kept["parameters"] == parameters.as_dict()
    assert kept["provenance"]["wall_s"] == 12 and kept["provenance"]["note"] == "a test"
    assert {"data", "machine", "commit", "date"} <= set(kept["provenance"])
    assert record.paper_results("04", "paper") is None


def test_a_paper_size_run_keeps_its_results_outside_the_project(
    mirror, tmp_path, monkeypatch, capsys
):
    """NEURON_UTILS_PAPER_RESULTS may name any folder (the bench's is a temporary one): the run
    says where it kept the results (it failed there once, after a 36-minute chapter)."""
    import nbformat
    import papermill

    from neuron_utils.book import runner

    def execute(nb, output_path, **kwargs):  # the chapter itself is not what is tested here
        nbformat.write(nb, output_path)

    kept = tmp_path / "kept" / "01_paper-lite.json"
    monkeypatch.setattr(papermill, "execute_notebook", execute)
    monkeypatch.setattr(runner, "keep_paper_results", lambda *args, **kwargs: kept)
    monkeypatch.setattr(runner, "git_commit", lambda: "abc123")  # a clean tree, whatever this is
    monkeypatch.setattr(runner, "BUILD", tmp_path / "build")
    out = book.run_chapter("01", "paper-lite", {"CV_FOLDS": 2}, output_dir=tmp_path / "chapters")
    assert out.exists()
    assert f"results kept in {kept}" in capsys.readouterr().out


def test_paper_profile_fetches_and_checks_its_data_during_validation(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path))
    book.resolve_parameters("01", "paper", {"L2_LANGUAGES": ["ko"]})
    fetched = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert fetched == [  # FLORES-200 English: the other corpus of the cross-corpus design
        "flores200/devtest/eng_Latn.devtest",
        "tatoeba/eng-kor/tatoeba-test-v2021-08-07.eng",
        "tatoeba/eng-kor/tatoeba-test-v2021-08-07.kor",
    ]


def test_a_data_source_without_network_or_mirror_fails_before_the_model(tmp_path, monkeypatch):
    monkeypatch.delenv("NEURON_UTILS_DATA_MIRROR", raising=False)
    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path))
    import neuron_utils.data.downloads as downloads

    def offline(*args, **kwargs):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(downloads.urllib.request, "urlopen", offline)
    with pytest.raises(downloads.DataError, match="could not download .*NEURON_UTILS_DATA_MIRROR"):
        book.resolve_parameters("01", "quick", {"DATA_SOURCE": "flores"})


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"L2_LANGUAGES": ["ja", "xx"]},
            "L2_LANGUAGES (of the bundled data) contains 'xx', which is not allowed; "
            "choose one of: ja, nl, ko, it, zh, fr, es",
        ),
        (
            {"L2_LANGUAGES": ["ja", "ja"]},
            "L2_LANGUAGES (of the bundled data) lists ja more than once",
        ),
        ({"L2_LANGUAGES": []}, "L2_LANGUAGES (of the bundled data) needs at least 1 value(s)"),
        (
            {"N_PAIRS": 5000},
            "N_PAIRS=5000 is more than the data has for en-ja: the derangement design on bundled "
            "allows at most 400",
        ),
        ({"MODEL": "no/such-model"}, "not available offline. Allowed: 'gemma-3-270m'"),
        ({"POOLING": "min"}, "POOLING='min' is not allowed; choose one of: last, mean, eos, max"),
        (
            {"DATA_SOURCE": "wiki"},
            "DATA_SOURCE='wiki' is not allowed; choose one of: bundled, flores, tatoeba",
        ),
        ({"CV_FOLDS": 1}, "CV_FOLDS=1 must be an integer in 2..12 (folds are grouped by sentence"),
        (
            {"CV_FOLDS": 30},
            "CV_FOLDS=30 must be an integer in 2..12 (folds are grouped by sentence and "
            "re-paired within each fold, which needs two translation rows per fold: at most "
            "half the pairs per class of the smallest design)",
        ),  # more folds than half the pairs per class
        ({"N_PAIRS": "many"}, "N_PAIRS must be an integer, got 'many'"),
        ({"N_PAIRS": True}, "N_PAIRS must be an integer, got True"),
        ({"FEATURES": "concat"}, "FEATURES must be a list of strings, got 'concat'"),
        ({"DTYPE": "fp8"}, "unknown dtype 'fp8'; allowed: auto, float32"),
        ({"N_PAIR": 10}, "chapter 01 has no parameter 'N_PAIR'; its parameters: PROFILE, MODEL"),
    ],
)
def test_bad_parameters_are_named(overrides, message):
    base = {"N_PAIRS": 24, "N_PAIRS_DISJOINT": 24}
    with pytest.raises(ValueError, match=re.escape(message)):
        book.resolve_parameters("01", "quick", {**base, **overrides})


def test_checks_shared_by_chapters():
    with pytest.raises(ValueError, match=r"LAMBDAS=\[0\.1, nan\] must be finite"):
        Toy(LAMBDAS=[0.1, float("nan")])
    with pytest.raises(ValueError, match=r"LAMBDAS lists 0.5 more than once"):
        Toy(LAMBDAS=[0.5, 0.5])
    with pytest.raises(
        ValueError, match=r"LAMBDAS=\[2.0\] must be a non-empty list of numbers in \[0.0, 1.0\]"
    ):
        Toy(LAMBDAS=[2.0])
    assert Toy(LAMBDAS=[0, 1]).LAMBDAS == [0, 1]  # integers are numbers
    with pytest.raises(ValueError, match="NAMES needs at least 2 value"):
        check_subset("NAMES", ["a"], ["a", "b"], minimum=2)


@dataclass(frozen=True)
class Toy(ChapterParameters):
    LAMBDAS: list[float] = field(default_factory=lambda: [0.1, 1.0])
    CHAPTER: ClassVar[str] = "99"

    def check(self) -> None:
        check_numbers("LAMBDAS", self.LAMBDAS, 0.0, 1.0)


def test_unknown_chapter_and_profile():
    with pytest.raises(ValueError, match="unknown chapter '99'; available: 01"):
        book.resolve_parameters("99")
    with pytest.raises(
        ValueError, match="profile='full' is not allowed; choose one of: quick, paper-lite, paper"
    ):
        book.resolve_parameters("01", "full")


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "neuron_utils", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_help_explains_everything():
    out = _cli("--help")
    assert out.returncode == 0
    for needle in (
        "run",
        "build",
        "list",
        "machine",
        "--profile paper",
        "-p L2_LANGUAGES",
        "NEURON_UTILS_DATA_MIRROR",
    ):
        assert needle in out.stdout


def test_cli_rejects_bad_parameters_before_running():
    out = _cli("run", "01", "-p", "L2_LANGUAGES", '["ko","xx"]', "--no-build")
    assert (
        out.returncode == 2
        and "contains 'xx', which is not allowed; choose one of: ja, nl" in out.stderr
    )
    assert "Traceback" not in out.stderr


def test_cli_list():
    out = _cli("list")
    assert (
        out.returncode == 0
        and "01  01_cross_lingual_similarity" in out.stdout
        and "N_PAIRS = 200" in out.stdout
    )
    assert "paper: N_PAIRS = 2000" in out.stdout


def test_kept_results_are_glued_after_their_profile(tmp_path, monkeypatch):
    from neuron_utils.kit import notebook

    kept = {"summary": {"x": 1.5}, "provenance": {"commit": "abc"}, "parameters": {"N": 3}}
    assert notebook.kept_glue_values(kept, "paper-lite") == {
        "paper_lite_x": 1.5,
        "paper_lite_commit": "abc",
        "paper_lite_N": 3,
        "paper_lite_note": "It ran on that commit as committed.",
    }
    # the note a page shows says whether the kept run's code was committed
    dirty = {**kept, "provenance": {"commit": "abc+dirty", "note": ""}}
    assert notebook.kept_glue_values(dirty, "paper")["paper_note"] == (
        "It ran on uncommitted changes to that commit."
    )
    noted = {**kept, "provenance": {"commit": "abc", "note": "Re-summarised."}}
    assert notebook.kept_glue_values(noted, "paper")["paper_note"] == (
        "Re-summarised. It ran on that commit as committed."
    )
    monkeypatch.setenv("NEURON_UTILS_PAPER_RESULTS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="run 04 --profile paper-lite"):
        notebook.glue_paper_results(book.chapter_module("04"))


def test_building_parameters_reads_no_data_set_validating_does(mirror, tmp_path, monkeypatch):
    """A constructor checks values alone; resolve() (what the CLI and the notebooks use) also
    checks them against the data, fetching it first."""
    from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01

    monkeypatch.setenv("NEURON_UTILS_DOWNLOADS", str(tmp_path))
    p = ch01.Parameters(DATA_SOURCE="tatoeba", N_PAIRS=10**6, L2_LANGUAGES=["ko"])
    assert not list(tmp_path.rglob("*.eng")) and p.N_PAIRS == 10**6  # nothing read or checked
    with pytest.raises(ValueError, match="N_PAIRS=1000000 is more than the data has"):
        p.validate()
    assert list(tmp_path.rglob("*.eng"))  # fetched to check the size

"""A reader's own data: chapters 1, 4 and 6 on French and German tables written for the tests,
and what a run that is not the default one shows (its notice, no paragraph written for the
default run, no NaN or None), records and gets on the findings page."""

from __future__ import annotations

import json
import re

import jupytext
import pytest

from neuron_utils import book
from neuron_utils.kit import notebook as nbook
from neuron_utils.book import registry, runner
from neuron_utils.chapters import ch04_grammar_probes as ch04
from neuron_utils.chapters import ch06_ablations as ch06
from neuron_utils.core.paths import results_dir

from ..own_tables import write_pairs, write_parallel

GLUE = re.compile(r"\{glue:text\}`([^`:]+)(?::[^`]*)?`")
NOT_SHOWN = re.compile(r"\b(?:nan|NaN|None|inf)\b")
findings = registry.chapter_module(registry.findings())  # by its spec: new chapters go before it


# --------------------------------------------------------------------------- helpers


def default_run_cells(chapter: str) -> list[str]:
    """The sources of the chapter's markdown cells written for the default run."""
    notebook = jupytext.read(book.chapter_source(chapter))
    return [
        cell.source
        for cell in notebook.cells
        if nbook.DEFAULT_RUN_TAG in cell.metadata.get("tags", [])
    ]


def glued(executed: dict) -> dict[str, str]:
    """Every glued value of an executed notebook as its text."""
    out = {}
    for cell in executed["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = output["data"]["application/papermill.record/text/plain"]
    return out


def markdown_outputs(executed: dict) -> list[str]:
    return [
        "".join(output["data"]["text/markdown"])
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
        if "text/markdown" in output.get("data", {})
    ]


def shown_problems(executed: dict) -> list[str]:
    """What a page would show that it must not: a glued value the prose quotes that is NaN,
    None, infinite or empty, or such a word in a generated paragraph."""
    values = glued(executed)
    problems = []
    for cell in executed["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for name in GLUE.findall("".join(cell["source"])):
            value = values.get(name)
            if value is None:
                problems.append(f"{name}: quoted, not glued")
            elif not value.strip("'\" ") or NOT_SHOWN.search(value):
                problems.append(f"{name} = {value}")
    for text in markdown_outputs(executed):
        if NOT_SHOWN.search(text):
            problems.append(f"generated text: {NOT_SHOWN.search(text).group()} in {text[:80]}")
    return problems


def notice_names(text: str) -> set[str]:
    """The parameters a notice lists as differing (``\\`NAME\\` = ...``)."""
    return set(re.findall(r"`([A-Z0-9_]+)` = ", text))


# --------------------------------------------------------------------------- the runs


@pytest.fixture(scope="session")
def own_tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    return {
        "parallel": str(write_parallel(folder / "news.tsv")),
        "en_fr": str(write_pairs(folder / "agreement_en_fr.tsv", ("en", "fr"))),
        "de_fr": str(write_pairs(folder / "agreement_de_fr.tsv", ("de", "fr"))),
    }


CUSTOM = {
    # chapter -> the run's parameters on top of its tiny sizes (own tables filled in below)
    "01": lambda t: {"DATA_SOURCE": t["parallel"], "L2_LANGUAGES": ["fr", "de"]},
    "04": lambda t: {"PAIR_SOURCES": [t["de_fr"]], "PARADIGMS": None},
    "06": lambda t: {
        "L2": "fr",
        "PAIR_SOURCES": [t["en_fr"]],
        "DATA_SOURCE": t["parallel"],
        "N_PAIRS": 16,  # the disjoint design on 40 rows allows 20
        "N_PAIRS_SECOND": 12,
    },
}


@pytest.fixture(scope="session")
def custom(tmp_path_factory, smoke_model, own_tables):
    """``custom(chapter)``: the chapter run on the own tables (tiny sizes, tiny model), its
    executed notebook, its record and its resolved parameters (executed once per session)."""
    runs: dict[str, tuple] = {}

    def run(chapter: str):
        if chapter not in runs:
            overrides = {
                **book.chapter_module(chapter).SPEC.tiny,
                "MODEL": smoke_model,
                **CUSTOM[chapter](own_tables),
            }
            out = book.run_chapter(
                chapter, "quick", overrides, output_dir=tmp_path_factory.mktemp(f"own{chapter}")
            )
            record = json.loads((results_dir() / f"{chapter}.json").read_text())
            resolved = book.resolve_parameters(chapter, "quick", overrides)
            runs[chapter] = (json.loads(out.read_text()), record, resolved)
        return runs[chapter]

    return run


@pytest.mark.parametrize("chapter", sorted(CUSTOM))
def test_a_custom_run_leaves_out_the_default_runs_paragraphs(chapter, custom):
    executed, _, _ = custom(chapter)
    written = default_run_cells(chapter)
    assert written, "every chapter has prose written for the default run"
    shown = ["".join(c["source"]) for c in executed["cells"] if c["cell_type"] == "markdown"]
    assert not [c for c in executed["cells"] if "default-run" in c["metadata"].get("tags", [])]
    for paragraph in written:
        assert paragraph not in shown
    # the notice names each paragraph left out by its opening
    top = markdown_outputs(executed)[0]
    for paragraph in written:
        assert runner.opening(paragraph) in top


@pytest.mark.parametrize("chapter", sorted(CUSTOM))
def test_a_custom_run_shows_no_nan_none_or_empty_value(chapter, custom):
    executed, _, _ = custom(chapter)
    assert shown_problems(executed) == []


@pytest.mark.parametrize("chapter", sorted(CUSTOM))
def test_the_notice_lists_exactly_the_parameters_that_differ(chapter, custom):
    executed, record, resolved = custom(chapter)
    top = markdown_outputs(executed)[0]
    assert top.startswith(":::{admonition} A custom run")
    assert notice_names(top) == set(resolved.differences())
    # an own file is named, not its folder on the reader's machine
    assert "/" not in re.sub(r"\(profile: [^)]*\)", "", top.split("The findings page")[0])
    assert record["profile_defaults"] is False
    assert set(record["differences"]) == set(resolved.differences())
    # the findings page grades none of its claims on it, and says why
    recorded, why = findings.read_quick(book.chapter_module(chapter))
    assert (
        recorded is None
        and why.startswith("custom run (")
        and "N_PAIRS" in why
        or (chapter == "04" and "PAIR_SOURCES=['agreement_de_fr.tsv']" in why)
    )
    # the "What we found" section: the short notice and this run's measurements
    found = [t for t in markdown_outputs(executed) if "What this run measured" in t]
    assert len(found) == 1


def test_chapter_6_runs_on_english_and_french_benchmarks(custom):
    executed, record, _ = custom("06")
    summary = record["summary"]
    assert set(summary["benchmarks"]) == {"en", "fr"}
    assert summary["l2"] == "fr" and "jaccard_only_fr_magnitude" in summary
    text = "\n".join(markdown_outputs(executed))
    assert "agreement_en_fr (English)" in text and "agreement_en_fr (French)" in text
    assert "Japanese" not in text and "ja" not in summary["benchmarks"]
    # the paper's Table 1 is for English/Japanese sets: not beside a French run
    assert "paper" not in ch06.results_table(summary, "en").columns
    # each benchmark's task-language set is its own language's
    assert "“only fr”" in ch06.verdicts_text(summary)


def test_chapter_4_on_german_and_french_pairs_reads_their_languages(custom):
    executed, record, _ = custom("04")
    summary = record["summary"]
    assert summary["gen_cross_text"].startswith("across languages (German ↔ French paradigms)")
    assert "English ↔ Japanese" not in json.dumps(executed, ensure_ascii=False)


def test_the_default_run_keeps_its_paragraphs_and_shows_no_notice():
    params = ch06.Parameters()
    assert params.is_default_run and params.differences() == {}
    assert nbook.run_notice(params) == ""
    notebook = runner.prepared_notebook(book.chapter_source("06"))
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    assert sum(nbook.DEFAULT_RUN_TAG in t for t in tags) == len(default_run_cells("06"))
    assert not any(nbook.LEFT_OUT_NAME in cell.source for cell in notebook.cells)


# --------------------------------------------------------------------------- unit


def test_differences_leave_out_how_a_run_executes():
    params = ch06.Parameters(BATCH_SIZE=8, DEVICE="cpu")
    assert params.differences() == {} and params.is_default_run
    custom = ch06.Parameters(N_PAIRS=20)
    assert custom.differences() == {"N_PAIRS": 20} and not custom.is_default_run
    assert custom.differences_text() == "N_PAIRS=20"
    # a paper-lite run is its profile's, not the default one
    lite = ch06.Parameters(
        **{**ch06.Parameters.profile_values("paper-lite"), "PROFILE": "paper-lite"}
    )
    assert lite.differences() == {} and not lite.is_default_run
    notice = nbook.run_notice(lite)
    assert notice.startswith(":::{admonition} A run of the paper-lite profile")
    assert "grades no claim" not in notice  # the findings page reads the kept run instead


def test_a_notice_names_an_own_file_not_its_folder(tmp_path):
    table = write_pairs(tmp_path / "mine.tsv", ("en", "fr"))
    notice = nbook.run_notice(ch06.Parameters(L2="fr", PAIR_SOURCES=[str(table)]))
    assert "`['mine.tsv']` (profile: `['generated']`)" in notice
    assert str(tmp_path) not in notice
    assert "PAIR_SOURCES=['mine.tsv']" in notice  # as the findings page will show it


def test_the_runner_leaves_out_paragraphs_written_for_the_default_run():
    source = book.chapter_source("06")
    written = default_run_cells("06")
    prepared = runner.prepared_notebook(source, default_run=False)
    assert not [c for c in prepared.cells if nbook.DEFAULT_RUN_TAG in c.metadata.get("tags", [])]
    named = [c for c in prepared.cells if c.source.startswith(nbook.LEFT_OUT_NAME)]
    assert len(named) == 1 and "remove-cell" in named[0].metadata["tags"]
    assert named[0].source == f"{nbook.LEFT_OUT_NAME} = {[runner.opening(w) for w in written]!r}"
    # it runs before the chapter's first step (after the defaults, where papermill injects)
    order = [c.source for c in prepared.cells]
    assert order.index(named[0].source) < next(
        k for k, s in enumerate(order) if "start_chapter" in s
    )


def test_opening_is_what_a_reader_sees():
    assert runner.opening(
        "- **Table 1's ordering reproduces.** Zeroing {glue:text}`x:.3f` a b"
    ) == ("Table 1's ordering reproduces. Zeroing … a b")
    assert runner.opening("see {doc}`/book/rerun` now", words=3) == "see /book/rerun now"
    assert runner.opening("one two three four", words=2) == "one two …"


def test_the_findings_page_grades_only_default_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path))
    params = ch06.Parameters(N_PAIRS=20)
    (tmp_path / "06.json").write_text(
        json.dumps({"schema": 2, "chapter": "06", "parameters": params.as_dict(), "summary": {}})
    )  # a record from before records said whether they differ: computed from its parameters
    recorded, why = findings.read_quick(book.chapter_module("06"))
    assert recorded is None and why == "custom run (N_PAIRS=20)"
    default = ch06.Parameters(BATCH_SIZE=8)
    (tmp_path / "06.json").write_text(
        json.dumps(
            {
                "schema": 2,
                "chapter": "06",
                "parameters": default.as_dict(),
                "summary": {},
                "differences": {},
            }
        )
    )
    recorded, why = findings.read_quick(book.chapter_module("06"))
    assert recorded is not None and why == ""


def test_chapter_6_needs_each_own_pairs_language(tmp_path):
    table = str(write_pairs(tmp_path / "pairs.tsv", ("en", "fr"), language_column=False))
    with pytest.raises(ValueError, match="pairs.tsv has 100 pair.s. with no language"):
        ch06.Parameters(L2="fr", PAIR_SOURCES=[table]).validate()
    labelled = str(write_pairs(tmp_path / "labelled.tsv", ("de",)))
    # one benchmark, in a language that is neither L1 nor L2: valid, with no task-language set
    params = ch06.Parameters(L2="fr", PAIR_SOURCES=[labelled]).validate()
    assert list(ch06.load_benchmarks(params)) == ["de"]
    assert ch06.benchmark_sets("de", "en", "fr") == {
        "same": "same",
        "different": "different",
        "magnitude": "magnitude",
    }


def test_chapter_4_counts_an_own_tables_paradigms_before_the_model_loads(tmp_path):
    table = str(write_pairs(tmp_path / "pairs.tsv", ("fr",)))  # 2 paradigms of 25 pairs
    with pytest.raises(
        ValueError, match=r"MIN_PAIRS=30: .* pairs/fr_singular \(25\), pairs/fr_plural \(25\)"
    ):
        ch04.Parameters(PAIR_SOURCES=[table], N_PAIRS_PER_PARADIGM=40, MIN_PAIRS=30).validate()
    ch04.Parameters(PAIR_SOURCES=[table], N_PAIRS_PER_PARADIGM=40, MIN_PAIRS=20).validate()


def test_chapter_4_says_when_transfer_across_languages_is_not_defined():
    import numpy as np

    sparse = np.array([[1.0, 0.6], [0.4, 1.0]])
    both = np.array(["de", "fr"])
    cross = both[:, None] != both[None, :]
    assert ch04._cross_text(sparse, cross, both) == (
        "across languages (German ↔ French paradigms) the mean is 0.50"
    )
    one = np.array(["fr", "fr"])
    assert ch04._cross_text(sparse, np.zeros((2, 2), bool), one).endswith(
        "not defined for this data: every paradigm is in French"
    )
    unknown = np.array(["", "fr"])
    assert "not known" in ch04._cross_text(sparse, np.zeros((2, 2), bool), unknown)


def test_an_l1_the_other_corpus_lacks_names_the_corpus_that_has_it():
    with pytest.raises(ValueError, match="L1=.fr.: the cross-corpus design .*flores has every"):
        ch06.Parameters(L1="fr", L2="en").validate()  # formal: English sentences only
    ch06.Parameters(L1="fr", L2="en", SECOND_DESIGN="none").validate()


def test_the_findings_table_shows_a_custom_run_as_such(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path))
    params = ch06.Parameters(N_PAIRS=20)
    record = {"schema": 2, "chapter": "06", "parameters": params.as_dict(), "summary": {}}
    (tmp_path / "06.json").write_text(json.dumps({**record, "differences": {"N_PAIRS": 20}}))
    chapters = book.registry.modules()
    claims = findings.claims_of(chapters)
    quick = {n: findings.read_quick(c) for n, c in chapters.items()}
    kept = {n: (None, "no paper-size run kept") for n in chapters}
    rows = findings.judge_all(claims, quick, kept)
    results = findings.Results(findings.Parameters(), chapters, quick, kept, rows)
    seed = next(claim.seed for number, claim in claims if number == "06")
    table = findings.findings_table(results, seed)
    assert "<em>custom run (N_PAIRS=20)</em>" in table


def test_an_own_file_given_by_its_absolute_path_runs_from_a_relative_one(tmp_path):
    (tmp_path / "data").mkdir()
    table = write_pairs(tmp_path / "data" / "mine.tsv", ("en",))
    workdir = tmp_path / "book"
    portable = runner.portable_sources(
        {"PAIR_SOURCES": [str(table), "generated"], "DATA_SOURCE": str(table), "N_PAIRS": 3},
        workdir,
    )
    assert portable == {
        "PAIR_SOURCES": ["../data/mine.tsv", "generated"],
        "DATA_SOURCE": "../data/mine.tsv",
        "N_PAIRS": 3,
    }  # the injected cell shows no folder of the reader's machine

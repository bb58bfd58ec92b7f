"""Chapter 7: every verdict follows its rule on hand-made numbers, and the page renders from a
fixture of recorded summaries with a chapter missing, a run of another profile, a kept summary
without a key and chapters without a paper-size column."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from neuron_utils import book
from neuron_utils.book import registry
from neuron_utils.core.paths import paper_results_dir
from neuron_utils.kit.claims import SEEDS, Verdict, grade


CHAPTERS = registry.modules()
FINDINGS = registry.findings()  # the findings page's number (new chapters go before it)
findings = CHAPTERS[FINDINGS]
NUMBERED = findings.claims_of(CHAPTERS)  # (chapter number, claim), as the findings page reads
CLAIMS = [claim for _, claim in NUMBERED]
CLAIM = {claim.id: claim for claim in CLAIMS}
CHAPTER_OF = {claim.id: number for number, claim in NUMBERED}
CLAIM_NUMBERS = sorted(set(CHAPTER_OF.values()))
# every rule's test cases, declared beside the claim in its chapter's claims.py
CASES = [(claim.id, case.summary, case.expected) for claim in CLAIMS for case in claim.cases]


def recorded(claim_id, profile, parameters, summary):
    """A recorded summary of the chapter that holds ``claim_id``."""
    return findings.Recorded(CHAPTERS[CHAPTER_OF[claim_id]], profile, parameters, summary)


def test_claims_cover_every_seed_and_have_unique_ids():
    assert len(CLAIM) == len(CLAIMS)
    assert {claim.seed for claim in CLAIMS} == set(SEEDS)
    for number, claim in NUMBERED:
        # the section exists in the chapter's source, so the link has a target
        assert f"# ## {claim.section}\n" in book.chapter_source(number).read_text(), (
            f"{claim.id}: no section {claim.section!r} in chapter {number}"
        )


def test_grade():
    assert grade(True, True) == grade(True, False) == Verdict.REPRODUCES
    assert grade(False, True) == Verdict.PARTLY
    assert grade(False, False) == Verdict.DOES_NOT


def test_every_testable_claim_has_cases_for_its_verdicts():
    testable = {claim.id for claim in CLAIMS if claim.rule is not None}
    covered = {claim_id for claim_id, _, _ in CASES}
    assert testable <= covered, sorted(testable - covered)
    for claim_id in testable:  # each rule is seen to give more than one verdict
        assert len({v for c, _, v in CASES if c == claim_id}) >= 2, claim_id


@pytest.mark.parametrize("claim_id,summary,expected", CASES, ids=[c[0] for c in CASES])
def test_each_verdict_follows_its_rule_on_hand_made_numbers(claim_id, summary, expected):
    claim = CLAIM[claim_id]
    assert claim.rule(summary) == expected
    judged = findings.judge(claim, recorded(claim_id, "quick", {}, summary), "")
    assert judged.verdict == expected and judged.measured  # the numbers format


def test_missing_keys_and_missing_runs_are_shown_as_such():
    claim = next(c for c in CLAIMS if c.rule is not None)
    assert findings.judge(claim, None, "not run").verdict == Verdict.NOT_RUN
    empty = recorded(claim.id, "paper-lite", {}, {})
    judged = findings.judge(claim, empty, "")
    assert judged.verdict == Verdict.NOT_RECORDED and "not recorded at this size" in judged.measured
    untestable = [c for c in CLAIMS if c.rule is None]
    for claim in untestable:
        assert findings.judge(claim, None, "not run").verdict == Verdict.NOT_TESTABLE
        assert claim.reason


def test_a_record_from_before_typed_summaries_asks_for_a_new_run(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path))
    chapter = CHAPTERS["06"]
    old = {"chapter": "06", "parameters": chapter.Parameters().as_dict(), "summary": {"x": 1}}
    (tmp_path / "06.json").write_text(json.dumps(old))  # no "schema": written by older code
    assert findings.read_quick(chapter) == (
        None,
        "recorded by an older version of the book: run the chapter again",
    )
    (tmp_path / "06.json").write_text(json.dumps({**old, "schema": 2, "differences": {}}))
    recorded, why = findings.read_quick(chapter)
    assert why == "" and recorded.summary == {"x": 1}


def test_headline_prefers_the_paper_size():
    on = findings.Judged
    quick, paper = on(Verdict.PARTLY, "x", ""), on(Verdict.REPRODUCES, "y", "", "paper-lite")
    assert findings.headline(quick, paper) == (Verdict.REPRODUCES, "paper-lite")
    assert findings.headline(quick, on(Verdict.NOT_RUN, "", "")) == (Verdict.PARTLY, "quick")
    assert findings.headline(quick, on(Verdict.NOT_RECORDED, "", "")) == (Verdict.PARTLY, "quick")
    missing = on(Verdict.NOT_RUN, "not run", "")
    assert findings.headline(missing, missing) == (Verdict.NOT_RUN, "")


def test_size_is_a_share_of_the_papers():
    def sized(profile, **sizes):
        return findings.Recorded(CHAPTERS["04"], profile, {"PROFILE": profile, **sizes}, {})

    # chapter 4's paper profile: 1,000 pairs per paradigm, 5 draws (draws are no data size)
    lite = sized("paper-lite", N_PAIRS_PER_PARADIGM=200, N_RANDOM_SEEDS=5, MIN_PAIRS=20)
    assert findings.size_text(lite) == "paper-lite: N_PAIRS_PER_PARADIGM 200 of 1,000 (20 %)"
    paper = sized("paper", N_PAIRS_PER_PARADIGM=1000, N_RANDOM_SEEDS=5)
    assert findings.size_text(paper) == "paper: the paper profile's sizes"
    assert findings.size_text(sized("quick")) == "quick: bundled data"


@pytest.mark.smoke
def test_the_page_renders_from_a_fixture_of_summaries(tmp_path, monkeypatch):
    """Quick summaries: the committed kept summaries relabelled quick, chapter 5 missing and
    chapter 4 last run at paper-lite. Paper size: chapter 2 only, with one key removed."""
    kept = paper_results_dir()
    quick_dir, paper_dir = tmp_path / "results", tmp_path / "paper"
    quick_dir.mkdir()
    paper_dir.mkdir()
    sources = {p.name[:2]: p for p in sorted(kept.glob("[0-9][0-9]_*.json"))}
    for chapter, path in sources.items():
        payload = json.loads(path.read_text())
        if chapter == "05":
            continue
        if chapter != "04":
            payload["parameters"]["PROFILE"] = "quick"
            payload["differences"] = {}  # recorded as a default quick run
        (quick_dir / f"{chapter}.json").write_text(json.dumps(payload))
    payload = json.loads(sources["02"].read_text())
    removed = next(
        key
        for number, claim in NUMBERED
        if number == "02" and claim.rule is not None
        for key in payload["summary"]
        if re.search(r"\{" + key + r"[:}]", claim.measured)
    )
    del payload["summary"][removed]
    shutil.copyfile(sources["02"], paper_dir / "02_paper-lite.json")
    (paper_dir / "02_paper-lite.json").write_text(json.dumps(payload))
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(quick_dir))
    monkeypatch.setenv("NEURON_UTILS_PAPER_RESULTS", str(paper_dir))

    out = book.run_chapter(FINDINGS, "quick", {}, output_dir=tmp_path / "executed")
    notebook = json.loads(out.read_text())
    shown = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for o in cell.get("outputs", [])
    )
    summary = json.loads((quick_dir / f"{FINDINGS}.json").read_text())["summary"]
    relabelled = sorted(set(sources) - {"04", "05"})
    not_run = [c for c in CLAIM_NUMBERS if c not in relabelled]
    assert {"04", "05"} <= set(not_run) and summary["chapters_not_run"] == ", ".join(not_run)
    assert summary["chapters_without_paper_size"] == ", ".join(
        c for c in CLAIM_NUMBERS if c != "02"
    )
    assert summary["n_claims"] == len(CLAIMS)
    counted = sum(summary[f"n_{v.slug}"] for v in Verdict)
    assert counted == len(CLAIMS)  # every claim has exactly one headline verdict
    n_chapter_5 = sum(n == "05" for n, claim in NUMBERED if claim.rule is not None)
    assert summary["n_not_run_quick"] >= n_chapter_5
    assert "last run at paper-lite" in shown  # chapter 4's quick column
    assert "not recorded at this size" in shown and removed in shown
    assert "no paper-size run kept" in shown
    assert 'href="02_common_neurons.html#' in shown
    assert shown.count('<table class="findings"') == len(SEEDS)  # one table per seed


def test_quoted_values_are_text():
    assert findings.summary._as_text("steer_winner", "DiffMean") == "DiffMean"
    assert findings.summary._as_text("steer_success_lape", 0.4722) == "0.47"
    assert findings.summary._as_text("delta_en_different", -0.2274) == "-0.227"
    assert findings.summary._as_text("different_minus_magnitude_en", 0.0234) == "+0.023"
    assert findings.summary._as_text("cv_concat_cross_corpus_mean", "n/a") == "n/a"

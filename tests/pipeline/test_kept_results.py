"""Kept paper-size summaries say what computed them: the hash of their chapter's inputs, a
clean commit; ``check-kept`` lists those the current code may not reproduce."""

from __future__ import annotations

import json

import pytest

from neuron_utils import book
from neuron_utils.book import cli, results, runner
from neuron_utils.kit import notebook, record
from neuron_utils.chapters import ch06_ablations as ch06


def kept_record(tmp_path, monkeypatch, **provenance) -> dict:
    """A kept chapter-6 summary as keep_paper_results writes it, in a folder of the test's."""
    monkeypatch.setenv("NEURON_UTILS_PAPER_RESULTS", str(tmp_path))
    params = ch06.Parameters(PROFILE="paper-lite", N_PAIRS_PER_PARADIGM=30)
    record = {
        "chapter": "06",
        "parameters": params.as_dict(),
        "summary": {},
        "provenance": {"commit": "abc123", "note": "", **provenance},
    }
    (tmp_path / "06_paper-lite.json").write_text(json.dumps(record))
    return record


def test_a_kept_summary_is_current_only_with_the_current_inputs(tmp_path, monkeypatch):
    params = ch06.Parameters(PROFILE="paper-lite", N_PAIRS_PER_PARADIGM=30)
    current = record.kept_inputs(ch06, params)
    assert current == record.kept_inputs(ch06, params)  # deterministic
    assert current != record.kept_inputs(ch06, params.replace(N_PAIRS_PER_PARADIGM=31))
    kept = kept_record(tmp_path, monkeypatch, inputs=current)
    assert record.kept_currency(kept, ch06) == "" and results.stale_kept() == []
    assert notebook.kept_note(kept, ch06) == "Its chapter's code has not changed since."
    older = kept_record(tmp_path, monkeypatch, inputs="0" * 64)
    assert record.kept_currency(older, ch06) == "kept at an older version of this chapter's code"
    assert results.stale_kept() == [
        "06_paper-lite.json: kept at an older version of this chapter's code"
    ]
    assert notebook.kept_note(older, ch06).startswith("It was kept at an older version")
    dirty = kept_record(tmp_path, monkeypatch, inputs=current, commit="abc123+dirty")
    assert record.kept_currency(dirty, ch06) == "kept from uncommitted code"
    unknown = kept_record(tmp_path, monkeypatch)
    assert record.kept_currency(unknown, ch06).startswith("kept before kept results recorded")


def test_check_kept_prints_the_stale_ones_and_fails(tmp_path, monkeypatch, capsys):
    kept_record(tmp_path, monkeypatch, inputs="0" * 64)
    assert cli.main(["check-kept"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "06_paper-lite.json: kept at an older version of this chapter's code"
    ]
    params = ch06.Parameters(PROFILE="paper-lite", N_PAIRS_PER_PARADIGM=30)
    kept_record(tmp_path, monkeypatch, inputs=record.kept_inputs(ch06, params))
    assert cli.main(["check-kept"]) == 0 and capsys.readouterr().out == ""
    assert results.kept_currency_text().startswith("Every kept summary is what the current")


def test_keeping_refuses_uncommitted_code_before_the_run(monkeypatch):
    monkeypatch.setattr(runner, "git_commit", lambda: "abc123+dirty")

    def never(*args, **kwargs):  # the refusal comes first, before hours of work
        raise AssertionError("resolved the parameters of a run it must refuse")

    monkeypatch.setattr(runner, "resolve_parameters", never)
    with pytest.raises(ValueError, match="uncommitted changes: commit them first .* --keep-dirty"):
        book.run_chapter("06", "paper-lite")
    # a quick run keeps nothing: it runs from any tree
    with pytest.raises(AssertionError, match="resolved the parameters"):
        book.run_chapter("06", "quick")


def test_a_kept_summary_records_the_hash_of_its_inputs(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_UTILS_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("NEURON_UTILS_PAPER_RESULTS", str(tmp_path / "kept"))
    params = ch06.Parameters(PROFILE="paper-lite", N_PAIRS_PER_PARADIGM=30)
    record.record_results(ch06, params, {}, {"x": 1})
    path = results.keep_paper_results("06", "paper-lite", 12.0)
    kept = json.loads(path.read_text())
    assert kept["provenance"]["inputs"] == record.kept_inputs(ch06, params)
    assert record.kept_currency(kept, ch06) in ("", "kept from uncommitted code")

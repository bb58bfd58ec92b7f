"""The commit a run records: dirty for changed code, not for the kept results a run writes."""

import subprocess

import pytest

from neuron_utils.kit import provenance


@pytest.fixture
def repo(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    (tmp_path / "book" / "paper_results").mkdir(parents=True)
    (tmp_path / "book" / "paper_results" / "01_paper-lite.json").write_text("{}\n")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", "-A")
    git("commit", "-qm", "first")
    monkeypatch.setattr(provenance, "PROJECT_ROOT", tmp_path)
    return tmp_path


def test_kept_results_do_not_make_the_tree_dirty_and_code_does(repo):
    clean = provenance.git_commit()
    assert len(clean) == 12 and "+" not in clean
    (repo / "book" / "paper_results" / "01_paper-lite.json").write_text('{"kept": 1}\n')
    assert provenance.git_commit() == clean
    (repo / "code.py").write_text("x = 2\n")
    assert provenance.git_commit() == clean + "+dirty"

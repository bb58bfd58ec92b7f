"""The published site: the check of what a reader's browser loads (links, figures, formulas,
downloads, script errors), the chapter downloads the book's Sphinx extension adds, and
``publish`` onto a local gh-pages branch."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess

import nbformat
import pytest

from neuron_utils.book import runner, sitecheck
from neuron_utils.book.publish import PublishError, publish
from neuron_utils.book.sphinx_downloads import (
    DOWNLOADS,
    add_source_button,
    chapter_sources,
    download_name,
    drop_repeated_scripts,
)
from neuron_utils.book.runner import shown
from neuron_utils.core.paths import PROJECT_ROOT

# a 1 x 1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
BROWSER = next((shutil.which(b) for b in sitecheck.BROWSERS if shutil.which(b)), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium to load the pages in")


def _site(root):
    """A whole little site: an index linking a chapter page (with its downloads), a figure and
    an anchor."""
    (root / "_images").mkdir(parents=True)
    (root / "_images" / "fig.png").write_bytes(PNG)
    (root / "index.html").write_text(
        '<html><body><h1 id="top">Book</h1><a href="#top">top</a>'
        '<a href="book/chapters/01_cross_lingual_similarity.html#s">chapter 1</a>'
        '<img src="_images/fig.png"><a href="https://example.org/x">out</a></body></html>'
    )
    name, source = next(iter(chapter_sources().items()))
    for folder in ("_sources/book/chapters", "book/chapters"):
        (root / folder).mkdir(parents=True)
    (root / "_sources" / f"{name}.ipynb").write_text('{"cells": []}')
    (root / DOWNLOADS).mkdir(parents=True)
    shutil.copy(source, root / DOWNLOADS / download_name(name))
    (root / f"{name}.html").write_text(
        '<html><body><h2 id="s">S</h2>'
        f'<a href="../../_sources/{name}.ipynb">.ipynb</a>'
        f'<a href="../../{DOWNLOADS}/{download_name(name)}">.py</a>'
        '<img src="../../_images/fig.png"></body></html>'
    )
    return root


def test_a_whole_site_passes_and_each_broken_reference_is_named(tmp_path):
    site = _site(tmp_path / "html")
    assert sitecheck.check_site(site, browser=False) == []
    (site / "index.html").write_text(
        '<html><body><a href="book/chapters/01_cross_lingual_similarity.html#gone">x</a>'
        '<img src="_images/missing.png"><a href="../outside.html">y</a>'
        '<script src="_static/app.js"></script><a href="_images">z</a></body></html>'
    )
    assert sitecheck.check_site(site, browser=False) == [
        "index.html: <a> book/chapters/01_cross_lingual_similarity.html#gone: no such anchor",
        "index.html: <img> _images/missing.png: no such file",
        "index.html: <a> ../outside.html: outside the site",
        "index.html: <script> _static/app.js: no such file",
        "index.html: <a> _images: a folder without index.html",
    ]


def test_a_chapter_page_must_offer_both_downloads_and_notebooks_hold_no_machine_path(tmp_path):
    site = _site(tmp_path / "html")
    name, source = next(iter(chapter_sources().items()))
    page = site / f"{name}.html"
    page.write_text(page.read_text().replace(f"{DOWNLOADS}/{download_name(name)}", "elsewhere.py"))
    (site / "_sources" / f"{name}.ipynb").write_text('{"output_path": "/home/ann/book/x"}')
    problems = sitecheck.check_site(site, browser=False)
    assert f"{name}.html: does not offer {DOWNLOADS}/{download_name(name)} for download" in problems
    assert f"_sources/{name}.ipynb: machine path /home/ann/" in problems


@needs_browser
def test_the_browser_sees_missing_figures_and_script_errors_from_both_origins(tmp_path):
    site = _site(tmp_path / "html")
    assert sitecheck.check_site(site) == []
    (site / "index.html").write_text(
        '<html><body><img src="_images/fig.png"><img src="gone.png">'
        "<script>notDefined();</script></body></html>"
    )
    problems = sitecheck.check_site(site)
    for origin in ("file://", "a static server"):
        where = f"index.html (from {origin})"
        assert f"{where}: figure not shown: gone.png" in problems
        assert f"{where}: script error: ReferenceError: notDefined is not defined" in problems
        assert any(p.startswith(f"{where}: Failed to load resource") for p in problems)
    # the static check names the missing figure too
    assert "index.html: <img> gone.png: no such file" in problems


def test_the_download_menu_of_a_chapter_page_offers_its_source():
    name, source = next(iter(chapter_sources().items()))
    group = {
        "label": "download-buttons",
        "buttons": [{"label": "download-source-button", "text": ".ipynb"}, {"text": ".pdf"}],
    }
    context = {"header_buttons": [group], "pathto": lambda target, flag: f"../../{target}"}
    add_source_button(None, name, "page.html", context, None)
    assert [b["text"] for b in group["buttons"]] == [".ipynb", ".py", ".pdf"]
    assert group["buttons"][1]["url"] == f"../../{DOWNLOADS}/{download_name(name)}"
    other = {"header_buttons": [{"label": "download-buttons", "buttons": []}]}
    add_source_button(None, "book/intro", "page.html", other, None)  # not a chapter
    assert other["header_buttons"][0]["buttons"] == []


def test_a_script_added_twice_is_loaded_once():
    from sphinx.builders.html._assets import _JavaScript

    body = 'const THEBE_JS_URL = "x"'
    scripts = [
        _JavaScript("a.js"),
        _JavaScript(None, body=body),
        _JavaScript("a.js"),
        _JavaScript(None, body="y"),
        _JavaScript("", body=body),  # the same inline script, added the other way
        _JavaScript("a.js", defer="defer"),  # not the same tag
    ]
    context = {"script_files": scripts}
    drop_repeated_scripts(None, "p", "page.html", context, None)
    assert context["script_files"] == [scripts[0], scripts[1], scripts[3], scripts[5]]


def test_an_executed_notebook_names_its_source_not_the_machine(tmp_path):
    executed = tmp_path / "x.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {"input_path": {"cells": ["the whole notebook"]}}
    nbformat.write(notebook, executed)
    name, source = next(iter(chapter_sources().items()))
    runner.name_papermill_paths(executed, source, runner.EXECUTED / "x.ipynb")
    record = json.loads(executed.read_text())["metadata"]["papermill"]
    assert record["input_path"] == shown(source) == str(source.relative_to(PROJECT_ROOT))
    assert record["output_path"] == "book/chapters/x.ipynb"
    runner.name_papermill_paths(executed, source, tmp_path / "y.ipynb")  # outside the project
    assert json.loads(executed.read_text())["metadata"]["papermill"]["output_path"] == "y.ipynb"


def _git(repository, *args):
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repository(tmp_path):
    repository = tmp_path / "repo"
    repository.mkdir()
    _git(repository, "init", "-q", "-b", "main")
    _git(repository, "config", "user.name", "Book Tests")
    _git(repository, "config", "user.email", "tests@example.org")
    (repository / "README.md").write_text("x\n")
    _git(repository, "add", "README.md")
    _git(repository, "commit", "-q", "-m", "start")
    return repository


def test_publish_commits_the_site_to_a_local_branch_and_leaves_the_work_tree(repository):
    site = _site(repository / "_build" / "html")
    first = publish(site, repository=repository)
    files = set(_git(repository, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert {"index.html", ".nojekyll", "_images/fig.png"} <= files  # .nojekyll: keep _images
    assert _git(repository, "rev-parse", "gh-pages") == first
    assert _git(repository, "branch", "--show-current") == "main"
    assert _git(repository, "status", "--porcelain", "--untracked-files=no") == ""
    assert "The book as built from" in _git(repository, "log", "-1", "--format=%s", "gh-pages")
    (site / "index.html").write_text((site / "index.html").read_text() + "<p>more</p>")
    second = publish(site, repository=repository)
    assert _git(repository, "rev-parse", "gh-pages^") == first and second != first
    assert not _git(repository, "remote")  # nothing to push to, nothing pushed


def test_publish_refuses_a_missing_or_broken_site(repository):
    with pytest.raises(PublishError, match="no built book .* run `make book` first"):
        publish(repository / "_build" / "html", repository=repository)
    site = _site(repository / "_build" / "html")
    (site / "index.html").write_text('<img src="gone.png">')
    with pytest.raises(PublishError, match="not fit to publish:\nindex.html: <img> gone.png"):
        publish(site, repository=repository)
    assert not _git(repository, "branch", "--list", "gh-pages")

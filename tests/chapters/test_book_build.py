"""A small book (intro, re-run guide, API reference, chapters 1 and 7 from their smoke runs; the
intro links chapter 7) builds strictly, its pages pass the post-build check (no reprs, raw
tables, tracebacks or machine paths) and the site check: every link and figure, each chapter's
two downloads, and (where Chromium is installed) every page loaded from file:// and from a
static server with its figures shown, its formulas typeset, no script error, and search."""

import re
import shutil

from neuron_utils.book.sitecheck import BROWSERS, check_site

from neuron_utils.book import build_book, registry
from neuron_utils.core.paths import PROJECT_ROOT

FINDINGS = registry.findings()  # the findings page's number (new chapters go before it)
TOC = f"""format: jb-book
root: book/intro
chapters:
  - file: book/rerun
  - file: book/api
  - file: book/chapters/01_cross_lingual_similarity
  - file: book/chapters/{registry.page_name(FINDINGS)}
  - file: book/references
"""


def test_a_small_book_builds_cleanly(smoke, tmp_path):
    run = smoke("01")
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "_config.yml", tmp_path)
    (tmp_path / "_toc.yml").write_text(TOC)
    for name in ("intro.md", "rerun.md", "api.md", "references.md", "references.bib"):
        shutil.copy(PROJECT_ROOT / "book" / name, tmp_path / "book")
    shutil.copytree(PROJECT_ROOT / "book" / "_assets", tmp_path / "book" / "_assets")
    shutil.copy(run.path, tmp_path / "book" / "chapters")
    shutil.copy(smoke(FINDINGS).path, tmp_path / "book" / "chapters")
    index = build_book(root=tmp_path)  # raises on a Sphinx warning or a post-build problem
    page = (
        tmp_path / "_build" / "html" / "book" / "chapters" / "01_cross_lingual_similarity.html"
    ).read_text()
    assert index.exists() and "<table" in page  # the provenance table is a real table
    assert "_downloads/chapters/01_cross_lingual_similarity.py" in page
    browser = any(shutil.which(name) for name in BROWSERS)
    problems = check_site(index.parent, browser=browser)
    # the findings page links every chapter's sections; this book holds chapter 1 and it only
    findings = registry.page_name(FINDINGS)
    elsewhere = re.compile(
        rf"book/chapters/{findings}\.html: <a> (?!01_)\d\d_\w+\.html#[\w-]+: no such file"
    )
    assert [p for p in problems if not elsewhere.fullmatch(p)] == []
    assert problems, "the findings page links the chapters this small book leaves out"

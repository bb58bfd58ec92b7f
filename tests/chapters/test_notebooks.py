"""The chapter sources: skeleton, thin notebooks, and prose that quotes only the chapter's summary."""

import ast
import re

import jupytext
import pytest

from neuron_utils import book
from neuron_utils.kit.notebook import is_scalar, kept_glue_values
from neuron_utils.kit.record import paper_results
from neuron_utils.kit.summary import Declaration

# a glued name (an interval's ends are name.low and name.high), before its format
GLUED = re.compile(r"\{glue:(?:text|md)\}`([A-Za-z0-9_.]+?)(?::[^`]*)?`")
MAX_CODE_LINES = 60  # outside the parameters cell: notebooks hold prose, calls and figures


@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_notebooks_are_thin(chapter):
    notebook = jupytext.read(book.chapter_source(chapter))
    code = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ]
    lines = [
        line
        for c in code
        for line in c.source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert len(lines) <= MAX_CODE_LINES, f"chapter {chapter} has {len(lines)} lines of code"
    # numbers come from the chapter module's summarise(), functions from the package
    for cell in code:
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda))], (
            cell.source
        )
        assert "glue(" not in cell.source.replace("glue_all(", "").replace("glue_summary(", "")


@pytest.mark.smoke
@pytest.mark.parametrize("chapter", sorted(book.chapters()))
def test_every_number_the_prose_quotes_is_in_the_summary(chapter, smoke):
    used = set(GLUED.findall(book.chapter_source(chapter).read_text()))
    module = book.chapter_module(chapter)
    declaration = getattr(module, "SUMMARY", None) or Declaration()
    # what the notebook glues: the summary as its declaration glues it (kit.glue_summary)
    summary = declaration.glue_values(declaration.decode(smoke(chapter).results["summary"]))
    # kept paper-size results are glued by kit.glue_paper_results
    for profile in ("paper", "paper-lite"):
        kept = paper_results(chapter, profile)
        if kept is not None:
            summary.update(kept_glue_values(kept, profile, module))
    missing = sorted(name for name in used if name not in summary or not is_scalar(summary[name]))
    assert not missing, (
        f"chapter {chapter} quotes names that its summarise() does not give: {missing}"
    )

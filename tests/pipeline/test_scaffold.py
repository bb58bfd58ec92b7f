"""``python -m neuron_utils new-chapter``: one folder from the template, placed before the findings
page (which moves up by one), green by construction; all or nothing.

The unit tests work on a copy of what the scaffold reads and edits (``_toc.yml``, the chapter
folders, the book's pages); the acceptance test runs the command in a copy of the whole tree (what
a clean clone holds) and the registry-wide tests there."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
import numpy as np
import pytest

from neuron_utils import data
from neuron_utils.book import cli, contract, registry, scaffold
from neuron_utils.book.exercises import _DIRECTIVE, _LABEL
from neuron_utils.book.scaffold import ScaffoldFailed, new_chapter
from neuron_utils.core.activations import collect

from ..helpers import tiny_model

ROOT = Path(__file__).resolve().parents[2]
FINDINGS = registry.findings()  # the slot a new chapter takes
MOVED = f"{int(FINDINGS) + 1:02d}"  # where the findings page goes
FINDINGS_NAME = registry.page_name(FINDINGS)[3:]
# the new layout: the package, its split modules, its notebook (golden.json comes after)
MODULES = ("__init__", "parameters", "analysis", "summary", "prose", "figures", "claims")
FILES = {f"{name}.py" for name in (*MODULES, "notebook")}
# titles a docstring and Markdown must hold as they are: quotes (a docstring's own), backslashes,
# a template's placeholder, non-ASCII; MyST's markup (roles, math, emphasis, HTML, a closing #)
ODD_TITLES = [
    'Ünïcode “curly” """triple""" \'single\' back\\slash \\n \\" <<NUMBER>> 日本語 end"',
    "{braces} {glue:text}`x` *star* _u_ $x$ <b>&amp; [l](u) #1 ~|! %% (t)= end #",
]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (bytecode aside) by its path: the tree as a reader sees it."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def book(tmp_path) -> Path:
    """A copy of what the scaffold reads and edits (``_toc.yml``, the chapter folders, the
    book's pages and kept results, the lint settings), with an executed copy, run record and
    results record of the findings page made under its number."""
    root = tmp_path / "book"
    chapters = root / "neuron_utils" / "chapters"
    shutil.copytree(
        ROOT / "neuron_utils" / "chapters", chapters, ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("_toc.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    (root / "book").mkdir()
    for page in (ROOT / "book").glob("*.md"):
        shutil.copy(page, root / "book" / page.name)
    shutil.copytree(ROOT / "book" / "paper_results", root / "book" / "paper_results")
    executed = root / "book" / "chapters" / f"{FINDINGS}_{FINDINGS_NAME}.ipynb"
    executed.parent.mkdir()
    executed.write_text('{"cells": []}')
    executed.with_suffix(".run.json").write_text("{}")
    (root / "book" / "results").mkdir()
    (root / "book" / "results" / f"{FINDINGS}.json").write_text('{"chapter": "%s"}' % FINDINGS)
    return root


@pytest.fixture
def load_package():
    """``load(folder)``: a chapter package written into a copy, imported under its book name
    (its relative imports reach this package's kit, core and data); forgotten afterwards."""
    loaded: list[str] = []

    def load(folder: Path):
        name = f"neuron_utils.chapters.{folder.name}"
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loaded.append(name)
        spec.loader.exec_module(module)
        return module

    yield load
    for name in list(sys.modules):
        if any(name == p or name.startswith(f"{p}.") for p in loaded):
            del sys.modules[name]


def exercise_labels(source: str) -> list[str]:
    """The labels of the exercises of a notebook's source (as the book reads them)."""
    notebook = jupytext.reads(source, fmt="py:percent")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return [
        _LABEL.search(body)[1]
        for kind, _, body in _DIRECTIVE.findall(markdown)
        if kind == "exercise"
    ]


def lint(root: Path, folder: Path) -> None:
    """ruff check and format --check on ``folder`` with the project's settings (its
    per-file rules for chapters and notebooks)."""
    for command in (["check"], ["format", "--check"]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *command, str(folder.relative_to(root))],
            cwd=root, capture_output=True, text=True,
        )  # fmt: skip
        assert run.returncode == 0, (command, run.stdout + run.stderr)


# --------------------------------------------------------------------------- placing


def test_a_new_chapter_takes_the_findings_pages_number_and_the_findings_move_up(book):
    before = registry.listed((book / "_toc.yml").read_text())
    chapters = book / "neuron_utils" / "chapters"
    findings_source = (chapters / f"ch{FINDINGS}_{FINDINGS_NAME}" / "notebook.py").read_text()

    created = new_chapter("toy_topic", "A toy topic", root=book, golden=False)

    after = registry.listed((book / "_toc.yml").read_text())
    at = before.index((FINDINGS, FINDINGS_NAME))
    assert after == [
        *before[:at],
        (FINDINGS, "toy_topic"),
        (MOVED, FINDINGS_NAME),
        *before[at + 1 :],
    ]
    # the registry of that tree agrees (every folder listed, every line with its folder)
    assert registry.package_names(book)[FINDINGS] == f"ch{FINDINGS}_toy_topic"
    assert registry.package_names(book)[MOVED] == f"ch{MOVED}_{FINDINGS_NAME}"
    folder = chapters / f"ch{FINDINGS}_toy_topic"
    assert created.plan.folder == folder and {p.name for p in folder.iterdir()} == FILES
    assert not (chapters / f"ch{FINDINGS}_{FINDINGS_NAME}").exists()
    # the findings page moved as it was, its exercise labels renamed for its new number
    moved = (chapters / f"ch{MOVED}_{FINDINGS_NAME}" / "notebook.py").read_text()
    labels = exercise_labels(moved)
    assert labels and all(label.startswith(f"ex{MOVED}-") for label in labels)
    assert moved == findings_source.replace(f"ex{FINDINGS}-", f"ex{MOVED}-")
    # what was made of it under its old number is gone: nothing stale is read as chapter NN
    assert not list((book / "book" / "chapters").iterdir())
    assert not (book / "book" / "results" / f"{FINDINGS}.json").exists()
    assert len(created.removed) == 3
    # the book's links to it follow it
    pages = "".join(p.read_text() for p in (book / "book").glob("*.md"))
    assert f"chapters/{FINDINGS}_{FINDINGS_NAME}" not in pages
    if f"chapters/{FINDINGS}_{FINDINGS_NAME}" in (ROOT / "book" / "intro.md").read_text():
        assert f"chapters/{MOVED}_{FINDINGS_NAME}" in (book / "book" / "intro.md").read_text()
    lines = created.lines()
    assert lines[0].startswith(f"wrote neuron_utils/chapters/ch{FINDINGS}_toy_topic/")
    assert f"moved the findings page from {FINDINGS} to {MOVED}" in lines[1]


def test_the_template_holds_the_contract_and_measures_the_norm(book, load_package):
    created = new_chapter("toy_topic", "A toy topic", number=FINDINGS, root=book, golden=False)
    folder = created.plan.folder
    module = load_package(folder)
    source = (folder / "notebook.py").read_text()
    toc = (book / "_toc.yml").read_text()
    assert contract.problems_of(module, FINDINGS, f"{FINDINGS}_toy_topic", source, toc) == []
    assert module.SPEC.tiny and module.SPEC.golden and module.SPEC.figures == 1
    assert module.CLAIMS == ()
    # the parameters cell holds the Parameters defaults, each parameter with its limits
    notebook = jupytext.reads(source, fmt="py:percent")
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    values: dict = {}
    exec(cell.source, {}, values)
    assert values == module.Parameters().as_dict()
    with pytest.raises(ValueError, match="LANGUAGE='xx' is not allowed"):
        module.Parameters(LANGUAGE="xx")
    with pytest.raises(ValueError, match="N_SENTENCES=1 must be an integer"):
        module.Parameters(N_SENTENCES=1)
    module.Parameters.resolve("quick", module.SPEC.golden)  # the golden sizes fit the data
    # every exercise is the chapter's
    labels = exercise_labels(source)
    assert labels and all(label.startswith(f"ex{FINDINGS}-") for label in labels)
    # it measures what it says: the last token's residual-stream norm per layer
    model = tiny_model("gemma3")
    summary = module.summarise(module.analyse(model, module.Parameters(N_SENTENCES=3)))
    states = collect(model, data.texts("bundled", "en")[:3], cache=False)["residual"]
    expected = [float(np.mean([np.linalg.norm(s[layer]) for s in states])) for layer in range(3)]
    assert summary["n_sentences"] == 3 and model.n_layers == 3
    np.testing.assert_allclose(summary["norm_per_layer"], expected, rtol=1e-6)  # float32 norms
    assert summary["largest_layer"] == int(np.argmax(expected))
    assert module.SUMMARY.problems(summary) == []  # one entry per key, each value of its kind
    assert {e.key for e in module.SUMMARY} == set(summary)
    assert module.measured_points(summary)[0].startswith("Over 3 sentences")
    lint(book, folder)


@pytest.mark.parametrize("title", ODD_TITLES, ids=["python", "markdown"])
def test_an_odd_title_gives_valid_python_and_a_valid_notebook(
    book, load_package, monkeypatch, title
):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    folder = new_chapter("odd", title, root=book, golden=False).plan.folder
    for path in folder.glob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), str(path))
    lint(book, folder)
    module = load_package(folder)
    assert module.__doc__.splitlines()[0] == f"Chapter {int(FINDINGS)}: {title}."
    # the notebook: valid, one heading that renders as the title (MyST's markup escaped)
    notebook = jupytext.read(folder / "notebook.py")
    nbformat.validate(jupytext.reads(jupytext.writes(notebook, "ipynb"), "ipynb"))
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    tokens = MarkdownIt("commonmark").use(dollarmath_plugin).parse(first.source.splitlines()[0])
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert [c.type for c in tokens[1].children] == ["text"]
    assert tokens[1].children[0].content == title
    # the registry reads it back as the title (the command line shows it)
    monkeypatch.setattr(registry, "chapter_source", lambda chapter: folder / "notebook.py")
    assert registry.chapter_title("01") == title


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "name,title,number,message",
    [
        ("Toy-Topic", "T", None, "lower-case letters, digits and _"),
        ("08", "T", None, "the number is no longer given first"),
        ("_toy", "T", None, "starting with a letter"),
        ("common_neurons", "T", None, "'common_neurons' is taken"),
        (FINDINGS_NAME, "T", None, f"{FINDINGS_NAME!r} is taken"),
        ("toy", "", None, "needs a title"),
        ("toy", "   ", None, "needs a title"),
        ("toy", "two\nlines", None, "one line"),
        ("toy", " padded", None, "spaces at an end"),
        ("toy", "x" * 81, None, "at most 80 fit a page heading"),
        ("toy", '"' * 60, None, "120 escaped"),
        ("toy", "T", "05", f"takes the findings page's number, {FINDINGS}"),
        ("toy", "T", MOVED, f"give --number {FINDINGS} or none"),
    ],
)
def test_a_refusal_leaves_the_tree_untouched(book, name, title, number, message):
    before = snapshot(book)
    with pytest.raises(ValueError, match=message):
        new_chapter(name, title, number, root=book, golden=False)
    assert snapshot(book) == before


def test_the_command_line_refuses_in_one_line_and_writes_nothing(capsys):
    before = (ROOT / "_toc.yml").read_text()
    assert cli.main(["new-chapter", "Bad-Name", "Title"]) == cli.BAD_INPUT
    assert cli.main(["new-chapter", "toy_topic", "Title", "--number", "01"]) == cli.BAD_INPUT
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert f"takes the findings page's number, {FINDINGS}" in errors[1]
    assert (ROOT / "_toc.yml").read_text() == before
    assert not list((ROOT / "neuron_utils" / "chapters").glob("ch*_toy_topic"))


def test_a_book_whose_findings_page_cannot_move_is_refused(book):
    toc = book / "_toc.yml"
    # a page after the findings page holds the number it would move to
    chapters = book / "neuron_utils" / "chapters"
    shutil.copytree(chapters / "ch01_cross_lingual_similarity", chapters / f"ch{MOVED}_appendix")
    line = f"- file: book/chapters/{FINDINGS}_{FINDINGS_NAME}"
    indent = next(t for t in toc.read_text().splitlines() if t.strip() == line)[: -len(line)]
    toc.write_text(
        toc.read_text().replace(line, f"{line}\n{indent}- file: book/chapters/{MOVED}_appendix")
    )
    before = snapshot(book)
    with pytest.raises(ValueError, match=f"chapter {MOVED} exists already"):
        new_chapter("toy", "Toy", root=book, golden=False)
    assert snapshot(book) == before


# --------------------------------------------------------------------------- all or nothing


def test_a_failure_midway_undoes_every_step_and_a_retry_works(book, monkeypatch):
    before = snapshot(book)
    write = scaffold._write

    def full_disk(path: Path, text: str) -> None:  # the last write: _toc.yml
        if path.name == "_toc.yml":
            raise OSError(28, "No space left on device")
        write(path, text)

    monkeypatch.setattr(scaffold, "_write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        new_chapter("toy_topic", "A toy topic", root=book, golden=False)
    assert snapshot(book) == before
    monkeypatch.setattr(scaffold, "_write", write)

    def no_golden(plan):  # after every write: the golden numbers fail
        assert (plan.folder / "notebook.py").exists() and plan.moved_folder.exists()
        raise ScaffoldFailed("the golden numbers could not be made")

    monkeypatch.setattr(scaffold, "_generate_golden", no_golden)
    with pytest.raises(ScaffoldFailed, match="golden numbers"):
        new_chapter("toy_topic", "A toy topic", root=book)
    assert snapshot(book) == before
    assert registry.package_names(book)[FINDINGS] == f"ch{FINDINGS}_{FINDINGS_NAME}"

    created = new_chapter("toy_topic", "A toy topic", root=book, golden=False)  # the retry
    assert created.plan.folder.is_dir() and created.plan.moved_folder.is_dir()
    assert registry.package_names(book)[FINDINGS] == f"ch{FINDINGS}_toy_topic"


# --------------------------------------------------------------------------- acceptance


def clean_clone(target: Path) -> Path:
    """What a clean clone of this tree holds (its tracked files and the untracked ones git does
    not ignore, as they are now), with this tree's virtual environment beside it (linked)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # not one deleted in the working tree
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


@pytest.mark.smoke
def test_a_new_chapter_in_a_clean_clone_passes_the_registry_wide_tests(tmp_path):
    """The acceptance test: ``new-chapter`` through the command line in a copy of the tree,
    then the registry-wide tests and the lint there, with nothing edited by hand."""
    clone = clean_clone(tmp_path / "clone")
    python = sys.executable  # this tree's environment: nothing is installed for the copy
    # the copy's package, not this tree's (PYTHONPATH; cwd=clone): no setting of this session
    keep = {k: v for k, v in os.environ.items() if not k.startswith("NEURON_UTILS_")}
    if "NEURON_UTILS_DATA_MIRROR" in os.environ:  # the real data, where there is a mirror
        keep["NEURON_UTILS_DATA_MIRROR"] = os.environ["NEURON_UTILS_DATA_MIRROR"]
    env = {**keep, "PYTHONPATH": str(clone), "NEURON_UTILS_PROGRESS": "0"}

    def run(*command: str, timeout: float = 1200) -> subprocess.CompletedProcess:
        return subprocess.run(
            command, cwd=clone, env=env, capture_output=True, text=True, timeout=timeout
        )

    start = time.monotonic()
    made = run(python, "-m", "neuron_utils", "new-chapter", "toy_topic", "A toy topic")
    assert made.returncode == 0, made.stdout + made.stderr
    made_s = time.monotonic() - start
    folder = clone / "neuron_utils" / "chapters" / f"ch{FINDINGS}_toy_topic"
    golden = json.loads((folder / "golden.json").read_text())
    assert golden["n_sentences"] == 6 and len(golden["norm_per_layer"]) >= 2
    # the copy's registry: the new chapter right before the findings page, which moved up
    probe = run(
        python,
        "-c",
        "import json, neuron_utils\nfrom neuron_utils.book import registry\n"
        "print(json.dumps([neuron_utils.__file__, registry.findings(), list(registry.chapters())]))",
    )
    assert probe.returncode == 0, probe.stderr
    package, findings, order = json.loads(probe.stdout.splitlines()[-1])
    assert Path(package).is_relative_to(clone)
    before = list(registry.chapters())
    at = before.index(FINDINGS)
    assert findings == MOVED and order == [*before[:at], FINDINGS, MOVED, *before[at + 1 :]]
    tests = [
        "tests/chapters/test_contract.py",
        "tests/chapters/test_golden.py",
        "tests/pipeline/test_layers.py",
        "tests/pipeline/test_rebuild_and_progress.py",
        "tests/chapters/test_ch07.py",
    ]
    for command in (["check", "."], ["format", "--check", "."]):  # the whole copy, as make lint
        lint = run(python, "-m", "ruff", *command)
        assert lint.returncode == 0, (command, lint.stdout + lint.stderr)
    suite = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not smoke", *tests)
    assert suite.returncode == 0, "\n".join((suite.stdout + suite.stderr).splitlines()[-40:])
    print(
        f"new-chapter {made_s:.0f} s, then the tests and the lint: {time.monotonic() - start:.0f} s"
    )

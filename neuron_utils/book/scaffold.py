"""A new chapter from the template: ``python -m neuron_utils new-chapter my_topic "Title"``
(``make new-chapter NAME=my_topic TITLE="Title"``).

It writes one folder, ``neuron_utils/chapters/chNN_my_topic/`` (the package in the book's
layout: parameters, analysis, summary, prose, figures, claims, the notebook), and its line in
``_toc.yml``, then generates its golden numbers (``golden.json``, by the golden-number test in
regenerate mode). The chapter goes **before the findings page**: it takes the findings page's
number and the findings page moves up by one (its folder, its ``_toc.yml`` line, its exercise
labels and the book's links to it; its executed copy, run record and results record, made
under the old number, are removed: the next ``make book`` runs it again). Nothing else needs an
edit: the registry, the contract, the golden, smoke and findings tests find the chapter from
``_toc.yml``.

The template measures something small and real (the norm of the residual stream's last-token
state per layer on a few bundled sentences), so that the chapter runs, draws its figure,
records its typed summary and passes the suite before its own analysis is written; replace the
analysis, the summary, the figure and the prose.

All or nothing: everything is checked before anything is written, the folder is written aside
and moved into place, and every step is undone if a later one (the golden numbers included)
fails, so a failed attempt leaves the tree as it was and can simply be retried.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.paths import PROJECT_ROOT, results_dir
from . import registry

NAME = re.compile(r"[a-z][a-z0-9_]*")
MAX_TITLE_COLUMNS = 80  # a page heading on one line (and a docstring line within the line length)
# what Markdown (MyST) could read as markup in a heading: each is written backslash-escaped,
# which CommonMark renders as the character itself (registry.chapter_title reads it back)
MARKDOWN_SPECIAL = frozenset("\\`*_[]<>{}#$~&|!")
GOLDEN_TEST = "tests/chapters/test_golden.py::test_summary_equals_the_golden_numbers"


class ScaffoldFailed(RuntimeError):
    """A step after the checks failed (the golden numbers, a write); the tree is as before."""


# --------------------------------------------------------------------------- the template

TEMPLATE: dict[str, str] = {}

TEMPLATE["__init__.py"] = '''\
"""Chapter <<INT>>: <<PY_TITLE>>

Made by ``python -m neuron_utils new-chapter``: the template measures the norm of the residual
stream's last-token state per layer on a few sentences of the bundled corpus, so that the
chapter runs, draws its figure, records its summary and passes the suite as it is. Replace the
analysis, the summary, the figure and the notebook's prose with the chapter's own.

The modules: :mod:`.parameters`, :mod:`.analysis`, :mod:`.summary` (the typed ``SUMMARY``),
:mod:`.prose` (generated words), :mod:`.figures` and :mod:`.claims`; this package re-exports
what the notebook, the tests and the book use.
"""

from __future__ import annotations

from ...kit.spec import ChapterSpec
from .analysis import Results, analyse
from .claims import CLAIMS  # the chapter's claims, their rules and the rules' cases
from .figures import plot_norms
from .parameters import Parameters
from .prose import measured_points
from .summary import SUMMARY, summarise

# the harness's settings for this chapter: smoke and golden sizes, figures (and, once make
# bench has timed it, quick_cold_s: the cost of a cold quick run per dtype)
SPEC = ChapterSpec(
    tiny={"N_SENTENCES": 4},
    golden={"N_SENTENCES": 6},
    figures=1,
)

__all__ = [
    "CLAIMS",
    "Parameters",
    "Results",
    "SPEC",
    "SUMMARY",
    "analyse",
    "measured_points",
    "plot_norms",
    "summarise",
]
'''

TEMPLATE["parameters.py"] = '''\
"""Chapter <<INT>>'s parameters, each with its limits beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import data
from ...kit.parameters import ChapterParameters, check_int, param


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter <<INT>>'s parameters (defaults: the ``quick`` profile)."""

    LANGUAGE: str = param("en", choices=data.BUNDLED_LANGUAGES)  # of the bundled corpus
    N_SENTENCES: int = param(20, low=2)  # the first sentences of the bundled corpus

    CHAPTER: ClassVar[str] = "<<NUMBER>>"

    def check_data(self) -> None:  # against the data (run by validate())
        most = len(data.texts("bundled", self.LANGUAGE))
        check_int("N_SENTENCES", self.N_SENTENCES, 2, most)
'''

TEMPLATE["analysis.py"] = '''\
"""Chapter <<INT>>'s measurement: the norm of the residual stream's last-token state per layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import data
from ...core.activations import collect
from ...core.models import LoadedModel
from .parameters import Parameters


@dataclass
class Results:
    """Everything chapter <<INT>>'s figures and summary read."""

    parameters: Parameters
    norms: np.ndarray  # [sentences, layers]: L2 norm of the last token's residual stream


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """The residual stream's last-token norm of the first ``N_SENTENCES`` sentences."""
    texts = data.texts("bundled", p.LANGUAGE)[: p.N_SENTENCES]
    states = collect(model, texts, sites=["residual"], batch_size=p.BATCH_SIZE)["residual"]
    return Results(p, np.linalg.norm(states, axis=-1))
'''

TEMPLATE["summary.py"] = '''\
"""Chapter <<INT>>'s summary: every number the chapter quotes, declared once with its kind and
unit (:data:`SUMMARY`), and :func:`summarise`."""

from __future__ import annotations

from typing import Any

from ...kit.summary import Declaration, Entry, Kind
from .analysis import Results

NORM = "L2 norm of the residual stream (model units)"

SUMMARY = Declaration(
    Entry("n_sentences", Kind.COUNT, "sentences"),
    Entry("norm_first_layer", Kind.NUMBER, NORM),
    Entry("norm_last_layer", Kind.NUMBER, NORM),
    Entry("largest_layer", Kind.COUNT, "layer index, from 0"),
    Entry("norm_per_layer", Kind.CURVE, f"{NORM}, mean over sentences, per layer"),
)


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter <<INT>> quotes (glued under these names) and its figure's curve."""
    mean = results.norms.mean(0)
    return {
        "n_sentences": len(results.norms),
        "norm_first_layer": float(mean[0]),
        "norm_last_layer": float(mean[-1]),
        "largest_layer": int(mean.argmax()),
        "norm_per_layer": mean.tolist(),
    }
'''

TEMPLATE["prose.py"] = '''\
"""Chapter <<INT>>'s generated words: the sentences a run that is not the default one shows."""

from __future__ import annotations

from typing import Any


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"Over {s['n_sentences']} sentences, the mean norm of the last token's state is "
        f"{s['norm_first_layer']:.1f} after the first layer and {s['norm_last_layer']:.1f} after "
        f"the last; it is largest at layer {s['largest_layer']}."
    ]
'''

TEMPLATE["figures.py"] = '''\
"""Chapter <<INT>>'s figures, drawn from its results."""

from __future__ import annotations

import numpy as np

from ...kit import plotting
from .analysis import Results


def plot_norms(results: Results) -> None:
    """The mean norm per layer, with its range over the sentences."""
    fig, ax = plotting.single()
    norms = results.norms
    layers = np.arange(norms.shape[1])
    ax.plot(layers, norms.mean(0), color=plotting.color(0), label="mean over sentences")
    ax.fill_between(layers, norms.min(0), norms.max(0), color=plotting.color(0), alpha=0.2)
    plotting.layer_axis(ax, norms.shape[1])
    ax.set_ylabel("norm of the last token's state")
'''

TEMPLATE["claims.py"] = '''\
"""Chapter <<INT>>'s claims: what the seeds found that this chapter measures, and the rule that
judges each on the chapter's summary (:mod:`neuron_utils.kit.claims`). None yet: a claim added
here shows on the findings page with its verdict."""

from __future__ import annotations

from ...kit.claims import Claim

CLAIMS: tuple[Claim, ...] = ()
'''

TEMPLATE["notebook.py"] = """\
# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # <<MD_TITLE>>
#
# **Question.** (What this chapter asks, and which paper's claim it tests.)
#
# The template below measures how large the residual stream's last-token state is at each
# layer, on a few sentences of the bundled corpus; replace it with the chapter's analysis.

# %% tags=["parameters"]
PROFILE = "quick"
MODEL = "gemma-3-270m"
DTYPE = "auto"
DEVICE = "auto"
LANGUAGE = "en"  # a language of the bundled corpus
N_SENTENCES = 20
SEED = 0
BATCH_SIZE = 32

# %%
import neuron_utils as nu
from neuron_utils import kit
from neuron_utils.chapters import <<PACKAGE>> as chapter

params = kit.start_chapter(chapter, globals())  # checked before the model loads

# %%
model = nu.load_model(MODEL, dtype=DTYPE, device=DEVICE)
results = chapter.analyse(model, params)

# %% tags=["hide-output"]
kit.show_provenance(model, params)

# %% tags=["remove-cell"]
summary = chapter.summarise(results)
kit.glue_summary(chapter, summary)
kit.record_results(chapter, params, model.describe(), summary)

# %% [markdown]
# ## The norm per layer
#
# The norm of the last token's state after each layer, averaged over the sentences (the band:
# its range over them).

# %%
chapter.plot_norms(results)

# %% [markdown]
# ## What we found here

# %% tags=["remove-input"]
kit.what_we_found(params, chapter.measured_points(summary))

# %% [markdown] tags=["default-run"]
# Over {glue:text}`n_sentences` sentences, the mean norm is {glue:text}`norm_first_layer:.1f`
# after the first layer and {glue:text}`norm_last_layer:.1f` after the last; it is largest at
# layer {glue:text}`largest_layer`.

# %% [markdown]
# ## Exercises
#
# :::{exercise}
# :label: ex<<NUMBER>>-language
#
# Re-run with `-p LANGUAGE '"ja"'`. Does the layer with the largest norm move?
# :::
#
# :::{solution} ex<<NUMBER>>-language
# :class: dropdown
#
# A parameter change: `python -m neuron_utils run <<NUMBER>> -p LANGUAGE '"ja"'` re-runs the
# page; in a cell below the analysis, with the model loaded:
#
# ```python
# other = chapter.summarise(chapter.analyse(model, params.replace(LANGUAGE="ja")))
# print(f"largest norm at layer {other['largest_layer']} (this run: {summary['largest_layer']})")
# ```
# :::
#
# ## References
#
# This template cites nothing yet. Full entries: {doc}`/book/references`.
"""


def python_text(title: str) -> str:
    """``title`` inside a ``\"\"\"`` docstring: backslashes and quotes escaped."""
    return title.replace("\\", "\\\\").replace('"', '\\"')


def markdown_text(title: str) -> str:
    """``title`` as Markdown that renders as the title itself (:data:`MARKDOWN_SPECIAL`
    backslash-escaped)."""
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in title)


def columns(text: str) -> int:
    """How wide ``text`` is in a terminal or an editor (wide East Asian characters count 2)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def render(number: str, name: str, title: str) -> dict[str, str]:
    """The chapter folder's files (name -> text) for chapter ``number`` named ``name``."""
    values = {
        "NUMBER": number,
        "INT": str(int(number)),
        "PACKAGE": f"ch{number}_{name}",
        # one pass over the template: a title holding "<<NUMBER>>" stays as it is
        "PY_TITLE": python_text(title) + ("" if title.endswith((".", "?", "!")) else "."),
        "MD_TITLE": markdown_text(title),
    }
    return {
        file: re.sub(r"<<([A-Z_]+)>>", lambda m: values[m.group(1)], text)
        for file, text in TEMPLATE.items()
    }


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Plan:
    """What :func:`new_chapter` will do, every input checked: the chapter ``number`` (the
    findings page's), ``name`` and ``title``; the findings page ``findings`` (its number and
    name) moves to ``moved_to``."""

    root: Path
    number: str
    name: str
    title: str
    findings: tuple[str, str]
    moved_to: str

    @property
    def chapters_dir(self) -> Path:
        return self.root / "neuron_utils" / "chapters"

    @property
    def folder(self) -> Path:
        return self.chapters_dir / f"ch{self.number}_{self.name}"

    @property
    def findings_folder(self) -> Path:
        return self.chapters_dir / f"ch{self.findings[0]}_{self.findings[1]}"

    @property
    def moved_folder(self) -> Path:
        return self.chapters_dir / f"ch{self.moved_to}_{self.findings[1]}"

    def stale_files(self) -> list[Path]:
        """What was made of the findings page under its old number and would now be read as
        another page's: its executed copy and run record (``runner.run_record_path``) and its
        results record, ``NN.json`` (the new chapter's number)."""
        page = f"{self.findings[0]}_{self.findings[1]}"
        executed = self.root / "book" / "chapters"
        results = results_dir() if self.root == PROJECT_ROOT else self.root / "book" / "results"
        found = [executed / f"{page}.ipynb", executed / f"{page}.run.json"]
        found.append(results / f"{self.findings[0]}.json")
        return [p for p in found if p.is_file()]


def _check_title(title: str) -> None:
    if not title.strip():
        raise ValueError("the chapter needs a title (a non-empty one)")
    if title != title.strip():
        raise ValueError(f"the title has spaces at an end: {title!r}")
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in title):
        raise ValueError(f"the title must be one line without control characters, got {title!r}")
    # the notebook's heading line and the package's docstring line, escaped, stay within the
    # lint's line length (E501: 120 columns)
    escaped = max(columns(markdown_text(title)), columns(python_text(title)))
    if columns(title) > MAX_TITLE_COLUMNS or escaped > 100:
        raise ValueError(
            f"the title is {columns(title)} columns long ({escaped} escaped): at most "
            f"{MAX_TITLE_COLUMNS} fit a page heading"
        )


def _reads_recorded_results(folder: Path) -> bool:
    """Whether the chapter package at ``folder`` declares ``ChapterSpec(...,
    reads_recorded_results=True)`` (read from its source, not imported: the findings page)."""
    for path in sorted(folder.glob("*.py")):
        if path.name == "notebook.py":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError as err:
            raise ValueError(f"cannot read {path}: {err}") from None
        for node in ast.walk(tree):
            called = getattr(node, "func", None)
            if isinstance(node, ast.Call) and "ChapterSpec" in (
                getattr(called, "id", None),
                getattr(called, "attr", None),
            ):
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "reads_recorded_results" and isinstance(value, ast.Constant):
                        if value.value is True:
                            return True
    return False


def plan_chapter(
    name: str, title: str, number: str | None = None, root: Path = PROJECT_ROOT
) -> Plan:
    """Check everything :func:`new_chapter` needs, before anything is written; returns the
    :class:`Plan`. Refuses (``ValueError``, one line): a name that is not ``[a-z][a-z0-9_]*``
    or is taken, an empty or multi-line title, a ``number`` other than the findings page's,
    and a book whose findings page cannot move up by one."""
    root = Path(root)
    if not NAME.fullmatch(name):
        hint = (
            ' (the number is no longer given first: new-chapter NAME "Title" [--number NN])'
            if name.isdigit()
            else ""
        )
        raise ValueError(
            f"the name must be lower-case letters, digits and _, starting with a letter, got "
            f"{name!r}{hint}"
        )
    _check_title(title)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    listed = registry.listed(toc)
    chapters_dir = root / "neuron_utils" / "chapters"
    findings = [
        (n, page) for n, page in listed if _reads_recorded_results(chapters_dir / f"ch{n}_{page}")
    ]
    if len(findings) != 1:
        raise ValueError(
            "a new chapter goes before the findings page, and _toc.yml lists "
            f"{len(findings)} chapters that read the others' records (one is needed)"
        )
    (slot, findings_name) = findings[0]
    if number is not None and str(number).zfill(2) != slot:
        raise ValueError(
            f"chapter {str(number).zfill(2)}: a new chapter takes the findings page's number, "
            f"{slot} (the findings move to {int(slot) + 1:02d}); give --number {slot} or none"
        )
    if int(slot) >= 99:
        raise ValueError(f"the findings page is chapter {slot}: it cannot move up by one")
    moved_to = f"{int(slot) + 1:02d}"
    taken = {n for n, _ in listed}
    if moved_to in taken:
        raise ValueError(
            f"chapter {moved_to} exists already: the findings page ({slot}) cannot move up by one"
        )
    folders = {p.name for p in chapters_dir.glob("ch[0-9][0-9]_*")}
    names = {page for _, page in listed} | {f[5:] for f in folders}
    if name in names:
        raise ValueError(f"the name {name!r} is taken: a chapter folder ch??_{name} exists")
    for folder in (f"ch{slot}_{name}", f"ch{moved_to}_{findings_name}"):
        if folder in folders:
            raise ValueError(f"neuron_utils/chapters/{folder} exists already")
    kept = sorted((root / "book" / "paper_results").glob(f"{slot}_*.json"))
    if kept:
        raise ValueError(
            f"kept paper-size results of chapter {slot} exist ({kept[0].name}): they would be "
            "read as the new chapter's"
        )
    return Plan(root, slot, name, title, (slot, findings_name), moved_to)


# --------------------------------------------------------------------------- writing


@dataclass
class Created:
    """What :func:`new_chapter` did."""

    plan: Plan
    files: list[Path] = field(default_factory=list)  # the new folder's files
    removed: list[Path] = field(default_factory=list)  # the findings page's stale copies
    edited: list[Path] = field(default_factory=list)  # _toc.yml, the book's links
    golden: Path | None = None

    def lines(self) -> list[str]:
        """What the command line prints."""

        def shown(path: Path) -> str:
            return str(path.relative_to(self.plan.root))

        plan = self.plan
        out = [f"wrote {shown(plan.folder)}/ ({', '.join(p.name for p in self.files)})"]
        out.append(
            f"moved the findings page from {plan.findings[0]} to {plan.moved_to}: "
            f"{shown(plan.findings_folder)} -> {shown(plan.moved_folder)}"
        )
        out += [f"removed {shown(p) if p.is_relative_to(plan.root) else p}" for p in self.removed]
        out += [f"updated {shown(p)}" for p in self.edited]
        if self.golden is not None:
            out.append(f"golden numbers: {shown(self.golden)}")
        return out


def _write(path: Path, text: str) -> None:
    """Replace ``path``'s text at once (a temporary file beside it, then renamed)."""
    tmp = path.with_name(f".{path.name}.new-chapter")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _renumbered_labels(text: str, old: str, new: str) -> str:
    """``text`` with every exercise label of chapter ``old`` (``ex07-layer``) renamed for
    chapter ``new``: the label and every reference to it."""
    labels = set(re.findall(rf"^# :label: (ex{old}-[\w-]+)\s*$", text, flags=re.MULTILINE))
    for label in sorted(labels, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", f"ex{new}-{label[5:]}", text)
    return text


def _book_links(plan: Plan) -> list[tuple[Path, str]]:
    """The book's Markdown pages that link the findings page by its path
    (``{doc}`chapters/07_findings```), each with the link to its new path."""
    old = f"chapters/{plan.findings[0]}_{plan.findings[1]}"
    new = f"chapters/{plan.moved_to}_{plan.findings[1]}"
    return [
        (page, re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, page.read_text(encoding="utf-8")))
        for page in sorted((plan.root / "book").glob("*.md"))
    ]


def _generate_golden(plan: Plan) -> Path:
    """Run the golden-number test of the new chapter in regenerate mode (as ``make
    new-chapter`` did): it writes ``golden.json`` in the chapter's folder."""
    test = plan.root / GOLDEN_TEST.split("::")[0]
    if not test.is_file():
        raise ScaffoldFailed(f"no {GOLDEN_TEST.split('::')[0]} here to make the golden numbers")
    env = {**os.environ, "NEURON_UTILS_GOLDEN": "regenerate"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{GOLDEN_TEST}[{plan.number}]"],
        cwd=plan.root, env=env, capture_output=True, text=True,
    )  # fmt: skip
    golden = plan.folder / "golden.json"
    if run.returncode != 0 or not golden.is_file():
        tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-15:])
        raise ScaffoldFailed(
            f"the golden numbers of chapter {plan.number} could not be made, so nothing was "
            f"kept (the tree is as it was; --no-golden makes the chapter without them); the "
            f"test said:\n{tail}"
        )
    return golden


def _edits(plan: Plan) -> list[tuple[Path, str, str]]:
    """The files the move edits, ``(path after the move, text before, text after)``:
    ``_toc.yml`` (the new line before the findings page's, which moves up), the findings
    page's notebook (its exercise labels) and the book's pages that link it."""
    root, (old, findings), new = plan.root, plan.findings, plan.moved_to
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    line = re.compile(rf"^([ \t]*)- file: book/chapters/{old}_{findings}([ \t\r]*)$", re.MULTILINE)
    new_toc = line.sub(
        lambda m: (
            f"{m[1]}- file: book/chapters/{plan.number}_{plan.name}\n"
            f"{m[1]}- file: book/chapters/{new}_{findings}{m[2]}"
        ),
        toc,
        count=1,
    )
    if new_toc == toc:  # the registry read the line, so this is not expected
        raise ValueError(f"cannot find the line of book/chapters/{old}_{findings} in _toc.yml")
    source = (plan.findings_folder / "notebook.py").read_text(encoding="utf-8")
    edits = [(root / "_toc.yml", toc, new_toc)]
    edits.append((plan.moved_folder / "notebook.py", source, _renumbered_labels(source, old, new)))
    edits += [(page, page.read_text(encoding="utf-8"), text) for page, text in _book_links(plan)]
    return [edit for edit in edits if edit[1] != edit[2]]


def _apply(plan: Plan, edits: list, staging: Path, undo: list, created: Created) -> None:
    """The steps of :func:`new_chapter`, each with how to undo it appended to ``undo``: the
    new folder written in ``staging``, the findings page's stale copies set aside there, the
    findings folder moved up, the new folder moved into place, the edits written (``_toc.yml``
    last)."""
    folder = staging / plan.folder.name
    folder.mkdir()
    files = render(plan.number, plan.name, plan.title)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    (staging / "stale").mkdir()
    for k, path in enumerate(plan.stale_files()):
        aside = staging / "stale" / f"{k}_{path.name}"
        shutil.move(path, aside)
        undo.append(lambda path=path, aside=aside: shutil.move(aside, path))
        created.removed.append(path)
    plan.findings_folder.rename(plan.moved_folder)
    undo.append(lambda: plan.moved_folder.rename(plan.findings_folder))
    undo.append(lambda: shutil.rmtree(plan.folder, ignore_errors=True))
    shutil.move(folder, plan.folder)
    created.files = [plan.folder / file for file in files]
    for path, before, after in sorted(edits, key=lambda edit: edit[0].name == "_toc.yml"):
        _write(path, after)
        undo.append(lambda path=path, before=before: _write(path, before))
        if path.parent == plan.root or path.parent.name == "book":
            created.edited.append(path)
    registry._chapters.cache_clear()


def new_chapter(
    name: str,
    title: str,
    number: str | None = None,
    root: Path = PROJECT_ROOT,
    golden: bool = True,
) -> Created:
    """Add chapter ``name`` with ``title`` before the findings page, which moves up by one;
    with ``golden``, generate its golden numbers. ``number``: the findings page's (the
    default), any other is refused. All or nothing (see the module's docstring)."""
    plan = plan_chapter(name, title, number, root)
    edits = _edits(plan)
    created = Created(plan)
    undo: list[Callable[[], None]] = []
    staging = Path(tempfile.mkdtemp(prefix="neuron_utils-new-chapter-"))
    try:
        _apply(plan, edits, staging, undo, created)
        if golden:
            created.golden = _generate_golden(plan)
    except BaseException:
        failed = []
        for step in reversed(undo):
            try:
                step()
            except Exception as err:  # keep undoing the others
                failed.append(f"{type(err).__name__}: {err}")
        registry._chapters.cache_clear()
        if failed:
            print(
                "new-chapter: undoing a failed attempt left the tree changed: " + "; ".join(failed),
                file=sys.stderr,
            )
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return created

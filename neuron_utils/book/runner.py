"""Run chapters (jupytext -> papermill) with a profile and overrides, and build the book.

A chapter is ``notebooks/NN_name.py`` (Jupytext percent format) with one cell tagged
``parameters``, and its module ``neuron_utils/chapters/chNN_name.py`` with a ``Parameters``
dataclass. Running it writes the executed notebook to ``book/chapters/NN_name.ipynb``, which
the Jupyter Book (``_toc.yml``) renders; a chapter that fails leaves the previous executed
notebook in place, keeps the failed one in ``_build/failed/`` for inspection and raises
:class:`ChapterFailed`, whose message says which cell failed and how.

Runs are crash-safe: every file is written under a temporary name and renamed when complete,
the kernel's connection file lives in a per-run folder under ``_build/kernels/``, and each run
first removes the temporaries that killed runs left behind (:func:`remove_stale_files`).
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from ..core.paths import (
    PROJECT_ROOT,
    cache_dir,
    chapter_sources,
    downloads_dir,
    model_cache_dir,
    paper_results_dir,
    results_dir,
)
from ..core.progress import first_line
from ..core.storage import atomic_path, remove_stale_parts, temporary_folder
from .parameters import ChapterParameters
from .postbuild import check_html

CHAPTER_MODULES = PROJECT_ROOT / "neuron_utils" / "chapters"
EXECUTED = PROJECT_ROOT / "book" / "chapters"
BUILD = PROJECT_ROOT / "_build"
KERNELS = BUILD / "kernels"  # per-run folders of kernel connection files


class ChapterFailed(RuntimeError):
    """A chapter's notebook failed: the message names the cell, the error and the saved notebook."""


class NotExecuted(ValueError):
    """The book cannot be built: a chapter has no executed notebook yet."""


class BuildFailed(RuntimeError):
    """Jupyter Book failed, or the built pages show what a reader must not see."""


def shown(path: Path) -> str:
    """``path`` relative to the repository where it is inside it."""
    path = Path(path)
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def remove_stale_files() -> list[Path]:
    """Remove what killed runs left: temporary notebooks, results, cache and download files,
    model conversion folders and kernel connection folders whose writer process is gone."""
    removed = []
    for folder in (EXECUTED, results_dir(), paper_results_dir(), KERNELS, model_cache_dir()):
        removed += remove_stale_parts(folder)
    for folder in (cache_dir(), downloads_dir()):
        removed += remove_stale_parts(folder, recursive=True)
    return removed


def chapters() -> dict[str, Path]:
    """Chapter number -> source file, e.g. ``{"01": notebooks/01_cross_lingual_similarity.py}``."""
    return chapter_sources()


def chapter_source(chapter: str) -> Path:
    found = chapters()
    key = chapter.zfill(2)
    if key not in found:
        raise ValueError(f"unknown chapter {chapter!r}; available: {', '.join(found)}")
    return found[key]


def chapter_module(chapter: str) -> ModuleType:
    """The chapter's module ``neuron_utils.chapters.chNN_<name>`` (same name as its notebook)."""
    stem = chapter_source(chapter).stem
    return importlib.import_module(f"neuron_utils.chapters.ch{stem}")


def parameters_class(chapter: str) -> type[ChapterParameters]:
    return chapter_module(chapter).Parameters


def default_parameters(chapter: str) -> dict[str, Any]:
    """The values in the notebook's ``parameters`` cell (they must equal ``Parameters()``'s)."""
    import jupytext

    notebook = jupytext.read(chapter_source(chapter))
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(
            f"chapter {chapter} must have exactly one cell tagged 'parameters', found {len(cells)}"
        )
    namespace: dict[str, Any] = {}
    exec(cells[0].source, {}, namespace)  # the cell holds plain literal assignments
    return {k: v for k, v in namespace.items() if k.isupper()}


def parse_value(text: str) -> Any:
    """A ``-p NAME VALUE`` value: JSON or a Python literal (``'["ko","it"]'``, ``300``), else a string."""
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(text)
        except (ValueError, SyntaxError):
            continue
    return text


def resolve_parameters(
    chapter: str, profile: str = "quick", overrides: dict[str, Any] | None = None
) -> ChapterParameters:
    """Defaults <- profile <- overrides, type-checked and validated (data files fetched)."""
    return parameters_class(chapter).resolve(profile, overrides)


def run_chapter(
    chapter: str,
    profile: str = "quick",
    overrides: dict[str, Any] | None = None,
    log: bool = False,
    output_dir: Path = EXECUTED,
) -> Path:
    """Execute one chapter with papermill; returns the executed notebook (in ``book/chapters``)."""
    import jupytext
    import papermill as pm
    from traitlets.config import Config

    source = chapter_source(chapter)
    parameters = resolve_parameters(chapter, profile, overrides).as_dict()
    notebook = jupytext.read(source)
    # the book shows papermill's injected cell (this run's values) instead
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.metadata["tags"] = [*cell.metadata["tags"], "remove-cell"]
    target = Path(output_dir) / f"{source.stem}.ipynb"
    failed = BUILD / "failed" / target.name
    os.environ.setdefault("NEURON_UTILS_PROGRESS", "0")  # no progress bars in the book
    remove_stale_files()
    start = time.time()
    with atomic_path(target) as tmp, kernel_folder() as kernel:
        try:
            pm.execute_notebook(
                notebook,
                str(tmp),
                parameters=parameters,
                kernel_name="python3",
                cwd=str(PROJECT_ROOT),
                progress_bar=False,
                log_output=log,
                language="python",
                # jupyter_client would put it in the temp folder, where a killed run leaves it
                config=Config({"KernelManager": {"connection_file": str(kernel / "kernel.json")}}),
            )
        except Exception as err:
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, failed)
            raise ChapterFailed(failure_message(chapter, err, failed)) from err
    wall_s = time.time() - start
    print(f"chapter {chapter}: executed in {wall_s:.0f} s -> {shown(target)}")
    # paper-size numbers are kept (and committed) with their provenance
    if profile != "quick" and parameters_class(chapter).KEEPS_RESULTS:
        from .notebook import keep_paper_results

        print(
            f"  results kept in {keep_paper_results(chapter, profile, wall_s).relative_to(PROJECT_ROOT)}"
        )
    return target


@contextmanager
def kernel_folder() -> Iterator[Path]:
    """A folder of this run for the kernel's connection file, removed afterwards; a killed run's
    folder is removed by the next run (:func:`remove_stale_files`)."""
    folder = temporary_folder(KERNELS / "run")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def failure_message(chapter: str, err: Exception, failed: Path) -> str:
    """Two lines on a failed chapter: the failing cell's first line and the error, then where
    the failed notebook is."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        error = f"{err.ename}: {first_line(err.evalue)}"
        where = f"in cell [{err.exec_count}] `{first_line(err.source, 80)}`"
    else:  # the kernel died (out of memory?), a timeout, ...
        error = f"{type(err).__name__}: {first_line(str(err))}"
        where = "while running"
    return (
        f"chapter {chapter} failed {where}: {error}\n"
        f"the failed notebook is {shown(failed)} (the cell's output is there); "
        "--debug shows the traceback"
    )


def build_book(strict: bool = True, root: Path = PROJECT_ROOT) -> Path:
    """Build the HTML book into ``<root>/_build/html`` (warnings are errors when ``strict``) and
    check the pages as a reader sees them (:func:`~neuron_utils.book.postbuild.check_html`)."""
    missing = [
        f"{p.stem}" for p in chapters().values() if not (EXECUTED / f"{p.stem}.ipynb").exists()
    ]
    if root == PROJECT_ROOT and missing:
        raise NotExecuted(
            f"not executed yet: {', '.join(missing)}; run `python -m neuron_utils run all` (or `make book`) first"
        )
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(root),
        "--path-output",
        str(root),
    ]
    if strict:
        command += ["--warningiserror", "--nitpick", "--keep-going"]
    built = subprocess.run(command, cwd=root)
    if built.returncode != 0:
        raise BuildFailed(
            f"jupyter-book build failed (exit {built.returncode}); its messages are above"
        )
    html = root / "_build" / "html"
    problems = check_html(html)
    if problems:
        raise BuildFailed(
            "the built book shows what a reader must not see:\n" + "\n".join(problems)
        )
    return html / "index.html"

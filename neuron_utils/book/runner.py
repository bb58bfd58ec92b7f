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

Beside each executed notebook, ``NN_name.run.json`` records what it was made from (sha256 of
the notebook source, the resolved parameters, the package code and the data it reads) and how
long it took; :func:`out_of_date` compares it with the present, so that ``run`` re-executes only
the chapters that changed, and the terminal display estimates a run from the last one.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.paths import (
    PROJECT_ROOT,
    cache_dir,
    downloads_dir,
    model_cache_dir,
    paper_results_dir,
    results_dir,
)
from ..core.paths import DATA_DIR
from ..core.progress import PROGRESS_FILE, first_line
from ..core.storage import (
    NEEDED_GIB,
    atomic_path,
    check_writable,
    digest_files,
    remove_stale_parts,
    temporary_folder,
)
from ..data import own
from .display import BookDisplay, clock
from ..kit.notebook import DEFAULT_RUN_TAG, LEFT_OUT_NAME
from ..kit.parameters import ChapterParameters
from .results import keep_paper_results
from .registry import (
    chapter_code,
    chapter_module,
    chapter_source,
    chapter_title,
    chapters,
    page_name,
)
from .postbuild import check_html
from ..kit.provenance import git_commit

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
    return chapter_module(chapter).Parameters.resolve(profile, overrides)


def portable_sources(overrides: dict[str, Any], workdir: Path | None = None) -> dict[str, Any]:
    """``overrides`` with each own data file given by an absolute path (``DATA_SOURCE``,
    ``PAIR_SOURCES``) written relative to the folder the command runs in, where own files are
    read from: the executed notebook shows the run's values, and an absolute path would put
    the reader's folders (``/home/<name>/...``) on the page."""
    workdir = Path(workdir or os.getcwd())

    def portable(value: Any) -> Any:
        if isinstance(value, list):
            return [portable(v) for v in value]
        if isinstance(value, str) and own.is_own(value) and Path(value).is_absolute():
            return os.path.relpath(value, workdir)
        return value

    return {
        name: portable(value) if name in ("DATA_SOURCE", "PAIR_SOURCES") else value
        for name, value in overrides.items()
    }


def run_chapter(
    chapter: str,
    profile: str = "quick",
    overrides: dict[str, Any] | None = None,
    log: bool = False,
    output_dir: Path = EXECUTED,
    display: BookDisplay | None = None,
    reason: str = "",
    extra_cells: Sequence[str] = (),
    keep_dirty: bool = False,
) -> Path:
    """Execute one chapter with papermill; returns the executed notebook (in ``book/chapters``),
    beside which its run record is written (:func:`out_of_date`). ``display`` shows progress;
    ``extra_cells``: code run after the chapter, hidden from the book (the tests run the
    exercises' solutions this way, :func:`~neuron_utils.book.exercises.solution_cells`).

    The steps: resolve the parameters (checked, data fetched) and prepare the notebook; execute
    it into ``book/chapters`` (:func:`execute`: the kernel, its progress and memory, a failed
    copy kept); record what it was made from (the run record beside it); keep a paper-size
    run's summary (:func:`~.results.keep_paper_results`), which a tree with uncommitted changes
    refuses unless ``keep_dirty`` (the kept summary then says it ran on uncommitted code)."""
    _register_engine()
    spec = chapter_module(chapter).SPEC
    keeps = profile != "quick" and spec.keeps_results
    if keeps and not keep_dirty and git_commit().endswith("+dirty"):  # before hours of work
        raise ValueError(
            f"a {profile} run keeps its summary, which must be reproducible from its commit, and "
            "the working tree has uncommitted changes: commit them first (or pass --keep-dirty "
            "to keep it marked as run on uncommitted code)"
        )
    source = chapter_source(chapter)
    resolved = resolve_parameters(chapter, profile, overrides)
    if spec.keeps_results:  # it loads a model and writes caches
        check_writable(cache_dir(), NEEDED_GIB[profile])
    notebook = prepared_notebook(source, extra_cells, resolved.is_default_run)
    target = Path(output_dir) / f"{page_name(chapter)}.ipynb"
    remove_stale_files()
    inputs = chapter_inputs(chapter, resolved)
    started = None
    if display is not None:
        estimate, basis = estimated_wall_s(target, chapter, profile, resolved.run_dtype())

        def started(progress_file: Path) -> None:
            title = chapter_title(chapter)
            display.started(chapter.zfill(2), title, estimate, reason, progress_file, basis)

    wall_s, peak_gib = execute(
        chapter, notebook, target, resolved.as_dict(), log, display, started, source
    )
    write_run_record(target, inputs, profile, wall_s, peak_gib, resolved.run_dtype())
    if display is not None:
        display.finished(ok=True)
    else:
        print(f"chapter {chapter}: executed in {wall_s:.0f} s -> {shown(target)}")
    # paper-size numbers are kept (and committed) with their provenance
    if keeps:
        # shown(): NEURON_UTILS_PAPER_RESULTS may be outside the project (the bench's is)
        print(f"  results kept in {shown(keep_paper_results(chapter, profile, wall_s))}")
    return target


def prepared_notebook(
    source: Path, extra_cells: Sequence[str] = (), default_run: bool = True
) -> Any:
    """The chapter's notebook as papermill runs it: the defaults cell hidden from the book
    (papermill's injected cell shows this run's values instead), ``extra_cells`` appended and
    hidden. Unless this is the ``default_run``, the paragraphs written for it (markdown cells
    tagged ``default-run``) are left out, and a hidden cell after the defaults names them by
    their openings for the page's notice (``notebook.run_notice``)."""
    import jupytext
    import nbformat

    notebook = jupytext.read(source)
    if not default_run:
        kept, left_out = [], []
        for cell in notebook.cells:
            if DEFAULT_RUN_TAG in cell.metadata.get("tags", []):
                left_out.append(opening(cell.source))
            else:
                kept.append(cell)
        notebook.cells = kept
    for k, cell in enumerate(notebook.cells):
        if "parameters" in cell.metadata.get("tags", []):
            cell.metadata["tags"] = [*cell.metadata["tags"], "remove-cell"]
            if not default_run:
                named = nbformat.v4.new_code_cell(
                    f"{LEFT_OUT_NAME} = {left_out!r}", metadata={"tags": ["remove-cell"]}
                )
                notebook.cells.insert(k + 1, named)
            break
    for code in extra_cells:
        notebook.cells.append(nbformat.v4.new_code_cell(code, metadata={"tags": ["remove-cell"]}))
    return notebook


def opening(markdown: str, words: int = 8) -> str:
    """The first ``words`` words of a paragraph as a reader sees it: list markers, emphasis and
    glued values (shown as …) dropped."""
    text = re.sub(r"\{glue:text\}`[^`]*`", "…", markdown)
    text = re.sub(r"\{[a-z:]+\}`([^`<]*)(?:<[^`]*>)?`", r"\1", text)  # {doc}, {cite:p} ...
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`$]", "", text)
    found = text.split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def execute(
    chapter: str,
    notebook: Any,
    target: Path,
    parameters: dict[str, Any],
    log: bool = False,
    display: BookDisplay | None = None,
    started: Callable[[Path], None] | None = None,
    source: Path | None = None,
) -> tuple[float, float | None]:
    """Run chapter ``chapter``'s ``notebook`` with papermill into ``target`` (written
    atomically), in a kernel of its own folder, reporting cells to ``display`` (``started`` is
    called with the file the kernel reports its progress to; ``source``: the notebook's file,
    which the executed copy names as papermill's input); returns the wall time (s) and the
    kernel's peak resident memory (GiB, None if unknown). A failure keeps the partly executed
    copy in ``_build/failed`` and raises :class:`ChapterFailed` naming the cell."""
    import papermill as pm
    from traitlets.config import Config

    failed = BUILD / "failed" / target.name
    start = time.time()
    with atomic_path(target) as tmp, kernel_folder() as kernel:
        progress_file = kernel / "progress.jsonl"
        if started is not None:
            started(progress_file)
        try:
            with (
                kernel_environment(progress_file if display is not None else None),
                children_peak_rss() as peak,
                quiet_logger("papermill", not log),  # "Kernel died ..." on a Ctrl-C
            ):
                pm.execute_notebook(
                    notebook,
                    str(tmp),
                    parameters=parameters,
                    kernel_name="python3",
                    cwd=str(PROJECT_ROOT),
                    progress_bar=False,
                    log_output=log,
                    language="python",
                    engine_name=ENGINE,
                    on_cell=display.cell if display is not None else None,
                    # the kernel's own log is noise: a warning that it talks over (local) TCP on
                    # every run, a ZMQ traceback when Ctrl-C closes its sockets mid-reply; a
                    # cell's error comes back in the cell's output
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    # jupyter_client would put it in the temp folder, where a killed run leaves it
                    config=Config(
                        {"KernelManager": {"connection_file": str(kernel / "kernel.json")}}
                    ),
                )
        except Exception as err:
            if display is not None:
                display.finished(ok=False)
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, failed)
            raise ChapterFailed(failure_message(chapter, err, failed)) from err
        name_papermill_paths(tmp, source, target)
        wall_s = time.time() - start
    return wall_s, peak.get("gib")


def name_papermill_paths(executed: Path, source: Path | None, target: Path) -> None:
    """Papermill records its input and output in the executed notebook's metadata: here the
    whole input notebook (it was given an object, not a file) and a temporary path. The copy a
    reader downloads names the chapter's source and its own place in the project instead."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    record = notebook.metadata.get("papermill")
    if record is None:
        return
    inside = Path(target).is_relative_to(PROJECT_ROOT)
    record["input_path"] = None if source is None else shown(source)
    record["output_path"] = shown(target) if inside else Path(target).name
    nbformat.write(notebook, executed)


# ---------------------------------------------------------------- what an executed copy is made of


def _digest(paths: list[Path], extra: Sequence[str] = (), root: Path = PROJECT_ROOT) -> str:
    return digest_files(paths, list(extra), root)


def chapter_inputs(chapter: str, parameters: ChapterParameters) -> dict[str, str]:
    """sha256 of what a chapter's executed notebook is made from: its notebook source, its
    resolved parameters, the package modules it runs (:func:`~.registry.chapter_code`, with the
    pinned requirements) and the data it reads
    (the bundled data, the manifest that pins the downloads, the kept paper-size results, and
    for the findings page the other chapters' recorded results)."""
    code = [*chapter_code(chapter), PROJECT_ROOT / "requirements.txt"]
    data = [
        DATA_DIR / "manifest.json",
        *(p for p in (DATA_DIR / "bundled").rglob("*") if p.is_file()),
        *paper_results_dir().glob("*.json"),
    ]
    if chapter_module(chapter).SPEC.reads_recorded_results:
        data += [p for p in results_dir().glob("*.json") if p.stem != chapter.zfill(2)]
    values = json.dumps(parameters.as_dict(), sort_keys=True, default=str)
    # an own table (a file, a hub dataset) by its content: an edited file makes the chapter stale
    own_tables = [own.digest(v) for v in _source_values(parameters) if own.is_own(v)]
    return {
        "notebook": _digest([chapter_source(chapter)]),
        "parameters": hashlib.sha256(values.encode()).hexdigest(),
        "code": _digest(code),
        "data": _digest([p for p in data if p.exists()], own_tables),
    }


def _source_values(parameters: ChapterParameters) -> list[str]:
    """The data sources a chapter's parameters name (``DATA_SOURCE``, ``PAIR_SOURCES``)."""
    values = [getattr(parameters, name, None) for name in ("DATA_SOURCE", "PAIR_SOURCES")]
    return [v for value in values for v in (value if isinstance(value, list) else [value]) if v]


INPUT_NAMES = {
    "notebook": "its notebook source changed",
    "parameters": "its parameters changed",
    "code": "a module it runs changed",
    "data": "the data it reads changed",
}


def run_record_path(executed: Path) -> Path:
    """``book/chapters/NN_name.run.json`` beside ``NN_name.ipynb``."""
    return executed.with_suffix(".run.json")


def write_run_record(
    executed: Path,
    inputs: dict[str, str],
    profile: str,
    wall_s: float,
    peak_rss_gib: float | None = None,
    dtype: str | None = None,
) -> None:
    record = {
        "inputs": inputs,
        "profile": profile,
        "dtype": dtype,
        "wall_s": round(wall_s, 1),
        "kernel_peak_rss_gib": None if peak_rss_gib is None else round(peak_rss_gib, 3),
        "executed_sha256": hashlib.sha256(executed.read_bytes()).hexdigest(),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    with atomic_path(run_record_path(executed)) as tmp:
        tmp.write_text(json.dumps(record, indent=1))


def read_run_record(executed: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(run_record_path(executed).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _cost_dtype(dtype: str) -> str:
    return "bfloat16" if dtype == "float16" else dtype  # a GPU's float16 costs as bf16


def quick_cold_s(chapter: str) -> dict[str, float]:
    """What a cold quick run of the chapter costs per dtype (its spec's ``quick_cold_s``)."""
    return chapter_module(chapter).SPEC.quick_cold_s


def dtype_ratio(chapter: str, dtype: str, recorded: str) -> float:
    """How many times longer the quick chapter takes in ``dtype`` than in ``recorded``: by its
    own measured costs, else by the book's totals; 1 for a dtype never measured."""
    new, old = _cost_dtype(dtype), _cost_dtype(recorded)
    if new == old:
        return 1.0
    own = quick_cold_s(chapter)
    if new in own and old in own:
        return own[new] / own[old]
    costs = [quick_cold_s(number) for number in chapters()]
    costs = [cost for cost in costs if new in cost and old in cost]
    if not costs:
        return 1.0
    return sum(cost[new] for cost in costs) / sum(cost[old] for cost in costs)


def estimated_wall_s(
    executed: Path, chapter: str, profile: str, dtype: str
) -> tuple[float | None, str]:
    """How long this run of the chapter should take, and what that says: its last recorded run
    on the same profile (``"last time"``), scaled by the chapters' measured cold costs (:func:`dtype_ratio`) where that
    run computed in another dtype (float32 costs two to three times bf16 on a CPU); a first
    quick run, the bench's cold time in this dtype; else ``(None, "first run")``."""
    record = read_run_record(executed)
    last = last_wall_s(executed)
    same_profile = record is None or record.get("profile", profile) == profile
    if last is not None and same_profile:
        recorded = (record or {}).get("dtype") or dtype  # older records did not say
        if recorded == dtype:
            return last, "last time"
        scaled = last * dtype_ratio(chapter, dtype, recorded)
        return scaled, f"from {clock(last)} last time in {recorded}"
    reference = quick_cold_s(chapter).get(_cost_dtype(dtype))
    if profile == "quick" and reference is not None:
        return reference, f"in {dtype} with cold caches on two cores (make bench)"
    return None, "first run"


def last_wall_s(executed: Path) -> float | None:
    """How long the chapter's last recorded run took (its run record, else papermill's own
    duration in an older executed notebook), or None."""
    record = read_run_record(executed)
    if record and isinstance(record.get("wall_s"), (int, float)):
        return float(record["wall_s"])
    try:
        return float(json.loads(executed.read_text())["metadata"]["papermill"]["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def out_of_date(
    chapter: str,
    profile: str = "quick",
    overrides: dict[str, Any] | None = None,
    output_dir: Path = EXECUTED,
) -> str | None:
    """Why the chapter must be executed again (a few words), or None if its executed notebook
    was made from the same notebook source, parameters, package code and data as now."""
    executed = Path(output_dir) / f"{page_name(chapter)}.ipynb"
    if not executed.exists():
        return "not executed yet"
    record = read_run_record(executed)
    if record is None:
        return "no record of its last run"
    if record.get("executed_sha256") != hashlib.sha256(executed.read_bytes()).hexdigest():
        return "its executed notebook was changed"
    now = chapter_inputs(chapter, resolve_parameters(chapter, profile, overrides))
    changed = [INPUT_NAMES[k] for k in now if record.get("inputs", {}).get(k) != now[k]]
    return ", ".join(changed) if changed else None


@contextmanager
def children_peak_rss(every_s: float = 0.5) -> Iterator[dict[str, float]]:
    """Yields a dict whose ``"gib"`` is, after the block, the largest peak resident memory of a
    process this one started during it (the chapter's kernel): the kernel's own high-water mark
    (``VmHWM`` in ``/proc``, Linux), else its sampled RSS, polled every ``every_s``."""
    import threading

    import psutil

    peak: dict[str, float] = {}
    done = threading.Event()

    def poll() -> None:
        while True:
            for child in psutil.Process().children(recursive=True):
                try:
                    status = Path(f"/proc/{child.pid}/status")
                    if status.exists():
                        line = next(
                            x for x in status.read_text().splitlines() if x.startswith("VmHWM:")
                        )
                        gib = int(line.split()[1]) / 2**20  # kB
                    else:
                        gib = child.memory_info().rss / 2**30
                except (OSError, StopIteration, psutil.Error):
                    continue
                peak["gib"] = max(peak.get("gib", 0.0), gib)
            if done.wait(every_s):
                return

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()


ENGINE = "neuron_utils"


def _register_engine() -> None:
    """Papermill's nbclient engine, which also tells ``on_cell(i, n)`` when code cell i of n starts."""
    from papermill.engines import NBClientEngine, papermill_engines

    class CellReportingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, **kwargs):
            if on_cell is not None:
                code = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
                started = nb_man.cell_start

                def cell_start(cell, cell_index=None, **more):
                    if cell_index in code:
                        on_cell(code.index(cell_index) + 1, len(code))
                    return started(cell, cell_index, **more)

                nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(ENGINE, CellReportingEngine)


@contextmanager
def quiet_logger(name: str, quiet: bool = True) -> Iterator[None]:
    """Only critical messages from logger ``name`` in the block (where ``quiet``): what a run
    says is the runner's one line, and a failed cell's error, not the library's log."""
    import logging

    logger = logging.getLogger(name)
    level = logger.level
    if quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def kernel_environment(progress_file: Path | None) -> Iterator[None]:
    """The environment the kernel inherits: no progress bars (they would land in the book),
    where to report its loops when the terminal shows them, and the folder the command ran in
    (the kernel runs in the project root; an own data file's relative path is read from there)."""
    names = ("NEURON_UTILS_PROGRESS", PROGRESS_FILE, own.WORKDIR)
    saved = {name: os.environ.get(name) for name in names}
    os.environ["NEURON_UTILS_PROGRESS"] = "0"
    os.environ.setdefault(own.WORKDIR, os.getcwd())
    if progress_file is not None:
        os.environ[PROGRESS_FILE] = str(progress_file)
    else:
        os.environ.pop(PROGRESS_FILE, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def kernel_folder() -> Iterator[Path]:
    """A folder of this run for the kernel's connection file, removed afterwards; a killed run's
    folder is removed by the next run (:func:`remove_stale_files`)."""
    folder = temporary_folder(KERNELS / "run")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def failed_statement(traceback: Sequence[str]) -> str | None:
    """The statement of the cell that raised, as IPython marks it in the traceback
    (``----> 2 results = chapter.analyse(model, params)``): the step that failed, not the
    cell's first line."""
    for part in traceback:
        for line in re.sub(r"\x1b\[[0-9;]*m", "", part).splitlines():
            marked = re.match(r"^\s*-+>\s*\d+\s(.*\S)", line)
            if marked:
                return marked.group(1).strip()
    return None


def failure_message(chapter: str, err: Exception, failed: Path) -> str:
    """Two lines on a failed chapter: the failing cell's first line and the error, then where
    the failed notebook is."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        error = f"{err.ename}: {first_line(err.evalue)}"
        statement = failed_statement(err.traceback) or first_line(err.source, 80)
        where = f"in `{first_line(statement, 80)}` (cell [{err.exec_count}])"
    else:  # the kernel died (out of memory?), a timeout, ...
        error = f"{type(err).__name__}: {first_line(str(err))}"
        where = "while running"
    return (
        f"chapter {chapter} failed {where}: {error}\n"
        f"the failed notebook is {shown(failed)} (the cell's output is there); "
        "--debug shows the traceback"
    )


def build_book(strict: bool = True, root: Path = PROJECT_ROOT, quiet: bool = False) -> Path:
    """Build the HTML book into ``<root>/_build/html`` (warnings are errors when ``strict``) and
    check the pages as a reader sees them (:func:`~neuron_utils.book.postbuild.check_html`).
    ``quiet``: Jupyter Book's messages are shown only if it fails."""
    missing = [
        page_name(n) for n in chapters() if not (EXECUTED / f"{page_name(n)}.ipynb").exists()
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
    built = subprocess.run(command, cwd=root, capture_output=quiet, text=True)
    if built.returncode != 0:
        if quiet:
            sys.stderr.write(built.stdout + built.stderr)
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

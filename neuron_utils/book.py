"""Run chapters (jupytext -> papermill) with a profile and overrides, and build the book.

A chapter is ``notebooks/NN_name.py`` (Jupytext percent format) with one cell tagged
``parameters``. Running it writes the executed notebook to ``book/chapters/NN_name.ipynb``,
which the Jupyter Book (``_toc.yml``) renders; a chapter that fails leaves the previous
executed notebook in place and keeps the failed one in ``_build/failed/`` for inspection.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import params as param_checks
from .paths import PROJECT_ROOT, results_dir
from .storage import atomic_path

NOTEBOOKS = PROJECT_ROOT / "notebooks"
EXECUTED = PROJECT_ROOT / "book" / "chapters"
BUILD = PROJECT_ROOT / "_build"

# Sizes and data of the seeds (applied on top of each chapter's ``quick`` defaults).
PROFILE_OVERRIDES: dict[str, dict[str, dict[str, Any]]] = {
    "quick": {},
    "paper": {
        "01": {"DATA_SOURCE": "tatoeba", "N_PAIRS": 2000, "N_PAIRS_DISJOINT": 1000},
        "02": {"DATA_SOURCE": "tatoeba", "N_PAIRS": 2000, "N_PAIRS_DISJOINT": 1000},
        # LAPE paper languages on FLORES-200 devtest (1012 sentences each)
        "03": {"DATA_SOURCE": "flores", "LANGUAGES": ["en", "zh", "fr", "es", "vi", "id", "ja"],
               "N_STATS_SENTENCES": 900, "N_EVAL_SENTENCES": 100, "STEER_TARGETS": ["zh", "fr", "ja"]},
        # BLiMP (67 paradigms x 1,000 pairs) and JBLiMP (phenomena with >= 20 pairs)
        "04": {"PAIR_SOURCES": ["blimp", "jblimp"], "N_PAIRS_PER_PARADIGM": 1000},
    },
}


def chapters() -> dict[str, Path]:
    """Chapter number -> source file, e.g. ``{"01": notebooks/01_cross_lingual_similarity.py}``."""
    return {p.name[:2]: p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))}


def chapter_source(chapter: str) -> Path:
    found = chapters()
    key = chapter.zfill(2)
    if key not in found:
        raise ValueError(f"unknown chapter {chapter!r}; available: {', '.join(found)}")
    return found[key]


def default_parameters(chapter: str) -> dict[str, Any]:
    """The values in the chapter's ``parameters`` cell."""
    import jupytext

    notebook = jupytext.read(chapter_source(chapter))
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"chapter {chapter} must have exactly one cell tagged 'parameters', found {len(cells)}")
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


def resolve_parameters(chapter: str, profile: str = "quick", overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults <- profile <- overrides, type-checked against the defaults and validated."""
    param_checks.check_choice("profile", profile, param_checks.PROFILES)
    defaults = default_parameters(chapter)
    merged = dict(defaults)
    merged.update(PROFILE_OVERRIDES[profile].get(chapter.zfill(2), {}))
    merged["PROFILE"] = profile
    for name, value in (overrides or {}).items():
        if name not in defaults:
            raise ValueError(f"chapter {chapter} has no parameter {name!r}; its parameters: {', '.join(defaults)}")
        expected = type(defaults[name])
        optional = defaults[name] is None  # e.g. PARADIGMS = None (all); validate() checks the value
        if not optional and not isinstance(value, expected) and not (expected is float and isinstance(value, int)):
            raise ValueError(f"{name} must be a {expected.__name__} like {defaults[name]!r}, got {value!r}")
        merged[name] = value
    param_checks.validate(merged)
    return merged


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

    source = chapter_source(chapter)
    parameters = resolve_parameters(chapter, profile, overrides)
    target = Path(output_dir) / f"{source.stem}.ipynb"
    failed = BUILD / "failed" / target.name
    os.environ.setdefault("NEURON_UTILS_PROGRESS", "0")  # no progress bars in the book
    start = time.time()
    with atomic_path(target) as tmp:
        try:
            pm.execute_notebook(
                jupytext.read(source), str(tmp), parameters=parameters, kernel_name="python3",
                cwd=str(PROJECT_ROOT), progress_bar=False, log_output=log, language="python",
            )
        except Exception:
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, failed)
            raise
    print(f"chapter {chapter}: executed in {time.time() - start:.0f} s -> {target}")
    return target


def build_book(strict: bool = True) -> Path:
    """Build the HTML book into ``_build/html`` (warnings are errors when ``strict``)."""
    missing = [f"{p.stem}" for p in chapters().values() if not (EXECUTED / f"{p.stem}.ipynb").exists()]
    if missing:
        raise RuntimeError(
            f"not executed yet: {', '.join(missing)}; run `python -m neuron_utils run all` (or `make book`) first"
        )
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(PROJECT_ROOT), "--path-output", str(PROJECT_ROOT)]
    if strict:
        command += ["--warningiserror", "--nitpick", "--keep-going"]
    subprocess.run(command, check=True, cwd=PROJECT_ROOT)
    return BUILD / "html" / "index.html"


def start_chapter(namespace: dict[str, Any]) -> dict[str, Any]:
    """A chapter's first step: collect its UPPERCASE parameters, validate them (before any
    model loads) and apply the book's figure style. Returns the parameters."""
    from . import plotting

    parameters = {k: v for k, v in namespace.items() if k.isupper()}
    param_checks.validate(parameters)
    plotting.setup()
    return parameters


def record_results(chapter: str, results: dict[str, Any]) -> Path:
    """Save a chapter's headline numbers as ``book/results/NN.json`` (for the findings page)."""
    target = results_dir() / f"{chapter.zfill(2)}.json"
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=_jsonable))
    return target


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in results JSON")

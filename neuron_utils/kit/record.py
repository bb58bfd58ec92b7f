"""Recorded results: a chapter's summary as ``book/results/NN.json`` (what the findings page
reads) and kept paper-size results as ``book/paper_results/NN_<profile>.json`` (committed).

A record is JSON of the documented schema (:mod:`.summary`, ``"schema"``); its summary is read
back typed through the chapter's declaration. What a chapter's run depends on
(:func:`chapter_code`) is the import closure of its package and its notebook: the hash of a kept
summary's inputs (:func:`kept_inputs`) changes only when a module that chapter runs changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.paths import DATA_DIR, PROJECT_ROOT, paper_results_dir, results_dir
from ..core.storage import atomic_path, digest_files
from types import ModuleType

from . import imports
from .parameters import ChapterParameters
from .summary import SCHEMA_VERSION, encode


def chapter_number(chapter: ModuleType) -> str:
    """``neuron_utils.chapters.ch01_cross_lingual_similarity`` -> ``"01"``."""
    return chapter.__name__.rsplit(".", 1)[-1][2:4]


def chapter_code(chapter: ModuleType, reads: tuple[ModuleType, ...] = ()) -> list[Path]:
    """The package modules a run of ``chapter`` executes: the import closure of its package and
    its notebook (:mod:`.imports`); ``reads``: the chapters whose records it reads (the findings
    page reads their parameters, so it runs their closures too)."""
    graph = imports.module_graph()
    roots = {imports.module_name(Path(m.__file__)) for m in (chapter, *reads)}
    roots |= {f"{imports.module_name(Path(chapter.__file__))}.notebook"}
    paths = imports.modules()
    return sorted(paths[name] for name in imports.closure(roots, graph))


def record_results(
    chapter: ModuleType,
    parameters: ChapterParameters,
    model: dict[str, Any],
    summary: dict[str, Any],
) -> None:
    """Save a chapter's summary with its parameters and model as ``book/results/NN.json``."""
    number = chapter_number(chapter)
    target = results_dir() / f"{number}.json"
    payload = {
        "schema": SCHEMA_VERSION,
        "chapter": number,
        # the parameters that differ from the run's profile (empty: the profile as defined)
        "profile_defaults": not parameters.differences(),
        "differences": parameters.differences(),
        "parameters": parameters.as_dict(),
        "model": model,
        "summary": encode(summary),
    }
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in results JSON")


def kept_inputs(chapter: ModuleType, parameters: ChapterParameters) -> str:
    """sha256 of what a kept summary is computed from: the modules the chapter runs (with the
    pinned requirements), the data it reads (bundled files, the download manifest, own tables by
    content) and its resolved parameters; not its prose, not other kept results. A kept summary
    whose hash differs from the current one's was computed by older code."""
    from ..data import own

    code = [*chapter_code(chapter), PROJECT_ROOT / "requirements.txt"]
    data = [
        DATA_DIR / "manifest.json",
        *(p for p in (DATA_DIR / "bundled").rglob("*") if p.is_file()),
    ]
    values = json.dumps(parameters.as_dict(), sort_keys=True, default=str)
    sources = [getattr(parameters, n, None) for n in ("DATA_SOURCE", "PAIR_SOURCES")]
    tables = [
        own.digest(v)
        for value in sources
        for v in (value if isinstance(value, list) else [value])
        if v and own.is_own(v)
    ]
    return digest_files([*code, *data], [values, *tables], PROJECT_ROOT)


def kept_currency(kept: dict[str, Any], chapter: ModuleType) -> str:
    """Why a kept summary may not be what the current code computes ("" when it is): kept at
    an older version of its chapter's code, from uncommitted code, or before kept summaries
    recorded their inputs."""
    provenance = kept.get("provenance", {})
    if str(provenance.get("commit", "")).endswith("+dirty"):
        return "kept from uncommitted code"
    recorded = provenance.get("inputs")
    if recorded is None:
        return "kept before kept results recorded the hash of their inputs"
    parameters = chapter.Parameters(**kept["parameters"])
    if recorded != kept_inputs(chapter, parameters):
        return "kept at an older version of this chapter's code"
    return ""


def paper_results(chapter: str, profile: str) -> dict[str, Any] | None:
    """The kept results of a chapter at ``profile`` size, or None (kept by
    :func:`~neuron_utils.book.results.keep_paper_results`)."""
    path = paper_results_dir() / f"{chapter.zfill(2)}_{profile}.json"
    return json.loads(path.read_text()) if path.exists() else None

"""Recorded results: a chapter's summary as ``book/results/NN.json`` (what the findings page
reads) and kept paper-size results as ``book/paper_results/NN_<profile>.json`` (committed)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..core.paths import paper_results_dir, results_dir
from ..core.storage import atomic_path
from .parameters import ChapterParameters
from .provenance import git_commit, machine_report
from .registry import parameters_class


def record_results(
    chapter: str, parameters: ChapterParameters, model: dict[str, Any], summary: dict[str, Any]
) -> None:
    """Save a chapter's summary with its parameters and model as ``book/results/NN.json``."""
    target = results_dir() / f"{chapter.zfill(2)}.json"
    payload = {
        "chapter": chapter.zfill(2),
        # the parameters that differ from the run's profile (empty: the profile as defined)
        "profile_defaults": not parameters.differences(),
        "differences": parameters.differences(),
        "parameters": parameters.as_dict(),
        "model": model,
        "summary": summary,
    }
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in results JSON")


def keep_paper_results(chapter: str, profile: str, wall_s: float, note: str = "") -> Path:
    """Copy a chapter's recorded results of a ``paper`` or ``paper-lite`` run to
    ``book/paper_results/NN_<profile>.json`` (committed, so that readers see paper-size numbers
    without the run), with its provenance: data checksums, machine, commit, date, wall time."""
    payload = json.loads((results_dir() / f"{chapter.zfill(2)}.json").read_text())
    parameters = parameters_class(chapter)(**payload["parameters"])
    if parameters.PROFILE != profile:
        raise ValueError(
            f"the recorded results of chapter {chapter} are from the {parameters.PROFILE!r} "
            f"profile, not {profile!r}"
        )
    payload["provenance"] = {
        "data": parameters.describe_data(),
        "machine": machine_report(),
        "commit": git_commit(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "wall_s": round(wall_s),
        "wall_min": round(wall_s / 60, 1),
        "note": note,
    }
    target = paper_results_dir() / f"{chapter.zfill(2)}_{profile}.json"
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=_jsonable))
    return target


def paper_results(chapter: str, profile: str) -> dict[str, Any] | None:
    """The kept results of a chapter at ``profile`` size (:func:`keep_paper_results`), or None."""
    path = paper_results_dir() / f"{chapter.zfill(2)}_{profile}.json"
    return json.loads(path.read_text()) if path.exists() else None

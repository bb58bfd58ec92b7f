"""Recorded results: a chapter's summary as ``book/results/NN.json`` (what the findings page
reads) and kept paper-size results as ``book/paper_results/NN_<profile>.json`` (committed)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..core.paths import DATA_DIR, PROJECT_ROOT, paper_results_dir, results_dir
from ..core.storage import atomic_path, digest_files
from .parameters import ChapterParameters
from .provenance import git_commit, machine_report
from .registry import chapter_code, parameters_class


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


def kept_inputs(chapter: str, parameters: ChapterParameters) -> str:
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


def kept_currency(kept: dict[str, Any]) -> str:
    """Why a kept summary may not be what the current code computes ("" when it is): kept at
    an older version of its chapter's code, from uncommitted code, or before kept summaries
    recorded their inputs."""
    provenance = kept.get("provenance", {})
    if str(provenance.get("commit", "")).endswith("+dirty"):
        return "kept from uncommitted code"
    recorded = provenance.get("inputs")
    if recorded is None:
        return "kept before kept results recorded the hash of their inputs"
    chapter = kept["chapter"]
    parameters = parameters_class(chapter)(**kept["parameters"])
    if recorded != kept_inputs(chapter, parameters):
        return "kept at an older version of this chapter's code"
    return ""


def stale_kept() -> list[str]:
    """``file: why`` for every kept summary that is not what the current code computes
    (:func:`kept_currency`); empty when every one is current."""
    found = []
    for path in sorted(paper_results_dir().glob("[0-9][0-9]_*.json")):
        try:
            why = kept_currency(json.loads(path.read_text()))
        except (OSError, ValueError, KeyError, TypeError) as err:
            why = f"unreadable ({type(err).__name__})"
        if why:
            found.append(f"{path.name}: {why}")
    return found


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
        "inputs": kept_inputs(chapter, parameters),  # kept_currency() compares it
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

"""What a chapter notebook calls: start (parameters, style), provenance, glue, recorded results.

A chapter's numbers come from its module's ``summarise()``: :func:`glue_all` glues every
scalar of that summary under its own name (the prose quotes them as ``{glue:text}`name```),
and :func:`record_results` stores the same dict as ``book/results/NN.json`` for the findings
page. No number is computed in the notebook itself.
"""

from __future__ import annotations

import json
import numbers
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.paths import paper_results_dir, results_dir
from ..core.storage import atomic_path
from .parameters import ChapterParameters


def start_chapter(chapter: str, namespace: dict[str, Any]) -> ChapterParameters:
    """A chapter's first step: its parameters (the notebook's values, checked before any model
    loads, data files fetched) and the book's figure style."""
    from . import plotting
    from .runner import parameters_class

    parameters = parameters_class(chapter).from_namespace(namespace)
    plotting.setup()
    pd.set_option("display.max_colwidth", 100)  # pandas cuts text at 50 characters by default
    return parameters


def is_scalar(value: Any) -> bool:
    return isinstance(value, (str, numbers.Number, np.number, np.bool_))


def glue_all(summary: dict[str, Any], prefix: str = "") -> None:
    """Glue every scalar of ``summary`` under its key, after ``prefix`` (lists, tables and arrays
    are not glued)."""
    from myst_nb import glue

    for name, value in summary.items():
        if is_scalar(value):
            value = value.item() if isinstance(value, np.generic) else value
            glue(prefix + name, value, display=False)


def record_results(
    chapter: str, parameters: ChapterParameters, model: dict[str, Any], summary: dict[str, Any]
) -> None:
    """Save a chapter's summary with its parameters and model as ``book/results/NN.json``."""
    target = results_dir() / f"{chapter.zfill(2)}.json"
    payload = {
        "chapter": chapter.zfill(2),
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


def show_provenance(model: Any, parameters: ChapterParameters) -> None:
    """Display the provenance table of a run: ``model`` (a :class:`~neuron_utils.core.models.LoadedModel`),
    the chapter's data (with checksums), its parameters, package versions, machine and commit."""
    from IPython.display import display

    from .provenance import provenance_table

    display(provenance_table(model.describe(), parameters.describe_data(), parameters.as_dict()))


def keep_paper_results(chapter: str, profile: str, wall_s: float, note: str = "") -> Path:
    """Copy a chapter's recorded results of a ``paper`` or ``paper-lite`` run to
    ``book/paper_results/NN_<profile>.json`` (committed, so that readers see paper-size numbers
    without the run), with its provenance: data checksums, machine, commit, date, wall time."""
    from datetime import datetime, timezone

    from .provenance import git_commit, machine_report
    from .runner import parameters_class

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


def kept_glue_values(kept: dict[str, Any], profile: str) -> dict[str, Any]:
    """What :func:`glue_paper_results` glues: the kept summary, provenance and parameters, each
    name after the profile (``paper_lite_commit``, ``paper_lite_N_PAIRS`` ...)."""
    prefix = profile.replace("-", "_") + "_"
    return {
        prefix + name: value
        for part in ("summary", "provenance", "parameters")
        for name, value in kept[part].items()
    }


def glue_paper_results(chapter: str, profile: str = "paper-lite") -> dict[str, Any]:
    """Glue a chapter's kept ``profile`` results (:func:`kept_glue_values`) for its prose and
    return them (their summary feeds the chapter's tables and figures)."""
    kept = paper_results(chapter, profile)
    if kept is None:
        raise FileNotFoundError(
            f"no kept {profile} results of chapter {chapter}: run "
            f"`python -m neuron_utils run {chapter} --profile {profile}`"
        )
    glue_all(kept_glue_values(kept, profile))
    return kept

"""Kept paper-size results (pipeline side): keep a run's summary, list the kept summaries that
the current code may not reproduce. Recording and reading a summary is the kit's
(:mod:`neuron_utils.kit.record`)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from ..core.paths import paper_results_dir, results_dir
from ..core.storage import atomic_path
from ..kit.provenance import git_commit, machine_report
from ..kit.record import _jsonable, kept_currency, kept_inputs
from .registry import chapter_module


def stale_kept() -> list[str]:
    """``file: why`` for every kept summary that is not what the current code computes
    (:func:`~neuron_utils.kit.record.kept_currency`); empty when every one is current."""
    found = []
    for path in sorted(paper_results_dir().glob("[0-9][0-9]_*.json")):
        try:
            kept = json.loads(path.read_text())
            why = kept_currency(kept, chapter_module(kept["chapter"]))
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
    module = chapter_module(chapter)
    parameters = module.Parameters(**payload["parameters"])
    if parameters.PROFILE != profile:
        raise ValueError(
            f"the recorded results of chapter {chapter} are from the {parameters.PROFILE!r} "
            f"profile, not {profile!r}"
        )
    payload["provenance"] = {
        "data": parameters.describe_data(),
        "machine": machine_report(),
        "commit": git_commit(),
        "inputs": kept_inputs(module, parameters),  # kept_currency() compares it
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "wall_s": round(wall_s),
        "wall_min": round(wall_s / 60, 1),
        "note": note,
    }
    target = paper_results_dir() / f"{chapter.zfill(2)}_{profile}.json"
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=_jsonable))
    return target


def kept_currency_text() -> str:
    """A sentence on whether every kept paper-size summary is what the current code computes
    (:func:`~.results.stale_kept`), for the findings page."""
    stale = stale_kept()
    if not stale:
        return "Every kept summary is what the current code computes (`make check-kept`)."
    listed = "; ".join(line.replace(".json:", ":", 1) for line in stale)
    return (
        f"{len(stale)} kept summar{'ies are' if len(stale) > 1 else 'y is'} not known to be what "
        f"the current code computes (`make check-kept`): {listed}. Their verdicts stand for the "
        "code that kept them."
    )

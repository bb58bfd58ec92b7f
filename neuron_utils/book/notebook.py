"""What a chapter notebook calls: start (parameters, style), provenance, glue, recorded results.

A chapter's numbers come from its module's ``summarise()``: :func:`glue_all` glues every
scalar of that summary under its own name (the prose quotes them as ``{glue:text}`name```),
and :func:`~.results.record_results` stores the same dict as ``book/results/NN.json`` for the
findings page. No number is computed in the notebook itself.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from .parameters import ChapterParameters
from .registry import parameters_class
from .results import paper_results


def start_chapter(chapter: str, namespace: dict[str, Any]) -> ChapterParameters:
    """A chapter's first step: its parameters (the notebook's values, checked before any model
    loads, data files fetched) and the book's figure style."""
    from . import plotting

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


def show_provenance(model: Any, parameters: ChapterParameters) -> None:
    """Display the provenance table of a run: ``model`` (a :class:`~neuron_utils.core.models.LoadedModel`),
    the chapter's data (with checksums), its parameters, package versions, machine and commit."""
    from IPython.display import display

    from .provenance import provenance_table

    display(provenance_table(model.describe(), parameters.describe_data(), parameters.as_dict()))


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

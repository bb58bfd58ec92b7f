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

from .parameters import ChapterParameters, differences_text, shown_value
from .registry import parameters_class
from .results import kept_currency, paper_results, stale_kept


# the runner's hidden cell names the paragraphs it left out of a custom run (None: the notebook
# ran some other way, e.g. papermill directly, and nothing was left out)
LEFT_OUT_NAME = "default_run_paragraphs_left_out"
DEFAULT_RUN_TAG = "default-run"  # a markdown cell written for the default run only
_left_out: list[str] | None = None


def start_chapter(chapter: str, namespace: dict[str, Any]) -> ChapterParameters:
    """A chapter's first step: its parameters (the notebook's values, checked before any model
    loads, data files fetched), the book's figure style and, on a run that is not the default
    one, a notice listing what differs (:func:`run_notice`)."""
    from . import plotting

    global _left_out
    parameters = parameters_class(chapter).from_namespace(namespace)
    plotting.setup()
    pd.set_option("display.max_colwidth", 100)  # pandas cuts text at 50 characters by default
    _left_out = namespace.get(LEFT_OUT_NAME)
    show_markdown(run_notice(parameters, _left_out))
    return parameters


def show_markdown(text: str) -> None:
    """Display MyST Markdown as a cell's output (the book renders it as prose); nothing for
    empty text."""
    if text:
        from IPython.display import Markdown, display

        display(Markdown(text))


def _code(value: Any) -> str:
    # None: a parameter left to the chapter (a size derived from the data, every paradigm ...)
    return "unset" if value is None else f"`{shown_value(value)!r}`"


def run_notice(
    parameters: ChapterParameters, left_out: list[str] | None = None, short: bool = False
) -> str:
    """A MyST admonition for a run that is not the default one (the quick profile as the book
    defines it), empty for the default run: the profile, each parameter that differs from it
    with the profile's value, and which paragraphs were written for the default run
    (``left_out``: their openings, as the runner left them out; None: they are tagged
    ``default-run`` in the notebook). ``short``: one paragraph, for a page's later sections."""
    if parameters.is_default_run:
        return ""
    differences = parameters.differences()
    profile = parameters.profile_values(parameters.PROFILE)
    changed = "; ".join(
        f"`{name}` = {_code(value)} (profile: {_code(profile[name])})"
        for name, value in differences.items()
    )
    if differences:
        title = "A custom run"
        what = f"parameters that differ from the {parameters.PROFILE} profile's: {changed}"
        if short:
            what = (
                f"parameters that differ from the {parameters.PROFILE} profile's "
                f"({', '.join(differences)}: see the top of the page)"
            )
    else:
        what = f"the {parameters.PROFILE} profile"
        title = f"A run of the {parameters.PROFILE} profile"
    if short:
        written = "The paragraphs written for the default run are left out of this section."
    elif left_out is None:
        written = (
            "Paragraphs tagged `default-run` in the notebook were written for the default run "
            "(the quick profile) and describe it, not this run; `python -m neuron_utils run` "
            "leaves them out."
        )
    elif left_out:
        openings = "; ".join(f"“{opening}”" for opening in left_out)
        written = (
            f"{len(left_out)} paragraph{'s' if len(left_out) > 1 else ''} written for the "
            f"default run (the quick profile) {'are' if len(left_out) > 1 else 'is'} left out: "
            f"{openings}."
        )
    else:
        written = "No paragraph of this chapter was written for the default run only."
    lines = [
        f":::{{admonition}} {title}",
        ":class: warning",
        f"This page was run with {what}. Every number, table, figure and verdict on it is this "
        f"run's. {written}",
    ]
    if not short and differences:
        lines.append(
            "The findings page grades no claim on this run: it shows it as "
            f"“custom run ({differences_text(differences)})”."
        )
    lines.append(":::")
    return "\n".join(lines)


def what_we_found(parameters: ChapterParameters, measured: list[str] | None = None) -> None:
    """The top of a chapter's "What we found" section on a run that is not the default one:
    the short notice (:func:`run_notice`) and ``measured``, sentences generated from this run's
    summary, as a list. Nothing on the default run, whose prose follows."""
    if parameters.is_default_run:
        return
    text = run_notice(parameters, _left_out, short=True)
    if measured:
        text += "\n\nWhat this run measured:\n\n" + "\n".join(f"- {line}" for line in measured)
    show_markdown(text)


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
    out = {
        prefix + name: value
        for part in ("summary", "provenance", "parameters")
        for name, value in kept[part].items()
    }
    out[prefix + "note"] = kept_note(kept)
    return out


# results.kept_currency() -> what a page says (glued as plain text: no Markdown in it)
CURRENCY = {
    "kept from uncommitted code": "It ran on uncommitted changes to that commit.",
    "kept at an older version of this chapter's code": "It was kept at an older version of "
    "this chapter's code: the current code may compute other numbers (make check-kept lists "
    "such runs).",
    "kept before kept results recorded the hash of their inputs": "It was kept before kept "
    "results recorded what they were computed from: whether the current code computes the "
    "same numbers is not known (make check-kept lists such runs).",
}


def kept_note(kept: dict[str, Any]) -> str:
    """The sentences a page shows about a kept run's code: its note where one was kept, then
    whether it ran on its commit as committed and whether the chapter's code changed since
    (:func:`~.results.kept_currency`)."""
    provenance = kept.get("provenance", {})
    note = [provenance["note"]] if provenance.get("note") else []
    if "chapter" in kept:
        why = kept_currency(kept)
        return " ".join(
            [*note, CURRENCY[why] if why else "Its chapter's code has not changed since."]
        )
    if str(provenance.get("commit", "")).endswith("+dirty"):
        return " ".join([*note, CURRENCY["kept from uncommitted code"]])
    return " ".join([*note, "It ran on that commit as committed."])


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

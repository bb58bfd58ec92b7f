"""What a chapter notebook calls: start (parameters, style), provenance, glue, recorded results.

A notebook hands its own chapter package to these functions (``kit.start_chapter(chapter,
globals())``). A chapter's numbers come from its ``summarise()``: :func:`glue_all` glues what
its summary declaration says the prose can quote (:meth:`~.summary.Declaration.glue_values`),
and :func:`~.record.record_results` stores the same summary as ``book/results/NN.json`` for the
findings page. No number is computed in the notebook itself.
"""

from __future__ import annotations

import numbers
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from .parameters import ChapterParameters, differences_text, shown_value
from .record import kept_currency, paper_results
from .summary import Declaration


# the runner's hidden cell names the paragraphs it left out of a custom run (None: the notebook
# ran some other way, e.g. papermill directly, and nothing was left out)
LEFT_OUT_NAME = "default_run_paragraphs_left_out"
DEFAULT_RUN_TAG = "default-run"  # a markdown cell written for the default run only
_left_out: list[str] | None = None


def start_chapter(chapter: ModuleType, namespace: dict[str, Any]) -> ChapterParameters:
    """A chapter's first step: its parameters (the notebook's values, checked before any model
    loads, data files fetched), the book's figure style and, on a run that is not the default
    one, a notice listing what differs (:func:`run_notice`)."""
    from . import plotting

    global _left_out
    parameters = chapter.Parameters.from_namespace(namespace)
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


def glue_all(
    summary: dict[str, Any], declaration: Declaration | None = None, prefix: str = ""
) -> None:
    """Glue what the prose can quote of ``summary`` under its key, after ``prefix``: by its
    chapter's ``declaration`` (:meth:`~.summary.Declaration.glue_values`: intervals as
    ``name.low`` and ``name.high``, comparisons in words), or every scalar where there is none."""
    from myst_nb import glue

    values = (declaration or Declaration()).glue_values(summary)
    for name, value in values.items():
        if is_scalar(value):
            value = value.item() if isinstance(value, np.generic) else value
            glue(prefix + name, value, display=False)


def glue_summary(chapter: ModuleType, summary: dict[str, Any]) -> None:
    """Glue what the prose can quote of a chapter's summary, by its declaration (its
    ``SUMMARY``; :func:`glue_all`)."""
    glue_all(summary, getattr(chapter, "SUMMARY", None))


def show_provenance(model: Any, parameters: ChapterParameters) -> None:
    """Display the provenance table of a run: ``model`` (a :class:`~neuron_utils.core.models.LoadedModel`),
    the chapter's data (with checksums), its parameters, package versions, machine and commit."""
    from IPython.display import display

    from .provenance import provenance_table

    display(provenance_table(model.describe(), parameters.describe_data(), parameters.as_dict()))


def kept_glue_values(
    kept: dict[str, Any], profile: str, chapter: ModuleType | None = None
) -> dict[str, Any]:
    """What :func:`glue_paper_results` glues: the kept summary (as its chapter's declaration
    glues it), provenance and parameters, each name after the profile (``paper_lite_commit``,
    ``paper_lite_N_PAIRS`` ...)."""
    prefix = profile.replace("-", "_") + "_"
    declaration = getattr(chapter, "SUMMARY", None) or Declaration()
    summary = declaration.glue_values(declaration.decode(kept["summary"]))
    out = {prefix + name: value for name, value in summary.items()}
    out |= {
        prefix + name: value
        for part in ("provenance", "parameters")
        for name, value in kept[part].items()
    }
    out[prefix + "note"] = kept_note(kept, chapter)
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


def kept_note(kept: dict[str, Any], chapter: ModuleType | None = None) -> str:
    """The sentences a page shows about a kept run's code: its note where one was kept, then
    whether it ran on its commit as committed and whether the chapter's code changed since
    (:func:`~.record.kept_currency`)."""
    provenance = kept.get("provenance", {})
    note = [provenance["note"]] if provenance.get("note") else []
    if chapter is not None:
        why = kept_currency(kept, chapter)
        return " ".join(
            [*note, CURRENCY[why] if why else "Its chapter's code has not changed since."]
        )
    if str(provenance.get("commit", "")).endswith("+dirty"):
        return " ".join([*note, CURRENCY["kept from uncommitted code"]])
    return " ".join([*note, "It ran on that commit as committed."])


def glue_paper_results(chapter: ModuleType, profile: str = "paper-lite") -> dict[str, Any]:
    """Glue a chapter's kept ``profile`` results (:func:`kept_glue_values`) for its prose and
    return them, their summary typed (it feeds the chapter's tables and figures)."""
    from .record import chapter_number

    number = chapter_number(chapter)
    kept = paper_results(number, profile)
    if kept is None:
        raise FileNotFoundError(
            f"no kept {profile} results of chapter {number}: run "
            f"`python -m neuron_utils run {number} --profile {profile}`"
        )
    glue_all(kept_glue_values(kept, profile, chapter))
    declaration = getattr(chapter, "SUMMARY", None) or Declaration()
    return {**kept, "summary": declaration.decode(kept["summary"])}

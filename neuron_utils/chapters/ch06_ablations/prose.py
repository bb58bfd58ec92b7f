"""Chapter 6's generated prose: sentences from the summary, for any L1/L2 and any benchmarks (the
notebook shows them as Markdown). A quantity not defined for the data says so and why; no NaN
is shown. Each function takes a summary as :func:`~.summary.summarise` returns it or as a
record holds it (read back typed through :data:`~.summary.SUMMARY`)."""

from __future__ import annotations

from typing import Any

from ... import data
from ...methods import bootstrap
from .analysis import ROLE_NAMES
from .summary import SUMMARY, benchmark_key, ci_key, jaccard_magnitude_key, row_key


def language_name(lang: str) -> str:
    return data.LANGUAGE_NAMES.get(lang, lang)


def benchmark_label(summary: dict[str, Any], lang: str) -> str:
    """``BLiMP (English)``, ``generated (Japanese)``, ``fr_pairs (French)``."""
    name = summary[benchmark_key("benchmark_name", lang)].replace(f" ({lang})", "")
    return f"{name} ({language_name(lang)})"


def _contrast(summary: dict[str, Any], name: str, lang: str) -> str:
    """A paired contrast with its interval, ``+0.012 [-0.010, +0.035]``."""
    key = benchmark_key(name, lang)
    ci = summary[ci_key(key)]
    return bootstrap.interval_text(summary[key], ci.low, ci.high, True)


def _compared(summary: dict[str, Any], key: str) -> str:
    """A comparison in words, against the reference its entry declares (``below its random
    sets``), as the glue shows it."""
    return summary[key].text(SUMMARY.entry(key).reference)


def _verdict(summary: dict[str, Any], lang: str, role: str, matched: bool = False) -> str:
    """A set of a benchmark against its random sets (``matched``: its |a|-matched ones)."""
    return _compared(summary, row_key("verdict_matched" if matched else "verdict", lang, role))


def _quoted(name: str) -> str:
    return f"“{name}”"


def task_set(summary: dict[str, Any], lang: str) -> str | None:
    """The task-language set of the benchmark in ``lang`` (None where ``lang`` is neither L1
    nor L2)."""
    return f"only {lang}" if lang in (summary["l1"], summary["l2"]) else None


def _no_task_set(summary: dict[str, Any], lang: str) -> str:
    return (
        f"not defined for this benchmark: {language_name(lang)} is neither L1 "
        f"({summary['l1']}) nor L2 ({summary['l2']}), so it has no task-language set"
    )


def overlaps_text(summary: dict[str, Any]) -> str:
    """Each set's Jaccard overlap with the magnitude control, in words."""
    names = [name for name in summary["set_names"] if name != "magnitude"]
    parts = [f"{_quoted(name)} {summary[jaccard_magnitude_key(name)]:.2f}" for name in names]
    return (
        "Jaccard overlap of each set with the magnitude control: " + ", ".join(parts) + ". "
        "Summing $|a_{L1}| + |a_{L2}|$ over the pairs on which both sides are active rewards "
        "neurons that are large and almost always active: that is the definition of the "
        "magnitude control, whatever the pairs mean."
    )


def benchmark_heading(summary: dict[str, Any], lang: str) -> str:
    """The line above a benchmark's table."""
    return (
        f"**{benchmark_label(summary, lang)}**: {summary[benchmark_key('n_pairs', lang)]} pairs "
        f"in {summary[benchmark_key('n_paradigms', lang)]} paradigms."
    )


def _task_sentences(summary: dict[str, Any], lang: str) -> tuple[str, str, str]:
    """What a benchmark's paragraph says of the task-language sets: its own set against its
    random sets, the released code's L1 set (where that is another set), and Table 1's
    comparison with it (or why there is none)."""
    task = task_set(summary, lang)
    own = (
        f"the task-language set ({_quoted(task)}) {_verdict(summary, lang, 'task')}"
        if task
        else f"the task-language set {_no_task_set(summary, lang)}"
    )
    released = ""
    if task != f"only {summary['l1']}":
        released = (
            f"; the L1 set that the released code zeroed on every benchmark "
            f"({_quoted('only ' + summary['l1'])}) is "
            f"{_verdict(summary, lang, 'task_released')}"
        )
    twice = (
        f"The drop from {_quoted('different meaning')} minus twice the drop from the "
        f"task-language set is {_contrast(summary, 'different_beyond_twice_task', lang)} "
        "(above 0: it hurts at least twice as much, as the paper's Table 1 has it)."
        if task
        else f"The paper's comparison with the task-language set is {_no_task_set(summary, lang)}."
    )
    return own, released, twice


def verdicts_text(summary: dict[str, Any]) -> str:
    """Per benchmark: each set against its random sets, "different meaning" against the
    magnitude control, and Table 1's paired comparisons (where defined)."""
    summary = SUMMARY.decode(summary)
    paragraphs = []
    for lang in summary["benchmarks"]:
        own, released, twice = _task_sentences(summary, lang)
        paragraphs.append(
            f"**{benchmark_label(summary, lang)}.** Against their own random sets, the "
            f"{_quoted('same meaning')} set is {_verdict(summary, lang, 'same')}, "
            f"{_quoted('different meaning')} {_verdict(summary, lang, 'different')}, {own} and "
            f"the magnitude control {_verdict(summary, lang, 'magnitude')}{released}. Against "
            f"random sets matched by |a| decile as well, {_quoted('different meaning')} is "
            f"{_verdict(summary, lang, 'different', matched=True)}. Zeroing "
            f"{_quoted('different meaning')} instead of the magnitude control changes OVERALL by "
            f"{_contrast(summary, 'different_minus_magnitude', lang)}: it is "
            f"{_compared(summary, benchmark_key('different_vs_magnitude', lang))}. Zeroing it "
            f"instead of {_quoted('same meaning')} changes OVERALL by "
            f"{_contrast(summary, 'different_minus_same', lang)}. {twice}"
        )
    return "\n\n".join(paragraphs)


def second_design_text(summary: dict[str, Any]) -> str:
    """The sets chosen under the second design against the main ones (or why there are none)."""
    summary = SUMMARY.decode(summary)
    design = summary["second_design"]
    if design == "none":
        return (
            "This run chose no second set of pairs (`SECOND_DESIGN` is `none`): there is no "
            "comparison with the released code's pair design."
        )

    def accuracy(lang: str, role: str) -> float:
        return summary[row_key("accuracy", lang, role)]

    accuracies = "; ".join(
        f"{benchmark_label(summary, lang)}: {accuracy(lang, 'same_second'):.3f} "
        f"({_quoted('same')}, {_verdict(summary, lang, 'same_second')}) and "
        f"{accuracy(lang, 'different_second'):.3f} ({_quoted('different')}, "
        f"{_verdict(summary, lang, 'different_second')}), against "
        f"{accuracy(lang, 'same'):.3f} and {accuracy(lang, 'different'):.3f} "
        "for the main design's sets"
        for lang in summary["benchmarks"]
    )
    return (
        f"Under `{design}` the {_quoted('same meaning')} set shares "
        f"{summary['jaccard_same_second_main']:.2f} of its union with the main one and "
        f"{summary['jaccard_same_second_magnitude']:.2f} with the magnitude control; the "
        f"{_quoted('different meaning')} set {summary['jaccard_different_second_main']:.2f} and "
        f"{summary['jaccard_different_second_magnitude']:.2f}. Zeroed, they give {accuracies}."
    )


def dose_text(summary: dict[str, Any]) -> str:
    """The range of the drops over the dose-response's sizes, per benchmark."""
    ranges = "; ".join(
        f"{summary[benchmark_key('dose_min_drop', lang)]:+.3f} to "
        f"{summary[benchmark_key('dose_max_drop', lang)]:+.3f} on "
        f"{benchmark_label(summary, lang)}"
        for lang in summary["dose"]
    )
    return f"Over these sizes the drop from no ablation ranges from {ranges} (a negative drop is a gain)."


def _benchmark_point(summary: dict[str, Any], lang: str) -> str:
    """What zeroing each set does on one benchmark, in one sentence."""
    deltas = {
        role: summary[row_key("delta", lang, role)]
        for role in ("same", "different", "task", "magnitude")
        if role != "task" or task_set(summary, lang)
    }
    lowest = min(deltas.values())
    worst = [ROLE_NAMES[role] for role, value in deltas.items() if value == lowest]
    largest = (
        f"the largest drop (point estimate) comes from the {' and the '.join(worst)} set"
        + ("s" if len(worst) > 1 else "")
        if lowest < 0
        else "no set lowers it"
    )
    changes = ", ".join(f"{ROLE_NAMES[role]} {value:+.3f}" for role, value in deltas.items())
    return (
        f"On {benchmark_label(summary, lang)} (no ablation "
        f"{summary[row_key('accuracy', lang, 'none')]:.3f}), zeroing each set changes OVERALL "
        f"accuracy by: {changes}; {largest}. "
        f"{_quoted('Different meaning')} against the magnitude control: "
        f"{_compared(summary, benchmark_key('different_vs_magnitude', lang))}."
    )


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    summary = SUMMARY.decode(summary)
    points = [_benchmark_point(summary, lang) for lang in summary["benchmarks"]]
    points.append(
        f"The {_quoted('different meaning')} set overlaps the magnitude control by "
        f"{summary['jaccard_different_magnitude']:.2f} (Jaccard); chosen again on two halves of "
        f"the pairs, the {_quoted('same meaning')} sets overlap by "
        f"{summary['half_overlap_same']:.2f} (two random sets: {summary['random_overlap']:.3f})."
    )
    points.append(
        f"The released code's layer matching zeroes {summary['released_ratio']:.1f} neurons per "
        f"listed neuron and moves no accuracy by more than {summary['released_max_change']:.3f}."
    )
    return points

"""Chapter 6's summary: every number the chapter quotes, declared once (:data:`SUMMARY`), the
functions that name its keys, and :func:`summarise` with its steps (the sets, each benchmark's
rows and Table 1's paired contrasts, the dose curves, the released code's layers, the held-out
check)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...kit.parameters import glue_name
from ...kit.summary import Declaration, Entry, Interval, Kind
from ...methods import bootstrap
from ...methods.bootstrap import Comparison
from .analysis import (
    NONE,
    ROLE_NAMES,
    Condition,
    Results,
    benchmark_name,
    benchmark_sets,
    released_code_layers,
    second_sets,
    set_overlaps,
)

LEVEL = 0.95  # confidence level of every interval
# The seed's Table 1 (LLaMA-3-8B after L2 = ja training, 10,000 neurons zeroed), OVERALL accuracy.
PAPER_TABLE = {
    "en": {"none": 0.776, "same": 0.745, "different": 0.508, "task": 0.755},
    "ja": {"none": 0.701, "same": 0.670, "different": 0.575, "task": 0.698},
}
# every role a benchmark's rows may have, beside "none" (a role not zeroed on a benchmark is NaN)
ROW_ROLES = (
    "same",
    "different",
    "task",
    "task_released",
    "magnitude",
    "same_second",
    "different_second",
)
# a row's estimates (each with its interval under ci_key where it has one) and comparisons, as
# the summary holds them under row_key
ROW_VALUES = ("accuracy", "delta", "random", "vs_random", "matched", "vs_matched")
ROW_COMPARISONS = ("verdict", "verdict_matched")
# Table 1's paired contrasts (table1_contrasts): 'different' against 'same', and against twice
# a task-language set (the benchmark's own, or the released code's L1 set)
TASK_SETS = ("task", "task_released")


def beyond_twice_name(task_set: str) -> str:
    """The contrast of zeroing 'different' against twice zeroing ``task_set`` (``task`` or
    ``task_released``): ``different_beyond_twice_task``."""
    return f"different_beyond_twice_{task_set}"


CONTRASTS = ("different_minus_same", *(beyond_twice_name(t) for t in TASK_SETS))
OVERALL = (
    "OVERALL accuracy: unweighted mean over paradigms of the share of pairs whose good sentence "
    "has the higher mean token log-prob"
)
DIFFERENCE = "difference of OVERALL accuracies"


# --------------------------------------------------------------------------- keys


def row_key(column: str, benchmark: str, role: str) -> str:
    """A value of a benchmark's row under its summary name: ``delta_en_same``,
    ``verdict_matched_ja_task``."""
    return f"{column}_{benchmark}_{role}"


def benchmark_key(name: str, benchmark: str) -> str:
    """A value of one benchmark under its summary name: ``different_minus_same_en``,
    ``n_pairs_ja``, ``dose_max_drop_en``."""
    return f"{name}_{benchmark}"


def ci_key(point: str) -> str:
    """The summary name of the interval of the estimate named ``point``: ``delta_en_same_ci``."""
    return f"{point}_ci"


def jaccard_magnitude_key(set_name: str) -> str:
    """The Jaccard overlap of a set with the magnitude control: ``jaccard_only_ja_magnitude``."""
    return f"jaccard_{glue_name(set_name)}_magnitude"


SUMMARY = Declaration(
    Entry("n_ablate", Kind.COUNT, "neurons in each set at the main fraction"),
    Entry("n_all", Kind.COUNT, "MLP neurons of the model"),
    Entry("n_layers", Kind.COUNT, "layers of the model"),
    Entry("ablate_pct", Kind.NUMBER, "% of all neurons"),
    Entry("n_random_seeds", Kind.COUNT, "random sets drawn per set"),
    Entry("level_pct", Kind.NUMBER, "% (the intervals' level)"),
    Entry("n_bootstrap", Kind.COUNT, "bootstrap replicates"),
    Entry("l1", Kind.TEXT, "language code"),
    Entry("l2", Kind.TEXT, "language code"),
    Entry("n_pairs_sets", Kind.COUNT, "parallel pairs (and as many non-parallel) choosing sets"),
    Entry("data_source", Kind.TEXT, "the corpus of the pairs that choose the sets"),
    Entry("set_names", Kind.CURVE, "names of the sets, in the figures' order"),
    Entry("set_overlaps", Kind.CURVE, "Jaccard overlap of neuron sets (set_names x set_names)"),
    Entry("set_per_layer", Kind.CURVE, "neurons per layer of each set"),
    Entry("design", Kind.TEXT, "non-parallel design of the pairs that choose the sets"),
    Entry("second_design", Kind.TEXT, "non-parallel design of the second sets ('none': none)"),
    Entry(
        "benchmarks",
        Kind.CURVE,
        "per benchmark language, its table's rows (OVERALL accuracy, differences of OVERALL "
        f"accuracies and their {100 * LEVEL:.0f} % paired bootstrap intervals, neurons zeroed)",
    ),
    Entry("dose", Kind.CURVE, "OVERALL accuracy per fraction zeroed, per benchmark and set"),
    Entry("fractions_pct", Kind.CURVE, "% of all neurons (the dose-response's sizes)"),
    Entry("dose_smallest_pct", Kind.NUMBER, "% of all neurons"),
    Entry("dose_largest_pct", Kind.NUMBER, "% of all neurons"),
    Entry("paper_table", Kind.CURVE, "OVERALL accuracy in the seed's Table 1 (LLaMA-3-8B)"),
    Entry(
        "released",
        Kind.TABLE,
        "per set: neurons listed and zeroed by the released code, OVERALL accuracy exact and "
        "with its layers",
    ),
    Entry("released_listed", Kind.COUNT, "neurons"),
    Entry("released_zeroed", Kind.COUNT, "neurons"),
    Entry("released_ratio", Kind.NUMBER, "neurons zeroed per neuron listed"),
    Entry("released_max_change", Kind.NUMBER, f"largest absolute {DIFFERENCE}"),
    Entry("released_layers_of_1", Kind.TEXT, "layer indices"),
    Entry("random_overlap", Kind.NUMBER, "Jaccard overlap of two random sets of this size"),
    Entry("matched_fallback", Kind.COUNT, "neurons drawn from a neighbouring |a| decile"),
    Entry("matched_fallback_pct", Kind.NUMBER, "% of the |a|-matched draws"),
    # patterns, in this order: the first that matches a key declares it
    Entry("*_ci", Kind.INTERVAL, f"{100 * LEVEL:.0f} % paired bootstrap interval over pairs"),
    Entry(
        "verdict_matched_*",
        Kind.COMPARISON,
        DIFFERENCE + " (set minus its |a|-matched random sets), compared with 0",
        reference="its |a|-matched random sets",
    ),
    Entry(
        "verdict_*",
        Kind.COMPARISON,
        DIFFERENCE + " (set minus its random sets), compared with 0",
        reference="its random sets",
    ),
    Entry(
        "different_vs_magnitude_*",
        Kind.COMPARISON,
        DIFFERENCE + " ('different meaning' minus the magnitude control), compared with 0",
        reference="the magnitude control",
    ),
    Entry("size_*", Kind.COUNT, "neurons"),
    Entry("jaccard_*", Kind.NUMBER, "Jaccard overlap of neuron sets"),
    Entry("n_pairs_*", Kind.COUNT, "minimal pairs of the benchmark"),
    Entry("n_paradigms_*", Kind.COUNT, "paradigms of the benchmark"),
    Entry("benchmark_name_*", Kind.TEXT, "the sources of the benchmark's paradigms"),
    Entry("accuracy_*", Kind.NUMBER, OVERALL),
    Entry("random_*", Kind.NUMBER, "OVERALL accuracy, mean of the set's random sets"),
    Entry("matched_*", Kind.NUMBER, "OVERALL accuracy, mean of the set's |a|-matched random sets"),
    Entry("delta_*", Kind.NUMBER, DIFFERENCE + " (set zeroed minus no ablation)"),
    Entry("vs_random_*", Kind.NUMBER, DIFFERENCE + " (set minus its random sets)"),
    Entry("vs_matched_*", Kind.NUMBER, DIFFERENCE + " (set minus its |a|-matched random sets)"),
    Entry("different_minus_*", Kind.NUMBER, "paired " + DIFFERENCE),
    Entry(
        "different_beyond_twice_*",
        Kind.NUMBER,
        "paired contrast of OVERALL accuracies: the drop from 'different' minus twice the drop "
        "from the task-language set",
    ),
    Entry("dose_*_smallest", Kind.NUMBER, "OVERALL accuracy at the smallest fraction"),
    Entry("dose_*_drop_*", Kind.NUMBER, DIFFERENCE + " (no ablation minus zeroed)"),
    Entry("half_overlap_*", Kind.NUMBER, "Jaccard overlap of the sets chosen on two halves"),
    Entry("same_ap_*", Kind.NUMBER, "average precision (0.5: chance)"),
)


# --------------------------------------------------------------------------- measurements


def paired_contrast(
    results: Results, lang: str, weights: dict[str, float]
) -> tuple[float, np.ndarray]:
    """A weighted sum of OVERALL accuracies of conditions (key -> weight) measured on the same
    pairs: ``(contrast, its paired bootstrap replicates [B])``."""
    keys = list(weights)
    w = np.array([weights[key] for key in keys])
    point, reps = results.overall_replicates(lang, keys)
    return float(w @ point), w @ reps


def table1_contrasts(results: Results, lang: str) -> dict[str, Any]:
    """The comparisons of Tezuka et al.'s Table 1 on one benchmark at the main fraction, each a
    paired contrast with its interval (``_ci``): ``different_minus_same`` (accuracy with
    'different' zeroed minus with 'same' zeroed: below 0 when 'different' hurts more) and
    ``different_beyond_twice_{task}`` (the drop from zeroing 'different' minus twice the drop
    from zeroing the task-language set: above 0 when 'different' hurts at least twice as much),
    for the benchmark's task set (``task``, where its language is L1 or L2) and the released
    code's L1 set (``task_released``, where that is another set)."""
    p = results.parameters
    roles = benchmark_sets(lang, p.L1, p.L2)

    def key(name: str) -> str:
        return Condition(name, "exact", p.ABLATE_FRACTION).key

    contrasts = {"different_minus_same": {key("different"): 1.0, key("same"): -1.0}}
    tasks = {"task": roles["task"]} if "task" in roles else {}
    if roles.get("task") != f"only {p.L1}":
        tasks["task_released"] = f"only {p.L1}"
    for slug, name in tasks.items():
        # (none - different) - 2 (none - task) = 2 task - different - none
        contrasts[beyond_twice_name(slug)] = {
            key(name): 2.0,
            key("different"): -1.0,
            NONE.key: -1.0,
        }
    out: dict[str, Any] = {}
    for name, weights in contrasts.items():
        point, reps = paired_contrast(results, lang, weights)
        out.update(bootstrap.difference(reps, point, benchmark_key(name, lang), level=LEVEL))
    return out


def _row_conditions(results: Results, lang: str) -> list[tuple[str, str, str, str | None]]:
    """The rows of one benchmark's table: ``(role, label, condition key, set name)``, the
    no-ablation row first (no set)."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    roles = benchmark_sets(lang, p.L1, p.L2)
    rows: list[tuple[str, str, str, str | None]] = [("none", "no ablation", NONE.key, None)]
    rows += [
        (role, ROLE_NAMES[role], Condition(name, "exact", f).key, name)
        for role, name in roles.items()
    ]
    if roles.get("task") != f"only {p.L1}":  # the released code's task set is the L1 one
        name = f"only {p.L1}"
        label = f"task language as released ({p.L1})"
        rows.append(("task_released", label, Condition(name, "exact", f).key, name))
    for name in second_sets(p):
        role = name.split(" (")[0]
        label = f"{ROLE_NAMES[role]} ({p.SECOND_DESIGN})"
        rows.append((f"{role}_second", label, Condition(name, "exact", f).key, name))
    return rows


def _against_draws(
    results: Results, lang: str, name: str, kind: str, reps: np.ndarray, point: float
) -> tuple[float, dict[str, Any]]:
    """A set (its replicates ``reps [B]`` and OVERALL ``point``) against the mean of its
    ``kind`` (``random`` or ``matched``) draws: their mean OVERALL points ``[draws]`` and the
    typed difference (``vs_<kind>``, ``vs_<kind>_ci``, the comparison under ``verdict`` /
    ``verdict_matched``)."""
    p = results.parameters
    keys = [Condition(name, kind, p.ABLATE_FRACTION, k).key for k in range(p.N_RANDOM_SEEDS)]
    d_point, d_reps = results.overall_replicates(lang, keys)
    comparison = "verdict" if kind == "random" else "verdict_matched"
    difference = bootstrap.difference(
        reps - d_reps.mean(0), point - d_point.mean(), f"vs_{kind}", comparison, LEVEL
    )
    return d_point, difference


def benchmark_rows(results: Results, lang: str) -> list[dict[str, Any]]:
    """One typed row per zeroed set on one benchmark at the main fraction (and the no-ablation
    row): OVERALL accuracy, its change from no ablation, the mean of its matched random sets
    and the difference from them (and from its |a|-matched random sets, where drawn), each with
    its paired bootstrap interval (:class:`Interval`) and, against the draws, a
    :class:`Comparison`."""
    rows = _row_conditions(results, lang)
    point, reps = results.overall_replicates(lang, [key for *_, key, _ in rows])
    out = []
    for k, (role, label, key, name) in enumerate(rows):
        row = {"role": role, "condition": label, "zeroed": results.zeroed[key]}
        row |= bootstrap.condition(reps[k], point[k], reps[0], point[0], LEVEL)
        if name is not None:
            r_point, vs_random = _against_draws(results, lang, name, "random", reps[k], point[k])
            row["random"] = float(r_point.mean())
            row["random_min"], row["random_max"] = float(r_point.min()), float(r_point.max())
            row |= vs_random
            magnitude = results.main.sets["magnitude"]
            row["jaccard_magnitude"] = results.main.every[name].overlap(magnitude)
            matched = Condition(name, "matched", results.parameters.ABLATE_FRACTION, 0).key
            if matched in results.preference[lang]:
                m_point, vs_matched = _against_draws(
                    results, lang, name, "matched", reps[k], point[k]
                )
                row["matched"] = float(m_point.mean())
                row |= vs_matched
        out.append(row)
    return out


# a table row holds an interval as two plain columns (a table is shown, not reasoned on)
TABLE_ENDS = {
    "accuracy_ci": ("low", "high"),
    "delta_ci": ("delta_low", "delta_high"),
    "vs_random_ci": ("vs_random_low", "vs_random_high"),
    "vs_matched_ci": ("vs_matched_low", "vs_matched_high"),
}


def table_row(row: dict[str, Any]) -> dict[str, Any]:
    """A typed row (:func:`benchmark_rows`) as its table shows it: each interval as two
    columns (:data:`TABLE_ENDS`); the comparisons are summary entries of their own
    (``verdict_*``), not columns."""
    out: dict[str, Any] = {}
    for column, value in row.items():
        if isinstance(value, Interval):
            low, high = TABLE_ENDS[column]
            out[low], out[high] = value.low, value.high
        elif not isinstance(value, Comparison):
            out[column] = value
    return out


def released_rows(results: Results) -> list[dict[str, Any]]:
    """Per set (not the magnitude control): neurons listed, neurons the released code's layer
    matching zeroes, and OVERALL accuracy on each benchmark with exact and with released layers."""
    f = results.parameters.ABLATE_FRACTION
    out = []
    for name, neurons in results.main.sets.items():
        if name == "magnitude":
            continue
        row: dict[str, Any] = {
            "set": name,
            "listed": len(neurons),
            "zeroed": len(released_code_layers(neurons)),
        }
        for lang in results.pairs:
            keys = [Condition(name, kind, f).key for kind in ("exact", "released")]
            if keys[0] not in results.preference[lang]:
                continue
            exact, released = results.overall(lang, keys)
            row[f"{lang} exact"] = float(exact)
            row[f"{lang} released"] = float(released)
        out.append(row)
    return out


def dose_curves(results: Results, lang: str) -> dict[str, list[float]]:
    """OVERALL accuracy per fraction (``results.parameters.fractions``) for each set zeroed on
    the benchmark, and for uniform random sets; ``none`` is the unablated accuracy (a constant)."""
    p = results.parameters
    names = [
        name
        for name in [*results.main.sets]
        if Condition(name, "exact", p.fractions[0]).key in results.preference[lang]
    ]
    curves = {}
    for name in names:
        keys = [Condition(name, "exact", f).key for f in p.fractions]
        curves[name] = results.overall(lang, keys).tolist()
    keys = [Condition("uniform", "random", f, 0).key for f in p.fractions]
    curves["random (uniform over layers)"] = results.overall(lang, keys).tolist()
    curves["none"] = [float(results.overall(lang, [NONE.key])[0])] * len(p.fractions)
    return curves


# --------------------------------------------------------------------------- the summary


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 6 quotes (glued under these names, declared in :data:`SUMMARY`)
    and the data of its tables and figures: the sets, then per benchmark its rows and dose
    curves, the released code's layer matching and the held-out check (one step each)."""
    p = results.parameters
    out: dict[str, Any] = {
        "n_ablate": results.main.n,
        "n_all": results.n_layers * results.n_neurons,
        "n_layers": results.n_layers,
        "ablate_pct": 100 * p.ABLATE_FRACTION,
        "n_random_seeds": p.N_RANDOM_SEEDS,
        "level_pct": 100 * LEVEL,
        "n_bootstrap": p.N_BOOTSTRAP,
        "l1": p.L1,
        "l2": p.L2,
        "n_pairs_sets": p.N_PAIRS,
        "data_source": p.DATA_SOURCE,
    }
    out.update(_set_summary(results))
    out["benchmarks"], out["dose"] = {}, {}
    for lang, pairs in results.pairs.items():
        rows = benchmark_rows(results, lang)
        out["benchmarks"][lang] = [table_row(row) for row in rows]
        out[benchmark_key("benchmark_name", lang)] = benchmark_name(pairs)
        out.update(_benchmark_summary(results, lang, rows))
        out["dose"][lang] = curves = dose_curves(results, lang)
        out.update(_dose_summary(lang, curves))
    out.update(_released_summary(results))
    out.update(_held_out_summary(results))
    out["fractions_pct"] = [100 * f for f in p.fractions]
    out["dose_smallest_pct"] = 100 * p.fractions[0]
    out["dose_largest_pct"] = 100 * p.fractions[-1]
    out["paper_table"] = PAPER_TABLE
    return out


def _set_summary(results: Results) -> dict[str, Any]:
    """The sets' sizes, per-layer counts and overlaps (with the magnitude control, and under
    the second design with the main one)."""
    p = results.parameters
    out: dict[str, Any] = {}
    names, overlaps = set_overlaps(results)
    for k, name in enumerate(names):
        out[f"size_{glue_name(name)}"] = len(results.main.every[name])
        if name != "magnitude":
            out[jaccard_magnitude_key(name)] = float(overlaps[k, names.index("magnitude")])
    out["set_names"] = names
    out["set_overlaps"] = overlaps.tolist()
    out["set_per_layer"] = {name: results.main.every[name].per_layer().tolist() for name in names}
    out["design"] = p.DESIGN
    out["second_design"] = p.SECOND_DESIGN
    for role in ("same", "different"):  # the set under the second design vs the main one
        name = f"{role} ({p.SECOND_DESIGN})"
        for other, key in ((role, "main"), ("magnitude", "magnitude")):
            out[f"jaccard_{role}_second_{key}"] = (
                float(overlaps[names.index(name), names.index(other)])
                if name in names
                else float("nan")
            )
    return out


def _benchmark_summary(results: Results, lang: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One benchmark's typed rows (:func:`benchmark_rows`) under flat names (:func:`row_key`),
    "different" against the magnitude control and Table 1's paired contrasts; a set not zeroed
    here has NaN estimates (and intervals) and no comparison."""
    p = results.parameters
    pairs = results.pairs[lang]
    out: dict[str, Any] = {
        benchmark_key("n_pairs", lang): len(pairs),
        benchmark_key("n_paradigms", lang): len(pairs.paradigms),
    }
    for row in rows:
        for column in (*ROW_VALUES, *ROW_COMPARISONS):
            if column in row:
                out[row_key(column, lang, row["role"])] = row[column]
            if ci_key(column) in row:
                out[ci_key(row_key(column, lang, row["role"]))] = row[ci_key(column)]
    # do "different meaning" neurons matter beyond their magnitude?
    f = p.ABLATE_FRACTION
    different, magnitude = (Condition(name, "exact", f).key for name in ("different", "magnitude"))
    point, reps = paired_contrast(results, lang, {different: 1.0, magnitude: -1.0})
    out |= bootstrap.difference(
        reps,
        point,
        benchmark_key("different_minus_magnitude", lang),
        benchmark_key("different_vs_magnitude", lang),
        LEVEL,
    )
    out.update(table1_contrasts(results, lang))
    for name in CONTRASTS:  # no such set here
        out.setdefault(benchmark_key(name, lang), float("nan"))
        out.setdefault(ci_key(benchmark_key(name, lang)), Interval(float("nan"), float("nan")))
    for role in ROW_ROLES:
        for column in ROW_VALUES:
            out.setdefault(row_key(column, lang, role), float("nan"))  # not zeroed here
    return out


def _dose_summary(lang: str, curves: dict[str, list[float]]) -> dict[str, Any]:
    """The dose curves' (:func:`dose_curves`) smallest fraction and the range of every drop on
    one benchmark."""
    out: dict[str, Any] = {}
    drops = [
        curves["none"][0] - value
        for name, curve in curves.items()
        if name != "none"
        for value in curve
    ]
    for name in ("different", "magnitude"):
        out[f"dose_{lang}_{name}_smallest"] = curves[name][0]
    out[benchmark_key("dose_max_drop", lang)] = float(max(drops))
    out[benchmark_key("dose_min_drop", lang)] = float(min(drops))
    return out


def _released_summary(results: Results) -> dict[str, Any]:
    """The released code's layer matching: neurons listed vs zeroed, and what it changes."""
    out: dict[str, Any] = {}
    released = released_rows(results)
    out["released"] = released
    listed = sum(row["listed"] for row in released)
    zeroed = sum(row["zeroed"] for row in released)
    out["released_listed"] = listed
    out["released_zeroed"] = zeroed
    out["released_ratio"] = zeroed / listed if listed else float("nan")
    out["released_max_change"] = max(
        abs(row[f"{lang} released"] - row[f"{lang} exact"])
        for row in released
        for lang in results.pairs
        if f"{lang} exact" in row
    )
    out["released_layers_of_1"] = ", ".join(
        str(j) for j in range(results.n_layers) if "1" in str(j)
    )
    return out


def _held_out_summary(results: Results) -> dict[str, Any]:
    """The sets chosen again on halves of the pairs, and the |a|-matched draws' fallbacks."""
    n_all = results.n_layers * results.n_neurons
    out: dict[str, Any] = {}
    held = results.held_out
    out["half_overlap_same"] = held.overlap["same"]
    out["half_overlap_different"] = held.overlap["different"]
    out["same_ap_in_sample"] = held.ap_in_sample
    out["same_ap_held_out"] = held.ap_held_out
    out["same_ap_matched"] = held.ap_matched
    frac = results.main.n / n_all
    out["random_overlap"] = frac / (2 - frac)  # two random sets of this size
    matched_drawn = sum(results.zeroed[key] for key in results.fallback)
    out["matched_fallback"] = sum(results.fallback.values())
    out["matched_fallback_pct"] = (
        100 * out["matched_fallback"] / matched_drawn if matched_drawn else 0.0
    )
    return out

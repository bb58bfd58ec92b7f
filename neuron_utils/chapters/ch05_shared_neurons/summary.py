"""Every number chapter 5 quotes, declared once (:data:`SUMMARY`) and computed by
:func:`summarise`: the categories of each kind of input, claim (i), the attributions, the task
accuracies and every intervention (its rows for the tables, and their numbers under flat keys
built by :mod:`.keys`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ... import data
from ...kit.summary import Declaration, Entry, Kind
from ...methods import bootstrap, sharing
from ...methods.bootstrap import Interval
from ...methods.sharing import CATEGORIES, CATEGORY_SLUGS
from . import prose
from .analysis import ATTRIBUTIONS, CONTROL_NAMES, INPUT_NAMES, CategoryStats, Results, TaskResults
from .keys import (
    ALWAYS_SHARED,
    MAGNITUDE,
    MATCHED_REFERENCE,
    OTHER_ITEM,
    RANDOM_REFERENCE,
    attribution_key,
    boost_key,
    category_key,
    condition_key,
    deactivation_key,
    helping_factors,
    input_key,
    own_set_references,
)
from .parameters import Parameters

LEVEL = 0.95  # confidence level of every interval

_PCT = "% of all neurons, mean over items and layers"
_ACCURACY = "task accuracy, mean over items and languages"
_DIFFERENCE = "difference of task accuracies (mean over items and languages)"

# a key takes the first pattern it matches (exact keys before any pattern): the specific
# patterns come before the broad ones
SUMMARY = Declaration(
    Entry("n_all", Kind.COUNT, "neurons"),
    Entry("n_layers", Kind.COUNT, "layers"),
    Entry("threshold", Kind.NUMBER, "activation value (the category threshold)"),
    Entry("thresholds", Kind.CURVE, "activation values (the thresholds of the sweep)"),
    Entry("threshold_last", Kind.NUMBER, "activation value (the sweep's last threshold)"),
    Entry("top_k", Kind.COUNT, "neurons per layer (the top contributors)"),
    Entry("top_k_pct", Kind.NUMBER, "% of a layer's neurons"),
    Entry("level_pct", Kind.NUMBER, "% (the confidence level of every interval)"),
    Entry("n_bootstrap", Kind.COUNT, "bootstrap replicates"),
    Entry("n_random_seeds", Kind.COUNT, "random sets per deactivation"),
    Entry("n_boost_random_seeds", Kind.COUNT, "random sets per boosting factor"),
    Entry(
        "boost_factors", Kind.CURVE, "the boosting factors (x), as the run's parameters list them"
    ),
    Entry("category_names", Kind.CURVE, "names of the categories"),
    Entry("input_names", Kind.CURVE, "names of the kinds of input, by summary name"),
    Entry("control_names", Kind.CURVE, "names of the template controls, by summary name"),
    Entry("data_source", Kind.TEXT, "name of the multi-parallel corpus"),
    Entry("tasks", Kind.CURVE, "names of the tasks"),
    Entry(
        "categories",
        Kind.CURVE,
        "per kind of input: share of each layer's neurons per category (mean, min, max over "
        "items), share of all neurons per threshold and on any token, neurons per category "
        "for every item",
    ),
    Entry(
        "task_results",
        Kind.CURVE,
        "per task: rows of the accuracy and intervention tables (their columns say their "
        "units; *_ci: 95 % paired bootstrap intervals over items) and the attributions per layer",
    ),
    Entry(
        "*_ci",
        Kind.INTERVAL,
        f"{100 * LEVEL:.0f} % bootstrap interval over items (of a difference: paired) of the "
        "number named without _ci",
    ),
    Entry("verdict_matched_*", Kind.COMPARISON, "difference from them", MATCHED_REFERENCE),
    Entry("verdict_*", Kind.COMPARISON, "difference from them", RANDOM_REFERENCE),
    Entry("best_boost_verdict_*", Kind.COMPARISON, "difference from them", RANDOM_REFERENCE),
    *(
        Entry(
            condition_key("own_vs_control", "*", condition),
            Kind.COMPARISON,
            "accuracy with the item's all-shared set zeroed minus with this condition",
            reference,
        )
        for condition, reference in own_set_references().items()
    ),
    Entry(
        "ranges_apart_*",
        Kind.FLAG,
        "true: the ranges over items of the two inputs' shares do not overlap",
    ),
    Entry("ranges_text_*", Kind.TEXT, "words: whether the ranges over items overlap"),
    Entry(
        "share_shift_*_pct",
        Kind.NUMBER,
        "percentage points of all neurons (minus plain sentences')",
    ),
    Entry("share_*_min_pct", Kind.NUMBER, "% of all neurons, the smallest over items"),
    Entry("share_*_max_pct", Kind.NUMBER, "% of all neurons, the largest over items"),
    Entry("share_*_pct", Kind.NUMBER, _PCT),
    Entry("all_tokens_*_pct", Kind.NUMBER, _PCT + " ('active': fires on any token)"),
    Entry("sweep_*_last_pct", Kind.NUMBER, _PCT + " (at the sweep's last threshold)"),
    Entry("stable_*_pct", Kind.NUMBER, "% of all neurons (in one category for every item)"),
    Entry("stable_*", Kind.COUNT, "neurons in the same category for every item"),
    Entry(
        "top_*_pct",
        Kind.NUMBER,
        "% of the top-K contributors per layer, mean over layers and prompts",
    ),
    Entry("base_firing_*_pct", Kind.NUMBER, "% of the neurons that fire on the prompt"),
    Entry("base_*_pct", Kind.NUMBER, _PCT),
    Entry("peak_layer_*", Kind.COUNT, "layer index, from 0"),
    Entry("n_items_*", Kind.COUNT, "items"),
    Entry("n_languages_*", Kind.COUNT, "languages"),
    Entry("n_task_items_*", Kind.COUNT, "items"),
    Entry("n_task_languages_*", Kind.COUNT, "languages"),
    Entry("n_choices_*", Kind.COUNT, "candidates per item"),
    Entry("above_chance_*", Kind.COUNT, "languages whose interval lies above chance"),
    Entry("claim_i_*", Kind.TEXT, "a sentence: which halves of claim (i) hold"),
    Entry("ranking_agree_*", Kind.TEXT, "words: the two rankings in the same or a different order"),
    Entry("ranking_*", Kind.TEXT, "words: the categories by mean attribution score"),
    Entry("boost_helps_*", Kind.TEXT, "words: the boosting factors that help, if any"),
    Entry("worst_language_*", Kind.TEXT, "language name"),
    Entry("best_language_*", Kind.TEXT, "language name"),
    Entry("best_boost_delta_*", Kind.NUMBER, _DIFFERENCE + ", at the best factor"),
    Entry("best_boost_margin_*", Kind.NUMBER, "nats, mean over items and languages"),
    Entry("best_boost_*", Kind.TEXT, "the boosting factor chosen (x1.5)"),
    Entry("mean_*_ratio", Kind.NUMBER, "ratio of mean attribution scores"),
    Entry("mean_*", Kind.NUMBER, "mean attribution score of the category's neurons"),
    Entry(
        "agreement_*", Kind.NUMBER, "Jaccard overlap of the two attributions' top-K sets per layer"
    ),
    Entry("chance_*", Kind.NUMBER, "task accuracy (chance)"),
    Entry("worst_accuracy_*", Kind.NUMBER, "task accuracy, mean over items"),
    Entry("best_accuracy_*", Kind.NUMBER, "task accuracy, mean over items"),
    Entry(
        "margin_*",
        Kind.NUMBER,
        "log-prob of the correct choice minus the best wrong one (nats), mean over items and "
        "languages",
    ),
    Entry("changed_*", Kind.NUMBER, "neurons changed per item"),
    Entry("accuracy_*", Kind.NUMBER, _ACCURACY),
    Entry("random_*", Kind.NUMBER, _ACCURACY + " (random sets, mean over draws)"),
    Entry("matched_*", Kind.NUMBER, _ACCURACY + " (firing-matched random sets, mean over draws)"),
    Entry("delta_*", Kind.NUMBER, _DIFFERENCE + " (this condition minus none)"),
    Entry("vs_random_*", Kind.NUMBER, _DIFFERENCE + " (this condition minus its random sets)"),
    Entry(
        "vs_matched_*",
        Kind.NUMBER,
        _DIFFERENCE + " (minus random sets matched per item and layer by joint bins of firing "
        "rate and mean |a|)",
    ),
    Entry(
        "own_minus_control_*",
        Kind.NUMBER,
        _DIFFERENCE + " (the item's all-shared set zeroed minus this condition)",
    ),
)


def interval_of(value: Interval | Mapping[str, float]) -> Interval:
    """An interval of a table row: typed in a fresh summary, ``{"low", "high"}`` in one read
    back from JSON (a declaration types a summary's entries, not the cells of its tables)."""
    return value if isinstance(value, Interval) else Interval(value["low"], value["high"])


# --------------------------------------------------------------------------- table rows


def _replicates(values: np.ndarray, p: Parameters) -> np.ndarray:
    """Bootstrap replicates of the mean over items of ``values [C, items]``: ``[C, B]``; the
    same item draws for every condition and every call (paired)."""
    groups = np.zeros(values.shape[1], dtype=int)
    return bootstrap.overall_replicates(values, groups, p.N_BOOTSTRAP, p.SEED)


def accuracy_rows(tr: TaskResults, p: Parameters) -> list[dict[str, Any]]:
    """Per language (and the mean over languages): accuracy without intervention, its interval
    and the mean margin of the correct choice."""
    correct = tr.correct("none").astype(float)  # [items, L]
    margin = tr.margin("none")
    rows = []
    for j, lang in enumerate([*tr.task.languages, "mean"]):
        values = correct.mean(1) if lang == "mean" else correct[:, j]
        rows.append(
            {
                "language": lang,
                "accuracy": float(values.mean()),
                "accuracy_ci": Interval.of(
                    bootstrap.interval(_replicates(values[None], p)[0], LEVEL)
                ),
                "margin": float((margin.mean(1) if lang == "mean" else margin[:, j]).mean()),
            }
        )
    return rows


def _condition_groups(tr: TaskResults, p: Parameters) -> list[tuple[str, list[str], list[str]]]:
    """Every condition after none, with its random draws and its firing-matched draws: the
    deactivations, the all-shared controls (no draws), the boosts."""
    seeds = range(p.N_RANDOM_SEEDS)
    groups = [
        (deactivation_key(c), [deactivation_key(c, s) for s in seeds],
         [deactivation_key(c, s, "matched") for s in seeds])
        for c in p.DEACTIVATE
    ]  # fmt: skip
    groups += [(key, [], []) for key in (OTHER_ITEM, ALWAYS_SHARED, MAGNITUDE) if key in tr.scores]
    groups += [(boost_key(f), [boost_key(f, s) for s in range(p.N_BOOST_RANDOM_SEEDS)], [])
               for f in p.BOOST_FACTORS]  # fmt: skip
    return groups


def _own_set_compared(tr: TaskResults, p: Parameters) -> list[str]:
    """The conditions the item's own all-shared set is compared with: the controls, and (does
    zeroing all-shared hurt more than each other category?) zeroing the other categories."""
    if "all-shared" not in p.DEACTIVATE:
        return []
    others = [deactivation_key(c) for c in p.DEACTIVATE if c != "all-shared"]
    return [k for k in (OTHER_ITEM, ALWAYS_SHARED, MAGNITUDE) if k in tr.scores] + others


def intervention_rows(tr: TaskResults, p: Parameters) -> list[dict[str, Any]]:
    """One row per intervention (mean accuracy over languages): accuracy [CI], change from none
    [CI], its random sets' mean and the difference from them [CI] (and from its firing-matched
    random sets, for deactivations), mean margin, neurons changed per item; and per-language
    accuracies. All-shared deactivation is also compared with its controls (another item's
    set, the neurons of the largest mean |a|) and with zeroing each other category."""
    groups = _condition_groups(tr, p)
    keys = ["none"] + [k for key, randoms, matched in groups for k in (key, *randoms, *matched)]
    acc = np.array([tr.correct(k).mean(1) for k in keys], dtype=float)  # [C, items]
    reps = dict(zip(keys, _replicates(acc, p), strict=True))
    point = dict(zip(keys, acc.mean(1), strict=True))
    margin = {k: float(tr.margin(k).mean()) for k in keys}
    compared = _own_set_compared(tr, p)
    own = deactivation_key("all-shared")
    rows = []
    for key, randoms, matched in [("none", [], []), *groups]:
        row = {
            "condition": key,
            "changed": tr.changed[key],
            **bootstrap.condition(reps[key], point[key], reps["none"], point["none"], LEVEL),
            "margin": margin[key],
            "per_language": tr.correct(key).mean(0).tolist(),
        }
        if key in compared:  # the item's own all-shared set minus this control or category
            difference = bootstrap.difference(
                reps[own] - reps[key], point[own] - point[key], "own_minus_control",
                "own_vs_control", LEVEL,
            )  # fmt: skip
            row.update(difference)
        for kind, draws in (("random", randoms), ("matched", matched)):
            if draws:
                row.update(_draw_columns(kind, key, draws, reps, point, margin, tr.changed))
        rows.append(row)
    return rows


def _draw_columns(
    kind: str,
    key: str,
    draws: list[str],
    reps: dict[str, np.ndarray],
    point: dict[str, float],
    margin: dict[str, float],
    changed: dict[str, float],
) -> dict[str, Any]:
    """A condition's random sets of one ``kind`` (``random`` or ``matched``): their mean
    accuracy over draws [CI], margin and neurons changed, and the condition's difference from
    them [CI] with its comparison (``verdict``, ``verdict_matched``)."""
    draw_reps = np.mean([reps[k] for k in draws], 0)
    draw_point = float(np.mean([point[k] for k in draws]))
    comparison = "verdict" if kind == "random" else "verdict_matched"
    return {
        kind: draw_point,
        f"{kind}_ci": Interval.of(bootstrap.interval(draw_reps, LEVEL)),
        f"{kind}_margin": float(np.mean([margin[k] for k in draws])),
        f"{kind}_changed": float(np.mean([changed[k] for k in draws])),
        **bootstrap.difference(
            reps[key] - draw_reps, point[key] - draw_point, f"vs_{kind}", comparison, LEVEL
        ),
    }


# --------------------------------------------------------------------------- the summary


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 5 quotes (glued under these names, declared in :data:`SUMMARY`) and
    the data of its figures: the categories of plain sentences and of the controls, then per
    task its categories, claim (i), the attributions, the accuracies and the interventions
    (one helper each)."""
    p = results.parameters
    out = _run_summary(results)
    _category_summary(out, "sentences", results.sentences)
    for kind, stats in results.controls.items():
        _category_summary(out, kind, stats)
    out["control_names"] = {k: CONTROL_NAMES[k] for k in results.controls}
    out["task_results"] = {}
    for name, tr in results.tasks.items():
        _category_summary(out, name, tr.categories)
        _claim_i(out, name, results)
        out.update(_attribution_summary(name, tr))
        accuracy, interventions = accuracy_rows(tr, p), intervention_rows(tr, p)
        out["task_results"][name] = {
            "languages": list(tr.task.languages),
            "chance": tr.task.chance,
            "n_items": tr.task.n_items,
            "n_choices": tr.task.n_choices,
            "accuracy": accuracy,
            "interventions": interventions,
            "attribution_top": {a: tr.attribution.top_shares[a].tolist() for a in ATTRIBUTIONS},
            "attribution_base": tr.categories.shares.mean(0).tolist(),  # share of all neurons
            "attribution_mean": {a: tr.attribution.mean_score[a].tolist() for a in ATTRIBUTIONS},
            "agreement": tr.attribution.agreement.tolist(),
        }
        out.update(_accuracy_summary(name, tr, accuracy))
        out.update(_intervention_summary(name, interventions))
        out.update(_boost_summary(name, interventions, out))
    return out


def _run_summary(results: Results) -> dict[str, Any]:
    """The run's sizes and settings the prose quotes."""
    p = results.parameters
    return {
        "n_all": results.n_layers * results.n_neurons,
        "n_layers": results.n_layers,
        "threshold": p.THRESHOLD,
        "thresholds": list(p.THRESHOLDS),
        "threshold_last": p.THRESHOLDS[-1],
        "top_k": p.TOP_K,
        "top_k_pct": 100 * p.TOP_K / results.n_neurons,
        "level_pct": 100 * LEVEL,
        "n_bootstrap": p.N_BOOTSTRAP,
        "n_random_seeds": p.N_RANDOM_SEEDS,
        "n_boost_random_seeds": p.N_BOOST_RANDOM_SEEDS,
        "boost_factors": list(p.BOOST_FACTORS),
        "category_names": list(CATEGORIES),
        "input_names": {k: INPUT_NAMES[k] for k in ["sentences", *results.tasks]},
        "data_source": p.DATA_SOURCE,
        "tasks": list(results.tasks),
    }


def _category_summary(out: dict[str, Any], kind: str, stats: CategoryStats) -> None:
    """The categories of one kind of input: each category's share of all neurons (mean and
    range over items), its neurons that keep it for every item, its share on any token and at
    the last threshold, its peak layer; ``out["categories"][kind]`` gains the curves."""
    shares = stats.shares.mean((0, 2))  # [4]: share of all neurons, mean over items
    per_item = stats.shares.mean(2)  # [items, 4]
    for c, slug in enumerate(CATEGORY_SLUGS):
        out[category_key("share", kind, slug)] = 100 * float(shares[c])
        out[category_key("share", kind, slug, "min_pct")] = 100 * float(per_item[:, c].min())
        out[category_key("share", kind, slug, "max_pct")] = 100 * float(per_item[:, c].max())
        out[category_key("stable", kind, slug, "")] = int(stats.stable[c])
        out[category_key("all_tokens", kind, slug)] = 100 * float(stats.all_tokens[c])
        out[category_key("sweep", kind, slug, "last_pct")] = 100 * float(stats.sweep[-1, c])
        layer_mean = stats.shares[:, c].mean(0)
        out[category_key("peak_layer", kind, slug, "")] = int(layer_mean.argmax())
    out[input_key("stable", kind, "total")] = int(stats.stable.sum())
    out[input_key("stable", kind, "pct")] = 100 * float(stats.stable.sum()) / stats.codes[0].size
    out[input_key("n_items", kind)] = int(stats.codes.shape[0])
    out[input_key("n_languages", kind)] = len(stats.languages)
    out.setdefault("categories", {})[kind] = {
        "languages": list(stats.languages),
        "layer_mean": stats.shares.mean(0).tolist(),  # [4, L]
        "layer_min": stats.shares.min(0).tolist(),
        "layer_max": stats.shares.max(0).tolist(),
        "sweep": stats.sweep.tolist(),
        "all_tokens": stats.all_tokens.tolist(),
        "stable": stats.stable.tolist(),
    }


def _shift(out: dict[str, Any], kind: str, reference: str, slug: str) -> None:
    """How far ``kind``'s share of category ``slug`` lies from ``reference``'s, and whether
    their ranges over items overlap (is the shift larger than the item-to-item spread?)."""
    out[category_key("share_shift", kind, slug)] = (
        out[category_key("share", kind, slug)] - out[category_key("share", reference, slug)]
    )
    low_a, high_a = (
        out[category_key("share", reference, slug, f"{e}_pct")] for e in ("min", "max")
    )
    low_b, high_b = (out[category_key("share", kind, slug, f"{e}_pct")] for e in ("min", "max"))
    apart = low_b > high_a or low_a > high_b
    out[category_key("ranges_apart", kind, slug, "")] = apart
    out[category_key("ranges_text", kind, slug, "")] = prose.overlap_words(apart)


def _claim_i(out: dict[str, Any], name: str, results: Results) -> None:
    """Claim (i) on task ``name``: how far the task moves the shares from plain sentences (the
    template control for translation), and whether the inputs do (``out`` gains the keys)."""
    for slug in CATEGORY_SLUGS:
        _shift(out, name, "sentences", slug)
    if name == "translation" and results.controls:
        # the template control: the same languages on both sides, and prompts whose last
        # tokens are the sentence's (not the target's name, alike in every language)
        for slug in CATEGORY_SLUGS:
            _shift(out, "translation_ending", "sentences_task_languages", slug)
    # the task half read where the prompt ending cannot cause it (translation: the
    # template control), the input half from the neurons that keep their category
    controlled = category_key("ranges_apart", "translation_ending", "all_shared", "")
    task_kind = "translation_ending" if name == "translation" and controlled in out else name
    task_half = out[category_key("ranges_apart", task_kind, "all_shared", "")]
    input_half = out[input_key("stable", name, "pct")] < 50
    out[input_key("claim_i", name)] = prose.claim_i_sentence(task_half, input_half)


def _attribution_summary(name: str, tr: TaskResults) -> dict[str, Any]:
    """Claim (ii), attribution: each category's share of the top contributors and mean score,
    against its share of all neurons and of the neurons that fire on the prompt."""
    out: dict[str, Any] = {}
    attribution = tr.attribution
    base = tr.categories.shares.mean(0)  # [4, L]: the share of all neurons
    for a in ATTRIBUTIONS:
        top = attribution.top_shares[a]  # [4, L]
        for c, slug in enumerate(CATEGORY_SLUGS):
            out[attribution_key("top", a, name, slug, "pct")] = 100 * float(top[c].mean())
            out[attribution_key("mean", a, name, slug)] = float(attribution.mean_score[a][c])
        ratio = attribution.mean_score[a][sharing.ALL] / np.nanmean(
            np.delete(attribution.mean_score[a], sharing.ALL)
        )
        out[attribution_key("mean", a, name, "all_shared", "ratio")] = float(ratio)
        ranking = np.argsort(-np.nan_to_num(attribution.mean_score[a], nan=-np.inf))
        out[attribution_key("ranking", a, name)] = " > ".join(CATEGORIES[c] for c in ranking)
    same = (
        out[attribution_key("ranking", "contribution", name)]
        == out[attribution_key("ranking", "gradient", name)]
    )
    out[input_key("ranking_agree", name)] = prose.agreement_words(same)
    out[input_key("agreement", name)] = float(attribution.agreement.mean())
    out[input_key("agreement", name, "min")] = float(attribution.agreement.min())
    out[input_key("agreement", name, "max")] = float(attribution.agreement.max())
    out[category_key("base", name, "all_shared")] = 100 * float(base[sharing.ALL].mean())
    # the share among the neurons that fire on the prompt (in its language): about half of
    # all neurons do not fire at all, and attribution ranks firing neurons first
    n_shared = (tr.categories.codes == sharing.ALL).sum(-1)  # [items, L]
    firing = np.maximum(tr.categories.n_firing, 1)  # [items, languages, L]
    out[category_key("base_firing", name, "all_shared")] = 100 * float(
        (n_shared[:, None] / firing).mean()
    )
    return out


def _accuracy_summary(name: str, tr: TaskResults, accuracy: list[dict[str, Any]]) -> dict[str, Any]:
    """The task's accuracy, over languages and per language, against chance."""
    mean, per_lang = accuracy[-1], accuracy[:-1]
    worst = min(per_lang, key=lambda r: r["accuracy"])
    best = max(per_lang, key=lambda r: r["accuracy"])
    return {
        input_key("chance", name): tr.task.chance,
        input_key("n_task_items", name): tr.task.n_items,
        input_key("n_task_languages", name): len(tr.task.languages),
        input_key("n_choices", name): tr.task.n_choices,
        input_key("accuracy", name): mean["accuracy"],
        input_key("accuracy", name, "ci"): mean["accuracy_ci"],
        input_key("above_chance", name): sum(
            r["accuracy_ci"].above(tr.task.chance) for r in per_lang
        ),
        input_key("worst_language", name): data.LANGUAGE_NAMES.get(
            worst["language"], worst["language"]
        ),
        input_key("worst_accuracy", name): worst["accuracy"],
        input_key("best_language", name): data.LANGUAGE_NAMES.get(
            best["language"], best["language"]
        ),
        input_key("best_accuracy", name): best["accuracy"],
    }


# the intervention rows' columns the prose and the claims quote under flat keys (an interval's
# column ``x_ci`` as ``x_<task>_<condition>_ci``)
FLAT_COLUMNS = (
    "accuracy", "delta", "delta_ci", "changed", "margin",
    "random", "vs_random", "vs_random_ci", "verdict",
    "matched", "vs_matched", "vs_matched_ci", "verdict_matched",
    "own_minus_control", "own_minus_control_ci", "own_vs_control",
)  # fmt: skip


def _intervention_summary(name: str, interventions: list[dict[str, Any]]) -> dict[str, Any]:
    """Claims (ii) deactivation and (iii) boosting: every intervention row's numbers under
    flat names."""
    out: dict[str, Any] = {}
    for row in interventions:
        for column in (c for c in FLAT_COLUMNS if c in row):
            quantity = column.removesuffix("_ci")
            suffix = "ci" if column.endswith("_ci") else ""
            out[condition_key(quantity, name, row["condition"], suffix)] = row[column]
    return out


def _boost_summary(
    name: str, interventions: list[dict[str, Any]], summary: dict[str, Any]
) -> dict[str, Any]:
    """Claim (iii): the best boosting factor (by its change from none) and the factors that
    help (read from ``summary``'s flat keys, as the claim reads them)."""
    boosts = [r for r in interventions if r["condition"].startswith("boost")]
    if not boosts:
        return {}
    best = max(boosts, key=lambda r: r["delta"])
    return {
        input_key("best_boost", name): best["condition"].removeprefix("boost "),
        input_key("best_boost_delta", name): best["delta"],
        input_key("best_boost_delta", name, "ci"): best["delta_ci"],
        input_key("best_boost_verdict", name): best["verdict"],
        input_key("best_boost_margin", name): best["margin"],
        input_key("boost_helps", name): prose.boost_helps_words(helping_factors(summary, name)),
    }

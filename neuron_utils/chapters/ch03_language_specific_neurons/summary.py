"""Chapter 3's summary: every number the prose quotes, declared once (:data:`SUMMARY`), and
:func:`summarise`, which computes it from the :class:`~.analysis.Results`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ...core.neurons import edge_layers
from ...kit.summary import Declaration, Entry, Interval, Kind
from ...methods import bootstrap, steering
from .analysis import (
    N_BOOT,
    STEERING_METHODS,
    Losses,
    Results,
    comparison_replicates,
    other_site,
    related_change,
    steered,
    steering_name,
    sweep_shares,
)
from .prose import related_text

# a held-out share's column in the judged continuations -> its word in the summary keys
HELD_OUT_MEASURES = {"success": "success", "in target": "target", "fluent": "fluent"}
# the perplexity matrix's comparisons, each an interval over held-out sentences
PERPLEXITY_COMPARISONS = (
    "diag_minus_offdiag",
    "diag_beyond_twice",
    "related_ppl_change_min",
    "related_minus_baseline",
)


def ci_key(point: str) -> str:
    """The key of the 95 % interval of ``point`` (an estimate, or a comparison without one)."""
    return f"{point}_ci"


def held_out_key(measure: str, slug: str) -> str:
    """The held-out share ``measure`` (a value of :data:`HELD_OUT_MEASURES`) of the steering
    method ``slug`` (a value of :data:`~.analysis.STEERING_METHODS`): ``steer_success_swap``."""
    return f"steer_{measure}_{slug}"


def best_scale_key(slug: str) -> str:
    """The scale a steering method's sweep peaks at over every prompt (in-sample)."""
    return f"steer_best_scale_{slug}"


def half_scales_key(slug: str) -> str:
    """The scales a steering method chose on each half of the prompts, as text."""
    return f"steer_half_scales_{slug}"


SHARE = "share of continuations (0-1)"
HELD_OUT = "share of the continuations of held-out prompts (scale chosen on the other half)"
HELD_OUT_CI = f"{HELD_OUT}, 95 % bootstrap interval over prompts"
PPL_CHANGE = "% change of perplexity vs none"
PPL_CI = f"{PPL_CHANGE} (differences of it), 95 % bootstrap interval over held-out sentences"
MEAN_ACTIVATION = "x mean activation"
# the unit of each steering method's scale (by slug)
SCALE_UNITS = {
    "lape": MEAN_ACTIVATION,
    "swap": MEAN_ACTIVATION,
    "diffmean": "x the DiffMean vector (target minus source mean)",
}
SELECTED = "% of the selected neurons"
ACTIVE = "share of tokens on which a neuron is > 0, mean over languages, layers, neurons"
DIFFERENCE = "held-out success share, DiffMean minus LAPE neurons (paired over prompts)"


def _steering_entries() -> list[Entry]:
    """Each steering method's scales and held-out shares with their intervals."""
    entries = []
    for slug in STEERING_METHODS.values():
        entries += [
            Entry(best_scale_key(slug), Kind.NUMBER, SCALE_UNITS[slug]),
            Entry(half_scales_key(slug), Kind.TEXT, f"text ({SCALE_UNITS[slug]}, one per half)"),
        ]
        for measure in HELD_OUT_MEASURES.values():
            entries += [
                Entry(held_out_key(measure, slug), Kind.NUMBER, HELD_OUT),
                Entry(ci_key(held_out_key(measure, slug)), Kind.INTERVAL, HELD_OUT_CI),
            ]
    return entries


SUMMARY = Declaration(
    # the selection
    Entry("n_selected", Kind.COUNT, "neurons"),
    Entry("mean_p_gate", Kind.NUMBER, ACTIVE),
    Entry("mean_p_neurons", Kind.NUMBER, ACTIVE),
    Entry("site_overlap", Kind.NUMBER, "Jaccard overlap of the two sites' neuron sets"),
    Entry("other_site", Kind.TEXT, "text (a neuron site)"),
    *(
        Entry(key, Kind.NUMBER, SELECTED)
        for key in ("edge_share", "first_share", "last_share", "middle_share")
    ),
    Entry("edge_share_uniform", Kind.NUMBER, f"{SELECTED}, uniform placement"),
    Entry("end_share_uniform", Kind.NUMBER, f"{SELECTED}, uniform placement"),
    Entry("end_share_uniform_q975", Kind.NUMBER, f"{SELECTED}, 97.5th percentile of uniform"),
    Entry("max_entropy", Kind.NUMBER, "nats"),
    Entry("n_languages", Kind.COUNT, "languages"),
    Entry("per_language", Kind.CURVE, "neurons, per language"),
    Entry("per_layer", Kind.CURVE, "neurons, per language and layer"),
    Entry("selected_per_layer", Kind.CURVE, "neurons, per layer"),
    Entry("sensitivity", Kind.TABLE, "rows of neuron counts and Jaccard overlaps"),
    # shared neurons
    Entry("top_pair", Kind.TEXT, "text (a language pair)"),
    Entry("top_pair_count", Kind.COUNT, "neurons"),
    Entry("zh_ja", Kind.COUNT, "neurons (-1: a language of the pair is not measured)"),
    Entry("fr_es", Kind.COUNT, "neurons (-1: a language of the pair is not measured)"),
    Entry("related_shared_text", Kind.TEXT, "text (the related pairs' shared neurons)"),
    Entry("shared_offdiag_median", Kind.NUMBER, "neurons"),
    Entry("shared", Kind.CURVE, "neurons, language x language"),
    # the deactivation perplexity matrix
    *(
        Entry(key, Kind.NUMBER, PPL_CHANGE)
        for key in ("diag_mean", "offdiag_mean", "offdiag_median", "random_mean")
    ),
    Entry("related_ppl_change_min", Kind.NUMBER, PPL_CHANGE),
    Entry("diag_is_row_max", Kind.COUNT, "rows of the matrix"),
    *(Entry(ci_key(name), Kind.INTERVAL, PPL_CI) for name in PERPLEXITY_COMPARISONS),
    Entry("perplexity", Kind.CURVE, "perplexity of held-out sentences"),
    Entry("perplexity_change_pct", Kind.CURVE, PPL_CHANGE),
    Entry("related_text", Kind.TEXT, "text (a generated sentence)"),
    # steering
    *(Entry(key, Kind.NUMBER, SHARE) for key in ("steer_mean", "steer_min", "steer_max")),
    Entry("steer_scale", Kind.NUMBER, MEAN_ACTIVATION),
    Entry("diffmean_layer", Kind.COUNT, "layer index, from 0"),
    Entry("n_steered_outputs", Kind.COUNT, "continuations"),
    Entry("steer_unchanged_fluent", Kind.NUMBER, SHARE),
    Entry("steer_fluent_ratio", Kind.NUMBER, "x the held-out perplexity of the language"),
    Entry("steer_fluent_repetition", Kind.NUMBER, "share of repeated token 3-grams"),
    *_steering_entries(),
    Entry("steer_winner", Kind.TEXT, "text (a steering method, or neither)"),
    Entry("steer_difference", Kind.NUMBER, DIFFERENCE),
    Entry(ci_key("steer_difference"), Kind.INTERVAL, f"{DIFFERENCE}, 95 % bootstrap interval"),
    Entry("n_held_out_prompts", Kind.COUNT, "prompts"),
    Entry("steering_share", Kind.CURVE, SHARE),
    Entry("steering_prompts", Kind.CURVE, "text, per prompt"),
    Entry("steering_outputs", Kind.CURVE, "text, per condition and prompt"),
    Entry("steering_identified", Kind.CURVE, "language codes, per condition and prompt"),
    Entry("steering_sweep", Kind.TABLE, f"{SHARE}; median perplexity ratio and repetition"),
    Entry("diffmean_norm", Kind.CURVE, "L2 norm of the DiffMean vector (residual-stream units)"),
)


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 3 quotes (glued under these names) and the data behind its figures:
    one helper per section (the selection and its layers, shared neurons, the perplexity
    matrix, steering)."""
    out: dict[str, Any] = {}
    for part in (_selection_summary, _overlap_summary, _perplexity_summary, _steering_summary):
        out.update(part(results))
    return out


def _share(counts: np.ndarray, total: int) -> float:
    return float(100 * counts.sum() / max(total, 1))


def _selection_summary(results: Results) -> dict[str, Any]:
    """The LAPE selection: its size, both sites, and where its neurons lie by layer (against
    uniform placement)."""
    p = results.parameters
    selection = results.selection
    n_layers = results.n_layers
    per_layer = selection.selected.per_layer()
    total = int(per_layer.sum())
    edges = edge_layers(n_layers)
    return {
        "n_selected": len(selection.selected),
        "mean_p_gate": float(results.prob["gate"].mean()),
        "mean_p_neurons": float(results.prob["neurons"].mean()),
        "site_overlap": selection.selected.overlap(results.selections[other_site(p.SITE)].selected),
        "other_site": other_site(p.SITE),
        "edge_share": _share(per_layer[edges], total),
        "first_share": _share(per_layer[:3], total),
        "last_share": _share(per_layer[-3:], total),
        "middle_share": _share(per_layer[n_layers // 3 : 2 * n_layers // 3], total),
        "edge_share_uniform": 100 * len(edges) / n_layers,
        "end_share_uniform": 100 * 3 / n_layers,
        # what 3 layers of n_layers hold when the selected neurons fall on layers uniformly at
        # random: the 97.5th percentile of their binomial share (an end is denser only above)
        "end_share_uniform_q975": float(
            100 * scipy_stats.binom.ppf(0.975, max(total, 1), 3 / n_layers) / max(total, 1)
        ),
        "max_entropy": float(np.log(len(p.LANGUAGES))),
        "n_languages": len(p.LANGUAGES),
        "per_language": {lang: len(selection.by_language[lang]) for lang in p.LANGUAGES},
        "per_layer": {
            lang: selection.by_language[lang].per_layer().tolist() for lang in p.LANGUAGES
        },
        "selected_per_layer": per_layer.tolist(),
        "sensitivity": results.sensitivity,
    }


def _overlap_summary(results: Results) -> dict[str, Any]:
    """Neurons shared by pairs of languages: the largest pair, the related pairs, the median."""
    languages = results.parameters.LANGUAGES
    shared = results.shared()
    off = shared.astype(float).copy()
    np.fill_diagonal(off, -1)
    i, j = np.unravel_index(off.argmax(), off.shape)

    def pair_count(a: str, b: str) -> int:  # -1: a language of the pair is not in LANGUAGES
        return (
            int(shared[languages.index(a), languages.index(b)])
            if a in languages and b in languages
            else -1
        )

    return {
        "top_pair": f"{languages[i]}–{languages[j]}",
        "top_pair_count": int(off[i, j]),
        "zh_ja": pair_count("zh", "ja"),
        "fr_es": pair_count("fr", "es"),
        "related_shared_text": "; ".join(
            f"{a}–{b} share {pair_count(a, b)}"
            if pair_count(a, b) >= 0
            else f"{a}–{b} is not measured ({a} and {b} are not both among LANGUAGES)"
            for a, b in (("zh", "ja"), ("fr", "es"))
        ),
        "shared_offdiag_median": float(np.median(shared[~np.eye(len(languages), dtype=bool)])),
        "shared": {
            a: dict(zip(languages, row, strict=True))
            for a, row in zip(languages, shared.tolist(), strict=True)
        },
    }


def perplexity_intervals(losses: Losses, languages: list[str], seed: int) -> dict[str, Interval]:
    """The 95 % interval over held-out sentences of each of the perplexity matrix's comparisons
    (:func:`~.analysis.comparison_replicates`; replicates where the comparison is undefined left
    out, NaN ends where every one is), under :func:`ci_key` of its name."""
    replicates = comparison_replicates(losses, languages, N_BOOT, seed)
    return {ci_key(name): bootstrap.finite_ci(replicates[name]) for name in PERPLEXITY_COMPARISONS}


def _perplexity_summary(results: Results) -> dict[str, Any]:
    """The deactivation perplexity matrix: diagonal, off-diagonal, random set, related pairs,
    each comparison with its interval over held-out sentences."""
    p = results.parameters
    languages = p.LANGUAGES
    change = results.perplexity_change()
    square = change.loc[languages, languages].values  # rows: deactivated, columns: evaluated
    off_diagonal = square[~np.eye(len(languages), dtype=bool)]
    out: dict[str, Any] = {
        # deactivating one language of a related pair, the change of the other's perplexity
        # (the smallest of zh->ja, ja->zh, fr->es, es->fr; nan: no pair in LANGUAGES)
        "related_ppl_change_min": related_change(change, languages),
        "diag_mean": float(np.diag(square).mean()),
        "offdiag_mean": float(off_diagonal.mean()),
        "offdiag_median": float(np.median(off_diagonal)),
        "random_mean": float(change.loc["random"].mean()),
        "diag_is_row_max": int(sum(square[k].argmax() == k for k in range(len(languages)))),
        **perplexity_intervals(results.losses, languages, p.SEED),
        # evaluated language -> deactivated -> perplexity
        "perplexity": results.perplexity.to_dict(),
        "perplexity_change_pct": change.to_dict(),
    }
    out["related_text"] = related_text(
        out["related_ppl_change_min"],
        out[ci_key("related_ppl_change_min")],
        out[ci_key("related_minus_baseline")],
    )
    return out


def held_out_steering(judged: pd.DataFrame, seed: int = 0) -> dict[str, Any]:
    """Each method's scale chosen on half of the prompts and scored on the other half, both
    ways (:func:`~neuron_utils.methods.steering.held_out_choice`), so that no continuation is
    scored under a scale its own prompt chose.

    Per method: the scale chosen on all prompts (:func:`best_scale_key`, shown in the figures),
    the scales chosen on each half (:func:`half_scales_key`), and held-out shares of
    continuations that are in the target language, fluent, and both ("success";
    :func:`held_out_key`), each with a 95 % bootstrap interval over prompts. The winner: the
    method with the highest held-out success whose paired difference from every other method
    (per prompt, bootstrap over prompts) has an interval above 0; "neither" otherwise.
    """
    rows = steered(judged)
    choices = {
        method: steering.held_out_choice(rows[rows["method"] == method])
        for method in STEERING_METHODS
    }
    out: dict[str, Any] = {}
    for method, slug in STEERING_METHODS.items():
        choice = choices[method]
        out[best_scale_key(slug)] = choice.best_scale
        out[half_scales_key(slug)] = " and ".join(f"×{c:g}" for c in choice.half_scales)
        for column, measure in HELD_OUT_MEASURES.items():
            values = choice.shares[column].to_numpy(float)
            out[held_out_key(measure, slug)] = float(values.mean())
            out[ci_key(held_out_key(measure, slug))] = bootstrap.mean_ci(values, N_BOOT, seed)
    success = {
        method: choice.shares["success"].to_numpy(float) for method, choice in choices.items()
    }
    out["steer_winner"] = steering.winner(success, N_BOOT, seed) or "neither"
    difference = success["DiffMean"] - success["LAPE neurons"]
    out["steer_difference"] = float(difference.mean())
    out[ci_key("steer_difference")] = bootstrap.mean_ci(difference, N_BOOT, seed)
    out["n_held_out_prompts"] = int(rows["prompt"].nunique())
    return out


def _steering_summary(results: Results) -> dict[str, Any]:
    """Steering: the example scale's target shares, the sweep, and the methods on held-out
    prompts (scale chosen on the other half)."""
    p = results.parameters
    share = results.steering_share()
    steer_rates = [
        share.loc[steering_name(t), "share identified as target"] for t in p.STEER_TARGETS
    ]
    return {
        "steer_mean": float(np.mean(steer_rates)),
        "steer_scale": p.STEER_SCALE,
        "steer_min": float(np.min(steer_rates)),
        "steer_max": float(np.max(steer_rates)),
        "diffmean_layer": p.DIFFMEAN_LAYER,
        "n_steered_outputs": p.N_PROMPTS * len(p.STEER_TARGETS),
        "steer_unchanged_fluent": results.unchanged_fluent(),
        "steer_fluent_ratio": p.FLUENT_PERPLEXITY_RATIO,
        "steer_fluent_repetition": p.FLUENT_REPETITION,
        **held_out_steering(results.judged, p.SEED),
        "steering_share": share.to_dict(),  # column -> condition -> share
        "steering_prompts": results.prompts,
        "steering_outputs": results.outputs,
        "steering_identified": results.identified,
        "steering_sweep": sweep_shares(results.judged).reset_index().to_dict("records"),
        "diffmean_norm": {t: float(np.linalg.norm(v)) for t, v in results.directions.items()},
    }

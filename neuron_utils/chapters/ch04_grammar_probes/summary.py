"""Chapter 4's summary: every number the chapter quotes, declared once (:data:`SUMMARY`: its
name, kind and unit) and computed by :func:`summarise`, one step per section of the chapter."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ... import data
from ...kit.summary import Declaration, Entry, Interval, Kind
from ...methods import bootstrap, probes
from . import prose
from .analysis import Results, median_multiple_per_draw, multiple_needed, nanmean, random_mean

N_BOOT = 1000  # replicates of the bootstraps over paradigms

_ACCURACY = "test accuracy (share of sentences; chance 0.5)"
_ACCURACY_CI = "95 % bootstrap interval over paradigms, test accuracy"
_OF_DENSE = "% of the dense probe's test accuracy"
_MULTIPLE = (
    "multiple of n_top random dimensions, interpolated between tested multiples (inf: none "
    "tested matched)"
)
_RHO = "Spearman correlation of the L0 mask with Welch |t|"

SUMMARY = Declaration(
    # the data
    Entry("n_paradigms", Kind.COUNT, "paradigms"),
    Entry("n_pairs", Kind.COUNT, "minimal pairs"),
    Entry("d_model", Kind.COUNT, "dimensions (the residual stream's width)"),
    Entry("top_dim_pct", Kind.NUMBER, "% of the hidden dimensions (TOP_DIM_FRACTION)"),
    Entry("left_out", Kind.TEXT, "paradigm names left out for too few pairs, or none"),
    # Fig. 1: the L0 probes at GEN_LAMBDA against the dense probe
    Entry("gen_lambda", Kind.NUMBER, "L0 penalty λ"),
    Entry("kept_first_pct", Kind.NUMBER, "% of the hidden dimensions kept, first third of layers"),
    Entry("kept_middle_pct", Kind.NUMBER, "% of the hidden dimensions kept, middle third"),
    Entry("kept_last_pct", Kind.NUMBER, "% of the hidden dimensions kept, last third"),
    Entry("relative_middle_pct", Kind.NUMBER, f"{_OF_DENSE}, middle third of the layers"),
    Entry("dense_best", Kind.NUMBER, _ACCURACY),
    Entry("dense_best_layer", Kind.COUNT, "layer index, from 0"),
    Entry("dense_first", Kind.NUMBER, _ACCURACY),
    Entry("dense_last", Kind.NUMBER, _ACCURACY),
    Entry("middle_layers", Kind.TEXT, "layer indices from 0: first–last of the middle third"),
    # Fig. 2: the whole λ sweep
    Entry("sweep_lambda", Kind.NUMBER, "L0 penalty λ"),
    Entry("sweep_reaches_95", Kind.FLAG, "some λ's interval reaches 95 % of dense"),
    Entry("sweep_kept_middle_pct", Kind.NUMBER, "% of the hidden dimensions kept, middle third"),
    Entry("sweep_kept_last_pct", Kind.NUMBER, "% of the hidden dimensions kept, last third"),
    Entry("sweep_relative_middle_pct", Kind.NUMBER, f"{_OF_DENSE}, middle third of the layers"),
    Entry(
        "sweep_relative_middle_pct_ci", Kind.INTERVAL, f"95 % interval over paradigms, {_OF_DENSE}"
    ),
    Entry(
        "lambda_sweep",
        Kind.TABLE,
        "per λ < 1: kept % of dimensions by third; middle-third "
        "accuracy as % of dense with its 95 % interval over paradigms (low, high)",
    ),  # fmt: skip
    Entry("sweep_text", Kind.TEXT, "a sentence"),
    # Fig. 3: top-k probes by Welch |t|
    Entry("k_quarter", Kind.COUNT, "dimensions (a quarter of d_model)"),
    Entry("k_tenth", Kind.COUNT, "dimensions (a tenth of d_model)"),
    Entry("quarter_pct_of_dense", Kind.NUMBER, f"{_OF_DENSE}, median over layers"),
    Entry("tenth_pct_of_dense", Kind.NUMBER, f"{_OF_DENSE}, median over layers"),
    Entry("quarter_pct_of_dense_ci", Kind.INTERVAL, f"95 % interval over paradigms, {_OF_DENSE}"),
    Entry("tenth_pct_of_dense_ci", Kind.INTERVAL, f"95 % interval over paradigms, {_OF_DENSE}"),
    Entry("quarter_layers_95_pct", Kind.NUMBER, "% of the layers where it reaches 95 % of dense"),
    Entry("tenth_layers_95_pct", Kind.NUMBER, "% of the layers where it reaches 95 % of dense"),
    Entry("n_top", Kind.COUNT, "dimensions (the top TOP_DIM_FRACTION by |t|)"),
    Entry("top_acc_mean", Kind.NUMBER, f"{_ACCURACY}, mean over layers"),
    Entry("top_acc_mean_ci", Kind.INTERVAL, _ACCURACY_CI),
    Entry("top_pct_of_dense", Kind.NUMBER, f"{_OF_DENSE}, mean over layers"),
    Entry("k95_middle", Kind.COUNT, "dimensions (median over the middle third)"),
    Entry("k95_range", Kind.TEXT, "dimensions, smallest–largest over layers"),
    # Fig. 4: the mask against |t|
    Entry("rho_gen_mean", Kind.NUMBER, _RHO),
    Entry("rho_gen_mean_ci", Kind.INTERVAL, f"95 % bootstrap interval over paradigms, {_RHO}"),
    Entry("rho_ceiling", Kind.NUMBER, f"{_RHO}: the most a mask with the probes' ties reaches"),
    Entry("rho_range", Kind.TEXT, f"{_RHO}, lowest to highest over λ and layers"),
    Entry("rho_text", Kind.TEXT, "a sentence"),
    Entry("rho_ceiling_text", Kind.TEXT, "a sentence"),
    # Fig. 5: the top dimensions against random ones
    Entry("multiple_median", Kind.NUMBER, f"{_MULTIPLE}; median over layers"),
    Entry(
        "multiple_median_ci",
        Kind.INTERVAL,
        f"range over the draws of random dimensions, {_MULTIPLE}",
    ),
    Entry("multiple_middle", Kind.NUMBER, f"{_MULTIPLE}; median over the middle third"),
    Entry("multiple_median_text", Kind.TEXT, "multiple (> the largest tested: none matched)"),
    Entry("multiple_middle_text", Kind.TEXT, "multiple (> the largest tested: none matched)"),
    Entry("multiple_interval", Kind.TEXT, "multiples, lowest to highest over the draws"),
    Entry("multiple_range", Kind.TEXT, "multiples, lowest to highest over layers"),
    Entry("n_draws", Kind.COUNT, "draws of random dimensions"),
    # Fig. 6: transfer across paradigms at GEN_LAYER
    Entry("gen_layer", Kind.COUNT, "layer index, from 0"),
    Entry("gen_kept_pct", Kind.NUMBER, "% of the hidden dimensions kept"),
    Entry("gen_min", Kind.NUMBER, _ACCURACY),
    Entry("gen_max", Kind.NUMBER, _ACCURACY),
    Entry("gen_diag", Kind.NUMBER, f"{_ACCURACY}, on the training paradigm"),
    Entry("gen_off", Kind.NUMBER, f"{_ACCURACY}, off the diagonal"),
    Entry(
        "gen_off_ci",
        Kind.INTERVAL,
        "95 % bootstrap interval over the training paradigm, test accuracy off the diagonal",
    ),  # fmt: skip
    Entry("gen_diff_mean", Kind.NUMBER, "sparse minus dense test accuracy, off the diagonal"),
    Entry(
        "gen_diff_mean_ci",
        Kind.INTERVAL,
        "95 % bootstrap interval over the training "
        "paradigm, sparse minus dense test accuracy off the diagonal",
    ),  # fmt: skip
    Entry("gen_diff_range", Kind.TEXT, "sparse minus dense test accuracy, lowest to highest"),
    Entry("gen_off_above", Kind.NUMBER, "% of the off-diagonal cells (accuracy >= 0.75)"),
    Entry("gen_reversed", Kind.NUMBER, "% of the off-diagonal cells (accuracy < 0.4)"),
    Entry("gen_cross", Kind.NUMBER, f"{_ACCURACY}, between paradigms of different languages"),
    Entry("gen_cross_text", Kind.TEXT, "a clause"),
    Entry("gen_best_source", Kind.TEXT, "paradigm name"),
    Entry("gen_best_source_mean", Kind.NUMBER, f"{_ACCURACY}, on the other paradigms"),
    Entry("gen_high_pair", Kind.TEXT, "paradigm names: trained on → tested on"),
    Entry("gen_high", Kind.NUMBER, _ACCURACY),
    Entry("gen_low_pair", Kind.TEXT, "paradigm names: trained on → tested on"),
    Entry("gen_low", Kind.NUMBER, _ACCURACY),
    # the table and the figures' curves
    Entry(
        "per_paradigm",
        Kind.TABLE,
        "rows: paradigm, group, a good and a bad sentence, pairs, "
        "model accuracy (share of pairs whose good sentence is more probable)",
    ),  # fmt: skip
    Entry("paradigms", Kind.CURVE, "paradigm names (the axis of the matrices)"),
    Entry(
        "model_accuracy",
        Kind.CURVE,
        "per paradigm: share of pairs whose good sentence is more probable",
    ),  # fmt: skip
    Entry("lambdas", Kind.CURVE, "L0 penalty λ"),
    Entry("dense_accuracy_per_layer", Kind.CURVE, f"{_ACCURACY} [layer], mean over paradigms"),
    Entry("l0_kept_per_layer", Kind.CURVE, "fraction of the hidden dimensions {λ: [layer]}"),
    Entry("l0_accuracy_per_layer", Kind.CURVE, f"{_ACCURACY} {{λ: [layer]}}"),
    Entry("topk_sizes", Kind.CURVE, "dimensions"),
    Entry("topk_accuracy_per_layer", Kind.CURVE, f"{_ACCURACY} [layer][k in topk_sizes]"),
    Entry("spearman_per_layer", Kind.CURVE, f"{_RHO} {{λ: [layer]}}"),
    Entry("top_accuracy_per_layer", Kind.CURVE, f"{_ACCURACY} [layer]"),
    Entry("random_multiples", Kind.CURVE, "multiples of n_top (those tested)"),
    Entry(
        "random_accuracy_per_layer",
        Kind.CURVE,
        f"{_ACCURACY} [layer][multiple], mean over paradigms and draws",
    ),  # fmt: skip
    Entry("random_multiple_to_match", Kind.CURVE, f"{_MULTIPLE} [layer]"),
    Entry("generalisation_sparse", Kind.CURVE, f"{_ACCURACY} [trained on][tested on]"),
    Entry("generalisation_dense", Kind.CURVE, f"{_ACCURACY} [trained on][tested on]"),
)


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 4 quotes (glued under these names, declared in :data:`SUMMARY`)
    and its per-layer curves: the data, then one step per section of the chapter."""
    p, r = results.parameters, results.probes
    left_out = [name for name in p.requested_paradigms() if name not in r.paradigms]
    out: dict[str, Any] = {
        "n_paradigms": len(r.paradigms),
        "n_pairs": len(results.pairs),
        "d_model": results.d_model,
        "top_dim_pct": 100 * p.TOP_DIM_FRACTION,
        "left_out": ", ".join(left_out) if left_out else "none",
    }
    for part in (
        _l0_summary,
        _sweep_summary,
        _topk_summary,
        _mask_summary,
        _multiple_summary,
        _generalisation_summary,
        _curves,
    ):
        out.update(part(results))
    return out


def lambda_sweep(results: Results) -> pd.DataFrame:
    """Per lambda below 1: the dimensions the L0 probes keep in the first, middle and last
    thirds of the layers (% of the width), and their accuracy in the middle third as % of the
    dense probe's, with its 95 % interval over paradigms (a bootstrap of the paradigms)."""
    p, r = results.parameters, results.probes
    first, middle, last = results.thirds
    dense = bootstrap.mean_replicates(r.dense_accuracy, N_BOOT, p.SEED)  # [B, L]
    rows = []
    for k, lam in enumerate(p.LAMBDAS):
        if lam >= 1.0:
            continue
        kept = r.l0_kept[:, :, k].mean(0)
        relative = r.l0_accuracy[:, :, k].mean(0) / r.dense_accuracy.mean(0)
        replicates = bootstrap.mean_replicates(r.l0_accuracy[:, :, k], N_BOOT, p.SEED) / dense
        ci = bootstrap.finite_ci(100 * replicates[:, middle].mean(1))
        rows.append(
            {
                "lambda": lam,
                "kept first %": 100 * kept[first].mean(),
                "kept middle %": 100 * kept[middle].mean(),
                "kept last %": 100 * kept[last].mean(),
                "middle, % of dense": 100 * relative[middle].mean(),
                "low": ci.low,
                "high": ci.high,
            }
        )
    return pd.DataFrame(rows).set_index("lambda")


def _l0_summary(results: Results) -> dict[str, Any]:
    """Fig. 1: the L0 probes at GEN_LAMBDA against the dense probe, by thirds of the layers."""
    p, r = results.parameters, results.probes
    L = results.n_layers
    first, middle, last = results.thirds
    g = results.lambda_index(p.GEN_LAMBDA)
    dense_per_layer = r.dense_accuracy.mean(0)
    kept_at_gen = r.l0_kept[:, :, g].mean(0)
    relative = r.l0_accuracy[:, :, g].mean(0) / dense_per_layer
    return {
        "gen_lambda": p.GEN_LAMBDA,
        "kept_middle_pct": float(100 * kept_at_gen[middle].mean()),
        "kept_first_pct": float(100 * kept_at_gen[first].mean()),
        "kept_last_pct": float(100 * kept_at_gen[last].mean()),
        "relative_middle_pct": float(100 * relative[middle].mean()),
        "dense_best": float(dense_per_layer.max()),
        "dense_best_layer": int(dense_per_layer.argmax()),
        "dense_first": float(dense_per_layer[0]),
        "dense_last": float(dense_per_layer[-1]),
        "middle_layers": f"{L // 3}–{2 * L // 3 - 1}",
    }


def _sweep_summary(results: Results) -> dict[str, Any]:
    """Fig. 2: the whole lambda sweep (the paper reads the lambda that gives its numbers): the
    fewest dimensions whose middle-layer accuracy interval reaches 95 % of dense, or the λ that
    comes closest where none does."""
    sweep = lambda_sweep(results)
    reaching = sweep[sweep["high"] >= 95]
    chosen = (
        reaching["kept middle %"].idxmin()
        if len(reaching)
        else sweep["middle, % of dense"].idxmax()
    )
    row = sweep.loc[chosen]
    ci = Interval(row["low"], row["high"])
    return {
        "sweep_lambda": float(chosen),
        "sweep_reaches_95": bool(len(reaching)),
        "sweep_kept_middle_pct": float(row["kept middle %"]),
        "sweep_kept_last_pct": float(row["kept last %"]),
        "sweep_relative_middle_pct": float(row["middle, % of dense"]),
        "sweep_relative_middle_pct_ci": ci,
        "lambda_sweep": sweep.reset_index().to_dict("records"),
        "sweep_text": prose.sweep_text(
            float(chosen), row["kept middle %"], row["middle, % of dense"], ci, bool(len(reaching))
        ),
    }


def _topk_summary(results: Results) -> dict[str, Any]:
    """Fig. 3: top-k probes by Welch |t| (a quarter, a tenth of the width) and the top set."""
    p, r = results.parameters, results.probes
    d = results.d_model
    middle = results.thirds[1]
    out: dict[str, Any] = {}
    topk_mean = r.topk_accuracy.mean(0)  # [L, K]
    reaches = topk_mean >= 0.95 * topk_mean[:, -1:]
    k_95 = np.array(r.topk_sizes)[reaches.argmax(1)]
    topk_replicates = bootstrap.mean_replicates(r.topk_accuracy, N_BOOT, p.SEED)  # [B, L, K]
    for name, k in (("quarter", round(d / 4)), ("tenth", round(d / 10))):
        j = r.topk_sizes.index(k)
        relative = 100 * topk_mean[:, j] / topk_mean[:, -1]
        out.update(
            {
                f"k_{name}": k,
                f"{name}_pct_of_dense": float(np.median(relative)),
                f"{name}_pct_of_dense_ci": bootstrap.finite_ci(
                    np.median(100 * topk_replicates[:, :, j] / topk_replicates[:, :, -1], axis=1)
                ),
                f"{name}_layers_95_pct": float(100 * (relative >= 95).mean()),
            }
        )
    top_replicates = bootstrap.mean_replicates(r.top_accuracy, N_BOOT, p.SEED)  # [B, L]
    return out | {
        "n_top": r.n_top,
        "top_acc_mean": float(r.top_accuracy.mean()),
        "top_acc_mean_ci": bootstrap.finite_ci(top_replicates.mean(1)),
        "top_pct_of_dense": float(100 * (r.top_accuracy.mean(0) / r.dense_accuracy.mean(0)).mean()),
        "k95_middle": int(np.median(k_95[middle])),
        "k95_range": f"{k_95.min()}–{k_95.max()}",
    }


def _mask_summary(results: Results) -> dict[str, Any]:
    """Fig. 4: rank correlation of the learned mask with |t|, against its ceiling: a mask that
    keeps exactly the top-|t| dimensions (1 there, 0 elsewhere), as many as the probes keep."""
    p, r = results.parameters, results.probes
    d = results.d_model
    g = results.lambda_index(p.GEN_LAMBDA)
    rho_gen = nanmean(r.mask_t_spearman[:, :, g], 0)
    n_kept = int(round(r.l0_kept[:, :, g].mean() * d))
    rho = nanmean(r.mask_t_spearman, 0)  # [L, Λ]
    rho_replicates = bootstrap.mean_replicates(r.mask_t_spearman[:, :, g], N_BOOT, p.SEED)
    ceiling = float(
        probes.spearman(np.r_[np.ones(n_kept), np.zeros(d - n_kept)], np.arange(d, 0, -1))
    )
    out = {
        "rho_gen_mean": float(nanmean(rho_gen)),
        "rho_gen_mean_ci": bootstrap.finite_ci(nanmean(rho_replicates, 1)),
        "rho_ceiling": ceiling,
        "rho_range": f"{np.nanmin(rho):.2f} to {np.nanmax(rho):.2f}"
        if np.isfinite(rho).any()
        else "not defined",
        "rho_ceiling_text": prose.rho_ceiling_text(ceiling, n_kept),
    }
    out["rho_text"] = prose.rho_text(out["rho_gen_mean"], out["rho_gen_mean_ci"], out["rho_range"])
    return out


def _multiple_summary(results: Results) -> dict[str, Any]:
    """Fig. 5: how many random dimensions match the top ones: interpolated per layer; the
    interval is the range of the median over layers across the draws of random dimensions."""
    r = results.probes
    middle = results.thirds[1]
    multiple = multiple_needed(r)
    per_draw = median_multiple_per_draw(r)
    largest = max(r.multiples)
    ci = Interval(per_draw.min(), per_draw.max())
    return {
        "multiple_median": float(np.median(multiple)),
        "multiple_median_ci": ci,
        "multiple_interval": prose.multiple_span(ci.low, ci.high, largest),
        "multiple_median_text": prose.multiple_text(float(np.median(multiple)), largest),
        "multiple_range": prose.multiple_span(multiple.min(), multiple.max(), largest),
        "multiple_middle": float(np.median(multiple[middle])),
        "multiple_middle_text": prose.multiple_text(float(np.median(multiple[middle])), largest),
        "n_draws": int(r.random_accuracy.shape[-1]),
    }


def _generalisation_summary(results: Results) -> dict[str, Any]:
    """Fig. 6: sparse probes trained on one paradigm, tested on another; intervals over the
    paradigm a probe was trained on (rows resampled)."""
    p, r = results.parameters, results.probes
    g = results.lambda_index(p.GEN_LAMBDA)
    names = r.paradigms
    sparse, dense = r.generalisation[g], r.generalisation[results.lambda_index(1.0)]
    off = ~np.eye(len(names), dtype=bool)
    language = np.array(data.languages_of(names, p.PAIR_SOURCES, p.PAIR_COLUMNS))
    known = language != ""  # an own table without a language column: not known
    cross = (language[:, None] != language[None, :]) & known[:, None] & known[None, :]
    row_means = np.where(off, sparse, np.nan)
    diff_rows = nanmean(np.where(off, sparse - dense, np.nan), 1)
    best = int(np.nanargmax(np.nanmean(row_means, 1)))
    high = np.unravel_index(np.nanargmax(row_means), sparse.shape)
    low = np.unravel_index(np.nanargmin(row_means), sparse.shape)
    return {
        "gen_layer": p.GEN_LAYER,
        "gen_kept_pct": float(100 * r.l0_kept[:, p.GEN_LAYER, g].mean()),
        "gen_min": float(sparse.min()),
        "gen_max": float(sparse.max()),
        "gen_diag": float(np.diag(sparse).mean()),
        "gen_off": float(sparse[off].mean()),
        "gen_off_ci": bootstrap.mean_ci(nanmean(row_means, 1), N_BOOT, p.SEED),
        "gen_diff_mean_ci": bootstrap.mean_ci(diff_rows, N_BOOT, p.SEED),
        "gen_off_above": float(100 * (sparse[off] >= 0.75).mean()),
        "gen_reversed": float(100 * (sparse[off] < 0.4).mean()),
        "gen_cross": float(sparse[cross].mean()) if cross.any() else float("nan"),
        "gen_cross_text": prose.cross_text(sparse, cross, language),
        "gen_diff_mean": float((sparse - dense)[off].mean()),
        "gen_diff_range": f"{(sparse - dense).min():+.2f} to {(sparse - dense).max():+.2f}",
        "gen_best_source": names[best],
        "gen_best_source_mean": float(np.nanmean(row_means[best])),
        "gen_high_pair": f"{names[high[0]]} → {names[high[1]]}",
        "gen_high": float(sparse[high]),
        "gen_low_pair": f"{names[low[0]]} → {names[low[1]]}",
        "gen_low": float(sparse[low]),
    }


def _curves(results: Results) -> dict[str, Any]:
    """The per-paradigm table and the per-layer curves the figures draw."""
    p, r = results.parameters, results.probes
    g = results.lambda_index(p.GEN_LAMBDA)
    pairs, names = results.pairs, r.paradigms
    sparse, dense = r.generalisation[g], r.generalisation[results.lambda_index(1.0)]
    accuracy = {name: float((results.preference[pairs.rows(name)] > 0).mean()) for name in names}
    lambdas = list(p.LAMBDAS)
    per_lambda = lambda values: {str(lam): values(k) for k, lam in enumerate(lambdas)}  # noqa: E731
    return {
        "per_paradigm": [
            {
                "paradigm": name,
                "group": pairs.group_of(name),
                "good": pairs.good[pairs.rows(name)[0]],
                "bad": pairs.bad[pairs.rows(name)[0]],
                "pairs": len(pairs.rows(name)),
                "model accuracy": accuracy[name],
            }
            for name in names
        ],
        "paradigms": list(names),
        "model_accuracy": accuracy,
        "dense_accuracy_per_layer": r.dense_accuracy.mean(0).tolist(),
        "lambdas": lambdas,
        "l0_kept_per_layer": per_lambda(lambda k: r.l0_kept[:, :, k].mean(0).tolist()),
        "l0_accuracy_per_layer": per_lambda(lambda k: r.l0_accuracy[:, :, k].mean(0).tolist()),
        "topk_sizes": list(r.topk_sizes),
        "topk_accuracy_per_layer": r.topk_accuracy.mean(0).tolist(),
        "spearman_per_layer": per_lambda(lambda k: nanmean(r.mask_t_spearman[:, :, k], 0).tolist()),
        "top_accuracy_per_layer": r.top_accuracy.mean(0).tolist(),
        "random_multiples": list(r.multiples),
        "random_accuracy_per_layer": random_mean(r).tolist(),
        "random_multiple_to_match": [float(v) for v in multiple_needed(r)],
        "generalisation_sparse": sparse.tolist(),
        "generalisation_dense": dense.tolist(),
    }

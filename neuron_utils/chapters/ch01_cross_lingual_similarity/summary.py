"""Chapter 1's summary: every number the chapter quotes, declared once with its kind and unit
(:data:`SUMMARY`), and :func:`summarise`, one step per section of the chapter. Its per-design
keys are named by the functions of :mod:`.keys`, which the claims and the prose read them by."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.neurons import edge_layers
from ...kit.summary import Declaration, Entry, Interval, Kind
from ...methods import bootstrap
from .analysis import Results
from .keys import cv_key, gap_key, l1_tokens_key
from .parameters import DESIGNS, FEATURE_NAMES, FEATURE_SETS, Parameters
from .prose import corpus_reading, mean_text, not_run_text, range_text

# --------------------------------------------------------------------------- the declaration

RAW_GAP = "raw cosine similarity, parallel minus non-parallel pairs"
CENTRED_GAP = "centred cosine similarity, parallel minus non-parallel pairs"
SUBLAYER_GAP = "centred cosine similarity, the MLP output's gap minus the attention output's"
# design_diff_max (disjoint), cross_diff_max (cross-corpus): the largest over (L2, layer) points
DESIGN_DIFFERENCE = "centred cosine similarity, |a design's gap minus the derangement design's|"
LAYER = "layer index, from 0"
RETRIEVAL = "top-1 retrieval accuracy (share of L1 sentences), mean over L2s"
CV = (
    "accuracy (share of pairs) over L2s and layers, folds grouped by sentence "
    "(concat_ungrouped: stratified folds over pairs; length: the token-count probe, over L2s)"
)
POINTS_ABOVE_ZERO = "% of (L2, layer) points whose 95 % interval over L1 sentences lies above 0"

SUMMARY = Declaration(
    # the derangement design: gaps, retrieval and the sublayers' gaps
    Entry("raw_nonparallel_mean", Kind.NUMBER, "raw cosine similarity of non-parallel pairs"),
    Entry("raw_gap_min", Kind.NUMBER, RAW_GAP),
    Entry("raw_gap_max", Kind.NUMBER, RAW_GAP),
    Entry("centred_gap_min", Kind.NUMBER, CENTRED_GAP),
    Entry("centred_gap_max", Kind.NUMBER, CENTRED_GAP),
    Entry("centred_gap_peak_layer", Kind.COUNT, LAYER),
    Entry("share_layers_positive", Kind.NUMBER, "% of (L2, layer) points, centred gap above 0"),
    Entry("design_diff_max", Kind.NUMBER, DESIGN_DIFFERENCE),
    Entry("cv_chance", Kind.NUMBER, "accuracy (share of pairs)"),
    Entry("retrieval_first", Kind.NUMBER, RETRIEVAL),
    Entry("retrieval_best", Kind.NUMBER, RETRIEVAL),
    Entry("retrieval_best_layer", Kind.COUNT, LAYER),
    Entry("retrieval_last", Kind.NUMBER, RETRIEVAL),
    Entry("retrieval_chance", Kind.NUMBER, RETRIEVAL),
    Entry("mlp_minus_attn_edges", Kind.NUMBER, SUBLAYER_GAP + ", first and last three layers"),
    Entry("mlp_minus_attn_all", Kind.NUMBER, SUBLAYER_GAP + ", all layers"),
    # 95 % bootstrap intervals over L1 sentences
    Entry("raw_gap_low_min", Kind.NUMBER, RAW_GAP + ": the lowest interval end of any point"),
    Entry("share_points_raw_above_zero", Kind.NUMBER, POINTS_ABOVE_ZERO),
    Entry("share_points_centred_above_zero", Kind.NUMBER, POINTS_ABOVE_ZERO),
    Entry("mlp_minus_attn_edges_ci", Kind.INTERVAL, SUBLAYER_GAP + ", first and last three layers"),
    Entry("edges_minus_all_ci", Kind.INTERVAL, SUBLAYER_GAP + ", the edge layers' minus all's"),
    # the designs: probes (cv_key), gaps (gap_key), token counts (l1_tokens_key)
    Entry("designs", Kind.TABLE, "rows per design (their columns say their units)"),
    Entry("cv_*_min", Kind.NUMBER, CV),
    Entry("cv_*_max", Kind.NUMBER, CV),
    Entry("cv_*_mean", Kind.NUMBER, CV),
    Entry("cv_*_range", Kind.TEXT, "an accuracy range as the prose shows it, or why not run"),
    Entry("cv_*_mean_text", Kind.TEXT, "a mean accuracy as the prose shows it, or why not run"),
    Entry("centred_gap_*_mean", Kind.NUMBER, CENTRED_GAP + ", mean over L2s and layers"),
    Entry("raw_gap_*_max", Kind.NUMBER, RAW_GAP + ", over L2s and layers"),
    Entry("l1_tokens_*", Kind.NUMBER, "tokens per L1 sentence (no BOS), mean over pairs and L2s"),
    # the cross-corpus design against the derangement one
    Entry("cross_diff_max", Kind.NUMBER, DESIGN_DIFFERENCE),
    Entry("cross_corpus_l1_minus_concat", Kind.NUMBER, "difference of accuracies"),
    Entry("cross_corpus_reading", Kind.TEXT, "a sentence: what the L1-side probe says"),
    Entry("other_corpus", Kind.TEXT, "the other corpus's name"),
    # the per-L2 table and the curves the figures draw
    Entry("per_l2", Kind.TABLE, "rows per L2 (their columns say their units)"),
    Entry("centred_gap_per_layer", Kind.CURVE, CENTRED_GAP + ", per layer for each L2"),
    Entry("raw_gap_per_layer", Kind.CURVE, RAW_GAP + ", per layer for each L2"),
    Entry("cv_per_layer", Kind.CURVE, "accuracy per layer for each 'L2 design feature set'"),
    Entry("retrieval_per_layer", Kind.CURVE, "top-1 retrieval accuracy per layer for each L2"),
)


# --------------------------------------------------------------------------- summarise

# the statistics recorded of each probe (cv_key): the concat aside has no mean text, the
# token-count probe neither a mean nor a mean text (the prose quotes none of them)
PROBE_STATISTICS = ("min", "max", "mean", "range", "mean_text")
UNGROUPED_STATISTICS = ("min", "max", "mean", "range")
LENGTH_STATISTICS = ("min", "max", "range")


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 1 quotes (glued under these names) and its per-layer curves: one
    step per section of the chapter, each given what the ones before it recorded."""
    out: dict[str, Any] = {}
    for part in (_gap_summary, _interval_summary, _design_summary, _cross_corpus_summary, _curves):
        out.update(part(results, out))
    return out


def _gaps(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """The derangement design's raw and centred residual-stream gaps: ``[L2, L]`` each."""
    l2s = results.parameters.L2_LANGUAGES
    return tuple(
        np.array([results[(l2, "derangement")].gap("residual", kind) for l2 in l2s])
        for kind in ("raw", "centred")
    )


def _cv(results: Results) -> dict[tuple[str, str, str], np.ndarray]:
    """(L2, design, feature set) -> grouped CV accuracy per layer ``[L]`` (mean over folds)."""
    p = results.parameters
    return {
        (l2, d, f): results[(l2, d)].cv[f].mean(1)
        for l2 in p.L2_LANGUAGES
        for d in DESIGNS
        for f in p.FEATURES
    }


def _gap_summary(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """Figs. 1-2: the gaps, retrieval and the sublayers' gaps (derangement design)."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    main = {l2: results[(l2, "derangement")] for l2 in l2s}
    raw_gap, centred_gap = _gaps(results)
    design_diff = np.array(
        [
            results[(l2, "disjoint")].gap("residual", "centred") - centred_gap[k]
            for k, l2 in enumerate(l2s)
        ]
    )
    retrieval = np.array([main[l2].retrieval for l2 in l2s])
    sub_gap = {
        site: np.array([main[l2].gap(site, "centred") for l2 in l2s]).mean(0)
        for site in ("attn", "mlp")
    }
    edges = edge_layers(raw_gap.shape[1])
    return {
        "raw_nonparallel_mean": float(
            np.mean([main[l2].cosine[("residual", "raw")]["non-parallel"].mean() for l2 in l2s])
        ),
        "raw_gap_min": float(raw_gap.min()),
        "raw_gap_max": float(raw_gap.max()),
        "centred_gap_min": float(centred_gap.min()),
        "centred_gap_max": float(centred_gap.max()),
        "centred_gap_peak_layer": int(centred_gap.mean(0).argmax()),
        "share_layers_positive": float((centred_gap > 0).mean() * 100),
        "design_diff_max": float(np.abs(design_diff).max()),
        "cv_chance": 0.5,
        "retrieval_first": float(retrieval[:, 0].mean()),
        "retrieval_best": float(retrieval.mean(0).max()),
        "retrieval_best_layer": int(retrieval.mean(0).argmax()),
        "retrieval_last": float(retrieval[:, -1].mean()),
        "retrieval_chance": 1 / p.N_PAIRS,
        "mlp_minus_attn_edges": float((sub_gap["mlp"] - sub_gap["attn"])[edges].mean()),
        "mlp_minus_attn_all": float((sub_gap["mlp"] - sub_gap["attn"]).mean()),
    }


def _interval_summary(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """95 % intervals over L1 sentences: each (L2, layer) point's gap, and the MLP-minus-
    attention differences (replicates averaged over the L2s draw by draw)."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    main = {l2: results[(l2, "derangement")] for l2 in l2s}
    edges = edge_layers(main[l2s[0]].gap().shape[0])
    low = {
        kind: np.array(
            [bootstrap.interval(main[l2].gap_replicates("residual", kind, p.SEED).T)[0] for l2 in l2s]
        )
        for kind in ("raw", "centred")
    }  # fmt: skip
    sub = np.mean(
        [main[l2].gap_replicates("mlp", "centred", p.SEED)
         - main[l2].gap_replicates("attn", "centred", p.SEED) for l2 in l2s],
        axis=0,
    )  # [B, L]  # fmt: skip
    return {
        "raw_gap_low_min": float(low["raw"].min()),
        "share_points_raw_above_zero": float((low["raw"] > 0).mean() * 100),
        "share_points_centred_above_zero": float((low["centred"] > 0).mean() * 100),
        "mlp_minus_attn_edges_ci": Interval.of(bootstrap.interval(sub[:, edges].mean(1))),
        "edges_minus_all_ci": Interval.of(bootstrap.interval(sub[:, edges].mean(1) - sub.mean(1))),
    }


def _design_summary(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """The designs table and its numbers, per design: CV accuracy by feature set (and the
    ungrouped aside), the token-count probe, the gaps and the L1 side's token counts."""
    out: dict[str, Any] = {"designs": []}
    for design in DESIGNS:
        measured = {**_probe_summary(results, design), **_design_measures(results, design)}
        out.update(measured)
        out["designs"].append(_design_row(results.parameters, design, measured))
    return out


def _probe_summary(results: Results, design: str) -> dict[str, Any]:
    """Accuracy over L2s and layers of each feature set's grouped probe (a feature set that did
    not run gives NaN and says so: the prose names all three), of the concat probe on
    stratified folds over pairs (the aside: sentences shared) and of the token-count probe."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    cv = _cv(results)
    out: dict[str, Any] = {}
    for feature in FEATURE_SETS:
        ran = feature in p.FEATURES
        accuracy = np.array([cv[(l2, design, feature)] for l2 in l2s]) if ran else None
        out |= _accuracy_statistics(
            feature, design, accuracy, PROBE_STATISTICS, not_run_text(feature)
        )
    ran = "concat" in p.FEATURES
    ungrouped = (
        np.array([results[(l2, design)].cv_ungrouped["concat"].mean(1) for l2 in l2s])
        if ran
        else None
    )
    out |= _accuracy_statistics(
        "concat_ungrouped", design, ungrouped, UNGROUPED_STATISTICS, not_run_text("concat")
    )
    length = np.array([results[(l2, design)].length_cv.mean() for l2 in l2s])
    return out | _accuracy_statistics("length", design, length, LENGTH_STATISTICS)


def _accuracy_statistics(
    probe: str,
    design: str,
    accuracy: np.ndarray | None,
    statistics: tuple[str, ...],
    not_run: str = "",
) -> dict[str, Any]:
    """``statistics`` of a probe's accuracies under their keys (:func:`cv_key`); ``accuracy``
    None: the probe did not run (its numbers NaN, its texts ``not_run``)."""
    if accuracy is None:
        nan = float("nan")
        values = {"min": nan, "max": nan, "mean": nan, "range": not_run, "mean_text": not_run}
    else:
        low, high, mean = float(accuracy.min()), float(accuracy.max()), float(accuracy.mean())
        values = {"min": low, "max": high, "mean": mean}
        values |= {"range": range_text(low, high), "mean_text": mean_text(mean)}
    return {cv_key(probe, design, statistic): values[statistic] for statistic in statistics}


def _design_measures(results: Results, design: str) -> dict[str, Any]:
    """The residual-stream gaps over L2s and layers, and the L1 side's mean token count of
    each class, in ``design``."""
    l2s = results.parameters.L2_LANGUAGES
    gaps = {
        kind: np.array([results[(l2, design)].gap("residual", kind) for l2 in l2s])
        for kind in ("raw", "centred")
    }
    out = {
        gap_key("centred", design, "mean"): float(gaps["centred"].mean()),
        gap_key("raw", design, "max"): float(gaps["raw"].max()),
    }
    for label in ("parallel", "non-parallel"):
        counts = np.concatenate([results[(l2, design)].l1_tokens[label] for l2 in l2s])
        out[l1_tokens_key(label, design)] = float(counts.mean())
    return out


def _design_row(p: Parameters, design: str, measured: dict[str, Any]) -> dict[str, Any]:
    """The designs table's row of ``design`` (the probes' accuracy ranges as the prose shows
    them), from what :func:`_design_summary` measured."""
    return {  # short column names: nine columns fit the page
        "design": design,
        "pairs": p.design_sizes[design],
        f"{p.L1} tokens (par.)": measured[l1_tokens_key("parallel", design)],
        f"{p.L1} tokens (non-par.)": measured[l1_tokens_key("non-parallel", design)],
        **{FEATURE_NAMES[f]: measured[cv_key(f, design, "range")] for f in p.FEATURES},
        "token count": measured[cv_key("length", design, "range")],
        "centred gap": measured[gap_key("centred", design, "mean")],
    }


def _cross_corpus_summary(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """The cross-corpus design against the derangement one, and what its L1-only probe says."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    _, centred_gap = _gaps(results)
    out: dict[str, Any] = {}
    cross = np.array(
        [
            results[(l2, "cross-corpus")].gap("residual", "centred") - centred_gap[k]
            for k, l2 in enumerate(l2s)
        ]
    )
    out["cross_diff_max"] = float(np.abs(cross).max())
    if {"concat", "l1_only"} <= set(p.FEATURES):
        l1_only = done[cv_key("l1_only", "cross-corpus", "mean")]
        diff = l1_only - done[cv_key("concat", "cross-corpus", "mean")]
        out["cross_corpus_l1_minus_concat"] = diff
        out["cross_corpus_reading"] = corpus_reading(l1_only, diff)
    else:
        out["cross_corpus_l1_minus_concat"] = float("nan")
        out["cross_corpus_reading"] = "not measured (FEATURES lacks concat or l1_only)"
    out["other_corpus"] = p.OTHER_CORPUS
    return out


def _curves(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """The per-L2 table and the per-layer curves the figures draw."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    raw_gap, centred_gap = _gaps(results)
    retrieval = np.array([results[(l2, "derangement")].retrieval for l2 in l2s])
    cv = _cv(results)
    out: dict[str, Any] = {}
    out["per_l2"] = [
        {
            "L2": l2,
            "raw gap (max)": float(raw_gap[k].max()),
            "centred gap (max)": float(centred_gap[k].max()),
            "centred gap peak layer": int(centred_gap[k].argmax()),
            # the two same-corpus designs; the design table has the rest
            **{
                f"CV {f}, {d} (mean over layers)": float(cv[(l2, d, f)].mean())
                for f in p.FEATURES
                if f != "l1_only"
                for d in ("derangement", "disjoint")
            },
            "retrieval (best)": float(retrieval[k].max()),
            "retrieval best layer": int(retrieval[k].argmax()),
        }
        for k, l2 in enumerate(l2s)
    ]
    out["centred_gap_per_layer"] = dict(zip(l2s, centred_gap.tolist(), strict=True))
    out["raw_gap_per_layer"] = dict(zip(l2s, raw_gap.tolist(), strict=True))
    out["cv_per_layer"] = {f"{l2} {d} {f}": v.tolist() for (l2, d, f), v in cv.items()}
    out["retrieval_per_layer"] = dict(zip(l2s, retrieval.tolist(), strict=True))
    return out

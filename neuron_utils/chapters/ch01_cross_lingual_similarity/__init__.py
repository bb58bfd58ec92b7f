"""Chapter 1: cross-lingual similarity of sentence representations, layer by layer.

For each L2 and each non-parallel design (derangement, disjoint, cross-corpus),
:func:`~neuron_utils.methods.pair_similarity.analyse_pairs` computes the raw and centred cosine
of parallel vs non-parallel pairs at several sites, logistic-regression CV accuracy on three
feature sets (concat, interaction, the L1 side alone) and translation retrieval accuracy;
:func:`length_cv` is the same probe on the L1 sentences' token counts alone. Cross-validation is
grouped by sentence (:meth:`~neuron_utils.data.parallel.PairSet.regrouped`): no sentence, nor
its translation, is in a training and a test fold; the ungrouped (stratified) concat probe is
kept as an aside, because in the derangement design it scores far below chance by memorising
sentences. :func:`analyse` runs it all for the chapter's parameters, :func:`summarise` gives
every number the chapter quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ... import data
from ...kit import plotting
from ...kit.spec import ChapterSpec
from ...kit.parameters import (
    check_choice,
    check_int,
    check_subset,
    glue_name,
    PairParameters,
    PAIR_GOLDEN,
)
from ...core.activations import POOLINGS, activations_by_text
from ...core.batches import token_counts
from ...core.neurons import edge_layers
from ...core.models import LoadedModel
from ...data import PairSet
from ...methods import bootstrap
from ...methods.pair_similarity import SITES, PairAnalysis, analyse_pairs
from ...methods.similarity import FEATURES, cv_accuracy

# non-parallel designs: a derangement of the same sentences; a disjoint pool; another corpus
DESIGNS = data.DESIGNS
FEATURE_NAMES = {"concat": "concat", "interaction": "interaction", "l1_only": "L1 side only"}


@dataclass(frozen=True)
class Parameters(PairParameters):
    """Chapter 1's parameters (defaults: the ``quick`` profile): the pairs, then the measures."""

    POOLING: str = "last"  # last | mean | eos
    FEATURES: list[str] = field(default_factory=lambda: ["concat", "interaction", "l1_only"])
    # 5 on quick: three designs x three feature sets are 27 grouped probes of 18 layers each,
    # and three ungrouped concat ones (about 3 s per probe at 5 folds, 8 s at 10, on two cores);
    # the paper profile uses the paper's 10
    CV_FOLDS: int = 5

    CHAPTER: ClassVar[str] = "01"
    PAPER: ClassVar[dict[str, Any]] = {**PairParameters.PAPER, "CV_FOLDS": 10}
    # 5 folds: half the probes of 10, each on 480 training pairs instead of 540
    PAPER_LITE: ClassVar[dict[str, Any]] = {**PairParameters.PAPER_LITE, "CV_FOLDS": 5}

    def check(self) -> None:
        super().check()
        check_choice("POOLING", self.POOLING, POOLINGS)
        check_subset("FEATURES", self.FEATURES, FEATURES)

    def check_data(self) -> None:
        super().check_data()
        most = min(self.design_sizes.values()) // 2
        try:
            check_int("CV_FOLDS", self.CV_FOLDS, 2, most)
        except ValueError as err:
            raise ValueError(
                f"{err} (folds are grouped by sentence and re-paired within each fold, which "
                "needs two translation rows per fold: at most half the pairs per class of the "
                "smallest design)"
            ) from None


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "L2_LANGUAGES": ["ja", "it"],  # two: the cells that compare L2s
        "N_PAIRS": 12,
        "N_PAIRS_DISJOINT": 10,
        "N_PAIRS_CROSS_CORPUS": 10,
        "CV_FOLDS": 3,
    },
    golden={**PAIR_GOLDEN, "CV_FOLDS": 3},
    figures=5,
    smoke_on_real_model=True,
    quick_cold_s={"bfloat16": 80, "float32": 98},
)


def length_cv(ps: PairSet, tokens: dict[str, int], folds: int = 10, seed: int = 0) -> np.ndarray:
    """Grouped CV accuracy of the same probe on one feature, the L1 sentence's token count:
    ``[folds]``.

    What a classifier can get from length alone (the L2 side is left out, like ``l1_only``).
    """
    counts = np.array([tokens[t] for t in ps.l1_texts], dtype=np.float64)[:, None, None]
    unused = np.zeros((len(ps.l2_texts), 1, 1))
    grouped, fold = ps.regrouped(folds, seed)
    return cv_accuracy(counts, unused, grouped.pairs, grouped.labels, "l1_only", fold_of_pair=fold)[
        0
    ]


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 1's figures and summary read."""

    parameters: Parameters
    analyses: dict[tuple[str, str], PairAnalysis]  # (L2, design) -> measures

    def __getitem__(self, key: tuple[str, str]) -> PairAnalysis:
        return self.analyses[key]


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Every design for every L2: pair sets, one extraction per language, all measures."""
    pairsets = list(p.pair_sets().values())
    acts = activations_by_text(model, pairsets, SITES, p.POOLING, p.BATCH_SIZE)
    tokens = token_counts(model, [t for ps in pairsets for t in ps.l1_texts])
    analyses = {}
    for ps in pairsets:
        analysis = analyse_pairs(ps, acts, features=p.FEATURES, folds=p.CV_FOLDS, seed=p.SEED)
        analysis.length_cv = length_cv(ps, tokens, p.CV_FOLDS, p.SEED)
        analysis.l1_tokens = {
            label: np.array([tokens[t] for t in ps.l1_side(value)])
            for label, value in (("parallel", 1), ("non-parallel", 0))
        }
        analyses[(ps.l2, ps.design)] = analysis
    return Results(p, analyses)


# how close the L1-only probe must come to the concat probe (mean accuracy over L2s and layers)
# to say that the concat probe reads the L1 side only: about 2 test pairs in 100
SAME_ACCURACY = 0.02


def corpus_reading(l1_only: float, l1_minus_concat: float) -> str:
    """What the L1-side probe says of the concat probe in the cross-corpus design, by a stated
    rule: within ``SAME_ACCURACY`` of it and well above chance -> it detects the corpus."""
    if l1_only > 0.6 and l1_minus_concat >= -SAME_ACCURACY:
        return (
            "the L1 side alone separates the classes as well as both sides together: the "
            "classifier detects the corpus, not the meaning"
        )
    if l1_only > 0.6:
        return (
            "the L1 side alone separates the classes well above chance, but both sides together "
            "do better: the corpus explains part of the accuracy"
        )
    return "the L1 side alone does not separate the classes: the corpus does not explain it"


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 1 quotes (glued under these names) and its per-layer curves: one
    helper per section of the chapter, each given what the ones before it recorded."""
    out: dict[str, Any] = {}
    for part in (_gap_summary, _interval_summary, _design_summary, _cross_corpus_summary, _curves):
        out.update(part(results, out))
    out["units"] = UNITS
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
    edges_low, edges_high = bootstrap.interval(sub[:, edges].mean(1))
    beyond_low, beyond_high = bootstrap.interval(sub[:, edges].mean(1) - sub.mean(1))
    return {
        "raw_gap_low_min": float(low["raw"].min()),
        "share_points_raw_above_zero": float((low["raw"] > 0).mean() * 100),
        "share_points_centred_above_zero": float((low["centred"] > 0).mean() * 100),
        "mlp_minus_attn_edges_low": float(edges_low),
        "mlp_minus_attn_edges_high": float(edges_high),
        "edges_minus_all_low": float(beyond_low),
        "edges_minus_all_high": float(beyond_high),
    }


def _design_summary(results: Results, done: dict[str, Any]) -> dict[str, Any]:
    """The designs table: CV accuracy by feature set (and the ungrouped aside), the token-count
    probe, the gaps and the L1 side's token counts, per design."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    cv = _cv(results)
    out: dict[str, Any] = {"designs": []}
    for design in DESIGNS:
        slug = glue_name(design)
        for feature in FEATURES:  # a feature set that did not run gives NaN (the prose names all)
            values = (
                np.array([cv[(l2, design, feature)] for l2 in l2s])
                if feature in p.FEATURES
                else np.full(1, np.nan)
            )
            out[f"cv_{feature}_{slug}_min"] = float(values.min())
            out[f"cv_{feature}_{slug}_max"] = float(values.max())
            out[f"cv_{feature}_{slug}_mean"] = float(values.mean())
            not_run = f"not run (FEATURES has no {feature})"
            ran = feature in p.FEATURES
            out[f"cv_{feature}_{slug}_range"] = (
                f"{values.min():.2f}–{values.max():.2f}" if ran else not_run
            )
            out[f"cv_{feature}_{slug}_mean_text"] = f"{values.mean():.3f}" if ran else not_run
        # the aside: the concat probe with stratified folds over pairs (sentences shared)
        ungrouped = (
            np.array([results[(l2, design)].cv_ungrouped["concat"].mean(1) for l2 in l2s])
            if "concat" in p.FEATURES
            else np.full(1, np.nan)
        )
        out[f"cv_concat_ungrouped_{slug}_min"] = float(ungrouped.min())
        out[f"cv_concat_ungrouped_{slug}_max"] = float(ungrouped.max())
        out[f"cv_concat_ungrouped_{slug}_mean"] = float(ungrouped.mean())
        out[f"cv_concat_ungrouped_{slug}_range"] = (
            f"{ungrouped.min():.2f}–{ungrouped.max():.2f}"
            if "concat" in p.FEATURES
            else "not run (FEATURES has no concat)"
        )
        length = np.array([results[(l2, design)].length_cv.mean() for l2 in l2s])
        out[f"cv_length_{slug}_min"] = float(length.min())
        out[f"cv_length_{slug}_max"] = float(length.max())
        out[f"cv_length_{slug}_range"] = f"{length.min():.2f}–{length.max():.2f}"
        gaps = {
            kind: np.array([results[(l2, design)].gap("residual", kind) for l2 in l2s])
            for kind in ("raw", "centred")
        }
        out[f"centred_gap_{slug}_mean"] = float(gaps["centred"].mean())
        out[f"raw_gap_{slug}_max"] = float(gaps["raw"].max())
        for label in ("parallel", "non-parallel"):
            counts = np.concatenate([results[(l2, design)].l1_tokens[label] for l2 in l2s])
            out[f"l1_tokens_{label.replace('-', '')}_{slug}"] = float(counts.mean())
        out["designs"].append(
            {  # short column names: nine columns fit the page
                "design": design,
                "pairs": p.design_sizes[design],
                f"{p.L1} tokens (par.)": out[f"l1_tokens_parallel_{slug}"],
                f"{p.L1} tokens (non-par.)": out[f"l1_tokens_nonparallel_{slug}"],
                **{
                    FEATURE_NAMES[feature]: _range(
                        out[f"cv_{feature}_{slug}_min"], out[f"cv_{feature}_{slug}_max"]
                    )
                    for feature in p.FEATURES
                },
                "token count": _range(out[f"cv_length_{slug}_min"], out[f"cv_length_{slug}_max"]),
                "centred gap": out[f"centred_gap_{slug}_mean"],
            }
        )
    return out


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
        diff = done["cv_l1_only_cross_corpus_mean"] - done["cv_concat_cross_corpus_mean"]
        out["cross_corpus_l1_minus_concat"] = diff
        out["cross_corpus_reading"] = corpus_reading(done["cv_l1_only_cross_corpus_mean"], diff)
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


UNITS = {  # every key of the summary, by glob pattern
    "raw_nonparallel_mean, raw_gap_min, raw_gap_max, centred_gap_min, centred_gap_max, "
    "centred_gap_*_mean, raw_gap_*_max, design_diff_max, cross_diff_max, "
    "mlp_minus_attn_edges, mlp_minus_attn_all, centred_gap_per_layer, raw_gap_per_layer": (
        "cosine similarity (gaps: parallel minus non-parallel; differences of them)"
    ),
    "cv_*, retrieval_*": "accuracy (share of pairs); cv_*: folds grouped by sentence, "
    "cv_concat_ungrouped_*: stratified folds over pairs",
    "cross_corpus_l1_minus_concat": "difference of accuracies",
    "l1_tokens_*": "tokens per L1 sentence (no BOS), mean over the class's pairs and L2s",
    "share_layers_positive": "% of (L2, layer) points",
    "share_points_*_above_zero": "% of (L2, layer) points whose 95 % interval over L1 "
    "sentences lies above 0",
    "raw_gap_low_min, mlp_minus_attn_edges_low, mlp_minus_attn_edges_high, "
    "edges_minus_all_low, edges_minus_all_high": "95 % bootstrap interval ends over L1 "
    "sentences (cosine)",
    "*_layer": "layer index, from 0",
    "designs, per_l2": "table rows (their columns say their units)",
    "cross_corpus_reading, other_corpus, cv_*_range, cv_*_mean_text": "text (cv_*: an "
    "accuracy range or mean as the prose shows it, or why it was not run)",
}


def _range(low: float, high: float) -> str:
    return f"{low:.2f}–{high:.2f}"


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"Raw cosine: non-parallel pairs average {s['raw_nonparallel_mean']:.3f}; the raw gap "
        f"(parallel minus non-parallel) is at most {s['raw_gap_max']:.3f}. Centred cosine: the "
        f"gap ranges from {s['centred_gap_min']:.2f} to {s['centred_gap_max']:.2f}, and its 95 % "
        f"interval lies above 0 at {s['share_points_centred_above_zero']:.0f} % of the "
        "(L2, layer) points.",
        f"Retrieval (mean over L2s): {s['retrieval_first']:.2f} in the first layer, "
        f"{s['retrieval_best']:.2f} at layer {s['retrieval_best_layer']}, "
        f"{s['retrieval_last']:.2f} in the last (chance {s['retrieval_chance']:.3f}).",
        "Classifiers with folds grouped by sentence (chance 0.5): concat "
        f"{s['cv_concat_derangement_range']} (derangement) and {s['cv_concat_disjoint_range']} "
        f"(disjoint); interaction {s['cv_interaction_derangement_range']} and "
        f"{s['cv_interaction_disjoint_range']}.",
        f"Cross-corpus design: concat {s['cv_concat_cross_corpus_range']}, the L1 side alone "
        f"{s['cv_l1_only_cross_corpus_range']}, the token count alone "
        f"{s['cv_length_cross_corpus_range']}: {s['cross_corpus_reading']}.",
        f"MLP minus attention output, centred gap at the first and last three layers: "
        f"{s['mlp_minus_attn_edges']:.3f} ({s['mlp_minus_attn_edges_low']:.3f} to "
        f"{s['mlp_minus_attn_edges_high']:.3f}).",
    ]


def summary_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The per-L2 summary table of the chapter."""
    return pd.DataFrame(summary["per_l2"]).set_index("L2").round(3)


def design_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per non-parallel design: pairs per class, mean L1 token counts of each class, CV
    accuracy ranges of each feature set (over L2s and layers; the token-count probe over L2s) and
    the centred gap (mean over L2s and layers)."""
    return pd.DataFrame(summary["designs"]).set_index("design").round(2)


# --------------------------------------------------------------------------- figures


def _class_bands(ax, analysis: PairAnalysis, site: str, kind: str) -> None:
    for label, sims in analysis.cosine[(site, kind)].items():
        plotting.layer_band(ax, sims, label, plotting.COLORS[label])


def plot_similarity(
    results: Results,
    sites: Sequence[str] = ("residual", "residual"),
    kinds: Sequence[str] = ("raw", "centred"),
) -> None:
    """Per-layer cosine of parallel vs non-parallel pairs (mean ± 1 std), derangement design:
    one row per L2, one column per (site, kind)."""
    p = results.parameters
    fig, axes = plotting.grid(len(p.L2_LANGUAGES), len(kinds), panel_height=1.7)
    for row, l2 in enumerate(p.L2_LANGUAGES):
        for col, (site, kind) in enumerate(zip(sites, kinds, strict=True)):
            _class_bands(axes[row, col], results[(l2, "derangement")], site, kind)
    names = [
        f"{kind} cosine" if site == "residual" else f"{site} output ({kind})"
        for site, kind in zip(sites, kinds, strict=True)
    ]
    plotting.titles(axes, [f"{p.L1}–{l2}" for l2 in p.L2_LANGUAGES], names)
    plotting.legend(fig, ncol=2)


def plot_sublayers(results: Results) -> None:
    """:func:`plot_similarity` for what the attention and MLP sublayers write (centred)."""
    plot_similarity(results, ("attn", "mlp"), ("centred", "centred"))


def plot_design_gaps(results: Results) -> None:
    """Gap (parallel − non-parallel) per layer in every design, raw and centred."""
    p = results.parameters
    fig, axes = plotting.grid(1, 2, panel_height=2.6)
    for ax, kind in zip(axes[0], ("raw", "centred"), strict=True):
        for k, l2 in enumerate(p.L2_LANGUAGES):
            for design, style in plotting.DESIGN_STYLE.items():
                plotting.layer_line(
                    ax,
                    results[(l2, design)].gap("residual", kind),
                    f"{l2} {design}",
                    plotting.color(k),
                    style,
                )
        ax.set_title(f"{kind} cosine: parallel − non-parallel")
    plotting.legend(fig, ncol=len(plotting.DESIGN_STYLE))  # one row per L2


def plot_cv(results: Results) -> None:
    """Grouped CV accuracy per layer for each feature set (colours; dotted: the ungrouped
    aside), one row per L2, one column per design; the token-count probe is a flat grey line."""
    p = results.parameters
    fig, axes = plotting.grid(len(p.L2_LANGUAGES), len(DESIGNS), panel_height=1.7, sharey=True)
    for row, l2 in enumerate(p.L2_LANGUAGES):
        for col, design in enumerate(DESIGNS):
            ax, analysis = axes[row, col], results[(l2, design)]
            for k, feature in enumerate(p.FEATURES):
                plotting.layer_line(
                    ax, analysis.cv[feature].mean(1), FEATURE_NAMES[feature], plotting.color(k)
                )
            for k, feature in enumerate(p.FEATURES):
                if feature in analysis.cv_ungrouped:  # the aside: sentences shared across folds
                    plotting.layer_line(
                        ax,
                        analysis.cv_ungrouped[feature].mean(1),
                        f"{FEATURE_NAMES[feature]}, ungrouped folds",
                        plotting.color(k),
                        ":",
                    )
            ax.axhline(
                analysis.length_cv.mean(), color="#7f7f7f", ls="--", lw=1, label="token count only"
            )
            plotting.chance_line(ax, 0.5)
    plotting.titles(axes, [f"{p.L1}–{l2}" for l2 in p.L2_LANGUAGES], list(DESIGNS))
    plotting.legend(fig, ncol=len(p.FEATURES) + 3)


def plot_retrieval(results: Results) -> None:
    """Top-1 translation retrieval accuracy per layer (centred cosine), one line per L2."""
    p = results.parameters
    _, ax = plotting.single()
    for k, l2 in enumerate(p.L2_LANGUAGES):
        plotting.layer_line(
            ax, results[(l2, "derangement")].retrieval, f"{p.L1}→{l2}", plotting.color(k)
        )
    plotting.chance_line(ax, 1 / p.N_PAIRS)
    ax.set_ylabel("top-1 retrieval accuracy")
    plotting.legend(ax)


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

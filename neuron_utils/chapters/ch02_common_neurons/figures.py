"""Chapter 2's figures: AP by rank, top neurons per layer, the token-count correlation, the
top sets' overlap between L2s and the similarity with sets zeroed."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...kit import plotting
from .analysis import AP_CHANCE, CLASSES, DESIGNS, Results, l2_overlap


def plot_ap_by_rank(results: Results, kind: str = "mean_abs") -> None:
    """AP of the top ``n_top`` neurons by rank (log scale) for each L2; solid: derangement,
    dashed: disjoint, dotted: cross-corpus design. Grey bands: the same ranks under label
    permutations (per design, 5th to 95th percentile, the widest over L2s)."""
    p = results.parameters
    fig, ax = plotting.single()
    ranks = np.arange(1, results.n_top + 1)
    if kind == "mean_abs":
        for design, style in plotting.DESIGN_STYLE.items():
            by_rank = [results.null[(l2, design)].null_by_rank for l2 in p.L2_LANGUAGES]
            low = np.min([np.quantile(n, 0.05, axis=0) for n in by_rank], axis=0)
            high = np.max([np.quantile(n, 0.95, axis=0) for n in by_rank], axis=0)
            shown = ranks[: len(low)]
            ax.fill_between(shown, low[: len(shown)], high[: len(shown)], color="0.6", alpha=0.25)
            ax.plot(shown, high[: len(shown)], style, color="0.45", lw=1)
        ax.plot([], [], color="0.45", lw=6, alpha=0.4, label="permutation null (5-95 %)")
    for k, l2 in enumerate(p.L2_LANGUAGES):
        for design, style in plotting.DESIGN_STYLE.items():
            ranked = np.sort(results.ap[(l2, design, kind)].ravel())[::-1][: results.n_top]
            ax.plot(ranks, ranked, style, color=plotting.color(k), label=f"{l2} {design}", lw=1.5)
    plotting.chance_line(ax, AP_CHANCE)
    ax.set_xscale("log")
    ax.set_xlabel("rank")
    ax.set_ylabel("average precision")
    # one column per L2 (every design), then chance and the null
    plotting.legend(fig, ncol=len(p.L2_LANGUAGES) + 1)


def plot_top_per_layer(results: Results) -> None:
    """Number of top neurons (mean-of-abs score) per layer, one line per L2, one panel per
    design."""
    fig, axes = plotting.grid(1, len(DESIGNS), panel_height=2.4, sharey=True)
    for ax, design in zip(axes[0], DESIGNS, strict=True):
        for k, l2 in enumerate(results.parameters.L2_LANGUAGES):
            per_layer = results.top[(l2, design, "mean_abs")].per_layer()
            plotting.layer_line(ax, per_layer, l2, plotting.color(k))
        ax.set_title(design)
    axes[0, 0].set_ylabel("top neurons in the layer")
    plotting.legend(fig, ncol=4)


LENGTH_GROUPS = {
    "all": "all neurons",
    "top_derangement": "top 100, derangement",
    "top_cross": "top 100, cross-corpus",
}


def plot_length_correlation(summary: dict[str, Any]) -> None:
    """Distribution of |Pearson r| between a neuron's |activation| and the L1 sentence's token
    count over the cross-corpus L1 sentences: all neurons vs each design's top 100."""
    _, ax = plotting.single()
    edges = np.linspace(0, 1, 21)
    for k, (name, label) in enumerate(LENGTH_GROUPS.items()):
        counts = np.asarray(summary["length_r_hist"][name], dtype=float)
        ax.stairs(counts / counts.sum(), edges, color=plotting.color(k), label=label, lw=1.5)
    ax.set_xlabel("|correlation with the token count|")
    ax.set_ylabel("share of neurons")
    plotting.legend(ax)


def plot_l2_overlap(results: Results) -> None:
    """Jaccard overlap of the top sets between L2s (derangement design, mean-of-abs score)."""
    l2s = results.parameters.L2_LANGUAGES
    _, ax = plotting.single(width=3.6, height=3.0)
    plotting.annotated_heatmap(
        ax, l2_overlap(results), l2s, l2s, vmin=0, vmax=1, colorbar="Jaccard overlap"
    )
    ax.set_title("top sets, between L2s")


CONDITION_STYLE = {"none": "-", "top": "--", "random": ":", "magnitude": "-."}
CONDITION_NAMES = {
    "none": "nothing zeroed",
    "top": "top zeroed",
    "random": "random zeroed",
    "magnitude": "|a|-matched random zeroed",
}


def plot_zeroing(results: Results) -> None:
    """Per-layer cosine of parallel vs non-parallel pairs (derangement design) with nothing, the
    top set or random matched sets zeroed (random: mean over seeds, band = min to max): one row
    per L2, columns raw and centred cosine."""
    p = results.parameters
    kinds = ("raw", "centred")
    fig, axes = plotting.grid(len(p.L2_LANGUAGES), len(kinds), panel_height=1.7)
    for row, l2 in enumerate(p.L2_LANGUAGES):
        for col, kind in enumerate(kinds):
            for condition, runs in results.effects[l2].items():
                for label in CLASSES:
                    # [runs, L]
                    curves = np.array(
                        [run.cosine[("residual", kind)][label].mean(0) for run in runs]
                    )
                    plotting.layer_band(
                        axes[row, col],
                        curves,
                        f"{label}, {CONDITION_NAMES[condition]}",
                        plotting.COLORS[label],
                        spread="range",
                        style=CONDITION_STYLE[condition],
                    )
    plotting.titles(
        axes, [f"{p.L1}–{l2}" for l2 in p.L2_LANGUAGES], [f"{kind} cosine" for kind in kinds]
    )
    plotting.legend(fig, ncol=4)

"""Chapter 3's figures: neurons per layer, LAPE entropy and shared neurons, the deactivation
perplexity matrix, and the steering sweep."""

from __future__ import annotations

import numpy as np

from ...kit import plotting
from .analysis import STEERING_METHODS, Results, sweep_shares


def plot_layers(results: Results) -> None:
    """Neurons assigned to each language, per layer."""
    p = results.parameters
    fig, ax = plotting.single(width=0.85 * plotting.PAGE_WIDTH, height=2.8)
    for k, lang in enumerate(p.LANGUAGES):
        plotting.layer_line(
            ax, results.selection.by_language[lang].per_layer(), lang, plotting.color(k)
        )
    ax.set_ylabel("language-specific neurons")
    plotting.legend(fig, ncol=min(len(p.LANGUAGES), 8))


def plot_entropy_overlap(results: Results) -> None:
    """Left: histogram of the LAPE entropy of the neurons that pass the filter, with a dotted line
    at the entropy of the last selected neuron. Right: neurons shared by each pair of languages."""
    p = results.parameters
    selection = results.selection
    n_selected = len(selection.selected)
    fig, axes = plotting.grid(1, 2, panel_height=3.0, sharex=False)
    finite = selection.entropy[np.isfinite(selection.entropy)]
    # a histogram is not in the shared vocabulary
    axes[0, 0].hist(finite, bins=60, color=plotting.color(0))
    if n_selected:
        axes[0, 0].axvline(
            np.sort(finite)[n_selected - 1], color="k", ls=":", lw=1, label="selection threshold"
        )
        plotting.legend(axes[0, 0])
    axes[0, 0].set_xlabel("LAPE entropy")
    axes[0, 0].set_ylabel("neurons")
    shared = results.shared()
    plotting.annotated_heatmap(
        axes[0, 1], shared, p.LANGUAGES, p.LANGUAGES, fmt="{}", color_values=np.log1p(shared)
    )
    axes[0, 1].set_title("neurons shared by two languages")


def plot_perplexity(results: Results) -> None:
    """Change of perplexity (%) of each evaluated language with each set deactivated; colour:
    log10 of the perplexity ratio, so that one huge cell does not hide the rest."""
    shown = results.perplexity_change().drop(index="none")
    _, ax = plotting.single(width=0.75 * plotting.PAGE_WIDTH, height=3.6)
    plotting.annotated_heatmap(
        ax,
        shown.values,
        list(shown.index),
        list(shown.columns),
        fmt="{:.0f}",
        cmap="magma_r",
        colorbar="log10 perplexity ratio",
        color_values=np.log10(1 + shown.values / 100),
    )
    ax.set_xlabel("evaluated language")
    ax.set_ylabel("deactivated")


def plot_steering_sweep(results: Results) -> None:
    """Share of continuations in the target language, fluent, and both, against the scale of
    each steering method (over all targets and prompts); dotted: fluent share unsteered."""
    shares = sweep_shares(results.judged)
    unchanged = results.unchanged_fluent()
    fig, axes = plotting.grid(1, len(STEERING_METHODS), panel_height=2.8, sharex=False)
    for ax, method in zip(axes[0], STEERING_METHODS, strict=True):
        rows = shares.loc[method]
        for k, column in enumerate(("in target", "fluent", "success")):
            ax.plot(rows.index, rows[column], marker="o", color=plotting.color(k), label=column)
        ax.axhline(unchanged, color="k", ls=":", lw=1, label="fluent, unsteered")
        ax.set_xscale("log", base=2)
        ax.set_xticks(list(rows.index), [f"{v:g}" for v in rows.index])
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(method)
        ax.set_xlabel("× difference of means" if method == "DiffMean" else "× mean activation")
    axes[0, 0].set_ylabel("share of continuations")
    plotting.legend(fig, ncol=4)

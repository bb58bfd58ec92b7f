"""Chapter 6's figures: the sets per layer and their overlaps, the dose-response, and the
per-paradigm changes."""

from __future__ import annotations

from typing import Any

from ...kit import plotting
from .analysis import Results, set_overlaps
from .prose import benchmark_label
from .tables import paradigm_changes


def plot_set_layers(results: Results) -> None:
    """Neurons per layer of each set at the main fraction."""
    fig, ax = plotting.single(width=0.8 * plotting.PAGE_WIDTH)
    for k, (name, neurons) in enumerate(results.main.every.items()):
        style = ":" if name in results.main.extra else "-"
        plotting.layer_line(ax, neurons.per_layer(), name, plotting.color(k), style)
    ax.set_ylabel("neurons in the set")
    plotting.legend(fig, ncol=min(len(results.main.every), 4))


def plot_set_overlaps(results: Results) -> None:
    """Pairwise Jaccard overlaps of the sets at the main fraction."""
    names, overlaps = set_overlaps(results)
    _, ax = plotting.single(width=4.4, height=3.3)
    plotting.annotated_heatmap(
        ax, overlaps, names, names, vmin=0, vmax=1, colorbar="Jaccard overlap"
    )


def plot_dose(summary: dict[str, Any]) -> None:
    """OVERALL accuracy against the percentage of neurons zeroed, one panel per benchmark: one
    line per set, uniform random sets dashed, no ablation dotted."""
    langs = list(summary["dose"])
    fig, axes = plotting.grid(1, len(langs), panel_height=2.8, sharex=False)
    x = summary["fractions_pct"]
    names = summary["set_names"]  # one colour per set in both panels, as in the layer figure
    for ax, lang in zip(axes[0], langs, strict=True):
        for name, curve in summary["dose"][lang].items():
            if name == "none":
                plotting.chance_line(ax, curve[0], "no ablation")
            elif name.startswith("random"):
                ax.plot(x, curve, "--", color="#7f7f7f", marker="o", ms=3, label=name)
            else:
                color = plotting.color(names.index(name))
                ax.plot(x, curve, "-", color=color, marker="o", ms=3, label=name)
        ax.set_xscale("log")
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.minorticks_off()
        ax.set_xlabel("% of neurons zeroed")
        ax.set_title(benchmark_label(summary, lang))
    axes[0, 0].set_ylabel("OVERALL accuracy")
    plotting.legend(fig, ncol=4)


def plot_paradigms(results: Results) -> None:
    """Per paradigm: accuracy change when each set is zeroed (blue: worse), both benchmarks."""
    table = paradigm_changes(results)
    changes = table.drop(columns="accuracy, no ablation")
    height = 1.2 + 0.16 * len(table)
    _, ax = plotting.single(width=0.8 * plotting.PAGE_WIDTH, height=height)
    plotting.annotated_heatmap(
        ax, changes.to_numpy(), list(changes.index), list(changes.columns), fmt="{:+.2f}",
        cmap="RdBu", vmin=-0.5, vmax=0.5, colorbar="accuracy change", fontsize=6,
    )  # fmt: skip

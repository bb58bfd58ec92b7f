"""Chapter 5's figures, from its summary (a fresh one, or a kept one read back from JSON)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...kit import plotting
from ...methods.sharing import CATEGORIES
from .analysis import ATTRIBUTIONS
from .summary import interval_of


def plot_category_layers(summary: dict[str, Any]) -> None:
    """Share of each layer's neurons per category, one panel per kind of input: mean over
    items, band from the minimum to the maximum over items."""
    kinds = list(summary["input_names"])
    fig, axes = plotting.grid(1, len(kinds), panel_height=2.6, sharey=True)
    for ax, kind in zip(axes[0], kinds, strict=True):
        stats = summary["categories"][kind]
        mean, low, high = (np.array(stats[k]) for k in ("layer_mean", "layer_min", "layer_max"))
        for c, category in enumerate(CATEGORIES):
            color = plotting.color(c)
            ax.plot(np.arange(mean.shape[1]), mean[c], color=color, lw=1.5, label=category)
            ax.fill_between(
                np.arange(mean.shape[1]), low[c], high[c], color=color, alpha=0.18, lw=0
            )
        plotting.layer_axis(ax, mean.shape[1])
        ax.set_title(summary["input_names"][kind])
    axes[0, 0].set_ylabel("share of the layer's neurons")
    plotting.legend(fig, ncol=4)


def plot_threshold_sweep(summary: dict[str, Any]) -> None:
    """Share of all neurons per category against the activation threshold, per kind of input."""
    kinds = list(summary["input_names"])
    fig, axes = plotting.grid(1, len(kinds), panel_height=2.4, sharey=True)
    x = summary["thresholds"]
    for ax, kind in zip(axes[0], kinds, strict=True):
        sweep = np.array(summary["categories"][kind]["sweep"])
        for c, category in enumerate(CATEGORIES):
            ax.plot(x, sweep[:, c], "-o", ms=3, color=plotting.color(c), label=category)
        ax.set_xlabel("threshold")
        ax.set_title(summary["input_names"][kind])
    axes[0, 0].set_ylabel("share of all neurons")
    plotting.legend(fig, ncol=4)


def plot_attribution(summary: dict[str, Any], task: str) -> None:
    """Per layer, the share of the top-K contributors in each category (solid) beside the
    category's share of all neurons (dotted), for both attributions."""
    tr = summary["task_results"][task]
    fig, axes = plotting.grid(1, len(ATTRIBUTIONS), panel_height=2.6, sharey=True)
    base = np.array(tr["attribution_base"])
    for ax, (a, label) in zip(axes[0], ATTRIBUTIONS.items(), strict=True):
        top = np.array(tr["attribution_top"][a])
        for c, category in enumerate(CATEGORIES):
            color = plotting.color(c)
            plotting.layer_line(ax, top[c], f"{category}: top {summary['top_k']}", color)
            plotting.layer_line(ax, base[c], f"{category}: all neurons", color, style=":")
        ax.set_title(label)
    axes[0, 0].set_ylabel("share")
    plotting.legend(fig, ncol=4)


def plot_accuracy(summary: dict[str, Any]) -> None:
    """Task accuracy per language with 95 % intervals (no intervention); dotted: chance."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = summary["task_results"][task]["accuracy"][:-1]
        x = np.arange(len(rows))
        acc = np.array([r["accuracy"] for r in rows])
        cis = [interval_of(r["accuracy_ci"]) for r in rows]
        err = np.array([[a - ci.low, ci.high - a] for a, ci in zip(acc, cis, strict=True)]).T
        ax.bar(x, acc, yerr=err, color=plotting.color(0), capsize=2, width=0.7)
        ax.set_xticks(x, [r["language"] for r in rows])
        plotting.chance_line(ax, summary["task_results"][task]["chance"])
        ax.set_ylim(0, 1.05)
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy")
    plotting.legend(fig)


def plot_deactivation(summary: dict[str, Any]) -> None:
    """Mean accuracy with each category's neurons zeroed beside random sets of the same size per
    item and layer, drawn from all other neurons and from those firing as often and as strongly
    (95 % intervals); dotted: no intervention."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = [r for r in summary["task_results"][task]["interventions"]
                if r["condition"].startswith("zero") and "random" in r]  # fmt: skip
        # the categories only: the all-shared controls are in the table
        x = np.arange(len(rows))
        bars = [("category zeroed", "accuracy", plotting.color(0)), ("random", "random", "#bbbbbb")]
        if all("matched" in r for r in rows):  # summaries recorded before it have none
            bars.append(("random, firing-matched", "matched", "#666666"))
        width = 0.8 / len(bars)
        for offset, (label, column, color) in enumerate(bars):
            value = np.array([r[column] for r in rows])
            cis = [interval_of(r[f"{column}_ci"]) for r in rows]
            low, high = np.array([ci.low for ci in cis]), np.array([ci.high for ci in cis])
            ax.bar(x + (offset - (len(bars) - 1) / 2) * width, value, width,
                   yerr=[value - low, high - value], color=color, capsize=2, label=label)  # fmt: skip
        none = summary["task_results"][task]["interventions"][0]["accuracy"]
        plotting.chance_line(ax, none, "no intervention")
        ax.set_xticks(x, [r["condition"].removeprefix("zero ") for r in rows])
        ax.set_ylim(0, 1.05)
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy (mean over languages)")
    plotting.legend(fig, ncol=3)


def plot_boost(summary: dict[str, Any]) -> None:
    """Mean accuracy against the boosting factor: all-shared neurons scaled, random matched
    neurons scaled (95 % intervals as bands); factor 1 is no intervention."""
    tasks = summary["tasks"]
    fig, axes = plotting.grid(1, len(tasks), panel_height=2.6, sharex=False, sharey=True)
    for ax, task in zip(axes[0], tasks, strict=True):
        rows = summary["task_results"][task]["interventions"]
        none = rows[0]
        boosts = [r for r in rows if r["condition"].startswith("boost")]
        x = [1.0] + [float(r["condition"].removeprefix("boost x")) for r in boosts]
        for label, column, color in (
            ("all-shared scaled", "accuracy", plotting.color(0)),
            ("random, matched, scaled", "random", "#7f7f7f"),
        ):
            # factor 1: no intervention, for both lines
            value = [none["accuracy"]] + [r[column] for r in boosts]
            cis = [interval_of(none["accuracy_ci"])] + [
                interval_of(r[f"{column}_ci"]) for r in boosts
            ]
            low, high = [ci.low for ci in cis], [ci.high for ci in cis]
            ax.plot(x, value, "-o", ms=3, color=color, label=label)
            ax.fill_between(x, low, high, color=color, alpha=0.15, lw=0)
        ax.set_xlabel("scaling factor")
        ax.set_title(summary["input_names"][task].replace(" prompts", ""))
    axes[0, 0].set_ylabel("accuracy (mean over languages)")
    plotting.legend(fig, ncol=2)

"""Chapter 4's figures: the L0 probes, top-k probes, mask against |t|, random dimensions and the
transfer matrix, drawn from its :class:`~.analysis.Results`."""

from __future__ import annotations

import numpy as np

from ...kit import plotting
from .analysis import Results, multiple_needed, nanmean, random_mean


def plot_l0(results: Results) -> None:
    """Fraction of dimensions the L0 probes keep (left, log scale) and their test accuracy (right),
    per layer and lambda (mean over paradigms); dashed: the dense logistic regression."""
    p, r = results.parameters, results.probes
    fig, axes = plotting.grid(1, 2, panel_height=2.7)
    kept, accuracy = axes[0]
    for k, lam in enumerate(p.LAMBDAS):
        plotting.layer_line(kept, r.l0_kept[:, :, k].mean(0), f"λ = {lam}", plotting.color(k))
        plotting.layer_line(
            accuracy, r.l0_accuracy[:, :, k].mean(0), f"λ = {lam}", plotting.color(k)
        )
    plotting.layer_line(accuracy, r.dense_accuracy.mean(0), "dense", "k", "--")
    kept.set_yscale("log")
    kept.set_ylabel("fraction of dimensions kept")
    accuracy.set_ylabel("test accuracy")
    plotting.legend(fig, ncol=len(p.LAMBDAS) + 1)


def plot_topk(results: Results) -> None:
    """Test accuracy of logistic probes on the top-k dimensions by Welch |t| (mean over
    paradigms), one line per k; black: all dimensions (the dense probe)."""
    r = results.probes
    fig, ax = plotting.single(width=plotting.PAGE_WIDTH * 0.8, height=3.0)
    for j, k in enumerate(r.topk_sizes):
        color = "k" if k == r.topk_sizes[-1] else plotting.color(j)
        plotting.layer_line(
            ax, r.topk_accuracy[:, :, j].mean(0), f"k = {k}", color, "-" if j < 8 else "--"
        )
    ax.set_ylabel("test accuracy")
    plotting.legend(fig, ncol=6)


def plot_spearman(results: Results) -> None:
    """Spearman correlation of the L0 masks with |t| per layer and lambda (mean over paradigms)."""
    p, r = results.parameters, results.probes
    fig, ax = plotting.single(width=plotting.PAGE_WIDTH * 0.8, height=2.8)
    for k, lam in enumerate(p.LAMBDAS):
        plotting.layer_line(
            ax, nanmean(r.mask_t_spearman[:, :, k], 0), f"λ = {lam}", plotting.color(k)
        )
    plotting.chance_line(ax, 0, None)
    ax.set_ylabel("Spearman ρ(mask, |t|)")
    plotting.legend(fig, ncol=len(p.LAMBDAS))


def plot_random(results: Results) -> None:
    """Left: the top dimensions by |t| against some multiples of as many random dimensions of
    their complement. Right: per layer, the multiple at which the random probes match,
    interpolated between tested multiples (grey, ∞: none)."""
    r = results.probes
    fig, axes = plotting.grid(1, 2, panel_height=2.7)
    curves, needed = axes[0]
    plotting.layer_line(curves, r.top_accuracy.mean(0), f"top {r.n_top} by |t|", "k")
    random_curves = random_mean(r)
    # a dozen dotted lines are unreadable: the doubling multiples and 6 (the paper's), where tested
    shown = [m for m in r.multiples if m in (1, 2, 4, 6, 8, 16)] or r.multiples
    for k, m in enumerate(shown):
        j = r.multiples.index(m)
        plotting.layer_line(curves, random_curves[:, j], f"{m}× random", plotting.color(k), ":")
    curves.set_ylabel("test accuracy")
    # a bar per layer: the shared vocabulary has no bar chart
    multiple = multiple_needed(r)
    layers = np.arange(len(multiple))
    reached = np.isfinite(multiple)
    ceiling = max(r.multiples) * 1.5
    needed.bar(layers[reached], multiple[reached], color=plotting.color(0), width=0.8)
    needed.bar(layers[~reached], np.full((~reached).sum(), ceiling), color="#bbbbbb", width=0.8)
    for layer in layers[~reached]:
        needed.text(layer, ceiling, "∞", ha="center", va="bottom", fontsize=7, color="#777777")
    needed.set_ylim(0, ceiling * 1.12)
    plotting.layer_axis(needed, len(multiple))
    needed.set_ylabel("random multiple needed")
    plotting.legend(fig, ncol=min(7, len(shown) + 1))


def plot_generalisation(results: Results) -> None:
    """At ``GEN_LAYER``: the sparse L0 probe (``GEN_LAMBDA``) trained on the row's paradigm and
    evaluated on the column's (top), and its accuracy minus that of the lambda = 1 probe (bottom;
    blue: the sparse probe is worse)."""
    p, r = results.parameters, results.probes
    names = r.paradigms
    sparse = r.generalisation[results.lambda_index(p.GEN_LAMBDA)]
    dense = r.generalisation[results.lambda_index(1.0)]
    annotate = len(names) <= 10  # 19 x 19 numbers are too small to read at page width
    # columns by number: 19 rotated names would take more room than the matrices
    rows = [f"{name} ({k + 1})" for k, name in enumerate(names)]
    columns = [str(k + 1) for k in range(len(names))]
    # one above the other: side by side, two 19 x 19 matrices get an inch each at page width
    _, axes = plotting.grid(2, 1, panel_height=3.4, width=0.85 * plotting.PAGE_WIDTH, sharex=False)
    top, bottom = axes[:, 0]
    plotting.annotated_heatmap(
        top, sparse, rows, columns, cmap="viridis", vmin=0, vmax=1, colorbar="accuracy",
        annotate=annotate,
    )  # fmt: skip
    plotting.annotated_heatmap(
        bottom, sparse - dense, rows, columns, fmt="{:+.2f}", cmap="RdBu_r", vmin=-0.5, vmax=0.5,
        colorbar="sparse − dense", annotate=annotate,
    )  # fmt: skip
    top.set_title(f"sparse probe (λ = {p.GEN_LAMBDA}), layer {p.GEN_LAYER}")
    bottom.set_title("sparse − dense (λ = 1.0)")
    for ax in (top, bottom):
        ax.set_ylabel("trained on")
        ax.set_xlabel("evaluated on")

"""Chapter 1's figures, drawn from its results: cosines per layer, gaps per design, the
probes' accuracy and retrieval."""

from __future__ import annotations

from collections.abc import Sequence

from ...kit import plotting
from ...methods.pair_similarity import PairAnalysis
from .analysis import Results
from .parameters import DESIGNS, FEATURE_NAMES


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

"""One figure style for the whole book."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

COLORS = {"parallel": "#1f77b4", "non-parallel": "#ff7f0e", "random": "#7f7f7f"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def setup() -> None:
    """Apply the book's matplotlib style (call once per chapter)."""
    plt.rcParams.update({
        "figure.dpi": 110, "savefig.dpi": 110, "axes.spines.top": False, "axes.spines.right": False,
        "axes.grid": True, "grid.alpha": 0.3, "font.size": 9, "axes.titlesize": 10, "legend.fontsize": 8,
        "legend.frameon": False,
    })


def panels(n: int, ncols: int = 4, width: float = 3.2, height: float = 2.6, sharey: bool = True):
    """A row-major grid of ``n`` axes; extra axes are hidden. Returns ``(fig, axes list)``."""
    nrows = -(-n // ncols)
    ncols = min(ncols, n)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), sharey=sharey, squeeze=False, layout="constrained"
    )
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def layer_band(ax, values: np.ndarray, label: str, color: str | None = None, spread: str = "std") -> None:
    """Mean over rows of ``values [n, L]`` per layer, with a ±1 std (or 25-75 % quantile) band."""
    layers = np.arange(values.shape[1])
    mean = values.mean(0)
    if spread == "std":
        low, high = mean - values.std(0), mean + values.std(0)
    else:
        low, high = np.quantile(values, [0.25, 0.75], axis=0)
    ax.plot(layers, mean, color=color, label=label, lw=1.6)
    ax.fill_between(layers, low, high, color=color, alpha=0.2, lw=0)


def layer_line(ax, values: Sequence[float], label: str, color: str | None = None, style: str = "-") -> None:
    ax.plot(np.arange(len(values)), values, style, color=color, label=label, lw=1.6, marker=".")


def label_axes(axes, xlabel: str = "layer", ylabel: str | None = None, titles: Sequence[str] | None = None) -> None:
    for k, ax in enumerate(axes):
        ax.set_xlabel(xlabel)
        if titles is not None:
            ax.set_title(titles[k])
    if ylabel:
        axes[0].set_ylabel(ylabel)


def heatmap(ax, matrix: np.ndarray, rows: Sequence[str], columns: Sequence[str], cmap: str = "viridis",
            vmin: float | None = None, vmax: float | None = None, label: str | None = None):
    """``matrix [len(rows), len(columns)]`` as an image with tick labels and a colour bar."""
    image = ax.imshow(matrix, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=6)
    ax.set_yticks(range(len(rows)), rows, fontsize=6)
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    return image

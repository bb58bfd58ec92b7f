"""One plotting vocabulary for the whole book: figure grids sized for the page, layer axes,
bands, chance lines, annotated heatmaps and legends that stay off the curves.

Every helper draws into axes it is given and returns ``None`` (or the image of a heatmap), so a
notebook cell that ends with a plotting call prints no object repr into the book.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

PAGE_WIDTH = 6.3  # inches: the text column of the book (about 690 px at the dpi below)
DPI = 110
COLORS = {"parallel": "#1f77b4", "non-parallel": "#ff7f0e", "random": "#7f7f7f"}
# line style of each non-parallel design (chapters 1 and 2)
DESIGN_STYLE = {"derangement": "-", "disjoint": "--", "cross-corpus": ":"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def setup() -> None:
    """Apply the book's matplotlib style (once per chapter)."""
    plt.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 8.5,
            "axes.titlesize": 9,
            "axes.labelsize": 8.5,
            "legend.fontsize": 7.5,
            "legend.frameon": False,
            "xtick.labelsize": 7.5,
            "ytick.labelsize": 7.5,
        }
    )


def color(k: int) -> str:
    """The ``k``-th colour of the palette (cycling)."""
    return PALETTE[k % len(PALETTE)]


def grid(
    nrows: int,
    ncols: int,
    panel_height: float = 2.1,
    width: float = PAGE_WIDTH,
    sharex: bool = True,
    sharey: bool = False,
) -> tuple[Figure, np.ndarray]:
    """A ``nrows x ncols`` grid as wide as the page: returns ``(fig, axes [nrows, ncols])``."""
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width, panel_height * nrows),
        sharex=sharex,
        sharey=sharey,
        squeeze=False,
        layout="constrained",
    )
    return fig, axes


def single(width: float = 0.7 * PAGE_WIDTH, height: float = 2.8) -> tuple[Figure, Axes]:
    """One panel (narrower than the page: a single curve plot needs no more)."""
    fig, axes = grid(1, 1, panel_height=height, width=width)
    return fig, axes[0, 0]


def layer_axis(ax: Axes, n_layers: int | None = None, label: str = "layer") -> None:
    """Integer layer ticks (layers are numbered from 0) and the axis label."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    if n_layers is not None:
        ax.set_xlim(-0.5, n_layers - 0.5)
    ax.set_xlabel(label)


def layer_line(
    ax: Axes, values: Sequence[float], label: str | None, color: str | None = None, style: str = "-"
) -> None:
    """One value per layer."""
    ax.plot(
        np.arange(len(values)), values, style, color=color, label=label, lw=1.5, marker=".", ms=3
    )
    layer_axis(ax, len(values))


def layer_band(
    ax: Axes,
    values: np.ndarray,
    label: str | None,
    color: str | None = None,
    spread: str = "std",
    style: str = "-",
) -> None:
    """Mean over rows of ``values [n, L]`` per layer with a band: ±1 std (``"std"``), the 25-75 %
    quantiles (``"quartiles"``) or the minimum to maximum (``"range"``) over rows."""
    layers = np.arange(values.shape[1])
    mean = values.mean(0)
    if spread == "std":
        low, high = mean - values.std(0), mean + values.std(0)
    elif spread == "quartiles":
        low, high = np.quantile(values, [0.25, 0.75], axis=0)
    elif spread == "range":
        low, high = values.min(0), values.max(0)
    else:
        raise ValueError(f"unknown spread {spread!r}; allowed: std, quartiles, range")
    ax.plot(layers, mean, style, color=color, label=label, lw=1.5)
    if len(values) > 1:
        ax.fill_between(layers, low, high, color=color, alpha=0.18, lw=0)
    layer_axis(ax, values.shape[1])


def chance_line(ax: Axes, value: float, label: str | None = "chance") -> None:
    """A dotted horizontal reference line (chance level, a random baseline, zero)."""
    ax.axhline(value, color="k", lw=0.8, ls=":", label=label)


def legend(where: Axes | Figure, ncol: int = 1, **kwargs) -> None:
    """A legend: on one panel, or for a whole figure below its panels (never over the curves).

    On a figure, entries with the same label are shown once.
    """
    if isinstance(where, Figure):
        handles, labels = {}, []
        for ax in where.axes:
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                if label not in handles:
                    handles[label] = handle
                    labels.append(label)
        where.legend(
            [handles[k] for k in labels], labels, loc="outside lower center", ncol=ncol, **kwargs
        )
    else:
        where.legend(ncol=ncol, **kwargs)


def titles(
    axes: np.ndarray,
    row_titles: Sequence[str] | None = None,
    column_titles: Sequence[str] | None = None,
) -> None:
    """Titles on the top row and labels on the left column of a 2-D grid (x labels on the bottom
    row only)."""
    for ax in axes[:-1].ravel():
        ax.set_xlabel("")
    if column_titles is not None:
        for ax, title in zip(axes[0], column_titles, strict=True):
            ax.set_title(title)
    if row_titles is not None:
        for ax, title in zip(axes[:, 0], row_titles, strict=True):
            ax.set_ylabel(title)


def annotated_heatmap(
    ax: Axes,
    matrix: np.ndarray,
    rows: Sequence[str],
    columns: Sequence[str],
    fmt: str = "{:.2f}",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: str | None = None,
    color_values: np.ndarray | None = None,
    annotate: bool = True,
    fontsize: float | None = None,
):
    """``matrix [len(rows), len(columns)]`` as an image with tick labels, an optional colour bar and
    each cell's value written in it (``fmt``). ``color_values`` colours the cells by another matrix
    of the same shape (e.g. a log scale) while the text shows ``matrix``. Returns the image."""
    matrix = np.asarray(matrix)
    shown = matrix if color_values is None else np.asarray(color_values)
    image = ax.imshow(
        shown, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest"
    )
    small = max(len(rows), len(columns)) > 10
    ax.set_xticks(
        range(len(columns)),
        columns,
        rotation=90 if max(map(len, columns)) > 3 else 0,
        fontsize=6 if small else None,
    )
    ax.set_yticks(range(len(rows)), rows, fontsize=6 if small else None)
    ax.grid(False)
    if colorbar is not None:
        ax.figure.colorbar(image, ax=ax, label=colorbar, shrink=0.85)
    if annotate:
        for (i, j), value in np.ndenumerate(matrix):
            red, green, blue, _ = image.cmap(image.norm(shown[i, j]))
            # text colour readable on the cell
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(
                j,
                i,
                fmt.format(value),
                ha="center",
                va="center",
                fontsize=fontsize or (5 if small else 7),
                color="w" if dark else "k",
            )
    return image

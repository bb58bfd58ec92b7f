"""Chapter 2: L1/L2 common neurons ranked by average precision, and their ablation.

A neuron's score for a pair is ``(|a(S_L1)| + |a(S_L2)|) / 2`` at the last token (or the product
``a(S_L1) a(S_L2)``); its average precision says how well that score alone separates parallel
from non-parallel pairs (Tezuka & Inoue §3.3, after Suau et al. 2022). ``analyse`` ranks every
neuron for every L2, design (derangement, disjoint, cross-corpus) and score, correlates each
neuron with the L1 sentence's token count on the cross-corpus pairs, and measures chapter 1's
similarity with the top set, random matched sets and the product score's top set zeroed;
``summarise`` gives every number the chapter quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .. import data
from ..book import plotting
from ..book.parameters import check_choice, check_int, check_number, glue_name, PairParameters
from ..core.activations import TextActivations
from ..core.interventions import Intervention
from ..core.models import LoadedModel
from ..core.neurons import NeuronSet, edge_layers
from ..data import PairSet
from ..methods.ranking import average_precision, pair_scores, pearson_columns
from .ch01_cross_lingual_similarity import (
    DESIGN_STYLE,
    PairAnalysis,
    activations_by_text,
    analyse_pairs,
    token_counts,
)

# non-parallel designs: a derangement of the same sentences; a disjoint pool; another corpus
DESIGNS = data.DESIGNS
NEURON_SITES = ("neurons", "gate")  # act(gate(x)) * up(x), the paper's definition; act(gate(x))
SCORES = ("mean_abs", "product")  # pair scores (Tezuka & Inoue eq. 4 and footnote 3)
CONDITIONS = ("none", "top", "random")  # what is zeroed in the ablation
CLASSES = ("parallel", "non-parallel")
AP_CHANCE = 0.5  # AP of a random scorer: half of the pairs are parallel
TOP_AP_COUNT = 100  # "the top 100 neurons" of the prose


@dataclass(frozen=True)
class Parameters(PairParameters):
    """Chapter 2's parameters (defaults: the ``quick`` profile): the pairs, then the neurons."""

    # neurons: act(gate(x)) * up(x) (the paper's definition); gate: act(gate(x))
    NEURON_SITE: str = "neurons"
    TOP_NEURON_FRACTION: float = 0.033  # the paper's 15,000 of ~450k neurons
    N_RANDOM_SEEDS: int = 1  # random matched sets for the baseline (the paper profile: 3)

    CHAPTER: ClassVar[str] = "02"
    PAPER: ClassVar[dict[str, Any]] = {**PairParameters.PAPER, "N_RANDOM_SEEDS": 3}

    TINY: ClassVar[dict[str, Any]] = {
        "L2_LANGUAGES": ["it"],
        "N_PAIRS": 24,
        "N_PAIRS_DISJOINT": 20,
        "N_PAIRS_CROSS_CORPUS": 20,
        "N_RANDOM_SEEDS": 1,
        "TOP_NEURON_FRACTION": 0.01,
    }

    def check(self) -> None:
        super().check()
        check_choice("NEURON_SITE", self.NEURON_SITE, NEURON_SITES)
        # at most half: random matched sets are drawn outside the top set, layer by layer
        check_number("TOP_NEURON_FRACTION", self.TOP_NEURON_FRACTION, 0.0, 0.5, low_open=True)
        check_int("N_RANDOM_SEEDS", self.N_RANDOM_SEEDS, 1)


# --------------------------------------------------------------------------- analysis steps


def neuron_ap(
    ps: PairSet, acts: dict[str, TextActivations], site: str = "neurons", kind: str = "mean_abs"
) -> np.ndarray:
    """Average precision of every neuron for one pair set: ``[layers, neurons]``."""
    a1, a2 = acts[ps.l1].rows(ps.l1_texts, site), acts[ps.l2].rows(ps.l2_texts, site)
    scores = pair_scores(a1, a2, ps.pairs, kind)  # [n_pairs, L, N]
    return average_precision(scores.reshape(len(ps.pairs), -1), ps.labels).reshape(a1.shape[1:])


def similarity_with(
    model: LoadedModel,
    ps: PairSet,
    interventions: Sequence[Intervention],
    pooling: str = "last",
    batch_size: int = 32,
) -> PairAnalysis:
    """Chapter 1's per-layer similarity of ``ps`` with ``interventions`` applied (no probes)."""
    acts = activations_by_text(model, [ps], ["residual"], pooling, batch_size, interventions)
    return analyse_pairs(ps, acts, sites=("residual",), features=())


def zeroing_effects(
    model: LoadedModel,
    ps: PairSet,
    top: NeuronSet,
    n_random: int,
    seed: int = 0,
    site: str = "neurons",
    pooling: str = "last",
    batch_size: int = 32,
    none: PairAnalysis | None = None,
) -> dict[str, list[PairAnalysis]]:
    """Similarity with nothing zeroed, with ``top`` zeroed, and with ``n_random`` random sets
    of the same size per layer (drawn outside ``top``) zeroed, one per seed. ``none``: the
    similarity with nothing zeroed where it is already known (measured otherwise)."""
    randoms = [NeuronSet.random_matched(top, seed=seed + k, exclude=top) for k in range(n_random)]

    def zeroed(neurons: NeuronSet) -> PairAnalysis:
        return similarity_with(
            model, ps, [Intervention(neurons, "zero", site=site)], pooling, batch_size
        )

    return {
        "none": [similarity_with(model, ps, [], pooling, batch_size) if none is None else none],
        "top": [zeroed(top)],
        "random": [zeroed(r) for r in randoms],
    }


def top_mean(ap: np.ndarray, k: int) -> float:
    """Mean AP of the ``k`` best neurons."""
    return float(np.sort(ap.ravel())[::-1][:k].mean())


def length_ap(ps: PairSet, tokens: dict[str, int]) -> tuple[float, str]:
    """AP of the L1 sentence's token count as a pair score, in the better direction:
    ``(AP, "longer" | "shorter")`` (which pairs the score calls parallel)."""
    counts = np.array([tokens[ps.l1_texts[i]] for i in ps.pairs[:, 0]], dtype=np.float64)
    ap = average_precision(np.stack([counts, -counts], axis=1), ps.labels)
    return (float(ap[0]), "longer") if ap[0] >= ap[1] else (float(ap[1]), "shorter")


def length_correlation(
    ps: PairSet, acts: dict[str, TextActivations], tokens: dict[str, int], site: str
) -> np.ndarray:
    """Pearson correlation of each neuron's ``|a|`` with the token count over the L1 sentences of
    ``ps`` (both classes): ``[layers, neurons]``."""
    texts = list(dict.fromkeys(ps.l1_texts[i] for i in ps.pairs[:, 0]))
    counts = np.array([tokens[t] for t in texts], dtype=np.float64)
    return pearson_columns(np.abs(acts[ps.l1].rows(texts, site)), counts)


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 2's figures, tables and summary read."""

    parameters: Parameters
    n_layers: int
    n_neurons: int
    n_top: int
    ap: dict[tuple[str, str, str], np.ndarray]  # (L2, design, score) -> AP [layers, neurons]
    top: dict[tuple[str, str, str], NeuronSet]  # (L2, design, score) -> the n_top best neurons
    effects: dict[str, dict[str, list[PairAnalysis]]]  # L2 -> condition (none/top/random) -> runs
    product: dict[str, PairAnalysis]  # L2 -> similarity with the product score's top set zeroed
    length_ap: dict[tuple[str, str], tuple[float, str]]  # (L2, design) -> AP of the token count
    # L2 -> correlation of |a| with the L1 token count, cross-corpus L1 sentences [layers, neurons]
    length_r: dict[str, np.ndarray]

    def main_top(self, l2: str) -> NeuronSet:
        """The top set of the main ranking: derangement design, mean-of-abs score."""
        return self.top[(l2, "derangement", "mean_abs")]

    def gap(self, l2: str, condition: str, kind: str = "centred") -> np.ndarray:
        """Parallel minus non-parallel cosine per layer (residual stream, derangement pairs), with
        ``condition`` zeroed; random: mean over the seeds. ``[layers]``."""
        return np.mean([run.gap("residual", kind) for run in self.effects[l2][condition]], axis=0)

    def drop(self, kind: str, label: str, condition: str) -> float:
        """Mean over L2s and layers of the change in mean cosine of one class when ``condition``
        is zeroed (random: mean over seeds)."""
        return float(
            np.mean(
                [
                    np.mean(
                        [
                            run.cosine[("residual", kind)][label].mean()
                            for run in self.effects[l2][condition]
                        ]
                    )
                    - self.effects[l2]["none"][0].cosine[("residual", kind)][label].mean()
                    for l2 in self.parameters.L2_LANGUAGES
                ]
            )
        )


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """AP of every neuron for every L2, design and score; top sets; token-count AP and
    correlations; similarity with the top set, random matched sets and the product score's top
    set zeroed (derangement pairs)."""
    pairsets = p.pair_sets()
    # the residual stream too, for the similarity with nothing zeroed: chapter 1 extracted it
    # for the same pair sets (its cache answers on a shared profile; otherwise it comes from
    # this pass at little cost, instead of one more pass per L2)
    acts = activations_by_text(
        model, list(pairsets.values()), [p.NEURON_SITE, "residual"], "last", p.BATCH_SIZE
    )
    unablated = {
        l2: analyse_pairs(pairsets[(l2, "derangement")], acts, sites=("residual",), features=())
        for l2 in p.L2_LANGUAGES
    }
    for text_acts in acts.values():
        del text_acts.values["residual"]  # only the neurons are read from here on
    tokens = token_counts(model, [t for ps in pairsets.values() for t in ps.l1_texts])
    lengths = {key: length_ap(ps, tokens) for key, ps in pairsets.items()}
    length_r = {
        l2: length_correlation(pairsets[(l2, "cross-corpus")], acts, tokens, p.NEURON_SITE)
        for l2 in p.L2_LANGUAGES
    }
    ap = {
        (l2, design, kind): neuron_ap(pairsets[(l2, design)], acts, p.NEURON_SITE, kind)
        for (l2, design) in pairsets
        for kind in SCORES
    }
    n_top = round(p.TOP_NEURON_FRACTION * model.n_layers * model.n_neurons)
    if n_top < 1:
        raise ValueError(
            f"TOP_NEURON_FRACTION={p.TOP_NEURON_FRACTION} selects no neuron of the "
            f"{model.n_layers * model.n_neurons} of {model.name}"
        )
    top = {key: NeuronSet.top_n(scores, n_top) for key, scores in ap.items()}
    effects = {
        l2: zeroing_effects(
            model,
            pairsets[(l2, "derangement")],
            top[(l2, "derangement", "mean_abs")],
            p.N_RANDOM_SEEDS,
            p.SEED,
            p.NEURON_SITE,
            batch_size=p.BATCH_SIZE,
            none=unablated[l2],
        )
        for l2 in p.L2_LANGUAGES
    }
    product = {
        l2: similarity_with(
            model,
            pairsets[(l2, "derangement")],
            [Intervention(top[(l2, "derangement", "product")], "zero", site=p.NEURON_SITE)],
            batch_size=p.BATCH_SIZE,
        )
        for l2 in p.L2_LANGUAGES
    }
    return Results(
        p, model.n_layers, model.n_neurons, n_top, ap, top, effects, product, lengths, length_r
    )


def l2_overlap(results: Results) -> np.ndarray:
    """Jaccard overlap of the main top sets between L2s: ``[L2, L2]``."""
    l2s = results.parameters.L2_LANGUAGES
    return np.array(
        [[results.main_top(a).overlap(results.main_top(b)) for b in l2s] for a in l2s], dtype=float
    )


DESIGN_PAIRS = (
    ("derangement", "disjoint"),
    ("derangement", "cross-corpus"),
    ("disjoint", "cross-corpus"),
)


def _design_and_score(results: Results) -> pd.DataFrame:
    l2s = results.parameters.L2_LANGUAGES
    top = results.top
    return pd.DataFrame(
        {
            **{
                f"{a} vs {b} (mean-of-abs)": {
                    l2: top[(l2, a, "mean_abs")].overlap(top[(l2, b, "mean_abs")]) for l2 in l2s
                }
                for a, b in DESIGN_PAIRS
            },
            "mean-of-abs vs product (derangement)": {
                l2: top[(l2, "derangement", "mean_abs")].overlap(
                    top[(l2, "derangement", "product")]
                )
                for l2 in l2s
            },
        }
    )


def _score_variants(results: Results) -> pd.DataFrame:
    l2s = results.parameters.L2_LANGUAGES
    return pd.DataFrame(
        {
            "none": {l2: results.gap(l2, "none").mean() for l2 in l2s},
            "zero mean-of-abs top": {l2: results.gap(l2, "top").mean() for l2 in l2s},
            "zero product top": {
                l2: results.product[l2].gap("residual", "centred").mean() for l2 in l2s
            },
            "zero random (mean)": {l2: results.gap(l2, "random").mean() for l2 in l2s},
        }
    )


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 2 quotes (glued under these names), its random baselines, and the
    per-L2 / per-layer data behind the figures and tables."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    n_all = results.n_layers * results.n_neurons
    ap_top100 = {
        l2: top_mean(results.ap[(l2, "derangement", "mean_abs")], TOP_AP_COUNT) for l2 in l2s
    }
    ap_top100_disjoint = {
        l2: top_mean(results.ap[(l2, "disjoint", "mean_abs")], TOP_AP_COUNT) for l2 in l2s
    }
    per_layer = np.array([results.main_top(l2).per_layer() for l2 in l2s])  # [L2, L]
    edges = edge_layers(results.n_layers)
    edge_share = per_layer[:, edges].sum() / per_layer.sum()
    overlap = l2_overlap(results)
    off_diagonal = overlap[~np.eye(len(l2s), dtype=bool)]
    frac = results.n_top / n_all
    design_and_score = _design_and_score(results)
    variants = _score_variants(results)
    shrink = variants["none"] - variants["zero mean-of-abs top"]
    out: dict[str, Any] = {
        "n_top": results.n_top,
        "n_all": n_all,
        "n_pairs": p.N_PAIRS,  # per class, derangement design
        "ap_chance": AP_CHANCE,
        "ap_top100_min": min(ap_top100.values()),
        "ap_top100_max": max(ap_top100.values()),
        "ap_top100_dis_min": min(ap_top100_disjoint.values()),
        "ap_top100_dis_max": max(ap_top100_disjoint.values()),
        "ap_median": float(
            np.median([np.median(results.ap[(l2, "derangement", "mean_abs")]) for l2 in l2s])
        ),
        "edge_share": float(100 * edge_share),
        "edge_share_uniform": 100 * len(edges) / results.n_layers,
        "peak_layer": int(per_layer.sum(0).argmax()),
        "random_overlap": frac / (2 - frac),  # expected Jaccard overlap of two random sets of n_top
        "l2_overlap_mean": float(off_diagonal.mean())
        if off_diagonal.size
        else float("nan"),  # nan: one L2
        "design_overlap_mean": float(design_and_score.iloc[:, 0].mean()),
        "score_overlap_mean": float(design_and_score.iloc[:, -1].mean()),
        # the centred gap with the product score's top set zeroed (footnote 3), mean over L2s
        "gap_centred_product": float(variants["zero product top"].mean()),
        # L2s with the product set zeroed closing the centred gap more than the top set
        "product_beats_top": ", ".join(
            l2
            for l2 in l2s
            if variants.loc[l2, "zero product top"] < variants.loc[l2, "zero mean-of-abs top"]
        )
        or "none",
        # the L2s whose centred gap (mean over layers) the top set closes most and least
        "gap_shrink_most": str(shrink.idxmax()),
        "gap_shrink_least": str(shrink.idxmin()),
        "n_random_seeds": p.N_RANDOM_SEEDS,
    }
    out.update(_design_summary(results))
    for kind in ("raw", "centred"):
        for label in CLASSES:
            for condition in ("top", "random"):
                out[f"drop_{kind}_{label.replace('-', '')}_{condition}"] = results.drop(
                    kind, label, condition
                )
        for condition in CONDITIONS:
            out[f"gap_{kind}_{condition}"] = float(
                np.mean([results.gap(l2, condition, kind).mean() for l2 in l2s])
            )
    out["top_per_layer"] = {l2: per_layer[k].tolist() for k, l2 in enumerate(l2s)}
    out["mean_ap_top100"] = ap_top100
    out["mean_ap_top100_disjoint"] = ap_top100_disjoint
    out["l2_overlap"] = overlap.tolist()
    out["design_and_score_overlap"] = design_and_score.to_dict()
    out["centred_gap_per_layer"] = {
        f"{l2} {c}": results.gap(l2, c).tolist() for l2 in l2s for c in CONDITIONS
    }
    out["raw_gap_per_layer"] = {
        f"{l2} {c}": results.gap(l2, c, "raw").tolist() for l2 in l2s for c in CONDITIONS
    }
    out["score_variants"] = variants.to_dict()
    out["units"] = {
        "ap_*": "average precision (0.5: chance)",
        "n_top, n_all": "neurons",
        "edge_share*": "% of the top neurons in the first and last three layers",
        "*_overlap*": "Jaccard overlap of top sets",
        "*_layer": "layer index, from 0",
        "drop_*": "change of mean cosine (zeroed − nothing zeroed), mean over L2s and layers",
        "gap_*, score_variants": "parallel − non-parallel cosine, mean over L2s and layers",
    }
    return out


def _design_summary(results: Results) -> dict[str, Any]:
    """Per design: top-100 AP, edge-layer share and the token count's AP; overlaps of the top
    sets between designs; how the cross-corpus top neurons track the token count."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    edges = edge_layers(results.n_layers)
    out: dict[str, Any] = {"designs": []}
    table = _design_and_score(results)
    for design in DESIGNS:
        slug = glue_name(design)
        ap100 = [top_mean(results.ap[(l2, design, "mean_abs")], TOP_AP_COUNT) for l2 in l2s]
        per_layer = np.array([results.top[(l2, design, "mean_abs")].per_layer() for l2 in l2s])
        lengths = [results.length_ap[(l2, design)] for l2 in l2s]
        out[f"ap_top100_{slug}_min"], out[f"ap_top100_{slug}_max"] = min(ap100), max(ap100)
        out[f"edge_share_{slug}"] = float(100 * per_layer[:, edges].sum() / per_layer.sum())
        out[f"peak_layer_{slug}"] = int(per_layer.sum(0).argmax())
        out[f"length_ap_{slug}_min"] = min(ap for ap, _ in lengths)
        out[f"length_ap_{slug}_max"] = max(ap for ap, _ in lengths)
        out[f"length_direction_{slug}"] = "/".join(dict.fromkeys(d for _, d in lengths))
        out["designs"].append(
            {
                "design": design,
                "top-100 AP": f"{min(ap100):.3f}–{max(ap100):.3f}",
                "token count AP": f"{out[f'length_ap_{slug}_min']:.3f}–"
                f"{out[f'length_ap_{slug}_max']:.3f}",
                "top set in first/last 3 layers (%)": round(out[f"edge_share_{slug}"], 1),
                "busiest layer": out[f"peak_layer_{slug}"],
            }
        )
    for a, b in DESIGN_PAIRS[1:]:
        column = f"{a} vs {b} (mean-of-abs)"
        out[f"overlap_{glue_name(a)}_{glue_name(b)}_mean"] = float(table[column].mean())
    # |r| of each neuron's |a| with the token count over the cross-corpus L1 sentences
    abs_r = {l2: np.abs(results.length_r[l2]) for l2 in l2s}
    groups = {
        "all": [abs_r[l2].ravel() for l2 in l2s],
        "top_cross": [
            abs_r[l2][_top_ap_mask(results.ap[(l2, "cross-corpus", "mean_abs")])] for l2 in l2s
        ],
        "top_derangement": [
            abs_r[l2][_top_ap_mask(results.ap[(l2, "derangement", "mean_abs")])] for l2 in l2s
        ],
    }
    for name, values in groups.items():
        joined = np.concatenate(values)
        out[f"length_r_{name}_median"] = float(np.median(joined))
        out[f"length_r_{name}_above_half_pct"] = float(100 * (joined > 0.5).mean())
    out["length_r_hist"] = {
        name: np.histogram(np.concatenate(values), bins=20, range=(0, 1))[0].tolist()
        for name, values in groups.items()
    }
    return out


def _top_ap_mask(ap: np.ndarray, k: int = TOP_AP_COUNT) -> np.ndarray:
    """The ``k`` highest APs of all layers as a boolean mask ``[layers, neurons]`` (all of them
    where the model has fewer neurons)."""
    return NeuronSet.top_n(ap, min(k, ap.size)).mask


# --------------------------------------------------------------------------- tables


def design_score_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per L2: overlap of the top sets between the two designs and between the two scores."""
    return pd.DataFrame(summary["design_and_score_overlap"]).round(3)


def gap_table(results: Results) -> pd.DataFrame:
    """Centred gap per layer (rows) for every L2 and condition (columns; random: mean over seeds)."""
    table = pd.DataFrame(
        {(l2, c): results.gap(l2, c) for l2 in results.parameters.L2_LANGUAGES for c in CONDITIONS}
    )
    table.index.name = "layer"
    # 12 columns: two decimals and a short "rand." keep the table within the page
    return table.rename(columns={"random": "rand."}, level=1).round(2)


def design_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per non-parallel design: top-100 AP and the token count's AP (ranges over L2s),
    the top set's share in the edge layers and its busiest layer (summed over L2s)."""
    return pd.DataFrame(summary["designs"]).set_index("design")


def score_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Centred gap (mean over layers) per L2 with nothing, each top set or random sets zeroed."""
    table = pd.DataFrame(summary["score_variants"])
    table.index.name = "centred gap, mean over layers"
    return table.round(3)


# --------------------------------------------------------------------------- figures


def plot_ap_by_rank(results: Results, kind: str = "mean_abs") -> None:
    """AP of the top ``n_top`` neurons by rank (log scale) for each L2; solid: derangement,
    dashed: disjoint, dotted: cross-corpus design."""
    p = results.parameters
    fig, ax = plotting.single()
    ranks = np.arange(1, results.n_top + 1)
    for k, l2 in enumerate(p.L2_LANGUAGES):
        for design, style in DESIGN_STYLE.items():
            ranked = np.sort(results.ap[(l2, design, kind)].ravel())[::-1][: results.n_top]
            ax.plot(ranks, ranked, style, color=plotting.color(k), label=f"{l2} {design}", lw=1.5)
    plotting.chance_line(ax, AP_CHANCE)
    ax.set_xscale("log")
    ax.set_xlabel("rank")
    ax.set_ylabel("average precision")
    # one column per L2 (every design), then chance
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


CONDITION_STYLE = {"none": "-", "top": "--", "random": ":"}
CONDITION_NAMES = {"none": "nothing zeroed", "top": "top zeroed", "random": "random zeroed"}


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
    plotting.legend(fig, ncol=3)

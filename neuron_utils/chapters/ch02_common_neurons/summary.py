"""Chapter 2's summary: every number the chapter quotes, declared once with its kind and unit
(:data:`SUMMARY`), built by :func:`summarise`; the key functions name the keys built per
design, condition or cosine kind, for the summary and for whatever reads it (claims, tests)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...core.neurons import NeuronSet, edge_layers
from ...kit.parameters import glue_name
from ...kit.summary import Declaration, Entry, Kind
from ...methods import bootstrap
from ...methods.bootstrap import Interval
from .analysis import (
    AP_CHANCE,
    BASELINES,
    CLASSES,
    CONDITIONS,
    DESIGNS,
    HALF_CONDITIONS,
    TOP_AP_COUNT,
    Results,
    gap_replicates,
    l2_overlap,
    top_mean,
)
from .prose import how_many_l2s, l2_overlap_text

COSINES = ("raw", "centred")
# the held-out table's rows: what is zeroed on the held-out halves
HALF_NAMES = {
    "none": "nothing zeroed",
    "top": "top, chosen on all pairs",
    "held_out": "top, chosen on the other half",
    "random": "random (count per layer)",
    "magnitude": "random (count and |a| decile)",
}
DESIGN_PAIRS = (
    ("derangement", "disjoint"),
    ("derangement", "cross-corpus"),
    ("disjoint", "cross-corpus"),
)


# --------------------------------------------------------------------------- key functions


def gap_key(kind: str, condition: str) -> str:
    """The gap in ``kind`` cosine with ``condition`` zeroed, all derangement pairs."""
    return f"gap_{kind}_{condition}"


def half_gap_key(kind: str, condition: str) -> str:
    """The gap in ``kind`` cosine with ``condition`` zeroed, on the held-out halves."""
    return f"half_gap_{kind}_{condition}"


def drop_key(kind: str, label: str, condition: str) -> str:
    """The change of class ``label``'s ``kind`` cosine with ``condition`` zeroed."""
    return f"drop_{kind}_{label.replace('-', '')}_{condition}"


def half_drop_key(kind: str, label: str, condition: str) -> str:
    """:func:`drop_key` on the held-out halves."""
    return f"half_drop_{kind}_{label.replace('-', '')}_{condition}"


def half_shrink_key(kind: str, name: str) -> str:
    """The interval of a shrink of the ``kind`` gap on the held-out halves (``name``: shrink,
    beyond_random, beyond_2x_random, beyond_half_top; :func:`_shrink_intervals`)."""
    return f"half_{kind}_{name}_ci"


def product_shrink_key(name: str) -> str:
    """The interval of a shrink of the centred gap with the product score's top set zeroed."""
    return f"product_{name}_ci"


def design_key(quantity: str, design: str, statistic: str = "") -> str:
    """A per-design number: ``design_key("edge_share_null", "cross-corpus", "q95")`` ->
    ``edge_share_null_cross_corpus_q95``."""
    return f"{quantity}_{glue_name(design)}" + (f"_{statistic}" if statistic else "")


def length_r_key(group: str, statistic: str) -> str:
    """A statistic of |r| with the token count over a group of neurons: ``all``, ``top_cross``
    or ``top_derangement`` (the top 100 of that design)."""
    return f"length_r_{group}_{statistic}"


# --------------------------------------------------------------------------- the declaration

AP = "average precision (0.5: chance)"
GAP = "parallel − non-parallel cosine, mean over L2s and layers"
HALF_GAP = "parallel − non-parallel cosine on held-out halves, mean over L2s and layers"
JACCARD = "Jaccard overlap of top sets"
SHRINK = "95 % paired bootstrap interval over L1 sentences of the gap's shrink (cosine)"
DROP = "change of mean cosine (zeroed − nothing zeroed), mean over L2s and layers"
HALF_DROP = "change of mean cosine on held-out halves (zeroed − nothing zeroed)"

SUMMARY = Declaration(
    Entry("n_top", Kind.COUNT, "neurons"),
    Entry("n_all", Kind.COUNT, "neurons"),
    Entry("n_pairs", Kind.COUNT, "pairs per class, derangement design"),
    Entry("n_random_seeds", Kind.COUNT, "random sets per L2 and baseline"),
    Entry("n_permutations", Kind.COUNT, "permutations per L2 and design"),
    Entry("ap_chance", Kind.NUMBER, AP),
    Entry("ap_median", Kind.NUMBER, AP),
    Entry("ap_top100_*", Kind.NUMBER, f"{AP}, mean of the top 100, range over L2s"),
    Entry("edge_share*", Kind.NUMBER, "% of a top set in the first and last three layers"),
    Entry("peak_layer*", Kind.COUNT, "layer index, from 0"),
    Entry("random_overlap", Kind.NUMBER, f"{JACCARD} (two random sets of n_top)"),
    Entry("*_overlap_mean", Kind.NUMBER, f"{JACCARD}, mean over L2s (pairs)"),
    Entry("overlap_*_mean", Kind.NUMBER, f"{JACCARD}, between two designs, mean over L2s"),
    Entry("l2_overlap_text", Kind.TEXT, "a sentence"),
    Entry("product_beats_top", Kind.TEXT, "L2s, comma-separated (or none)"),
    Entry("gap_shrink_most", Kind.TEXT, "an L2"),
    Entry("gap_shrink_least", Kind.TEXT, "an L2"),
    Entry("gap_*", Kind.NUMBER, GAP),
    Entry("drop_*", Kind.NUMBER, DROP),
    Entry("length_ap_*", Kind.NUMBER, f"{AP} of the L1 token count, range over L2s"),
    Entry("length_direction_*", Kind.TEXT, "which pairs the token count calls parallel"),
    Entry("length_r_*_median", Kind.NUMBER, "|Pearson r| of a neuron with the token count"),
    Entry("length_r_*_above_half_pct", Kind.NUMBER, "% of neurons with |r| > 0.5"),
    Entry("null_top100_*_mean", Kind.NUMBER, f"{AP}, top-100 mean under permutations"),
    Entry("null_top100_*_q95_max", Kind.NUMBER, f"{AP}, 95th percentile under permutations"),
    Entry("null_top100_*_margin_*", Kind.NUMBER, "difference of AP (top 100 − null 95th pct.)"),
    Entry("null_top100_*_p_max", Kind.NUMBER, "permutation p-value, largest over L2s"),
    Entry("beyond_noise_*", Kind.COUNT, "neurons beyond noise (family-wise), range over L2s"),
    Entry("beyond_null_*", Kind.TEXT, "the L2s whose top 100 beat the null (p < 0.05)"),
    Entry("half_gap_*", Kind.NUMBER, HALF_GAP),
    Entry("half_drop_*", Kind.NUMBER, HALF_DROP),
    Entry("half_*_ci", Kind.INTERVAL, SHRINK),
    Entry("product_*_ci", Kind.INTERVAL, SHRINK),
    Entry("half_stricter_*", Kind.TEXT, "the stricter random baseline: random | magnitude"),
    Entry("product_stricter", Kind.TEXT, "the stricter random baseline: random | magnitude"),
    Entry("magnitude_fallback", Kind.COUNT, "neurons"),
    Entry("magnitude_fallback_pct", Kind.NUMBER, "% of the magnitude-matched draws"),
    Entry("designs", Kind.TABLE, "rows per design (their columns say their units)"),
    Entry("selection_null", Kind.TABLE, "rows per design and L2 (AP, p-value, neurons)"),
    Entry("held_out", Kind.CURVE, f"{HALF_GAP}: condition -> L2 -> gap (a table's columns)"),
    Entry("score_variants", Kind.CURVE, f"{GAP}: condition -> L2 -> gap (a table's columns)"),
    Entry("design_and_score_overlap", Kind.CURVE, f"{JACCARD}: comparison -> L2 -> overlap"),
    Entry("l2_overlap", Kind.CURVE, f"{JACCARD} between L2s, [L2, L2]"),
    Entry("top_per_layer", Kind.CURVE, "top neurons per layer, per L2"),
    Entry("mean_ap_top100*", Kind.CURVE, f"{AP}, mean of the top 100, per L2"),
    Entry("*_gap_per_layer", Kind.CURVE, "parallel − non-parallel cosine per layer"),
    Entry("length_r_hist", Kind.CURVE, "neurons per |r| bin (20 bins over [0, 1])"),
)


# --------------------------------------------------------------------------- summarise()


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 2 quotes (glued under these names), its random baselines, and the
    per-L2 / per-layer data behind the figures and tables (:data:`SUMMARY` says what each is)."""
    return {
        **_ranking_summary(results),
        **_design_summary(results),
        **_null_summary(results),
        **_held_out_summary(results),
        **_ablation_summary(results),
        **_curves(results),
    }


def _ranking_summary(results: Results) -> dict[str, Any]:
    """The main ranking (derangement design, mean-of-abs score): top-100 AP, where the top set
    lies, how it overlaps across L2s, designs and scores, and what zeroing each set leaves."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    n_all = results.n_layers * results.n_neurons
    ap_top100 = [top_mean(results.ap[(l2, "derangement", "mean_abs")], TOP_AP_COUNT) for l2 in l2s]
    ap_top100_disjoint = [
        top_mean(results.ap[(l2, "disjoint", "mean_abs")], TOP_AP_COUNT) for l2 in l2s
    ]
    per_layer = np.array([results.main_top(l2).per_layer() for l2 in l2s])  # [L2, L]
    edges = edge_layers(results.n_layers)
    overlap = l2_overlap(results)
    off_diagonal = overlap[~np.eye(len(l2s), dtype=bool)]
    frac = results.n_top / n_all
    design_and_score = _design_and_score(results)
    variants = _score_variants(results)
    shrink = variants["none"] - variants["zero mean-of-abs top"]
    return {
        "n_top": results.n_top,
        "n_all": n_all,
        "n_pairs": p.N_PAIRS,  # per class, derangement design
        "ap_chance": AP_CHANCE,
        "ap_top100_min": min(ap_top100),
        "ap_top100_max": max(ap_top100),
        "ap_top100_dis_min": min(ap_top100_disjoint),
        "ap_top100_dis_max": max(ap_top100_disjoint),
        "ap_median": float(
            np.median([np.median(results.ap[(l2, "derangement", "mean_abs")]) for l2 in l2s])
        ),
        "edge_share": float(100 * (per_layer[:, edges].sum() / per_layer.sum())),
        "edge_share_uniform": 100 * len(edges) / results.n_layers,
        "peak_layer": int(per_layer.sum(0).argmax()),
        "random_overlap": frac / (2 - frac),  # expected Jaccard overlap of two random sets of n_top
        # nan: one L2
        "l2_overlap_mean": float(off_diagonal.mean()) if off_diagonal.size else float("nan"),
        "l2_overlap_text": l2_overlap_text(
            off_diagonal.mean() if off_diagonal.size else None, frac / (2 - frac)
        ),
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


def _curves(results: Results) -> dict[str, Any]:
    """The per-L2 and per-layer values behind the figures and tables."""
    l2s = results.parameters.L2_LANGUAGES
    per_layer = {l2: results.main_top(l2).per_layer().tolist() for l2 in l2s}
    return {
        "top_per_layer": per_layer,
        "mean_ap_top100": {
            l2: top_mean(results.ap[(l2, "derangement", "mean_abs")], TOP_AP_COUNT) for l2 in l2s
        },
        "mean_ap_top100_disjoint": {
            l2: top_mean(results.ap[(l2, "disjoint", "mean_abs")], TOP_AP_COUNT) for l2 in l2s
        },
        "l2_overlap": l2_overlap(results).tolist(),
        "design_and_score_overlap": _design_and_score(results).to_dict(),
        "centred_gap_per_layer": {
            f"{l2} {c}": results.gap(l2, c).tolist() for l2 in l2s for c in CONDITIONS
        },
        "raw_gap_per_layer": {
            f"{l2} {c}": results.gap(l2, c, "raw").tolist() for l2 in l2s for c in CONDITIONS
        },
        "score_variants": _score_variants(results).to_dict(),
    }


def _design_and_score(results: Results) -> pd.DataFrame:
    """Per L2 (rows): the overlap of the top sets between each two designs and between the two
    scores (columns)."""
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
    """Per L2 (rows): the centred gap, mean over layers, with nothing, each top set or the
    random sets zeroed (columns)."""
    l2s = results.parameters.L2_LANGUAGES
    return pd.DataFrame(
        {
            "none": {l2: results.gap(l2, "none").mean() for l2 in l2s},
            "zero mean-of-abs top": {l2: results.gap(l2, "top").mean() for l2 in l2s},
            "zero product top": {
                l2: results.product[l2].gap("residual", "centred").mean() for l2 in l2s
            },
            "zero random (mean)": {l2: results.gap(l2, "random").mean() for l2 in l2s},
            "zero |a|-matched random (mean)": {
                l2: results.gap(l2, "magnitude").mean() for l2 in l2s
            },
        }
    )


def _design_summary(results: Results) -> dict[str, Any]:
    """Per design: top-100 AP, edge-layer share and the token count's AP; overlaps of the top
    sets between designs; how the cross-corpus top neurons track the token count."""
    l2s = results.parameters.L2_LANGUAGES
    edges = edge_layers(results.n_layers)
    out: dict[str, Any] = {"designs": []}
    table = _design_and_score(results)
    for design in DESIGNS:
        ap100 = [top_mean(results.ap[(l2, design, "mean_abs")], TOP_AP_COUNT) for l2 in l2s]
        per_layer = np.array([results.top[(l2, design, "mean_abs")].per_layer() for l2 in l2s])
        lengths = [results.length_ap[(l2, design)] for l2 in l2s]
        out[design_key("ap_top100", design, "min")] = min(ap100)
        out[design_key("ap_top100", design, "max")] = max(ap100)
        out[design_key("edge_share", design)] = float(
            100 * per_layer[:, edges].sum() / per_layer.sum()
        )
        out[design_key("peak_layer", design)] = int(per_layer.sum(0).argmax())
        out[design_key("length_ap", design, "min")] = min(ap for ap, _ in lengths)
        out[design_key("length_ap", design, "max")] = max(ap for ap, _ in lengths)
        out[design_key("length_direction", design)] = "/".join(dict.fromkeys(d for _, d in lengths))
        out["designs"].append(_design_row(out, design))
    for a, b in DESIGN_PAIRS[1:]:
        out[f"overlap_{glue_name(a)}_{glue_name(b)}_mean"] = float(
            table[f"{a} vs {b} (mean-of-abs)"].mean()
        )
    out.update(_length_correlation_summary(results))
    return out


def _design_row(out: dict[str, Any], design: str) -> dict[str, Any]:
    """The design table's row of ``design``, from its numbers in ``out``."""
    return {
        "design": design,
        "top-100 AP": f"{out[design_key('ap_top100', design, 'min')]:.3f}–"
        f"{out[design_key('ap_top100', design, 'max')]:.3f}",
        "token count AP": f"{out[design_key('length_ap', design, 'min')]:.3f}–"
        f"{out[design_key('length_ap', design, 'max')]:.3f}",
        "top set in first/last 3 layers (%)": round(out[design_key("edge_share", design)], 1),
        "busiest layer": out[design_key("peak_layer", design)],
    }


def _length_correlation_summary(results: Results) -> dict[str, Any]:
    """|r| of each neuron's |a| with the token count over the cross-corpus L1 sentences: its
    median and share above 0.5 for all neurons and each design's top 100, and histograms."""
    l2s = results.parameters.L2_LANGUAGES
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
    out: dict[str, Any] = {}
    for name, values in groups.items():
        joined = np.concatenate(values)
        out[length_r_key(name, "median")] = float(np.median(joined))
        out[length_r_key(name, "above_half_pct")] = float(100 * (joined > 0.5).mean())
    out["length_r_hist"] = {
        name: np.histogram(np.concatenate(values), bins=20, range=(0, 1))[0].tolist()
        for name, values in groups.items()
    }
    return out


def _top_ap_mask(ap: np.ndarray, k: int = TOP_AP_COUNT) -> np.ndarray:
    """The ``k`` highest APs of all layers as a boolean mask ``[layers, neurons]`` (all of them
    where the model has fewer neurons)."""
    return NeuronSet.top_n(ap, min(k, ap.size)).mask


def _null_summary(results: Results) -> dict[str, Any]:
    """Per design: the top-100 mean AP beside its permutation null (mean, 95th percentile,
    p-value) and the neurons beyond noise, per L2 (rows of a table) and over L2s."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    k = min(TOP_AP_COUNT, results.n_layers * results.n_neurons)
    out: dict[str, Any] = {"n_permutations": p.N_PERMUTATIONS, "selection_null": []}
    for design in DESIGNS:
        nulls = {l2: results.null[(l2, design)].first(k) for l2 in l2s}
        familywise = {l2: int(n.beyond_familywise().sum()) for l2, n in nulls.items()}
        margins = [n.observed - n.null_q95 for n in nulls.values()]
        p_values = [n.p_value for n in nulls.values()]
        means = [n.null_mean for n in nulls.values()]
        out[design_key("null_top100", design, "mean")] = float(np.mean(means))
        out[design_key("null_top100", design, "q95_max")] = float(
            max(n.null_q95 for n in nulls.values())
        )
        out[design_key("null_top100", design, "p_max")] = float(max(p_values))
        out[design_key("null_top100", design, "margin_min")] = float(min(margins))
        out[design_key("null_top100", design, "margin_max")] = float(max(margins))
        out[design_key("beyond_noise", design, "min")] = min(familywise.values())
        out[design_key("beyond_noise", design, "max")] = max(familywise.values())
        out[design_key("beyond_null", design)] = how_many_l2s(
            sum(pv < 0.05 for pv in p_values), len(l2s)
        )
        out.update(_null_edge_share(results, design))
        for l2, n in nulls.items():
            out["selection_null"].append(
                {
                    "design": design,
                    "L2": l2,
                    "top-100 AP": n.observed,
                    "null mean": n.null_mean,
                    "null 95 %": n.null_q95,
                    "p": n.p_value,
                    "beyond noise (family-wise)": familywise[l2],
                }
            )
    return out


def _null_edge_share(results: Results, design: str) -> dict[str, float]:
    """The share of the first and last layers in the top sets the permutations of ``design``
    select (Fig. 4's baseline): mean over permutations and L2s, and the largest 95th
    percentile over L2s."""
    edge = np.isin(np.arange(results.n_layers), edge_layers(results.n_layers))
    shares = [
        100
        * edge[
            results.null[(l2, design)].null_columns[:, : results.n_top] // results.n_neurons
        ].mean(1)
        for l2 in results.parameters.L2_LANGUAGES
    ]  # [P] per L2
    return {
        design_key("edge_share_null", design, "mean"): float(np.mean([sh.mean() for sh in shares])),
        design_key("edge_share_null", design, "q95"): float(
            max(np.quantile(sh, 0.95) for sh in shares)
        ),
    }


def _shrink_intervals(reps: dict[str, np.ndarray], top: str, stricter: str) -> dict[str, Interval]:
    """Intervals of how much zeroing ``top`` closes the gap against the ``stricter`` random
    baseline, from paired replicates (condition -> ``[B]``, over L2s), by name: the shrink
    itself (``shrink``), the shrink beyond the baseline's (``beyond_random``), beyond twice it
    (``beyond_2x_random``), and beyond half of the in-sample top set's (``beyond_half_top``,
    where ``"top"`` is given)."""
    none, chosen, baseline = reps["none"], reps[top], reps[stricter]
    shrink, rand = none - chosen, np.maximum(none - baseline, 0)
    differences = {
        "shrink": shrink,
        "beyond_random": shrink - (none - baseline),
        "beyond_2x_random": shrink - 2 * rand,
    }
    if "top" in reps and top != "top":
        differences["beyond_half_top"] = shrink - 0.5 * (none - reps["top"])
    return {name: Interval.of(bootstrap.interval(values)) for name, values in differences.items()}


def _held_out_summary(results: Results) -> dict[str, Any]:
    """The zeroing effects on the two halves of the derangement pairs: the top set chosen on all
    pairs (in-sample) and on the other half (held out) beside both random baselines."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    out: dict[str, Any] = {}
    for kind in COSINES:
        for condition in HALF_CONDITIONS:
            out[half_gap_key(kind, condition)] = float(
                np.mean([results.half_gap(l2, condition, kind).mean() for l2 in l2s])
            )
        for label in CLASSES:
            for condition in HALF_CONDITIONS[1:]:
                out[half_drop_key(kind, label, condition)] = results.half_drop(
                    kind, label, condition
                )
    # intervals over L1 sentences, paired across conditions, against the stricter baseline
    for kind in COSINES:
        reps = {
            condition: np.mean(
                [gap_replicates(results.halves[l2][condition], kind, p.SEED, halves=True)
                 for l2 in l2s], axis=0,
            )
            for condition in HALF_CONDITIONS
        }  # fmt: skip
        none = out[half_gap_key(kind, "none")]
        stricter = max(BASELINES, key=lambda c: none - out[half_gap_key(kind, c)])
        out[f"half_stricter_{kind}"] = stricter
        for name, ci in _shrink_intervals(reps, "held_out", stricter).items():
            out[half_shrink_key(kind, name)] = ci
    out["half_overlap_mean"] = float(np.mean(list(results.half_overlap.values())))
    drawn = results.n_top * p.N_RANDOM_SEEDS * len(l2s)
    out["magnitude_fallback"] = results.magnitude_fallback
    out["magnitude_fallback_pct"] = 100 * results.magnitude_fallback / drawn
    out["held_out"] = {
        name: {l2: float(results.half_gap(l2, condition).mean()) for l2 in l2s}
        for condition, name in HALF_NAMES.items()
    }
    return out


def _ablation_summary(results: Results) -> dict[str, Any]:
    """Zeroing the top set (Figs. 3 and 9): each class's change and the gap under every
    condition; footnote 3's product set against the stricter baseline, by intervals."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    out: dict[str, Any] = {}
    for kind in COSINES:
        for label in CLASSES:
            for condition in ("top", *BASELINES):
                out[drop_key(kind, label, condition)] = results.drop(kind, label, condition)
        for condition in (*CONDITIONS, "magnitude"):
            out[gap_key(kind, condition)] = float(
                np.mean([results.gap(l2, condition, kind).mean() for l2 in l2s])
            )
    # footnote 3: the product score's top set against the stricter baseline and half of the
    # mean-of-abs set's shrink, intervals over L1 sentences (all pairs, paired conditions)
    reps = {
        c: np.mean([gap_replicates(results.effects[l2][c], "centred", p.SEED) for l2 in l2s], 0)
        for c in ("none", "top", *BASELINES)
    }
    reps["product"] = np.mean(
        [gap_replicates([results.product[l2]], "centred", p.SEED) for l2 in l2s], axis=0
    )
    none = out[gap_key("centred", "none")]
    stricter = max(BASELINES, key=lambda c: none - out[gap_key("centred", c)])
    out["product_stricter"] = stricter
    for name, ci in _shrink_intervals(reps, "product", stricter).items():
        out[product_shrink_key(name)] = ci
    return out

"""Chapter 2: L1/L2 common neurons ranked by average precision, and their ablation.

A neuron's score for a pair is ``(|a(S_L1)| + |a(S_L2)|) / 2`` at the last token (or the product
``a(S_L1) a(S_L2)``); its average precision says how well that score alone separates parallel
from non-parallel pairs (Tezuka & Inoue §3.3, after Suau et al. 2022). ``analyse`` ranks every
neuron for every L2, design (derangement, disjoint, cross-corpus) and score, correlates each
neuron with the L1 sentence's token count on the cross-corpus pairs, and measures chapter 1's
similarity with the top set, random matched sets and the product score's top set zeroed;
``summarise`` gives every number the chapter quotes.

The baselines match the claims: the top-n APs are compared with the same statistic under label
permutations that respect the design (:func:`~neuron_utils.methods.selection.top_n_null`); the
top set is also chosen on one half of the pairs and zeroed while measuring on the other
(:meth:`~neuron_utils.data.parallel.PairSet.halves`); random sets are matched per layer by count and,
beside that, by mean-|a| decile (:meth:`~neuron_utils.core.neurons.NeuronSet.random_magnitude_matched`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ... import data
from ...kit import plotting
from ...kit.spec import ChapterSpec
from ...kit.parameters import (
    check_choice,
    check_int,
    check_number,
    glue_name,
    PairParameters,
    PAIR_GOLDEN,
)
from ...core.activations import TextActivations, activations_by_text
from ...core.batches import token_counts
from ...core.interventions import Intervention
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet, edge_layers
from ...data import PairSet
from ...methods import bootstrap
from ...methods.pair_similarity import PairAnalysis, analyse_pairs
from ...methods.ranking import average_precision, neuron_ap, pair_scores, pearson_columns
from ...methods.selection import TopNull, mean_magnitude, pairing_null, top_n_null

# non-parallel designs: a derangement of the same sentences; a disjoint pool; another corpus
DESIGNS = data.DESIGNS
NEURON_SITES = ("neurons", "gate")  # act(gate(x)) * up(x), the paper's definition; act(gate(x))
SCORES = ("mean_abs", "product")  # pair scores (Tezuka & Inoue eq. 4 and footnote 3)
CONDITIONS = ("none", "top", "random")  # what is zeroed in the ablation
# random sets matched by count per layer (random) and, beside that, by mean-|a| decile
BASELINES = ("random", "magnitude")
# on held-out halves: nothing, the top set chosen on all pairs (in-sample), the top set chosen
# on the other half (held out), and the two random baselines
HALF_CONDITIONS = ("none", "top", "held_out", "random", "magnitude")
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
    # permutations of the selection null per L2 and design; a p-value is at least 1 / (P + 1).
    # 20 on quick (p >= 0.048): on 36,864 neurons x 200 pairs a re-pairing costs 0.12 s, a
    # label permutation 0.03 s on two cores, and with twelve pair sets the null is about 20 s
    # of the chapter; the paper profiles use 100
    N_PERMUTATIONS: int = 20

    CHAPTER: ClassVar[str] = "02"
    PAPER: ClassVar[dict[str, Any]] = {
        **PairParameters.PAPER,
        "N_RANDOM_SEEDS": 3,
        "N_PERMUTATIONS": 100,
    }

    def check(self) -> None:
        super().check()
        check_choice("NEURON_SITE", self.NEURON_SITE, NEURON_SITES)
        # at most half: random matched sets are drawn outside the top set, layer by layer
        check_number("TOP_NEURON_FRACTION", self.TOP_NEURON_FRACTION, 0.0, 0.5, low_open=True)
        check_int("N_RANDOM_SEEDS", self.N_RANDOM_SEEDS, 1)
        check_int("N_PERMUTATIONS", self.N_PERMUTATIONS, 19)  # p can reach 0.05


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "L2_LANGUAGES": ["it"],
        "N_PAIRS": 24,
        "N_PAIRS_DISJOINT": 20,
        "N_PAIRS_CROSS_CORPUS": 20,
        "N_RANDOM_SEEDS": 1,
        "TOP_NEURON_FRACTION": 0.01,
        "N_PERMUTATIONS": 19,  # the fewest that let p reach 0.05
    },
    golden={
        **PAIR_GOLDEN,
        "N_RANDOM_SEEDS": 2,
        "TOP_NEURON_FRACTION": 0.25,
        "N_PERMUTATIONS": 20,
    },
    figures=5,
    quick_cold_s={"bfloat16": 189, "float32": 290},
)


# --------------------------------------------------------------------------- analysis steps


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


def residual_with(
    model: LoadedModel,
    ps: PairSet,
    neurons: NeuronSet,
    site: str = "neurons",
    pooling: str = "last",
    batch_size: int = 32,
) -> dict[str, TextActivations]:
    """The residual stream of every sentence of ``ps`` with ``neurons`` zeroed at ``site``
    (every position): ``{lang: TextActivations}``. A sentence's state does not depend on the
    other sentences of its batch, so any pairing of these sentences can be measured from it."""
    zero = [Intervention(neurons, "zero", site=site)]
    return activations_by_text(model, [ps], ["residual"], pooling, batch_size, zero)


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
    magnitude: np.ndarray | None = None,
    also_on: Sequence[PairSet] = (),
) -> tuple[dict[str, list[PairAnalysis]], dict[str, list[PairAnalysis]], int]:
    """Similarity with nothing zeroed, with ``top`` zeroed, and with ``n_random`` random sets
    of the same size per layer (drawn outside ``top``) zeroed, one per seed; with ``magnitude``
    (mean |a| ``[layers, neurons]`` on the sentences that chose ``top``), as many random sets
    matched per layer by mean-|a| decile too. ``none``: the similarity with nothing zeroed where
    it is already known (measured otherwise).

    Returns ``(effects, on_others, n_fallback)``: condition -> one analysis per set on ``ps``;
    the same on each pair set of ``also_on`` (sentences of ``ps``, paired anew: no more
    forward passes), one entry per (set, pair set); the magnitude-matched draws' neurons taken
    from a neighbouring decile."""
    sets: dict[str, list[NeuronSet]] = {
        "top": [top],
        "random": [
            NeuronSet.random_matched(top, seed=seed + k, exclude=top) for k in range(n_random)
        ],
    }
    fallback = 0
    if magnitude is not None:
        sets["magnitude"] = []
        for k in range(n_random):
            matched, missing = NeuronSet.random_magnitude_matched(
                top, magnitude, seed=seed + k, exclude=top
            )
            sets["magnitude"].append(matched)
            fallback += missing
    if none is None:
        none = similarity_with(model, ps, [], pooling, batch_size)
    effects = {"none": [none]}
    on_others: dict[str, list[PairAnalysis]] = {}
    for condition, neuron_sets in sets.items():
        effects[condition], on_others[condition] = [], []
        for neurons in neuron_sets:
            acts = residual_with(model, ps, neurons, site, pooling, batch_size)
            effects[condition].append(analyse_pairs(ps, acts, sites=("residual",), features=()))
            on_others[condition] += [
                analyse_pairs(other, acts, sites=("residual",), features=()) for other in also_on
            ]
    return effects, on_others, fallback


def held_out_effects(
    model: LoadedModel,
    halves: Sequence[PairSet],
    acts: dict[str, TextActivations],
    n_top: int,
    site: str = "neurons",
    batch_size: int = 32,
) -> tuple[list[PairAnalysis], list[NeuronSet]]:
    """Choose the top ``n_top`` on each half (mean-of-abs AP, from ``acts``), zero it and measure
    the similarity on the *other* half: one analysis per half measured, and the sets chosen."""
    chosen = [NeuronSet.top_n(neuron_ap(half, acts, site), n_top) for half in halves]
    measured = []
    for k, half in enumerate(halves):
        other = chosen[1 - k]
        zeroed = residual_with(model, half, other, site, batch_size=batch_size)
        measured.append(analyse_pairs(half, zeroed, sites=("residual",), features=()))
    return measured, chosen


def selection_null(
    ps: PairSet,
    acts: dict[str, TextActivations],
    n_top: int,
    n_permutations: int,
    site: str = "neurons",
    seed: int = 0,
) -> TopNull:
    """Every neuron's mean-of-abs AP for ``ps`` and the top ``n_top`` under ``n_permutations``
    permutations that respect the design: the parallel pairs re-paired in the derangement design
    (:func:`~neuron_utils.methods.selection.pairing_null`), the labels permuted across pairs in
    the others (:func:`~neuron_utils.methods.selection.top_n_null`)."""
    a1, a2 = acts[ps.l1].rows(ps.l1_texts, site), acts[ps.l2].rows(ps.l2_texts, site)
    a1, a2 = a1.reshape(len(a1), -1), a2.reshape(len(a2), -1)
    if ps.design == "derangement":
        return pairing_null(a1, a2, ps.pairs, ps.labels, n_top, n_permutations, seed)
    scores = pair_scores(a1, a2, ps.pairs, "mean_abs")
    return top_n_null(scores, ps.labels, n_top, None, n_permutations, seed)


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
    null: dict[tuple[str, str], TopNull]  # (L2, design) -> mean-of-abs APs and their null
    # L2 -> condition (HALF_CONDITIONS) -> analyses on the two halves of the derangement pairs
    halves: dict[str, dict[str, list[PairAnalysis]]]
    half_overlap: dict[str, float]  # L2 -> Jaccard overlap of the top sets of the two halves
    magnitude_fallback: int  # magnitude-matched neurons drawn from a neighbouring decile

    def half_gap(self, l2: str, condition: str, kind: str = "centred") -> np.ndarray:
        """:meth:`gap` on the held-out halves: mean over halves (and seeds). ``[layers]``."""
        return _mean_gap(self.halves[l2][condition], kind)

    def half_drop(self, kind: str, label: str, condition: str) -> float:
        """:meth:`drop` on the held-out halves."""
        return _mean_drop(self.halves, self.parameters.L2_LANGUAGES, kind, label, condition)

    def main_top(self, l2: str) -> NeuronSet:
        """The top set of the main ranking: derangement design, mean-of-abs score."""
        return self.top[(l2, "derangement", "mean_abs")]

    def gap(self, l2: str, condition: str, kind: str = "centred") -> np.ndarray:
        """Parallel minus non-parallel cosine per layer (residual stream, derangement pairs), with
        ``condition`` zeroed; random: mean over the seeds. ``[layers]``."""
        return _mean_gap(self.effects[l2][condition], kind)

    def drop(self, kind: str, label: str, condition: str) -> float:
        """Mean over L2s and layers of the change in mean cosine of one class when ``condition``
        is zeroed (random: mean over seeds)."""
        return _mean_drop(self.effects, self.parameters.L2_LANGUAGES, kind, label, condition)


def _mean_gap(runs: Sequence[PairAnalysis], kind: str) -> np.ndarray:
    """The residual stream's gap per layer, mean over ``runs``: ``[layers]``."""
    return np.mean([run.gap("residual", kind) for run in runs], axis=0)


def _gap_replicates(
    runs: Sequence[PairAnalysis], kind: str, seed: int, halves: bool = False
) -> np.ndarray:
    """Bootstrap replicates of the residual stream's gap, mean over layers and ``runs``:
    ``[N_BOOT]``. Every condition measured on the same pairs resamples them the same way (the
    draws depend on the pair count and the seed), so differences of conditions are paired;
    with ``halves``, runs alternate between the two halves, which draw independently."""
    return np.mean(
        [
            run.gap_replicates("residual", kind, seed + (7919 * (k % 2) if halves else 0)).mean(1)
            for k, run in enumerate(runs)
        ],
        axis=0,
    )


def _shrink_intervals(
    reps: dict[str, np.ndarray], top: str, prefix: str, stricter: str
) -> dict[str, float]:
    """Intervals of how much zeroing ``top`` closes the gap against the ``stricter`` random
    baseline, from paired replicates (condition -> ``[B]``, over L2s): the shrink itself, the
    shrink beyond the baseline's, beyond twice it, and beyond half of the in-sample top set's
    (``"top"``, where given)."""
    none, chosen, baseline = reps["none"], reps[top], reps[stricter]
    shrink, rand = none - chosen, np.maximum(none - baseline, 0)
    out = {}
    for name, values in (
        ("shrink", shrink),
        ("beyond_random", shrink - (none - baseline)),
        ("beyond_2x_random", shrink - 2 * rand),
    ):
        low, high = bootstrap.interval(values)
        out[f"{prefix}_{name}_low"], out[f"{prefix}_{name}_high"] = float(low), float(high)
    if "top" in reps and top != "top":
        low, high = bootstrap.interval(shrink - 0.5 * (none - reps["top"]))
        out[f"{prefix}_beyond_half_top_low"], out[f"{prefix}_beyond_half_top_high"] = (
            float(low),
            float(high),
        )
    return out


def _mean_drop(
    runs: dict[str, dict[str, list[PairAnalysis]]],
    l2s: Sequence[str],
    kind: str,
    label: str,
    condition: str,
) -> float:
    """Mean over ``l2s`` and layers of one class's mean cosine with ``condition`` zeroed minus
    with nothing zeroed (each a mean over its runs: seeds, halves)."""

    def mean_cosine(l2: str, condition: str) -> float:
        return float(
            np.mean([run.cosine[("residual", kind)][label].mean() for run in runs[l2][condition]])
        )

    return float(np.mean([mean_cosine(l2, condition) - mean_cosine(l2, "none") for l2 in l2s]))


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """AP of every neuron for every L2, design and score, with the selection null of the
    mean-of-abs ranking; top sets; token-count AP and correlations; similarity with the top
    set, random sets (matched by count, and by count and |a| decile) and the product score's
    top set zeroed (derangement pairs), and on held-out halves the top set chosen on the other
    half."""
    pairsets = p.pair_sets()
    # the residual stream too, for the similarity with nothing zeroed: chapter 1 extracted it
    # for the same pair sets (its cache answers on a shared profile; otherwise it comes from
    # this pass at little cost, instead of one more pass per L2)
    acts = activations_by_text(
        model, list(pairsets.values()), [p.NEURON_SITE, "residual"], "last", p.BATCH_SIZE
    )
    main = {l2: pairsets[(l2, "derangement")] for l2 in p.L2_LANGUAGES}
    halves = {l2: main[l2].halves(p.SEED) for l2 in p.L2_LANGUAGES}
    unablated = {
        l2: analyse_pairs(main[l2], acts, sites=("residual",), features=()) for l2 in p.L2_LANGUAGES
    }
    half_results: dict[str, dict[str, list[PairAnalysis]]] = {
        l2: {"none": [analyse_pairs(h, acts, sites=("residual",), features=()) for h in halves[l2]]}
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
    n_all = model.n_layers * model.n_neurons
    n_top = round(p.TOP_NEURON_FRACTION * n_all)
    if n_top < 1:
        raise ValueError(
            f"TOP_NEURON_FRACTION={p.TOP_NEURON_FRACTION} selects no neuron of the "
            f"{n_all} of {model.name}"
        )
    shape = (model.n_layers, model.n_neurons)
    null = {
        key: selection_null(
            ps, acts, min(max(n_top, TOP_AP_COUNT), n_all), p.N_PERMUTATIONS, p.NEURON_SITE, p.SEED
        )
        for key, ps in pairsets.items()
    }
    ap = {}
    for (l2, design), ps in pairsets.items():
        ap[(l2, design, "mean_abs")] = null[(l2, design)].ap.reshape(shape)
        ap[(l2, design, "product")] = neuron_ap(ps, acts, p.NEURON_SITE, "product")
    top = {key: NeuronSet.top_n(scores, n_top) for key, scores in ap.items()}
    effects, half_overlap, fallback = {}, {}, 0
    for l2 in p.L2_LANGUAGES:
        ps = main[l2]
        # mean |a| on the sentences that chose the set: the deciles of the magnitude control
        magnitude = mean_magnitude(
            acts[ps.l1].rows(ps.l1_texts, p.NEURON_SITE),
            acts[ps.l2].rows(ps.l2_texts, p.NEURON_SITE),
        )
        effects[l2], on_halves, missing = zeroing_effects(
            model,
            ps,
            top[(l2, "derangement", "mean_abs")],
            p.N_RANDOM_SEEDS,
            p.SEED,
            p.NEURON_SITE,
            batch_size=p.BATCH_SIZE,
            none=unablated[l2],
            magnitude=magnitude,
            also_on=halves[l2],
        )
        fallback += missing
        half_results[l2].update(on_halves)
        measured, chosen = held_out_effects(
            model, halves[l2], acts, n_top, p.NEURON_SITE, p.BATCH_SIZE
        )
        half_results[l2]["held_out"] = measured
        half_overlap[l2] = chosen[0].overlap(chosen[1])
    product = {
        l2: similarity_with(
            model,
            main[l2],
            [Intervention(top[(l2, "derangement", "product")], "zero", site=p.NEURON_SITE)],
            batch_size=p.BATCH_SIZE,
        )
        for l2 in p.L2_LANGUAGES
    }
    return Results(
        p,
        model.n_layers,
        model.n_neurons,
        n_top,
        ap,
        top,
        effects,
        product,
        lengths,
        length_r,
        null,
        half_results,
        half_overlap,
        fallback,
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
            "zero |a|-matched random (mean)": {
                l2: results.gap(l2, "magnitude").mean() for l2 in l2s
            },
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
        "l2_overlap_text": f"Between L2s the top sets overlap by {off_diagonal.mean():.2f} on "
        f"average (random: {frac / (2 - frac):.3f})"
        if off_diagonal.size
        else "With one L2 there is no overlap between L2s to measure",
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
    out.update(_null_summary(results))
    out.update(_held_out_summary(results))
    out.update(_ablation_summary(results))
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
    out["units"] = UNITS
    return out


def _ablation_summary(results: Results) -> dict[str, Any]:
    """Zeroing the top set (Figs. 3 and 9): each class's change and the gap under every
    condition; footnote 3's product set against the stricter baseline, by intervals."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    out: dict[str, Any] = {}
    for kind in ("raw", "centred"):
        for label in CLASSES:
            for condition in ("top", *BASELINES):
                out[f"drop_{kind}_{label.replace('-', '')}_{condition}"] = results.drop(
                    kind, label, condition
                )
        for condition in (*CONDITIONS, "magnitude"):
            out[f"gap_{kind}_{condition}"] = float(
                np.mean([results.gap(l2, condition, kind).mean() for l2 in l2s])
            )
    # footnote 3: the product score's top set against the stricter baseline and half of the
    # mean-of-abs set's shrink, intervals over L1 sentences (all pairs, paired conditions)
    reps = {
        c: np.mean([_gap_replicates(results.effects[l2][c], "centred", p.SEED) for l2 in l2s], 0)
        for c in ("none", "top", *BASELINES)
    }
    reps["product"] = np.mean(
        [_gap_replicates([results.product[l2]], "centred", p.SEED) for l2 in l2s], axis=0
    )
    none = out["gap_centred_none"]
    stricter = max(BASELINES, key=lambda c: none - out[f"gap_centred_{c}"])
    out["product_stricter"] = stricter
    out.update(_shrink_intervals(reps, "product", "product", stricter))
    return out


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"The top {s['n_top']} neurons reach a mean AP of {s['ap_top100_min']:.2f}–"
        f"{s['ap_top100_max']:.2f} over L2s in the derangement design and "
        f"{s['ap_top100_dis_min']:.2f}–{s['ap_top100_dis_max']:.2f} in the disjoint one (chance "
        f"{s['ap_chance']:g}; the top {s['n_top']} under the null: "
        f"{s['null_top100_derangement_mean']:.2f} and {s['null_top100_disjoint_mean']:.2f}).",
        f"The first and last three layers hold {s['edge_share']:.0f} % of the top neurons "
        f"(uniform: {s['edge_share_uniform']:.0f} %); the busiest layer is {s['peak_layer']}.",
        f"Zeroing the top set moves the centred gap from {s['gap_centred_none']:.2f} to "
        f"{s['gap_centred_top']:.2f} (random sets: {s['gap_centred_random']:.2f}); on pairs that "
        f"did not choose the set, from {s['half_gap_centred_none']:.2f} to "
        f"{s['half_gap_centred_held_out']:.2f} (|a|-matched random sets: "
        f"{s['half_gap_centred_magnitude']:.2f}).",
    ]


UNITS = {  # every key of the summary, by glob pattern
    "ap_*": "average precision (0.5: chance)",
    "n_top, n_all": "neurons",
    "edge_share*": "% of the top neurons in the first and last three layers",
    "*_overlap*": "Jaccard overlap of top sets",
    "*_layer": "layer index, from 0",
    "drop_*": "change of mean cosine (zeroed − nothing zeroed), mean over L2s and layers",
    "gap_*, score_variants": "parallel − non-parallel cosine, mean over L2s and layers",
    "half_gap_*": "parallel − non-parallel cosine on held-out halves, mean over L2s and layers",
    "half_drop_*": "change of mean cosine on held-out halves (zeroed − nothing zeroed)",
    "half_*_shrink_*, half_*_beyond_*, product_shrink_*, product_beyond_*": "95 % paired "
    "bootstrap interval ends over L1 sentences of the gap's shrink (cosine)",
    "half_stricter_*, product_stricter": "the stricter random baseline: random | magnitude",
    "peak_layer_*": "layer index, from 0",
    "length_ap_*, mean_ap_top100*, null_top100_*_mean, null_top100_*_q95_max, "
    "null_top100_*_margin_*": "average precision (margins: differences of it)",
    "null_top100_*_p_max": "permutation p-value",
    "beyond_noise_*, beyond_null_*, magnitude_fallback": "neurons",
    "magnitude_fallback_pct": "% of the magnitude-matched draws",
    "length_r_*_median, length_r_hist": "Pearson r of a neuron with the token count",
    "length_r_*_above_half_pct": "% of neurons with |r| > 0.5",
    "overlap_*_mean": "Jaccard overlap of top sets",
    "n_pairs, n_random_seeds, n_permutations": "count",
    "length_direction_*, product_beats_top, selection_null, l2_overlap_text": "text",
    "designs, held_out": "table rows (their columns say their units)",
}


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


def _null_summary(results: Results) -> dict[str, Any]:
    """Per design: the top-100 mean AP beside its permutation null (mean, 95th percentile,
    p-value) and the neurons beyond noise, per L2 (rows of a table) and over L2s."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    k = min(TOP_AP_COUNT, results.n_layers * results.n_neurons)
    out: dict[str, Any] = {"n_permutations": p.N_PERMUTATIONS, "selection_null": []}
    for design in DESIGNS:
        slug = glue_name(design)
        nulls = {l2: results.null[(l2, design)].first(k) for l2 in l2s}
        familywise = {l2: int(n.beyond_familywise().sum()) for l2, n in nulls.items()}
        margins = [n.observed - n.null_q95 for n in nulls.values()]
        p_values = [n.p_value for n in nulls.values()]
        out[f"null_top100_{slug}_mean"] = float(np.mean([n.null_mean for n in nulls.values()]))
        out[f"null_top100_{slug}_q95_max"] = float(max(n.null_q95 for n in nulls.values()))
        out[f"null_top100_{slug}_p_max"] = float(max(p_values))
        out[f"null_top100_{slug}_margin_min"] = float(min(margins))
        out[f"null_top100_{slug}_margin_max"] = float(max(margins))
        out[f"beyond_noise_{slug}_min"] = min(familywise.values())
        out[f"beyond_noise_{slug}_max"] = max(familywise.values())
        out[f"beyond_null_{slug}"] = _how_many(sum(pv < 0.05 for pv in p_values), len(l2s))
        # the share of the first and last layers in the null's top sets (Fig. 4's baseline)
        edge = np.isin(np.arange(results.n_layers), edge_layers(results.n_layers))
        shares = [
            100
            * edge[
                results.null[(l2, design)].null_columns[:, : results.n_top] // results.n_neurons
            ].mean(1)
            for l2 in l2s
        ]  # [P] per L2
        out[f"edge_share_null_{slug}_mean"] = float(np.mean([sh.mean() for sh in shares]))
        out[f"edge_share_null_{slug}_q95"] = float(max(np.quantile(sh, 0.95) for sh in shares))
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


def _how_many(count: int, total: int) -> str:
    """``every L2``, ``no L2`` or ``k of n L2s``."""
    if count == total:
        return "every L2" if total > 1 else "the L2"
    return "no L2" if count == 0 else f"{count} of {total} L2s"


def _held_out_summary(results: Results) -> dict[str, Any]:
    """The zeroing effects on the two halves of the derangement pairs: the top set chosen on all
    pairs (in-sample) and on the other half (held out) beside both random baselines."""
    p = results.parameters
    l2s = p.L2_LANGUAGES
    out: dict[str, Any] = {}
    for kind in ("raw", "centred"):
        for condition in HALF_CONDITIONS:
            out[f"half_gap_{kind}_{condition}"] = float(
                np.mean([results.half_gap(l2, condition, kind).mean() for l2 in l2s])
            )
        for label in CLASSES:
            for condition in HALF_CONDITIONS[1:]:
                out[f"half_drop_{kind}_{label.replace('-', '')}_{condition}"] = results.half_drop(
                    kind, label, condition
                )
    # intervals over L1 sentences, paired across conditions, against the stricter baseline
    for kind in ("raw", "centred"):
        reps = {
            condition: np.mean(
                [_gap_replicates(results.halves[l2][condition], kind, p.SEED, halves=True)
                 for l2 in l2s], axis=0,
            )
            for condition in HALF_CONDITIONS
        }  # fmt: skip
        none = out[f"half_gap_{kind}_none"]
        stricter = max(("random", "magnitude"), key=lambda c: none - out[f"half_gap_{kind}_{c}"])
        out[f"half_stricter_{kind}"] = stricter
        out.update(_shrink_intervals(reps, "held_out", f"half_{kind}", stricter))
    out["half_overlap_mean"] = float(np.mean(list(results.half_overlap.values())))
    drawn = results.n_top * p.N_RANDOM_SEEDS * len(l2s)
    out["magnitude_fallback"] = results.magnitude_fallback
    out["magnitude_fallback_pct"] = 100 * results.magnitude_fallback / drawn
    out["held_out"] = {
        name: {l2: float(results.half_gap(l2, condition).mean()) for l2 in l2s}
        for condition, name in HALF_NAMES.items()
    }
    return out


HALF_NAMES = {
    "none": "nothing zeroed",
    "top": "top, chosen on all pairs",
    "held_out": "top, chosen on the other half",
    "random": "random (count per layer)",
    "magnitude": "random (count and |a| decile)",
}


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


def null_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per design and L2: the top-100 mean AP, its permutation null (mean, 95th percentile),
    the p-value and the neurons beyond noise (family-wise, 5 %)."""
    table = pd.DataFrame(summary["selection_null"]).set_index(["design", "L2"])
    return table.round({"top-100 AP": 3, "null mean": 3, "null 95 %": 3, "p": 3})


def held_out_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Centred gap (mean over layers and the two halves) per L2 with each set zeroed: chosen on
    all pairs or on the other half, and the two random baselines."""
    table = pd.DataFrame(summary["held_out"])
    table.index.name = "centred gap, held-out halves"
    return table.round(3)


def score_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Centred gap (mean over layers) per L2 with nothing, each top set or random sets zeroed."""
    table = pd.DataFrame(summary["score_variants"])
    table.index.name = "centred gap, mean over layers"
    return table.round(3)


# --------------------------------------------------------------------------- figures


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


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

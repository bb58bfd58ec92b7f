"""Chapter 2's measurements: every neuron's AP for every L2, design and score, the selection
null, top sets, token-count controls and the similarity with top or random sets zeroed
(:func:`analyse`), held in :class:`Results`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ... import data
from ...core.activations import TextActivations, activations_by_text
from ...core.batches import token_counts
from ...core.interventions import Intervention
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet
from ...data import PairSet
from ...methods.pair_similarity import PairAnalysis, analyse_pairs
from ...methods.ranking import average_precision, neuron_ap, pair_scores, pearson_columns
from ...methods.selection import TopNull, mean_magnitude, pairing_null, top_n_null
from .parameters import Parameters

# non-parallel designs: a derangement of the same sentences; a disjoint pool; another corpus
DESIGNS = data.DESIGNS
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


# --------------------------------------------------------------------------- analysis steps


def residual_similarity(ps: PairSet, acts: dict[str, TextActivations]) -> PairAnalysis:
    """Chapter 1's per-layer similarity of ``ps`` in the residual stream of ``acts`` (no
    probes)."""
    return analyse_pairs(ps, acts, sites=("residual",), features=())


def similarity_with(
    model: LoadedModel,
    ps: PairSet,
    interventions: Sequence[Intervention],
    pooling: str = "last",
    batch_size: int = 32,
) -> PairAnalysis:
    """Chapter 1's per-layer similarity of ``ps`` with ``interventions`` applied (no probes)."""
    acts = activations_by_text(model, [ps], ["residual"], pooling, batch_size, interventions)
    return residual_similarity(ps, acts)


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


def random_sets(
    top: NeuronSet, n_random: int, seed: int, magnitude: np.ndarray | None
) -> tuple[dict[str, list[NeuronSet]], int]:
    """``n_random`` random sets of the same size per layer as ``top`` (drawn outside it), one
    per seed, and with ``magnitude`` as many matched per layer by mean-|a| decile too:
    ``({"random": [...], "magnitude": [...]}, n_fallback)``, the magnitude-matched draws'
    neurons taken from a neighbouring decile."""
    sets = {
        "random": [
            NeuronSet.random_matched(top, seed=seed + k, exclude=top) for k in range(n_random)
        ]
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
    return sets, fallback


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
    matched per layer by mean-|a| decile too (:func:`random_sets`). ``none``: the similarity
    with nothing zeroed where it is already known (measured otherwise).

    Returns ``(effects, on_others, n_fallback)``: condition -> one analysis per set on ``ps``;
    the same on each pair set of ``also_on`` (sentences of ``ps``, paired anew: no more
    forward passes), one entry per (set, pair set); the magnitude-matched draws' neurons taken
    from a neighbouring decile."""
    baselines, fallback = random_sets(top, n_random, seed, magnitude)
    sets: dict[str, list[NeuronSet]] = {"top": [top], **baselines}
    if none is None:
        none = similarity_with(model, ps, [], pooling, batch_size)
    effects = {"none": [none]}
    on_others: dict[str, list[PairAnalysis]] = {}
    for condition, neuron_sets in sets.items():
        effects[condition], on_others[condition] = [], []
        for neurons in neuron_sets:
            acts = residual_with(model, ps, neurons, site, pooling, batch_size)
            effects[condition].append(residual_similarity(ps, acts))
            on_others[condition] += [residual_similarity(other, acts) for other in also_on]
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
        measured.append(residual_similarity(half, zeroed))
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


# --------------------------------------------------------------------------- the results


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


def gap_replicates(
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


def l2_overlap(results: Results) -> np.ndarray:
    """Jaccard overlap of the main top sets between L2s: ``[L2, L2]``."""
    l2s = results.parameters.L2_LANGUAGES
    return np.array(
        [[results.main_top(a).overlap(results.main_top(b)) for b in l2s] for a in l2s], dtype=float
    )


# --------------------------------------------------------------------------- analyse()


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
    unablated = {l2: residual_similarity(main[l2], acts) for l2 in p.L2_LANGUAGES}
    half_results: dict[str, dict[str, list[PairAnalysis]]] = {
        l2: {"none": [residual_similarity(h, acts) for h in halves[l2]]} for l2 in p.L2_LANGUAGES
    }
    for text_acts in acts.values():
        del text_acts.values["residual"]  # only the neurons are read from here on
    lengths, length_r = _token_count_controls(model, p, pairsets, acts)
    n_top = _top_count(model, p)
    null, ap, top = _rankings(model, p, pairsets, acts, n_top)
    effects, half_overlap, fallback = {}, {}, 0
    for l2 in p.L2_LANGUAGES:
        effects[l2], on_halves, half_overlap[l2], missing = _zero_top_set(
            model,
            p,
            main[l2],
            halves[l2],
            acts,
            top[(l2, "derangement", "mean_abs")],
            n_top,
            unablated[l2],
        )
        fallback += missing
        half_results[l2].update(on_halves)
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


def _token_count_controls(
    model: LoadedModel,
    p: Parameters,
    pairsets: dict[tuple[str, str], PairSet],
    acts: dict[str, TextActivations],
) -> tuple[dict[tuple[str, str], tuple[float, str]], dict[str, np.ndarray]]:
    """The L1 token count's AP on every pair set (:func:`length_ap`), and each neuron's
    correlation with it on the cross-corpus L1 sentences (:func:`length_correlation`)."""
    tokens = token_counts(model, [t for ps in pairsets.values() for t in ps.l1_texts])
    lengths = {key: length_ap(ps, tokens) for key, ps in pairsets.items()}
    length_r = {
        l2: length_correlation(pairsets[(l2, "cross-corpus")], acts, tokens, p.NEURON_SITE)
        for l2 in p.L2_LANGUAGES
    }
    return lengths, length_r


def _top_count(model: LoadedModel, p: Parameters) -> int:
    """The size of a top set: ``TOP_NEURON_FRACTION`` of the model's neurons, at least one."""
    n_all = model.n_layers * model.n_neurons
    n_top = round(p.TOP_NEURON_FRACTION * n_all)
    if n_top < 1:
        raise ValueError(
            f"TOP_NEURON_FRACTION={p.TOP_NEURON_FRACTION} selects no neuron of the "
            f"{n_all} of {model.name}"
        )
    return n_top


def _rankings(
    model: LoadedModel,
    p: Parameters,
    pairsets: dict[tuple[str, str], PairSet],
    acts: dict[str, TextActivations],
    n_top: int,
) -> tuple[
    dict[tuple[str, str], TopNull],
    dict[tuple[str, str, str], np.ndarray],
    dict[tuple[str, str, str], NeuronSet],
]:
    """The selection null of every pair set (its mean-of-abs APs with it), the product score's
    APs, and the top ``n_top`` of every ranking: ``(null, ap, top)``."""
    n_all = model.n_layers * model.n_neurons
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
    return null, ap, top


def _zero_top_set(
    model: LoadedModel,
    p: Parameters,
    ps: PairSet,
    halves: Sequence[PairSet],
    acts: dict[str, TextActivations],
    top: NeuronSet,
    n_top: int,
    unablated: PairAnalysis,
) -> tuple[dict[str, list[PairAnalysis]], dict[str, list[PairAnalysis]], float, int]:
    """One L2's zeroing: ``top`` and its random baselines on the derangement pairs ``ps`` and on
    their ``halves`` (:func:`zeroing_effects`), and on each half the set chosen on the other
    (:func:`held_out_effects`). Returns ``(effects, on_halves, overlap, n_fallback)``:
    ``on_halves`` holds the ``held_out`` condition too, ``overlap`` is the Jaccard overlap of
    the sets chosen on the two halves."""
    # mean |a| on the sentences that chose the set: the deciles of the magnitude control
    magnitude = mean_magnitude(
        acts[ps.l1].rows(ps.l1_texts, p.NEURON_SITE),
        acts[ps.l2].rows(ps.l2_texts, p.NEURON_SITE),
    )
    effects, on_halves, missing = zeroing_effects(
        model,
        ps,
        top,
        p.N_RANDOM_SEEDS,
        p.SEED,
        p.NEURON_SITE,
        batch_size=p.BATCH_SIZE,
        none=unablated,
        magnitude=magnitude,
        also_on=halves,
    )
    measured, chosen = held_out_effects(model, halves, acts, n_top, p.NEURON_SITE, p.BATCH_SIZE)
    on_halves["held_out"] = measured
    return effects, on_halves, chosen[0].overlap(chosen[1]), missing

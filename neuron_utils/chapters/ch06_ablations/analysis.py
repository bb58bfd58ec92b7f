"""Chapter 6's analysis: the neuron sets at every size (scored by
:mod:`neuron_utils.methods.set_scoring`), the conditions (each set, its random draws, the
released code's layers), and every condition scored on every benchmark's minimal pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ... import data
from ...core.activations import activations_by_text
from ...core.interventions import Intervention
from ...core.lm_scoring import pair_preferences_under
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet
from ...data import MinimalPairSet, PairSet, generator
from ...methods import bootstrap
from ...methods.set_scoring import SetScores, matched_random, set_scores
from .parameters import Parameters

ROLE_NAMES = {  # the sets the paper zeroed, then the control, as the page names them
    "same": "same meaning",
    "different": "different meaning",
    "task": "task language",
    "magnitude": "magnitude control",
}


# --------------------------------------------------------------------------- the neuron sets


@dataclass
class NeuronSets:
    """The sets of ``n`` neurons (fewer where fewer have a positive score), by name: ``same``,
    ``different``, ``only <L1>``, ``only <L2>``, ``magnitude``; ``extra``: the ``same`` and
    ``different`` sets chosen under the second design, e.g. ``same (cross-corpus)``."""

    n: int
    sets: dict[str, NeuronSet]
    extra: dict[str, NeuronSet] = field(default_factory=dict)
    # mean |a| [L, N] over the sentences that chose the sets: the deciles of the matched draws
    magnitude: np.ndarray | None = None

    def union(self) -> NeuronSet:
        """The union of the main sets (random sets are drawn outside it)."""
        out = NeuronSet.empty(*next(iter(self.sets.values())).shape)
        for s in self.sets.values():
            out = out | s
        return out

    @property
    def every(self) -> dict[str, NeuronSet]:
        """The main sets, then the extra ones."""
        return {**self.sets, **self.extra}


def neuron_sets(
    scores: SetScores, n: int, second: SetScores | None = None, design: str = ""
) -> NeuronSets:
    """The sets of ``n`` neurons; with ``second`` (scores from pairs of the second
    ``design``), its ``same`` and ``different`` sets as extras."""
    extra = {}
    if second is not None:
        extra = {
            f"same ({design})": second.same_meaning(n),
            f"different ({design})": second.different_meaning(n),
        }
    return NeuronSets(n, scores.sets(n), extra, scores.magnitude)


def released_code_layers(neurons: NeuronSet) -> NeuronSet:
    """What the authors' code zeroed for ``neurons``: a neuron listed for layer ``l`` is zeroed
    in every layer ``j`` whose index contains ``l`` as a substring (``str(l) in str(j)``, their
    ``str(layer) in name`` on module names); on 18 layers, layer 1 also hits layers 10-17."""
    mask = np.zeros_like(neurons.mask)
    for listed in range(mask.shape[0]):
        for target in range(mask.shape[0]):
            if str(listed) in str(target):
                mask[target] |= neurons.mask[listed]
    return NeuronSet(mask)


@dataclass(frozen=True)
class HeldOutSelection:
    """The sets chosen from pairs, chosen again on each of two halves of the pairs that share no
    sentence (:meth:`~neuron_utils.data.parallel.PairSet.halves`): do two samples of sentences
    choose the same neurons, and does the "same meaning" set separate pairs that did not choose
    it?"""

    overlap: dict[str, float]  # "same" / "different" -> Jaccard overlap of the halves' sets
    ap_in_sample: float  # mean AP of the "same" set on the half that chose it (mean of halves)
    ap_held_out: float  # mean AP of the "same" set chosen on the other half
    ap_matched: float  # the same for |a|-matched random sets of the other half's set


def held_out_selection(
    ps: PairSet, acts, site: str, epsilon: float, n: int, seed: int = 0
) -> HeldOutSelection:
    """:class:`HeldOutSelection` of the ``n``-neuron sets of ``ps`` (``acts`` as
    :func:`~neuron_utils.methods.set_scoring.set_scores`; no forward pass)."""
    halves = ps.halves(seed)
    scores = [set_scores(half, acts, site, epsilon) for half in halves]
    same = [s.same_meaning(n) for s in scores]
    different = [s.different_meaning(n) for s in scores]
    in_sample, held_out, matched = [], [], []
    for k, other in ((0, 1), (1, 0)):
        in_sample.append(scores[k].ap[same[k].mask].mean())
        held_out.append(scores[k].ap[same[other].mask].mean())
        control, _ = NeuronSet.random_magnitude_matched(
            same[other], scores[other].magnitude, seed + k, exclude=same[other]
        )
        matched.append(scores[k].ap[control.mask].mean())
    return HeldOutSelection(
        {"same": same[0].overlap(same[1]), "different": different[0].overlap(different[1])},
        float(np.mean(in_sample)),
        float(np.mean(held_out)),
        float(np.mean(matched)),
    )


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Condition:
    """One thing zeroed: ``set`` (a set name) at ``fraction`` of all neurons, ``kind`` ``exact``
    (as listed), ``released`` (the released code's layer matching), ``random`` (matched to the
    set's per-layer counts, draw ``seed``) or ``matched`` (per layer, the same count from each
    mean-|a| decile, draw ``seed``); ``none`` zeroes nothing."""

    set: str
    kind: str = "exact"
    fraction: float = 0.0
    seed: int = 0

    @property
    def key(self) -> str:
        if self.set == "none":
            return "none"
        extra = f" seed {self.seed}" if self.kind in ("random", "matched") else ""
        return f"{self.set} | {self.kind}{extra} | {self.fraction:g}"


NONE = Condition("none")


def benchmark_sets(lang: str, l1: str, l2: str) -> dict[str, str]:
    """Role -> set name for a benchmark in ``lang``: its task-language set is the set of its own
    language (none if ``lang`` is neither L1 nor L2)."""
    roles = {"same": "same", "different": "different"}
    if lang in (l1, l2):
        roles["task"] = f"only {lang}"
    return {**roles, "magnitude": "magnitude"}


def second_sets(p: Parameters) -> list[str]:
    """The names of the sets chosen under the second design (none when it is ``none``)."""
    if p.SECOND_DESIGN == "none":
        return []
    return [f"same ({p.SECOND_DESIGN})", f"different ({p.SECOND_DESIGN})"]


def conditions_for(lang: str, p: Parameters) -> list[Condition]:
    """Every condition scored on the benchmark in ``lang``."""
    names = list(benchmark_sets(lang, p.L1, p.L2).values())
    if f"only {p.L1}" not in names:
        names.append(f"only {p.L1}")  # the released code used the L1 set on every benchmark
    out = [NONE]
    for name in names:
        out.append(Condition(name, "exact", p.ABLATE_FRACTION))
        out += [Condition(name, "random", p.ABLATE_FRACTION, k) for k in range(p.N_RANDOM_SEEDS)]
        if name != "magnitude":  # the magnitude control is itself the top of the deciles
            out.append(Condition(name, "released", p.ABLATE_FRACTION))
            out += [
                Condition(name, "matched", p.ABLATE_FRACTION, k) for k in range(p.N_RANDOM_SEEDS)
            ]
    for name in second_sets(p):  # at the main fraction only
        out.append(Condition(name, "exact", p.ABLATE_FRACTION))
        out += [Condition(name, "random", p.ABLATE_FRACTION, k) for k in range(p.N_RANDOM_SEEDS)]
    for fraction in p.fractions:
        if fraction != p.ABLATE_FRACTION:
            out += [Condition(name, "exact", fraction) for name in names]
        out.append(Condition("uniform", "random", fraction, 0))
    return out


def uniform_counts(n: int, n_layers: int, n_neurons: int) -> NeuronSet:
    """A reference set with ``n`` neurons spread as evenly as possible over the layers (for the
    dose-response's random baseline, which is matched to no set)."""
    per_layer = np.full(n_layers, n // n_layers)
    per_layer[: n % n_layers] += 1
    mask = np.zeros((n_layers, n_neurons), dtype=bool)
    for layer, count in enumerate(per_layer):
        mask[layer, :count] = True
    return NeuronSet(mask)


def draw(c: Condition, by_size: dict[float, NeuronSets], seed: int) -> tuple[NeuronSet, int]:
    """The neurons a condition zeroes and, for a ``matched`` draw, how many came from a
    neighbouring decile (:func:`~neuron_utils.methods.set_scoring.matched_random`).

    Random sets are drawn outside the union of the main sets of their size (and outside the
    extra set they are matched to); where that leaves too little room in some layer, outside the
    set they are matched to.
    """
    sets = by_size[c.fraction]
    shape = next(iter(sets.sets.values())).shape
    reference = uniform_counts(sets.n, *shape) if c.set == "uniform" else sets.every[c.set]
    if c.kind == "exact":
        return reference, 0
    if c.kind == "released":
        return released_code_layers(reference), 0
    names = ["uniform", *sorted(sets.sets), *sets.extra]  # extras last: main draws unchanged
    number = seed + 1000 * names.index(c.set) + c.seed
    outside = sets.union() | reference if c.set in sets.extra else sets.union()
    fallback = None if c.set == "uniform" else reference
    magnitude = sets.magnitude if c.kind == "matched" else None
    return matched_random(reference, number, outside, fallback, magnitude)


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 6's figures, tables and summary read."""

    parameters: Parameters
    n_layers: int
    n_neurons: int
    by_size: dict[float, NeuronSets]  # fraction -> the sets of that size
    zeroed: dict[str, int]  # condition key -> neurons zeroed
    pairs: dict[str, MinimalPairSet]  # benchmark language -> its minimal pairs
    preference: dict[str, dict[str, np.ndarray]]  # language -> condition key -> [pairs]
    # condition key -> neurons of a matched draw taken from a neighbouring decile
    fallback: dict[str, int]
    held_out: HeldOutSelection  # the main-fraction sets chosen on halves

    @property
    def main(self) -> NeuronSets:
        return self.by_size[self.parameters.ABLATE_FRACTION]

    def correct(self, lang: str, key: str) -> np.ndarray:
        """``[pairs]``: the good sentence has the higher mean token log-prob (strictly)."""
        return self.preference[lang][key] > 0

    def overall(self, lang: str, keys: list[str]) -> np.ndarray:
        """OVERALL point estimates ``[C]`` of the conditions ``keys`` (no bootstrap)."""
        correct = np.array([self.correct(lang, key) for key in keys])
        return bootstrap.overall_accuracy(correct, self.pairs[lang].paradigm)

    def overall_replicates(self, lang: str, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """OVERALL point estimates ``[C]`` and paired bootstrap replicates ``[C, B]`` of the
        conditions ``keys`` (the same replicates for every condition)."""
        p, paradigm = self.parameters, self.pairs[lang].paradigm
        correct = np.array([self.correct(lang, key) for key in keys])
        replicates = bootstrap.overall_replicates(correct, paradigm, p.N_BOOTSTRAP, p.SEED)
        return bootstrap.overall_accuracy(correct, paradigm), replicates


def load_benchmarks(p: Parameters) -> dict[str, MinimalPairSet]:
    """The minimal pairs, one benchmark per language (en: BLiMP-like, ja: JBLiMP-like)."""
    pairs = data.load_minimal_pairs(
        p.PAIR_SOURCES,
        None,
        p.N_PAIRS_PER_PARADIGM,
        p.SEED,
        min_pairs=p.MIN_PAIRS,
        columns=p.PAIR_COLUMNS,
    )
    # every own paradigm has a language (check_data)
    language = np.array(data.languages_of(pairs.paradigm, p.PAIR_SOURCES, p.PAIR_COLUMNS))
    return {
        lang: pairs.subset(np.flatnonzero(language == lang))
        for lang in dict.fromkeys(language.tolist())
    }


def benchmark_name(pairs: MinimalPairSet) -> str:
    """``BLiMP``, ``JBLiMP`` or ``generated (en)``: the sources of a benchmark's paradigms."""
    sources = dict.fromkeys(
        "BLiMP"
        if name.startswith("blimp/")
        else "JBLiMP"
        if name.startswith("jblimp/")
        else "generated"
        if name in generator.PARADIGMS
        else name.split("/", 1)[0]  # an own table: its file's stem
        for name in pairs.paradigms
    )
    lang = generator.language_of(pairs.paradigms[0])
    return " + ".join(f"{s} ({lang})" if s == "generated" else s for s in sources)


def pair_sets(p: Parameters) -> list[PairSet]:
    """The pairs that choose the sets: under ``DESIGN``, then under ``SECOND_DESIGN`` (unless
    it is ``none``)."""
    designs = [(p.N_PAIRS, p.DESIGN)]
    if p.SECOND_DESIGN != "none":
        designs.append((p.N_PAIRS_SECOND, p.SECOND_DESIGN))
    return [
        data.make_pairs(
            p.DATA_SOURCE, p.L1, p.L2, n, design, p.SEED, p.OTHER_CORPUS, p.DATA_COLUMNS
        )
        for n, design in designs
    ]


def sets_by_size(
    n_all: int, model_name: str, p: Parameters, scores: SetScores, second: SetScores | None
) -> dict[float, NeuronSets]:
    """The sets at every fraction of the ``n_all`` neurons (``p.fractions``)."""
    by_size = {}
    for fraction in p.fractions:
        n = round(fraction * n_all)
        if n < 1:
            raise ValueError(
                f"a fraction of {fraction} selects no neuron of the {n_all} of {model_name}"
            )
        by_size[fraction] = neuron_sets(scores, n, second, p.SECOND_DESIGN)
    return by_size


def score_conditions(
    model: LoadedModel,
    p: Parameters,
    benchmarks: dict[str, MinimalPairSet],
    by_size: dict[float, NeuronSets],
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, int], dict[str, int]]:
    """Every condition of every benchmark scored on its minimal pairs: ``(preference, zeroed,
    fallback)`` as :class:`Results` holds them."""
    preference, zeroed, fallback = {}, {}, {}
    for lang, pairs in benchmarks.items():
        conditions = {}
        for c in conditions_for(lang, p):
            if c.set == "none":
                conditions[c.key], zeroed[c.key] = [], 0
                continue
            neurons, missing = draw(c, by_size, p.SEED)
            if c.kind == "matched":
                fallback[c.key] = missing
            zeroed[c.key] = len(neurons)
            conditions[c.key] = [Intervention(neurons, "zero", site=p.NEURON_SITE)]
        preference[lang] = pair_preferences_under(
            model, pairs.good, pairs.bad, conditions, p.BATCH_SIZE
        )
    return preference, zeroed, fallback


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Sets from the L1/L2 pairs at every fraction; every condition scored on every benchmark."""
    pairsets = pair_sets(p)
    acts = activations_by_text(model, pairsets, [p.NEURON_SITE], "last", p.BATCH_SIZE)
    scores, *second = [set_scores(ps, acts, p.NEURON_SITE, p.EPSILON) for ps in pairsets]
    by_size = sets_by_size(
        model.n_layers * model.n_neurons, model.name, p, scores, second[0] if second else None
    )
    benchmarks = load_benchmarks(p)
    preference, zeroed, fallback = score_conditions(model, p, benchmarks, by_size)
    held_out = held_out_selection(
        pairsets[0], acts, p.NEURON_SITE, p.EPSILON, by_size[p.ABLATE_FRACTION].n, p.SEED
    )
    return Results(
        p,
        model.n_layers,
        model.n_neurons,
        by_size,
        zeroed,
        benchmarks,
        preference,
        fallback,
        held_out,
    )


def set_overlaps(results: Results) -> tuple[list[str], np.ndarray]:
    """Names and pairwise Jaccard overlaps ``[S, S]`` of the sets at the main fraction (main sets,
    then the second design's)."""
    sets = results.main.every
    names = list(sets)
    return names, np.array([[sets[a].overlap(sets[b]) for b in names] for a in names])

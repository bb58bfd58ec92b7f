"""Chapter 6: which neurons does grammar need? Zeroing neuron sets and re-scoring minimal pairs.

Tezuka & Inoue (§3.4, Table 1) zeroed 10,000 neurons of LLaMA-3-8B chosen three ways from
English/L2 sentence pairs ("same meaning": top AP, chapter 2; "different meaning": active on
both sides of non-parallel pairs, largest summed magnitude; "task language": active on one
language's side only) and re-measured BLiMP and JBLiMP. This module builds those sets and the
controls the paper lacks (random sets matched to each set's layers, the plain top neurons by
mean magnitude), the variant that reproduces the released code's layer matching, and a
dose-response over set sizes; it scores every condition on the same minimal pairs and gives
paired bootstrap intervals.

:func:`neuron_sets` builds the sets from activations; :func:`analyse` runs everything for the
chapter's parameters; :func:`summarise` gives every number the chapter quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ... import data
from ...kit import plotting
from ...kit.spec import ChapterSpec
from ...kit.parameters import (
    ChapterParameters,
    check_choice,
    check_int,
    check_number,
    check_numbers,
    check_parallel_pairs,
    glue_name,
)
from ...core.activations import activations_by_text
from ...core.interventions import Intervention
from ...core.lm_scoring import pair_preferences_under
from ...core.models import LoadedModel
from ...core.neurons import NeuronSet
from ...data import MinimalPairSet, PairSet, generator
from ...methods import bootstrap
from ...methods.ranking import neuron_ap
from ...methods.selection import mean_magnitude

# The seed's Table 1 (LLaMA-3-8B after L2 = ja training, 10,000 neurons zeroed), OVERALL accuracy.
PAPER_TABLE = {
    "en": {"none": 0.776, "same": 0.745, "different": 0.508, "task": 0.755},
    "ja": {"none": 0.701, "same": 0.670, "different": 0.575, "task": 0.698},
}
PAPER_BENCHMARKS = {"en": "BLiMP", "ja": "JBLiMP"}
# the sets the paper zeroed, then the control; "task" is the benchmark's own language's set
ROLES = ("same", "different", "task", "magnitude")
ROLE_NAMES = {
    "same": "same meaning",
    "different": "different meaning",
    "task": "task language",
    "magnitude": "magnitude control",
}
LEVEL = 0.95  # confidence level of every interval


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 6's parameters (defaults: the ``quick`` profile): the pairs that choose the neurons,
    the sets, then the minimal pairs they are tested on."""

    # the pairs that choose the neurons: bundled | tatoeba | flores | own table
    # (.tsv/.csv/.jsonl/.parquet or hf:<id>, one column per language)
    DATA_SOURCE: str = "bundled"
    # an own table's columns where they are not named by language code: {"ja": "japanese"}
    DATA_COLUMNS: dict[str, str] = field(default_factory=dict)
    L1: str = "en"
    L2: str = "ja"
    N_PAIRS: int = 100  # parallel pairs (and as many non-parallel)
    DESIGN: str = "disjoint"  # non-parallel pairs from other sentences of the same source
    # the "same" and "different meaning" sets chosen again under this design (none: not at all);
    # cross-corpus: non-parallel L1 sentences from OTHER_CORPUS, as the authors' released code
    SECOND_DESIGN: str = "cross-corpus"
    N_PAIRS_SECOND: int = 100  # pairs per class of the second design
    OTHER_CORPUS: str = "formal"  # formal | generated | flores: for the cross-corpus design
    NEURON_SITE: str = "neurons"  # act(gate(x)) * up(x), as the authors' code
    EPSILON: float = 0.01  # "active": |activation| > EPSILON (the authors' code)
    ABLATE_FRACTION: float = 0.0218  # the paper's 10,000 of LLaMA-3-8B's 458,752 neurons
    DOSE_FRACTIONS: list[float] = field(default_factory=lambda: [0.005, 0.05])
    N_RANDOM_SEEDS: int = 2  # random sets matched to each set's layers
    # the benchmarks: generated, blimp, jblimp, or own tables with good, bad, paradigm and
    # language (en / ja) columns
    PAIR_SOURCES: list[str] = field(default_factory=lambda: ["generated"])
    PAIR_COLUMNS: dict[str, str] = field(default_factory=dict)  # as DATA_COLUMNS, for pairs
    N_PAIRS_PER_PARADIGM: int = 6  # 6 x 19 paradigms x 72 conditions: about 2 minutes on 2 cores
    MIN_PAIRS: int = 1  # the authors averaged over every JBLiMP phenomenon, however small
    N_BOOTSTRAP: int = 2000
    BATCH_SIZE: int = 64

    CHAPTER: ClassVar[str] = "06"
    PAPER: ClassVar[dict[str, Any]] = {
        "DATA_SOURCE": "tatoeba",
        "N_PAIRS": 2000,
        "N_PAIRS_SECOND": 1000,  # FLORES-200 devtest has 1,012 English sentences
        "N_RANDOM_SEEDS": 3,
        "OTHER_CORPUS": "flores",
        "PAIR_SOURCES": ["blimp", "jblimp"],
        "N_PAIRS_PER_PARADIGM": 1000,
    }
    # BLiMP at 1,000 pairs per paradigm takes ~15 min per condition on 2 cores (x ~30 conditions)
    PAPER_LITE: ClassVar[dict[str, Any]] = {"N_PAIRS_PER_PARADIGM": 30}

    def check(self) -> None:
        if self.L2 == self.L1:
            raise ValueError(f"L2={self.L2!r} must differ from L1={self.L1!r}")
        check_choice("DESIGN", self.DESIGN, data.DESIGNS)
        check_choice("SECOND_DESIGN", self.SECOND_DESIGN, ("none", *data.DESIGNS))
        if self.SECOND_DESIGN == self.DESIGN:
            raise ValueError(
                f"SECOND_DESIGN={self.SECOND_DESIGN!r} must differ from DESIGN (or be 'none')"
            )
        check_choice("NEURON_SITE", self.NEURON_SITE, ("neurons", "gate"))
        check_number("EPSILON", self.EPSILON, 0.0, 1e3)
        # at most a fifth: random matched sets are drawn outside the union of the sets
        check_number("ABLATE_FRACTION", self.ABLATE_FRACTION, 0.0, 0.2, low_open=True)
        check_numbers("DOSE_FRACTIONS", self.DOSE_FRACTIONS, 1e-6, 0.2)
        check_int("N_RANDOM_SEEDS", self.N_RANDOM_SEEDS, 1)
        check_int("N_PAIRS_PER_PARADIGM", self.N_PAIRS_PER_PARADIGM, 2, generator.MAX_PAIRS)
        check_int("MIN_PAIRS", self.MIN_PAIRS, 1, self.N_PAIRS_PER_PARADIGM)
        check_int("N_BOOTSTRAP", self.N_BOOTSTRAP, 100)

    def check_data(self) -> None:
        sizes = {"N_PAIRS": (self.N_PAIRS, self.DESIGN)}
        if self.SECOND_DESIGN != "none":
            sizes["N_PAIRS_SECOND"] = (self.N_PAIRS_SECOND, self.SECOND_DESIGN)
        check_parallel_pairs(
            self.DATA_SOURCE, self.L1, [self.L2], sizes, self.OTHER_CORPUS, self.DATA_COLUMNS
        )
        data.check_pair_sources("PAIR_SOURCES", self.PAIR_SOURCES, self.PAIR_COLUMNS)
        # one benchmark per language: an own table's every row must say its language
        for source in filter(data.own.is_own, self.PAIR_SOURCES):
            rows = data.own.pair_rows(source, self.PAIR_COLUMNS)
            sizes = data.own_paradigm_sizes([source], self.PAIR_COLUMNS)
            if max(sizes.values()) < self.MIN_PAIRS:  # now, not after the model has loaded
                raise ValueError(
                    f"MIN_PAIRS={self.MIN_PAIRS}: no paradigm of {data.own.parse(source).name} "
                    f"has that many pairs (the largest has {max(sizes.values())})"
                )
            missing = sum(not lang for lang in rows.language)
            if missing:
                raise ValueError(
                    f"PAIR_SOURCES: {data.own.parse(source).name} has {missing} pair(s) with no "
                    "language: chapter 6 scores one benchmark per language, so every row needs "
                    "a language code (a `language` column, or another column mapped to it with "
                    "PAIR_COLUMNS)"
                )

    @property
    def uses_other_corpus(self) -> bool:
        return "cross-corpus" in (self.DESIGN, self.SECOND_DESIGN)

    def data_files(self) -> list[tuple[str, str]]:
        other = data.other_files(self.OTHER_CORPUS, self.L1) if self.uses_other_corpus else []
        return (
            data.source_files(self.DATA_SOURCE, [self.L1, self.L2])
            + other
            + data.pair_files(self.PAIR_SOURCES)
        )

    def describe_data(self) -> list[dict[str, Any]]:
        other = data.describe_other(self.OTHER_CORPUS, self.L1) if self.uses_other_corpus else []
        return (
            data.describe_source(self.DATA_SOURCE, [self.L1, self.L2], self.DATA_COLUMNS)
            + other
            + data.describe_pairs(self.PAIR_SOURCES, self.PAIR_COLUMNS)
        )

    @property
    def fractions(self) -> list[float]:
        """Every fraction zeroed, increasing: the dose fractions and the main one."""
        return sorted({*self.DOSE_FRACTIONS, self.ABLATE_FRACTION})


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "N_PAIRS": 24,
        "N_PAIRS_SECOND": 20,
        "N_PAIRS_PER_PARADIGM": 2,
        "DOSE_FRACTIONS": [0.005],
        "N_RANDOM_SEEDS": 1,
        "N_BOOTSTRAP": 200,
    },
    golden={
        "N_PAIRS": 16,
        "N_PAIRS_SECOND": 12,
        "OTHER_CORPUS": "generated",
        "N_PAIRS_PER_PARADIGM": 4,
        "ABLATE_FRACTION": 0.1,
        "DOSE_FRACTIONS": [0.05, 0.2],
        "EPSILON": 1e-4,
        "N_RANDOM_SEEDS": 2,
        "N_BOOTSTRAP": 200,
    },
    figures=4,
    quick_cold_s={"bfloat16": 169, "float32": 326},
)


# --------------------------------------------------------------------------- the neuron sets


def different_meaning_scores(a1: np.ndarray, a2: np.ndarray, epsilon: float) -> np.ndarray:
    """Summed ``|a1| + |a2|`` over the pairs where the neuron is active on both sides
    (``|a| > epsilon``): ``a1, a2 [pairs, L, N]`` (the two sides of non-parallel pairs) ->
    ``[L, N]``; 0 for a neuron never active on both sides."""
    m1, m2 = np.abs(a1), np.abs(a2)
    both = (m1 > epsilon) & (m2 > epsilon)
    return np.where(both, m1 + m2, 0).sum(0, dtype=np.float64)


def one_sided_scores(a_task: np.ndarray, a_other: np.ndarray, epsilon: float) -> np.ndarray:
    """Summed ``|a_task|`` over the pairs where the neuron is active on the task language's side
    and not on the other (``|a_task| > epsilon >= |a_other|``): ``[pairs, L, N]`` -> ``[L, N]``."""
    m = np.abs(a_task)
    only = (m > epsilon) & (np.abs(a_other) <= epsilon)
    return np.where(only, m, 0).sum(0, dtype=np.float64)


def top_positive(scores: np.ndarray, n: int) -> NeuronSet:
    """The ``n`` highest scores among those > 0 (fewer if fewer are positive); ties broken by
    position (layer, then neuron), as :meth:`NeuronSet.top_n`."""
    return NeuronSet.top_n(scores, n) & NeuronSet(scores > 0)


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


@dataclass
class SetScores:
    """Per-neuron scores that rank each set (``[L, N]`` each)."""

    ap: np.ndarray  # average precision, parallel vs non-parallel
    different: np.ndarray  # different_meaning_scores on the non-parallel pairs
    only: dict[str, np.ndarray]  # language -> one_sided_scores on the parallel pairs
    magnitude: np.ndarray  # mean |activation| over every sentence

    def sets(self, n: int, second: SetScores | None = None, design: str = "") -> NeuronSets:
        """The sets of ``n`` neurons; with ``second`` (scores from pairs of the second
        ``design``), its ``same`` and ``different`` sets as extras."""
        sets = {
            "same": NeuronSet.top_n(self.ap, n),
            "different": top_positive(self.different, n),
            **{f"only {lang}": top_positive(s, n) for lang, s in self.only.items()},
            "magnitude": NeuronSet.top_n(self.magnitude, n),
        }
        extra = {}
        if second is not None:
            extra = {
                f"same ({design})": NeuronSet.top_n(second.ap, n),
                f"different ({design})": top_positive(second.different, n),
            }
        return NeuronSets(n, sets, extra, self.magnitude)


def set_scores(ps: PairSet, acts, site: str, epsilon: float) -> SetScores:
    """Every ranking score from the pairs' last-token activations (``acts``: language ->
    :class:`~neuron_utils.core.activations.TextActivations`). The one-sided ("task language")
    scores use the parallel pairs, so that the two sides differ in language, not in content."""
    a1 = acts[ps.l1].rows(ps.l1_texts, site)  # [sentences, L, N]
    a2 = acts[ps.l2].rows(ps.l2_texts, site)
    parallel, other = ps.pairs[ps.labels == 1], ps.pairs[ps.labels == 0]
    p1, p2 = a1[parallel[:, 0]], a2[parallel[:, 1]]
    magnitude = mean_magnitude(a1, a2)
    return SetScores(
        ap=neuron_ap(ps, acts, site),
        different=different_meaning_scores(a1[other[:, 0]], a2[other[:, 1]], epsilon),
        only={
            ps.l1: one_sided_scores(p1, p2, epsilon),
            ps.l2: one_sided_scores(p2, p1, epsilon),
        },
        magnitude=magnitude,
    )


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
    :func:`set_scores`; no forward pass)."""
    halves = ps.halves(seed)
    scores = [set_scores(half, acts, site, epsilon) for half in halves]
    same = [NeuronSet.top_n(s.ap, n) for s in scores]
    different = [top_positive(s.different, n) for s in scores]
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
    neighbouring decile (:meth:`~neuron_utils.core.neurons.NeuronSet.random_magnitude_matched`).

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
    exclude = None if c.set == "uniform" else reference
    if c.kind == "matched":
        try:
            return NeuronSet.random_magnitude_matched(reference, sets.magnitude, number, outside)
        except ValueError:  # no room outside the union in some layer
            return NeuronSet.random_magnitude_matched(reference, sets.magnitude, number, exclude)
    try:
        return NeuronSet.random_matched(reference, seed=number, exclude=outside), 0
    except ValueError:  # no room outside the union in some layer
        return NeuronSet.random_matched(reference, seed=number, exclude=exclude), 0


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


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Sets from the L1/L2 pairs at every fraction; every condition scored on every benchmark."""
    ps = data.make_pairs(
        p.DATA_SOURCE, p.L1, p.L2, p.N_PAIRS, p.DESIGN, p.SEED, p.OTHER_CORPUS, p.DATA_COLUMNS
    )
    pairsets = [ps]
    if p.SECOND_DESIGN != "none":
        pairsets.append(
            data.make_pairs(
                p.DATA_SOURCE,
                p.L1,
                p.L2,
                p.N_PAIRS_SECOND,
                p.SECOND_DESIGN,
                p.SEED,
                p.OTHER_CORPUS,
                p.DATA_COLUMNS,
            )
        )
    acts = activations_by_text(model, pairsets, [p.NEURON_SITE], "last", p.BATCH_SIZE)
    scores = set_scores(ps, acts, p.NEURON_SITE, p.EPSILON)
    second = set_scores(pairsets[1], acts, p.NEURON_SITE, p.EPSILON) if len(pairsets) > 1 else None
    n_all = model.n_layers * model.n_neurons
    by_size = {}
    for fraction in p.fractions:
        n = round(fraction * n_all)
        if n < 1:
            raise ValueError(
                f"a fraction of {fraction} selects no neuron of the {n_all} of {model.name}"
            )
        by_size[fraction] = scores.sets(n, second, p.SECOND_DESIGN)
    benchmarks = load_benchmarks(p)
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
    held_out = held_out_selection(
        ps, acts, p.NEURON_SITE, p.EPSILON, by_size[p.ABLATE_FRACTION].n, p.SEED
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


# --------------------------------------------------------------------------- summary


def _points(results: Results, lang: str, keys: list[str]) -> np.ndarray:
    """OVERALL point estimates ``[C]`` of ``keys`` (no bootstrap)."""
    correct = np.array([results.correct(lang, key) for key in keys])
    return bootstrap.overall_accuracy(correct, results.pairs[lang].paradigm)


def _accuracies(results: Results, lang: str, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """OVERALL point estimates ``[C]`` and paired bootstrap replicates ``[C, B]`` of ``keys``."""
    p, pairs = results.parameters, results.pairs[lang]
    correct = np.array([results.correct(lang, key) for key in keys])
    replicates = bootstrap.overall_replicates(correct, pairs.paradigm, p.N_BOOTSTRAP, p.SEED)
    return bootstrap.overall_accuracy(correct, pairs.paradigm), replicates


def paired_difference(results: Results, lang: str, a: str, b: str) -> tuple[float, float, float]:
    """OVERALL accuracy of condition ``a`` minus that of ``b`` on the same pairs, with its paired
    bootstrap interval: ``(difference, low, high)``."""
    return paired_contrast(results, lang, {a: 1.0, b: -1.0})


def paired_contrast(
    results: Results, lang: str, weights: dict[str, float]
) -> tuple[float, float, float]:
    """A weighted sum of OVERALL accuracies of conditions (key -> weight) measured on the same
    pairs, with its paired bootstrap interval: ``(contrast, low, high)``."""
    keys = list(weights)
    w = np.array([weights[key] for key in keys])
    point, reps = _accuracies(results, lang, keys)
    low, high = bootstrap.interval(w @ reps, LEVEL)
    return float(w @ point), float(low), float(high)


def table1_contrasts(results: Results, lang: str) -> dict[str, float]:
    """The comparisons of Tezuka et al.'s Table 1 on one benchmark at the main fraction, each a
    paired contrast with its interval (``_low``, ``_high``): ``different_minus_same`` (accuracy
    with 'different' zeroed minus with 'same' zeroed: below 0 when 'different' hurts more) and
    ``different_beyond_twice_{task}`` (the drop from zeroing 'different' minus twice the drop
    from zeroing the task-language set: above 0 when 'different' hurts at least twice as much),
    for the benchmark's task set (``task``, where its language is L1 or L2) and the released
    code's L1 set (``task_released``, where that is another set)."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    roles = benchmark_sets(lang, p.L1, p.L2)

    def key(name: str) -> str:
        return Condition(name, "exact", f).key

    contrasts = {"different_minus_same": {key("different"): 1.0, key("same"): -1.0}}
    tasks = {"task": roles["task"]} if "task" in roles else {}
    if roles.get("task") != f"only {p.L1}":
        tasks["task_released"] = f"only {p.L1}"
    for slug, name in tasks.items():
        # (none - different) - 2 (none - task) = 2 task - different - none
        contrasts[f"different_beyond_twice_{slug}"] = {
            key(name): 2.0,
            key("different"): -1.0,
            NONE.key: -1.0,
        }
    out = {}
    for name, weights in contrasts.items():
        point, low, high = paired_contrast(results, lang, weights)
        out[f"{name}_{lang}"], out[f"{name}_low_{lang}"], out[f"{name}_high_{lang}"] = (
            point,
            low,
            high,
        )
    return out


def benchmark_rows(results: Results, lang: str) -> list[dict[str, Any]]:
    """One row per zeroed set on one benchmark at the main fraction (and the no-ablation row):
    OVERALL accuracy, its change from no ablation, the mean of its matched random sets and the
    difference from them, each with a paired bootstrap interval."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    roles = benchmark_sets(lang, p.L1, p.L2)
    rows = [("none", "no ablation", NONE.key, None)]
    rows += [
        (role, ROLE_NAMES[role], Condition(name, "exact", f).key, name)
        for role, name in roles.items()
    ]
    if roles.get("task") != f"only {p.L1}":  # the released code's task set is the L1 one
        name = f"only {p.L1}"
        rows.append(
            (
                "task_released",
                f"task language as released ({p.L1})",
                Condition(name, "exact", f).key,
                name,
            )
        )
    for name in second_sets(p):
        role = name.split(" (")[0]
        label = f"{ROLE_NAMES[role]} ({p.SECOND_DESIGN})"
        rows.append((f"{role}_second", label, Condition(name, "exact", f).key, name))
    keys = [key for *_, key, _ in rows]
    randoms = {
        name: [Condition(name, "random", f, k).key for k in range(p.N_RANDOM_SEEDS)]
        for *_, name in rows
        if name is not None
    }
    point, reps = _accuracies(results, lang, keys)
    out = []
    for k, (role, label, key, name) in enumerate(rows):
        row = {
            "role": role,
            "condition": label,
            "zeroed": results.zeroed[key],
            **bootstrap.condition_row(reps[k], point[k], reps[0], point[0], LEVEL),
        }
        if name is not None:
            r_point, r_reps = _accuracies(results, lang, randoms[name])
            row.update(
                {
                    "random": float(r_point.mean()),
                    "random_min": float(r_point.min()),
                    "random_max": float(r_point.max()),
                    **bootstrap.versus(
                        reps[k] - r_reps.mean(0),
                        point[k] - r_point.mean(),
                        "vs_random",
                        "verdict",
                        level=LEVEL,
                    ),
                    "jaccard_magnitude": results.main.every[name].overlap(
                        results.main.sets["magnitude"]
                    ),
                }
            )
            matched = [Condition(name, "matched", f, d).key for d in range(p.N_RANDOM_SEEDS)]
            if matched[0] in results.preference[lang]:
                m_point, m_reps = _accuracies(results, lang, matched)
                row["matched"] = float(m_point.mean())
                row.update(
                    bootstrap.versus(
                        reps[k] - m_reps.mean(0),
                        point[k] - m_point.mean(),
                        "vs_matched",
                        "verdict_matched",
                        "its |a|-matched random sets",
                        LEVEL,
                    )
                )
        out.append(row)
    return out


def released_rows(results: Results) -> list[dict[str, Any]]:
    """Per set (not the magnitude control): neurons listed, neurons the released code's layer
    matching zeroes, and OVERALL accuracy on each benchmark with exact and with released layers."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    out = []
    for name, neurons in results.main.sets.items():
        if name == "magnitude":
            continue
        row: dict[str, Any] = {
            "set": name,
            "listed": len(neurons),
            "zeroed": len(released_code_layers(neurons)),
        }
        for lang in results.pairs:
            keys = [Condition(name, kind, f).key for kind in ("exact", "released")]
            if keys[0] not in results.preference[lang]:
                continue
            exact, released = _points(results, lang, keys)
            row[f"{lang} exact"] = float(exact)
            row[f"{lang} released"] = float(released)
        out.append(row)
    return out


def dose_curves(results: Results, lang: str) -> dict[str, list[float]]:
    """OVERALL accuracy per fraction (``results.parameters.fractions``) for each set zeroed on
    the benchmark, and for uniform random sets; ``none`` is the unablated accuracy (a constant)."""
    p = results.parameters
    names = [
        name
        for name in [*results.main.sets]
        if Condition(name, "exact", p.fractions[0]).key in results.preference[lang]
    ]
    curves = {}
    for name in names:
        keys = [Condition(name, "exact", f).key for f in p.fractions]
        curves[name] = _points(results, lang, keys).tolist()
    keys = [Condition("uniform", "random", f, 0).key for f in p.fractions]
    curves["random (uniform over layers)"] = _points(results, lang, keys).tolist()
    curves["none"] = [float(_points(results, lang, [NONE.key])[0])] * len(p.fractions)
    return curves


def paradigm_changes(results: Results) -> pd.DataFrame:
    """Per paradigm (rows, both benchmarks): accuracy with each role's set zeroed minus without,
    at the main fraction; the random column is the mean over every set's random draws."""
    p = results.parameters
    f = p.ABLATE_FRACTION
    frames = []
    for lang, pairs in results.pairs.items():
        roles = benchmark_sets(lang, p.L1, p.L2)
        names = pairs.paradigms
        base = results.correct(lang, NONE.key)
        table = {}
        for role, name in roles.items():
            changed = results.correct(lang, Condition(name, "exact", f).key)
            table[ROLE_NAMES[role]] = [
                changed[pairs.rows(n)].mean() - base[pairs.rows(n)].mean() for n in names
            ]
        random_keys = [
            Condition(name, "random", f, k).key
            for name in roles.values()
            for k in range(p.N_RANDOM_SEEDS)
        ]
        table["random (mean)"] = [
            np.mean([results.correct(lang, key)[pairs.rows(n)].mean() for key in random_keys])
            - base[pairs.rows(n)].mean()
            for n in names
        ]
        table["accuracy, no ablation"] = [base[pairs.rows(n)].mean() for n in names]
        frames.append(pd.DataFrame(table, index=[n.split("/")[-1] for n in names]))
    return pd.concat(frames)


def set_overlaps(results: Results) -> tuple[list[str], np.ndarray]:
    """Names and pairwise Jaccard overlaps ``[S, S]`` of the sets at the main fraction (main sets,
    then the second design's)."""
    sets = results.main.every
    names = list(sets)
    return names, np.array([[sets[a].overlap(sets[b]) for b in names] for a in names])


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 6 quotes (glued under these names) and the data of its tables and
    figures: the sets, then per benchmark its rows and dose curves, the released code's layer
    matching and the held-out check (one helper each)."""
    p = results.parameters
    n_all = results.n_layers * results.n_neurons
    out: dict[str, Any] = {
        "n_ablate": results.main.n,
        "n_all": n_all,
        "n_layers": results.n_layers,
        "ablate_pct": 100 * p.ABLATE_FRACTION,
        "n_random_seeds": p.N_RANDOM_SEEDS,
        "level_pct": 100 * LEVEL,
        "n_bootstrap": p.N_BOOTSTRAP,
        "l1": p.L1,
        "l2": p.L2,
        "n_pairs_sets": p.N_PAIRS,
        "data_source": p.DATA_SOURCE,
    }
    out.update(_set_summary(results))
    out["benchmarks"] = {}
    out["benchmark_names"] = {lang: benchmark_name(pairs) for lang, pairs in results.pairs.items()}
    out["dose"] = {}
    for lang in results.pairs:
        out["benchmarks"][lang] = rows = benchmark_rows(results, lang)
        out.update(_benchmark_summary(results, lang, rows))
        out["dose"][lang] = curves = dose_curves(results, lang)
        out.update(_dose_summary(lang, curves))
    out.update(_released_summary(results))
    out.update(_held_out_summary(results))
    out["fractions_pct"] = [100 * f for f in p.fractions]
    out["dose_smallest_pct"] = 100 * p.fractions[0]
    out["dose_largest_pct"] = 100 * p.fractions[-1]
    out["paper_table"] = PAPER_TABLE
    out["units"] = UNITS
    return out


def _set_summary(results: Results) -> dict[str, Any]:
    """The sets' sizes, per-layer counts and overlaps (with the magnitude control, and under
    the second design with the main one)."""
    p = results.parameters
    out: dict[str, Any] = {}
    names, overlaps = set_overlaps(results)
    for k, name in enumerate(names):
        out[f"size_{glue_name(name)}"] = len(results.main.every[name])
        if name != "magnitude":
            out[f"jaccard_{glue_name(name)}_magnitude"] = float(
                overlaps[k, names.index("magnitude")]
            )
    out["set_names"] = names
    out["set_overlaps"] = overlaps.tolist()
    out["set_per_layer"] = {name: results.main.every[name].per_layer().tolist() for name in names}
    out["design"] = p.DESIGN
    out["second_design"] = p.SECOND_DESIGN
    for role in ("same", "different"):  # the set under the second design vs the main one
        name = f"{role} ({p.SECOND_DESIGN})"
        for other, key in ((role, "main"), ("magnitude", "magnitude")):
            out[f"jaccard_{role}_second_{key}"] = (
                float(overlaps[names.index(name), names.index(other)])
                if name in names
                else float("nan")
            )
    return out


def _benchmark_summary(results: Results, lang: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One benchmark's rows (:func:`benchmark_rows`) under flat names, "different" against the magnitude control and
    Table 1's paired contrasts; NaN / "not measured" for a set not zeroed here."""
    p = results.parameters
    pairs = results.pairs[lang]
    out: dict[str, Any] = {}
    out[f"n_pairs_{lang}"] = len(pairs)
    out[f"n_paradigms_{lang}"] = len(pairs.paradigms)
    for row in rows:
        slug = f"{lang}_{row['role']}"
        for field_name in ("accuracy", "low", "high", "delta", "delta_low", "delta_high"):
            out[f"{field_name}_{slug}"] = row[field_name]
        for field_name in (
            "random",
            "vs_random",
            "vs_random_low",
            "vs_random_high",
            "verdict",
            "matched",
            "vs_matched",
            "vs_matched_low",
            "vs_matched_high",
            "verdict_matched",
        ):
            if field_name in row:
                out[f"{field_name}_{slug}"] = row[field_name]
    # do "different meaning" neurons matter beyond their magnitude?
    f = p.ABLATE_FRACTION
    diff, low, high = paired_difference(
        results,
        lang,
        Condition("different", "exact", f).key,
        Condition("magnitude", "exact", f).key,
    )
    out[f"different_minus_magnitude_{lang}"] = diff
    out[f"different_minus_magnitude_low_{lang}"] = low
    out[f"different_minus_magnitude_high_{lang}"] = high
    out[f"different_vs_magnitude_{lang}"] = bootstrap.verdict(low, high, "the magnitude control")
    out.update(table1_contrasts(results, lang))
    for name in (
        "different_minus_same",
        "different_beyond_twice_task",
        "different_beyond_twice_task_released",
    ):
        for end in ("", "_low", "_high"):
            out.setdefault(f"{name}{end}_{lang}", float("nan"))  # no such set here
    roles = ("same", "different", "task", "task_released", "magnitude")
    for role in (*roles, "same_second", "different_second"):
        for field_name in ("accuracy", "delta", "random", "vs_random", "matched", "vs_matched"):
            out.setdefault(f"{field_name}_{lang}_{role}", float("nan"))  # not zeroed here
        out.setdefault(f"verdict_{lang}_{role}", "not measured")
        out.setdefault(f"verdict_matched_{lang}_{role}", "not measured")
    return out


def _dose_summary(lang: str, curves: dict[str, list[float]]) -> dict[str, Any]:
    """The dose curves' (:func:`dose_curves`) smallest fraction and the range of every drop on
    one benchmark."""
    out: dict[str, Any] = {}
    drops = [
        curves["none"][0] - value
        for name, curve in curves.items()
        if name != "none"
        for value in curve
    ]
    for name in ("different", "magnitude"):
        out[f"dose_{lang}_{name}_smallest"] = curves[name][0]
    out[f"dose_max_drop_{lang}"] = float(max(drops))
    out[f"dose_min_drop_{lang}"] = float(min(drops))
    return out


def _released_summary(results: Results) -> dict[str, Any]:
    """The released code's layer matching: neurons listed vs zeroed, and what it changes."""
    out: dict[str, Any] = {}
    released = released_rows(results)
    out["released"] = released
    listed = sum(row["listed"] for row in released)
    zeroed = sum(row["zeroed"] for row in released)
    out["released_listed"] = listed
    out["released_zeroed"] = zeroed
    out["released_ratio"] = zeroed / listed if listed else float("nan")
    out["released_max_change"] = max(
        abs(row[f"{lang} released"] - row[f"{lang} exact"])
        for row in released
        for lang in results.pairs
        if f"{lang} exact" in row
    )
    out["released_layers_of_1"] = ", ".join(
        str(j) for j in range(results.n_layers) if "1" in str(j)
    )
    return out


def _held_out_summary(results: Results) -> dict[str, Any]:
    """The sets chosen again on halves of the pairs, and the |a|-matched draws' fallbacks."""
    n_all = results.n_layers * results.n_neurons
    out: dict[str, Any] = {}
    held = results.held_out
    out["half_overlap_same"] = held.overlap["same"]
    out["half_overlap_different"] = held.overlap["different"]
    out["same_ap_in_sample"] = held.ap_in_sample
    out["same_ap_held_out"] = held.ap_held_out
    out["same_ap_matched"] = held.ap_matched
    frac = results.main.n / n_all
    out["random_overlap"] = frac / (2 - frac)  # two random sets of this size
    matched_drawn = sum(results.zeroed[key] for key in results.fallback)
    out["matched_fallback"] = sum(results.fallback.values())
    out["matched_fallback_pct"] = (
        100 * out["matched_fallback"] / matched_drawn if matched_drawn else 0.0
    )
    return out


UNITS = {  # every key of the summary, by glob pattern
    "accuracy_*, low_*, high_*, random_*, dose": "OVERALL accuracy: unweighted mean over "
    "paradigms of the share of pairs whose good sentence has the higher mean token log-prob",
    "delta_*, vs_random_*, dose_*_drop_*": "difference of OVERALL accuracies",
    "different_minus_same_*, different_beyond_twice_*": "paired contrast of OVERALL "
    "accuracies (Table 1's comparisons: 'different' minus 'same'; the drop from 'different' "
    "minus twice the drop from the task-language set)",
    "*_low, *_high": f"{100 * LEVEL:.0f} % paired bootstrap interval over pairs",
    "n_*, size_*, released_listed, released_zeroed": "neurons (n_pairs_*: minimal pairs)",
    "jaccard_*, set_overlaps": "Jaccard overlap of neuron sets",
    "ablate_pct, fractions_pct, dose_smallest_pct, dose_largest_pct": "% of all neurons",
    "matched_*, dose_*_smallest": "OVERALL accuracy (matched_*: mean of the |a|-matched "
    "random sets)",
    "vs_matched_*, different_minus_magnitude_*, released_max_change": "difference of "
    "OVERALL accuracies",
    "same_ap_*": "average precision (0.5: chance)",
    "half_overlap_*": "Jaccard overlap of the sets chosen on the two halves of the pairs",
    "released_ratio": "neurons zeroed per neuron listed",
    "n_layers": "layers of the model",
    "matched_fallback": "neurons drawn from a neighbouring |a| decile",
    "matched_fallback_pct": "% of the |a|-matched draws",
    "level_pct": "% (the intervals' level)",
    "set_per_layer": "neurons per layer of each set",
    "verdict_*, different_vs_magnitude_*, l1, l2, data_source, set_names, design, "
    "second_design, benchmark_names, released_layers_of_1": "text",
    "benchmarks, released, paper_table": "table rows (their columns say their units)",
}


# --------------------------------------------------------------------------- tables


def results_table(summary: dict[str, Any], lang: str) -> pd.DataFrame:
    """One benchmark: the seed's Table 1 value where it has one (LLaMA-3-8B), each condition's
    OVERALL accuracy, change from no ablation, the mean of its matched random sets and the
    difference from them (intervals in brackets), and its overlap with the magnitude control."""
    # the paper's numbers are for sets chosen from English/Japanese pairs
    paper = PAPER_TABLE.get(lang, {}) if (summary["l1"], summary["l2"]) == ("en", "ja") else {}
    rows = []
    for row in summary["benchmarks"][lang]:
        has_random = "random" in row
        rows.append(
            {
                "zeroed": row["condition"],
                "paper": f"{paper[row['role']]:.3f}" if row["role"] in paper else "",
                "accuracy [95 % CI]": bootstrap.interval_text(
                    row["accuracy"], row["low"], row["high"]
                ),
                "Δ vs none": bootstrap.interval_text(
                    row["delta"], row["delta_low"], row["delta_high"], True
                )
                if row["role"] != "none"
                else "",
                "random sets": f"{row['random']:.3f}" if has_random else "",
                "Δ vs random": bootstrap.interval_text(
                    row["vs_random"], row["vs_random_low"], row["vs_random_high"], True
                )
                if has_random
                else "",
                "Δ vs |a|-matched": bootstrap.interval_text(
                    row["vs_matched"], row["vs_matched_low"], row["vs_matched_high"], True
                )
                if "matched" in row
                else "",
                "Jaccard w. magnitude": f"{row['jaccard_magnitude']:.2f}" if has_random else "",
            }
        )
    table = pd.DataFrame(rows).set_index("zeroed")
    if not paper:
        table = table.drop(columns="paper")
    return table


def released_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Per set: neurons listed, neurons the released code's layer matching zeroes, and OVERALL
    accuracy with exact and with released-code layers on each benchmark."""
    table = pd.DataFrame(summary["released"]).set_index("set")
    table.insert(2, "ratio", (table["zeroed"] / table["listed"]).round(2))
    # a set not zeroed on a benchmark (only ja on the English one) has no accuracy there
    return table.round(3).astype(object).where(table.notna(), "")


# --------------------------------------------------------------------------- prose

# Sentences generated from the summary, for any L1/L2 and any benchmarks: the notebook shows
# them as Markdown. A quantity not defined for the data says so and why; no NaN is shown.


def language_name(lang: str) -> str:
    return data.LANGUAGE_NAMES.get(lang, lang)


def benchmark_label(summary: dict[str, Any], lang: str) -> str:
    """``BLiMP (English)``, ``generated (Japanese)``, ``fr_pairs (French)``."""
    name = summary["benchmark_names"][lang].replace(f" ({lang})", "")
    return f"{name} ({language_name(lang)})"


def _interval(summary: dict[str, Any], name: str, lang: str) -> str:
    """A paired contrast with its interval, ``+0.012 [-0.010, +0.035]``."""
    return bootstrap.interval_text(
        summary[f"{name}_{lang}"],
        summary[f"{name}_low_{lang}"],
        summary[f"{name}_high_{lang}"],
        True,
    )


def _quoted(name: str) -> str:
    return f"“{name}”"


def task_set(summary: dict[str, Any], lang: str) -> str | None:
    """The task-language set of the benchmark in ``lang`` (None where ``lang`` is neither L1
    nor L2)."""
    return f"only {lang}" if lang in (summary["l1"], summary["l2"]) else None


def _no_task_set(summary: dict[str, Any], lang: str) -> str:
    return (
        f"not defined for this benchmark: {language_name(lang)} is neither L1 "
        f"({summary['l1']}) nor L2 ({summary['l2']}), so it has no task-language set"
    )


def overlaps_text(summary: dict[str, Any]) -> str:
    """Each set's Jaccard overlap with the magnitude control, in words."""
    names = [name for name in summary["set_names"] if name != "magnitude"]
    parts = [
        f"{_quoted(name)} {summary[f'jaccard_{glue_name(name)}_magnitude']:.2f}" for name in names
    ]
    return (
        "Jaccard overlap of each set with the magnitude control: " + ", ".join(parts) + ". "
        "Summing $|a_{L1}| + |a_{L2}|$ over the pairs on which both sides are active rewards "
        "neurons that are large and almost always active: that is the definition of the "
        "magnitude control, whatever the pairs mean."
    )


def benchmark_heading(summary: dict[str, Any], lang: str) -> str:
    """The line above a benchmark's table."""
    return (
        f"**{benchmark_label(summary, lang)}**: {summary[f'n_pairs_{lang}']} pairs in "
        f"{summary[f'n_paradigms_{lang}']} paradigms."
    )


def verdicts_text(summary: dict[str, Any]) -> str:
    """Per benchmark: each set against its random sets, "different meaning" against the
    magnitude control, and Table 1's paired comparisons (where defined)."""
    paragraphs = []
    for lang in summary["benchmarks"]:
        label = benchmark_label(summary, lang)
        task = task_set(summary, lang)
        task_part = (
            f"the task-language set ({_quoted(task)}) {summary[f'verdict_{lang}_task']}"
            if task
            else f"the task-language set {_no_task_set(summary, lang)}"
        )
        released = ""
        if task != f"only {summary['l1']}":
            released = (
                f"; the L1 set that the released code zeroed on every benchmark "
                f"({_quoted('only ' + summary['l1'])}) is {summary[f'verdict_{lang}_task_released']}"
            )
        twice = (
            f"The drop from {_quoted('different meaning')} minus twice the drop from the "
            f"task-language set is {_interval(summary, 'different_beyond_twice_task', lang)} "
            "(above 0: it hurts at least twice as much, as the paper's Table 1 has it)."
            if task
            else f"The paper's comparison with the task-language set is {_no_task_set(summary, lang)}."
        )
        paragraphs.append(
            f"**{label}.** Against their own random sets, the {_quoted('same meaning')} set is "
            f"{summary[f'verdict_{lang}_same']}, {_quoted('different meaning')} "
            f"{summary[f'verdict_{lang}_different']}, {task_part} and the magnitude control "
            f"{summary[f'verdict_{lang}_magnitude']}{released}. Against random sets matched by "
            f"|a| decile as well, {_quoted('different meaning')} is "
            f"{summary[f'verdict_matched_{lang}_different']}. Zeroing "
            f"{_quoted('different meaning')} instead of the magnitude control changes OVERALL by "
            f"{_interval(summary, 'different_minus_magnitude', lang)}: it is "
            f"{summary[f'different_vs_magnitude_{lang}']}. Zeroing it instead of "
            f"{_quoted('same meaning')} changes OVERALL by "
            f"{_interval(summary, 'different_minus_same', lang)}. {twice}"
        )
    return "\n\n".join(paragraphs)


def second_design_text(summary: dict[str, Any]) -> str:
    """The sets chosen under the second design against the main ones (or why there are none)."""
    design = summary["second_design"]
    if design == "none":
        return (
            "This run chose no second set of pairs (`SECOND_DESIGN` is `none`): there is no "
            "comparison with the released code's pair design."
        )
    accuracies = "; ".join(
        f"{benchmark_label(summary, lang)}: {summary[f'accuracy_{lang}_same_second']:.3f} "
        f"({_quoted('same')}, {summary[f'verdict_{lang}_same_second']}) and "
        f"{summary[f'accuracy_{lang}_different_second']:.3f} ({_quoted('different')}, "
        f"{summary[f'verdict_{lang}_different_second']}), against "
        f"{summary[f'accuracy_{lang}_same']:.3f} and {summary[f'accuracy_{lang}_different']:.3f} "
        "for the main design's sets"
        for lang in summary["benchmarks"]
    )
    return (
        f"Under `{design}` the {_quoted('same meaning')} set shares "
        f"{summary['jaccard_same_second_main']:.2f} of its union with the main one and "
        f"{summary['jaccard_same_second_magnitude']:.2f} with the magnitude control; the "
        f"{_quoted('different meaning')} set {summary['jaccard_different_second_main']:.2f} and "
        f"{summary['jaccard_different_second_magnitude']:.2f}. Zeroed, they give {accuracies}."
    )


def dose_text(summary: dict[str, Any]) -> str:
    """The range of the drops over the dose-response's sizes, per benchmark."""
    ranges = "; ".join(
        f"{summary[f'dose_min_drop_{lang}']:+.3f} to {summary[f'dose_max_drop_{lang}']:+.3f} on "
        f"{benchmark_label(summary, lang)}"
        for lang in summary["dose"]
    )
    return f"Over these sizes the drop from no ablation ranges from {ranges} (a negative drop is a gain)."


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    points = []
    for lang in summary["benchmarks"]:
        deltas = {
            role: summary[f"delta_{lang}_{role}"]
            for role in ("same", "different", "task", "magnitude")
            if role != "task" or task_set(summary, lang)
        }
        lowest = min(deltas.values())
        worst = [ROLE_NAMES[role] for role, value in deltas.items() if value == lowest]
        largest = (
            f"the largest drop (point estimate) comes from the {' and the '.join(worst)} set"
            + ("s" if len(worst) > 1 else "")
            if lowest < 0
            else "no set lowers it"
        )
        changes = ", ".join(f"{ROLE_NAMES[role]} {value:+.3f}" for role, value in deltas.items())
        points.append(
            f"On {benchmark_label(summary, lang)} (no ablation "
            f"{summary[f'accuracy_{lang}_none']:.3f}), zeroing each set changes OVERALL "
            f"accuracy by: {changes}; {largest}. "
            f"{_quoted('Different meaning')} against the magnitude control: "
            f"{summary[f'different_vs_magnitude_{lang}']}."
        )
    points.append(
        f"The {_quoted('different meaning')} set overlaps the magnitude control by "
        f"{summary['jaccard_different_magnitude']:.2f} (Jaccard); chosen again on two halves of "
        f"the pairs, the {_quoted('same meaning')} sets overlap by "
        f"{summary['half_overlap_same']:.2f} (two random sets: {summary['random_overlap']:.3f})."
    )
    points.append(
        f"The released code's layer matching zeroes {summary['released_ratio']:.1f} neurons per "
        f"listed neuron and moves no accuracy by more than {summary['released_max_change']:.3f}."
    )
    return points


# --------------------------------------------------------------------------- figures


def plot_set_layers(results: Results) -> None:
    """Neurons per layer of each set at the main fraction."""
    fig, ax = plotting.single(width=0.8 * plotting.PAGE_WIDTH)
    for k, (name, neurons) in enumerate(results.main.every.items()):
        style = ":" if name in results.main.extra else "-"
        plotting.layer_line(ax, neurons.per_layer(), name, plotting.color(k), style)
    ax.set_ylabel("neurons in the set")
    plotting.legend(fig, ncol=min(len(results.main.every), 4))


def plot_set_overlaps(results: Results) -> None:
    """Pairwise Jaccard overlaps of the sets at the main fraction."""
    names, overlaps = set_overlaps(results)
    _, ax = plotting.single(width=4.4, height=3.3)
    plotting.annotated_heatmap(
        ax, overlaps, names, names, vmin=0, vmax=1, colorbar="Jaccard overlap"
    )


def plot_dose(summary: dict[str, Any]) -> None:
    """OVERALL accuracy against the percentage of neurons zeroed, one panel per benchmark: one
    line per set, uniform random sets dashed, no ablation dotted."""
    langs = list(summary["dose"])
    fig, axes = plotting.grid(1, len(langs), panel_height=2.8, sharex=False)
    x = summary["fractions_pct"]
    names = summary["set_names"]  # one colour per set in both panels, as in the layer figure
    for ax, lang in zip(axes[0], langs, strict=True):
        for name, curve in summary["dose"][lang].items():
            if name == "none":
                plotting.chance_line(ax, curve[0], "no ablation")
            elif name.startswith("random"):
                ax.plot(x, curve, "--", color="#7f7f7f", marker="o", ms=3, label=name)
            else:
                color = plotting.color(names.index(name))
                ax.plot(x, curve, "-", color=color, marker="o", ms=3, label=name)
        ax.set_xscale("log")
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.minorticks_off()
        ax.set_xlabel("% of neurons zeroed")
        ax.set_title(benchmark_label(summary, lang))
    axes[0, 0].set_ylabel("OVERALL accuracy")
    plotting.legend(fig, ncol=4)


def plot_paradigms(results: Results) -> None:
    """Per paradigm: accuracy change when each set is zeroed (blue: worse), both benchmarks."""
    table = paradigm_changes(results)
    changes = table.drop(columns="accuracy, no ablation")
    height = 1.2 + 0.16 * len(table)
    _, ax = plotting.single(width=0.8 * plotting.PAGE_WIDTH, height=height)
    plotting.annotated_heatmap(
        ax, changes.to_numpy(), list(changes.index), list(changes.columns), fmt="{:+.2f}",
        cmap="RdBu", vmin=-0.5, vmax=0.5, colorbar="accuracy change", fontsize=6,
    )  # fmt: skip


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

"""Chapter 4: grammaticality probes per paradigm and layer on EOS hidden states.

Inputs are the pooled hidden states of the good and bad sentence of every pair
(``[pairs, layers, d]`` each) and a train/test split *by pair*: both sentences of a pair are
on the same side, so no test sentence's twin is seen in training. Per paradigm and layer:
L0 mask probes over a lambda sweep, Welch-t top-k probes, the top-1 % probe against probes on
random dimensions of its complement, and (at one layer) every paradigm's probe evaluated on
every paradigm. Probes are batched over layers and paradigms; paradigms are processed in
chunks so that memory stays bounded on large data sets.

:func:`run` computes all probes from the states; :func:`analyse` loads the pairs, runs the
model and :func:`run` for the chapter's parameters; :func:`summarise` gives every number the
chapter quotes.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
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
    check_layer,
    check_number,
    check_numbers,
    check_subset,
)
from ...core.activations import collect
from ...core.cache import ArraySpec, cache_file, cached_arrays
from ...core.lm_scoring import pair_preferences
from ...core.models import LoadedModel
from ...core.storage import array_digest
from ...data import MinimalPairSet, generator
from ...methods import bootstrap, logistic, probes


@dataclass(frozen=True)
class Parameters(ChapterParameters):
    """Chapter 4's parameters (defaults: the ``quick`` profile)."""

    # any of: generated, blimp, jblimp, or own tables (.tsv/.csv/.jsonl/.parquet or hf:<id>)
    # with good, bad and paradigm columns
    PAIR_SOURCES: list[str] = field(default_factory=lambda: ["generated"])
    # an own table's columns where they are not named good/bad/paradigm: {"good": "sentence_good"}
    PAIR_COLUMNS: dict[str, str] = field(default_factory=dict)
    PARADIGMS: list[str] | None = None  # None: every paradigm of PAIR_SOURCES; or a list of names
    N_PAIRS_PER_PARADIGM: int = 70
    MIN_PAIRS: int = 20  # paradigms with fewer pairs are left out (JBLiMP's smallest phenomena)
    TEST_FRACTION: float = 0.2  # share of each paradigm's pairs held out (split by pair)
    # 1.0: the dense reference
    LAMBDAS: list[float] = field(default_factory=lambda: [0.05, 0.1, 0.2, 0.5, 1.0])
    L0_STEPS: int = 400
    # fraction of the hidden dimensions: the paper's top 1 % (40 of 4,096)
    TOP_DIM_FRACTION: float = 0.01
    # steps of 1 up to 8, where the paper's crossing (about 6) and this model's lie, then of 2
    # up to 16: the multiple that matches is interpolated between neighbours
    RANDOM_MULTIPLES: list[int] = field(
        default_factory=lambda: [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16]
    )
    N_RANDOM_SEEDS: int = 3  # the multiple's interval is its range over these draws
    GEN_LAYER: int = 9  # layer of the generalisation matrix (the paper: 16 of 32)
    GEN_LAMBDA: float = 0.2  # lambda of the sparse probe there (the paper: 0.2)
    BATCH_SIZE: int = 64

    CHAPTER: ClassVar[str] = "04"
    # BLiMP (67 paradigms x 1,000 pairs) and JBLiMP (phenomena with >= 20 pairs)
    PAPER: ClassVar[dict[str, Any]] = {
        "PAIR_SOURCES": ["blimp", "jblimp"],
        "N_PAIRS_PER_PARADIGM": 1000,
        "N_RANDOM_SEEDS": 5,
    }
    # 1,000 pairs per paradigm are about 134,000 BLiMP sentences (scored with the LM head and
    # read at every layer): hours on 2 cores. 200 per paradigm run in about twenty minutes.
    PAPER_LITE: ClassVar[dict[str, Any]] = {"N_PAIRS_PER_PARADIGM": 200}

    def check_data(self) -> None:
        data.check_pair_sources("PAIR_SOURCES", self.PAIR_SOURCES, self.PAIR_COLUMNS)
        if self.PARADIGMS is not None:
            check_subset("PARADIGMS", self.PARADIGMS, self._available_paradigms())
        # an own table's paradigms are counted now, not after the model has loaded
        sizes = data.own_paradigm_sizes(self.PAIR_SOURCES, self.PAIR_COLUMNS)
        requested = self.PARADIGMS or self._available_paradigms()
        small = {name: n for name, n in sizes.items() if name in requested and n < self.MIN_PAIRS}
        kept = [name for name in requested if name not in small]
        if small and len(kept) < 2:
            listed = ", ".join(f"{name} ({n})" for name, n in small.items())
            raise ValueError(
                f"MIN_PAIRS={self.MIN_PAIRS}: the generalisation matrix needs at least two "
                f"paradigms with at least {self.MIN_PAIRS} pairs, and these have fewer: {listed} "
                "(lower MIN_PAIRS or add pairs)"
            )

    def check(self) -> None:
        if not any(data.is_own(source) for source in self.PAIR_SOURCES):
            self.check_data()  # built-in sources: their paradigms are known without the data
        if self.PARADIGMS is not None:
            if len(self.PARADIGMS) < 2:
                raise ValueError(
                    "PARADIGMS: the generalisation matrix needs at least two paradigms"
                )
        check_int("N_PAIRS_PER_PARADIGM", self.N_PAIRS_PER_PARADIGM, 10, generator.MAX_PAIRS)
        check_int("MIN_PAIRS", self.MIN_PAIRS, 4)
        if self.MIN_PAIRS > self.N_PAIRS_PER_PARADIGM:
            raise ValueError(
                f"MIN_PAIRS={self.MIN_PAIRS} is more than N_PAIRS_PER_PARADIGM={self.N_PAIRS_PER_PARADIGM}: "
                "every paradigm would be left out"
            )
        check_number("TEST_FRACTION", self.TEST_FRACTION, 0.05, 0.5)
        check_numbers("LAMBDAS", self.LAMBDAS, 0.0, 1.0)
        if 1.0 not in self.LAMBDAS:
            raise ValueError(
                f"LAMBDAS={self.LAMBDAS!r} must include 1.0 (the dense reference of the L0 probes)"
            )
        if min(self.LAMBDAS) >= 1.0:
            raise ValueError(
                f"LAMBDAS={self.LAMBDAS!r} needs a value below 1.0: the sweep asks how few "
                "dimensions sparse probes need"
            )
        check_int("L0_STEPS", self.L0_STEPS, 1)
        check_number("TOP_DIM_FRACTION", self.TOP_DIM_FRACTION, 0.0, 0.5, low_open=True)
        check_numbers("RANDOM_MULTIPLES", self.RANDOM_MULTIPLES, 1, 1000)
        if self.RANDOM_MULTIPLES != sorted(self.RANDOM_MULTIPLES):
            raise ValueError(f"RANDOM_MULTIPLES={self.RANDOM_MULTIPLES!r} must be increasing")
        check_int("N_RANDOM_SEEDS", self.N_RANDOM_SEEDS, 1)
        check_layer("GEN_LAYER", self.GEN_LAYER, self.MODEL)
        check_choice("GEN_LAMBDA (one of LAMBDAS)", self.GEN_LAMBDA, self.LAMBDAS)

    def _available_paradigms(self) -> list[str]:
        return [
            name
            for source in self.PAIR_SOURCES
            for name in data.available_paradigms(source, self.PAIR_COLUMNS)
        ]

    def data_files(self) -> list[tuple[str, str]]:
        return data.pair_files(self.PAIR_SOURCES, self.PARADIGMS)

    def describe_data(self) -> list[dict[str, Any]]:
        return data.describe_pairs(self.PAIR_SOURCES, self.PAIR_COLUMNS)


# the harness's settings for this chapter (smoke and golden sizes, figures, cost)
SPEC = ChapterSpec(
    tiny={
        "PARADIGMS": ["transitive", "npi_ever", "ja_dative_verb"],
        "N_PAIRS_PER_PARADIGM": 20,
        "MIN_PAIRS": 10,
        "LAMBDAS": [0.2, 1.0],
        "L0_STEPS": 20,
        "RANDOM_MULTIPLES": [1, 2],
        "N_RANDOM_SEEDS": 2,
        "GEN_LAYER": 1,  # any model has a layer 1
    },
    golden={
        "PARADIGMS": ["transitive", "intransitive", "ja_dative_verb"],
        "N_PAIRS_PER_PARADIGM": 16,
        "MIN_PAIRS": 10,
        "LAMBDAS": [0.5, 1.0],
        "GEN_LAMBDA": 0.5,
        "L0_STEPS": 100,
        "RANDOM_MULTIPLES": [1, 2],
        "N_RANDOM_SEEDS": 2,
        "GEN_LAYER": 1,
        "TOP_DIM_FRACTION": 0.1,
    },
    figures=5,
    quick_cold_s={"bfloat16": 115, "float32": 179},
)


def split_by_pair(pairs: MinimalPairSet, test_fraction: float, seed: int = 0) -> np.ndarray:
    """Boolean ``[n_pairs]``: True for test pairs; ``test_fraction`` of each paradigm (at least one
    pair on each side), drawn with ``seed``."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction={test_fraction} must be in (0, 1)")
    rng = np.random.default_rng(seed)
    test = np.zeros(len(pairs), dtype=bool)
    for name in pairs.paradigms:
        rows = pairs.rows(name)
        if len(rows) < 2:
            raise ValueError(
                f"paradigm {name!r} has {len(rows)} pair(s); a train/test split needs at least 2"
            )
        n_test = min(max(1, round(test_fraction * len(rows))), len(rows) - 1)
        test[rng.choice(rows, n_test, replace=False)] = True
    return test


@dataclass
class ParadigmArrays:
    """Stacked, zero-padded probe data for a chunk of paradigms.

    ``x_train [P, L, n, d]`` holds the good sentences of the training pairs then their bad
    twins (labels ``y_train [P, n]``: 1 good, 0 bad; ``w_train [P, n]`` 0 on padding); the same
    for test. ``n_train [P]`` is the number of real training rows.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    w_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    w_test: np.ndarray
    n_train: np.ndarray


def paradigm_arrays(
    good: np.ndarray, bad: np.ndarray, pairs: MinimalPairSet, test: np.ndarray, names: Sequence[str]
) -> ParadigmArrays:
    """Build :class:`ParadigmArrays` for ``names`` from ``good``/``bad [pairs, L, d]``."""
    parts = {}
    for side, chosen in (("train", ~test), ("test", test)):
        rows = [r[chosen[r]] for r in map(pairs.rows, names)]
        size = 2 * max(len(r) for r in rows)
        L, d = good.shape[1:]
        x = np.zeros((len(names), L, size, d), dtype=np.float32)
        y = np.zeros((len(names), size))
        w = np.zeros((len(names), size))
        for p, r in enumerate(rows):
            k = len(r)
            x[p, :, :k] = good[r].transpose(1, 0, 2)
            x[p, :, k : 2 * k] = bad[r].transpose(1, 0, 2)
            y[p, :k] = 1
            w[p, : 2 * k] = 1
        parts[side] = (x, y, w, np.array([2 * len(r) for r in rows]))
    return ParadigmArrays(*parts["train"][:3], *parts["test"][:3], parts["train"][3])


def _problems(a: ParadigmArrays) -> tuple[np.ndarray, ...]:
    """Flatten paradigms x layers into problems: ``[P * L, n, d]`` and per-problem labels/weights."""
    P, L = a.x_train.shape[:2]
    rep = lambda v: np.repeat(v, L, axis=0)  # noqa: E731 - [P, n] -> [P * L, n]
    return (
        a.x_train.reshape(P * L, *a.x_train.shape[2:]),
        rep(a.y_train),
        rep(a.w_train),
        a.x_test.reshape(P * L, *a.x_test.shape[2:]),
        rep(a.y_test),
        rep(a.w_test),
    )


def t_statistics(a: ParadigmArrays) -> np.ndarray:
    """Welch t of good vs bad training rows per paradigm, layer and dimension: ``[P, L, d]``."""
    out = []
    for p, n in enumerate(a.n_train):
        x = a.x_train[p, :, :n]
        out.append(probes.welch_t(x[:, : n // 2], x[:, n // 2 :]))
    return np.stack(out)


def dimension_probes(a: ParadigmArrays, dims: np.ndarray, C: float = 1.0) -> np.ndarray:
    """Test accuracy of logistic probes (standardised, ``C``) on chosen dimensions.

    ``dims [P, L, R, k]``: for each paradigm and layer, ``R`` sets of ``k`` dimensions (ranked
    or random). Returns ``[P, L, R]``. Paradigms with the same training size are solved together.
    """
    P, L, R, k = dims.shape
    out = np.zeros((P, L, R))
    for n in np.unique(a.n_train):
        ps = np.flatnonzero(a.n_train == n)
        m = int(a.w_test[ps].sum(1).max())
        xtr = a.x_train[ps][:, :, :n]  # [p, L, n, d]
        xte = a.x_test[ps][:, :, :m]
        index = dims[ps]  # [p, L, R, k]
        gather = lambda x: np.take_along_axis(x[:, :, None], index[:, :, :, None, :], axis=-1)  # noqa: E731
        train = gather(xtr).reshape(-1, n, k)
        test = gather(xte).reshape(-1, m, k)
        decision = logistic.fit_predict(train, a.y_train[ps[0], :n], test, C=C).reshape(
            len(ps), L, R, m
        )
        out[ps] = probes.accuracy(
            decision, a.y_test[ps][:, None, None, :m], a.w_test[ps][:, None, None, :m]
        )
    return out


def doubling_sizes(d: int) -> list[int]:
    """1, 2, 4, ... up to ``d``, with ``d`` itself last."""
    sizes = [1 << i for i in range(d.bit_length()) if (1 << i) < d]
    return sizes + [d]


@dataclass(kw_only=True)
class GrammarProbes:
    """Everything chapter 4 plots; axes: paradigm P, layer L, lambda Λ, size K, multiple M, seed
    S. Thirteen fields: built with keyword arguments only."""

    paradigms: list[str]
    lambdas: tuple[float, ...]
    l0_accuracy: np.ndarray  # [P, L, Λ]
    l0_kept: np.ndarray  # [P, L, Λ]
    mask_t_spearman: np.ndarray  # [P, L, Λ]
    topk_sizes: list[int]
    topk_accuracy: np.ndarray  # [P, L, K]; the last size is all dimensions (the dense probe)
    n_top: int
    multiples: list[int]
    top_accuracy: np.ndarray  # [P, L]: the top n_top dimensions by |t|
    random_accuracy: np.ndarray  # [P, L, M, S]: multiple x n_top random dimensions outside the top
    generalisation_layer: int
    # [Λ, P, P]: L0 probe trained on row paradigm, tested on column paradigm
    generalisation: np.ndarray

    @property
    def dense_accuracy(self) -> np.ndarray:
        return self.topk_accuracy[..., -1]


def run(
    good: np.ndarray,
    bad: np.ndarray,
    pairs: MinimalPairSet,
    test: np.ndarray,
    lambdas: Sequence[float],
    top_fraction: float = 0.01,
    multiples: Sequence[int] = (1, 2, 3, 4, 6, 8, 12, 16),
    n_seeds: int = 3,
    generalisation_layer: int = 9,
    l0_steps: int = 400,
    chunk: int = 1,
    seed: int = 0,
) -> GrammarProbes:
    """All of chapter 4's probes. ``good``/``bad [pairs, L, d]``, ``test [pairs]`` from :func:`split_by_pair`.

    ``chunk`` paradigms are solved together (each batched over layers and lambdas). One at a time
    is the fastest on a 2-core CPU and needs the least memory (measured on the quick profile:
    45 s and +0 GiB, vs 93 s and +3 GiB for all 19 paradigms in one batch).
    """
    names = pairs.paradigms
    P, (L, d) = len(names), good.shape[1:]
    if not 0 <= generalisation_layer < L:
        raise ValueError(f"generalisation layer {generalisation_layer} is not in 0..{L - 1}")
    n_top = max(1, round(top_fraction * d))
    multiples = [m for m in multiples if m * n_top <= d - n_top]
    sizes = topk_sizes(d, n_top)
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {key: [] for key in ("l0_acc", "kept", "rho", "topk", "top", "random")}
    # per paradigm: its L0 probes and test rows at the chosen layer
    gen_probes, gen_rows, gen_labels = [], [], []
    for start in range(0, P, chunk):
        chunk_names = names[start : start + chunk]
        Pc = len(chunk_names)
        a = paradigm_arrays(good, bad, pairs, test, chunk_names)
        xtr, ytr, wtr, xte, yte, wte = _problems(a)
        l0 = probes.train_l0(xtr, ytr, wtr, lambdas, steps=l0_steps, seed=seed + start)
        out["l0_acc"].append(
            probes.accuracy(l0.decision(xte), yte[:, None], wte[:, None]).reshape(Pc, L, -1)
        )
        out["kept"].append(l0.kept().reshape(Pc, L, -1))
        t = np.abs(t_statistics(a))  # [Pc, L, d]
        out["rho"].append(probes.spearman(l0.gates().reshape(Pc, L, -1, d), t[:, :, None]))
        order = np.argsort(-t, axis=-1, kind="stable")
        out["topk"].append(
            np.concatenate([dimension_probes(a, order[:, :, None, :k]) for k in sizes], axis=-1)
        )
        out["top"].append(dimension_probes(a, order[:, :, None, :n_top])[..., 0])
        out["random"].append(
            _random_dimension_accuracy(
                a, order[..., n_top:], [m * n_top for m in multiples], n_seeds, rng
            )
        )
        for p in range(Pc):
            gen_probes.append(
                l0.select(slice(p * L + generalisation_layer, p * L + generalisation_layer + 1))
            )
            n_test = int(a.w_test[p].sum())
            gen_rows.append(a.x_test[p, generalisation_layer, :n_test])
            gen_labels.append(a.y_test[p, :n_test])
    # [Λ, trained on, tested on]
    generalisation = np.array(
        [
            [probes.accuracy(probe.decision(x[None])[0], y) for x, y in zip(gen_rows, gen_labels)]
            for probe in gen_probes
        ]
    ).transpose(2, 0, 1)
    cat = lambda key: np.concatenate(out[key])  # noqa: E731
    return GrammarProbes(
        paradigms=names,
        lambdas=tuple(float(v) for v in lambdas),
        l0_accuracy=cat("l0_acc"),
        l0_kept=cat("kept"),
        mask_t_spearman=cat("rho"),
        topk_sizes=sizes,
        topk_accuracy=cat("topk"),
        n_top=n_top,
        multiples=list(multiples),
        top_accuracy=cat("top"),
        random_accuracy=cat("random"),
        generalisation_layer=generalisation_layer,
        generalisation=generalisation,
    )


PROBES_CACHE_VERSION = 2  # 2: the top-k grid holds the top 1 %, d/10 and d/4
# GrammarProbes' arrays as stored; axes named so that a file whose shapes disagree is refused
_PROBE_ARRAYS = {
    "l0_accuracy": ArraySpec("float64", ("P", "L", "lambdas")),
    "l0_kept": ArraySpec("float64", ("P", "L", "lambdas")),
    "mask_t_spearman": ArraySpec("float64", ("P", "L", "lambdas")),
    "topk_accuracy": ArraySpec("float64", ("P", "L", "K")),
    "top_accuracy": ArraySpec("float64", ("P", "L")),
    "random_accuracy": ArraySpec("float64", ("P", "L", "M", "S")),
    "generalisation": ArraySpec("float64", ("lambdas", "P", "P")),
    "topk_sizes": ArraySpec("int64", ("K",)),
    "multiples": ArraySpec("int64", ("M",)),
    "n_top": ArraySpec("int64", ()),
}


def cached_run(
    good: np.ndarray, bad: np.ndarray, pairs: MinimalPairSet, test: np.ndarray, p: Parameters
) -> GrammarProbes:
    """:func:`run` with chapter 4's parameters, cached on disk by a hash of its inputs: the
    probes are most of a re-run once the states and scores are cached."""
    key = [
        "grammar-probes",
        PROBES_CACHE_VERSION,
        array_digest(good, bad, test),
        list(pairs.paradigm),
        list(p.LAMBDAS),
        p.TOP_DIM_FRACTION,
        list(p.RANDOM_MULTIPLES),
        p.N_RANDOM_SEEDS,
        p.GEN_LAYER,
        p.L0_STEPS,
        p.SEED,
    ]

    def compute() -> dict[str, np.ndarray]:
        r = run(good, bad, pairs, test, p.LAMBDAS, p.TOP_DIM_FRACTION, p.RANDOM_MULTIPLES,
                p.N_RANDOM_SEEDS, p.GEN_LAYER, p.L0_STEPS, seed=p.SEED)  # fmt: skip
        return {name: np.asarray(getattr(r, name), dtype=spec.dtype)
                for name, spec in _PROBE_ARRAYS.items()}  # fmt: skip

    a = cached_arrays(cache_file("analysis", key, label="grammar-probes"), compute, _PROBE_ARRAYS)
    return GrammarProbes(
        paradigms=pairs.paradigms,
        lambdas=tuple(float(v) for v in p.LAMBDAS),
        l0_accuracy=a["l0_accuracy"],
        l0_kept=a["l0_kept"],
        mask_t_spearman=a["mask_t_spearman"],
        topk_sizes=a["topk_sizes"].tolist(),
        topk_accuracy=a["topk_accuracy"],
        n_top=int(a["n_top"]),
        multiples=a["multiples"].tolist(),
        top_accuracy=a["top_accuracy"],
        random_accuracy=a["random_accuracy"],
        generalisation_layer=p.GEN_LAYER,
        generalisation=a["generalisation"],
    )


def _random_dimension_accuracy(
    a: ParadigmArrays,
    complement: np.ndarray,
    sizes: Sequence[int],
    n_seeds: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Accuracy of probes on ``sizes`` random dimensions drawn from ``complement [P, L, c]`` (per
    paradigm and layer), for ``n_seeds`` draws: ``[P, L, len(sizes), n_seeds]``. The draws of one
    seed are nested (the first 6 of the 12, ...), so larger sets only add dimensions."""
    out = np.zeros((*complement.shape[:2], len(sizes), n_seeds))
    for s in range(n_seeds):
        shuffled = rng.permuted(complement, axis=-1)
        for j, size in enumerate(sizes):
            out[:, :, j, s] = dimension_probes(a, shuffled[:, :, None, :size])[..., 0]
    return out


def random_multiple_to_match(
    top: np.ndarray, random: np.ndarray, multiples: Sequence[int], chance: float = 0.5
) -> np.ndarray:
    """Per row, the multiple at which random-dimension accuracy first reaches the top accuracy,
    read off the accuracy curve drawn straight between the tested multiples (and from
    ``chance`` at multiple 0: a probe on no dimensions guesses).

    ``top [...]``, ``random [..., M]`` -> ``[...]`` float: between two tested multiples, not the
    next tested one (on a grid 4, 6 a crossing at 4.2 reads 4.2, not 6); 0 where ``top`` is at
    or below chance; ``inf`` where no tested multiple reaches it.
    """
    top = np.asarray(top, dtype=float)
    random = np.asarray(random, dtype=float)
    grid = np.r_[0.0, np.asarray(multiples, dtype=float)]
    curve = np.concatenate([np.full((*random.shape[:-1], 1), chance), random], axis=-1)
    reached = curve >= top[..., None]
    first = np.argmax(reached, axis=-1)  # 0 where top <= chance
    below = np.maximum(first - 1, 0)
    take = lambda values, index: np.take_along_axis(values, index[..., None], -1)[..., 0]  # noqa: E731
    acc_below, acc_at = take(curve, below), take(curve, first)
    rise = acc_at - acc_below
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(rise > 0, (top - acc_below) / rise, 1.0)
    value = grid[below] + np.clip(fraction, 0, 1) * (grid[first] - grid[below])
    return np.where(reached.any(-1), np.where(first == 0, 0.0, value), np.inf)


def topk_sizes(d: int, n_top: int) -> list[int]:
    """The top-k grid: 1, 2, 4, ... up to ``d`` (:func:`doubling_sizes`), with the top 1 %
    (``n_top``), a tenth and a quarter of the width added (the paper reads k = 40 and 1,024 of
    4,096, a quarter)."""
    return sorted(set(doubling_sizes(d)) | {n_top, max(1, round(d / 10)), max(1, round(d / 4))})


# --------------------------------------------------------------------------- the chapter


@dataclass
class Results:
    """Everything chapter 4's figures, table and summary read."""

    parameters: Parameters
    pairs: MinimalPairSet
    test: np.ndarray  # [pairs]: True for test pairs
    preference: np.ndarray  # [pairs]: mean token log-prob of the good sentence minus the bad one's
    d_model: int
    probes: GrammarProbes

    @property
    def n_layers(self) -> int:
        return self.probes.l0_kept.shape[1]

    def lambda_index(self, lam: float) -> int:
        return self.parameters.LAMBDAS.index(lam)


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Minimal pairs, EOS-pooled residual states of both sentences, a split by pair, the model's
    own preferences, and every probe of :func:`run`."""
    pairs = data.load_minimal_pairs(
        p.PAIR_SOURCES,
        p.PARADIGMS,
        p.N_PAIRS_PER_PARADIGM,
        p.SEED,
        min_pairs=p.MIN_PAIRS,
        columns=p.PAIR_COLUMNS,
    )
    states = collect(
        model,
        list(pairs.good) + list(pairs.bad),
        ["residual"],
        pooling="eos",
        batch_size=p.BATCH_SIZE,
    )["residual"]
    good, bad = states[: len(pairs)], states[len(pairs) :]
    test = split_by_pair(pairs, p.TEST_FRACTION, p.SEED)
    preference = pair_preferences(model, pairs.good, pairs.bad, batch_size=p.BATCH_SIZE)
    grammar = cached_run(good, bad, pairs, test, p)
    return Results(p, pairs, test, preference, int(states.shape[-1]), grammar)


def _nanmean(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.nanmean`` without its warning where every value is NaN (a constant mask has no Spearman
    correlation): the mean is NaN there."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        return np.nanmean(values, axis)


def _random_mean(r: GrammarProbes) -> np.ndarray:
    """Random-dimension accuracy averaged over paradigms and draws: ``[L, M]``."""
    return r.random_accuracy.mean((0, 3))


def _multiple_needed(r: GrammarProbes) -> np.ndarray:
    """Per layer, the random multiple that matches the top dimensions (interpolated; ``inf``:
    none tested does), on the accuracy averaged over paradigms and draws: ``[L]``."""
    return random_multiple_to_match(r.top_accuracy.mean(0), _random_mean(r), r.multiples)


def _median_multiple_per_draw(r: GrammarProbes) -> np.ndarray:
    """The median over layers of the matching multiple, for each draw of random dimensions
    alone: ``[S]`` (their range is the interval the findings read)."""
    per_draw = r.random_accuracy.mean(0)  # [L, M, S]
    return np.array(
        [
            np.median(
                random_multiple_to_match(r.top_accuracy.mean(0), per_draw[..., s], r.multiples)
            )
            for s in range(per_draw.shape[-1])
        ]
    )


def _multiple_text(value: float, largest: int) -> str:
    return f"{value:.1f}" if np.isfinite(value) else f"> {largest}"


N_BOOT = 1000  # replicates of the bootstraps over paradigms


def lambda_sweep(results: Results) -> pd.DataFrame:
    """Per lambda below 1: the dimensions the L0 probes keep in the first, middle and last
    thirds of the layers (% of the width), and their accuracy in the middle third as % of the
    dense probe's, with its 95 % interval over paradigms (a bootstrap of the paradigms)."""
    p, r = results.parameters, results.probes
    L = results.n_layers
    middle = slice(L // 3, 2 * L // 3)
    dense = bootstrap.mean_replicates(r.dense_accuracy, N_BOOT, p.SEED)  # [B, L]
    rows = []
    for k, lam in enumerate(p.LAMBDAS):
        if lam >= 1.0:
            continue
        kept = r.l0_kept[:, :, k].mean(0)
        relative = r.l0_accuracy[:, :, k].mean(0) / r.dense_accuracy.mean(0)
        replicates = bootstrap.mean_replicates(r.l0_accuracy[:, :, k], N_BOOT, p.SEED) / dense
        low, high = bootstrap.finite_interval(100 * replicates[:, middle].mean(1))
        rows.append(
            {
                "lambda": lam,
                "kept first %": 100 * kept[: L // 3].mean(),
                "kept middle %": 100 * kept[middle].mean(),
                "kept last %": 100 * kept[2 * L // 3 :].mean(),
                "middle, % of dense": 100 * relative[middle].mean(),
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows).set_index("lambda")


def summarise(results: Results) -> dict[str, Any]:
    """Every number chapter 4 quotes (glued under these names) and its per-layer curves: the
    data, then one helper per section of the chapter."""
    p, r, pairs = results.parameters, results.probes, results.pairs
    names = r.paradigms
    requested = p.PARADIGMS or p._available_paradigms()
    left_out = [name for name in requested if name not in names]
    out: dict[str, Any] = {
        "n_paradigms": len(names),
        "n_pairs": len(pairs),
        "d_model": results.d_model,
        "top_dim_pct": 100 * p.TOP_DIM_FRACTION,
        "left_out": ", ".join(left_out) if left_out else "none",
    }
    for part in (
        _l0_summary,
        _sweep_summary,
        _topk_summary,
        _mask_summary,
        _multiple_summary,
        _generalisation_summary,
        _curves,
    ):
        out.update(part(results))
    out["units"] = UNITS
    return out


def _l0_summary(results: Results) -> dict[str, Any]:
    """Fig. 1: the L0 probes at GEN_LAMBDA against the dense probe, by thirds of the layers."""
    p, r = results.parameters, results.probes
    L = results.n_layers
    g = results.lambda_index(p.GEN_LAMBDA)
    middle = slice(L // 3, 2 * L // 3)
    out: dict[str, Any] = {}
    # L0 probes against the dense probe
    dense_per_layer = r.dense_accuracy.mean(0)
    kept_at_gen = r.l0_kept[:, :, g].mean(0)
    relative = r.l0_accuracy[:, :, g].mean(0) / dense_per_layer
    out.update(
        {
            "gen_lambda": p.GEN_LAMBDA,
            "kept_middle_pct": float(100 * kept_at_gen[middle].mean()),
            "kept_first_pct": float(100 * kept_at_gen[: L // 3].mean()),
            "kept_last_pct": float(100 * kept_at_gen[2 * L // 3 :].mean()),
            "relative_middle_pct": float(100 * relative[middle].mean()),
            "dense_best": float(dense_per_layer.max()),
            "dense_best_layer": int(dense_per_layer.argmax()),
            "dense_first": float(dense_per_layer[0]),
            "dense_last": float(dense_per_layer[-1]),
            "middle_layers": f"{L // 3}–{2 * L // 3 - 1}",
        }
    )
    return out


def _sweep_summary(results: Results) -> dict[str, Any]:
    """Fig. 2: the whole lambda sweep (the paper reads the lambda that gives its numbers)."""
    out: dict[str, Any] = {}
    # the whole lambda sweep (the paper's Fig. 2 reads the lambda that gives its numbers): the
    # fewest dimensions whose middle-layer accuracy interval reaches 95 % of dense
    sweep = lambda_sweep(results)
    reaching = sweep[sweep["high"] >= 95]
    chosen = (
        reaching["kept middle %"].idxmin()
        if len(reaching)
        else sweep["middle, % of dense"].idxmax()
    )
    row = sweep.loc[chosen]
    out.update(
        {
            "sweep_lambda": float(chosen),
            "sweep_reaches_95": bool(len(reaching)),
            "sweep_kept_middle_pct": float(row["kept middle %"]),
            "sweep_kept_last_pct": float(row["kept last %"]),
            "sweep_relative_middle_pct": float(row["middle, % of dense"]),
            "sweep_relative_middle_low": float(row["low"]),
            "sweep_relative_middle_high": float(row["high"]),
            "lambda_sweep": sweep.reset_index().to_dict("records"),
            "sweep_text": (
                f"λ = {chosen:g} keeps {row['kept middle %']:.1f} % of the dimensions in the "
                f"middle layers at {row['middle, % of dense']:.1f} % of the dense accuracy (95 % "
                f"interval over paradigms {row['low']:.1f}–{row['high']:.1f} %): the fewest of "
                "any λ whose interval reaches 95 %"
                if len(reaching)
                else "no λ reaches 95 % of the dense accuracy in the middle layers (the closest: "
                f"λ = {chosen:g}, {row['middle, % of dense']:.1f} %, interval "
                f"{row['low']:.1f}–{row['high']:.1f} %, keeping {row['kept middle %']:.1f} %)"
            ),
        }
    )
    return out


def _topk_summary(results: Results) -> dict[str, Any]:
    """Fig. 3: top-k probes by Welch |t| (a quarter, a tenth of the width) and the top set."""
    p, r = results.parameters, results.probes
    L, d = results.n_layers, results.d_model
    middle = slice(L // 3, 2 * L // 3)
    dense_per_layer = r.dense_accuracy.mean(0)
    out: dict[str, Any] = {}
    # top-k probes by Welch |t|
    topk_mean = r.topk_accuracy.mean(0)  # [L, K]
    reaches = topk_mean >= 0.95 * topk_mean[:, -1:]
    k_95 = np.array(r.topk_sizes)[reaches.argmax(1)]
    topk_replicates = bootstrap.mean_replicates(r.topk_accuracy, N_BOOT, p.SEED)  # [B, L, K]
    for name, k in (("quarter", round(d / 4)), ("tenth", round(d / 10))):
        j = r.topk_sizes.index(k)
        relative = 100 * topk_mean[:, j] / topk_mean[:, -1]
        low, high = bootstrap.finite_interval(
            np.median(100 * topk_replicates[:, :, j] / topk_replicates[:, :, -1], axis=1)
        )
        out.update(
            {
                f"k_{name}": k,
                f"{name}_pct_of_dense": float(np.median(relative)),
                f"{name}_pct_of_dense_low": low,
                f"{name}_pct_of_dense_high": high,
                f"{name}_layers_95_pct": float(100 * (relative >= 95).mean()),
            }
        )
    top_low, top_high = bootstrap.finite_interval(
        bootstrap.mean_replicates(r.top_accuracy, N_BOOT, p.SEED).mean(1)
    )
    out.update(
        {
            "n_top": r.n_top,
            "top_acc_mean": float(r.top_accuracy.mean()),
            "top_acc_low": top_low,
            "top_acc_high": top_high,
            "top_pct_of_dense": float(100 * (r.top_accuracy.mean(0) / dense_per_layer).mean()),
            "k95_middle": int(np.median(k_95[middle])),
            "k95_range": f"{k_95.min()}–{k_95.max()}",
        }
    )
    return out


def _mask_summary(results: Results) -> dict[str, Any]:
    """Fig. 4: rank correlation of the learned mask with |t|, against its tie ceiling."""
    p, r = results.parameters, results.probes
    d = results.d_model
    g = results.lambda_index(p.GEN_LAMBDA)
    out: dict[str, Any] = {}
    # mask vs |t|; the ceiling: a mask that keeps exactly the top-|t| dimensions (1 there, 0 elsewhere)
    rho_gen = _nanmean(r.mask_t_spearman[:, :, g], 0)
    n_kept = int(round(r.l0_kept[:, :, g].mean() * d))
    rho = _nanmean(r.mask_t_spearman, 0)  # [L, Λ]
    rho_replicates = bootstrap.mean_replicates(r.mask_t_spearman[:, :, g], N_BOOT, p.SEED)
    rho_low, rho_high = bootstrap.finite_interval(_nanmean(rho_replicates, 1))
    out.update(
        {
            "rho_gen_mean": float(_nanmean(rho_gen)),
            "rho_gen_low": rho_low,
            "rho_gen_high": rho_high,
            "rho_ceiling": float(
                probes.spearman(np.r_[np.ones(n_kept), np.zeros(d - n_kept)], np.arange(d, 0, -1))
            ),
            "rho_range": f"{np.nanmin(rho):.2f} to {np.nanmax(rho):.2f}"
            if np.isfinite(rho).any()
            else "not defined",
        }
    )
    out["rho_ceiling_text"] = (
        "A mask that kept exactly the top-|t| dimensions, as many as the probes keep on "
        f"average, would reach {out['rho_ceiling']:.2f}"
        if np.isfinite(out["rho_ceiling"])
        else f"The ceiling of that correlation is not defined for this data: the probes keep "
        f"{'all' if n_kept else 'none'} of the dimensions on average, so a mask of the top "
        "dimensions would be constant"
    )
    if np.isfinite(out["rho_gen_mean"]):
        out["rho_text"] = (
            f"the mean correlation is {out['rho_gen_mean']:.2f} (95 % interval over paradigms "
            f"{rho_low:.2f}–{rho_high:.2f}; all λ and layers: {out['rho_range']})"
        )
    else:
        out["rho_text"] = (
            "the correlation is not defined for this data: every probe's mask is constant "
            "there (it keeps all of the dimensions or none), so it ranks nothing"
        )
    return out


def _multiple_summary(results: Results) -> dict[str, Any]:
    """Fig. 5: how many random dimensions match the top ones (interpolated multiples)."""
    r = results.probes
    L = results.n_layers
    middle = slice(L // 3, 2 * L // 3)
    out: dict[str, Any] = {}
    # the top dimensions against random ones: interpolated per layer; the interval is the range
    # of the median over layers across the draws of random dimensions
    multiple = _multiple_needed(r)
    per_draw = _median_multiple_per_draw(r)
    largest = max(r.multiples)
    out.update(
        {
            "multiple_median": float(np.median(multiple)),
            "multiple_median_low": float(per_draw.min()),
            "multiple_median_high": float(per_draw.max()),
            "multiple_interval": f"{_multiple_text(per_draw.min(), largest)} to "
            f"{_multiple_text(per_draw.max(), largest)}",
            "multiple_median_text": _multiple_text(float(np.median(multiple)), largest),
            "multiple_range": f"{_multiple_text(multiple.min(), largest)} to "
            f"{_multiple_text(multiple.max(), largest)}",
            "multiple_middle": float(np.median(multiple[middle])),
            "multiple_middle_text": _multiple_text(float(np.median(multiple[middle])), largest),
            "n_draws": int(r.random_accuracy.shape[-1]),
        }
    )
    return out


def _generalisation_summary(results: Results) -> dict[str, Any]:
    """Fig. 6: sparse probes trained on one paradigm, tested on another."""
    p, r = results.parameters, results.probes
    g = results.lambda_index(p.GEN_LAMBDA)
    names = r.paradigms
    out: dict[str, Any] = {}
    # generalisation across paradigms
    sparse, dense = r.generalisation[g], r.generalisation[results.lambda_index(1.0)]
    off = ~np.eye(len(names), dtype=bool)
    language = np.array(data.languages_of(names, p.PAIR_SOURCES, p.PAIR_COLUMNS))
    known = language != ""  # an own table without a language column: not known
    cross = (language[:, None] != language[None, :]) & known[:, None] & known[None, :]
    row_means = np.where(off, sparse, np.nan)
    # intervals over the paradigm a probe was trained on (rows resampled)
    off_low, off_high = bootstrap.mean_interval(_nanmean(row_means, 1), N_BOOT, p.SEED)
    diff_rows = _nanmean(np.where(off, sparse - dense, np.nan), 1)
    diff_low, diff_high = bootstrap.mean_interval(diff_rows, N_BOOT, p.SEED)
    best = int(np.nanargmax(np.nanmean(row_means, 1)))
    high = np.unravel_index(np.nanargmax(row_means), sparse.shape)
    low = np.unravel_index(np.nanargmin(row_means), sparse.shape)
    out.update(
        {
            "gen_layer": p.GEN_LAYER,
            "gen_kept_pct": float(100 * r.l0_kept[:, p.GEN_LAYER, g].mean()),
            "gen_min": float(sparse.min()),
            "gen_max": float(sparse.max()),
            "gen_diag": float(np.diag(sparse).mean()),
            "gen_off": float(sparse[off].mean()),
            "gen_off_low": off_low,
            "gen_off_high": off_high,
            "gen_diff_low": diff_low,
            "gen_diff_high": diff_high,
            "gen_off_above": float(100 * (sparse[off] >= 0.75).mean()),
            "gen_reversed": float(100 * (sparse[off] < 0.4).mean()),
            "gen_cross": float(sparse[cross].mean()) if cross.any() else float("nan"),
            "gen_cross_text": _cross_text(sparse, cross, language),
            "gen_diff_mean": float((sparse - dense)[off].mean()),
            "gen_diff_range": f"{(sparse - dense).min():+.2f} to {(sparse - dense).max():+.2f}",
            "gen_best_source": names[best],
            "gen_best_source_mean": float(np.nanmean(row_means[best])),
            "gen_high_pair": f"{names[high[0]]} → {names[high[1]]}",
            "gen_high": float(sparse[high]),
            "gen_low_pair": f"{names[low[0]]} → {names[low[1]]}",
            "gen_low": float(sparse[low]),
        }
    )
    return out


def _cross_text(sparse: np.ndarray, cross: np.ndarray, language: np.ndarray) -> str:
    """The mean transfer between paradigms of different languages, in words (or why it is not
    defined for this data)."""
    if cross.any():
        names = " ↔ ".join(data.LANGUAGE_NAMES.get(lang, lang) for lang in dict.fromkeys(language))
        return f"across languages ({names} paradigms) the mean is {sparse[cross].mean():.2f}"
    if not (language != "").all():
        return (
            "across languages it is not defined for this data: some paradigms' language is not "
            "known (an own table without a language column)"
        )
    only = data.LANGUAGE_NAMES.get(language[0], language[0])
    return f"across languages it is not defined for this data: every paradigm is in {only}"


def _curves(results: Results) -> dict[str, Any]:
    """The per-paradigm table and the per-layer curves the figures draw."""
    p, r = results.parameters, results.probes
    g = results.lambda_index(p.GEN_LAMBDA)
    pairs, names = results.pairs, r.paradigms
    topk_mean = r.topk_accuracy.mean(0)  # [L, K]
    dense_per_layer = r.dense_accuracy.mean(0)
    multiple = _multiple_needed(r)
    sparse, dense = r.generalisation[g], r.generalisation[results.lambda_index(1.0)]
    out: dict[str, Any] = {}
    # per paradigm and per layer (the table, the findings page)
    accuracy = {name: float((results.preference[pairs.rows(name)] > 0).mean()) for name in names}
    out["per_paradigm"] = [
        {
            "paradigm": name,
            "group": pairs.group_of(name),
            "good": pairs.good[pairs.rows(name)[0]],
            "bad": pairs.bad[pairs.rows(name)[0]],
            "pairs": len(pairs.rows(name)),
            "model accuracy": accuracy[name],
        }
        for name in names
    ]
    lambdas = list(p.LAMBDAS)
    out.update(
        {
            "paradigms": list(names),
            "model_accuracy": accuracy,
            "dense_accuracy_per_layer": dense_per_layer.tolist(),
            "lambdas": lambdas,
            "l0_kept_per_layer": {
                str(lam): r.l0_kept[:, :, k].mean(0).tolist() for k, lam in enumerate(lambdas)
            },
            "l0_accuracy_per_layer": {
                str(lam): r.l0_accuracy[:, :, k].mean(0).tolist() for k, lam in enumerate(lambdas)
            },
            "topk_sizes": list(r.topk_sizes),
            "topk_accuracy_per_layer": topk_mean.tolist(),
            "spearman_per_layer": {
                str(lam): _nanmean(r.mask_t_spearman[:, :, k], 0).tolist()
                for k, lam in enumerate(lambdas)
            },
            "top_accuracy_per_layer": r.top_accuracy.mean(0).tolist(),
            "random_multiples": list(r.multiples),
            "random_accuracy_per_layer": _random_mean(r).tolist(),
            "random_multiple_to_match": [float(v) for v in multiple],
            "generalisation_sparse": sparse.tolist(),
            "generalisation_dense": dense.tolist(),
        }
    )
    return out


UNITS = {  # every key of the summary, by glob pattern
    "*_acc*, dense_*, gen_min, gen_max, gen_diag, gen_off, gen_off_low, gen_off_high, "
    "gen_cross, gen_diff_*, gen_best_source_mean, gen_high, gen_low, model_accuracy, "
    "*_accuracy_per_layer, generalisation_*": "test accuracy (share of sentences; chance "
    "0.5; gen_diff_*: sparse minus dense)",
    "*_pct, *_pct_of_dense, gen_off_above, gen_reversed": "% (of dimensions, of the dense "
    "accuracy, or of off-diagonal cells)",
    "l0_kept_per_layer": "fraction of the hidden dimensions",
    "rho_*, spearman_per_layer": "Spearman correlation",
    "multiple_median, multiple_middle, multiple_median_low, multiple_median_high, "
    "random_multiple_to_match, random_multiples": "multiple of n_top random dimensions, "
    "interpolated between tested multiples (inf: none tested matched)",
    "*_low, *_high": "95 % bootstrap interval over paradigms (multiple_*: range over draws)",
    "lambda_sweep": "per lambda < 1: kept % of dimensions by third; middle-third accuracy as "
    "% of dense",
    "gen_lambda, sweep_lambda, lambdas": "L0 penalty lambda",
    "sweep_reaches_95": "true or false",
    "k_quarter, k_tenth": "dimensions (a quarter, a tenth of d_model)",
    "random_accuracy_per_layer": "test accuracy [layer][multiple], mean over paradigms and draws",
    "topk_accuracy_per_layer": "test accuracy [layer][k in topk_sizes]",
    "n_top, d_model, k95_*, topk_sizes": "dimensions",
    "n_paradigms, n_pairs, n_draws": "count",
    "*_layer, middle_layers": "layer index, from 0",
    "left_out, sweep_text, gen_cross_text, rho_text, rho_ceiling_text, multiple_interval, multiple_*_text, "
    "multiple_range, k95_range, "
    "rho_range, gen_diff_range, gen_best_source, gen_high_pair, gen_low_pair, paradigms": "text",
    "per_paradigm": "table rows (their columns say their units)",
}


def measured_points(summary: dict[str, Any]) -> list[str]:
    """What a run that is not the default one measured, one sentence each (the "What we found"
    section's list on such a run)."""
    s = summary
    return [
        f"The dense probe's best accuracy is {s['dense_best']:.2f} (layer "
        f"{s['dense_best_layer']}; {s['n_paradigms']} paradigms, {s['n_pairs']} pairs).",
        f"Over the λ sweep, {s['sweep_text']}.",
        f"The top {s['n_top']} dimension{'s' if s['n_top'] != 1 else ''} by |t| "
        f"({s['top_dim_pct']:g} %) give "
        f"{s['top_acc_mean']:.2f} accuracy ({s['top_pct_of_dense']:.0f} % of dense); they match "
        f"{s['multiple_median_text']}× as many random dimensions (median over layers).",
        f"Masks against |t| at λ = {s['gen_lambda']}: {s['rho_text']}.",
        f"Probes trained on one paradigm average {s['gen_off']:.2f} on the others (95 % interval "
        f"over the training paradigm {s['gen_off_low']:.2f}–{s['gen_off_high']:.2f}); "
        f"{s['gen_off_above']:.0f} % of the off-diagonal cells reach 0.75 and "
        f"{s['gen_reversed']:.0f} % are below 0.4; {s['gen_cross_text']}.",
    ]


def paradigm_table(summary: dict[str, Any]) -> pd.DataFrame:
    """Each paradigm's size, the model's own accuracy on it and one pair, written as the good
    sentence with the bad sentence's change in brackets (two full sentences per row do not fit
    the page; the paradigm's group is in the summary)."""
    table = pd.DataFrame(summary["per_paradigm"]).set_index("paradigm")
    table["pair: good [→ bad]"] = [
        marked_change(g, b) for g, b in zip(table.good, table.bad, strict=True)
    ]
    table = table.rename(columns={"model accuracy": "model acc."})
    return table[["pairs", "model acc.", "pair: good [→ bad]"]].round(3)


def marked_change(good: str, bad: str) -> str:
    """``good`` with each span that ``bad`` changes written ``[old → new]`` (∅: nothing): words
    where the text has spaces, characters otherwise (Japanese)."""
    spaced = " " in good
    a, b = (good.split(), bad.split()) if spaced else (list(good), list(bad))
    joiner = " " if spaced else ""
    parts = [
        joiner.join(a[i1:i2])
        if tag == "equal"
        else f"[{joiner.join(a[i1:i2]) or '∅'} → {joiner.join(b[j1:j2]) or '∅'}]"
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    ]
    return joiner.join(parts)


# --------------------------------------------------------------------------- figures


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
            ax, _nanmean(r.mask_t_spearman[:, :, k], 0), f"λ = {lam}", plotting.color(k)
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
    random_mean = _random_mean(r)
    # a dozen dotted lines are unreadable: the doubling multiples and 6 (the paper's), where tested
    shown = [m for m in r.multiples if m in (1, 2, 4, 6, 8, 16)] or r.multiples
    for k, m in enumerate(shown):
        j = r.multiples.index(m)
        plotting.layer_line(curves, random_mean[:, j], f"{m}× random", plotting.color(k), ":")
    curves.set_ylabel("test accuracy")
    # a bar per layer: the shared vocabulary has no bar chart
    multiple = _multiple_needed(r)
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


from .claims import CLAIMS as CLAIMS  # the chapter's claims and their rules

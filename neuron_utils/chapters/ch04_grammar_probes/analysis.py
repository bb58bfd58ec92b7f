"""Chapter 4's analysis: grammaticality probes per paradigm and layer on EOS hidden states.

Inputs are the pooled hidden states of the good and bad sentence of every pair
(``[pairs, layers, d]`` each) and a train/test split *by pair*: both sentences of a pair are
on the same side, so no test sentence's twin is seen in training. Per paradigm and layer:
L0 mask probes over a lambda sweep, Welch-t top-k probes, the top-1 % probe against probes on
random dimensions of its complement, and (at one layer) every paradigm's probe evaluated on
every paradigm. Probes are batched over layers and paradigms; paradigms are processed in
chunks so that memory stays bounded on large data sets.

:func:`run` computes all probes from the states; :func:`analyse` loads the pairs, runs the
model and :func:`run` for the chapter's parameters.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ... import data
from ...core.activations import collect
from ...core.cache import ArraySpec, cache_file, cached_arrays
from ...core.lm_scoring import pair_preferences
from ...core.models import LoadedModel
from ...core.storage import array_digest
from ...data import MinimalPairSet
from ...methods import logistic, probes
from .parameters import Parameters


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
    rng = np.random.default_rng(seed)  # the random dimensions' draws, chunk after chunk
    random_sizes = [m * n_top for m in multiples]
    out: dict[str, list] = {key: [] for key in _CHUNK_ARRAYS}
    transfer = _Transfer()
    for start in range(0, P, chunk):
        a = paradigm_arrays(good, bad, pairs, test, names[start : start + chunk])
        xtr, ytr, wtr, *held_out = _problems(a)
        l0 = probes.train_l0(xtr, ytr, wtr, lambdas, steps=l0_steps, seed=seed + start)
        found = _chunk_probes(a, l0, held_out, sizes, n_top, random_sizes, n_seeds, rng)
        for key, value in found.items():
            out[key].append(value)
        transfer.add(a, l0, generalisation_layer)
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
        generalisation=transfer.matrix(),
    )


# what :func:`_chunk_probes` measures for a chunk of paradigms (concatenated over chunks)
_CHUNK_ARRAYS = ("l0_acc", "kept", "rho", "topk", "top", "random")


def _chunk_probes(
    a: ParadigmArrays,
    l0: probes.L0Probes,
    held_out: Sequence[np.ndarray],
    sizes: Sequence[int],
    n_top: int,
    random_sizes: Sequence[int],
    n_seeds: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Every probe of one chunk of paradigms but the transfer matrix, each ``[Pc, L, ...]``: the
    L0 probes' (``l0``) accuracy on the ``held_out`` problems (test rows, labels, weights of
    :func:`_problems`), kept fraction and mask-|t| correlation, the top-k probes by |t|
    (``sizes``), the top ``n_top`` and the random sets of ``random_sizes`` dimensions."""
    Pc, L, _, d = a.x_train.shape
    xte, yte, wte = held_out
    t = np.abs(t_statistics(a))  # [Pc, L, d]
    order = np.argsort(-t, axis=-1, kind="stable")
    return {
        "l0_acc": probes.accuracy(l0.decision(xte), yte[:, None], wte[:, None]).reshape(Pc, L, -1),
        "kept": l0.kept().reshape(Pc, L, -1),
        "rho": probes.spearman(l0.gates().reshape(Pc, L, -1, d), t[:, :, None]),
        "topk": np.concatenate(
            [dimension_probes(a, order[:, :, None, :k]) for k in sizes], axis=-1
        ),
        "top": dimension_probes(a, order[:, :, None, :n_top])[..., 0],
        "random": _random_dimension_accuracy(a, order[..., n_top:], random_sizes, n_seeds, rng),
    }


@dataclass
class _Transfer:
    """Per paradigm, its L0 probes at the generalisation layer and its test rows there, gathered
    chunk by chunk; :meth:`matrix` evaluates every probe on every paradigm."""

    trained: list[probes.L0Probes] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)

    def add(self, a: ParadigmArrays, l0: probes.L0Probes, layer: int) -> None:
        L = a.x_train.shape[1]
        for p in range(a.x_train.shape[0]):
            self.trained.append(l0.select(slice(p * L + layer, p * L + layer + 1)))
            n_test = int(a.w_test[p].sum())
            self.rows.append(a.x_test[p, layer, :n_test])
            self.labels.append(a.y_test[p, :n_test])

    def matrix(self) -> np.ndarray:
        """``[Λ, trained on, tested on]``."""
        return np.array(
            [
                [
                    probes.accuracy(probe.decision(x[None])[0], y)
                    for x, y in zip(self.rows, self.labels)
                ]
                for probe in self.trained
            ]
        ).transpose(2, 0, 1)


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

    @property
    def thirds(self) -> tuple[slice, slice, slice]:
        """The first, middle and last thirds of the layers (the paper reads the middle layers,
        10-15 of 32, against the later ones)."""
        L = self.n_layers
        return slice(0, L // 3), slice(L // 3, 2 * L // 3), slice(2 * L // 3, L)

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


def nanmean(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.nanmean`` without its warning where every value is NaN (a constant mask has no Spearman
    correlation): the mean is NaN there."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        return np.nanmean(values, axis)


def random_mean(r: GrammarProbes) -> np.ndarray:
    """Random-dimension accuracy averaged over paradigms and draws: ``[L, M]``."""
    return r.random_accuracy.mean((0, 3))


def multiple_needed(r: GrammarProbes) -> np.ndarray:
    """Per layer, the random multiple that matches the top dimensions (interpolated; ``inf``:
    none tested does), on the accuracy averaged over paradigms and draws: ``[L]``."""
    return random_multiple_to_match(r.top_accuracy.mean(0), random_mean(r), r.multiples)


def median_multiple_per_draw(r: GrammarProbes) -> np.ndarray:
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

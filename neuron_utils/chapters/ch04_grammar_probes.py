"""Chapter 4's analysis: grammaticality probes per paradigm and layer on EOS hidden states.

Inputs are the pooled hidden states of the good and bad sentence of every pair
(``[pairs, layers, d]`` each) and a train/test split *by pair*: both sentences of a pair are
on the same side, so no test sentence's twin is seen in training. Per paradigm and layer:
L0 mask probes over a lambda sweep, Welch-t top-k probes, the top-1 % probe against probes on
random dimensions of its complement, and (at one layer) every paradigm's probe evaluated on
every paradigm. Probes are batched over layers and paradigms; paradigms are processed in
chunks so that memory stays bounded on large data sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..data import MinimalPairSet
from ..methods import logistic, probes


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
            raise ValueError(f"paradigm {name!r} has {len(rows)} pair(s); a train/test split needs at least 2")
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


def paradigm_arrays(good: np.ndarray, bad: np.ndarray, pairs: MinimalPairSet, test: np.ndarray,
                    names: Sequence[str]) -> ParadigmArrays:
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
    return (a.x_train.reshape(P * L, *a.x_train.shape[2:]), rep(a.y_train), rep(a.w_train),
            a.x_test.reshape(P * L, *a.x_test.shape[2:]), rep(a.y_test), rep(a.w_test))


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
        decision = logistic.fit_predict(train, a.y_train[ps[0], :n], test, C=C).reshape(len(ps), L, R, m)
        out[ps] = probes.accuracy(decision, a.y_test[ps][:, None, None, :m], a.w_test[ps][:, None, None, :m])
    return out


def doubling_sizes(d: int) -> list[int]:
    """1, 2, 4, ... up to ``d``, with ``d`` itself last."""
    sizes = [1 << i for i in range(d.bit_length()) if (1 << i) < d]
    return sizes + [d]


@dataclass
class GrammarProbes:
    """Everything chapter 4 plots; axes: paradigm P, layer L, lambda Λ, size K, multiple M, seed S."""

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
    generalisation: np.ndarray  # [Λ, P, P]: L0 probe trained on row paradigm, tested on column paradigm

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
    sizes = doubling_sizes(d)
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {key: [] for key in ("l0_acc", "kept", "rho", "topk", "top", "random")}
    gen_probes, gen_rows, gen_labels = [], [], []  # per paradigm: its L0 probes and test rows at the chosen layer
    for start in range(0, P, chunk):
        chunk_names = names[start : start + chunk]
        Pc = len(chunk_names)
        a = paradigm_arrays(good, bad, pairs, test, chunk_names)
        xtr, ytr, wtr, xte, yte, wte = _problems(a)
        l0 = probes.train_l0(xtr, ytr, wtr, lambdas, steps=l0_steps, seed=seed + start)
        out["l0_acc"].append(probes.accuracy(l0.decision(xte), yte[:, None], wte[:, None]).reshape(Pc, L, -1))
        out["kept"].append(l0.kept().reshape(Pc, L, -1))
        t = np.abs(t_statistics(a))  # [Pc, L, d]
        out["rho"].append(probes.spearman(l0.gates().reshape(Pc, L, -1, d), t[:, :, None]))
        order = np.argsort(-t, axis=-1, kind="stable")
        out["topk"].append(np.concatenate([dimension_probes(a, order[:, :, None, :k]) for k in sizes], axis=-1))
        out["top"].append(dimension_probes(a, order[:, :, None, :n_top])[..., 0])
        out["random"].append(_random_dimension_accuracy(a, order[..., n_top:], [m * n_top for m in multiples], n_seeds, rng))
        for p in range(Pc):
            gen_probes.append(l0.select(slice(p * L + generalisation_layer, p * L + generalisation_layer + 1)))
            n_test = int(a.w_test[p].sum())
            gen_rows.append(a.x_test[p, generalisation_layer, :n_test])
            gen_labels.append(a.y_test[p, :n_test])
    generalisation = np.array([[probes.accuracy(probe.decision(x[None])[0], y) for x, y in zip(gen_rows, gen_labels)]
                               for probe in gen_probes]).transpose(2, 0, 1)  # [Λ, trained on, tested on]
    cat = lambda key: np.concatenate(out[key])  # noqa: E731
    return GrammarProbes(names, tuple(float(v) for v in lambdas), cat("l0_acc"), cat("kept"), cat("rho"), sizes,
                         cat("topk"), n_top, list(multiples), cat("top"), cat("random"), generalisation_layer,
                         generalisation)


def _random_dimension_accuracy(a: ParadigmArrays, complement: np.ndarray, sizes: Sequence[int], n_seeds: int,
                               rng: np.random.Generator) -> np.ndarray:
    """Accuracy of probes on ``sizes`` random dimensions drawn from ``complement [P, L, c]`` (per
    paradigm and layer), for ``n_seeds`` draws: ``[P, L, len(sizes), n_seeds]``. The draws of one
    seed are nested (the first 6 of the 12, ...), so larger sets only add dimensions."""
    out = np.zeros((*complement.shape[:2], len(sizes), n_seeds))
    for s in range(n_seeds):
        shuffled = rng.permuted(complement, axis=-1)
        for j, size in enumerate(sizes):
            out[:, :, j, s] = dimension_probes(a, shuffled[:, :, None, :size])[..., 0]
    return out


def random_multiple_to_match(top: np.ndarray, random: np.ndarray, multiples: Sequence[int]) -> np.ndarray:
    """Per row, the smallest multiple whose random-dimension accuracy reaches the top accuracy.

    ``top [...]``, ``random [..., M]`` (already averaged over seeds) -> ``[...]`` float; ``inf``
    where no tested multiple reaches it.
    """
    reached = random >= top[..., None]
    first = np.argmax(reached, axis=-1)
    values = np.asarray(multiples, dtype=float)[first]
    return np.where(reached.any(-1), values, np.inf)

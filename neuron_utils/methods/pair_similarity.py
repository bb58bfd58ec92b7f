"""Similarity of the two sides of sentence pairs, layer by layer: raw and centred cosine of
parallel vs non-parallel pairs, grouped cross-validated probes and translation retrieval
(:func:`analyse_pairs`), with bootstrap replicates of the parallel - non-parallel gap.

A pair set here is anything with ``l1``, ``l2``, ``design``, ``n_per_class``, ``l1_texts``,
``l2_texts``, ``pairs`` ``[n, 2]``, ``labels`` ``[n]`` and ``regrouped(folds, seed)``: the
:class:`~neuron_utils.data.parallel.PairSet` of the data layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.activations import TextActivations
from ..core.cache import ArraySpec, cache_file, cached_array
from ..core.storage import array_digest
from . import bootstrap
from .similarity import FEATURES, cv_accuracy, pair_cosine, retrieval_accuracy

SITES = ("residual", "attn", "mlp")  # the residual stream and what each sublayer writes into it
UNGROUPED = ("concat",)  # the feature sets also probed with ungrouped folds (the aside)
N_BOOT = 1000  # bootstrap replicates over L1 sentences (a parallel pair and a non-parallel one)


@dataclass
class PairAnalysis:
    """Per-layer results for one (L2, design) pair set; arrays are indexed by layer last."""

    l2: str
    design: str
    n_per_class: int
    # (site, "raw" | "centred") -> {"parallel": [n, L], "non-parallel": [n, L]}
    cosine: dict[tuple[str, str], dict[str, np.ndarray]] = field(default_factory=dict)
    # feature kind -> [L, folds]: grouped folds (no sentence in training and test)
    cv: dict[str, np.ndarray] = field(default_factory=dict)
    # feature kind -> [L, folds]: stratified folds over pairs, the aside (concat only)
    cv_ungrouped: dict[str, np.ndarray] = field(default_factory=dict)
    retrieval: np.ndarray | None = None  # [L], centred cosine, parallel sentences only
    length_cv: np.ndarray | None = None  # [folds]: the grouped probe on the L1 side's token counts
    l1_tokens: dict[str, np.ndarray] = field(default_factory=dict)  # class -> [n] token counts

    def gap(self, site: str = "residual", kind: str = "raw") -> np.ndarray:
        """Mean parallel minus mean non-parallel cosine per layer: ``[L]``."""
        sims = self.cosine[(site, kind)]
        return sims["parallel"].mean(0) - sims["non-parallel"].mean(0)

    def gap_replicates(self, site: str, kind: str, seed: int = 0) -> np.ndarray:
        """Bootstrap replicates of :meth:`gap`, ``[N_BOOT, L]``: the derangement design's k-th
        non-parallel pair starts from the k-th parallel pair's L1 sentence, so the two are
        resampled together (one unit per L1 sentence)."""
        sims = self.cosine[(site, kind)]
        return bootstrap.mean_replicates(sims["parallel"] - sims["non-parallel"], N_BOOT, seed)


def analyse_pairs(
    ps: Any,
    acts: dict[str, TextActivations],
    sites: Sequence[str] = SITES,
    features: Sequence[str] = FEATURES,
    folds: int = 10,
    seed: int = 0,
    ungrouped: Sequence[str] = UNGROUPED,
) -> PairAnalysis:
    """All per-layer measures of chapter 1 for one pair set: grouped CV for ``features``, the
    ungrouped aside for those of them in ``ungrouped``."""
    result = PairAnalysis(l2=ps.l2, design=ps.design, n_per_class=ps.n_per_class)
    parallel = ps.labels == 1
    for site in sites:
        h1, h2 = acts[ps.l1].rows(ps.l1_texts, site), acts[ps.l2].rows(ps.l2_texts, site)
        for kind in ("raw", "centred"):
            sims = pair_cosine(h1, h2, ps.pairs, centred=kind == "centred")
            result.cosine[(site, kind)] = {
                "parallel": sims[parallel],
                "non-parallel": sims[~parallel],
            }
        if site == "residual":
            for feature in features:  # empty: similarity only
                result.cv[feature] = cached_cv_accuracy(h1, h2, ps, feature, folds, seed)
                if feature in ungrouped:
                    result.cv_ungrouped[feature] = cached_cv_accuracy(
                        h1, h2, ps, feature, folds, seed, grouped=False
                    )
            rows = ps.pairs[parallel]
            result.retrieval = retrieval_accuracy(h1[rows[:, 0]], h2[rows[:, 1]])
    return result


def cached_cv_accuracy(
    h1: np.ndarray,
    h2: np.ndarray,
    ps: Any,
    feature: str,
    folds: int,
    seed: int,
    grouped: bool = True,
) -> np.ndarray:
    """:func:`~neuron_utils.methods.similarity.cv_accuracy` on ``ps`` regrouped into ``folds``
    folds that share no sentence (``grouped=False``: stratified folds over the pairs as they
    are), cached on disk by a hash of its inputs.

    The probes dominate the chapter's run time once activations are cached, so a re-run
    that changes only other parameters reuses them.
    """
    fold = None
    if grouped:
        ps, fold = ps.regrouped(folds, seed)
    folds_given = [] if fold is None else [fold]
    if feature == "l1_only":  # h2 unused: one entry serves every L2 whose pairs share the L1 side
        digest = array_digest(h1, ps.pairs[:, 0], ps.labels, *folds_given)
    else:
        digest = array_digest(h1, h2, ps.pairs, ps.labels, *folds_given)
    # version 2: the preconditioned solver at rtol 1e-5 (see logistic.cv_decisions)
    kind = "grouped" if grouped else "stratified"
    path = cache_file("analysis", ["cv", 2, kind, feature, folds, seed, digest], label="cv")
    return cached_array(
        path,
        lambda: cv_accuracy(h1, h2, ps.pairs, ps.labels, feature, folds, seed, fold_of_pair=fold),
        ArraySpec("float64", (h1.shape[1], folds)),  # [layers, folds]
    )

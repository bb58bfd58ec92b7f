"""Chapter 2's analysis: L1/L2 common neurons ranked by average precision, and their ablation.

A neuron's score for a pair is (|a(S_L1)| + |a(S_L2)|) / 2 at the last token (or the product
a(S_L1) a(S_L2)); its average precision says how well that score alone separates parallel
from non-parallel pairs (Tezuka & Inoue §3.3, after Suau et al. 2022).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.interventions import Intervention
from ..core.models import LoadedModel
from ..core.neurons import NeuronSet
from ..data import PairSet
from ..methods.ranking import average_precision, pair_scores
from .ch01_cross_lingual_similarity import PairAnalysis, activations_by_text, analyse_pairs, rows_for


def neuron_ap(ps: PairSet, acts: dict[str, dict[str, np.ndarray]], site: str = "neurons", kind: str = "mean_abs") -> np.ndarray:
    """Average precision of every neuron for one pair set: ``[layers, neurons]``."""
    a1, a2 = rows_for(acts[ps.l1], ps.l1_texts, site), rows_for(acts[ps.l2], ps.l2_texts, site)
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
) -> dict[str, list[PairAnalysis]]:
    """Similarity with nothing zeroed, with ``top`` zeroed, and with ``n_random`` random sets
    of the same size per layer (drawn outside ``top``) zeroed, one per seed."""
    randoms = [NeuronSet.random_matched(top, seed=seed + k, exclude=top) for k in range(n_random)]
    run = lambda neurons: similarity_with(model, ps, [Intervention(neurons, "zero", site=site)], pooling, batch_size)  # noqa: E731
    return {
        "none": [similarity_with(model, ps, [], pooling, batch_size)],
        "top": [run(top)],
        "random": [run(r) for r in randoms],
    }

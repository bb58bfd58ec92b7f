"""Chapter 1's measurement: every design for every L2, from one extraction per language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.activations import activations_by_text
from ...core.batches import token_counts
from ...core.models import LoadedModel
from ...data import PairSet
from ...methods.pair_similarity import SITES, PairAnalysis, analyse_pairs
from ...methods.similarity import cv_accuracy
from .parameters import Parameters


def length_cv(ps: PairSet, tokens: dict[str, int], folds: int = 10, seed: int = 0) -> np.ndarray:
    """Grouped CV accuracy of the same probe on one feature, the L1 sentence's token count:
    ``[folds]``.

    What a classifier can get from length alone (the L2 side is left out, like ``l1_only``).
    """
    counts = np.array([tokens[t] for t in ps.l1_texts], dtype=np.float64)[:, None, None]
    unused = np.zeros((len(ps.l2_texts), 1, 1))
    grouped, fold = ps.regrouped(folds, seed)
    return cv_accuracy(counts, unused, grouped.pairs, grouped.labels, "l1_only", fold_of_pair=fold)[
        0
    ]


@dataclass
class Results:
    """Everything chapter 1's figures and summary read."""

    parameters: Parameters
    analyses: dict[tuple[str, str], PairAnalysis]  # (L2, design) -> measures

    def __getitem__(self, key: tuple[str, str]) -> PairAnalysis:
        return self.analyses[key]


def analyse(model: LoadedModel, p: Parameters) -> Results:
    """Every design for every L2: pair sets, one extraction per language, all measures."""
    pairsets = list(p.pair_sets().values())
    acts = activations_by_text(model, pairsets, SITES, p.POOLING, p.BATCH_SIZE)
    tokens = token_counts(model, [t for ps in pairsets for t in ps.l1_texts])
    analyses = {}
    for ps in pairsets:
        analysis = analyse_pairs(ps, acts, features=p.FEATURES, folds=p.CV_FOLDS, seed=p.SEED)
        analysis.length_cv = length_cv(ps, tokens, p.CV_FOLDS, p.SEED)
        analysis.l1_tokens = {
            label: np.array([tokens[t] for t in ps.l1_side(value)])
            for label, value in (("parallel", 1), ("non-parallel", 0))
        }
        analyses[(ps.l2, ps.design)] = analysis
    return Results(p, analyses)

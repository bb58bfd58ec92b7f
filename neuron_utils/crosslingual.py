"""Chapter 1's analysis: similarity of L1/L2 sentence pairs layer by layer.

For each L2 and each non-parallel design, :func:`analyse_pairs` computes raw and centred
cosine of parallel vs non-parallel pairs at several sites, logistic-regression CV accuracy
on two feature sets, and translation retrieval accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .activations import collect
from .data import PairSet
from .interventions import Intervention
from .models import LoadedModel
from .paths import cache_dir
from .similarity import cv_accuracy, pair_cosine, retrieval_accuracy
from .storage import array_digest, content_hash, memoize_array


@dataclass
class PairAnalysis:
    """Per-layer results for one (L2, design) pair set; arrays are indexed by layer last."""

    l2: str
    design: str
    n_per_class: int
    # (site, "raw" | "centred") -> {"parallel": [n, L], "non-parallel": [n, L]}
    cosine: dict[tuple[str, str], dict[str, np.ndarray]] = field(default_factory=dict)
    cv: dict[str, np.ndarray] = field(default_factory=dict)  # feature kind -> [L, folds]
    retrieval: np.ndarray | None = None  # [L], centred cosine, parallel sentences only

    def gap(self, site: str = "residual", kind: str = "raw") -> np.ndarray:
        """Mean parallel minus mean non-parallel cosine per layer: ``[L]``."""
        sims = self.cosine[(site, kind)]
        return sims["parallel"].mean(0) - sims["non-parallel"].mean(0)


def activations_by_text(
    model: LoadedModel,
    pairsets: Sequence[PairSet],
    sites: Sequence[str],
    pooling: str,
    batch_size: int,
    interventions: Sequence[Intervention] = (),
) -> dict[str, dict[str, np.ndarray]]:
    """Run each language's sentences once: ``{lang: {site: [n_texts, L, D]}}`` plus a text index.

    Every pair set of a language is served from one extraction (and one cache entry);
    ``interventions`` apply to every forward pass.
    """
    texts: dict[str, list[str]] = {}
    for ps in pairsets:
        for lang, side in ((ps.l1, ps.l1_texts), (ps.l2, ps.l2_texts)):
            texts.setdefault(lang, [])
            texts[lang].extend(side)
    out = {}
    for lang, items in texts.items():
        unique = sorted(set(items))
        acts = collect(model, unique, sites=sites, pooling=pooling, batch_size=batch_size, interventions=interventions)
        acts["_index"] = {text: i for i, text in enumerate(unique)}  # type: ignore[assignment]
        out[lang] = acts
    return out


def rows_for(acts: dict, texts: Sequence[str], site: str) -> np.ndarray:
    """Activations at ``site`` of ``texts``, in that order, from :func:`activations_by_text`: ``[n, L, D]``."""
    index = acts["_index"]
    return acts[site][[index[t] for t in texts]]


def analyse_pairs(
    ps: PairSet,
    acts: dict[str, dict[str, np.ndarray]],
    sites: Sequence[str] = ("residual", "attn", "mlp"),
    features: Sequence[str] = ("concat", "interaction"),
    folds: int = 10,
    seed: int = 0,
) -> PairAnalysis:
    """All per-layer measures of chapter 1 for one pair set."""
    result = PairAnalysis(l2=ps.l2, design=ps.design, n_per_class=ps.n_per_class)
    parallel = ps.labels == 1
    for site in sites:
        h1, h2 = rows_for(acts[ps.l1], ps.l1_texts, site), rows_for(acts[ps.l2], ps.l2_texts, site)
        for kind in ("raw", "centred"):
            sims = pair_cosine(h1, h2, ps.pairs, centred=kind == "centred")
            result.cosine[(site, kind)] = {"parallel": sims[parallel], "non-parallel": sims[~parallel]}
        if site == "residual":
            for feature in features:  # empty: similarity only
                result.cv[feature] = cached_cv_accuracy(h1, h2, ps, feature, folds, seed)
            rows = ps.pairs[parallel]
            result.retrieval = retrieval_accuracy(h1[rows[:, 0]], h2[rows[:, 1]])
    return result


def cached_cv_accuracy(h1: np.ndarray, h2: np.ndarray, ps: PairSet, feature: str, folds: int, seed: int) -> np.ndarray:
    """:func:`~neuron_utils.similarity.cv_accuracy`, cached on disk by a hash of its inputs.

    The probes dominate the chapter's run time once activations are cached, so a re-run
    that changes only other parameters reuses them.
    """
    key = content_hash("cv", 1, feature, folds, seed, array_digest(h1, h2, ps.pairs, ps.labels))
    path = cache_dir() / "analysis" / f"cv-{key[:32]}.npz"
    return memoize_array(path, lambda: cv_accuracy(h1, h2, ps.pairs, ps.labels, feature, folds, seed))

"""Cross-lingual similarity of pooled representations, layer by layer.

All functions take per-sentence arrays ``h [n_sentences, n_layers, dim]`` and a pair list
``pairs [n_pairs, 2]`` that indexes (L1 sentence, L2 sentence).
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from .logistic import cv_decisions

# concat: [h1; h2] (the paper); interaction: features that compare the two sentences;
# l1_only: the L1 side alone, a control (it cannot know the pairing)
FEATURES = ("concat", "interaction", "l1_only")


def centre(h: np.ndarray) -> np.ndarray:
    """Subtract the per-layer mean over sentences: ``[n, L, D] -> [n, L, D]``.

    Residual streams are anisotropic (a few huge dimensions), so raw cosines are close to
    1 for any two sentences; centring each language's set removes the shared offset.
    """
    return h - h.mean(axis=0, keepdims=True)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity along the last axis: ``[..., D], [..., D] -> [...]`` (float64)."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    denom = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    return (a * b).sum(-1) / np.where(denom == 0, 1.0, denom)


def pair_cosine(
    h1: np.ndarray, h2: np.ndarray, pairs: np.ndarray, centred: bool = False
) -> np.ndarray:
    """Cosine of each pair at each layer: ``[n_pairs, L]``."""
    if centred:
        h1, h2 = centre(h1), centre(h2)
    return cosine(h1[pairs[:, 0]], h2[pairs[:, 1]])


def pair_features(
    h1: np.ndarray, h2: np.ndarray, pairs: np.ndarray, layer: int, kind: str
) -> np.ndarray:
    """Classifier features of each pair at one layer: ``[n_pairs, 2 * D]`` (``l1_only``:
    ``[n_pairs, D]``).

    ``concat``: ``[h1; h2]`` as in the paper. ``interaction``: ``[|h1 - h2|; h1 * h2]`` of the
    centred vectors, which lets a linear model compare the two sentences. ``l1_only``: ``h1``,
    which says nothing of the pairing: it separates the classes only if their L1 sentences
    differ as a group (another corpus, style, length).
    """
    a, b = h1[pairs[:, 0], layer], h2[pairs[:, 1], layer]
    if kind == "l1_only":
        return a
    if kind == "concat":
        return np.concatenate([a, b], axis=1)
    if kind == "interaction":
        a = a - h1[:, layer].mean(0)
        b = b - h2[:, layer].mean(0)
        return np.concatenate([np.abs(a - b), a * b], axis=1)
    raise ValueError(f"unknown feature kind {kind!r}; allowed: {', '.join(FEATURES)}")


def cv_accuracy(
    h1: np.ndarray,
    h2: np.ndarray,
    pairs: np.ndarray,
    labels: np.ndarray,
    kind: str = "concat",
    folds: int = 10,
    seed: int = 0,
    C: float = 1.0,
    fold_of_pair: np.ndarray | None = None,
) -> np.ndarray:
    """Stratified k-fold accuracy of a logistic regression per layer: ``[L, folds]``.

    ``fold_of_pair [n_pairs]``: given folds instead (``folds`` and ``seed`` unused), e.g.
    :meth:`~neuron_utils.data.parallel.PairSet.regrouped`'s, which share no sentence; fold ``k`` is
    tested with the model trained on every other fold.

    Same folds, standardisation (inside each fold) and objective as
    ``cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(C=C)), ...)``,
    solved batched over layers (and, with more rows than features, over folds) by
    :func:`neuron_utils.methods.logistic.cv_decisions` (unscaled residual features make lbfgs
    fail to converge; scaled ones make it slow).
    """
    # [L, N, F]
    features = np.stack([pair_features(h1, h2, pairs, layer, kind) for layer in range(h1.shape[1])])
    if fold_of_pair is None:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = list(splitter.split(features[0], labels))
    else:
        splits = fold_splits(fold_of_pair)
    decisions = cv_decisions(features, labels, splits, C=C)
    scores = [
        ((decision > 0).astype(int) == labels[test]).mean(1)
        for decision, (_, test) in zip(decisions, splits, strict=True)
    ]
    return np.stack(scores, axis=1)


def fold_splits(fold_of_pair: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, test)`` index arrays of each fold in ``fold_of_pair [n]`` (ids ``0..k-1``)."""
    fold_of_pair = np.asarray(fold_of_pair)
    return [
        (np.flatnonzero(fold_of_pair != k), np.flatnonzero(fold_of_pair == k))
        for k in np.unique(fold_of_pair)
    ]


def retrieval_accuracy(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """Share of L1 sentences whose nearest L2 sentence (centred cosine) is their translation.

    ``h1[i]`` and ``h2[i]`` must be translations: ``[n, L, D], [n, L, D] -> [L]``.
    Chance level is ``1 / n``.
    """
    a, b = centre(h1).astype(np.float64), centre(h2).astype(np.float64)
    a /= np.linalg.norm(a, axis=-1, keepdims=True).clip(1e-12)
    b /= np.linalg.norm(b, axis=-1, keepdims=True).clip(1e-12)
    sims = np.einsum("ild,jld->lij", a, b)  # [L, n, n]
    return (sims.argmax(-1) == np.arange(h1.shape[0])).mean(-1)

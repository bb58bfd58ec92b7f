"""Sharing categories of neurons across the languages of one input (Wang et al., "Sharing Matters").

For one item given in ``L`` languages, a neuron is *active* in a language if its activation
passes a threshold; with ``n`` the number of languages in which it is active, it is
**all-shared** (``n = L``), **partial-shared** (``2 <= n <= L - 1``), **specific** (``n = 1``)
or **non-activated** (``n = 0``). Everything here is vectorised over items, layers and neurons.
"""

from __future__ import annotations

import numpy as np

CATEGORIES = ("all-shared", "partial-shared", "specific", "non-activated")  # codes 0..3
ALL, PARTIAL, SPECIFIC, NONE = range(4)
CATEGORY_SLUGS = tuple(c.replace("-", "_") for c in CATEGORIES)  # in summary keys


def active_counts(acts: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """In how many languages each neuron is active (``> threshold``), per item.

    ``acts [items, languages, ...]`` -> ``[items, ...]`` (int16).
    """
    acts = np.asarray(acts)
    if acts.ndim < 3:
        raise ValueError(f"acts must be [items, languages, ...], got shape {acts.shape}")
    return (acts > threshold).sum(1, dtype=np.int16)


def categorise(counts: np.ndarray, n_languages: int) -> np.ndarray:
    """Category codes (indices into ``CATEGORIES``) from active counts ``[...]`` -> ``[...]``
    (int8). Needs at least two languages: with one, "all-shared" and "specific" coincide."""
    if n_languages < 2:
        raise ValueError(f"sharing categories need at least 2 languages, got {n_languages}")
    counts = np.asarray(counts)
    if counts.min(initial=0) < 0 or counts.max(initial=0) > n_languages:
        raise ValueError(f"active counts must lie in 0..{n_languages}")
    codes = np.full(counts.shape, PARTIAL, dtype=np.int8)
    codes[counts == n_languages] = ALL
    codes[counts == 1] = SPECIFIC
    codes[counts == 0] = NONE
    return codes


def categories(acts: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """:func:`categorise` of :func:`active_counts`: ``[items, languages, ...]`` -> ``[items, ...]``."""
    return categorise(active_counts(acts, threshold), np.shape(acts)[1])


def category_shares(codes: np.ndarray) -> np.ndarray:
    """Share of the neurons of each layer in each category, per item.

    ``codes [items, layers, neurons]`` -> ``[items, 4, layers]`` (rows sum to 1 over categories).
    """
    codes = np.asarray(codes)
    return np.stack([(codes == c).mean(-1) for c in range(len(CATEGORIES))], axis=1)


def stable_counts(codes: np.ndarray) -> np.ndarray:
    """Neurons that fall in one category for every item, per category: ``[items, L, N]`` -> ``[4]``."""
    codes = np.asarray(codes)
    same = (codes == codes[:1]).all(0)  # [L, N]
    return np.array([int((same & (codes[0] == c)).sum()) for c in range(len(CATEGORIES))])


def contribution_scores(acts: np.ndarray, output_norms: np.ndarray) -> np.ndarray:
    """The authors' contribution score ``|a_i| * ||W_out[:, i]||``: how large a vector neuron
    ``i`` adds to the MLP output. ``acts [..., L, N]``, ``output_norms [L, N]`` -> ``[..., L, N]``."""
    return np.abs(acts) * output_norms


def top_k_mask(scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` highest scores of the last axis (ties broken by position), as a bool mask of
    the same shape."""
    scores = np.asarray(scores)
    if not 1 <= k <= scores.shape[-1]:
        raise ValueError(f"k={k} must be in 1..{scores.shape[-1]}")
    order = np.argsort(-scores, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(mask, order, True, axis=-1)
    return mask


def shares_among(mask: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Of the neurons in ``mask``, the share in each category, per row and layer.

    ``mask, codes [rows, L, N]`` -> ``[rows, 4, L]`` (a layer with no neuron in the mask: 0).
    """
    total = np.maximum(mask.sum(-1), 1)
    return np.stack([(mask & (codes == c)).sum(-1) / total for c in range(len(CATEGORIES))], 1)


def mean_by_category(scores: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Mean score of the neurons of each category, per row and layer (NaN where a layer has no
    neuron of that category): ``[rows, L, N]`` -> ``[rows, 4, L]``."""
    out = np.full((scores.shape[0], len(CATEGORIES), scores.shape[1]), np.nan)
    for c in range(len(CATEGORIES)):
        member = codes == c
        count = member.sum(-1)
        total = np.where(member, scores, 0).sum(-1, dtype=np.float64)
        out[:, c] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


def random_matched_masks(masks: np.ndarray, seed: int) -> np.ndarray:
    """Per row and layer, as many random neurons as ``masks [rows, L, N]`` holds there, drawn
    outside it (where it leaves too few neurons, the rest are drawn from inside it).

    One ``argsort`` of random keys for all rows and layers: the neurons of the mask get keys
    above every other neuron's, so they are drawn last.
    """
    masks = np.asarray(masks, dtype=bool)
    rng = np.random.default_rng(seed)
    keys = rng.random(masks.shape) + masks  # [0, 1) outside, [1, 2) inside
    ranks = np.argsort(np.argsort(keys, axis=-1, kind="stable"), axis=-1, kind="stable")
    return ranks < masks.sum(-1, keepdims=True)


def quantile_bins(values: np.ndarray, n_bins: int) -> np.ndarray:
    """Per layer, the quantile bin (0 .. n_bins - 1) of each neuron's value: ``[L, N]`` ->
    ``[L, N]`` int. Tied values share a bin (a bin may then hold more than its share)."""
    values = np.asarray(values, dtype=float)
    if n_bins < 1:
        raise ValueError(f"n_bins={n_bins} must be at least 1")
    cuts = np.quantile(values, np.arange(1, n_bins) / n_bins, axis=-1).T  # [L, n_bins - 1]
    return np.stack([np.searchsorted(c, v, "right") for c, v in zip(cuts, values, strict=True)])


def firing_matched_bins(
    firing_rate: np.ndarray, magnitude: np.ndarray, n_bins: int = 5
) -> np.ndarray:
    """Joint bins of firing rate and magnitude, per layer: ``[L, N]`` each -> ``[L, N]`` in
    ``0 .. n_bins**2 - 1`` (the rate's quantile bin times ``n_bins`` plus the magnitude's)."""
    return quantile_bins(firing_rate, n_bins) * n_bins + quantile_bins(magnitude, n_bins)


def random_binned_masks(masks: np.ndarray, bins: np.ndarray, seed: int) -> np.ndarray:
    """Per row, layer and bin, as many random neurons as ``masks [rows, L, N]`` holds there,
    drawn outside it; ``bins [L, N]`` (ints from 0) says which neurons are alike (e.g.
    :func:`firing_matched_bins`). Where a bin has too few neurons outside the mask, the rest
    come from inside it (the caller can count that overlap).

    Vectorised: within each (row, layer) the neurons are sorted by bin, then by a random key
    that puts the mask's own neurons last; each bin's first ``need`` neurons are drawn.
    """
    masks = np.asarray(masks, dtype=bool)
    bins = np.asarray(bins)
    if bins.shape != masks.shape[1:]:
        raise ValueError(f"bins has shape {bins.shape}, the masks' layers {masks.shape[1:]}")
    if bins.min(initial=0) < 0:
        raise ValueError("bins must be non-negative integers")
    n_bins = int(bins.max(initial=0)) + 1
    rng = np.random.default_rng(seed)
    composite = bins[None] * 2.0 + rng.random(masks.shape) + masks  # bin, then outside first
    position = np.argsort(np.argsort(composite, axis=-1, kind="stable"), axis=-1, kind="stable")
    sizes = np.stack([(bins == b).sum(-1) for b in range(n_bins)], -1)  # [L, B]
    start = np.take_along_axis(np.cumsum(sizes, -1) - sizes, bins, -1)  # [L, N]
    need = np.stack([(masks & (bins == b)).sum(-1) for b in range(n_bins)], -1)  # [rows, L, B]
    need_here = np.take_along_axis(need, np.broadcast_to(bins, masks.shape), -1)
    return position - start[None] < need_here

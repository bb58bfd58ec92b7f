"""Language activation probability entropy (LAPE; Tang et al. 2024).

Follows the reference implementation: activation probabilities ``p [languages, L, N]`` are
L1-normalised over languages and their entropy computed per neuron; neurons whose largest
probability does not exceed the ``filter_quantile`` of all probabilities are dropped; the
``top_rate`` share of all neurons with the lowest entropy is selected; each selected neuron is
assigned to every language whose probability exceeds the ``activation_bar_quantile`` of all
probabilities. Quantiles are the k-th smallest value with ``k = round(quantile * size)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.neurons import NeuronSet


@dataclass
class LapeSelection:
    entropy: np.ndarray  # [L, N], inf for filtered-out neurons
    selected: NeuronSet  # the lowest-entropy neurons
    by_language: dict[str, NeuronSet]  # language -> its specific neurons
    filter_value: float
    activation_bar: float


def kth_value(values: np.ndarray, quantile: float) -> float:
    """The k-th smallest value, ``k = round(quantile * values.size)`` (as ``torch.kthvalue``)."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    k = min(max(int(round(quantile * flat.size)), 1), flat.size)
    return float(np.partition(flat, k - 1)[k - 1])


def lape_entropy(prob: np.ndarray) -> np.ndarray:
    """Entropy over languages of the L1-normalised probabilities: ``[K, L, N] -> [L, N]``."""
    total = prob.sum(0, keepdims=True)
    normed = np.divide(prob, total, out=np.zeros_like(prob, dtype=np.float64), where=total > 0)
    logs = np.log(normed, out=np.zeros_like(normed), where=normed > 0)
    return -(normed * logs).sum(0)


def select(
    prob: np.ndarray,
    languages: list[str],
    top_rate: float = 0.01,
    filter_quantile: float = 0.95,
    activation_bar_quantile: float = 0.95,
) -> LapeSelection:
    """LAPE language-specific neurons from activation probabilities ``prob [K, L, N]``."""
    if prob.shape[0] != len(languages):
        raise ValueError(f"prob has {prob.shape[0]} languages, {len(languages)} names given")
    for name, value in (
        ("top_rate", top_rate),
        ("filter_quantile", filter_quantile),
        ("activation_bar_quantile", activation_bar_quantile),
    ):
        if not 0 < value <= 1:
            raise ValueError(f"{name}={value} must be in (0, 1]")
    entropy = lape_entropy(prob)
    filter_value = kth_value(prob, filter_quantile)
    entropy = np.where((prob > filter_value).any(0), entropy, np.inf)
    n_select = int(round(entropy.size * top_rate))
    order = np.argsort(entropy.ravel(), kind="stable")[:n_select]
    order = order[np.isfinite(entropy.ravel()[order])]
    mask = np.zeros(entropy.size, dtype=bool)
    mask[order] = True
    selected = NeuronSet(mask.reshape(entropy.shape))
    bar = kth_value(prob, activation_bar_quantile)
    by_language = {
        lang: NeuronSet(selected.mask & (prob[k] > bar)) for k, lang in enumerate(languages)
    }
    return LapeSelection(entropy, selected, by_language, filter_value, bar)

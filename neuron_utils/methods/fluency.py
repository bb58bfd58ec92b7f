"""Is a generated text fluent? Model-free pieces of the steering evaluation."""

from __future__ import annotations

from collections.abc import Sequence


def repeated_ngram_share(tokens: Sequence[int], n: int = 3) -> float:
    """Share of the ``n``-grams of ``tokens`` that occurred earlier in the same text: 0 for text
    that never repeats itself, close to 1 for a loop ("la la la la ..."). Texts with fewer than
    ``n`` tokens have no ``n``-gram and score 0."""
    if n < 1:
        raise ValueError(f"n={n} must be at least 1")
    grams = [tuple(tokens[k : k + n]) for k in range(len(tokens) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0

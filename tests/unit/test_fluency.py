"""Repetition of generated text, against hand counts."""

import pytest

from neuron_utils.methods.fluency import repeated_ngram_share


def test_repeated_ngram_share_by_hand():
    assert repeated_ngram_share([1, 2, 3, 4, 5]) == 0.0  # 3 distinct 3-grams
    # 1 2 1 2 1 2: 3-grams 121 212 121 212 -> 2 distinct of 4
    assert repeated_ngram_share([1, 2, 1, 2, 1, 2]) == 0.5
    assert repeated_ngram_share([7] * 12) == 1 - 1 / 10  # one distinct 3-gram of 10
    assert repeated_ngram_share([1, 2]) == 0.0  # no 3-gram at all
    # 1 - 2/3 in float64: two roundings of 2**-53 each
    assert repeated_ngram_share([1, 1, 2], n=1) == pytest.approx(1 / 3, rel=0, abs=1e-15)
    with pytest.raises(ValueError, match="at least 1"):
        repeated_ngram_share([1, 2, 3], n=0)

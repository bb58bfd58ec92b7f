"""LAPE selection on a hand-made table; language identification."""

import numpy as np
import pytest

from neuron_utils.methods import langid, lape

# languages x layers (1) x neurons (6)
PROB = np.array(
    [
        [0.9, 0.5, 0.01, 0.0, 0.7, 0.3],
        [0.1, 0.5, 0.02, 0.8, 0.7, 0.3],
        [0.1, 0.5, 0.01, 0.0, 0.0, 0.3],
    ]
)[:, None, :]
# the 18 values sorted: 0 0 0 .01 .01 .02 .1 .1 .3 .3 .3 .5 .5 .5 .7 .7 .8 .9
FILTER_Q, BAR_Q = 7 / 18, 12 / 18  # 7th smallest = 0.1, 12th smallest = 0.5


def test_entropy_by_hand():
    entropy = lape.lape_entropy(PROB)[0]
    p0 = np.array([0.9, 0.1, 0.1]) / 1.1
    exact = dict(rel=1e-12, abs=1e-12)  # float64, a handful of operations on numbers of order 1
    assert entropy[0] == pytest.approx(-(p0 * np.log(p0)).sum(), **exact)
    assert (
        entropy[1] == pytest.approx(np.log(3), **exact)
        and entropy[3] == 0
        and entropy[4] == pytest.approx(np.log(2), **exact)
    )


def test_selection_by_hand():
    result = lape.select(
        PROB, ["a", "b", "c"], top_rate=0.5, filter_quantile=FILTER_Q, activation_bar_quantile=BAR_Q
    )
    assert result.filter_value == 0.1 and result.activation_bar == 0.5
    assert np.isinf(result.entropy[0, 2])  # max p 0.02 is not above the filter value
    assert np.flatnonzero(result.selected.mask[0]).tolist() == [0, 3, 4]  # entropies 0.60, 0, 0.69
    by_language = {k: np.flatnonzero(v.mask[0]).tolist() for k, v in result.by_language.items()}
    assert by_language == {"a": [0, 4], "b": [3, 4], "c": []}


def test_entropy_ties_are_broken_by_position():
    result = lape.select(
        PROB,
        ["a", "b", "c"],
        top_rate=4 / 6,
        filter_quantile=FILTER_Q,
        activation_bar_quantile=BAR_Q,
    )
    assert np.flatnonzero(result.selected.mask[0]).tolist() == [
        0,
        1,
        3,
        4,
    ]  # neurons 1 and 5 tie: 1 first


def test_bad_lape_arguments():
    with pytest.raises(ValueError, match="2 names given"):
        lape.select(PROB, ["a", "b"])
    with pytest.raises(ValueError, match=r"top_rate=0 must be in \(0, 1\]"):
        lape.select(PROB, ["a", "b", "c"], top_rate=0)


def test_language_identification_offline():
    texts = [
        "The weather in the mountains was lovely this morning.",
        "Ce matin, il faisait très beau à la montagne.",
        "今朝は山の天気がとても良かった。",
        "오늘 아침 산의 날씨가 아주 좋았다.",
        "",
    ]
    assert langid.identify(texts, ["en", "fr", "ja", "ko"]) == ["en", "fr", "ja", "ko", ""]

"""Paired, stratified bootstrap of OVERALL accuracies against hand computations and coverage."""

import numpy as np
import pytest

from neuron_utils.methods import bootstrap


def test_overall_accuracy_is_the_unweighted_mean_over_paradigms():
    correct = np.array([[1, 1, 1, 0, 0, 1], [0, 0, 0, 0, 0, 1]])
    groups = ["a", "a", "a", "a", "b", "b"]
    # paradigm a: 3/4 and 0/4; paradigm b: 1/2 and 1/2
    np.testing.assert_allclose(
        bootstrap.overall_accuracy(correct, groups), [(0.75 + 0.5) / 2, (0 + 0.5) / 2], rtol=1e-15
    )


def test_replicates_resample_within_paradigms():
    # paradigm a always right, b always wrong: every replicate keeps both sizes, so OVERALL is 0.5
    correct = np.array([[1, 1, 1, 0]])
    reps = bootstrap.overall_replicates(correct, ["a", "a", "a", "b"], n_boot=300, seed=1)
    np.testing.assert_allclose(reps, 0.5, rtol=0, atol=1e-15)


def test_paired_replicates_of_identical_conditions_differ_by_exactly_zero():
    rng = np.random.default_rng(0)
    row = rng.random(120) < 0.6
    groups = np.repeat(["x", "y", "z"], 40)
    reps = bootstrap.overall_replicates(np.array([row, row]), groups, n_boot=500, seed=3)
    assert np.array_equal(reps[0] - reps[1], np.zeros(500))
    low, high = bootstrap.interval(reps[0] - reps[1])
    assert low == high == 0


def test_interval_covers_a_bernoulli_mean_at_the_stated_rate():
    # 400 independent samples of 200 Bernoulli(0.7) draws, one 95 % interval each (seeded)
    rng = np.random.default_rng(2024)
    samples = rng.random((400, 200)) < 0.7
    reps = bootstrap.overall_replicates(samples, ["one"] * 200, n_boot=1000, seed=7)
    low, high = bootstrap.interval(reps, 0.95)
    coverage = np.mean((low <= 0.7) & (0.7 <= high))
    # binomial standard error of a 95 % coverage over 400 samples: 0.011; +-2.7 of them
    assert 0.92 <= coverage <= 0.98
    # and the interval is about +-1.96 standard errors wide
    width = np.median(high - low)
    assert width == pytest.approx(2 * 1.96 * np.sqrt(0.7 * 0.3 / 200), rel=0.1)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match=r"correct must be \[conditions, 3 pairs\]"):
        bootstrap.overall_replicates(np.ones((2, 4)), ["a", "a", "b"], n_boot=10)
    with pytest.raises(ValueError, match="n_boot=0"):
        bootstrap.overall_replicates(np.ones((1, 2)), ["a", "b"], n_boot=0)
    with pytest.raises(ValueError, match="level=1.5"):
        bootstrap.interval(np.ones((1, 5)), 1.5)

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


def test_mean_replicates_equal_the_means_of_explicit_resamples():
    rng = np.random.default_rng(4)
    values = rng.normal(size=(7, 3, 2))
    values[2, 1, 0] = np.nan  # undefined for one unit: left out of that cell's means
    reps = bootstrap.mean_replicates(values, n_boot=50, seed=9)
    counts = np.random.default_rng(9).multinomial(7, np.full(7, 1 / 7), size=50)
    for b in range(50):
        drawn = np.repeat(values, counts[b], axis=0)  # the resample, units repeated
        expected = np.nanmean(drawn, axis=0) if (~np.isnan(drawn)).any(0).all() else None
        if expected is None:  # every drawn unit NaN in a cell
            continue
        np.testing.assert_allclose(reps[b], expected, rtol=1e-12, atol=1e-15)
    # a constant is its own every replicate; and the identity of the draws follows the seed
    np.testing.assert_allclose(bootstrap.mean_replicates(np.full((5, 2), 0.3), 20), 0.3, rtol=1e-15)
    np.testing.assert_array_equal(
        bootstrap.mean_replicates(values, 50, seed=9), bootstrap.mean_replicates(values, 50, seed=9)
    )
    with pytest.raises(ValueError, match="n_boot=0"):
        bootstrap.mean_replicates(values, 0)


def test_ratio_replicates_are_ratios_of_sums_over_the_same_resample_for_every_row():
    rng = np.random.default_rng(5)
    nll = rng.uniform(1, 30, size=(3, 6))  # 3 conditions scored on the same 6 sentences
    tokens = rng.integers(2, 12, size=(3, 6)).astype(float)
    reps = bootstrap.ratio_replicates(nll, tokens, n_boot=40, seed=2)
    counts = np.random.default_rng(2).multinomial(6, np.full(6, 1 / 6), size=40)
    for b in range(40):
        drawn = np.repeat(np.arange(6), counts[b])  # the resampled sentences
        expected = nll[:, drawn].sum(1) / tokens[:, drawn].sum(1)
        np.testing.assert_allclose(reps[:, b], expected, rtol=1e-12)
    # equal rows give equal replicates (paired), whatever the draw
    twice = bootstrap.ratio_replicates(nll[[0, 0]], tokens[[0, 0]], 40, seed=2)
    np.testing.assert_array_equal(twice[0], twice[1])
    with pytest.raises(ValueError, match="conditions, units"):
        bootstrap.ratio_replicates(nll, tokens[:, :5], 10)
    with pytest.raises(ValueError, match="n_boot=0"):
        bootstrap.ratio_replicates(nll, tokens, 0)


@pytest.mark.parametrize(
    "low,high,expected",
    [
        (-0.02, -2.2e-16, bootstrap.Comparison.NOT_DISTINGUISHABLE),  # float noise of an exact 0
        (2.2e-16, 0.03, bootstrap.Comparison.NOT_DISTINGUISHABLE),
        (-0.02, -1e-6, bootstrap.Comparison.BELOW),  # a real difference is far above 1e-9
        (1e-6, 0.02, bootstrap.Comparison.ABOVE),
        (0.0, 0.0, bootstrap.Comparison.NOT_DISTINGUISHABLE),
    ],
)
def test_a_comparison_has_a_tolerance_at_zero(low, high, expected):
    assert bootstrap.compare(low, high) is expected
    assert bootstrap.Interval(low, high).compare() is expected


def test_compare_refuses_what_is_not_an_interval():
    with pytest.raises(ValueError, match="is not an interval"):
        bootstrap.compare(float("nan"), 0.1)
    with pytest.raises(ValueError, match="is not an interval"):
        bootstrap.compare(0.2, 0.1)
    with pytest.raises(ValueError, match="tol=-1"):
        bootstrap.compare(0.1, 0.2, tol=-1)


def test_finite_interval_leaves_out_undefined_replicates():
    replicates = np.array([np.nan, *np.linspace(0, 1, 101), np.nan])
    assert bootstrap.finite_interval(replicates) == pytest.approx((0.025, 0.975), abs=1e-12)
    assert all(np.isnan(bootstrap.finite_interval(np.full(5, np.nan))))
    assert bootstrap.finite_ci(replicates) == bootstrap.Interval(
        *bootstrap.finite_interval(replicates)
    )
    assert not bootstrap.finite_ci(np.full(5, np.nan)).defined
    values = np.random.default_rng(1).normal(size=40)
    low, high = bootstrap.mean_interval(values, 500, seed=3)
    expected = bootstrap.interval(bootstrap.mean_replicates(values, 500, seed=3))
    assert (low, high) == (float(expected[0]), float(expected[1]))
    assert bootstrap.mean_ci(values, 500, seed=3) == bootstrap.Interval(low, high)


def test_an_interval_answers_questions_instead_of_two_numbers():
    ci = bootstrap.Interval(0.1, 0.3)
    assert ci.above(0) and not ci.above(0.1) and ci.below(0.31) and not ci.below(0.3)
    assert ci.within(0.1, 0.3) and not ci.within(0.15, 0.3)
    assert ci.text() == "[0.100, 0.300]" and ci.text("+.2f") == "[+0.10, +0.30]"
    undefined = bootstrap.Interval(float("nan"), 0.2)
    assert not undefined.defined and not undefined.above(-1) and not undefined.below(1)
    assert bootstrap.Interval.of(np.array([1, 2])) == bootstrap.Interval(1.0, 2.0)


def test_a_comparison_is_a_value_and_its_words_name_the_baseline():
    C = bootstrap.Comparison
    assert bootstrap.compare(-0.3, -0.1) is C.BELOW
    assert bootstrap.compare(0.1, 0.3) is C.ABOVE
    assert bootstrap.compare(-0.1, 0.1) is C.NOT_DISTINGUISHABLE
    assert C.BELOW.text("its random sets") == "below its random sets"
    assert C("not distinguishable from") is C.NOT_DISTINGUISHABLE  # stored by its value
    assert not hasattr(C, "read")  # words are never read back into a comparison


def test_rows_of_a_table_are_paired_differences_with_their_intervals():
    rng = np.random.default_rng(0)
    none, chosen = rng.uniform(0.6, 0.8, 500), rng.uniform(0.4, 0.6, 500)
    row = bootstrap.condition(chosen, 0.5, none, 0.7)
    low, high = np.percentile(chosen, [2.5, 97.5])
    d_low, d_high = np.percentile(chosen - none, [2.5, 97.5])
    assert row == {
        "accuracy": 0.5, "accuracy_ci": bootstrap.Interval(low, high),
        "delta": pytest.approx(-0.2, abs=1e-15), "delta_ci": bootstrap.Interval(d_low, d_high),
    }  # fmt: skip
    versus = bootstrap.difference(chosen - none, -0.2, "vs_random", "verdict")
    assert versus["verdict"] is bootstrap.Comparison.BELOW
    assert versus["vs_random_ci"] == bootstrap.Interval(d_low, d_high)
    assert set(bootstrap.difference(chosen - none, -0.2, "x")) == {"x", "x_ci"}
    assert bootstrap.interval_text(0.5712, 0.3104, 0.8199) == "0.571 [0.310, 0.820]"
    assert bootstrap.interval_text(-0.02, -0.051, 0.013, True, 2) == "-0.020 [-0.05, +0.01]"

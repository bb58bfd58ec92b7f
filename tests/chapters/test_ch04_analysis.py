"""Chapter 4's analysis: split by pair, probe arrays, dimension probes against sklearn, transfer."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from neuron_utils.chapters import ch04_grammar_probes as grammar
from neuron_utils.chapters.ch04_grammar_probes import analysis
from neuron_utils.data import MinimalPairSet


def _pairs(paradigms: dict[str, int]) -> MinimalPairSet:
    names = [p for p, n in paradigms.items() for _ in range(n)]
    ids = [f"{p}-{i}" for p, n in paradigms.items() for i in range(n)]
    return MinimalPairSet(
        tuple(f"g {i}" for i in ids),
        tuple(f"b {i}" for i in ids),
        tuple(names),
        tuple(ids),
        tuple(names),
    )


def test_split_is_by_pair_and_arrays_keep_test_pairs_out_of_training():
    pairs = _pairs({"p": 50, "q": 31})
    test = grammar.split_by_pair(pairs, 0.2, seed=0)
    assert test[pairs.rows("p")].sum() == 10 and test[pairs.rows("q")].sum() == 6
    assert (grammar.split_by_pair(pairs, 0.2, seed=0) == test).all()
    # Tag every row with its pair number (+1000 for the bad twin) and look where each ends up.
    index = np.arange(len(pairs), dtype=np.float32)
    good = np.broadcast_to(index[:, None, None], (len(pairs), 2, 3)).copy()
    bad = good + 1000
    a = grammar.paradigm_arrays(good, bad, pairs, test, ["p", "q"])
    for p, name in enumerate(["p", "q"]):
        rows = pairs.rows(name)
        train_ids = set(a.x_train[p, 0, a.w_train[p] > 0, 0].astype(int) % 1000)
        test_ids = set(a.x_test[p, 0, a.w_test[p] > 0, 0].astype(int) % 1000)
        assert not train_ids & test_ids
        assert train_ids | test_ids == set(rows)
        assert test_ids == set(rows[test[rows]])
        labels = a.y_train[p, a.w_train[p] > 0]
        assert (labels == (a.x_train[p, 0, a.w_train[p] > 0, 0] < 1000)).all()  # good = 1, bad = 0
    with pytest.raises(ValueError, match="at least 2"):
        grammar.split_by_pair(_pairs({"p": 1}), 0.2)


def test_dimension_probes_equal_sklearn():
    rng = np.random.default_rng(3)
    pairs = _pairs({"p": 40, "q": 40})
    good = rng.normal(size=(80, 2, 6)).astype(np.float32)
    bad = good + rng.normal(0.4, 1.0, size=(80, 2, 6)).astype(np.float32)
    test = grammar.split_by_pair(pairs, 0.25, seed=1)
    a = grammar.paradigm_arrays(good, bad, pairs, test, ["p", "q"])
    dims = np.broadcast_to(np.array([0, 2, 5]), (2, 2, 1, 3))
    got = grammar.dimension_probes(a, dims)
    for p, name in enumerate(["p", "q"]):
        for layer in range(2):
            tr, te = a.w_train[p] > 0, a.w_test[p] > 0
            x_tr, x_te = a.x_train[p, layer, tr][:, [0, 2, 5]], a.x_test[p, layer, te][:, [0, 2, 5]]
            scaler = StandardScaler().fit(x_tr)
            model = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(
                scaler.transform(x_tr), a.y_train[p, tr]
            )
            # Accuracies are exact only if no test row sits within the two solvers' disagreement
            # (~1e-6) of the decision boundary: check that margin, then compare exactly.
            assert np.abs(model.decision_function(scaler.transform(x_te))).min() > 1e-4
            # a ratio of counts over 20 rows: rounding of the ratio is < 1e-15, another count is >= 1/20 away
            assert got[p, layer, 0] == pytest.approx(
                model.score(scaler.transform(x_te), a.y_test[p, te]), rel=0, abs=1e-9
            )


def test_run_finds_the_informative_dimensions_and_measures_transfer():
    """Paradigms p and q mark grammaticality on dimension 0, paradigm r on dimension 1 (opposite sign)."""
    rng = np.random.default_rng(4)
    pairs = _pairs({"p": 60, "q": 60, "r": 60})
    L, d = 3, 40
    good = rng.normal(size=(180, L, d)).astype(np.float32)
    bad = rng.normal(size=(180, L, d)).astype(np.float32)
    good[:120, :, 0] += 2.5
    bad[:120, :, 0] -= 2.5
    good[120:, :, 1] -= 2.5
    bad[120:, :, 1] += 2.5
    test = grammar.split_by_pair(pairs, 0.25, seed=0)
    out = grammar.run(
        good,
        bad,
        pairs,
        test,
        [0.05, 1.0],
        top_fraction=0.025,
        multiples=(1, 2, 4, 8),
        n_seeds=2,
        generalisation_layer=1,
        l0_steps=200,
        chunk=2,
        seed=0,
    )
    assert out.n_top == 1 and out.topk_sizes == [1, 2, 4, 8, 10, 16, 32, 40]  # 10: a quarter
    assert (out.top_accuracy > 0.9).all()  # the one top-|t| dimension carries everything
    assert out.random_accuracy.mean() < 0.75  # random dimensions (never the informative one) do not
    assert np.isinf(
        grammar.random_multiple_to_match(
            out.top_accuracy.mean(0), out.random_accuracy.mean((0, 3)), out.multiples
        )
    ).all()
    assert (out.l0_kept[:, :, 0] < 0.15).all() and (out.l0_accuracy[:, :, 0] > 0.9).all()
    sparse = out.generalisation[0]
    assert sparse.shape == (3, 3) and (np.diag(sparse) > 0.9).all()
    assert sparse[0, 1] > 0.9 and sparse[1, 0] > 0.9  # same dimension, same sign: transfers
    assert 0.3 < sparse[0, 2] < 0.7  # a probe on dimension 0 knows nothing about r
    assert out.mask_t_spearman.shape == (3, L, 2)


def test_random_multiple_to_match_by_hand():
    top = np.array([0.8, 0.9, 0.7, 0.45])
    random = np.array(
        [[0.6, 0.79, 0.85], [0.5, 0.6, 0.7], [0.7, 0.8, 0.9], [0.6, 0.7, 0.8]]
    )  # fmt: skip
    np.testing.assert_allclose(
        grammar.random_multiple_to_match(top, random, [1, 2, 4]),
        # 0.79 -> 0.85 between 2 and 4: 2 + 2 * 0.01/0.06; none; exactly at 1; below chance: 0
        [2 + 2 * 0.01 / 0.06, np.inf, 1.0, 0.0],
        rtol=1e-12,
    )
    # between chance at 0 and the first tested multiple
    np.testing.assert_allclose(
        grammar.random_multiple_to_match(np.array([0.55]), np.array([[0.7, 0.8]]), [2, 4]),
        [2 * 0.05 / 0.2],
        rtol=1e-12,
    )


def test_interpolated_multiple_equals_the_analytic_crossing():
    # accuracy 0.5 + 0.4 (1 - exp(-m / 5)): reaches top = 0.5 + 0.4 (1 - exp(-c / 5)) at m = c;
    # on a grid of 1 the straight segments put the crossing within the curve's bend of c
    crossings = np.array([1.7, 4.2, 6.5, 11.3])
    top = 0.5 + 0.4 * (1 - np.exp(-crossings / 5))
    grid = np.arange(1, 17)
    curve = 0.5 + 0.4 * (1 - np.exp(-grid / 5))
    got = grammar.random_multiple_to_match(top, np.tile(curve, (4, 1)), grid)
    # the chord lies below a concave curve, so the crossing reads late by at most
    # max over a unit step of the chord's gap / slope: < 0.04 multiples here
    assert (got >= crossings).all() and (got - crossings < 0.04).all(), got - crossings
    # a linear curve is matched exactly, and the old next-tested-multiple answer is not given
    linear = grammar.random_multiple_to_match(np.array([0.62]), 0.5 + 0.03 * grid[None], grid)
    np.testing.assert_allclose(linear, [4.0], rtol=1e-12)
    coarse = grammar.random_multiple_to_match(
        np.array([0.5 + 0.03 * 4.2]),
        0.5 + 0.03 * np.array([[1, 2, 3, 4, 6, 8]]),
        [1, 2, 3, 4, 6, 8],
    )
    np.testing.assert_allclose(coarse, [4.2], rtol=1e-9)  # was 6 (the next tested multiple)


def test_topk_grid_holds_the_papers_points():
    assert grammar.doubling_sizes(640)[-3:] == [256, 512, 640]
    assert grammar.doubling_sizes(8) == [1, 2, 4, 8]
    sizes = grammar.topk_sizes(640, 6)
    assert {6, 64, 160, 640} <= set(sizes) and sizes == sorted(set(sizes))
    assert grammar.topk_sizes(4096, 41) == sorted({*grammar.doubling_sizes(4096), 41, 410, 1024})


@pytest.mark.parametrize(
    "good,bad,marked",
    [
        (
            "Paul was cleaning that picture.",
            "Paul was cleaning that pictures.",
            "Paul was cleaning that [picture. → pictures.]",
        ),
        (
            "拓也が先月恵子に勝った。",
            "拓也が先月恵子を勝った。",
            "拓也が先月恵子[に → を]勝った。",
        ),  # no spaces
        ("Who did she see?", "Who she did see?", "Who [∅ → she] did [she → ∅] see?"),
        ("He left.", "He left.", "He left."),
    ],
)
def test_marked_change_shows_what_the_bad_sentence_changes(good, bad, marked):
    assert grammar.marked_change(good, bad) == marked


def test_cached_run_equals_run_and_is_read_back(monkeypatch, tmp_path):
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))
    rng = np.random.default_rng(5)
    pairs = _pairs({"p": 30, "q": 30})
    good = rng.normal(size=(60, 2, 20)).astype(np.float32)
    bad = good + rng.normal(0.5, 1.0, size=good.shape).astype(np.float32)
    test = grammar.split_by_pair(pairs, 0.2, seed=0)
    p = grammar.Parameters(
        LAMBDAS=[0.2, 1.0], RANDOM_MULTIPLES=[1, 2, 40], N_RANDOM_SEEDS=2, GEN_LAYER=1, L0_STEPS=20
    )
    direct = grammar.run(good, bad, pairs, test, p.LAMBDAS, p.TOP_DIM_FRACTION,
                         p.RANDOM_MULTIPLES, p.N_RANDOM_SEEDS, p.GEN_LAYER, p.L0_STEPS)  # fmt: skip
    first = grammar.cached_run(good, bad, pairs, test, p)
    monkeypatch.setattr(analysis, "run", lambda *a, **k: pytest.fail("not read back"))
    second = grammar.cached_run(good, bad, pairs, test, p)
    for got in (first, second):
        for name, value in vars(direct).items():  # the stored arrays are bit-identical
            np.testing.assert_array_equal(getattr(got, name), value, err_msg=name)
            assert type(getattr(got, name)) is type(value), name
    assert direct.multiples == [1, 2]  # 40 x 1 top dimension does not fit in the other 19

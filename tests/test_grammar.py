"""Sparse probes and chapter 4's analysis: L0 masks, Welch t, Spearman, split by pair, top-k, transfer."""

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from neuron_utils import grammar, probes, scoring
from neuron_utils.minimal_pairs import MinimalPairSet

from .conftest import SENTENCES, tiny_model
from .tolerances import TINY_FP32, U32


def test_welch_t_matches_scipy():
    rng = np.random.default_rng(0)
    a = rng.normal(0.3, 1.0, size=(3, 40, 7))
    b = rng.normal(0.0, 2.5, size=(3, 25, 7))
    expected = stats.ttest_ind(a, b, axis=-2, equal_var=False).statistic
    # float64, ~10 operations per sample: ~1e-14 of the terms; atol because t is a difference
    # of means, which can be near 0; scipy computes it by another formula, hence not 1e-14
    np.testing.assert_allclose(probes.welch_t(a, b), expected, rtol=1e-10, atol=1e-12)
    constant = np.ones((5, 2))
    assert (probes.welch_t(constant, constant) == 0).all()


def test_spearman_matches_scipy_with_ties_and_constant_rows():
    rng = np.random.default_rng(1)
    mask = np.clip(rng.normal(size=(4, 50)), 0, 1)  # many exact zeros and ones, as L0 masks have
    t = np.abs(rng.normal(size=(4, 50))) + mask
    expected = [stats.spearmanr(m, x).statistic for m, x in zip(mask, t)]
    # float64 sums of 50 rank products; atol because a correlation can be near 0
    np.testing.assert_allclose(probes.spearman(mask, t), expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(probes.spearman(np.zeros(50), t[0]))


def test_l0_probe_keeps_the_informative_dimensions_and_drops_the_rest():
    rng = np.random.default_rng(0)
    B, n, d, informative = 3, 400, 120, [3, 50, 97]
    y = np.tile(np.r_[np.ones(n // 2), np.zeros(n // 2)], (B, 1))
    scale = rng.uniform(0.5, 50, size=d)  # unequal scales: the probe standardises inside
    x = rng.normal(size=(B, n, d))
    x[:, :, informative] += (2 * y[..., None] - 1) * 1.0
    x = x * scale
    fitted = probes.train_l0(x, y, np.ones((B, n)), [0.05, 1.0], steps=300, seed=0)
    gates = fitted.gates()  # [B, 2, d]
    kept = gates[:, 0] > 0
    assert kept[:, informative].all()
    assert kept.sum(1).max() <= 6  # a few extra at most, out of 117 noise dimensions
    assert (fitted.kept()[:, 1] > 0.9).all()  # lambda = 1: no pressure, nearly everything kept
    accuracy = probes.accuracy(fitted.decision(x), y[:, None])
    assert (accuracy[:, 0] > 0.85).all()


def test_l0_probe_ignores_padding_rows():
    rng = np.random.default_rng(2)
    n, d = 200, 10
    y = np.r_[np.ones(n // 2), np.zeros(n // 2)]
    x = rng.normal(size=(n, d))
    x[:, 0] += 2 * y - 1
    padded = np.concatenate([x, rng.normal(1e3, 1.0, size=(50, d))])[None]  # garbage rows, weight 0
    weight = np.r_[np.ones(n), np.zeros(50)][None]
    a = probes.train_l0(padded, np.r_[y, np.ones(50)][None], weight, [0.2], steps=50, seed=0)
    b = probes.train_l0(x[None], y[None], np.ones((1, n)), [0.2], steps=50, seed=0)
    # The means are fp32 weighted sums over 250 and 200 rows: they differ by rounding, at most
    # n u sum|w x| (recursive summation bound), and by ~200 if a padding row (x ~ 1e3) leaked in.
    np.testing.assert_allclose(a.mean, b.mean, rtol=0, atol=250 * U32 * np.abs(x).mean(0).max())
    # 50 Adam steps carry that rounding into the weights. Adam's step lr m / sqrt(v) does not
    # depend on the gradient's scale, so a relative change d ~ 1e-6 of the inputs changes each
    # step (<= lr = 0.05) by ~d: <= 50 x 0.05 x 1e-6 = 2.5e-6 in all. Measured: 3e-8.
    np.testing.assert_allclose(a.w, b.w, rtol=1e-4, atol=1e-5)


def _pairs(paradigms: dict[str, int]) -> MinimalPairSet:
    names = [p for p, n in paradigms.items() for _ in range(n)]
    ids = [f"{p}-{i}" for p, n in paradigms.items() for i in range(n)]
    return MinimalPairSet(tuple(f"g {i}" for i in ids), tuple(f"b {i}" for i in ids), tuple(names), tuple(ids),
                          tuple(names))


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
            model = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(scaler.transform(x_tr), a.y_train[p, tr])
            # Accuracies are exact only if no test row sits within the two solvers' disagreement
            # (~1e-6) of the decision boundary: check that margin, then compare exactly.
            assert np.abs(model.decision_function(scaler.transform(x_te))).min() > 1e-4
            # a ratio of counts over 20 rows: rounding of the ratio is < 1e-15, another count is >= 1/20 away
            assert got[p, layer, 0] == pytest.approx(model.score(scaler.transform(x_te), a.y_test[p, te]), rel=0, abs=1e-9)


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
    out = grammar.run(good, bad, pairs, test, [0.05, 1.0], top_fraction=0.025, multiples=(1, 2, 4, 8),
                      n_seeds=2, generalisation_layer=1, l0_steps=200, chunk=2, seed=0)
    assert out.n_top == 1 and out.topk_sizes == [1, 2, 4, 8, 16, 32, 40]
    assert (out.top_accuracy > 0.9).all()  # the one top-|t| dimension carries everything
    assert out.random_accuracy.mean() < 0.75  # random dimensions (never the informative one) do not
    assert np.isinf(grammar.random_multiple_to_match(out.top_accuracy.mean(0), out.random_accuracy.mean((0, 3)),
                                                      out.multiples)).all()
    assert (out.l0_kept[:, :, 0] < 0.15).all() and (out.l0_accuracy[:, :, 0] > 0.9).all()
    sparse = out.generalisation[0]
    assert sparse.shape == (3, 3) and (np.diag(sparse) > 0.9).all()
    assert sparse[0, 1] > 0.9 and sparse[1, 0] > 0.9  # same dimension, same sign: transfers
    assert 0.3 < sparse[0, 2] < 0.7  # a probe on dimension 0 knows nothing about r
    assert out.mask_t_spearman.shape == (3, L, 2)


def test_random_multiple_to_match_by_hand():
    top = np.array([0.8, 0.9, 0.7])
    random = np.array([[0.6, 0.79, 0.85], [0.5, 0.6, 0.7], [0.7, 0.8, 0.9]])
    np.testing.assert_array_equal(grammar.random_multiple_to_match(top, random, [1, 2, 4]), [4, np.inf, 1])
    assert grammar.doubling_sizes(640)[-3:] == [256, 512, 640] and grammar.doubling_sizes(8) == [1, 2, 4, 8]


def test_mean_logprob_and_pair_preferences_match_a_full_forward():
    model = tiny_model("gemma3")
    texts = SENTENCES[:4]
    got = scoring.mean_logprob(model, texts, batch_size=3)
    for text, value in zip(texts, got):
        ids = model.tokenizer(text, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            logits = model.model(input_ids=ids).logits[0, :-1].double()
        expected = torch.log_softmax(logits, -1).gather(1, ids[0, 1:, None]).mean()
        # fp32 logits of another batch shape; the mean log-prob (~ -3.6) is far from 0: relative
        assert value == pytest.approx(expected.item(), rel=TINY_FP32, abs=0)
    preference = scoring.pair_preferences(model, texts[:2], texts[2:], batch_size=2)
    # A difference of two mean log-probs (~3.6 each, ~0.003 apart) carries the rounding of its
    # operands, so its tolerance is absolute: twice the operands' relative tolerance times their size.
    np.testing.assert_allclose(preference, got[:2] - got[2:], rtol=0, atol=2 * TINY_FP32 * np.abs(got).max())
    np.testing.assert_array_equal(scoring.pair_preferences(model, texts[:2], texts[2:]), preference)  # cached
    with pytest.raises(ValueError, match="2 good sentences but 1 bad"):
        scoring.pair_preferences(model, texts[:2], texts[:1])

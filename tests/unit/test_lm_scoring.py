"""LM scoring: mean log-probs, pair preferences and perplexity against a full forward; generation."""

import numpy as np
import pytest
import torch

from neuron_utils.core import lm_scoring as scoring
from neuron_utils.core.interventions import Intervention
from neuron_utils.core.neurons import NeuronSet

from ..helpers import SENTENCES, tiny_model
from ..tolerances import TINY_FP32


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
    np.testing.assert_allclose(
        preference, got[:2] - got[2:], rtol=0, atol=2 * TINY_FP32 * np.abs(got).max()
    )
    # cached
    np.testing.assert_array_equal(scoring.pair_preferences(model, texts[:2], texts[2:]), preference)
    with pytest.raises(ValueError, match="2 good sentences but 1 bad"):
        scoring.pair_preferences(model, texts[:2], texts[:1])


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_perplexity_equals_transformers_loss(arch):
    model = tiny_model(arch)
    texts = SENTENCES[:4]
    nll, counts = scoring.token_nll(model, texts, batch_size=3, chunk=5)
    for k, text in enumerate(texts):
        ids = model.tokenizer([text], return_tensors="pt")["input_ids"]
        with torch.no_grad():
            loss = model.model(input_ids=ids, labels=ids).loss.item()
        assert counts[k] == ids.shape[1] - 1
        # fp32 logits of another batch shape; the mean NLL (~3.6 nats) is far from 0: relative
        assert nll[k] / counts[k] == pytest.approx(loss, rel=TINY_FP32, abs=0)
    # Another batch size: the same up to rounding. Compared as log-perplexity (mean NLL), whose
    # error is what rounding makes; exp() turns it into a relative error of the perplexity.
    assert np.log(scoring.perplexity(model, texts)) == pytest.approx(
        nll.sum() / counts.sum(), rel=TINY_FP32, abs=0
    )


def test_steering_with_an_empty_set_equals_unsteered_generation():
    model = tiny_model("qwen2")
    prompts = SENTENCES[:3]
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    side = model.tokenizer.padding_side
    plain = scoring.generate(model, prompts, max_new_tokens=5)
    steered = scoring.generate(model, prompts, [Intervention(empty, "set", 10.0)], max_new_tokens=5)
    everything = scoring.generate(
        model, prompts, [Intervention(empty.complement(), "set", 10.0)], max_new_tokens=5
    )
    assert plain == steered and plain != everything
    assert model.tokenizer.padding_side == side  # generation pads left, then restores the side


def test_generation_is_cached_per_prompt_list_interventions_and_length(monkeypatch, tmp_path):
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))  # no entry from other tests
    model = tiny_model("qwen2")
    prompts = SENTENCES[:3]
    fresh = scoring.generate(model, prompts, max_new_tokens=4, cache=False)
    assert scoring.generate(model, prompts, max_new_tokens=4) == fresh  # computed, then stored
    calls = []
    real = scoring._generate
    monkeypatch.setattr(scoring, "_generate", lambda *args: calls.append(args[1]) or real(*args))
    assert scoring.generate(model, prompts, max_new_tokens=4) == fresh
    assert calls == []  # read back
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    scoring.generate(model, prompts, max_new_tokens=5)  # another length
    scoring.generate(model, prompts[:2], max_new_tokens=4)  # another batch
    scoring.generate(model, prompts, [Intervention(empty, "set", 1.0)], max_new_tokens=4)
    assert len(calls) == 3


def test_generation_under_several_conditions_equals_one_batch_per_condition(monkeypatch, tmp_path):
    """A steering sweep's conditions share generation batches (each on its own copy of the
    prompts); each condition's continuations equal those of a batch of its own, also where the
    conditions do not all fit in one batch."""
    from neuron_utils.core.interventions import ResidualAddition

    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))
    model = tiny_model("qwen2")
    prompts = SENTENCES[:3]
    some = NeuronSet.from_indices({0: list(range(8)), 1: [2, 3]}, model.n_layers, model.n_neurons)
    vector = np.random.default_rng(2).normal(size=model.d_model).astype(np.float32) * 20
    conditions = {
        "plain": [],
        "set": [Intervention(some, "set", 10.0)],
        "added": [ResidualAddition(1, vector)],
        "both": [Intervention(some, "zero"), ResidualAddition(0, -vector, 0.2)],
    }
    alone = {
        key: scoring.generate(model, prompts, ivs, max_new_tokens=5, cache=False)
        for key, ivs in conditions.items()
    }
    assert len({tuple(v) for v in alone.values()}) == len(conditions)  # each one changes them
    calls = []
    real = scoring._generate
    monkeypatch.setattr(
        scoring, "_generate", lambda *args: calls.append(len(args[2])) or real(*args)
    )
    # fp32 on a tiny model: no greedy choice sits within rounding of a tie, so the tokens agree
    assert scoring.generate_under(model, prompts, conditions, max_new_tokens=5) == alone
    assert calls == [4]  # one batch of 4 x 3 rows
    monkeypatch.setattr(scoring, "GENERATION_ROWS", 2 * len(prompts) + 1)
    calls.clear()
    assert scoring.generate_under(model, prompts, conditions, max_new_tokens=5) == alone
    assert calls == [2, 2]  # two conditions per batch
    assert scoring.generate_under(model, prompts, conditions, max_new_tokens=5) == alone
    assert calls == [2, 2]  # read back, batch by batch


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tiled_head_equals_a_whole_vocabulary_log_softmax(dtype):
    gen = torch.Generator().manual_seed(0)
    states = torch.randn(11, 6, generator=gen, dtype=dtype)
    weight = torch.randn(29, 6, generator=gen, dtype=dtype)
    bias = torch.randn(29, generator=gen, dtype=dtype)
    targets = torch.tensor([0, 28, 7, 8, 13, 14, 20, 21, 27, 1, 5])
    for softcap in (None, 3.0):
        logits = (states @ weight.T + bias).double()
        if softcap:
            logits = torch.tanh(logits / softcap) * softcap
        expected = -torch.log_softmax(logits, -1).gather(1, targets[:, None]).squeeze(1)
        # tiles of 3 positions x 7 vocabulary rows: targets in every tile, a partial last tile
        got = scoring.target_nll(states, targets, weight, bias, softcap, token_tile=3, vocab_tile=7)
        # float32 logsumexp of values ~10: a few ulps; float64: far below
        tol = 1e-5 if dtype == torch.float32 else 1e-12
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=tol, atol=tol)


def test_sentence_scores_are_cached_per_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))  # nothing scored before
    model = tiny_model("gemma3")
    texts = SENTENCES[:5]
    first = scoring.mean_logprobs(model, texts[:3], {"none": []})["none"]
    seen = []
    real = scoring.token_nll

    def counting(model, texts, *args, **kwargs):
        seen.append(list(texts))
        return real(model, texts, *args, **kwargs)

    monkeypatch.setattr(scoring, "token_nll", counting)
    # a subset in another order: read back, no forward
    again = scoring.mean_logprobs(model, [texts[2], texts[0]], {"none": []})["none"]
    assert seen == [] and again.tolist() == [first[2], first[0]]
    # a superset: only the new sentences run; a new condition runs all, once
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    both = scoring.mean_logprobs(model, texts, {"none": [], "e": [Intervention(empty, "zero")]})
    assert seen == [sorted(texts[3:]), sorted(texts)]
    np.testing.assert_array_equal(both["none"][:3], first)
    np.testing.assert_array_equal(both["e"], both["none"])  # an empty set changes nothing


@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_perplexities_of_groups_equal_one_perplexity_per_group(arch):
    # One run over every group batches texts of one length together across groups; a text's
    # score depends on its batch only by rounding (another GEMM shape). Compared as
    # log-perplexity, whose error is what rounding makes (as test_perplexity_equals_...).
    model = tiny_model(arch)
    groups = {"a": SENTENCES[:3], "b": SENTENCES[3:], "c": SENTENCES[1:2]}
    neurons = NeuronSet.top_n(np.random.default_rng(0).random((model.n_layers, model.n_neurons)), 5)
    for interventions in ([], [Intervention(neurons, "zero")]):
        together = scoring.perplexities(model, groups, interventions, batch_size=8, cache=False)
        assert list(together) == ["a", "b", "c"]
        for name, texts in groups.items():
            alone = scoring.perplexity(model, texts, interventions, batch_size=2, cache=False)
            assert np.log(together[name]) == pytest.approx(np.log(alone), rel=TINY_FP32, abs=0)


SHARED_PREFIXES = [
    "the cat sat on a mat",
    "the cat sat on a dog",  # a minimal-pair twin of the first: 4 of 5 predictions shared
    "the cat ran",
    "the house",
    "a big red dog ran quickly",
]


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_shared_prefixes_go_through_the_head_once_with_the_same_scores(arch, monkeypatch):
    model = tiny_model(arch)
    alone = [scoring.token_nll(model, [text])[0][0] for text in SHARED_PREFIXES]
    rows = []
    tiled = scoring.target_nll

    def counting(states, *args):
        rows.append(len(states))
        return tiled(states, *args)

    monkeypatch.setattr(scoring, "target_nll", counting)
    nll, counts = scoring.token_nll(model, SHARED_PREFIXES, batch_size=2)
    ids = [model.tokenizer(text)["input_ids"] for text in SHARED_PREFIXES]
    assert counts.tolist() == [len(seq) - 1 for seq in ids]
    # one head row per distinct (prefix, next token): counted by hand from the token ids
    distinct = {tuple(seq[: t + 1]) for seq in ids for t in range(1, len(seq))}
    assert sum(rows) == len(distinct) < counts.sum()
    # each text's loss as scored alone: another batch only rounds differently
    np.testing.assert_allclose(nll, alone, rtol=TINY_FP32, atol=0)


def test_a_prefix_is_shared_only_between_texts_with_the_same_per_text_intervention():
    from neuron_utils.core.interventions import PerTextIntervention

    model = tiny_model("llama")
    first, twin = SHARED_PREFIXES[:2]
    masks = np.ones((1, model.n_layers, model.n_neurons), dtype=bool)  # every neuron, x 30
    scale_first = [PerTextIntervention((first,), masks, "scale", 30.0)]
    nll, _ = scoring.token_nll(model, [first, twin], scale_first, batch_size=1)
    changed = scoring.token_nll(model, [first], scale_first)[0][0]
    plain = scoring.token_nll(model, [twin])[0][0]
    np.testing.assert_allclose(nll, [changed, plain], rtol=TINY_FP32, atol=0)
    # the twin's prefix scored with the first text's change would have shown:
    scaled_twin = scoring.token_nll(
        model, [twin], [PerTextIntervention((twin,), masks, "scale", 30.0)]
    )[0][0]
    assert abs(scaled_twin - plain) > 0.1

"""LAPE selection on a hand-made table; streaming counts; perplexity; steering; language id."""

import numpy as np
import pytest
import torch

from neuron_utils import activations, lape, langid, scoring
from neuron_utils.anatomy import resolve
from neuron_utils.interventions import Intervention
from neuron_utils.neurons import NeuronSet

from .conftest import SENTENCES, tiny_model
from .tolerances import TINY_FP32, U32

# languages x layers (1) x neurons (6)
PROB = np.array([
    [0.9, 0.5, 0.01, 0.0, 0.7, 0.3],
    [0.1, 0.5, 0.02, 0.8, 0.7, 0.3],
    [0.1, 0.5, 0.01, 0.0, 0.0, 0.3],
])[:, None, :]
# the 18 values sorted: 0 0 0 .01 .01 .02 .1 .1 .3 .3 .3 .5 .5 .5 .7 .7 .8 .9
FILTER_Q, BAR_Q = 7 / 18, 12 / 18  # 7th smallest = 0.1, 12th smallest = 0.5


def test_entropy_by_hand():
    entropy = lape.lape_entropy(PROB)[0]
    p0 = np.array([0.9, 0.1, 0.1]) / 1.1
    exact = dict(rel=1e-12, abs=1e-12)  # float64, a handful of operations on numbers of order 1
    assert entropy[0] == pytest.approx(-(p0 * np.log(p0)).sum(), **exact)
    assert entropy[1] == pytest.approx(np.log(3), **exact) and entropy[3] == 0 and entropy[4] == pytest.approx(np.log(2), **exact)


def test_selection_by_hand():
    result = lape.select(PROB, ["a", "b", "c"], top_rate=0.5, filter_quantile=FILTER_Q, activation_bar_quantile=BAR_Q)
    assert result.filter_value == 0.1 and result.activation_bar == 0.5
    assert np.isinf(result.entropy[0, 2])  # max p 0.02 is not above the filter value
    assert np.flatnonzero(result.selected.mask[0]).tolist() == [0, 3, 4]  # entropies 0.60, 0, 0.69
    by_language = {k: np.flatnonzero(v.mask[0]).tolist() for k, v in result.by_language.items()}
    assert by_language == {"a": [0, 4], "b": [3, 4], "c": []}


def test_entropy_ties_are_broken_by_position():
    result = lape.select(PROB, ["a", "b", "c"], top_rate=4 / 6, filter_quantile=FILTER_Q, activation_bar_quantile=BAR_Q)
    assert np.flatnonzero(result.selected.mask[0]).tolist() == [0, 1, 3, 4]  # neurons 1 and 5 tie: 1 first


def test_bad_lape_arguments():
    with pytest.raises(ValueError, match="2 names given"):
        lape.select(PROB, ["a", "b"])
    with pytest.raises(ValueError, match=r"top_rate=0 must be in \(0, 1\]"):
        lape.select(PROB, ["a", "b", "c"], top_rate=0)


@pytest.mark.parametrize("site", ["gate", "neurons"])
def test_streaming_counts_equal_a_full_dump(site):
    model = tiny_model("llama")
    stats = activations.token_statistics(model, SENTENCES, site, batch_size=4, cache=False)
    dumped = []
    module_path = model.anatomy.sites[site].path
    attr = model.anatomy.sites[site].attr
    hooks = []
    for layer in model.layers:
        module = resolve(layer, module_path)
        if attr == "input":
            hooks.append(module.register_forward_pre_hook(lambda m, args: dumped.append(args[0][0])))
        else:
            hooks.append(module.register_forward_hook(lambda m, args, out: dumped.append(out[0])))
    positive = np.zeros((model.n_layers, model.n_neurons), dtype=np.int64)
    near_zero = np.zeros_like(positive)  # values within rounding of the "> 0" threshold
    total = np.zeros((model.n_layers, model.n_neurons))
    total_abs = np.zeros_like(total)
    rounding = np.zeros((model.n_layers, 1))  # sum over tokens of the allowed error of each value
    tokens = 0
    with torch.no_grad():
        for text in SENTENCES:  # one sentence at a time: every position is real
            dumped.clear()
            model.model(**model.tokenizer([text], return_tensors="pt"))
            per_layer = torch.stack(dumped)[:, 1:]  # [L, T-1, N] without BOS
            allowed = TINY_FP32 * per_layer.abs().amax(-1, keepdim=True)  # rule 1 of tests/tolerances.py
            positive += (per_layer > 0).sum(1).numpy()
            near_zero += (per_layer.abs() <= allowed).sum(1).numpy()
            total += per_layer.sum(1).double().numpy()
            total_abs += per_layer.abs().sum(1).double().numpy()
            rounding += allowed.sum(1).double().numpy()
            tokens += per_layer.shape[1]
    for hook in hooks:
        hook.remove()
    # Padded batches round differently: a count may differ only where a value sat within
    # rounding of 0 (none does here, on any CPU measured, but that is the fixture, not the rule).
    assert (np.abs(stats["positive"] - positive) <= near_zero).all()
    assert near_zero.sum() <= 0.01 * positive.size * tokens  # ... and such values are rare
    # Each value may differ by its forward rounding, and the streamed sums add up to `tokens`
    # values per batch in fp32 (at most tokens x u x sum|x| more); the reference sums in float64.
    allowed = rounding + tokens * U32 * total_abs
    assert (np.abs(stats["sum"] - total) <= allowed).all(), np.abs(stats["sum"] - total).max()
    assert int(stats["tokens"]) == tokens


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
    assert np.log(scoring.perplexity(model, texts)) == pytest.approx(nll.sum() / counts.sum(), rel=TINY_FP32, abs=0)


def test_steering_with_an_empty_set_equals_unsteered_generation():
    model = tiny_model("qwen2")
    prompts = SENTENCES[:3]
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    side = model.tokenizer.padding_side
    plain = scoring.generate(model, prompts, max_new_tokens=5)
    steered = scoring.generate(model, prompts, [Intervention(empty, "set", 10.0)], max_new_tokens=5)
    everything = scoring.generate(model, prompts, [Intervention(empty.complement(), "set", 10.0)], max_new_tokens=5)
    assert plain == steered and plain != everything
    assert model.tokenizer.padding_side == side  # generation pads left, then restores the side


def test_language_identification_offline():
    texts = ["The weather in the mountains was lovely this morning.", "Ce matin, il faisait très beau à la montagne.",
             "今朝は山の天気がとても良かった。", "오늘 아침 산의 날씨가 아주 좋았다.", ""]
    assert langid.identify(texts, ["en", "fr", "ja", "ko"]) == ["en", "fr", "ja", "ko", ""]

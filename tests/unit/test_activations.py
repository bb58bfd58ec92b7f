"""Extraction: pooling, padding/batch invariance, early stop, cache."""

import numpy as np
import pytest
import torch

from neuron_utils import collect
from neuron_utils.core import activations, batches

from ..helpers import SENTENCES, tiny_model
from ..tolerances import EPS32, TINY_FP32, assert_close_to_scale


def test_pool_by_hand():
    hidden = torch.arange(2 * 4 * 3, dtype=torch.float32).view(2, 4, 3)
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    last = activations.pool(hidden, mask, "last")
    assert torch.equal(last, torch.stack([hidden[0, 2], hidden[1, 3]]))
    mean = activations.pool(hidden, mask, "mean", skip_first=True)
    # sums of small integers are exact in fp32; each mean is then one division: at most 1 ulp apart
    torch.testing.assert_close(mean[0], hidden[0, 1:3].mean(0), rtol=EPS32, atol=0)
    torch.testing.assert_close(mean[1], hidden[1, 1:].mean(0), rtol=EPS32, atol=0)
    hidden[1, 0] = 1e6  # a huge BOS: "max" leaves it out, like "mean"
    top = activations.pool(hidden, mask, "max", skip_first=True)
    assert torch.equal(
        top, torch.stack([hidden[0, 2], hidden[1, 3]])
    )  # arange: the last is largest
    negative = -hidden
    low = activations.pool(negative, mask, "max", skip_first=True)
    assert torch.equal(low, torch.stack([negative[0, 1], negative[1, 1]]))  # padding never wins
    with pytest.raises(ValueError, match="allowed: last, mean, eos, max"):
        activations.pool(hidden, mask, "min")


def test_batches_and_padding_helpers():
    groups = batches.same_length_batches([3, 7, 5, 7, 1, 7, 3], batch_size=2)
    assert [b.tolist() for b in groups] == [[1, 3], [5], [2], [0, 6], [4]]
    enc = batches.pad_right([[5, 6, 7], [8]], pad_id=0)
    assert enc["input_ids"].tolist() == [[5, 6, 7], [8, 0, 0]]
    assert enc["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]


@pytest.mark.parametrize("pooling", ["last", "mean", "eos", "max"])
def test_batch_and_padding_invariance(tiny, pooling):
    sites = ["residual", "neurons", "attn"]
    one = collect(tiny, SENTENCES, sites=sites, pooling=pooling, batch_size=1, cache=False)
    many = collect(tiny, SENTENCES, sites=sites, pooling=pooling, batch_size=4, cache=False)
    for site in sites:
        assert_close_to_scale(many[site], one[site], TINY_FP32, what=site)


def test_eos_pooling_reads_the_appended_eos():
    tiny = tiny_model("llama")
    text = SENTENCES[1]
    got = collect(tiny, [text], sites=["residual"], pooling="eos", cache=False)["residual"]
    ids = tiny.tokenizer([text])["input_ids"][0] + [tiny.tokenizer.eos_token_id]
    with torch.no_grad():
        hidden = tiny.model(input_ids=torch.tensor([ids]), output_hidden_states=True).hidden_states
    assert_close_to_scale(got[0, 0], hidden[1][0, -1].numpy(), TINY_FP32)


def test_trace_stops_after_last_needed_layer():
    tiny = tiny_model("gemma3")
    calls = []
    hooks = [
        layer.register_forward_pre_hook(lambda m, i, k=k: calls.append(k))
        for k, layer in enumerate(tiny.layers)
    ]
    head = tiny.model.lm_head.register_forward_pre_hook(lambda m, i: calls.append("head"))
    collect(tiny, SENTENCES[:2], sites=["residual"], layers=[0], cache=False)
    for hook in [*hooks, head]:
        hook.remove()
    assert calls == [0]


def test_cache_hit_skips_the_model(monkeypatch):
    tiny = tiny_model("qwen2")
    first = collect(tiny, SENTENCES, sites=["residual", "gate"])

    def no_model(*args, **kwargs):
        raise AssertionError("the model ran despite a cache hit")

    monkeypatch.setattr(activations, "_run", no_model)
    again = collect(tiny, SENTENCES, sites=["gate", "residual"])
    for site in first:
        np.testing.assert_array_equal(first[site], again[site])
    with pytest.raises(AssertionError, match="cache hit"):
        collect(tiny, SENTENCES[:3], sites=["residual"])  # other texts: a miss


def test_cache_is_keyed_by_weights():
    a = collect(tiny_model("llama", seed=0), SENTENCES[:2])["residual"]
    b = collect(tiny_model("llama", seed=1), SENTENCES[:2])["residual"]
    assert not np.allclose(a, b)


def test_bad_requests_fail_before_running():
    tiny = tiny_model("gpt2")
    with pytest.raises(
        ValueError, match="unknown site.*allowed: residual, attn, mlp, neurons, gate"
    ):
        collect(tiny, SENTENCES, sites=["ffn"])
    with pytest.raises(ValueError, match="out of range.*0..2"):
        collect(tiny, SENTENCES, layers=[5])
    with pytest.raises(ValueError, match="unknown pooling"):
        collect(tiny, SENTENCES, pooling="first")

"""Streaming per-token counts and sums against a full dump of every activation."""

import numpy as np
import pytest
import torch

from neuron_utils.core import activations
from neuron_utils.core.anatomy import resolve

from ..helpers import SENTENCES, tiny_model
from ..tolerances import TINY_FP32, U32


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
            hooks.append(
                module.register_forward_pre_hook(lambda m, args: dumped.append(args[0][0]))
            )
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
            # rule 1 of tests/tolerances.py
            allowed = TINY_FP32 * per_layer.abs().amax(-1, keepdim=True)
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


@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_both_sites_in_one_pass_equal_one_pass_per_site(arch, tmp_path, monkeypatch):
    # Same batches, same kernels: the counts and sums of a two-site pass are those of two
    # one-site passes to the bit; each site is cached in the one-site file.
    monkeypatch.setenv("NEURON_UTILS_CACHE", str(tmp_path))
    model = tiny_model(arch)
    both = activations.token_statistics_at(model, SENTENCES, ["neurons", "gate"], batch_size=4)
    assert list(both) == ["neurons", "gate"]
    for site in ("gate", "neurons"):
        alone = activations.token_statistics(model, SENTENCES, site, batch_size=4, cache=False)
        for name in ("positive", "sum", "tokens"):
            np.testing.assert_array_equal(both[site][name], alone[name])
        cached = activations.token_statistics(model, SENTENCES, site, batch_size=4)
        np.testing.assert_array_equal(cached["sum"], alone["sum"])
    assert len(list(tmp_path.rglob("*.npz"))) == 2
    if arch == "llama":  # gated: act(gate(x)) and act(gate(x)) * up(x) differ (GPT-2: one site)
        assert not np.array_equal(both["gate"]["sum"], both["neurons"]["sum"])


def test_statistics_refuse_a_site_without_neurons():
    with pytest.raises(ValueError, match="neuron sites; got 'residual'"):
        activations.token_statistics_at(tiny_model("llama"), SENTENCES, ["gate", "residual"])

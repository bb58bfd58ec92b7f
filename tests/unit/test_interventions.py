"""Neuron sets and interventions against hand computations on tiny random models."""

import copy

import numpy as np
import pytest
import torch

from neuron_utils import collect
from neuron_utils.core.anatomy import resolve
from neuron_utils.core.interventions import (
    Intervention,
    ResidualAddition,
    intervene,
    intervene_by_rows,
)
from neuron_utils.core.neurons import NeuronSet, edge_layers

from ..helpers import SENTENCES, mlp_modules, tiny_model
from ..tolerances import EPS32, TINY_FP32, assert_close_to_scale


def test_neuron_set_algebra_and_storage(tmp_path):
    a = NeuronSet.from_indices({0: [1, 2], 2: [5]}, 3, 8)
    b = NeuronSet.from_indices({0: [2, 3]}, 3, 8)
    assert len(a | b) == 4 and len(a & b) == 1 and len(a - b) == 2 and len(a.complement()) == 24 - 3
    assert a.per_layer().tolist() == [2, 0, 1]
    assert {k: v.tolist() for k, v in a.indices().items()} == {0: [1, 2], 2: [5]}
    assert a.overlap(b) == 1 / 4  # 1 shared of 4: a ratio of small integers, exact
    a.save(tmp_path / "set.json")
    assert NeuronSet.load(tmp_path / "set.json") == a
    assert "pickle" not in (tmp_path / "set.json").read_text()


def test_top_n():
    scores = np.array([[0.1, 0.9, 0.3], [0.8, 0.2, 0.7]])
    assert NeuronSet.top_n(scores, 3).indices().keys() == {0, 1}
    assert NeuronSet.top_n(scores, 3).mask.tolist() == [[False, True, False], [True, False, True]]
    with pytest.raises(ValueError, match="0..6"):
        NeuronSet.top_n(scores, 7)


def test_random_matched_sets():
    ref = NeuronSet.from_indices({0: [0, 1, 2], 1: [4], 3: list(range(8))}, 4, 16)
    r1 = NeuronSet.random_matched(ref, seed=5, exclude=ref)
    assert np.array_equal(r1.per_layer(), ref.per_layer())
    assert len(r1 & ref) == 0
    assert NeuronSet.random_matched(ref, seed=5, exclude=ref) == r1
    assert NeuronSet.random_matched(ref, seed=6, exclude=ref) != r1
    big = NeuronSet.from_indices({3: list(range(10))}, 4, 16)
    with pytest.raises(ValueError, match="layer 3: 10 neurons asked, only 6"):
        NeuronSet.random_matched(big, seed=0, exclude=big)  # 16 - 10 excluded = 6 < 10


@pytest.mark.parametrize("arch", ["gemma3", "llama", "gpt2"])
def test_zeroing_equals_removing_down_proj_rows(arch):
    model = tiny_model(arch)
    layer, idx = 1, [0, 5, 7]
    zeroed = NeuronSet.from_indices({layer: idx}, model.n_layers, model.n_neurons)
    base = collect(model, SENTENCES, sites=["residual"], cache=False)["residual"]
    got = collect(
        model, SENTENCES, sites=["residual"], cache=False, interventions=[Intervention(zeroed)]
    )["residual"]
    # same operations before layer l: bit-identical
    np.testing.assert_array_equal(got[:, :layer], base[:, :layer])
    assert not np.allclose(got[:, layer], base[:, layer])
    edited = copy.deepcopy(model.model)
    down = resolve(model.anatomy.layer_list(edited)[layer], model.anatomy.down_proj)
    with torch.no_grad():
        if isinstance(down, torch.nn.Linear):
            down.weight[:, idx] = 0  # [out, in]: the neurons are input columns
        else:
            down.weight[idx, :] = 0  # GPT-2 Conv1D: [in, out]
    from neuron_utils import wrap_model

    reference = collect(
        wrap_model(edited, model.tokenizer), SENTENCES, sites=["residual"], cache=False
    )["residual"]
    assert_close_to_scale(got, reference, TINY_FP32)


@pytest.mark.parametrize("site", ["neurons", "gate"])
def test_zeroing_equals_a_hand_written_hook(tiny_any, site):
    """On every architecture family: zeroing neurons at ``site`` through the anatomy is a hook
    written by hand on the MLP's own modules (a forward pre-hook on the down projection for
    "neurons", a forward hook on the activation for "gate"), and it changes the output."""
    model = tiny_any
    chosen = {0: [2], 1: [0, 5, 7]}
    zeroed = NeuronSet.from_indices(chosen, model.n_layers, model.n_neurons)
    inputs = model.tokenizer(SENTENCES[:3], padding=True, return_tensors="pt")

    def zero(layer):
        def change(x):
            x = x.clone()
            x[..., chosen[layer]] = 0
            return x

        return change

    with torch.no_grad():
        base = model.model(**inputs).logits.numpy()
        hooks = []
        try:
            for layer in chosen:
                act, down = mlp_modules(model.model.config.model_type, model.layers[layer].mlp)
                change = zero(layer)
                if site == "neurons":
                    hooks.append(
                        down.register_forward_pre_hook(
                            lambda m, args, c=change: (c(args[0]), *args[1:])
                        )
                    )
                else:
                    hooks.append(act.register_forward_hook(lambda m, args, out, c=change: c(out)))
            by_hand = model.model(**inputs).logits.numpy()
        finally:
            for hook in hooks:
                hook.remove()
        with intervene(model, [Intervention(zeroed, site=site)]):
            got = model.model(**inputs).logits.numpy()
    np.testing.assert_array_equal(got, by_hand)  # the same operations on the same numbers
    # and more than rounding away from the plain forward
    assert np.abs(got - base).max() > TINY_FP32 * np.abs(base).max()
    read = collect(
        model,
        SENTENCES[:2],
        sites=[site],
        cache=False,
        interventions=[Intervention(zeroed, site=site)],
    )[site]
    assert np.all(read[:, 1, chosen[1]] == 0) and np.all(read[:, 0, chosen[0]] == 0)


@pytest.mark.parametrize("site", ["neurons", "gate"])
def test_set_and_scale_match_hand_computation(site):
    model = tiny_model("qwen2")
    neurons = NeuronSet.from_indices({0: [1, 2], 2: [4]}, model.n_layers, model.n_neurons)
    values = (
        np.arange(model.n_layers * model.n_neurons, dtype=np.float32).reshape(model.n_layers, -1)
        / 10
    )
    base = collect(model, SENTENCES[:3], sites=[site], cache=False)[site]
    scaled = collect(
        model,
        SENTENCES[:3],
        sites=[site],
        cache=False,
        interventions=[Intervention(neurons, "scale", 3.0, site=site)],
    )[site]
    # one fp32 product
    np.testing.assert_allclose(scaled[:, 0, [1, 2]], 3 * base[:, 0, [1, 2]], rtol=EPS32, atol=0)
    np.testing.assert_array_equal(scaled[:, 0, 3:], base[:, 0, 3:])  # untouched neurons of layer 0
    set_ = collect(
        model,
        SENTENCES[:3],
        sites=[site],
        cache=False,
        interventions=[Intervention(neurons, "set", values, site=site)],
    )[site]
    np.testing.assert_array_equal(set_[:, 2, 4], values[2, 4])  # the fp32 value itself is written
    np.testing.assert_array_equal(set_[:, 0, [1, 2]], np.broadcast_to(values[0, [1, 2]], (3, 2)))


def test_gate_intervention_changes_the_neuron_product():
    model = tiny_model("llama")
    neurons = NeuronSet.from_indices({1: [3]}, model.n_layers, model.n_neurons)
    acts = collect(
        model,
        SENTENCES[:2],
        sites=["gate", "neurons"],
        cache=False,
        interventions=[Intervention(neurons, "zero", site="gate")],
    )
    assert np.all(acts["gate"][:, 1, 3] == 0) and np.all(acts["neurons"][:, 1, 3] == 0)


def test_interventions_compose_in_order():
    model = tiny_model("mistral")
    neurons = NeuronSet.from_indices({0: [2]}, model.n_layers, model.n_neurons)
    both = collect(
        model,
        SENTENCES[:2],
        sites=["neurons"],
        cache=False,
        interventions=[Intervention(neurons, "set", 2.0), Intervention(neurons, "scale", 1.5)],
    )
    np.testing.assert_array_equal(both["neurons"][:, 0, 2], 3.0)  # 2.0 x 1.5 is exact


def test_last_position_only_changes_the_last_token():
    model = tiny_model("llama")
    neurons = NeuronSet.from_indices({0: list(range(10))}, model.n_layers, model.n_neurons)
    ids = model.tokenizer([SENTENCES[4]], return_tensors="pt")
    with torch.no_grad():
        base = model.model(**ids, output_hidden_states=True).hidden_states[1]
        with intervene(model, [Intervention(neurons, positions="last")]):
            got = model.model(**ids, output_hidden_states=True).hidden_states[1]
    # row-wise operations: bit-identical
    torch.testing.assert_close(got[0, :-1], base[0, :-1], rtol=0, atol=0)
    assert not torch.allclose(got[0, -1], base[0, -1])


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_interventions_by_rows_equal_one_forward_per_condition(arch):
    """Three conditions in one batch, each on its own copy of the texts, give each copy what a
    forward of that condition alone gives: a neuron zeroing, a residual addition with a
    last-position gate change (right padding: "last" read from each row's own index), and
    nothing."""
    model = tiny_model(arch)
    texts = SENTENCES[:3]
    rng = np.random.default_rng(0)
    neurons = NeuronSet.from_indices(
        {0: [1, 4], 1: list(range(6))}, model.n_layers, model.n_neurons
    )
    conditions = [
        [Intervention(neurons)],
        [
            ResidualAddition(1, rng.normal(size=model.d_model).astype(np.float32) * 3),
            Intervention(neurons, "set", 2.0, site="gate", positions="last"),
        ],
        [],
    ]
    side = model.tokenizer.padding_side
    model.tokenizer.padding_side = "right"
    try:
        one = model.tokenizer(texts, return_tensors="pt", padding=True)
        all_three = model.tokenizer(texts * 3, return_tensors="pt", padding=True)
    finally:
        model.tokenizer.padding_side = side
    assert one["attention_mask"].sum(1).unique().numel() > 1  # the texts differ in length
    n = len(texts)
    groups = [(slice(k * n, (k + 1) * n), ivs) for k, ivs in enumerate(conditions)]
    with torch.no_grad():
        with intervene_by_rows(model, groups) as active:
            active.value = all_three["attention_mask"].sum(1) - 1
            together = model.model(**all_three).logits
        for k, ivs in enumerate(conditions):
            with intervene(model, ivs) as active:
                active.value = one["attention_mask"].sum(1) - 1
                alone = model.model(**one).logits
            real = one["attention_mask"].bool()
            # another batch size: fp32 rounding, relative to each logit vector's scale
            assert_close_to_scale(
                together[k * n : (k + 1) * n][real].numpy(), alone[real].numpy(), TINY_FP32
            )
    # and the conditions differ from each other where they should
    assert not torch.allclose(together[:n], together[2 * n :])
    assert not torch.allclose(together[n : 2 * n], together[2 * n :])
    for bad, message in (
        ([(slice(0, 3), []), (slice(2, 5), [])], "the groups' rows overlap"),
        ([(slice(None), []), (slice(3, 6), [])], "needs rows start:stop"),
    ):
        with pytest.raises(ValueError, match=message), intervene_by_rows(model, bad):
            pass


def test_model_is_unchanged_after_the_context():
    model = tiny_model("gemma3")
    neurons = NeuronSet.from_indices({0: [1], 1: [2, 3]}, model.n_layers, model.n_neurons)
    ids = model.tokenizer(SENTENCES[:1], return_tensors="pt")
    with torch.no_grad():
        before = model.model(**ids).logits
        with pytest.raises(RuntimeError, match="boom"), intervene(model, [Intervention(neurons)]):
            changed = model.model(**ids).logits
            raise RuntimeError("boom")
        after = model.model(**ids).logits
    assert not torch.allclose(changed, before)
    torch.testing.assert_close(after, before, rtol=0, atol=0)


def test_generation_with_an_empty_set_equals_plain_generation():
    model = tiny_model("llama")
    ids = model.tokenizer(SENTENCES[:1], return_tensors="pt")
    empty = NeuronSet.empty(model.n_layers, model.n_neurons)
    everything = empty.complement()
    plain = model.model.generate(**ids, max_new_tokens=6, do_sample=False, pad_token_id=0)
    with intervene(model, [Intervention(empty, "scale", 5.0)]):
        same = model.model.generate(**ids, max_new_tokens=6, do_sample=False, pad_token_id=0)
    with intervene(model, [Intervention(everything, "set", 3.0)]):
        steered = model.model.generate(**ids, max_new_tokens=6, do_sample=False, pad_token_id=0)
    assert torch.equal(plain, same) and not torch.equal(plain, steered)


def test_cache_key_includes_the_intervention():
    model = tiny_model("qwen2")
    neurons = NeuronSet.from_indices({0: [0]}, model.n_layers, model.n_neurons)
    base = collect(model, SENTENCES[:2])["residual"]
    zeroed = collect(model, SENTENCES[:2], interventions=[Intervention(neurons)])["residual"]
    assert not np.array_equal(base, zeroed)


def test_bad_interventions():
    neurons = NeuronSet.empty(2, 4)
    with pytest.raises(ValueError, match="allowed: zero, set, scale"):
        Intervention(neurons, "add")
    with pytest.raises(ValueError, match="allowed: all, last"):
        Intervention(neurons, positions="first")
    with pytest.raises(ValueError, match=r"\[layers, neurons\] = \(2, 4\)"):
        Intervention(neurons, "set", np.zeros((2, 5)))


def test_edge_layers():
    assert edge_layers(18) == [0, 1, 2, 15, 16, 17]
    assert edge_layers(3) == [0, 1, 2]  # a small model: each layer once
    assert edge_layers(5, k=1) == [0, 4]


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_residual_addition_shifts_the_layer_output_and_nothing_before_it(arch):
    model = tiny_model(arch)
    layer = 1
    vector = np.random.default_rng(0).normal(size=model.d_model).astype(np.float32)
    base = collect(model, SENTENCES, sites=["residual"], pooling="mean", cache=False)["residual"]
    shifted = collect(
        model,
        SENTENCES,
        sites=["residual"],
        pooling="mean",
        cache=False,
        interventions=[ResidualAddition(layer, vector, 2.0)],
    )["residual"]
    np.testing.assert_array_equal(shifted[:, :layer], base[:, :layer])  # same operations
    # the hook adds to the layer output (and the reader sees what the next layer gets): the
    # token mean moves by 2 * vector, up to the rounding of a few-term fp32 sum of values of the
    # states' own size (rule 1 of tests/tolerances.py)
    expected = np.tile(2 * vector, (len(SENTENCES), 1))
    assert_close_to_scale(shifted[:, layer] - base[:, layer], expected, TINY_FP32)
    assert not np.allclose(shifted[:, layer + 1 :], base[:, layer + 1 :])


def test_residual_addition_with_scale_zero_leaves_generation_unchanged():
    from neuron_utils.core import lm_scoring

    model = tiny_model("gemma3")
    prompts = SENTENCES[:3]
    vector = np.random.default_rng(1).normal(size=model.d_model).astype(np.float32) * 50
    plain = lm_scoring.generate(model, prompts, max_new_tokens=6)
    zero = lm_scoring.generate(model, prompts, [ResidualAddition(1, vector, 0.0)], max_new_tokens=6)
    steered = lm_scoring.generate(
        model, prompts, [ResidualAddition(1, vector, 1.0)], max_new_tokens=6
    )
    assert zero == plain and steered != plain


def test_bad_residual_additions():
    model = tiny_model("llama")
    with pytest.raises(ValueError, match=r"vector must be \[d_model\]"):
        ResidualAddition(0, np.zeros((2, model.d_model)))
    with pytest.raises(ValueError, match="finite"):
        ResidualAddition(0, np.full(model.d_model, np.nan))
    for bad, message in (
        (ResidualAddition(model.n_layers, np.zeros(model.d_model)), "the model has layers 0..2"),
        (ResidualAddition(0, np.zeros(model.d_model + 1)), "the model's residual stream 16"),
    ):
        with pytest.raises(ValueError, match=message), intervene(model, [bad]):
            pass
    assert ResidualAddition(0, np.ones(4), 1.0).key() != ResidualAddition(0, np.ones(4), 2.0).key()

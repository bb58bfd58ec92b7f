"""Anatomy registry and neuron sites against hand computations on tiny random models of every
registered architecture family (``tiny_any``: the core five and BLOOM, Gemma 2, Qwen 3,
Phi-3, OLMo 2)."""

import numpy as np
import pytest
import torch

from neuron_utils import anatomy_for, collect, wrap_model
from neuron_utils.core.anatomy import resolve

from ..helpers import SENTENCES, hand_mlp, make_tokenizer, tiny_config
from ..tolerances import EPS32, TINY_FP32, assert_close_to_scale

SITES = ["residual", "attn", "mlp", "neurons", "gate"]


def test_unknown_architecture_names_supported_ones():
    with pytest.raises(ValueError, match=r"supported: .*bloom.*gemma3.*llama.*core/anatomy\.py"):
        anatomy_for("mamba")


@pytest.mark.parametrize(
    "option",
    [
        {"apply_residual_connection_post_layernorm": True},
        {"pretraining_tp": 2, "slow_but_exact": True},
    ],
)
def test_bloom_options_that_bypass_the_sites_are_refused(option):
    from transformers import AutoModelForCausalLM

    tokenizer = make_tokenizer()
    config = tiny_config("bloom", len(tokenizer))
    for key, value in option.items():
        setattr(config, key, value)
    with pytest.raises(ValueError, match=next(iter(option))):
        wrap_model(AutoModelForCausalLM.from_config(config), tokenizer)


def test_shapes(tiny_any):
    # BLOOM's MLP is 4 x hidden wide; the other tiny configs set intermediate_size=24
    neurons = 4 * 16 if tiny_any.model.config.model_type == "bloom" else 24
    assert tiny_any.n_layers == 3 and tiny_any.d_model == 16 and tiny_any.n_neurons == neurons
    acts = collect(tiny_any, SENTENCES[:2], sites=SITES, cache=False)
    assert {k: v.shape for k, v in acts.items()} == {
        "residual": (2, 3, 16),
        "attn": (2, 3, 16),
        "mlp": (2, 3, 16),
        "neurons": (2, 3, neurons),
        "gate": (2, 3, neurons),
    }


def _captured(tiny, text):
    """Run the HF model on one text with plain torch hooks; per layer, ``[seq, dim]`` tensors:
    the layer's input and output, the MLP's input, and the outputs of the modules the anatomy
    names for the attn and mlp sites."""
    captured = {"layer_in": [], "residual": [], "mlp_in": [], "attn": [], "mlp": []}
    spec = tiny.anatomy.sites

    def first(value):
        return (value[0] if isinstance(value, tuple) else value)[0]

    hooks = []
    for layer in tiny.layers:
        hooks.append(
            layer.register_forward_pre_hook(
                lambda m, args, kwargs: captured["layer_in"].append(
                    first(args[0] if args else kwargs["hidden_states"])
                ),
                with_kwargs=True,
            )
        )
        hooks.append(
            layer.register_forward_hook(lambda m, i, o: captured["residual"].append(first(o)))
        )
        hooks.append(
            resolve(layer, "mlp").register_forward_hook(
                lambda m, i, o: captured["mlp_in"].append(i[0][0])
            )
        )
        for site in ("attn", "mlp"):
            hooks.append(
                resolve(layer, spec[site].path).register_forward_hook(
                    lambda m, i, o, site=site, index=spec[site].index: captured[site].append(
                        (o if index is None else o[index])[0]
                    )
                )
            )
    try:
        with torch.no_grad():
            tiny.model(**tiny.tokenizer([text], return_tensors="pt"))
    finally:
        for hook in hooks:
            hook.remove()
    return captured


def test_sites_equal_hand_computation(tiny_any):
    text = SENTENCES[4]
    model_type = tiny_any.model.config.model_type
    assert tiny_any.anatomy.gated == (model_type not in ("gpt2", "bloom"))
    acts = collect(tiny_any, [text], sites=SITES, cache=False)
    captured = _captured(tiny_any, text)
    for layer_index, layer in enumerate(tiny_any.layers):
        with torch.no_grad():
            gate, neurons = hand_mlp(
                model_type, resolve(layer, "mlp"), captured["mlp_in"][layer_index]
            )
        # the model's rows of the same products, from another run (rule 1)
        assert_close_to_scale(
            acts["gate"][0, layer_index], gate[-1].numpy(), TINY_FP32, what="gate"
        )
        assert_close_to_scale(
            acts["neurons"][0, layer_index], neurons[-1].numpy(), TINY_FP32, what="neurons"
        )
        for site in ("attn", "mlp", "residual"):
            assert_close_to_scale(
                acts[site][0, layer_index],
                captured[site][layer_index][-1].numpy(),
                TINY_FP32,
                what=site,
            )
        # What the attn and mlp sites hold is what the two sublayers add to the residual stream:
        # in the same run, output = (input + attn) + mlp up to the two fp32 additions' rounding,
        # each within U32 of its result (rule 2); EPS32 = 2 U32 times the terms' sum bounds both.
        terms = [captured[k][layer_index].double().numpy() for k in ("layer_in", "attn", "mlp")]
        error = np.abs(captured["residual"][layer_index].double().numpy() - sum(terms))
        bound = EPS32 * sum(np.abs(t) for t in terms)
        assert (error <= bound).all(), (
            f"layer {layer_index}: output - (input + attn + mlp) is up to {error.max():.3g}, "
            f"more than two fp32 roundings ({bound.max():.3g})"
        )


def test_residual_matches_hidden_states(tiny_any):
    text = SENTENCES[0]
    acts = collect(tiny_any, [text], sites=["residual"], cache=False)
    with torch.no_grad():
        hidden = tiny_any.model(
            **tiny_any.tokenizer([text], return_tensors="pt"), output_hidden_states=True
        ).hidden_states
    # hidden_states[l + 1] is the output of layer l, except the last one (after the final norm).
    for layer in range(tiny_any.n_layers - 1):
        assert_close_to_scale(
            acts["residual"][0, layer], hidden[layer + 1][0, -1].numpy(), TINY_FP32
        )

"""Anatomy registry and neuron sites against hand computations on tiny random models."""

import pytest
import torch

from neuron_utils import anatomy_for, collect
from neuron_utils.core.anatomy import resolve

from ..helpers import SENTENCES
from ..tolerances import TINY_FP32, assert_close_to_scale


def test_unknown_architecture_names_supported_ones():
    with pytest.raises(ValueError, match="supported: .*gemma3.*llama"):
        anatomy_for("mamba")


def test_shapes(tiny):
    assert tiny.n_layers == 3 and tiny.d_model == 16 and tiny.n_neurons == 24
    acts = collect(
        tiny, SENTENCES[:2], sites=["residual", "attn", "mlp", "neurons", "gate"], cache=False
    )
    assert {k: v.shape for k, v in acts.items()} == {
        "residual": (2, 3, 16),
        "attn": (2, 3, 16),
        "mlp": (2, 3, 16),
        "neurons": (2, 3, 24),
        "gate": (2, 3, 24),
    }


def _captured_inputs(tiny, text):
    """Run the HF model on one text with hooks; return per-layer MLP input and sublayer outputs."""
    captured = {"mlp_in": [], "attn": [], "mlp": [], "residual": []}
    hooks = []
    spec = tiny.anatomy.sites
    for layer in tiny.layers:
        mlp = resolve(layer, "mlp")
        hooks.append(
            mlp.register_forward_hook(lambda m, i, o: captured["mlp_in"].append(i[0][0, -1]))
        )
        for site in ("attn", "mlp"):
            module = resolve(layer, spec[site].path)
            index = spec[site].index
            hooks.append(
                module.register_forward_hook(
                    lambda m, i, o, site=site, index=index: captured[site].append(
                        (o if index is None else o[index])[0, -1]
                    )
                )
            )
        hooks.append(
            layer.register_forward_hook(
                lambda m, i, o: captured["residual"].append(
                    (o[0] if isinstance(o, tuple) else o)[0, -1]
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


def test_sites_equal_hand_computation(tiny):
    text = SENTENCES[4]
    acts = collect(tiny, [text], sites=["residual", "attn", "mlp", "neurons", "gate"], cache=False)
    captured = _captured_inputs(tiny, text)
    for layer_index, layer in enumerate(tiny.layers):
        x = captured["mlp_in"][layer_index]
        mlp = resolve(layer, "mlp")
        if tiny.anatomy.gated:
            gate = mlp.act_fn(mlp.gate_proj(x))
            neurons = gate * mlp.up_proj(x)
        else:
            gate = neurons = mlp.act(mlp.c_fc(x))
        # the hand computation multiplies one row where the model multiplies the whole sequence
        assert_close_to_scale(acts["gate"][0, layer_index], gate.numpy(), TINY_FP32, what="gate")
        assert_close_to_scale(
            acts["neurons"][0, layer_index], neurons.numpy(), TINY_FP32, what="neurons"
        )
        for site in ("attn", "mlp", "residual"):
            assert_close_to_scale(
                acts[site][0, layer_index],
                captured[site][layer_index].numpy(),
                TINY_FP32,
                what=site,
            )


def test_residual_matches_hidden_states(tiny):
    text = SENTENCES[0]
    acts = collect(tiny, [text], sites=["residual"], cache=False)
    with torch.no_grad():
        hidden = tiny.model(
            **tiny.tokenizer([text], return_tensors="pt"), output_hidden_states=True
        ).hidden_states
    # hidden_states[l + 1] is the output of layer l, except the last one (after the final norm).
    for layer in range(tiny.n_layers - 1):
        assert_close_to_scale(
            acts["residual"][0, layer], hidden[layer + 1][0, -1].numpy(), TINY_FP32
        )

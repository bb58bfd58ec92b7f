"""The real default model (Gemma-3-270M from PyPI) on a handful of sentences."""

import numpy as np
import pytest
import torch

from neuron_utils import collect

from ..tolerances import GEMMA_BF16_BATCHING, GEMMA_FP32, assert_close_to_scale

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


def test_batches_equal_one_sentence_at_a_time(gemma):
    sites = ["residual", "neurons"]
    one = collect(gemma, TEXTS, sites=sites, batch_size=1, cache=False)
    batched = collect(gemma, TEXTS, sites=sites, batch_size=4, cache=False)
    for site in sites:
        # compared relative to each vector's scale (tests/tolerances.py, rule 1)
        assert_close_to_scale(batched[site], one[site], GEMMA_FP32, what=site)


@pytest.fixture(scope="module")
def gemma_bf16():
    from neuron_utils import load_model

    return load_model(dtype="bfloat16")


def test_bf16_results_do_not_depend_on_the_batch_size(gemma_bf16):
    """Many sentences of each token length, so that batch sizes 1, 5 and 32 group them
    differently; in bf16, where a padded batch once moved values by 4 % of their scale."""
    from neuron_utils.core.batches import tokenize
    from neuron_utils.core.lm_scoring import mean_logprobs
    from neuron_utils.data.parallel import bundled_texts

    # 45 sentences: up to 10 share a token length (15 per language; 30 doubled the time, and
    # on a CPU without native bf16 this is the suite's slowest model test)
    texts = [text for lang in ("en", "fr", "ja") for text in bundled_texts(lang)[:15]]
    lengths = [len(ids) for ids in tokenize(gemma_bf16, texts)]
    assert max(np.bincount(lengths)) >= 6, "too few sentences share a length to test batching"
    sites = ["residual", "neurons"]
    runs = {
        size: collect(gemma_bf16, texts, sites=sites, pooling="mean", batch_size=size, cache=False)
        for size in (1, 5, 32)
    }
    for size in (5, 32):
        for site in sites:
            assert_close_to_scale(
                runs[size][site], runs[1][site], GEMMA_BF16_BATCHING, what=f"{site}, batch {size}"
            )
    # sentence scores too: the LM head gathers positions of several batches into one tile
    scores = {
        size: mean_logprobs(gemma_bf16, texts[:24], {"": []}, batch_size=size, cache=False)[""]
        for size in (1, 16)
    }
    np.testing.assert_allclose(scores[16], scores[1], rtol=GEMMA_BF16_BATCHING, atol=0)


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


def test_cached_model_is_bit_identical_to_the_gguf_load(gemma, gguf_load):
    gguf, _ = gguf_load
    cached = gemma.model.state_dict()
    for name, tensor in gguf.state_dict().items():
        assert torch.equal(tensor, cached[name]), name

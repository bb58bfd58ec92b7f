"""Continuation scoring, per-text interventions and prompt attribution on tiny random models."""

import numpy as np
import pytest
import torch

from neuron_utils.core import lm_scoring as scoring
from neuron_utils.core.activations import collect
from neuron_utils.core.anatomy import resolve
from neuron_utils.core.attribution import prompt_attribution
from neuron_utils.core.interventions import Intervention, PerTextIntervention
from neuron_utils.core.neurons import NeuronSet

from ..helpers import tiny_model
from ..tolerances import TINY_FP32

PROMPTS = ["the cat sat on", "le petit chat", "a big red dog ran", "the house"]
CHOICES = [" a mat", " dort vite", " quickly", " sleeps on the big mat"]


def _hand_logprob(model, prompt: str, continuation: str) -> float:
    """Summed log-prob of the continuation's tokens from one plain transformers forward."""
    head = model.tokenizer(prompt)["input_ids"]
    tail = model.tokenizer(continuation, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([head + tail])
    with torch.no_grad():
        logits = model.model(input_ids=ids).logits[0].double()
    logprobs = torch.log_softmax(logits, -1)
    return sum(logprobs[len(head) - 1 + k, tok].item() for k, tok in enumerate(tail))


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_continuation_logprobs_equal_a_plain_forward(arch):
    model = tiny_model(arch)
    out = scoring.continuation_logprobs(model, PROMPTS, CHOICES, {"none": []}, batch_size=3)
    total, counts = out["none"]
    for k, (prompt, choice) in enumerate(zip(PROMPTS, CHOICES)):
        assert counts[k] == len(model.tokenizer(choice, add_special_tokens=False)["input_ids"])
        # fp32 logits in another batch shape; summed log-probs (~ -3.5 per token) are far from 0
        assert total[k] == pytest.approx(_hand_logprob(model, prompt, choice), rel=TINY_FP32)
    # cached: read back, not recomputed (equal to the last bit)
    again = scoring.continuation_logprobs(model, PROMPTS, CHOICES, {"none": []})["none"][0]
    np.testing.assert_array_equal(again, total)
    with pytest.raises(ValueError, match="continuation 1 is empty"):
        scoring.continuation_logprobs(model, PROMPTS[:2], [" a", ""], {"none": []})
    with pytest.raises(ValueError, match="2 prompts but 1 continuations"):
        scoring.continuation_logprobs(model, PROMPTS[:2], [" a"], {"none": []})


def _random_masks(model, n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, model.n_layers, model.n_neurons)) < 0.3


@pytest.mark.parametrize("op", ["zero", "scale"])
def test_per_text_masks_in_one_batch_equal_one_text_at_a_time(op):
    model = tiny_model("llama")
    masks = _random_masks(model, 2)
    index = (0, 1, 0, 1)  # prompts 0 and 2 share mask 0
    per_text = PerTextIntervention(tuple(PROMPTS), masks, op, 2.5, index=index)
    together = scoring.continuation_logprobs(
        model, PROMPTS, CHOICES, {"all": [per_text]}, batch_size=4, cache=False
    )["all"][0]
    alone = np.array(
        [
            scoring.continuation_logprobs(
                model,
                [prompt],
                [choice],
                {"one": [Intervention(NeuronSet(masks[index[k]]), op, 2.5)]},
                cache=False,
            )["one"][0][0]
            for k, (prompt, choice) in enumerate(zip(PROMPTS, CHOICES))
        ]
    )
    np.testing.assert_allclose(together, alone, rtol=TINY_FP32, atol=0)
    none = scoring.continuation_logprobs(model, PROMPTS, CHOICES, {"n": []}, cache=False)["n"][0]
    assert np.abs(together - none).max() > 1e-3  # the masks do change the scores
    np.testing.assert_array_equal(per_text.per_text(), masks.sum((1, 2))[list(index)])


def test_per_text_masks_in_extraction_follow_the_text_not_the_row():
    model = tiny_model("gemma3")
    masks = _random_masks(model, 4, seed=1)
    per_text = PerTextIntervention(tuple(PROMPTS), masks, "zero", site="gate")
    got = collect(model, PROMPTS[::-1], ["neurons"], cache=False, interventions=[per_text])
    for k, prompt in enumerate(PROMPTS[::-1]):
        mask = masks[PROMPTS.index(prompt)]
        one = collect(
            model,
            [prompt],
            ["neurons"],
            cache=False,
            interventions=[Intervention(NeuronSet(mask), "zero", site="gate")],
        )
        scale = np.abs(one["neurons"]).max()
        np.testing.assert_allclose(got["neurons"][k], one["neurons"][0], atol=TINY_FP32 * scale)
        assert np.all(got["neurons"][k][mask] == 0)


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_scaling_by_one_changes_nothing(arch):
    model = tiny_model(arch)
    masks = _random_masks(model, len(PROMPTS))
    conditions = {
        "none": [],
        "per text x1": [PerTextIntervention(tuple(PROMPTS), masks, "scale", 1.0)],
        "set x1": [Intervention(NeuronSet(masks[0]), "scale", 1.0)],
    }
    out = scoring.continuation_logprobs(model, PROMPTS, CHOICES, conditions, cache=False)
    np.testing.assert_array_equal(out["per text x1"][0], out["none"][0])
    np.testing.assert_array_equal(out["set x1"][0], out["none"][0])


def test_per_text_intervention_checks_its_input():
    model = tiny_model("llama")
    masks = _random_masks(model, 2)
    with pytest.raises(ValueError, match="one mask index"):
        PerTextIntervention(("a", "b", "c"), masks)
    with pytest.raises(ValueError, match="listed twice"):
        PerTextIntervention(("a", "a"), masks)
    with pytest.raises(ValueError, match="unknown op 'set'"):
        PerTextIntervention(("a", "b"), masks, "set")
    with pytest.raises(ValueError, match="masks must be"):
        PerTextIntervention(("a",), masks[0])
    a = PerTextIntervention(("a", "b"), masks)
    assert a.key() == PerTextIntervention(("a", "b"), masks.copy()).key()
    assert a.key() != PerTextIntervention(("a", "b"), masks, index=(1, 0)).key()
    # a scorer that does not name its rows cannot apply it
    with pytest.raises(ValueError, match="needs the text of every batch row"):
        a.apply_rows(torch.zeros(2, 3, model.n_neurons), 0, None)


@pytest.mark.parametrize("arch", ["gemma3", "gpt2"])
def test_prompt_attribution_gradient_equals_autograd_on_a_perturbation(arch):
    """The gradient at the prompt's last token equals d log p(answer) / d delta for a zero
    perturbation delta added to that layer's neuron values at that position."""
    model = tiny_model(arch)
    first = next(model.model.parameters())
    first.requires_grad_(True)  # whatever the flags were, they are restored afterwards
    before = [p.requires_grad for p in model.model.parameters()]
    acts, grads = prompt_attribution(model, PROMPTS[:3], CHOICES[:3], batch_size=2)
    assert [p.requires_grad for p in model.model.parameters()] == before
    layer = 1
    for k in range(3):
        head = model.tokenizer(PROMPTS[k])["input_ids"]
        tail = model.tokenizer(CHOICES[k], add_special_tokens=False)["input_ids"]
        ids = torch.tensor([head + tail])
        delta = torch.zeros(model.n_neurons, requires_grad=True)
        seen = {}

        def add(module, args):
            x = args[0].clone()
            x[0, len(head) - 1] = x[0, len(head) - 1] + delta
            seen["a"] = args[0][0, len(head) - 1].detach()
            return (x, *args[1:])

        down = resolve(model.layers[layer], model.anatomy.down_proj)
        hook = down.register_forward_pre_hook(add)
        try:
            logits = model.model(input_ids=ids).logits[0]
        finally:
            hook.remove()
        logprobs = torch.log_softmax(logits.float(), -1)
        total = sum(logprobs[len(head) - 1 + j, t] for j, t in enumerate(tail))
        (expected,) = torch.autograd.grad(total, delta)
        scale = np.abs(expected.numpy()).max()
        np.testing.assert_allclose(grads[k, layer], expected.numpy(), atol=10 * TINY_FP32 * scale)
        np.testing.assert_allclose(acts[k, layer], seen["a"].numpy(), rtol=TINY_FP32, atol=1e-7)

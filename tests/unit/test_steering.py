"""Steering steps (methods.steering) against hand computations: mean activations and the
interventions built from them, DiffMean vectors and judged texts on a tiny model, prompts, and
the scale chosen on one half of the prompts."""

import numpy as np
import pandas as pd
import pytest
import torch

from neuron_utils.core.neurons import NeuronSet
from neuron_utils.methods import steering

from ..helpers import tiny_model
from ..tolerances import TINY_FP32, assert_close_to_scale


def test_mean_activation_and_the_interventions_built_from_it():
    statistics = {"sum": np.array([[2.0, 4.0, 1.0], [6.0, 8.0, 0.0]]), "tokens": np.array(4)}
    mean = steering.mean_activation(statistics)
    np.testing.assert_array_equal(mean, [[0.5, 1.0, 0.25], [1.5, 2.0, 0.0]])  # exact: /4
    target = NeuronSet(np.array([[True, False, False], [False, True, False]]))
    source = NeuronSet(np.array([[False, False, True], [False, True, False]]))
    activate = steering.activate(target, mean, 3.0, "gate")
    assert (activate.op, activate.site, activate.neurons) == ("set", "gate", target)
    assert activate.value.dtype == np.float32  # 3 x (small binary fractions): exact
    np.testing.assert_array_equal(activate.value, [[1.5, 3.0, 0.75], [4.5, 6.0, 0.0]])
    zero, then = steering.swap(source, target, mean, 3.0, "gate")
    # the source's neurons zeroed first, so that a neuron of both (layer 1, neuron 1) ends set
    assert (zero.op, zero.neurons, zero.site) == ("zero", source, "gate")
    assert then.op == "set" and then.neurons == target
    np.testing.assert_array_equal(then.value, activate.value)


def _hand_token_mean(model, text: str, layer: int) -> np.ndarray:
    """The residual stream after decoder layer ``layer`` (not the last: no final norm) of one
    plain transformers forward, averaged over the tokens after BOS."""
    ids = torch.tensor([model.tokenizer(text)["input_ids"]])
    with torch.no_grad():
        hidden = model.model(input_ids=ids, output_hidden_states=True).hidden_states
    return hidden[layer + 1][0, 1:].double().mean(0).numpy()


def test_diffmean_directions_are_differences_of_hand_means():
    model = tiny_model("gemma3")
    sentences = {
        "en": ["the cat sat on a mat", "a big red dog ran quickly", "the house"],
        "fr": ["le petit chat dort", "la maison", "le grand arbre rouge"],
    }
    got = steering.diffmean_directions(model, sentences, "en", ["fr"], layer=1, batch_size=2)
    assert set(got) == {"fr"} and got["fr"].shape == (model.d_model,)
    means = {
        lang: np.mean([_hand_token_mean(model, t, 1) for t in texts], axis=0)
        for lang, texts in sentences.items()
    }
    # fp32 forwards in other batch shapes: the rule for activation vectors (tolerances.py)
    assert_close_to_scale(got["fr"], means["fr"] - means["en"], TINY_FP32)


def test_prompts_are_the_first_halves_of_seeded_sentences():
    texts = ["a b c d", "e f g h i j", "漢字かな交じり文", "x y"]
    prompts = steering.half_sentence_prompts(texts, 4, seed=0)
    # half of the words (at least two), or of the characters of text without spaces
    assert sorted(prompts) == sorted(["a b", "e f g", "漢字かな", "x y"])
    assert steering.half_sentence_prompts(texts, 4, seed=0) == prompts  # seeded
    assert len(steering.half_sentence_prompts(texts, 2, seed=0)) == 2
    assert len(steering.half_sentence_prompts(texts, 9, seed=0)) == 4  # as many as there are


def _hand_perplexity(model, text: str) -> float:
    """exp of the mean NLL of the tokens after BOS, from one plain float64 log-softmax."""
    ids = model.tokenizer(text)["input_ids"]
    with torch.no_grad():
        logits = model.model(input_ids=torch.tensor([ids])).logits[0].double()
    logprobs = torch.log_softmax(logits, -1)
    nll = -sum(logprobs[k, token].item() for k, token in enumerate(ids[1:]))
    return float(np.exp(nll / (len(ids) - 1)))


def test_judged_texts_by_hand():
    model = tiny_model("gemma3")
    texts = [
        "the cat sat on a mat",  # English, fluent
        "le chat le chat le chat le chat",  # French: 2 distinct 3-grams of 6, a loop
        "",  # nothing generated: no language, no perplexity
    ]
    english = _hand_perplexity(model, texts[0])
    held_out = {"en": english / 2, "fr": 1.0}  # the English text at twice its language's
    judged = steering.judge_texts(
        model, texts, ["en", "en", "en"], ["en", "fr"], held_out, 3.0, 0.2
    )
    assert list(judged["identified"]) == ["en", "fr", ""]
    assert judged.loc[0, "perplexity"] == pytest.approx(english, rel=1e-5)  # fp32 logits
    assert judged.loc[0, "perplexity ratio"] == pytest.approx(2.0, rel=1e-5)
    assert judged.loc[1, "perplexity"] == pytest.approx(_hand_perplexity(model, texts[1]), rel=1e-5)
    assert list(judged["repetition"]) == pytest.approx([0.0, 1 - 2 / 6, 0.0], abs=1e-15)
    assert np.isnan(judged.loc[2, "perplexity"]) and np.isnan(judged.loc[2, "perplexity ratio"])
    assert list(judged["in target"]) == [True, False, False]
    assert list(judged["fluent"]) == [True, False, False]  # ratio 2 <= 3; a loop; empty
    assert list(judged["success"]) == [True, False, False]
    # a stricter judge: twice the held-out perplexity is no longer fluent
    stricter = steering.judge_texts(model, texts[:1], ["en"], ["en", "fr"], held_out, 1.5, 0.2)
    assert not stricter.loc[0, "fluent"] and not stricter.loc[0, "success"]


def _judged(success) -> pd.DataFrame:
    """One method's continuations of 6 prompts x 2 targets x scales 1 and 4:
    ``success(scale, prompt, target)`` -> bool (in the target language whatever the scale)."""
    rows = [
        {"scale": scale, "prompt": k, "target": t, "success": success(scale, k, t),
         "in target": True, "fluent": success(scale, k, t)}
        for scale in (1.0, 4.0) for k in range(6) for t in ("fr", "ja")
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_best_scale_and_prompt_halves_by_hand():
    # x4 succeeds on prompts 0-2 (both targets), x1 on prompts 3-5 and on prompt 0 for fr
    judged = _judged(
        lambda scale, k, t: (k < 3) if scale == 4.0 else (k >= 3 or (k, t) == (0, "fr"))
    )
    assert steering.best_scale(judged, np.array([0, 1, 2])) == 4.0  # 6/6 against 1/6
    assert steering.best_scale(judged, np.array([3, 4, 5])) == 1.0
    assert steering.best_scale(judged, np.arange(6)) == 1.0  # 7/12 against 6/12
    assert steering.best_scale(judged, np.array([0, 3])) == 1.0  # 3/4 against 2/4
    assert steering.best_scale(judged, np.array([1, 4])) == 1.0  # 2/4 each: the smaller
    even, odd = steering.prompt_halves(np.array([5, 2, 0, 3, 1, 4]))
    assert even.tolist() == [0, 2, 4] and odd.tolist() == [1, 3, 5]


def test_the_scale_is_scored_on_the_half_that_did_not_choose_it():
    # x4 succeeds on the even prompts, x1 on the odd ones: each half chooses the scale that
    # fails on the other half, so every held-out share of success is 0
    choice = steering.held_out_choice(_judged(lambda scale, k, t: (scale == 4.0) == (k % 2 == 0)))
    assert choice.half_scales == (4.0, 1.0)
    assert choice.best_scale == 1.0  # in-sample a tie (6/12 each): the smaller scale
    assert choice.shares.index.tolist() == list(range(6))
    assert choice.shares["success"].tolist() == [0.0] * 6
    assert choice.shares["in target"].tolist() == [1.0] * 6
    # x4 succeeds for fr on every prompt and for ja on prompts 0 and 1, x1 never: both halves
    # choose x4, and each prompt's held-out share is the mean over its two targets
    choice = steering.held_out_choice(
        _judged(lambda scale, k, t: scale == 4.0 and (t == "fr" or k < 2))
    )
    assert choice.half_scales == (4.0, 4.0) and choice.best_scale == 4.0
    assert choice.shares["success"].tolist() == [1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    assert list(choice.shares.columns) == list(steering.SHARES)


def test_the_winner_needs_a_paired_interval_above_every_other_method():
    always, never = np.ones(8), np.zeros(8)
    half = np.array([1.0, 0.0] * 4)
    # a constant difference of 1 per prompt: every resample's mean is 1, the interval [1, 1]
    assert steering.winner({"a": never, "b": always, "c": half}, n_boot=200) == "b"
    # b beats a, but not c, which differs from it on 4 prompts of 8 in both directions
    other = np.array([0.0, 1.0] * 4)
    assert steering.winner({"a": never, "b": half, "c": other}, n_boot=200) is None
    # equal means: the first in order leads, and a difference of 0 is not above 0
    assert steering.winner({"a": half, "b": half}, n_boot=200) is None

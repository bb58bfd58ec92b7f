"""Language-model scoring with the LM head: token log-likelihoods, perplexity, greedy generation.

The head of Gemma-3 has 262,144 outputs: ``[batch, seq, vocab]`` logits would take gigabytes.
The final hidden states of the real (non-pad) positions are gathered first and pushed
through the head in chunks, computing ``logsumexp - target logit`` per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from .batches import batches
from .cache import cache_file, cached_array
from .interventions import Intervention, intervene
from .models import LoadedModel


def token_nll(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[Intervention] = (),
    batch_size: int = 16,
    chunk: int = 128,
) -> tuple[np.ndarray, np.ndarray]:
    """Summed negative log-likelihood (nats) and number of predicted tokens per text: ``[n], [n]``.

    Every token after the first (BOS) is predicted from its prefix. ``chunk`` positions go
    through the head at a time (128 x 262,144 fp32 logits: 128 MiB).
    """
    body = model.model.base_model  # decoder stack with its final norm
    head = model.model.get_output_embeddings()
    cap = getattr(model.model.config, "final_logit_softcapping", None)
    nll = np.zeros(len(texts))
    counts = np.zeros(len(texts), dtype=np.int64)
    with torch.inference_mode(), intervene(model, interventions) as active:
        for batch in batches(model, texts, batch_size, desc="scoring", progress=False):
            active.value = batch.last
            hidden = body(**batch.inputs).last_hidden_state[:, :-1]  # [B, T-1, D]
            valid = batch.mask[:, 1:].bool()
            targets = batch.inputs["input_ids"][:, 1:][valid]
            rows = torch.arange(len(batch.rows))[:, None].expand_as(valid)[valid]
            states = hidden[valid]  # [M, D]
            losses = torch.empty(len(targets), dtype=torch.float64)
            for start in range(0, len(targets), chunk):
                logits = head(states[start : start + chunk]).float()
                if cap:
                    logits = torch.tanh(logits / cap) * cap
                target = targets[start : start + chunk]
                picked = logits.gather(1, target[:, None]).squeeze(1)
                losses[start : start + chunk] = (torch.logsumexp(logits, 1) - picked).double()
            nll[batch.rows] += (
                torch.zeros(len(batch.rows), dtype=torch.float64)
                .index_add_(0, rows, losses)
                .numpy()
            )
            counts[batch.rows] += valid.sum(1).numpy()
    return nll, counts


def perplexity(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[Intervention] = (),
    batch_size: int = 16,
) -> float:
    """``exp(mean token NLL)`` over all predicted tokens of ``texts``."""
    nll, counts = token_nll(model, texts, interventions, batch_size)
    return float(np.exp(nll.sum() / counts.sum()))


def generate(
    model: LoadedModel,
    prompts: Sequence[str],
    interventions: Sequence[Intervention] = (),
    max_new_tokens: int = 24,
) -> list[str]:
    """Greedy continuations of ``prompts`` (new text only), with ``interventions`` at every step."""
    tokenizer = model.tokenizer
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"  # generation appends on the right
    try:
        enc = tokenizer(list(prompts), return_tensors="pt", padding=True)
    finally:
        tokenizer.padding_side = side
    with torch.inference_mode(), intervene(model, interventions):
        out = model.model.generate(
            **enc,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
        )
    return tokenizer.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)


def mean_logprob(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[Intervention] = (),
    batch_size: int = 16,
) -> np.ndarray:
    """Mean log-probability per predicted token of each text (nats): ``[n]``."""
    nll, counts = token_nll(model, texts, interventions, batch_size)
    return -nll / np.maximum(counts, 1)


def pair_preferences(
    model: LoadedModel,
    good: Sequence[str],
    bad: Sequence[str],
    interventions: Sequence[Intervention] = (),
    batch_size: int = 16,
    cache: bool = True,
) -> np.ndarray:
    """Mean token log-prob of each good sentence minus its bad twin's: ``[n]``; > 0 means the
    model prefers the grammatical sentence (the seeds' minimal-pair accuracy counts those).

    Cached on disk by model, sentences and interventions (the LM head makes this the slow part).
    """
    if len(good) != len(bad):
        raise ValueError(f"{len(good)} good sentences but {len(bad)} bad ones")
    key = ["pair-preferences", 1, list(good), list(bad), [iv.key() for iv in interventions]]
    path = cache_file("scores", key, model.fingerprint, label="preferences")

    def compute() -> np.ndarray:
        scores = mean_logprob(model, list(good) + list(bad), interventions, batch_size)
        return scores[: len(good)] - scores[len(good) :]

    return cached_array(path, compute, enabled=cache)

"""Language-model scoring with the LM head: token log-likelihoods, perplexity, greedy generation.

The head of Gemma-3 has 262,144 outputs: ``[batch, seq, vocab]`` logits would take gigabytes.
The final hidden states of the real (non-pad) positions are gathered first and pushed through
the head in tiles of ``TOKEN_TILE`` positions x ``VOCAB_TILE`` vocabulary rows, with a running
(online) logsumexp: a tile's float32 logits (8 MiB) stay in the CPU cache, which makes the head
1.35-1.7x faster than whole-vocabulary chunks (``make bench``, 2 cores, bf16) for the same numbers.

A prediction that several sequences share (the same tokens up to and including the predicted
one: the words a minimal pair has in common before it differs, a first word many sentences
start with) goes through the head once per scoring run, not once per sequence.

Sentence scores are cached per sentence and intervention (:func:`mean_logprobs`): any subset
of sentences scored before, by any chapter, is read back instead of recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from .batches import Batch, batches, batches_of_ids, plan_batches
from .cache import ArraySpec, cache_file, cached_arrays, read_cached
from .interventions import AnyIntervention, PerTextIntervention, intervene, intervene_by_rows
from .models import LoadedModel
from .storage import save_arrays

TOKEN_TILE = 256  # positions per head tile
VOCAB_TILE = 8192  # vocabulary rows per head tile: 256 x 8192 float32 logits = 8 MiB


def target_nll(
    states: torch.Tensor,
    targets: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    softcap: float | None = None,
    token_tile: int = TOKEN_TILE,
    vocab_tile: int = VOCAB_TILE,
) -> torch.Tensor:
    """``logsumexp(logits) - logits[target]`` per position, float64 ``[M]``.

    ``states [M, D]`` (final-norm outputs), ``targets [M]``, ``weight [V, D]`` (and ``bias [V]``)
    of the LM head. Logits are computed in the head's dtype, one tile at a time, as the head
    module would; the logsumexp runs in float32 (float64 for a float64 head) and never holds
    more than one tile.
    """
    exact = torch.promote_types(weight.dtype, torch.float32)  # bf16 -> fp32, fp64 stays
    device = weight.device  # the head's (a model spread over GPUs: maybe not the states')
    out = torch.empty(len(targets), dtype=torch.float64)
    buffers: dict[tuple, torch.Tensor] = {}

    def buffer(shape: tuple[int, int], dtype: torch.dtype) -> torch.Tensor:
        # one tile's logits, reused: a fresh 8 MiB tensor per tile is memory the allocator
        # maps and the kernel zeroes again each time (a sixth of the head's time in float32)
        key = (shape, dtype)
        if key not in buffers:
            buffers[key] = torch.empty(shape, dtype=dtype, device=device)
        return buffers[key]

    for start in range(0, len(targets), token_tile):
        x = states[start : start + token_tile].to(device, weight.dtype)
        target = targets[start : start + token_tile].to(device)
        running_max = torch.full((len(x),), -torch.inf, dtype=exact, device=device)
        running_sum = torch.zeros(len(x), dtype=exact, device=device)
        picked = torch.empty(len(x), dtype=exact, device=device)
        for low in range(0, weight.shape[0], vocab_tile):
            rows = weight[low : low + vocab_tile]
            logits = torch.matmul(x, rows.T, out=buffer((len(x), len(rows)), weight.dtype))
            if bias is not None:
                logits = logits + bias[low : low + vocab_tile]
            if logits.dtype != exact:
                logits = buffer(logits.shape, exact).copy_(logits)
            if softcap:
                logits = torch.tanh(logits / softcap) * softcap
            inside = (target >= low) & (target < low + logits.shape[1])
            picked[inside] = logits[inside, target[inside] - low]
            new_max = torch.maximum(running_max, logits.amax(1))
            # in place: the same arithmetic as exp(logits - max) without two more tiles
            running_sum = running_sum * torch.exp(running_max - new_max) + (
                logits.sub_(new_max[:, None]).exp_().sum(1)
            )
            running_max = new_max
        out[start : start + len(x)] = (running_max + running_sum.log() - picked).double().cpu()
    return out


def token_nll(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 16,
    chunk: int = TOKEN_TILE,
    plan: Sequence[Batch] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Summed negative log-likelihood (nats) and number of predicted tokens per text: ``[n], [n]``.

    Every token after the first (BOS) is predicted from its prefix. ``chunk`` positions go
    through the head at a time. ``plan``: batches of ``texts`` already tokenised and sorted
    (:func:`~neuron_utils.core.batches.plan_batches`), to share one batching between runs.
    """
    if plan is None:
        plan = batches(model, texts, batch_size, desc="scoring", progress=False)
    # every token after the first is predicted: scoring starts at position 1 of every text
    return _scored_nll(
        model, plan, list(texts), np.ones(len(texts), np.int64), interventions, chunk
    )


def _scored_nll(
    model: LoadedModel,
    plan: Iterable[Batch],
    row_texts: Sequence[str],
    starts: np.ndarray,
    interventions: Sequence[AnyIntervention],
    chunk: int = TOKEN_TILE,
) -> tuple[np.ndarray, np.ndarray]:
    """Summed NLL of the tokens from ``starts[k]`` to the end of sequence ``k``, and their number:
    ``[n], [n]``. ``plan`` batches the sequences (rows index ``row_texts`` and ``starts``);
    ``row_texts`` name each sequence for per-text interventions. Only the scored positions go
    through the LM head, gathered over batches until they fill a tile of ``chunk`` positions:
    batches of one length are small, and each head call streams the whole vocabulary matrix
    (the head is row by row, so what else is in a tile does not change a row's loss).

    A causal model predicts a token from its prefix alone, so two sequences that agree up to and
    including the predicted token have the same loss there: each such prefix goes through the
    head once (the good and bad sentence of a minimal pair share their words up to where they
    differ, and many sentences their first words: 30-50 % of the head's rows on the minimal
    pairs of chapters 4 and 6). Where a per-text intervention changes different neurons in
    different texts, the prefix counts only within texts that share their intervention.
    """
    body = model.model.base_model  # decoder stack with its final norm
    head = model.model.get_output_embeddings()
    cap = getattr(model.model.config, "final_logit_softcapping", None)
    per_text = [iv for iv in interventions if isinstance(iv, PerTextIntervention)]
    counts = np.zeros(len(row_texts), dtype=np.int64)
    slot_of: dict[tuple, int] = {}  # (per-text identity, tokens up to the predicted one) -> slot
    losses: list[torch.Tensor] = []  # float64 loss of each slot, computed a tile at a time
    position_rows: list[int] = []  # every scored position: its sequence ...
    position_slots: list[int] = []  # ... and its prefix's slot
    pending: list[tuple[torch.Tensor, torch.Tensor]] = []  # states, targets of new slots

    def flush() -> None:
        states, targets = (torch.cat(part) for part in zip(*pending, strict=True))
        losses.append(target_nll(states, targets, head.weight, head.bias, cap, chunk))
        pending.clear()

    with torch.inference_mode(), intervene(model, interventions) as active:
        for batch in plan:
            active.value = batch.last
            active.texts = [row_texts[i] for i in batch.rows]
            # no key/value cache: nothing is generated after this pass
            inputs = model.on_input_device(batch.inputs)
            hidden = body(**inputs, use_cache=False).last_hidden_state  # [B, T, D]
            ids = batch.inputs["input_ids"]
            position = torch.arange(hidden.shape[1])[None, :]
            start = torch.as_tensor(starts[batch.rows])[:, None]
            # position t predicts token t + 1: tokens start .. last are predicted from
            # positions start - 1 .. last - 1
            scored = (position >= start - 1) & (position < batch.last[:, None])
            counts[batch.rows] = scored.sum(1).numpy()
            new_rows, new_positions = [], []
            for b, row in enumerate(batch.rows):
                identity = tuple(iv.mask_of(active.texts[b]) for iv in per_text)
                tokens = ids[b].tolist()
                for t in torch.nonzero(scored[b]).flatten().tolist():
                    key = (identity, tuple(tokens[: t + 2]))
                    slot = slot_of.get(key)
                    if slot is None:
                        slot = slot_of[key] = len(slot_of)
                        new_rows.append(b)
                        new_positions.append(t)
                    position_rows.append(row)
                    position_slots.append(slot)
            if new_rows:
                b, t = torch.as_tensor(new_rows), torch.as_tensor(new_positions)
                pending.append((hidden[b.to(hidden.device), t.to(hidden.device)], ids[b, t + 1]))
            if sum(len(part[1]) for part in pending) >= chunk:
                flush()
        if pending:
            flush()
    nll = torch.zeros(len(row_texts), dtype=torch.float64)
    if position_slots:
        slots = torch.as_tensor(np.array(position_slots, dtype=np.int64))
        rows = torch.as_tensor(np.array(position_rows, dtype=np.int64))
        nll.index_add_(0, rows, torch.cat(losses)[slots])
    return nll.numpy(), counts


def perplexity(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 16,
    cache: bool = True,
) -> float:
    """``exp(mean token NLL)`` over all predicted tokens of ``texts`` (scored per sentence by
    :func:`sentence_nll`, so cached)."""
    return perplexities(model, {"": texts}, interventions, batch_size, cache)[""]


def perplexities(
    model: LoadedModel,
    groups: Mapping[str, Sequence[str]],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 32,
    cache: bool = True,
) -> dict[str, float]:
    """:func:`perplexity` of each group of texts (e.g. one per language): ``{group: ppl}``, from
    :func:`group_nll`."""
    return {
        name: float(np.exp(nll.sum() / counts.sum()))
        for name, (nll, counts) in group_nll(
            model, groups, interventions, batch_size, cache
        ).items()
    }


def group_nll(
    model: LoadedModel,
    groups: Mapping[str, Sequence[str]],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 32,
    cache: bool = True,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """:func:`sentence_nll` of each group of texts: ``{group: (summed NLL [n], predicted
    tokens [n])}``. All groups are scored in one run, so that each batch of one token length
    holds the texts of that length from every group: few texts per group make many small
    batches, which run at half the speed of full ones on a CPU (a batch of one length is never
    padded, so a text's score depends on its batch only by rounding)."""
    everything = [text for texts in groups.values() for text in texts]
    nll, counts = sentence_nll(model, everything, interventions, batch_size, cache)
    out, start = {}, 0
    for name, texts in groups.items():
        part = slice(start, start + len(texts))
        out[name] = (nll[part], counts[part])
        start += len(texts)
    return out


SENTENCE_NLL_CACHE_VERSION = 1


def sentence_nll(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 16,
    cache: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`token_nll` of each text (summed NLL in nats, predicted tokens): ``[n], [n]``,
    cached per sentence and intervention list like :func:`mean_logprobs`, so that a re-run
    (chapter 3's perplexity matrix, the judged continuations) scores nothing twice."""
    texts = list(texts)

    def score(missing: list[str]) -> list[list[float]]:
        nll, counts = token_nll(model, missing, interventions, batch_size)
        return np.stack([nll, counts], 1).tolist()

    known = _stored_scores(
        model,
        ["sentence-nll", SENTENCE_NLL_CACHE_VERSION, [iv.key() for iv in interventions]],
        "nll",
        sorted(set(texts)),
        score,
        cache,
        score_shape=(2,),  # summed NLL, predicted tokens
    )
    values = np.array([known[t] for t in texts]).reshape(len(texts), 2)
    return values[:, 0], values[:, 1].astype(np.int64)


GENERATION_CACHE_VERSION = 2
# rows of one generation batch: several conditions' copies of the prompts share a forward (one
# batch of 168 rows generates in about a quarter of the time of 28 batches of 6 on two cores);
# the bound keeps the last position's logits ([rows, vocabulary] fp32, 1 MB per row) small
GENERATION_ROWS = 256


def generate(
    model: LoadedModel,
    prompts: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    max_new_tokens: int = 24,
    cache: bool = True,
) -> list[str]:
    """Greedy continuations of ``prompts`` (new text only), with ``interventions`` at every step.

    Cached as :func:`generate_under` with one condition.
    """
    return generate_under(model, prompts, {"": interventions}, max_new_tokens, cache)[""]


def generate_under(
    model: LoadedModel,
    prompts: Sequence[str],
    conditions: Mapping[Hashable, Sequence[AnyIntervention]],
    max_new_tokens: int = 24,
    cache: bool = True,
) -> dict[Hashable, list[str]]:
    """Greedy continuations of ``prompts`` under each condition: ``{condition: [new text per
    prompt]}``.

    Several conditions share one batch (each on its own copy of the prompts, its interventions
    on its rows only), up to ``GENERATION_ROWS`` rows. Cached per model, batch (its prompt
    list and every condition's interventions) and ``max_new_tokens``: the key is the whole
    batch, not each prompt, because the prompts are left-padded together and the batch's shape
    moves a bf16 forward enough that a greedy choice can change, so a continuation belongs to
    its batch.
    """
    keys = list(conditions)
    per_batch = max(1, GENERATION_ROWS // max(1, len(prompts)))
    out: dict[Hashable, list[str]] = {}
    for start in range(0, len(keys), per_batch):
        chunk = keys[start : start + per_batch]
        batch = [list(conditions[key]) for key in chunk]
        path = cache_file(
            "generations",
            [
                GENERATION_CACHE_VERSION,
                list(prompts),
                [[iv.key() for iv in ivs] for ivs in batch],
                max_new_tokens,
            ],
            model.fingerprint,
        )
        expect = {"continuations": ArraySpec("str", (len(batch), len(prompts)))}
        compute = lambda batch=batch: {  # noqa: E731
            "continuations": np.array(
                _generate(model, prompts, batch, max_new_tokens), str
            ).reshape(len(batch), len(prompts))
        }
        texts = cached_arrays(path, compute, expect, enabled=cache)["continuations"]
        for key, row in zip(chunk, texts, strict=True):
            out[key] = row.tolist()
    return out


def _generate(
    model: LoadedModel,
    prompts: Sequence[str],
    conditions: Sequence[Sequence[AnyIntervention]],
    max_new_tokens: int,
) -> list[str]:
    """Continuations of ``prompts`` under each condition, condition by condition."""
    tokenizer = model.tokenizer
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"  # generation appends on the right
    try:
        enc = model.on_input_device(
            dict(tokenizer(list(prompts) * len(conditions), return_tensors="pt", padding=True))
        )
    finally:
        tokenizer.padding_side = side
    n = len(prompts)
    groups = [(slice(k * n, (k + 1) * n), ivs) for k, ivs in enumerate(conditions)]
    # generate() hands the head a slice of the last positions; torch's CPU bf16 linear is about
    # 50x slower on that non-contiguous view than on a copy (measured: 5.8 s vs 0.13 s per call
    # for 8 prompts with the 262k-token head), so the head gets a contiguous copy
    head = model.model.get_output_embeddings()
    contiguous = head.register_forward_pre_hook(lambda m, args: (args[0].contiguous(), *args[1:]))
    try:
        with torch.inference_mode(), intervene_by_rows(model, groups):
            out = model.model.generate(
                **enc,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
    finally:
        contiguous.remove()
    return tokenizer.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)


def mean_logprob(
    model: LoadedModel,
    texts: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 16,
) -> np.ndarray:
    """Mean log-probability per predicted token of each text (nats): ``[n]`` (not cached)."""
    nll, counts = token_nll(model, texts, interventions, batch_size)
    return -nll / np.maximum(counts, 1)


SCORE_CACHE_VERSION = 2


def mean_logprobs(
    model: LoadedModel,
    texts: Sequence[str],
    conditions: Mapping[str, Sequence[AnyIntervention]],
    batch_size: int = 16,
    cache: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`mean_logprob` of ``texts`` under each condition (a list of interventions; ``[]``:
    none): ``{condition: [n]}``.

    Scores are cached per sentence and intervention list, so a sentence scored once (by any
    chapter, in any set of sentences) is never scored again. The texts are tokenised and
    grouped by length once for all conditions that need them all.
    """
    texts = list(texts)
    distinct = sorted(set(texts))
    shared_plan: list[Batch] | None = None
    out = {}
    for name, interventions in conditions.items():

        def score(missing: list[str]) -> list[float]:
            nonlocal shared_plan
            if len(missing) == len(distinct):
                if shared_plan is None:
                    shared_plan = plan_batches(model, distinct, batch_size)
                plan = shared_plan
            else:
                plan = plan_batches(model, missing, batch_size)
            nll, counts = token_nll(model, missing, interventions, plan=plan)
            return (-nll / np.maximum(counts, 1)).tolist()

        known = _stored_scores(
            model,
            ["sentence-logprob", SCORE_CACHE_VERSION, [iv.key() for iv in interventions]],
            "logprob",
            distinct,
            score,
            cache,
            score_shape=(),
        )
        out[name] = np.array([known[t] for t in texts])
    return out


CONTINUATION_CACHE_VERSION = 1


def continuation_logprobs(
    model: LoadedModel,
    prompts: Sequence[str],
    continuations: Sequence[str],
    conditions: Mapping[str, Sequence[AnyIntervention]],
    batch_size: int = 16,
    cache: bool = True,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Log-probability of each continuation given its prompt, under each condition:
    ``{condition: (summed log-prob [n], continuation tokens [n])}``.

    As evaluation harnesses do, the prompt (with the tokenizer's BOS) and the continuation
    (no special tokens) are tokenised separately and concatenated, so the continuation's tokens
    do not depend on where the prompt ends; only the continuation's positions go through the LM
    head. Per-text interventions are looked up by prompt (every continuation of a prompt sees
    the same neurons changed). Cached per (prompt, continuation) and intervention list.
    """
    prompts, continuations = list(prompts), list(continuations)
    if len(prompts) != len(continuations):
        raise ValueError(f"{len(prompts)} prompts but {len(continuations)} continuations")
    empty = [k for k, c in enumerate(continuations) if not c]
    if empty:
        raise ValueError(f"continuation {empty[0]} is empty: there is nothing to score")
    keys = [f"{p}\x1f{c}" for p, c in zip(prompts, continuations, strict=True)]
    distinct = sorted(set(keys))
    where = {key: k for k, key in enumerate(keys)}
    out = {}
    for name, interventions in conditions.items():

        def score(missing: list[str]) -> list[list[float]]:
            rows = [where[key] for key in missing]
            total, counts = _continuation_nll(
                model,
                [prompts[k] for k in rows],
                [continuations[k] for k in rows],
                interventions,
                batch_size,
            )
            return np.stack([-total, counts], 1).tolist()

        known = _stored_scores(
            model,
            [
                "continuation-logprob",
                CONTINUATION_CACHE_VERSION,
                [iv.key() for iv in interventions],
            ],
            "continuation",
            distinct,
            score,
            cache,
            score_shape=(2,),  # summed log-prob, tokens
        )
        values = np.array([known[key] for key in keys]).reshape(len(keys), 2)
        out[name] = (values[:, 0], values[:, 1].astype(np.int64))
    return out


def _continuation_nll(
    model: LoadedModel,
    prompts: list[str],
    continuations: list[str],
    interventions: Sequence[AnyIntervention],
    batch_size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Summed NLL of each continuation's tokens and their number: ``[n], [n]``."""
    tokenizer = model.tokenizer
    head_ids = tokenizer(prompts, add_special_tokens=True)["input_ids"]
    tail_ids = tokenizer(continuations, add_special_tokens=False)["input_ids"]
    seqs = [list(h) + list(t) for h, t in zip(head_ids, tail_ids, strict=True)]
    starts = np.array([len(h) for h in head_ids])  # first continuation position
    plan = batches_of_ids(model, seqs, batch_size, desc="scoring", progress=False)
    # per-text interventions are looked up by prompt
    return _scored_nll(model, plan, prompts, starts, interventions)


def _stored_scores(
    model: LoadedModel,
    key: list,
    label: str,
    items: list[str],
    score: Callable[[list[str]], list],
    cache: bool,
    score_shape: tuple[int, ...],
) -> dict[str, Any]:
    """Scores of ``items`` from the store of ``key`` (a cache file per model and intervention
    list, keyed by item): ``score`` computes the missing ones, which are then stored. Each score
    is a float64 array of ``score_shape``."""
    path = cache_file("scores", key, model.fingerprint, label=label)
    known = _read_store(path, score_shape) if cache else {}
    missing = [item for item in items if item not in known]
    if missing:
        known.update(zip(missing, score(missing), strict=True))
        if cache:
            _write_store(path, known)
    return known


def _read_store(path, score_shape: tuple[int, ...]) -> dict[str, Any]:
    expect = {
        "texts": ArraySpec("str", ("items",)),
        "scores": ArraySpec("float64", ("items", *score_shape)),
    }
    arrays = read_cached(path, expect)
    if arrays is None:
        return {}
    return dict(zip(arrays["texts"].tolist(), arrays["scores"].tolist(), strict=True))


def _write_store(path, scores: dict[str, Any]) -> None:
    save_arrays(
        path,
        {"texts": np.array(list(scores), dtype=str), "scores": np.array(list(scores.values()))},
    )


def pair_preferences(
    model: LoadedModel,
    good: Sequence[str],
    bad: Sequence[str],
    interventions: Sequence[AnyIntervention] = (),
    batch_size: int = 16,
    cache: bool = True,
) -> np.ndarray:
    """Mean token log-prob of each good sentence minus its bad twin's: ``[n]``; > 0 means the
    model prefers the grammatical sentence (the seeds' minimal-pair accuracy counts those).

    Sentence scores are cached (:func:`mean_logprobs`): the LM head makes this the slow part.
    """
    return pair_preferences_under(model, good, bad, {"": interventions}, batch_size, cache)[""]


def pair_preferences_under(
    model: LoadedModel,
    good: Sequence[str],
    bad: Sequence[str],
    conditions: Mapping[str, Sequence[AnyIntervention]],
    batch_size: int = 16,
    cache: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`pair_preferences` under each condition, with one batching of the sentences."""
    if len(good) != len(bad):
        raise ValueError(f"{len(good)} good sentences but {len(bad)} bad ones")
    scores = mean_logprobs(model, list(good) + list(bad), conditions, batch_size, cache)
    return {name: s[: len(good)] - s[len(good) :] for name, s in scores.items()}

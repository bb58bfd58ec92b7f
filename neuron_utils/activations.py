"""Batched extraction of pooled hidden states and neuron activations with nnsight.

One forward pass per batch reads every requested site of every requested layer,
pools over tokens inside the trace (so only ``[batch, dim]`` per layer leaves it) and
stops right after the last needed layer: the final norm and the LM head never run.
Batches are sorted by length (fewer pad tokens) and right-padded, so each sentence sees
exactly the positions it would see alone. Results are cached on disk, keyed by a hash
of the model weights, site, pooling, layers and texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from .anatomy import SITES
from .interventions import Intervention, intervene
from .models import LoadedModel, progress_enabled
from .paths import cache_dir
from .storage import content_hash, load_arrays, save_arrays

POOLINGS = ("last", "mean", "eos")
CACHE_VERSION = 1
# Forward order of the sites inside one decoder layer: nnsight needs reads in that order.
_SITE_ORDER = ("attn", "gate", "neurons", "mlp", "residual")


def tokenize(model: LoadedModel, texts: Sequence[str], append_eos: bool = False) -> list[list[int]]:
    """Token ids per text (with the tokenizer's BOS; plus EOS when ``append_eos``)."""
    ids = model.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
    if append_eos:
        eos = model.tokenizer.eos_token_id
        ids = [seq + [eos] for seq in ids]
    return [list(seq) for seq in ids]


def starts_with_bos(model: LoadedModel, seqs: Sequence[Sequence[int]]) -> bool:
    """True if the tokenizer put a BOS token first in every sequence (pooling and counts skip it)."""
    bos = model.tokenizer.bos_token_id
    return bos is not None and all(s[0] == bos for s in seqs)


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[np.ndarray]:
    """Indices grouped into batches of similar length (longest first, stable)."""
    order = np.argsort(-np.asarray(lengths), kind="stable")
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def pad_right(seqs: Sequence[Sequence[int]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded ``input_ids`` and ``attention_mask``, both ``[batch, max_len]``."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, seq in enumerate(seqs):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return {"input_ids": ids, "attention_mask": mask}


def pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str, skip_first: bool = False) -> torch.Tensor:
    """Pool ``hidden [batch, seq, dim]`` over real tokens -> ``[batch, dim]`` (float32).

    ``last`` and ``eos`` take the last non-pad token (for ``eos`` that is the appended EOS);
    ``mean`` averages the non-pad tokens, leaving out the BOS when ``skip_first`` (its
    activations are orders of magnitude larger than any word's).
    """
    if pooling in ("last", "eos"):
        last = mask.sum(1) - 1
        return hidden[torch.arange(hidden.shape[0]), last].float()  # select first: no full-size copy
    hidden = hidden.float()
    if pooling == "mean":
        weights = mask.to(hidden.dtype).clone()
        if skip_first:
            weights[:, 0] = 0
        return (hidden * weights[..., None]).sum(1) / weights.sum(1, keepdim=True).clamp(min=1)
    raise ValueError(f"unknown pooling {pooling!r}; allowed: {', '.join(POOLINGS)}")


def check_request(model: LoadedModel, sites: Sequence[str], pooling: str, layers: Sequence[int]) -> None:
    bad = [s for s in sites if s not in SITES]
    if bad:
        raise ValueError(f"unknown site(s) {bad}; allowed: {', '.join(SITES)}")
    if pooling not in POOLINGS:
        raise ValueError(f"unknown pooling {pooling!r}; allowed: {', '.join(POOLINGS)}")
    out = [layer for layer in layers if not 0 <= layer < model.n_layers]
    if out:
        raise ValueError(f"layer(s) {out} out of range: the model has layers 0..{model.n_layers - 1}")


def _cache_file(
    model: LoadedModel, site: str, pooling: str, layers: Sequence[int], texts: Sequence[str], interventions: Sequence[Intervention]
) -> Path:
    changes = [iv.key() for iv in interventions]
    key = content_hash(CACHE_VERSION, model.fingerprint, site, pooling, list(layers), list(texts), changes)
    return cache_dir() / "activations" / model.fingerprint / f"{site}-{pooling}-{key[:24]}.npz"


def collect(
    model: LoadedModel,
    texts: Sequence[str],
    sites: Sequence[str] = ("residual",),
    pooling: str = "last",
    layers: Sequence[int] | None = None,
    batch_size: int = 32,
    cache: bool = True,
    progress: bool | None = None,
    interventions: Sequence[Intervention] = (),
) -> dict[str, np.ndarray]:
    """Pooled activations of ``texts`` at each site: ``{site: float32 [n_texts, n_layers, dim]}``.

    ``dim`` is ``d_model`` for ``residual``/``attn``/``mlp`` and the neurons per layer for
    ``neurons``/``gate``. ``layers`` defaults to all; rows follow the order of ``texts``.
    ``interventions`` are applied during the forward pass (see :mod:`neuron_utils.interventions`).
    """
    texts = list(texts)
    layers = list(range(model.n_layers)) if layers is None else sorted(set(layers))
    sites = list(dict.fromkeys(sites))
    check_request(model, sites, pooling, layers)
    if not texts:
        raise ValueError("no texts to run")
    files = {site: _cache_file(model, site, pooling, layers, texts, interventions) for site in sites}
    result = {s: load_arrays(f)["activations"] for s, f in files.items() if cache and f.exists()}
    missing = [s for s in sites if s not in result]
    if missing:
        computed = _run(model, texts, missing, pooling, layers, batch_size, progress, interventions)
        for site in missing:
            if cache:
                save_arrays(files[site], {"activations": computed[site]})
            result[site] = computed[site]
    return {site: result[site] for site in sites}


def _run(
    model: LoadedModel,
    texts: list[str],
    sites: list[str],
    pooling: str,
    layers: list[int],
    batch_size: int,
    progress: bool | None,
    interventions: Sequence[Intervention] = (),
) -> dict[str, np.ndarray]:
    seqs = tokenize(model, texts, append_eos=pooling == "eos")
    skip_first = starts_with_bos(model, seqs)
    pad_id = model.tokenizer.pad_token_id
    ordered_sites = [s for s in _SITE_ORDER if s in sites]
    site_specs = {s: model.anatomy.sites[s] for s in ordered_sites}
    envoy_layers = model.anatomy.layer_list(model.lm)
    out: dict[str, np.ndarray | None] = {s: None for s in sites}
    batches = length_sorted_batches([len(s) for s in seqs], batch_size)
    with torch.inference_mode(), intervene(model, interventions) as active:
        for idx in tqdm(batches, desc="forward", unit="batch", disable=not progress_enabled(progress)):
            enc = pad_right([seqs[i] for i in idx], pad_id)
            mask = enc["attention_mask"]
            active.value = mask.sum(1) - 1
            with model.lm.trace(enc) as tracer:
                pooled = list().save()
                for layer in layers:
                    for site in ordered_sites:
                        value = site_specs[site].read(envoy_layers[layer])
                        if site == "gate":
                            value = active.gate_as_seen(layer, value)
                        pooled.append(pool(value, mask, pooling, skip_first))
                tracer.stop()
            n_sites = len(ordered_sites)
            for k, site in enumerate(ordered_sites):
                block = torch.stack(pooled[k::n_sites], dim=1).numpy()  # [batch, layers, dim]
                if out[site] is None:
                    out[site] = np.empty((len(texts), len(layers), block.shape[-1]), dtype=np.float32)
                out[site][idx] = block
    return out  # type: ignore[return-value]


def token_statistics(
    model: LoadedModel,
    texts: Sequence[str],
    site: str = "gate",
    batch_size: int = 32,
    cache: bool = True,
    progress: bool | None = None,
) -> dict[str, np.ndarray]:
    """Streaming per-neuron statistics over all real tokens of ``texts`` (BOS excluded).

    Returns ``positive [L, N]`` (tokens on which the neuron is > 0, int64), ``sum [L, N]``
    (float64 sum of activations) and ``tokens`` (a 0-d int64 array). Memory is
    O(layers x neurons): per-token activations are reduced inside the trace, never stored.
    """
    texts = list(texts)
    if site not in ("neurons", "gate"):
        raise ValueError(f"token statistics are for neuron sites; got {site!r}, allowed: neurons, gate")
    key = content_hash(CACHE_VERSION, model.fingerprint, "token-statistics", site, texts)
    path = cache_dir() / "activations" / model.fingerprint / f"stats-{site}-{key[:24]}.npz"
    if cache and path.exists():
        return load_arrays(path)
    seqs = tokenize(model, texts)
    skip_first = starts_with_bos(model, seqs)
    spec = model.anatomy.sites[site]
    envoy_layers = model.anatomy.layer_list(model.lm)
    positive = np.zeros((model.n_layers, model.n_neurons), dtype=np.int64)
    total = np.zeros((model.n_layers, model.n_neurons), dtype=np.float64)
    tokens = 0
    batches = length_sorted_batches([len(s) for s in seqs], batch_size)
    with torch.inference_mode():
        for idx in tqdm(batches, desc="statistics", unit="batch", disable=not progress_enabled(progress)):
            enc = pad_right([seqs[i] for i in idx], model.tokenizer.pad_token_id)
            weights = enc["attention_mask"].clone()
            if skip_first:
                weights[:, 0] = 0
            real = weights.to(torch.float32).view(1, -1)  # [1, batch * seq]: 1 for counted tokens
            with model.lm.trace(enc) as tracer:
                counts, sums = list().save(), list().save()
                for layer in range(model.n_layers):
                    # a float32 copy (never the model's own tensor: gt_ below is in place)
                    value = spec.read(envoy_layers[layer]).to(torch.float32, copy=True).flatten(0, 1)
                    sums.append(real @ value)  # masked sums as one matrix-vector product
                    counts.append(real @ value.gt_(0))  # masked counts of > 0, exact in fp32
                tracer.stop()
            positive += torch.cat(counts).round().long().numpy()
            total += torch.cat(sums).double().numpy()
            tokens += int(weights.sum())
    stats = {"positive": positive, "sum": total, "tokens": np.array(tokens, dtype=np.int64)}
    if cache:
        save_arrays(path, stats)
    return stats

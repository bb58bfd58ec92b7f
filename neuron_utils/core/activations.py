"""Batched extraction of pooled hidden states and neuron activations with nnsight.

One forward pass per batch (:func:`neuron_utils.core.batches.batches`) reads every requested
site of every requested layer, pools over tokens inside the trace (so only ``[batch, dim]``
per layer leaves it) and stops right after the last needed layer: the final norm and the LM
head never run. Results are cached on disk (:mod:`neuron_utils.core.cache`), keyed by the
model weights, site, pooling, layers, texts and interventions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .anatomy import SITES
from .batches import batches
from .cache import ArraySpec, cache_file, read_cached
from .interventions import AnyIntervention, intervene
from .models import LoadedModel
from .storage import save_arrays

POOLINGS = ("last", "mean", "eos", "max")
CACHE_VERSION = 1
# Forward order of the sites inside one decoder layer: nnsight needs reads in that order.
_SITE_ORDER = ("attn", "gate", "neurons", "mlp", "residual")


def pool(
    hidden: torch.Tensor, mask: torch.Tensor, pooling: str, skip_first: bool = False
) -> torch.Tensor:
    """Pool ``hidden [batch, seq, dim]`` over real tokens -> ``[batch, dim]`` (float32).

    ``last`` and ``eos`` take the last non-pad token (for ``eos`` that is the appended EOS);
    ``mean`` averages the non-pad tokens and ``max`` takes their maximum ("fires on any
    token"), both leaving out the BOS when ``skip_first`` (its activations are orders of
    magnitude larger than any word's).
    """
    mask = mask.to(hidden.device)
    if pooling in ("last", "eos"):
        last = mask.sum(1) - 1
        return hidden[
            torch.arange(hidden.shape[0], device=hidden.device), last
        ].float()  # select first: no full-size copy
    hidden = hidden.float()
    if pooling == "max":
        counted = mask.bool().clone()
        if skip_first:
            counted[:, 0] = False
        return hidden.masked_fill(~counted[..., None], -torch.inf).amax(1)
    if pooling == "mean":
        weights = mask.to(hidden.dtype).clone()
        if skip_first:
            weights[:, 0] = 0
        return (hidden * weights[..., None]).sum(1) / weights.sum(1, keepdim=True).clamp(min=1)
    raise ValueError(f"unknown pooling {pooling!r}; allowed: {', '.join(POOLINGS)}")


def check_request(
    model: LoadedModel, sites: Sequence[str], pooling: str, layers: Sequence[int]
) -> None:
    bad = [s for s in sites if s not in SITES]
    if bad:
        raise ValueError(f"unknown site(s) {bad}; allowed: {', '.join(SITES)}")
    if pooling not in POOLINGS:
        raise ValueError(f"unknown pooling {pooling!r}; allowed: {', '.join(POOLINGS)}")
    out = [layer for layer in layers if not 0 <= layer < model.n_layers]
    if out:
        raise ValueError(
            f"layer(s) {out} out of range: the model has layers 0..{model.n_layers - 1}"
        )


def _cache_file(
    model: LoadedModel,
    site: str,
    pooling: str,
    layers: Sequence[int],
    texts: Sequence[str],
    interventions: Sequence[AnyIntervention],
) -> Path:
    key = [
        CACHE_VERSION,
        site,
        pooling,
        list(layers),
        list(texts),
        [iv.key() for iv in interventions],
    ]
    return cache_file("activations", key, model.fingerprint, label=f"{site}-{pooling}")


def collect(
    model: LoadedModel,
    texts: Sequence[str],
    sites: Sequence[str] = ("residual",),
    pooling: str = "last",
    layers: Sequence[int] | None = None,
    batch_size: int = 32,
    cache: bool = True,
    progress: bool | None = None,
    interventions: Sequence[AnyIntervention] = (),
) -> dict[str, np.ndarray]:
    """Pooled activations of ``texts`` at each site: ``{site: float32 [n_texts, n_layers, dim]}``.

    ``dim`` is ``d_model`` for ``residual``/``attn``/``mlp`` and the neurons per layer for
    ``neurons``/``gate``. ``layers`` defaults to all; rows follow the order of ``texts``.
    ``interventions`` are applied during the forward pass (see :mod:`neuron_utils.core.interventions`).
    """
    texts = list(texts)
    layers = list(range(model.n_layers)) if layers is None else sorted(set(layers))
    sites = list(dict.fromkeys(sites))
    check_request(model, sites, pooling, layers)
    if not texts:
        raise ValueError("no texts to run")
    files = {
        site: _cache_file(model, site, pooling, layers, texts, interventions) for site in sites
    }
    # [texts, layers, dim]: dim is d_model or the neurons per layer, whichever the site has
    expect = {"activations": ArraySpec("float32", (len(texts), len(layers), None))}

    def compute(missing: list[str]) -> dict[str, dict[str, np.ndarray]]:
        run = _run(model, texts, missing, pooling, layers, batch_size, progress, interventions)
        return {site: {"activations": run[site]} for site in missing}

    stored = _cached_by_site(files, expect, compute, cache)
    return {site: stored[site]["activations"] for site in sites}


def _cached_by_site(
    files: dict[str, Path],
    expect: dict[str, ArraySpec],
    compute: Callable[[list[str]], dict[str, dict[str, np.ndarray]]],
    cache: bool,
) -> dict[str, dict[str, np.ndarray]]:
    """The arrays of each site (``files``: site -> its cache file), read where cached; the sites
    not cached are computed together, in one pass (``compute(missing sites)``), and saved."""
    out = {}
    for site, path in files.items():
        if cache and (stored := read_cached(path, expect)) is not None:
            out[site] = stored
    missing = [site for site in files if site not in out]
    if missing:
        computed = compute(missing)
        for site in missing:
            if cache:
                save_arrays(files[site], computed[site])
            out[site] = computed[site]
    return {site: out[site] for site in files}


def _run(
    model: LoadedModel,
    texts: list[str],
    sites: list[str],
    pooling: str,
    layers: list[int],
    batch_size: int,
    progress: bool | None,
    interventions: Sequence[AnyIntervention] = (),
) -> dict[str, np.ndarray]:
    ordered_sites = [s for s in _SITE_ORDER if s in sites]
    site_specs = {s: model.anatomy.sites[s] for s in ordered_sites}
    envoy_layers = model.anatomy.layer_list(model.lm)
    out: dict[str, np.ndarray | None] = {s: None for s in sites}
    with torch.inference_mode(), intervene(model, interventions) as active:
        for batch in batches(
            model, texts, batch_size, append_eos=pooling == "eos", progress=progress
        ):
            active.value = batch.last
            active.texts = [texts[i] for i in batch.rows]
            with model.lm.trace(model.on_input_device(batch.inputs)) as tracer:
                pooled = list().save()
                for layer in layers:
                    for site in ordered_sites:
                        value = site_specs[site].read(envoy_layers[layer])
                        value = active.as_seen(site, layer, value)
                        # gathered on the CPU in float32, whatever device the layer is on
                        pooled.append(pool(value, batch.mask, pooling, batch.skip_first).cpu())
                tracer.stop()
            n_sites = len(ordered_sites)
            for k, site in enumerate(ordered_sites):
                block = torch.stack(pooled[k::n_sites], dim=1).numpy()  # [batch, layers, dim]
                if out[site] is None:
                    out[site] = np.empty(
                        (len(texts), len(layers), block.shape[-1]), dtype=np.float32
                    )
                out[site][batch.rows] = block
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
    return token_statistics_at(model, texts, [site], batch_size, cache, progress)[site]


def token_statistics_at(
    model: LoadedModel,
    texts: Sequence[str],
    sites: Sequence[str] = ("gate", "neurons"),
    batch_size: int = 32,
    cache: bool = True,
    progress: bool | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """:func:`token_statistics` at several neuron sites: ``{site: statistics}``, cached per site
    (the same files as :func:`token_statistics`); the sites not cached are counted in one pass
    over ``texts``, not one pass each."""
    texts, sites = list(texts), list(dict.fromkeys(sites))
    bad = [s for s in sites if s not in ("neurons", "gate")]
    if bad:
        raise ValueError(
            f"token statistics are for neuron sites; got {bad[0]!r}, allowed: neurons, gate"
        )
    layers_neurons = (model.n_layers, model.n_neurons)
    expect = {
        "positive": ArraySpec("int64", layers_neurons),
        "sum": ArraySpec("float64", layers_neurons),
        "tokens": ArraySpec("int64", ()),
    }
    files = {
        site: cache_file("statistics", [CACHE_VERSION, site, texts], model.fingerprint, label=site)
        for site in sites
    }
    return _cached_by_site(
        files, expect, lambda missing: _count(model, texts, missing, batch_size, progress), cache
    )


def _count(
    model: LoadedModel, texts: list[str], sites: list[str], batch_size: int, progress: bool | None
) -> dict[str, dict[str, np.ndarray]]:
    ordered = [s for s in _SITE_ORDER if s in sites]  # nnsight reads in forward order
    specs = [model.anatomy.sites[site] for site in ordered]
    envoy_layers = model.anatomy.layer_list(model.lm)
    shape = (len(ordered), model.n_layers, model.n_neurons)
    positive = np.zeros(shape, dtype=np.int64)
    total = np.zeros(shape, dtype=np.float64)
    tokens = 0
    with torch.inference_mode():
        for batch in batches(model, texts, batch_size, desc="statistics", progress=progress):
            counted = batch.counted
            real = counted.to(torch.float32).view(1, -1)  # [1, batch * seq]: 1 for counted tokens
            with model.lm.trace(model.on_input_device(batch.inputs)) as tracer:
                counts, sums = list().save(), list().save()
                for layer in range(model.n_layers):
                    for spec in specs:
                        # a float32 copy (never the model's own tensor: gt_ below is in place)
                        value = (
                            spec.read(envoy_layers[layer])
                            .to(torch.float32, copy=True)
                            .flatten(0, 1)
                        )
                        weights = real.to(value.device)  # the layer's device (several GPUs: any)
                        sums.append((weights @ value).cpu())  # masked sums: a matrix-vector product
                        counts.append((weights @ value.gt_(0)).cpu())  # masked counts of > 0, exact
                tracer.stop()
            positive += _by_site(counts, len(ordered)).round().long().numpy()
            total += _by_site(sums, len(ordered)).double().numpy()
            tokens += int(counted.sum())
    return {
        site: {
            "positive": positive[k],
            "sum": total[k],
            "tokens": np.array(tokens, dtype=np.int64),
        }
        for k, site in enumerate(ordered)
    }


def _by_site(parts: list[torch.Tensor], n_sites: int) -> torch.Tensor:
    """Rows read layer by layer, site by site (``[1, N]`` each) -> ``[sites, L, N]``."""
    stacked = torch.cat(parts)  # [L * sites, N]
    return stacked.view(-1, n_sites, stacked.shape[-1]).transpose(0, 1)


@dataclass
class TextActivations:
    """Pooled activations of distinct texts, looked up by text (a text that occurs in several
    pairs or sets runs through the model once)."""

    values: dict[str, np.ndarray]  # site -> [n_distinct_texts, L, D]
    index: dict[str, int]  # text -> row

    def rows(self, texts: Sequence[str], site: str) -> np.ndarray:
        """Activations at ``site`` of ``texts``, in that order: ``[len(texts), L, D]``."""
        return self.values[site][[self.index[t] for t in texts]]


def collect_texts(model: LoadedModel, texts: Sequence[str], **kwargs) -> TextActivations:
    """:func:`collect` on the distinct ``texts`` (sorted, so the cache entry does not depend on
    their order); ``kwargs`` as for :func:`collect`."""
    distinct = sorted(set(texts))
    return TextActivations(
        collect(model, distinct, **kwargs), {text: i for i, text in enumerate(distinct)}
    )


def activations_by_text(
    model: LoadedModel,
    pairsets: Sequence[Any],
    sites: Sequence[str],
    pooling: str,
    batch_size: int,
    interventions: Sequence[AnyIntervention] = (),
) -> dict[str, TextActivations]:
    """Run each language's sentences once: ``{lang: TextActivations}``. A pair set is anything
    with ``l1``, ``l2``, ``l1_texts`` and ``l2_texts`` (:class:`~neuron_utils.data.parallel.PairSet`).

    Every pair set of a language is served from one extraction (and one cache entry);
    ``interventions`` apply to every forward pass.
    """
    texts: dict[str, list[str]] = {}
    for ps in pairsets:
        for lang, side in ((ps.l1, ps.l1_texts), (ps.l2, ps.l2_texts)):
            texts.setdefault(lang, []).extend(side)
    return {
        lang: collect_texts(
            model,
            items,
            sites=sites,
            pooling=pooling,
            batch_size=batch_size,
            interventions=interventions,
        )
        for lang, items in texts.items()
    }

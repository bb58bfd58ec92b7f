"""Sets of MLP neurons, addressed as (layer, neuron index)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .storage import atomic_path


@dataclass(frozen=True)
class NeuronSet:
    """Neurons of a model with ``n_layers`` layers of ``n_neurons`` each, as a boolean mask."""

    mask: np.ndarray  # [n_layers, n_neurons] bool

    def __post_init__(self) -> None:
        mask = np.asarray(self.mask, dtype=bool)
        if mask.ndim != 2:
            raise ValueError(f"a neuron set mask is [layers, neurons], got shape {mask.shape}")
        mask.setflags(write=False)
        object.__setattr__(self, "mask", mask)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def empty(cls, n_layers: int, n_neurons: int) -> NeuronSet:
        return cls(np.zeros((n_layers, n_neurons), dtype=bool))

    @classmethod
    def from_indices(
        cls, by_layer: dict[int, list[int]], n_layers: int, n_neurons: int
    ) -> NeuronSet:
        mask = np.zeros((n_layers, n_neurons), dtype=bool)
        for layer, idx in by_layer.items():
            mask[int(layer), np.asarray(idx, dtype=int)] = True
        return cls(mask)

    @classmethod
    def top_n(cls, scores: np.ndarray, n: int) -> NeuronSet:
        """The ``n`` highest of ``scores [layers, neurons]`` (ties broken by position)."""
        flat = np.asarray(scores).ravel()
        if not 0 <= n <= flat.size:
            raise ValueError(f"n={n} must be in 0..{flat.size}")
        order = np.argsort(-flat, kind="stable")[:n]
        mask = np.zeros(flat.size, dtype=bool)
        mask[order] = True
        return cls(mask.reshape(np.shape(scores)))

    @classmethod
    def random_matched(
        cls, reference: NeuronSet, seed: int, exclude: NeuronSet | None = None
    ) -> NeuronSet:
        """Random neurons with the same count per layer as ``reference``, outside ``exclude``."""
        rng = np.random.default_rng(seed)
        mask = np.zeros_like(reference.mask)
        for layer, count in enumerate(reference.per_layer()):
            allowed = (
                np.flatnonzero(~exclude.mask[layer])
                if exclude is not None
                else np.arange(mask.shape[1])
            )
            if count > len(allowed):
                raise ValueError(
                    f"layer {layer}: {count} neurons asked, only {len(allowed)} outside the excluded set"
                )
            mask[layer, rng.choice(allowed, size=count, replace=False)] = True
        return cls(mask)

    @classmethod
    def random_magnitude_matched(
        cls,
        reference: NeuronSet,
        magnitude: np.ndarray,
        seed: int,
        exclude: NeuronSet | None = None,
        n_bins: int = 10,
    ) -> tuple[NeuronSet, int]:
        """Random neurons matched to ``reference`` per layer *and* per magnitude bin:
        ``(neurons, n_fallback)``.

        ``magnitude [layers, neurons]`` (e.g. mean ``|a|`` over the sentences that chose
        ``reference``) is cut into ``n_bins`` quantile bins within each layer (deciles by
        default). Each layer gets as many random neurons from each bin as ``reference`` has
        there, outside ``reference`` and ``exclude``. Where a bin runs out, the rest come from
        the nearest bins with room (the closer one first, the higher one on a tie);
        ``n_fallback`` counts the neurons drawn that way. A selection that favours active
        neurons and a random set of mostly quiet ones differ in magnitude before anything else;
        this control does not.
        """
        magnitude = np.asarray(magnitude)
        if magnitude.shape != reference.shape:
            raise ValueError(
                f"magnitude has shape {magnitude.shape}, the neuron set {reference.shape}"
            )
        rng = np.random.default_rng(seed)
        mask = np.zeros_like(reference.mask)
        fallback = 0
        cuts = np.arange(1, n_bins) / n_bins
        for layer in range(reference.shape[0]):
            bins = np.searchsorted(np.quantile(magnitude[layer], cuts), magnitude[layer], "right")
            free = ~reference.mask[layer]
            if exclude is not None:
                free &= ~exclude.mask[layer]
            need = np.bincount(bins[reference.mask[layer]], minlength=n_bins)
            if need.sum() > free.sum():
                raise ValueError(
                    f"layer {layer}: {need.sum()} neurons asked, only {free.sum()} outside the "
                    "set and the excluded neurons"
                )
            short = []  # (bin, missing) after each bin's own draw
            for b in np.flatnonzero(need):
                room = np.flatnonzero(free & (bins == b))
                take = rng.choice(room, size=min(need[b], len(room)), replace=False)
                mask[layer, take], free[take] = True, False
                if need[b] > len(room):
                    short.append((b, need[b] - len(room)))
            for b, missing in short:
                for other in sorted(range(n_bins), key=lambda o: (abs(o - b), -o)):
                    room = np.flatnonzero(free & (bins == other))
                    take = rng.choice(room, size=min(missing, len(room)), replace=False)
                    mask[layer, take], free[take] = True, False
                    fallback += len(take)
                    missing -= len(take)
                    if missing == 0:
                        break
        return cls(mask), fallback

    # ------------------------------------------------------------------ algebra
    def __or__(self, other: NeuronSet) -> NeuronSet:
        return NeuronSet(self.mask | other.mask)

    def __and__(self, other: NeuronSet) -> NeuronSet:
        return NeuronSet(self.mask & other.mask)

    def __sub__(self, other: NeuronSet) -> NeuronSet:
        return NeuronSet(self.mask & ~other.mask)

    def complement(self) -> NeuronSet:
        return NeuronSet(~self.mask)

    def __len__(self) -> int:
        return int(self.mask.sum())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NeuronSet) and np.array_equal(self.mask, other.mask)

    __hash__ = None  # type: ignore[assignment]

    @property
    def shape(self) -> tuple[int, int]:
        return self.mask.shape  # type: ignore[return-value]

    def per_layer(self) -> np.ndarray:
        """Number of neurons in the set per layer: ``[layers]``."""
        return self.mask.sum(1)

    def indices(self) -> dict[int, np.ndarray]:
        """Layer -> sorted neuron indices, for the layers that have any."""
        return {int(layer): np.flatnonzero(row) for layer, row in enumerate(self.mask) if row.any()}

    def overlap(self, other: NeuronSet) -> float:
        """Jaccard overlap ``|A ∩ B| / |A ∪ B|`` (1.0 for two empty sets)."""
        union = len(self | other)
        return 1.0 if union == 0 else len(self & other) / union

    # ------------------------------------------------------------------ storage (JSON, no pickle)
    def save(self, path: Path) -> None:
        payload = {
            "n_layers": self.shape[0],
            "n_neurons": self.shape[1],
            "neurons": {str(k): v.tolist() for k, v in self.indices().items()},
        }
        with atomic_path(Path(path)) as tmp:
            tmp.write_text(json.dumps(payload))

    @classmethod
    def load(cls, path: Path) -> NeuronSet:
        payload = json.loads(Path(path).read_text())
        return cls.from_indices(
            {int(k): v for k, v in payload["neurons"].items()},
            payload["n_layers"],
            payload["n_neurons"],
        )


def edge_layers(n_layers: int, k: int = 3) -> list[int]:
    """The first ``k`` and the last ``k`` layer indices, each once (a model with fewer than
    ``2 k`` layers has them overlap): where language-specific and common neurons are counted as
    "at the ends of the network"."""
    return sorted({*range(min(k, n_layers)), *range(max(n_layers - k, 0), n_layers)})

"""Interventions on MLP neurons during any forward pass or generation.

An :class:`Intervention` zeroes, sets or scales a :class:`~neuron_utils.core.neurons.NeuronSet`
at one neuron site (``"neurons"``: the input of the down projection; ``"gate"``: the
activation output) at all positions or only at the last one. :func:`intervene` applies a
list of them, in order, for the duration of a ``with`` block, through forward hooks on the
modules the :class:`~neuron_utils.core.anatomy.Anatomy` names. Hooks serve plain forwards,
``generate`` and nnsight traces alike (an assignment into ``down_proj.input`` inside a trace
gives the same numbers), and they are removed when the block ends, even on error.

A :class:`ResidualAddition` adds a vector to the residual stream after one decoder layer (steering
by a difference of means).

A :class:`PerTextIntervention` changes a different set of neurons in each text of a batch
(e.g. the neurons of one category, which differ from item to item): one forward per batch,
with a ``[batch, neurons]`` mask per layer, instead of one forward per text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from .anatomy import resolve
from .models import LoadedModel
from .neurons import NeuronSet
from .storage import array_digest, content_hash

OPS = ("zero", "set", "scale")
POSITIONS = ("all", "last")
INTERVENTION_SITES = ("neurons", "gate")


@dataclass(frozen=True, eq=False)
class Intervention:
    """Change ``neurons`` at ``site``: ``zero``, ``set`` to ``value``, or ``scale`` by ``value``.

    ``value`` is a number or a per-neuron array ``[layers, neurons]`` (e.g. a mean activation).
    """

    neurons: NeuronSet
    op: str = "zero"
    value: float | np.ndarray = 0.0
    site: str = "neurons"
    positions: str = "all"

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("op", self.op, OPS),
            ("positions", self.positions, POSITIONS),
            ("site", self.site, INTERVENTION_SITES),
        ):
            if value not in allowed:
                raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(allowed)}")
        if isinstance(self.value, np.ndarray) and self.value.shape != self.neurons.shape:
            raise ValueError(
                f"per-neuron values must be [layers, neurons] = {self.neurons.shape}, got {self.value.shape}"
            )

    def key(self) -> str:
        """A hash that identifies this intervention (used in cache keys)."""
        value = (
            array_digest(self.value) if isinstance(self.value, np.ndarray) else float(self.value)
        )
        return content_hash(
            "intervention",
            1,
            array_digest(self.neurons.mask),
            self.op,
            value,
            self.site,
            self.positions,
        )

    def apply(
        self, x: torch.Tensor, layer: int, idx: torch.Tensor, last: torch.Tensor | None
    ) -> torch.Tensor:
        """Return ``x [batch, seq, neurons]`` with this intervention applied at ``layer``."""
        on = idx.to(x.device)  # ``idx`` stays on the CPU to index the numpy values
        selected = x[..., on]
        if self.op == "zero":
            new = torch.zeros_like(selected)
        else:
            value = (
                self.value[layer, idx.numpy()] if isinstance(self.value, np.ndarray) else self.value
            )
            value = torch.as_tensor(value, dtype=x.dtype, device=x.device)
            new = value.expand_as(selected) if self.op == "set" else selected * value
        if self.positions == "last":
            keep = torch.ones(x.shape[:2], dtype=torch.bool, device=x.device)
            rows = torch.arange(x.shape[0], device=x.device)
            keep[rows, x.shape[1] - 1 if last is None else last.to(x.device)] = False
            new = torch.where(keep[..., None], selected, new)
        x = x.clone()
        x[..., on] = new.to(x.dtype)
        return x


@dataclass(frozen=True, eq=False)
class PerTextIntervention:
    """Change a different neuron set in each text: in ``texts[k]``, the neurons of
    ``masks[index[k]]`` (``[layers, neurons]``), by ``op`` (``zero``, or ``scale`` by
    ``value``) at every position. ``index`` (default: one mask per text) lets many texts
    share a mask, e.g. every language of one item.

    The scorer names the text of each batch row (``ActiveInterventions.texts``); a row whose
    text is not listed is left unchanged.
    """

    texts: tuple[str, ...]
    masks: np.ndarray  # [masks, layers, neurons] bool
    op: str = "zero"
    value: float = 0.0
    site: str = "neurons"
    index: tuple[int, ...] | None = None  # [texts]: the mask of each text

    def __post_init__(self) -> None:
        if self.op not in ("zero", "scale"):
            raise ValueError(f"unknown op {self.op!r}; allowed: zero, scale")
        if self.site not in INTERVENTION_SITES:
            raise ValueError(
                f"unknown site {self.site!r}; allowed: {', '.join(INTERVENTION_SITES)}"
            )
        masks = np.asarray(self.masks, dtype=bool)
        index = tuple(range(len(self.texts))) if self.index is None else tuple(self.index)
        if masks.ndim != 3:
            raise ValueError(f"masks must be [masks, layers, neurons], got shape {masks.shape}")
        if len(index) != len(self.texts) or not all(0 <= k < len(masks) for k in index):
            raise ValueError(
                f"need one mask index in 0..{len(masks) - 1} per text ({len(self.texts)} texts)"
            )
        if len(set(self.texts)) != len(self.texts):
            raise ValueError("each text may have one mask only; some texts are listed twice")
        masks.setflags(write=False)
        object.__setattr__(self, "texts", tuple(self.texts))
        object.__setattr__(self, "masks", masks)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "_row", dict(zip(self.texts, index, strict=True)))

    def key(self) -> str:
        """A hash that identifies this intervention (used in cache keys)."""
        return content_hash(
            "per-text intervention",
            1,
            list(self.texts),
            list(self.index or ()),
            array_digest(self.masks),
            self.op,
            float(self.value),
            self.site,
        )

    def mask_of(self, text: str) -> int | None:
        """The index of the mask ``text`` gets (None: it is not listed, nothing changes)."""
        return self._row.get(text)  # type: ignore[attr-defined]

    def per_text(self) -> np.ndarray:
        """Neurons changed in each text: ``[texts]``."""
        return self.masks.sum((1, 2))[list(self.index or ())]

    def layer_masks(self, layer: int, texts: Sequence[str]) -> torch.Tensor:
        """``[batch, neurons]`` bool: the neurons changed in each row's text at ``layer``."""
        out = np.zeros((len(texts), self.masks.shape[2]), dtype=bool)
        for row, text in enumerate(texts):
            k = self.mask_of(text)
            if k is not None:
                out[row] = self.masks[k, layer]
        return torch.from_numpy(out)

    def apply_rows(self, x: torch.Tensor, layer: int, texts: Sequence[str] | None) -> torch.Tensor:
        """Return ``x [batch, seq, neurons]`` with each row's neurons changed at ``layer``."""
        if texts is None or len(texts) != x.shape[0]:
            raise ValueError(
                "a per-text intervention needs the text of every batch row: run it through a "
                "scorer that sets them (lm_scoring.continuation_logprobs, token_nll, collect)"
            )
        mask = self.layer_masks(layer, texts)[:, None, :].to(x.device)  # [batch, 1, neurons]
        if self.op == "zero":
            return x.masked_fill(mask, 0)
        return torch.where(mask, x * torch.tensor(self.value, dtype=x.dtype, device=x.device), x)


class ActiveInterventions:
    """What :func:`intervene` yields: per-batch last-token positions, row texts and the changes
    made by forward hooks.

    ``value``: ``[batch]`` last-token indices for right-padded batches (``None``: the final
    position). ``texts``: the text of each batch row (per-text interventions need it).
    ``as_seen`` applies the hooked changes of a module's output (the gate site, the residual
    stream) to a value read from it: nnsight reads a module's output before forward hooks
    change it.
    """

    def __init__(self) -> None:
        self.value: torch.Tensor | None = None
        self.texts: list[str] | None = None
        # (site, layer) -> change of that module's output
        self.output_changes: dict[tuple[str, int], Callable[[torch.Tensor], torch.Tensor]] = {}

    def as_seen(self, site: str, layer_index: int, x: torch.Tensor) -> torch.Tensor:
        change = self.output_changes.get((site, layer_index))
        return x if change is None else change(x)


@dataclass(frozen=True, eq=False)
class ResidualAddition:
    """Add ``scale * vector`` (``[d_model]``) to the residual stream after decoder layer
    ``layer`` (its output), at every position: the "difference of means" steering of the
    residual stream. ``scale`` 0 changes nothing."""

    layer: int
    vector: np.ndarray  # [d_model]
    scale: float = 1.0

    def __post_init__(self) -> None:
        vector = np.asarray(self.vector, dtype=np.float32)
        if vector.ndim != 1:
            raise ValueError(f"vector must be [d_model], got shape {vector.shape}")
        if not np.isfinite(vector).all() or not np.isfinite(self.scale):
            raise ValueError("vector and scale must be finite")
        vector.setflags(write=False)
        object.__setattr__(self, "vector", vector)

    def key(self) -> str:
        """A hash that identifies this intervention (used in cache keys)."""
        return content_hash(
            "residual addition", 1, self.layer, array_digest(self.vector), float(self.scale)
        )

    def apply(self, hidden: torch.Tensor) -> torch.Tensor:
        """``hidden [batch, seq, d_model]`` plus the scaled vector."""
        shift = torch.as_tensor(self.scale * self.vector, dtype=hidden.dtype, device=hidden.device)
        return hidden + shift


AnyIntervention = Intervention | PerTextIntervention | ResidualAddition


@contextmanager
def intervene(
    model: LoadedModel, interventions: Sequence[AnyIntervention]
) -> Iterator[ActiveInterventions]:
    """Apply ``interventions`` (in order) to every forward pass inside the block.

    Yields an object whose ``value`` may be set to ``[batch]`` last-token indices for
    right-padded batches; by default "last" means the final position (left padding,
    generation).
    """
    with intervene_by_rows(model, [(ALL_ROWS, interventions)]) as active:
        yield active


ALL_ROWS = slice(None)


@contextmanager
def intervene_by_rows(
    model: LoadedModel, groups: Sequence[tuple[slice, Sequence[AnyIntervention]]]
) -> Iterator[ActiveInterventions]:
    """As :func:`intervene`, with each group's interventions applied to its own rows of the
    batch only: ``groups`` is ``[(rows, interventions)]`` with disjoint ``rows`` slices. One
    forward then serves several conditions (e.g. a steering sweep: each condition's copy of
    the prompts in one generation batch) instead of one forward per condition."""
    _check_rows([rows for rows, _ in groups])
    additions = _of_kind(groups, residual=True)
    neuron_changes = _of_kind(groups, residual=False)
    for _, ivs in additions:
        for iv in ivs:
            _check_addition(model, iv)
    active = ActiveInterventions()
    hooks = []
    try:
        for layer_index, layer in enumerate(model.layers):
            shifts = [
                (rows, _in_order([iv.apply for iv in ivs if iv.layer == layer_index]))
                for rows, ivs in additions
                if any(iv.layer == layer_index for iv in ivs)
            ]
            if shifts:
                hooks.append(_register_residual(layer, layer_index, _by_rows(shifts), active))
            for site in INTERVENTION_SITES:
                here = []
                for rows, ivs in neuron_changes:
                    changes = [
                        change
                        for iv in ivs
                        if iv.site == site
                        and (change := _layer_change(iv, layer_index, active, rows)) is not None
                    ]
                    if changes:
                        here.append((rows, _in_order(changes)))
                if here:
                    change = _by_rows(here)
                    hooks.append(_register(model, layer, layer_index, site, change, active))
        yield active
    finally:
        for hook in hooks:
            hook.remove()


def _check_rows(rows: Sequence[slice]) -> None:
    """Several groups need explicit, disjoint ``start:stop`` rows (a row changed by two groups
    would get both changes)."""
    if len(rows) < 2:
        return
    for r in rows:
        if r.start is None or r.stop is None or r.step not in (None, 1) or r.start >= r.stop:
            raise ValueError(f"each group needs rows start:stop with start < stop, got {r}")
    spans = sorted((r.start, r.stop) for r in rows)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start < end:
            raise ValueError(f"the groups' rows overlap: {spans}")


def _check_addition(model: LoadedModel, iv: ResidualAddition) -> None:
    if not 0 <= iv.layer < model.n_layers:
        raise ValueError(
            f"residual addition at layer {iv.layer}: the model has layers 0..{model.n_layers - 1}"
        )
    if iv.vector.shape[0] != model.d_model:
        raise ValueError(
            f"residual addition: vector has {iv.vector.shape[0]} dimensions, the model's "
            f"residual stream {model.d_model}"
        )


def _of_kind(groups, residual: bool) -> list[tuple[slice, list]]:
    """Each group's residual additions (``residual``) or neuron changes (the rest)."""
    out = []
    for rows, ivs in groups:
        kept = [iv for iv in ivs if isinstance(iv, ResidualAddition) == residual]
        if kept:
            out.append((rows, kept))
    return out


def _by_rows(parts: list[tuple[slice, Callable[[torch.Tensor], torch.Tensor]]]):
    """One change of a ``[batch, ...]`` tensor that applies each part to its rows only."""
    if len(parts) == 1 and parts[0][0] == ALL_ROWS:
        return parts[0][1]

    def change(x: torch.Tensor) -> torch.Tensor:
        x = x.clone()
        for rows, one in parts:
            x[rows] = one(x[rows])
        return x

    return change


def _in_order(changes: Sequence[Callable[[torch.Tensor], torch.Tensor]]):
    """One change that applies ``changes`` in order."""

    def change(x: torch.Tensor) -> torch.Tensor:
        for one in changes:
            x = one(x)
        return x

    return change


def _register_residual(layer, layer_index: int, change, active: ActiveInterventions):
    """One forward hook on a decoder layer that applies ``change`` to its output (a tensor, or a
    tuple whose first item is the hidden states, depending on the transformers version);
    readers of the residual stream see the same through ``active.as_seen``."""

    def hook(module, args, output):
        if isinstance(output, tuple):
            return (change(output[0]), *output[1:])
        return change(output)

    active.output_changes[("residual", layer_index)] = change
    return layer.register_forward_hook(hook)


def _layer_change(
    iv: AnyIntervention, layer: int, active: ActiveInterventions, rows: slice = ALL_ROWS
) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """What ``iv`` does to the ``rows`` of a ``[batch, seq, neurons]`` value at ``layer`` (None:
    nothing); the row texts and last positions it reads are those of the same rows."""
    if isinstance(iv, PerTextIntervention):
        if not iv.masks[:, layer].any():
            return None
        return lambda x: iv.apply_rows(
            x, layer, None if active.texts is None else active.texts[rows]
        )
    idx = torch.as_tensor(np.flatnonzero(iv.neurons.mask[layer]))
    if not len(idx):
        return None
    return lambda x: iv.apply(x, layer, idx, None if active.value is None else active.value[rows])


def _register(
    model: LoadedModel, layer, layer_index: int, site: str, change, active: ActiveInterventions
):
    if site == "neurons":  # the input of the down projection
        module = resolve(layer, model.anatomy.down_proj)
        return module.register_forward_pre_hook(lambda m, args: (change(args[0]), *args[1:]))
    active.output_changes[("gate", layer_index)] = change
    module = resolve(layer, model.anatomy.sites["gate"].path)  # the activation function's output
    return module.register_forward_hook(lambda m, args, output: change(output))

"""Interventions on MLP neurons during any forward pass or generation.

An :class:`Intervention` zeroes, sets or scales a :class:`~neuron_utils.core.neurons.NeuronSet`
at one neuron site (``"neurons"``: the input of the down projection; ``"gate"``: the
activation output) at all positions or only at the last one. :func:`intervene` applies a
list of them, in order, for the duration of a ``with`` block, through forward hooks on the
modules the :class:`~neuron_utils.core.anatomy.Anatomy` names. Hooks serve plain forwards,
``generate`` and nnsight traces alike (an assignment into ``down_proj.input`` inside a trace
gives the same numbers), and they are removed when the block ends, even on error.
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
        selected = x[..., idx]
        if self.op == "zero":
            new = torch.zeros_like(selected)
        else:
            value = (
                self.value[layer, idx.numpy()] if isinstance(self.value, np.ndarray) else self.value
            )
            value = torch.as_tensor(value, dtype=x.dtype)
            new = value.expand_as(selected) if self.op == "set" else selected * value
        if self.positions == "last":
            keep = torch.ones(x.shape[:2], dtype=torch.bool)
            rows = torch.arange(x.shape[0])
            keep[rows, x.shape[1] - 1 if last is None else last] = False
            new = torch.where(keep[..., None], selected, new)
        x = x.clone()
        x[..., idx] = new.to(x.dtype)
        return x


class ActiveInterventions:
    """What :func:`intervene` yields: per-batch last-token positions and the gate changes.

    ``value``: ``[batch]`` last-token indices for right-padded batches (``None``: the final
    position). ``gate_as_seen`` applies the gate-site changes to a value read from the
    activation function: nnsight reads a module's output before forward hooks change it.
    """

    def __init__(self) -> None:
        self.value: torch.Tensor | None = None
        self.gate_changes: dict[int, Callable[[torch.Tensor], torch.Tensor]] = {}

    def gate_as_seen(self, layer_index: int, x: torch.Tensor) -> torch.Tensor:
        change = self.gate_changes.get(layer_index)
        return x if change is None else change(x)


@contextmanager
def intervene(
    model: LoadedModel, interventions: Sequence[Intervention]
) -> Iterator[ActiveInterventions]:
    """Apply ``interventions`` (in order) to every forward pass inside the block.

    Yields an object whose ``value`` may be set to ``[batch]`` last-token indices for
    right-padded batches; by default "last" means the final position (left padding,
    generation).
    """
    active = ActiveInterventions()
    hooks = []
    try:
        for layer_index, layer in enumerate(model.layers):
            todo = [
                (iv, torch.as_tensor(np.flatnonzero(iv.neurons.mask[layer_index])))
                for iv in interventions
            ]
            for site in INTERVENTION_SITES:
                here = [(iv, idx) for iv, idx in todo if iv.site == site and len(idx)]
                if here:
                    hooks.append(_register(model, layer, layer_index, site, here, active))
        yield active
    finally:
        for hook in hooks:
            hook.remove()


def _register(
    model: LoadedModel, layer, layer_index: int, site: str, todo, active: ActiveInterventions
):
    def change(x: torch.Tensor) -> torch.Tensor:
        for iv, idx in todo:
            x = iv.apply(x, layer_index, idx, active.value)
        return x

    if site == "neurons":  # the input of the down projection
        module = resolve(layer, model.anatomy.down_proj)
        return module.register_forward_pre_hook(lambda m, args: (change(args[0]), *args[1:]))
    active.gate_changes[layer_index] = change
    module = resolve(layer, model.anatomy.sites["gate"].path)  # the activation function's output
    return module.register_forward_hook(lambda m, args, output: change(output))

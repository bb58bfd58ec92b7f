"""Where things live inside each supported architecture.

An :class:`Anatomy` names, per architecture, the module paths that the book reads or
changes: the decoder layers, the two MLP *neuron sites*, the sublayer outputs and the
final norm / head. Everything else in ``neuron_utils`` goes through this registry,
so adding an architecture means adding one entry here.

Neuron sites (seed Tezuka & Inoue §3.2):

* ``"neurons"``: the input of the MLP down projection. For gated MLPs (Llama, Gemma,
  Qwen, Mistral) that is ``act(gate(x)) * up(x)``; for GPT-2 the activation output.
* ``"gate"``: the activation-function output ``act(gate(x))`` (LAPE's reference code
  counts this one). For GPT-2 it equals ``"neurons"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Site:
    """A tensor read from a module: its ``input`` or ``output`` (``index`` picks a tuple item)."""

    path: str  # dotted path relative to one decoder layer
    attr: str  # "input" or "output"
    index: int | None = None

    def read(self, layer: Any) -> Any:
        """Return this site's value from ``layer`` (a torch module or an nnsight envoy)."""
        value = getattr(resolve(layer, self.path), self.attr)
        return value if self.index is None else value[self.index]


@dataclass(frozen=True)
class Anatomy:
    """Module paths of one architecture (paths relative to the ``*ForCausalLM`` module)."""

    layers: str  # the ModuleList of decoder layers
    embed: str  # token embedding
    final_norm: str
    head: str
    down_proj: str  # MLP output projection (relative to a layer); its input is the neurons
    up_proj: str  # MLP input projection whose width is the number of neurons
    sites: dict[str, Site]  # per-layer sites: residual, attn, mlp, neurons, gate
    gated: bool

    def layer_list(self, model: Any) -> Any:
        return resolve(model, self.layers)


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path (``"model.layers"``) through attributes."""
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part)
    return obj


def _llama_like(attn_out: Site, mlp_out: Site) -> Anatomy:
    return Anatomy(
        layers="model.layers",
        embed="model.embed_tokens",
        final_norm="model.norm",
        head="lm_head",
        down_proj="mlp.down_proj",
        up_proj="mlp.up_proj",
        sites={
            "residual": Site("", "output"),
            "attn": attn_out,
            "mlp": mlp_out,
            "neurons": Site("mlp.down_proj", "input"),
            "gate": Site("mlp.act_fn", "output"),
        },
        gated=True,
    )


# Llama-style blocks add the raw sublayer outputs to the residual stream.
_LLAMA = _llama_like(Site("self_attn", "output", 0), Site("mlp", "output"))
# Gemma 2/3 normalise each sublayer output before adding it (post-norms): what the
# sublayer writes into the residual stream is the post-norm output.
_GEMMA_POSTNORM = _llama_like(
    Site("post_attention_layernorm", "output"), Site("post_feedforward_layernorm", "output")
)
_GPT2 = Anatomy(
    layers="transformer.h",
    embed="transformer.wte",
    final_norm="transformer.ln_f",
    head="lm_head",
    down_proj="mlp.c_proj",
    up_proj="mlp.c_fc",
    sites={
        "residual": Site("", "output"),
        "attn": Site("attn", "output", 0),
        "mlp": Site("mlp", "output"),
        "neurons": Site("mlp.c_proj", "input"),
        "gate": Site("mlp.act", "output"),
    },
    gated=False,
)

ANATOMIES: dict[str, Anatomy] = {
    "llama": _LLAMA,
    "mistral": _LLAMA,
    "qwen2": _LLAMA,
    "qwen3": _LLAMA,
    "gemma": _LLAMA,
    "gemma2": _GEMMA_POSTNORM,
    "gemma3": _GEMMA_POSTNORM,
    "gemma3_text": _GEMMA_POSTNORM,
    "gpt2": _GPT2,
}

SITES = ("residual", "attn", "mlp", "neurons", "gate")


def anatomy_for(model_type: str) -> Anatomy:
    """The :class:`Anatomy` of a transformers ``config.model_type``; clear error if unknown."""
    try:
        return ANATOMIES[model_type]
    except KeyError:
        raise ValueError(
            f"no anatomy registered for model_type {model_type!r}; "
            f"supported: {', '.join(sorted(ANATOMIES))} (add one in neuron_utils/anatomy.py)"
        ) from None

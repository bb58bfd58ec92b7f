"""Where things live inside each supported architecture.

An :class:`Anatomy` names, per architecture, the module paths that the book reads or
changes: the decoder layers, the two MLP *neuron sites*, the sublayer outputs and the
final norm / head. Everything else in ``neuron_utils`` goes through this registry,
so adding an architecture means adding one entry here.

Supported ``config.model_type`` values:

* Llama-like (gated MLP, pre-norms): ``llama``, ``mistral``, ``qwen2``, ``qwen3``, ``gemma``.
* Gemma 2/3 (gated MLP, pre- and post-norms): ``gemma2``, ``gemma3``, ``gemma3_text``.
* OLMo 2 (gated MLP, post-norms only): ``olmo2``.
* Phi-3 (gated MLP with one fused gate/up projection): ``phi3``.
* GPT-2 and BLOOM (non-gated GELU MLP): ``gpt2``, ``bloom``.

Sites, per decoder layer: ``"residual"`` is the layer's output; ``"attn"`` and ``"mlp"``
are what the two sublayers *add* to the residual stream (after a post-norm where there is
one), so that the layer's output is its input plus the two.

Neuron sites (seed Tezuka & Inoue §3.2):

* ``"neurons"``: the input of the MLP down projection. For gated MLPs (Llama, Gemma,
  Qwen, Mistral, OLMo 2, Phi-3) that is ``act(gate(x)) * up(x)``; for GPT-2 and BLOOM the
  activation output ``act(fc(x))``.
* ``"gate"``: the activation-function output ``act(gate(x))`` (LAPE's reference code
  counts this one). For GPT-2 and BLOOM it equals ``"neurons"``.

Both neuron sites are also where interventions write (a forward pre-hook on the down
projection, a forward hook on the activation module).
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
    sites: dict[str, Site]  # per-layer sites: residual, attn, mlp, neurons, gate
    gated: bool  # act(gate(x)) * up(x); else "gate" and "neurons" are the same tensor

    def layer_list(self, model: Any) -> Any:
        return resolve(model, self.layers)


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path (``"model.layers"``) through attributes."""
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part)
    return obj


def _llama_like(attn_out: Site, mlp_out: Site, act: str = "mlp.act_fn") -> Anatomy:
    return Anatomy(
        layers="model.layers",
        embed="model.embed_tokens",
        final_norm="model.norm",
        head="lm_head",
        down_proj="mlp.down_proj",
        sites={
            "residual": Site("", "output"),
            "attn": attn_out,
            "mlp": mlp_out,
            "neurons": Site("mlp.down_proj", "input"),
            "gate": Site(act, "output"),
        },
        gated=True,
    )


# Llama-style blocks add the raw sublayer outputs to the residual stream.
_LLAMA = _llama_like(Site("self_attn", "output", 0), Site("mlp", "output"))
# Gemma 2/3 normalise each sublayer output before adding it (post-norms; OLMo 2 too, with
# the same module names and no pre-norms): what the sublayer writes into the residual
# stream is the post-norm output.
_POSTNORM = _llama_like(
    Site("post_attention_layernorm", "output"), Site("post_feedforward_layernorm", "output")
)
# Phi-3 computes gate and up in one ``gate_up_proj`` and splits it; the activation module
# is ``activation_fn``, and ``down_proj`` gets ``up * act(gate)``.
_PHI3 = _llama_like(Site("self_attn", "output", 0), Site("mlp", "output"), "mlp.activation_fn")
_GPT2 = Anatomy(
    layers="transformer.h",
    embed="transformer.wte",
    final_norm="transformer.ln_f",
    head="lm_head",
    down_proj="mlp.c_proj",
    sites={
        "residual": Site("", "output"),
        "attn": Site("attn", "output", 0),
        "mlp": Site("mlp", "output"),
        "neurons": Site("mlp.c_proj", "input"),
        "gate": Site("mlp.act", "output"),
    },
    gated=False,
)
# BLOOM's attention and MLP modules add the residual themselves (``dropout_add`` after their
# output projection), so their outputs hold the residual stream: what each sublayer adds is
# the output of its last projection. A block returns ``(hidden, attention weights)``.
# Two config options break this decomposition; :func:`check_config` rejects them.
_BLOOM = Anatomy(
    layers="transformer.h",
    embed="transformer.word_embeddings",
    final_norm="transformer.ln_f",
    head="lm_head",
    down_proj="mlp.dense_4h_to_h",
    sites={
        "residual": Site("", "output", 0),
        "attn": Site("self_attention.dense", "output"),
        "mlp": Site("mlp.dense_4h_to_h", "output"),
        "neurons": Site("mlp.dense_4h_to_h", "input"),
        "gate": Site("mlp.gelu_impl", "output"),
    },
    gated=False,
)

ANATOMIES: dict[str, Anatomy] = {
    "llama": _LLAMA,
    "mistral": _LLAMA,
    "qwen2": _LLAMA,
    "qwen3": _LLAMA,
    "gemma": _LLAMA,
    "gemma2": _POSTNORM,
    "gemma3": _POSTNORM,
    "gemma3_text": _POSTNORM,
    "olmo2": _POSTNORM,
    "phi3": _PHI3,
    "gpt2": _GPT2,
    "bloom": _BLOOM,
}

SITES = ("residual", "attn", "mlp", "neurons", "gate")


def anatomy_for(model_type: str) -> Anatomy:
    """The :class:`Anatomy` of a transformers ``config.model_type``; clear error if unknown."""
    try:
        return ANATOMIES[model_type]
    except KeyError:
        raise ValueError(
            f"no anatomy registered for model_type {model_type!r}; "
            f"supported: {', '.join(sorted(ANATOMIES))} (add one in neuron_utils/core/anatomy.py)"
        ) from None


def check_config(config: Any) -> None:
    """Raise if ``config`` selects a code path on which its anatomy's sites are wrong.

    BLOOM: with ``apply_residual_connection_post_layernorm`` the sublayers add to the
    *normalised* stream, so a layer's output is no longer its input plus ``attn`` and
    ``mlp``; with ``pretraining_tp > 1`` and ``slow_but_exact`` the projections are computed
    slice by slice through their weights, the modules are never called, and no hook on them
    (reading or intervening) would fire. Released BLOOM checkpoints use neither.
    """
    if config.model_type != "bloom":
        return
    if getattr(config, "apply_residual_connection_post_layernorm", False):
        raise ValueError(
            "BLOOM with apply_residual_connection_post_layernorm=True is not supported: "
            "its residual stream is not the sum the attn/mlp sites assume"
        )
    if getattr(config, "pretraining_tp", 1) > 1 and getattr(config, "slow_but_exact", False):
        raise ValueError(
            "BLOOM with pretraining_tp > 1 and slow_but_exact=True is not supported: its "
            "projections bypass the modules that the sites and interventions hook; set "
            "slow_but_exact=False"
        )

"""Model access: architectures, loading, batched extraction, interventions, LM scoring, neuron sets.

- :mod:`.anatomy`: where the layers, sublayers and neuron sites sit in each architecture.
- :mod:`.models`: :func:`load_model` (Gemma-3-270M from PyPI or any causal LM), dtype choice.
- :mod:`.batches`: the one tokenise / group-by-length loop of every forward pass (no padding).
- :mod:`.activations`: :func:`collect` pooled activations, :func:`token_statistics`.
- :mod:`.interventions`: zero / set / scale neurons during any forward pass or generation.
- :mod:`.lm_scoring`: token log-likelihoods, perplexity, pair preferences, generation.
- :mod:`.neurons`: :class:`NeuronSet`, sets of (layer, neuron).
- :mod:`.cache`, :mod:`.storage`, :mod:`.paths`, :mod:`.progress`: files, caches, progress bars.

Names are imported from their submodule when first used (:mod:`neuron_utils.core.lazy`).
"""

from .lazy import lazy_exports

# attribute -> the submodule that defines it
_LAZY = {
    "ANATOMIES": "anatomy",
    "Anatomy": "anatomy",
    "anatomy_for": "anatomy",
    "collect": "activations",
    "DEFAULT_MODEL": "models",
    "generate": "lm_scoring",
    "intervene": "interventions",
    "Intervention": "interventions",
    "load_model": "models",
    "LoadedModel": "models",
    "mean_logprob": "lm_scoring",
    "NeuronSet": "neurons",
    "pair_preferences": "lm_scoring",
    "perplexity": "lm_scoring",
    "PerTextIntervention": "interventions",
    "ResidualAddition": "interventions",
    "SITES": "anatomy",
    "token_nll": "lm_scoring",
    "token_statistics": "activations",
    "wrap_model": "models",
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
__all__ = sorted(_LAZY)

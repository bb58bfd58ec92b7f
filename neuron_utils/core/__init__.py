"""Model access: architectures, loading, batched extraction, interventions, LM scoring, neuron sets.

- :mod:`.anatomy`: where the layers, sublayers and neuron sites sit in each architecture.
- :mod:`.models`: :func:`load_model` (Gemma-3-270M from PyPI or any causal LM), dtype choice.
- :mod:`.batches`: the one tokenise / group-by-length loop of every forward pass (no padding).
- :mod:`.activations`: :func:`collect` pooled activations, :func:`token_statistics`.
- :mod:`.interventions`: zero / set / scale neurons during any forward pass or generation.
- :mod:`.lm_scoring`: token log-likelihoods, perplexity, pair preferences, generation.
- :mod:`.neurons`: :class:`NeuronSet`, sets of (layer, neuron).
- :mod:`.cache`, :mod:`.storage`, :mod:`.paths`, :mod:`.progress`: files, caches, progress bars.
"""

from .activations import collect, token_statistics
from .anatomy import ANATOMIES, SITES, Anatomy, anatomy_for
from .interventions import Intervention, PerTextIntervention, ResidualAddition, intervene
from .lm_scoring import generate, mean_logprob, pair_preferences, perplexity, token_nll
from .models import DEFAULT_MODEL, LoadedModel, load_model, wrap_model
from .neurons import NeuronSet

__all__ = [
    "ANATOMIES",
    "DEFAULT_MODEL",
    "SITES",
    "Anatomy",
    "Intervention",
    "LoadedModel",
    "NeuronSet",
    "PerTextIntervention",
    "ResidualAddition",
    "anatomy_for",
    "collect",
    "generate",
    "intervene",
    "load_model",
    "mean_logprob",
    "pair_preferences",
    "perplexity",
    "token_nll",
    "token_statistics",
    "wrap_model",
]

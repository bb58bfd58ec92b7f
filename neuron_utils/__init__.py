"""neuron_utils: the shared code behind the *Multilingual neurons* book."""

import warnings

# tqdm.auto (imported by transformers) warns in kernels without ipywidgets; the book uses plain bars.
warnings.filterwarnings("ignore", message="IProgress not found")

from . import (activations, book, common_neurons, crosslingual, data, grammar, interventions, lape, langid,
               minimal_pairs, neurons, params, plotting, probes, provenance, scoring, selection, similarity)
from .activations import collect
from .anatomy import ANATOMIES, SITES, Anatomy, anatomy_for
from .interventions import Intervention, intervene
from .models import DEFAULT_MODEL, LoadedModel, load_model, wrap_model
from .neurons import NeuronSet

__all__ = ["ANATOMIES", "DEFAULT_MODEL", "SITES", "Anatomy", "Intervention", "LoadedModel", "NeuronSet", "anatomy_for",
           "collect", "intervene", "load_model", "wrap_model"]
__version__ = "0.1.0"

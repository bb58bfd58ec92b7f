"""neuron_utils: the shared code behind the *Multilingual neurons* book."""

from . import activations, book, crosslingual, data, params, plotting, provenance, similarity
from .activations import collect
from .anatomy import ANATOMIES, SITES, Anatomy, anatomy_for
from .models import DEFAULT_MODEL, LoadedModel, load_model, wrap_model

__all__ = ["ANATOMIES", "DEFAULT_MODEL", "SITES", "Anatomy", "LoadedModel", "anatomy_for", "collect",
           "load_model", "wrap_model"]
__version__ = "0.1.0"
